/* sql/nested: see nested.h. Section numbers: reference/maxcompute-sql.md. */
#include "sql/nested.h"

#include <ctype.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/binrow.h"
#include "strutil.h"
#include "timeutil.h"

/* ---- scalar text forms ------------------------------------------------------------ */

void sql_date_format(mc_buf *out, int64_t days)
{
    int64_t y;
    int m, d;
    mc_civil_from_days(days, &y, &m, &d);
    mc_buf_printf(out, "%04lld-%02d-%02d", (long long)y, m, d);
}

void sql_timestamp_format(mc_buf *out, int64_t millis, int32_t nanos_of_milli)
{
    int64_t secs = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);
    int64_t ms = millis - secs * 1000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    sql_date_format(out, days);
    mc_buf_printf(out, " %02d:%02d:%02d", (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    int64_t nanos = ms * 1000000 + nanos_of_milli;
    if (nanos) {
        char f[16];
        snprintf(f, sizeof f, "%09lld", (long long)nanos);
        size_t n = 9;
        while (n && f[n - 1] == '0')
            f[--n] = '\0';
        mc_buf_printf(out, ".%s", f);
    }
}

int sql_date_parse(const char *s, int64_t *days)
{
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *days = mc_days_from_civil(y, m, d);
    return 0;
}

int sql_timestamp_parse(const char *s, int64_t *millis, int32_t *nanos)
{
    int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    const char *p = s + n;
    int64_t frac = 0;
    if (*p == ' ' || *p == 'T') {
        int k = 0;
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &k) != 3 || h > 23 || mi > 59 || se > 59)
            return -1;
        p += 1 + k;
        if (*p == '.') {
            int digits = 0;
            for (p++; isdigit((unsigned char)*p); p++, digits++)
                if (digits < 9)
                    frac = frac * 10 + (*p - '0');
            if (digits == 0)
                return -1;
            for (; digits < 9; digits++)
                frac *= 10;
        }
    }
    if (*p)
        return -1;
    int64_t secs = mc_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *millis = secs * 1000 + frac / 1000000;
    *nanos = (int32_t)(frac % 1000000);
    return 0;
}

/* ---- Gson's text ------------------------------------------------------------------- */

bool sql_nested_type(const paimon_type *t)
{
    return t && (t->id == PAIMON_ARRAY || t->id == PAIMON_MAP || t->id == PAIMON_ROW);
}

/* Gson's JsonWriter: \" \\ \t \b \n \r \f, other controls \u00xx, and (its
 * default htmlSafe mode, which the console's GsonBuilder keeps) < > & = ' as
 * \u003c \u003e \u0026 \u003d \u0027; U+2028/2029 always escaped. */
void sql_nested_json_string(mc_buf *out, const char *s, size_t n)
{
    mc_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': mc_buf_puts(out, "\\\""); continue;
        case '\\': mc_buf_puts(out, "\\\\"); continue;
        case '\t': mc_buf_puts(out, "\\t"); continue;
        case '\b': mc_buf_puts(out, "\\b"); continue;
        case '\n': mc_buf_puts(out, "\\n"); continue;
        case '\r': mc_buf_puts(out, "\\r"); continue;
        case '\f': mc_buf_puts(out, "\\f"); continue;
        case '<': case '>': case '&': case '=': case '\'': mc_buf_printf(out, "\\u%04x", c); continue;
        default: break;
        }
        if (c < 0x20) {
            mc_buf_printf(out, "\\u%04x", c);
        } else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
            mc_buf_puts(out, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
            i += 2;
        } else {
            mc_buf_putc(out, (char)c);
        }
    }
    mc_buf_putc(out, '"');
}

/* ---- datum -> text ----------------------------------------------------------------- */

static int to_json(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err);

/* A map key: always a JSON string, holding the key's own text. */
static int key_json(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    if (t->id == PAIMON_CHAR || t->id == PAIMON_VARCHAR || t->id == PAIMON_DATE || t->id == PAIMON_TIMESTAMP ||
        t->id == PAIMON_TIMESTAMP_LTZ)
        return to_json(out, t, d, err);
    mc_buf k = MC_BUF_INIT;
    int rc = to_json(&k, t, d, err);
    if (rc == 0)
        sql_nested_json_string(out, k.data ? k.data : "", k.len);
    mc_buf_free(&k);
    return rc;
}

static int children_json(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    paimon_datum *kids;
    size_t n;
    if (paimon_nested_read(&kids, &n, t, d, err))
        return -1;
    int rc = 0;
    size_t count = n; /* a MAP has 2n children: n keys, then n values */
    mc_buf_putc(out, t->id == PAIMON_ARRAY ? '[' : '{');
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (i)
            mc_buf_putc(out, ',');
        const paimon_datum *v = &kids[i];
        const paimon_type *vt = paimon_nested_child_type(t, i, count);
        if (t->id == PAIMON_MAP) {
            if (kids[i].is_null)
                mc_buf_puts(out, "\"null\"");
            else
                rc = key_json(out, vt, &kids[i], err);
            mc_buf_putc(out, ':');
            v = &kids[count + i];
            vt = paimon_nested_child_type(t, count + i, count);
        } else if (t->id == PAIMON_ROW) {
            sql_nested_json_string(out, t->fields[i].name, strlen(t->fields[i].name));
            mc_buf_putc(out, ':');
        }
        if (rc == 0 && v->is_null)
            mc_buf_puts(out, "null");
        else if (rc == 0)
            rc = to_json(out, vt, v, err);
    }
    mc_buf_putc(out, t->id == PAIMON_ARRAY ? ']' : '}');
    free(kids);
    return rc;
}

/* A scalar's text; key_json quotes the bare ones when they are map keys. */
static int to_json(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    mc_buf s = MC_BUF_INIT;
    switch (t->id) {
    case PAIMON_BOOLEAN: mc_buf_puts(out, d->i ? "true" : "false"); return 0;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT: mc_buf_printf(out, "%lld", (long long)d->i); return 0;
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE: mc_java_double_text(out, d->d, t->id == PAIMON_FLOAT); return 0;
    case PAIMON_DECIMAL: paimon_decimal_format(out, d->dec, t->scale); return 0;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR: sql_nested_json_string(out, (const char *)d->ptr, d->len); return 0;
    case PAIMON_DATE:
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (t->id == PAIMON_DATE)
            sql_date_format(&s, d->i);
        else
            sql_timestamp_format(&s, d->i, d->nanos);
        sql_nested_json_string(out, s.data, s.len);
        mc_buf_free(&s);
        return 0;
    case PAIMON_ARRAY:
    case PAIMON_MAP:
    case PAIMON_ROW: return children_json(out, t, d, err);
    default: {
        paimon_type_to_sql(&s, t);
        int rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "%s values inside ARRAY, MAP or STRUCT are not supported by "
                                                     "mcdlf yet",
                            s.data);
        mc_buf_free(&s);
        return rc;
    }
    }
}

int sql_nested_to_json(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    return to_json(out, t, d, err);
}

/* ---- JSON spans -------------------------------------------------------------------- */

/* A value's bytes [p, e) inside a JSON text, as written (numbers keep their digits). */
typedef struct {
    const char *p, *e;
} span;

static const char *ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* End of the value starting at p (no leading space), NULL when malformed. */
static const char *skip_value(const char *p, const char *e, int depth)
{
    if (p >= e || depth > 200)
        return NULL;
    if (*p == '"') {
        for (p++; p < e; p++) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                return p + 1;
        }
        return NULL;
    }
    if (*p == '[' || *p == '{') {
        char close = *p == '[' ? ']' : '}';
        p = ws(p + 1, e);
        if (p < e && *p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                if (p >= e || *p != '"' || !(p = skip_value(p, e, depth + 1)))
                    return NULL;
                p = ws(p, e);
                if (p >= e || *p != ':')
                    return NULL;
                p = ws(p + 1, e);
            }
            if (!(p = skip_value(p, e, depth + 1)))
                return NULL;
            p = ws(p, e);
            if (p < e && *p == close)
                return p + 1;
            if (p >= e || *p != ',')
                return NULL;
            p = ws(p + 1, e);
        }
    }
    const char *s = p;
    while (p < e && (isalnum((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.'))
        p++;
    return p > s ? p : NULL;
}

/* The entries of a container: *n values (and keys for an object), malloc'ed. */
static int entries(span **keys, span **vals, size_t *n, const char *p, const char *e, bool *is_object)
{
    *keys = *vals = NULL;
    *n = 0;
    p = ws(p, e);
    while (e > p && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    if (p >= e || (*p != '[' && *p != '{') || skip_value(p, e, 0) != e)
        return -1;
    bool obj = *p == '{';
    if (is_object)
        *is_object = obj;
    size_t cap = 0;
    p = ws(p + 1, e);
    while (p < e - 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *keys = mc_realloc(*keys, cap * sizeof **keys);
            *vals = mc_realloc(*vals, cap * sizeof **vals);
        }
        if (obj) {
            (*keys)[*n].p = p;
            p = skip_value(p, e, 1);
            (*keys)[*n].e = p;
            p = ws(ws(p, e) + 1, e); /* the ':' */
        }
        (*vals)[*n].p = p;
        p = skip_value(p, e, 1);
        (*vals)[(*n)++].e = p;
        p = ws(p, e);
        if (*p == ',')
            p = ws(p + 1, e);
    }
    return 0;
}

/* A string span's content, unescaped (jansson), malloc'ed; NULL if not a string. */
static char *span_string(span s, size_t *len)
{
    if (s.e <= s.p || *s.p != '"')
        return NULL;
    json_t *j = json_loadb(s.p, (size_t)(s.e - s.p), JSON_DECODE_ANY, NULL);
    char *out = NULL;
    if (json_is_string(j)) {
        *len = json_string_length(j);
        out = mc_malloc(*len + 1);
        memcpy(out, json_string_value(j), *len + 1);
    }
    json_decref(j);
    return out;
}

/* A scalar span's text: strings unescaped, anything else as written. */
static char *span_text(span s, size_t *len)
{
    char *t = span_string(s, len);
    if (t)
        return t;
    *len = (size_t)(s.e - s.p);
    t = mc_malloc(*len + 1);
    memcpy(t, s.p, *len);
    t[*len] = '\0';
    return t;
}

static bool span_is(span s, const char *lit)
{
    return (size_t)(s.e - s.p) == strlen(lit) && !memcmp(s.p, lit, strlen(lit));
}

/* ---- text -> binary ---------------------------------------------------------------- */

/* A datum of a scalar or nested type from a span; string and nested bytes go
 * to *hold (the datum points into it once it stops growing: offset kept in ptr). */
static int from_span(paimon_datum *d, const paimon_type *t, span s, mc_buf *hold, mc_err *err)
{
    *d = (paimon_datum){0};
    if (span_is(s, "null")) {
        d->is_null = true;
        return 0;
    }
    if (sql_nested_type(t)) {
        size_t at = hold->len;
        if (sql_nested_from_json(hold, t, s.p, (size_t)(s.e - s.p), err))
            return -1;
        d->ptr = (const uint8_t *)(uintptr_t)at;
        d->len = hold->len - at;
        return 0;
    }
    size_t n;
    char *txt = span_text(s, &n);
    int rc = 0;
    char *end = NULL;
    switch (t->id) {
    case PAIMON_BOOLEAN:
        if (!strcmp(txt, "true") || !strcmp(txt, "1"))
            d->i = 1;
        else if (strcmp(txt, "false") && strcmp(txt, "0"))
            rc = -1;
        break;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT: {
        long long v;
        int64_t lo = t->id == PAIMON_TINYINT ? -128 : t->id == PAIMON_SMALLINT ? -32768
                     : t->id == PAIMON_INT ? INT32_MIN : INT64_MIN;
        int64_t hi = t->id == PAIMON_TINYINT ? 127 : t->id == PAIMON_SMALLINT ? 32767
                     : t->id == PAIMON_INT ? INT32_MAX : INT64_MAX;
        if (mc_parse_i64(txt, &v)) {
            /* a fraction truncates toward zero (§1.4: CAST(1.6 AS BIGINT) = 1, CAST('1.6' AS BIGINT) = 1) */
            double f = strtod(txt, &end);
            rc = !*txt || *end || !(f > -9.2e18 && f < 9.2e18) ? -1 : 0;
            v = rc ? 0 : (long long)f;
        }
        if (rc || v < lo || v > hi)
            rc = -1;
        d->i = v;
        break;
    }
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
        d->d = strtod(txt, &end);
        if (!*txt || *end)
            rc = -1;
        if (t->id == PAIMON_FLOAT)
            d->d = (float)d->d;
        break;
    case PAIMON_DECIMAL: rc = paimon_decimal_parse(&d->dec, txt, t->scale, err); break;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
        if (t->length != PAIMON_MAX_LENGTH && n > (size_t)t->length) {
            rc = -1;
            break;
        }
        d->ptr = (const uint8_t *)(uintptr_t)hold->len;
        d->len = n;
        mc_buf_append(hold, txt, n);
        break;
    case PAIMON_DATE: rc = sql_date_parse(txt, &d->i); break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: rc = sql_timestamp_parse(txt, &d->i, &d->nanos); break;
    default: {
        mc_buf tn = MC_BUF_INIT;
        paimon_type_to_sql(&tn, t);
        mc_err_set(err, MC_ERR_UNSUPPORTED, "%s values inside ARRAY, MAP or STRUCT are not supported by mcdlf yet",
                   tn.data);
        mc_buf_free(&tn);
        free(txt);
        return -1;
    }
    }
    if (rc) {
        mc_buf tn = MC_BUF_INIT;
        paimon_type_to_sql(&tn, t);
        mc_err_set(err, MC_ERR_INVALID, "ODPS-0123091:Illegal type cast - value '%s' cannot be casted to %s", txt,
                   tn.data);
        mc_buf_free(&tn);
    }
    free(txt);
    return rc;
}

static bool holds_bytes(const paimon_type *t)
{
    return sql_nested_type(t) || t->id == PAIMON_CHAR || t->id == PAIMON_VARCHAR;
}

int sql_nested_from_json(mc_buf *out, const paimon_type *t, const char *json, size_t n, mc_err *err)
{
    span *keys, *vals;
    size_t cnt;
    bool obj = false;
    if (entries(&keys, &vals, &cnt, json, json + n, &obj) || obj != (t->id != PAIMON_ARRAY)) {
        free(keys);
        free(vals);
        mc_buf tn = MC_BUF_INIT;
        paimon_type_to_sql(&tn, t);
        int rc = mc_err_set(err, MC_ERR_INVALID, "ODPS-0123091:Illegal type cast - value %.*s is not a %s",
                            (int)(n > 200 ? 200 : n), json, tn.data);
        mc_buf_free(&tn);
        return rc;
    }
    if (t->id == PAIMON_ROW && cnt != t->nfields) {
        free(keys);
        free(vals);
        return mc_err_set(err, MC_ERR_INVALID,
                          "ODPS-0123091:Illegal type cast - a STRUCT of %zu fields cannot be casted to one of %zu",
                          cnt, t->nfields);
    }
    /* MAP: keys then values; every child's bytes in hold (offsets until rebased). */
    size_t nd = t->id == PAIMON_MAP ? 2 * cnt : cnt;
    paimon_datum *d = mc_calloc(nd + 1, sizeof *d);
    mc_buf hold = MC_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < cnt && rc == 0; i++) {
        if (t->id == PAIMON_MAP) {
            rc = from_span(&d[i], t->key, keys[i], &hold, err);
            if (rc == 0)
                rc = from_span(&d[cnt + i], t->value, vals[i], &hold, err);
        } else {
            rc = from_span(&d[i], t->id == PAIMON_ARRAY ? t->element : t->fields[i].type, vals[i], &hold, err);
        }
    }
    for (size_t i = 0; i < nd && rc == 0; i++) {
        const paimon_type *ct = t->id == PAIMON_MAP ? (i < cnt ? t->key : t->value)
                                : t->id == PAIMON_ARRAY ? t->element
                                                        : t->fields[i].type;
        if (!d[i].is_null && holds_bytes(ct))
            d[i].ptr = (const uint8_t *)hold.data + (uintptr_t)d[i].ptr;
    }
    if (rc == 0) {
        if (t->id == PAIMON_ARRAY) {
            paimon_binarray_write(out, t->element, d, cnt);
        } else if (t->id == PAIMON_MAP) {
            paimon_binmap_write(out, t->key, t->value, d, d + cnt, cnt);
        } else {
            const paimon_type **types = mc_calloc(cnt + 1, sizeof *types);
            for (size_t i = 0; i < cnt; i++)
                types[i] = t->fields[i].type;
            paimon_binrow_write(out, PAIMON_ROWKIND_INSERT, types, d, cnt);
            free(types);
        }
    }
    mc_buf_free(&hold);
    free(d);
    free(keys);
    free(vals);
    return rc;
}

/* ---- SQLite functions -------------------------------------------------------------- */

#define E_ARGS "ODPS-0121095:Invalid arguments"

static void fail(sqlite3_context *cx, const char *msg)
{
    sqlite3_result_error(cx, msg, -1);
}

static void result_buf(sqlite3_context *cx, mc_buf *b)
{
    sqlite3_result_text(cx, b->data ? b->data : "", (int)b->len, SQLITE_TRANSIENT);
    mc_buf_free(b);
}

/*
 * Kind letters: how a constructor writes an argument of a given MaxCompute
 * type into the text. j nested (its text as is), b BOOLEAN (0/1 -> false/
 * true), i integer, d DOUBLE, f FLOAT (Java's toString of the value), n
 * DECIMAL (its exact text, bare), s STRING/DATE/TIMESTAMP (quoted), v type
 * unknown (by the value's storage class).
 */
char sql_nested_kind(const paimon_type *t)
{
    if (!t)
        return 'v';
    switch (t->id) {
    case PAIMON_ARRAY:
    case PAIMON_MAP:
    case PAIMON_ROW: return 'j';
    case PAIMON_BOOLEAN: return 'b';
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT: return 'i';
    case PAIMON_FLOAT: return 'f';
    case PAIMON_DOUBLE: return 'd';
    case PAIMON_DECIMAL: return 'n';
    default: return 's';
    }
}

/* The bare text of a value (a map key before quoting, a string's content). */
static void value_text(mc_buf *out, sqlite3_value *v, char kind)
{
    int st = sqlite3_value_type(v);
    if (kind == 'b')
        mc_buf_puts(out, sqlite3_value_int64(v) ? "true" : "false");
    else if (kind == 'i' && st != SQLITE_TEXT)
        mc_buf_printf(out, "%lld", (long long)sqlite3_value_int64(v));
    else if (kind == 'd' || kind == 'f' || st == SQLITE_FLOAT)
        mc_java_double_text(out, sqlite3_value_double(v), kind == 'f');
    else
        mc_buf_append(out, sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v));
}

static void put_arg(mc_buf *out, sqlite3_value *v, char kind)
{
    int st = sqlite3_value_type(v);
    if (st == SQLITE_NULL) {
        mc_buf_puts(out, "null");
        return;
    }
    if (kind == 'j' || kind == 'n' || kind == 'b' || kind == 'i' || kind == 'd' || kind == 'f' ||
        (kind == 'v' && st != SQLITE_TEXT && st != SQLITE_BLOB)) {
        value_text(out, v, kind);
        return;
    }
    mc_buf t = MC_BUF_INIT;
    value_text(&t, v, kind);
    sql_nested_json_string(out, t.data ? t.data : "", t.len);
    mc_buf_free(&t);
}

/* The kinds argument: one letter per following argument. */
static const char *kinds_arg(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const char *k = (const char *)sqlite3_value_text(argv[0]);
    if (!k || (int)strlen(k) != argc - 1) {
        fail(cx, "mc_nested: kinds do not match the arguments");
        return NULL;
    }
    return k;
}

/* mc_nested_array(kinds, v1, ...): ARRAY(v1, ...). */
static void fn_array(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const char *k = kinds_arg(cx, argc, argv);
    if (!k)
        return;
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, '[');
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            mc_buf_putc(&out, ',');
        put_arg(&out, argv[i], k[i - 1]);
    }
    mc_buf_putc(&out, ']');
    result_buf(cx, &out);
}

/* mc_nested_object(kinds, k1, v1, ...): MAP(k1, v1, ...) and NAMED_STRUCT.
 * A repeated key keeps its first place and takes the last value (Java's
 * LinkedHashMap.put; MaxCompute's documented last_win policy, STR_TO_MAP
 * page). A NULL key is an error. */
static void fn_object(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const char *k = kinds_arg(cx, argc, argv);
    if (!k)
        return;
    if ((argc - 1) % 2) {
        fail(cx, "ODPS-0121095:Invalid arguments - function map needs an even number of arguments");
        return;
    }
    int n = (argc - 1) / 2;
    mc_buf *keys = mc_calloc((size_t)n + 1, sizeof *keys);
    int *val = mc_calloc((size_t)n + 1, sizeof *val), m = 0;
    bool bad = false;
    for (int i = 0; i < n && !bad; i++) {
        sqlite3_value *kv = argv[1 + 2 * i];
        if (sqlite3_value_type(kv) == SQLITE_NULL) {
            bad = true;
            break;
        }
        mc_buf t = MC_BUF_INIT;
        value_text(&t, kv, k[2 * i]);
        int at = m;
        for (int j = 0; j < m; j++)
            if (keys[j].len == t.len && !memcmp(keys[j].data, t.data, t.len))
                at = j;
        if (at == m)
            keys[m++] = t;
        else
            mc_buf_free(&t);
        val[at] = 2 + 2 * i;
    }
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, '{');
    for (int i = 0; i < m && !bad; i++) {
        if (i)
            mc_buf_putc(&out, ',');
        sql_nested_json_string(&out, keys[i].data ? keys[i].data : "", keys[i].len);
        mc_buf_putc(&out, ':');
        put_arg(&out, argv[val[i]], k[val[i] - 1]);
    }
    mc_buf_putc(&out, '}');
    for (int i = 0; i < m; i++)
        mc_buf_free(&keys[i]);
    free(keys);
    free(val);
    if (bad) {
        mc_buf_free(&out);
        fail(cx, "ODPS-0121095:Invalid arguments - a MAP key cannot be NULL");
        return;
    }
    result_buf(cx, &out);
}

/* A span as an SQL value: strings unescaped, true/false 1/0, numbers as
 * INTEGER or REAL (raw: their exact text, for DECIMAL), containers as text. */
static void result_span(sqlite3_context *cx, span s, bool raw)
{
    if (span_is(s, "null")) {
        sqlite3_result_null(cx);
    } else if (*s.p == '"') {
        size_t n;
        char *t = span_string(s, &n);
        if (t)
            sqlite3_result_text(cx, t, (int)n, free);
        else
            sqlite3_result_null(cx);
    } else if (*s.p == '[' || *s.p == '{' || raw) {
        sqlite3_result_text(cx, s.p, (int)(s.e - s.p), SQLITE_TRANSIENT);
    } else if (span_is(s, "true") || span_is(s, "false")) {
        sqlite3_result_int(cx, *s.p == 't');
    } else {
        size_t n;
        char *t = span_text(s, &n);
        long long v;
        if (mc_parse_i64(t, &v) == 0)
            sqlite3_result_int64(cx, v);
        else
            sqlite3_result_double(cx, strtod(t, NULL));
        free(t);
    }
}

/* The entries of a container argument; false (result set: NULL or an error) when none. */
static bool container_arg(sqlite3_context *cx, sqlite3_value *v, span **keys, span **vals, size_t *n, bool *obj,
                          const char *fn)
{
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return false;
    }
    const char *t = (const char *)sqlite3_value_text(v);
    if (entries(keys, vals, n, t, t + sqlite3_value_bytes(v), obj)) {
        free(*keys);
        free(*vals);
        char *m = mc_asprintf("%s - In function %s, the argument is not an ARRAY, MAP or STRUCT", E_ARGS, fn);
        fail(cx, m);
        free(m);
        return false;
    }
    return true;
}

/* mc_nested_get(value, key, mode): mode "a" an ARRAY element by 0-based index
 * (§1.2: a[0] is the first), "o" a MAP value or STRUCT field by key text;
 * a trailing "r" keeps a number's text (DECIMAL). NULL when there is none
 * (index out of range, key absent), as Hive's and MaxCompute's [] give. */
static void fn_get(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    span *keys, *vals;
    size_t n;
    bool obj;
    const char *mode = (const char *)sqlite3_value_text(argv[2]);
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    if (!container_arg(cx, argv[0], &keys, &vals, &n, &obj, "[]"))
        return;
    bool raw = mode && strchr(mode, 'r');
    bool found = false;
    if (!obj) {
        int64_t i = sqlite3_value_int64(argv[1]);
        if (i >= 0 && (uint64_t)i < n) {
            result_span(cx, vals[i], raw);
            found = true;
        }
    } else {
        mc_buf want = MC_BUF_INIT;
        value_text(&want, argv[1], 'v');
        for (size_t i = n; i-- > 0 && !found;) {
            size_t kl;
            char *k = span_string(keys[i], &kl);
            if (k && kl == want.len && !memcmp(k, want.data, kl)) {
                result_span(cx, vals[i], raw);
                found = true;
            }
            free(k);
        }
        mc_buf_free(&want);
    }
    if (!found)
        sqlite3_result_null(cx);
    free(keys);
    free(vals);
}

/* SIZE(array | map) -> INT; -1 for NULL (Hive's size, §6). */
static void fn_size(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    span *keys, *vals;
    size_t n;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_int(cx, -1);
        return;
    }
    if (!container_arg(cx, argv[0], &keys, &vals, &n, NULL, "size"))
        return;
    sqlite3_result_int64(cx, (int64_t)n);
    free(keys);
    free(vals);
}

/* MAP_KEYS(m, key kind) / MAP_VALUES(m): the keys (in the key type: bare for
 * numbers and booleans) or the values, as an ARRAY. */
static void map_part(sqlite3_context *cx, int argc, sqlite3_value **argv, bool want_keys)
{
    span *keys, *vals;
    size_t n;
    bool obj;
    if (!container_arg(cx, argv[0], &keys, &vals, &n, &obj, want_keys ? "map_keys" : "map_values"))
        return;
    char kind = argc > 1 && sqlite3_value_text(argv[1]) ? *(const char *)sqlite3_value_text(argv[1]) : 's';
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, '[');
    for (size_t i = 0; i < n && obj; i++) {
        if (i)
            mc_buf_putc(&out, ',');
        span s = want_keys ? keys[i] : vals[i];
        if (want_keys && kind != 's' && kind != 'v') {
            size_t kl;
            char *k = span_string(s, &kl);
            mc_buf_append(&out, k ? k : "null", k ? kl : 4);
            free(k);
        } else {
            mc_buf_append(&out, s.p, (size_t)(s.e - s.p));
        }
    }
    mc_buf_putc(&out, ']');
    free(keys);
    free(vals);
    result_buf(cx, &out);
}

static void fn_map_keys(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    map_part(cx, argc, argv, true);
}

static void fn_map_values(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    map_part(cx, argc, argv, false);
}

/* CONCAT(array, ...) -> ARRAY: the elements in order; NULL if any is NULL
 * (§6.2: "also ARRAY concat in 2.0", with CONCAT's NULL rule). */
static void fn_concat(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, '[');
    size_t total = 0;
    for (int a = 0; a < argc; a++) {
        span *keys, *vals;
        size_t n;
        if (!container_arg(cx, argv[a], &keys, &vals, &n, NULL, "concat")) {
            mc_buf_free(&out);
            return;
        }
        for (size_t i = 0; i < n; i++, total++) {
            if (total)
                mc_buf_putc(&out, ',');
            mc_buf_append(&out, vals[i].p, (size_t)(vals[i].e - vals[i].p));
        }
        free(keys);
        free(vals);
    }
    mc_buf_putc(&out, ']');
    result_buf(cx, &out);
}

/* Offsets of the first match of re in s at or after from; false when none. */
static bool find(const regex_t *re, const char *s, size_t from, size_t *so, size_t *eo)
{
    regmatch_t m;
    if (regexec(re, s + from, 1, &m, from ? REG_NOTBOL : 0) != 0 || m.rm_eo == m.rm_so)
        return false;
    *so = from + (size_t)m.rm_so;
    *eo = from + (size_t)m.rm_eo;
    return true;
}

/* STR_TO_MAP(text[, delimiter1[, delimiter2]]) -> MAP<STRING,STRING>: the
 * delimiters are regular expressions, ',' and '=' by default; a pair without
 * delimiter2 maps to NULL; a repeated key keeps the last value (MaxCompute
 * STR_TO_MAP page: "test1.1,test2.2,test2.3" gives {test1:1, test2:3}). */
static void fn_str_to_map(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    for (int i = 0; i < argc; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            sqlite3_result_null(cx);
            return;
        }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *d1 = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : ",";
    const char *d2 = argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : "=";
    regex_t r1, r2;
    bool ok1 = regcomp(&r1, d1, REG_EXTENDED) == 0, ok2 = ok1 && regcomp(&r2, d2, REG_EXTENDED) == 0;
    if (!ok2) {
        if (ok1)
            regfree(&r1);
        fail(cx, "ODPS-0121011:Invalid regular expression pattern - in function str_to_map");
        return;
    }
    /* Pieces as (key, value) texts, then the object with last-wins keys. */
    size_t n = strlen(s), from = 0, np = 0;
    char **k = NULL, **v = NULL;
    for (bool more = true; more;) {
        size_t so = n, eo = n;
        more = find(&r1, s, from, &so, &eo);
        if (!more)
            so = eo = n;
        char *piece = mc_strndup(s + from, so - from);
        size_t a, b;
        k = mc_realloc(k, (np + 1) * sizeof *k);
        v = mc_realloc(v, (np + 1) * sizeof *v);
        if (find(&r2, piece, 0, &a, &b)) {
            k[np] = mc_strndup(piece, a);
            v[np] = mc_strdup(piece + b);
            free(piece);
        } else {
            k[np] = piece;
            v[np] = NULL;
        }
        np++;
        from = eo;
    }
    regfree(&r1);
    regfree(&r2);
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, '{');
    bool first = true;
    for (size_t i = 0; i < np; i++) {
        size_t last = i;
        bool seen = false;
        for (size_t j = 0; j < np; j++)
            if (!strcmp(k[j], k[i])) {
                seen |= j < i;
                last = j;
            }
        if (seen)
            continue;
        if (!first)
            mc_buf_putc(&out, ',');
        first = false;
        sql_nested_json_string(&out, k[i], strlen(k[i]));
        mc_buf_putc(&out, ':');
        if (v[last])
            sql_nested_json_string(&out, v[last], strlen(v[last]));
        else
            mc_buf_puts(&out, "null");
    }
    mc_buf_putc(&out, '}');
    for (size_t i = 0; i < np; i++) {
        free(k[i]);
        free(v[i]);
    }
    free(k);
    free(v);
    result_buf(cx, &out);
}

/* ---- CAST, FROM_JSON, TO_JSON --------------------------------------------------- */

typedef enum { CONV_CAST = 'c', CONV_FROM_JSON = 'f', CONV_TO_JSON = 't' } conv_mode;

static bool span_number(span s)
{
    return *s.p == '-' || isdigit((unsigned char)*s.p);
}

/* Whether FROM_JSON maps a JSON value of this form to type t (the FROM_JSON
 * page's table: NUMBER to the numeric types, BOOLEAN to BOOLEAN, STRING to
 * the text and date types, anything to STRING). */
static bool from_json_fits(const paimon_type *t, span s)
{
    switch (t->id) {
    case PAIMON_VARCHAR: return t->length == PAIMON_MAX_LENGTH || *s.p == '"';
    case PAIMON_BOOLEAN: return span_is(s, "true") || span_is(s, "false");
    case PAIMON_CHAR:
    case PAIMON_DATE:
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: return *s.p == '"';
    default: return span_number(s);
    }
}

/* A scalar span as type t in the executor's text: 0, 1 when FROM_JSON leaves
 * it out (a value of another form), -1 with err. */
static int conv_scalar(mc_buf *out, const paimon_type *t, span s, conv_mode mode, mc_err *err)
{
    if (mode == CONV_TO_JSON) {
        size_t n;
        char *txt = span_string(s, &n);
        if (txt)
            mc_json_string(out, txt, n); /* plain JSON: the Gson escapes are the console's, not TO_JSON's */
        else
            mc_buf_append(out, s.p, (size_t)(s.e - s.p));
        free(txt);
        return 0;
    }
    if (mode == CONV_FROM_JSON && !from_json_fits(t, s))
        return 1;
    if (mode == CONV_FROM_JSON && t->id == PAIMON_VARCHAR && *s.p != '"') {
        /* a number, boolean, array or object read as STRING keeps its JSON text */
        sql_nested_json_string(out, s.p, (size_t)(s.e - s.p));
        return 0;
    }
    paimon_datum d;
    mc_buf hold = MC_BUF_INIT;
    int rc = from_span(&d, t, s, &hold, err);
    if (rc == 0 && (t->id == PAIMON_CHAR || t->id == PAIMON_VARCHAR))
        d.ptr = (const uint8_t *)hold.data + (uintptr_t)d.ptr;
    if (rc == 0)
        rc = to_json(out, t, &d, err);
    mc_buf_free(&hold);
    if (rc && mode == CONV_FROM_JSON && err->code != MC_ERR_UNSUPPORTED)
        return 1;
    return rc;
}

static int conv(mc_buf *out, const paimon_type *t, span s, conv_mode mode, mc_err *err);

/* The value of the JSON object's key name (exact, case-sensitive), or "null". */
static span object_get(const span *keys, const span *vals, size_t n, const char *name)
{
    static const char NUL[] = "null";
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *k = span_string(keys[i], &len);
        bool hit = k && len == strlen(name) && !memcmp(k, name, len);
        free(k);
        if (hit)
            return vals[i];
    }
    return (span){NUL, NUL + 4};
}

/* One entry of a container: key (MAP, STRUCT) and value; rc as conv, 1 also
 * for an entry left out (nothing written). */
static int conv_entry(mc_buf *out, const paimon_type *t, size_t i, const span *keys, const span *vals, size_t n,
                      conv_mode mode, mc_err *err)
{
    if (t->id == PAIMON_ARRAY)
        return conv(out, t->element, vals[i], mode, err);
    span v = vals[i];
    mc_buf k = MC_BUF_INIT;
    int rc = 0;
    if (t->id == PAIMON_MAP) {
        rc = mode == CONV_TO_JSON ? conv_scalar(&k, t->key, keys[i], mode, err)
                                  : conv(&k, t->key, keys[i], mode == CONV_FROM_JSON ? CONV_CAST : mode, err);
        if (rc == 0 && k.data[0] != '"') {
            mc_buf q = MC_BUF_INIT; /* map keys are always JSON strings (see key_json) */
            sql_nested_json_string(&q, k.data, k.len);
            mc_buf_free(&k);
            k = q;
        }
    } else {
        const char *name = t->fields[i].name;
        char *lower = mode == CONV_TO_JSON ? mc_str_lower(mc_strdup(name)) : NULL;
        if (mode == CONV_FROM_JSON)
            v = object_get(keys, vals, n, name);
        if (lower)
            mc_json_string(&k, lower, strlen(lower));
        else
            sql_nested_json_string(&k, name, strlen(name));
        free(lower);
    }
    if (rc < 0 && mode == CONV_FROM_JSON && err->code != MC_ERR_UNSUPPORTED)
        rc = 1; /* FROM_JSON: an entry whose key is not of the key type is left out */
    mc_buf val = MC_BUF_INIT;
    if (rc == 0)
        rc = conv(&val, t->id == PAIMON_MAP ? t->value : t->fields[i].type, v, mode, err);
    if (rc == 1 && t->id == PAIMON_ROW) { /* FROM_JSON: a field of another form is NULL */
        mc_buf_puts(&val, "null");
        rc = 0;
    }
    /* TO_JSON leaves out a STRUCT field whose value is NULL (TO_JSON page). */
    if (rc == 0 && mode == CONV_TO_JSON && t->id == PAIMON_ROW && !strcmp(val.data, "null"))
        rc = 1;
    if (rc == 0)
        mc_buf_printf(out, "%s:%s", k.data, val.data);
    mc_buf_free(&k);
    mc_buf_free(&val);
    return rc;
}

/* The JSON value s as type t: 0, 1 (FROM_JSON: not of t's form), -1 with err. */
static int conv(mc_buf *out, const paimon_type *t, span s, conv_mode mode, mc_err *err)
{
    if (span_is(s, "null")) {
        mc_buf_puts(out, "null");
        return 0;
    }
    if (!sql_nested_type(t))
        return conv_scalar(out, t, s, mode, err);
    span *keys, *vals;
    size_t n;
    bool obj = false;
    if (entries(&keys, &vals, &n, s.p, s.e, &obj) || obj != (t->id != PAIMON_ARRAY)) {
        free(keys);
        free(vals);
        if (mode == CONV_FROM_JSON)
            return 1;
        mc_buf tn = MC_BUF_INIT;
        paimon_type_to_sql(&tn, t);
        int rc = mc_err_set(err, MC_ERR_INVALID, "ODPS-0123091:Illegal type cast - value %.*s is not a %s",
                            (int)(s.e - s.p > 200 ? 200 : s.e - s.p), s.p, tn.data);
        mc_buf_free(&tn);
        return rc;
    }
    int rc = 0;
    if (t->id == PAIMON_ROW && mode != CONV_FROM_JSON && n != t->nfields)
        rc = mc_err_set(err, MC_ERR_INVALID,
                        "ODPS-0123091:Illegal type cast - a STRUCT of %zu fields cannot be casted to one of %zu", n,
                        t->nfields);
    size_t count = t->id == PAIMON_ROW ? t->nfields : n;
    mc_buf_putc(out, t->id == PAIMON_ARRAY ? '[' : '{');
    bool first = true;
    for (size_t i = 0; i < count && rc == 0; i++) {
        mc_buf e = MC_BUF_INIT;
        rc = conv_entry(&e, t, i, keys, vals, n, mode, err);
        if (rc == 0) {
            if (!first)
                mc_buf_putc(out, ',');
            mc_buf_append(out, e.data, e.len);
            first = false;
        }
        rc = rc == 1 ? 0 : rc;
        mc_buf_free(&e);
    }
    mc_buf_putc(out, t->id == PAIMON_ARRAY ? ']' : '}');
    free(keys);
    free(vals);
    return rc < 0 ? -1 : 0;
}

static void free_type(void *t)
{
    paimon_type_free(t);
}

/* mc_nested_convert(value, type, mode): type is the Paimon JSON of the target
 * type (CAST, FROM_JSON) or of the value's type (TO_JSON); mode 'c' CAST
 * (§1.3: STRUCT fields by position), 'f' FROM_JSON (FROM_JSON page: STRUCT
 * fields by exact name, a missing or mismatched field NULL, a mismatched
 * element or map entry left out; text that is not JSON gives NULL), 't'
 * TO_JSON (plain JSON, STRUCT keys lower case, NULL fields left out). */
static void fn_convert(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *mode = (const char *)sqlite3_value_text(argv[2]);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !mode) {
        sqlite3_result_null(cx);
        return;
    }
    mc_err err = {0};
    paimon_type *t = sqlite3_get_auxdata(cx, 1);
    if (!t) {
        json_t *j = json_loads((const char *)sqlite3_value_text(argv[1]), 0, NULL);
        if (!j || paimon_type_from_json(&t, j, &err)) {
            json_decref(j);
            fail(cx, "mc_nested_convert: bad type");
            return;
        }
        json_decref(j);
        sqlite3_set_auxdata(cx, 1, t, free_type);
        if (!(t = sqlite3_get_auxdata(cx, 1))) {
            fail(cx, "mc_nested_convert: out of memory");
            return;
        }
    }
    const char *v = (const char *)sqlite3_value_text(argv[0]);
    span s = {v, v + sqlite3_value_bytes(argv[0])};
    s.p = ws(s.p, s.e);
    while (s.e > s.p && (s.e[-1] == ' ' || s.e[-1] == '\n' || s.e[-1] == '\t' || s.e[-1] == '\r'))
        s.e--;
    if (*mode == CONV_FROM_JSON && (s.p == s.e || skip_value(s.p, s.e, 0) != s.e)) {
        sqlite3_result_null(cx);
        return;
    }
    mc_buf out = MC_BUF_INIT;
    int rc = conv(&out, t, s, (conv_mode)*mode, &err);
    if (rc) {
        mc_buf_free(&out);
        if (rc < 0)
            fail(cx, err.msg);
        else
            sqlite3_result_null(cx); /* FROM_JSON of a value of another form */
        return;
    }
    result_buf(cx, &out);
}

int sql_nested_register(sqlite3 *db, mc_err *err)
{
    static const struct {
        const char *name;
        int nargs;
        void (*f)(sqlite3_context *, int, sqlite3_value **);
    } FNS[] = {
        {"mc_nested_array", -1, fn_array},   {"mc_nested_object", -1, fn_object}, {"mc_nested_get", 3, fn_get},
        {"mc_nested_size", 1, fn_size},      {"mc_nested_concat", -1, fn_concat}, {"mc_map_keys", 2, fn_map_keys},
        {"mc_map_values", 1, fn_map_values}, {"mc_str_to_map", 1, fn_str_to_map}, {"mc_str_to_map", 2, fn_str_to_map},
        {"mc_str_to_map", 3, fn_str_to_map}, {"mc_nested_convert", 3, fn_convert},
    };
    for (size_t i = 0; i < sizeof FNS / sizeof *FNS; i++)
        if (sqlite3_create_function(db, FNS[i].name, FNS[i].nargs, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                    FNS[i].f, NULL, NULL))
            return mc_err_set(err, MC_ERR_INTERNAL, "sqlite: registering %s: %s", FNS[i].name, sqlite3_errmsg(db));
    return 0;
}
