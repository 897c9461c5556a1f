/*
 * timeutil: clocks and the date formats the protocols use.
 * All times are UTC. Formatting functions write into caller buffers of the
 * given size and always NUL-terminate.
 */
#ifndef MC_TIMEUTIL_H
#define MC_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

int64_t mc_now_ms(void);          /* wall clock, ms since the epoch (plus the process's skew) */
time_t mc_now_s(void);            /* the same in seconds */
/* Skews this process's wall clock by ms: `mcdlf serve --clock-skew` uses it
 * to reproduce a server whose clock is off (RequestTimeTooSkewed). Set once,
 * before any other thread reads the clock. */
void mc_clock_skew_set(int64_t ms);
int64_t mc_monotonic_ms(void);

/* "Tue, 24 Nov 2026 00:16:05 GMT" (RFC 1123, HTTP Date). */
void mc_time_rfc1123(char *out, size_t cap, time_t t);
/* "20261124T001605Z" (ISO 8601 basic, the V4 signing date). */
void mc_time_iso8601_basic(char *out, size_t cap, time_t t);
/* "2026-11-24T00:16:05.000Z" (ISO 8601 extended, OSS XML LastModified). */
void mc_time_iso8601_ms(char *out, size_t cap, int64_t ms);

/* Parsers; return 0 and set *out, or -1. */
int mc_time_parse_rfc1123(const char *s, time_t *out);
int mc_time_parse_iso8601_basic(const char *s, time_t *out);
int mc_time_parse_iso8601(const char *s, time_t *out); /* 2026-11-24T00:16:05[.fff]Z */
/* Any of the three above. */
int mc_time_parse_any(const char *s, time_t *out);
/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t mc_days_from_civil(int64_t y, int m, int d);
void mc_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif
