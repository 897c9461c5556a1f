/* OSS signatures V1 and V4 against the published vectors of reference/oss-api.md §2.1 and §3.1. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sign_oss.h"

static void v1_check(const char *sts_expected, const char *sig_expected, const char *method, const char *bucket,
                     const char *key, const char *qs, const mc_header *h, size_t nh, const char *date)
{
    mc_query q;
    assert_int_equal(mc_query_parse(&q, qs), 0);
    sign_oss_request r = {method, bucket, key, &q, h, nh};
    mc_buf sts = MC_BUF_INIT, sig = MC_BUF_INIT;
    sign_oss_v1_string_to_sign(&sts, &r, date);
    assert_string_equal(sts.data, sts_expected);
    sign_oss_v1_signature(&sig, "sk", sts.data);
    assert_string_equal(sig.data, sig_expected);
    mc_buf_free(&sts);
    mc_buf_free(&sig);
    mc_query_free(&q);
}

static void test_v1_header_vectors(void **state)
{
    (void)state;
    const char *date = "Wed, 28 Dec 2022 10:27:41 GMT";
    mc_header h[] = {{"Content-MD5", "eB5eJF1ptWaXm4bijSPyxw=="}, {"Content-Type", "text/html"},
                     {"x-oss-meta-magic", "abracadabra"}, {"x-oss-meta-author", "alice"},
                     {"x-oss-date", date}, {"Date", date}};
    v1_check("PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 "
             "10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson",
             "kSHKmLxlyEAKtZPkJhG9bZb5k7M=", "PUT", "examplebucket", "nelson", "", h, 6, date);
    v1_check("PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 "
             "10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson?acl",
             "/afkugFbmWDQ967j1vr6zygBLQk=", "PUT", "examplebucket", "nelson", "acl", h, 6, date);
    mc_header g[] = {{"x-oss-date", date}};
    v1_check("GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/?resourceGroup",
             "vkQmfuUDyi1uDi3bKt67oemssIs=", "GET", "examplebucket", NULL, "resourceGroup&non-resousce=null", g, 1,
             date);
    v1_check("GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/?acl&resourceGroup",
             "x3E5TgOvl/i7PN618s5mEvpJDYk=", "GET", "examplebucket", NULL, "resourceGroup&acl", g, 1, date);
}

static void test_v1_ali_oss_captures_and_presign(void **state)
{
    (void)state;
    const char *date = "Tue, 24 Nov 2026 00:16:05 GMT";
    mc_header h[] = {{"content-md5", "XUFAKrxLKna5cZ2REBfFkg=="}, {"content-type", "text/plain"},
                     {"x-oss-date", date}, {"x-oss-meta-k1", "v1"}, {"x-oss-security-token", "tok"}};
    v1_check("PUT\nXUFAKrxLKna5cZ2REBfFkg==\ntext/plain\nTue, 24 Nov 2026 00:16:05 GMT\nx-oss-date:Tue, 24 Nov 2026 "
             "00:16:05 GMT\nx-oss-meta-k1:v1\nx-oss-security-token:tok\n/mybucket/dir/a b+c~!*()'.txt",
             "TMN/B4B2idXa8NcTzMDx910EQhM=", "PUT", "mybucket", "dir/a b+c~!*()'.txt", "", h, 5, date);
    mc_header l[] = {{"x-oss-date", date}, {"x-oss-security-token", "tok"}};
    v1_check("GET\n\n\nTue, 24 Nov 2026 00:16:05 GMT\nx-oss-date:Tue, 24 Nov 2026 00:16:05 GMT\nx-oss-security-token:tok\n"
             "/mybucket/?continuation-token=tok 1/x",
             "zm0yxm3QC/bmPhsOmz2CrmHUJyY=", "GET", "mybucket", NULL,
             "list-type=2&prefix=dir%2F&delimiter=%2F&max-keys=2&continuation-token=tok%201%2Fx", l, 2, date);
    v1_check("GET\n\n\n1699807420\n/bucket/key?versionId=versionId", "dcLTea+Yh9ApirQ8o8dOPqtvJXQ=", "GET", "bucket",
             "key", "versionId=versionId&OSSAccessKeyId=ak&Expires=1699807420", NULL, 0, "1699807420");
    v1_check("GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId",
             "jzKYRrM5y6Br0dRFPaTGOsbrDhY=", "GET", "bucket", "key+123", "versionId=versionId&security-token=token",
             NULL, 0, "1699808204");
    mc_header put[] = {{"Content-Type", "text/plain"}};
    v1_check("PUT\n\ntext/plain\n1795479950\n/mybucket/dir/a b+c.txt?security-token=tok", "6g4MamrYbpCScrytsD4TYgCujI8=",
             "PUT", "mybucket", "dir/a b+c.txt", "security-token=tok", put, 1, "1795479950");
}

static const char *QS = "param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2=&%7Cparam2=&param2=";

static void v4_check(const char *expected, const char *qs, mc_header *h, size_t nh, const char *additional,
                     bool presign, const char *datetime, const char *bucket, const char *key)
{
    mc_query q;
    assert_int_equal(mc_query_parse(&q, qs), 0);
    sign_oss_request r = {presign || strcmp(bucket, "mybucket") ? "PUT" : "PUT", bucket, key, &q, h, nh};
    if (!strcmp(bucket, "mybucket") && key && strstr(key, "a b+c.txt"))
        r.method = "GET";
    if (!strcmp(bucket, "mybucket") && !key)
        r.method = "GET";
    mc_buf creq = MC_BUF_INIT, sts = MC_BUF_INIT;
    sign_oss_v4_canonical_request(&creq, &r, additional, presign);
    sign_oss_v4_string_to_sign(&sts, datetime, "cn-hangzhou", "oss", creq.data);
    char sig[65];
    char date8[9];
    memcpy(date8, datetime, 8);
    date8[8] = '\0';
    sign_oss_v4_signature(sig, "sk", date8, "cn-hangzhou", "oss", sts.data);
    assert_string_equal(sig, expected);
    mc_buf_free(&creq);
    mc_buf_free(&sts);
    mc_query_free(&q);
}

static void test_v4_sdk_vectors(void **state)
{
    (void)state;
    /* The first case's canonical request, exactly (§3.1). */
    mc_query q;
    assert_int_equal(mc_query_parse(&q, QS), 0);
    mc_header h[] = {{"x-oss-head1", "value"}, {"abc", "value"}, {"ZAbc", "value"}, {"XYZ", "value"},
                     {"content-type", "text/plain"}, {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
                     {"x-oss-date", "20231216T162057Z"}};
    sign_oss_request r = {"PUT", "bucket", "1234+-/123/1.txt", &q, h, 7};
    mc_buf creq = MC_BUF_INIT;
    sign_oss_v4_canonical_request(&creq, &r, NULL, false);
    assert_string_equal(creq.data, "PUT\n/bucket/1234%2B-/123/1.txt\n"
                                   "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n"
                                   "content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\n"
                                   "x-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD");
    mc_buf_free(&creq);
    mc_query_free(&q);
    v4_check("e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe", QS, h, 7, NULL, false,
             "20231216T162057Z", "bucket", "1234+-/123/1.txt");
    mc_header t[] = {{"x-oss-head1", "value"}, {"abc", "value"}, {"ZAbc", "value"}, {"XYZ", "value"},
                     {"content-type", "text/plain"}, {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
                     {"x-oss-date", "20231217T034736Z"}, {"x-oss-security-token", "token"}};
    v4_check("b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea", QS, t, 8, NULL, false,
             "20231217T034736Z", "bucket", "1234+-/123/1.txt");
    mc_header a[] = {{"x-oss-head1", "value"}, {"abc", "value"}, {"ZAbc", "value"}, {"XYZ", "value"},
                     {"content-type", "text/plain"}, {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
                     {"x-oss-date", "20231216T172512Z"}};
    v4_check("4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f", QS, a, 7, "ZAbc;abc", false,
             "20231216T172512Z", "bucket", "1234+-/123/1.txt");
    v4_check("4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f", QS, a, 7,
             "ZAbc;abc;x-oss-no-exist;x-oss-head1", false, "20231216T172512Z", "bucket", "1234+-/123/1.txt");
}

static void test_v4_presign_vectors(void **state)
{
    (void)state;
    mc_header h[] = {{"x-oss-head1", "value"}, {"abc", "value"}, {"ZAbc", "value"}, {"XYZ", "value"},
                     {"content-type", "application/octet-stream"}};
    char *qs = mc_asprintf("%s&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T025437Z"
                           "&x-oss-expires=599&x-oss-credential=ak%%2F20231217%%2Fcn-hangzhou%%2Foss%%2Faliyun_v4_request"
                           "&x-oss-signature=ignored",
                           QS);
    v4_check("a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe", qs, h, 5, NULL, true,
             "20231217T025437Z", "bucket", "1234+-/123/1.txt");
    free(qs);
    qs = mc_asprintf("%s&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T035628Z"
                     "&x-oss-expires=599&x-oss-credential=ak%%2F20231217%%2Fcn-hangzhou%%2Foss%%2Faliyun_v4_request"
                     "&x-oss-security-token=token",
                     QS);
    v4_check("3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5", qs, h, 5, NULL, true,
             "20231217T035628Z", "bucket", "1234+-/123/1.txt");
    free(qs);
    qs = mc_asprintf("%s&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T033009Z"
                     "&x-oss-expires=599&x-oss-credential=ak%%2F20231217%%2Fcn-hangzhou%%2Foss%%2Faliyun_v4_request"
                     "&x-oss-additional-headers=abc%%3Bzabc",
                     QS);
    v4_check("6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7", qs, h, 5, "abc;zabc", true,
             "20231217T033009Z", "bucket", "1234+-/123/1.txt");
    free(qs);
}

static void test_v4_ali_oss_captures(void **state)
{
    (void)state;
    mc_header put[] = {{"content-md5", "XUFAKrxLKna5cZ2REBfFkg=="}, {"content-type", "text/plain"},
                       {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-oss-date", "20261124T001705Z"},
                       {"x-oss-meta-k1", "v1"}, {"x-oss-security-token", "tok"}};
    v4_check("b264d36a40fb1ba7499282dc2a80318a36d18673d93afbebe329f8f9979f048a", "", put, 6, NULL, false,
             "20261124T001705Z", "mybucket", "dir/a b+c~!*()'.txt");
    mc_header get[] = {{"x-oss-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-oss-date", "20261124T001705Z"},
                       {"x-oss-security-token", "tok"}};
    v4_check("14d68a463522c3a420a6aba4ae320c011789a819a767e163b990c9b313dae0c9",
             "list-type=2&prefix=dir%2F&delimiter=%2F&max-keys=2&continuation-token=tok%201%2Fx", get, 3, NULL, false,
             "20261124T001705Z", "mybucket", NULL);
    v4_check("b5f700b46bf4cf602e494584d594f5d9370ff19954b4f7d28e0744086d82b01a", "prefix=dir%2F&marker=a%20b", get, 3,
             NULL, false, "20261124T001705Z", "mybucket", NULL);
    v4_check("ae8bc3d707444b607968f1982cfd66ab16229e50fc7f3b61476c115877433cff",
             "x-oss-credential=ak%2F20261124%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20261124T001549Z"
             "&x-oss-expires=600&x-oss-security-token=tok&x-oss-signature-version=OSS4-HMAC-SHA256",
             NULL, 0, NULL, true, "20261124T001549Z", "mybucket", "dir/a b+c.txt");
}

static void test_constant_time_equal(void **state)
{
    (void)state;
    assert_true(sign_equal("abc", "abc"));
    assert_false(sign_equal("abc", "abd"));
    assert_false(sign_equal("abc", "abcd"));
}

static void test_authorization_values_split_into_their_fields(void **state)
{
    (void)state;
    const char *v4 = "OSS4-HMAC-SHA256 Credential=LTAI5t/20261124/cn-hangzhou/oss/aliyun_v4_request, "
                     "AdditionalHeaders=host;range,Signature=ab12";
    char *c = sign_auth_field(v4, "Credential"), *a = sign_auth_field(v4, "AdditionalHeaders");
    char *s = sign_auth_field(v4, "Signature");
    assert_string_equal(c, "LTAI5t/20261124/cn-hangzhou/oss/aliyun_v4_request");
    assert_string_equal(a, "host;range");
    assert_string_equal(s, "ab12");
    assert_null(sign_auth_field(v4, "Sig"));                     /* a prefix of a field is not the field */
    assert_null(sign_auth_field("X-Signature=1", "Signature")); /* nor a suffix */
    char ak[16], date8[9], region[16];
    assert_int_equal(sign_oss_v4_parse_credential(c, ak, sizeof ak, date8, region, sizeof region), 0);
    assert_string_equal(ak, "LTAI5t");
    assert_string_equal(date8, "20261124");
    assert_string_equal(region, "cn-hangzhou");
    free(c);
    free(a);
    free(s);
    const char *bad[] = {"", "ak/20261124/cn-hangzhou/oss", "ak/2026112/cn-hangzhou/oss/aliyun_v4_request",
                         "/20261124/cn-hangzhou/oss/aliyun_v4_request", "ak/20261124//oss/aliyun_v4_request",
                         "ak/20261124/cn-hangzhou/dlf/aliyun_v4_request", "ak/20261124/cn-hangzhou/oss/aliyun_v4_requestX",
                         "a-key-id-far-too-long/20261124/cn-hangzhou/oss/aliyun_v4_request",
                         "ak/20261124/a-region-far-too-long/oss/aliyun_v4_request"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(sign_oss_v4_parse_credential(bad[i], ak, sizeof ak, date8, region, sizeof region), -1);

    char *id;
    const char *sig;
    assert_int_equal(sign_oss_v1_parse_authorization("OSS LTAI5t:a:b=", &id, &sig), 0);
    assert_string_equal(id, "LTAI5t:a");
    assert_string_equal(sig, "b=");
    free(id);
    assert_int_equal(sign_oss_v1_parse_authorization("OSS LTAI5t", &id, &sig), -1);
    assert_null(id);
    assert_int_equal(sign_oss_v1_parse_authorization("Bearer x:y", &id, &sig), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_header_vectors),
        cmocka_unit_test(test_v1_ali_oss_captures_and_presign),
        cmocka_unit_test(test_v4_sdk_vectors),
        cmocka_unit_test(test_v4_presign_vectors),
        cmocka_unit_test(test_v4_ali_oss_captures),
        cmocka_unit_test(test_constant_time_equal),
        cmocka_unit_test(test_authorization_values_split_into_their_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
