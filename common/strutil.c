/* strutil: see strutil.h. */
#include "strutil.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mc_url_encode(mc_buf *out, const char *s, size_t n, bool keep_slash)
{
    static const char hexd[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
            mc_buf_putc(out, (char)c);
        } else {
            char e[3] = {'%', hexd[c >> 4], hexd[c & 15]};
            mc_buf_append(out, e, 3);
        }
    }
}

static int hv(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int mc_url_decode(mc_buf *out, const char *s, size_t n, bool plus_is_space)
{
    mc_buf_reserve(out, n);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hv(s[i + 1]), lo = hv(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            mc_buf_putc(out, (char)(hi << 4 | lo));
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            mc_buf_putc(out, ' ');
        } else {
            mc_buf_putc(out, s[i]);
        }
    }
    return 0;
}

bool mc_str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool mc_str_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

bool mc_str_ieq(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

char *mc_str_lower(char *s)
{
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

char *mc_str_trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return mc_strndup(s, n);
}

int mc_query_parse(mc_query *out, const char *qs)
{
    out->items = NULL;
    out->count = 0;
    if (!qs || !*qs)
        return 0;
    const char *p = qs;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t nlen = eq ? (size_t)(eq - p) : len;
            mc_buf name = MC_BUF_INIT, value = MC_BUF_INIT;
            if (mc_url_decode(&name, p, nlen, true) ||
                (eq && mc_url_decode(&value, eq + 1, len - nlen - 1, true))) {
                mc_buf_free(&name);
                mc_buf_free(&value);
                mc_query_free(out);
                return -1;
            }
            out->items = mc_realloc(out->items, (out->count + 1) * sizeof *out->items);
            mc_query_param *qp = &out->items[out->count++];
            qp->name = mc_buf_detach(&name, NULL);
            qp->value = mc_buf_detach(&value, NULL);
            qp->has_value = eq != NULL;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    return 0;
}

void mc_query_free(mc_query *q)
{
    for (size_t i = 0; i < q->count; i++) {
        free(q->items[i].name);
        free(q->items[i].value);
    }
    free(q->items);
    q->items = NULL;
    q->count = 0;
}

const char *mc_query_get(const mc_query *q, const char *name)
{
    for (size_t i = 0; i < q->count; i++)
        if (strcmp(q->items[i].name, name) == 0)
            return q->items[i].value;
    return NULL;
}

bool mc_query_has(const mc_query *q, const char *name)
{
    return mc_query_get(q, name) != NULL;
}

int mc_parse_i64(const char *s, long long *out)
{
    if (!s || !*s)
        return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || isspace((unsigned char)*s))
        return -1;
    *out = v;
    return 0;
}

/* Java's Double.toString / Float.toString, approximately: shortest
 * round-tripping digits, plain notation for 1e-3 <= |x| < 1e7 else d.dddE<n>. */
void mc_java_double_text(mc_buf *out, double v, bool is_float)
{
    if (isnan(v)) {
        mc_buf_puts(out, "NaN");
        return;
    }
    if (isinf(v)) {
        mc_buf_puts(out, v < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (v == 0) {
        mc_buf_puts(out, signbit(v) ? "-0.0" : "0.0");
        return;
    }
    char digits[40];
    int prec = 0;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(digits, sizeof digits, "%.*e", prec - 1, v);
        if (is_float ? (float)strtod(digits, NULL) == (float)v : strtod(digits, NULL) == v)
            break;
    }
    /* digits = "-d.ddde+XX" */
    char *e = strchr(digits, 'e');
    int exp = atoi(e + 1);
    *e = 0;
    char mant[40];
    size_t m = 0;
    bool neg = digits[0] == '-';
    for (char *p = digits + neg; *p; p++)
        if (isdigit((unsigned char)*p))
            mant[m++] = *p;
    mant[m] = 0;
    if (neg)
        mc_buf_putc(out, '-');
    if (exp >= -3 && exp < 7) {
        if (exp < 0) {
            mc_buf_puts(out, "0.");
            for (int i = 0; i < -exp - 1; i++)
                mc_buf_putc(out, '0');
            mc_buf_puts(out, mant);
        } else {
            for (int i = 0; i <= exp; i++)
                mc_buf_putc(out, (size_t)i < m ? mant[i] : '0');
            mc_buf_putc(out, '.');
            if ((size_t)exp + 1 < m)
                mc_buf_puts(out, mant + exp + 1);
            else
                mc_buf_putc(out, '0');
        }
    } else {
        mc_buf_putc(out, mant[0]);
        mc_buf_putc(out, '.');
        mc_buf_puts(out, m > 1 ? mant + 1 : "0");
        mc_buf_printf(out, "E%d", exp);
    }
}

/* JSON string literal: quotes, \" \\ \n \t \r, other controls as \u00XX. */
void mc_json_string(mc_buf *out, const char *s, size_t n)
{
    mc_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            mc_buf_putc(out, '\\');
            mc_buf_putc(out, (char)c);
        } else if (c == '\n') {
            mc_buf_puts(out, "\\n");
        } else if (c == '\t') {
            mc_buf_puts(out, "\\t");
        } else if (c == '\r') {
            mc_buf_puts(out, "\\r");
        } else if (c < 0x20) {
            mc_buf_printf(out, "\\u%04x", c);
        } else {
            mc_buf_putc(out, (char)c);
        }
    }
    mc_buf_putc(out, '"');
}
