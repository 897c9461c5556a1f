/* Unit tests for RAM policies: language, wildcards, conditions, malformed
 * documents, system policies, attachments and custom policy lifecycle; role
 * trust policies, session policies and the role store (ram/role). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "ram/policy.h"
#include "ram/role.h"
#include "state/state.h"

#define ALICE "acs:ram::1234567890123456:user/alice"
#define ROOT "acs:ram::1234567890123456:root"
/* The head of every test document. */
#define V1 "{\"Version\":\"1\",\"Statement\":"
#define ANY "acs:dlf:cn-hangzhou:1234567890123456:catalogs/c"

typedef struct {
    char *dir;
    emu_state *s;
} fixture;

static int setup(void **state)
{
    fixture *f = mc_calloc(1, sizeof *f);
    f->dir = tu_tmpdir("ram_policy");
    mc_err err;
    assert_int_equal(emu_state_open(&f->s, f->dir, &err), 0);
    assert_int_equal(ram_policy_migrate(f->s, &err), 0);
    assert_int_equal(ram_role_migrate(f->s, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    emu_state_close(f->s);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* Evaluates one document; fails the test when it is malformed. */
static bool eval_ctx(const char *doc, const char *action, const char *resource, const char *const *ctx,
                     ram_decision *d)
{
    mc_err err;
    int rc = ram_policy_evaluate(doc, action, resource, ctx, d, &err);
    if (rc)
        fail_msg("evaluate: %s", err.msg);
    return d->allowed;
}

static bool eval(const char *doc, const char *action, const char *resource)
{
    ram_decision d;
    return eval_ctx(doc, action, resource, NULL, &d);
}

static bool authorized(fixture *f, const char *who, const char *action, const char *resource, ram_decision *d)
{
    mc_err err;
    assert_int_equal(ram_authorize(f->s, who, action, resource, NULL, d, &err), 0);
    return d->allowed;
}

static void test_allow_statement_allows_and_reason_names_the_statement(void **state)
{
    (void)state;
    const char *doc = V1 "[{\"Effect\":\"Allow\",\"Action\":\"oss:GetObject\","
                      "\"Resource\":\"acs:oss:*:*:bucket/*\"}]}";
    ram_decision d;
    assert_true(eval_ctx(doc, "oss:GetObject", "acs:oss:*:123:bucket/a.txt", NULL, &d));
    assert_false(d.explicit_deny);
    assert_string_equal(d.reason, "allowed by Statement[0] (Allow) of the policy document: oss:GetObject on "
                                  "acs:oss:*:123:bucket/a.txt");
    assert_false(eval_ctx(doc, "oss:PutObject", "acs:oss:*:123:bucket/a.txt", NULL, &d));
    assert_false(d.explicit_deny);
    assert_string_equal(d.reason, "no policy allows oss:PutObject on acs:oss:*:123:bucket/a.txt");
}

static void test_statement_may_be_an_object_and_action_an_array(void **state)
{
    (void)state;
    const char *doc = V1 "{\"Effect\":\"Allow\","
                      "\"Action\":[\"dlf:GetTable\",\"dlf:ListTables\"],\"Resource\":[\"*\"]}}";
    assert_true(eval(doc, "dlf:ListTables", ANY));
    assert_true(eval(doc, "dlf:GetTable", ANY));
    assert_false(eval(doc, "dlf:DropTable", ANY));
}

static void test_deny_wins_within_one_document(void **state)
{
    (void)state;
    const char *doc = V1 "[{\"Effect\":\"Allow\",\"Action\":\"dlf:*\",\"Resource\":\"*\"},"
                      "{\"Effect\":\"Deny\",\"Action\":\"dlf:Drop*\",\"Resource\":\"*\"}]}";
    ram_decision d;
    assert_false(eval_ctx(doc, "dlf:DropTable", ANY, NULL, &d));
    assert_true(d.explicit_deny);
    assert_non_null(strstr(d.reason, "denied by Statement[1] (Deny)"));
    assert_true(eval(doc, "dlf:GetTable", ANY));
}

static void test_wildcards_in_actions_are_case_insensitive_resources_exact(void **state)
{
    (void)state;
    const char *all_odps = V1 "{\"Effect\":\"Allow\",\"Action\":\"odps:*\",\"Resource\":\"*\"}}";
    assert_true(eval(all_odps, "odps:CreateProject", "acs:odps:*:1:projects/p"));
    assert_true(eval(all_odps, "ODPS:createproject", "acs:odps:*:1:projects/p"));
    assert_false(eval(all_odps, "dlf:ListCatalogs", ANY));

    const char *list = V1 "{\"Effect\":\"Allow\",\"Action\":\"dlf:List*\",\"Resource\":\"*\"}}";
    assert_true(eval(list, "dlf:ListCatalogs", ANY));
    assert_true(eval(list, "dlf:List", ANY));
    assert_true(eval(list, "DLF:listdatabases", ANY));
    assert_false(eval(list, "dlf:GetCatalog", ANY));
    assert_false(eval(list, "dlfx:ListCatalogs", ANY));

    const char *q = V1 "{\"Effect\":\"Allow\",\"Action\":\"oss:Get?bject\",\"Resource\":\"*\"}}";
    assert_true(eval(q, "oss:GetObject", "acs:oss:*:1:b/k"));
    assert_false(eval(q, "oss:GetBbject2", "acs:oss:*:1:b/k"));
    assert_false(eval(q, "oss:Getbject", "acs:oss:*:1:b/k"));

    const char *res = V1 "{\"Effect\":\"Allow\",\"Action\":\"oss:*\","
                      "\"Resource\":\"acs:oss:*:*:bucket/*\"}}";
    assert_true(eval(res, "oss:GetObject", "acs:oss:*:1234:bucket/dir/a.parquet"));
    assert_true(eval(res, "oss:GetObject", "acs:oss:*:1234:bucket/"));
    assert_false(eval(res, "oss:GetObject", "acs:oss:*:1234:bucket"));
    assert_false(eval(res, "oss:GetObject", "acs:oss:*:1234:Bucket/a"));
    assert_false(eval(res, "oss:GetObject", "acs:oss:*:1234:other/a"));
}

static void test_not_action_and_not_resource(void **state)
{
    (void)state;
    const char *na = V1 "{\"Effect\":\"Allow\",\"NotAction\":[\"ram:*\",\"sts:*\"],"
                     "\"Resource\":\"*\"}}";
    assert_true(eval(na, "oss:PutObject", "acs:oss:*:1:b/k"));
    assert_false(eval(na, "ram:CreateUser", "acs:ram:*:1:user/*"));
    assert_false(eval(na, "STS:AssumeRole", "acs:ram::1:role/r"));

    const char *nr = V1 "[{\"Effect\":\"Allow\",\"Action\":\"oss:*\",\"Resource\":\"*\"},"
                     "{\"Effect\":\"Deny\",\"Action\":\"oss:*\",\"NotResource\":[\"acs:oss:*:*:public\","
                     "\"acs:oss:*:*:public/*\"]}]}";
    assert_true(eval(nr, "oss:GetObject", "acs:oss:*:1:public/x"));
    assert_true(eval(nr, "oss:ListObjects", "acs:oss:*:1:public"));
    ram_decision d;
    assert_false(eval_ctx(nr, "oss:GetObject", "acs:oss:*:1:secret/x", NULL, &d));
    assert_true(d.explicit_deny);
}

/* A document allowing dlf:GetTable under one Condition block. */
static char *cond_doc(const char *condition)
{
    return mc_asprintf(V1 "{\"Effect\":\"Allow\",\"Action\":\"dlf:GetTable\","
                       "\"Resource\":\"*\",\"Condition\":%s}}",
                       condition);
}

static bool cond_allows(const char *condition, const char *const *ctx)
{
    char *doc = cond_doc(condition);
    ram_decision d;
    bool ok = eval_ctx(doc, "dlf:GetTable", ANY, ctx, &d);
    free(doc);
    return ok;
}

static void test_string_conditions(void **state)
{
    (void)state;
    const char *svc_dlf[] = {"acs:Service", "dlf.aliyuncs.com", NULL};
    const char *svc_odps[] = {"acs:Service", "odps.aliyuncs.com", NULL};
    const char *svc_upper[] = {"acs:Service", "DLF.aliyuncs.com", NULL};
    assert_true(cond_allows("{\"StringEquals\":{\"acs:Service\":\"dlf.aliyuncs.com\"}}", svc_dlf));
    assert_false(cond_allows("{\"StringEquals\":{\"acs:Service\":\"dlf.aliyuncs.com\"}}", svc_upper));
    assert_false(cond_allows("{\"StringNotEquals\":{\"acs:Service\":\"dlf.aliyuncs.com\"}}", svc_dlf));
    assert_true(cond_allows("{\"StringNotEquals\":{\"acs:Service\":\"dlf.aliyuncs.com\"}}", svc_odps));
    assert_true(cond_allows("{\"StringEqualsIgnoreCase\":{\"acs:Service\":\"dlf.ALIYUNCS.com\"}}", svc_upper));
    assert_false(cond_allows("{\"StringNotEqualsIgnoreCase\":{\"acs:Service\":\"dlf.aliyuncs.COM\"}}", svc_upper));
    assert_true(cond_allows("{\"StringLike\":{\"acs:Service\":\"*.aliyuncs.com\"}}", svc_odps));
    assert_false(cond_allows("{\"StringLike\":{\"acs:Service\":\"dlf.*\"}}", svc_odps));
    assert_true(cond_allows("{\"StringNotLike\":{\"acs:Service\":\"dlf.*\"}}", svc_odps));
    assert_false(cond_allows("{\"StringNotLike\":{\"acs:Service\":\"dlf.*\"}}", svc_dlf));
    /* condition keys are matched case-insensitively */
    const char *lower_key[] = {"acs:service", "dlf.aliyuncs.com", NULL};
    assert_true(cond_allows("{\"StringEquals\":{\"acs:Service\":\"dlf.aliyuncs.com\"}}", lower_key));
}

static void test_numeric_date_and_bool_conditions(void **state)
{
    (void)state;
    const char *n10[] = {"odps:Size", "10", NULL};
    assert_true(cond_allows("{\"NumericEquals\":{\"odps:Size\":10}}", n10));
    assert_true(cond_allows("{\"NumericEquals\":{\"odps:Size\":\"10.0\"}}", n10));
    assert_false(cond_allows("{\"NumericNotEquals\":{\"odps:Size\":10}}", n10));
    assert_true(cond_allows("{\"NumericLessThan\":{\"odps:Size\":11}}", n10));
    assert_false(cond_allows("{\"NumericLessThan\":{\"odps:Size\":10}}", n10));
    assert_true(cond_allows("{\"NumericLessThanEquals\":{\"odps:Size\":10}}", n10));
    assert_true(cond_allows("{\"NumericGreaterThan\":{\"odps:Size\":9.5}}", n10));
    assert_false(cond_allows("{\"NumericGreaterThanEquals\":{\"odps:Size\":11}}", n10));

    const char *t[] = {"acs:CurrentTime", "2026-11-24T10:00:00Z", NULL};
    assert_true(cond_allows("{\"DateLessThan\":{\"acs:CurrentTime\":\"2027-01-01T00:00:00Z\"}}", t));
    assert_false(cond_allows("{\"DateLessThan\":{\"acs:CurrentTime\":\"2026-01-01T00:00:00Z\"}}", t));
    assert_true(cond_allows("{\"DateGreaterThan\":{\"acs:CurrentTime\":\"2026-11-24T09:59:59Z\"}}", t));
    assert_true(cond_allows("{\"DateEquals\":{\"acs:CurrentTime\":\"2026-11-24T10:00:00Z\"}}", t));
    assert_true(cond_allows("{\"DateGreaterThanEquals\":{\"acs:CurrentTime\":\"2026-11-24T10:00:00Z\"}}", t));
    /* without a context value acs:CurrentTime is now */
    assert_true(cond_allows("{\"DateGreaterThan\":{\"acs:CurrentTime\":\"2012-11-11T23:59:59Z\"}}", NULL));
    assert_false(cond_allows("{\"DateLessThan\":{\"acs:CurrentTime\":\"2012-11-11T23:59:59Z\"}}", NULL));

    const char *https[] = {"acs:SecureTransport", "true", "acs:MFAPresent", "false", NULL};
    assert_true(cond_allows("{\"Bool\":{\"acs:SecureTransport\":\"true\"}}", https));
    assert_true(cond_allows("{\"Bool\":{\"acs:SecureTransport\":true}}", https));
    assert_false(cond_allows("{\"Bool\":{\"acs:MFAPresent\":\"true\"}}", https));
}

static void test_ip_conditions_take_cidr_blocks(void **state)
{
    (void)state;
    const char *local[] = {"acs:SourceIp", "127.0.0.1", NULL};
    const char *lan[] = {"acs:SourceIp", "192.168.7.9", NULL};
    const char *v6[] = {"acs:SourceIp", "2001:db8::5", NULL};
    const char *ip = "{\"IpAddress\":{\"acs:SourceIp\":[\"10.0.0.0/8\",\"192.168.0.0/16\",\"127.0.0.1\"]}}";
    assert_true(cond_allows(ip, local));
    assert_true(cond_allows(ip, lan));
    assert_false(cond_allows(ip, v6));
    assert_true(cond_allows("{\"IpAddress\":{\"acs:SourceIp\":\"2001:db8::/32\"}}", v6));
    const char *high[] = {"acs:SourceIp", "192.168.7.200", NULL};
    assert_false(cond_allows("{\"IpAddress\":{\"acs:SourceIp\":\"192.168.7.0/25\"}}", high));
    assert_false(cond_allows("{\"NotIpAddress\":{\"acs:SourceIp\":\"127.0.0.0/8\"}}", local));
    assert_true(cond_allows("{\"NotIpAddress\":{\"acs:SourceIp\":\"127.0.0.0/8\"}}", lan));
}

static void test_values_or_keys_and_operators_and_missing_key_is_false(void **state)
{
    (void)state;
    const char *a[] = {"acs:SourceIp", "10.1.2.3", "acs:SecureTransport", "true", NULL};
    const char *b[] = {"acs:SourceIp", "10.1.2.3", "acs:SecureTransport", "false", NULL};
    const char *ip_only[] = {"acs:SourceIp", "10.1.2.3", NULL};
    /* several values of one key: any matches */
    assert_true(cond_allows("{\"StringEquals\":{\"acs:SecureTransport\":[\"false\",\"true\"]}}", a));
    /* several keys under one operator: all must match */
    const char *two_keys = "{\"StringEquals\":{\"acs:SecureTransport\":\"true\",\"acs:SourceIp\":\"10.1.2.3\"}}";
    assert_true(cond_allows(two_keys, a));
    assert_false(cond_allows(two_keys, b));
    /* several operators: all must hold */
    const char *two_ops =
        "{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"},\"Bool\":{\"acs:SecureTransport\":\"true\"}}";
    assert_true(cond_allows(two_ops, a));
    assert_false(cond_allows(two_ops, b));
    /* a key the request lacks makes the condition false, negated operators too */
    assert_false(cond_allows(two_ops, ip_only));
    assert_false(cond_allows("{\"StringNotEquals\":{\"acs:Service\":\"dlf.aliyuncs.com\"}}", ip_only));
    /* an empty Condition holds */
    assert_true(cond_allows("{}", NULL));
}

static void assert_malformed(const char *doc, const char *needle)
{
    mc_err err;
    mc_err_clear(&err);
    assert_int_equal(ram_policy_validate(doc, &err), -1);
    assert_int_equal(err.code, MC_ERR_INVALID);
    assert_int_equal(err.http_status, 400);
    assert_string_equal(err.remote_code, "MalformedPolicyDocument");
    if (!strstr(err.msg, needle))
        fail_msg("message '%s' lacks '%s'", err.msg, needle);
    ram_decision d;
    assert_int_equal(ram_policy_evaluate(doc, "a:b", "*", NULL, &d, &err), -1);
}

static void test_malformed_documents_are_refused(void **state)
{
    (void)state;
    assert_malformed(V1 "[", "invalid JSON");
    assert_malformed("[]", "JSON object");
    assert_malformed(V1 "[{\"Action\":\"a:b\",\"Resource\":\"*\"}]}",
                     "Statement[0] has no Effect");
    assert_malformed(V1 "[{\"Effect\":\"Permit\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}",
                     "Effect of Statement[0] must be Allow or Deny");
    assert_malformed(V1 "[{\"Effect\":\"allow\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}",
                     "Allow or Deny");
    assert_malformed("{\"Version\":\"2\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}",
                     "Version must be \"1\"");
    assert_malformed("{\"Version\":1,\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}",
                     "Version must be \"1\"");
    assert_malformed("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}",
                     "Version is missing");
    assert_malformed("{\"Version\":\"1\"}", "Statement is missing");
    assert_malformed(V1 "[]}", "non-empty array");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}",
                     "exactly one of Action and NotAction");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"NotAction\":\"c:d\","
                     "\"Resource\":\"*\"}]}",
                     "exactly one of Action and NotAction");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"a:b\"}]}", "has no Resource");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"GetObject\",\"Resource\":\"*\"}]}",
                     "<service>:<ApiName>");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}",
                     "Action of Statement[0] is empty");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resources\":\"*\"}]}",
                     "unknown element 'Resources'");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\","
                     "\"Condition\":{\"StringEqualz\":{\"k\":\"v\"}}}]}",
                     "unknown condition operator 'StringEqualz'");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\","
                     "\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/33\"}}}]}",
                     "not an IP address or CIDR block");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\","
                     "\"Condition\":{\"DateLessThan\":{\"acs:CurrentTime\":\"tomorrow\"}}}]}",
                     "not an ISO 8601 date");
    assert_malformed(V1 "[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\","
                     "\"Condition\":{\"NumericLessThan\":{\"k\":\"ten\"}}}]}",
                     "not a number");
    assert_malformed("{\"Version\":\"1\",\"Version\":\"1\",\"Statement\":[]}", "invalid JSON");
    mc_err err;
    /* a trust policy has a Principal and no Resource */
    assert_int_equal(ram_policy_validate("{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
                                         "\"Principal\":{\"Service\":[\"odps.aliyuncs.com\"]}}],\"Version\":\"1\"}",
                                         &err),
                     0);
}

static void test_every_system_policy_is_well_formed(void **state)
{
    (void)state;
    const char *names[] = {"AliyunRAMFullAccess",        "AliyunRAMReadOnlyAccess",   "AliyunMaxComputeFullAccess",
                           "AliyunMaxComputeReadOnlyAccess", "AliyunDLFFullAccess",   "AliyunDLFReadOnlyAccess",
                           "AliyunOSSFullAccess",        "AliyunOSSReadOnlyAccess",   "AliyunSTSAssumeRoleAccess"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *doc = ram_policy_system_document(names[i]);
        assert_non_null(doc);
        mc_err err;
        if (ram_policy_validate(doc, &err))
            fail_msg("%s: %s", names[i], err.msg);
    }
    assert_null(ram_policy_system_document("AliyunNoSuchAccess"));
}

static void test_system_policies_grant_their_documented_actions(void **state)
{
    fixture *f = *state;
    mc_err err;
    ram_decision d;
    assert_int_equal(ram_policy_attach(f->s, ALICE, "AliyunDLFReadOnlyAccess", "System", &err), 0);
    assert_true(authorized(f, ALICE, "dlf:ListCatalogs", ANY, &d));
    assert_string_equal(d.reason, "allowed by Statement[0] (Allow) of System policy AliyunDLFReadOnlyAccess: "
                                  "dlf:ListCatalogs on " ANY);
    assert_true(authorized(f, ALICE, "dlf:BatchGetTables", ANY, &d));
    assert_false(authorized(f, ALICE, "dlf:CreateCatalog", ANY, &d));
    assert_string_equal(d.reason, "no policy allows dlf:CreateCatalog on " ANY);
    assert_false(authorized(f, ALICE, "odps:CreateProject", "acs:odps:*:1234567890123456:projects/p", &d));

    assert_int_equal(ram_policy_attach(f->s, ALICE, "AliyunMaxComputeFullAccess", "System", &err), 0);
    assert_true(authorized(f, ALICE, "odps:CreateProject", "acs:odps:*:1234567890123456:projects/p", &d));
    assert_non_null(strstr(d.reason, "System policy AliyunMaxComputeFullAccess"));

    /* AliyunDLFFullAccess: PassRole only for DLF's service */
    assert_int_equal(ram_policy_attach(f->s, ALICE, "AliyunDLFFullAccess", "System", &err), 0);
    assert_true(authorized(f, ALICE, "dlf:CreateCatalog", ANY, &d));
    const char *dlf_svc[] = {"acs:Service", "dlf.aliyuncs.com", NULL};
    const char *ecs_svc[] = {"acs:Service", "ecs.aliyuncs.com", NULL};
    const char *role = "acs:ram::1234567890123456:role/r";
    assert_int_equal(ram_authorize(f->s, ALICE, "ram:PassRole", role, dlf_svc, &d, &err), 0);
    assert_true(d.allowed);
    assert_int_equal(ram_authorize(f->s, ALICE, "ram:PassRole", role, ecs_svc, &d, &err), 0);
    assert_false(d.allowed);

    /* the account root needs no policy */
    assert_true(authorized(f, ROOT, "ram:DeleteUser", "acs:ram:*:1234567890123456:user/alice", &d));
    assert_non_null(strstr(d.reason, "account root"));
}

static void test_deny_in_one_policy_beats_allow_in_another(void **state)
{
    fixture *f = *state;
    mc_err err;
    ram_decision d;
    assert_int_equal(ram_policy_create(f->s, "no-drop",
                                       V1 "[{\"Effect\":\"Allow\",\"Action\":\"dlf:Get*\","
                                       "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"dlf:Drop*\","
                                       "\"Resource\":\"acs:dlf:*:*:catalogs/c*\"}]}",
                                       "no drops on c", &err),
                     0);
    assert_int_equal(ram_policy_attach(f->s, ALICE, "AliyunDLFFullAccess", "System", &err), 0);
    assert_true(authorized(f, ALICE, "dlf:DropTable", ANY, &d));
    assert_int_equal(ram_policy_attach(f->s, ALICE, "no-drop", "Custom", &err), 0);
    assert_false(authorized(f, ALICE, "dlf:DropTable", ANY, &d));
    assert_true(d.explicit_deny);
    assert_string_equal(d.reason, "denied by Statement[1] (Deny) of Custom policy no-drop: dlf:DropTable on " ANY);
    assert_true(authorized(f, ALICE, "dlf:DropTable", "acs:dlf:cn-hangzhou:1234567890123456:catalogs/other", &d));
    assert_true(authorized(f, ALICE, "dlf:CreateTable", ANY, &d));
}

static void test_attach_detach_list_round_trip(void **state)
{
    fixture *f = *state;
    mc_err err;
    char *text;
    assert_int_equal(ram_policy_list_for(f->s, ALICE, &text, &err), 0);
    assert_string_equal(text, "");
    free(text);
    const char *read_b = V1 "{\"Effect\":\"Allow\",\"Action\":\"oss:GetObject\",\"Resource\":\"acs:oss:*:*:b/*\"}}";
    assert_int_equal(ram_policy_create(f->s, "read-b", read_b, NULL, &err), 0);
    assert_int_equal(ram_policy_attach(f->s, ALICE, "AliyunOSSReadOnlyAccess", "System", &err), 0);
    assert_int_equal(ram_policy_attach(f->s, ALICE, "read-b", "Custom", &err), 0);
    assert_int_equal(ram_policy_list_for(f->s, ALICE, &text, &err), 0);
    assert_string_equal(text, "AliyunOSSReadOnlyAccess System\nread-b Custom\n");
    free(text);

    assert_int_equal(ram_policy_attach(f->s, ALICE, "read-b", "Custom", &err), -1);
    assert_int_equal(err.code, MC_ERR_EXISTS);
    assert_string_equal(err.remote_code, "EntityAlreadyExists.User.Policy");
    assert_int_equal(ram_policy_attach(f->s, ALICE, "read-b", "System", &err), -1);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    assert_string_equal(err.remote_code, "EntityNotExist.Policy");
    assert_int_equal(ram_policy_attach(f->s, ALICE, "nope", "Custom", &err), -1);
    assert_string_equal(err.remote_code, "EntityNotExist.Policy");
    assert_int_equal(ram_policy_attach(f->s, ALICE, "read-b", "custom", &err), -1);
    assert_int_equal(err.code, MC_ERR_INVALID);
    assert_string_equal(err.remote_code, "InvalidParameter.PolicyType");

    assert_int_equal(ram_policy_detach(f->s, ALICE, "AliyunOSSReadOnlyAccess", "System", &err), 0);
    assert_int_equal(ram_policy_list_for(f->s, ALICE, &text, &err), 0);
    assert_string_equal(text, "read-b Custom\n");
    free(text);
    assert_int_equal(ram_policy_detach(f->s, ALICE, "AliyunOSSReadOnlyAccess", "System", &err), -1);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    assert_string_equal(err.remote_code, "EntityNotExist.User.Policy");

    /* role names are case-insensitive; a session acts with its role's policies */
    ram_decision d;
    assert_int_equal(ram_policy_attach(f->s, "acs:ram::1234567890123456:role/Reader", "read-b", "Custom", &err), 0);
    assert_int_equal(ram_policy_list_for(f->s, "acs:ram::1234567890123456:role/reader", &text, &err), 0);
    assert_string_equal(text, "read-b Custom\n");
    free(text);
    assert_true(authorized(f, "acs:ram::1234567890123456:role/reader/session-1", "oss:GetObject",
                           "acs:oss:*:1234567890123456:b/k", &d));
    assert_false(authorized(f, "acs:ram::1234567890123456:user/bob", "oss:GetObject",
                            "acs:oss:*:1234567890123456:b/k", &d));
}

static void test_custom_policy_create_get_delete(void **state)
{
    fixture *f = *state;
    mc_err err;
    const char *doc = V1 "{\"Effect\":\"Allow\",\"Action\":\"odps:*\",\"Resource\":\"*\"}}";
    assert_int_equal(ram_policy_create(f->s, "odps-all", doc, "everything in odps", &err), 0);
    char *got;
    assert_int_equal(ram_policy_get(f->s, "odps-all", "Custom", &got, &err), 0);
    assert_string_equal(got, doc);
    free(got);
    assert_int_equal(ram_policy_get(f->s, "AliyunOSSFullAccess", "System", &got, &err), 0);
    assert_non_null(strstr(got, "oss:*"));
    free(got);

    assert_int_equal(ram_policy_create(f->s, "odps-all", doc, NULL, &err), -1);
    assert_int_equal(err.code, MC_ERR_EXISTS);
    assert_int_equal(err.http_status, 409);
    assert_string_equal(err.remote_code, "EntityAlreadyExists.Policy");
    assert_int_equal(ram_policy_create(f->s, "AliyunOSSFullAccess", doc, NULL, &err), -1);
    assert_string_equal(err.remote_code, "EntityAlreadyExists.Policy");
    assert_int_equal(ram_policy_create(f->s, "bad_name", doc, NULL, &err), -1);
    assert_string_equal(err.remote_code, "InvalidParameter.PolicyName.InvalidChars");
    assert_int_equal(ram_policy_create(f->s, "bad", "{\"Version\":\"1\"}", NULL, &err), -1);
    assert_string_equal(err.remote_code, "MalformedPolicyDocument");

    assert_int_equal(ram_policy_attach(f->s, ALICE, "odps-all", "Custom", &err), 0);
    assert_int_equal(ram_policy_delete(f->s, "odps-all", &err), -1);
    assert_int_equal(err.code, MC_ERR_CONFLICT);
    assert_int_equal(err.http_status, 409);
    assert_string_equal(err.remote_code, "DeleteConflict.Policy.User");
    assert_string_equal(err.msg, "The policy CAN NOT been attached to any user while deleting the policy.");
    assert_int_equal(ram_policy_detach(f->s, ALICE, "odps-all", "Custom", &err), 0);
    assert_int_equal(ram_policy_delete(f->s, "odps-all", &err), 0);
    assert_int_equal(ram_policy_delete(f->s, "odps-all", &err), -1);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    assert_string_equal(err.remote_code, "EntityNotExist.Policy");
    assert_int_equal(ram_policy_get(f->s, "odps-all", "Custom", &got, &err), -1);
    assert_int_equal(ram_policy_delete(f->s, "AliyunOSSFullAccess", &err), -1);
    assert_string_equal(err.remote_code, "EntityNotExist.Policy");
}

#define UID "1234567890123456"
#define ROLE_SESSION "acs:ram::" UID ":role/reader/s1"

static bool trusted(const char *doc, const char *caller, const char *const *ctx, ram_decision *d)
{
    mc_err err;
    if (ram_trust_evaluate(doc, caller, "sts:AssumeRole", ctx, d, &err))
        fail_msg("trust: %s", err.msg);
    return d->allowed;
}

static void test_trust_policy_principals_match_user_root_and_role(void **state)
{
    (void)state;
    ram_decision d;
    const char *user = V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"RAM\":\"" ALICE "\"}}]}";
    assert_true(trusted(user, ALICE, NULL, &d));
    assert_string_equal(d.reason, "allowed by Statement[0] of the role's trust policy: sts:AssumeRole for " ALICE);
    assert_false(trusted(user, "acs:ram::" UID ":user/bob", NULL, &d));
    assert_false(d.explicit_deny);
    assert_string_equal(d.reason, "the role's trust policy does not name acs:ram::" UID ":user/bob for sts:AssumeRole");
    /* The account root stands for every identity of that account, not of another. */
    const char *root = V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"RAM\":[\"" ROOT "\"]}}]}";
    assert_true(trusted(root, "acs:ram::" UID ":user/bob", NULL, &d));
    assert_true(trusted(root, ROLE_SESSION, NULL, &d));
    assert_false(trusted(root, "acs:ram::9999999999999999:user/bob", NULL, &d));
    /* A role principal matches its sessions, ignoring the case of the role name. */
    const char *role = V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                          "\"Principal\":{\"RAM\":\"acs:ram::" UID ":role/Reader\"}}]}";
    assert_true(trusted(role, ROLE_SESSION, NULL, &d));
    assert_false(trusted(role, ALICE, NULL, &d));
    /* A service principal never matches a RAM identity; another action is not AssumeRole. */
    const char *svc = V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":[\"odps.aliyuncs.com\"]}}]}";
    assert_false(trusted(svc, ALICE, NULL, &d));
    const char *other = V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Principal\":{\"RAM\":\"" ALICE "\"}}]}";
    assert_false(trusted(other, ALICE, NULL, &d));
}

static void test_trust_policy_deny_and_external_id_condition(void **state)
{
    (void)state;
    ram_decision d;
    const char *doc = V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"RAM\":\"" ROOT "\"},"
                         "\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"abcd1234\"}}},"
                         "{\"Effect\":\"Deny\",\"Action\":\"sts:*\",\"Principal\":{\"RAM\":\"acs:ram::" UID ":user/bob\"}}]}";
    const char *good[] = {"sts:ExternalId", "abcd1234", NULL}, *bad[] = {"sts:ExternalId", "other", NULL};
    assert_true(trusted(doc, ALICE, good, &d));
    assert_false(trusted(doc, ALICE, bad, &d));
    assert_false(trusted(doc, ALICE, NULL, &d));
    assert_false(trusted(doc, "acs:ram::" UID ":user/bob", good, &d));
    assert_true(d.explicit_deny);
    assert_string_equal(d.reason, "denied by Statement[1] of the role's trust policy: sts:AssumeRole for acs:ram::" UID
                                  ":user/bob");
}

static void test_trust_policy_needs_a_principal_object(void **state)
{
    (void)state;
    mc_err err;
    assert_int_equal(ram_trust_validate(V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}",
                                        &err),
                     -1);
    assert_string_equal(err.remote_code, "MalformedPolicyDocument");
    assert_string_equal(err.msg, "The policy document is malformed: Statement[0] of a trust policy needs a Principal object.");
    assert_int_equal(ram_trust_validate(V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"x\"}}]}",
                                        &err),
                     -1);
    assert_string_equal(err.msg, "The policy document is malformed: unknown principal type 'AWS' in Statement[0] (RAM, "
                                 "Service, Federated).");
}

static bool session_ok(fixture *f, const char *session, ram_decision *d, const char *action, const char *resource)
{
    mc_err err;
    if (ram_authorize_session(f->s, ROLE_SESSION, session, action, resource, NULL, d, &err))
        fail_msg("authorize: %s", err.msg);
    return d->allowed;
}

/* The session acts with the role's policies intersected with its session policy. */
static void test_session_policy_intersects_with_the_role(void **state)
{
    fixture *f = *state;
    mc_err err;
    ram_decision d;
    assert_int_equal(ram_policy_attach(f->s, "acs:ram::" UID ":role/Reader", "AliyunOSSReadOnlyAccess", "System", &err), 0);
    const char *session = V1 "[{\"Effect\":\"Allow\",\"Action\":[\"oss:GetObject\",\"oss:PutObject\"],\"Resource\":\"*\"},"
                             "{\"Effect\":\"Deny\",\"Action\":\"oss:GetObject\",\"Resource\":\"acs:oss:*:*:b/secret\"}]}";
    const char *obj = "acs:oss:*:" UID ":b/k";
    assert_true(session_ok(f, session, &d, "oss:GetObject", obj));
    assert_false(session_ok(f, session, &d, "oss:ListObjects", "acs:oss:*:" UID ":b")); /* the role allows, the session does not */
    assert_string_equal(d.reason, "the session policy does not allow oss:ListObjects on acs:oss:*:" UID ":b");
    assert_false(session_ok(f, session, &d, "oss:PutObject", obj)); /* the session allows, the role does not */
    assert_string_equal(d.reason, "no policy allows oss:PutObject on acs:oss:*:" UID ":b/k");
    assert_false(session_ok(f, session, &d, "oss:GetObject", "acs:oss:*:*:b/secret"));
    assert_true(d.explicit_deny);
    /* Without a session policy the role's policies alone decide. */
    assert_int_equal(ram_authorize_session(f->s, ROLE_SESSION, NULL, "oss:ListObjects", "acs:oss:*:" UID ":b", NULL, &d,
                                           &err),
                     0);
    assert_true(d.allowed);
}

static void test_roles_create_get_delete(void **state)
{
    fixture *f = *state;
    mc_err err;
    ram_role r;
    const char *trust = V1 "[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"RAM\":\"" ROOT "\"}}]}";
    assert_int_equal(ram_role_create(f->s, UID, "Reader", trust, "reads", 0, &r, &err), 0);
    assert_string_equal(r.arn, "acs:ram::" UID ":role/Reader");
    assert_string_equal(r.trust_policy, trust);
    assert_int_equal(r.max_session_s, 3600);
    assert_int_equal(strlen(r.role_id), 19);
    ram_role_clear(&r);
    assert_int_equal(ram_role_create(f->s, UID, "READER", trust, NULL, 0, &r, &err), -1);
    assert_string_equal(err.remote_code, "EntityAlreadyExists.Role");
    assert_int_equal(err.http_status, 409);
    assert_int_equal(ram_role_create(f->s, UID, "bad/name", trust, NULL, 0, &r, &err), -1);
    assert_string_equal(err.remote_code, "InvalidParameter.RoleName.InvalidChars");
    assert_int_equal(ram_role_create(f->s, UID, "Long", trust, NULL, 43201, &r, &err), -1);
    assert_string_equal(err.remote_code, "InvalidParameter.MaxSessionDuration");
    assert_int_equal(ram_role_get(f->s, UID, "reader", &r, &err), 0);
    assert_string_equal(r.name, "Reader");
    ram_role_clear(&r);
    char key[160];
    ram_role_principal(key, sizeof key, UID, "Reader");
    assert_string_equal(key, "acs:ram::" UID ":role/reader");
    assert_int_equal(ram_policy_attach(f->s, key, "AliyunOSSReadOnlyAccess", "System", &err), 0);
    assert_int_equal(ram_role_delete(f->s, UID, "Reader", false, &err), -1);
    assert_string_equal(err.remote_code, "DeleteConflict.Role.Policy");
    assert_int_equal(ram_policy_detach(f->s, key, "AliyunOSSReadOnlyAccess", "System", &err), 0);
    assert_int_equal(ram_role_delete(f->s, UID, "Reader", true, &err), -1);
    assert_string_equal(err.remote_code, "EntityNotExist.Role");
    assert_int_equal(ram_role_delete(f->s, UID, "Reader", false, &err), 0);
    assert_int_equal(ram_role_get(f->s, UID, "Reader", &r, &err), -1);
    assert_string_equal(err.msg, "The role not exists: Reader.");
    assert_int_equal(err.http_status, 404);
}

static void test_service_linked_role_is_known_by_service_name(void **state)
{
    fixture *f = *state;
    mc_err err;
    ram_role r;
    assert_int_equal(ram_role_create_service_linked(f->s, UID, "other.aliyuncs.com", &r, &err), -1);
    assert_string_equal(err.remote_code, "InvalidParameter.ServiceName");
    assert_int_equal(ram_role_create_service_linked(f->s, UID, RAM_SLR_LAKEHOUSE_SERVICE, &r, &err), 0);
    assert_string_equal(r.name, RAM_SLR_LAKEHOUSE_ROLE);
    assert_string_equal(r.service, RAM_SLR_LAKEHOUSE_SERVICE);
    assert_string_equal(r.trust_policy, "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
                                        "\"Principal\":{\"Service\":[\"" RAM_SLR_LAKEHOUSE_SERVICE "\"]}}],\"Version\":\"1\"}");
    ram_role_clear(&r);
    assert_int_equal(ram_role_create_service_linked(f->s, UID, RAM_SLR_LAKEHOUSE_SERVICE, &r, &err), -1);
    assert_string_equal(err.remote_code, "EntityAlreadyExists.Role");
    assert_int_equal(ram_role_delete(f->s, UID, RAM_SLR_LAKEHOUSE_ROLE, false, &err), -1);
    assert_string_equal(err.remote_code, "DeleteConflict.Role.ServiceLinkedRole");
    assert_int_equal(ram_role_delete(f->s, UID, RAM_SLR_LAKEHOUSE_ROLE, true, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allow_statement_allows_and_reason_names_the_statement),
        cmocka_unit_test(test_statement_may_be_an_object_and_action_an_array),
        cmocka_unit_test(test_deny_wins_within_one_document),
        cmocka_unit_test(test_wildcards_in_actions_are_case_insensitive_resources_exact),
        cmocka_unit_test(test_not_action_and_not_resource),
        cmocka_unit_test(test_string_conditions),
        cmocka_unit_test(test_numeric_date_and_bool_conditions),
        cmocka_unit_test(test_ip_conditions_take_cidr_blocks),
        cmocka_unit_test(test_values_or_keys_and_operators_and_missing_key_is_false),
        cmocka_unit_test(test_malformed_documents_are_refused),
        cmocka_unit_test(test_every_system_policy_is_well_formed),
        cmocka_unit_test_setup_teardown(test_system_policies_grant_their_documented_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deny_in_one_policy_beats_allow_in_another, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_detach_list_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custom_policy_create_get_delete, setup, teardown),
        cmocka_unit_test(test_trust_policy_principals_match_user_root_and_role),
        cmocka_unit_test(test_trust_policy_deny_and_external_id_condition),
        cmocka_unit_test(test_trust_policy_needs_a_principal_object),
        cmocka_unit_test_setup_teardown(test_session_policy_intersects_with_the_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_create_get_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_linked_role_is_known_by_service_name, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
