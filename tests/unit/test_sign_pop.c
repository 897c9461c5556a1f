/* POP signatures against reference/ram-sts.md §5.2 (V3 vectors 1-3 captured
 * from @alicloud/ram20150501, the openapi-util unit-test vector) and §5.3
 * (the official ECS RPC vector and the captured HMAC-SHA1 CreateUser). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sign_pop.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define HOST "127.0.0.1:39343"
#define DATE "2026-11-24T00:20:40Z"

static void v3_check(const char *expected_sig, const char *method, const char *path, const char *qs,
                     const mc_header *h, size_t nh, const char *payload_hash, const char *signed_headers,
                     const char *ak, const char *sk)
{
    mc_query q;
    assert_int_equal(mc_query_parse(&q, qs), 0);
    sign_pop_request r = {method, path, &q, h, nh, payload_hash};
    mc_buf a = MC_BUF_INIT;
    sign_pop_v3_authorization(&a, &r, signed_headers, ak, sk);
    char *got_ak, *got_sh, *got_sig;
    assert_int_equal(sign_pop_v3_parse_authorization(a.data, &got_ak, &got_sh, &got_sig), 0);
    assert_string_equal(got_ak, ak);
    assert_string_equal(got_sig, expected_sig);
    free(got_ak);
    free(got_sh);
    free(got_sig);
    mc_buf_free(&a);
    mc_query_free(&q);
}

static void test_v3_create_user_canonical_request_and_signature(void **state)
{
    (void)state;
    mc_header h[] = {{"host", HOST},
                     {"x-acs-version", "2015-05-01"},
                     {"x-acs-action", "CreateUser"},
                     {"x-acs-date", DATE},
                     {"x-acs-signature-nonce", "f191054db7e1820eb472231490fc480df678849ceb6a8dfcc5caef0237f94935"},
                     {"x-acs-content-sha256", EMPTY_SHA256},
                     {"x-acs-credentials-provider", "static_ak"},
                     {"accept", "application/json"},
                     {"user-agent", "AlibabaCloud"}};
    mc_query q;
    assert_int_equal(mc_query_parse(&q, "UserName=alice&DisplayName=Alice%20A"), 0);
    sign_pop_request r = {"POST", "/", &q, h, 9, EMPTY_SHA256};
    mc_buf c = MC_BUF_INIT, list = MC_BUF_INIT;
    sign_pop_v3_canonical_request(&c, &r, NULL, &list);
    assert_string_equal(c.data, "POST\n/\nDisplayName=Alice%20A&UserName=alice\nhost:127.0.0.1:39343\n"
                                "x-acs-action:CreateUser\nx-acs-content-sha256:" EMPTY_SHA256 "\n"
                                "x-acs-credentials-provider:static_ak\nx-acs-date:2026-11-24T00:20:40Z\n"
                                "x-acs-signature-nonce:f191054db7e1820eb472231490fc480df678849ceb6a8dfcc5caef0237f94935\n"
                                "x-acs-version:2015-05-01\n\nhost;x-acs-action;x-acs-content-sha256;"
                                "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version\n" EMPTY_SHA256);
    assert_string_equal(list.data, "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
                                   "x-acs-signature-nonce;x-acs-version");
    mc_buf_free(&c);
    mc_buf_free(&list);
    mc_query_free(&q);
    v3_check("8e6386e9cf943dc869d4713ce2105c6aaff34050ded334a0ba479c9efeea54db", "POST", "/",
             "UserName=alice&DisplayName=Alice%20A", h, 9, EMPTY_SHA256, NULL, "ak", "sk");
    /* A verifier signs the client's list, whatever order it came in. */
    v3_check("8e6386e9cf943dc869d4713ce2105c6aaff34050ded334a0ba479c9efeea54db", "POST", "/",
             "UserName=alice&DisplayName=Alice%20A", h, 9, EMPTY_SHA256,
             "x-acs-version;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
             "x-acs-signature-nonce",
             "ak", "sk");
}

static void test_v3_attach_policy_and_sts_get_role(void **state)
{
    (void)state;
    mc_header h[] = {{"Host", HOST},
                     {"x-acs-action", "AttachPolicyToUser"},
                     {"x-acs-version", "2015-05-01"},
                     {"x-acs-date", DATE},
                     {"x-acs-signature-nonce", "6d92bddc272dda8fd33aa9a475e09996b4165b3b0a7c39cedec683020326cd3e"},
                     {"x-acs-content-sha256", EMPTY_SHA256},
                     {"x-acs-credentials-provider", "static_ak"}};
    v3_check("d5da2effc2288add483abd33490e0bf2f04205a49130c07936c2650deb3946c3", "POST", "/",
             "PolicyName=AliyunOSSFullAccess&PolicyType=System&UserName=alice", h, 7, EMPTY_SHA256, NULL, "ak", "sk");
    mc_header s[] = {{"host", HOST},
                     {"x-acs-action", "GetRole"},
                     {"x-acs-version", "2015-05-01"},
                     {"x-acs-date", DATE},
                     {"x-acs-signature-nonce", "9b21ca798669749f86cd50636a66b2ef912f8334c11535e83b179e78782b495d"},
                     {"x-acs-content-sha256", EMPTY_SHA256},
                     {"x-acs-credentials-provider", "static_sts"},
                     {"x-acs-accesskey-id", "STS.ak"},
                     {"x-acs-security-token", "tok"}};
    v3_check("a5f2e88b3a4dc810bc51e9e19630cc5ada81221beb09a45f90e484c206d0501c", "POST", "/",
             "RoleName=AliyunServiceRoleForMaxComputeLakehouse", s, 9, EMPTY_SHA256, NULL, "STS.ak", "sk");
}

static void test_v3_sdk_unit_vector_keeps_empty_values(void **state)
{
    (void)state;
    mc_header h[] = {{"x-acs-test", "http"}};
    mc_query q;
    assert_int_equal(mc_query_parse(&q, "test=ok&empty="), 0);
    sign_pop_request r = {"GET", "/", &q, h, 1, "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"};
    mc_buf a = MC_BUF_INIT;
    sign_pop_v3_authorization(&a, &r, NULL, "acesskey", "secret");
    assert_string_equal(a.data, "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,"
                                "Signature=02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7");
    mc_buf_free(&a);
    mc_query_free(&q);
}

static void test_v3_parse_rejects_other_schemes(void **state)
{
    (void)state;
    char *a, *h, *s;
    assert_int_equal(sign_pop_v3_parse_authorization("acs ak:sig", &a, &h, &s), -1);
    assert_int_equal(sign_pop_v3_parse_authorization("ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host", &a, &h, &s),
                     -1);
    assert_null(a);
    assert_int_equal(sign_pop_v3_parse_authorization(NULL, &a, &h, &s), -1);
}

static void test_rpc_official_ecs_vector(void **state)
{
    (void)state;
    mc_query q;
    assert_int_equal(mc_query_parse(&q, "Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1"
                                        "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
                                        "&TimeStamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&AccessKeyId=testid"
                                        "&Signature=ignored"),
                     0);
    mc_buf sts = MC_BUF_INIT, sig = MC_BUF_INIT;
    sign_pop_rpc_string_to_sign(&sts, "GET", &q);
    assert_string_equal(sts.data, "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
                                  "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
                                  "%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z"
                                  "%26Version%3D2014-05-26");
    sign_pop_rpc_signature(&sig, "testsecret", sts.data);
    assert_string_equal(sig.data, "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
    mc_buf_free(&sts);
    mc_buf_free(&sig);
    mc_query_free(&q);
}

static void test_rpc_captured_create_user_post(void **state)
{
    (void)state;
    mc_query q;
    assert_int_equal(mc_query_parse(&q, "UserName=bob&Action=CreateUser&Format=json&Version=2015-05-01"
                                        "&AccessKeyId=ak&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0"
                                        "&SignatureNonce=666864a52eefcb0bfefa5367160cd6c634cc0b2ae5f62e8a86fcb2b4f25bca2f"
                                        "&Timestamp=2026-11-24T00%3A20%3A40Z"),
                     0);
    mc_buf sts = MC_BUF_INIT, sig = MC_BUF_INIT;
    sign_pop_rpc_string_to_sign(&sts, "POST", &q);
    assert_string_equal(sts.data, "POST&%2F&AccessKeyId%3Dak%26Action%3DCreateUser%26Format%3Djson"
                                  "%26SignatureMethod%3DHMAC-SHA1"
                                  "%26SignatureNonce%3D666864a52eefcb0bfefa5367160cd6c634cc0b2ae5f62e8a86fcb2b4f25bca2f"
                                  "%26SignatureVersion%3D1.0%26Timestamp%3D2026-11-24T00%253A20%253A40Z"
                                  "%26UserName%3Dbob%26Version%3D2015-05-01");
    sign_pop_rpc_signature(&sig, "sk", sts.data);
    assert_string_equal(sig.data, "vKXgyLukKPzXElsbtXgf2H+/+ss=");
    mc_buf_free(&sts);
    mc_buf_free(&sig);
    mc_query_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v3_create_user_canonical_request_and_signature),
        cmocka_unit_test(test_v3_attach_policy_and_sts_get_role),
        cmocka_unit_test(test_v3_sdk_unit_vector_keeps_empty_values),
        cmocka_unit_test(test_v3_parse_rejects_other_schemes),
        cmocka_unit_test(test_rpc_official_ecs_vector),
        cmocka_unit_test(test_rpc_captured_create_user_post),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
