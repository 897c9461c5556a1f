/* sign_pop: see sign_pop.h. Section numbers refer to reference/ram-sts.md. */
#include "sign_pop.h"

#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "sign_oss.h" /* sign_auth_field */

static int cmp_param(const void *a, const void *b)
{
    const mc_query_param *x = *(const mc_query_param *const *)a, *y = *(const mc_query_param *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void encode(mc_buf *out, const char *s)
{
    mc_url_encode(out, s, strlen(s), false);
}

/* The parameters sorted by name, without `skip` (NULL: keep all); caller frees the array. */
static const mc_query_param **sorted_params(const mc_query *q, const char *skip, size_t *n)
{
    *n = 0;
    if (!q || !q->count)
        return NULL;
    const mc_query_param **v = mc_calloc(q->count, sizeof *v);
    for (size_t i = 0; i < q->count; i++)
        if (!skip || strcmp(q->items[i].name, skip) != 0)
            v[(*n)++] = &q->items[i];
    qsort(v, *n, sizeof *v, cmp_param);
    return v;
}

/* `name=` is kept for empty values (§5.2, unlike OSS V4). */
static void canonical_query(mc_buf *out, const mc_query *q, const char *skip)
{
    size_t n;
    const mc_query_param **v = sorted_params(q, skip, &n);
    for (size_t i = 0; i < n; i++) {
        if (i)
            mc_buf_putc(out, '&');
        encode(out, v[i]->name);
        mc_buf_putc(out, '=');
        encode(out, v[i]->value);
    }
    free(v);
}

static bool v3_signs_by_default(const char *name)
{
    return mc_str_ieq(name, "host") || mc_str_ieq(name, "content-type") ||
           strncasecmp(name, "x-acs-", 6) == 0;
}

/* Lower-cased, sorted, de-duplicated names to sign (caller frees names and array). */
static char **header_names(const sign_pop_request *r, const char *signed_headers, size_t *n)
{
    char **v = NULL;
    *n = 0;
    if (signed_headers) {
        for (const char *p = signed_headers; *p;) {
            size_t len = strcspn(p, ";");
            if (len) {
                v = mc_realloc(v, (*n + 1) * sizeof *v);
                v[(*n)++] = mc_str_lower(mc_str_trim_dup(p, len));
            }
            p += len;
            if (*p == ';')
                p++;
        }
    } else {
        for (size_t i = 0; i < r->nheaders; i++)
            if (v3_signs_by_default(r->headers[i].name)) {
                v = mc_realloc(v, (*n + 1) * sizeof *v);
                v[(*n)++] = mc_str_lower(mc_strdup(r->headers[i].name));
            }
    }
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        if (k && !strcmp(v[k - 1], v[i]))
            free(v[i]);
        else
            v[k++] = v[i];
    }
    *n = k;
    return v;
}

/* Values trimmed, tab/CR/LF as spaces; several values of one name sorted and joined with ','. */
static void header_value(mc_buf *out, const sign_pop_request *r, const char *name)
{
    char **vals = NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->nheaders; i++) {
        if (!mc_str_ieq(r->headers[i].name, name))
            continue;
        char *t = mc_str_trim_dup(r->headers[i].value, strlen(r->headers[i].value));
        for (char *c = t; *c; c++)
            if (*c == '\t' || *c == '\r' || *c == '\n')
                *c = ' ';
        vals = mc_realloc(vals, (n + 1) * sizeof *vals);
        vals[n++] = t;
    }
    if (n > 1)
        qsort(vals, n, sizeof *vals, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (i)
            mc_buf_putc(out, ',');
        mc_buf_puts(out, vals[i]);
        free(vals[i]);
    }
    free(vals);
}

void sign_pop_v3_canonical_request(mc_buf *out, const sign_pop_request *r, const char *signed_headers,
                                   mc_buf *signed_out)
{
    mc_buf_printf(out, "%s\n%s\n", r->method, r->path && *r->path ? r->path : "/");
    canonical_query(out, r->query, NULL);
    mc_buf_putc(out, '\n');
    size_t n;
    char **names = header_names(r, signed_headers, &n);
    mc_buf list = MC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        mc_buf_printf(out, "%s:", names[i]);
        header_value(out, r, names[i]);
        mc_buf_putc(out, '\n');
        if (i)
            mc_buf_putc(&list, ';');
        mc_buf_puts(&list, names[i]);
        free(names[i]);
    }
    free(names);
    mc_buf_printf(out, "\n%s\n%s", mc_buf_cstr(&list), r->payload_hash ? r->payload_hash : "");
    if (signed_out)
        mc_buf_puts(signed_out, mc_buf_cstr(&list));
    mc_buf_free(&list);
}

void sign_pop_v3_string_to_sign(mc_buf *out, const char *canonical_request)
{
    uint8_t d[MC_SHA256_LEN];
    char hex[2 * MC_SHA256_LEN + 1];
    mc_sha256(d, canonical_request, strlen(canonical_request));
    mc_hex_lower(hex, d, sizeof d);
    mc_buf_printf(out, "%s\n%s", SIGN_POP_V3_ALGORITHM, hex);
}

void sign_pop_v3_signature(char out[65], const char *secret, const char *string_to_sign)
{
    uint8_t d[MC_SHA256_LEN];
    mc_hmac_sha256(d, secret, strlen(secret), string_to_sign, strlen(string_to_sign));
    mc_hex_lower(out, d, sizeof d);
}

void sign_pop_v3_authorization(mc_buf *out, const sign_pop_request *r, const char *signed_headers,
                               const char *access_key_id, const char *secret)
{
    mc_buf canon = MC_BUF_INIT, sts = MC_BUF_INIT, list = MC_BUF_INIT;
    sign_pop_v3_canonical_request(&canon, r, signed_headers, &list);
    sign_pop_v3_string_to_sign(&sts, canon.data);
    char sig[65];
    sign_pop_v3_signature(sig, secret, sts.data);
    mc_buf_printf(out, "%s Credential=%s,SignedHeaders=%s,Signature=%s", SIGN_POP_V3_ALGORITHM, access_key_id,
                  mc_buf_cstr(&list), sig);
    mc_buf_free(&canon);
    mc_buf_free(&sts);
    mc_buf_free(&list);
}

int sign_pop_v3_parse_authorization(const char *authorization, char **access_key_id, char **signed_headers,
                                    char **signature)
{
    *access_key_id = *signed_headers = *signature = NULL;
    size_t alg = strlen(SIGN_POP_V3_ALGORITHM);
    if (!authorization || strncmp(authorization, SIGN_POP_V3_ALGORITHM, alg) != 0 || authorization[alg] != ' ')
        return -1;
    const char *fields = authorization + alg + 1;
    *access_key_id = sign_auth_field(fields, "Credential");
    *signed_headers = sign_auth_field(fields, "SignedHeaders");
    *signature = sign_auth_field(fields, "Signature");
    if (*access_key_id && **access_key_id && *signed_headers && *signature && **signature)
        return 0;
    free(*access_key_id);
    free(*signed_headers);
    free(*signature);
    *access_key_id = *signed_headers = *signature = NULL;
    return -1;
}

void sign_pop_rpc_string_to_sign(mc_buf *out, const char *method, const mc_query *params)
{
    mc_buf q = MC_BUF_INIT;
    canonical_query(&q, params, "Signature");
    mc_buf_printf(out, "%s&%%2F&", method);
    mc_url_encode(out, mc_buf_cstr(&q), q.len, false);
    mc_buf_free(&q);
}

void sign_pop_rpc_signature(mc_buf *out, const char *secret, const char *string_to_sign)
{
    char *key = mc_asprintf("%s&", secret);
    uint8_t d[MC_SHA1_LEN];
    mc_hmac_sha1(d, key, strlen(key), string_to_sign, strlen(string_to_sign));
    mc_base64_encode(out, d, sizeof d);
    free(key);
}
