/*
 * oss/service: the OSS REST API served by the emulator (reference/oss-api.md):
 * addressing (§1), V1/V4 header and presigned authentication with STS
 * tokens and scoped credentials (§2-5), RAM policies for RAM users and
 * assumed-role sessions (every request is an oss:<Api> action on
 * acs:oss:*:<uid>:<bucket>[/<key>], reference/ram-sts.md §1-2), bucket, object, listing and
 * multipart operations (§6), ETag/CRC rules (§7), and errors as OSS XML with
 * the real HTTP statuses (§8), rendered in one function.
 */
#ifndef MC_OSS_SERVICE_H
#define MC_OSS_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "server/service.h"

extern const emu_service_def emu_oss_service;

/* Range header parsing (§6 GetObject): returns 1 for a satisfiable single
 * range (start/end inclusive filled), 0 when the header is to be ignored
 * (whole object, 200), -1 when it is unsatisfiable under
 * x-oss-range-behavior: standard (416). */
int oss_parse_range(const char *header, int64_t size, bool standard, int64_t *start, int64_t *end);

#endif
