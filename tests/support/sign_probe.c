/*
 * mcdlf-sign-probe: makes a fixed set of requests with the engine's own
 * clients (OSS V4 and V1, with and without an STS token, presigned URLs;
 * POP ACS3-HMAC-SHA256) against recording endpoints, so a conformance test
 * (tests/conformance/signers.test.js) can recompute every signature with the
 * vendors' signers (ali-oss, @alicloud/openapi-util) and compare: issue 8's
 * signer cross-check. Answers are ignored; presigned URLs go to stdout.
 *
 *   mcdlf-sign-probe OSS_URL POP_URL ACCESS_KEY_ID SECRET REGION
 */
#include <stdio.h>
#include <string.h>

#include "client/oss_client.h"
#include "client/pop_client.h"

static void oss_requests(const char *url, const char *ak, const char *sk, const char *token, const char *region,
                         bool v1)
{
    oss_client_config cfg = {.endpoint = url, .region = region, .access_key_id = ak, .access_key_secret = sk,
                             .security_token = token, .sign_v1 = v1, .path_style = 1, .max_retries = 1};
    oss_client *c;
    mc_err err;
    if (oss_client_new(&c, &cfg, &err)) {
        fprintf(stderr, "sign-probe: %s\n", err.msg);
        return;
    }
    oss_client_result r;
    mc_header meta[] = {{"x-oss-meta-owner", " Zhang San "}, {"Content-Type", "text/plain"}};
    oss_client_call put = {"PUT", "probe", "dir/a b+c~(1)*.txt", NULL, 0, meta, 2, "hello", 5};
    if (oss_client_send(c, &put, &r, &err) == 0)
        oss_client_result_clear(&r);
    mc_query_param list[] = {{"list-type", "2", true}, {"prefix", "dir/", true}, {"delimiter", "/", true},
                             {"max-keys", "10", true}};
    oss_client_call ls = {"GET", "probe", NULL, list, 4, NULL, 0, NULL, 0};
    if (oss_client_send(c, &ls, &r, &err) == 0)
        oss_client_result_clear(&r);
    mc_query_param uploads = {"uploads", "", false};
    oss_client_call init = {"POST", "probe", "big/part file", &uploads, 1, NULL, 0, NULL, 0};
    if (oss_client_send(c, &init, &r, &err) == 0)
        oss_client_result_clear(&r);
    mc_query_param acl = {"acl", "", false};
    mc_header acl_h = {"x-oss-acl", "public-read"};
    oss_client_call set_acl = {"PUT", "probe", NULL, &acl, 1, &acl_h, 1, NULL, 0};
    if (oss_client_send(c, &set_acl, &r, &err) == 0)
        oss_client_result_clear(&r);
    mc_query_param part[] = {{"partNumber", "2", true}, {"uploadId", "0004B9894A22E5B1888A1E29F823****", true}};
    oss_client_call up = {"PUT", "probe", "big/part file", part, 2, NULL, 0, "xyz", 3};
    if (oss_client_send(c, &up, &r, &err) == 0)
        oss_client_result_clear(&r);
    mc_buf signed_url = MC_BUF_INIT;
    if (oss_client_presign(c, "GET", "probe", "dir/a b+c~(1)*.txt", 600, &signed_url, &err) == 0)
        printf("PRESIGN %s %s\n", v1 ? "v1" : "v4", mc_buf_cstr(&signed_url));
    mc_buf_free(&signed_url);
    oss_client_free(c);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: mcdlf-sign-probe OSS_URL POP_URL ACCESS_KEY_ID SECRET REGION\n");
        return 2;
    }
    const char *oss = argv[1], *pop = argv[2], *ak = argv[3], *sk = argv[4], *region = argv[5];
    oss_requests(oss, ak, sk, NULL, region, false);
    oss_requests(oss, ak, sk, NULL, region, true);
    oss_requests(oss, ak, sk, "CAIS-token/with+chars=", region, false);
    pop_client_config pc = {.endpoint = pop, .access_key_id = ak, .access_key_secret = sk};
    const char *const user[] = {"UserName", "alice", "DisplayName", "Alice A/b~c*'()!", "Comments", "x y+z", NULL};
    const char *const role[] = {"RoleArn", "acs:ram::1234567890123456:role/reader", "RoleSessionName", "s-1",
                                "DurationSeconds", "900", NULL};
    json_t *j = NULL;
    mc_err err;
    if (pop_client_call(&pc, "2015-05-01", "CreateUser", user, &j, &err) == 0)
        json_decref(j);
    if (pop_client_call(&pc, "2015-04-01", "AssumeRole", role, &j, &err) == 0)
        json_decref(j);
    pop_client_config st = pc;
    st.security_token = "CAIS-sts-token";
    if (pop_client_call(&st, "2015-04-01", "GetCallerIdentity", NULL, &j, &err) == 0)
        json_decref(j);
    return 0;
}
