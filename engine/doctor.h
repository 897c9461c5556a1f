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

/* Appends one line per check to out; returns the number of failed checks. */
int doctor_run(const config_profile *p, const char *schema, mc_buf *out);

#endif
