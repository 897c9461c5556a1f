/* Unit tests for paimon/types, paimon/schema and paimon/snapshot: the type
 * syntax of reference/paimon-format.md §3, byte-exact round trips of every
 * Java-written schema and snapshot file in the fixtures, hint files. */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jackson.h"
#include "paimon/schema.h"
#include "paimon/snapshot.h"
#include "paimon/types.h"
#include "strutil.h"

/* Fixture path: tu_shared_path, or the shared/ directory beside the
 * worktree root (/work/wt/<name> -> /work/shared) when the configured one is
 * absent. */
static char *shared_path(const char *rel)
{
    char *p = tu_shared_path(rel);
    if (mc_path_exists(p))
        return p;
    free(p);
    return mc_asprintf("%s/../../shared/%s", MCDLF_SOURCE_DIR, rel);
}

static void check_type_round_trip(const char *in, const char *want)
{
    paimon_type *t;
    mc_err err;
    if (paimon_type_parse(&t, in, &err) != 0)
        fail_msg("parse '%s': %s", in, err.msg);
    mc_buf b = MC_BUF_INIT;
    paimon_type_to_sql(&b, t);
    if (strcmp(b.data, want) != 0)
        fail_msg("'%s' printed as '%s', want '%s'", in, b.data, want);
    mc_buf_free(&b);
    paimon_type_free(t);
}

static void test_atomic_types_print_as_java(void **state)
{
    (void)state;
    check_type_round_trip("INT NOT NULL", "INT NOT NULL");
    check_type_round_trip("integer", "INT");
    check_type_round_trip("BOOLEAN", "BOOLEAN");
    check_type_round_trip("TINYINT", "TINYINT");
    check_type_round_trip("SMALLINT NOT NULL", "SMALLINT NOT NULL");
    check_type_round_trip("BIGINT", "BIGINT");
    check_type_round_trip("FLOAT", "FLOAT");
    check_type_round_trip("DOUBLE", "DOUBLE");
    check_type_round_trip("DECIMAL(23, 5)", "DECIMAL(23, 5)");
    check_type_round_trip("DECIMAL(23,5)", "DECIMAL(23, 5)");
    check_type_round_trip("DECIMAL", "DECIMAL(10, 0)");
    check_type_round_trip("NUMERIC(5)", "DECIMAL(5, 0)");
    check_type_round_trip("DEC(38, 38) NOT NULL", "DECIMAL(38, 38) NOT NULL");
    check_type_round_trip("CHAR(3)", "CHAR(3)");
    check_type_round_trip("CHAR", "CHAR(1)");
    check_type_round_trip("VARCHAR(10)", "VARCHAR(10)");
    check_type_round_trip("VARCHAR(2147483647)", "STRING");
    check_type_round_trip("STRING NOT NULL", "STRING NOT NULL");
    check_type_round_trip("BINARY(16)", "BINARY(16)");
    check_type_round_trip("VARBINARY(8)", "VARBINARY(8)");
    check_type_round_trip("VARBINARY(2147483647)", "BYTES");
    check_type_round_trip("BYTES", "BYTES");
    check_type_round_trip("DATE", "DATE");
    check_type_round_trip("TIME", "TIME(0)");
    check_type_round_trip("TIME(3)", "TIME(3)");
    check_type_round_trip("TIMESTAMP", "TIMESTAMP(6)");
    check_type_round_trip("TIMESTAMP(9)", "TIMESTAMP(9)");
    check_type_round_trip("TIMESTAMP(3) WITHOUT TIME ZONE", "TIMESTAMP(3)");
    check_type_round_trip("TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP(3) WITH LOCAL TIME ZONE");
    check_type_round_trip("TIMESTAMP_LTZ(6) NOT NULL", "TIMESTAMP(6) WITH LOCAL TIME ZONE NOT NULL");
    check_type_round_trip("timestamp with local time zone", "TIMESTAMP(6) WITH LOCAL TIME ZONE");
    check_type_round_trip("VARIANT", "VARIANT");
    check_type_round_trip("BLOB", "BLOB");

    paimon_type *t;
    mc_err err;
    assert_int_equal(paimon_type_parse(&t, "DECIMAL(39, 2)", &err), -1);
    assert_int_equal(paimon_type_parse(&t, "TIMESTAMP(10)", &err), -1);
    assert_int_equal(paimon_type_parse(&t, "INT NOT", &err), -1);
    assert_int_equal(paimon_type_parse(&t, "WHATEVER", &err), -1);
    assert_int_equal(paimon_type_parse(&t, "INT INT", &err), -1);
    assert_int_equal(paimon_type_parse(&t, "VARCHAR(", &err), -1);
    /* composite names only in the JSON object form */
    assert_int_equal(paimon_type_parse(&t, "MAP", &err), -1);
    json_t *j = json_string("ARRAY NOT NULL");
    assert_int_equal(paimon_type_from_json(&t, j, &err), -1);
    json_decref(j);
    j = json_loads("{\"type\":\"INT\"}", 0, NULL);
    assert_int_equal(paimon_type_from_json(&t, j, &err), -1);
    json_decref(j);
    j = json_loads("{\"type\":\"ARRAY\"}", 0, NULL);
    assert_int_equal(paimon_type_from_json(&t, j, &err), -1);
    json_decref(j);
}

static void test_composite_types_from_and_to_json(void **state)
{
    (void)state;
    const char *src =
        "{\"type\":\"ROW NOT NULL\",\"fields\":[{\"id\":3,\"name\":\"a\",\"type\":{\"type\":\"ARRAY\","
        "\"element\":\"INT NOT NULL\"}},{\"id\":4,\"name\":\"m\",\"type\":{\"type\":\"MAP NOT NULL\","
        "\"key\":\"STRING NOT NULL\",\"value\":{\"type\":\"MULTISET\",\"element\":\"DATE\"}},"
        "\"description\":\"a map\"}]}";
    json_error_t je;
    json_t *j = json_loads(src, 0, &je);
    assert_non_null(j);
    paimon_type *t;
    mc_err err;
    assert_int_equal(paimon_type_from_json(&t, j, &err), 0);
    assert_int_equal(t->id, PAIMON_ROW);
    assert_false(t->nullable);
    assert_int_equal(t->nfields, 2);
    assert_int_equal(t->fields[0].type->id, PAIMON_ARRAY);
    assert_false(t->fields[0].type->element->nullable);
    assert_int_equal(t->fields[1].type->value->id, PAIMON_MULTISET);
    assert_string_equal(t->fields[1].description, "a map");
    mc_buf b = MC_BUF_INIT;
    paimon_type_to_sql(&b, t);
    assert_string_equal(b.data,
                        "ROW<`a` ARRAY<INT NOT NULL>, `m` MAP<STRING NOT NULL, MULTISET<DATE>> NOT NULL "
                        "'a map'> NOT NULL");
    json_t *back = paimon_type_to_json(t);
    assert_true(json_equal(j, back));
    paimon_type *c = paimon_type_copy(t);
    assert_true(paimon_type_equal(c, t));
    paimon_type_free(c);
    json_decref(back);
    json_decref(j);
    mc_buf_free(&b);
    paimon_type_free(t);
}

static void test_decimal_text(void **state)
{
    (void)state;
    paimon_i128 v;
    mc_err err;
    assert_int_equal(paimon_decimal_parse(&v, "34.95", 2, &err), 0);
    assert_true(v == 3495);
    assert_int_equal(paimon_decimal_parse(&v, "-1.5", 3, &err), 0);
    assert_true(v == -1500);
    assert_int_equal(paimon_decimal_parse(&v, "7", 2, &err), 0);
    assert_true(v == 700);
    assert_int_equal(paimon_decimal_parse(&v, "1.234", 2, &err), -1);
    assert_int_equal(paimon_decimal_parse(&v, "1.2x", 2, &err), -1);
    assert_int_equal(paimon_decimal_parse(&v, "", 2, &err), -1);
    mc_buf b = MC_BUF_INIT;
    paimon_decimal_format(&b, -3495, 2);
    assert_string_equal(b.data, "-34.95");
    mc_buf_reset(&b);
    paimon_decimal_format(&b, 42, 0);
    assert_string_equal(b.data, "42");
    mc_buf_free(&b);
}

/* Calls fn(path) for every file under paimon-tables/<fixture>/table/<sub>/ whose
 * name starts with prefix. Returns the count. */
static int for_each_fixture_file(const char *sub, const char *prefix, void (*fn)(const char *))
{
    char *root = shared_path("paimon-tables");
    DIR *d = opendir(root);
    assert_non_null(d);
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strstr(e->d_name, "__") == NULL)
            continue;
        char *dir = mc_asprintf("%s/%s/table/%s", root, e->d_name, sub);
        DIR *d2 = opendir(dir);
        if (d2) {
            struct dirent *f;
            while ((f = readdir(d2)) != NULL) {
                if (strncmp(f->d_name, prefix, strlen(prefix)) != 0)
                    continue;
                char *p = mc_asprintf("%s/%s", dir, f->d_name);
                fn(p);
                free(p);
                count++;
            }
            closedir(d2);
        }
        free(dir);
    }
    closedir(d);
    free(root);
    return count;
}

static void schema_round_trip(const char *path)
{
    mc_buf in = MC_BUF_INIT, out = MC_BUF_INIT;
    tu_read_file(&in, path);
    paimon_schema *s;
    mc_err err;
    if (paimon_schema_parse(&s, in.data, in.len, &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    paimon_schema_write(&out, s);
    if (out.len != in.len || memcmp(out.data, in.data, in.len) != 0)
        fail_msg("%s: schema does not round-trip:\n%s", path, out.data);
    paimon_schema_free(s);
    mc_buf_free(&in);
    mc_buf_free(&out);
}

static void snapshot_round_trip(const char *path)
{
    mc_buf in = MC_BUF_INIT, out = MC_BUF_INIT;
    tu_read_file(&in, path);
    paimon_snapshot *s;
    mc_err err;
    if (paimon_snapshot_parse(&s, in.data, in.len, &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    paimon_snapshot_write(&out, s);
    if (out.len != in.len || memcmp(out.data, in.data, in.len) != 0)
        fail_msg("%s: snapshot does not round-trip:\n%s", path, out.data);
    paimon_snapshot_free(s);
    mc_buf_free(&in);
    mc_buf_free(&out);
}

static void test_every_fixture_schema_round_trips_byte_exact(void **state)
{
    (void)state;
    assert_true(for_each_fixture_file("schema", "schema-", schema_round_trip) >= 11);
}

static void test_every_fixture_snapshot_round_trips_byte_exact(void **state)
{
    (void)state;
    assert_true(for_each_fixture_file("snapshot", "snapshot-", snapshot_round_trip) >= 40);
}

static char *fixture_table(const char *name)
{
    char *rel = mc_asprintf("paimon-tables/%s/table", name);
    char *p = shared_path(rel);
    free(rel);
    return p;
}

static void test_schema_values_and_defaults(void **state)
{
    (void)state;
    char *t = fixture_table("paimon-cpp__parquet_pk_table_with_alter_table");
    paimon_schema *s;
    mc_err err;
    assert_int_equal(paimon_schema_load(&s, t, 1, &err), 0);
    assert_int_equal(s->version, 3);
    assert_int_equal(s->id, 1);
    assert_int_equal(s->nfields, 8);
    assert_string_equal(s->fields[2].name, "key_2");
    assert_int_equal(s->fields[2].id, 2);
    assert_false(s->fields[2].type->nullable);
    assert_string_equal(s->fields[4].description, "");
    assert_int_equal(s->highest_field_id, 9);
    assert_int_equal(s->npartition_keys, 2);
    assert_string_equal(s->partition_keys[1], "key1");
    assert_int_equal(s->nprimary_keys, 3);
    assert_int_equal(paimon_schema_bucket(s), 1);
    assert_string_equal(paimon_schema_file_format(s), "parquet");
    int idx[8];
    assert_int_equal(paimon_schema_trimmed_pk(idx, s), 1);
    assert_int_equal(idx[0], 2);
    assert_int_equal(paimon_schema_bucket_key(idx, s, &err), 1);
    assert_int_equal(idx[0], 2);
    assert_null(s->comment);
    paimon_schema_free(s);
    free(t);

    t = fixture_table("paimon-cpp__parquet_append_complex_data");
    assert_int_equal(paimon_schema_load(&s, t, 0, &err), 0);
    assert_int_equal(s->fields[4].type->id, PAIMON_DECIMAL);
    assert_int_equal(s->fields[4].type->precision, 23);
    assert_int_equal(s->fields[3].type->precision, 9);
    assert_int_equal(paimon_schema_bucket(s), 2);
    assert_int_equal(paimon_schema_bucket_key(idx, s, &err), 1);
    assert_int_equal(idx[0], 1);
    paimon_schema_free(s);
    free(t);

    /* version defaults (§3): old schemas default to bucket 1 and orc */
    const char *old = "{\"id\":0,\"fields\":[],\"partitionKeys\":[],\"primaryKeys\":[],\"options\":{}}";
    assert_int_equal(paimon_schema_parse(&s, old, strlen(old), &err), 0);
    assert_int_equal(s->version, 1);
    assert_int_equal(s->time_millis, 0);
    assert_int_equal(paimon_schema_bucket(s), 1);
    assert_string_equal(paimon_schema_file_format(s), "orc");
    paimon_schema_set_option(s, "bucket", "4");
    assert_int_equal(paimon_schema_bucket(s), 4);
    paimon_schema_free(s);
    const char *v3 = "{\"version\":3,\"id\":0,\"fields\":[],\"options\":{},\"unknown\":1}";
    assert_int_equal(paimon_schema_parse(&s, v3, strlen(v3), &err), 0);
    assert_int_equal(paimon_schema_bucket(s), -1);
    assert_string_equal(paimon_schema_file_format(s), "parquet");
    paimon_schema_free(s);
    assert_int_equal(paimon_schema_parse(&s, "{\"fields\":[]}", 13, &err), -1);
    assert_int_equal(paimon_schema_parse(&s, "[", 1, &err), -1);
    paimon_schema_free(NULL);
}

static void test_snapshot_fields_and_latest(void **state)
{
    (void)state;
    char *t = fixture_table("paimon__pypaimon_pk_full_text_golden");
    int64_t id;
    mc_err err;
    assert_int_equal(paimon_snapshot_latest_id(&id, t, &err), 0);
    assert_int_equal(id, 8);
    assert_int_equal(paimon_snapshot_earliest_id(&id, t, &err), 0);
    assert_int_equal(id, 1);
    paimon_snapshot *s;
    assert_int_equal(paimon_snapshot_load(&s, t, 8, &err), 0);
    assert_string_equal(s->commit_kind, "COMPACT");
    assert_true(s->commit_identifier == 9223372036854775807LL);
    assert_string_equal(s->index_manifest, "index-manifest-4c49a948-5537-441c-a343-69b6e60e6cf7-0");
    assert_true(s->has_next_row_id && s->next_row_id == 0);
    assert_false(s->legacy_layout);
    assert_false(s->has_changelog_record_count);
    assert_int_equal(s->total_record_count, 4);
    assert_int_equal(s->base_manifest_list_size, 1222);
    paimon_snapshot_free(s);
    free(t);

    /* missing required fields, unknown fields ignored, 2.x fields written in order */
    assert_int_equal(paimon_snapshot_parse(&s, "{\"id\":1}", 8, &err), -1);
    const char *j = "{\"version\":3,\"uuid\":\"u\",\"id\":2,\"schemaId\":0,\"baseManifestList\":\"b\","
                    "\"deltaManifestList\":\"d\",\"commitUser\":\"c\",\"writerVersion\":\"2.0\","
                    "\"commitIdentifier\":7,\"commitKind\":\"APPEND\",\"timeMillis\":5,"
                    "\"totalRecordCount\":3,\"deltaRecordCount\":-1,\"watermark\":9,\"x\":[1],"
                    "\"properties\":{\"k\":\"v\"},\"operation\":\"WRITE\"}";
    assert_int_equal(paimon_snapshot_parse(&s, j, strlen(j), &err), 0);
    mc_buf out = MC_BUF_INIT;
    paimon_snapshot_write(&out, s);
    assert_string_equal(out.data, "{\n  \"version\" : 3,\n  \"uuid\" : \"u\",\n  \"id\" : 2,\n"
                                  "  \"schemaId\" : 0,\n  \"baseManifestList\" : \"b\",\n"
                                  "  \"deltaManifestList\" : \"d\",\n  \"commitUser\" : \"c\",\n"
                                  "  \"writerVersion\" : \"2.0\",\n  \"commitIdentifier\" : 7,\n"
                                  "  \"commitKind\" : \"APPEND\",\n  \"timeMillis\" : 5,\n"
                                  "  \"totalRecordCount\" : 3,\n  \"deltaRecordCount\" : -1,\n"
                                  "  \"watermark\" : 9,\n  \"properties\" : {\n    \"k\" : \"v\"\n  },\n"
                                  "  \"operation\" : \"WRITE\"\n}");
    mc_buf_free(&out);
    paimon_snapshot_free(s);
    paimon_snapshot_free(NULL);
}

static void test_hint_files(void **state)
{
    (void)state;
    int64_t id;
    mc_err err;
    assert_int_equal(paimon_hint_parse(&id, "8", 1, &err), 0);
    assert_int_equal(id, 8);
    assert_int_equal(paimon_hint_parse(&id, " 12\n", 4, &err), 0);
    assert_int_equal(id, 12);
    assert_int_equal(paimon_hint_parse(&id, "", 0, &err), -1);
    assert_int_equal(paimon_hint_parse(&id, "1x", 2, &err), -1);
    mc_buf b = MC_BUF_INIT;
    paimon_hint_write(&b, 42);
    assert_string_equal(b.data, "42");
    mc_buf_free(&b);

    /* stale LATEST hint: probe forward; missing hint: list */
    char *dir = tu_tmpdir("paimon-hint");
    char *snapdir = mc_path_join(dir, "snapshot");
    assert_int_equal(mc_mkdir_p(snapdir, 0755, &err), 0);
    for (int i = 3; i <= 5; i++) {
        char *p = mc_asprintf("%s/snapshot-%d", snapdir, i);
        assert_int_equal(mc_file_write_atomic(p, "{}", 2, 0644, &err), 0);
        free(p);
    }
    assert_int_equal(paimon_snapshot_latest_id(&id, dir, &err), 0);
    assert_int_equal(id, 5);
    assert_int_equal(paimon_snapshot_earliest_id(&id, dir, &err), 0);
    assert_int_equal(id, 3);
    char *latest = mc_path_join(snapdir, "LATEST");
    assert_int_equal(mc_file_write_atomic(latest, "4", 1, 0644, &err), 0);
    assert_int_equal(paimon_snapshot_latest_id(&id, dir, &err), 0);
    assert_int_equal(id, 5);
    free(latest);
    free(snapdir);
    tu_rmdir(dir);
}

static void test_json_printer_matches_jackson(void **state)
{
    (void)state;
    json_t *o = json_pack("{s:[], s:{}, s:[s,s], s:s}", "a", "b", "c", "x", "y", "d", "q\"\\\n\x01/é");
    mc_buf b = MC_BUF_INIT;
    mc_json_jackson_dump(&b, o);
    assert_string_equal(b.data, "{\n  \"a\" : [ ],\n  \"b\" : { },\n  \"c\" : [ \"x\", \"y\" ],\n"
                                "  \"d\" : \"q\\\"\\\\\\n\\u0001/é\"\n}");
    mc_buf_free(&b);
    json_decref(o);
}

/* Java's MemorySize.parseBytes: digits, optional blanks, a case-insensitive
 * unit of powers of 1024; no unit is bytes (paimon-api options/MemorySize). */
static void test_memory_sizes_parse_as_java(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t bytes;
    } ok[] = {{"1 kb", 1024},        {"1kb", 1024},        {" 128 MB ", 134217728}, {"256 mb", 268435456},
              {"7", 7},              {"7 bytes", 7},       {"3k", 3072},            {"2 Gibibytes", 2147483648},
              {"1t", 1099511627776}, {"0", 0},             {"8388608 b", 8388608}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        int64_t v = -1;
        mc_err err;
        if (paimon_memory_size_parse(&v, ok[i].text, &err))
            fail_msg("'%s': %s", ok[i].text, err.msg);
        assert_true(v == ok[i].bytes);
    }
    mc_err err;
    int64_t v;
    assert_int_equal(paimon_memory_size_parse(&v, "12 parsecs", &err), -1);
    assert_string_equal(err.msg, "Memory size unit 'parsecs' does not match any of the recognized units: (b | "
                                 "bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / "
                                 "(t | tb | tebibytes)");
    assert_int_equal(paimon_memory_size_parse(&v, "kb", &err), -1);
    assert_string_equal(err.msg, "memory size 'kb' does not start with a number");
    assert_int_equal(paimon_memory_size_parse(&v, "1.5 mb", &err), -1);
    assert_string_equal(err.msg, "Memory size unit '.5 mb' does not match any of the recognized units: (b | "
                                 "bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / "
                                 "(t | tb | tebibytes)");
    assert_int_equal(paimon_memory_size_parse(&v, "9000000 tb", &err), -1);
    assert_string_equal(err.msg,
                        "The value '9000000 tb' cannot be re represented as 64bit number of bytes (numeric overflow).");
}

/* target-file-size has no stored default: 128 MB with a primary key, 256 MB without (CoreOptions). */
static void test_target_file_size_defaults_by_table_kind(void **state)
{
    (void)state;
    const char *fmt = "{\"version\":3,\"id\":0,\"fields\":[{\"id\":0,\"name\":\"k\",\"type\":\"INT NOT "
                      "NULL\"}],\"highestFieldId\":0,\"partitionKeys\":[],\"primaryKeys\":[%s],\"options\":{%s},"
                      "\"timeMillis\":0}";
    struct {
        const char *pk, *options;
        int rc;
        int64_t size, rows;
        const char *msg;
    } cases[] = {
        {"", "", 0, 268435456, INT64_MAX, NULL},
        {"\"k\"", "\"bucket\":\"1\"", 0, 134217728, INT64_MAX, NULL},
        {"", "\"target-file-size\":\"1 kb\",\"target-file-row-num\":\"700\"", 0, 1024, 700, NULL},
        {"", "\"target-file-size\":\"0\"", -1, 0, 0, "option target-file-size: '0' must be positive"},
        {"", "\"target-file-size\":\"big\"", -1, 0, 0,
         "option target-file-size: memory size 'big' does not start with a number"},
        {"", "\"target-file-row-num\":\"-3\"", -1, 0, 0,
         "option target-file-row-num: '-3' is not a positive whole number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *json = mc_asprintf(fmt, cases[i].pk, cases[i].options);
        paimon_schema *s;
        mc_err err;
        assert_int_equal(paimon_schema_parse(&s, json, strlen(json), &err), 0);
        int64_t size = 0, rows = 0;
        int rc = paimon_schema_target_file_size(&size, s, &err);
        if (rc == 0)
            rc = paimon_schema_target_file_row_num(&rows, s, &err);
        assert_int_equal(rc, cases[i].rc);
        if (rc)
            assert_string_equal(err.msg, cases[i].msg);
        else
            assert_true(size == cases[i].size && rows == cases[i].rows);
        paimon_schema_free(s);
        free(json);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_types_print_as_java),
        cmocka_unit_test(test_composite_types_from_and_to_json),
        cmocka_unit_test(test_decimal_text),
        cmocka_unit_test(test_every_fixture_schema_round_trips_byte_exact),
        cmocka_unit_test(test_every_fixture_snapshot_round_trips_byte_exact),
        cmocka_unit_test(test_schema_values_and_defaults),
        cmocka_unit_test(test_snapshot_fields_and_latest),
        cmocka_unit_test(test_hint_files),
        cmocka_unit_test(test_json_printer_matches_jackson),
        cmocka_unit_test(test_memory_sizes_parse_as_java),
        cmocka_unit_test(test_target_file_size_defaults_by_table_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
