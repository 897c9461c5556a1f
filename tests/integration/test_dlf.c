/*
 * Integration tests: the engine's Paimon REST catalog client against the
 * DLF emulator (reference/paimon-rest.md), in-process and again as a `mcdlf
 * serve` process (test_emu.h; cases that grant through the emulator's
 * internals run in-process only). Every call is checked
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
#include "test_emu.h"
#include "timeutil.h"

typedef struct {
    char *dir;
    test_emu *te;
    emulator *emu; /* in-process only; NULL against a serve process */
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
        .uri = test_emu_endpoint(f->te, "dlf"),
        .warehouse = warehouse,
        .region = test_emu_region(f->te),
        .access_key_id = test_emu_key_id(f->te),
        .access_key_secret = secret ? secret : test_emu_key_secret(f->te),
    };
    return rest_catalog_open(out, &cfg, err);
}

static int start(fx *f)
{
    mc_err err;
    if (test_emu_start(&f->te, f->dir, 4))
        return -1;
    f->emu = test_emu_embedded(f->te);
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
    test_emu_stop(f->te);
    f->te = NULL;
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
        .endpoint = test_emu_endpoint(f->te, "oss"),
        .region = test_emu_region(f->te),
        .access_key_id = test_emu_key_id(f->te),
        .access_key_secret = test_emu_key_secret(f->te),
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

/* The JSON object in the catalog's bucket at key, read with the owner's keys. */
static json_t *bucket_json(fx *f, const char *key)
{
    oss_client *o = owner_oss(f);
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(o, f->bucket, key, 0, -1, &got, E));
    json_t *j = json_loadb(got.data, got.len, 0, NULL);
    assert_non_null(j);
    mc_buf_free(&got);
    oss_client_free(o);
    return j;
}

/* A rename request {source, destination} (tables and views alike). */
static json_t *rename_req(const char *sdb, const char *sname, const char *ddb, const char *dname)
{
    return json_pack("{s:{s:s, s:s}, s:{s:s, s:s}}", "source", "database", sdb, "object", sname, "destination",
                     "database", ddb, "object", dname);
}

/* got (taken) equals the JSON text want_text. */
static void expect_json(json_t *got, const char *want_text)
{
    json_t *want = json_loads(want_text, 0, NULL);
    assert_non_null(want);
    if (!json_equal(got, want)) {
        char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
        fail_msg("got %s, want %s", g, want_text);
    }
    json_decref(want);
    json_decref(got);
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
    snprintf(want, sizeof want, "acs:ram::%s:root", test_emu_account_id(f->te));
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
    snprintf(want, sizeof want, "acs:ram::%s:root", test_emu_account_id(f->te));
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

/* ---- alter, rollback, tags, partitions ------------------------------------------ */

/* POST .../tables/{t} with the changes given as JSON text. */
static int alter(fx *f, const char *t, const char *changes_json, mc_err *err)
{
    const char *segs[] = {"databases", "default", "tables", t};
    json_t *body = json_pack("{s:o}", "changes", json_loads(changes_json, 0, NULL));
    int rc = rest_catalog_call(f->c, "POST", segs, 4, NULL, 0, body, NULL, err);
    json_decref(body);
    return rc;
}

/* The table's field names, comma-joined. */
static void expect_fields(fx *f, const char *t, const char *want)
{
    json_t *j;
    OK(rest_get_table(f->c, "default", t, &j, E));
    char got[512] = "";
    size_t i;
    json_t *fl;
    json_array_foreach(json_object_get(json_object_get(j, "schema"), "fields"), i, fl) {
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s:%lld", i ? "," : "",
                 json_string_value(json_object_get(fl, "name")), (long long)json_integer_value(json_object_get(fl, "id")));
    }
    assert_string_equal(got, want);
    json_decref(j);
}

static json_t *field_of(json_t *table, const char *name)
{
    size_t i;
    json_t *fl;
    json_array_foreach(json_object_get(json_object_get(table, "schema"), "fields"), i, fl) {
        if (!strcmp(json_string_value(json_object_get(fl, "name")), name))
            return fl;
    }
    return NULL;
}

static void test_alter_table_columns_as_java_does(void **state)
{
    fx *f = *state;
    static const char *const fields[] = {"id:INT NOT NULL", "name:STRING", "dt:STRING NOT NULL"};
    create_table(f, "default", "t", schema_of(fields, 3, json_pack("[s]", "dt"), json_pack("[s,s]", "id", "dt"), NULL));

    /* New columns take highestFieldId + 1, wherever the move puts them. */
    OK(alter(f, "t", "[{\"action\":\"addColumn\",\"fieldNames\":[\"a\"],\"dataType\":\"INT\",\"comment\":\"first\","
                     "\"move\":{\"fieldName\":\"a\",\"type\":\"FIRST\"}},"
                     "{\"action\":\"addColumn\",\"fieldNames\":[\"b\"],\"dataType\":\"BIGINT\","
                     "\"move\":{\"fieldName\":\"b\",\"referenceFieldName\":\"id\",\"type\":\"AFTER\"}},"
                     "{\"action\":\"addColumn\",\"fieldNames\":[\"c\"],\"dataType\":\"DOUBLE\","
                     "\"move\":{\"fieldName\":\"c\",\"referenceFieldName\":\"dt\",\"type\":\"BEFORE\"}},"
                     "{\"action\":\"addColumn\",\"fieldNames\":[\"d\"],\"dataType\":\"DATE\"}]",
             E));
    expect_fields(f, "t", "a:3,id:0,b:4,name:1,c:5,dt:2,d:6");
    json_t *j;
    OK(rest_get_table(f->c, "default", "t", &j, E));
    assert_int_equal(json_integer_value(json_object_get(j, "schemaId")), 1);
    assert_string_equal(json_string_value(json_object_get(field_of(j, "a"), "description")), "first");
    json_decref(j);

    /* schema-1 is written, highestFieldId 6. */
    json_t *file = bucket_json(f, "default.db/t/schema/schema-1");
    assert_int_equal(json_integer_value(json_object_get(file, "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(file, "highestFieldId")), 6);
    json_decref(file);
    oss_client *o = owner_oss(f);
    mc_buf got = MC_BUF_INIT;

    /* Dropping the highest column does not give its id back. */
    OK(alter(f, "t", "[{\"action\":\"dropColumn\",\"fieldNames\":[\"d\"]}]", E));
    OK(alter(f, "t", "[{\"action\":\"addColumn\",\"fieldNames\":[\"e\"],\"dataType\":\"INT\","
                     "\"move\":{\"fieldName\":\"e\",\"type\":\"LAST\"}}]",
             E));
    expect_fields(f, "t", "a:3,id:0,b:4,name:1,c:5,dt:2,e:7");
    OK(oss_client_get(o, f->bucket, "default.db/t/schema/schema-3", 0, -1, &got, E));
    file = json_loadb(got.data, got.len, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(file, "highestFieldId")), 7);
    json_decref(file);
    mc_buf_free(&got);
    oss_client_free(o);

    OK(alter(f, "t", "[{\"action\":\"renameColumn\",\"fieldNames\":[\"id\"],\"newName\":\"key\"},"
                     "{\"action\":\"updateColumnPosition\",\"move\":{\"fieldName\":\"e\",\"type\":\"FIRST\"}},"
                     "{\"action\":\"updateColumnType\",\"fieldNames\":[\"b\"],\"newDataType\":\"DECIMAL(20, 0) NOT NULL\","
                     "\"keepNullability\":true},"
                     "{\"action\":\"updateColumnNullability\",\"fieldNames\":[\"name\"],\"newNullability\":true},"
                     "{\"action\":\"updateColumnComment\",\"fieldNames\":[\"c\"],\"newComment\":\"cc\"},"
                     "{\"action\":\"updateColumnDefaultValue\",\"fieldNames\":[\"c\"],\"newDefaultValue\":\"1.5\"},"
                     "{\"action\":\"setOption\",\"key\":\"k\",\"value\":\"v\"},"
                     "{\"action\":\"updateComment\",\"comment\":\"hello\"}]",
             E));
    expect_fields(f, "t", "e:7,a:3,key:0,b:4,name:1,c:5,dt:2");
    OK(rest_get_table(f->c, "default", "t", &j, E));
    json_t *schema = json_object_get(j, "schema"), *want = json_pack("[s,s]", "key", "dt");
    assert_true(json_equal(json_object_get(schema, "primaryKeys"), want));
    json_decref(want);
    assert_string_equal(json_string_value(json_object_get(field_of(j, "b"), "type")), "DECIMAL(20, 0)");
    assert_string_equal(json_string_value(json_object_get(field_of(j, "name"), "type")), "STRING");
    assert_string_equal(json_string_value(json_object_get(field_of(j, "c"), "description")), "cc");
    assert_string_equal(json_string_value(json_object_get(field_of(j, "c"), "defaultValue")), "1.5");
    assert_string_equal(json_string_value(json_object_get(json_object_get(schema, "options"), "k")), "v");
    assert_string_equal(json_string_value(json_object_get(schema, "comment")), "hello");
    assert_int_equal(json_integer_value(json_object_get(j, "schemaId")), 4);
    json_decref(j);

    /* Refusals change nothing, even when earlier changes of the request were fine. */
    FAILS(alter(f, "t", "[{\"action\":\"setOption\",\"key\":\"k\",\"value\":\"w\"},"
                        "{\"action\":\"dropColumn\",\"fieldNames\":[\"nope\"]}]",
                E),
          404, "COLUMN", "Column nope does not exist in the default.t table.");
    FAILS(alter(f, "t", "[{\"action\":\"addColumn\",\"fieldNames\":[\"a\"],\"dataType\":\"INT\"}]", E), 409,
          "COLUMN", "Column a already exists in the default.t table.");
    FAILS(alter(f, "t", "[{\"action\":\"renameColumn\",\"fieldNames\":[\"a\"],\"newName\":\"b\"}]", E), 409,
          "COLUMN", "Column b already exists in the default.t table.");
    FAILS(alter(f, "t", "[{\"action\":\"addColumn\",\"fieldNames\":[\"z\"],\"dataType\":\"INT\","
                        "\"move\":{\"fieldName\":\"z\",\"referenceFieldName\":\"nope\",\"type\":\"AFTER\"}}]",
                E),
          404, "COLUMN", "Column nope does not exist in the default.t table.");
    FAILS(alter(f, "t", "[{\"action\":\"addColumn\",\"fieldNames\":[\"z\"],\"dataType\":\"INT NOT NULL\"}]", E), 400,
          "COLUMN", "Column z cannot specify NOT NULL in the default.t table.");
    FAILS(alter(f, "t", "[{\"action\":\"dropColumn\",\"fieldNames\":[\"dt\"]}]", E), 400, "COLUMN",
          "Cannot drop partition key or primary key: [dt]");
    FAILS(alter(f, "t", "[{\"action\":\"dropColumn\",\"fieldNames\":[\"key\"]}]", E), 400, "COLUMN",
          "Cannot drop partition key or primary key: [key]");
    FAILS(alter(f, "t", "[{\"action\":\"updateColumnNullability\",\"fieldNames\":[\"a\"],\"newNullability\":false}]",
                E),
          400, "COLUMN",
          "Cannot update column type from nullable to non nullable for a. You can set table configuration option "
          "'alter-column-null-to-not-null.disabled' = 'false' to allow converting null columns to not null");
    FAILS(alter(f, "t", "[{\"action\":\"updateColumnPosition\",\"move\":{\"fieldName\":\"a\","
                        "\"referenceFieldName\":\"a\",\"type\":\"AFTER\"}}]",
                E),
          400, "COLUMN", "Cannot move itself for column a");
    FAILS(alter(f, "t", "[{\"action\":\"renameColumn\",\"fieldNames\":[\"a\",\"x\"],\"newName\":\"y\"}]", E), 404,
          "COLUMN", "Column a.x does not exist in the default.t table.");
    FAILS(alter(f, "nope", "[]", E), 404, "TABLE", "Table default.nope does not exist.");
    OK(rest_get_table(f->c, "default", "t", &j, E));
    assert_int_equal(json_integer_value(json_object_get(j, "schemaId")), 4);
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "schema"), "options"), "k")),
                        "v");
    json_decref(j);

    /* A primary key goes only while the table is empty. */
    OK(alter(f, "t", "[{\"action\":\"dropPrimaryKey\"}]", E));
    FAILS(alter(f, "t", "[{\"action\":\"dropPrimaryKey\"}]", E), 400, "TABLE", "Table default.t has no primary key.");
    create_table(f, "default", "emp", emp_schema());
    char *tid = table_id(f, "default", "emp");
    assert_true(commit(f, "default", "emp", tid, NULL, 1, UUID1, NULL, 2));
    FAILS(alter(f, "emp", "[{\"action\":\"dropPrimaryKey\"}]", E), 400, "TABLE",
          "Cannot drop the primary key of table default.emp: the table has data.");
    free(tid);
}

/* Nested columns: a path through ROW fields, and an ARRAY's element as a step
 * of its own (Java's SchemaManager.NestedColumnModifier). */
static void test_alter_nested_row_columns(void **state)
{
    fx *f = *state;
    json_t *schema = json_loads(
        "{\"fields\":[{\"id\":0,\"name\":\"id\",\"type\":\"INT\"},"
        "{\"id\":1,\"name\":\"r\",\"type\":{\"type\":\"ROW\",\"fields\":[{\"id\":2,\"name\":\"x\",\"type\":\"INT\"},"
        "{\"id\":3,\"name\":\"y\",\"type\":\"STRING\"}]}},"
        "{\"id\":4,\"name\":\"arr\",\"type\":{\"type\":\"ARRAY\",\"element\":{\"type\":\"ROW\",\"fields\":["
        "{\"id\":5,\"name\":\"p\",\"type\":\"INT\"}]}}}],"
        "\"partitionKeys\":[],\"primaryKeys\":[],\"options\":{}}",
        0, NULL);
    create_table(f, "default", "n", schema);
    OK(alter(f, "n", "[{\"action\":\"addColumn\",\"fieldNames\":[\"r\",\"z\"],\"dataType\":\"BIGINT\","
                     "\"move\":{\"fieldName\":\"z\",\"referenceFieldName\":\"x\",\"type\":\"AFTER\"}},"
                     "{\"action\":\"renameColumn\",\"fieldNames\":[\"r\",\"y\"],\"newName\":\"yy\"},"
                     "{\"action\":\"updateColumnType\",\"fieldNames\":[\"r\",\"x\"],\"newDataType\":\"BIGINT\"},"
                     "{\"action\":\"updateColumnComment\",\"fieldNames\":[\"r\",\"yy\"],\"newComment\":\"c\"},"
                     "{\"action\":\"addColumn\",\"fieldNames\":[\"arr\",\"element\",\"q\"],\"dataType\":\"STRING\"},"
                     "{\"action\":\"dropColumn\",\"fieldNames\":[\"r\",\"z\"]}]",
             E));
    json_t *j;
    OK(rest_get_table(f->c, "default", "n", &j, E));
    json_t *fields = json_object_get(json_object_get(j, "schema"), "fields");
    expect_json(json_incref(json_object_get(json_array_get(fields, 1), "type")),
                "{\"type\":\"ROW\",\"fields\":[{\"id\":2,\"name\":\"x\",\"type\":\"BIGINT\"},"
                "{\"id\":3,\"name\":\"yy\",\"type\":\"STRING\",\"description\":\"c\"}]}");
    /* z took 6 (the ARRAY's nested id 5 counts), q 7. */
    expect_json(json_incref(json_object_get(json_array_get(fields, 2), "type")),
                "{\"type\":\"ARRAY\",\"element\":{\"type\":\"ROW\",\"fields\":[{\"id\":5,\"name\":\"p\",\"type\":\"INT\"},"
                "{\"id\":7,\"name\":\"q\",\"type\":\"STRING\"}]}}");
    json_decref(j);
    json_t *file = bucket_json(f, "default.db/n/schema/schema-1");
    assert_int_equal(json_integer_value(json_object_get(file, "highestFieldId")), 7);
    json_decref(file);

    FAILS(alter(f, "n", "[{\"action\":\"dropColumn\",\"fieldNames\":[\"nope\",\"x\"]}]", E), 404, "COLUMN",
          "Column nope does not exist in the default.n table.");
    FAILS(alter(f, "n", "[{\"action\":\"dropColumn\",\"fieldNames\":[\"id\",\"x\"]}]", E), 404, "COLUMN",
          "Column id.x does not exist in the default.n table.");
    FAILS(alter(f, "n", "[{\"action\":\"dropColumn\",\"fieldNames\":[\"r\",\"w\"]}]", E), 404, "COLUMN",
          "Column w does not exist in the default.n table.");
    FAILS(alter(f, "n", "[{\"action\":\"addColumn\",\"fieldNames\":[\"r\",\"x\"],\"dataType\":\"INT\"}]", E), 409,
          "COLUMN", "Column x already exists in the default.n table.");
    FAILS(alter(f, "n", "[{\"action\":\"addColumn\",\"fieldNames\":[\"r\",\"v\"],\"dataType\":\"INT NOT NULL\"}]",
                E),
          400, "COLUMN", "Column r.v cannot specify NOT NULL in the default.n table.");
    FAILS(alter(f, "n", "[{\"action\":\"updateColumnType\",\"fieldNames\":[\"arr\",\"element\"],"
                        "\"newDataType\":\"STRING\"}]",
                E),
          501, "COLUMN",
          "Schema change updateColumnType on arr.element, the element or value type of an ARRAY or MAP column, is "
          "not supported by the mcdlf catalog.");
}

static void test_rollback_schema_restores_an_older_schema(void **state)
{
    fx *f = *state;
    create_table(f, "default", "emp", emp_schema());
    OK(alter(f, "emp", "[{\"action\":\"addColumn\",\"fieldNames\":[\"x\"],\"dataType\":\"INT\"}]", E));
    OK(alter(f, "emp", "[{\"action\":\"addColumn\",\"fieldNames\":[\"y\"],\"dataType\":\"INT\"}]", E));
    const char *segs[] = {"databases", "default", "tables", "emp", "rollback-schema"};
    json_t *body = json_pack("{s:i}", "schemaId", 1);
    OK(rest_catalog_call(f->c, "POST", segs, 5, NULL, 0, body, NULL, E));
    json_decref(body);
    expect_fields(f, "emp", "id:0,name:1,x:2");
    oss_client *o = owner_oss(f);
    mc_buf got = MC_BUF_INIT;
    mc_err err;
    assert_int_equal(oss_client_get(o, f->bucket, "default.db/emp/schema/schema-2", 0, -1, &got, &err), -1);
    assert_int_equal(err.http_status, 404);
    oss_client_free(o);
    body = json_pack("{s:i}", "schemaId", 7);
    FAILS(rest_catalog_call(f->c, "POST", segs, 5, NULL, 0, body, NULL, E), 400, "TABLE", "Schema 7 does not exist.");
    json_decref(body);

    /* A snapshot written with schema 1 keeps it from going back to 0. */
    char *tid = table_id(f, "default", "emp");
    json_t *s = snapshot_json(1, UUID1, 1, 1), *st = stats_json(NULL, 1);
    json_object_set_new(s, "schemaId", json_integer(1));
    bool ok = false;
    OK(rest_commit(f->c, "default", "emp", tid, NULL, s, st, &ok, E));
    assert_true(ok);
    json_decref(s);
    json_decref(st);
    body = json_pack("{s:i}", "schemaId", 0);
    FAILS(rest_catalog_call(f->c, "POST", segs, 5, NULL, 0, body, NULL, E), 400, "TABLE",
          "Cannot rollback to schema 0, snapshot 1 references schema 1.");
    json_decref(body);
    const char *nope[] = {"databases", "default", "tables", "nope", "rollback-schema"};
    body = json_pack("{s:i}", "schemaId", 0);
    FAILS(rest_catalog_call(f->c, "POST", nope, 5, NULL, 0, body, NULL, E), 404, "TABLE",
          "Table default.nope does not exist.");
    json_decref(body);
    free(tid);
}

static int tag_call(fx *f, const char *method, const char *tag, json_t *body, json_t **out, mc_err *err)
{
    const char *segs[] = {"databases", "default", "tables", "emp", "tags", tag};
    int rc = rest_catalog_call(f->c, method, segs, tag ? 6 : 5, NULL, 0, body, out, err);
    json_decref(body);
    return rc;
}

static void test_tags_create_get_list_delete(void **state)
{
    fx *f = *state;
    create_table(f, "default", "emp", emp_schema());
    FAILS(tag_call(f, "POST", NULL, json_pack("{s:s}", "tagName", "t0"), NULL, E), 404, "SNAPSHOT",
          "Table default.emp has no snapshot to tag.");
    char *tid = table_id(f, "default", "emp");
    assert_true(commit(f, "default", "emp", tid, NULL, 1, UUID1, NULL, 2));
    assert_true(commit(f, "default", "emp", tid, UUID1, 2, UUID2, NULL, 3));

    OK(tag_call(f, "POST", NULL, json_pack("{s:s, s:i, s:s}", "tagName", "v1", "snapshotId", 1, "timeRetained", "1d"),
                NULL, E));
    OK(tag_call(f, "POST", NULL, json_pack("{s:s}", "tagName", "v2"), NULL, E)); /* the latest: 2 */
    OK(tag_call(f, "POST", NULL, json_pack("{s:s, s:n}", "tagName", "w", "snapshotId"), NULL, E));
    FAILS(tag_call(f, "POST", NULL, json_pack("{s:s}", "tagName", "v1"), NULL, E), 409, "TAG",
          "Tag v1 of table default.emp already exists.");
    OK(tag_call(f, "POST", NULL, json_pack("{s:s, s:b}", "tagName", "v1", "ignoreIfExists", 1), NULL, E));
    FAILS(tag_call(f, "POST", NULL, json_pack("{s:s, s:i}", "tagName", "x", "snapshotId", 9), NULL, E), 404,
          "SNAPSHOT", "Snapshot 9 of table default.emp does not exist.");
    FAILS(tag_call(f, "POST", NULL, json_pack("{s:s}", "tagName", "123"), NULL, E), 400, "TAG",
          "Tag name cannot be pure numeric string but is '123'.");
    FAILS(tag_call(f, "POST", NULL, json_pack("{s:s, s:s}", "tagName", "x", "timeRetained", "soon"), NULL, E), 400,
          "TAG", "Invalid timeRetained: soon (a number and a unit, as \"1d\" or \"12h\").");

    json_t *g;
    OK(tag_call(f, "GET", "v1", NULL, &g, E));
    assert_string_equal(json_string_value(json_object_get(g, "tagName")), "v1");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(g, "snapshot"), "id")), 1);
    assert_string_equal(json_string_value(json_object_get(g, "tagTimeRetained")), "1d");
    assert_true(json_integer_value(json_object_get(g, "tagCreateTime")) > 0);
    json_decref(g);
    FAILS(tag_call(f, "GET", "nope", NULL, &g, E), 404, "TAG", "Tag nope of table default.emp does not exist.");

    /* The tag file is the snapshot's JSON, as Java's TagManager writes it. */
    oss_client *o = owner_oss(f);
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(o, f->bucket, "default.db/emp/tag/tag-v1", 0, -1, &got, E));
    json_t *file = json_loadb(got.data, got.len, 0, NULL), *sent = snapshot_json(1, UUID1, 2, 2);
    assert_true(json_equal(file, sent));
    json_decref(file);
    json_decref(sent);
    mc_buf_free(&got);

    /* A tag name reads as a snapshot version (§6). */
    const char *ver[] = {"databases", "default", "tables", "emp", "snapshots", "v2"};
    OK(rest_catalog_call(f->c, "GET", ver, 6, NULL, 0, NULL, &g, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(g, "snapshot"), "id")), 2);
    json_decref(g);

    mc_query_param q[] = {{"tagNamePrefix", "v", true}, {"maxResults", "1", true}};
    OK(rest_catalog_call(f->c, "GET", (const char *[]){"databases", "default", "tables", "emp", "tags"}, 5, q, 2, NULL,
                         &g, E));
    json_t *want = json_pack("[s]", "v1");
    assert_true(json_equal(json_object_get(g, "tags"), want));
    assert_string_equal(json_string_value(json_object_get(g, "nextPageToken")), "v1");
    json_decref(want);
    json_decref(g);
    mc_query_param q2[] = {{"tagNamePrefix", "v", true}, {"pageToken", "v1", true}};
    OK(rest_catalog_call(f->c, "GET", (const char *[]){"databases", "default", "tables", "emp", "tags"}, 5, q2, 2,
                         NULL, &g, E));
    want = json_pack("[s]", "v2");
    assert_true(json_equal(json_object_get(g, "tags"), want));
    assert_true(json_is_null(json_object_get(g, "nextPageToken")));
    json_decref(want);
    json_decref(g);

    OK(tag_call(f, "DELETE", "w", NULL, NULL, E));
    FAILS(tag_call(f, "DELETE", "w", NULL, NULL, E), 404, "TAG", "Tag w of table default.emp does not exist.");
    mc_err err;
    assert_int_equal(oss_client_get(o, f->bucket, "default.db/emp/tag/tag-w", 0, -1, &got, &err), -1);
    assert_int_equal(err.http_status, 404);
    oss_client_free(o);
    free(tid);
}

static int rollback(fx *f, const char *t, json_t *body, mc_err *err)
{
    const char *segs[] = {"databases", "default", "tables", t, "rollback"};
    int rc = rest_catalog_call(f->c, "POST", segs, 5, NULL, 0, body, NULL, err);
    json_decref(body);
    return rc;
}

static void test_rollback_to_snapshot_and_tag(void **state)
{
    fx *f = *state;
    static const char *const fields[] = {"id:INT", "dt:STRING"};
    create_table(f, "default", "pt", schema_of(fields, 2, json_pack("[s]", "dt"), NULL, NULL));
    char *tid = table_id(f, "default", "pt");
    assert_true(commit(f, "default", "pt", tid, NULL, 1, UUID1, json_pack("{s:s}", "dt", "a"), 2));
    assert_true(commit(f, "default", "pt", tid, UUID1, 2, UUID2, json_pack("{s:s}", "dt", "b"), 3));
    const char *tags[] = {"databases", "default", "tables", "pt", "tags"};
    json_t *body = json_pack("{s:s, s:i}", "tagName", "one", "snapshotId", 1);
    OK(rest_catalog_call(f->c, "POST", tags, 5, NULL, 0, body, NULL, E));
    json_decref(body);
    body = json_pack("{s:s, s:i}", "tagName", "two", "snapshotId", 2);
    OK(rest_catalog_call(f->c, "POST", tags, 5, NULL, 0, body, NULL, E));
    json_decref(body);
    assert_true(commit(f, "default", "pt", tid, UUID2, 3, UUID3, json_pack("{s:s}", "dt", "b"), 4));

    FAILS(rollback(f, "pt", json_pack("{s:{s:s, s:i}}", "instant", "type", "snapshot", "snapshotId", 7), E), 404,
          "SNAPSHOT", "Snapshot 7 of table default.pt does not exist.");
    FAILS(rollback(f, "pt", json_pack("{s:{s:s, s:s}}", "instant", "type", "tag", "tagName", "nope"), E), 404, "TAG",
          "Tag nope of table default.pt does not exist.");
    FAILS(rollback(f, "nope", json_pack("{s:{s:s, s:i}}", "instant", "type", "snapshot", "snapshotId", 1), E), 404,
          "TABLE", "Table default.nope does not exist.");
    FAILS(rollback(f, "pt", json_pack("{s:{s:s, s:i}, s:i}", "instant", "type", "snapshot", "snapshotId", 2,
                                      "fromSnapshot", 2),
                   E),
          500, "TABLE", "Server error: Latest snapshot 3 is not 2");

    OK(rollback(f, "pt", json_pack("{s:{s:s, s:i}, s:i}", "instant", "type", "snapshot", "snapshotId", 2,
                                   "fromSnapshot", 3),
                E));
    json_t *latest;
    OK(rest_latest_snapshot(f->c, "default", "pt", &latest, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(latest, "snapshot"), "id")), 2);
    assert_int_equal(json_integer_value(json_object_get(latest, "recordCount")), 5);
    assert_int_equal(json_integer_value(json_object_get(latest, "fileCount")), 2);
    json_decref(latest);
    oss_client *o = owner_oss(f);
    expect_object(o, f->bucket, "default.db/pt/snapshot/LATEST", "2");
    mc_buf got = MC_BUF_INIT;
    mc_err err;
    assert_int_equal(oss_client_get(o, f->bucket, "default.db/pt/snapshot/snapshot-3", 0, -1, &got, &err), -1);
    assert_int_equal(err.http_status, 404);

    /* Back to the tag: snapshot 2, its tag, and partition b go. */
    OK(rollback(f, "pt", json_pack("{s:{s:s, s:s}}", "instant", "type", "tag", "tagName", "one"), E));
    OK(rest_latest_snapshot(f->c, "default", "pt", &latest, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(latest, "snapshot"), "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(latest, "recordCount")), 2);
    json_decref(latest);
    expect_object(o, f->bucket, "default.db/pt/snapshot/LATEST", "1");
    json_t *g;
    FAILS(rest_catalog_call(f->c, "GET", (const char *[]){"databases", "default", "tables", "pt", "tags", "two"}, 6,
                            NULL, 0, NULL, &g, E),
          404, "TAG", "Tag two of table default.pt does not exist.");
    const char *parts[] = {"databases", "default", "tables", "pt", "partitions"};
    OK(rest_catalog_call(f->c, "GET", parts, 5, NULL, 0, NULL, &g, E));
    assert_int_equal(json_array_size(json_object_get(g, "partitions")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(g, "partitions"), 0), "spec"), "dt")),
        "a");
    json_decref(g);
    /* And commits go on from snapshot 1. */
    assert_true(commit(f, "default", "pt", tid, UUID1, 2, UUID3, NULL, 1));
    oss_client_free(o);
    free(tid);
}

static int part_call(fx *f, const char *t, const char *what, json_t *body, json_t **out, mc_err *err)
{
    const char *segs[] = {"databases", "default", "tables", t, "partitions", what};
    int rc = rest_catalog_call(f->c, "POST", segs, what ? 6 : 5, NULL, 0, body, out, err);
    json_decref(body);
    return rc;
}

static void test_partitions_create_drop_mark_list_by_names(void **state)
{
    fx *f = *state;
    static const char *const fields[] = {"id:INT", "dt:STRING", "hr:STRING"};
    create_table(f, "default", "pt", schema_of(fields, 3, json_pack("[s,s]", "dt", "hr"), NULL, NULL));
    json_t *r;
    OK(part_call(f, "pt", NULL,
                 json_pack("{s:[{s:s,s:s},{s:s,s:s}], s:[{s:{s:s,s:s}, s:i, s:i, s:i, s:i, s:i}], s:b}",
                           "partitionSpecs", "hr", "01", "dt", "d1", "dt", "d2", "hr", "02", "partitionStatistics",
                           "spec", "dt", "d2", "hr", "02", "recordCount", 10, "fileSizeInBytes", 100, "fileCount", 2,
                           "lastFileCreationTime", 7, "totalBuckets", -1, "replaceStatistics", 0),
                 &r, E));
    json_t *want = json_pack("[{s:s,s:s},{s:s,s:s}]", "dt", "d1", "hr", "01", "dt", "d2", "hr", "02");
    assert_true(json_equal(json_object_get(r, "created"), want));
    assert_int_equal(json_array_size(json_object_get(r, "existed")), 0);
    json_decref(want);
    json_decref(r);

    /* Again: they exist; statistics add. */
    OK(part_call(f, "pt", NULL,
                 json_pack("{s:[{s:s,s:s}], s:[{s:{s:s,s:s}, s:i, s:i, s:i, s:i}], s:b}", "partitionSpecs", "dt",
                           "d2", "hr", "02", "partitionStatistics", "spec", "dt", "d2", "hr", "02", "recordCount", 5,
                           "fileSizeInBytes", -1, "fileCount", 1, "lastFileCreationTime", 3, "replaceStatistics", 0),
                 &r, E));
    assert_int_equal(json_array_size(json_object_get(r, "existed")), 1);
    json_decref(r);
    FAILS(part_call(f, "pt", NULL, json_pack("{s:[{s:s,s:s}], s:b}", "partitionSpecs", "dt", "d1", "hr", "01",
                                             "ignoreIfExists", 0),
                    &r, E),
          409, "PARTITION", "Partition dt=d1/hr=01 of table default.pt already exists.");
    FAILS(part_call(f, "pt", NULL, json_pack("{s:[{s:s}]}", "partitionSpecs", "dt", "d1"), &r, E), 400, "PARTITION",
          "Partition spec {\"dt\":\"d1\"} does not match the partition keys [\"dt\",\"hr\"] of table default.pt.");
    FAILS(part_call(f, "nope", NULL, json_pack("{s:[]}", "partitionSpecs"), &r, E), 404, "TABLE",
          "Table default.nope does not exist.");

    OK(part_call(f, "pt", "mark", json_pack("{s:[{s:s,s:s}]}", "specs", "dt", "d2", "hr", "02"), NULL, E));
    OK(part_call(f, "pt", "list-by-names",
                 json_pack("{s:[{s:s,s:s},{s:s,s:s}]}", "specs", "dt", "d2", "hr", "02", "dt", "d9", "hr", "00"), &r,
                 E));
    json_t *parts = json_object_get(r, "partitions");
    assert_int_equal(json_array_size(parts), 1);
    json_t *p = json_array_get(parts, 0);
    assert_int_equal(json_integer_value(json_object_get(p, "recordCount")), 15);
    assert_int_equal(json_integer_value(json_object_get(p, "fileSizeInBytes")), 100);
    assert_int_equal(json_integer_value(json_object_get(p, "fileCount")), 3);
    assert_int_equal(json_integer_value(json_object_get(p, "lastFileCreationTime")), 7);
    assert_true(json_is_true(json_object_get(p, "done")));
    json_decref(r);

    OK(part_call(f, "pt", "drop",
                 json_pack("{s:[{s:s,s:s},{s:s,s:s}]}", "partitionSpecs", "dt", "d1", "hr", "01", "dt", "d9", "hr", "00"),
                 &r, E));
    want = json_pack("{s:[{s:s,s:s}], s:[{s:s,s:s}]}", "dropped", "dt", "d1", "hr", "01", "missing", "dt", "d9", "hr",
                     "00");
    assert_true(json_equal(r, want));
    json_decref(want);
    json_decref(r);
    FAILS(part_call(f, "pt", "drop", json_pack("{s:[{s:s,s:s}], s:b}", "partitionSpecs", "dt", "d1", "hr", "01",
                                               "ignoreIfNotExists", 0),
                    &r, E),
          404, "PARTITION", "Partition dt=d1/hr=01 of table default.pt does not exist.");
    const char *list[] = {"databases", "default", "tables", "pt", "partitions"};
    OK(rest_catalog_call(f->c, "GET", list, 5, NULL, 0, NULL, &r, E));
    assert_int_equal(json_array_size(json_object_get(r, "partitions")), 1);
    json_decref(r);
}

/* ---- views, functions, global lists --------------------------------------------- */

static void test_views_create_get_list_alter_rename_drop(void **state)
{
    fx *f = *state;
    const char *views[] = {"databases", "default", "views"};
    json_t *body = json_pack("{s:{s:s, s:s}, s:{s:[{s:i, s:s, s:s}], s:s, s:{s:s}, s:s, s:{}}}", "identifier",
                             "database", "default", "object", "v1", "schema", "fields", "id", 0, "name", "a", "type",
                             "INT", "query", "SELECT 1 AS a", "dialects", "spark", "SELECT 1 AS a", "comment", "c",
                             "options");
    OK(rest_catalog_call(f->c, "POST", views, 3, NULL, 0, body, NULL, E));
    FAILS(rest_catalog_call(f->c, "POST", views, 3, NULL, 0, body, NULL, E), 409, "VIEW",
          "View default.v1 already exists.");
    const char *nodb[] = {"databases", "nodb", "views"};
    FAILS(rest_catalog_call(f->c, "POST", nodb, 3, NULL, 0, body, NULL, E), 404, "DATABASE",
          "Database nodb does not exist.");
    json_object_set_new(json_object_get(body, "identifier"), "object", json_string("v2"));
    json_object_del(json_object_get(body, "schema"), "query");
    FAILS(rest_catalog_call(f->c, "POST", views, 3, NULL, 0, body, NULL, E), 400, "VIEW", "A view needs its query.");
    json_decref(body);

    const char *v1[] = {"databases", "default", "views", "v1"};
    json_t *v;
    OK(rest_catalog_call(f->c, "GET", v1, 4, NULL, 0, NULL, &v, E));
    assert_true(is_uuid(json_string_value(json_object_get(v, "id"))));
    assert_string_equal(json_string_value(json_object_get(v, "name")), "v1");
    json_t *schema = json_object_get(v, "schema");
    assert_string_equal(json_string_value(json_object_get(schema, "query")), "SELECT 1 AS a");
    assert_string_equal(json_string_value(json_object_get(json_object_get(schema, "dialects"), "spark")),
                        "SELECT 1 AS a");
    json_decref(v);
    const char *nope[] = {"databases", "default", "views", "nope"};
    FAILS(rest_catalog_call(f->c, "GET", nope, 4, NULL, 0, NULL, &v, E), 404, "VIEW",
          "View default.nope does not exist.");

    body = json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s}]}", "changes",
                     "action", "addDialect", "dialect", "flink", "query", "SELECT 2", "action", "updateDialect",
                     "dialect", "spark", "query", "SELECT 3", "action", "dropDialect", "dialect", "flink", "action",
                     "setOption", "key", "k", "value", "v", "action", "updateComment", "comment", "new");
    OK(rest_catalog_call(f->c, "POST", v1, 4, NULL, 0, body, NULL, E));
    json_decref(body);
    OK(rest_catalog_call(f->c, "GET", v1, 4, NULL, 0, NULL, &v, E));
    schema = json_object_get(v, "schema");
    json_t *want = json_pack("{s:s}", "spark", "SELECT 3");
    assert_true(json_equal(json_object_get(schema, "dialects"), want));
    json_decref(want);
    assert_string_equal(json_string_value(json_object_get(json_object_get(schema, "options"), "k")), "v");
    assert_string_equal(json_string_value(json_object_get(schema, "comment")), "new");
    json_decref(v);
    body = json_pack("{s:[{s:s, s:s, s:s}]}", "changes", "action", "addDialect", "dialect", "spark", "query", "x");
    FAILS(rest_catalog_call(f->c, "POST", v1, 4, NULL, 0, body, NULL, E), 409, "DIALECT",
          "Dialect spark in view default.v1 already exists.");
    json_decref(body);
    body = json_pack("{s:[{s:s, s:s}]}", "changes", "action", "dropDialect", "dialect", "hive");
    FAILS(rest_catalog_call(f->c, "POST", v1, 4, NULL, 0, body, NULL, E), 404, "DIALECT",
          "Dialect hive in view default.v1 does not exist.");
    json_decref(body);

    json_t *l;
    OK(rest_catalog_call(f->c, "GET", views, 3, NULL, 0, NULL, &l, E));
    want = json_pack("[s]", "v1");
    assert_true(json_equal(json_object_get(l, "views"), want));
    json_decref(want);
    json_decref(l);
    const char *details[] = {"databases", "default", "view-details"};
    OK(rest_catalog_call(f->c, "GET", details, 3, NULL, 0, NULL, &l, E));
    assert_int_equal(json_array_size(json_object_get(l, "viewDetails")), 1);
    json_decref(l);

    OK(rest_create_database(f->c, "db2", NULL, E));
    const char *rename[] = {"views", "rename"};
    body = rename_req("default", "v1", "db2", "w");
    OK(rest_catalog_call(f->c, "POST", rename, 2, NULL, 0, body, NULL, E));
    FAILS(rest_catalog_call(f->c, "POST", rename, 2, NULL, 0, body, NULL, E), 404, "VIEW",
          "View default.v1 does not exist.");
    json_decref(body);
    const char *w[] = {"databases", "db2", "views", "w"};
    OK(rest_catalog_call(f->c, "GET", w, 4, NULL, 0, NULL, &v, E));
    json_decref(v);

    const char *global[] = {"views"};
    OK(rest_catalog_call(f->c, "GET", global, 1, NULL, 0, NULL, &l, E));
    want = json_pack("[{s:s, s:s}]", "database", "db2", "object", "w");
    assert_true(json_equal(json_object_get(l, "views"), want));
    json_decref(want);
    json_decref(l);

    OK(rest_catalog_call(f->c, "DELETE", w, 4, NULL, 0, NULL, NULL, E));
    FAILS(rest_catalog_call(f->c, "DELETE", w, 4, NULL, 0, NULL, NULL, E), 404, "VIEW", "View db2.w does not exist.");
}

static void test_functions_create_get_list_alter_drop(void **state)
{
    fx *f = *state;
    const char *fns[] = {"databases", "default", "functions"};
    json_t *body = json_pack("{s:s, s:[{s:i, s:s, s:s}], s:[{s:i, s:s, s:s}], s:b, s:{s:{s:s, s:s}}, s:s, s:{}}",
                             "name", "plus1", "inputParams", "id", 0, "name", "x", "type", "INT", "returnParams", "id",
                             0, "name", "r", "type", "INT", "deterministic", 1, "definitions", "sql", "type", "sql",
                             "definition", "x + 1", "comment", "adds one", "options");
    OK(rest_catalog_call(f->c, "POST", fns, 3, NULL, 0, body, NULL, E));
    FAILS(rest_catalog_call(f->c, "POST", fns, 3, NULL, 0, body, NULL, E), 409, "FUNCTION",
          "Function default.plus1 already exists.");
    json_object_set_new(body, "name", json_string("12"));
    FAILS(rest_catalog_call(f->c, "POST", fns, 3, NULL, 0, body, NULL, E), 400, "FUNCTION",
          "Invalid function name: 12");
    json_decref(body);

    const char *fn[] = {"databases", "default", "functions", "plus1"};
    json_t *g;
    OK(rest_catalog_call(f->c, "GET", fn, 4, NULL, 0, NULL, &g, E));
    assert_true(is_uuid(json_string_value(json_object_get(g, "uuid"))));
    assert_string_equal(json_string_value(json_object_get(g, "name")), "plus1");
    assert_true(json_is_true(json_object_get(g, "deterministic")));
    assert_string_equal(json_string_value(json_object_get(g, "comment")), "adds one");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_object_get(g, "definitions"), "sql"), "definition")),
        "x + 1");
    json_decref(g);
    const char *nope[] = {"databases", "default", "functions", "nope"};
    FAILS(rest_catalog_call(f->c, "GET", nope, 4, NULL, 0, NULL, &g, E), 404, "FUNCTION",
          "Function default.nope does not exist.");

    body = json_pack("{s:[{s:s, s:s, s:{s:s, s:s, s:s}}, {s:s, s:s}, {s:s, s:s, s:s}]}", "changes", "action",
                     "addDefinition", "name", "py", "definition", "type", "lambda", "definition", "lambda x: x + 1",
                     "language", "python", "action", "dropDefinition", "name", "sql", "action", "setOption", "key",
                     "k", "value", "v");
    OK(rest_catalog_call(f->c, "POST", fn, 4, NULL, 0, body, NULL, E));
    json_decref(body);
    OK(rest_catalog_call(f->c, "GET", fn, 4, NULL, 0, NULL, &g, E));
    assert_null(json_object_get(json_object_get(g, "definitions"), "sql"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_object_get(g, "definitions"), "py"), "language")),
        "python");
    json_decref(g);
    body = json_pack("{s:[{s:s, s:s, s:{s:s, s:s}}]}", "changes", "action", "updateDefinition", "name", "sql",
                     "definition", "type", "sql", "definition", "x");
    FAILS(rest_catalog_call(f->c, "POST", fn, 4, NULL, 0, body, NULL, E), 404, "DEFINITION",
          "Definition sql in function default.plus1 does not exist.");
    json_decref(body);
    body = json_pack("{s:[{s:s, s:s, s:{s:s, s:s}}]}", "changes", "action", "addDefinition", "name", "py",
                     "definition", "type", "sql", "definition", "x");
    FAILS(rest_catalog_call(f->c, "POST", fn, 4, NULL, 0, body, NULL, E), 409, "DEFINITION",
          "Definition py in function default.plus1 already exists.");
    json_decref(body);

    json_t *l;
    OK(rest_catalog_call(f->c, "GET", fns, 3, NULL, 0, NULL, &l, E));
    json_t *want = json_pack("[s]", "plus1");
    assert_true(json_equal(json_object_get(l, "functions"), want));
    json_decref(want);
    json_decref(l);
    const char *details[] = {"databases", "default", "function-details"};
    OK(rest_catalog_call(f->c, "GET", details, 3, NULL, 0, NULL, &l, E));
    assert_int_equal(json_array_size(json_object_get(l, "functionDetails")), 1);
    json_decref(l);
    const char *global[] = {"functions"};
    mc_query_param q = {"functionNamePattern", "plus%", true};
    OK(rest_catalog_call(f->c, "GET", global, 1, &q, 1, NULL, &l, E));
    want = json_pack("[{s:s, s:s}]", "database", "default", "object", "plus1");
    assert_true(json_equal(json_object_get(l, "functions"), want));
    json_decref(want);
    json_decref(l);

    OK(rest_catalog_call(f->c, "DELETE", fn, 4, NULL, 0, NULL, NULL, E));
    FAILS(rest_catalog_call(f->c, "DELETE", fn, 4, NULL, 0, NULL, NULL, E), 404, "FUNCTION",
          "Function default.plus1 does not exist.");
}

static void test_tables_list_globally_pages_by_database_and_name(void **state)
{
    fx *f = *state;
    OK(rest_create_database(f->c, "a", NULL, E));
    OK(rest_create_database(f->c, "b", NULL, E));
    create_table(f, "a", "t1", emp_schema());
    create_table(f, "a", "x", emp_schema());
    create_table(f, "b", "t2", emp_schema());
    create_table(f, "default", "t3", emp_schema());
    const char *segs[] = {"tables"};
    json_t *l;
    mc_query_param q[] = {{"tableNamePattern", "t%", true}, {"maxResults", "2", true}};
    OK(rest_catalog_call(f->c, "GET", segs, 1, q, 2, NULL, &l, E));
    json_t *want = json_pack("[{s:s, s:s}, {s:s, s:s}]", "database", "a", "object", "t1", "database", "b", "object", "t2");
    assert_true(json_equal(json_object_get(l, "tables"), want));
    assert_string_equal(json_string_value(json_object_get(l, "nextPageToken")), "b.t2");
    json_decref(want);
    json_decref(l);
    mc_query_param q2[] = {{"tableNamePattern", "t%", true}, {"pageToken", "b.t2", true}};
    OK(rest_catalog_call(f->c, "GET", segs, 1, q2, 2, NULL, &l, E));
    want = json_pack("[{s:s, s:s}]", "database", "default", "object", "t3");
    assert_true(json_equal(json_object_get(l, "tables"), want));
    assert_true(json_is_null(json_object_get(l, "nextPageToken")));
    json_decref(want);
    json_decref(l);
    mc_query_param q3[] = {{"databaseNamePattern", "a", true}};
    OK(rest_catalog_call(f->c, "GET", segs, 1, q3, 1, NULL, &l, E));
    want = json_pack("[{s:s, s:s}, {s:s, s:s}]", "database", "a", "object", "t1", "database", "a", "object", "x");
    assert_true(json_equal(json_object_get(l, "tables"), want));
    json_decref(want);
    json_decref(l);
    mc_query_param bad[] = {{"tableNamePattern", "a%b", true}};
    FAILS(rest_catalog_call(f->c, "GET", segs, 1, bad, 1, NULL, &l, E), 400, "",
          "Can only support prefix sql like pattern query now.");
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
    assert_string_equal(tok.endpoint, test_emu_endpoint(f->te, "oss"));
    assert_string_equal(tok.region, test_emu_region(f->te));
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
    const char *branches[] = {"databases", "keep", "tables", "t", "branches"};
    json_t *b = json_pack("{s:s}", "branch", "b1");
    OK(rest_catalog_call(f->c, "POST", branches, 5, NULL, 0, b, NULL, E));
    json_decref(b);
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
    /* Branches are kept too. */
    OK(rest_catalog_call(f->c, "GET", branches, 5, NULL, 0, NULL, &b, E));
    expect_json(b, "{\"branches\": [\"b1\"]}");
    OK(rest_get_table(f->c, "keep", "t$branch_b1", &b, E));
    assert_int_equal(json_integer_value(json_object_get(b, "schemaId")), 0);
    json_decref(b);
    /* And the table goes on from there. */
    assert_true(commit(f, "keep", "t", tid, UUID1, 2, UUID2, NULL, 1));
    json_decref(before_table);
    json_decref(before_snap);
    json_decref(after_table);
    json_decref(after_snap);
    free(tid);
}

/* ---- branches, consumers, list-by-filter, auth, register ------------------------ */

/* One call below .../databases/default/tables/{t}/; subs end at the first NULL. body is taken. */
static int tcall(fx *f, const char *method, const char *t, const char *s1, const char *s2, const char *s3,
                 json_t *body, json_t **out, mc_err *err)
{
    const char *segs[] = {"databases", "default", "tables", t, s1, s2, s3};
    size_t n = 4;
    while (n < 7 && segs[n])
        n++;
    int rc = rest_catalog_call(f->c, method, segs, n, NULL, 0, body, out, err);
    json_decref(body);
    return rc;
}

static void expect_same_object(oss_client *o, const char *bucket, const char *a, const char *b)
{
    mc_buf x = MC_BUF_INIT, y = MC_BUF_INIT;
    OK(oss_client_get(o, bucket, a, 0, -1, &x, E));
    OK(oss_client_get(o, bucket, b, 0, -1, &y, E));
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    mc_buf_free(&x);
    mc_buf_free(&y);
}

static void expect_exists(oss_client *o, const char *bucket, const char *key)
{
    oss_client_head_info h;
    OK(oss_client_head(o, bucket, key, &h, E));
    assert_true(h.size > 0);
}

static void expect_no_object(oss_client *o, const char *bucket, const char *key)
{
    mc_buf got = MC_BUF_INIT;
    mc_err err;
    assert_int_equal(oss_client_get(o, bucket, key, 0, -1, &got, &err), -1);
    assert_int_equal(err.http_status, 404);
    mc_buf_free(&got);
}

/* Tests that make users and grants through the in-process emulator skip
 * against a serve process, before they allocate anything. */
#define IN_PROCESS_ONLY(f)                                                                                         \
    do {                                                                                                           \
        if (!(f)->emu)                                                                                             \
            skip();                                                                                                \
    } while (0)

static int open_as_key(fx *f, const emulator_key *k, rest_catalog **out, mc_err *err)
{
    rest_catalog_config cfg = {
        .uri = test_emu_endpoint(f->te, "dlf"),
        .warehouse = "mcdlf",
        .region = test_emu_region(f->te),
        .access_key_id = k->id,
        .access_key_secret = k->secret,
    };
    return rest_catalog_open(out, &cfg, err);
}

static void attach_policy(fx *f, const char *user, const char *policy)
{
    char *argv[] = {"ram", "attach-policy", (char *)user, (char *)policy}, *out;
    OK(emulator_console(f->emu, NULL, 4, argv, &out, E));
    free(out);
}

/* A catalog client as RAM user `user` with AliyunDLFFullAccess, holding the
 * given DLF privileges on table default.<table>. */
static rest_catalog *user_catalog(fx *f, const char *user, const char *table, const char *const *privs, size_t n)
{
    assert_non_null(f->emu); /* callers are IN_PROCESS_ONLY */
    emulator_key k;
    OK(emulator_ram_user_key(f->emu, user, 1, &k, E));
    attach_policy(f, user, "AliyunDLFFullAccess"); /* DLF's RAM layer passes; the data grants decide */
    for (size_t i = 0; i < n; i++)
        OK(emulator_dlf_grant(f->emu, user, privs[i], "mcdlf", "default", table, 0, E));
    rest_catalog *c;
    OK(open_as_key(f, &k, &c, E));
    return c;
}

static char *forbidden(fx *f, const char *user, const char *priv, const char *what)
{
    emulator_key k;
    OK(emulator_ram_user_key(f->emu, user, 0, &k, E));
    return mc_asprintf("Forbidden: User %s doesn't have privilege %s on %s", k.arn, priv, what);
}

/* Table emp with snapshots 1 (UUID1, 2 records) and 2 (UUID2, 3 records), tag v1 on 1; its id. */
static char *emp_with_history(fx *f)
{
    create_table(f, "default", "emp", emp_schema());
    char *tid = table_id(f, "default", "emp");
    assert_true(commit(f, "default", "emp", tid, NULL, 1, UUID1, NULL, 2));
    assert_true(commit(f, "default", "emp", tid, UUID1, 2, UUID2, NULL, 3));
    OK(tcall(f, "POST", "emp", "tags", NULL, NULL, json_pack("{s:s, s:i}", "tagName", "v1", "snapshotId", 1), NULL,
             E));
    return tid;
}

static void test_branches_create_commit_alter_forward_rename_drop(void **state)
{
    fx *f = *state;
    IN_PROCESS_ONLY(f);
    char *tid = emp_with_history(f);
    json_t *r;
    OK(tcall(f, "GET", "emp", "branches", NULL, NULL, NULL, &r, E));
    expect_json(r, "{\"branches\": []}");

    /* Without a tag: the current schema, no snapshot. From a tag: its snapshot. */
    OK(tcall(f, "POST", "emp", "branches", NULL, NULL, json_pack("{s:s}", "branch", "b1"), NULL, E));
    OK(tcall(f, "POST", "emp", "branches", NULL, NULL, json_pack("{s:s, s:s}", "branch", "b2", "fromTag", "v1"),
             NULL, E));
    FAILS(tcall(f, "POST", "emp", "branches", NULL, NULL, json_pack("{s:s}", "branch", "b1"), NULL, E), 409, "BRANCH",
          "Branch name 'b1' already exists.");
    FAILS(tcall(f, "POST", "emp", "branches", NULL, NULL, json_pack("{s:s, s:s}", "branch", "b3", "fromTag", "nope"),
                NULL, E),
          404, "TAG", "Tag nope of table default.emp does not exist.");
    FAILS(tcall(f, "POST", "emp", "branches", NULL, NULL, json_pack("{s:s}", "branch", "main"), NULL, E), 400,
          "BRANCH", "Branch name 'main' is the default branch and cannot be used.");
    FAILS(tcall(f, "POST", "emp", "branches", NULL, NULL, json_pack("{s:s}", "branch", "42"), NULL, E), 400, "BRANCH",
          "Branch name cannot be pure numeric string but is '42'.");
    FAILS(tcall(f, "POST", "nope", "branches", NULL, NULL, json_pack("{s:s}", "branch", "b"), NULL, E), 404, "TABLE",
          "Table default.nope does not exist.");
    OK(tcall(f, "GET", "emp", "branches", NULL, NULL, NULL, &r, E));
    expect_json(r, "{\"branches\": [\"b1\", \"b2\"]}");

    /* Files where Java's FileSystemBranchManager puts them. */
    oss_client *o = owner_oss(f);
    expect_same_object(o, f->bucket, "default.db/emp/schema/schema-0", "default.db/emp/branch/branch-b1/schema/schema-0");
    expect_same_object(o, f->bucket, "default.db/emp/schema/schema-0", "default.db/emp/branch/branch-b2/schema/schema-0");
    expect_same_object(o, f->bucket, "default.db/emp/snapshot/snapshot-1",
                       "default.db/emp/branch/branch-b2/snapshot/snapshot-1");
    expect_same_object(o, f->bucket, "default.db/emp/tag/tag-v1", "default.db/emp/branch/branch-b2/tag/tag-v1");
    expect_no_object(o, f->bucket, "default.db/emp/branch/branch-b1/snapshot/snapshot-1");

    /* The branch is the table `emp$branch_b2` everywhere else. */
    OK(rest_get_table(f->c, "default", "emp$branch_b2", &r, E));
    assert_string_equal(json_string_value(json_object_get(r, "name")), "emp$branch_b2");
    assert_string_equal(json_string_value(json_object_get(r, "id")), tid);
    assert_int_equal(json_integer_value(json_object_get(r, "schemaId")), 0);
    json_decref(r);
    FAILS(rest_get_table(f->c, "default", "emp$branch_b9", &r, E), 404, "TABLE",
          "Table default.emp$branch_b9 does not exist.");
    OK(rest_latest_snapshot(f->c, "default", "emp$branch_b2", &r, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "snapshot"), "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(r, "recordCount")), 2);
    json_decref(r);
    OK(rest_latest_snapshot(f->c, "default", "emp$branch_b1", &r, E));
    assert_null(r);

    /* Commits and alters on the branch land under branch/branch-b2/ and leave main alone. */
    assert_false(commit(f, "default", "emp$branch_b2", tid, UUID2, 2, UUID3, NULL, 5));
    assert_true(commit(f, "default", "emp$branch_b2", tid, UUID1, 2, UUID3, NULL, 5));
    expect_object(o, f->bucket, "default.db/emp/branch/branch-b2/snapshot/LATEST", "2");
    expect_object(o, f->bucket, "default.db/emp/snapshot/LATEST", "2");
    OK(tcall(f, "POST", "emp$branch_b2", NULL, NULL, NULL,
             json_pack("{s:[{s:s, s:[s], s:s}]}", "changes", "action", "addColumn", "fieldNames", "age", "dataType",
                       "INT"),
             NULL, E));
    expect_exists(o, f->bucket, "default.db/emp/branch/branch-b2/schema/schema-1");
    expect_no_object(o, f->bucket, "default.db/emp/schema/schema-1");
    OK(rest_get_table(f->c, "default", "emp", &r, E));
    assert_int_equal(json_integer_value(json_object_get(r, "schemaId")), 0);
    json_decref(r);
    OK(rest_latest_snapshot(f->c, "default", "emp", &r, E));
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "snapshot"), "uuid")), UUID2);
    json_decref(r);

    /* Fast-forward: main takes the branch's history from its earliest snapshot on. */
    FAILS(tcall(f, "POST", "emp", "branches", "b1", "forward", json_object(), NULL, E), 400, "BRANCH",
          "Cannot fast forward branch b1, because it does not have snapshot.");
    FAILS(tcall(f, "POST", "emp", "branches", "nope", "forward", json_object(), NULL, E), 404, "BRANCH",
          "Branch name 'nope' doesn't exist.");
    OK(tcall(f, "POST", "emp", "branches", "b2", "forward", json_object(), NULL, E));
    OK(rest_latest_snapshot(f->c, "default", "emp", &r, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "snapshot"), "id")), 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "snapshot"), "uuid")), UUID3);
    assert_int_equal(json_integer_value(json_object_get(r, "recordCount")), 7);
    json_decref(r);
    OK(rest_get_table(f->c, "default", "emp", &r, E));
    assert_int_equal(json_integer_value(json_object_get(r, "schemaId")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(json_object_get(r, "schema"), "fields"), 2),
                                          "name")),
        "age");
    json_decref(r);
    expect_same_object(o, f->bucket, "default.db/emp/snapshot/snapshot-2",
                       "default.db/emp/branch/branch-b2/snapshot/snapshot-2");
    expect_same_object(o, f->bucket, "default.db/emp/schema/schema-1",
                       "default.db/emp/branch/branch-b2/schema/schema-1");
    expect_object(o, f->bucket, "default.db/emp/snapshot/LATEST", "2");
    assert_true(commit(f, "default", "emp", tid, UUID3, 3, UUID1, NULL, 1));

    /* Rename (the document's renameBranch) moves the files; drop removes them. */
    OK(tcall(f, "POST", "emp", "branches", "b1", "rename", json_pack("{s:s}", "toBranch", "b3"), NULL, E));
    FAILS(tcall(f, "POST", "emp", "branches", "b3", "rename", json_pack("{s:s}", "toBranch", "b2"), NULL, E), 409,
          "BRANCH", "Branch name 'b2' already exists.");
    FAILS(tcall(f, "POST", "emp", "branches", "b1", "rename", json_pack("{s:s}", "toBranch", "b4"), NULL, E), 404,
          "BRANCH", "Branch name 'b1' doesn't exist.");
    OK(tcall(f, "GET", "emp", "branches", NULL, NULL, NULL, &r, E));
    expect_json(r, "{\"branches\": [\"b2\", \"b3\"]}");
    expect_exists(o, f->bucket, "default.db/emp/branch/branch-b3/schema/schema-0");
    expect_no_object(o, f->bucket, "default.db/emp/branch/branch-b1/schema/schema-0");
    OK(tcall(f, "DELETE", "emp", "branches", "b3", NULL, NULL, NULL, E));
    FAILS(tcall(f, "DELETE", "emp", "branches", "b3", NULL, NULL, NULL, E), 404, "BRANCH",
          "Branch name 'b3' doesn't exist.");
    expect_no_object(o, f->bucket, "default.db/emp/branch/branch-b3/schema/schema-0");
    FAILS(rest_drop_table(f->c, "default", "emp$branch_b2", E), 400, "TABLE",
          "Cannot 'dropTable' for branch table 'default.emp$branch_b2', please modify the table with the default "
          "branch.");

    /* Changing branches needs ALTER on the table; listing DESCRIBE. */
    static const char *const describe[] = {"DESCRIBE"};
    rest_catalog *bob = user_catalog(f, "bob", "emp", describe, 1);
    const char *segs[] = {"databases", "default", "tables", "emp", "branches"};
    OK(rest_catalog_call(bob, "GET", segs, 5, NULL, 0, NULL, &r, E));
    expect_json(r, "{\"branches\": [\"b2\"]}");
    json_t *body = json_pack("{s:s}", "branch", "x");
    char *want = forbidden(f, "bob", "ALTER", "TABLE default.emp");
    FAILS(rest_catalog_call(bob, "POST", segs, 5, NULL, 0, body, NULL, E), 403, "TABLE", want);
    free(want);
    json_decref(body);
    rest_catalog_close(bob);
    /* Dropping the table takes its branches along. */
    OK(rest_drop_table(f->c, "default", "emp", E));
    create_table(f, "default", "emp", emp_schema());
    OK(tcall(f, "GET", "emp", "branches", NULL, NULL, NULL, &r, E));
    expect_json(r, "{\"branches\": []}");
    oss_client_free(o);
    free(tid);
}

static void test_consumers_list_and_reset(void **state)
{
    fx *f = *state;
    IN_PROCESS_ONLY(f);
    create_table(f, "default", "emp", emp_schema());
    char *tid = table_id(f, "default", "emp");
    assert_true(commit(f, "default", "emp", tid, NULL, 1, UUID1, NULL, 2));
    assert_true(commit(f, "default", "emp", tid, UUID1, 2, UUID2, NULL, 3));
    json_t *r;
    OK(tcall(f, "GET", "emp", "consumers", NULL, NULL, NULL, &r, E));
    expect_json(r, "{\"consumers\": [], \"nextPageToken\": null}");
    OK(tcall(f, "POST", "emp", "consumers", "reset", NULL,
             json_pack("{s:s, s:i}", "consumerId", "c1", "nextSnapshotId", 2), NULL, E));
    /* A reader writes its own consumer file (Java's ConsumerManager); the list reads the files. */
    oss_client *o = owner_oss(f);
    expect_object(o, f->bucket, "default.db/emp/consumer/consumer-c1", "{\n  \"nextSnapshot\" : 2\n}");
    OK(oss_client_put(o, f->bucket, "default.db/emp/consumer/consumer-a0", "{\"nextSnapshot\":1}", 18, NULL, NULL, E));
    OK(tcall(f, "GET", "emp", "consumers", NULL, NULL, NULL, &r, E));
    expect_json(r, "{\"consumers\": [{\"consumerId\": \"a0\", \"nextSnapshot\": 1},"
                   " {\"consumerId\": \"c1\", \"nextSnapshot\": 2}], \"nextPageToken\": null}");
    mc_query_param q[] = {{"maxResults", "1", true}};
    const char *segs[] = {"databases", "default", "tables", "emp", "consumers"};
    OK(rest_catalog_call(f->c, "GET", segs, 5, q, 1, NULL, &r, E));
    expect_json(r, "{\"consumers\": [{\"consumerId\": \"a0\", \"nextSnapshot\": 1}], \"nextPageToken\": \"a0\"}");
    mc_query_param q2[] = {{"maxResults", "1", true}, {"pageToken", "a0", true}};
    OK(rest_catalog_call(f->c, "GET", segs, 5, q2, 2, NULL, &r, E));
    expect_json(r, "{\"consumers\": [{\"consumerId\": \"c1\", \"nextSnapshot\": 2}], \"nextPageToken\": \"c1\"}");

    FAILS(tcall(f, "POST", "emp", "consumers", "reset", NULL,
                json_pack("{s:s, s:i}", "consumerId", "c1", "nextSnapshotId", 9), NULL, E),
          404, "SNAPSHOT", "Snapshot 9 of table default.emp does not exist.");
    FAILS(tcall(f, "POST", "emp", "consumers", "reset", NULL,
                json_pack("{s:s, s:i}", "consumerId", "", "nextSnapshotId", 1), NULL, E),
          400, "TABLE", "Reset consumer needs a consumerId (a file name).");
    FAILS(tcall(f, "GET", "nope", "consumers", NULL, NULL, NULL, &r, E), 404, "TABLE",
          "Table default.nope does not exist.");
    /* No nextSnapshotId (Java sends null): the consumer goes; a missing one quietly. */
    OK(tcall(f, "POST", "emp", "consumers", "reset", NULL, json_pack("{s:s, s:n}", "consumerId", "a0", "nextSnapshotId"),
             NULL, E));
    OK(tcall(f, "POST", "emp", "consumers", "reset", NULL, json_pack("{s:s}", "consumerId", "a0"), NULL, E));
    expect_no_object(o, f->bucket, "default.db/emp/consumer/consumer-a0");
    OK(tcall(f, "GET", "emp", "consumers", NULL, NULL, NULL, &r, E));
    expect_json(r, "{\"consumers\": [{\"consumerId\": \"c1\", \"nextSnapshot\": 2}], \"nextPageToken\": null}");

    static const char *const describe[] = {"DESCRIBE"};
    rest_catalog *bob = user_catalog(f, "bob", "emp", describe, 1);
    OK(rest_catalog_call(bob, "GET", segs, 5, NULL, 0, NULL, &r, E));
    json_decref(r);
    const char *reset[] = {"databases", "default", "tables", "emp", "consumers", "reset"};
    json_t *body = json_pack("{s:s}", "consumerId", "c1");
    char *want = forbidden(f, "bob", "UPDATE", "TABLE default.emp");
    FAILS(rest_catalog_call(bob, "POST", reset, 6, NULL, 0, body, NULL, E), 403, "TABLE", want);
    free(want);
    json_decref(body);
    rest_catalog_close(bob);
    oss_client_free(o);
    free(tid);
}

static int by_filter(fx *f, const char *filter, json_t *extra, json_t **out, mc_err *err)
{
    json_t *b = extra ? extra : json_object();
    if (filter)
        json_object_set_new(b, "filter", json_string(filter));
    return tcall(f, "POST", "pt", "partitions", "list-by-filter", NULL, b, out, err);
}

/* The names of the partitions of a ListPartitionsResponse, joined by ' ', and its token. */
static void expect_parts(json_t *r, const char *names, const char *token)
{
    mc_buf b = MC_BUF_INIT;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r, "partitions"), i, p) {
        json_t *spec = json_object_get(p, "spec");
        mc_buf_printf(&b, "%s%s/%s", i ? " " : "", json_string_value(json_object_get(spec, "dt")),
                      json_string_value(json_object_get(spec, "hr")));
    }
    assert_string_equal(b.data ? b.data : "", names);
    const json_t *t = json_object_get(r, "nextPageToken");
    if (token)
        assert_string_equal(json_string_value(t), token);
    else
        assert_true(json_is_null(t));
    mc_buf_free(&b);
    json_decref(r);
}

#define LEAF(field, type, fn, lits)                                                                                \
    "{\"kind\":\"LEAF\",\"transform\":{\"name\":\"FIELD_REF\",\"fieldRef\":{\"index\":0,\"name\":\"" field        \
    "\",\"type\":\"" type "\"}},\"function\":\"" fn "\",\"literals\":" lits "}"

static void test_partitions_list_by_filter(void **state)
{
    fx *f = *state;
    IN_PROCESS_ONLY(f);
    static const char *const fields[] = {"id:INT", "dt:STRING", "hr:INT"};
    create_table(f, "default", "pt", schema_of(fields, 3, json_pack("[s,s]", "dt", "hr"), NULL, NULL));
    json_t *r;
    OK(part_call(f, "pt", NULL,
                 json_pack("{s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]}", "partitionSpecs", "dt", "d1", "hr", "9",
                           "dt", "d1", "hr", "10", "dt", "d2", "hr", "3", "dt", "e1", "hr", "__DEFAULT_PARTITION__"),
                 &r, E));
    json_decref(r);
    /* hr is an INT: 9 < 10 as numbers, not as text. */
    OK(by_filter(f, LEAF("hr", "INT", "GREATER_OR_EQUAL", "[9]"), NULL, &r, E));
    expect_parts(r, "d1/10 d1/9", NULL);
    OK(by_filter(f, "{\"kind\":\"COMPOUND\",\"function\":\"AND\",\"children\":[" LEAF("dt", "STRING", "STARTS_WITH",
                                                                                        "[\"d\"]") "," LEAF("hr", "INT", "LESS_THAN", "[5]") "]}",
                 NULL, &r, E));
    expect_parts(r, "d2/3", NULL);
    OK(by_filter(f, LEAF("hr", "INT", "IS_NULL", "[]"), NULL, &r, E));
    expect_parts(r, "e1/__DEFAULT_PARTITION__", NULL);
    OK(by_filter(f, LEAF("hr", "INT", "IN", "[3, 10]"), NULL, &r, E));
    expect_parts(r, "d1/10 d2/3", NULL);
    /* What cannot be evaluated here matches: the answer may be a superset. */
    OK(by_filter(f, "{\"kind\":\"LEAF\",\"transform\":{\"name\":\"UPPER\",\"inputs\":[]},\"function\":\"EQUAL\","
                    "\"literals\":[\"X\"]}",
                 NULL, &r, E));
    expect_parts(r, "d1/10 d1/9 d2/3 e1/__DEFAULT_PARTITION__", NULL);
    /* Pages follow the body's maxResults/pageToken; the name pattern is a prefix. */
    OK(by_filter(f, LEAF("hr", "INT", "IS_NOT_NULL", "[]"), json_pack("{s:i}", "maxResults", 2), &r, E));
    expect_parts(r, "d1/10 d1/9", "dt=d1/hr=9");
    OK(by_filter(f, LEAF("hr", "INT", "IS_NOT_NULL", "[]"), json_pack("{s:i, s:s}", "maxResults", 2, "pageToken",
                                                                         "dt=d1/hr=9"),
                 &r, E));
    expect_parts(r, "d2/3", NULL);
    OK(by_filter(f, "{\"kind\":\"LEAF\",\"transform\":{\"name\":\"NULL\"},\"function\":\"TRUE\",\"literals\":[]}",
                 json_pack("{s:s}", "partitionNamePattern", "dt=d1%"), &r, E));
    expect_parts(r, "d1/10 d1/9", NULL);

    FAILS(by_filter(f, "", NULL, &r, E), 400, "PARTITION", "filter is required");
    FAILS(by_filter(f, "[1", NULL, &r, E), 400, "PARTITION",
          "filter is not a serialized Paimon predicate (a JSON object): [1");
    FAILS(tcall(f, "POST", "nope", "partitions", "list-by-filter", NULL, json_pack("{s:s}", "filter", "{}"), &r, E), 404,
          "TABLE", "Table default.nope does not exist.");
    rest_catalog *bob = user_catalog(f, "bob", "pt", NULL, 0);
    const char *segs[] = {"databases", "default", "tables", "pt", "partitions", "list-by-filter"};
    json_t *body = json_pack("{s:s}", "filter", "{}");
    char *want = forbidden(f, "bob", "DESCRIBE", "TABLE default.pt");
    FAILS(rest_catalog_call(bob, "POST", segs, 6, NULL, 0, body, &r, E), 403, "TABLE", want);
    free(want);
    json_decref(body);
    rest_catalog_close(bob);
}

static void test_table_auth_checks_select_and_columns(void **state)
{
    fx *f = *state;
    IN_PROCESS_ONLY(f);
    create_table(f, "default", "emp", emp_schema());
    json_t *r;
    OK(tcall(f, "POST", "emp", "auth", NULL, NULL, json_pack("{s:[s,s]}", "select", "id", "name"), &r, E));
    expect_json(r, "{\"filter\": [], \"columnMasking\": {}}");
    OK(tcall(f, "POST", "emp", "auth", NULL, NULL, json_pack("{s:n}", "select"), &r, E));
    expect_json(r, "{\"filter\": [], \"columnMasking\": {}}");
    FAILS(tcall(f, "POST", "emp", "auth", NULL, NULL, json_pack("{s:[s]}", "select", "salary"), &r, E), 400, "COLUMN",
          "Column salary does not exist in the default.emp table.");
    FAILS(tcall(f, "POST", "nope", "auth", NULL, NULL, json_pack("{s:n}", "select"), &r, E), 404, "TABLE",
          "Table default.nope does not exist.");
    static const char *const describe[] = {"DESCRIBE"};
    rest_catalog *bob = user_catalog(f, "bob", "emp", describe, 1);
    const char *segs[] = {"databases", "default", "tables", "emp", "auth"};
    json_t *body = json_pack("{s:[s]}", "select", "id");
    char *want = forbidden(f, "bob", "SELECT", "TABLE default.emp");
    FAILS(rest_catalog_call(bob, "POST", segs, 5, NULL, 0, body, &r, E), 403, "TABLE", want);
    free(want);
    OK(emulator_dlf_grant(f->emu, "bob", "SELECT", "mcdlf", "default", "emp", 0, E));
    OK(rest_catalog_call(bob, "POST", segs, 5, NULL, 0, body, &r, E));
    expect_json(r, "{\"filter\": [], \"columnMasking\": {}}");
    json_decref(body);
    rest_catalog_close(bob);
}

/* DLF's first layer (dlf/ram_layer, reference/dlf-permissions.md §3): data
 * grants do not help a RAM user whose policies do not allow the request's
 * dlf:<Operation>; AliyunDLFReadOnlyAccess passes List/Get calls on to the
 * data check and stops writes; AliyunDLFFullAccess passes everything. */
static void test_ram_layer_comes_before_data_grants(void **state)
{
    fx *f = *state;
    IN_PROCESS_ONLY(f);
    create_table(f, "default", "emp", emp_schema());
    emulator_key k;
    OK(emulator_ram_user_key(f->emu, "rita", 1, &k, E));
    OK(emulator_dlf_grant(f->emu, "rita", "ALL", "mcdlf", "default", NULL, 0, E));
    rest_catalog *c;
    FAILS(open_as_key(f, &k, &c, E), 403, "",
          "DLF catalog mcdlf: Forbidden: You are not authorized to do this action. Resource: * Action: dlf:GetConfig");
    attach_policy(f, "rita", "AliyunDLFReadOnlyAccess");
    OK(open_as_key(f, &k, &c, E));
    const char *tables[] = {"databases", "default", "tables"};
    json_t *r;
    OK(rest_catalog_call(c, "GET", tables, 3, NULL, 0, NULL, &r, E));
    json_decref(r);
    json_t *schema = emp_schema();
    FAILS(rest_create_table(c, "default", "t2", schema, E), 403, "",
          "Forbidden: You are not authorized to do this action. Resource: * Action: dlf:CreateTable");
    attach_policy(f, "rita", "AliyunDLFFullAccess");
    OK(rest_create_table(c, "default", "t2", schema, E));
    json_decref(schema);
    rest_catalog_close(c);
}

static int register_table(rest_catalog *c, const char *name, const char *path, mc_err *err)
{
    const char *segs[] = {"databases", "default", "register"};
    json_t *body = json_pack("{s:{s:s, s:s}, s:s}", "identifier", "database", "default", "object", name, "path", path);
    int rc = rest_catalog_call(c, "POST", segs, 3, NULL, 0, body, NULL, err);
    json_decref(body);
    return rc;
}

static void test_register_table_from_its_files(void **state)
{
    fx *f = *state;
    IN_PROCESS_ONLY(f);
    char *tid = emp_with_history(f);
    /* A copy of emp's files elsewhere in the bucket, registered as `copy`. */
    oss_client *o = owner_oss(f);
    static const char *const files[] = {"schema/schema-0", "snapshot/snapshot-1", "snapshot/snapshot-2",
                                        "snapshot/LATEST", "tag/tag-v1"};
    for (size_t i = 0; i < 5; i++) {
        mc_buf b = MC_BUF_INIT;
        char *from = mc_asprintf("default.db/emp/%s", files[i]), *to = mc_asprintf("imports/emp/%s", files[i]);
        OK(oss_client_get(o, f->bucket, from, 0, -1, &b, E));
        OK(oss_client_put(o, f->bucket, to, b.data, b.len, NULL, NULL, E));
        free(from);
        free(to);
        mc_buf_free(&b);
    }
    char *path = mc_asprintf("oss://%s/imports/emp", f->bucket);
    OK(register_table(f->c, "copy", path, E));
    json_t *t, *orig;
    OK(rest_get_table(f->c, "default", "copy", &t, E));
    OK(rest_get_table(f->c, "default", "emp", &orig, E));
    assert_string_equal(json_string_value(json_object_get(t, "path")), path);
    assert_true(json_equal(json_object_get(t, "schema"), json_object_get(orig, "schema")));
    assert_string_not_equal(json_string_value(json_object_get(t, "id")), tid);
    json_decref(orig);
    char *cid = strdup(json_string_value(json_object_get(t, "id")));
    json_decref(t);
    OK(rest_latest_snapshot(f->c, "default", "copy", &t, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(t, "snapshot"), "id")), 2);
    /* The statistics start from the latest snapshot file's totalRecordCount (3 here). */
    assert_int_equal(json_integer_value(json_object_get(t, "recordCount")), 3);
    json_decref(t);
    const char *tag[] = {"databases", "default", "tables", "copy", "tags", "v1"};
    OK(rest_catalog_call(f->c, "GET", tag, 6, NULL, 0, NULL, &t, E));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(t, "snapshot"), "id")), 1);
    json_decref(t);
    /* And commits go on where the files left off. */
    assert_true(commit(f, "default", "copy", cid, UUID2, 3, UUID3, NULL, 1));
    expect_object(o, f->bucket, "imports/emp/snapshot/LATEST", "3");

    FAILS(register_table(f->c, "copy", path, E), 409, "TABLE", "Table default.copy already exists.");
    char *taken = mc_asprintf("Path %s already belongs to a table of the catalog.", path);
    FAILS(register_table(f->c, "again", path, E), 400, "TABLE", taken);
    free(taken);
    char *empty = mc_asprintf("oss://%s/imports/none", f->bucket);
    char *want = mc_asprintf("No Paimon table at %s: it has no schema/schema-N file.", empty);
    FAILS(register_table(f->c, "none", empty, E), 400, "TABLE", want);
    free(want);
    want = mc_asprintf("The path must be a directory in the catalog's bucket (oss://%s/...): oss://elsewhere/t",
                       f->bucket);
    FAILS(register_table(f->c, "x", "oss://elsewhere/t", E), 400, "TABLE", want);
    free(want);
    const char *segs[] = {"databases", "nodb", "register"};
    json_t *body = json_pack("{s:{s:s, s:s}, s:s}", "identifier", "database", "nodb", "object", "x", "path", path);
    FAILS(rest_catalog_call(f->c, "POST", segs, 3, NULL, 0, body, NULL, E), 404, "DATABASE",
          "Database nodb does not exist.");
    json_decref(body);
    rest_catalog *bob = user_catalog(f, "bob", "emp", NULL, 0);
    want = forbidden(f, "bob", "CREATE_TABLE", "DATABASE default");
    FAILS(register_table(bob, "y", empty, E), 403, "DATABASE", want);
    free(want);
    rest_catalog_close(bob);
    free(empty);
    free(path);
    free(cid);
    oss_client_free(o);
    free(tid);
}

static void test_database_alter_table_rename_and_get_by_id(void **state)
{
    fx *f = *state;
    json_t *opts = json_pack("{s:s, s:s}", "a", "1", "b", "2");
    OK(rest_create_database(f->c, "d1", opts, E));
    json_decref(opts);
    const char *db[] = {"databases", "d1"};
    json_t *body = json_pack("{s:[s,s], s:{s:s}}", "removals", "a", "zz", "updates", "c", "3"), *r;
    OK(rest_catalog_call(f->c, "POST", db, 2, NULL, 0, body, &r, E));
    json_decref(body);
    expect_json(r, "{\"removed\": [\"a\"], \"updated\": [\"c\"], \"missing\": [\"zz\"]}");
    OK(rest_get_database(f->c, "d1", &r, E));
    expect_json(json_incref(json_object_get(r, "options")), "{\"b\": \"2\", \"c\": \"3\"}");
    json_decref(r);
    const char *nodb[] = {"databases", "nope"};
    body = json_pack("{s:[], s:{}}", "removals", "updates");
    FAILS(rest_catalog_call(f->c, "POST", nodb, 2, NULL, 0, body, &r, E), 404, "DATABASE",
          "Database nope does not exist.");
    json_decref(body);

    create_table(f, "default", "emp", emp_schema());
    create_table(f, "default", "other", emp_schema());
    char *tid = table_id(f, "default", "emp");
    const char *rename[] = {"tables", "rename"};
    body = rename_req("default", "emp", "default", "other");
    FAILS(rest_catalog_call(f->c, "POST", rename, 2, NULL, 0, body, NULL, E), 409, "TABLE",
          "Table default.other already exists.");
    json_decref(body);
    body = rename_req("default", "emp", "default", "staff");
    OK(rest_catalog_call(f->c, "POST", rename, 2, NULL, 0, body, NULL, E));
    FAILS(rest_catalog_call(f->c, "POST", rename, 2, NULL, 0, body, NULL, E), 404, "TABLE",
          "Table default.emp does not exist.");
    json_decref(body);
    const char *byid[] = {"tables", "id", tid};
    OK(rest_catalog_call(f->c, "GET", byid, 3, NULL, 0, NULL, &r, E));
    assert_string_equal(json_string_value(json_object_get(r, "name")), "staff");
    /* A renamed table keeps its files where they are. */
    char *path = mc_asprintf("oss://%s/default.db/emp", f->bucket);
    assert_string_equal(json_string_value(json_object_get(r, "path")), path);
    free(path);
    json_decref(r);
    const char *noid[] = {"tables", "id", "00000000-0000-4000-8000-000000000000"};
    FAILS(rest_catalog_call(f->c, "GET", noid, 3, NULL, 0, NULL, &r, E), 404, "TABLE",
          "Table id 00000000-0000-4000-8000-000000000000 does not exist.");
    free(tid);
}

/* ---- bad input ------------------------------------------------------------------ */

static void test_unsigned_and_unsupported_requests(void **state)
{
    fx *f = *state;
    char *url = mc_asprintf("%s/v1/%s/databases", test_emu_endpoint(f->te, "dlf"), f->bucket);
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

    /* replace (Java's client only, not in the document) is not served (docs/dlf-catalog.md). */
    create_table(f, "default", "emp", emp_schema());
    const char *segs[] = {"databases", "default", "tables", "emp", "replace"};
    json_t *o, *body = json_pack("{s:o}", "schema", emp_schema());
    FAILS(rest_catalog_call(f->c, "POST", segs, 5, NULL, 0, body, &o, E), 501, "TABLE",
          "POST .../tables/{table}/replace is not supported by the mcdlf catalog yet.");
    json_decref(body);
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
        cmocka_unit_test_setup_teardown(test_alter_table_columns_as_java_does, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alter_nested_row_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_schema_restores_an_older_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tags_create_get_list_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_to_snapshot_and_tag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partitions_create_drop_mark_list_by_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views_create_get_list_alter_rename_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_functions_create_get_list_alter_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tables_list_globally_pages_by_database_and_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_token_is_scoped_to_the_table_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_survives_a_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branches_create_commit_alter_forward_rename_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consumers_list_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partitions_list_by_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_auth_checks_select_and_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_table_from_its_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ram_layer_comes_before_data_grants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_alter_table_rename_and_get_by_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsigned_and_unsupported_requests, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
