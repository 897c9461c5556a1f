/* Unit tests for DLF data permissions: inheritance, ALL, SELECT+DESCRIBE, roles, role sessions,
 * templates, revoke, messages. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "dlf/grants.h"
#include "state/state.h"

#define ALICE "acs:ram::1234567890123456:user/alice"
#define ROOT "acs:ram::1234567890123456:root"

typedef struct {
    char *dir;
    emu_state *s;
} fixture;

static int setup(void **state)
{
    fixture *f = mc_calloc(1, sizeof *f);
    f->dir = tu_tmpdir("grants");
    mc_err err;
    assert_int_equal(emu_state_open(&f->s, f->dir, &err), 0);
    assert_int_equal(dlf_grants_migrate(f->s, &err), 0);
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

static bool allowed(fixture *f, const char *who, dlf_privilege p, const dlf_resource *r, dlf_decision *d)
{
    mc_err err;
    assert_int_equal(dlf_check(f->s, who, ROOT, NULL, p, r, d, &err), 0);
    return d->allowed;
}

static void test_without_grant_list_is_refused_with_dlf_text(void **state)
{
    fixture *f = *state;
    dlf_resource db = {DLF_RES_DATABASE, "cat", "default", NULL};
    dlf_decision d;
    assert_false(allowed(f, ALICE, DLF_PRIV_LIST, &db, &d));
    assert_string_equal(d.message, "User " ALICE " doesn't have privilege LIST on DATABASE default");
    assert_non_null(strstr(d.reason, "mcdlf admin dlf grant <user> LIST on database default"));
    assert_true(allowed(f, ROOT, DLF_PRIV_LIST, &db, &d));
}

static void test_catalog_grant_covers_databases_and_tables(void **state)
{
    fixture *f = *state;
    mc_err err;
    dlf_resource cat = {DLF_RES_CATALOG, "cat", NULL, NULL};
    dlf_resource db = {DLF_RES_DATABASE, "cat", "default", NULL};
    dlf_resource t = {DLF_RES_TABLE, "cat", "default", "t"};
    dlf_resource other = {DLF_RES_TABLE, "cat2", "default", "t"};
    assert_int_equal(dlf_grant(f->s, ALICE, DLF_PRIV_ALL, &cat, ROOT, &err), 0);
    dlf_decision d;
    assert_true(allowed(f, ALICE, DLF_PRIV_LIST, &db, &d));
    assert_true(allowed(f, ALICE, DLF_PRIV_UPDATE, &t, &d));
    assert_non_null(strstr(d.reason, "grant ALL on CATALOG cat"));
    assert_false(allowed(f, ALICE, DLF_PRIV_UPDATE, &other, &d));
}

static void test_database_grant_does_not_reach_the_catalog(void **state)
{
    fixture *f = *state;
    mc_err err;
    dlf_resource cat = {DLF_RES_CATALOG, "cat", NULL, NULL};
    dlf_resource db = {DLF_RES_DATABASE, "cat", "default", NULL};
    assert_int_equal(dlf_grant(f->s, ALICE, DLF_PRIV_ALL, &db, ROOT, &err), 0);
    dlf_decision d;
    assert_false(allowed(f, ALICE, DLF_PRIV_CREATE_DATABASE, &cat, &d));
    assert_string_equal(d.message, "User " ALICE " doesn't have privilege CREATE_DATABASE on CATALOG cat");
}

static void test_select_needs_describe_and_revoke_takes_effect(void **state)
{
    fixture *f = *state;
    mc_err err;
    dlf_resource t = {DLF_RES_TABLE, "cat", "default", "t"};
    assert_int_equal(dlf_grant(f->s, ALICE, DLF_PRIV_SELECT, &t, ROOT, &err), 0);
    dlf_decision d;
    assert_false(allowed(f, ALICE, DLF_PRIV_SELECT, &t, &d));
    assert_string_equal(d.message, "User " ALICE " doesn't have privilege DESCRIBE on TABLE default.t");
    assert_int_equal(dlf_grant(f->s, ALICE, DLF_PRIV_DESCRIBE, &t, ROOT, &err), 0);
    assert_true(allowed(f, ALICE, DLF_PRIV_SELECT, &t, &d));
    assert_int_equal(dlf_revoke(f->s, ALICE, DLF_PRIV_SELECT, &t, &err), 0);
    assert_false(allowed(f, ALICE, DLF_PRIV_SELECT, &t, &d));
    assert_int_equal(dlf_revoke(f->s, ALICE, DLF_PRIV_SELECT, &t, &err), -1);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
}

static void test_roles_admins_owners_and_invalid_grants(void **state)
{
    fixture *f = *state;
    mc_err err;
    dlf_resource db = {DLF_RES_DATABASE, "cat", "sales", NULL};
    dlf_decision d;
    assert_int_equal(dlf_grant(f->s, "role:readers", DLF_PRIV_LIST, &db, ROOT, &err), 0);
    assert_false(allowed(f, ALICE, DLF_PRIV_LIST, &db, &d));
    assert_int_equal(dlf_role_add_member(f->s, "readers", ALICE, &err), -1);
    assert_string_equal(err.msg, "DLF role readers does not exist (mcdlf admin dlf create-role readers)");
    assert_int_equal(dlf_role_create(f->s, "readers", &err), 0);
    assert_int_equal(dlf_role_add_member(f->s, "readers", ALICE, &err), 0);
    assert_true(allowed(f, ALICE, DLF_PRIV_LIST, &db, &d));
    assert_false(allowed(f, ALICE, DLF_PRIV_DROP, &db, &d));
    assert_int_equal(dlf_role_add_member(f->s, "admin", ALICE, &err), 0);
    assert_true(allowed(f, ALICE, DLF_PRIV_DROP, &db, &d));
    const char *bob = "acs:ram::1234567890123456:user/bob";
    assert_int_equal(dlf_check(f->s, bob, ROOT, bob, DLF_PRIV_DROP, &db, &d, &err), 0);
    assert_true(d.allowed);
    assert_non_null(strstr(d.reason, "owns the resource"));
    assert_int_equal(dlf_grant(f->s, bob, DLF_PRIV_SELECT, &db, ROOT, &err), -1);
    assert_string_equal(err.msg, "privilege SELECT does not apply to a DATABASE");
    dlf_privilege p;
    assert_int_equal(dlf_privilege_parse("create table", &p), 0);
    assert_int_equal(p, DLF_PRIV_CREATE_TABLE);
    assert_int_equal(dlf_privilege_parse("OWN", &p), -1);
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(dlf_grants_list(f->s, NULL, &b, &err), 0);
    assert_string_equal(b.data, "role:readers LIST on DATABASE cat.sales\n");
    mc_buf_free(&b);
}

#define SESSION "acs:ram::1234567890123456:role/etl/job-1"
#define ETL "acs:ram::1234567890123456:role/etl"

static void test_session_role_is_the_role_arn_lower_cased(void **state)
{
    (void)state;
    char out[128];
    assert_true(dlf_session_role(out, sizeof out, "acs:ram::1234567890123456:role/ETL/job-1"));
    assert_string_equal(out, ETL);
    assert_false(dlf_session_role(out, sizeof out, ETL));
    assert_false(dlf_session_role(out, sizeof out, ALICE));
    assert_false(dlf_session_role(out, sizeof out, "acs:ram::1234567890123456:role/etl/"));
    assert_false(dlf_session_role(out, sizeof out, "role:etl"));
    assert_false(dlf_session_role(out, 8, SESSION));
}

static void test_grants_to_a_ram_role_apply_to_its_sessions(void **state)
{
    fixture *f = *state;
    mc_err err;
    dlf_resource t = {DLF_RES_TABLE, "cat", "default", "t"};
    dlf_resource db = {DLF_RES_DATABASE, "cat", "default", NULL};
    dlf_decision d;
    assert_false(allowed(f, SESSION, DLF_PRIV_UPDATE, &t, &d));
    assert_string_equal(d.message, "User " SESSION " doesn't have privilege UPDATE on TABLE default.t");
    /* Granted to the role as RAM spells it; stored and matched lower-cased. */
    assert_int_equal(dlf_grant(f->s, "acs:ram::1234567890123456:role/ETL", DLF_PRIV_UPDATE, &t, ROOT, &err), 0);
    assert_true(allowed(f, SESSION, DLF_PRIV_UPDATE, &t, &d));
    assert_string_equal(d.reason, "grant UPDATE on TABLE cat.default.t to " ETL ", " SESSION
                                  " being a session of " ETL " (rule 3/4/6/7)");
    assert_true(allowed(f, ETL, DLF_PRIV_UPDATE, &t, &d));
    /* Another role's session, and a user of the same name, get nothing. */
    assert_false(allowed(f, "acs:ram::1234567890123456:role/etl2/job-1", DLF_PRIV_UPDATE, &t, &d));
    assert_false(allowed(f, "acs:ram::1234567890123456:user/etl", DLF_PRIV_UPDATE, &t, &d));
    /* A DLF role's grants reach the sessions of a RAM role that is a member. */
    assert_int_equal(dlf_role_create(f->s, "listers", &err), 0);
    assert_int_equal(dlf_grant(f->s, "role:listers", DLF_PRIV_LIST, &db, ROOT, &err), 0);
    assert_false(allowed(f, SESSION, DLF_PRIV_LIST, &db, &d));
    assert_int_equal(dlf_role_add_member(f->s, "listers", ETL, &err), 0);
    assert_true(allowed(f, SESSION, DLF_PRIV_LIST, &db, &d));
    assert_string_equal(d.reason, "grant LIST on DATABASE cat.default to role:listers, of which " ETL
                                  " is a member, " SESSION " being a session of " ETL " (rule 3/4/6/7)");
    /* So do the admin roles; removing the membership takes effect at once. */
    assert_int_equal(dlf_role_add_member(f->s, "admin", ETL, &err), 0);
    assert_true(allowed(f, SESSION, DLF_PRIV_DROP, &db, &d));
    assert_string_equal(d.reason, SESSION " is a DLF admin (rule 1, through its role's membership, rule 7)");
    assert_int_equal(dlf_role_remove_member(f->s, "admin", ETL, &err), 0);
    assert_false(allowed(f, SESSION, DLF_PRIV_DROP, &db, &d));
    assert_int_equal(dlf_role_remove_member(f->s, "admin", ETL, &err), -1);
    assert_string_equal(err.msg, ETL " is not a member of DLF role admin");
}

static void test_custom_roles_names_drop_and_system_roles(void **state)
{
    fixture *f = *state;
    mc_err err;
    assert_int_equal(dlf_role_create(f->s, "Team_2", &err), 0);
    assert_int_equal(dlf_role_create(f->s, "Team_2", &err), -1);
    assert_int_equal(err.code, MC_ERR_EXISTS);
    assert_string_equal(err.msg, "DLF role Team_2 already exists");
    assert_int_equal(dlf_role_create(f->s, "super_administrator", &err), -1);
    assert_string_equal(err.msg, "DLF role super_administrator already exists (a system role)");
    const char *bad[] = {"", "2team", "team-a", "team a",
                         "a234567890123456789012345678901234567890123456789012345678901234x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(dlf_role_create(f->s, bad[i], &err), -1);
        assert_int_equal(err.code, MC_ERR_INVALID);
    }
    assert_string_equal(err.msg, "invalid DLF role name 'a234567890123456789012345678901234567890123456789012345678901234x':"
                                 " use 1-64 letters, digits and '_', starting with a letter");
    dlf_resource db = {DLF_RES_DATABASE, "cat", "default", NULL};
    assert_int_equal(dlf_grant(f->s, "role:Team_2", DLF_PRIV_LIST, &db, ROOT, &err), 0);
    assert_int_equal(dlf_role_add_member(f->s, "Team_2", ALICE, &err), 0);
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(dlf_roles_list(f->s, &b, &err), 0);
    assert_string_equal(b.data, "admin (system)\nsuper_administrator (system)\nTeam_2 (custom)\n  member " ALICE "\n");
    mc_buf_free(&b);
    assert_int_equal(dlf_role_drop(f->s, "admin", &err), -1);
    assert_string_equal(err.msg, "DLF role admin is a system role and cannot be dropped");
    assert_int_equal(dlf_role_drop(f->s, "Team_2", &err), 0);
    assert_int_equal(dlf_role_drop(f->s, "Team_2", &err), -1);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    /* Its grants and members went with it: a new role of that name starts empty. */
    assert_int_equal(dlf_role_create(f->s, "Team_2", &err), 0);
    dlf_decision d;
    assert_false(allowed(f, ALICE, DLF_PRIV_LIST, &db, &d));
    assert_int_equal(dlf_grants_list(f->s, NULL, &b, &err), 0);
    assert_string_equal(mc_buf_cstr(&b), "");
    mc_buf_free(&b);
}

static void test_templates_expand_per_level_and_revoke(void **state)
{
    fixture *f = *state;
    mc_err err;
    dlf_template t;
    assert_int_equal(dlf_template_parse("data-reader", &t), 0);
    assert_int_equal(t, DLF_TEMPLATE_DATA_READER);
    assert_int_equal(dlf_template_parse("DATA_EDITOR", &t), 0);
    assert_int_equal(t, DLF_TEMPLATE_DATA_EDITOR);
    assert_int_equal(dlf_template_parse("Data Owner", &t), -1);
    dlf_resource db = {DLF_RES_DATABASE, "cat", "default", NULL};
    dlf_resource tb = {DLF_RES_TABLE, "cat", "default", "t"};
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(dlf_grant_template(f->s, ALICE, DLF_TEMPLATE_DATA_EDITOR, &tb, ROOT, false, &b, &err), 0);
    assert_string_equal(b.data, "granted DESCRIBE on TABLE default.t\ngranted SELECT on TABLE default.t\n"
                                "granted UPDATE on TABLE default.t\n");
    mc_buf_reset(&b);
    dlf_decision d;
    assert_true(allowed(f, ALICE, DLF_PRIV_SELECT, &tb, &d));
    assert_false(allowed(f, ALICE, DLF_PRIV_LIST, &db, &d));
    assert_int_equal(dlf_grant_template(f->s, ALICE, DLF_TEMPLATE_DATA_READER, &db, ROOT, false, &b, &err), 0);
    assert_string_equal(b.data, "granted DESCRIBE on DATABASE default\ngranted LIST on DATABASE default\n"
                                "granted SELECT on DATABASE default\n");
    mc_buf_reset(&b);
    dlf_resource t2 = {DLF_RES_TABLE, "cat", "default", "t2"};
    assert_true(allowed(f, ALICE, DLF_PRIV_SELECT, &t2, &d));
    assert_false(allowed(f, ALICE, DLF_PRIV_UPDATE, &t2, &d));
    /* Revoking the editor template on the table leaves the database's reader grants. */
    assert_int_equal(dlf_grant_template(f->s, ALICE, DLF_TEMPLATE_DATA_EDITOR, &tb, ROOT, true, &b, &err), 0);
    assert_false(allowed(f, ALICE, DLF_PRIV_UPDATE, &tb, &d));
    assert_true(allowed(f, ALICE, DLF_PRIV_SELECT, &tb, &d));
    assert_int_equal(dlf_grant_template(f->s, ALICE, DLF_TEMPLATE_DATA_EDITOR, &tb, ROOT, true, &b, &err), -1);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    mc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_without_grant_list_is_refused_with_dlf_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_grant_covers_databases_and_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_grant_does_not_reach_the_catalog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_needs_describe_and_revoke_takes_effect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_admins_owners_and_invalid_grants, setup, teardown),
        cmocka_unit_test(test_session_role_is_the_role_arn_lower_cased),
        cmocka_unit_test_setup_teardown(test_grants_to_a_ram_role_apply_to_its_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custom_roles_names_drop_and_system_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_templates_expand_per_level_and_revoke, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
