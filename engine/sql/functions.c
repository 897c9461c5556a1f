/*
 * sql/functions: the built-in function table (see functions.h) and the
 * mc_* SQLite functions that give MaxCompute's semantics where SQLite's own
 * differ. Section numbers refer to reference/maxcompute-sql.md.
 *
 * Value conventions (shared with sql/exec.c): integers are INTEGER, DOUBLE is
 * REAL, STRING and DECIMAL are TEXT, DATE is TEXT 'yyyy-mm-dd', DATETIME is
 * TEXT 'yyyy-mm-dd hh:mi:ss[.fraction]', BOOLEAN is INTEGER 0/1. Every mc_*
 * function keeps them: a DATETIME result is always 'yyyy-mm-dd hh:mi:ss'
 * (MaxCompute displays no milliseconds, §1.2), a DOUBLE result is always
 * REAL so the console prints it Java-style.
 *
 * Invariants: unless a function's comment says otherwise a NULL argument
 * gives NULL (§6 "General"); a MaxCompute runtime error is a
 * sqlite3_result_error whose text is the ODPS message (§5.2), which the
 * executor prints after "FAILED: ". Argument counts are checked by the
 * translator from the table, so the implementations assume them.
 */
#include "sql/functions.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paimon/types.h"
#include "sql/nested.h"
#include "sql/tz.h"
#include "strutil.h"
#include "timeutil.h"

/* ---- errors (§5.2) ----------------------------------------------------------- */

#define E_RANGE "ODPS-0121065:Argument value out of range"
#define E_ARGS "ODPS-0121095:Invalid arguments"
#define E_REGEX "ODPS-0121011:Invalid regular expression pattern"
#define E_CAST "ODPS-0123091:Illegal type cast"

static void fail(sqlite3_context *cx, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(sqlite3_context *cx, const char *code, const char *fmt, ...)
{
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%s - ", code);
    va_list ap;
    va_start(ap, fmt);
    mc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    sqlite3_result_error(cx, mc_buf_cstr(&b), -1);
    mc_buf_free(&b);
}

static bool any_null(int argc, sqlite3_value **argv)
{
    for (int i = 0; i < argc; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
            return true;
    return false;
}

/* A value as MaxCompute's STRING conversion renders it: DOUBLE Java-style
 * (§4.2), everything else as SQLite's text. Valid until tmp changes. */
static const char *val_text(sqlite3_value *v, mc_buf *tmp, int *len)
{
    if (sqlite3_value_type(v) == SQLITE_FLOAT) {
        mc_buf_reset(tmp);
        mc_java_double_text(tmp, sqlite3_value_double(v), false);
        if (len)
            *len = (int)tmp->len;
        return mc_buf_cstr(tmp);
    }
    const char *s = (const char *)sqlite3_value_text(v);
    if (len)
        *len = sqlite3_value_bytes(v);
    return s ? s : "";
}

static void result_buf(sqlite3_context *cx, mc_buf *b)
{
    sqlite3_result_text(cx, mc_buf_cstr(b), (int)b->len, SQLITE_TRANSIENT);
    mc_buf_free(b);
}

/* ---- UTF-8: MaxCompute counts characters, not bytes (§6.2 LENGTH) ---------------- */

/* Length of the well-formed UTF-8 sequence at s, or 0 when malformed. */
static int u8_seq(const unsigned char *s, int n)
{
    if (n <= 0)
        return 0;
    unsigned c = s[0];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len || len > n)
        return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((len == 2 && c < 0xC2) || (len == 3 && c == 0xE0 && s[1] < 0xA0) || (len == 4 && c == 0xF0 && s[1] < 0x90) ||
        (len == 4 && c > 0xF4) || (len == 3 && c == 0xED && s[1] >= 0xA0))
        return 0;
    return len;
}

/* Characters in s, or -1 when it is not valid UTF-8. */
static int u8_count(const char *s, int n)
{
    int chars = 0;
    for (int i = 0; i < n; chars++) {
        int l = u8_seq((const unsigned char *)s + i, n - i);
        if (!l)
            return -1;
        i += l;
    }
    return chars;
}

/* Splits s into characters: offs[k] is the byte offset of character k,
 * offs[count] == n. A malformed byte counts as one character. Caller frees. */
static int *u8_offsets(const char *s, int n, int *count)
{
    int *offs = mc_malloc(((size_t)n + 1) * sizeof *offs);
    int k = 0;
    for (int i = 0; i < n; k++) {
        offs[k] = i;
        int l = u8_seq((const unsigned char *)s + i, n - i);
        i += l ? l : 1;
    }
    offs[k] = n;
    *count = k;
    return offs;
}

/* ---- date and time (§6.1) -------------------------------------------------------- */

#define SESSION_OFFSET_MS SQL_SESSION_OFFSET_MS
#define SESSION_ZONE "Asia/Shanghai" /* what CURRENT_TIMEZONE() names */
#define DAY_MS 86400000LL

typedef struct {
    int64_t y;
    int mo, d, h, mi, s, ms;
} mc_dt;

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int64_t y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

static bool dt_valid(const mc_dt *t)
{
    return t->y >= 1 && t->y <= 9999 && t->mo >= 1 && t->mo <= 12 && t->d >= 1 && t->d <= month_days(t->y, t->mo) &&
           t->h >= 0 && t->h < 24 && t->mi >= 0 && t->mi < 60 && t->s >= 0 && t->s < 60;
}

/* n decimal digits at s (all digits), as a number; -1 otherwise. */
static int fixed_num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Exactly 'yyyy-mm-dd' or 'yyyy-mm-dd hh:mi:ss[.fraction]', zero-padded, a
 * real calendar date (§1.4: the only layouts STRING<->DATETIME accept).
 * *date_only says which. */
static int dt_parse(const char *s, mc_dt *t, bool *date_only)
{
    memset(t, 0, sizeof *t);
    size_t n = strlen(s);
    if (n < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = fixed_num(s, 4), mo = fixed_num(s + 5, 2), d = fixed_num(s + 8, 2);
    if (y < 0 || mo < 0 || d < 0)
        return -1;
    t->y = y, t->mo = mo, t->d = d;
    *date_only = n == 10;
    if (n > 10) {
        if (n < 19 || s[10] != ' ' || s[13] != ':' || s[16] != ':')
            return -1;
        t->h = fixed_num(s + 11, 2), t->mi = fixed_num(s + 14, 2), t->s = fixed_num(s + 17, 2);
        if (t->h < 0 || t->mi < 0 || t->s < 0)
            return -1;
        if (n > 19) {
            if (s[19] != '.' || n == 20 || n > 29)
                return -1;
            for (size_t i = 20; i < n; i++) {
                if (!isdigit((unsigned char)s[i]))
                    return -1;
                if (i < 23)
                    t->ms = t->ms * 10 + (s[i] - '0');
            }
            for (size_t i = n; i < 23; i++)
                t->ms *= 10;
        }
    }
    return dt_valid(t) ? 0 : -1;
}

static int64_t dt_ms(const mc_dt *t)
{
    return mc_days_from_civil(t->y, t->mo, t->d) * DAY_MS + t->h * 3600000LL + t->mi * 60000LL + t->s * 1000LL + t->ms;
}

int sql_datetime_text_ms(const char *s, int64_t *out)
{
    mc_dt t;
    bool date_only;
    if (dt_parse(s, &t, &date_only))
        return -1;
    *out = dt_ms(&t);
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static void dt_from_ms(mc_dt *t, int64_t ms)
{
    int64_t days = floor_div(ms, DAY_MS);
    int64_t rem = ms - days * DAY_MS;
    mc_civil_from_days(days, &t->y, &t->mo, &t->d);
    t->h = (int)(rem / 3600000), t->mi = (int)(rem / 60000 % 60), t->s = (int)(rem / 1000 % 60), t->ms = (int)(rem % 1000);
}

static void result_dt(sqlite3_context *cx, const mc_dt *t, bool date_only)
{
    if (t->y < 1 || t->y > 9999) {
        fail(cx, E_RANGE, "datetime out of range: year %lld", (long long)t->y);
        return;
    }
    char out[40];
    if (date_only)
        snprintf(out, sizeof out, "%04lld-%02d-%02d", (long long)t->y, t->mo, t->d);
    else
        snprintf(out, sizeof out, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)t->y, t->mo, t->d, t->h, t->mi, t->s);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

/* A DATE/DATETIME argument. Returns 1 when it is NULL (result set to NULL),
 * 0 with *t filled, -1 after setting the cast error. */
static int arg_dt(sqlite3_context *cx, sqlite3_value *v, const char *fn, mc_dt *t, bool *date_only)
{
    bool dummy;
    if (!date_only)
        date_only = &dummy;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return 1;
    }
    mc_buf tmp = MC_BUF_INIT;
    const char *s = val_text(v, &tmp, NULL);
    int rc = 0;
    if (sqlite3_value_type(v) != SQLITE_TEXT || dt_parse(s, t, date_only)) {
        fail(cx, E_CAST, "In function %s, value '%s' cannot be casted from String to Datetime.", fn, s);
        rc = -1;
    }
    mc_buf_free(&tmp);
    return rc;
}

typedef enum { U_YEAR, U_MONTH, U_DAY, U_HOUR, U_MIN, U_SEC, U_MS, U_BAD } dt_unit;

/* §6 "General": yyyy/year, mm/month/mon, dd/day, hh/hour, mi, ss, ff3. */
static dt_unit unit_parse(const char *u)
{
    static const struct {
        const char *name;
        dt_unit unit;
    } names[] = {{"yyyy", U_YEAR}, {"year", U_YEAR}, {"mm", U_MONTH}, {"month", U_MONTH}, {"mon", U_MONTH},
                 {"dd", U_DAY},    {"day", U_DAY},   {"hh", U_HOUR},  {"hour", U_HOUR},   {"mi", U_MIN},
                 {"ss", U_SEC},    {"ff3", U_MS}};
    for (size_t i = 0; u && i < sizeof names / sizeof *names; i++)
        if (!strcasecmp(names[i].name, u))
            return names[i].unit;
    return U_BAD;
}

static int arg_unit(sqlite3_context *cx, sqlite3_value *v, dt_unit *u)
{
    const char *s = (const char *)sqlite3_value_text(v);
    *u = unit_parse(s);
    if (*u == U_BAD) {
        fail(cx, E_ARGS, "datepart '%s' is not one of yyyy, mm, dd, hh, mi, ss, ff3", s ? s : "");
        return -1;
    }
    return 0;
}

/* Adds months keeping the day, clamped to the month end (§6.1 DATEADD). */
static void dt_add_months(mc_dt *t, int64_t months)
{
    int64_t total = t->y * 12 + (t->mo - 1) + months;
    t->y = floor_div(total, 12);
    t->mo = (int)(total - t->y * 12) + 1;
    if (t->y >= 1 && t->y <= 9999 && t->d > month_days(t->y, t->mo))
        t->d = month_days(t->y, t->mo);
}

static const int64_t UNIT_MS[] = {0, 0, DAY_MS, 3600000LL, 60000LL, 1000LL, 1LL};

/* DATEADD(d, delta, unit): a DATE in stays a DATE for day-or-larger units
 * (newer docs: the result has the input's type). */
static void fn_dateadd(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    bool date_only;
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    dt_unit u;
    if (arg_dt(cx, argv[0], "dateadd", &t, &date_only) || arg_unit(cx, argv[2], &u))
        return;
    int64_t delta = sqlite3_value_int64(argv[1]);
    if (delta > 1000000000000LL || delta < -1000000000000LL) {
        fail(cx, E_RANGE, "dateadd delta %lld", (long long)delta);
        return;
    }
    if (u == U_YEAR || u == U_MONTH) {
        dt_add_months(&t, u == U_YEAR ? delta * 12 : delta);
    } else {
        int64_t ms = dt_ms(&t) + delta * UNIT_MS[u];
        dt_from_ms(&t, ms);
    }
    result_dt(cx, &t, date_only && u <= U_DAY);
}

/* DATEDIFF(d1, d2[, unit]): d1 - d2 after truncating both to the unit, so
 * '2006-01-01 00:00:00' - '2005-12-31 23:59:59' is 1 in every unit (§6.1). */
static void fn_datediff(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt a, b;
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    dt_unit u = U_DAY;
    if (arg_dt(cx, argv[0], "datediff", &a, NULL) || arg_dt(cx, argv[1], "datediff", &b, NULL) ||
        (argc > 2 && arg_unit(cx, argv[2], &u)))
        return;
    int64_t r;
    if (u == U_YEAR)
        r = a.y - b.y;
    else if (u == U_MONTH)
        r = (a.y * 12 + a.mo) - (b.y * 12 + b.mo);
    else
        r = floor_div(dt_ms(&a), UNIT_MS[u]) - floor_div(dt_ms(&b), UNIT_MS[u]);
    sqlite3_result_int64(cx, r);
}

static int64_t dt_field(const mc_dt *t, dt_unit u)
{
    switch (u) {
    case U_YEAR: return t->y;
    case U_MONTH: return t->mo;
    case U_DAY: return t->d;
    case U_HOUR: return t->h;
    case U_MIN: return t->mi;
    case U_SEC: return t->s;
    default: return t->ms;
    }
}

static void fn_datepart(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    dt_unit u;
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    if (arg_dt(cx, argv[0], "datepart", &t, NULL) || arg_unit(cx, argv[1], &u))
        return;
    sqlite3_result_int64(cx, dt_field(&t, u));
}

/* DATETRUNC(d, unit): fields below the unit reset ('yyyy' -> Jan 1 00:00:00). */
static void fn_datetrunc(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    bool date_only;
    dt_unit u;
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    if (arg_dt(cx, argv[0], "datetrunc", &t, &date_only) || arg_unit(cx, argv[1], &u))
        return;
    if (u < U_MONTH)
        t.mo = 1;
    if (u < U_DAY)
        t.d = 1;
    if (u < U_HOUR)
        t.h = 0;
    if (u < U_MIN)
        t.mi = 0;
    if (u < U_SEC)
        t.s = 0;
    if (u < U_MS)
        t.ms = 0;
    result_dt(cx, &t, date_only);
}

/* LASTDAY(datetime) -> DATETIME: the month's last day at 00:00:00. */
static void fn_lastday(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (arg_dt(cx, argv[0], "lastday", &t, NULL))
        return;
    t.d = month_days(t.y, t.mo);
    t.h = t.mi = t.s = t.ms = 0;
    result_dt(cx, &t, false);
}

/* 'yyyy-mm-dd' optionally followed by a time part; NULL (not an error) when
 * the string is not one: LAST_DAY('20170304') is NULL (§6.1). */
static bool date_prefix(sqlite3_value *v, mc_dt *t)
{
    const char *s = (const char *)sqlite3_value_text(v);
    if (!s || strlen(s) < 10 || (s[10] && s[10] != ' '))
        return false;
    char d[11];
    memcpy(d, s, 10);
    d[10] = '\0';
    bool date_only;
    return dt_parse(d, t, &date_only) == 0;
}

static void fn_last_day(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (!date_prefix(argv[0], &t)) {
        sqlite3_result_null(cx);
        return;
    }
    t.d = month_days(t.y, t.mo);
    result_dt(cx, &t, true);
}

/* DATE_ADD / DATE_SUB(d, days) -> DATE (§6.1). */
static void date_add_days(sqlite3_context *cx, sqlite3_value **argv, int sign)
{
    mc_dt t;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || !date_prefix(argv[0], &t)) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t n = sqlite3_value_int64(argv[1]);
    if (n > 10000000 || n < -10000000) {
        sqlite3_result_null(cx);
        return;
    }
    dt_from_ms(&t, (mc_days_from_civil(t.y, t.mo, t.d) + sign * n) * DAY_MS);
    result_dt(cx, &t, true);
}

static void fn_date_add(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    date_add_days(cx, argv, 1);
}

static void fn_date_sub(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    date_add_days(cx, argv, -1);
}

/* Lenient 'y-m-d[ h:mi:s[.f]]' or 'h:mi:s' with unpadded numbers, as YEAR,
 * MONTH, ... and ADD_MONTHS accept (§6.1: YEAR('70-01-01') = 70,
 * HOUR('12:00:00') = 12, MONTH('20140901') is NULL). */
static bool read_int(const char **p, int *out)
{
    const char *s = *p;
    long v = 0;
    int n = 0;
    while (isdigit((unsigned char)*s) && n < 9)
        v = v * 10 + (*s++ - '0'), n++;
    if (!n || isdigit((unsigned char)*s))
        return false;
    *out = (int)v;
    *p = s;
    return true;
}

static bool read_time(const char **p, mc_dt *t)
{
    const char *s = *p;
    if (!read_int(&s, &t->h) || *s++ != ':' || !read_int(&s, &t->mi) || *s++ != ':' || !read_int(&s, &t->s))
        return false;
    if (*s == '.') {
        s++;
        int f;
        if (!read_int(&s, &f))
            return false;
    }
    *p = s;
    return t->h < 24 && t->mi < 60 && t->s < 60;
}

static bool lenient_parse(const char *s, mc_dt *t, bool *has_date, bool *has_time)
{
    memset(t, 0, sizeof *t);
    *has_date = *has_time = false;
    const char *p = s;
    int y, mo, d;
    if (read_int(&p, &y) && *p == '-') {
        p++;
        if (!read_int(&p, &mo) || *p++ != '-' || !read_int(&p, &d))
            return false;
        t->y = y, t->mo = mo, t->d = d;
        if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
            return false;
        *has_date = true;
        if (!*p)
            return true;
        if (*p++ != ' ')
            return false;
    } else {
        p = s;
    }
    if (!read_time(&p, t) || *p)
        return false;
    *has_time = true;
    return true;
}

typedef enum { F_YEAR, F_QUARTER, F_MONTH, F_DAY, F_HOUR, F_MINUTE, F_SECOND } field_kind;

static int64_t field_of(const mc_dt *t, field_kind k)
{
    return k == F_YEAR      ? t->y
           : k == F_QUARTER ? (t->mo - 1) / 3 + 1
           : k == F_MONTH   ? t->mo
           : k == F_DAY     ? t->d
           : k == F_HOUR    ? t->h
           : k == F_MINUTE  ? t->mi
                            : t->s;
}

static void field_fn(sqlite3_context *cx, sqlite3_value *v, field_kind k)
{
    mc_dt t;
    bool has_date, has_time;
    const char *s = (const char *)sqlite3_value_text(v);
    if (!s || !lenient_parse(s, &t, &has_date, &has_time) || (k <= F_DAY && !has_date) || (k >= F_HOUR && !has_time)) {
        sqlite3_result_null(cx);
        return;
    }
    sqlite3_result_int64(cx, field_of(&t, k));
}

#define FIELD_FN(name, kind)                                                   \
    static void fn_##name(sqlite3_context *cx, int argc, sqlite3_value **argv) \
    {                                                                          \
        (void)argc;                                                            \
        field_fn(cx, argv[0], kind);                                           \
    }
FIELD_FN(year, F_YEAR)
FIELD_FN(quarter, F_QUARTER)
FIELD_FN(month, F_MONTH)
FIELD_FN(day, F_DAY)
FIELD_FN(hour, F_HOUR)
FIELD_FN(minute, F_MINUTE)
FIELD_FN(second, F_SECOND)

/* ADD_MONTHS(str, n) -> 'yyyy-mm-dd': ('17-2-14', 3) -> '0017-05-14',
 * '20170214' -> NULL (§6.1); the day clamps to the month end. */
static void fn_add_months(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    bool has_date, has_time;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (any_null(argc, argv) || !lenient_parse(s, &t, &has_date, &has_time) || !has_date) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t n = sqlite3_value_int64(argv[1]);
    if (n > 1200000 || n < -1200000) {
        sqlite3_result_null(cx);
        return;
    }
    dt_add_months(&t, n);
    result_dt(cx, &t, true);
}

/* WEEKDAY: Monday 0 .. Sunday 6. 1970-01-01 was a Thursday (3). */
static int weekday_of(const mc_dt *t)
{
    int64_t days = mc_days_from_civil(t->y, t->mo, t->d);
    return (int)(((days + 3) % 7 + 7) % 7);
}

static void fn_weekday(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (arg_dt(cx, argv[0], "weekday", &t, NULL))
        return;
    sqlite3_result_int64(cx, weekday_of(&t));
}

/* WEEKOFYEAR: ISO-8601 week number; the week belongs to the year holding
 * its Thursday (2014-12-29 -> 1, 2015-12-29 -> 53). */
static void fn_weekofyear(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (arg_dt(cx, argv[0], "weekofyear", &t, NULL))
        return;
    int64_t days = mc_days_from_civil(t.y, t.mo, t.d);
    int64_t thursday = days - weekday_of(&t) + 3;
    int64_t ty;
    int tm, td;
    mc_civil_from_days(thursday, &ty, &tm, &td);
    int64_t jan1 = mc_days_from_civil(ty, 1, 1);
    sqlite3_result_int64(cx, (thursday - jan1) / 7 + 1);
}

/* UNIX_TIMESTAMP([datetime]): seconds since the epoch reading the datetime
 * in the session zone (DATETIME'2009-03-20 11:11:00' -> 1237518660). */
static void fn_unix_timestamp(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    if (argc == 0) {
        sqlite3_result_int64(cx, mc_now_ms() / 1000);
        return;
    }
    if (arg_dt(cx, argv[0], "unix_timestamp", &t, NULL))
        return;
    sqlite3_result_int64(cx, floor_div(dt_ms(&t) - SESSION_OFFSET_MS, 1000));
}

/* FROM_UNIXTIME(seconds) -> DATETIME in the session zone
 * (123456789 -> 1973-11-30 05:33:09). */
static void fn_from_unixtime(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t sec = sqlite3_value_int64(argv[0]);
    if (sec > 253402300799LL || sec < -62135596800LL) {
        fail(cx, E_RANGE, "from_unixtime %lld", (long long)sec);
        return;
    }
    dt_from_ms(&t, sec * 1000 + SESSION_OFFSET_MS);
    result_dt(cx, &t, false);
}

/* GETDATE(): the current time in the session zone. */
static void fn_getdate(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc, (void)argv;
    dt_from_ms(&t, mc_now_ms() + SESSION_OFFSET_MS);
    result_dt(cx, &t, false);
}

/* A DATE, DATETIME or TIMESTAMP, or a STRING of one of their layouts (at
 * least yyyy-mm-dd, nothing extra); otherwise sets NULL and returns false,
 * as EXTRACT, DAYOFWEEK and DAYOFYEAR do. */
static bool date_or_null(sqlite3_context *cx, sqlite3_value *v, mc_dt *t)
{
    bool date_only;
    if (sqlite3_value_type(v) == SQLITE_TEXT && dt_parse((const char *)sqlite3_value_text(v), t, &date_only) == 0)
        return true;
    sqlite3_result_null(cx);
    return false;
}

/* DAYOFWEEK(d) -> INT: 1 Sunday .. 7 Saturday (dayofweek('2009-07-30') = 5,
 * alibabacloud.com/help/en/maxcompute/dayofweek); DAYOFYEAR(d) -> INT
 * (dayofyear('2016-04-09') = 100, alibabacloud.com/help/en/maxcompute/dayofyear). */
static void fn_dayofweek(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (date_or_null(cx, argv[0], &t))
        sqlite3_result_int64(cx, (weekday_of(&t) + 1) % 7 + 1);
}

static void fn_dayofyear(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (date_or_null(cx, argv[0], &t))
        sqlite3_result_int64(cx, mc_days_from_civil(t.y, t.mo, t.d) - mc_days_from_civil(t.y, 1, 1) + 1);
}

/* TO_MILLIS(datetime) -> BIGINT: milliseconds since the epoch reading the
 * value in the session zone, sub-millisecond digits dropped
 * (TO_MILLIS(DATETIME '2021-03-31 15:15:00') = 1617174900000,
 * TO_MILLIS(TIMESTAMP '2025-01-11 00:00:00.123456789') = 1736524800123,
 * alibabacloud.com/help/en/maxcompute/user-guide/to-millis). mcdlf cannot
 * tell a TIMESTAMP_NTZ, which the docs read as UTC, from a TIMESTAMP here. */
static void fn_to_millis(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    (void)argc;
    if (arg_dt(cx, argv[0], "to_millis", &t, NULL))
        return;
    sqlite3_result_int64(cx, dt_ms(&t) - SESSION_OFFSET_MS);
}

/* CURRENT_TIMEZONE() -> STRING: the session zone, 'Asia/Shanghai' by default
 * (alibabacloud.com/help/en/maxcompute/user-guide/current-timezone); mcdlf
 * has no odps.sql.timezone, so it is always that. */
static void fn_current_timezone(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    sqlite3_result_text(cx, SESSION_ZONE, -1, SQLITE_STATIC);
}

/* A TIMESTAMP result: t with frac (fraction digits, possibly empty) without
 * its trailing zeros; min_frac keeps one '0' for a zero fraction, as NOW()
 * shows it ("if the milliseconds are 000 the result shows 0",
 * help.aliyun.com/zh/maxcompute/user-guide/now). */
static void result_ts(sqlite3_context *cx, const mc_dt *t, const char *frac, bool min_frac, const char *fn)
{
    if (t->y < 1 || t->y > 9999) {
        fail(cx, E_RANGE, "%s: timestamp out of range: year %lld", fn, (long long)t->y);
        return;
    }
    size_t n = strlen(frac);
    while (n && frac[n - 1] == '0')
        n--;
    if (!n && min_frac)
        frac = "0", n = 1;
    char out[48];
    snprintf(out, sizeof out, "%04lld-%02d-%02d %02d:%02d:%02d%s%.*s", (long long)t->y, t->mo, t->d, t->h, t->mi,
             t->s, n ? "." : "", (int)n, frac);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

/* NOW() -> TIMESTAMP: the current time in the session zone, milliseconds
 * shown without trailing zeros (2025-09-23 14:14:24.969, the NOW page above). */
static void fn_now(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt t;
    char frac[8];
    (void)argc, (void)argv;
    dt_from_ms(&t, mc_now_ms() + SESSION_OFFSET_MS);
    snprintf(frac, sizeof frac, "%03d", t.ms);
    result_ts(cx, &t, frac, true, "now");
}

/* EXTRACT(unit FROM d) -> INT, which the parser turns into extract('unit', d):
 * YEAR, MONTH, DAY, HOUR, MINUTE, SECOND (the docs list "YEAR, MONTH, DAY,
 * HOUR, MINUTE, etc."; SECOND is mcdlf's reading of "etc."). Another or a
 * NULL unit is an error; d is a DATE, DATETIME, TIMESTAMP or a STRING of at
 * least yyyy-mm-dd and nothing extra, else NULL: extract(year from
 * '2019-05-01 11:21:00') = 2019 (help.aliyun.com/zh/maxcompute/user-guide/extract). */
static void fn_extract(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    static const struct {
        const char *name;
        field_kind k;
    } UNITS[] = {{"year", F_YEAR}, {"month", F_MONTH},   {"day", F_DAY},
                 {"hour", F_HOUR}, {"minute", F_MINUTE}, {"second", F_SECOND}};
    (void)argc;
    const char *u = (const char *)sqlite3_value_text(argv[0]);
    size_t i = 0;
    while (u && i < sizeof UNITS / sizeof *UNITS && strcasecmp(UNITS[i].name, u))
        i++;
    if (!u || i == sizeof UNITS / sizeof *UNITS) {
        fail(cx, E_ARGS, "In function extract, '%s' is not one of YEAR, MONTH, DAY, HOUR, MINUTE, SECOND",
             u ? u : "NULL");
        return;
    }
    mc_dt t;
    if (date_or_null(cx, argv[1], &t))
        sqlite3_result_int64(cx, field_of(&t, UNITS[i].k));
}

/* FROM_UTC_TIMESTAMP(x, tz) / TO_UTC_TIMESTAMP(x, tz) -> TIMESTAMP: the UTC
 * wall clock x shown in zone tz, and the tz wall clock x shown in UTC
 * (TO_UTC_TIMESTAMP('2025-03-05 15:30:15', 'Asia/Shanghai') =
 * 2025-03-05 07:30:15, alibabacloud.com/help/doc-detail/3005831.html). An
 * integer x is milliseconds since the epoch, first read in the session zone:
 * FROM_UTC_TIMESTAMP(0, 'Asia/Shanghai') = 1970-01-01 16:00:00 and
 * (1230000, 'Etc/GMT') = 1970-01-01 08:20:30
 * (alibabacloud.com/help/en/maxcompute/user-guide/from-utc-timestamp). A
 * STRING must be yyyy-mm-dd or yyyy-mm-dd hh:mi:ss[.fraction], else NULL;
 * a NULL tz gives NULL. The docs call a NULL x an error (the NULL literal's
 * type); at run time mcdlf gives NULL. The fraction is kept as written
 * (zone offsets are whole seconds); the result shows it without trailing
 * zeros, as the console shows TIMESTAMP (§4.2). */
static void utc_convert(sqlite3_context *cx, sqlite3_value **argv, const char *fn, bool from_utc)
{
    if (any_null(2, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t wall; /* seconds on the input's clock */
    char frac[16] = "";
    int type = sqlite3_value_type(argv[0]);
    if (type == SQLITE_INTEGER) {
        int64_t ms = sqlite3_value_int64(argv[0]);
        if (ms > 253402300799999LL || ms < -62135596800000LL) {
            fail(cx, E_RANGE, "%s %lld", fn, (long long)ms);
            return;
        }
        wall = floor_div(ms + SESSION_OFFSET_MS, 1000);
        snprintf(frac, sizeof frac, "%03d", (int)(ms - floor_div(ms, 1000) * 1000));
    } else if (type == SQLITE_TEXT) {
        mc_dt t;
        bool date_only;
        const char *s = (const char *)sqlite3_value_text(argv[0]);
        if (dt_parse(s, &t, &date_only)) {
            sqlite3_result_null(cx);
            return;
        }
        t.ms = 0;
        wall = dt_ms(&t) / 1000;
        if (strlen(s) > 20)
            snprintf(frac, sizeof frac, "%s", s + 20);
    } else {
        fail(cx, E_ARGS, "In function %s, the first argument must be BIGINT, STRING, DATETIME or TIMESTAMP", fn);
        return;
    }
    const sql_tz *z;
    mc_err err;
    if (sql_tz_find(&z, (const char *)sqlite3_value_text(argv[1]), &err)) {
        if (err.code == MC_ERR_INVALID)
            fail(cx, E_ARGS, "In function %s, %s", fn, err.msg);
        else /* no zone database: a fault of the installation, not of the query */
            sqlite3_result_error(cx, err.msg, -1);
        return;
    }
    wall += from_utc ? sql_tz_utc_offset(z, wall) : -sql_tz_local_offset(z, wall);
    mc_dt t;
    dt_from_ms(&t, wall * 1000);
    result_ts(cx, &t, frac, false, fn);
}

static void fn_from_utc_timestamp(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    utc_convert(cx, argv, "from_utc_timestamp", true);
}

static void fn_to_utc_timestamp(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    utc_convert(cx, argv, "to_utc_timestamp", false);
}

/* MONTHS_BETWEEN(d1, d2): whole months when both are month ends or share the
 * day of month, else months plus the (day + time) difference over 31 days
 * (('1997-02-28 10:30:00', '1996-10-30') = 3.9495967741935485). */
static void fn_months_between(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_dt a, b;
    (void)argc;
    if (any_null(2, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    if (arg_dt(cx, argv[0], "months_between", &a, NULL) || arg_dt(cx, argv[1], "months_between", &b, NULL))
        return;
    double months = (double)((a.y * 12 + a.mo) - (b.y * 12 + b.mo));
    bool a_end = a.d == month_days(a.y, a.mo), b_end = b.d == month_days(b.y, b.mo);
    if ((a_end && b_end) || a.d == b.d) {
        sqlite3_result_double(cx, months);
        return;
    }
    int64_t a_sec = (int64_t)a.d * 86400 + a.h * 3600 + a.mi * 60 + a.s;
    int64_t b_sec = (int64_t)b.d * 86400 + b.h * 3600 + b.mi * 60 + b.s;
    sqlite3_result_double(cx, months + (double)(a_sec - b_sec) / (31.0 * 86400));
}

/* Format items of TO_DATE / TO_CHAR (§6 "General"), matched case-insensitively. */
typedef enum { I_YEAR, I_MONTH, I_DAY, I_HOUR, I_MIN, I_SEC, I_MS, I_NONE } fmt_item;

static fmt_item fmt_item_at(const char *f, int *len)
{
    static const struct {
        const char *text;
        fmt_item item;
    } items[] = {{"yyyy", I_YEAR}, {"mm", I_MONTH}, {"dd", I_DAY}, {"hh", I_HOUR},
                 {"mi", I_MIN},    {"ss", I_SEC},   {"ff3", I_MS}};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        size_t n = strlen(items[i].text);
        if (!strncasecmp(f, items[i].text, n)) {
            *len = (int)n;
            return items[i].item;
        }
    }
    *len = 1;
    return I_NONE;
}

/* TO_DATE(str) -> DATE; TO_DATE(str, fmt) -> DATETIME. The format must hold
 * yyyy exactly once, else NULL; an item repeated after its first use is
 * plain text; literal text must match; input that does not fit gives NULL
 * (current docs: TO_DATE('2025112','yyyymmdd') is NULL). A format naming
 * seconds without minutes (or minutes without hours) is the documented
 * ODPS-0121095 (the 'yyyy-MM-dd HH:mm:ss' mistake, §5.2). */
typedef enum { TD_OK, TD_NULL, TD_SEC_WITHOUT_MIN, TD_MIN_WITHOUT_HOUR } td_result;

/* TO_DATE(str, fmt)'s parse: TD_OK with *t, TD_NULL when the input does not
 * fit the format, or the format's documented error. */
static td_result to_date_parse(const char *s, const char *fmt, mc_dt *t)
{
    bool seen[I_NONE] = {false};
    int years = 0;
    for (const char *f = fmt; *f;) {
        int n;
        fmt_item it = fmt_item_at(f, &n);
        if (it == I_YEAR)
            years++;
        if (it != I_NONE)
            seen[it] = true;
        f += n;
    }
    if (seen[I_SEC] && !seen[I_MIN])
        return TD_SEC_WITHOUT_MIN;
    if (seen[I_MIN] && !seen[I_HOUR])
        return TD_MIN_WITHOUT_HOUR;
    if (years != 1)
        return TD_NULL;
    memset(t, 0, sizeof *t);
    t->mo = t->d = 1;
    bool used[I_NONE] = {false};
    const char *p = s;
    for (const char *f = fmt; *f;) {
        int n;
        fmt_item it = fmt_item_at(f, &n);
        if (it == I_NONE || used[it]) {
            if (strncmp(p, f, (size_t)n))
                return TD_NULL;
            p += n, f += n;
            continue;
        }
        used[it] = true;
        int width = it == I_YEAR ? 4 : it == I_MS ? 3 : 2;
        int v = (int)strnlen(p, (size_t)width) == width ? fixed_num(p, width) : -1;
        if (v < 0)
            return TD_NULL;
        switch (it) {
        case I_YEAR: t->y = v; break;
        case I_MONTH: t->mo = v; break;
        case I_DAY: t->d = v; break;
        case I_HOUR: t->h = v; break;
        case I_MIN: t->mi = v; break;
        case I_SEC: t->s = v; break;
        default: t->ms = v; break;
        }
        p += width, f += n;
    }
    return *p || !dt_valid(t) ? TD_NULL : TD_OK;
}

static void fn_to_date(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_dt t;
    if (argc == 1) {
        if (!date_prefix(argv[0], &t)) {
            sqlite3_result_null(cx);
            return;
        }
        result_dt(cx, &t, true);
        return;
    }
    const char *fmt = (const char *)sqlite3_value_text(argv[1]);
    switch (to_date_parse((const char *)sqlite3_value_text(argv[0]), fmt, &t)) {
    case TD_OK: result_dt(cx, &t, false); return;
    case TD_NULL: sqlite3_result_null(cx); return;
    case TD_SEC_WITHOUT_MIN:
        fail(cx, E_ARGS, "format string has second part, but doesn't have minute part : %s", fmt);
        return;
    case TD_MIN_WITHOUT_HOUR:
        fail(cx, E_ARGS, "format string has minute part, but doesn't have hour part : %s", fmt);
        return;
    }
}

/* ISDATE(str, fmt) -> BOOLEAN: whether TO_DATE(str, fmt) gives a date
 * (§6.1 [DATEFN]); a format TO_DATE refuses is false here. */
static void fn_isdate(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_dt t;
    sqlite3_result_int(cx, to_date_parse((const char *)sqlite3_value_text(argv[0]),
                                         (const char *)sqlite3_value_text(argv[1]), &t) == TD_OK);
}

/* NEXT_DAY(str, week) -> 'yyyy-mm-dd': the first such weekday after the date
 * (NEXT_DAY('2017-08-01','TU') = '2017-08-08', §6.1). The week is named by
 * its first two or three letters or in full, in any case; a string that is
 * not a 'yyyy-mm-dd' date gives NULL as LAST_DAY does. */
static void fn_next_day(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    static const char *const DAYS[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                       "sunday"};
    mc_dt t;
    (void)argc;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || !date_prefix(argv[0], &t)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *w = (const char *)sqlite3_value_text(argv[1]);
    size_t n = strlen(w);
    int want = -1;
    for (int i = 0; i < 7 && want < 0; i++)
        if ((n == 2 || n == 3 || n == strlen(DAYS[i])) && !strncasecmp(DAYS[i], w, n))
            want = i;
    if (want < 0) {
        fail(cx, E_ARGS, "In function next_day, '%s' is not a day of the week", w);
        return;
    }
    int ahead = (want - weekday_of(&t) + 7) % 7;
    int64_t days = mc_days_from_civil(t.y, t.mo, t.d) + (ahead ? ahead : 7);
    mc_civil_from_days(days, &t.y, &t.mo, &t.d);
    result_dt(cx, &t, true);
}

/* TO_CHAR(datetime, fmt): items replaced, other characters copied.
 * TO_CHAR(x): numbers and DECIMAL as text, DOUBLE Java-style (§6.1). A
 * BOOLEAN reaches SQLite as INTEGER 0/1, so TO_CHAR(true) = 'TRUE' needs the
 * translator to call mc_to_char_bool for BOOLEAN arguments (functions.h). */
static void fn_to_char(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    if (argc == 1) {
        mc_buf tmp = MC_BUF_INIT;
        int n;
        const char *s = val_text(argv[0], &tmp, &n);
        sqlite3_result_text(cx, s, n, SQLITE_TRANSIENT);
        mc_buf_free(&tmp);
        return;
    }
    mc_dt t;
    if (arg_dt(cx, argv[0], "to_char", &t, NULL))
        return;
    mc_buf out = MC_BUF_INIT;
    for (const char *f = (const char *)sqlite3_value_text(argv[1]); *f;) {
        int n;
        switch (fmt_item_at(f, &n)) {
        case I_YEAR: mc_buf_printf(&out, "%04lld", (long long)t.y); break;
        case I_MONTH: mc_buf_printf(&out, "%02d", t.mo); break;
        case I_DAY: mc_buf_printf(&out, "%02d", t.d); break;
        case I_HOUR: mc_buf_printf(&out, "%02d", t.h); break;
        case I_MIN: mc_buf_printf(&out, "%02d", t.mi); break;
        case I_SEC: mc_buf_printf(&out, "%02d", t.s); break;
        case I_MS: mc_buf_printf(&out, "%03d", t.ms); break;
        default: mc_buf_putc(&out, *f); break;
        }
        f += n;
    }
    result_buf(cx, &out);
}

/* DATE_FORMAT(date|datetime|timestamp|string, fmt) -> STRING, as MaxCompute
 * runs it without the Hive-compatible edition (we do not model
 * odps.sql.hive.compatible): yyyy year, MM and mm month, dd day, HH and hh
 * the 24-hour clock, mi minute, ss second, SSS millisecond; other
 * characters are copied (https://www.alibabacloud.com/help/en/maxcompute/
 * user-guide/date-format, "Important": without Hive mode `mm` takes the
 * month and `hh` is 24-hour). A date that is not a DATE/DATETIME/TIMESTAMP
 * value or one of the documented string layouts gives NULL, a NULL format
 * NULL, and a NULL date an error (all three documented). YYYY, the
 * week-based year, depends on a week definition the page does not give,
 * so it is refused rather than printed as the calendar year. */
static void fn_date_format(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        fail(cx, E_ARGS, "In function date_format, the date argument is NULL");
        return;
    }
    mc_dt t;
    bool date_only;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
        dt_parse((const char *)sqlite3_value_text(argv[0]), &t, &date_only)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *fmt = (const char *)sqlite3_value_text(argv[1]);
    if (strstr(fmt, "YYYY")) {
        fail(cx, E_ARGS, "In function date_format, YYYY (week-based year) is not supported by mcdlf yet; use yyyy");
        return;
    }
    mc_buf out = MC_BUF_INIT;
    for (const char *f = fmt; *f;) {
        int n;
        if (!strncmp(f, "SSS", 3)) {
            mc_buf_printf(&out, "%03d", t.ms);
            f += 3;
            continue;
        }
        switch (fmt_item_at(f, &n)) {
        case I_YEAR: mc_buf_printf(&out, "%04lld", (long long)t.y); break;
        case I_MONTH: mc_buf_printf(&out, "%02d", t.mo); break;
        case I_DAY: mc_buf_printf(&out, "%02d", t.d); break;
        case I_HOUR: mc_buf_printf(&out, "%02d", t.h); break;
        case I_MIN: mc_buf_printf(&out, "%02d", t.mi); break;
        case I_SEC: mc_buf_printf(&out, "%02d", t.s); break;
        default: mc_buf_append(&out, f, (size_t)n); break;
        }
        f += n;
    }
    result_buf(cx, &out);
}

static void fn_to_char_bool(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        sqlite3_result_null(cx);
    else
        sqlite3_result_text(cx, sqlite3_value_int64(argv[0]) ? "TRUE" : "FALSE", -1, SQLITE_STATIC);
}

/* ---- strings (§6.2) -------------------------------------------------------------- */

#define MAX_STRING (8 * 1024 * 1024) /* STRING limit, §1.2 */

/* CONCAT_WS(sep, a, ...): NULL when any argument is NULL (§6.2, §7 trap 6). */
static void fn_concat_ws(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf out = MC_BUF_INIT, tmp = MC_BUF_INIT;
    int seplen;
    char *sep = mc_strdup(val_text(argv[0], &tmp, &seplen));
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            mc_buf_append(&out, sep, (size_t)seplen);
        int n;
        const char *s = val_text(argv[i], &tmp, &n);
        mc_buf_append(&out, s, (size_t)n);
    }
    free(sep);
    mc_buf_free(&tmp);
    result_buf(cx, &out);
}

/* Character position (1-based) of the nth occurrence of sub in s searching
 * forward from character start (1-based), or backward from character
 * len+start+1 when start < 0; 0 when absent. */
static int64_t find_nth(const char *s, int slen, const char *sub, int sublen, int64_t start, int64_t nth)
{
    int nc;
    int *offs = u8_offsets(s, slen, &nc);
    int64_t found = 0, hits = 0;
    if (start > 0) {
        for (int64_t k = start - 1; k <= nc; k++)
            if (offs[k] + sublen <= slen && !memcmp(s + offs[k], sub, (size_t)sublen) && ++hits == nth) {
                found = k + 1;
                break;
            }
    } else if (start < 0) {
        for (int64_t k = nc + start; k >= 0; k--)
            if (offs[k] + sublen <= slen && !memcmp(s + offs[k], sub, (size_t)sublen) && ++hits == nth) {
                found = k + 1;
                break;
            }
    }
    free(offs);
    return found;
}

/* INSTR(s, sub[, start[, nth]]): INSTR('abc','') = 1. */
static void fn_instr(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf t1 = MC_BUF_INIT, t2 = MC_BUF_INIT;
    int n1, n2;
    const char *s = val_text(argv[0], &t1, &n1), *sub = val_text(argv[1], &t2, &n2);
    int64_t start = argc > 2 ? sqlite3_value_int64(argv[2]) : 1;
    int64_t nth = argc > 3 ? sqlite3_value_int64(argv[3]) : 1;
    if (nth < 1)
        fail(cx, E_RANGE, "instr occurrence %lld must be positive", (long long)nth);
    else if (start > (int64_t)n1 + 1 || start < -(int64_t)n1 - 1)
        sqlite3_result_int64(cx, 0);
    else
        sqlite3_result_int64(cx, find_nth(s, n1, sub, n2, start, nth));
    mc_buf_free(&t1);
    mc_buf_free(&t2);
}

/* LOCATE(sub, s[, start]). */
static void fn_locate(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf t1 = MC_BUF_INIT, t2 = MC_BUF_INIT;
    int n1, n2;
    const char *sub = val_text(argv[0], &t1, &n1), *s = val_text(argv[1], &t2, &n2);
    int64_t start = argc > 2 ? sqlite3_value_int64(argv[2]) : 1;
    sqlite3_result_int64(cx, start < 1 || start > (int64_t)n2 + 1 ? 0 : find_nth(s, n2, sub, n1, start, 1));
    mc_buf_free(&t1);
    mc_buf_free(&t2);
}

/* LENGTH: characters, -1 for invalid UTF-8; LENGTHB: bytes (§6.2). */
static void fn_length(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT;
    int n;
    const char *s = val_text(argv[0], &tmp, &n);
    sqlite3_result_int64(cx, u8_count(s, n));
    mc_buf_free(&tmp);
}

static void fn_lengthb(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT;
    int n;
    val_text(argv[0], &tmp, &n);
    sqlite3_result_int64(cx, n);
    mc_buf_free(&tmp);
}

/* SPLIT_PART(s, sep, start[, end]): parts start..end (1-based, inclusive)
 * joined by sep; '' past the last part; s itself for an empty sep. */
static void fn_split_part(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *sep = (const char *)sqlite3_value_text(argv[1]);
    int slen = sqlite3_value_bytes(argv[0]), seplen = sqlite3_value_bytes(argv[1]);
    int64_t start = sqlite3_value_int64(argv[2]);
    int64_t end = argc > 3 ? sqlite3_value_int64(argv[3]) : start;
    if (start < 1 || end < 1) {
        fail(cx, E_RANGE, "split_part start %lld and end %lld must be positive", (long long)start, (long long)end);
        return;
    }
    if (seplen == 0) {
        sqlite3_result_text(cx, s, slen, SQLITE_TRANSIENT);
        return;
    }
    /* Byte ranges of the parts start..end. */
    int64_t part = 1;
    int from = -1, to = slen, pos = 0;
    if (start == 1)
        from = 0;
    while (pos <= slen) {
        const char *hit = seplen <= slen - pos ? memmem(s + pos, (size_t)(slen - pos), sep, (size_t)seplen) : NULL;
        if (!hit)
            break;
        int at = (int)(hit - s);
        if (part == end) {
            to = at;
            break;
        }
        part++;
        pos = at + seplen;
        if (part == start)
            from = pos;
    }
    if (from < 0 || end < start)
        sqlite3_result_text(cx, "", 0, SQLITE_STATIC);
    else
        sqlite3_result_text(cx, s + from, to - from, SQLITE_TRANSIENT);
}

/* LPAD/RPAD(a, len, pad): characters; len below length(a) keeps the first
 * len characters; an empty pad that would be needed gives NULL. */
static void pad(sqlite3_context *cx, sqlite3_value **argv, bool left)
{
    if (any_null(3, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *p = (const char *)sqlite3_value_text(argv[2]);
    int slen = sqlite3_value_bytes(argv[0]), plen = sqlite3_value_bytes(argv[2]);
    int64_t len = sqlite3_value_int64(argv[1]);
    if (len < 0 || len > MAX_STRING) {
        sqlite3_result_null(cx);
        return;
    }
    int sn, pn;
    int *so = u8_offsets(s, slen, &sn), *po = u8_offsets(p, plen, &pn);
    mc_buf out = MC_BUF_INIT;
    if (len <= sn) {
        mc_buf_append(&out, s, (size_t)so[len]);
    } else if (pn == 0) {
        free(so), free(po);
        sqlite3_result_null(cx);
        return;
    } else {
        if (!left)
            mc_buf_append(&out, s, (size_t)slen);
        for (int64_t k = 0; k < len - sn; k++) {
            int c = (int)(k % pn);
            mc_buf_append(&out, p + po[c], (size_t)(po[c + 1] - po[c]));
        }
        if (left)
            mc_buf_append(&out, s, (size_t)slen);
    }
    free(so), free(po);
    result_buf(cx, &out);
}

static void fn_lpad(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    pad(cx, argv, true);
}

static void fn_rpad(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    pad(cx, argv, false);
}

static void fn_reverse(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT, out = MC_BUF_INIT;
    int n, nc;
    const char *s = val_text(argv[0], &tmp, &n);
    int *o = u8_offsets(s, n, &nc);
    for (int k = nc - 1; k >= 0; k--)
        mc_buf_append(&out, s + o[k], (size_t)(o[k + 1] - o[k]));
    free(o);
    mc_buf_free(&tmp);
    result_buf(cx, &out);
}

/* REPEAT(s, n): '' for n <= 0. */
static void fn_repeat(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT, out = MC_BUF_INIT;
    int n;
    const char *s = val_text(argv[0], &tmp, &n);
    int64_t times = sqlite3_value_int64(argv[1]);
    if (times > 0 && n > 0 && times > MAX_STRING / n) {
        fail(cx, E_RANGE, "repeat result exceeds %d bytes", MAX_STRING);
    } else {
        for (int64_t i = 0; i < times; i++)
            mc_buf_append(&out, s, (size_t)n);
        sqlite3_result_text(cx, mc_buf_cstr(&out), (int)out.len, SQLITE_TRANSIENT);
    }
    mc_buf_free(&out);
    mc_buf_free(&tmp);
}

/* SPACE(n) -> STRING of n spaces (§6.2); n <= 0 gives ''. */
static void fn_space(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t n = sqlite3_value_int64(argv[0]);
    if (n > MAX_STRING) {
        fail(cx, E_RANGE, "space result exceeds %d bytes", MAX_STRING);
        return;
    }
    mc_buf out = MC_BUF_INIT;
    for (int64_t i = 0; i < n; i++)
        mc_buf_putc(&out, ' ');
    sqlite3_result_text(cx, mc_buf_cstr(&out), (int)out.len, SQLITE_TRANSIENT);
    mc_buf_free(&out);
}

/* ASCII(s): code of the first byte, 0 for ''. */
static void fn_ascii(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT;
    const char *s = val_text(argv[0], &tmp, NULL);
    sqlite3_result_int64(cx, (unsigned char)s[0]);
    mc_buf_free(&tmp);
}

/* CHR(n): the ASCII character n, 0..128; else out of range. */
static void fn_chr(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t n = sqlite3_value_int64(argv[0]);
    if (n < 0 || n > 128) {
        fail(cx, E_RANGE, "chr(%lld): the value must be in [0, 128]", (long long)n);
        return;
    }
    char c[3];
    int len = 1;
    if (n == 128)
        c[0] = (char)0xC2, c[1] = (char)0x80, len = 2;
    else
        c[0] = (char)n;
    sqlite3_result_text(cx, c, len, SQLITE_TRANSIENT);
}

/* INITCAP: each word's first letter upper case, the rest lower (ASCII). */
static void fn_initcap(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    char *s = mc_strdup((const char *)sqlite3_value_text(argv[0]));
    bool word_start = true;
    for (char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            word_start = true;
            continue;
        }
        if (c < 0x80)
            *p = (char)(word_start ? toupper(c) : tolower(c));
        word_start = false;
    }
    sqlite3_result_text(cx, s, -1, free);
}

/* SOUNDEX(s) -> STRING: the American Soundex code (§6.2 "as documented";
 * soundex('hello') = 'H400', alibabacloud.com/help/en/maxcompute/user-guide/soundex),
 * computed as Hive's, which is Apache commons-codec's Soundex: letters only
 * (others dropped), upper case; the first letter kept, then the digits of
 * the following letters, vowels (0) not written but separating repeats,
 * H and W skipped entirely, padded with 0 to four characters; '' when s has
 * no letter. */
static void fn_soundex(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    static const char MAP[] = "01230120022455012623010202"; /* A..Z */
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    const unsigned char *s = sqlite3_value_text(argv[0]);
    char out[5] = "0000";
    int n = 0;
    char last = 0;
    for (; *s && n < 4; s++) {
        int c = *s < 0x80 ? toupper(*s) : 0;
        if (c < 'A' || c > 'Z')
            continue;
        char digit = MAP[c - 'A'];
        if (n == 0) {
            out[n++] = (char)c;
        } else {
            if (c == 'H' || c == 'W')
                continue;
            if (digit != '0' && digit != last)
                out[n++] = digit;
        }
        last = digit;
    }
    sqlite3_result_text(cx, n ? out : "", -1, SQLITE_TRANSIENT);
}

/* UUID() -> STRING: a random (version 4) UUID in its 36-character text form
 * (§6.6; "29347a88-1e57-41ae-bb68-a9edbdd94212",
 * alibabacloud.com/help/en/maxcompute/user-guide/uuid). */
static void fn_uuid(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    unsigned char b[16];
    (void)argc, (void)argv;
    if (RAND_bytes(b, sizeof b) != 1) {
        sqlite3_result_error(cx, "uuid: no random bytes available", -1);
        return;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    mc_buf out = MC_BUF_INIT;
    for (int i = 0; i < 16; i++)
        mc_buf_printf(&out, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", b[i]);
    result_buf(cx, &out);
}


/* SUBSTRING_INDEX(s, delim, n): MySQL semantics. */
static void fn_substring_index(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *d = (const char *)sqlite3_value_text(argv[1]);
    int slen = sqlite3_value_bytes(argv[0]), dlen = sqlite3_value_bytes(argv[1]);
    int64_t n = sqlite3_value_int64(argv[2]);
    if (n == 0 || dlen == 0) {
        sqlite3_result_text(cx, "", 0, SQLITE_STATIC);
        return;
    }
    if (n > 0) {
        int pos = 0;
        for (int64_t k = 0;; k++) {
            const char *hit = dlen <= slen - pos ? memmem(s + pos, (size_t)(slen - pos), d, (size_t)dlen) : NULL;
            if (!hit)
                break;
            if (k + 1 == n) {
                sqlite3_result_text(cx, s, (int)(hit - s), SQLITE_TRANSIENT);
                return;
            }
            pos = (int)(hit - s) + dlen;
        }
    } else {
        int64_t k = 0;
        for (int at = slen - dlen; at >= 0; at--)
            if (!memcmp(s + at, d, (size_t)dlen) && ++k == -n) {
                sqlite3_result_text(cx, s + at + dlen, slen - at - dlen, SQLITE_TRANSIENT);
                return;
            }
    }
    sqlite3_result_text(cx, s, slen, SQLITE_TRANSIENT);
}

/* TRANSLATE(s, from, to): character k of from becomes character k of to;
 * from characters beyond to's length are deleted. */
static void fn_translate(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *f = (const char *)sqlite3_value_text(argv[1]);
    const char *t = (const char *)sqlite3_value_text(argv[2]);
    int sn, fn, tn;
    int *so = u8_offsets(s, sqlite3_value_bytes(argv[0]), &sn);
    int *fo = u8_offsets(f, sqlite3_value_bytes(argv[1]), &fn);
    int *to = u8_offsets(t, sqlite3_value_bytes(argv[2]), &tn);
    mc_buf out = MC_BUF_INIT;
    for (int k = 0; k < sn; k++) {
        int clen = so[k + 1] - so[k];
        int hit = -1;
        for (int j = 0; j < fn && hit < 0; j++)
            if (fo[j + 1] - fo[j] == clen && !memcmp(f + fo[j], s + so[k], (size_t)clen))
                hit = j;
        if (hit < 0)
            mc_buf_append(&out, s + so[k], (size_t)clen);
        else if (hit < tn)
            mc_buf_append(&out, t + to[hit], (size_t)(to[hit + 1] - to[hit]));
    }
    free(so), free(fo), free(to);
    result_buf(cx, &out);
}

/* KEYVALUE(s, [split1, split2,] key): the value of key in 'k1:v1;k2:v2'
 * (defaults ';' and ':'); NULL when absent. */
static void fn_keyvalue(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (argc == 3) {
        fail(cx, "ODPS-0121075:Invalid number of arguments", "keyvalue takes 2 or 4 arguments");
        return;
    }
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *s1 = argc == 4 ? (const char *)sqlite3_value_text(argv[1]) : ";";
    const char *s2 = argc == 4 ? (const char *)sqlite3_value_text(argv[2]) : ":";
    const char *key = (const char *)sqlite3_value_text(argv[argc - 1]);
    size_t l1 = strlen(s1), l2 = strlen(s2), kl = strlen(key);
    if (!l1 || !l2) {
        sqlite3_result_null(cx);
        return;
    }
    for (const char *p = s;;) {
        const char *e = strstr(p, s1);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *kv_sep = NULL;
        for (size_t i = 0; i + l2 <= n && !kv_sep; i++)
            if (!memcmp(p + i, s2, l2))
                kv_sep = p + i;
        if (kv_sep && (size_t)(kv_sep - p) == kl && !memcmp(p, key, kl)) {
            sqlite3_result_text(cx, kv_sep + l2, (int)(n - kl - l2), SQLITE_TRANSIENT);
            return;
        }
        if (!e)
            break;
        p = e + l1;
    }
    sqlite3_result_null(cx);
}

static void hex_lower(mc_buf *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mc_buf_printf(out, "%02x", p[i]);
}

static void digest(sqlite3_context *cx, sqlite3_value *v, const EVP_MD *md)
{
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT, out = MC_BUF_INIT;
    int n = 0;
    const char *s = sqlite3_value_type(v) == SQLITE_BLOB ? sqlite3_value_blob(v) : val_text(v, &tmp, &n);
    if (sqlite3_value_type(v) == SQLITE_BLOB)
        n = sqlite3_value_bytes(v);
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    EVP_Digest(s ? s : "", (size_t)n, h, &hl, md, NULL);
    hex_lower(&out, h, hl);
    mc_buf_free(&tmp);
    result_buf(cx, &out);
}

static void fn_md5(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    digest(cx, argv[0], EVP_md5());
}

static void fn_sha1(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    digest(cx, argv[0], EVP_sha1());
}

/* SHA2(s, bits): 224, 256 (also 0), 384, 512; other lengths give NULL. */
static void fn_sha2(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t bits = sqlite3_value_int64(argv[1]);
    const EVP_MD *md = bits == 224               ? EVP_sha224()
                       : bits == 256 || bits == 0 ? EVP_sha256()
                       : bits == 384              ? EVP_sha384()
                       : bits == 512              ? EVP_sha512()
                                                  : NULL;
    if (!md)
        sqlite3_result_null(cx);
    else
        digest(cx, argv[0], md);
}

static void fn_base64(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    int n = sqlite3_value_bytes(argv[0]);
    const unsigned char *p = sqlite3_value_blob(argv[0]);
    unsigned char *out = mc_malloc((size_t)(n + 2) / 3 * 4 + 1);
    int len = n ? EVP_EncodeBlock(out, p, n) : 0;
    sqlite3_result_text(cx, (char *)out, len, SQLITE_TRANSIENT);
    free(out);
}

/* UNBASE64(s) -> BINARY; NULL when s is not base64. */
static void fn_unbase64(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    const unsigned char *s = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    if (n % 4) {
        sqlite3_result_null(cx);
        return;
    }
    unsigned char *out = mc_malloc((size_t)n / 4 * 3 + 1);
    int len = n ? EVP_DecodeBlock(out, s, n) : 0;
    if (len < 0) {
        free(out);
        sqlite3_result_null(cx);
        return;
    }
    for (int i = n - 1; i >= 0 && s[i] == '='; i--)
        len--;
    sqlite3_result_blob(cx, out, len, SQLITE_TRANSIENT);
    free(out);
}

/* URL_ENCODE(s[, charset]): Java URLEncoder (UTF-8): letters, digits and
 * ".-*_" stay, space becomes '+', everything else %XX. */
static void fn_url_encode(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const unsigned char *s = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    mc_buf out = MC_BUF_INIT;
    for (int i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (isalnum(c) || c == '.' || c == '-' || c == '*' || c == '_')
            mc_buf_putc(&out, (char)c);
        else if (c == ' ')
            mc_buf_putc(&out, '+');
        else
            mc_buf_printf(&out, "%%%02X", c);
    }
    result_buf(cx, &out);
}

/* URL_DECODE(s[, charset]): Java URLDecoder; a malformed escape is an error. */
static void fn_url_decode(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    mc_buf out = MC_BUF_INIT;
    if (mc_url_decode(&out, s, (size_t)sqlite3_value_bytes(argv[0]), true)) {
        mc_buf_free(&out);
        fail(cx, E_ARGS, "url_decode: malformed escape in '%s'", s);
        return;
    }
    result_buf(cx, &out);
}

/* GET_JSON_OBJECT(json, path): $ root, .key, [n], [*]. Strings come back
 * unquoted, objects and arrays as compact JSON, a [*] step collects its
 * matches into an array; invalid JSON, a bad path or no match gives NULL. */
static void json_step(json_t *node, const char *path, json_t *acc)
{
    if (!node)
        return;
    if (!*path) {
        json_array_append(acc, node);
        return;
    }
    if (*path == '.') {
        const char *e = path + 1;
        while (*e && *e != '.' && *e != '[')
            e++;
        if (e == path + 1 || !json_is_object(node))
            return;
        char *key = mc_strndup(path + 1, (size_t)(e - path - 1));
        json_t *child = json_object_get(node, key);
        free(key);
        json_step(child, e, acc);
        return;
    }
    if (*path == '[') {
        const char *e = strchr(path, ']');
        if (!e || !json_is_array(node))
            return;
        if (e == path + 2 && path[1] == '*') {
            size_t i;
            json_t *v;
            json_array_foreach(node, i, v) json_step(v, e + 1, acc);
            return;
        }
        char *end;
        long idx = strtol(path + 1, &end, 10);
        if (end != e || e == path + 1 || idx < 0)
            return;
        json_step(json_array_get(node, (size_t)idx), e + 1, acc);
    }
}

static void json_result(sqlite3_context *cx, json_t *v)
{
    if (json_is_string(v)) {
        sqlite3_result_text(cx, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
    } else if (json_is_integer(v)) {
        char n[32];
        snprintf(n, sizeof n, "%lld", (long long)json_integer_value(v));
        sqlite3_result_text(cx, n, -1, SQLITE_TRANSIENT);
    } else if (json_is_real(v)) {
        mc_buf b = MC_BUF_INIT;
        mc_java_double_text(&b, json_real_value(v), false);
        result_buf(cx, &b);
    } else if (json_is_null(v)) {
        sqlite3_result_null(cx);
    } else {
        char *t = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        sqlite3_result_text(cx, t ? t : "", -1, SQLITE_TRANSIENT);
        free(t);
    }
}

static void fn_get_json_object(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *path = (const char *)sqlite3_value_text(argv[1]);
    json_t *root = json_loads((const char *)sqlite3_value_text(argv[0]), JSON_DECODE_ANY, NULL);
    if (!root || path[0] != '$') {
        json_decref(root);
        sqlite3_result_null(cx);
        return;
    }
    json_t *acc = json_array();
    json_step(root, path + 1, acc);
    if (json_array_size(acc) == 0)
        sqlite3_result_null(cx);
    else if (strstr(path, "[*]"))
        json_result(cx, acc);
    else
        json_result(cx, json_array_get(acc, 0));
    json_decref(acc);
    json_decref(root);
}

/* ---- regular expressions (§6.2): POSIX extended, plus \d and \D ------------------- */

typedef struct {
    regex_t re;
} mc_regex;

static void regex_free(void *p)
{
    mc_regex *r = p;
    regfree(&r->re);
    free(r);
}

/* Rewrites the Java classes \d and \D, which POSIX lacks, into brackets. */
static char *regex_posix(const char *pat)
{
    mc_buf b = MC_BUF_INIT;
    bool in_bracket = false;
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            char c = p[1];
            if (c == 'd' || c == 'D') {
                mc_buf_puts(&b, in_bracket ? "0-9" : c == 'd' ? "[0-9]" : "[^0-9]");
            } else {
                mc_buf_putc(&b, '\\');
                mc_buf_putc(&b, c);
            }
            p++;
            continue;
        }
        if (!in_bracket && *p == '[') {
            in_bracket = true;
            mc_buf_putc(&b, '[');
            if (p[1] == '^')
                mc_buf_putc(&b, *++p);
            if (p[1] == ']')
                mc_buf_putc(&b, *++p);
            continue;
        }
        if (in_bracket && *p == ']')
            in_bracket = false;
        mc_buf_putc(&b, *p);
    }
    return mc_buf_detach(&b, NULL);
}

/* The compiled pattern of argv[i], cached per statement in SQLite's aux
 * data. *fresh: the caller must hand it back with regex_keep. NULL after
 * setting the error (an empty pattern is an error too, §1.6). */
static mc_regex *regex_get(sqlite3_context *cx, sqlite3_value **argv, int i, bool *fresh)
{
    mc_regex *r = sqlite3_get_auxdata(cx, i);
    *fresh = false;
    if (r)
        return r;
    const char *pat = (const char *)sqlite3_value_text(argv[i]);
    if (!pat || !*pat) {
        fail(cx, E_REGEX, "the pattern is empty");
        return NULL;
    }
    r = mc_calloc(1, sizeof *r);
    char *posix = regex_posix(pat);
    int rc = regcomp(&r->re, posix, REG_EXTENDED);
    free(posix);
    if (rc) {
        char msg[128];
        regerror(rc, &r->re, msg, sizeof msg);
        free(r);
        fail(cx, E_REGEX, "%s: %s", pat, msg);
        return NULL;
    }
    *fresh = true;
    return r;
}

static void regex_keep(sqlite3_context *cx, int i, mc_regex *r, bool fresh)
{
    if (fresh)
        sqlite3_set_auxdata(cx, i, r, regex_free);
}

/* First match at or after byte pos; false when none. */
static bool regex_next(const mc_regex *r, const char *s, int n, int pos, regmatch_t *m, size_t nm)
{
    if (pos > n)
        return false;
    m[0].rm_so = pos;
    m[0].rm_eo = n;
    return regexec(&r->re, s, nm, m, REG_STARTEND | (pos > 0 ? REG_NOTBOL : 0)) == 0;
}

/* Where the search continues after a match: past it, or one character on
 * after an empty one. */
static int regex_after(const char *s, int n, const regmatch_t *m)
{
    if (m[0].rm_eo > m[0].rm_so)
        return (int)m[0].rm_eo;
    int l = u8_seq((const unsigned char *)s + m[0].rm_eo, n - (int)m[0].rm_eo);
    return (int)m[0].rm_eo + (l ? l : 1);
}

/* Byte offset of 1-based character position start; -1 beyond the end. */
static int char_to_byte(const char *s, int n, int64_t start)
{
    int nc;
    int *o = u8_offsets(s, n, &nc);
    int r = start - 1 <= nc ? o[start - 1] : -1;
    free(o);
    return r;
}

static int byte_to_char(const char *s, int off)
{
    int c = u8_count(s, off);
    return c < 0 ? off : c;
}

/* REGEXP_REPLACE(s, pat, rep[, occurrence]): occurrence 0 (default) replaces
 * every match; \1..\9 in rep are groups. */
static void fn_regexp_replace(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    bool fresh;
    mc_regex *r = regex_get(cx, argv, 1, &fresh);
    if (!r)
        return;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *rep = (const char *)sqlite3_value_text(argv[2]);
    int n = sqlite3_value_bytes(argv[0]);
    int64_t occ = argc > 3 ? sqlite3_value_int64(argv[3]) : 0;
    if (occ < 0) {
        regex_keep(cx, 1, r, fresh);
        fail(cx, E_RANGE, "regexp_replace occurrence %lld", (long long)occ);
        return;
    }
    mc_buf out = MC_BUF_INIT;
    regmatch_t m[10];
    int pos = 0, copied = 0;
    for (int64_t k = 1; regex_next(r, s, n, pos, m, 10); k++) {
        if (occ == 0 || k == occ) {
            mc_buf_append(&out, s + copied, (size_t)(m[0].rm_so - copied));
            for (const char *p = rep; *p; p++) {
                if (*p == '\\' && p[1] >= '0' && p[1] <= '9') {
                    int g = *++p - '0';
                    if ((size_t)g <= r->re.re_nsub && m[g].rm_so >= 0)
                        mc_buf_append(&out, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
                } else if (*p == '\\' && p[1]) {
                    mc_buf_putc(&out, *++p);
                } else {
                    mc_buf_putc(&out, *p);
                }
            }
            copied = (int)m[0].rm_eo;
            if (occ)
                break;
        }
        pos = regex_after(s, n, m);
    }
    mc_buf_append(&out, s + copied, (size_t)(n - copied));
    regex_keep(cx, 1, r, fresh);
    result_buf(cx, &out);
}

/* REGEXP_EXTRACT(s, pat[, group]): group 1 by default, 0 the whole match;
 * a pattern without that group is an error; no match gives NULL. */
static void fn_regexp_extract(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    bool fresh;
    mc_regex *r = regex_get(cx, argv, 1, &fresh);
    if (!r)
        return;
    int64_t g = argc > 2 ? sqlite3_value_int64(argv[2]) : 1;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    regmatch_t m[10];
    if (g < 0 || (size_t)g > r->re.re_nsub || g > 9)
        fail(cx, E_RANGE, "regexp_extract group %lld: the pattern has %zu groups", (long long)g, r->re.re_nsub);
    else if (!regex_next(r, s, sqlite3_value_bytes(argv[0]), 0, m, 10) || m[g].rm_so < 0)
        sqlite3_result_null(cx);
    else
        sqlite3_result_text(cx, s + m[g].rm_so, (int)(m[g].rm_eo - m[g].rm_so), SQLITE_TRANSIENT);
    regex_keep(cx, 1, r, fresh);
}

/* The occurrence-th match at or after character start; false when none. */
static bool regex_nth(const mc_regex *r, const char *s, int n, int64_t start, int64_t occ, regmatch_t *m)
{
    int pos = char_to_byte(s, n, start);
    if (pos < 0)
        return false;
    for (int64_t k = 1; regex_next(r, s, n, pos, m, 1); k++) {
        if (k == occ)
            return true;
        pos = regex_after(s, n, m);
    }
    return false;
}

/* REGEXP_INSTR(s, pat[, start[, occurrence[, return_option]]]): character
 * position of the match (option 0) or just after it (1); 0 when none. */
static void fn_regexp_instr(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t start = argc > 2 ? sqlite3_value_int64(argv[2]) : 1;
    int64_t occ = argc > 3 ? sqlite3_value_int64(argv[3]) : 1;
    int64_t opt = argc > 4 ? sqlite3_value_int64(argv[4]) : 0;
    if (start < 1 || occ < 1 || (opt != 0 && opt != 1)) {
        fail(cx, E_RANGE, "regexp_instr start %lld, occurrence %lld, return_option %lld", (long long)start,
             (long long)occ, (long long)opt);
        return;
    }
    bool fresh;
    mc_regex *r = regex_get(cx, argv, 1, &fresh);
    if (!r)
        return;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    regmatch_t m[1];
    if (!regex_nth(r, s, sqlite3_value_bytes(argv[0]), start, occ, m))
        sqlite3_result_int64(cx, 0);
    else
        sqlite3_result_int64(cx, byte_to_char(s, (int)(opt ? m[0].rm_eo : m[0].rm_so)) + 1);
    regex_keep(cx, 1, r, fresh);
}

/* REGEXP_SUBSTR(s, pat[, start[, occurrence]]): NULL when no match. */
static void fn_regexp_substr(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t start = argc > 2 ? sqlite3_value_int64(argv[2]) : 1;
    int64_t occ = argc > 3 ? sqlite3_value_int64(argv[3]) : 1;
    if (start < 1 || occ < 1) {
        fail(cx, E_RANGE, "regexp_substr start %lld, occurrence %lld", (long long)start, (long long)occ);
        return;
    }
    bool fresh;
    mc_regex *r = regex_get(cx, argv, 1, &fresh);
    if (!r)
        return;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    regmatch_t m[1];
    if (!regex_nth(r, s, sqlite3_value_bytes(argv[0]), start, occ, m))
        sqlite3_result_null(cx);
    else
        sqlite3_result_text(cx, s + m[0].rm_so, (int)(m[0].rm_eo - m[0].rm_so), SQLITE_TRANSIENT);
    regex_keep(cx, 1, r, fresh);
}

/* REGEXP_COUNT(s, pat[, start]): 0 when no match. */
static void fn_regexp_count(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t start = argc > 2 ? sqlite3_value_int64(argv[2]) : 1;
    if (start < 1) {
        fail(cx, E_RANGE, "regexp_count start %lld", (long long)start);
        return;
    }
    bool fresh;
    mc_regex *r = regex_get(cx, argv, 1, &fresh);
    if (!r)
        return;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    int pos = char_to_byte(s, n, start);
    int64_t count = 0;
    regmatch_t m[1];
    while (pos >= 0 && regex_next(r, s, n, pos, m, 1)) {
        count++;
        pos = regex_after(s, n, m);
    }
    sqlite3_result_int64(cx, count);
    regex_keep(cx, 1, r, fresh);
}

/* RLIKE(s, pat) -> BOOLEAN: pat matches somewhere in s. */
static void fn_rlike(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    bool fresh;
    mc_regex *r = regex_get(cx, argv, 1, &fresh);
    if (!r)
        return;
    regmatch_t m[1];
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    sqlite3_result_int(cx, regex_next(r, s, sqlite3_value_bytes(argv[0]), 0, m, 1));
    regex_keep(cx, 1, r, fresh);
}

/* ---- math (§6.3) ----------------------------------------------------------------- */

/* A DECIMAL (TEXT) argument's digits: sign, integer digits, fraction digits.
 * false when the text is not a plain decimal number. */
typedef struct {
    bool neg;
    mc_buf digits; /* integer then fraction digits */
    int int_len;
} mc_dec;

static bool dec_parse(const char *s, mc_dec *d)
{
    memset(d, 0, sizeof *d);
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '-' || *s == '+')
        d->neg = *s++ == '-';
    bool any = false, dot = false;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s)) {
            mc_buf_putc(&d->digits, *s);
            if (!dot)
                d->int_len++;
            any = true;
        } else if (*s == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    while (isspace((unsigned char)*s))
        s++;
    if (!any || *s) {
        mc_buf_free(&d->digits);
        return false;
    }
    return true;
}

/* How digits_round_at treats the digits it drops. */
typedef enum { ROUND_DOWN, ROUND_HALF_UP, ROUND_HALF_EVEN } digits_rounding;

/* d[0..len) is a digit string whose first digit is a '0' kept for a carry:
 * keeps its first keep digits (keep >= 1), rounding what it drops by mode
 * (HALF_UP: away from zero at 5; HALF_EVEN: Java's HALF_EVEN). Returns the
 * new length. */
static size_t digits_round_at(char *d, size_t len, size_t keep, digits_rounding mode)
{
    if (keep >= len)
        return len;
    bool rest_zero = true;
    for (size_t i = keep + 1; i < len; i++)
        rest_zero &= d[i] == '0';
    char first = d[keep];
    bool up = mode == ROUND_HALF_UP     ? first >= '5'
              : mode == ROUND_HALF_EVEN ? first > '5' || (first == '5' && (!rest_zero || (d[keep - 1] - '0') % 2))
                                        : false;
    for (size_t i = keep; up && i-- > 0;) {
        up = d[i] == '9';
        d[i] = up ? '0' : (char)(d[i] + 1);
    }
    return keep;
}

/* Rounds (half up, away from zero) or truncates d to scale digits after the
 * point, exactly; negative scale works left of the point. Result text keeps
 * min(scale, input fraction digits) fraction digits. */
static char *dec_round(mc_dec *d, int64_t scale, bool trunc)
{
    int frac_len = (int)d->digits.len - d->int_len;
    if (scale > 38)
        scale = 38;
    if (scale < -38)
        scale = -38;
    int keep = d->int_len + (int)scale; /* digits kept */
    mc_buf num = MC_BUF_INIT;
    mc_buf_putc(&num, '0'); /* room for a carry */
    if (keep >= 0) {
        mc_buf_append(&num, d->digits.data, d->digits.len);
        num.len = digits_round_at(num.data, num.len, (size_t)keep + 1, trunc ? ROUND_DOWN : ROUND_HALF_UP);
        for (int i = keep; i < d->int_len; i++)
            mc_buf_putc(&num, '0');
    } else {
        for (int i = 0; i < d->int_len; i++)
            mc_buf_putc(&num, '0');
    }
    int out_frac = scale < 0 ? 0 : (int)(scale < frac_len ? scale : frac_len);
    int int_digits = (int)num.len - out_frac;
    mc_buf out = MC_BUF_INIT;
    int i = 0;
    while (i < int_digits - 1 && num.data[i] == '0')
        i++;
    bool zero = true;
    for (size_t k = 0; k < num.len; k++)
        if (num.data[k] != '0')
            zero = false;
    if (d->neg && !zero)
        mc_buf_putc(&out, '-');
    mc_buf_append(&out, num.data + i, (size_t)(int_digits - i));
    if (out_frac > 0) {
        mc_buf_putc(&out, '.');
        mc_buf_append(&out, num.data + int_digits, (size_t)out_frac);
    }
    mc_buf_free(&num);
    mc_buf_free(&d->digits);
    return mc_buf_detach(&out, NULL);
}

/* ROUND(x[, d]) and TRUNC(x[, d]): DECIMAL (TEXT) exactly; DOUBLE with the
 * algorithms of §6.3 that reproduce every documented example:
 * ROUND = sign(x) * floor(|x| * 10^d + 0.5) / 10^d (125.315 -> 125.32 but
 * 4.515 -> 4.51), TRUNC = x - fmod(x, 10^-d) (125.815,1 -> 125.80000000000001). */
static void round_trunc(sqlite3_context *cx, int argc, sqlite3_value **argv, bool trunc)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t d = argc > 1 ? sqlite3_value_int64(argv[1]) : 0;
    mc_dec dec;
    if (sqlite3_value_type(argv[0]) == SQLITE_TEXT && dec_parse((const char *)sqlite3_value_text(argv[0]), &dec)) {
        sqlite3_result_text(cx, dec_round(&dec, d, trunc), -1, free);
        return;
    }
    double x = sqlite3_value_double(argv[0]);
    if (!isfinite(x)) {
        sqlite3_result_double(cx, x);
        return;
    }
    if (trunc) {
        double unit = pow(10.0, (double)-d);
        sqlite3_result_double(cx, x - fmod(x, unit));
        return;
    }
    double p = pow(10.0, (double)d);
    double r = floor(fabs(x) * p + 0.5) / p;
    sqlite3_result_double(cx, x < 0 ? -r : r);
}

static void fn_round(sqlite3_context *cx, int argc, sqlite3_value **argv) { round_trunc(cx, argc, argv, false); }
static void fn_trunc(sqlite3_context *cx, int argc, sqlite3_value **argv) { round_trunc(cx, argc, argv, true); }

/* CEIL / FLOOR -> BIGINT. */
static void ceil_floor(sqlite3_context *cx, sqlite3_value *v, bool up)
{
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    if (sqlite3_value_type(v) == SQLITE_INTEGER) {
        sqlite3_result_int64(cx, sqlite3_value_int64(v));
        return;
    }
    double x = up ? ceil(sqlite3_value_double(v)) : floor(sqlite3_value_double(v));
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) {
        fail(cx, E_RANGE, "%s of %g does not fit BIGINT", up ? "ceil" : "floor", x);
        return;
    }
    sqlite3_result_int64(cx, (int64_t)x);
}

static void fn_ceil(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    ceil_floor(cx, argv[0], true);
}

static void fn_floor(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    ceil_floor(cx, argv[0], false);
}

/* One-argument DOUBLE functions. domain: 0 any, 1 x >= 0 (SQRT), 2 x > 0
 * (LN, LOG2, LOG10); outside it is an error (§6.3). */
typedef struct {
    const char *name;
    double (*f)(double);
    int domain;
} math1;

static double cot(double x) { return 1.0 / tan(x); }
static double radians(double x) { return x * (M_PI / 180.0); }
static double degrees(double x) { return x * (180.0 / M_PI); }
static double sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }

static const math1 MATH1[] = {
    {"sqrt", sqrt, 1},  {"exp", exp, 0},   {"ln", log, 2},     {"log2", log2, 2},   {"log10", log10, 2},
    {"sin", sin, 0},    {"cos", cos, 0},   {"tan", tan, 0},    {"asin", asin, 0},   {"acos", acos, 0},
    {"atan", atan, 0},  {"cot", cot, 0},   {"sinh", sinh, 0},  {"cosh", cosh, 0},   {"tanh", tanh, 0},
    {"cbrt", cbrt, 0},  {"sign", sign, 0}, {"radians", radians, 0}, {"degrees", degrees, 0},
};

static void fn_math1(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const math1 *m = sqlite3_user_data(cx);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    double x = sqlite3_value_double(argv[0]);
    if ((m->domain == 1 && x < 0) || (m->domain == 2 && x <= 0)) {
        mc_buf t = MC_BUF_INIT;
        mc_java_double_text(&t, x, false);
        fail(cx, E_RANGE, "%s(%s)", m->name, mc_buf_cstr(&t));
        mc_buf_free(&t);
        return;
    }
    sqlite3_result_double(cx, m->f(x));
}

static void fn_pow(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv))
        sqlite3_result_null(cx);
    else
        sqlite3_result_double(cx, pow(sqlite3_value_double(argv[0]), sqlite3_value_double(argv[1])));
}

/* LOG(base, x): both must be positive. */
static void fn_log(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    double b = sqlite3_value_double(argv[0]), x = sqlite3_value_double(argv[1]);
    if (b <= 0 || x <= 0) {
        mc_buf t = MC_BUF_INIT;
        mc_java_double_text(&t, b, false);
        mc_buf_puts(&t, ", ");
        mc_java_double_text(&t, x, false);
        fail(cx, E_RANGE, "log(%s)", mc_buf_cstr(&t));
        mc_buf_free(&t);
        return;
    }
    sqlite3_result_double(cx, log(x) / log(b));
}

static void fn_e(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    sqlite3_result_double(cx, M_E);
}

static void fn_pi(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    sqlite3_result_double(cx, M_PI);
}

/* SHIFTLEFT / SHIFTRIGHT / SHIFTRIGHTUNSIGNED(a, b) (§6.3): Java's <<, >>
 * and >>> on a BIGINT; as in Java the shift count is taken modulo 64.
 * kind: 0 left, 1 arithmetic right, 2 logical right. */
static void shift(sqlite3_context *cx, sqlite3_value **argv, int kind)
{
    if (any_null(2, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    uint64_t a = (uint64_t)sqlite3_value_int64(argv[0]);
    unsigned b = (unsigned)(sqlite3_value_int64(argv[1]) & 63);
    switch (kind) {
    case 0: sqlite3_result_int64(cx, (int64_t)(a << b)); return;
    case 1: {
        /* Arithmetic shift spelled out: >> of a negative value is implementation-defined in C. */
        uint64_t r = a >> b;
        if (b && (a >> 63))
            r |= ~(~UINT64_C(0) >> b);
        sqlite3_result_int64(cx, (int64_t)r);
        return;
    }
    default: sqlite3_result_int64(cx, (int64_t)(a >> b)); return;
    }
}

static void fn_shiftleft(sqlite3_context *cx, int argc, sqlite3_value **argv) { (void)argc, shift(cx, argv, 0); }
static void fn_shiftright(sqlite3_context *cx, int argc, sqlite3_value **argv) { (void)argc, shift(cx, argv, 1); }
static void fn_shiftrightunsigned(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc, shift(cx, argv, 2);
}

/* WIDTH_BUCKET(x, min, max, n) = FLOOR(n * (x - min) / (max - min) + 1),
 * 0 below min and n + 1 from max up (§6.3); n must be positive and min and
 * max differ. */
static void fn_width_bucket(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (any_null(4, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    double x = sqlite3_value_double(argv[0]), lo = sqlite3_value_double(argv[1]), hi = sqlite3_value_double(argv[2]);
    int64_t n = sqlite3_value_int64(argv[3]);
    if (n <= 0) {
        fail(cx, E_ARGS, "In function width_bucket, the number of buckets must be positive, but got %lld",
             (long long)n);
        return;
    }
    if (lo == hi) {
        fail(cx, E_ARGS, "In function width_bucket, min and max must differ");
        return;
    }
    bool up = lo < hi;
    if (up ? x < lo : x > lo) {
        sqlite3_result_int64(cx, 0);
        return;
    }
    if (up ? x >= hi : x <= hi) {
        sqlite3_result_int64(cx, n + 1);
        return;
    }
    sqlite3_result_int64(cx, (int64_t)floor((double)n * (x - lo) / (hi - lo) + 1));
}

/* FACTORIAL(n): 0..20, else NULL (§6.3). */
static void fn_factorial(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int64_t n = sqlite3_value_int64(argv[0]);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || n < 0 || n > 20) {
        sqlite3_result_null(cx);
        return;
    }
    int64_t r = 1;
    for (int64_t i = 2; i <= n; i++)
        r *= i;
    sqlite3_result_int64(cx, r);
}

static void to_base(mc_buf *out, uint64_t v, int base, bool upper)
{
    const char *dig = upper ? "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "0123456789abcdefghijklmnopqrstuvwxyz";
    char tmp[72];
    int n = 0;
    do {
        tmp[n++] = dig[v % (uint64_t)base];
        v /= (uint64_t)base;
    } while (v);
    while (n)
        mc_buf_putc(out, tmp[--n]);
}

/* CONV(s, from, to): bases 2..36, lower-case digits (CONV('1100',2,16) = 'c');
 * a negative number is read as its 64-bit two's complement; NULL for an
 * invalid base or digit. */
static void fn_conv(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT;
    const char *s = val_text(argv[0], &tmp, NULL);
    int64_t from = sqlite3_value_int64(argv[1]), to = sqlite3_value_int64(argv[2]);
    bool neg = *s == '-';
    if (neg)
        s++;
    uint64_t v = 0;
    bool ok = from >= 2 && from <= 36 && to >= 2 && to <= 36 && *s;
    for (; ok && *s; s++) {
        int c = tolower((unsigned char)*s);
        int dv = isdigit(c) ? c - '0' : isalpha(c) ? c - 'a' + 10 : 99;
        if (dv >= from)
            ok = false;
        else
            v = v * (uint64_t)from + (uint64_t)dv;
    }
    mc_buf_free(&tmp);
    if (!ok) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf out = MC_BUF_INIT;
    to_base(&out, neg ? (uint64_t)0 - v : v, (int)to, false);
    result_buf(cx, &out);
}

/* BIN(n): binary digits of the BIGINT (two's complement when negative). */
static void fn_bin(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf out = MC_BUF_INIT;
    to_base(&out, (uint64_t)sqlite3_value_int64(argv[0]), 2, false);
    result_buf(cx, &out);
}

/* HEX(x): an integer's digits in base 16, a string's or binary's bytes. */
static void fn_hex(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int t = sqlite3_value_type(argv[0]);
    if (t == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf out = MC_BUF_INIT;
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        to_base(&out, (uint64_t)sqlite3_value_int64(argv[0]), 16, true);
    } else {
        const unsigned char *p = sqlite3_value_blob(argv[0]);
        int n = sqlite3_value_bytes(argv[0]);
        for (int i = 0; i < n; i++)
            mc_buf_printf(&out, "%02X", p[i]);
    }
    result_buf(cx, &out);
}

/* UNHEX(s) -> BINARY; NULL for a non-hex digit. An odd length gets a
 * leading 0 (as X'..' literals do, §1.2). */
static void fn_unhex(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    unsigned char *out = mc_malloc((size_t)n / 2 + 2);
    int len = 0, hi = n % 2 ? 0 : -1;
    for (int i = 0; i < n; i++) {
        int c = tolower((unsigned char)s[i]);
        int v = isdigit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) {
            free(out);
            sqlite3_result_null(cx);
            return;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[len++] = (unsigned char)(hi * 16 + v);
            hi = -1;
        }
    }
    sqlite3_result_blob(cx, out, len, SQLITE_TRANSIENT);
    free(out);
}

/* MOD(a, b): the sign follows a (Java %); NULL when b is 0. */
static void fn_mod(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER && sqlite3_value_type(argv[1]) == SQLITE_INTEGER) {
        int64_t a = sqlite3_value_int64(argv[0]), b = sqlite3_value_int64(argv[1]);
        if (b == 0)
            sqlite3_result_null(cx);
        else
            sqlite3_result_int64(cx, b == -1 ? 0 : a % b);
        return;
    }
    double b = sqlite3_value_double(argv[1]);
    if (b == 0)
        sqlite3_result_null(cx);
    else
        sqlite3_result_double(cx, fmod(sqlite3_value_double(argv[0]), b));
}

/* RAND([seed]): a DOUBLE in [0, 1). With a seed the sequence is Java's
 * java.util.Random(seed).nextDouble(), continued across the rows of a
 * statement. */
#define JR_MUL 0x5DEECE66DULL
#define JR_MASK ((1ULL << 48) - 1)

static int jr_next(uint64_t *st, int bits)
{
    *st = (*st * JR_MUL + 0xBULL) & JR_MASK;
    return (int)(int32_t)(uint32_t)(*st >> (48 - bits));
}

static void fn_rand(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (argc == 0 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        uint64_t r;
        sqlite3_randomness(sizeof r, &r);
        sqlite3_result_double(cx, (double)(r >> 11) * 0x1.0p-53);
        return;
    }
    uint64_t *st = sqlite3_get_auxdata(cx, 0);
    bool fresh = !st;
    if (fresh) {
        st = mc_malloc(sizeof *st);
        *st = ((uint64_t)sqlite3_value_int64(argv[0]) ^ JR_MUL) & JR_MASK;
    }
    uint64_t hi = (uint64_t)(uint32_t)jr_next(st, 26), lo = (uint64_t)(uint32_t)jr_next(st, 27);
    sqlite3_result_double(cx, (double)((hi << 27) + lo) * 0x1.0p-53);
    if (fresh)
        sqlite3_set_auxdata(cx, 0, st, free);
}

/* ---- conditional (§6.6) and value comparison --------------------------------------- */

/* Orders two non-NULL values: numbers by value, then text by bytes;
 * numbers sort before text (SQLite's storage-class order). */
static int val_cmp(sqlite3_value *a, sqlite3_value *b)
{
    int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
    bool na = ta == SQLITE_INTEGER || ta == SQLITE_FLOAT, nb = tb == SQLITE_INTEGER || tb == SQLITE_FLOAT;
    if (na && nb) {
        if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
            int64_t x = sqlite3_value_int64(a), y = sqlite3_value_int64(b);
            return x < y ? -1 : x > y;
        }
        double x = sqlite3_value_double(a), y = sqlite3_value_double(b);
        return x < y ? -1 : x > y;
    }
    if (na != nb)
        return na ? -1 : 1;
    int la = sqlite3_value_bytes(a), lb = sqlite3_value_bytes(b);
    const void *pa = sqlite3_value_blob(a), *pb = sqlite3_value_blob(b);
    int c = memcmp(pa ? pa : "", pb ? pb : "", (size_t)(la < lb ? la : lb));
    return c ? c : la < lb ? -1 : la > lb;
}

/* DECODE(expr, s1, r1, ..., [default]): first match wins, NULL matches
 * NULL (§1.6); no match and no default gives NULL. */
static void fn_decode(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    bool enull = sqlite3_value_type(argv[0]) == SQLITE_NULL;
    int i = 1;
    for (; i + 1 < argc; i += 2) {
        bool snull = sqlite3_value_type(argv[i]) == SQLITE_NULL;
        if (enull || snull ? enull && snull : val_cmp(argv[0], argv[i]) == 0) {
            sqlite3_result_value(cx, argv[i + 1]);
            return;
        }
    }
    if (i < argc)
        sqlite3_result_value(cx, argv[i]);
    else
        sqlite3_result_null(cx);
}

/* GREATEST / LEAST: NULL counts as the smallest value (normal mode, §1.6). */
static void extreme(sqlite3_context *cx, int argc, sqlite3_value **argv, int want)
{
    sqlite3_value *best = NULL;
    for (int i = 0; i < argc; i++) {
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            if (want < 0) {
                sqlite3_result_null(cx);
                return;
            }
            continue;
        }
        if (!best || val_cmp(argv[i], best) * want > 0)
            best = argv[i];
    }
    if (best)
        sqlite3_result_value(cx, best);
    else
        sqlite3_result_null(cx);
}

static void fn_greatest(sqlite3_context *cx, int argc, sqlite3_value **argv) { extreme(cx, argc, argv, 1); }
static void fn_least(sqlite3_context *cx, int argc, sqlite3_value **argv) { extreme(cx, argc, argv, -1); }

/* SUBSTR(str, start[, len]) / SUBSTRING, in characters (§6.2 and the
 * current SUBSTR page): start 1 is the first character, negative starts
 * count from the end; start 0, a start before the beginning, and len <= 0
 * all give ''. */
static void fn_substr(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (any_null(argc, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf tmp = MC_BUF_INIT;
    int bytes;
    const char *s = val_text(argv[0], &tmp, &bytes);
    int64_t start = sqlite3_value_int64(argv[1]);
    int64_t len = argc == 3 ? sqlite3_value_int64(argv[2]) : INT64_MAX;
    int64_t nchars = 0;
    for (int i = 0; i < bytes; i++)
        nchars += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (start < 0)
        start += nchars + 1;
    const char *from = s + bytes, *to = s + bytes;
    if (start >= 1 && len > 0) {
        int64_t ch = 0;
        for (int i = 0; i <= bytes; i++) {
            if (i < bytes && ((unsigned char)s[i] & 0xC0) == 0x80)
                continue;
            ch++; /* s + i starts character ch (or is the end) */
            if (ch == start)
                from = s + i;
            if (len <= nchars && ch == start + len) {
                to = s + i;
                break;
            }
        }
    }
    sqlite3_result_text(cx, from, (int)(to > from ? to - from : 0), SQLITE_TRANSIENT);
    mc_buf_free(&tmp);
}

/* ---- ARRAY values (§6 complex types) --------------------------------------------- */

/* An ARRAY is compact JSON text in the executor, which is also how the
 * console prints it (["a","b"], [1,2]; reference/maxcompute-sql.md §4.2;
 * strings escaped as Gson does, sql/nested), and LATERAL VIEW explode reads
 * it with SQLite's json_each. */
/* One element: numbers bare (DOUBLE as Java prints it), text quoted. */
static void json_put_value(mc_buf *out, sqlite3_value *v)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: mc_buf_puts(out, "null"); break;
    case SQLITE_INTEGER: mc_buf_printf(out, "%lld", (long long)sqlite3_value_int64(v)); break;
    case SQLITE_FLOAT: mc_java_double_text(out, sqlite3_value_double(v), false); break;
    default: sql_nested_json_string(out, (const char *)sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v)); break;
    }
}

/* SPLIT(s, regex) -> ARRAY<STRING>: the pieces between matches, trailing
 * empty ones kept (Hive's split, MaxCompute's lineage). */
static void fn_split(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (any_null(2, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    bool fresh;
    mc_regex *r = regex_get(cx, argv, 1, &fresh);
    if (!r)
        return;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, '[');
    regmatch_t m[1];
    int pos = 0, from = 0;
    while (from < n && regex_next(r, s, n, pos, m, 1)) {
        if (m[0].rm_eo == m[0].rm_so && m[0].rm_so == 0) { /* an empty match at the start splits nothing */
            pos = regex_after(s, n, m);
            continue;
        }
        sql_nested_json_string(&out, s + from, (size_t)(m[0].rm_so - from));
        mc_buf_putc(&out, ',');
        from = (int)m[0].rm_eo;
        pos = regex_after(s, n, m);
    }
    sql_nested_json_string(&out, s + from, (size_t)(n - from));
    mc_buf_putc(&out, ']');
    regex_keep(cx, 1, r, fresh);
    result_buf(cx, &out);
}

/* The elements of an ARRAY's JSON text; NULL after setting the error. */
static json_t *array_arg(sqlite3_context *cx, sqlite3_value *v, const char *fn)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v), 0, &je);
    if (!j || !json_is_array(j)) {
        json_decref(j);
        fail(cx, E_ARGS, "In function %s, the argument is not an ARRAY", fn);
        return NULL;
    }
    return j;
}

/* array_arg for functions whose result is NULL for a NULL array (set here). */
static json_t *array_arg_or_null(sqlite3_context *cx, sqlite3_value *v, const char *fn)
{
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return NULL;
    }
    return array_arg(cx, v, fn);
}

/* An element back as text: JSON (strings quoted) or, plain, its value. */
static void json_put_element(mc_buf *out, const json_t *e, bool plain)
{
    if (json_is_string(e) && plain)
        mc_buf_append(out, json_string_value(e), json_string_length(e));
    else if (json_is_string(e))
        sql_nested_json_string(out, json_string_value(e), json_string_length(e));
    else if (json_is_integer(e))
        mc_buf_printf(out, "%lld", (long long)json_integer_value(e));
    else if (json_is_real(e))
        mc_java_double_text(out, json_real_value(e), false);
    else if (!plain)
        mc_buf_puts(out, "null");
}

/* Whether a JSON element equals an SQL value (numbers by value, text by bytes). */
static bool element_equals(const json_t *e, sqlite3_value *v)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: return json_is_number(e) && json_number_value(e) == sqlite3_value_double(v);
    case SQLITE_NULL: return false;
    default:
        return json_is_string(e) && json_string_length(e) == (size_t)sqlite3_value_bytes(v) &&
               !memcmp(json_string_value(e), sqlite3_value_text(v), json_string_length(e));
    }
}

/* ARRAY_CONTAINS(array, v) -> BOOLEAN; NULL for a NULL array. */
static void fn_array_contains(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    json_t *j = array_arg_or_null(cx, argv[0], "array_contains");
    if (!j)
        return;
    bool found = false;
    for (size_t i = 0; i < json_array_size(j) && !found; i++)
        found = element_equals(json_array_get(j, i), argv[1]);
    json_decref(j);
    sqlite3_result_int(cx, found);
}

static int json_elem_cmp(const void *pa, const void *pb)
{
    const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    if (json_is_null(a) || json_is_null(b))
        return json_is_null(b) - json_is_null(a); /* NULL first */
    if (json_is_number(a) && json_is_number(b)) {
        double x = json_number_value(a), y = json_number_value(b);
        return (x > y) - (x < y);
    }
    if (json_is_string(a) && json_is_string(b))
        return strcmp(json_string_value(a), json_string_value(b));
    return json_is_string(a) - json_is_string(b);
}

/* SORT_ARRAY(array) -> the elements in ascending order, NULLs first. */
static void fn_sort_array(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    json_t *j = array_arg_or_null(cx, argv[0], "sort_array");
    if (!j)
        return;
    size_t n = json_array_size(j);
    json_t **e = mc_calloc(n ? n : 1, sizeof *e);
    for (size_t i = 0; i < n; i++)
        e[i] = json_array_get(j, i);
    qsort(e, n, sizeof *e, json_elem_cmp);
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            mc_buf_putc(&out, ',');
        json_put_element(&out, e[i], false);
    }
    mc_buf_putc(&out, ']');
    free(e);
    json_decref(j);
    result_buf(cx, &out);
}

/* CONCAT_WS(sep, array): the elements joined; NULL when either is NULL (§6.2). */
static void fn_concat_ws_array(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (any_null(2, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    json_t *j = array_arg(cx, argv[1], "concat_ws");
    if (!j)
        return;
    mc_buf out = MC_BUF_INIT, tmp = MC_BUF_INIT;
    const char *sep = val_text(argv[0], &tmp, NULL);
    for (size_t i = 0; i < json_array_size(j); i++) {
        const json_t *e = json_array_get(j, i);
        if (i)
            mc_buf_puts(&out, sep);
        json_put_element(&out, e, true);
    }
    mc_buf_free(&tmp);
    json_decref(j);
    result_buf(cx, &out);
}

/* COLLECT_LIST(x) / COLLECT_SET(x) -> ARRAY: the non-NULL values, in input
 * order; the set keeps the first of equal values (§6.4). */
typedef struct {
    mc_buf out;
    size_t n;
    bool set;
    mc_buf seen; /* set: the encoded values so far, each followed by '\n'-free separator \x01 */
} agg_collect;

static void collect_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    agg_collect *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a || sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    mc_buf one = MC_BUF_INIT;
    json_put_value(&one, argv[0]);
    if (sqlite3_user_data(cx)) {
        /* The encoded elements are ',' free at top level only for scalars; compare whole tokens. */
        mc_buf key = MC_BUF_INIT;
        mc_buf_putc(&key, '\x01');
        mc_buf_append(&key, one.data, one.len);
        mc_buf_putc(&key, '\x01');
        bool dup = a->seen.len && memmem(a->seen.data, a->seen.len, key.data, key.len) != NULL;
        if (!dup) {
            if (a->seen.len)
                a->seen.len--; /* share the separator */
            mc_buf_append(&a->seen, key.data, key.len);
        }
        mc_buf_free(&key);
        if (dup) {
            mc_buf_free(&one);
            return;
        }
    }
    mc_buf_puts(&a->out, a->n++ ? "," : "[");
    mc_buf_append(&a->out, one.data, one.len);
    mc_buf_free(&one);
}

static void collect_final(sqlite3_context *cx)
{
    agg_collect *a = sqlite3_aggregate_context(cx, 0);
    if (!a || !a->n) {
        if (a)
            mc_buf_free(&a->seen);
        sqlite3_result_text(cx, "[]", 2, SQLITE_STATIC);
        return;
    }
    mc_buf_putc(&a->out, ']');
    mc_buf_free(&a->seen);
    result_buf(cx, &a->out);
}

/* FORMAT_NUMBER(x, d | pattern) -> STRING (§6.2; alibabacloud.com/help/en/maxcompute/user-guide/format-number):
 * x rounded to d decimal places (0 <= d <= 340, else an error) with ','
 * between thousands, no point when d is 0; or formatted by a
 * DecimalFormat-style pattern such as '#,###,###.##'. Rounding is Java
 * DecimalFormat's HALF_EVEN on the exact value (Hive's format_number, which
 * MaxCompute's follows): a DOUBLE rounds its binary value, so 0.125 -> '0.12'
 * but 0.525 -> '0.53'; DECIMAL and STRING round their decimal digits. The
 * pattern may use '#', '0', ',' and one '.'; anything else (prefixes, '%',
 * 'E', ';') is refused rather than formatted differently. */
typedef struct {
    int group;              /* digits between separators; 0: none */
    int min_int, min_frac, max_frac;
} num_pattern;

static int num_pattern_parse(const char *f, num_pattern *p)
{
    memset(p, 0, sizeof *p);
    const char *dot = strchr(f, '.');
    int digits = 0, comma = -1;
    for (const char *c = f; *c && c != dot; c++) {
        if (*c == ',') {
            comma = digits;
            continue;
        }
        if (*c != '#' && *c != '0')
            return -1;
        p->min_int += *c == '0';
        digits++;
    }
    if (comma >= 0)
        p->group = digits - comma;
    for (const char *c = dot ? dot + 1 : ""; *c; c++) {
        if (*c == '0' && p->min_frac == p->max_frac)
            p->min_frac++;
        else if (*c != '#')
            return -1; /* also '0' after '#', which Java refuses */
        p->max_frac++;
    }
    return digits || dot ? 0 : -1;
}

/* dg holds int_len integer digits then fraction digits (no sign): rounds
 * them half to even to scale fraction digits (or pads with zeros). A '0' is
 * put in front first so a carry always has room. */
static void digits_round(mc_buf *dg, int *int_len, int scale)
{
    mc_buf t = MC_BUF_INIT;
    mc_buf_putc(&t, '0');
    mc_buf_append(&t, dg->data, dg->len);
    mc_buf_free(dg);
    *dg = t;
    (*int_len)++;
    size_t keep = (size_t)*int_len + (size_t)scale;
    while (dg->len < keep)
        mc_buf_putc(dg, '0');
    dg->len = digits_round_at(dg->data, dg->len, keep, ROUND_HALF_EVEN);
}

static void digits_render(mc_buf *out, bool neg, const mc_buf *dg, int int_len, const num_pattern *p)
{
    int skip = 0;
    while (skip < int_len && dg->data[skip] == '0')
        skip++;
    int n = int_len - skip, width = n < p->min_int ? p->min_int : n;
    int frac = (int)dg->len - int_len;
    while (frac > p->min_frac && dg->data[int_len + frac - 1] == '0')
        frac--;
    if (width == 0 && frac == 0)
        width = 1;
    if (neg)
        mc_buf_putc(out, '-');
    for (int i = 0; i < width; i++) {
        mc_buf_putc(out, i < width - n ? '0' : dg->data[skip + i - (width - n)]);
        int left = width - i - 1;
        if (p->group > 0 && left > 0 && left % p->group == 0)
            mc_buf_putc(out, ',');
    }
    if (frac) {
        mc_buf_putc(out, '.');
        mc_buf_append(out, dg->data + int_len, (size_t)frac);
    }
}

static void fn_format_number(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (any_null(2, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    num_pattern p = {3, 1, 0, 0};
    if (sqlite3_value_type(argv[1]) == SQLITE_TEXT) {
        const char *f = (const char *)sqlite3_value_text(argv[1]);
        if (num_pattern_parse(f, &p)) {
            fail(cx, E_ARGS, "In function format_number, pattern '%s' is not supported by mcdlf (it supports the "
                             "digits # and 0, the grouping ',' and one '.')",
                 f);
            return;
        }
    } else {
        int64_t d = sqlite3_value_int64(argv[1]);
        if (d < 0 || d > 340) {
            fail(cx, E_RANGE, "In function format_number, the number of decimal places must be between 0 and 340, "
                              "not %lld",
                 (long long)d);
            return;
        }
        p.min_frac = p.max_frac = (int)d;
    }
    mc_buf dg = MC_BUF_INIT, out = MC_BUF_INIT;
    bool neg = false;
    int int_len = 0;
    int type = sqlite3_value_type(argv[0]);
    mc_dec dec;
    if (type == SQLITE_INTEGER) {
        int64_t v = sqlite3_value_int64(argv[0]);
        neg = v < 0;
        mc_buf_printf(&dg, "%llu", neg ? 0ULL - (unsigned long long)v : (unsigned long long)v);
        int_len = (int)dg.len;
    } else if (type == SQLITE_TEXT && dec_parse((const char *)sqlite3_value_text(argv[0]), &dec)) {
        neg = dec.neg;
        dg = dec.digits;
        int_len = dec.int_len;
    } else {
        double v = sqlite3_value_double(argv[0]);
        char *end = NULL;
        if (type == SQLITE_TEXT)
            v = strtod((const char *)sqlite3_value_text(argv[0]), &end);
        if ((end && (end == (const char *)sqlite3_value_text(argv[0]) || *end)) || !isfinite(v)) {
            fail(cx, E_CAST, "In function format_number, value '%s' cannot be casted to a finite Double",
                 (const char *)sqlite3_value_text(argv[0]));
            return;
        }
        /* printf rounds the exact binary value half to even, as Java does */
        neg = signbit(v);
        mc_buf_printf(&dg, "%.*f", p.max_frac, fabs(v));
        char *dot = strchr(dg.data, '.');
        int_len = dot ? (int)(dot - dg.data) : (int)dg.len;
        if (dot) {
            memmove(dot, dot + 1, strlen(dot + 1) + 1);
            dg.len--;
        }
    }
    digits_round(&dg, &int_len, p.max_frac);
    digits_render(&out, neg, &dg, int_len, &p);
    mc_buf_free(&dg);
    result_buf(cx, &out);
}

/* ---- aggregates (§6.4) ----------------------------------------------------------- */

/* MEDIAN -> DOUBLE: the middle value, or the mean of the two middle ones. */
typedef struct {
    double *v;
    size_t n, cap;
} agg_values;

static void values_push(agg_values *a, double x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = mc_realloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = x;
}

static void median_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    agg_values *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (a)
        values_push(a, sqlite3_value_double(argv[0]));
}

static int dbl_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void median_final(sqlite3_context *cx)
{
    agg_values *a = sqlite3_aggregate_context(cx, 0);
    if (!a || !a->n) {
        sqlite3_result_null(cx);
        if (a)
            free(a->v);
        return;
    }
    qsort(a->v, a->n, sizeof *a->v, dbl_cmp);
    double m = a->n % 2 ? a->v[a->n / 2] : (a->v[a->n / 2 - 1] + a->v[a->n / 2]) / 2.0;
    free(a->v);
    sqlite3_result_double(cx, m);
}

/* PERCENTILE(col, p) -> DOUBLE (§6.4: exact): the value at position
 * p * (n - 1) of the sorted values, interpolated linearly between the two
 * neighbours as Hive's percentile does; p must be in [0, 1] and the same on
 * every row. */
typedef struct {
    agg_values v;
    double p;
    bool have_p, bad_p;
} agg_percentile;

static void percentile_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    agg_percentile *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a)
        return;
    double p = sqlite3_value_double(argv[1]);
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || p < 0 || p > 1 || (a->have_p && p != a->p))
        a->bad_p = true;
    /* PERCENTILE_APPROX's B: a positive accuracy, which cannot change the
     * exact answer mcdlf computes */
    if (argc > 2 && (sqlite3_value_type(argv[2]) != SQLITE_INTEGER || sqlite3_value_int64(argv[2]) <= 0))
        a->bad_p = true;
    a->p = p;
    a->have_p = true;
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL)
        values_push(&a->v, sqlite3_value_double(argv[0]));
}

/* PERCENTILE_APPROX(col, p[, B]) -> DOUBLE (§6.4) by the rule MaxCompute
 * documents (help.aliyun.com/zh/maxcompute/user-guide/percentile-approx):
 * over the n sorted values arr[0..n), index = n * p; index <= 1 -> arr[0];
 * index >= n - 1 -> arr[n-1]; otherwise arr[ceil(index) - 1], or the mean of
 * arr[index - 1] and arr[index] when index is a whole number (100, 200, 300,
 * 400: p 0.25 -> 100, p 0.5 -> 250). MaxCompute keeps a histogram of B
 * (default 10000) centroids, exact while there are at most B distinct
 * values; mcdlf keeps every value, so it always gives that exact answer.
 * The ARRAY-of-p and weighted forms are not supported (the translator
 * refuses them). */
static double percentile_approx_of(const double *arr, size_t n, double p)
{
    double index = (double)n * p;
    if (index <= 1)
        return arr[0];
    if (index >= (double)n - 1)
        return arr[n - 1];
    size_t up = (size_t)ceil(index);
    if (index == (double)up)
        return arr[up - 1] + (arr[up] - arr[up - 1]) * 0.5;
    return arr[up - 1];
}

static void percentile_final(sqlite3_context *cx)
{
    agg_percentile *a = sqlite3_aggregate_context(cx, 0);
    bool approx = sqlite3_user_data(cx) != NULL;
    if (a && a->bad_p) {
        free(a->v.v);
        fail(cx, E_ARGS, "In function %s, the percentile must be a constant between 0 and 1",
             approx ? "percentile_approx" : "percentile");
        return;
    }
    if (!a || !a->v.n) {
        sqlite3_result_null(cx);
        if (a)
            free(a->v.v);
        return;
    }
    qsort(a->v.v, a->v.n, sizeof *a->v.v, dbl_cmp);
    double r;
    if (approx) {
        r = percentile_approx_of(a->v.v, a->v.n, a->p);
    } else {
        double pos = a->p * (double)(a->v.n - 1);
        size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
        r = a->v.v[lo] + (pos - (double)lo) * (a->v.v[hi] - a->v.v[lo]);
    }
    free(a->v.v);
    sqlite3_result_double(cx, r);
}

/* COVAR_POP / COVAR_SAMP / CORR over the rows where both values are non-NULL,
 * accumulated as Hive does (§6.4: Hive-like): running means and co-moments.
 * sqlite3_user_data: 0 covar_pop, 1 covar_samp, 2 corr. */
typedef struct {
    int64_t n;
    double xavg, yavg, covar, xvar, yvar;
} agg_covar;

static void covar_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (any_null(2, argv))
        return;
    agg_covar *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a)
        return;
    double x = sqlite3_value_double(argv[0]), y = sqlite3_value_double(argv[1]);
    double xold = a->xavg, yold = a->yavg;
    a->n++;
    a->xavg += (x - xold) / (double)a->n;
    a->yavg += (y - yold) / (double)a->n;
    if (a->n > 1) {
        a->covar += (x - xold) * (y - a->yavg);
        a->xvar += (x - xold) * (x - a->xavg);
        a->yvar += (y - yold) * (y - a->yavg);
    }
}

static void covar_final(sqlite3_context *cx)
{
    agg_covar *a = sqlite3_aggregate_context(cx, 0);
    intptr_t kind = (intptr_t)sqlite3_user_data(cx);
    if (!a || !a->n || (kind != 0 && a->n < 2)) {
        sqlite3_result_null(cx);
        return;
    }
    if (kind == 2)
        sqlite3_result_double(cx, a->covar / sqrt(a->xvar) / sqrt(a->yvar));
    else
        sqlite3_result_double(cx, a->covar / (double)(kind ? a->n - 1 : a->n));
}

/* VARIANCE / STDDEV family, accumulated as Hive does (MaxCompute's lineage):
 * variance += (n*x - sum)^2 / (n*(n-1)). Population divides by n, sample by
 * n-1 (NULL for a single row). Which one: sqlite3_user_data, bit 1 sample,
 * bit 2 square root. */
typedef struct {
    int64_t n;
    double sum, var;
} agg_var;

static void var_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    agg_var *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a)
        return;
    double x = sqlite3_value_double(argv[0]);
    a->n++;
    a->sum += x;
    if (a->n > 1) {
        double t = (double)a->n * x - a->sum;
        a->var += t * t / ((double)a->n * (double)(a->n - 1));
    }
}

static void var_final(sqlite3_context *cx)
{
    agg_var *a = sqlite3_aggregate_context(cx, 0);
    intptr_t kind = (intptr_t)sqlite3_user_data(cx);
    bool sample = kind & 1, root = kind & 2;
    if (!a || !a->n || (sample && a->n < 2)) {
        sqlite3_result_null(cx);
        return;
    }
    double v = a->var / (double)(sample ? a->n - 1 : a->n);
    sqlite3_result_double(cx, root ? sqrt(v) : v);
}

/* WM_CONCAT(sep, s): non-NULL values joined by sep; NULL for no values; the
 * separator must be the same on every row (ODPS-0120021). */
typedef struct {
    mc_buf out;
    char *sep;
    bool any, bad;
} agg_concat;

static void wm_concat_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    agg_concat *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a)
        return;
    mc_buf tmp = MC_BUF_INIT;
    const char *sep = sqlite3_value_type(argv[0]) == SQLITE_NULL ? "" : val_text(argv[0], &tmp, NULL);
    if (!a->sep)
        a->sep = mc_strdup(sep);
    else if (strcmp(a->sep, sep))
        a->bad = true;
    if (sqlite3_value_type(argv[1]) != SQLITE_NULL) {
        int n;
        const char *s = val_text(argv[1], &tmp, &n);
        if (a->any)
            mc_buf_puts(&a->out, a->sep);
        mc_buf_append(&a->out, s, (size_t)n);
        a->any = true;
    }
    mc_buf_free(&tmp);
}

static void wm_concat_final(sqlite3_context *cx)
{
    agg_concat *a = sqlite3_aggregate_context(cx, 0);
    if (a && a->bad)
        sqlite3_result_error(cx, "ODPS-0120021:the delimitor must be the same in wm_concat", -1);
    else if (!a || !a->any)
        sqlite3_result_null(cx);
    else
        sqlite3_result_text(cx, mc_buf_cstr(&a->out), (int)a->out.len, SQLITE_TRANSIENT);
    if (a) {
        mc_buf_free(&a->out);
        free(a->sep);
    }
}

/* COUNT_IF(cond) -> BIGINT: rows where cond is TRUE. */
static void count_if_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int64_t *n = sqlite3_aggregate_context(cx, sizeof *n);
    if (n && sqlite3_value_type(argv[0]) != SQLITE_NULL && sqlite3_value_double(argv[0]) != 0)
        (*n)++;
}

static void count_if_final(sqlite3_context *cx)
{
    int64_t *n = sqlite3_aggregate_context(cx, 0);
    sqlite3_result_int64(cx, n ? *n : 0);
}

/* ANY_VALUE(x): some non-NULL x (the first seen); MAX_BY(x, y) / MIN_BY:
 * x of the row with the largest / smallest non-NULL y. */
typedef struct {
    sqlite3_value *x, *y;
} agg_pick;

static void any_value_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    agg_pick *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (a && !a->x && sqlite3_value_type(argv[0]) != SQLITE_NULL)
        a->x = sqlite3_value_dup(argv[0]);
}

static void by_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int want = (int)(intptr_t)sqlite3_user_data(cx);
    agg_pick *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a || sqlite3_value_type(argv[1]) == SQLITE_NULL)
        return;
    if (a->y && val_cmp(argv[1], a->y) * want <= 0)
        return;
    sqlite3_value_free(a->x);
    sqlite3_value_free(a->y);
    a->x = sqlite3_value_dup(argv[0]);
    a->y = sqlite3_value_dup(argv[1]);
}

static void pick_final(sqlite3_context *cx)
{
    agg_pick *a = sqlite3_aggregate_context(cx, 0);
    if (a && a->x)
        sqlite3_result_value(cx, a->x);
    else
        sqlite3_result_null(cx);
    if (a) {
        sqlite3_value_free(a->x);
        sqlite3_value_free(a->y);
    }
}

/* BITWISE_AND_AGG(x) / BITWISE_OR_AGG(x) -> BIGINT (§6.4): the bitwise AND /
 * OR of the non-NULL values, NULL when there are none
 * (alibabacloud.com/help/en/maxcompute/user-guide/bitwise-and-agg, -or-agg).
 * sqlite3_user_data: 0 AND, 1 OR. */
typedef struct {
    int64_t v;
    bool any;
} agg_bits;

static void bits_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    agg_bits *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a)
        return;
    int64_t x = sqlite3_value_int64(argv[0]);
    bool or_ = sqlite3_user_data(cx) != NULL;
    a->v = !a->any ? x : or_ ? (a->v | x) : (a->v & x);
    a->any = true;
}

static void bits_final(sqlite3_context *cx)
{
    agg_bits *a = sqlite3_aggregate_context(cx, 0);
    if (a && a->any)
        sqlite3_result_int64(cx, a->v);
    else
        sqlite3_result_null(cx);
}

/* ---- the table ------------------------------------------------------------------- */

static const sql_function FUNCS[] = {
    /* §6.4 aggregates */
    {"count", 0, -1, "count", true},
    {"sum", 1, 1, "sum", true},
    {"min", 1, 1, "min", true},
    {"max", 1, 1, "max", true},
    {"median", 1, 1, "mc_median", true},
    {"collect_list", 1, 1, "mc_collect_list", true},
    {"collect_set", 1, 1, "mc_collect_set", true},
    {"percentile", 2, 2, "mc_percentile", true},
    {"covar_pop", 2, 2, "mc_covar_pop", true},
    {"covar_samp", 2, 2, "mc_covar_samp", true},
    {"corr", 2, 2, "mc_corr", true},
    {"stddev", 1, 1, "mc_stddev_pop", true},
    {"stddev_pop", 1, 1, "mc_stddev_pop", true},
    {"stddev_samp", 1, 1, "mc_stddev_samp", true},
    {"variance", 1, 1, "mc_var_pop", true},
    {"var_pop", 1, 1, "mc_var_pop", true},
    {"var_samp", 1, 1, "mc_var_samp", true},
    {"wm_concat", 2, 2, "mc_wm_concat", true},
    {"count_if", 1, 1, "mc_count_if", true},
    {"any_value", 1, 1, "mc_any_value", true},
    {"max_by", 2, 2, "mc_max_by", true},
    {"arg_max", 2, 2, "mc_max_by", true},
    {"min_by", 2, 2, "mc_min_by", true},
    {"arg_min", 2, 2, "mc_min_by", true},
    {"percentile_approx", 2, 3, "mc_percentile_approx", true},
    {"approx_distinct", 1, 1, "count", true}, /* exact: the translator adds DISTINCT */
    {"bitwise_and_agg", 1, 1, "mc_bitwise_and_agg", true},
    {"bitwise_or_agg", 1, 1, "mc_bitwise_or_agg", true},
    /* §6.1 date/time */
    {"dateadd", 3, 3, "mc_dateadd", false},
    {"datediff", 2, 3, "mc_datediff", false},
    {"datepart", 2, 2, "mc_datepart", false},
    {"datetrunc", 2, 2, "mc_datetrunc", false},
    {"date_add", 2, 2, "mc_date_add", false},
    {"date_sub", 2, 2, "mc_date_sub", false},
    {"to_date", 1, 2, "mc_to_date", false},
    {"to_char", 1, 2, "mc_to_char", false},
    {"date_format", 2, 2, "mc_date_format", false},
    {"last_day", 1, 1, "mc_last_day", false},
    {"lastday", 1, 1, "mc_lastday", false},
    {"add_months", 2, 2, "mc_add_months", false},
    {"weekday", 1, 1, "mc_weekday", false},
    {"isdate", 2, 2, "mc_isdate", false},
    {"next_day", 2, 2, "mc_next_day", false},
    {"weekofyear", 1, 1, "mc_weekofyear", false},
    {"year", 1, 1, "mc_year", false},
    {"quarter", 1, 1, "mc_quarter", false},
    {"month", 1, 1, "mc_month", false},
    {"day", 1, 1, "mc_day", false},
    {"dayofmonth", 1, 1, "mc_day", false},
    {"hour", 1, 1, "mc_hour", false},
    {"minute", 1, 1, "mc_minute", false},
    {"second", 1, 1, "mc_second", false},
    {"unix_timestamp", 0, 1, "mc_unix_timestamp", false},
    {"from_unixtime", 1, 1, "mc_from_unixtime", false},
    {"getdate", 0, 0, "mc_getdate", false},
    {"current_timestamp", 0, 0, "mc_now", false}, /* TIMESTAMP with milliseconds, as NOW() */
    {"months_between", 2, 2, "mc_months_between", false},
    {"extract", 2, 2, "mc_extract", false},
    {"dayofweek", 1, 1, "mc_dayofweek", false},
    {"dayofyear", 1, 1, "mc_dayofyear", false},
    {"to_millis", 1, 1, "mc_to_millis", false},
    {"current_timezone", 0, 0, "mc_current_timezone", false},
    {"now", 0, 0, "mc_now", false},
    {"from_utc_timestamp", 2, 2, "mc_from_utc_timestamp", false},
    {"to_utc_timestamp", 2, 2, "mc_to_utc_timestamp", false},
    /* §6.2 strings; SQLite's own where the semantics match */
    {"upper", 1, 1, "upper", false},
    {"toupper", 1, 1, "upper", false},
    {"lower", 1, 1, "lower", false},
    {"tolower", 1, 1, "lower", false},
    {"length", 1, 1, "mc_length", false},
    {"lengthb", 1, 1, "mc_lengthb", false},
    /* TRIM(s, chars) strips any of chars' characters, as SQLite's trim(X, Y) */
    {"trim", 1, 2, "trim", false},
    {"ltrim", 1, 2, "ltrim", false},
    {"rtrim", 1, 2, "rtrim", false},
    {"substr", 2, 3, "mc_substr", false},
    {"substring", 2, 3, "mc_substr", false},
    {"replace", 3, 3, "replace", false},
    {"concat_ws", 2, -1, "mc_concat_ws", false},
    {"instr", 2, 4, "mc_instr", false},
    {"locate", 2, 3, "mc_locate", false},
    {"split_part", 3, 4, "mc_split_part", false},
    {"lpad", 3, 3, "mc_lpad", false},
    {"rpad", 3, 3, "mc_rpad", false},
    {"reverse", 1, 1, "mc_reverse", false},
    {"repeat", 2, 2, "mc_repeat", false},
    {"space", 1, 1, "mc_space", false},
    {"ascii", 1, 1, "mc_ascii", false},
    {"chr", 1, 1, "mc_chr", false},
    {"initcap", 1, 1, "mc_initcap", false},
    {"soundex", 1, 1, "mc_soundex", false},
    {"substring_index", 3, 3, "mc_substring_index", false},
    {"translate", 3, 3, "mc_translate", false},
    {"keyvalue", 2, 4, "mc_keyvalue", false},
    {"md5", 1, 1, "mc_md5", false},
    {"sha", 1, 1, "mc_sha1", false},
    {"sha1", 1, 1, "mc_sha1", false},
    {"sha2", 2, 2, "mc_sha2", false},
    {"base64", 1, 1, "mc_base64", false},
    {"unbase64", 1, 1, "mc_unbase64", false},
    {"url_encode", 1, 2, "mc_url_encode", false},
    {"url_decode", 1, 2, "mc_url_decode", false},
    {"get_json_object", 2, 2, "mc_get_json_object", false},
    {"split", 2, 2, "mc_split", false},
    {"size", 1, 1, "mc_nested_size", false}, /* sql/nested: ARRAY or MAP */
    {"array_contains", 2, 2, "mc_array_contains", false},
    {"sort_array", 1, 1, "mc_sort_array", false},
    {"array", 0, -1, "json_array", false},
    {"regexp_replace", 3, 4, "mc_regexp_replace", false},
    {"regexp_extract", 2, 3, "mc_regexp_extract", false},
    {"regexp_instr", 2, 5, "mc_regexp_instr", false},
    {"regexp_substr", 2, 4, "mc_regexp_substr", false},
    {"regexp_count", 2, 3, "mc_regexp_count", false},
    /* §6.3 math */
    {"abs", 1, 1, "abs", false},
    {"round", 1, 2, "mc_round", false},
    {"trunc", 1, 2, "mc_trunc", false},
    {"ceil", 1, 1, "mc_ceil", false},
    {"ceiling", 1, 1, "mc_ceil", false},
    {"floor", 1, 1, "mc_floor", false},
    {"pow", 2, 2, "mc_pow", false},
    {"power", 2, 2, "mc_pow", false},
    {"sqrt", 1, 1, "mc_sqrt", false},
    {"exp", 1, 1, "mc_exp", false},
    {"ln", 1, 1, "mc_ln", false},
    {"log", 2, 2, "mc_log", false},
    {"log2", 1, 1, "mc_log2", false},
    {"log10", 1, 1, "mc_log10", false},
    {"sin", 1, 1, "mc_sin", false},
    {"cos", 1, 1, "mc_cos", false},
    {"tan", 1, 1, "mc_tan", false},
    {"asin", 1, 1, "mc_asin", false},
    {"acos", 1, 1, "mc_acos", false},
    {"atan", 1, 1, "mc_atan", false},
    {"cot", 1, 1, "mc_cot", false},
    {"sinh", 1, 1, "mc_sinh", false},
    {"cosh", 1, 1, "mc_cosh", false},
    {"tanh", 1, 1, "mc_tanh", false},
    {"cbrt", 1, 1, "mc_cbrt", false},
    {"sign", 1, 1, "mc_sign", false},
    {"radians", 1, 1, "mc_radians", false},
    {"degrees", 1, 1, "mc_degrees", false},
    {"conv", 3, 3, "mc_conv", false},
    {"bin", 1, 1, "mc_bin", false},
    {"hex", 1, 1, "mc_hex", false},
    {"unhex", 1, 1, "mc_unhex", false},
    {"e", 0, 0, "mc_e", false},
    {"pi", 0, 0, "mc_pi", false},
    {"factorial", 1, 1, "mc_factorial", false},
    {"shiftleft", 2, 2, "mc_shiftleft", false},
    {"shiftright", 2, 2, "mc_shiftright", false},
    {"shiftrightunsigned", 2, 2, "mc_shiftrightunsigned", false},
    {"width_bucket", 4, 4, "mc_width_bucket", false},
    {"mod", 2, 2, "mc_mod", false},
    {"rand", 0, 1, "mc_rand", false},
    {"format_number", 2, 2, "mc_format_number", false},
    /* §6.6 conditional */
    {"coalesce", 1, -1, "coalesce", false},
    {"nvl", 2, 2, "ifnull", false},
    {"decode", 3, -1, "mc_decode", false},
    {"nullif", 2, 2, "nullif", false},
    {"greatest", 2, -1, "mc_greatest", false},
    {"least", 2, -1, "mc_least", false},
    {"uuid", 0, 0, "mc_uuid", false},
};

const sql_function *sql_function_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof FUNCS / sizeof *FUNCS; i++)
        if (!strcasecmp(FUNCS[i].name, name))
            return &FUNCS[i];
    return NULL;
}

bool sql_function_is_boolean(const sql_function *f)
{
    return f && (!strcmp(f->name, "isdate") || !strcmp(f->name, "array_contains"));
}

const sql_function *sql_function_all(size_t *n)
{
    *n = sizeof FUNCS / sizeof *FUNCS;
    return FUNCS;
}

/* ---- registration ---------------------------------------------------------------- */

typedef void (*scalar_fn)(sqlite3_context *, int, sqlite3_value **);

static const struct {
    const char *name;
    int nargs; /* -1: any */
    scalar_fn f;
    bool volatile_; /* differs between calls with the same arguments */
} SCALARS[] = {
    {"mc_dateadd", 3, fn_dateadd, false},
    {"mc_datediff", -1, fn_datediff, false},
    {"mc_datepart", 2, fn_datepart, false},
    {"mc_datetrunc", 2, fn_datetrunc, false},
    {"mc_date_add", 2, fn_date_add, false},
    {"mc_date_sub", 2, fn_date_sub, false},
    {"mc_to_date", -1, fn_to_date, false},
    {"mc_to_char", -1, fn_to_char, false},
    {"mc_date_format", 2, fn_date_format, false},
    {"mc_to_char_bool", 1, fn_to_char_bool, false},
    {"mc_last_day", 1, fn_last_day, false},
    {"mc_lastday", 1, fn_lastday, false},
    {"mc_add_months", 2, fn_add_months, false},
    {"mc_weekday", 1, fn_weekday, false},
    {"mc_weekofyear", 1, fn_weekofyear, false},
    {"mc_year", 1, fn_year, false},
    {"mc_quarter", 1, fn_quarter, false},
    {"mc_month", 1, fn_month, false},
    {"mc_day", 1, fn_day, false},
    {"mc_hour", 1, fn_hour, false},
    {"mc_minute", 1, fn_minute, false},
    {"mc_second", 1, fn_second, false},
    {"mc_unix_timestamp", -1, fn_unix_timestamp, true},
    {"mc_from_unixtime", 1, fn_from_unixtime, false},
    {"mc_getdate", 0, fn_getdate, true},
    {"mc_months_between", 2, fn_months_between, false},
    {"mc_extract", 2, fn_extract, false},
    {"mc_dayofweek", 1, fn_dayofweek, false},
    {"mc_dayofyear", 1, fn_dayofyear, false},
    {"mc_to_millis", 1, fn_to_millis, false},
    {"mc_current_timezone", 0, fn_current_timezone, false},
    {"mc_now", 0, fn_now, true},
    {"mc_from_utc_timestamp", 2, fn_from_utc_timestamp, false},
    {"mc_to_utc_timestamp", 2, fn_to_utc_timestamp, false},
    {"mc_length", 1, fn_length, false},
    {"mc_lengthb", 1, fn_lengthb, false},
    {"mc_concat_ws", -1, fn_concat_ws, false},
    {"mc_instr", -1, fn_instr, false},
    {"mc_locate", -1, fn_locate, false},
    {"mc_split_part", -1, fn_split_part, false},
    {"mc_lpad", 3, fn_lpad, false},
    {"mc_rpad", 3, fn_rpad, false},
    {"mc_reverse", 1, fn_reverse, false},
    {"mc_repeat", 2, fn_repeat, false},
    {"mc_space", 1, fn_space, false},
    {"mc_ascii", 1, fn_ascii, false},
    {"mc_chr", 1, fn_chr, false},
    {"mc_initcap", 1, fn_initcap, false},
    {"mc_soundex", 1, fn_soundex, false},
    {"mc_uuid", 0, fn_uuid, true},
    {"mc_format_number", 2, fn_format_number, false},
    {"mc_substring_index", 3, fn_substring_index, false},
    {"mc_translate", 3, fn_translate, false},
    {"mc_keyvalue", -1, fn_keyvalue, false},
    {"mc_md5", 1, fn_md5, false},
    {"mc_sha1", 1, fn_sha1, false},
    {"mc_sha2", 2, fn_sha2, false},
    {"mc_base64", 1, fn_base64, false},
    {"mc_unbase64", 1, fn_unbase64, false},
    {"mc_url_encode", -1, fn_url_encode, false},
    {"mc_url_decode", -1, fn_url_decode, false},
    {"mc_get_json_object", 2, fn_get_json_object, false},
    {"mc_regexp_replace", -1, fn_regexp_replace, false},
    {"mc_regexp_extract", -1, fn_regexp_extract, false},
    {"mc_regexp_instr", -1, fn_regexp_instr, false},
    {"mc_regexp_substr", -1, fn_regexp_substr, false},
    {"mc_regexp_count", -1, fn_regexp_count, false},
    {"mc_rlike", 2, fn_rlike, false},
    {"mc_round", -1, fn_round, false},
    {"mc_trunc", -1, fn_trunc, false},
    {"mc_ceil", 1, fn_ceil, false},
    {"mc_floor", 1, fn_floor, false},
    {"mc_pow", 2, fn_pow, false},
    {"mc_log", 2, fn_log, false},
    {"mc_e", 0, fn_e, false},
    {"mc_pi", 0, fn_pi, false},
    {"mc_factorial", 1, fn_factorial, false},
    {"mc_width_bucket", 4, fn_width_bucket, false},
    {"mc_split", 2, fn_split, false},
    {"mc_array_contains", 2, fn_array_contains, false},
    {"mc_sort_array", 1, fn_sort_array, false},
    {"mc_concat_ws_array", 2, fn_concat_ws_array, false},
    {"mc_shiftleft", 2, fn_shiftleft, false},
    {"mc_shiftright", 2, fn_shiftright, false},
    {"mc_shiftrightunsigned", 2, fn_shiftrightunsigned, false},
    {"mc_substr", -1, fn_substr, false},
    {"mc_isdate", 2, fn_isdate, false},
    {"mc_next_day", 2, fn_next_day, false},
    {"mc_conv", 3, fn_conv, false},
    {"mc_bin", 1, fn_bin, false},
    {"mc_hex", 1, fn_hex, false},
    {"mc_unhex", 1, fn_unhex, false},
    {"mc_mod", 2, fn_mod, false},
    {"mc_rand", -1, fn_rand, true},
    {"mc_decode", -1, fn_decode, false},
    {"mc_greatest", -1, fn_greatest, false},
    {"mc_least", -1, fn_least, false},
};

typedef void (*step_fn)(sqlite3_context *, int, sqlite3_value **);
typedef void (*final_fn)(sqlite3_context *);

static const struct {
    const char *name;
    int nargs;
    step_fn step;
    final_fn final;
    intptr_t data;
} AGGREGATES[] = {
    {"mc_median", 1, median_step, median_final, 0},
    {"mc_collect_list", 1, collect_step, collect_final, 0},
    {"mc_collect_set", 1, collect_step, collect_final, 1},
    {"mc_percentile", 2, percentile_step, percentile_final, 0},
    {"mc_percentile_approx", -1, percentile_step, percentile_final, 1},
    {"mc_bitwise_and_agg", 1, bits_step, bits_final, 0},
    {"mc_bitwise_or_agg", 1, bits_step, bits_final, 1},
    {"mc_covar_pop", 2, covar_step, covar_final, 0},
    {"mc_covar_samp", 2, covar_step, covar_final, 1},
    {"mc_corr", 2, covar_step, covar_final, 2},
    {"mc_var_pop", 1, var_step, var_final, 0},
    {"mc_var_samp", 1, var_step, var_final, 1},
    {"mc_stddev_pop", 1, var_step, var_final, 2},
    {"mc_stddev_samp", 1, var_step, var_final, 3},
    {"mc_wm_concat", 2, wm_concat_step, wm_concat_final, 0},
    {"mc_count_if", 1, count_if_step, count_if_final, 0},
    {"mc_any_value", 1, any_value_step, pick_final, 0},
    {"mc_max_by", 2, by_step, pick_final, 1},
    {"mc_min_by", 2, by_step, pick_final, -1},
};

/* ---- DECIMAL values (kept as exact text in the executor) --------------------------- */

/* "-12.345" -> unscaled -12345, scale 3; -1 when not a decimal. */
static int dec_unscaled(const char *s, size_t n, paimon_i128 *v, int *scale)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    paimon_i128 acc = 0;
    int digits = 0, sc = -1;
    for (; i < n; i++) {
        if (s[i] == '.' && sc < 0) {
            sc = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || ++digits > 38)
            return -1;
        acc = acc * 10 + (s[i] - '0');
        if (sc >= 0)
            sc++;
    }
    if (!digits)
        return -1;
    *v = neg ? -acc : acc;
    *scale = sc < 0 ? 0 : sc;
    return 0;
}

static paimon_i128 pow10_i128(int n)
{
    paimon_i128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* Numeric order for DECIMAL columns: '10.50' sorts after '2.25' (MaxCompute
 * compares values, SQLite would compare the text). */
static int dec_collate(void *ud, int na, const void *a, int nb, const void *b)
{
    (void)ud;
    paimon_i128 x, y;
    int sx, sy;
    if (dec_unscaled(a, (size_t)na, &x, &sx) || dec_unscaled(b, (size_t)nb, &y, &sy)) {
        int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
        return c ? c : na - nb;
    }
    if (sx < sy)
        x *= pow10_i128(sy - sx);
    else
        y *= pow10_i128(sx - sy);
    return x < y ? -1 : x > y;
}

typedef struct {
    paimon_i128 sum;
    int scale;
    bool any, overflow;
} dec_sum;

/* SUM of DECIMAL is exact and keeps the scale (§6.4: DECIMAL in -> DECIMAL). */
static void dsum_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    /* SQLite's aggregate memory is only 8-byte aligned: copy the state in and out. */
    void *mem = sqlite3_aggregate_context(cx, sizeof(dec_sum));
    if (!mem || sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    dec_sum d;
    memcpy(&d, mem, sizeof d);
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    paimon_i128 v;
    int sc;
    if (!t || dec_unscaled(t, strlen(t), &v, &sc)) {
        sqlite3_result_error(cx, "ODPS-0123091:Illegal type cast - SUM of a DECIMAL column met a non-decimal value",
                             -1);
        return;
    }
    if (sc > d.scale) {
        d.sum *= pow10_i128(sc - d.scale);
        d.scale = sc;
    } else {
        v *= pow10_i128(d.scale - sc);
    }
    d.sum += v;
    const paimon_i128 limit = pow10_i128(38);
    if (d.sum >= limit || d.sum <= -limit)
        d.overflow = true;
    d.any = true;
    memcpy(mem, &d, sizeof d);
}

static void dsum_final(sqlite3_context *cx)
{
    void *mem = sqlite3_aggregate_context(cx, 0);
    dec_sum d;
    if (mem)
        memcpy(&d, mem, sizeof d);
    if (!mem || !d.any) {
        sqlite3_result_null(cx);
        return;
    }
    if (d.overflow) {
        sqlite3_result_error(cx, "ODPS-0121145:Data overflow - SUM of DECIMAL values exceeds 38 digits", -1);
        return;
    }
    mc_buf b = MC_BUF_INIT;
    paimon_decimal_format(&b, d.sum, d.scale);
    sqlite3_result_text(cx, b.data, (int)b.len, SQLITE_TRANSIENT);
    mc_buf_free(&b);
}

/* DECIMAL + - * / % (§1.5; reference/maxcompute-sql.md has no result-type
 * rule, so the translator derives (p, s) as Hive does, MaxCompute's lineage,
 * with scale capped at 18: "all computation results are truncated to 18
 * decimal places", MaxCompute DECIMAL data type page). mc_dec_arith(op, a, b,
 * p, s): op one of "+-*%/"; the operands are DECIMAL text or integers; the
 * result is exact, truncated toward zero to scale s, and must fit p digits
 * (else ODPS-0121145:Data overflow, as is division by zero, §1.5). */
static int dec_operand(sqlite3_context *cx, sqlite3_value *v, paimon_i128 *u, int *scale)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
        *u = sqlite3_value_int64(v);
        *scale = 0;
        return 0;
    case SQLITE_TEXT: {
        const char *s = (const char *)sqlite3_value_text(v);
        if (dec_unscaled(s, (size_t)sqlite3_value_bytes(v), u, scale) == 0)
            return 0;
        fail(cx, E_CAST, "In function cast, value '%s' cannot be casted from String to Decimal.", s);
        return -1;
    }
    default:
        fail(cx, E_ARGS, "arithmetic between DECIMAL and DOUBLE is not supported by mcdlf yet; CAST the DOUBLE "
                         "operand to DECIMAL");
        return -1;
    }
}

#define DEC_OVERFLOW "ODPS-0121145:Data overflow"

/* v * 10^n, false on overflow of the 128-bit range. */
static bool dec_upscale(paimon_i128 *v, int n)
{
    while (n-- > 0)
        if (__builtin_mul_overflow(*v, (paimon_i128)10, v))
            return false;
    return true;
}

/* mc_dec_cmp(a, b): -1, 0 or 1 comparing a DECIMAL with another number by
 * value ('4.50' equals 4.5; anything compared with a DECIMAL is compared as
 * DECIMAL, §1.3), NULL when either is NULL. A DOUBLE operand is compared as
 * a double. */
static void fn_dec_cmp(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (any_null(2, argv)) {
        sqlite3_result_null(cx);
        return;
    }
    paimon_i128 a, b;
    int sa, sb;
    if (sqlite3_value_type(argv[0]) == SQLITE_FLOAT || sqlite3_value_type(argv[1]) == SQLITE_FLOAT) {
        double x = sqlite3_value_double(argv[0]), y = sqlite3_value_double(argv[1]);
        sqlite3_result_int(cx, (x > y) - (x < y));
        return;
    }
    if (dec_operand(cx, argv[0], &a, &sa) || dec_operand(cx, argv[1], &b, &sb))
        return;
    /* Align the scales; a value too large to align is larger than any the other side can hold. */
    int sign = sa > sb ? (b > 0) - (b < 0) : (a > 0) - (a < 0); /* of the side being scaled up */
    bool ok = sa > sb ? dec_upscale(&b, sa - sb) : dec_upscale(&a, sb - sa);
    if (!ok) {
        sqlite3_result_int(cx, sa > sb ? -sign : sign);
        return;
    }
    sqlite3_result_int(cx, (a > b) - (a < b));
}

static void fn_dec_arith(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (any_null(2, argv + 1)) {
        sqlite3_result_null(cx);
        return;
    }
    const char *op = (const char *)sqlite3_value_text(argv[0]);
    int p = sqlite3_value_int(argv[3]), s = sqlite3_value_int(argv[4]);
    paimon_i128 a, b, r;
    int sa, sb;
    if (dec_operand(cx, argv[1], &a, &sa) || dec_operand(cx, argv[2], &b, &sb))
        return;
    bool ok = true;
    int rs; /* the scale r is at */
    switch (op[0]) {
    case '+':
    case '-':
    case '%':
        rs = sa > sb ? sa : sb;
        ok = dec_upscale(&a, rs - sa) && dec_upscale(&b, rs - sb);
        if (ok && op[0] == '%') {
            if (b == 0) {
                fail(cx, DEC_OVERFLOW, "DECIMAL modulo by zero");
                return;
            }
            r = a % b; /* the sign of the dividend, as BigDecimal.remainder */
        } else if (ok) {
            ok = !(op[0] == '+' ? __builtin_add_overflow(a, b, &r) : __builtin_sub_overflow(a, b, &r));
        }
        break;
    case '*':
        rs = sa + sb;
        ok = !__builtin_mul_overflow(a, b, &r);
        break;
    default:
        if (b == 0) {
            fail(cx, DEC_OVERFLOW, "DECIMAL division by zero");
            return;
        }
        /* a / b at scale s: a * 10^(s - sa + sb) / b, truncated. */
        rs = s;
        if (s - sa + sb >= 0) {
            ok = dec_upscale(&a, s - sa + sb);
        } else {
            for (int i = 0; i < sa - sb - s; i++)
                a /= 10; /* trunc(trunc(a / m) / b) = trunc(a / (m * b)) */
        }
        r = ok ? a / b : 0;
        break;
    }
    for (; ok && rs > s; rs--)
        r /= 10; /* truncated to the result's scale */
    if (ok)
        ok = dec_upscale(&r, s - rs);
    paimon_i128 limit = 1;
    ok = ok && dec_upscale(&limit, p) && r < limit && r > -limit;
    if (!ok) {
        fail(cx, DEC_OVERFLOW, "the result of DECIMAL %s does not fit DECIMAL(%d,%d)", op, p, s);
        return;
    }
    mc_buf out = MC_BUF_INIT;
    paimon_decimal_format(&out, r, s);
    sqlite3_result_text(cx, out.data, (int)out.len, SQLITE_TRANSIENT);
    mc_buf_free(&out);
}

int sql_functions_register(sqlite3 *db, mc_err *err)
{
    const int utf8 = SQLITE_UTF8;
    for (size_t i = 0; i < sizeof SCALARS / sizeof *SCALARS; i++) {
        int flags = utf8 | (SCALARS[i].volatile_ ? 0 : SQLITE_DETERMINISTIC);
        if (sqlite3_create_function(db, SCALARS[i].name, SCALARS[i].nargs, flags, NULL, SCALARS[i].f, NULL, NULL))
            return mc_err_set(err, MC_ERR_INTERNAL, "sqlite: registering %s: %s", SCALARS[i].name, sqlite3_errmsg(db));
    }
    for (size_t i = 0; i < sizeof MATH1 / sizeof *MATH1; i++) {
        char name[32];
        snprintf(name, sizeof name, "mc_%s", MATH1[i].name);
        if (sqlite3_create_function(db, name, 1, utf8 | SQLITE_DETERMINISTIC, (void *)&MATH1[i], fn_math1, NULL,
                                    NULL))
            return mc_err_set(err, MC_ERR_INTERNAL, "sqlite: registering %s: %s", name, sqlite3_errmsg(db));
    }
    if (sqlite3_create_collation(db, "mc_decimal", utf8, NULL, dec_collate) ||
        sqlite3_create_function(db, "mc_dsum", 1, utf8, NULL, NULL, dsum_step, dsum_final) ||
        sqlite3_create_function(db, "mc_dec_arith", 5, utf8 | SQLITE_DETERMINISTIC, NULL, fn_dec_arith, NULL, NULL) ||
        sqlite3_create_function(db, "mc_dec_cmp", 2, utf8 | SQLITE_DETERMINISTIC, NULL, fn_dec_cmp, NULL, NULL))
        return mc_err_set(err, MC_ERR_INTERNAL, "sqlite: registering decimals: %s", sqlite3_errmsg(db));
    for (size_t i = 0; i < sizeof AGGREGATES / sizeof *AGGREGATES; i++)
        if (sqlite3_create_function(db, AGGREGATES[i].name, AGGREGATES[i].nargs, utf8, (void *)AGGREGATES[i].data,
                                    NULL, AGGREGATES[i].step, AGGREGATES[i].final))
            return mc_err_set(err, MC_ERR_INTERNAL, "sqlite: registering %s: %s", AGGREGATES[i].name,
                              sqlite3_errmsg(db));
    return sql_nested_register(db, err);
}
