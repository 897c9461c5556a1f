/* Unit tests for DLF data permissions: inheritance, ALL, SELECT+DESCRIBE, roles, revoke, messages. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_without_grant_list_is_refused_with_dlf_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_grant_covers_databases_and_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_grant_does_not_reach_the_catalog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_needs_describe_and_revoke_takes_effect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_admins_owners_and_invalid_grants, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
