/* Unit tests for common/: buffers, encodings, hashes, CRC-64, time formats, query parsing. */
#include "testutil.h"

#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "strutil.h"
#include "timeutil.h"

static void test_buf_printf_appends_and_terminates(void **state)
{
    (void)state;
    mc_buf b = MC_BUF_INIT;
    assert_string_equal(mc_buf_cstr(&b), "");
    mc_buf_printf(&b, "%s-%d", "a", 42);
    mc_buf_puts(&b, "/x");
    assert_int_equal(b.len, 6);
    assert_string_equal(b.data, "a-42/x");
    mc_buf_free(&b);
}

static void test_crc64_ecma_matches_published_vectors(void **state)
{
    (void)state;
    /* reference/oss-api.md §7 */
    assert_true(mc_crc64_ecma(0, "123456789", 9) == 11051210869376104954ULL);
    const char *s = "This is a test of the emergency broadcast system.";
    assert_true(mc_crc64_ecma(0, s, strlen(s)) == 0x27db187fc15bbc72ULL);
    assert_true(mc_crc64_ecma(0, "", 0) == 0);
}

static void test_crc64_combine_equals_crc_of_concatenation(void **state)
{
    (void)state;
    uint64_t a = mc_crc64_ecma(0, "12345", 5), b = mc_crc64_ecma(0, "6789", 4);
    assert_true(mc_crc64_ecma_combine(a, b, 4) == 11051210869376104954ULL);
    assert_true(mc_crc64_ecma(a, "6789", 4) == 11051210869376104954ULL);
}

static void test_md5_hex_and_base64(void **state)
{
    (void)state;
    uint8_t d[MC_MD5_LEN];
    char hex[33];
    mc_md5(d, "abc", 3);
    mc_hex_upper(hex, d, sizeof d);
    assert_string_equal(hex, "900150983CD24FB0D6963F7D28E17F72");
    mc_buf b = MC_BUF_INIT;
    mc_base64_encode(&b, d, sizeof d);
    assert_string_equal(b.data, "kAFQmDzST7DWlj99KOF/cg==");
    mc_buf out = MC_BUF_INIT;
    assert_int_equal(mc_base64_decode(&out, b.data, b.len), 0);
    assert_int_equal(out.len, 16);
    assert_memory_equal(out.data, d, 16);
    mc_buf_reset(&out);
    assert_int_equal(mc_base64_decode(&out, "kAF=mDzS", 8), -1);
    assert_int_equal(mc_base64_decode(&out, "abc", 3), -1);
    mc_buf_free(&b);
    mc_buf_free(&out);
}

static void test_url_encode_is_rfc3986_strict(void **state)
{
    (void)state;
    mc_buf b = MC_BUF_INIT;
    const char *key = "dir/a b+c~!*()'.txt";
    mc_url_encode(&b, key, strlen(key), true);
    /* reference/oss-api.md §3: !*()' are encoded in the V4 canonical URI */
    assert_string_equal(b.data, "dir/a%20b%2Bc~%21%2A%28%29%27.txt");
    mc_buf_free(&b);
}

static void test_url_decode_rejects_truncated_escape(void **state)
{
    (void)state;
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_url_decode(&b, "a%2", 3, false), -1);
    mc_buf_reset(&b);
    assert_int_equal(mc_url_decode(&b, "a%zz", 4, false), -1);
    mc_buf_reset(&b);
    assert_int_equal(mc_url_decode(&b, "a%20b+c", 7, false), 0);
    assert_string_equal(b.data, "a b+c");
    mc_buf_free(&b);
}

static void test_query_parse_keeps_empty_values_and_order(void **state)
{
    (void)state;
    mc_query q;
    assert_int_equal(mc_query_parse(&q, "uploads=&prefix=dir%2F&acl"), 0);
    assert_int_equal(q.count, 3);
    assert_string_equal(q.items[0].name, "uploads");
    assert_true(q.items[0].has_value);
    assert_string_equal(mc_query_get(&q, "prefix"), "dir/");
    assert_false(q.items[2].has_value);
    assert_null(mc_query_get(&q, "marker"));
    mc_query_free(&q);
    assert_int_equal(mc_query_parse(&q, "a=%G1"), -1);
}

static void test_time_formats_round_trip(void **state)
{
    (void)state;
    char s[64];
    time_t t = 0;
    assert_int_equal(mc_time_parse_rfc1123("Tue, 24 Nov 2026 00:16:05 GMT", &t), 0);
    mc_time_iso8601_basic(s, sizeof s, t);
    assert_string_equal(s, "20261124T001605Z");
    mc_time_rfc1123(s, sizeof s, t);
    assert_string_equal(s, "Tue, 24 Nov 2026 00:16:05 GMT");
    mc_time_iso8601_ms(s, sizeof s, (int64_t)t * 1000 + 7);
    assert_string_equal(s, "2026-11-24T00:16:05.007Z");
    time_t t2;
    assert_int_equal(mc_time_parse_any("2026-11-24T00:16:05.007Z", &t2), 0);
    assert_true(t == t2);
    assert_int_equal(mc_time_parse_any("yesterday", &t2), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_printf_appends_and_terminates),
        cmocka_unit_test(test_crc64_ecma_matches_published_vectors),
        cmocka_unit_test(test_crc64_combine_equals_crc_of_concatenation),
        cmocka_unit_test(test_md5_hex_and_base64),
        cmocka_unit_test(test_url_encode_is_rfc3986_strict),
        cmocka_unit_test(test_url_decode_rejects_truncated_escape),
        cmocka_unit_test(test_query_parse_keeps_empty_values_and_order),
        cmocka_unit_test(test_time_formats_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
