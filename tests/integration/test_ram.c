/*
 * Integration tests: the RAM/STS endpoint of the in-process emulator driven
 * through the engine's POP client, and the STS credentials of an assumed
 * role used with the engine's OSS and REST catalog clients — the same
 * credential lookup at every service (docs/ram-sts.md).
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/oss_client.h"
#include "client/pop_client.h"
#include "client/rest_catalog.h"
#include "buf.h"
#include "emulator.h"
#include "timeutil.h"

#define RAM "2015-05-01"
#define STS "2015-04-01"

typedef struct {
    char *dir;
    emulator *emu;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir("ram");
    emulator_options o;
    emulator_options_init(&o);
    mc_err err;
    if (emulator_start(&f->emu, f->dir, &o, &err)) {
        fprintf(stderr, "emulator_start: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    emulator_stop(f->emu);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* A call that must succeed; returns the answer (caller decrefs). */
static json_t *call_ok(fx *f, const char *ak, const char *sk, const char *token, const char *version,
                       const char *action, const char *const *params)
{
    pop_client_config cfg = {emulator_endpoint(f->emu, "ram"), ak, sk, token, NULL};
    json_t *out;
    mc_err err;
    if (pop_client_call(&cfg, version, action, params, &out, &err))
        fail_msg("%s: %s", action, err.msg);
    return out;
}

static json_t *owner_call(fx *f, const char *version, const char *action, const char *const *params)
{
    return call_ok(f, emulator_owner_key_id(f->emu), emulator_owner_key_secret(f->emu), NULL, version, action,
                   params);
}

/* A call that must fail with status and message "<code>: <text>". */
static void call_fails(fx *f, const char *ak, const char *sk, const char *token, const char *version,
                       const char *action, const char *const *params, int status, const char *msg)
{
    pop_client_config cfg = {emulator_endpoint(f->emu, "ram"), ak, sk, token, NULL};
    json_t *out = NULL;
    mc_err err;
    assert_int_equal(pop_client_call(&cfg, version, action, params, &out, &err), -1);
    assert_null(out);
    assert_int_equal(err.code, MC_ERR_REMOTE);
    assert_int_equal(err.http_status, status);
    assert_string_equal(err.msg, msg);
}

typedef struct {
    char id[64], secret[64];
    char *token;
} creds;

static void creds_from(creds *c, json_t *answer, const char *key)
{
    json_t *k = json_object_get(answer, key);
    const char *id = json_string_value(json_object_get(k, "AccessKeyId"));
    const char *secret = json_string_value(json_object_get(k, "AccessKeySecret"));
    assert_non_null(id);
    assert_non_null(secret);
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->secret, sizeof c->secret, "%s", secret);
    const char *token = json_string_value(json_object_get(k, "SecurityToken"));
    c->token = token ? strdup(token) : NULL;
}

/* erin (AliyunSTSAssumeRoleAccess) and the role Reader that trusts her, with
 * AliyunOSSReadOnlyAccess; returns erin's key. */
static void make_erin_and_reader(fx *f, creds *erin)
{
    json_decref(owner_call(f, RAM, "CreateUser", (const char *[]){"UserName", "erin", NULL}));
    json_t *k = owner_call(f, RAM, "CreateAccessKey", (const char *[]){"UserName", "erin", NULL});
    creds_from(erin, k, "AccessKey");
    json_decref(k);
    json_decref(owner_call(f, RAM, "AttachPolicyToUser",
                           (const char *[]){"PolicyType", "System", "PolicyName", "AliyunSTSAssumeRoleAccess",
                                            "UserName", "erin", NULL}));
    char trust[256];
    snprintf(trust, sizeof trust,
             "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
             "\"Principal\":{\"RAM\":\"acs:ram::%s:user/erin\"}}]}",
             emulator_account_id(f->emu));
    json_decref(owner_call(f, RAM, "CreateRole",
                           (const char *[]){"RoleName", "Reader", "AssumeRolePolicyDocument", trust, NULL}));
    json_decref(owner_call(f, RAM, "AttachPolicyToRole",
                           (const char *[]){"PolicyType", "System", "PolicyName", "AliyunOSSReadOnlyAccess",
                                            "RoleName", "Reader", NULL}));
    /* DLF's RAM layer lets the role's sessions call List/Get; their data grants decide. */
    json_decref(owner_call(f, RAM, "AttachPolicyToRole",
                           (const char *[]){"PolicyType", "System", "PolicyName", "AliyunDLFReadOnlyAccess",
                                            "RoleName", "Reader", NULL}));
}

static void assume_reader(fx *f, const creds *erin, const char *session, creds *out, json_t **answer)
{
    char arn[128];
    snprintf(arn, sizeof arn, "acs:ram::%s:role/Reader", emulator_account_id(f->emu));
    json_t *a = call_ok(f, erin->id, erin->secret, NULL, STS, "AssumeRole",
                        (const char *[]){"RoleArn", arn, "RoleSessionName", session, "DurationSeconds", "900", NULL});
    creds_from(out, a, "Credentials");
    if (answer)
        *answer = a;
    else
        json_decref(a);
}

static oss_client *oss_with(fx *f, const creds *c)
{
    oss_client_config cfg = {
        .endpoint = emulator_endpoint(f->emu, "oss"),
        .region = emulator_region(f->emu),
        .access_key_id = c->id,
        .access_key_secret = c->secret,
        .security_token = c->token,
        .path_style = -1,
    };
    oss_client *o;
    mc_err err;
    assert_int_equal(oss_client_new(&o, &cfg, &err), 0);
    return o;
}

static void test_assume_role_answers_credentials_and_the_session_identity(void **state)
{
    fx *f = *state;
    creds erin, s;
    json_t *a;
    make_erin_and_reader(f, &erin);
    int64_t before = mc_now_ms();
    assume_reader(f, &erin, "erin-1", &s, &a);
    char want[160];
    snprintf(want, sizeof want, "acs:ram::%s:role/reader/erin-1", emulator_account_id(f->emu));
    json_t *user = json_object_get(a, "AssumedRoleUser");
    assert_string_equal(json_string_value(json_object_get(user, "Arn")), want);
    assert_memory_equal(s.id, "STS.", 4);
    time_t exp;
    assert_int_equal(mc_time_parse_iso8601(json_string_value(json_object_get(json_object_get(a, "Credentials"),
                                                                              "Expiration")),
                                           &exp),
                     0);
    assert_true((int64_t)exp * 1000 >= before + 899000 && (int64_t)exp * 1000 <= before + 901000);
    json_t *role = owner_call(f, RAM, "GetRole", (const char *[]){"RoleName", "Reader", NULL});
    char rid[160];
    snprintf(rid, sizeof rid, "%s:erin-1",
             json_string_value(json_object_get(json_object_get(role, "Role"), "RoleId")));
    assert_string_equal(json_string_value(json_object_get(user, "AssumedRoleId")), rid);
    json_t *who = call_ok(f, s.id, s.secret, s.token, STS, "GetCallerIdentity", NULL);
    assert_string_equal(json_string_value(json_object_get(who, "Arn")), want);
    assert_string_equal(json_string_value(json_object_get(who, "IdentityType")), "AssumedRoleUser");
    assert_string_equal(json_string_value(json_object_get(who, "PrincipalId")), rid);
    /* The role has no RAM permissions; the session has none either. */
    char msg[256];
    snprintf(msg, sizeof msg,
             "NoPermission: You are not authorized to do this action. Resource: acs:ram:*:%s:role/Reader Action: "
             "ram:GetRole",
             emulator_account_id(f->emu));
    call_fails(f, s.id, s.secret, s.token, RAM, "GetRole", (const char *[]){"RoleName", "Reader", NULL}, 403, msg);
    json_decref(who);
    json_decref(role);
    json_decref(a);
    free(erin.token);
    free(s.token);
}

/* The clock passing the session's Expiration (AssumeRole's minimum is 900 s). */
static void expire(fx *f, const char *id)
{
    char *path = mc_asprintf("%s/state.db", emulator_state_dir(f->emu));
    char *sql = mc_asprintf("UPDATE sts_credentials SET expires_ms = %lld WHERE id = '%s'",
                            (long long)(mc_now_ms() - 1000), id);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
    free(sql);
    free(path);
}

static void test_session_credentials_work_at_oss_and_dlf_until_they_expire(void **state)
{
    fx *f = *state;
    creds erin, s, owner = {{0}, {0}, NULL};
    snprintf(owner.id, sizeof owner.id, "%s", emulator_owner_key_id(f->emu));
    snprintf(owner.secret, sizeof owner.secret, "%s", emulator_owner_key_secret(f->emu));
    make_erin_and_reader(f, &erin);
    assume_reader(f, &erin, "erin-2", &s, NULL);
    mc_err err;
    oss_client *o = oss_with(f, &owner), *r = oss_with(f, &s);
    assert_int_equal(oss_client_bucket_create(o, "ram-it", &err), 0);
    assert_int_equal(oss_client_put(o, "ram-it", "k", "v1", 2, "text/plain", NULL, &err), 0);

    /* OSS: the role reads (AliyunOSSReadOnlyAccess) and may not write. */
    mc_buf got = MC_BUF_INIT;
    assert_int_equal(oss_client_get(r, "ram-it", "k", 0, -1, &got, &err), 0);
    assert_int_equal(got.len, 2);
    assert_memory_equal(got.data, "v1", 2);
    assert_int_equal(oss_client_put(r, "ram-it", "k2", "v2", 2, "text/plain", NULL, &err), -1);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.remote_code, "AccessDenied");

    /* DLF: the catalog authenticates the session; its data permissions are the
     * DLF grants of the session's principal, which has none. */
    rest_catalog_config rc = {.uri = emulator_endpoint(f->emu, "dlf"), .warehouse = emulator_catalog(f->emu),
                              .region = emulator_region(f->emu), .access_key_id = s.id,
                              .access_key_secret = s.secret, .security_token = s.token};
    rest_catalog *cat;
    assert_int_equal(rest_catalog_open(&cat, &rc, &err), 0);
    json_t *db = NULL;
    assert_int_equal(rest_get_database(cat, "default", &db, &err), -1);
    assert_null(db);
    assert_int_equal(err.http_status, 403);
    char msg[256];
    snprintf(msg, sizeof msg, "Forbidden: User acs:ram::%s:role/reader/erin-2 doesn't have privilege DESCRIBE on DATABASE default",
             emulator_account_id(f->emu));
    assert_string_equal(err.msg, msg);

    /* After Expiration: refused by OSS, DLF and RAM/STS alike. */
    expire(f, s.id);
    assert_int_equal(oss_client_get(r, "ram-it", "k", 0, -1, &got, &err), -1);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.remote_code, "SecurityTokenExpired");
    assert_int_equal(rest_get_database(cat, "default", &db, &err), -1);
    assert_int_equal(err.http_status, 401);
    assert_string_equal(err.msg, "Not authorized: accessKeyId validate failed with error message: security token expired");
    call_fails(f, s.id, s.secret, s.token, STS, "GetCallerIdentity", NULL, 400,
               "InvalidSecurityToken.Expired: Specified SecurityToken is expired.");

    rest_catalog_close(cat);
    mc_buf_free(&got);
    oss_client_free(o);
    oss_client_free(r);
    free(erin.token);
    free(s.token);
}

/* The caller must hold sts:AssumeRole and be named by the trust policy. */
static void test_assume_role_refusals(void **state)
{
    fx *f = *state;
    creds erin;
    make_erin_and_reader(f, &erin);
    json_decref(owner_call(f, RAM, "CreateUser", (const char *[]){"UserName", "frank", NULL}));
    json_t *k = owner_call(f, RAM, "CreateAccessKey", (const char *[]){"UserName", "frank", NULL});
    creds frank;
    creds_from(&frank, k, "AccessKey");
    json_decref(k);
    char arn[128];
    snprintf(arn, sizeof arn, "acs:ram::%s:role/Reader", emulator_account_id(f->emu));
    const char *params[] = {"RoleArn", arn, "RoleSessionName", "frank", NULL};
    const char *denied = "NoPermission: You are not authorized to do this action. You should be authorized by RAM.";
    call_fails(f, frank.id, frank.secret, NULL, STS, "AssumeRole", params, 403, denied); /* no sts:AssumeRole */
    json_decref(owner_call(f, RAM, "AttachPolicyToUser",
                           (const char *[]){"PolicyType", "System", "PolicyName", "AliyunSTSAssumeRoleAccess",
                                            "UserName", "frank", NULL}));
    call_fails(f, frank.id, frank.secret, NULL, STS, "AssumeRole", params, 403, denied); /* not in the trust policy */
    call_fails(f, emulator_owner_key_id(f->emu), emulator_owner_key_secret(f->emu), NULL, STS, "AssumeRole", params,
               403, "NoPermission: Roles may not be assumed by root accounts.");
    char missing[128];
    snprintf(missing, sizeof missing, "acs:ram::%s:role/Nobody", emulator_account_id(f->emu));
    call_fails(f, erin.id, erin.secret, NULL, STS, "AssumeRole",
               (const char *[]){"RoleArn", missing, "RoleSessionName", "erin", NULL}, 404,
               "EntityNotExist.Role: The specified Role not exists.");
    call_fails(f, erin.id, erin.secret, NULL, STS, "AssumeRole",
               (const char *[]){"RoleArn", arn, "RoleSessionName", "erin", "DurationSeconds", "3601", NULL}, 400,
               "InvalidParameter.DurationSeconds: The Min/Max value of DurationSeconds is 15min/1hr.");
    free(erin.token);
    free(frank.token);
}

/* Fetches the table's data token through cat while tracing; the last
 * decision must be action, allowed, for reason. */
static void token_allowed_by(fx *f, rest_catalog *cat, const char *action, const char *reason)
{
    mc_err err;
    rest_data_token tok;
    emulator_trace(f->emu, 1);
    assert_int_equal(rest_table_token(cat, "default", "emp", &tok, &err), 0);
    rest_data_token_clear(&tok);
    emulator_decision *d;
    size_t n = emulator_trace_get(f->emu, &d);
    emulator_trace(f->emu, 0);
    assert_true(n >= 1);
    assert_string_equal(d[n - 1].action, action);
    assert_int_equal(d[n - 1].allowed, 1);
    assert_string_equal(d[n - 1].reason, reason);
    free(d);
}

/* A DLF grant to a RAM role applies to every STS session of the role, in
 * the data check and in the table data token (dlf/grants.h rule 7); `why`
 * names the grant. Before the grant the session is refused. */
static void test_dlf_grants_to_a_ram_role_apply_to_its_sessions(void **state)
{
    fx *f = *state;
    creds erin, s1, s2;
    make_erin_and_reader(f, &erin);
    mc_err err;
    rest_catalog_config oc = {.uri = emulator_endpoint(f->emu, "dlf"), .warehouse = emulator_catalog(f->emu),
                              .region = emulator_region(f->emu), .access_key_id = emulator_owner_key_id(f->emu),
                              .access_key_secret = emulator_owner_key_secret(f->emu)};
    rest_catalog *owner;
    assert_int_equal(rest_catalog_open(&owner, &oc, &err), 0);
    json_t *schema = json_pack("{s:[{s:i, s:s, s:s}], s:[], s:[], s:{}}", "fields", "id", 0, "name", "id", "type",
                               "INT", "partitionKeys", "primaryKeys", "options");
    assert_int_equal(rest_create_table(owner, "default", "emp", schema, &err), 0);

    assume_reader(f, &erin, "erin-5", &s1, NULL);
    rest_catalog_config rc = {.uri = emulator_endpoint(f->emu, "dlf"), .warehouse = emulator_catalog(f->emu),
                              .region = emulator_region(f->emu), .access_key_id = s1.id,
                              .access_key_secret = s1.secret, .security_token = s1.token};
    rest_catalog *cat;
    assert_int_equal(rest_catalog_open(&cat, &rc, &err), 0);
    rest_data_token tok;
    assert_int_equal(rest_table_token(cat, "default", "emp", &tok, &err), -1);
    assert_int_equal(err.http_status, 403);
    char msg[256];
    snprintf(msg, sizeof msg,
             "Forbidden: User acs:ram::%s:role/reader/erin-5 doesn't have privilege SELECT on TABLE default.emp",
             emulator_account_id(f->emu));
    assert_string_equal(err.msg, msg);

    /* The grant names the role as written; sessions carry it lower-cased. */
    char *text;
    assert_int_equal(emulator_dlf_grant_template(f->emu, "role/Reader", "Data Reader", emulator_catalog(f->emu),
                                                 "default", NULL, 0, &text, &err),
                     0);
    assert_string_equal(text, "granted DESCRIBE on DATABASE default\ngranted LIST on DATABASE default\n"
                              "granted SELECT on DATABASE default\n");
    free(text);
    char want[512];
    snprintf(want, sizeof want,
             "grant SELECT on DATABASE %s.default to acs:ram::%s:role/reader, acs:ram::%s:role/reader/erin-5 being a"
             " session of acs:ram::%s:role/reader (rule 3/4/6/7)",
             emulator_catalog(f->emu), emulator_account_id(f->emu), emulator_account_id(f->emu),
             emulator_account_id(f->emu));
    token_allowed_by(f, cat, "SELECT", want);

    /* A second session of the role holds the same grants; a DLF role the RAM
     * role is a member of reaches its sessions too. */
    assume_reader(f, &erin, "erin-6", &s2, NULL);
    rc.access_key_id = s2.id;
    rc.access_key_secret = s2.secret;
    rc.security_token = s2.token;
    rest_catalog *cat2;
    assert_int_equal(rest_catalog_open(&cat2, &rc, &err), 0);
    char **names;
    size_t nn;
    assert_int_equal(rest_list_tables(cat2, "default", &names, &nn, &err), 0);
    assert_int_equal(nn, 1);
    assert_string_equal(names[0], "emp");
    rest_names_free(names, nn);
    assert_int_equal(rest_create_table(cat2, "default", "t2", schema, &err), -1);
    assert_int_equal(err.http_status, 403);
    json_decref(schema);
    assert_int_equal(emulator_dlf_role(f->emu, "create-role", "writers", NULL, &text, &err), 0);
    free(text);
    assert_int_equal(emulator_dlf_role(f->emu, "add-role-member", "writers", "role/READER", &text, &err), 0);
    free(text);
    assert_int_equal(emulator_dlf_grant(f->emu, "role:writers", "UPDATE", emulator_catalog(f->emu), "default", "emp",
                                        0, &err),
                     0);
    snprintf(want, sizeof want,
             "grant UPDATE on TABLE %s.default.emp to role:writers, of which acs:ram::%s:role/reader is a member,"
             " acs:ram::%s:role/reader/erin-6 being a session of acs:ram::%s:role/reader (rule 3/4/6/7)",
             emulator_catalog(f->emu), emulator_account_id(f->emu), emulator_account_id(f->emu),
             emulator_account_id(f->emu));
    token_allowed_by(f, cat2, "UPDATE (data token write access)", want);

    rest_catalog_close(cat);
    rest_catalog_close(cat2);
    rest_catalog_close(owner);
    free(erin.token);
    free(s1.token);
    free(s2.token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_assume_role_answers_credentials_and_the_session_identity, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_session_credentials_work_at_oss_and_dlf_until_they_expire, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_assume_role_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dlf_grants_to_a_ram_role_apply_to_its_sessions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
