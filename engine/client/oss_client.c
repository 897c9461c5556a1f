/* oss_client: see oss_client.h. Facts: reference/oss-api.md. */
#include "client/oss_client.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "client/http.h"
#include "crypto.h"
#include "sign_oss.h"
#include "timeutil.h"
#include "xml.h"

#define DEFAULT_PART_SIZE ((size_t)8 << 20)
#define MIN_PART_SIZE ((size_t)100 << 10) /* OSS's minimum for every part but the last (§5) */
#define MAX_PARTS 10000
#define DELETE_BATCH 1000 /* DeleteMultipleObjects takes at most 1000 keys (§5) */

struct oss_client {
    char *scheme; /* "http" or "https" */
    char *host;   /* host[:port] of the endpoint */
    char *region;
    char *ak, *secret, *token;
    char *ca_file;
    bool v1, path_style;
    size_t part_size;
    int max_retries;
    int64_t clock_offset_s;
};

/* An IP literal or localhost cannot carry a bucket label: path style (§1). */
static bool host_needs_path_style(const char *hostport)
{
    char h[256];
    const char *end = hostport[0] == '[' ? strchr(hostport, ']') : strrchr(hostport, ':');
    size_t n = end ? (size_t)(end - hostport) : strlen(hostport);
    if (hostport[0] == '[')
        return true;
    if (n >= sizeof h)
        return false;
    memcpy(h, hostport, n);
    h[n] = '\0';
    struct in_addr a;
    return !strcasecmp(h, "localhost") || inet_pton(AF_INET, h, &a) == 1;
}

int oss_client_new(oss_client **out, const oss_client_config *cfg, mc_err *err)
{
    *out = NULL;
    const char *ep = cfg->endpoint, *sep = ep ? strstr(ep, "://") : NULL;
    if (!ep || !*ep)
        return mc_err_set(err, MC_ERR_INVALID, "OSS endpoint is not configured");
    if (!cfg->access_key_id || !cfg->access_key_secret)
        return mc_err_set(err, MC_ERR_INVALID, "OSS credentials are not configured");
    oss_client *c = mc_calloc(1, sizeof *c);
    c->scheme = sep ? mc_strndup(ep, (size_t)(sep - ep)) : mc_strdup("https");
    const char *h = sep ? sep + 3 : ep;
    c->host = mc_strndup(h, strcspn(h, "/"));
    if (strcmp(c->scheme, "http") && strcmp(c->scheme, "https")) {
        oss_client_free(c);
        return mc_err_set(err, MC_ERR_INVALID, "OSS endpoint '%s': scheme must be http or https", ep);
    }
    c->region = mc_strdup(cfg->region && *cfg->region ? cfg->region : "cn-hangzhou");
    c->ak = mc_strdup(cfg->access_key_id);
    c->secret = mc_strdup(cfg->access_key_secret);
    c->token = cfg->security_token && *cfg->security_token ? mc_strdup(cfg->security_token) : NULL;
    c->ca_file = cfg->ca_file ? mc_strdup(cfg->ca_file) : NULL;
    c->v1 = cfg->sign_v1;
    c->path_style = cfg->path_style < 0 ? host_needs_path_style(c->host) : cfg->path_style == 1;
    c->part_size = cfg->part_size ? cfg->part_size : DEFAULT_PART_SIZE;
    if (c->part_size < MIN_PART_SIZE)
        c->part_size = MIN_PART_SIZE;
    c->max_retries = cfg->max_retries > 0 ? cfg->max_retries : 3;
    c->clock_offset_s = cfg->clock_offset_s;
    *out = c;
    return 0;
}

void oss_client_free(oss_client *c)
{
    if (!c)
        return;
    free(c->scheme);
    free(c->host);
    free(c->region);
    free(c->ak);
    free(c->secret);
    free(c->token);
    free(c->ca_file);
    free(c);
}

void oss_client_result_clear(oss_client_result *r)
{
    mc_buf_free(&r->body);
    mc_buf_free(&r->etag);
    mc_buf_free(&r->headers);
    r->status = 0;
}

int oss_client_result_header(const oss_client_result *r, const char *name, mc_buf *out)
{
    size_t n = strlen(name);
    const char *p = mc_buf_cstr(&r->headers);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > n + 1 && !strncasecmp(p, name, n) && p[n] == ':') {
            mc_buf_reset(out);
            mc_buf_append(out, p + n + 2, len - n - 2);
            return 0;
        }
        p += len + (nl ? 1 : 0);
    }
    return -1;
}

/* ---- URLs ----------------------------------------------------------------------- */

static void append_query(mc_buf *u, const mc_query_param *p, size_t n, char first)
{
    for (size_t i = 0; i < n; i++) {
        mc_buf_putc(u, i == 0 ? first : '&');
        mc_url_encode(u, p[i].name, strlen(p[i].name), false);
        if (p[i].has_value) {
            mc_buf_putc(u, '=');
            mc_url_encode(u, p[i].value, strlen(p[i].value), false);
        }
    }
}

static void build_url(const oss_client *c, mc_buf *u, const char *bucket, const char *key)
{
    if (bucket && !c->path_style)
        mc_buf_printf(u, "%s://%s.%s/", c->scheme, bucket, c->host);
    else if (bucket)
        mc_buf_printf(u, "%s://%s/%s/", c->scheme, c->host, bucket);
    else
        mc_buf_printf(u, "%s://%s/", c->scheme, c->host);
    if (key)
        mc_url_encode(u, key, strlen(key), true);
}

/* ---- signing -------------------------------------------------------------------- */

#define MAX_HEADERS 32

typedef struct {
    mc_header h[MAX_HEADERS];
    size_t n;
    char date[64];
    mc_buf authz;
} signed_headers;

static void sign_headers(const oss_client *c, signed_headers *s, const char *method, const char *bucket,
                         const char *key, const mc_query_param *params, size_t nparams, const mc_header *extra,
                         size_t nextra)
{
    time_t now = time(NULL) + (time_t)c->clock_offset_s;
    s->n = 0;
    for (size_t i = 0; i < nextra && s->n < MAX_HEADERS - 4; i++)
        s->h[s->n++] = extra[i];
    if (c->token)
        s->h[s->n++] = (mc_header){"x-oss-security-token", c->token};
    mc_query q = {(mc_query_param *)params, nparams};
    sign_oss_request r = {method, bucket, key, &q, s->h, s->n};
    mc_buf_init(&s->authz);
    if (c->v1) {
        mc_time_rfc1123(s->date, sizeof s->date, now);
        s->h[s->n++] = (mc_header){"Date", s->date};
        r.nheaders = s->n;
        mc_buf sts = MC_BUF_INIT, sig = MC_BUF_INIT;
        sign_oss_v1_string_to_sign(&sts, &r, s->date);
        sign_oss_v1_signature(&sig, c->secret, sts.data);
        mc_buf_printf(&s->authz, "OSS %s:%s", c->ak, sig.data);
        mc_buf_free(&sts);
        mc_buf_free(&sig);
    } else {
        mc_time_iso8601_basic(s->date, sizeof s->date, now);
        s->h[s->n++] = (mc_header){"x-oss-date", s->date};
        s->h[s->n++] = (mc_header){"x-oss-content-sha256", "UNSIGNED-PAYLOAD"};
        r.nheaders = s->n;
        char date8[9];
        memcpy(date8, s->date, 8);
        date8[8] = '\0';
        mc_buf creq = MC_BUF_INIT, sts = MC_BUF_INIT;
        sign_oss_v4_canonical_request(&creq, &r, NULL, false);
        sign_oss_v4_string_to_sign(&sts, s->date, c->region, "oss", creq.data);
        char sig[65];
        sign_oss_v4_signature(sig, c->secret, date8, c->region, "oss", sts.data);
        mc_buf_printf(&s->authz, "OSS4-HMAC-SHA256 Credential=%s/%s/%s/oss/aliyun_v4_request,Signature=%s", c->ak,
                      date8, c->region, sig);
        mc_buf_free(&creq);
        mc_buf_free(&sts);
    }
    s->h[s->n++] = (mc_header){"Authorization", s->authz.data};
}

/* ---- errors --------------------------------------------------------------------- */

/* Turns an OSS error answer into MC_ERR_REMOTE with the service's code: the
 * XML body, or for HEAD the base64 XML in x-oss-err (§6). */
static int remote_error(const char *method, const char *bucket, const char *key, long status, const mc_buf *body,
                        const char *x_oss_err, mc_err *err)
{
    mc_buf xml_text = MC_BUF_INIT;
    const char *data = body->data;
    size_t len = body->len;
    if (len == 0 && x_oss_err && mc_base64_decode(&xml_text, x_oss_err, strlen(x_oss_err)) == 0) {
        data = xml_text.data;
        len = xml_text.len;
    }
    mc_xml *x = NULL;
    mc_err perr;
    const char *code = NULL, *msg = NULL, *rid = NULL;
    if (len && mc_xml_parse(&x, data, len, &perr) == 0 && !strcmp(x->name, "Error")) {
        code = mc_xml_child_text(x, "Code");
        msg = mc_xml_child_text(x, "Message");
        rid = mc_xml_child_text(x, "RequestId");
    }
    if (!code)
        code = status == 404 ? (key ? "NoSuchKey" : "NoSuchBucket")
               : status == 403 ? "AccessDenied"
               : status == 412 ? "PreconditionFailed"
               : status == 304 ? "NotModified"
                               : "";
    char where[512];
    snprintf(where, sizeof where, "%s oss://%s/%s", method, bucket ? bucket : "", key ? key : "");
    int rc = mc_err_set_remote(err, (int)status, code, "%s%s%s (HTTP %ld, %s%s%s)", code, *code ? ": " : "",
                               msg ? msg : "no error body", status, where, rid ? ", RequestId " : "",
                               rid ? rid : "");
    mc_xml_free(x);
    mc_buf_free(&xml_text);
    return rc;
}

/* ---- the one request function --------------------------------------------------- */

static bool idempotent(const char *method)
{
    return strcmp(method, "POST") != 0;
}

int oss_client_send(oss_client *c, const oss_client_call *call, oss_client_result *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (call->nheaders > MAX_HEADERS - 5)
        return mc_err_set(err, MC_ERR_INVALID, "too many headers");
    signed_headers sh;
    sign_headers(c, &sh, call->method, call->bucket, call->key, call->params, call->nparams, call->headers,
                 call->nheaders);
    mc_buf url = MC_BUF_INIT;
    build_url(c, &url, call->bucket, call->key);
    append_query(&url, call->params, call->nparams, '?');
    http_request q = {
        .method = call->method,
        .url = url.data,
        .headers = sh.h,
        .nheaders = sh.n,
        .body = call->body,
        .body_len = call->body_len,
        .max_retries = idempotent(call->method) ? c->max_retries : 0,
        .ca_file = c->ca_file,
    };
    http_response resp;
    int rc = http_send(&resp, &q, err);
    if (rc == 0) {
        out->status = resp.status;
        out->body = resp.body;
        mc_buf_init(&resp.body);
        for (size_t i = 0; i < resp.nheaders; i++)
            mc_buf_printf(&out->headers, "%s: %s\n", resp.header_names[i], resp.header_values[i]);
        const char *etag = http_response_header(&resp, "etag");
        if (etag)
            mc_buf_puts(&out->etag, etag);
        if (resp.status < 200 || resp.status > 299)
            rc = remote_error(call->method, call->bucket, call->key, resp.status, &out->body,
                              http_response_header(&resp, "x-oss-err"), err);
    }
    http_response_clear(&resp);
    mc_buf_free(&url);
    mc_buf_free(&sh.authz);
    return rc;
}

/* ---- operations ----------------------------------------------------------------- */

static int simple(oss_client *c, const char *method, const char *bucket, const char *key, const mc_query_param *p,
                  size_t np, const mc_header *h, size_t nh, const void *body, size_t n, oss_client_result *res,
                  mc_err *err)
{
    oss_client_call call = {method, bucket, key, p, np, h, nh, body, n};
    oss_client_result local;
    oss_client_result *r = res ? res : &local;
    int rc = oss_client_send(c, &call, r, err);
    if (!res)
        oss_client_result_clear(&local);
    return rc;
}

int oss_client_bucket_create(oss_client *c, const char *bucket, mc_err *err)
{
    return simple(c, "PUT", bucket, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, err);
}

int oss_client_bucket_delete(oss_client *c, const char *bucket, mc_err *err)
{
    return simple(c, "DELETE", bucket, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, err);
}

static void content_md5(char out[32], const void *data, size_t n)
{
    uint8_t d[MC_MD5_LEN];
    mc_md5(d, data, n);
    mc_buf b = MC_BUF_INIT;
    mc_base64_encode(&b, d, sizeof d);
    snprintf(out, 32, "%s", b.data);
    mc_buf_free(&b);
}

static void take_etag(oss_client_result *r, mc_buf *etag)
{
    if (etag) {
        mc_buf_reset(etag);
        mc_buf_append(etag, r->etag.data, r->etag.len);
    }
}

/* Parts come from a source: a slice of memory or a stream read part by part,
 * so a streamed upload holds one part in memory at a time. */
typedef struct {
    const uint8_t *data; /* memory source */
    size_t len, off, part;
    oss_read_fn read;    /* stream source */
    void *ud;
    uint8_t *buf;
} part_source;

/* The next part into p and n (n = 0 at the end); -1 on a read error. */
static int next_part(part_source *src, const uint8_t **p, size_t *n, mc_err *err)
{
    if (!src->read) {
        *n = src->len - src->off < src->part ? src->len - src->off : src->part;
        *p = src->data + src->off;
        src->off += *n;
        return 0;
    }
    size_t got = 0;
    while (got < src->part) {
        ssize_t r = src->read(src->ud, src->buf + got, src->part - got);
        if (r < 0)
            return mc_err_set(err, MC_ERR_IO, "reading the upload's source failed");
        if (r == 0)
            break;
        got += (size_t)r;
    }
    *p = src->buf;
    *n = got;
    return 0;
}

static int put_multipart(oss_client *c, const char *bucket, const char *key, part_source *src,
                         const uint8_t *first, size_t first_len, const char *content_type, mc_buf *etag, mc_err *err)
{
    mc_header ct = {"Content-Type", content_type ? content_type : "application/octet-stream"};
    mc_query_param init_q = {"uploads", "", false};
    oss_client_result r;
    if (simple(c, "POST", bucket, key, &init_q, 1, &ct, 1, NULL, 0, &r, err))
        return mc_err_prefix(err, "initiate multipart upload"), oss_client_result_clear(&r), -1;
    mc_xml *x = NULL;
    const char *upload_id = NULL;
    if (mc_xml_parse(&x, r.body.data, r.body.len, err) == 0)
        upload_id = mc_xml_child_text(x, "UploadId");
    oss_client_result_clear(&r);
    if (!upload_id) {
        mc_xml_free(x);
        return mc_err_set(err, MC_ERR_PROTOCOL, "InitiateMultipartUpload answer has no UploadId");
    }
    char *uid = mc_strdup(upload_id);
    mc_xml_free(x);

    mc_buf done = MC_BUF_INIT;
    mc_buf_puts(&done, "<CompleteMultipartUpload>");
    int rc = 0;
    size_t nparts = 0;
    const uint8_t *p = first;
    size_t len = first_len;
    while (rc == 0 && len > 0) {
        if (nparts == MAX_PARTS) {
            rc = mc_err_set(err, MC_ERR_INVALID, "upload exceeds %d parts of %zu bytes", MAX_PARTS, src->part);
            break;
        }
        char num[16], md5[32];
        snprintf(num, sizeof num, "%zu", ++nparts);
        content_md5(md5, p, len);
        mc_query_param q[2] = {{"partNumber", num, true}, {"uploadId", uid, true}};
        mc_header h = {"Content-MD5", md5};
        rc = simple(c, "PUT", bucket, key, q, 2, &h, 1, p, len, &r, err);
        if (rc == 0) {
            mc_buf_printf(&done, "<Part><PartNumber>%s</PartNumber><ETag>", num);
            mc_xml_escape(&done, mc_buf_cstr(&r.etag));
            mc_buf_puts(&done, "</ETag></Part>");
        } else {
            mc_err_prefix(err, "upload part %s", num);
        }
        oss_client_result_clear(&r);
        if (rc == 0)
            rc = next_part(src, &p, &len, err);
    }
    mc_buf_puts(&done, "</CompleteMultipartUpload>");
    mc_query_param q = {"uploadId", uid, true};
    if (rc == 0) {
        char md5[32];
        content_md5(md5, done.data, done.len);
        mc_header h[2] = {{"Content-MD5", md5}, {"Content-Type", "application/xml"}};
        rc = simple(c, "POST", bucket, key, &q, 1, h, 2, done.data, done.len, &r, err);
        if (rc == 0)
            take_etag(&r, etag);
        else
            mc_err_prefix(err, "complete multipart upload");
        oss_client_result_clear(&r);
    }
    if (rc) {
        mc_err ignored;
        simple(c, "DELETE", bucket, key, &q, 1, NULL, 0, NULL, 0, NULL, &ignored);
    }
    mc_buf_free(&done);
    free(uid);
    return rc;
}

static int put_simple(oss_client *c, const char *bucket, const char *key, const void *data, size_t n,
                      const char *content_type, mc_buf *etag, mc_err *err)
{
    char md5[32];
    content_md5(md5, data, n);
    mc_header h[2] = {{"Content-MD5", md5}, {"Content-Type", content_type ? content_type : "application/octet-stream"}};
    oss_client_result r;
    int rc = simple(c, "PUT", bucket, key, NULL, 0, h, 2, data ? data : "", n, &r, err);
    if (rc == 0)
        take_etag(&r, etag);
    oss_client_result_clear(&r);
    return rc;
}

int oss_client_put(oss_client *c, const char *bucket, const char *key, const void *data, size_t n,
                   const char *content_type, mc_buf *etag, mc_err *err)
{
    if (n <= c->part_size)
        return put_simple(c, bucket, key, data, n, content_type, etag, err);
    part_source src = {.data = data, .len = n, .part = c->part_size};
    if ((n + src.part - 1) / src.part > MAX_PARTS)
        src.part = (n + MAX_PARTS - 1) / MAX_PARTS;
    const uint8_t *p;
    size_t len;
    next_part(&src, &p, &len, err);
    return put_multipart(c, bucket, key, &src, p, len, content_type, etag, err);
}

int oss_client_put_stream(oss_client *c, const char *bucket, const char *key, oss_read_fn read, void *ud,
                          const char *content_type, mc_buf *etag, mc_err *err)
{
    part_source src = {.read = read, .ud = ud, .part = c->part_size};
    src.buf = mc_malloc(src.part);
    const uint8_t *p = NULL;
    size_t len = 0;
    int rc = next_part(&src, &p, &len, err);
    if (rc == 0 && len < src.part) {
        /* The whole source fits one part: one PutObject. */
        rc = put_simple(c, bucket, key, p, len, content_type, etag, err);
    } else if (rc == 0) {
        rc = put_multipart(c, bucket, key, &src, p, len, content_type, etag, err);
    }
    free(src.buf);
    return rc;
}

int oss_client_get(oss_client *c, const char *bucket, const char *key, int64_t off, int64_t len, mc_buf *out,
                   mc_err *err)
{
    char range[80];
    mc_header h[2];
    size_t nh = 0;
    if (off > 0 || len >= 0) {
        if (len == 0) {
            mc_buf_reset(out);
            return 0;
        }
        if (len > 0)
            snprintf(range, sizeof range, "bytes=%lld-%lld", (long long)off, (long long)(off + len - 1));
        else
            snprintf(range, sizeof range, "bytes=%lld-", (long long)off);
        h[nh++] = (mc_header){"Range", range};
        /* Without this OSS answers an unsatisfiable range with the whole object (§5). */
        h[nh++] = (mc_header){"x-oss-range-behavior", "standard"};
    }
    oss_client_result r;
    int rc = simple(c, "GET", bucket, key, NULL, 0, h, nh, NULL, 0, &r, err);
    if (rc == 0) {
        mc_buf_free(out);
        *out = r.body;
        mc_buf_init(&r.body);
    }
    oss_client_result_clear(&r);
    return rc;
}

int oss_client_head(oss_client *c, const char *bucket, const char *key, oss_client_head_info *info, mc_err *err)
{
    memset(info, 0, sizeof *info);
    oss_client_result r;
    int rc = simple(c, "HEAD", bucket, key, NULL, 0, NULL, 0, NULL, 0, &r, err);
    if (rc == 0) {
        mc_buf v = MC_BUF_INIT;
        long long size = -1;
        if (oss_client_result_header(&r, "content-length", &v) || mc_parse_i64(v.data, &size))
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "HeadObject answer has no Content-Length");
        info->size = size;
        snprintf(info->etag, sizeof info->etag, "%s", mc_buf_cstr(&r.etag));
        if (oss_client_result_header(&r, "content-type", &v) == 0)
            snprintf(info->content_type, sizeof info->content_type, "%s", v.data);
        if (oss_client_result_header(&r, "x-oss-object-type", &v) == 0)
            snprintf(info->type, sizeof info->type, "%s", v.data);
        mc_buf_free(&v);
    }
    oss_client_result_clear(&r);
    return rc;
}

int oss_client_delete(oss_client *c, const char *bucket, const char *key, mc_err *err)
{
    return simple(c, "DELETE", bucket, key, NULL, 0, NULL, 0, NULL, 0, NULL, err);
}

int oss_client_delete_multiple(oss_client *c, const char *bucket, const char *const *keys, size_t n, mc_err *err)
{
    for (size_t start = 0; start < n; start += DELETE_BATCH) {
        size_t end = n - start > DELETE_BATCH ? start + DELETE_BATCH : n;
        mc_buf b = MC_BUF_INIT;
        mc_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>");
        for (size_t i = start; i < end; i++) {
            mc_buf_puts(&b, "<Object><Key>");
            mc_xml_escape(&b, keys[i]);
            mc_buf_puts(&b, "</Key></Object>");
        }
        mc_buf_puts(&b, "</Delete>");
        char md5[32];
        content_md5(md5, b.data, b.len);
        mc_header h[2] = {{"Content-MD5", md5}, {"Content-Type", "application/xml"}};
        mc_query_param q = {"delete", "", false};
        int rc = simple(c, "POST", bucket, NULL, &q, 1, h, 2, b.data, b.len, NULL, err);
        mc_buf_free(&b);
        if (rc)
            return rc;
    }
    return 0;
}

int oss_client_copy(oss_client *c, const char *src_bucket, const char *src_key, const char *bucket, const char *key,
                    mc_err *err)
{
    mc_buf src = MC_BUF_INIT;
    mc_buf_printf(&src, "/%s/", src_bucket);
    mc_url_encode(&src, src_key, strlen(src_key), true);
    mc_header h = {"x-oss-copy-source", src.data};
    int rc = simple(c, "PUT", bucket, key, NULL, 0, &h, 1, NULL, 0, NULL, err);
    mc_buf_free(&src);
    return rc;
}

int oss_client_append(oss_client *c, const char *bucket, const char *key, int64_t position, const void *data,
                      size_t n, int64_t *next_position, mc_err *err)
{
    char pos[32];
    snprintf(pos, sizeof pos, "%lld", (long long)position);
    mc_query_param q[2] = {{"append", "", false}, {"position", pos, true}};
    mc_header h = {"Content-Type", "application/octet-stream"};
    oss_client_result r;
    int rc = simple(c, "POST", bucket, key, q, 2, &h, 1, data ? data : "", n, &r, err);
    if (rc == 0 && next_position) {
        mc_buf v = MC_BUF_INIT;
        long long next;
        if (oss_client_result_header(&r, "x-oss-next-append-position", &v) || mc_parse_i64(v.data, &next))
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "AppendObject answer has no x-oss-next-append-position");
        else
            *next_position = next;
        mc_buf_free(&v);
    }
    oss_client_result_clear(&r);
    return rc;
}

/* ---- listing -------------------------------------------------------------------- */

static void push(char ***arr, size_t *n, char *s)
{
    *arr = mc_realloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[(*n)++] = s;
}

/* Keys come url-encoded (encoding-type=url) so any byte survives XML. */
static char *decoded(const char *s)
{
    mc_buf b = MC_BUF_INIT;
    if (!s || mc_url_decode(&b, s, strlen(s), false)) {
        mc_buf_free(&b);
        return NULL;
    }
    return mc_buf_detach(&b, NULL);
}

static int parse_page(const mc_buf *body, oss_client_listing *out, char **next_token, mc_err *err)
{
    mc_xml *x;
    if (mc_xml_parse(&x, body->data, body->len, err))
        return mc_err_prefix(err, "ListObjectsV2 answer");
    int rc = 0;
    *next_token = NULL;
    for (size_t i = 0; i < x->nchildren && rc == 0; i++) {
        const mc_xml *ch = x->children[i];
        if (!strcmp(ch->name, "Contents")) {
            char *k = decoded(mc_xml_child_text(ch, "Key"));
            const char *sz = mc_xml_child_text(ch, "Size");
            long long size;
            if (!k || !sz || mc_parse_i64(sz, &size)) {
                free(k);
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "ListObjectsV2 answer: a Contents entry lacks Key or Size");
                break;
            }
            out->sizes = mc_realloc(out->sizes, (out->nkeys + 1) * sizeof *out->sizes);
            out->sizes[out->nkeys] = size;
            push(&out->keys, &out->nkeys, k);
        } else if (!strcmp(ch->name, "CommonPrefixes")) {
            char *p = decoded(mc_xml_child_text(ch, "Prefix"));
            if (!p)
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "ListObjectsV2 answer: CommonPrefixes without Prefix");
            else
                push(&out->prefixes, &out->nprefixes, p);
        }
    }
    const char *trunc = mc_xml_child_text(x, "IsTruncated");
    if (rc == 0 && trunc && !strcmp(trunc, "true")) {
        const char *t = mc_xml_child_text(x, "NextContinuationToken");
        if (!t || !*t)
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "ListObjectsV2 answer is truncated without a continuation token");
        else
            *next_token = mc_strdup(t);
    }
    mc_xml_free(x);
    return rc;
}

int oss_client_list(oss_client *c, const char *bucket, const char *prefix, const char *delimiter,
                    oss_client_listing *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    char *token = NULL;
    int rc;
    do {
        mc_query_param q[6];
        size_t nq = 0;
        q[nq++] = (mc_query_param){"list-type", "2", true};
        q[nq++] = (mc_query_param){"max-keys", "1000", true};
        q[nq++] = (mc_query_param){"encoding-type", "url", true};
        if (prefix && *prefix)
            q[nq++] = (mc_query_param){"prefix", (char *)prefix, true};
        if (delimiter && *delimiter)
            q[nq++] = (mc_query_param){"delimiter", (char *)delimiter, true};
        if (token)
            q[nq++] = (mc_query_param){"continuation-token", token, true};
        oss_client_result r;
        rc = simple(c, "GET", bucket, NULL, q, nq, NULL, 0, NULL, 0, &r, err);
        free(token);
        token = NULL;
        if (rc == 0)
            rc = parse_page(&r.body, out, &token, err);
        oss_client_result_clear(&r);
    } while (rc == 0 && token);
    if (rc)
        oss_client_listing_clear(out);
    return rc;
}

void oss_client_listing_clear(oss_client_listing *l)
{
    for (size_t i = 0; i < l->nkeys; i++)
        free(l->keys[i]);
    for (size_t i = 0; i < l->nprefixes; i++)
        free(l->prefixes[i]);
    free(l->keys);
    free(l->sizes);
    free(l->prefixes);
    memset(l, 0, sizeof *l);
}

/* ---- presigned URLs (§2 V1 presign, §3 V4 presign) ------------------------------- */

int oss_client_presign(oss_client *c, const char *method, const char *bucket, const char *key, int64_t expires_s,
                       mc_buf *url, mc_err *err)
{
    if (!bucket || !key)
        return mc_err_set(err, MC_ERR_INVALID, "a presigned URL names a bucket and a key");
    if (expires_s <= 0 || expires_s > 7 * 24 * 3600)
        return mc_err_set(err, MC_ERR_INVALID, "presigned URL lifetime must be 1 s to 7 days");
    time_t now = time(NULL) + (time_t)c->clock_offset_s;
    mc_buf_reset(url);
    build_url(c, url, bucket, key);
    mc_query_param p[8];
    size_t np = 0;
    char exp[32], dt[32], cred[256];
    mc_buf sig = MC_BUF_INIT, sts = MC_BUF_INIT;
    if (c->v1) {
        snprintf(exp, sizeof exp, "%lld", (long long)now + expires_s);
        if (c->token)
            p[np++] = (mc_query_param){"security-token", c->token, true};
        mc_query q = {p, np};
        sign_oss_request r = {method, bucket, key, &q, NULL, 0};
        sign_oss_v1_string_to_sign(&sts, &r, exp);
        sign_oss_v1_signature(&sig, c->secret, sts.data);
        mc_query_param all[4] = {{"OSSAccessKeyId", c->ak, true}, {"Expires", exp, true}, {"Signature", sig.data, true}};
        size_t nall = 3;
        if (c->token)
            all[nall++] = p[0];
        append_query(url, all, nall, '?');
    } else {
        mc_time_iso8601_basic(dt, sizeof dt, now);
        char date8[9];
        memcpy(date8, dt, 8);
        date8[8] = '\0';
        snprintf(cred, sizeof cred, "%s/%s/%s/oss/aliyun_v4_request", c->ak, date8, c->region);
        snprintf(exp, sizeof exp, "%lld", (long long)expires_s);
        p[np++] = (mc_query_param){"x-oss-credential", cred, true};
        p[np++] = (mc_query_param){"x-oss-date", dt, true};
        p[np++] = (mc_query_param){"x-oss-expires", exp, true};
        p[np++] = (mc_query_param){"x-oss-signature-version", "OSS4-HMAC-SHA256", true};
        if (c->token)
            p[np++] = (mc_query_param){"x-oss-security-token", c->token, true};
        mc_query q = {p, np};
        sign_oss_request r = {method, bucket, key, &q, NULL, 0};
        mc_buf creq = MC_BUF_INIT;
        sign_oss_v4_canonical_request(&creq, &r, NULL, true);
        sign_oss_v4_string_to_sign(&sts, dt, c->region, "oss", creq.data);
        char s[65];
        sign_oss_v4_signature(s, c->secret, date8, c->region, "oss", sts.data);
        mc_buf_free(&creq);
        p[np++] = (mc_query_param){"x-oss-signature", s, true};
        append_query(url, p, np, '?');
    }
    mc_buf_free(&sig);
    mc_buf_free(&sts);
    return 0;
}
