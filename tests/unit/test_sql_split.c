/* Unit tests for statement splitting in console input. */
#include "testutil.h"

#include <string.h>

#include "sql/split.h"

static void test_semicolons_inside_strings_comments_and_backticks_do_not_split(void **state)
{
    (void)state;
    const char *t = "SET a=1;\nSELECT 'x;y', \"q\\\";\", `c;d` -- not; here\nFROM t; /* ; */ SHOW TABLES;";
    sql_piece p[8];
    size_t total;
    bool complete;
    size_t n = sql_split(p, 8, t, strlen(t), &total, &complete);
    assert_int_equal(n, 3);
    assert_true(complete);
    assert_int_equal(p[0].len, 7);
    assert_memory_equal(t + p[0].start, "SET a=1", 7);
    assert_int_equal(p[1].line, 2);
    assert_int_equal(p[1].col, 1);
    assert_memory_equal(t + p[1].start + p[1].len - 6, "FROM t", 6);
    assert_memory_equal(t + p[2].start, "SHOW TABLES", 11);
    assert_int_equal(p[2].line, 3);
    assert_int_equal(p[2].col, 17);
}

static void test_unterminated_statement_is_incomplete(void **state)
{
    (void)state;
    sql_piece p[4];
    size_t total;
    bool complete;
    const char *t = "SELECT 1;\nSELECT 'abc";
    assert_int_equal(sql_split(p, 4, t, strlen(t), &total, &complete), 2);
    assert_false(complete);
    const char *blank = "  -- only a comment\n ;; ";
    assert_int_equal(sql_split(p, 4, blank, strlen(blank), &total, &complete), 0);
    assert_true(complete);
    assert_int_equal(total, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semicolons_inside_strings_comments_and_backticks_do_not_split),
        cmocka_unit_test(test_unterminated_statement_is_incomplete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
