/*
 * doctor: checks a profile layer by layer and says what is wrong (issue 8):
 * reachability of the DLF and OSS endpoints and the clock skew against them
 * (their Date headers; beyond 15 minutes requests are refused), the
 * credentials (DLF's 401), the catalog, the DLF data permission SHOW TABLES
 * needs, and data access through a table's token. Nothing here knows
 * whether the endpoints are the emulator.
 */
#ifndef MC_ENGINE_DOCTOR_H
#define MC_ENGINE_DOCTOR_H

#include "buf.h"
#include "config.h"

/* The system policy that allows a refused RAM action (reference/ram-sts.md
 * §3, dlf-permissions.md §3.1): the service's ReadOnly policy for its
 * Get/List/Describe/Query/BatchGet actions, its FullAccess policy for the
 * others; NULL for a service without such a pair (dlf:, oss: have one). */
const char *doctor_policy_for(const char *action);

/* Appends one line per check to out; returns the number of failed checks. */
int doctor_run(const config_profile *p, const char *schema, mc_buf *out);

#endif
