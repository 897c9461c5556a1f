/* DLF signatures against reference/paimon-rest.md §3.3-3.4 vectors V1-V5, O1, O2. */
#include "testutil.h"

#include <string.h>

#include "sign_dlf.h"

static void auth_check(const char *expected, const char *method, const char *path, const char *qs,
                       const mc_header *h, size_t nh, const char *ak, const char *sk, const char *region)
{
    mc_query q;
    assert_int_equal(mc_query_parse(&q, qs), 0);
    sign_dlf_request r = {method, path, &q, h, nh};
    mc_buf a = MC_BUF_INIT;
    sign_dlf_authorization(&a, &r, ak, sk, region);
    assert_string_equal(a.data, expected);
    mc_buf_free(&a);
    mc_query_free(&q);
}

static void test_default_signer_v1_canonical_and_signature(void **state)
{
    (void)state;
    mc_header h[] = {{"Content-MD5", "zlW/6hSKXQKL2z6i931tsg=="}, {"Content-Type", "application/json"},
                     {"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-dlf-date", "20231203T121212Z"},
                     {"x-dlf-version", "v1"}, {"x-dlf-security-token", "securityToken"}, {"Host", "ignored"}};
    mc_query q;
    assert_int_equal(mc_query_parse(&q, "k2=v2&k1=v1"), 0);
    sign_dlf_request r = {"POST", "/v1/paimon/databases", &q, h, 7};
    mc_buf c = MC_BUF_INIT, s = MC_BUF_INIT;
    sign_dlf_canonical_request(&c, &r);
    assert_string_equal(c.data, "POST\n/v1/paimon/databases\nk1=v1&k2=v2\ncontent-md5:zlW/6hSKXQKL2z6i931tsg==\n"
                                "content-type:application/json\nx-dlf-content-sha256:UNSIGNED-PAYLOAD\n"
                                "x-dlf-date:20231203T121212Z\nx-dlf-security-token:securityToken\nx-dlf-version:v1\n"
                                "UNSIGNED-PAYLOAD");
    sign_dlf_string_to_sign(&s, "20231203T121212Z", "cn-hangzhou", c.data);
    assert_string_equal(s.data, "DLF4-HMAC-SHA256\n20231203T121212Z\n20231203/cn-hangzhou/DlfNext/aliyun_v4_request\n"
                                "b350402e5dfd9648cde941926b3a99b08f4d6892091e4be8ab1df828d63a1659");
    mc_buf_free(&c);
    mc_buf_free(&s);
    mc_query_free(&q);
    auth_check("DLF4-HMAC-SHA256 Credential=access-key-id/20231203/cn-hangzhou/DlfNext/aliyun_v4_request,"
               "Signature=c72caf1d40b55b1905d891ee3e3de48a2f8bebefa7e39e4f277acc93c269c5e3",
               "POST", "/v1/paimon/databases", "k1=v1&k2=v2", h, 7, "access-key-id", "access-key-secret",
               "cn-hangzhou");
}

static void test_default_signer_v2_to_v5(void **state)
{
    (void)state;
    mc_header v2[] = {{"Content-MD5", "Od9T1x3c2+JusJPFMpXe9Q=="}, {"Content-Type", "application/json"},
                      {"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-dlf-date", "20250416T034446Z"},
                      {"x-dlf-version", "v1"}, {"x-dlf-security-token", "securityToken"}};
    auth_check("DLF4-HMAC-SHA256 Credential=YourAccessKeyId/20250416/cn-beijing/DlfNext/aliyun_v4_request,"
               "Signature=22594f8bbb8bb0ec296ced6003b7ffdf7022a8ca3815da5b53090daa11a06558",
               "POST", "/v1/wh/databases/db/tables", "warehouse=my%20instance&branch=main", v2, 6, "YourAccessKeyId",
               "YourAccessKeySecret", "cn-beijing");
    mc_header v3[] = {{"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-dlf-date", "20250101T000000Z"},
                      {"x-dlf-version", "v1"}};
    auth_check("DLF4-HMAC-SHA256 Credential=AKID/20250101/cn-hangzhou/DlfNext/aliyun_v4_request,"
               "Signature=3f1558203867bdd3498c2e7e863e9b9eebf045b442aaf68cf40a1b67eba0a9bf",
               "GET", "/v1/config", "warehouse=my_catalog", v3, 3, "AKID", "SECRET", "cn-hangzhou");
    mc_header v4[] = {{"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-dlf-date", "20250101T000000Z"},
                      {"x-dlf-version", "v1"}, {"x-dlf-security-token", "STS_TOKEN"}};
    auth_check("DLF4-HMAC-SHA256 Credential=AKID/20250101/cn-hangzhou/DlfNext/aliyun_v4_request,"
               "Signature=5640983a68d5ff1019c7d2616a1740126f3211d95fa90ecb2618116eece0b329",
               "GET", "/v1/clg-paimon-abc/databases/db1/tables/t%241", "maxResults=10&pageToken=dt%3D2026%2001%25", v4,
               4, "AKID", "SECRET", "cn-hangzhou");
    auth_check("DLF4-HMAC-SHA256 Credential=AKID/20250101/cn-hangzhou/DlfNext/aliyun_v4_request,"
               "Signature=fb81d2e284296d6f6c75646c2147e3974e099d3597538a2007bd8a6ce462808c",
               "DELETE", "/v1/clg-paimon-abc/databases/db1", "", v3, 3, "AKID", "SECRET", "cn-hangzhou");
}

static void test_openapi_signer_o1_o2(void **state)
{
    (void)state;
    mc_header o1[] = {{"Date", "Wed, 16 Apr 2025 03:44:46 GMT"}, {"Accept", "application/json"},
                      {"Content-MD5", "q2qaEcR4P47+Z7CUzHRTBw=="}, {"Content-Type", "application/json"},
                      {"Host", "dlfnext.cn-beijing.aliyuncs.com"}, {"x-acs-signature-method", "HMAC-SHA1"},
                      {"x-acs-signature-nonce", "ef34aae7-7bd2-413d-a541-680cd2c48538"},
                      {"x-acs-signature-version", "1.0"}, {"x-acs-version", "2026-01-18"},
                      {"x-acs-security-token", "securityToken"}};
    sign_dlf_request r = {"POST", "/llm-p2e4XXXXXXXXsvtn/datacenter/category", NULL, o1, 10};
    mc_buf a = MC_BUF_INIT;
    sign_dlf_openapi_authorization(&a, &r, "YourAccessKeyId", "YourAccessKeySecret");
    assert_string_equal(a.data, "acs YourAccessKeyId:wX4CDPSCtfgYkxdK9tJIO3ez5VI=");
    mc_buf_reset(&a);
    mc_header o2[] = {{"Date", "Wed, 16 Apr 2025 03:44:46 GMT"}, {"Accept", "application/json"}, {"Host", "host"},
                      {"x-acs-signature-method", "HMAC-SHA1"}, {"x-acs-signature-nonce", "fixed-nonce"},
                      {"x-acs-signature-version", "1.0"}, {"x-acs-version", "2026-01-18"}};
    mc_query q;
    assert_int_equal(mc_query_parse(&q, "z=&name=hello%20world"), 0);
    sign_dlf_request r2 = {"GET", "/v1/%24snapshots", &q, o2, 7};
    mc_buf s = MC_BUF_INIT;
    sign_dlf_openapi_string_to_sign(&s, &r2);
    assert_true(mc_str_ends_with(s.data, "\n/v1/$snapshots?name=hello world&z"));
    sign_dlf_openapi_authorization(&a, &r2, "ak", "sk");
    assert_string_equal(a.data, "acs ak:vD+M7291KKoOTvt2gQuD6jPDlw8=");
    mc_buf_free(&a);
    mc_buf_free(&s);
    mc_query_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_signer_v1_canonical_and_signature),
        cmocka_unit_test(test_default_signer_v2_to_v5),
        cmocka_unit_test(test_openapi_signer_o1_o2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
