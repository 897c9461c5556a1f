/*
 * paimon/partition: partition path rendering, escaping and parsing
 * (reference/paimon-format.md §1). Java sources consulted for the value text:
 * InternalRowPartitionComputer (toString of the internal value),
 * Timestamp.toString (= LocalDateTime.toString: seconds only when non-zero,
 * fraction in groups of 3 digits) and PartitionPathUtils (escaping).
 */
#include "paimon/partition.h"

#include "strutil.h"
#include "timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool needs_escape(unsigned char c)
{
    if (c < 0x20 || c == 0x7f)
        return true;
    return strchr("\"#%'*/:=?\\{}[]^", c) != NULL && c != 0;
}

void paimon_partition_escape(mc_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (needs_escape(c))
            mc_buf_printf(out, "%%%02X", c);
        else
            mc_buf_putc(out, (char)c);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int paimon_partition_unescape(mc_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n)
                return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            mc_buf_putc(out, (char)(h * 16 + l));
            i += 2;
        } else {
            mc_buf_putc(out, s[i]);
        }
    }
    return 0;
}


/* LocalDateTime.toString of epoch millis + nano-of-milli as if UTC. */
static void timestamp_text(mc_buf *out, int64_t millis, int32_t nanos)
{
    int64_t days = millis / 86400000, ms = millis % 86400000;
    if (ms < 0) {
        ms += 86400000;
        days--;
    }
    int64_t y = 0;
    int mo, d;
    mc_civil_from_days(days, &y, &mo, &d);
    int hh = (int)(ms / 3600000), mi = (int)(ms / 60000 % 60), ss = (int)(ms / 1000 % 60);
    int64_t nano = (ms % 1000) * 1000000 + nanos;
    if (y > 9999)
        mc_buf_printf(out, "+%" PRId64, y);
    else
        mc_buf_printf(out, "%04" PRId64, y);
    mc_buf_printf(out, "-%02d-%02dT%02d:%02d", mo, d, hh, mi);
    if (ss || nano) {
        mc_buf_printf(out, ":%02d", ss);
        if (nano == 0)
            ; /* seconds only */
        else if (nano % 1000000 == 0)
            mc_buf_printf(out, ".%03d", (int)(nano / 1000000));
        else if (nano % 1000 == 0)
            mc_buf_printf(out, ".%06d", (int)(nano / 1000));
        else if (nano)
            mc_buf_printf(out, ".%09d", (int)nano);
    }
}

bool paimon_partition_value_text(mc_buf *out, const paimon_type *t, const paimon_datum *v)
{
    if (v->is_null)
        return false;
    size_t start = out->len;
    switch (t->id) {
    case PAIMON_BOOLEAN: mc_buf_puts(out, v->i ? "true" : "false"); break;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
    case PAIMON_DATE: /* day number with legacy names (§1) */
    case PAIMON_TIME: mc_buf_printf(out, "%" PRId64, v->i); break;
    case PAIMON_FLOAT: mc_java_double_text(out, v->d, true); break;
    case PAIMON_DOUBLE: mc_java_double_text(out, v->d, false); break;
    case PAIMON_DECIMAL: paimon_decimal_format(out, v->dec, t->scale); break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: timestamp_text(out, v->i, v->nanos); break;
    default: mc_buf_append(out, v->ptr, v->len); break;
    }
    bool blank = true;
    for (size_t i = start; i < out->len; i++)
        if (!isspace((unsigned char)out->data[i]))
            blank = false;
    if (blank) {
        out->len = start;
        if (out->data)
            out->data[start] = 0;
        return false;
    }
    return true;
}

void paimon_partition_path(mc_buf *out, char *const *names, const paimon_type *const *types,
                           const paimon_datum *vals, size_t n, const char *default_name)
{
    mc_buf text = MC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        mc_buf_reset(&text);
        if (!paimon_partition_value_text(&text, types[i], &vals[i]))
            mc_buf_puts(&text, default_name ? default_name : PAIMON_DEFAULT_PARTITION_NAME);
        paimon_partition_escape(out, names[i], strlen(names[i]));
        mc_buf_putc(out, '=');
        paimon_partition_escape(out, text.data, text.len);
        mc_buf_putc(out, '/');
    }
    mc_buf_free(&text);
}

void paimon_partition_spec_free(paimon_option *spec, size_t n)
{
    for (size_t i = 0; spec && i < n; i++) {
        free(spec[i].key);
        free(spec[i].value);
    }
    free(spec);
}

int paimon_partition_parse(paimon_option **out, size_t *n, const char *path, mc_err *err)
{
    *out = NULL;
    *n = 0;
    paimon_option *spec = NULL;
    size_t cnt = 0;
    const char *p = path;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t seg = end ? (size_t)(end - p) : strlen(p);
        if (seg == 0) {
            p += 1;
            continue;
        }
        const char *eq = memchr(p, '=', seg);
        if (!eq || eq == p || eq == p + seg - 1) {
            paimon_partition_spec_free(spec, cnt);
            return mc_err_set(err, MC_ERR_INVALID, "partition segment '%.*s' is not name=value",
                              (int)seg, p);
        }
        mc_buf k = MC_BUF_INIT, v = MC_BUF_INIT;
        if (paimon_partition_unescape(&k, p, (size_t)(eq - p)) != 0 ||
            paimon_partition_unescape(&v, eq + 1, seg - (size_t)(eq - p) - 1) != 0) {
            mc_buf_free(&k);
            mc_buf_free(&v);
            paimon_partition_spec_free(spec, cnt);
            return mc_err_set(err, MC_ERR_INVALID, "malformed escape in partition segment '%.*s'",
                              (int)seg, p);
        }
        spec = mc_realloc(spec, (cnt + 1) * sizeof *spec);
        spec[cnt].key = mc_buf_detach(&k, NULL);
        spec[cnt].value = mc_buf_detach(&v, NULL);
        cnt++;
        p += seg;
        if (*p == '/')
            p++;
    }
    *out = spec;
    *n = cnt;
    return 0;
}

static int parse_i64(const char *s, int64_t *v)
{
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *v = x;
    return 0;
}

int paimon_partition_value_parse(paimon_datum *out, const paimon_type *t, const char *text,
                                 const char *default_name, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(text, default_name ? default_name : PAIMON_DEFAULT_PARTITION_NAME) == 0) {
        out->is_null = true;
        return 0;
    }
    switch (t->id) {
    case PAIMON_BOOLEAN:
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
            out->i = text[0] == 't';
            return 0;
        }
        break;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
    case PAIMON_DATE:
    case PAIMON_TIME:
        if (parse_i64(text, &out->i) == 0)
            return 0;
        break;
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE: {
        char *end;
        out->d = strtod(text, &end);
        if (end != text && !*end)
            return 0;
        break;
    }
    case PAIMON_DECIMAL: return paimon_decimal_parse(&out->dec, text, t->scale, err);
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: {
        int y, mo, d, hh = 0, mi = 0, ss = 0, consumed = 0;
        if (sscanf(text, "%d-%d-%dT%d:%d%n", &y, &mo, &d, &hh, &mi, &consumed) < 5)
            break;
        const char *p = text + consumed;
        int64_t nano = 0;
        if (*p == ':') {
            int c2 = 0;
            if (sscanf(p, ":%d%n", &ss, &c2) < 1)
                break;
            p += c2;
            if (*p == '.') {
                int digits = 0;
                for (p++; isdigit((unsigned char)*p) && digits < 9; p++, digits++)
                    nano = nano * 10 + (*p - '0');
                for (; digits < 9; digits++)
                    nano *= 10;
            }
        }
        if (*p)
            break;
        int64_t ms = mc_days_from_civil(y, mo, d) * 86400000 + (int64_t)hh * 3600000 + mi * 60000 +
                     ss * 1000 + nano / 1000000;
        out->i = ms;
        out->nanos = (int32_t)(nano % 1000000);
        return 0;
    }
    default:
        out->ptr = (const uint8_t *)text;
        out->len = strlen(text);
        return 0;
    }
    return mc_err_set(err, MC_ERR_INVALID, "partition value '%s' is not a valid %s", text,
                      t->id == PAIMON_BOOLEAN ? "BOOLEAN" : "value of the column's type");
}

void paimon_data_file_path(mc_buf *out, const char *table_root, const char *partition_path,
                           int32_t bucket, const char *file_name, const char *external_path)
{
    if (external_path) {
        mc_buf_puts(out, external_path);
        return;
    }
    size_t rl = strlen(table_root);
    mc_buf_append(out, table_root, rl);
    if (rl && table_root[rl - 1] != '/')
        mc_buf_putc(out, '/');
    mc_buf_puts(out, partition_path);
    if (bucket == -2)
        mc_buf_puts(out, "bucket-postpone/");
    else
        mc_buf_printf(out, "bucket-%d/", bucket);
    mc_buf_puts(out, file_name);
}
