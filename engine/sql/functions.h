/*
 * sql/functions: MaxCompute built-in functions (reference/maxcompute-sql.md
 * §6) for the SQLite executor. Each entry says how a call translates: the
 * SQLite function that implements it (SQLite's own where the semantics are
 * the same, else one registered here with MaxCompute's semantics) and its
 * arity. A name not in the table is an ODPS error naming it, never
 * something else silently.
 */
#ifndef MC_SQL_FUNCTIONS_H
#define MC_SQL_FUNCTIONS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"

typedef struct {
    const char *name;        /* MaxCompute name, lower case */
    int min_args, max_args;  /* max -1: variadic */
    const char *sqlite_name; /* what the translation calls */
    bool aggregate;
} sql_function;

/* Case-insensitive lookup; NULL when MaxCompute has no such function here. */
const sql_function *sql_function_lookup(const char *name);
/* Whether the function returns BOOLEAN (printed true/false; SQLite has 0/1). */
bool sql_function_is_boolean(const sql_function *f);
/* The whole table, *n entries (tests check every entry is callable). */
const sql_function *sql_function_all(size_t *n);
/* Registers the mc_* implementations on a connection. Besides the table's
 * targets it registers two the translator may call directly:
 * mc_rlike(s, pattern) for the RLIKE/REGEXP operator, and
 * mc_to_char_bool(b) ('TRUE'/'FALSE') for TO_CHAR of a BOOLEAN, which SQLite
 * cannot tell from an integer at run time. */
int sql_functions_register(sqlite3 *db, mc_err *err);

/* MaxCompute's session time zone defaults to Asia/Shanghai (§7 trap 8). We
 * model it as a fixed UTC+8: China has kept that offset since 1992; the
 * 1986-1991 daylight-saving summers are not reproduced. */
#define SQL_SESSION_OFFSET_MS (8LL * 3600 * 1000)

/* The wall-clock milliseconds since 1970-01-01 00:00:00 of a DATE, DATETIME
 * or TIMESTAMP string: exactly 'yyyy-mm-dd' or 'yyyy-mm-dd hh:mi:ss[.fraction]'
 * (§1.4), digits past the millisecond dropped. -1 when s is not one. */
int sql_datetime_text_ms(const char *s, int64_t *out);

#endif
