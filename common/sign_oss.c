/* sign_oss: see sign_oss.h. Rules: reference/oss-api.md §2 (V1) and §3 (V4). */
#include "sign_oss.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"

const char *mc_header_get(const mc_header *h, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(h[i].name, name) == 0)
            return h[i].value;
    return NULL;
}

bool sign_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

char *sign_auth_field(const char *h, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = h; (p = strstr(p, name)); p += n)
        if ((p == h || p[-1] == ' ' || p[-1] == ',') && p[n] == '=') {
            const char *v = p + n + 1, *e = strchr(v, ',');
            return mc_str_trim_dup(v, e ? (size_t)(e - v) : strlen(v));
        }
    return NULL;
}

int sign_oss_v1_parse_authorization(const char *authorization, char **ak, const char **signature)
{
    *ak = NULL;
    *signature = NULL;
    if (!mc_str_starts_with(authorization, "OSS "))
        return -1;
    const char *id = authorization + 4, *colon = strrchr(id, ':');
    if (!colon)
        return -1;
    *ak = mc_strndup(id, (size_t)(colon - id));
    *signature = colon + 1;
    return 0;
}

int sign_oss_v4_parse_credential(const char *c, char *ak, size_t akcap, char date8[9], char *region, size_t rcap)
{
    const char *p[5];
    size_t len[5];
    const char *s = c;
    for (int i = 0; i < 5; i++) {
        const char *e = i < 4 ? strchr(s, '/') : s + strlen(s);
        if (!e)
            return -1;
        p[i] = s;
        len[i] = (size_t)(e - s);
        s = e + 1;
    }
    if (len[0] == 0 || len[0] >= akcap || len[1] != 8 || len[2] == 0 || len[2] >= rcap || len[3] != 3 ||
        strncmp(p[3], "oss", 3) != 0 || len[4] != 17 || strncmp(p[4], "aliyun_v4_request", 17) != 0)
        return -1;
    memcpy(ak, p[0], len[0]);
    ak[len[0]] = '\0';
    memcpy(date8, p[1], 8);
    date8[8] = '\0';
    memcpy(region, p[2], len[2]);
    region[len[2]] = '\0';
    return 0;
}

/* §2: the client-side sub-resource list (GOv1 signKeyList). */
static const char *const SUBRESOURCES[] = {
    "acl", "uploads", "location", "cors", "logging", "website", "referer", "lifecycle", "delete", "append",
    "tagging", "objectMeta", "uploadId", "partNumber", "security-token", "position", "img", "style",
    "styleName", "replication", "replicationProgress", "replicationLocation", "cname", "bucketInfo", "comp",
    "qos", "live", "status", "vod", "startTime", "endTime", "symlink", "x-oss-process",
    "response-content-type", "x-oss-traffic-limit", "response-content-language", "response-expires",
    "response-cache-control", "response-content-disposition", "response-content-encoding", "udf", "udfName",
    "udfImage", "udfId", "udfImageDesc", "udfApplication", "udfApplicationLog", "restore", "callback",
    "callback-var", "qosInfo", "policy", "stat", "encryption", "versions", "versioning", "versionId",
    "requestPayment", "x-oss-request-payer", "sequential", "inventory", "inventoryId", "continuation-token",
    "asyncFetch", "worm", "wormId", "wormExtend", "withHashContext", "x-oss-enable-md5", "x-oss-enable-sha1",
    "x-oss-enable-sha256", "x-oss-hash-ctx", "x-oss-md5-ctx", "transferAcceleration", "regionList",
    "cloudboxes", "x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-ac-forward-allow",
    "metaQuery", "resourceGroup", "rtc", "x-oss-async-process", "responseHeader",
};

bool sign_oss_v1_is_subresource(const char *name)
{
    if (strncmp(name, "x-oss-", 6) == 0)
        return true;
    for (size_t i = 0; i < sizeof SUBRESOURCES / sizeof *SUBRESOURCES; i++)
        if (strcmp(name, SUBRESOURCES[i]) == 0)
            return true;
    return false;
}

typedef struct {
    char *name;
    char *value;
} kv;

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const kv *)a)->name, ((const kv *)b)->name);
}

static void kv_free(kv *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].value);
    }
    free(v);
}

/* Lower-cased, trimmed headers selected by pred, sorted by name; values of
 * repeated names joined with ','. */
static kv *collect_headers(const sign_oss_request *r, bool (*pred)(const char *lname, const char *extra),
                           const char *extra, size_t *count)
{
    kv *v = mc_calloc(r->nheaders ? r->nheaders : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < r->nheaders; i++) {
        char *lname = mc_str_lower(mc_strdup(r->headers[i].name));
        if (!pred(lname, extra)) {
            free(lname);
            continue;
        }
        char *val = mc_str_trim_dup(r->headers[i].value, strlen(r->headers[i].value));
        size_t j = 0;
        while (j < n && strcmp(v[j].name, lname) != 0)
            j++;
        if (j < n) {
            char *joined = mc_asprintf("%s,%s", v[j].value, val);
            free(v[j].value);
            free(val);
            free(lname);
            v[j].value = joined;
        } else {
            v[n].name = lname;
            v[n].value = val;
            n++;
        }
    }
    qsort(v, n, sizeof *v, kv_cmp);
    *count = n;
    return v;
}

static bool is_oss_header(const char *lname, const char *extra)
{
    (void)extra;
    return strncmp(lname, "x-oss-", 6) == 0;
}

static void put_resource_path(mc_buf *out, const sign_oss_request *r)
{
    mc_buf_putc(out, '/');
    if (r->bucket && *r->bucket) {
        mc_buf_puts(out, r->bucket);
        mc_buf_putc(out, '/');
        if (r->key)
            mc_buf_puts(out, r->key);
    }
}

void sign_oss_v1_string_to_sign(mc_buf *out, const sign_oss_request *r, const char *date)
{
    const char *md5 = mc_header_get(r->headers, r->nheaders, "Content-MD5");
    const char *type = mc_header_get(r->headers, r->nheaders, "Content-Type");
    mc_buf_printf(out, "%s\n%s\n%s\n%s\n", r->method, md5 ? md5 : "", type ? type : "", date ? date : "");
    size_t nh;
    kv *h = collect_headers(r, is_oss_header, NULL, &nh);
    for (size_t i = 0; i < nh; i++)
        mc_buf_printf(out, "%s:%s\n", h[i].name, h[i].value);
    kv_free(h, nh);
    put_resource_path(out, r);
    size_t nq = r->query ? r->query->count : 0, n = 0;
    kv *q = mc_calloc(nq ? nq : 1, sizeof *q);
    for (size_t i = 0; i < nq; i++)
        if (sign_oss_v1_is_subresource(r->query->items[i].name)) {
            q[n].name = mc_strdup(r->query->items[i].name);
            q[n].value = mc_strdup(r->query->items[i].value);
            n++;
        }
    qsort(q, n, sizeof *q, kv_cmp);
    for (size_t i = 0; i < n; i++) {
        mc_buf_putc(out, i ? '&' : '?');
        mc_buf_puts(out, q[i].name);
        if (*q[i].value)
            mc_buf_printf(out, "=%s", q[i].value);
    }
    kv_free(q, n);
}

void sign_oss_v1_signature(mc_buf *out, const char *secret, const char *sts)
{
    uint8_t mac[MC_SHA1_LEN];
    mc_hmac_sha1(mac, secret, strlen(secret), sts, strlen(sts));
    mc_base64_encode(out, mac, sizeof mac);
}

/* V4: the names AdditionalHeaders may add (lower-case, sorted, unique, present,
 * not default-signed). */
static bool default_signed(const char *lname)
{
    return !strcmp(lname, "content-type") || !strcmp(lname, "content-md5") || !strncmp(lname, "x-oss-", 6);
}

static bool in_list(const char *lname, const char *list)
{
    if (!list)
        return false;
    size_t n = strlen(lname);
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncasecmp(p, lname, n) == 0)
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

static bool is_v4_signed(const char *lname, const char *additional)
{
    return default_signed(lname) || in_list(lname, additional);
}

void sign_oss_v4_additional_headers(mc_buf *out, const sign_oss_request *r, const char *additional)
{
    size_t nh;
    kv *h = collect_headers(r, is_v4_signed, additional, &nh);
    bool first = true;
    for (size_t i = 0; i < nh; i++) {
        if (default_signed(h[i].name))
            continue;
        if (!first)
            mc_buf_putc(out, ';');
        mc_buf_puts(out, h[i].name);
        first = false;
    }
    kv_free(h, nh);
}

void sign_oss_v4_canonical_request(mc_buf *out, const sign_oss_request *r, const char *additional, bool presign)
{
    mc_buf_printf(out, "%s\n", r->method);
    mc_buf path = MC_BUF_INIT;
    put_resource_path(&path, r);
    mc_url_encode(out, path.data, path.len, true);
    mc_buf_free(&path);
    mc_buf_putc(out, '\n');
    size_t nq = r->query ? r->query->count : 0, n = 0;
    kv *q = mc_calloc(nq ? nq : 1, sizeof *q);
    for (size_t i = 0; i < nq; i++) {
        const mc_query_param *p = &r->query->items[i];
        if (presign && !strcmp(p->name, "x-oss-signature"))
            continue;
        mc_buf b = MC_BUF_INIT;
        mc_url_encode(&b, p->name, strlen(p->name), false);
        q[n].name = mc_buf_detach(&b, NULL);
        mc_url_encode(&b, p->value, strlen(p->value), false);
        q[n].value = mc_buf_detach(&b, NULL);
        n++;
    }
    qsort(q, n, sizeof *q, kv_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i)
            mc_buf_putc(out, '&');
        mc_buf_puts(out, q[i].name);
        if (*q[i].value)
            mc_buf_printf(out, "=%s", q[i].value);
    }
    kv_free(q, n);
    mc_buf_putc(out, '\n');
    size_t nh;
    kv *h = collect_headers(r, is_v4_signed, additional, &nh);
    for (size_t i = 0; i < nh; i++)
        mc_buf_printf(out, "%s:%s\n", h[i].name, h[i].value);
    kv_free(h, nh);
    mc_buf_putc(out, '\n');
    sign_oss_v4_additional_headers(out, r, additional);
    mc_buf_putc(out, '\n');
    const char *payload = mc_header_get(r->headers, r->nheaders, "x-oss-content-sha256");
    mc_buf_puts(out, payload && !presign ? payload : "UNSIGNED-PAYLOAD");
}

void sign_oss_v4_string_to_sign(mc_buf *out, const char *datetime, const char *region, const char *product,
                                const char *canonical_request)
{
    uint8_t h[MC_SHA256_LEN];
    char hex[2 * MC_SHA256_LEN + 1];
    mc_sha256(h, canonical_request, strlen(canonical_request));
    mc_hex_lower(hex, h, sizeof h);
    mc_buf_printf(out, "OSS4-HMAC-SHA256\n%s\n%.8s/%s/%s/aliyun_v4_request\n%s", datetime, datetime, region,
                  product, hex);
}

void sign_oss_v4_signature(char out[65], const char *secret, const char *date8, const char *region,
                           const char *product, const char *string_to_sign)
{
    uint8_t k[MC_SHA256_LEN];
    char *seed = mc_asprintf("aliyun_v4%s", secret);
    mc_hmac_sha256(k, seed, strlen(seed), date8, strlen(date8));
    free(seed);
    mc_hmac_sha256(k, k, sizeof k, region, strlen(region));
    mc_hmac_sha256(k, k, sizeof k, product, strlen(product));
    mc_hmac_sha256(k, k, sizeof k, "aliyun_v4_request", 17);
    uint8_t sig[MC_SHA256_LEN];
    mc_hmac_sha256(sig, k, sizeof k, string_to_sign, strlen(string_to_sign));
    mc_hex_lower(out, sig, sizeof sig);
}
