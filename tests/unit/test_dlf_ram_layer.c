/* Unit tests for the RAM action of each Paimon REST request (dlf/ram_layer,
 * docs/dlf-ram-layer.md) and the refusal text. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "dlf/ram_layer.h"

/* The operation of METHOD and a slash-separated path after /v1/. */
static const char *op(const char *method, const char *path)
{
    static char buf[512];
    static char *segs[16];
    snprintf(buf, sizeof buf, "%s", path);
    int n = 0;
    for (char *s = strtok(buf, "/"); s && n < 16; s = strtok(NULL, "/"))
        segs[n++] = s;
    return dlf_rest_operation(method, segs, n);
}

static void test_documented_rows(void **state)
{
    (void)state;
    /* Seen verbatim on the RAM action reference page (R-zh). */
    assert_string_equal(op("GET", "config"), "GetConfig");
    assert_string_equal(op("GET", "clg/databases"), "ListDatabases");
    assert_string_equal(op("POST", "clg/databases"), "CreateDatabase");
    assert_string_equal(op("GET", "clg/databases/db"), "GetDatabase");
    assert_string_equal(op("DELETE", "clg/databases/db"), "DropDatabase");
    assert_string_equal(op("POST", "clg/databases/db"), "AlterDatabase");
    assert_string_equal(op("GET", "clg/databases/db/tables"), "ListTables");
    assert_string_equal(op("POST", "clg/databases/db/tables"), "CreateTable");
    assert_string_equal(op("GET", "clg/databases/db/table-details"), "ListTableDetails");
    assert_string_equal(op("GET", "clg/databases/db/tables/t"), "GetTable");
    /* From the management API pages of the same paths. */
    assert_string_equal(op("GET", "clg/databases/db/tables/t/snapshot"), "GetTableSnapshot");
    assert_string_equal(op("GET", "clg/databases/db/tables/t/snapshots"), "ListSnapshots");
    assert_string_equal(op("GET", "clg/databases/db/tables/t/partitions"), "ListPartitions");
}

static void test_named_after_the_rest_operation(void **state)
{
    (void)state;
    assert_string_equal(op("POST", "clg/databases/db/tables/t/commit"), "CommitTable");
    assert_string_equal(op("GET", "clg/databases/db/tables/t/token"), "GetTableToken");
    assert_string_equal(op("POST", "clg/tables/rename"), "RenameTable");
    assert_string_equal(op("DELETE", "clg/databases/db/tables/t"), "DropTable");
    assert_string_equal(op("POST", "clg/databases/db/tables/t/partitions/list-by-filter"), "ListPartitions");
    assert_string_equal(op("POST", "clg/databases/db/tables/t/branches/b/forward"), "ForwardBranch");
    assert_string_equal(op("DELETE", "clg/databases/db/tables/t/tags/v1"), "DeleteTag");
    assert_string_equal(op("GET", "clg/databases/db/views/v"), "GetView");
    assert_string_equal(op("GET", "clg/tables/id/abc"), "GetTable");
    /* A table named like a keyword is still a table. */
    assert_string_equal(op("GET", "clg/databases/db/tables/tables"), "GetTable");
}

static void test_unserved_requests_have_no_operation(void **state)
{
    (void)state;
    assert_null(op("PUT", "clg/databases"));
    assert_null(op("POST", "config"));
    assert_null(op("GET", "clg"));
    assert_null(op("GET", "clg/databases/db/tables/t/nope"));
    assert_null(op("GET", "clg/databases/db/tables/t/snapshots/1/extra"));
}

static void test_refusal_text(void **state)
{
    (void)state;
    char msg[128];
    dlf_ram_refusal(msg, sizeof msg, "ListTables");
    assert_string_equal(msg, "You are not authorized to do this action. Resource: * Action: dlf:ListTables");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_rows),
        cmocka_unit_test(test_named_after_the_rest_operation),
        cmocka_unit_test(test_unserved_requests_have_no_operation),
        cmocka_unit_test(test_refusal_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
