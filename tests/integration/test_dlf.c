/*
 * Integration tests: the engine's Paimon REST catalog client against the
 * in-process DLF emulator (reference/paimon-rest.md). Every call is checked
 * for its exact answer, and every refusal for its exact HTTP status
 * (err.http_status), resourceType (err.remote_code) and message as the
 * client words it. Files the catalog writes (schema-0, snapshot-N, LATEST)
 * are read back from its bucket through the OSS client, with the owner's
 * keys and with the table's data token.
 */
#include "testutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/http.h"
#include "client/oss_client.h"
#include "client/rest_catalog.h"
#include "emulator.h"
#include "timeutil.h"

typedef struct {
    char *dir;
    emulator *emu;
    rest_catalog *c;
    char bucket[64]; /* the catalog id: REST prefix and OSS bucket */
} fx;

#define OK(call)                                                                                                   \
    do {                                                                                                           \
        mc_err err_;                                                                                               \
        if ((call) != 0)                                                                                           \
            fail_msg("%s: %s", #call, err_.msg);                                                                   \
    } while (0)
/* The calls below take `&err_` through this macro's name. */
#define E (&err_)

static void expect_remote(const mc_err *e, int status, const char *type, const char *msg)
{
    if (e->code != MC_ERR_REMOTE || e->http_status != status || strcmp(e->remote_code, type) != 0 ||
        (msg && strcmp(e->msg, msg) != 0))
        fail_msg("expected %d '%s' '%s', got code %d status %d '%s': '%s'", status, type, msg ? msg : "*", e->code,
                 e->http_status, e->remote_code, e->msg);
}

/* call fails with status, resourceType and (unless NULL) exactly msg. */
#define FAILS(call, status, type, msg)                                                                             \
    do {                                                                                                           \
        mc_err err_;                                                                                               \
        assert_int_equal((call), -1);                                                                              \
        expect_remote(&err_, status, type, msg);                                                                   \
    } while (0)

static int open_catalog(fx *f, rest_catalog **out, const char *warehouse, const char *secret, mc_err *err)
{
    rest_catalog_config cfg = {
        .uri = emulator_endpoint(f->emu, "dlf"),
        .warehouse = warehouse,
        .region = emulator_region(f->emu),
        .access_key_id = emulator_owner_key_id(f->emu),
        .access_key_secret = secret ? secret : emulator_owner_key_secret(f->emu),
    };
    return rest_catalog_open(out, &cfg, err);
}

static int start(fx *f)
{
    emulator_options o;
    emulator_options_init(&o);
    o.num_threads = 4;
    mc_err err;
    if (emulator_start(&f->emu, f->dir, &o, &err)) {
        fprintf(stderr, "emulator_start: %s\n", err.msg);
        return -1;
    }
    if (open_catalog(f, &f->c, "mcdlf", NULL, &err)) {
        fprintf(stderr, "rest_catalog_open: %s\n", err.msg);
        return -1;
    }
    snprintf(f->bucket, sizeof f->bucket, "%s", rest_catalog_option(f->c, "prefix"));
    return 0;
}

static void stop(fx *f)
{
    rest_catalog_close(f->c);
    f->c = NULL;
    emulator_stop(f->emu);
    f->emu = NULL;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir("dlf");
    *state = f;
    return start(f);
}

static int teardown(void **state)
{
    fx *f = *state;
    stop(f);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

static oss_client *owner_oss(fx *f)
{
    oss_client_config cfg = {
        .endpoint = emulator_endpoint(f->emu, "oss"),
        .region = emulator_region(f->emu),
        .access_key_id = emulator_owner_key_id(f->emu),
        .access_key_secret = emulator_owner_key_secret(f->emu),
        .path_style = -1,
    };
    oss_client *o;
    OK(oss_client_new(&o, &cfg, E));
    return o;
}

/* {fields:[{id,name,type}...], partitionKeys, primaryKeys, options}; fields as "name:TYPE" pairs. */
static json_t *schema_of(const char *const *fields, size_t n, json_t *partition_keys, json_t *primary_keys,
                         json_t *options)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *colon = strchr(fields[i], ':');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(colon - fields[i]), fields[i]);
        json_array_append_new(a, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)i, "name", name, "type", colon + 1));
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "fields", a, "partitionKeys", partition_keys ? partition_keys : json_array(),
                     "primaryKeys", primary_keys ? primary_keys : json_array(), "options",
                     options ? options : json_object());
}

static json_t *emp_schema(void)
{
    static const char *const fields[] = {"id:INT NOT NULL", "name:STRING"};
    return schema_of(fields, 2, NULL, json_pack("[s]", "id"), json_pack("{s:s}", "bucket", "2"));
}

static void create_table(fx *f, const char *db, const char *name, json_t *schema)
{
    OK(rest_create_table(f->c, db, name, schema, E));
    json_decref(schema);
}

static bool is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return false;
    }
    return true;
}

static char *table_id(fx *f, const char *db, const char *name)
{
    json_t *t;
    OK(rest_get_table(f->c, db, name, &t, E));
    char *id = strdup(json_string_value(json_object_get(t, "id")));
    json_decref(t);
    return id;
}

static json_t *snapshot_json(int64_t id, const char *uuid, int64_t total, int64_t delta)
{
    return json_pack("{s:i, s:I, s:i, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:I, s:s}", "version", 3, "id",
                     (json_int_t)id, "schemaId", 0, "baseManifestList", "manifest-list-a-0", "deltaManifestList",
                     "manifest-list-a-1", "commitUser", "u", "commitIdentifier", (json_int_t)id, "commitKind",
                     "APPEND", "timeMillis", (json_int_t)id, "totalRecordCount", (json_int_t)total,
                     "deltaRecordCount", (json_int_t)delta, "uuid", uuid);
}

static json_t *stats_json(json_t *spec, int64_t records)
{
    return json_pack("[{s:o, s:I, s:i, s:i, s:i}]", "spec", spec ? spec : json_object(), "recordCount",
                     (json_int_t)records, "fileSizeInBytes", 100, "fileCount", 1, "lastFileCreationTime", 5);
}

/* Commits snapshot id (building on base_uuid) with one statistics row; returns success. */
static bool commit(fx *f, const char *db, const char *t, const char *tid, const char *base_uuid, int64_t id,
                   const char *uuid, json_t *spec, int64_t records)
{
    json_t *s = snapshot_json(id, uuid, records, records), *st = stats_json(spec, records);
    bool ok = false;
    OK(rest_commit(f->c, db, t, tid, base_uuid, s, st, &ok, E));
    json_decref(s);
    json_decref(st);
    return ok;
}

#define UUID1 "6f1c7c9e-0d1a-4a55-9b0e-8c1f2d3e4a51"
#define UUID2 "6f1c7c9e-0d1a-4a55-9b0e-8c1f2d3e4a52"
#define UUID3 "6f1c7c9e-0d1a-4a55-9b0e-8c1f2d3e4a53"

static void expect_object(oss_client *o, const char *bucket, const char *key, const char *want)
{
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(o, bucket, key, 0, -1, &got, E));
    assert_int_equal(got.len, strlen(want));
    assert_memory_equal(got.data, want, got.len);
    mc_buf_free(&got);
}

/* ---- handshake ------------------------------------------------------------------ */

static void test_config_handshake_yields_catalog_prefix(void **state)
{
    fx *f = *state;
    assert_true(strncmp(rest_catalog_option(f->c, "prefix"), "clg-paimon-", 11) == 0);
    assert_string_equal(rest_catalog_option(f->c, "warehouse"), "mcdlf");
    assert_string_equal(rest_catalog_option(f->c, "data-token.enabled"), "true");
    assert_null(rest_catalog_option(f->c, "no-such-option"));

    rest_catalog *c = NULL;
    FAILS(open_catalog(f, &c, "nope", NULL, E), 404, "", "DLF catalog nope: Catalog nope does not exist.");
    assert_null(c);

    mc_err err;
    assert_int_equal(open_catalog(f, &c, "mcdlf", "wrong-secret", &err), -1);
    expect_remote(&err, 401, "", NULL);
    static const char want[] = "DLF catalog mcdlf: Not authorized: accessKeyId validate failed with error message: "
                               "current signature ";
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("unexpected message: %s", err.msg);
    assert_true(mc_str_ends_with(err.msg, " not match"));
    assert_null(c);
}

/* ---- databases ------------------------------------------------------------------ */

static void test_database_create_get_drop_and_errors(void **state)
{
    fx *f = *state;
    char **names;
    size_t n;
    OK(rest_list_databases(f->c, &names, &n, E));
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "default");
    rest_names_free(names, n);

    OK(rest_create_database(f->c, "db1", NULL, E));
    FAILS(rest_create_database(f->c, "db1", NULL, E), 409, "DATABASE", "Database db1 already exists.");

    json_t *d;
    OK(rest_get_database(f->c, "db1", &d, E));
    char want[256];
    assert_string_equal(json_string_value(json_object_get(d, "name")), "db1");
    snprintf(want, sizeof want, "oss://%s/db1.db", f->bucket);
    assert_string_equal(json_string_value(json_object_get(d, "location")), want);
    snprintf(want, sizeof want, "acs:ram::%s:root", emulator_account_id(f->emu));
    assert_string_equal(json_string_value(json_object_get(d, "owner")), want);
    assert_true(json_is_object(json_object_get(d, "options")));
    json_decref(d);

    FAILS(rest_get_database(f->c, "nodb", &d, E), 404, "DATABASE", "Database nodb does not exist.");
    FAILS(rest_drop_database(f->c, "nodb", E), 404, "DATABASE", "Database nodb does not exist.");
    OK(rest_drop_database(f->c, "db1", E));
    FAILS(rest_get_database(f->c, "db1", &d, E), 404, "DATABASE", "Database db1 does not exist.");
}

static void test_database_list_pages_and_patterns(void **state)
{
    fx *f = *state;
    OK(rest_create_database(f->c, "db1", NULL, E));
    OK(rest_create_database(f->c, "db10", NULL, E));
    OK(rest_create_database(f->c, "db2", NULL, E));
    for (int i = 0; i < 130; i++) {
        char name[16];
        snprintf(name, sizeof name, "page%03d", i);
        OK(rest_create_database(f->c, name, NULL, E));
    }
    /* 134 names across two server pages of 100, sorted by name (§5). */
    char **names;
    size_t n;
    OK(rest_list_databases(f->c, &names, &n, E));
    assert_int_equal(n, 134);
    assert_string_equal(names[0], "db1");
    assert_string_equal(names[1], "db10");
    assert_string_equal(names[2], "db2");
    assert_string_equal(names[3], "default");
    for (size_t i = 4; i < n; i++) {
        char want[32];
        snprintf(want, sizeof want, "page%03zu", i - 4);
        assert_string_equal(names[i], want);
    }
    rest_names_free(names, n);

    const char *segs[] = {"databases"};
    json_t *o;
    OK(rest_catalog_call(f->c, "GET", segs, 1, NULL, 0, NULL, &o, E));
    assert_int_equal(json_array_size(json_object_get(o, "databases")), 100);
    assert_string_equal(json_string_value(json_object_get(o, "nextPageToken")), "page095");
    json_decref(o);

    mc_query_param two = {"maxResults", "2", true};
    OK(rest_catalog_call(f->c, "GET", segs, 1, &two, 1, NULL, &o, E));
    assert_int_equal(json_array_size(json_object_get(o, "databases")), 2);
    assert_string_equal(json_string_value(json_object_get(o, "nextPageToken")), "db10");
    json_decref(o);

    mc_query_param zero = {"maxResults", "0", true};
    FAILS(rest_catalog_call(f->c, "GET", segs, 1, &zero, 1, NULL, &o, E), 400, "TABLE",
          "Invalid input for queryParameter maxResults: 0");

    mc_query_param prefix = {"databaseNamePattern", "db1%", true};
    OK(rest_catalog_call(f->c, "GET", segs, 1, &prefix, 1, NULL, &o, E));
    json_t *want = json_pack("[s,s]", "db1", "db10");
    assert_true(json_equal(json_object_get(o, "databases"), want));
    assert_true(json_is_null(json_object_get(o, "nextPageToken")));
    json_decref(want);
    json_decref(o);

    mc_query_param exact = {"databaseNamePattern", "db1", true};
    OK(rest_catalog_call(f->c, "GET", segs, 1, &exact, 1, NULL, &o, E));
    want = json_pack("[s]", "db1");
    assert_true(json_equal(json_object_get(o, "databases"), want));
    json_decref(want);
    json_decref(o);

    mc_query_param infix = {"databaseNamePattern", "a%b", true};
    FAILS(rest_catalog_call(f->c, "GET", segs, 1, &infix, 1, NULL, &o, E), 400, "",
          "Can only support prefix sql like pattern query now.");
}

/* ---- tables --------------------------------------------------------------------- */

static void test_table_create_get_list_drop(void **state)
{
    fx *f = *state;
    json_t *sent = emp_schema();
    OK(rest_create_table(f->c, "default", "emp", sent, E));
    FAILS(rest_create_table(f->c, "default", "emp", sent, E), 409, "TABLE", "Table default.emp already exists.");

    json_t *t;
    OK(rest_get_table(f->c, "default", "emp", &t, E));
    assert_true(is_uuid(json_string_value(json_object_get(t, "id"))));
    char want[256];
    snprintf(want, sizeof want, "oss://%s/default.db/emp", f->bucket);
    assert_string_equal(json_string_value(json_object_get(t, "path")), want);
    assert_string_equal(json_string_value(json_object_get(t, "database")), "default");
    assert_string_equal(json_string_value(json_object_get(t, "name")), "emp");
    assert_true(json_is_false(json_object_get(t, "isExternal")));
    assert_int_equal(json_integer_value(json_object_get(t, "schemaId")), 0);
    json_t *schema = json_object_get(t, "schema");
    assert_true(json_equal(json_object_get(schema, "fields"), json_object_get(sent, "fields")));
    assert_true(json_equal(json_object_get(schema, "primaryKeys"), json_object_get(sent, "primaryKeys")));
    assert_true(json_equal(json_object_get(schema, "partitionKeys"), json_object_get(sent, "partitionKeys")));
    assert_true(json_equal(json_object_get(schema, "options"), json_object_get(sent, "options")));
    snprintf(want, sizeof want, "acs:ram::%s:root", emulator_account_id(f->emu));
    assert_string_equal(json_string_value(json_object_get(t, "owner")), want);
    json_decref(t);

    FAILS(rest_get_table(f->c, "default", "nope", &t, E), 404, "TABLE", "Table default.nope does not exist.");
    FAILS(rest_get_table(f->c, "nodb", "emp", &t, E), 404, "DATABASE", "Database nodb does not exist.");
    FAILS(rest_create_table(f->c, "nodb", "emp", sent, E), 404, "DATABASE", "Database nodb does not exist.");
    json_decref(sent);

    static const char *const two[] = {"a:INT", "b:STRING"};
    create_table(f, "default", "dept", schema_of(two, 2, NULL, NULL, NULL));
    char **names;
    size_t n;
    OK(rest_list_tables(f->c, "default", &names, &n, E));
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "dept");
    assert_string_equal(names[1], "emp");
    rest_names_free(names, n);
    FAILS(rest_list_tables(f->c, "nodb", &names, &n, E), 404, "DATABASE", "Database nodb does not exist.");

    const char *segs[] = {"databases", "default", "table-details"};
    json_t *o;
    OK(rest_catalog_call(f->c, "GET", segs, 3, NULL, 0, NULL, &o, E));
    json_t *details = json_object_get(o, "tableDetails");
    assert_int_equal(json_array_size(details), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(details, 0), "name")), "dept");
    assert_string_equal(json_string_value(json_object_get(json_array_get(details, 1), "name")), "emp");
    assert_true(is_uuid(json_string_value(json_object_get(json_array_get(details, 1), "id"))));
    assert_true(json_is_null(json_object_get(o, "nextPageToken")));
    json_decref(o);

    OK(rest_drop_table(f->c, "default", "dept", E));
    FAILS(rest_drop_table(f->c, "default", "dept", E), 404, "TABLE", "Table default.dept does not exist.");
    OK(rest_list_tables(f->c, "default", &names, &n, E));
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "emp");
    rest_names_free(names, n);
}

static void test_table_create_refuses_invalid_schemas(void **state)
{
    fx *f = *state;
    static const char *const ab[] = {"a:INT", "b:STRING"};
    static const char *const aa[] = {"a:INT", "a:STRING"};
    json_t *s = schema_of(ab, 0, NULL, NULL, NULL);
    FAILS(rest_create_table(f->c, "default", "bad", s, E), 400, "TABLE", "Table schema must have at least one field.");
    json_decref(s);
    s = schema_of(aa, 2, NULL, NULL, NULL);
    FAILS(rest_create_table(f->c, "default", "bad", s, E), 400, "COLUMN", "Field name a is repeated.");
    json_decref(s);
    s = schema_of(ab, 2, json_pack("[s]", "zz"), NULL, NULL);
    FAILS(rest_create_table(f->c, "default", "bad", s, E), 400, "COLUMN",
          "partitionKeys names a field the table does not have: zz");
    json_decref(s);
    s = schema_of(ab, 2, NULL, json_pack("[s]", "c"), NULL);
    FAILS(rest_create_table(f->c, "default", "bad", s, E), 400, "COLUMN",
          "primaryKeys names a field the table does not have: c");
    json_decref(s);
    s = schema_of(ab, 2, NULL, NULL, json_pack("{s:s}", "path", "oss://elsewhere/t"));
    FAILS(rest_create_table(f->c, "default", "bad", s, E), 400, "TABLE",
          "The catalog manages table locations; the 'path' option cannot be set on create.");
    json_decref(s);

    json_t *t;
    FAILS(rest_get_table(f->c, "default", "bad", &t, E), 404, "TABLE", "Table default.bad does not exist.");
}

static void test_table_create_writes_schema_0_as_java_does(void **state)
{
    fx *f = *state;
    json_t *sent = emp_schema();
    OK(rest_create_table(f->c, "default", "emp", sent, E));
    oss_client *o = owner_oss(f);
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(o, f->bucket, "default.db/emp/schema/schema-0", 0, -1, &got, E));
    static const char head[] = "{\n  \"version\" : 3,";
    assert_true(got.len > strlen(head));
    assert_memory_equal(got.data, head, strlen(head));
    json_error_t je;
    json_t *j = json_loadb(got.data, got.len, 0, &je);
    if (!j)
        fail_msg("schema-0 is not JSON: %s", je.text);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 3);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "highestFieldId")), 1);
    assert_true(json_equal(json_object_get(j, "fields"), json_object_get(sent, "fields")));
    assert_true(json_equal(json_object_get(j, "primaryKeys"), json_object_get(sent, "primaryKeys")));
    assert_true(json_equal(json_object_get(j, "options"), json_object_get(sent, "options")));
    assert_true(json_is_integer(json_object_get(j, "timeMillis")));
    json_decref(j);
    json_decref(sent);
    mc_buf_free(&got);
    oss_client_free(o);
}

/* ---- snapshots and commit ------------------------------------------------------- */

static void test_commit_writes_snapshot_and_detects_races(void **state)
{
    fx *f = *state;
    create_table(f, "default", "emp", emp_schema());
    char *tid = table_id(f, "default", "emp");

    json_t *latest = (json_t *)1;
    OK(rest_latest_snapshot(f->c, "default", "emp", &latest, E));
    assert_null(latest);
    FAILS(rest_latest_snapshot(f->c, "default", "nope", &latest, E), 404, "TABLE",
          "Table default.nope does not exist.");

    assert_true(commit(f, "default", "emp", tid, NULL, 1, UUID1, NULL, 2));
    OK(rest_latest_snapshot(f->c, "default", "emp", &latest, E));
    assert_non_null(latest);
    json_t *snap = json_object_get(latest, "snapshot");
    assert_int_equal(json_integer_value(json_object_get(snap, "id")), 1);
    assert_string_equal(json_string_value(json_object_get(snap, "uuid")), UUID1);
    assert_string_equal(json_string_value(json_object_get(snap, "commitKind")), "APPEND");
    assert_int_equal(json_integer_value(json_object_get(latest, "recordCount")), 2);
    assert_int_equal(json_integer_value(json_object_get(latest, "fileCount")), 1);
    assert_int_equal(json_integer_value(json_object_get(latest, "fileSizeInBytes")), 100);
    assert_int_equal(json_integer_value(json_object_get(latest, "lastFileCreationTime")), 5);
    json_decref(latest);

    oss_client *o = owner_oss(f);
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(o, f->bucket, "default.db/emp/snapshot/snapshot-1", 0, -1, &got, E));
    json_t *file = json_loadb(got.data, got.len, 0, NULL);
    json_t *sent = snapshot_json(1, UUID1, 2, 2);
    assert_true(json_equal(file, sent));
    json_decref(file);
    json_decref(sent);
    mc_buf_free(&got);
    expect_object(o, f->bucket, "default.db/emp/snapshot/LATEST", "1");

    /* Two writers built on snapshot 1: the first wins, the second must retry. */
    assert_true(commit(f, "default", "emp", tid, UUID1, 2, UUID2, NULL, 1));
    assert_false(commit(f, "default", "emp", tid, UUID1, 2, UUID3, NULL, 1));
    /* A stale base with the next id is refused too. */
    assert_false(commit(f, "default", "emp", tid, UUID1, 3, UUID3, NULL, 1));
    expect_object(o, f->bucket, "default.db/emp/snapshot/LATEST", "2");
    oss_client_free(o);

    json_t *s = snapshot_json(3, UUID3, 4, 1), *st = stats_json(NULL, 1);
    bool ok = true;
    FAILS(rest_commit(f->c, "default", "emp", "00000000-0000-0000-0000-000000000000", UUID2, s, st, &ok, E), 404,
          "TABLE", "Table default.emp with id 00000000-0000-0000-0000-000000000000 does not exist.");
    json_decref(s);
    json_decref(st);

    OK(rest_latest_snapshot(f->c, "default", "emp", &latest, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(latest, "snapshot"), "id")), 2);
    assert_int_equal(json_integer_value(json_object_get(latest, "recordCount")), 3);
    assert_int_equal(json_integer_value(json_object_get(latest, "fileCount")), 2);
    json_decref(latest);

    static const struct {
        const char *version;
        int64_t id;
    } versions[] = {{"1", 1}, {"2", 2}, {"LATEST", 2}, {"EARLIEST", 1}};
    for (size_t i = 0; i < sizeof versions / sizeof *versions; i++) {
        const char *segs[] = {"databases", "default", "tables", "emp", "snapshots", versions[i].version};
        json_t *r;
        OK(rest_catalog_call(f->c, "GET", segs, 6, NULL, 0, NULL, &r, E));
        assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "snapshot"), "id")), versions[i].id);
        json_decref(r);
    }
    const char *missing[] = {"databases", "default", "tables", "emp", "snapshots", "99"};
    json_t *r;
    FAILS(rest_catalog_call(f->c, "GET", missing, 6, NULL, 0, NULL, &r, E), 404, "SNAPSHOT",
          "Snapshot 99 of table default.emp does not exist.");

    const char *list[] = {"databases", "default", "tables", "emp", "snapshots"};
    OK(rest_catalog_call(f->c, "GET", list, 5, NULL, 0, NULL, &r, E));
    json_t *arr = json_object_get(r, "snapshots");
    assert_int_equal(json_array_size(arr), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 0), "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 1), "id")), 2);
    json_decref(r);
    free(tid);
}

static void test_commit_statistics_become_partitions(void **state)
{
    fx *f = *state;
    static const char *const fields[] = {"id:INT", "dt:STRING"};
    create_table(f, "default", "pt", schema_of(fields, 2, json_pack("[s]", "dt"), NULL, NULL));
    char *tid = table_id(f, "default", "pt");
    assert_true(commit(f, "default", "pt", tid, NULL, 1, UUID1, json_pack("{s:s}", "dt", "2024"), 3));
    assert_true(commit(f, "default", "pt", tid, UUID1, 2, UUID2, json_pack("{s:s}", "dt", "2024"), 4));

    const char *segs[] = {"databases", "default", "tables", "pt", "partitions"};
    json_t *r;
    OK(rest_catalog_call(f->c, "GET", segs, 5, NULL, 0, NULL, &r, E));
    json_t *parts = json_object_get(r, "partitions");
    assert_int_equal(json_array_size(parts), 1);
    json_t *p = json_array_get(parts, 0), *spec = json_pack("{s:s}", "dt", "2024");
    assert_true(json_equal(json_object_get(p, "spec"), spec));
    assert_int_equal(json_integer_value(json_object_get(p, "recordCount")), 7);
    assert_int_equal(json_integer_value(json_object_get(p, "fileCount")), 2);
    assert_int_equal(json_integer_value(json_object_get(p, "fileSizeInBytes")), 200);
    assert_true(json_is_null(json_object_get(r, "nextPageToken")));
    json_decref(spec);
    json_decref(r);
    free(tid);
}

/* ---- data token ----------------------------------------------------------------- */

static void test_table_token_is_scoped_to_the_table_path(void **state)
{
    fx *f = *state;
    create_table(f, "default", "emp", emp_schema());
    create_table(f, "default", "other", emp_schema());
    rest_data_token tok;
    OK(rest_table_token(f->c, "default", "emp", &tok, E));
    assert_non_null(tok.security_token);
    assert_string_equal(tok.endpoint, emulator_endpoint(f->emu, "oss"));
    assert_string_equal(tok.region, emulator_region(f->emu));
    assert_true(tok.expires_at_ms > mc_now_ms() + 3600 * 1000LL);
    rest_data_token none;
    FAILS(rest_table_token(f->c, "default", "nope", &none, E), 404, "TABLE", "Table default.nope does not exist.");
    assert_null(none.access_key_id);

    oss_client_config cfg = {
        .endpoint = tok.endpoint,
        .region = tok.region,
        .access_key_id = tok.access_key_id,
        .access_key_secret = tok.access_key_secret,
        .security_token = tok.security_token,
        .path_style = -1,
    };
    oss_client *o;
    OK(oss_client_new(&o, &cfg, E));
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(o, f->bucket, "default.db/emp/schema/schema-0", 0, -1, &got, E));
    assert_true(got.len > 0);
    mc_err err;
    assert_int_equal(oss_client_get(o, f->bucket, "default.db/other/schema/schema-0", 0, -1, &got, &err), -1);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.remote_code, "AccessDenied");
    /* "default.db/emp" without the slash is another table's prefix (emp2...). */
    assert_int_equal(oss_client_get(o, f->bucket, "default.db/emp2/schema/schema-0", 0, -1, &got, &err), -1);
    assert_string_equal(err.remote_code, "AccessDenied");

    /* The owner may UPDATE the table, so the token writes, under the table only. */
    OK(oss_client_put(o, f->bucket, "default.db/emp/data-0.orc", "x", 1, NULL, NULL, E));
    assert_int_equal(oss_client_put(o, f->bucket, "default.db/other/data-0.orc", "x", 1, NULL, NULL, &err), -1);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.remote_code, "AccessDenied");
    assert_int_equal(oss_client_put(o, f->bucket, "outside", "x", 1, NULL, NULL, &err), -1);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.remote_code, "AccessDenied");
    oss_client_free(o);

    oss_client *owner = owner_oss(f);
    expect_object(owner, f->bucket, "default.db/emp/data-0.orc", "x");
    oss_client_free(owner);
    mc_buf_free(&got);
    rest_data_token_clear(&tok);
}

/* ---- persistence ---------------------------------------------------------------- */

static void test_catalog_survives_a_restart(void **state)
{
    fx *f = *state;
    OK(rest_create_database(f->c, "keep", NULL, E));
    create_table(f, "keep", "t", emp_schema());
    char *tid = table_id(f, "keep", "t");
    assert_true(commit(f, "keep", "t", tid, NULL, 1, UUID1, NULL, 2));
    json_t *before_table, *before_snap;
    OK(rest_get_table(f->c, "keep", "t", &before_table, E));
    OK(rest_latest_snapshot(f->c, "keep", "t", &before_snap, E));
    char bucket[64];
    snprintf(bucket, sizeof bucket, "%s", f->bucket);

    stop(f);
    assert_int_equal(start(f), 0);
    assert_string_equal(f->bucket, bucket);

    char **names;
    size_t n;
    OK(rest_list_databases(f->c, &names, &n, E));
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "default");
    assert_string_equal(names[1], "keep");
    rest_names_free(names, n);
    json_t *after_table, *after_snap;
    OK(rest_get_table(f->c, "keep", "t", &after_table, E));
    OK(rest_latest_snapshot(f->c, "keep", "t", &after_snap, E));
    assert_string_equal(json_string_value(json_object_get(after_table, "id")), tid);
    assert_true(json_equal(after_table, before_table));
    assert_true(json_equal(after_snap, before_snap));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(after_snap, "snapshot"), "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(after_snap, "recordCount")), 2);
    /* And the table goes on from there. */
    assert_true(commit(f, "keep", "t", tid, UUID1, 2, UUID2, NULL, 1));
    json_decref(before_table);
    json_decref(before_snap);
    json_decref(after_table);
    json_decref(after_snap);
    free(tid);
}

/* ---- bad input ------------------------------------------------------------------ */

static void test_unsigned_and_unsupported_requests(void **state)
{
    fx *f = *state;
    char *url = mc_asprintf("%s/v1/%s/databases", emulator_endpoint(f->emu, "dlf"), f->bucket);
    mc_header h[] = {{"Content-Type", "application/json"}};
    http_request rq = {.method = "POST", .url = url, .headers = h, .nheaders = 1, .body = "{not json", .body_len = 9};
    http_response resp;
    OK(http_send(&resp, &rq, E));
    assert_int_equal(resp.status, 401);
    json_t *j = json_loadb(resp.body.data, resp.body.len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "code")), 401);
    assert_string_equal(json_string_value(json_object_get(j, "message")), "Missing Authorization header.");
    json_decref(j);
    http_response_clear(&resp);
    free(url);

    const char *segs[] = {"databases", "default", "views"};
    json_t *o;
    mc_err err;
    assert_int_equal(rest_catalog_call(f->c, "GET", segs, 3, NULL, 0, NULL, &o, &err), -1);
    expect_remote(&err, 501, "", NULL);
    assert_true(mc_str_ends_with(err.msg, "is not supported by the mcdlf catalog yet."));
    char want[256];
    snprintf(want, sizeof want, "GET /v1/%s/databases/default/views is not supported by the mcdlf catalog yet.",
             f->bucket);
    assert_string_equal(err.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_handshake_yields_catalog_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_create_get_drop_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_list_pages_and_patterns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_create_get_list_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_create_refuses_invalid_schemas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_create_writes_schema_0_as_java_does, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_writes_snapshot_and_detects_races, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_statistics_become_partitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_token_is_scoped_to_the_table_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_survives_a_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsigned_and_unsupported_requests, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
