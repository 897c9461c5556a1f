/* pop_auth: see pop_auth.h. Section numbers refer to reference/ram-sts.md. */
#include "server/pop_auth.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "crypto.h"
#include "log.h"
#include "sign_oss.h"
#include "sign_pop.h"
#include "strutil.h"
#include "timeutil.h"

#define MAX_SKEW_MS (15 * 60 * 1000)

static int __attribute__((format(printf, 4, 5))) fail(emu_pop_fault *f, int status, const char *code, const char *fmt,
                                                      ...)
{
    f->status = status;
    f->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return -1;
}

int emu_pop_check_time(const char *stamp, emu_pop_fault *fault)
{
    time_t t;
    if (!stamp || mc_time_parse_iso8601(stamp, &t))
        return fail(fault, 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
    int64_t ms = (int64_t)t * 1000, now = mc_now_ms();
    if (ms < now - MAX_SKEW_MS || ms > now + MAX_SKEW_MS)
        return fail(fault, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    return 0;
}

int emu_pop_load_cred(emu_state *s, const char *access_key_id, const char *token, emu_cred *cred,
                      emu_pop_fault *fault)
{
    mc_err err;
    if (emu_cred_lookup(s, access_key_id, cred, &err)) {
        if (err.code == MC_ERR_NOT_FOUND)
            return fail(fault, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        MC_LOGE("pop auth: %s", err.msg);
        return fail(fault, 500, "InternalError", "The request processing has failed due to some unknown error.");
    }
    if (!cred->active)
        return fail(fault, 400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled.");
    /* STS token codes as the gateway names them (not in the reference; commonly seen). */
    if (cred->is_sts) {
        if (!token)
            return fail(fault, 400, "MissingSecurityToken", "SecurityToken is mandatory for this action.");
        if (!cred->token || !sign_equal(token, cred->token))
            return fail(fault, 400, "InvalidSecurityToken.MismatchWithAccessKey",
                        "Specified SecurityToken mismatch with the AccessKey.");
        if (cred->expires_ms && mc_now_ms() >= cred->expires_ms)
            return fail(fault, 400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
    }
    return 0;
}

static bool list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ";");
        if (len == n && !strncasecmp(p, name, n))
            return true;
        p += len + (p[len] == ';');
    }
    return false;
}

static int check_signature(emu_request *r, const mc_buf *body, const mc_header *h, size_t nh,
                           const char *signed_headers, const char *secret, const char *sig, emu_pop_fault *fault)
{
    uint8_t d[MC_SHA256_LEN];
    char hash[2 * MC_SHA256_LEN + 1], want[65];
    mc_sha256(d, body->data ? body->data : "", body->len);
    mc_hex_lower(hash, d, sizeof d);
    mc_query q;
    if (mc_query_parse(&q, emu_req_query(r)))
        return fail(fault, 400, "InvalidParameter", "The query string is malformed.");
    char *path = mc_strndup(emu_req_raw_path(r), strcspn(emu_req_raw_path(r), "?"));
    sign_pop_request sr = {emu_req_method(r), path, &q, h, nh, hash};
    mc_buf canon = MC_BUF_INIT, sts = MC_BUF_INIT;
    sign_pop_v3_canonical_request(&canon, &sr, signed_headers, NULL);
    sign_pop_v3_string_to_sign(&sts, canon.data);
    sign_pop_v3_signature(want, secret, sts.data);
    int rc = sign_equal(want, sig)
                 ? 0
                 : fail(fault, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
    mc_buf_free(&canon);
    mc_buf_free(&sts);
    mc_query_free(&q);
    free(path);
    return rc;
}

int emu_pop_v3_authenticate(emu_state *s, emu_request *r, const char *authz, const mc_buf *body, emu_cred *cred,
                            emu_pop_fault *fault)
{
    char *ak, *signed_headers, *sig;
    if (sign_pop_v3_parse_authorization(authz, &ak, &signed_headers, &sig))
        return fail(fault, 400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
    size_t nh = emu_req_header_count(r);
    mc_header *h = mc_calloc(nh ? nh : 1, sizeof *h);
    int rc = 0;
    for (size_t i = 0; i < nh; i++) {
        emu_req_header_at(r, i, &h[i].name, &h[i].value);
        /* Every host and x-acs-* header the client sent must be signed (§5.2 server side). */
        if ((mc_str_ieq(h[i].name, "host") || !strncasecmp(h[i].name, "x-acs-", 6)) &&
            !list_has(signed_headers, h[i].name) && rc == 0)
            rc = fail(fault, 400, "IncompleteSignature",
                      "The request signature does not conform to Aliyun standards: header %s is not signed.",
                      h[i].name);
    }
    if (rc == 0)
        rc = emu_pop_check_time(emu_req_header(r, "x-acs-date"), fault);
    if (rc == 0)
        rc = emu_pop_load_cred(s, ak, emu_req_header(r, "x-acs-security-token"), cred, fault);
    if (rc == 0)
        rc = check_signature(r, body, h, nh, signed_headers, cred->secret, sig, fault);
    free(h);
    free(ak);
    free(signed_headers);
    free(sig);
    return rc;
}

void emu_pop_send_json(emu_request *r, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    /* ROA responses name the request in x-acs-request-id as well. */
    emu_resp_header(r, "x-acs-request-id", emu_req_id(r));
    emu_resp_send(r, status, "application/json;charset=utf-8", s, strlen(s));
    free(s);
    json_decref(j);
}

void emu_pop_send_error(emu_request *r, const char *host_id, int status, const char *code, const char *message)
{
    json_t *o = json_object();
    json_object_set_new(o, "RequestId", json_string(emu_req_id(r)));
    json_object_set_new(o, "HostId", json_string(host_id));
    json_object_set_new(o, "Code", json_string(code));
    json_object_set_new(o, "Message", json_string(message));
    emu_pop_send_json(r, status, o);
}
