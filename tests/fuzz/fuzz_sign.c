/*
 * libFuzzer target for what the emulator does with a request's signature
 * before it knows who sent it (common/sign_{oss,dlf,pop}.c, common/timeutil.c):
 * Authorization values split into their fields (OSS V1 `OSS ak:sig`, V4
 * `OSS4-HMAC-SHA256 Credential=...`, DLF4-HMAC-SHA256, POP ACS3-HMAC-SHA256),
 * V4 credential scopes, the request dates, and every canonicalisation the
 * verifiers recompute from the received method, path, query and headers
 * (reference/oss-api.md §2-3, paimon-rest.md §3.3, ram-sts.md §5).
 * Built and run by ci/fuzz (seed corpus: tests/fuzz/corpus/sign).
 *
 * Input, as a client would send it: a request line "METHOD PATH[?QUERY]",
 * then "Name: value" header lines up to an empty line (or the end).
 * Properties: no crash or sanitizer report; what parses is consistent (a
 * parsed V4 credential fits its buffers; signing is deterministic, so the
 * Authorization the DLF verifier builds twice is the same).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sign_dlf.h"
#include "sign_oss.h"
#include "sign_pop.h"
#include "strutil.h"
#include "timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HEADERS 64

static void check_dates(const char *v)
{
    time_t t;
    mc_time_parse_iso8601_basic(v, &t);
    mc_time_parse_any(v, &t);
    long long e;
    mc_parse_i64(v, &e);
}

static void oss_auth(const sign_oss_request *r, const char *authz)
{
    char ak[128], date8[9], region[64];
    mc_buf b = MC_BUF_INIT;
    if (mc_str_starts_with(authz, "OSS4-HMAC-SHA256 ")) {
        char *cred = sign_auth_field(authz, "Credential"), *sig = sign_auth_field(authz, "Signature");
        char *add = sign_auth_field(authz, "AdditionalHeaders");
        if (cred && sign_oss_v4_parse_credential(cred, ak, sizeof ak, date8, region, sizeof region) == 0) {
            if (strlen(ak) >= sizeof ak || strlen(date8) != 8 || strlen(region) >= sizeof region)
                abort();
            mc_buf creq = MC_BUF_INIT, sts = MC_BUF_INIT;
            sign_oss_v4_canonical_request(&creq, r, add, false);
            sign_oss_v4_additional_headers(&b, r, add);
            sign_oss_v4_string_to_sign(&sts, "20261124T001705Z", region, "oss", creq.data);
            char want[65];
            sign_oss_v4_signature(want, "secret", date8, region, "oss", sts.data);
            sign_equal(want, sig ? sig : "");
            mc_buf_free(&creq);
            mc_buf_free(&sts);
        }
        free(cred);
        free(sig);
        free(add);
    } else {
        char *id;
        const char *sig;
        if (sign_oss_v1_parse_authorization(authz, &id, &sig) == 0) {
            mc_buf sts = MC_BUF_INIT;
            sign_oss_v1_string_to_sign(&sts, r, mc_header_get(r->headers, r->nheaders, "Date"));
            sign_oss_v1_signature(&b, "secret", sts.data);
            sign_equal(b.data, sig);
            mc_buf_free(&sts);
        }
        free(id);
    }
    mc_buf_free(&b);
}

static void dlf_auth(const sign_dlf_request *r, const char *authz)
{
    mc_buf a = MC_BUF_INIT, b = MC_BUF_INIT, o = MC_BUF_INIT;
    sign_dlf_authorization(&a, r, "ak", "secret", "cn-hangzhou");
    sign_dlf_authorization(&b, r, "ak", "secret", "cn-hangzhou");
    if (strcmp(a.data, b.data) != 0)
        abort();
    sign_equal(a.data, authz);
    char *sig = sign_auth_field(authz, "Signature");
    free(sig);
    sign_dlf_openapi_authorization(&o, r, "ak", "secret");
    mc_buf_free(&a);
    mc_buf_free(&b);
    mc_buf_free(&o);
}

static void pop_auth(const sign_pop_request *r, const char *authz, const mc_query *q)
{
    char *ak, *signed_headers, *sig;
    mc_buf canon = MC_BUF_INIT, list = MC_BUF_INIT, sts = MC_BUF_INIT;
    if (sign_pop_v3_parse_authorization(authz, &ak, &signed_headers, &sig) == 0) {
        sign_pop_v3_canonical_request(&canon, r, signed_headers, &list);
        sign_pop_v3_string_to_sign(&sts, canon.data);
        char want[65];
        sign_pop_v3_signature(want, "secret", sts.data);
        sign_equal(want, sig);
        free(ak);
        free(signed_headers);
        free(sig);
    } else {
        sign_pop_v3_canonical_request(&canon, r, NULL, &list);
    }
    mc_buf_reset(&sts);
    sign_pop_rpc_string_to_sign(&sts, r->method, q);
    mc_buf_free(&canon);
    mc_buf_free(&list);
    mc_buf_free(&sts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';

    /* Request line. */
    char *line = text, *next = strchr(line, '\n');
    if (next)
        *next++ = '\0';
    char *method = line, *target = strchr(line, ' ');
    if (target)
        *target++ = '\0';
    else
        target = (char *)"/";
    char *qs = strchr(target, '?');
    if (qs)
        *qs++ = '\0';

    /* Headers. */
    mc_header h[MAX_HEADERS];
    size_t nh = 0;
    for (line = next; line && *line && nh < MAX_HEADERS; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        h[nh++] = (mc_header){line, v};
    }
    const char *authz = mc_header_get(h, nh, "Authorization");
    if (!authz)
        authz = "";
    for (size_t i = 0; i < nh; i++)
        check_dates(h[i].value);

    mc_query q = {0};
    if (mc_query_parse(&q, qs ? qs : "") == 0) {
        /* OSS: path-style bucket and decoded key, as the OSS service resolves them. */
        mc_buf path = MC_BUF_INIT;
        if (mc_url_decode(&path, target, strlen(target), false) == 0) {
            char *p = path.data ? path.data + (path.data[0] == '/') : (char *)"";
            char *slash = strchr(p, '/');
            if (slash)
                *slash++ = '\0';
            sign_oss_request r = {method, p, slash, &q, h, nh};
            oss_auth(&r, authz);
            for (size_t i = 0; i < q.count; i++)
                check_dates(q.items[i].value);
            const char *cred = mc_query_get(&q, "x-oss-credential");
            char ak[128], date8[9], region[64];
            if (cred && sign_oss_v4_parse_credential(cred, ak, sizeof ak, date8, region, sizeof region) == 0) {
                mc_buf creq = MC_BUF_INIT;
                sign_oss_v4_canonical_request(&creq, &r, mc_query_get(&q, "x-oss-additional-headers"), true);
                mc_buf_free(&creq);
            }
        }
        mc_buf_free(&path);
        sign_dlf_request d = {method, target, &q, h, nh};
        dlf_auth(&d, authz);
        sign_pop_request pr = {method, target, &q, h, nh, "UNSIGNED-PAYLOAD"};
        pop_auth(&pr, authz, &q);
    }
    mc_query_free(&q);
    free(text);
    return 0;
}
