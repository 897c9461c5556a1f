/*
 * admin: the console actions of the seed's steps as commands (issue 6
 * names; keep them stable):
 *
 *   mcdlf admin [--state DIR] ram create-user NAME
 *   mcdlf admin [--state DIR] ram create-access-key NAME
 *   mcdlf admin [--state DIR] dlf grant USER PRIVILEGE on catalog C | database [C.]D | table [C.]D.T
 *   mcdlf admin [--state DIR] dlf revoke USER PRIVILEGE on ...
 *   mcdlf admin [--state DIR] dlf list-grants [USER]
 *   mcdlf admin [--state DIR] [--as USER] ram attach-policy|detach-policy USER POLICY,
 *       ram create-policy NAME FILE.json | NAME --document JSON, ram list-policies USER,
 *       ram create-service-linked-role NAME, dlf authorize|activate|create-catalog NAME,
 *       mc create-data-source NAME [...], mc create-project NAME --data-source DS --catalog C [...]
 *   (these are the emulator's console actions, emulator_console, except
 *   create-service-linked-role, which calls ResourceManager's
 *   CreateServiceLinkedRole on the emulator's RAM endpoint, signed with
 *   ACS3-HMAC-SHA256 as the account owner or the --as user)
 *
 * They act as the account owner on the embedded profile's emulator state.
 * Errors print the service's message and exit non-zero.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "client/pop_client.h"
#include "config.h"
#include "emulator.h"

static void admin_usage(FILE *f)
{
    fputs("usage: mcdlf admin [--state DIR] ram create-user NAME\n"
          "       mcdlf admin [--state DIR] ram create-access-key NAME\n"
          "       mcdlf admin [--state DIR] dlf grant USER PRIVILEGE on catalog C | database [C.]D | table [C.]D.T\n"
          "       mcdlf admin [--state DIR] dlf revoke USER PRIVILEGE on catalog C | database [C.]D | table [C.]D.T\n"
          "       mcdlf admin [--state DIR] dlf list-grants [USER]\n"
          "       mcdlf admin [--state DIR] [--as USER] ram attach-policy|detach-policy USER POLICY\n"
          "       mcdlf admin [--state DIR] [--as USER] ram create-policy NAME FILE.json | NAME --document JSON\n"
          "       mcdlf admin [--state DIR] [--as USER] ram list-policies USER\n"
          "       mcdlf admin [--state DIR] [--as USER] ram create-service-linked-role AliyunServiceRoleForMaxComputeLakehouse\n"
          "       mcdlf admin [--state DIR] [--as USER] dlf authorize | activate | create-catalog NAME\n"
          "       mcdlf admin [--state DIR] [--as USER] mc create-data-source NAME [--region R] [--description D]\n"
          "       mcdlf admin [--state DIR] [--as USER] mc create-project NAME --data-source DS --catalog C\n"
          "                                           [--billing payasyougo|subscription] [--quota Q]\n"
          "--as USER performs the action as that RAM user (its RAM policies decide); default the account owner.\n"
          "PRIVILEGE: ALL, ALTER, DROP, GRANT, CREATE_DATABASE, DESCRIBE, CREATE_TABLE, CREATE_FUNCTION, LIST,\n"
          "           SELECT, UPDATE\n",
          f);
}

int cli_admin_resource(char *const *argv, const char *dflt_catalog, char **cat, char **db, char **tbl, mc_err *err)
{
    *cat = *db = *tbl = NULL;
    const char *kind = argv[0], *name = argv[1];
    char *parts[3] = {NULL, NULL, NULL};
    int n = 0;
    char *copy = strdup(name), *save = NULL;
    for (char *p = strtok_r(copy, ".", &save); p && n < 3; p = strtok_r(NULL, ".", &save))
        parts[n++] = strdup(p);
    free(copy);
    int rc = 0;
    if (!strcmp(kind, "catalog") && n == 1) {
        *cat = parts[0];
    } else if (!strcmp(kind, "database") && (n == 1 || n == 2)) {
        *cat = n == 2 ? parts[0] : strdup(dflt_catalog);
        *db = parts[n - 1];
        if (n == 2)
            parts[0] = NULL;
        parts[n - 1] = NULL;
    } else if (!strcmp(kind, "table") && (n == 2 || n == 3)) {
        *cat = n == 3 ? parts[0] : strdup(dflt_catalog);
        *db = parts[n - 2];
        *tbl = parts[n - 1];
        if (n == 3)
            parts[0] = NULL;
        parts[n - 2] = parts[n - 1] = NULL;
    } else {
        rc = mc_err_set(err, MC_ERR_INVALID, "expected: on catalog C | database [C.]D | table [C.]D.T, got: on %s %s",
                        kind, name);
    }
    if (rc == 0 && !strcmp(kind, "catalog"))
        parts[0] = NULL;
    for (int i = 0; i < 3; i++)
        free(parts[i]);
    return rc;
}

/* Service-linked roles by name and the ServiceName CreateServiceLinkedRole
 * takes for each (the emulator's ram/role.h RAM_SLR_LAKEHOUSE_*). */
static const char *const SLR_SERVICES[][2] = {
    {"AliyunServiceRoleForMaxComputeLakehouse", "lakehouse.odps.aliyuncs.com"},
};

static int create_slr(emulator *e, const char *as_user, const char *role, mc_buf *out, mc_err *err)
{
    const char *service = NULL;
    for (size_t i = 0; i < sizeof SLR_SERVICES / sizeof *SLR_SERVICES; i++)
        if (!strcmp(SLR_SERVICES[i][0], role))
            service = SLR_SERVICES[i][1];
    if (!service)
        return mc_err_set(err, MC_ERR_INVALID, "unknown service-linked role %s (mcdlf knows %s)", role,
                          SLR_SERVICES[0][0]);
    /* Signed as the owner or the --as user, on the emulator's RAM endpoint. */
    emulator_key k;
    if (as_user) {
        if (emulator_ram_user_key(e, as_user, 0, &k, err))
            return -1;
    } else {
        snprintf(k.id, sizeof k.id, "%s", emulator_owner_key_id(e));
        snprintf(k.secret, sizeof k.secret, "%s", emulator_owner_key_secret(e));
    }
    pop_client_config cfg = {.endpoint = emulator_endpoint(e, "ram"), .access_key_id = k.id,
                             .access_key_secret = k.secret};
    const char *params[] = {"ServiceName", service, NULL};
    json_t *j;
    if (pop_client_call(&cfg, "2020-03-31", "CreateServiceLinkedRole", params, &j, err))
        return -1;
    mc_buf_printf(out, "%s\n", json_string_value(json_object_get(json_object_get(j, "Role"), "Arn")));
    json_decref(j);
    return 0;
}

int cli_admin_run(emulator *e, const char *as_user, int argc, char **argv, mc_buf *out, mc_err *err)
{
    if (argc == 3 && !strcmp(argv[0], "ram") && !strcmp(argv[1], "create-service-linked-role"))
        return create_slr(e, as_user, argv[2], out, err);
    if (argc >= 3 && !strcmp(argv[0], "ram") && !strcmp(argv[1], "create-user") && argc == 3) {
        emulator_key k;
        if (emulator_ram_user_key(e, argv[2], 0, &k, err) == 0)
            return mc_err_set(err, MC_ERR_EXISTS, "RAM user %s already exists", argv[2]);
        if (emulator_ram_user_key(e, argv[2], 1, &k, err))
            return -1;
        mc_buf_printf(out, "%s\n", k.arn);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[0], "ram") && !strcmp(argv[1], "create-access-key")) {
        emulator_key k;
        if (emulator_ram_user_key(e, argv[2], 0, &k, err))
            return -1;
        mc_buf_printf(out, "AccessKeyId: %s\nAccessKeySecret: %s\n", k.id, k.secret);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[0], "dlf") && !strcmp(argv[1], "list-grants") && argc <= 3) {
        char *text;
        if (emulator_dlf_grants(e, argc == 3 ? argv[2] : NULL, &text, err))
            return -1;
        mc_buf_puts(out, text);
        free(text);
        return 0;
    }
    if (argc == 7 && !strcmp(argv[0], "dlf") && (!strcmp(argv[1], "grant") || !strcmp(argv[1], "revoke")) &&
        !strcmp(argv[4], "on")) {
        char *cat, *db, *tbl;
        const char *dflt = emulator_catalog(e) ? emulator_catalog(e) : "";
        if (cli_admin_resource(argv + 5, dflt, &cat, &db, &tbl, err))
            return -1;
        int rc = emulator_dlf_grant(e, argv[2], argv[3], cat, db, tbl, !strcmp(argv[1], "revoke"), err);
        free(cat);
        free(db);
        free(tbl);
        if (rc == 0)
            mc_buf_puts(out, "OK\n");
        return rc;
    }
    /* Everything else is a console action of the emulator (RAM, DLF, MaxCompute consoles). */
    char *text;
    if (emulator_console(e, as_user, argc, argv, &text, err))
        return -1;
    mc_buf_puts(out, text);
    free(text);
    return 0;
}

int cli_admin(int argc, char **argv)
{
    const char *state = NULL;
    int i = 1;
    if (argc >= 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help"))) {
        admin_usage(stdout);
        return 0;
    }
    const char *as_user = NULL;
    for (;;) {
        if (argc >= i + 2 && !strcmp(argv[i], "--state")) {
            state = argv[i + 1];
            i += 2;
        } else if (argc >= i + 2 && !strcmp(argv[i], "--as")) {
            as_user = argv[i + 1];
            i += 2;
        } else {
            break;
        }
    }
    if (i >= argc) {
        admin_usage(stderr);
        return 2;
    }
    mc_err err;
    config_profile *p;
    if (config_profile_load(&p, NULL, NULL, &err)) {
        fprintf(stderr, "mcdlf admin: %s\n", err.msg);
        return 1;
    }
    if (p->kind != CONFIG_EMBEDDED) {
        fprintf(stderr, "mcdlf admin: only the embedded profile is supported yet\n");
        config_profile_free(p);
        return 1;
    }
    emulator *e = NULL;
    mc_buf out = MC_BUF_INIT;
    int rc = emulator_start(&e, state ? state : p->state_dir, NULL, &err);
    if (rc == 0)
        rc = cli_admin_run(e, as_user, argc - i, argv + i, &out, &err);
    fputs(mc_buf_cstr(&out), stdout);
    mc_buf_free(&out);
    if (rc)
        fprintf(stderr, "FAILED: %s\n", err.msg);
    emulator_stop(e);
    config_profile_free(p);
    return rc ? 1 : 0;
}
