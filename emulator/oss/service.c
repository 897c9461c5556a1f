/* oss/service: see service.h. */
#include "oss/service.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "oss/store.h"
#include "ram/policy.h"
#include "server/cred.h"
#include "sign_oss.h"
#include "strutil.h"
#include "timeutil.h"
#include "xml.h"

#define MAX_SKEW_MS (15 * 60 * 1000) /* §5 */
#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

typedef struct {
    oss_store *store;
    const emu_env *env;
} oss_ctx;

typedef struct {
    emu_request *r;
    oss_ctx *c;
    char *bucket;        /* NULL: service level */
    char *key;           /* NULL: bucket level */
    mc_query q;
    emu_cred cred;
    bool head;
} oss_req;

/* ---- responses ---------------------------------------------------------------- */

/* (The server adds Date to every answer.) */
static void common_headers(emu_request *r)
{
    emu_resp_header(r, "Server", "AliyunOSS");
}

/* The one place OSS errors are rendered (§8). extra: code-specific elements. */
static void send_error_xml(emu_request *r, const char *host_id, int status, const char *code, const char *message,
                           const char *extra)
{
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<Error>\n  <Code>");
    mc_xml_escape(&b, code);
    mc_buf_puts(&b, "</Code>\n  <Message>");
    mc_xml_escape(&b, message);
    mc_buf_printf(&b, "</Message>\n  <RequestId>%s</RequestId>\n  <HostId>", emu_req_id(r));
    mc_xml_escape(&b, host_id ? host_id : "");
    mc_buf_puts(&b, "</HostId>\n");
    if (extra)
        mc_buf_puts(&b, extra);
    mc_buf_puts(&b, "</Error>\n");
    common_headers(r);
    if (!strcmp(emu_req_method(r), "HEAD")) {
        /* HEAD errors carry no body: OSS puts the XML, base64, in x-oss-err (§6). */
        mc_buf e = MC_BUF_INIT;
        mc_base64_encode(&e, b.data, b.len);
        emu_resp_header(r, "x-oss-err", mc_buf_cstr(&e));
        mc_buf_free(&e);
        emu_resp_begin(r, status, "application/xml", 0);
    } else {
        emu_resp_send(r, status, "application/xml", b.data, b.len);
    }
    mc_buf_free(&b);
}

static void host_id(const oss_req *x, char *out, size_t cap)
{
    const char *h = emu_req_header(x->r, "Host");
    snprintf(out, cap, "%s", h ? h : "");
}

static int oss_error(oss_req *x, int status, const char *code, const char *message, const char *extra)
{
    char hid[256];
    host_id(x, hid, sizeof hid);
    send_error_xml(x->r, hid, status, code, message, extra);
    return -1;
}

static int no_such_bucket(oss_req *x)
{
    mc_buf e = MC_BUF_INIT;
    mc_buf_puts(&e, "  <BucketName>");
    mc_xml_escape(&e, x->bucket ? x->bucket : "");
    mc_buf_puts(&e, "</BucketName>\n  <EC>0015-00000101</EC>\n");
    oss_error(x, 404, "NoSuchBucket", "The specified bucket does not exist.", e.data);
    mc_buf_free(&e);
    return -1;
}

static int no_such_key(oss_req *x)
{
    mc_buf e = MC_BUF_INIT;
    mc_buf_puts(&e, "  <Key>");
    mc_xml_escape(&e, x->key ? x->key : "");
    mc_buf_puts(&e, "</Key>\n");
    oss_error(x, 404, "NoSuchKey", "The specified key does not exist.", e.data);
    mc_buf_free(&e);
    return -1;
}

static int internal_error(oss_req *x, const mc_err *err)
{
    MC_LOGE("oss: %s", err->msg);
    return oss_error(x, 500, "InternalError", "We encountered an internal error. Please try again.", NULL);
}

static void send_xml(oss_req *x, int status, const mc_buf *body)
{
    common_headers(x->r);
    emu_resp_send(x->r, status, "application/xml", body->data, body->len);
}

static void send_empty(oss_req *x, int status)
{
    common_headers(x->r);
    emu_resp_send(x->r, status, NULL, NULL, 0);
}

static void put_elem(mc_buf *b, const char *name, const char *value)
{
    mc_buf_printf(b, "<%s>", name);
    mc_xml_escape(b, value ? value : "");
    mc_buf_printf(b, "</%s>", name);
}

static void put_time(mc_buf *b, const char *name, int64_t ms)
{
    char t[40];
    mc_time_iso8601_ms(t, sizeof t, ms);
    put_elem(b, name, t);
}

/* ---- addressing (§1) ------------------------------------------------------------ */

/* Bucket from the Host header, or NULL (path style). *explicit_none is set
 * for an empty label (ali-oss listBuckets against an IP endpoint). */
static char *bucket_from_host(const char *host, bool *explicit_none)
{
    *explicit_none = false;
    if (!host || !*host)
        return NULL;
    char *h = mc_strdup(host);
    char *colon = strrchr(h, ':');
    if (colon && !strchr(colon, ']'))
        *colon = '\0';
    mc_str_lower(h);
    char *bucket = NULL;
    if (h[0] == '.') {
        *explicit_none = true;
    } else {
        char *dot = strchr(h, '.');
        if (dot && (mc_str_starts_with(dot, ".oss-") && mc_str_ends_with(h, ".aliyuncs.com")))
            bucket = mc_strndup(h, (size_t)(dot - h));
        else if (dot && !strcmp(dot, ".localhost"))
            bucket = mc_strndup(h, (size_t)(dot - h));
    }
    free(h);
    return bucket;
}

static int resolve_target(oss_req *x)
{
    const char *raw = emu_req_raw_path(x->r);
    mc_buf path = MC_BUF_INIT;
    if (mc_url_decode(&path, raw, strlen(raw), false) || strlen(mc_buf_cstr(&path)) != path.len) {
        mc_buf_free(&path);
        return oss_error(x, 400, "InvalidURI", "Couldn't parse the specified URI.", NULL);
    }
    bool none = false;
    char *hb = bucket_from_host(emu_req_header(x->r, "Host"), &none);
    const char *p = mc_buf_cstr(&path);
    if (*p == '/')
        p++;
    if (hb) {
        x->bucket = hb;
        if (*p)
            x->key = mc_strdup(p);
    } else if (!none && *p) {
        const char *slash = strchr(p, '/');
        x->bucket = slash ? mc_strndup(p, (size_t)(slash - p)) : mc_strdup(p);
        if (slash && slash[1])
            x->key = mc_strdup(slash + 1);
    }
    mc_buf_free(&path);
    if (x->key) {
        mc_err err;
        if (oss_key_validate(x->key, strlen(x->key), &err))
            return oss_error(x, 400, "InvalidObjectName", err.msg, NULL);
    }
    return 0;
}

/* ---- authentication (§2-5) ----------------------------------------------------------- */

static void collect_headers(const oss_req *x, mc_header **out, size_t *n)
{
    *n = emu_req_header_count(x->r);
    *out = mc_calloc(*n ? *n : 1, sizeof **out);
    for (size_t i = 0; i < *n; i++)
        emu_req_header_at(x->r, i, &(*out)[i].name, &(*out)[i].value);
}

static int signature_mismatch(oss_req *x, const char *ak, const char *provided, const char *sts)
{
    mc_buf e = MC_BUF_INIT;
    mc_buf_puts(&e, "  <OSSAccessKeyId>");
    mc_xml_escape(&e, ak);
    mc_buf_puts(&e, "</OSSAccessKeyId>\n  <SignatureProvided>");
    mc_xml_escape(&e, provided);
    mc_buf_puts(&e, "</SignatureProvided>\n  <StringToSign>");
    mc_xml_escape(&e, sts);
    mc_buf_puts(&e, "</StringToSign>\n  <StringToSignBytes>");
    for (const unsigned char *p = (const unsigned char *)sts; *p; p++)
        mc_buf_printf(&e, "%02X ", *p);
    mc_buf_puts(&e, "</StringToSignBytes>\n  <EC>0002-00000040</EC>\n");
    oss_error(x, 403, "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided. Check your key and "
              "signing method.",
              e.data);
    mc_buf_free(&e);
    return -1;
}

static int check_skew(oss_req *x, time_t t)
{
    int64_t now = mc_now_ms(), req = (int64_t)t * 1000;
    if (req > now - MAX_SKEW_MS && req < now + MAX_SKEW_MS)
        return 0;
    char rt[40], st[40], extra[256];
    mc_time_iso8601_ms(rt, sizeof rt, req);
    mc_time_iso8601_ms(st, sizeof st, now);
    snprintf(extra, sizeof extra,
             "  <MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>\n  <RequestTime>%s</RequestTime>\n"
             "  <ServerTime>%s</ServerTime>\n",
             rt, st);
    char server_time[40];
    mc_time_rfc1123(server_time, sizeof server_time, mc_now_s());
    emu_resp_header(x->r, "x-oss-server-time", server_time);
    return oss_error(x, 403, "RequestTimeTooSkewed",
                     "The difference between the request time and the current time is too large.", extra);
}

static int expired(oss_req *x, int64_t expires_ms)
{
    char e[40], s[40], extra[200];
    mc_time_iso8601_ms(e, sizeof e, expires_ms);
    mc_time_iso8601_ms(s, sizeof s, mc_now_ms());
    snprintf(extra, sizeof extra, "  <Expires>%s</Expires>\n  <ServerTime>%s</ServerTime>\n", e, s);
    return oss_error(x, 403, "AccessDenied", "Request has expired.", extra);
}

/* Loads the credential and checks STS token and expiry. */
static int load_cred(oss_req *x, const char *ak, const char *token)
{
    mc_err err;
    if (emu_cred_lookup(x->c->env->state, ak, &x->cred, &err)) {
        if (err.code != MC_ERR_NOT_FOUND)
            return internal_error(x, &err);
        mc_buf e = MC_BUF_INIT;
        mc_buf_puts(&e, "  <OSSAccessKeyId>");
        mc_xml_escape(&e, ak);
        mc_buf_puts(&e, "</OSSAccessKeyId>\n  <EC>0002-00000002</EC>\n");
        oss_error(x, 403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.",
                  e.data);
        mc_buf_free(&e);
        return -1;
    }
    if (!x->cred.active)
        return oss_error(x, 403, "InvalidAccessKeyId", "The OSS Access Key Id you provided is disabled.", NULL);
    if (x->cred.is_sts) {
        if (!token || !x->cred.token || !sign_equal(token, x->cred.token))
            return oss_error(x, 403, "InvalidSecurityToken", "The security token you provided is invalid.",
                             "  <EC>0002-00000006</EC>\n");
        if (x->cred.expires_ms && mc_now_ms() >= x->cred.expires_ms) {
            mc_buf e = MC_BUF_INIT;
            mc_buf_puts(&e, "  <SecurityToken>");
            mc_xml_escape(&e, token);
            mc_buf_puts(&e, "</SecurityToken>\n  <EC>0002-00000007</EC>\n");
            oss_error(x, 403, "SecurityTokenExpired", "The security token you provided has expired.", e.data);
            mc_buf_free(&e);
            return -1;
        }
    }
    return 0;
}

static int auth_v1(oss_req *x, const char *ak, const char *sig, const char *date_line, mc_header *h, size_t nh)
{
    sign_oss_request sr = {emu_req_method(x->r), x->bucket, x->key, &x->q, h, nh};
    mc_buf sts = MC_BUF_INIT, want = MC_BUF_INIT;
    sign_oss_v1_string_to_sign(&sts, &sr, date_line);
    sign_oss_v1_signature(&want, x->cred.secret, sts.data);
    int rc = sign_equal(want.data, sig) ? 0 : signature_mismatch(x, ak, sig, sts.data);
    mc_buf_free(&sts);
    mc_buf_free(&want);
    return rc;
}

static int auth_v4(oss_req *x, const char *ak, const char *scope_date, const char *region, const char *sig,
                   const char *datetime, const char *additional, bool presign, mc_header *h, size_t nh)
{
    if (strncmp(scope_date, datetime, 8) != 0)
        return oss_error(x, 403, "SignatureDoesNotMatch", "The credential date does not match the request date.", NULL);
    sign_oss_request sr = {emu_req_method(x->r), x->bucket, x->key, &x->q, h, nh};
    mc_buf creq = MC_BUF_INIT, sts = MC_BUF_INIT;
    sign_oss_v4_canonical_request(&creq, &sr, additional, presign);
    sign_oss_v4_string_to_sign(&sts, datetime, region, "oss", creq.data);
    char want[65];
    sign_oss_v4_signature(want, x->cred.secret, scope_date, region, "oss", sts.data);
    int rc = sign_equal(want, sig) ? 0 : signature_mismatch(x, ak, sig, sts.data);
    mc_buf_free(&creq);
    mc_buf_free(&sts);
    return rc;
}

/* Anonymous requests: reads of a public-read(-write) bucket's objects and
 * listings, object writes of a public-read-write bucket; never bucket
 * administration (oss-api.md, bucket ACLs). */
static bool anonymous_allowed(oss_req *x)
{
    char acl[32];
    mc_err err;
    if (!x->bucket || oss_store_bucket_acl(x->c->store, x->bucket, acl, &err) || !strcmp(acl, "private") ||
        mc_query_has(&x->q, "acl") || mc_query_has(&x->q, "bucketInfo"))
        return false;
    const char *m = emu_req_method(x->r);
    if (!strcmp(m, "GET") || !strcmp(m, "HEAD"))
        return true;
    return x->key && !strcmp(acl, "public-read-write");
}

static int authenticate(oss_req *x)
{
    const char *authz = emu_req_header(x->r, "Authorization");
    mc_header *h;
    size_t nh;
    collect_headers(x, &h, &nh);
    int rc;
    if (authz && mc_str_starts_with(authz, "OSS4-HMAC-SHA256 ")) {
        char *cred = sign_auth_field(authz, "Credential"), *sig = sign_auth_field(authz, "Signature");
        char *add = sign_auth_field(authz, "AdditionalHeaders");
        char ak[128], date8[9], region[64];
        const char *dt = emu_req_header(x->r, "x-oss-date");
        time_t t;
        if (!cred || !sig || sign_oss_v4_parse_credential(cred, ak, sizeof ak, date8, region, sizeof region))
            rc = oss_error(x, 400, "InvalidArgument", "Authorization header is invalid.", NULL);
        else if (!dt || mc_time_parse_iso8601_basic(dt, &t))
            rc = oss_error(x, 403, "AccessDenied", "OSS authentication requires a valid x-oss-date.", NULL);
        else if ((rc = load_cred(x, ak, emu_req_header(x->r, "x-oss-security-token"))) == 0 &&
                 (rc = check_skew(x, t)) == 0)
            rc = auth_v4(x, ak, date8, region, sig, dt, add, false, h, nh);
        free(cred);
        free(sig);
        free(add);
    } else if (authz && mc_str_starts_with(authz, "OSS ")) {
        char *ak;
        const char *sig;
        const char *date = emu_req_header(x->r, "Date");
        if (!date)
            date = emu_req_header(x->r, "x-oss-date");
        time_t t;
        if (sign_oss_v1_parse_authorization(authz, &ak, &sig)) {
            rc = oss_error(x, 400, "InvalidArgument", "Authorization header is invalid.", NULL);
        } else if (!date || mc_time_parse_any(date, &t)) {
            rc = oss_error(x, 403, "AccessDenied", "OSS authentication requires a valid Date.", NULL);
        } else {
            rc = load_cred(x, ak, emu_req_header(x->r, "x-oss-security-token"));
            if (rc == 0)
                rc = check_skew(x, t);
            if (rc == 0)
                rc = auth_v1(x, ak, sig, date, h, nh);
        }
        free(ak);
    } else if (mc_query_has(&x->q, "OSSAccessKeyId")) {
        const char *ak = mc_query_get(&x->q, "OSSAccessKeyId"), *exp = mc_query_get(&x->q, "Expires");
        const char *sig = mc_query_get(&x->q, "Signature");
        long long e;
        if (!exp || !sig || mc_parse_i64(exp, &e))
            rc = oss_error(x, 400, "InvalidArgument", "Presigned URL is missing Expires or Signature.", NULL);
        else if ((rc = load_cred(x, ak, mc_query_get(&x->q, "security-token"))) == 0) {
            if (e * 1000 < mc_now_ms())
                rc = expired(x, e * 1000);
            else
                rc = auth_v1(x, ak, sig, exp, h, nh);
        }
    } else if (mc_query_has(&x->q, "x-oss-signature-version")) {
        const char *cred = mc_query_get(&x->q, "x-oss-credential"), *sig = mc_query_get(&x->q, "x-oss-signature");
        const char *dt = mc_query_get(&x->q, "x-oss-date"), *exps = mc_query_get(&x->q, "x-oss-expires");
        char ak[128], date8[9], region[64];
        time_t t;
        long long e;
        if (strcmp(mc_query_get(&x->q, "x-oss-signature-version"), "OSS4-HMAC-SHA256") != 0 || !cred || !sig ||
            !dt || !exps || sign_oss_v4_parse_credential(cred, ak, sizeof ak, date8, region, sizeof region) ||
            mc_time_parse_iso8601_basic(dt, &t) || mc_parse_i64(exps, &e))
            rc = oss_error(x, 400, "InvalidArgument", "Presigned URL parameters are invalid.", NULL);
        else if ((rc = load_cred(x, ak, mc_query_get(&x->q, "x-oss-security-token"))) == 0) {
            if (((int64_t)t + e) * 1000 < mc_now_ms())
                rc = expired(x, ((int64_t)t + e) * 1000);
            else if ((int64_t)t * 1000 > mc_now_ms() + MAX_SKEW_MS)
                rc = oss_error(x, 403, "AccessDenied", "Request is not valid yet.", NULL);
            else
                rc = auth_v4(x, ak, date8, region, sig, dt, mc_query_get(&x->q, "x-oss-additional-headers"), true,
                             h, nh);
        }
    } else if (anonymous_allowed(x)) {
        rc = 0; /* a public bucket: no credentials, no scope */
    } else {
        rc = oss_error(x, 403, "AccessDenied", "You have no right to access this object because of bucket acl.",
                       "  <EC>0003-00000001</EC>\n");
    }
    free(h);
    return rc;
}

/* Scoped STS credentials (table data tokens): {"bucket","prefix","write"}. */
static int check_scope(oss_req *x, bool write, const char *list_prefix)
{
    if (!x->cred.scope)
        return 0;
    json_error_t je;
    json_t *s = json_loads(x->cred.scope, 0, &je);
    const char *bucket = json_string_value(json_object_get(s, "bucket"));
    const char *prefix = json_string_value(json_object_get(s, "prefix"));
    bool can_write = json_is_true(json_object_get(s, "write"));
    const char *path = x->key ? x->key : list_prefix ? list_prefix : "";
    bool ok = s && bucket && x->bucket && !strcmp(bucket, x->bucket) &&
              (!prefix || mc_str_starts_with(path, prefix)) && (!write || can_write);
    json_decref(s);
    if (ok)
        return 0;
    char extra[256];
    snprintf(extra, sizeof extra,
             "  <AccessDeniedDetail>\n    <NoPermissionType>ImplicitDeny</NoPermissionType>\n"
             "    <AuthAction>oss:%s</AuthAction>\n  </AccessDeniedDetail>\n  <EC>0003-00000001</EC>\n",
             write ? "PutObject" : "GetObject");
    return oss_error(x, 403, "AccessDenied", "You have no right to access this object because of bucket acl.", extra);
}

/* ---- helpers ---------------------------------------------------------------------- */

static bool bucket_exists(oss_req *x)
{
    return oss_store_bucket_get(x->c->store, x->bucket, NULL, NULL) == 0;
}

static char *user_meta_json(oss_req *x)
{
    json_t *o = json_object();
    size_t n = emu_req_header_count(x->r);
    for (size_t i = 0; i < n; i++) {
        const char *name, *value;
        emu_req_header_at(x->r, i, &name, &value);
        if (strncasecmp(name, "x-oss-meta-", 11) == 0) {
            char *k = mc_str_lower(mc_strdup(name + 11));
            json_object_set_new(o, k, json_string(value));
            free(k);
        }
    }
    char *s = json_object_size(o) ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return s;
}

static void meta_headers(emu_request *r, const oss_meta *m)
{
    if (!m->user_meta)
        return;
    json_t *o = json_loads(m->user_meta, 0, NULL);
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        char *name = mc_asprintf("x-oss-meta-%s", k);
        emu_resp_header(r, name, json_string_value(v));
        free(name);
    }
    json_decref(o);
}

static int forbid_overwrite(oss_req *x, bool *out)
{
    const char *v = emu_req_header(x->r, "x-oss-forbid-overwrite");
    *out = false;
    if (!v)
        return 0;
    if (!strcasecmp(v, "true"))
        *out = true;
    else if (strcasecmp(v, "false") != 0)
        return oss_error(x, 400, "InvalidArgument", "x-oss-forbid-overwrite must be true or false.", NULL);
    return 0;
}

static int file_exists_error(oss_req *x)
{
    return oss_error(x, 409, "FileAlreadyExists", "The object you specified already exists and can not be overwritten.",
                     "  <EC>0026-00000002</EC>\n");
}

static void object_headers(emu_request *r, const oss_meta *m)
{
    char crc[32], lm[64];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)m->crc64);
    mc_time_rfc1123(lm, sizeof lm, (time_t)(m->mtime_ms / 1000));
    emu_resp_header(r, "ETag", m->etag);
    emu_resp_header(r, "x-oss-hash-crc64ecma", crc);
    emu_resp_header(r, "Last-Modified", lm);
    emu_resp_header(r, "x-oss-object-type", m->type);
    emu_resp_header(r, "x-oss-storage-class", "Standard");
    if (m->content_md5[0])
        emu_resp_header(r, "Content-MD5", m->content_md5);
    if (!strcmp(m->type, "Appendable")) {
        char next[32];
        snprintf(next, sizeof next, "%lld", (long long)m->size);
        emu_resp_header(r, "x-oss-next-append-position", next);
    }
    meta_headers(r, m);
}

/* Streams the request body into a new file; verifies Content-MD5. */
static int receive_body(oss_req *x, oss_writer **out)
{
    mc_err err;
    *out = NULL;
    long long cl = emu_req_content_length(x->r);
    if (cl > 0 && (unsigned long long)cl > x->c->env->max_body_bytes)
        return oss_error(x, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.", NULL);
    oss_writer *w;
    if (oss_writer_begin(&w, x->c->store, x->bucket, &err))
        return internal_error(x, &err);
    mc_md5_ctx *md5 = mc_md5_new();
    char *buf = mc_malloc(65536);
    int rc = 0;
    for (;;) {
        ssize_t n = emu_req_read(x->r, buf, 65536);
        if (n < 0) {
            rc = oss_error(x, 400, "IncompleteBody", "The request body could not be read.", NULL);
            break;
        }
        if (n == 0)
            break;
        mc_md5_update(md5, buf, (size_t)n);
        if (oss_writer_write(w, buf, (size_t)n, &err)) {
            rc = internal_error(x, &err);
            break;
        }
        if ((size_t)oss_writer_size(w) > x->c->env->max_body_bytes) {
            rc = oss_error(x, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.", NULL);
            break;
        }
    }
    free(buf);
    uint8_t d[MC_MD5_LEN];
    mc_md5_final(md5, d);
    if (rc == 0 && cl >= 0 && oss_writer_size(w) != cl)
        rc = oss_error(x, 400, "IncompleteBody", "The request body is shorter than Content-Length.", NULL);
    const char *want = emu_req_header(x->r, "Content-MD5");
    if (rc == 0 && want) {
        mc_buf b = MC_BUF_INIT;
        mc_base64_encode(&b, d, sizeof d);
        if (strcmp(b.data, want) != 0)
            rc = oss_error(x, 400, "InvalidDigest", "The Content-MD5 you specified was invalid.", NULL);
        mc_buf_free(&b);
    }
    if (rc) {
        oss_writer_abort(w);
        return -1;
    }
    *out = w;
    return 0;
}

static int read_body(oss_req *x, mc_buf *body)
{
    mc_err err;
    if (emu_req_body(x->r, body, &err))
        return oss_error(x, 400, "EntityTooLarge", err.msg, NULL);
    const char *want = emu_req_header(x->r, "Content-MD5");
    if (want) {
        uint8_t d[MC_MD5_LEN];
        mc_md5(d, body->data ? body->data : "", body->len);
        mc_buf b = MC_BUF_INIT;
        mc_base64_encode(&b, d, sizeof d);
        int bad = strcmp(b.data, want);
        mc_buf_free(&b);
        if (bad)
            return oss_error(x, 400, "InvalidDigest", "The Content-MD5 you specified was invalid.", NULL);
    }
    return 0;
}

/* ---- buckets ---------------------------------------------------------------------------- */

static void owner_xml(oss_req *x, mc_buf *b)
{
    mc_buf_printf(b, "<Owner><ID>%s</ID><DisplayName>%s</DisplayName></Owner>", x->cred.account_id,
                  x->cred.account_id);
}

static void list_buckets(oss_req *x)
{
    oss_bucket_info *bs = NULL;
    size_t n = 0;
    mc_err err;
    if (oss_store_bucket_list(x->c->store, &bs, &n, &err)) {
        internal_error(x, &err);
        return;
    }
    const char *prefix = mc_query_get(&x->q, "prefix");
    const char *region = x->c->env->region;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<ListAllMyBucketsResult>");
    owner_xml(x, &b);
    mc_buf_puts(&b, "<Buckets>");
    for (size_t i = 0; i < n; i++) {
        if (prefix && !mc_str_starts_with(bs[i].name, prefix))
            continue;
        mc_buf_puts(&b, "<Bucket>");
        put_time(&b, "CreationDate", bs[i].created_ms);
        mc_buf_printf(&b, "<ExtranetEndpoint>oss-%s.aliyuncs.com</ExtranetEndpoint>"
                          "<IntranetEndpoint>oss-%s-internal.aliyuncs.com</IntranetEndpoint>"
                          "<Location>oss-%s</Location>",
                      region, region, region);
        put_elem(&b, "Name", bs[i].name);
        mc_buf_printf(&b, "<Region>%s</Region><StorageClass>Standard</StorageClass></Bucket>", region);
    }
    mc_buf_puts(&b, "</Buckets></ListAllMyBucketsResult>\n");
    send_xml(x, 200, &b);
    mc_buf_free(&b);
    free(bs);
}

static int acl_header(oss_req *x, const char **acl)
{
    *acl = emu_req_header(x->r, "x-oss-acl");
    if (*acl && !oss_acl_valid(*acl))
        return oss_error(x, 400, "InvalidArgument", "no such bucket access control exists", NULL);
    return 0;
}

static void put_bucket_acl(oss_req *x)
{
    const char *acl;
    mc_err err;
    if (acl_header(x, &acl))
        return;
    if (!acl)
        oss_error(x, 400, "InvalidArgument", "The x-oss-acl header is required.", NULL);
    else if (oss_store_bucket_set_acl(x->c->store, x->bucket, acl, &err))
        internal_error(x, &err);
    else
        send_empty(x, 200);
}

static void get_bucket_acl(oss_req *x)
{
    char acl[32];
    mc_err err;
    if (oss_store_bucket_acl(x->c->store, x->bucket, acl, &err)) {
        internal_error(x, &err);
        return;
    }
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<AccessControlPolicy>");
    owner_xml(x, &b);
    mc_buf_printf(&b, "<AccessControlList><Grant>%s</Grant></AccessControlList></AccessControlPolicy>\n", acl);
    send_xml(x, 200, &b);
    mc_buf_free(&b);
}

static void put_bucket(oss_req *x)
{
    const char *acl;
    if (acl_header(x, &acl))
        return;
    if (!oss_bucket_name_valid(x->bucket)) {
        mc_buf e = MC_BUF_INIT;
        mc_buf_puts(&e, "  <BucketName>");
        mc_xml_escape(&e, x->bucket);
        mc_buf_puts(&e, "</BucketName>\n");
        oss_error(x, 400, "InvalidBucketName", "The specified bucket is not valid.", e.data);
        mc_buf_free(&e);
        return;
    }
    mc_buf body = MC_BUF_INIT;
    if (read_body(x, &body)) {
        mc_buf_free(&body);
        return;
    }
    if (body.len) {
        mc_xml *doc = NULL;
        mc_err err;
        if (mc_xml_parse(&doc, body.data, body.len, &err) || strcmp(doc->name, "CreateBucketConfiguration") != 0) {
            mc_xml_free(doc);
            mc_buf_free(&body);
            oss_error(x, 400, "MalformedXML",
                      "The XML you provided was not well-formed or did not validate against our published schema.",
                      NULL);
            return;
        }
        mc_xml_free(doc);
    }
    mc_buf_free(&body);
    mc_err err;
    if (oss_store_bucket_create(x->c->store, x->bucket, x->cred.account_id, &err)) {
        if (err.code == MC_ERR_EXISTS) {
            mc_buf e = MC_BUF_INIT;
            mc_buf_puts(&e, "  <BucketName>");
            mc_xml_escape(&e, x->bucket);
            mc_buf_puts(&e, "</BucketName>\n");
            oss_error(x, 409, "BucketAlreadyExists",
                      "The requested bucket name is not available. The bucket namespace is shared by all users of the "
                      "system. Please select a different name and try again.",
                      e.data);
            mc_buf_free(&e);
        } else {
            internal_error(x, &err);
        }
        return;
    }
    if (acl && oss_store_bucket_set_acl(x->c->store, x->bucket, acl, &err)) {
        internal_error(x, &err);
        return;
    }
    char loc[96];
    snprintf(loc, sizeof loc, "/%s", x->bucket);
    emu_resp_header(x->r, "Location", loc);
    send_empty(x, 200);
}

static void delete_bucket(oss_req *x)
{
    mc_err err;
    if (oss_store_bucket_delete(x->c->store, x->bucket, &err)) {
        if (err.code == MC_ERR_NOT_FOUND)
            no_such_bucket(x);
        else if (err.code == MC_ERR_CONFLICT) {
            mc_buf e = MC_BUF_INIT;
            mc_buf_puts(&e, "  <BucketName>");
            mc_xml_escape(&e, x->bucket);
            mc_buf_puts(&e, "</BucketName>\n  <EC>0015-00000301</EC>\n");
            oss_error(x, 409, "BucketNotEmpty", "The bucket has objects. Please delete them first.", e.data);
            mc_buf_free(&e);
        } else
            internal_error(x, &err);
        return;
    }
    send_empty(x, 204);
}

static void bucket_info(oss_req *x)
{
    int64_t created = 0;
    oss_store_bucket_get(x->c->store, x->bucket, &created, NULL);
    const char *region = x->c->env->region;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<BucketInfo><Bucket>");
    put_time(&b, "CreationDate", created);
    mc_buf_printf(&b, "<ExtranetEndpoint>oss-%s.aliyuncs.com</ExtranetEndpoint>"
                      "<IntranetEndpoint>oss-%s-internal.aliyuncs.com</IntranetEndpoint>"
                      "<Location>oss-%s</Location>",
                  region, region, region);
    put_elem(&b, "Name", x->bucket);
    mc_buf_puts(&b, "<StorageClass>Standard</StorageClass><DataRedundancyType>LRS</DataRedundancyType>");
    owner_xml(x, &b);
    char acl[32];
    mc_err err;
    oss_store_bucket_acl(x->c->store, x->bucket, acl, &err);
    mc_buf_printf(&b, "<AccessControlList><Grant>%s</Grant></AccessControlList></Bucket></BucketInfo>\n", acl);
    send_xml(x, 200, &b);
    mc_buf_free(&b);
}

static void bucket_location(oss_req *x)
{
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, XML_HEAD "<LocationConstraint>oss-%s</LocationConstraint>\n", x->c->env->region);
    send_xml(x, 200, &b);
    mc_buf_free(&b);
}

/* ---- listing (§6) -------------------------------------------------------------------------- */

static void put_listed(mc_buf *b, const char *name, const char *value, bool url)
{
    if (!url) {
        put_elem(b, name, value);
        return;
    }
    mc_buf enc = MC_BUF_INIT;
    mc_url_encode(&enc, value, strlen(value), false);
    put_elem(b, name, mc_buf_cstr(&enc));
    mc_buf_free(&enc);
}

static int parse_max(oss_req *x, const char *param, long long *out)
{
    const char *v = mc_query_get(&x->q, param);
    *out = 100;
    if (!v || !*v)
        return 0;
    if (mc_parse_i64(v, out) || *out < 0 || *out > 1000) {
        char extra[256];
        snprintf(extra, sizeof extra, "  <ArgumentName>%s</ArgumentName>\n", param);
        return oss_error(x, 400, "InvalidArgument", "Argument max-keys must be an integer between 0 and 1000.", extra);
    }
    return 0;
}

static void list_objects(oss_req *x, bool v2)
{
    long long max;
    if (parse_max(x, "max-keys", &max))
        return;
    const char *prefix = mc_query_get(&x->q, "prefix"), *delim = mc_query_get(&x->q, "delimiter");
    const char *enc = mc_query_get(&x->q, "encoding-type");
    bool url = enc && !strcmp(enc, "url");
    if (enc && !url) {
        oss_error(x, 400, "InvalidArgument", "The encoding-type parameter must be url.", NULL);
        return;
    }
    if (check_scope(x, false, prefix ? prefix : ""))
        return;
    const char *token = v2 ? mc_query_get(&x->q, "continuation-token") : NULL;
    const char *start_after = v2 ? mc_query_get(&x->q, "start-after") : mc_query_get(&x->q, "marker");
    char *marker = NULL;
    if (token && *token) {
        mc_buf dec = MC_BUF_INIT;
        if (mc_base64_decode(&dec, token, strlen(token))) {
            mc_buf_free(&dec);
            oss_error(x, 400, "InvalidArgument", "The continuation token provided is incorrect.", NULL);
            return;
        }
        marker = mc_buf_detach(&dec, NULL);
    } else {
        marker = mc_strdup(start_after ? start_after : "");
    }
    if (!prefix)
        prefix = "";
    if (delim && !*delim)
        delim = NULL;
    /* Walk keys in byte order, folding those with a delimiter after the prefix
     * into common prefixes; both count against max-keys. */
    mc_buf contents = MC_BUF_INIT, prefixes = MC_BUF_INIT;
    size_t count = 0, keycount = 0;
    bool truncated = false;
    char *after = mc_strdup(marker), *last = mc_strdup(""), *last_cp = mc_strdup("");
    mc_err err;
    bool fetch_owner = !v2 || (mc_query_get(&x->q, "fetch-owner") && !strcmp(mc_query_get(&x->q, "fetch-owner"), "true"));
    while (!truncated) {
        oss_meta *ms = NULL;
        size_t n = 0;
        if (oss_store_list(x->c->store, x->bucket, prefix, after, 1000, &ms, &n, &err)) {
            internal_error(x, &err);
            goto out;
        }
        if (n == 0) {
            oss_metas_free(ms, n);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            const char *k = ms[i].key;
            char *cp = NULL;
            if (delim) {
                const char *d = strstr(k + strlen(prefix), delim);
                if (d)
                    cp = mc_strndup(k, (size_t)(d - k) + strlen(delim));
            }
            if (cp && (!strcmp(cp, last_cp) || strcmp(cp, marker) <= 0)) {
                free(cp);
                continue;
            }
            if ((long long)count == max) {
                truncated = true;
                free(cp);
                break;
            }
            count++;
            free(last);
            if (cp) {
                put_listed(&prefixes, "Prefix", cp, url);
                free(last_cp);
                last_cp = cp;
                last = mc_strdup(cp);
                mc_buf_puts(&prefixes, "");
                continue;
            }
            last = mc_strdup(k);
            keycount++;
            mc_buf_puts(&contents, "<Contents>");
            put_listed(&contents, "Key", k, url);
            put_time(&contents, "LastModified", ms[i].mtime_ms);
            put_elem(&contents, "ETag", ms[i].etag);
            put_elem(&contents, "Type", ms[i].type);
            mc_buf_printf(&contents, "<Size>%lld</Size><StorageClass>Standard</StorageClass>", (long long)ms[i].size);
            if (fetch_owner)
                owner_xml(x, &contents);
            mc_buf_puts(&contents, "</Contents>");
        }
        free(after);
        after = mc_strdup(ms[n - 1].key);
        oss_metas_free(ms, n);
    }
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<ListBucketResult>");
    put_elem(&b, "Name", x->bucket);
    put_listed(&b, "Prefix", prefix, url);
    if (v2) {
        if (start_after)
            put_listed(&b, "StartAfter", start_after, url);
        if (token)
            put_elem(&b, "ContinuationToken", token);
    } else {
        put_listed(&b, "Marker", marker, url);
    }
    mc_buf_printf(&b, "<MaxKeys>%lld</MaxKeys>", max);
    if (delim)
        put_listed(&b, "Delimiter", delim, url);
    mc_buf_printf(&b, "<IsTruncated>%s</IsTruncated>", truncated ? "true" : "false");
    if (truncated) {
        if (v2) {
            mc_buf t = MC_BUF_INIT;
            mc_base64_encode(&t, last, strlen(last));
            put_elem(&b, "NextContinuationToken", mc_buf_cstr(&t));
            mc_buf_free(&t);
        } else {
            put_listed(&b, "NextMarker", last, url);
        }
    }
    if (v2)
        mc_buf_printf(&b, "<KeyCount>%zu</KeyCount>", count);
    if (url)
        mc_buf_puts(&b, "<EncodingType>url</EncodingType>");
    mc_buf_append(&b, contents.data, contents.len);
    /* Common prefixes each in their own element. */
    const char *p = mc_buf_cstr(&prefixes);
    while ((p = strstr(p, "<Prefix>"))) {
        const char *e = strstr(p, "</Prefix>") + 9;
        mc_buf_puts(&b, "<CommonPrefixes>");
        mc_buf_append(&b, p, (size_t)(e - p));
        mc_buf_puts(&b, "</CommonPrefixes>");
        p = e;
    }
    mc_buf_puts(&b, "</ListBucketResult>\n");
    (void)keycount;
    send_xml(x, 200, &b);
    mc_buf_free(&b);
out:
    mc_buf_free(&contents);
    mc_buf_free(&prefixes);
    free(after);
    free(last);
    free(last_cp);
    free(marker);
}

static void delete_multiple(oss_req *x)
{
    mc_buf body = MC_BUF_INIT;
    if (read_body(x, &body)) {
        mc_buf_free(&body);
        return;
    }
    mc_xml *doc = NULL;
    mc_err err;
    if (mc_xml_parse(&doc, body.data ? body.data : "", body.len, &err) || strcmp(doc->name, "Delete") != 0) {
        mc_xml_free(doc);
        mc_buf_free(&body);
        oss_error(x, 400, "MalformedXML",
                  "The XML you provided was not well-formed or did not validate against our published schema.", NULL);
        return;
    }
    mc_buf_free(&body);
    const char *quiet_s = mc_xml_child_text(doc, "Quiet");
    bool quiet = quiet_s && !strcasecmp(quiet_s, "true");
    size_t nkeys = 0;
    for (size_t i = 0; i < doc->nchildren; i++)
        nkeys += !strcmp(doc->children[i]->name, "Object");
    if (nkeys == 0 || nkeys > 1000) {
        mc_xml_free(doc);
        oss_error(x, 400, "MalformedXML", "A Delete request must list between 1 and 1000 objects.", NULL);
        return;
    }
    const char *enc = mc_query_get(&x->q, "encoding-type");
    bool url = enc && !strcmp(enc, "url");
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<DeleteResult>");
    if (url)
        mc_buf_puts(&b, "<EncodingType>url</EncodingType>");
    for (size_t i = 0; i < doc->nchildren; i++) {
        if (strcmp(doc->children[i]->name, "Object") != 0)
            continue;
        const char *key = mc_xml_child_text(doc->children[i], "Key");
        if (!key || oss_key_validate(key, strlen(key), &err)) {
            mc_xml_free(doc);
            mc_buf_free(&b);
            oss_error(x, 400, "InvalidObjectName", key ? err.msg : "An Object element has no Key.", NULL);
            return;
        }
        free(x->key);
        x->key = mc_strdup(key);
        if (check_scope(x, true, NULL)) {
            mc_xml_free(doc);
            mc_buf_free(&b);
            return;
        }
        if (oss_store_delete(x->c->store, x->bucket, key, &err)) {
            mc_xml_free(doc);
            mc_buf_free(&b);
            internal_error(x, &err);
            return;
        }
        if (!quiet) {
            mc_buf_puts(&b, "<Deleted>");
            put_listed(&b, "Key", key, url);
            mc_buf_puts(&b, "</Deleted>");
        }
    }
    mc_xml_free(doc);
    mc_buf_puts(&b, "</DeleteResult>\n");
    send_xml(x, 200, &b);
    mc_buf_free(&b);
}

static void list_uploads(oss_req *x)
{
    oss_upload_info *u = NULL;
    size_t n = 0;
    mc_err err;
    const char *prefix = mc_query_get(&x->q, "prefix");
    if (oss_store_list_uploads(x->c->store, x->bucket, prefix, &u, &n, &err)) {
        internal_error(x, &err);
        return;
    }
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<ListMultipartUploadsResult>");
    put_elem(&b, "Bucket", x->bucket);
    mc_buf_puts(&b, "<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker></NextKeyMarker>"
                    "<NextUploadIdMarker></NextUploadIdMarker><Delimiter></Delimiter>");
    put_elem(&b, "Prefix", prefix ? prefix : "");
    mc_buf_puts(&b, "<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>");
    for (size_t i = 0; i < n; i++) {
        mc_buf_puts(&b, "<Upload>");
        put_elem(&b, "Key", u[i].key);
        put_elem(&b, "UploadId", u[i].upload_id);
        mc_buf_puts(&b, "<StorageClass>Standard</StorageClass>");
        put_time(&b, "Initiated", u[i].created_ms);
        mc_buf_puts(&b, "</Upload>");
    }
    mc_buf_puts(&b, "</ListMultipartUploadsResult>\n");
    send_xml(x, 200, &b);
    mc_buf_free(&b);
    free(u);
}

/* ---- objects -------------------------------------------------------------------------- */

int oss_parse_range(const char *h, int64_t size, bool standard, int64_t *start, int64_t *end)
{
    if (!h || strncmp(h, "bytes=", 6) != 0)
        return 0;
    const char *p = h + 6;
    const char *comma = strchr(p, ',');
    char spec[64];
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    if (n == 0 || n >= sizeof spec)
        return 0;
    memcpy(spec, p, n);
    spec[n] = '\0';
    char *dash = strchr(spec, '-');
    if (!dash)
        return 0;
    *dash = '\0';
    long long a = -1, b = -1;
    if (*spec && mc_parse_i64(spec, &a))
        return 0;
    if (dash[1] && mc_parse_i64(dash + 1, &b))
        return 0;
    if (a < 0 && b < 0)
        return 0;
    if (a < 0) { /* suffix: last b bytes */
        if (b == 0)
            return standard ? -1 : 0;
        *start = b >= size ? 0 : size - b;
        *end = size - 1;
        return size > 0 ? 1 : (standard ? -1 : 0);
    }
    if (b >= 0 && b < a)
        return 0;
    if (a >= size)
        return standard ? -1 : 0;
    if (b < 0 || b >= size) {
        if (b >= size && !standard)
            return 0; /* end past EOF: ignored unless standard (§6) */
        b = size - 1;
    }
    *start = a;
    *end = b;
    return 1;
}

static int precondition_failed(oss_req *x, const char *cond)
{
    char extra[128];
    snprintf(extra, sizeof extra, "  <Condition>%s</Condition>\n", cond);
    return oss_error(x, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.",
                     extra);
}

/* Evaluates If-* headers (prefix "" for GET, "x-oss-copy-source-" for copy).
 * Returns 0 to proceed, 304 for not modified, -1 when a 412 was sent. */
static int conditionals(oss_req *x, const oss_meta *m, const char *prefix)
{
    char name[96];
    const char *v;
    snprintf(name, sizeof name, "%sIf-Match", prefix);
    if ((v = emu_req_header(x->r, name)) && strcmp(v, "*") != 0 && strcmp(v, m->etag) != 0)
        return precondition_failed(x, "If-Match");
    time_t t;
    snprintf(name, sizeof name, "%sIf-Unmodified-Since", prefix);
    if ((v = emu_req_header(x->r, name)) && mc_time_parse_any(v, &t) == 0 && m->mtime_ms / 1000 > t)
        return precondition_failed(x, "If-Unmodified-Since");
    snprintf(name, sizeof name, "%sIf-None-Match", prefix);
    if ((v = emu_req_header(x->r, name)) && (!strcmp(v, "*") || !strcmp(v, m->etag)))
        return *prefix ? precondition_failed(x, "If-None-Match") : 304;
    snprintf(name, sizeof name, "%sIf-Modified-Since", prefix);
    if ((v = emu_req_header(x->r, name)) && mc_time_parse_any(v, &t) == 0 && m->mtime_ms / 1000 <= t)
        return *prefix ? precondition_failed(x, "If-Modified-Since") : 304;
    return 0;
}

static void get_object(oss_req *x)
{
    if (check_scope(x, false, NULL))
        return;
    oss_meta m;
    mc_err err;
    if (oss_store_head(x->c->store, x->bucket, x->key, &m, &err)) {
        if (err.code == MC_ERR_NOT_FOUND)
            no_such_key(x);
        else
            internal_error(x, &err);
        return;
    }
    int c = conditionals(x, &m, "");
    if (c < 0)
        goto out;
    if (c == 304) {
        emu_resp_header(x->r, "ETag", m.etag);
        send_empty(x, 304);
        goto out;
    }
    if (mc_query_has(&x->q, "objectMeta")) {
        char lm[64], len[32];
        mc_time_rfc1123(lm, sizeof lm, (time_t)(m.mtime_ms / 1000));
        snprintf(len, sizeof len, "%lld", (long long)m.size);
        emu_resp_header(x->r, "ETag", m.etag);
        emu_resp_header(x->r, "Last-Modified", lm);
        emu_resp_header(x->r, "x-oss-object-size", len);
        common_headers(x->r);
        emu_resp_begin(x->r, 200, NULL, 0);
        goto out;
    }
    int64_t start = 0, end = m.size - 1;
    const char *behavior = emu_req_header(x->r, "x-oss-range-behavior");
    int rr = oss_parse_range(emu_req_header(x->r, "Range"), m.size, behavior && !strcmp(behavior, "standard"), &start,
                             &end);
    if (rr < 0) {
        oss_error(x, 416, "InvalidRange", "The requested range cannot be satisfied", NULL);
        goto out;
    }
    int status = 200;
    if (rr == 1) {
        status = 206;
        char cr[96];
        snprintf(cr, sizeof cr, "bytes %lld-%lld/%lld", (long long)start, (long long)end, (long long)m.size);
        emu_resp_header(x->r, "Content-Range", cr);
    } else {
        start = 0;
        end = m.size - 1;
    }
    object_headers(x->r, &m);
    emu_resp_header(x->r, "Accept-Ranges", "bytes");
    static const char *const overrides[][2] = {
        {"response-content-disposition", "Content-Disposition"}, {"response-content-encoding", "Content-Encoding"},
        {"response-cache-control", "Cache-Control"},             {"response-content-language", "Content-Language"},
        {"response-expires", "Expires"},
    };
    for (size_t i = 0; i < sizeof overrides / sizeof *overrides; i++) {
        const char *v = mc_query_get(&x->q, overrides[i][0]);
        if (v)
            emu_resp_header(x->r, overrides[i][1], v);
    }
    const char *ctype = mc_query_get(&x->q, "response-content-type");
    common_headers(x->r);
    int64_t len = m.size ? end - start + 1 : 0;
    emu_resp_begin(x->r, status, ctype ? ctype : m.content_type, len);
    if (!x->head && len > 0) {
        char *path = oss_store_object_path(x->c->store, x->bucket, &m);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        free(path);
        char *buf = mc_malloc(65536);
        int64_t off = start, left = len;
        while (fd >= 0 && left > 0) {
            ssize_t r = pread(fd, buf, (size_t)(left < 65536 ? left : 65536), off);
            if (r <= 0 || emu_resp_write(x->r, buf, (size_t)r))
                break;
            off += r;
            left -= r;
        }
        if (fd >= 0)
            close(fd);
        free(buf);
    }
out:
    oss_meta_clear(&m);
}

static void put_result(oss_req *x, const oss_meta *m)
{
    char crc[32];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)m->crc64);
    emu_resp_header(x->r, "ETag", m->etag);
    emu_resp_header(x->r, "x-oss-hash-crc64ecma", crc);
    if (m->content_md5[0])
        emu_resp_header(x->r, "Content-MD5", m->content_md5);
    send_empty(x, 200);
}

static void put_object(oss_req *x)
{
    bool forbid;
    if (check_scope(x, true, NULL) || forbid_overwrite(x, &forbid))
        return;
    oss_writer *w;
    if (receive_body(x, &w))
        return;
    char *meta = user_meta_json(x);
    oss_put_opts o = {emu_req_header(x->r, "Content-Type"), meta, forbid, NULL};
    oss_meta m;
    mc_err err;
    if (oss_store_commit(x->c->store, w, x->bucket, x->key, &o, &m, &err)) {
        if (err.code == MC_ERR_EXISTS)
            file_exists_error(x);
        else
            internal_error(x, &err);
    } else {
        put_result(x, &m);
        oss_meta_clear(&m);
    }
    free(meta);
}

static void append_object(oss_req *x)
{
    if (check_scope(x, true, NULL))
        return;
    const char *pos = mc_query_get(&x->q, "position");
    long long position;
    if (!pos || mc_parse_i64(pos, &position) || position < 0) {
        oss_error(x, 400, "InvalidArgument", "The position parameter is missing or invalid.",
                  "  <ArgumentName>position</ArgumentName>\n");
        return;
    }
    mc_buf body = MC_BUF_INIT;
    if (read_body(x, &body)) {
        mc_buf_free(&body);
        return;
    }
    char *meta = user_meta_json(x);
    oss_put_opts o = {emu_req_header(x->r, "Content-Type"), meta, false, NULL};
    oss_meta m;
    mc_err err;
    int64_t next = 0;
    if (oss_store_append(x->c->store, x->bucket, x->key, position, body.data ? body.data : "", body.len, &o, &m,
                         &next, &err)) {
        if (!strcmp(err.remote_code, "PositionNotEqualToLength") || !strcmp(err.remote_code, "ObjectNotAppendable")) {
            char np[32];
            snprintf(np, sizeof np, "%lld", (long long)next);
            emu_resp_header(x->r, "x-oss-next-append-position", np);
            oss_error(x, 409, err.remote_code, err.msg, NULL);
        } else {
            internal_error(x, &err);
        }
    } else {
        char np[32], crc[32];
        snprintf(np, sizeof np, "%lld", (long long)next);
        snprintf(crc, sizeof crc, "%llu", (unsigned long long)m.crc64);
        emu_resp_header(x->r, "x-oss-next-append-position", np);
        emu_resp_header(x->r, "x-oss-hash-crc64ecma", crc);
        emu_resp_header(x->r, "ETag", m.etag);
        send_empty(x, 200);
        oss_meta_clear(&m);
    }
    free(meta);
    mc_buf_free(&body);
}

/* x-oss-copy-source: /bucket/urlencoded-key[?versionId=..]. */
static int copy_source(oss_req *x, char **bucket, char **key)
{
    const char *src = emu_req_header(x->r, "x-oss-copy-source");
    mc_buf dec = MC_BUF_INIT;
    const char *q = strchr(src, '?');
    size_t n = q ? (size_t)(q - src) : strlen(src);
    if (mc_url_decode(&dec, src, n, false)) {
        mc_buf_free(&dec);
        return oss_error(x, 400, "InvalidArgument", "x-oss-copy-source is not valid.", NULL);
    }
    const char *p = mc_buf_cstr(&dec);
    if (*p == '/')
        p++;
    const char *slash = strchr(p, '/');
    if (!slash || !slash[1]) {
        mc_buf_free(&dec);
        return oss_error(x, 400, "InvalidArgument", "x-oss-copy-source is not valid.", NULL);
    }
    *bucket = mc_strndup(p, (size_t)(slash - p));
    *key = mc_strdup(slash + 1);
    mc_buf_free(&dec);
    return 0;
}

/* Loads a copy source's metadata; sends the error itself on failure. */
static int load_source(oss_req *x, const char *sb, const char *sk, oss_meta *m)
{
    mc_err err;
    if (oss_store_bucket_get(x->c->store, sb, NULL, NULL)) {
        char *saved = x->bucket;
        x->bucket = (char *)sb;
        no_such_bucket(x);
        x->bucket = saved;
        return -1;
    }
    if (oss_store_head(x->c->store, sb, sk, m, &err)) {
        char *saved = x->key;
        x->key = (char *)sk;
        if (err.code == MC_ERR_NOT_FOUND)
            no_such_key(x);
        else
            internal_error(x, &err);
        x->key = saved;
        return -1;
    }
    if (conditionals(x, m, "x-oss-copy-source-") != 0) {
        oss_meta_clear(m);
        return -1;
    }
    return 0;
}

static void copy_object(oss_req *x)
{
    bool forbid;
    char *sb = NULL, *sk = NULL;
    if (check_scope(x, true, NULL) || forbid_overwrite(x, &forbid) || copy_source(x, &sb, &sk))
        return;
    oss_meta src;
    if (load_source(x, sb, sk, &src)) {
        free(sb);
        free(sk);
        return;
    }
    mc_buf data = MC_BUF_INIT;
    mc_err err;
    const char *dir = emu_req_header(x->r, "x-oss-metadata-directive");
    bool replace = dir && !strcasecmp(dir, "REPLACE");
    char *meta = replace ? user_meta_json(x) : (src.user_meta ? mc_strdup(src.user_meta) : NULL);
    const char *ctype = replace && emu_req_header(x->r, "Content-Type") ? emu_req_header(x->r, "Content-Type")
                                                                         : src.content_type;
    oss_put_opts o = {ctype, meta, forbid, NULL};
    oss_meta m;
    if (oss_store_read(x->c->store, sb, &src, 0, src.size, &data, &err) ||
        oss_store_put(x->c->store, x->bucket, x->key, data.data ? data.data : "", data.len, &o, &m, &err)) {
        if (err.code == MC_ERR_EXISTS)
            file_exists_error(x);
        else
            internal_error(x, &err);
    } else {
        mc_buf b = MC_BUF_INIT;
        mc_buf_puts(&b, XML_HEAD "<CopyObjectResult>");
        put_elem(&b, "ETag", m.etag);
        put_time(&b, "LastModified", m.mtime_ms);
        mc_buf_puts(&b, "</CopyObjectResult>\n");
        emu_resp_header(x->r, "ETag", m.etag);
        send_xml(x, 200, &b);
        mc_buf_free(&b);
        oss_meta_clear(&m);
    }
    oss_meta_clear(&src);
    mc_buf_free(&data);
    free(meta);
    free(sb);
    free(sk);
}

static void head_object(oss_req *x)
{
    get_object(x);
}

static void delete_object(oss_req *x)
{
    if (check_scope(x, true, NULL))
        return;
    mc_err err;
    if (oss_store_delete(x->c->store, x->bucket, x->key, &err))
        internal_error(x, &err);
    else
        send_empty(x, 204);
}

/* ---- multipart (§6) ---------------------------------------------------------------------------- */

static int upload_error(oss_req *x, const mc_err *err)
{
    if (!strcmp(err->remote_code, "NoSuchUpload")) {
        char extra[128];
        snprintf(extra, sizeof extra, "  <UploadId>%s</UploadId>\n", mc_query_get(&x->q, "uploadId"));
        return oss_error(x, 404, "NoSuchUpload", err->msg, extra);
    }
    if (err->remote_code[0])
        return oss_error(x, 400, err->remote_code, err->msg, NULL);
    if (err->code == MC_ERR_EXISTS)
        return file_exists_error(x);
    return internal_error(x, err);
}

static void initiate_upload(oss_req *x)
{
    bool forbid;
    if (check_scope(x, true, NULL) || forbid_overwrite(x, &forbid))
        return;
    oss_meta existing;
    if (forbid && oss_store_head(x->c->store, x->bucket, x->key, &existing, NULL) == 0) {
        oss_meta_clear(&existing);
        file_exists_error(x);
        return;
    }
    char *meta = user_meta_json(x);
    oss_put_opts o = {emu_req_header(x->r, "Content-Type"), meta, forbid, NULL};
    char id[40];
    mc_err err;
    if (oss_store_upload_init(x->c->store, x->bucket, x->key, &o, id, &err)) {
        internal_error(x, &err);
    } else {
        mc_buf b = MC_BUF_INIT;
        mc_buf_puts(&b, XML_HEAD "<InitiateMultipartUploadResult>");
        put_elem(&b, "Bucket", x->bucket);
        put_elem(&b, "Key", x->key);
        put_elem(&b, "UploadId", id);
        mc_buf_puts(&b, "</InitiateMultipartUploadResult>\n");
        send_xml(x, 200, &b);
        mc_buf_free(&b);
    }
    free(meta);
}

static int part_number(oss_req *x, int *out)
{
    long long n;
    const char *v = mc_query_get(&x->q, "partNumber");
    if (!v || mc_parse_i64(v, &n) || n < 1 || n > 10000)
        return oss_error(x, 400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive.",
                         "  <ArgumentName>partNumber</ArgumentName>\n");
    *out = (int)n;
    return 0;
}

static void upload_part(oss_req *x)
{
    int pn;
    mc_err err;
    const char *id = mc_query_get(&x->q, "uploadId");
    if (check_scope(x, true, NULL) || part_number(x, &pn))
        return;
    if (oss_store_upload_check(x->c->store, x->bucket, x->key, id, &err)) {
        upload_error(x, &err);
        return;
    }
    oss_writer *w = NULL;
    if (emu_req_header(x->r, "x-oss-copy-source")) {
        char *sb = NULL, *sk = NULL;
        oss_meta src;
        if (copy_source(x, &sb, &sk))
            return;
        if (load_source(x, sb, sk, &src)) {
            free(sb);
            free(sk);
            return;
        }
        int64_t start = 0, end = src.size - 1;
        const char *range = emu_req_header(x->r, "x-oss-copy-source-range");
        if (range && oss_parse_range(range, src.size, true, &start, &end) != 1) {
            oss_error(x, 416, "InvalidRange", "The requested range cannot be satisfied", NULL);
        } else {
            mc_buf data = MC_BUF_INIT;
            if (oss_store_read(x->c->store, sb, &src, start, src.size ? end - start + 1 : 0, &data, &err) ||
                oss_writer_begin(&w, x->c->store, x->bucket, &err) ||
                oss_writer_write(w, data.data ? data.data : "", data.len, &err)) {
                oss_writer_abort(w);
                w = NULL;
                internal_error(x, &err);
            }
            mc_buf_free(&data);
        }
        oss_meta_clear(&src);
        free(sb);
        free(sk);
        if (!w)
            return;
        oss_part p;
        if (oss_store_upload_part(x->c->store, w, x->bucket, x->key, id, pn, &p, &err)) {
            upload_error(x, &err);
            return;
        }
        mc_buf b = MC_BUF_INIT;
        mc_buf_puts(&b, XML_HEAD "<CopyPartResult>");
        put_time(&b, "LastModified", p.mtime_ms);
        put_elem(&b, "ETag", p.etag);
        mc_buf_puts(&b, "</CopyPartResult>\n");
        emu_resp_header(x->r, "ETag", p.etag);
        send_xml(x, 200, &b);
        mc_buf_free(&b);
        return;
    }
    if (receive_body(x, &w))
        return;
    oss_part p;
    if (oss_store_upload_part(x->c->store, w, x->bucket, x->key, id, pn, &p, &err)) {
        upload_error(x, &err);
        return;
    }
    char crc[32];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)p.crc64);
    emu_resp_header(x->r, "ETag", p.etag);
    emu_resp_header(x->r, "x-oss-hash-crc64ecma", crc);
    send_empty(x, 200);
}

static void complete_upload(oss_req *x)
{
    bool forbid;
    if (check_scope(x, true, NULL) || forbid_overwrite(x, &forbid))
        return;
    const char *id = mc_query_get(&x->q, "uploadId");
    mc_err err;
    oss_part *parts = NULL;
    size_t n = 0;
    const char *all = emu_req_header(x->r, "x-oss-complete-all");
    if (all && !strcasecmp(all, "yes")) {
        if (oss_store_list_parts(x->c->store, x->bucket, x->key, id, &parts, &n, &err)) {
            upload_error(x, &err);
            return;
        }
    } else {
        mc_buf body = MC_BUF_INIT;
        if (read_body(x, &body)) {
            mc_buf_free(&body);
            return;
        }
        mc_xml *doc = NULL;
        if (mc_xml_parse(&doc, body.data ? body.data : "", body.len, &err) ||
            strcmp(doc->name, "CompleteMultipartUpload") != 0) {
            mc_xml_free(doc);
            mc_buf_free(&body);
            oss_error(x, 400, "MalformedXML",
                      "The XML you provided was not well-formed or did not validate against our published schema.",
                      NULL);
            return;
        }
        mc_buf_free(&body);
        parts = mc_calloc(doc->nchildren ? doc->nchildren : 1, sizeof *parts);
        for (size_t i = 0; i < doc->nchildren; i++) {
            if (strcmp(doc->children[i]->name, "Part") != 0)
                continue;
            const char *pn = mc_xml_child_text(doc->children[i], "PartNumber");
            const char *etag = mc_xml_child_text(doc->children[i], "ETag");
            long long v;
            if (!pn || !etag || mc_parse_i64(pn, &v) || v < 1 || v > 10000) {
                mc_xml_free(doc);
                free(parts);
                oss_error(x, 400, "MalformedXML",
                          "The XML you provided was not well-formed or did not validate against our published schema.",
                          NULL);
                return;
            }
            parts[n].part_number = (int)v;
            snprintf(parts[n].etag, sizeof parts[n].etag, "%s%s%s", etag[0] == '"' ? "" : "\"", etag,
                     etag[0] == '"' ? "" : "\"");
            n++;
        }
        mc_xml_free(doc);
    }
    oss_meta m;
    if (oss_store_upload_complete(x->c->store, x->bucket, x->key, id, parts, n, forbid, &m, &err)) {
        free(parts);
        upload_error(x, &err);
        return;
    }
    free(parts);
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<CompleteMultipartUploadResult>");
    mc_buf loc = MC_BUF_INIT;
    mc_buf_printf(&loc, "http://%s.oss-%s.aliyuncs.com/%s", x->bucket, x->c->env->region, x->key);
    put_elem(&b, "Location", loc.data);
    mc_buf_free(&loc);
    put_elem(&b, "Bucket", x->bucket);
    put_elem(&b, "Key", x->key);
    put_elem(&b, "ETag", m.etag);
    mc_buf_puts(&b, "</CompleteMultipartUploadResult>\n");
    char crc[32];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)m.crc64);
    emu_resp_header(x->r, "ETag", m.etag);
    emu_resp_header(x->r, "x-oss-hash-crc64ecma", crc);
    send_xml(x, 200, &b);
    mc_buf_free(&b);
    oss_meta_clear(&m);
}

static void abort_upload(oss_req *x)
{
    mc_err err;
    if (check_scope(x, true, NULL))
        return;
    if (oss_store_upload_abort(x->c->store, x->bucket, x->key, mc_query_get(&x->q, "uploadId"), &err))
        upload_error(x, &err);
    else
        send_empty(x, 204);
}

static void list_parts(oss_req *x)
{
    oss_part *p = NULL;
    size_t n = 0;
    mc_err err;
    const char *id = mc_query_get(&x->q, "uploadId");
    if (oss_store_list_parts(x->c->store, x->bucket, x->key, id, &p, &n, &err)) {
        upload_error(x, &err);
        return;
    }
    long long max;
    if (parse_max(x, "max-parts", &max)) {
        free(p);
        return;
    }
    long long marker = 0;
    const char *mk = mc_query_get(&x->q, "part-number-marker");
    if (mk)
        mc_parse_i64(mk, &marker);
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, XML_HEAD "<ListPartsResult>");
    put_elem(&b, "Bucket", x->bucket);
    put_elem(&b, "Key", x->key);
    put_elem(&b, "UploadId", id);
    mc_buf_printf(&b, "<PartNumberMarker>%lld</PartNumberMarker>", marker);
    mc_buf parts = MC_BUF_INIT;
    long long count = 0, next = 0;
    bool truncated = false;
    for (size_t i = 0; i < n; i++) {
        if (p[i].part_number <= marker)
            continue;
        if (count == max) {
            truncated = true;
            break;
        }
        count++;
        next = p[i].part_number;
        mc_buf_printf(&parts, "<Part><PartNumber>%d</PartNumber>", p[i].part_number);
        put_time(&parts, "LastModified", p[i].mtime_ms);
        put_elem(&parts, "ETag", p[i].etag);
        mc_buf_printf(&parts, "<Size>%lld</Size></Part>", (long long)p[i].size);
    }
    mc_buf_printf(&b, "<NextPartNumberMarker>%lld</NextPartNumberMarker><MaxParts>%lld</MaxParts>"
                      "<IsTruncated>%s</IsTruncated>",
                  next, max, truncated ? "true" : "false");
    mc_buf_append(&b, parts.data, parts.len);
    mc_buf_puts(&b, "</ListPartsResult>\n");
    send_xml(x, 200, &b);
    mc_buf_free(&b);
    mc_buf_free(&parts);
    free(p);
}

/* ---- routing ---------------------------------------------------------------------------------- */

/* ---- RAM authorization ------------------------------------------------------------ */

/* The RAM action of a request as route() dispatches it: the OSS API name
 * with the oss: prefix (oss:GetObject, oss:PutObject, ... as the OSS error
 * pages' AuthAction shows them, reference/oss-api.md §8). Uploads, copies,
 * appends and multipart steps write: oss:PutObject; HEAD reads as GET does;
 * DeleteMultipleObjects is oss:DeleteObject. NULL where route() answers
 * MethodNotAllowed. */
static const char *ram_action(oss_req *x)
{
    const char *m = emu_req_method(x->r);
    bool get = !strcmp(m, "GET"), head = !strcmp(m, "HEAD");
    if (!x->bucket)
        return get ? "oss:ListBuckets" : NULL;
    if (!x->key) {
        if (!strcmp(m, "PUT"))
            return mc_query_has(&x->q, "acl") ? "oss:PutBucketAcl" : "oss:PutBucket";
        if (!strcmp(m, "DELETE"))
            return "oss:DeleteBucket";
        if (!strcmp(m, "POST"))
            return mc_query_has(&x->q, "delete") ? "oss:DeleteObject" : NULL;
        if (!get)
            return head ? "oss:GetBucketInfo" : NULL;
        if (mc_query_has(&x->q, "acl"))
            return "oss:GetBucketAcl";
        if (mc_query_has(&x->q, "bucketInfo"))
            return "oss:GetBucketInfo";
        if (mc_query_has(&x->q, "location"))
            return "oss:GetBucketLocation";
        return mc_query_has(&x->q, "uploads") ? "oss:ListMultipartUploads" : "oss:ListObjects";
    }
    bool upload = mc_query_has(&x->q, "uploadId");
    if (!strcmp(m, "PUT") || !strcmp(m, "POST"))
        return "oss:PutObject";
    if (get)
        return upload ? "oss:ListParts" : "oss:GetObject";
    if (head)
        return "oss:GetObject";
    if (!strcmp(m, "DELETE"))
        return upload ? "oss:AbortMultipartUpload" : "oss:DeleteObject";
    return NULL;
}

/* acs:oss:*:<uid>:<bucket>[/<key>], acs:oss:*:<uid>:* for the service
 * (reference/ram-sts.md §1). DeleteMultipleObjects names the bucket's objects. */
static char *ram_resource(oss_req *x)
{
    if (!x->bucket)
        return mc_asprintf("acs:oss:*:%s:*", x->cred.account_id);
    if (x->key)
        return mc_asprintf("acs:oss:*:%s:%s/%s", x->cred.account_id, x->bucket, x->key);
    if (!strcmp(emu_req_method(x->r), "POST"))
        return mc_asprintf("acs:oss:*:%s:%s/*", x->cred.account_id, x->bucket);
    return mc_asprintf("acs:oss:*:%s:%s", x->cred.account_id, x->bucket);
}

/* 403 AccessDenied with AccessDeniedDetail and the EC of the cause: 0003-00000201
 * for a RAM Deny ("Access denied by bucket policy."), 0003-00000301 for an STS
 * session policy, 0003-00000001 for no Allow
 * (https://www.alibabacloud.com/help/en/oss/support/0003-00000201, .../0003-00000301,
 * .../0003-00000001). */
static int ram_denied(oss_req *x, const char *action, const ram_decision *d)
{
    const char *user = strstr(x->cred.principal, ":user/");
    mc_buf e = MC_BUF_INIT;
    mc_buf_printf(&e, "  <AccessDeniedDetail>\n    <PolicyType>AccountLevelIdentityBasedPolicy</PolicyType>\n"
                      "    <AuthPrincipalOwnerId>%s</AuthPrincipalOwnerId>\n"
                      "    <AuthPrincipalType>%s</AuthPrincipalType>\n    <AuthPrincipalDisplayName>",
                  x->cred.account_id, user ? "SubUser" : "AssumedRoleUser");
    mc_xml_escape(&e, user ? user + strlen(":user/") : x->cred.principal);
    mc_buf_printf(&e, "</AuthPrincipalDisplayName>\n    <NoPermissionType>%s</NoPermissionType>\n"
                      "    <AuthAction>%s</AuthAction>\n  </AccessDeniedDetail>\n  <EC>%s</EC>\n",
                  d->explicit_deny ? "ExplicitDeny" : "ImplicitDeny", action,
                  d->by_session_policy ? "0003-00000301" : d->explicit_deny ? "0003-00000201" : "0003-00000001");
    oss_error(x, 403, "AccessDenied",
              d->explicit_deny && !d->by_session_policy ? "Access denied by bucket policy."
                                                        : "You have no right to access this object because of bucket acl.",
              e.data);
    mc_buf_free(&e);
    return -1;
}

/* RAM users and assumed-role sessions act with their RAM policies (and an STS
 * session's policy); the account root and public-ACL anonymous access are not
 * subject to them, and scoped data tokens are checked by check_scope. After
 * an implicit deny the bucket ACL still decides (ram-sts.md §2: for OSS the
 * ACL is evaluated after policies). A copy also reads its source. */
static int ram_check(oss_req *x)
{
    char root[128];
    emu_arn_root(root, sizeof root, x->cred.account_id);
    const char *action = ram_action(x);
    if (!x->cred.principal[0] || x->cred.scope || !strcmp(x->cred.principal, root) || !action)
        return 0;
    const char *prefix = mc_query_get(&x->q, "prefix"), *delim = mc_query_get(&x->q, "delimiter");
    const char *ctx[] = {"acs:SourceIp", emu_req_remote_addr(x->r),
                         "acs:SecureTransport", emu_req_secure(x->r) ? "true" : "false",
                         "oss:Prefix", prefix ? prefix : "", "oss:Delimiter", delim ? delim : "", NULL};
    char *src_bucket = NULL, *src_key = NULL;
    if (x->key && !strcmp(emu_req_method(x->r), "PUT") && emu_req_header(x->r, "x-oss-copy-source") &&
        copy_source(x, &src_bucket, &src_key))
        return -1;
    char *resources[2] = {ram_resource(x), NULL};
    const char *actions[2] = {action, "oss:GetObject"};
    if (src_bucket)
        resources[1] = mc_asprintf("acs:oss:*:%s:%s/%s", x->cred.account_id, src_bucket, src_key);
    int rc = 0;
    for (int i = 0; i < 2 && resources[i] && rc == 0; i++) {
        ram_decision d;
        mc_err err;
        if (ram_authorize_session(x->c->env->state, x->cred.principal, x->cred.session_policy, actions[i],
                                  resources[i], ctx, &d, &err)) {
            rc = internal_error(x, &err);
            break;
        }
        if (x->c->env->record)
            x->c->env->record(x->c->env, "RAM", x->cred.principal, actions[i], resources[i], d.allowed, d.reason);
        if (!d.allowed && (d.explicit_deny || i == 1 || !anonymous_allowed(x)))
            rc = ram_denied(x, actions[i], &d);
    }
    free(resources[0]);
    free(resources[1]);
    free(src_bucket);
    free(src_key);
    return rc;
}

static void not_allowed(oss_req *x)
{
    oss_error(x, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", NULL);
}

static void route(oss_req *x)
{
    const char *m = emu_req_method(x->r);
    x->head = !strcmp(m, "HEAD");
    if (!x->bucket) {
        if (!strcmp(m, "GET"))
            list_buckets(x);
        else
            not_allowed(x);
        return;
    }
    if (!x->key) {
        if (!strcmp(m, "PUT") && mc_query_has(&x->q, "acl"))
            bucket_exists(x) ? put_bucket_acl(x) : (void)no_such_bucket(x);
        else if (!strcmp(m, "PUT"))
            put_bucket(x);
        else if (!bucket_exists(x))
            no_such_bucket(x);
        else if (!strcmp(m, "DELETE"))
            delete_bucket(x);
        else if (!strcmp(m, "POST") && mc_query_has(&x->q, "delete"))
            delete_multiple(x);
        else if (!strcmp(m, "GET") && mc_query_has(&x->q, "acl"))
            get_bucket_acl(x);
        else if (!strcmp(m, "GET") && mc_query_has(&x->q, "bucketInfo"))
            bucket_info(x);
        else if (!strcmp(m, "GET") && mc_query_has(&x->q, "location"))
            bucket_location(x);
        else if (!strcmp(m, "GET") && mc_query_has(&x->q, "uploads"))
            list_uploads(x);
        else if (!strcmp(m, "GET")) {
            const char *lt = mc_query_get(&x->q, "list-type");
            list_objects(x, lt && !strcmp(lt, "2"));
        } else if (x->head)
            send_empty(x, 200);
        else
            not_allowed(x);
        return;
    }
    if (!bucket_exists(x)) {
        no_such_bucket(x);
        return;
    }
    bool upload = mc_query_has(&x->q, "uploadId");
    if (!strcmp(m, "PUT")) {
        if (upload && mc_query_has(&x->q, "partNumber"))
            upload_part(x);
        else if (emu_req_header(x->r, "x-oss-copy-source"))
            copy_object(x);
        else
            put_object(x);
    } else if (!strcmp(m, "GET")) {
        if (upload)
            list_parts(x);
        else
            get_object(x);
    } else if (x->head) {
        head_object(x);
    } else if (!strcmp(m, "DELETE")) {
        if (upload)
            abort_upload(x);
        else
            delete_object(x);
    } else if (!strcmp(m, "POST")) {
        if (mc_query_has(&x->q, "uploads"))
            initiate_upload(x);
        else if (upload)
            complete_upload(x);
        else if (mc_query_has(&x->q, "append"))
            append_object(x);
        else
            not_allowed(x);
    } else {
        not_allowed(x);
    }
}

static void oss_handle(void *ctx, emu_request *r)
{
    oss_req x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.c = ctx;
    if (mc_query_parse(&x.q, emu_req_query(r))) {
        oss_error(&x, 400, "InvalidArgument", "The query string is malformed.", NULL);
        return;
    }
    if (resolve_target(&x) == 0 && authenticate(&x) == 0 && ram_check(&x) == 0)
        route(&x);
    mc_query_free(&x.q);
    emu_cred_clear(&x.cred);
    free(x.bucket);
    free(x.key);
}

static void oss_send_error(void *ctx, emu_request *r, int status, const char *code, const char *message)
{
    (void)ctx;
    send_error_xml(r, emu_req_header(r, "Host"), status, code, message, NULL);
}

static int oss_open(void **ctx, const emu_env *env, mc_err *err)
{
    oss_ctx *c = mc_calloc(1, sizeof *c);
    c->env = env;
    if (oss_store_open(&c->store, env, err)) {
        free(c);
        return -1;
    }
    *ctx = c;
    return 0;
}

static void oss_close(void *ctx)
{
    oss_ctx *c = ctx;
    if (!c)
        return;
    oss_store_close(c->store);
    free(c);
}

const emu_service_def emu_oss_service = {
    .name = "oss",
    .request_id_header = "x-oss-request-id",
    .open = oss_open,
    .handle = oss_handle,
    .send_error = oss_send_error,
    .close = oss_close,
};
