/*
 * Unit tests for the control plane: name rules, DLF authorise/activate
 * order, data sources needing the service-linked role, projects needing
 * both RAM actions, same-region and global-uniqueness rules.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/control.h"

#define ACCOUNT "1234567890123456"
#define ROOT "acs:ram::1234567890123456:root"
#define ALICE "acs:ram::1234567890123456:user/alice"

typedef struct {
    char *dir;
    emu_state *s;
    bool slr;
    const char *denied_action; /* refused for ALICE */
    control_env env;
} fixture;

static int fake_authorize(void *ctx, const char *principal, const char *action, const char *resource, mc_err *err)
{
    fixture *f = ctx;
    (void)resource;
    if (!strcmp(principal, ROOT) || !f->denied_action || strcmp(action, f->denied_action) != 0)
        return 0;
    return mc_err_set(err, MC_ERR_DENIED, CONTROL_NOT_AUTHORIZED);
}

static bool fake_role_exists(void *ctx, const char *account, const char *role)
{
    fixture *f = ctx;
    return f->slr && !strcmp(account, ACCOUNT) && !strcmp(role, CONTROL_SLR_NAME);
}

static int fake_catalog_region(void *ctx, const char *catalog, char *region, size_t cap, mc_err *err)
{
    (void)ctx;
    if (!strcmp(catalog, "mcdlf_catalog")) {
        snprintf(region, cap, "cn-hangzhou");
        return 0;
    }
    if (!strcmp(catalog, "bj_catalog")) {
        snprintf(region, cap, "cn-beijing");
        return 0;
    }
    return mc_err_set(err, MC_ERR_NOT_FOUND, "catalog %s does not exist", catalog);
}

static int setup(void **state)
{
    fixture *f = mc_calloc(1, sizeof *f);
    f->dir = tu_tmpdir("control");
    mc_err err;
    assert_int_equal(emu_state_open(&f->s, f->dir, &err), 0);
    assert_int_equal(control_migrate(f->s, &err), 0);
    f->env = (control_env){f, fake_authorize, fake_role_exists, fake_catalog_region};
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

static void test_name_rules(void **state)
{
    (void)state;
    mc_err err;
    assert_int_equal(control_validate_data_source_name("paimon_dlf_1", &err), 0);
    assert_int_equal(control_validate_data_source_name("Paimon", &err), -1);
    assert_int_equal(control_validate_data_source_name("1abc", &err), -1);
    char long_name[130];
    memset(long_name, 'a', 129);
    long_name[129] = '\0';
    assert_int_equal(control_validate_data_source_name(long_name, &err), -1);
    long_name[128] = '\0';
    assert_int_equal(control_validate_data_source_name(long_name, &err), 0);
    assert_int_equal(control_validate_project_name("Lake_01", &err), 0);
    assert_int_equal(control_validate_project_name("ab", &err), -1);
    assert_int_equal(control_validate_project_name("a2345678901234567890123456789", &err), -1);
    assert_int_equal(control_validate_project_name("_lake", &err), -1);
    assert_non_null(strstr(err.msg, "3 to 28 characters"));
    char ep[128];
    control_dlf_endpoint(ep, sizeof ep, "cn-hangzhou");
    assert_string_equal(ep, "cn-hangzhou-intranet.dlf.aliyuncs.com");
}

static void create_ds(fixture *f, const char *who, int expect, mc_err *err)
{
    control_data_source ds;
    memset(&ds, 0, sizeof ds);
    snprintf(ds.name, sizeof ds.name, "paimon_src");
    snprintf(ds.region, sizeof ds.region, "cn-hangzhou");
    control_data_source out;
    assert_int_equal(control_data_source_create(f->s, &f->env, ACCOUNT, who, &ds, &out, err), expect);
    if (expect == 0) {
        assert_string_equal(out.type, "Paimon_DLF");
        assert_string_equal(out.endpoint, "cn-hangzhou-intranet.dlf.aliyuncs.com");
    }
}

static int create_project(fixture *f, const char *who, const char *name, const char *catalog, mc_err *err)
{
    control_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.data_source, sizeof p.data_source, "paimon_src");
    snprintf(p.catalog, sizeof p.catalog, "%s", catalog);
    snprintf(p.region, sizeof p.region, "cn-hangzhou");
    return control_project_create(f->s, &f->env, ACCOUNT, who, &p, NULL, err);
}

static void test_data_source_needs_the_service_linked_role_and_full_access(void **state)
{
    fixture *f = *state;
    mc_err err;
    create_ds(f, ROOT, -1, &err);
    assert_non_null(strstr(err.msg, "the service-linked role AliyunServiceRoleForMaxComputeLakehouse does not exist"));
    f->slr = true;
    f->denied_action = "odps:CreateProject";
    create_ds(f, ALICE, -1, &err);
    assert_string_equal(err.msg, CONTROL_NOT_AUTHORIZED);
    f->denied_action = NULL;
    create_ds(f, ALICE, 0, &err);
    create_ds(f, ALICE, -1, &err);
    assert_int_equal(err.code, MC_ERR_EXISTS);
}

static void test_project_needs_activation_catalog_list_and_same_region(void **state)
{
    fixture *f = *state;
    mc_err err;
    f->slr = true;
    create_ds(f, ROOT, 0, &err);
    assert_int_equal(create_project(f, ROOT, "lakehouse", "mcdlf_catalog", &err), -1);
    assert_non_null(strstr(err.msg, "DLF is not activated in region cn-hangzhou"));
    assert_int_equal(control_dlf_activate(f->s, &f->env, ACCOUNT, "cn-hangzhou", ROOT, &err), -1);
    assert_non_null(strstr(err.msg, "before its access to cloud resources is authorized"));
    assert_int_equal(control_dlf_authorize(f->s, &f->env, ACCOUNT, "cn-hangzhou", ROOT, &err), 0);
    assert_int_equal(control_dlf_activate(f->s, &f->env, ACCOUNT, "cn-hangzhou", ROOT, &err), 0);
    f->denied_action = "dlf:ListCatalogs";
    assert_int_equal(create_project(f, ALICE, "lakehouse", "mcdlf_catalog", &err), -1);
    assert_string_equal(err.msg, CONTROL_NOT_AUTHORIZED);
    f->denied_action = NULL;
    assert_int_equal(create_project(f, ALICE, "lakehouse", "bj_catalog", &err), -1);
    assert_non_null(strstr(err.msg, "must be in the same region"));
    assert_int_equal(create_project(f, ALICE, "lakehouse", "nope", &err), -1);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    assert_int_equal(create_project(f, ALICE, "lakehouse", "mcdlf_catalog", &err), 0);
    assert_int_equal(create_project(f, ROOT, "LAKEHOUSE", "mcdlf_catalog", &err), -1);
    assert_int_equal(err.code, MC_ERR_EXISTS);
    control_project got;
    assert_int_equal(control_project_get(f->s, "lakehouse", &got, &err), 0);
    assert_string_equal(got.owner, ALICE);
    assert_string_equal(got.billing, "payasyougo");
    assert_string_equal(got.catalog, "mcdlf_catalog");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_rules),
        cmocka_unit_test_setup_teardown(test_data_source_needs_the_service_linked_role_and_full_access, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_project_needs_activation_catalog_list_and_same_region, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
