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
 *       ram create-policy NAME FILE.json, ram list-policies USER,
 *       ram create-service-linked-role NAME, dlf authorize|activate|create-catalog NAME,
 *       mc create-data-source NAME [...], mc create-project NAME --data-source DS --catalog C [...]
 *   (these are the emulator's console actions, emulator_console)
 *
 * They act as the account owner on the embedded profile's emulator state.
 * Errors print the service's message and exit non-zero.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
          "       mcdlf admin [--state DIR] [--as USER] ram create-policy NAME FILE.json | list-policies USER\n"
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

/* "catalog C" | "database [C.]D" | "table [C.]D.T" (default catalog when omitted). */
static int parse_resource(char **argv, int argc, const char *dflt_catalog, char **cat, char **db, char **tbl,
                          mc_err *err)
{
    *cat = *db = *tbl = NULL;
    if (argc != 2)
        return mc_err_set(err, MC_ERR_INVALID, "expected: on catalog C | database [C.]D | table [C.]D.T");
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

static int run(emulator *e, const char *as_user, int argc, char **argv, mc_err *err)
{
    if (argc >= 3 && !strcmp(argv[0], "ram") && !strcmp(argv[1], "create-user") && argc == 3) {
        emulator_key k;
        if (emulator_ram_user_key(e, argv[2], 0, &k, err) == 0)
            return mc_err_set(err, MC_ERR_EXISTS, "RAM user %s already exists", argv[2]);
        if (emulator_ram_user_key(e, argv[2], 1, &k, err))
            return -1;
        printf("%s\n", k.arn);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[0], "ram") && !strcmp(argv[1], "create-access-key")) {
        emulator_key k;
        if (emulator_ram_user_key(e, argv[2], 0, &k, err))
            return -1;
        printf("AccessKeyId: %s\nAccessKeySecret: %s\n", k.id, k.secret);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[0], "dlf") && !strcmp(argv[1], "list-grants") && argc <= 3) {
        char *text;
        if (emulator_dlf_grants(e, argc == 3 ? argv[2] : NULL, &text, err))
            return -1;
        fputs(text, stdout);
        free(text);
        return 0;
    }
    if (argc == 7 && !strcmp(argv[0], "dlf") && (!strcmp(argv[1], "grant") || !strcmp(argv[1], "revoke")) &&
        !strcmp(argv[4], "on")) {
        char *cat, *db, *tbl;
        const char *dflt = emulator_catalog(e) ? emulator_catalog(e) : "";
        if (parse_resource(argv + 5, 2, dflt, &cat, &db, &tbl, err))
            return -1;
        int rc = emulator_dlf_grant(e, argv[2], argv[3], cat, db, tbl, !strcmp(argv[1], "revoke"), err);
        free(cat);
        free(db);
        free(tbl);
        if (rc == 0)
            printf("OK\n");
        return rc;
    }
    /* Everything else is a console action of the emulator (RAM, DLF, MaxCompute consoles). */
    char *out;
    if (emulator_console(e, as_user, argc, argv, &out, err))
        return -1;
    fputs(out, stdout);
    free(out);
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
    int rc = emulator_start(&e, state ? state : p->state_dir, NULL, &err);
    if (rc == 0)
        rc = run(e, as_user, argc - i, argv + i, &err);
    if (rc)
        fprintf(stderr, "FAILED: %s\n", err.msg);
    emulator_stop(e);
    config_profile_free(p);
    return rc ? 1 : 0;
}
