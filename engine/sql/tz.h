/*
 * sql/tz: time zone rules for the SQL functions that name a zone
 * (FROM_UTC_TIMESTAMP, TO_UTC_TIMESTAMP; reference/maxcompute-sql.md §6.1).
 * Rules are read from the system's TZif files (RFC 8536) under
 * /usr/share/zoneinfo, never through TZ/tzset/localtime_r: the process is
 * multi-threaded (the emulator runs in-process) and those share global state.
 *
 * Invariants: a zone, once loaded, is immutable and lives until the process
 * exits (a bounded cache owns it), so a borrowed sql_tz pointer stays valid;
 * lookups are thread-safe.
 */
#ifndef MC_SQL_TZ_H
#define MC_SQL_TZ_H

#include <stdint.h>

#include "mc_err.h"

typedef struct sql_tz sql_tz;

/* The zone named name: an IANA name ('Asia/Shanghai', 'UTC') or one of the
 * short ids MaxCompute's Java runtime accepts ('PST'). Fails with
 * MC_ERR_INVALID for a malformed, offset-style ('GMT+9') or unknown name,
 * MC_ERR_UNSUPPORTED when the time zone database is not installed. */
int sql_tz_find(const sql_tz **out, const char *name, mc_err *err);

/* Seconds east of UTC in force at the instant utc (seconds since the epoch). */
int64_t sql_tz_utc_offset(const sql_tz *z, int64_t utc);

/* Seconds east of UTC for the wall-clock time local (seconds since
 * 1970-01-01 00:00:00 on that clock). A time in a gap or an overlap takes
 * the offset in force before the transition, as java.time does. */
int64_t sql_tz_local_offset(const sql_tz *z, int64_t local);

/* Test hook: where the TZif files are read from (default
 * /usr/share/zoneinfo). The string is borrowed; NULL restores the default. */
void sql_tz_dir_set(const char *dir);

#endif
