/*
 * strutil: small string helpers shared by both sides: URL encoding in the
 * variants the signing schemes need, case-insensitive compare, trimming,
 * prefix tests, and key=value query parsing.
 */
#ifndef MC_STRUTIL_H
#define MC_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* RFC 3986 strict: only A-Z a-z 0-9 - . _ ~ stay literal; '/' kept when
 * keep_slash. Upper-case hex. (reference/oss-api.md §3, paimon-rest.md §3.3) */
void mc_url_encode(mc_buf *out, const char *s, size_t n, bool keep_slash);
/* Percent-decoding; '+' stays '+' unless plus_is_space. Returns 0, or -1 on a
 * malformed escape. Decoded NUL bytes are kept (callers validate). */
int mc_url_decode(mc_buf *out, const char *s, size_t n, bool plus_is_space);

bool mc_str_starts_with(const char *s, const char *prefix);
bool mc_str_ends_with(const char *s, const char *suffix);
bool mc_str_ieq(const char *a, const char *b);
/* Lower-cases in place; returns s. */
char *mc_str_lower(char *s);
/* Returns a new string without leading/trailing ASCII whitespace. */
char *mc_str_trim_dup(const char *s, size_t n);

/* A parsed query string: names and values percent-decoded, in request order. */
typedef struct {
    char *name;
    char *value; /* "" when absent; has_value says whether '=' was present */
    bool has_value;
} mc_query_param;

typedef struct {
    mc_query_param *items;
    size_t count;
} mc_query;

/* Parses "a=1&b&c=x%20y". Returns 0 or -1 on a malformed escape. */
int mc_query_parse(mc_query *out, const char *qs);
void mc_query_free(mc_query *q);
/* First value of name, or NULL when absent. */
const char *mc_query_get(const mc_query *q, const char *name);
bool mc_query_has(const mc_query *q, const char *name);

/* Java's Double.toString / Float.toString (is_float): shortest round-tripping
 * digits, plain notation for 1e-3 <= |x| < 1e7, else d.dddE<n>. */
void mc_java_double_text(mc_buf *out, double v, bool is_float);
/* Appends s[0..n) as a JSON string literal (quoted, escaped; UTF-8 passes through). */
void mc_json_string(mc_buf *out, const char *s, size_t n);

/* Parses a decimal integer in full; returns 0 or -1. */
int mc_parse_i64(const char *s, long long *out);

#endif
