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
#include <time.h>

#include "cli.h"
#include "client/http.h"
#include "config.h"
#include "crypto.h"
#include "emulator.h"
#include "sign_pop.h"
#include "strutil.h"

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

/* Service-linked roles by name and the ServiceName CreateServiceLinkedRole
 * takes for each (the emulator's ram/role.h RAM_SLR_LAKEHOUSE_*). */
static const char *const SLR_SERVICES[][2] = {
    {"AliyunServiceRoleForMaxComputeLakehouse", "lakehouse.odps.aliyuncs.com"},
};

/* One POP RPC call on the emulator's RAM endpoint, signed with ACS3-HMAC-SHA256
 * (reference/ram-sts.md §5.2) with the key of as_user or of the owner; the
 * parameters go in the query string as the Tea SDKs send them (§5.1).
 * *out is the JSON answer (caller decrefs); a POP error becomes err. */
static int pop_call(emulator *e, const char *as_user, const char *version, const char *action, const char *name,
                    const char *value, json_t **out, mc_err *err)
{
    *out = NULL;
    emulator_key k;
    if (as_user) {
        if (emulator_ram_user_key(e, as_user, 0, &k, err))
            return -1;
    } else {
        snprintf(k.id, sizeof k.id, "%s", emulator_owner_key_id(e));
        snprintf(k.secret, sizeof k.secret, "%s", emulator_owner_key_secret(e));
    }
    const char *endpoint = emulator_endpoint(e, "ram");
    const char *host = strstr(endpoint, "://") ? strstr(endpoint, "://") + 3 : endpoint;
    mc_buf qs = MC_BUF_INIT;
    mc_url_encode(&qs, name, strlen(name), false);
    mc_buf_putc(&qs, '=');
    mc_url_encode(&qs, value, strlen(value), false);
    uint8_t raw[16];
    char nonce[33], date[32];
    mc_random_bytes(raw, sizeof raw);
    mc_hex_lower(nonce, raw, sizeof raw);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    static const char EMPTY_SHA256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    mc_header h[8] = {{"host", host},
                      {"x-acs-action", action},
                      {"x-acs-version", version},
                      {"x-acs-date", date},
                      {"x-acs-signature-nonce", nonce},
                      {"x-acs-content-sha256", EMPTY_SHA256},
                      {"accept", "application/json"}};
    mc_query q;
    int rc = mc_query_parse(&q, mc_buf_cstr(&qs));
    if (rc) {
        mc_buf_free(&qs);
        return mc_err_set(err, MC_ERR_INVALID, "bad parameter %s", name);
    }
    sign_pop_request sr = {"POST", "/", &q, h, 7, EMPTY_SHA256};
    mc_buf auth = MC_BUF_INIT;
    sign_pop_v3_authorization(&auth, &sr, NULL, k.id, k.secret);
    h[7] = (mc_header){"Authorization", mc_buf_cstr(&auth)};
    char *url = mc_asprintf("%s/?%s", endpoint, mc_buf_cstr(&qs));
    http_request req = {.method = "POST", .url = url, .headers = h, .nheaders = 8};
    http_response resp;
    rc = http_send(&resp, &req, err);
    if (rc == 0) {
        json_t *j = json_loadb(resp.body.data ? resp.body.data : "", resp.body.len, 0, NULL);
        const char *code = json_string_value(json_object_get(j, "Code"));
        const char *msg = json_string_value(json_object_get(j, "Message"));
        if (resp.status == 200 && j) {
            *out = j;
        } else {
            rc = mc_err_set(err, MC_ERR_REMOTE, "%s: %s", code ? code : "HTTP error", msg ? msg : "no message");
            err->http_status = (int)resp.status;
            snprintf(err->remote_code, sizeof err->remote_code, "%s", code ? code : "");
            json_decref(j);
        }
        http_response_clear(&resp);
    }
    free(url);
    mc_buf_free(&auth);
    mc_buf_free(&qs);
    mc_query_free(&q);
    return rc;
}

static int create_slr(emulator *e, const char *as_user, const char *role, mc_err *err)
{
    const char *service = NULL;
    for (size_t i = 0; i < sizeof SLR_SERVICES / sizeof *SLR_SERVICES; i++)
        if (!strcmp(SLR_SERVICES[i][0], role))
            service = SLR_SERVICES[i][1];
    if (!service)
        return mc_err_set(err, MC_ERR_INVALID, "unknown service-linked role %s (mcdlf knows %s)", role,
                          SLR_SERVICES[0][0]);
    json_t *j;
    if (pop_call(e, as_user, "2020-03-31", "CreateServiceLinkedRole", "ServiceName", service, &j, err))
        return -1;
    printf("%s\n", json_string_value(json_object_get(json_object_get(j, "Role"), "Arn")));
    json_decref(j);
    return 0;
}

static int run(emulator *e, const char *as_user, int argc, char **argv, mc_err *err)
{
    if (argc == 3 && !strcmp(argv[0], "ram") && !strcmp(argv[1], "create-service-linked-role"))
        return create_slr(e, as_user, argv[2], err);
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
