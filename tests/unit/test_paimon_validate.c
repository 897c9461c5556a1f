/*
 * Unit tests for paimon/validate: the checks Java Paimon makes before it
 * creates a table (SchemaValidation.validateTableSchema, the TableSchema
 * constructor, CatalogUtils.validateCreateTable), each with Java's exact
 * message, and the tables it accepts.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "paimon/schema.h"
#include "paimon/validate.h"
#include "strutil.h"

/* id BIGINT NOT NULL, dt STRING NOT NULL, v STRING, n BIGINT, tags ARRAY<INT>,
 * plus extra fields; partition and primary keys as JSON arrays. */
static paimon_schema *table(const char *extra_fields, const char *partition, const char *pk, const char *options)
{
    char *json = mc_asprintf("{\"version\":3,\"id\":0,\"fields\":["
                             "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT NOT NULL\"},"
                             "{\"id\":1,\"name\":\"dt\",\"type\":\"STRING NOT NULL\"},"
                             "{\"id\":2,\"name\":\"v\",\"type\":\"STRING\"},"
                             "{\"id\":3,\"name\":\"n\",\"type\":\"BIGINT\"},"
                             "{\"id\":4,\"name\":\"tags\",\"type\":{\"type\":\"ARRAY\",\"element\":\"INT\"}}%s],"
                             "\"highestFieldId\":9,\"partitionKeys\":%s,\"primaryKeys\":%s,"
                             "\"options\":{%s},\"timeMillis\":0}",
                             extra_fields, partition, pk, options);
    paimon_schema *s = NULL;
    mc_err err;
    if (paimon_schema_parse(&s, json, strlen(json), &err))
        fail_msg("%s: %s", err.msg, json);
    free(json);
    return s;
}

static void accepted(const char *partition, const char *pk, const char *options)
{
    paimon_schema *s = table("", partition, pk, options);
    mc_err err;
    if (paimon_schema_validate(s, &err))
        fail_msg("refused %s: %s", options, err.msg);
    paimon_schema_free(s);
}

static void refused_with(const char *extra, const char *partition, const char *pk, const char *options,
                         const char *msg)
{
    paimon_schema *s = table(extra, partition, pk, options);
    mc_err err;
    assert_int_equal(paimon_schema_validate(s, &err), -1);
    assert_string_equal(err.msg, msg);
    paimon_schema_free(s);
}

static void refused(const char *partition, const char *pk, const char *options, const char *msg)
{
    refused_with("", partition, pk, options, msg);
}

#define PK "[\"id\"]"
#define NONE "[]"

static void test_valid_tables_are_accepted(void **state)
{
    (void)state;
    accepted(NONE, PK, "\"bucket\":\"2\"");
    accepted("[\"dt\"]", "[\"id\",\"dt\"]", "\"bucket\":\"2\",\"sequence.field\":\"n\"");
    accepted(NONE, NONE, "");                                   /* unaware-bucket append */
    accepted(NONE, NONE, "\"bucket\":\"4\",\"bucket-key\":\"id\"");
    accepted(NONE, PK, "\"bucket\":\"-2\"");                    /* postpone bucket */
    accepted(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"partial-update\",\"fields.n.sequence-group\":\"v\"");
    accepted(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"aggregation\",\"fields.default-aggregate-function\":\"last_value\","
                       "\"fields.n.aggregate-function\":\"sum\",\"fields.v.aggregate-function\":\"listagg\"");
    accepted(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"first-row\",\"deletion-vectors.enabled\":\"true\","
                       "\"pk-clustering-override\":\"true\"");
    accepted(NONE, PK, "\"bucket\":\"1\",\"deletion-vectors.enabled\":\"true\",\"changelog-producer\":\"lookup\"");
}

static void test_key_rules_of_table_schema(void **state)
{
    (void)state;
    refused("[\"id\"]", PK, "\"bucket\":\"1\"",
            "Primary key constraint [id] should not be same with partition fields [id], this will result in only one "
            "record in a partition");
    refused(NONE, PK, "\"bucket\":\"2\",\"bucket-key\":\"id,nope\"",
            "Field names [id, dt, v, n, tags] should contains all bucket keys [id, nope].");
    refused("[\"dt\"]", NONE, "\"bucket\":\"2\",\"bucket-key\":\"dt\"", "Bucket keys [dt] should not in partition keys [dt].");
    refused(NONE, PK, "\"bucket\":\"2\",\"bucket-key\":\"v\"", "Primary keys [id] should contains all bucket keys [v].");
    refused(NONE, "[\"tags\"]", "\"bucket\":\"1\"", "The type ArrayType in primary key field tags is unsupported");
    refused("[\"tags\"]", NONE, "", "The type ArrayType in partition field tags is unsupported");
}

static void test_bucket_rules(void **state)
{
    (void)state;
    refused(NONE, PK, "\"bucket-key\":\"id\"",
            "Cannot define 'bucket-key' with bucket = -1, please remove the 'bucket-key' setting or specify a bucket "
            "number.");
    refused(NONE, PK, "\"bucket\":\"0\"", "The number of buckets needs to be greater than 0.");
    refused(NONE, NONE, "\"bucket\":\"-2\"", "The number of buckets needs to be greater than 0.");
    refused(NONE, NONE, "\"bucket\":\"4\"", "You should define a 'bucket-key' for bucketed append mode.");
    refused(NONE, NONE, "\"bucket\":\"4\",\"bucket-key\":\"tags,id\"",
            "nested type can not in bucket-key, in your table these key are [tags]");
    refused(NONE, NONE, "\"full-compaction.delta-commits\":\"3\"",
            "AppendOnlyTable of unaware or dynamic bucket does not support 'full-compaction.delta-commits'");
}

static void test_field_options_name_columns(void **state)
{
    (void)state;
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"aggregation\",\"fields.total.aggregate-function\":\"sum\"",
            "Field total can not be found in table schema.");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"partial-update\",\"fields.n,ts.sequence-group\":\"v\"",
            "Field ts can not be found in table schema.");
    refused_with(",{\"id\":5,\"name\":\"r\",\"type\":{\"type\":\"ROW\",\"fields\":[{\"id\":6,\"name\":\"x\",\"type\":\"INT\"}]}}",
                 NONE, PK, "\"bucket\":\"1\",\"fields.r.x.aggregate-function\":\"sum\"",
                 "Nested-field path is not supported on ROW field 'r': fields.r.x.aggregate-function");
}

static void test_merge_options_are_checked_by_the_merge_functions(void **state)
{
    (void)state;
    refused(NONE, PK, "\"bucket\":\"1\",\"sequence.field\":\"ts\"",
            "Sequence field: 'ts' can not be found in table schema.");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"first-row\",\"sequence.field\":\"n\"",
            "Do not support use sequence field on FIRST_ROW merge engine.");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"partial-update\",\"fields.n.aggregate-function\":\"sum\"",
            "Must use sequence group for aggregation functions but not found for field n.");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"aggregation\",\"fields.n.aggregate-function\":\"count\"",
            "Could not find any factory for identifier 'count' that implements "
            "'org.apache.paimon.mergetree.compact.aggregate.factory.FieldAggregatorFactory' in the classpath.");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"upsert\"",
            "Could not parse value 'upsert' for key 'merge-engine'.");
    refused("[\"dt\"]", PK, "\"bucket\":\"1\",\"sequence.field\":\"n\"",
            "You can not use sequence.field in cross partition update case (Primary key constraint '[id]' not include "
            "all partition fields '[dt]').");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"partial-update\",\"ignore-delete\":\"true\","
                      "\"partial-update.remove-record-on-delete\":\"true\"",
            "ignore-delete and partial-update.remove-record-on-delete have conflicting behavior so should not be "
            "enabled at the same time.");
}

static void test_changelog_and_deletion_vector_rules(void **state)
{
    (void)state;
    refused(NONE, NONE, "\"changelog-producer\":\"input\"",
            "Can not set changelog-producer on table without primary keys, please define primary keys.");
    refused(NONE, PK, "\"bucket\":\"1\",\"changelog-producer\":\"sometimes\"",
            "Could not parse value 'sometimes' for key 'changelog-producer'.");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"first-row\",\"changelog-producer\":\"input\"",
            "Only support 'none' and 'lookup' changelog-producer on FIRST_ROW merge engine");
    refused(NONE, PK, "\"bucket\":\"1\",\"deletion-vectors.enabled\":\"true\",\"changelog-producer\":\"full-compaction\"",
            "Deletion vectors mode is only supported for NONE/INPUT/LOOKUP changelog producer now.");
    refused(NONE, PK, "\"bucket\":\"1\",\"merge-engine\":\"first-row\",\"deletion-vectors.enabled\":\"true\"",
            "First row merge engine does not need deletion vectors because there is no deletion of old data in this "
            "merge engine.");
    refused(NONE, PK, "\"bucket\":\"1\",\"deletion-vectors.enabled\":\"yes\"",
            "Could not parse value 'yes' for key 'deletion-vectors.enabled'.");
    refused(NONE, PK, "\"bucket\":\"1\",\"rowkind.field\":\"kind\"",
            "Rowkind field: 'kind' can not be found in table schema.");
}

static void test_reserved_names_and_create_request_options(void **state)
{
    (void)state;
    refused_with(",{\"id\":5,\"name\":\"rowkind\",\"type\":\"STRING\"}", NONE, PK, "\"bucket\":\"1\"",
                 "Field name[rowkind] in schema cannot be exist in [_VALUE_KIND, _ROW_ID, rowkind, _LEVEL, "
                 "_SEQUENCE_NUMBER]");
    refused_with(",{\"id\":5,\"name\":\"_KEY_id\",\"type\":\"STRING\"}", NONE, PK, "\"bucket\":\"1\"",
                 "Field name[_KEY_id] in schema cannot start with [_KEY_]");
    refused(NONE, PK, "\"bucket\":\"1\",\"auto-create\":\"true\"", "The value of auto-create property should be false.");
    refused(NONE, PK, "\"bucket\":\"1\",\"target-file-row-num\":\"0\"", "target-file-row-num should be at least 1.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_tables_are_accepted),
        cmocka_unit_test(test_key_rules_of_table_schema),
        cmocka_unit_test(test_bucket_rules),
        cmocka_unit_test(test_field_options_name_columns),
        cmocka_unit_test(test_merge_options_are_checked_by_the_merge_functions),
        cmocka_unit_test(test_changelog_and_deletion_vector_rules),
        cmocka_unit_test(test_reserved_names_and_create_request_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
