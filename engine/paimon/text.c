/* paimon/text: see text.h. */
#include "paimon/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/binrow.h"

#include "strutil.h"
#include "timeutil.h"

static void date_text(mc_buf *out, int64_t days)
{
    int64_t y;
    int m, d;
    mc_civil_from_days(days, &y, &m, &d);
    mc_buf_printf(out, "%04lld-%02d-%02d", (long long)y, m, d);
}

/* YYYY-MM-DD HH:MM:SS[.p digits] of epoch millis + nanos-of-milli, UTC. */
static void timestamp_text(mc_buf *out, int64_t millis, int32_t nanos, int precision)
{
    int64_t days = millis / 86400000, ms = millis % 86400000;
    if (ms < 0) {
        ms += 86400000;
        days--;
    }
    date_text(out, days);
    int64_t secs = ms / 1000;
    mc_buf_printf(out, " %02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    if (precision > 0) {
        char frac[16];
        snprintf(frac, sizeof frac, "%03d%06d", (int)(ms % 1000), (int)nanos);
        mc_buf_putc(out, '.');
        mc_buf_append(out, frac, (size_t)(precision > 9 ? 9 : precision));
    }
}

static bool is_nested(const paimon_type *t)
{
    return t->id == PAIMON_ARRAY || t->id == PAIMON_MAP || t->id == PAIMON_MULTISET || t->id == PAIMON_ROW;
}

static int json_value(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err);

/* A non-null value's text as a JSON string. */
static int json_text_string(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    mc_buf k = MC_BUF_INIT;
    int rc = paimon_datum_text(&k, t, d, err);
    if (rc == 0)
        mc_json_string(out, k.data ? k.data : "", k.len);
    mc_buf_free(&k);
    return rc;
}

/* A map key as a JSON object key: its text, quoted (paimon-cat-csv.md). */
static int json_key(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    if (d->is_null) {
        mc_buf_puts(out, "\"null\"");
        return 0;
    }
    return json_text_string(out, t, d, err);
}

/* Nested values as compact JSON (reference/paimon-cat-csv.md "Nested"):
 * ARRAY [e,...], ROW {"field":v,...}, MAP/MULTISET {"key":v,...} in stored
 * order; numbers and booleans bare, other atomic values as JSON strings of
 * their text, NULL null. */
static int json_nested(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    paimon_datum *kids;
    size_t n;
    if (paimon_nested_read(&kids, &n, t, d, err) != 0)
        return -1;
    int rc = 0;
    mc_buf_putc(out, t->id == PAIMON_ARRAY ? '[' : '{');
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i)
            mc_buf_putc(out, ',');
        if (t->id == PAIMON_ROW) {
            mc_json_string(out, t->fields[i].name, strlen(t->fields[i].name));
            mc_buf_putc(out, ':');
        } else if (t->id != PAIMON_ARRAY) {
            rc = json_key(out, paimon_nested_child_type(t, i, n), &kids[i], err);
            mc_buf_putc(out, ':');
        }
        size_t vi = t->id == PAIMON_MAP || t->id == PAIMON_MULTISET ? n + i : i; /* values follow keys */
        if (rc == 0)
            rc = json_value(out, paimon_nested_child_type(t, vi, n), &kids[vi], err);
    }
    mc_buf_putc(out, t->id == PAIMON_ARRAY ? ']' : '}');
    free(kids);
    return rc;
}

static int json_value(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    if (d->is_null) {
        mc_buf_puts(out, "null");
        return 0;
    }
    if (is_nested(t))
        return json_nested(out, t, d, err);
    switch (t->id) {
    case PAIMON_BOOLEAN:
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
    case PAIMON_DECIMAL:
        return paimon_datum_text(out, t, d, err);
    default:
        return json_text_string(out, t, d, err);
    }
}

int paimon_datum_text(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    if (is_nested(t))
        return json_nested(out, t, d, err);
    switch (t->id) {
    case PAIMON_BOOLEAN: mc_buf_puts(out, d->i ? "true" : "false"); return 0;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT: mc_buf_printf(out, "%lld", (long long)d->i); return 0;
    case PAIMON_FLOAT: mc_java_double_text(out, d->d, true); return 0;
    case PAIMON_DOUBLE: mc_java_double_text(out, d->d, false); return 0;
    case PAIMON_DECIMAL: paimon_decimal_format(out, d->dec, t->scale); return 0;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR: mc_buf_append(out, d->ptr, d->len); return 0;
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
        for (size_t i = 0; i < d->len; i++)
            mc_buf_printf(out, "%02x", d->ptr[i]);
        return 0;
    case PAIMON_DATE: date_text(out, d->i); return 0;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: timestamp_text(out, d->i, d->nanos, t->precision); return 0;
    default: {
        mc_buf n = MC_BUF_INIT;
        paimon_type_to_sql(&n, t);
        int rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "printing %s values is not supported yet", n.data);
        mc_buf_free(&n);
        return rc;
    }
    }
}

void paimon_csv_field(mc_buf *out, const char *text, size_t len, bool is_null)
{
    if (is_null)
        return;
    bool quote = len == 0;
    for (size_t i = 0; i < len && !quote; i++)
        quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
    if (!quote) {
        mc_buf_append(out, text, len);
        return;
    }
    mc_buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            mc_buf_putc(out, '"');
        mc_buf_putc(out, text[i]);
    }
    mc_buf_putc(out, '"');
}
