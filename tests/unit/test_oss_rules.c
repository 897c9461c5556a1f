/*
 * Unit tests of the OSS emulator's request rules: Range parsing with and
 * without x-oss-range-behavior: standard (reference/oss-api.md §6
 * GetObject), object key validation and bucket name rules (§9).
 */
#include "testutil.h"

#include <string.h>

#include "oss/service.h"
#include "oss/store.h"

typedef struct {
    const char *header;
    int64_t size;
    bool standard;
    int want;
    int64_t start, end;
} range_case;

static void test_range(void **state)
{
    (void)state;
    static const range_case cases[] = {
        {"bytes=0-4", 10, false, 1, 0, 4},
        {"bytes=3-", 10, false, 1, 3, 9},
        {"bytes=-3", 10, false, 1, 7, 9},
        {"bytes=-30", 10, false, 1, 0, 9},     /* suffix longer than the object: all of it */
        {"bytes=9-9", 10, false, 1, 9, 9},
        {"bytes=0-4,6-8", 10, false, 1, 0, 4}, /* multi-range: the first one only */
        {"bytes=5-2", 10, false, 0, 0, 0},     /* reversed: ignored */
        {"bytes=10-12", 10, false, 0, 0, 0},   /* start past EOF: whole object ... */
        {"bytes=10-12", 10, true, -1, 0, 0},   /* ... or 416 under standard behaviour */
        {"bytes=5-20", 10, false, 0, 0, 0},    /* end past EOF: ignored ... */
        {"bytes=5-20", 10, true, 1, 5, 9},     /* ... or clipped under standard behaviour */
        {"bytes=-0", 10, true, -1, 0, 0},
        {"bytes=-0", 10, false, 0, 0, 0},
        {"bytes=0-0", 0, true, -1, 0, 0},      /* nothing to serve in an empty object */
        {"items=0-4", 10, false, 0, 0, 0},
        {"bytes=a-4", 10, false, 0, 0, 0},
        {"bytes=-", 10, false, 0, 0, 0},
        {"bytes=", 10, false, 0, 0, 0},
        {"bytes=99999999999999999999-", 10, true, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const range_case *c = &cases[i];
        int64_t s = -7, e = -7;
        int got = oss_parse_range(c->header, c->size, c->standard, &s, &e);
        if (got != c->want)
            fail_msg("%s (size %lld, standard %d): got %d, want %d", c->header, (long long)c->size, c->standard, got,
                     c->want);
        if (got == 1 && (s != c->start || e != c->end))
            fail_msg("%s: got %lld-%lld, want %lld-%lld", c->header, (long long)s, (long long)e, (long long)c->start,
                     (long long)c->end);
    }
    int64_t s, e;
    assert_int_equal(oss_parse_range(NULL, 10, true, &s, &e), 0);
}

static void test_key_validation(void **state)
{
    (void)state;
    mc_err err;
    static const char *const good[] = {"a", "dir/file.txt", "a..b", "..a", "a/..b/c", "x/.../y", "ü/中文",
                                       "with space", "trailing/"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (oss_key_validate(good[i], strlen(good[i]), &err))
            fail_msg("'%s' refused: %s", good[i], err.msg);
    static const struct {
        const char *key;
        const char *msg;
    } bad[] = {
        {"..", "The object name must not contain a '..' path segment."},
        {"../etc/passwd", "The object name must not contain a '..' path segment."},
        {"a/../b", "The object name must not contain a '..' path segment."},
        {"a/..", "The object name must not contain a '..' path segment."},
        {"/abs", "The object name must not start with '/' or '\\'."},
        {"\\abs", "The object name must not start with '/' or '\\'."},
        {"", "The Length of Object name must be between 1 and 1023."},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(oss_key_validate(bad[i].key, strlen(bad[i].key), &err), -1);
        assert_int_equal(err.code, MC_ERR_INVALID);
        assert_string_equal(err.msg, bad[i].msg);
    }
    assert_int_equal(oss_key_validate("a\0b", 3, &err), -1);
    assert_string_equal(err.msg, "The object name must not contain a NUL character.");
    char longk[1025];
    memset(longk, 'k', sizeof longk);
    assert_int_equal(oss_key_validate(longk, 1023, &err), 0);
    assert_int_equal(oss_key_validate(longk, 1024, &err), -1);
    assert_string_equal(err.msg, "The Length of Object name must be between 1 and 1023.");
}

static void test_bucket_names(void **state)
{
    (void)state;
    static const char *const good[] = {"abc", "my-bucket-01", "0bucket", "a23456789012345678901234567890123456789012345678901234567890123"};
    static const char *const bad[] = {"ab", "-abc", "abc-", "ABC", "a_b", "a.b", "",
                                      "a234567890123456789012345678901234567890123456789012345678901234"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!oss_bucket_name_valid(good[i]))
            fail_msg("'%s' refused", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (oss_bucket_name_valid(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_key_validation),
        cmocka_unit_test(test_bucket_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
