/* sign_dlf: see sign_dlf.h. Rules: reference/paimon-rest.md §3.3 (default) and §3.4 (OpenAPI). */
#include "sign_dlf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"

void sign_dlf_url_encode(mc_buf *out, const char *s)
{
    static const char hexd[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '.' || *p == '-' || *p == '*' || *p == '_')
            mc_buf_putc(out, (char)*p);
        else if (*p == ' ')
            mc_buf_putc(out, '+');
        else {
            char e[3] = {'%', hexd[*p >> 4], hexd[*p & 15]};
            mc_buf_append(out, e, 3);
        }
    }
}

typedef struct {
    char *k;
    char *v;
} pair;

static int pair_cmp(const void *a, const void *b)
{
    return strcmp(((const pair *)a)->k, ((const pair *)b)->k);
}

/* Sorted (key, value) pairs: keys and values trimmed; values URLEncoder-
 * encoded when encode is set, else kept decoded. */
static pair *sorted_query(const mc_query *q, bool encode, size_t *n)
{
    size_t c = q ? q->count : 0;
    pair *p = mc_calloc(c ? c : 1, sizeof *p);
    for (size_t i = 0; i < c; i++) {
        p[i].k = mc_str_trim_dup(q->items[i].name, strlen(q->items[i].name));
        char *v = mc_str_trim_dup(q->items[i].value, strlen(q->items[i].value));
        if (encode) {
            mc_buf b = MC_BUF_INIT;
            sign_dlf_url_encode(&b, v);
            free(v);
            v = mc_buf_detach(&b, NULL);
        }
        p[i].v = v;
    }
    qsort(p, c, sizeof *p, pair_cmp);
    *n = c;
    return p;
}

static void pairs_free(pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].k);
        free(p[i].v);
    }
    free(p);
}

static void put_query(mc_buf *out, const pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            mc_buf_putc(out, '&');
        mc_buf_puts(out, p[i].k);
        if (*p[i].v)
            mc_buf_printf(out, "=%s", p[i].v);
    }
}

/* The fixed signed-header list, already in sorted order (§3.3). */
static const char *const SIGNED[] = {"content-md5", "content-type", "x-dlf-content-sha256",
                                     "x-dlf-date", "x-dlf-security-token", "x-dlf-version"};

void sign_dlf_canonical_request(mc_buf *out, const sign_dlf_request *r)
{
    mc_buf_printf(out, "%s\n%s\n", r->method, r->path);
    size_t n;
    pair *q = sorted_query(r->query, true, &n);
    put_query(out, q, n);
    pairs_free(q, n);
    mc_buf_putc(out, '\n');
    for (size_t i = 0; i < sizeof SIGNED / sizeof *SIGNED; i++) {
        const char *v = mc_header_get(r->headers, r->nheaders, SIGNED[i]);
        if (!v)
            continue;
        char *t = mc_str_trim_dup(v, strlen(v));
        mc_buf_printf(out, "%s:%s\n", SIGNED[i], t);
        free(t);
    }
    const char *payload = mc_header_get(r->headers, r->nheaders, "x-dlf-content-sha256");
    mc_buf_puts(out, payload ? payload : "UNSIGNED-PAYLOAD");
}

void sign_dlf_string_to_sign(mc_buf *out, const char *dlf_date, const char *region, const char *canonical_request)
{
    uint8_t h[MC_SHA256_LEN];
    char hex[2 * MC_SHA256_LEN + 1];
    mc_sha256(h, canonical_request, strlen(canonical_request));
    mc_hex_lower(hex, h, sizeof h);
    mc_buf_printf(out, "DLF4-HMAC-SHA256\n%s\n%.8s/%s/DlfNext/aliyun_v4_request\n%s", dlf_date, dlf_date, region, hex);
}

void sign_dlf_signature(char out[65], const char *secret, const char *date8, const char *region,
                        const char *string_to_sign)
{
    uint8_t k[MC_SHA256_LEN], sig[MC_SHA256_LEN];
    char *seed = mc_asprintf("aliyun_v4%s", secret);
    mc_hmac_sha256(k, seed, strlen(seed), date8, strlen(date8));
    free(seed);
    mc_hmac_sha256(k, k, sizeof k, region, strlen(region));
    mc_hmac_sha256(k, k, sizeof k, "DlfNext", 7);
    mc_hmac_sha256(k, k, sizeof k, "aliyun_v4_request", 17);
    mc_hmac_sha256(sig, k, sizeof k, string_to_sign, strlen(string_to_sign));
    mc_hex_lower(out, sig, sizeof sig);
}

void sign_dlf_authorization(mc_buf *out, const sign_dlf_request *r, const char *access_key_id,
                            const char *secret, const char *region)
{
    const char *date = mc_header_get(r->headers, r->nheaders, "x-dlf-date");
    if (!date)
        date = "";
    mc_buf creq = MC_BUF_INIT, sts = MC_BUF_INIT;
    sign_dlf_canonical_request(&creq, r);
    sign_dlf_string_to_sign(&sts, date, region, creq.data);
    char date8[9] = "";
    strncat(date8, date, 8);
    char sig[65];
    sign_dlf_signature(sig, secret, date8, region, sts.data);
    mc_buf_printf(out, "DLF4-HMAC-SHA256 Credential=%s/%s/%s/DlfNext/aliyun_v4_request,Signature=%s", access_key_id,
                  date8, region, sig);
    mc_buf_free(&creq);
    mc_buf_free(&sts);
}

typedef struct {
    char *name;
    const char *value;
} hdr;

static int hdr_cmp(const void *a, const void *b)
{
    return strcmp(((const hdr *)a)->name, ((const hdr *)b)->name);
}

void sign_dlf_openapi_string_to_sign(mc_buf *out, const sign_dlf_request *r)
{
    const char *names[] = {"Accept", "Content-MD5", "Content-Type", "Date"};
    mc_buf_printf(out, "%s\n", r->method);
    for (size_t i = 0; i < 4; i++) {
        const char *v = mc_header_get(r->headers, r->nheaders, names[i]);
        mc_buf_printf(out, "%s\n", v ? v : "");
    }
    hdr *h = mc_calloc(r->nheaders ? r->nheaders : 1, sizeof *h);
    size_t n = 0;
    for (size_t i = 0; i < r->nheaders; i++)
        if (strncasecmp(r->headers[i].name, "x-acs-", 6) == 0) {
            h[n].name = mc_str_lower(mc_strdup(r->headers[i].name));
            h[n].value = r->headers[i].value;
            n++;
        }
    qsort(h, n, sizeof *h, hdr_cmp);
    for (size_t i = 0; i < n; i++) {
        mc_buf_printf(out, "%s:%s\n", h[i].name, h[i].value);
        free(h[i].name);
    }
    free(h);
    /* Resource: URL-decoded path (URLDecoder: '+' is a space), then sorted
     * decoded parameters. */
    mc_buf path = MC_BUF_INIT;
    if (mc_url_decode(&path, r->path, strlen(r->path), true))
        mc_buf_puts(&path, r->path);
    mc_buf_append(out, path.data, path.len);
    mc_buf_free(&path);
    size_t nq;
    pair *q = sorted_query(r->query, false, &nq);
    if (nq)
        mc_buf_putc(out, '?');
    put_query(out, q, nq);
    pairs_free(q, nq);
}

void sign_dlf_openapi_authorization(mc_buf *out, const sign_dlf_request *r, const char *access_key_id,
                                    const char *secret)
{
    mc_buf sts = MC_BUF_INIT;
    sign_dlf_openapi_string_to_sign(&sts, r);
    uint8_t mac[MC_SHA1_LEN];
    mc_hmac_sha1(mac, secret, strlen(secret), sts.data, sts.len);
    mc_buf_printf(out, "acs %s:", access_key_id);
    mc_base64_encode(out, mac, sizeof mac);
    mc_buf_free(&sts);
}
