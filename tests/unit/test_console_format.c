/* Unit tests for odpscmd-style result rendering (reference/maxcompute-sql.md §4.2-4.3). */
#include "testutil.h"

#include <string.h>

#include "sql/console_format.h"

static void test_select_result_matches_seed_sample_byte_for_byte(void **state)
{
    (void)state;
    const char *names[] = {"id", "name"};
    sql_result *r = sql_result_new(2, names);
    sql_result_add_row(r, (const char *[]){"101", "Zhang San"});
    sql_result_add_row(r, (const char *[]){"102", "Li Si"});
    mc_buf b = MC_BUF_INIT;
    sql_result_render(&b, r, SQL_OUT_TABLE);
    assert_string_equal(b.data,
                        "+------------+------------+\n"
                        "| id         | name       | \n"
                        "+------------+------------+\n"
                        "| 101        | Zhang San  | \n"
                        "| 102        | Li Si      | \n"
                        "+------------+------------+\n");
    mc_buf_free(&b);
    sql_result_free(r);
}

static void test_wide_values_grow_the_line_and_null_prints_NULL(void **state)
{
    (void)state;
    const char *names[] = {"a_rather_long_name", "ok"};
    sql_result *r = sql_result_new(2, names);
    r->is_boolean[1] = true;
    sql_result_add_row(r, (const char *[]){"2020-11-25 15:13:28.686 is long", NULL});
    mc_buf b = MC_BUF_INIT;
    sql_result_render(&b, r, SQL_OUT_TABLE);
    assert_string_equal(b.data,
                        "+--------------------+------+\n"
                        "| a_rather_long_name | ok   | \n"
                        "+--------------------+------+\n"
                        "| 2020-11-25 15:13:28.686 is long | NULL | \n"
                        "+--------------------+------+\n");
    mc_buf_free(&b);
    sql_result_free(r);
}

static void test_empty_result_has_four_lines(void **state)
{
    (void)state;
    const char *names[] = {"c"};
    sql_result *r = sql_result_new(1, names);
    mc_buf b = MC_BUF_INIT;
    sql_result_render(&b, r, SQL_OUT_TABLE);
    assert_string_equal(b.data, "+------------+\n| c          | \n+------------+\n+------------+\n");
    mc_buf_free(&b);
    sql_result_free(r);
}

static void test_csv_tsv_json_escape_and_mark_nulls(void **state)
{
    (void)state;
    const char *names[] = {"k", "v"};
    sql_result *r = sql_result_new(2, names);
    sql_result_add_row(r, (const char *[]){"a,b", "say \"hi\""});
    sql_result_add_row(r, (const char *[]){"tab\there", NULL});
    mc_buf b = MC_BUF_INIT;
    sql_result_render(&b, r, SQL_OUT_CSV);
    assert_string_equal(b.data, "k,v\n\"a,b\",\"say \"\"hi\"\"\"\ntab\there,\n");
    mc_buf_reset(&b);
    sql_result_render(&b, r, SQL_OUT_TSV);
    assert_string_equal(b.data, "k\tv\na,b\tsay \"hi\"\ntab\\there\t\\N\n");
    mc_buf_reset(&b);
    sql_result_render(&b, r, SQL_OUT_JSON);
    assert_string_equal(b.data, "{\"k\":\"a,b\",\"v\":\"say \\\"hi\\\"\"}\n{\"k\":\"tab\\u0009here\",\"v\":null}\n");
    mc_buf_free(&b);
    sql_result_free(r);
}

static void test_show_lines_end_with_two_blank_lines(void **state)
{
    (void)state;
    mc_buf b = MC_BUF_INIT;
    sql_render_lines(&b, (const char *[]){"default", "system"}, 2);
    assert_string_equal(b.data, "default\nsystem\n\n\n");
    mc_buf_free(&b);
    sql_out_format f;
    assert_int_equal(sql_out_format_parse("tsv", &f), 0);
    assert_int_equal(f, SQL_OUT_TSV);
    assert_int_equal(sql_out_format_parse("xml", &f), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_result_matches_seed_sample_byte_for_byte),
        cmocka_unit_test(test_wide_values_grow_the_line_and_null_prints_NULL),
        cmocka_unit_test(test_empty_result_has_four_lines),
        cmocka_unit_test(test_csv_tsv_json_escape_and_mark_nulls),
        cmocka_unit_test(test_show_lines_end_with_two_blank_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
