/*
 * console: the cloud consoles' actions of the seed's steps 1-3 (RAM console,
 * DLF console, MaxCompute console), performed on a running emulator as the
 * account owner or as a RAM user, with the RAM layer deciding control-plane
 * actions through the policy evaluator (emulator/ram/policy) and refusals
 * worded as the consoles word them. `mcdlf admin` forwards to this.
 *
 * Service-linked roles live in ram/role: the MaxCompute one must exist
 * before a Paimon_DLF data source can be created.
 */
#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "control/control.h"
#include "dlf/catalog.h"
#include "emulator.h"
#include "fsutil.h"
#include "oss/store.h"
#include "ram/policy.h"
#include "ram/role.h"
#include "server/console.h"
#include "server/cred.h"
#include "server/server_internal.h"
#include "timeutil.h"

typedef struct {
    emulator *e;
    emu_state *s;
    const char *account;
    char principal[192];
    emu_actor actor;
    mc_buf *out;
} console_ctx;

/* ---- the actor: RAM decisions and control_env callbacks --------------------------- */

int emu_actor_authorize(const emu_actor *a, const char *action, const char *resource, mc_err *err)
{
    ram_decision d;
    if (ram_authorize_session(a->env->state, a->principal, a->session_policy, action, resource, a->context, &d, err))
        return -1;
    if (a->env->record)
        a->env->record(a->env, "RAM", a->principal, action, resource, d.allowed, d.reason);
    if (d.allowed)
        return 0;
    return mc_err_set(err, MC_ERR_DENIED, CONTROL_NOT_AUTHORIZED);
}

static int cb_authorize(void *ud, const char *principal, const char *action, const char *resource, mc_err *err)
{
    const emu_actor *a = ud;
    (void)principal;
    assert(!strcmp(principal, a->principal));
    return emu_actor_authorize(a, action, resource, err);
}

static bool cb_role_exists(void *ud, const char *account_id, const char *role)
{
    const emu_actor *a = ud;
    ram_role r;
    mc_err err;
    bool found = ram_role_get(a->env->state, account_id, role, &r, &err) == 0;
    ram_role_clear(&r);
    return found;
}

static int cb_catalog_region(void *ud, const char *catalog, char *region, size_t cap, mc_err *err)
{
    const emu_actor *a = ud;
    dlf_catalog_info info;
    if (dlf_catalog_get(a->env->state, catalog, &info, err) || strcmp(info.account_id, a->account) != 0)
        return mc_err_set(err, MC_ERR_NOT_FOUND, "DLF catalog %s does not exist", catalog);
    snprintf(region, cap, "%s", info.region);
    return 0;
}

control_env emu_actor_control_env(const emu_actor *a)
{
    return (control_env){(void *)a, cb_authorize, cb_role_exists, cb_catalog_region};
}

/* ---- actions ------------------------------------------------------------------------- */

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static int create_slr(console_ctx *c, const char *name, mc_err *err)
{
    /* ResourceManager CreateServiceLinkedRole: a RAM action (ram-sts.md §6). */
    if (emu_actor_authorize(&c->actor, "ram:CreateServiceLinkedRole", "*", err))
        return -1;
    if (strcmp(name, RAM_SLR_LAKEHOUSE_ROLE) != 0)
        return mc_err_set(err, MC_ERR_INVALID, "unknown service-linked role %s (mcdlf knows %s)", name,
                          RAM_SLR_LAKEHOUSE_ROLE);
    /* The console's step is idempotent: an existing role is the result. */
    ram_role r;
    if (ram_role_create_service_linked(c->s, c->account, RAM_SLR_LAKEHOUSE_SERVICE, &r, err) &&
        (err->code != MC_ERR_EXISTS || ram_role_get(c->s, c->account, name, &r, err)))
        return -1;
    mc_buf_printf(c->out, "%s\n", r.arn);
    ram_role_clear(&r);
    return 0;
}

int emu_console_dlf_authorize(const emu_actor *a, mc_err *err)
{
    control_env env = emu_actor_control_env(a);
    return control_dlf_authorize(a->env->state, &env, a->account, a->env->region, a->principal, err);
}

int emu_console_dlf_activate(const emu_actor *a, mc_err *err)
{
    control_env env = emu_actor_control_env(a);
    return control_dlf_activate(a->env->state, &env, a->account, a->env->region, a->principal, err);
}

int emu_console_create_catalog(const emu_actor *a, const char *name, dlf_catalog_info *out, mc_err *err)
{
    /* The DLF console's CreateCatalog: a RAM action, then a catalog with its
     * bucket and `default` database, owned by its creator. */
    if (emu_actor_authorize(a, "dlf:CreateCatalog", "*", err))
        return -1;
    bool authorized, activated;
    if (control_dlf_status(a->env->state, a->account, a->env->region, &authorized, &activated, err))
        return -1;
    if (!activated)
        return mc_err_set(err, MC_ERR_CONFLICT,
                          "DLF is not activated in %s for this account (mcdlf admin dlf activate)", a->env->region);
    if (dlf_catalog_create(a->env->state, name, a->account, a->env->region, a->principal, out, err))
        return -1;
    oss_store *store;
    if (oss_store_open(&store, a->env, err))
        return -1;
    int rc = oss_store_bucket_create(store, out->bucket, a->account, err);
    oss_store_close(store);
    if (rc && err->code != MC_ERR_EXISTS)
        return -1;
    return dlf_db_create(a->env->state, out, "default", "{}", a->principal, err);
}

static int run(console_ctx *c, int argc, char **argv, mc_err *err)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    control_env env = emu_actor_control_env(&c->actor);
    const char *region = c->actor.env->region;
    if (!strcmp(argv[0], "ram")) {
        if (argc == 4 && (!strcmp(sub, "attach-policy") || !strcmp(sub, "detach-policy"))) {
            if (emu_actor_authorize(&c->actor, !strcmp(sub, "attach-policy") ? "ram:AttachPolicyToUser"
                                                                           : "ram:DetachPolicyFromUser",
                                    "*", err))
                return -1;
            char arn[192];
            snprintf(arn, sizeof arn, "acs:ram::%s:user/%s", c->account, argv[2]);
            const char *type = ram_policy_system_document(argv[3]) ? "System" : "Custom";
            int rc = !strcmp(sub, "attach-policy") ? ram_policy_attach(c->s, arn, argv[3], type, err)
                                                   : ram_policy_detach(c->s, arn, argv[3], type, err);
            if (rc == 0)
                mc_buf_puts(c->out, "OK\n");
            return rc;
        }
        /* create-policy NAME FILE.json | NAME --document JSON */
        bool inline_doc = argc == 5 && !strcmp(argv[3], "--document");
        if ((argc == 4 || inline_doc) && !strcmp(sub, "create-policy")) {
            if (emu_actor_authorize(&c->actor, "ram:CreatePolicy", "*", err))
                return -1;
            mc_buf doc = MC_BUF_INIT;
            int rc = 0;
            if (inline_doc)
                mc_buf_puts(&doc, argv[4]);
            else
                rc = mc_file_read_all(&doc, argv[3], err);
            if (rc == 0)
                rc = ram_policy_create(c->s, argv[2], mc_buf_cstr(&doc), "", err);
            mc_buf_free(&doc);
            if (rc == 0)
                mc_buf_puts(c->out, "OK\n");
            return rc;
        }
        if (argc == 3 && !strcmp(sub, "list-policies")) {
            char arn[192], *text;
            snprintf(arn, sizeof arn, "acs:ram::%s:user/%s", c->account, argv[2]);
            if (ram_policy_list_for(c->s, arn, &text, err))
                return -1;
            mc_buf_puts(c->out, text);
            if (*text && text[strlen(text) - 1] != '\n')
                mc_buf_putc(c->out, '\n');
            free(text);
            return 0;
        }
        if (argc == 3 && !strcmp(sub, "create-service-linked-role"))
            return create_slr(c, argv[2], err);
    } else if (!strcmp(argv[0], "dlf")) {
        if (argc == 2 && !strcmp(sub, "authorize")) {
            int rc = emu_console_dlf_authorize(&c->actor, err);
            if (rc == 0)
                mc_buf_puts(c->out, "OK\n");
            return rc;
        }
        if (argc == 2 && !strcmp(sub, "activate")) {
            int rc = emu_console_dlf_activate(&c->actor, err);
            if (rc == 0)
                mc_buf_puts(c->out, "OK\n");
            return rc;
        }
        if (argc == 3 && !strcmp(sub, "create-catalog")) {
            dlf_catalog_info cat;
            if (emu_console_create_catalog(&c->actor, argv[2], &cat, err))
                return -1;
            mc_buf_printf(c->out, "%s %s\n", cat.name, cat.id);
            return 0;
        }
    } else if (!strcmp(argv[0], "mc")) {
        if (argc >= 3 && !strcmp(sub, "create-data-source")) {
            control_data_source ds, out;
            memset(&ds, 0, sizeof ds);
            snprintf(ds.name, sizeof ds.name, "%s", argv[2]);
            snprintf(ds.type, sizeof ds.type, "Paimon_DLF");
            snprintf(ds.region, sizeof ds.region, "%s", opt(argc, argv, "--region") ? opt(argc, argv, "--region")
                                                                                     : region);
            snprintf(ds.description, sizeof ds.description, "%s",
                     opt(argc, argv, "--description") ? opt(argc, argv, "--description") : "");
            if (control_data_source_create(c->s, &env, c->account, c->principal, &ds, &out, err))
                return -1;
            mc_buf_printf(c->out, "%s %s %s\n", out.name, out.type, out.endpoint);
            return 0;
        }
        if (argc >= 3 && !strcmp(sub, "create-project")) {
            control_project p, out;
            memset(&p, 0, sizeof p);
            const char *ds = opt(argc, argv, "--data-source"), *cat = opt(argc, argv, "--catalog");
            if (!ds || !cat)
                return mc_err_set(err, MC_ERR_INVALID, "create-project needs --data-source and --catalog");
            snprintf(p.name, sizeof p.name, "%s", argv[2]);
            snprintf(p.data_source, sizeof p.data_source, "%s", ds);
            snprintf(p.catalog, sizeof p.catalog, "%s", cat);
            snprintf(p.region, sizeof p.region, "%s", region);
            snprintf(p.billing, sizeof p.billing, "%s",
                     opt(argc, argv, "--billing") ? opt(argc, argv, "--billing") : "payasyougo");
            snprintf(p.quota, sizeof p.quota, "%s", opt(argc, argv, "--quota") ? opt(argc, argv, "--quota") : "");
            if (control_project_create(c->s, &env, c->account, c->principal, &p, &out, err))
                return -1;
            mc_buf_printf(c->out, "%s %s %s\n", out.name, out.data_source, out.catalog);
            return 0;
        }
    }
    return mc_err_set(err, MC_ERR_INVALID, "unknown console action: %s %s (mcdlf admin help)", argv[0], sub);
}

int emulator_console(emulator *e, const char *as_user, int argc, char **argv, char **output, mc_err *err)
{
    *output = NULL;
    if (argc < 1)
        return mc_err_set(err, MC_ERR_INVALID, "no console action");
    console_ctx c = {.e = e, .s = e->state, .account = e->account_id};
    mc_buf out = MC_BUF_INIT;
    c.out = &out;
    if (as_user)
        snprintf(c.principal, sizeof c.principal, "acs:ram::%s:user/%s", e->account_id, as_user);
    else
        emu_arn_root(c.principal, sizeof c.principal, e->account_id);
    c.actor = (emu_actor){.env = &e->env, .account = e->account_id, .principal = c.principal};
    int rc = ram_role_migrate(e->state, err) || ram_policy_migrate(e->state, err) ||
                     control_migrate(e->state, err)
                 ? -1
                 : run(&c, argc, argv, err);
    if (rc == 0)
        *output = mc_buf_detach(&out, NULL);
    mc_buf_free(&out);
    return rc;
}
