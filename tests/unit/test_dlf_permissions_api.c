/* Unit tests for the DLF permission API's pure parts: Permission JSON <-> grant,
 * and the grants query it lists with (filters, paging). */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dlf/permissions_api.h"
#include "state/state.h"

#define ACCOUNT "1234567890123456"
#define ALICE "acs:ram::" ACCOUNT ":user/alice"
#define BOB "acs:ram::" ACCOUNT ":user/bob"

/* Parses text; returns the parse result and leaves the message in err. */
static int parse(dlf_permission *p, const char *text, mc_err *err)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    assert_non_null(j);
    int rc = dlf_permission_parse(p, j, ACCOUNT, err);
    json_decref(j);
    return rc;
}

static void test_database_permission_maps_to_a_database_grant(void **state)
{
    (void)state;
    dlf_permission p;
    mc_err err;
    /* The documented example's shape: unused fields sent as "" or empty arrays. */
    assert_int_equal(parse(&p,
                           "{\"principal\":\"" ALICE "\",\"resourceType\":\"DATABASE\",\"database\":\"default\","
                           "\"table\":\"\",\"view\":\"\",\"function\":\"\",\"access\":\"LIST\","
                           "\"columns\":{\"columnNames\":[\"\"],\"excludedColumnNames\":[\"\"]}}",
                           &err),
                     0);
    assert_string_equal(p.principal, ALICE);
    assert_int_equal(p.type, DLF_RES_DATABASE);
    assert_string_equal(p.database, "default");
    assert_string_equal(p.table, "");
    assert_int_equal(p.access, DLF_PRIV_LIST);
    json_t *back = dlf_permission_json(&p);
    char *s = json_dumps(back, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(s, "{\"principal\":\"" ALICE "\",\"resourceType\":\"DATABASE\",\"database\":\"default\","
                           "\"access\":\"LIST\"}");
    free(s);
    json_decref(back);
}

static void test_table_and_catalog_permissions_take_their_names(void **state)
{
    (void)state;
    dlf_permission p;
    mc_err err;
    assert_int_equal(parse(&p,
                           "{\"principal\":\"acs:ram::" ACCOUNT ":role/etl\",\"resourceType\":\"table\","
                           "\"database\":\"db1\",\"table\":\"t1\",\"access\":\"select\"}",
                           &err),
                     0);
    assert_int_equal(p.type, DLF_RES_TABLE);
    assert_string_equal(p.database, "db1");
    assert_string_equal(p.table, "t1");
    assert_int_equal(p.access, DLF_PRIV_SELECT);
    assert_int_equal(parse(&p, "{\"principal\":\"" BOB "\",\"resourceType\":\"CATALOG\",\"access\":\"CREATE_DATABASE\"}",
                           &err),
                     0);
    assert_int_equal(p.type, DLF_RES_CATALOG);
    assert_string_equal(p.database, "");
    assert_int_equal(p.access, DLF_PRIV_CREATE_DATABASE);
}

static void expect_invalid(const char *text, mc_err_code code, const char *message)
{
    dlf_permission p;
    mc_err err;
    assert_int_equal(parse(&p, text, &err), -1);
    assert_int_equal(err.code, code);
    assert_string_equal(err.msg, message);
}

static void test_bad_permissions_are_refused_with_the_field_named(void **state)
{
    (void)state;
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"DATABASE\",\"database\":\"default\","
                   "\"access\":\"READ\"}",
                   MC_ERR_INVALID,
                   "access READ is not valid for a DATABASE permission (valid: ALL, ALTER, DROP, GRANT, DESCRIBE, "
                   "CREATE_TABLE, CREATE_FUNCTION, LIST)");
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"DATABASE\",\"database\":\"default\","
                   "\"access\":\"SELECT\"}",
                   MC_ERR_INVALID,
                   "access SELECT is not valid for a DATABASE permission (valid: ALL, ALTER, DROP, GRANT, DESCRIBE, "
                   "CREATE_TABLE, CREATE_FUNCTION, LIST)");
    expect_invalid("{\"principal\":\"acs:ram::999:user/alice\",\"resourceType\":\"CATALOG\",\"access\":\"ALL\"}",
                   MC_ERR_INVALID,
                   "principal acs:ram::999:user/alice is not a RAM user or role of account " ACCOUNT
                   " (acs:ram::" ACCOUNT ":user/<name> or acs:ram::" ACCOUNT ":role/<name>)");
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"TABLE\",\"database\":\"db\",\"access\":\"DROP\"}",
                   MC_ERR_INVALID, "table is required for a TABLE permission");
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"CATALOG\",\"database\":\"db\",\"access\":\"DROP\"}",
                   MC_ERR_INVALID, "database does not apply to a CATALOG permission");
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"SCHEMA\",\"access\":\"DROP\"}", MC_ERR_INVALID,
                   "resourceType SCHEMA is not one of CATALOG, DATABASE, TABLE, VIEW, FUNCTION");
    expect_invalid("{\"resourceType\":\"CATALOG\",\"access\":\"DROP\"}", MC_ERR_INVALID, "principal is required");
    expect_invalid("{\"principal\":7,\"resourceType\":\"CATALOG\",\"access\":\"DROP\"}", MC_ERR_INVALID,
                   "principal must be a string");
    expect_invalid("[]", MC_ERR_INVALID, "a permission must be a JSON object");
}

static void test_unmodelled_fields_are_refused_not_ignored(void **state)
{
    (void)state;
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"VIEW\",\"database\":\"db\",\"view\":\"v\","
                   "\"access\":\"SELECT\"}",
                   MC_ERR_UNSUPPORTED, "mcdlf does not model grants on VIEW resources");
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"TABLE\",\"database\":\"db\",\"table\":\"t\","
                   "\"access\":\"SELECT\",\"columns\":{\"columnNames\":[\"id\"]}}",
                   MC_ERR_UNSUPPORTED, "column-level permissions (columns) are not modelled by mcdlf");
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"TABLE\",\"database\":\"db\",\"table\":\"t\","
                   "\"access\":\"SELECT\",\"rowFilter\":{\"expression\":\"id > 1\"}}",
                   MC_ERR_UNSUPPORTED, "row-level permissions (rowFilter) are not modelled by mcdlf");
    expect_invalid("{\"principal\":\"" ALICE "\",\"resourceType\":\"TABLE\",\"database\":\"db\",\"table\":\"t\","
                   "\"access\":\"SELECT\",\"expireTime\":1767225600000}",
                   MC_ERR_UNSUPPORTED, "expiring permissions (expireTime) are not modelled by mcdlf");
}

static void test_grants_query_filters_and_pages(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("permapi");
    emu_state *s;
    mc_err err;
    assert_int_equal(emu_state_open(&s, dir, &err), 0);
    assert_int_equal(dlf_grants_migrate(s, &err), 0);
    dlf_resource db = {DLF_RES_DATABASE, "cat", "default", NULL}, other = {DLF_RES_DATABASE, "cat2", "default", NULL};
    dlf_resource tbl = {DLF_RES_TABLE, "cat", "default", "t"};
    assert_int_equal(dlf_grant(s, BOB, DLF_PRIV_LIST, &db, NULL, &err), 0);
    assert_int_equal(dlf_grant(s, ALICE, DLF_PRIV_LIST, &db, NULL, &err), 0);
    assert_int_equal(dlf_grant(s, ALICE, DLF_PRIV_DESCRIBE, &db, NULL, &err), 0);
    assert_int_equal(dlf_grant(s, ALICE, DLF_PRIV_LIST, &other, NULL, &err), 0);
    assert_int_equal(dlf_grant(s, ALICE, DLF_PRIV_SELECT, &tbl, NULL, &err), 0);

    dlf_grant_row *rows;
    size_t n;
    bool more;
    assert_int_equal(dlf_grants_query(s, "cat", DLF_RES_DATABASE, NULL, NULL, NULL, 0, 2, &rows, &n, &more, &err), 0);
    assert_int_equal(n, 2);
    assert_true(more);
    assert_string_equal(rows[0].principal, ALICE);
    assert_string_equal(rows[0].privilege, "DESCRIBE");
    assert_string_equal(rows[1].privilege, "LIST");
    free(rows);
    assert_int_equal(dlf_grants_query(s, "cat", DLF_RES_DATABASE, NULL, NULL, NULL, 2, 2, &rows, &n, &more, &err), 0);
    assert_int_equal(n, 1);
    assert_false(more);
    assert_string_equal(rows[0].principal, BOB);
    free(rows);
    assert_int_equal(dlf_grants_query(s, "cat", DLF_RES_DATABASE, "default", NULL, BOB, 0, 10, &rows, &n, &more, &err),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].privilege, "LIST");
    free(rows);
    assert_int_equal(dlf_grants_query(s, "cat", DLF_RES_TABLE, "default", "t", NULL, 0, 10, &rows, &n, &more, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].type, DLF_RES_TABLE);
    assert_string_equal(rows[0].table, "t");
    assert_string_equal(rows[0].privilege, "SELECT");
    free(rows);
    assert_int_equal(dlf_grants_query(s, "cat", DLF_RES_CATALOG, NULL, NULL, NULL, 0, 10, &rows, &n, &more, &err), 0);
    assert_int_equal(n, 0);
    free(rows);
    emu_state_close(s);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_database_permission_maps_to_a_database_grant),
        cmocka_unit_test(test_table_and_catalog_permissions_take_their_names),
        cmocka_unit_test(test_bad_permissions_are_refused_with_the_field_named),
        cmocka_unit_test(test_unmodelled_fields_are_refused_not_ignored),
        cmocka_unit_test(test_grants_query_filters_and_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
