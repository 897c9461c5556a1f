/*
 * admin: the console actions of the seed's steps as commands (issue 6
 * names; keep them stable):
 *
 *   mcdlf admin [--state DIR] ram create-user NAME
 *   mcdlf admin [--state DIR] ram create-access-key NAME
 *   mcdlf admin [--state DIR] dlf grant USER PRIVILEGE on catalog C | database [C.]D | table [C.]D.T
 *   mcdlf admin [--state DIR] dlf revoke USER PRIVILEGE on ...
 *   mcdlf admin [--state DIR] dlf list-grants [USER]
 *   mcdlf admin [--state DIR] dlf grant|revoke USER "Data Reader"|"Data Editor" on ...
 *   mcdlf admin [--state DIR] dlf create-role|drop-role NAME, dlf list-roles,
 *       dlf add-role-member|remove-role-member ROLE USER
 *   (USER: a RAM user name, role/<RAM role> or, for grants, role:<DLF role>)
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
 * On a url or live profile (--config/--profile) they act as the profile's
 * AccessKey through the services' APIs (cli_admin_remote): RAM,
 * ResourceManager, DLF's permission API (docs/dlf-permissions-api.md) and
 * the control-plane API (docs/control-plane-api.md); the DLF role verbs and
 * --as need the embedded profile.
 * Errors print the service's message and exit non-zero.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "client/pop_client.h"
#include "client/rest_catalog.h"
#include "config.h"
#include "emulator.h"
#include "fsutil.h"

static void admin_usage(FILE *f)
{
    fputs("usage: mcdlf admin [--config FILE] [--profile NAME] [--state DIR] ram create-user NAME\n"
          "       mcdlf admin [--state DIR] ram create-access-key NAME\n"
          "       mcdlf admin [--state DIR] dlf grant USER PRIVILEGE on catalog C | database [C.]D | table [C.]D.T\n"
          "       mcdlf admin [--state DIR] dlf revoke USER PRIVILEGE on catalog C | database [C.]D | table [C.]D.T\n"
          "       mcdlf admin [--state DIR] dlf list-grants [USER]\n"
          "       mcdlf admin [--state DIR] dlf grant|revoke USER TEMPLATE on catalog C | database [C.]D | table [C.]D.T\n"
          "       mcdlf admin [--state DIR] dlf create-role NAME | drop-role NAME | list-roles\n"
          "       mcdlf admin [--state DIR] dlf add-role-member | remove-role-member ROLE USER\n"
          "       mcdlf admin [--state DIR] [--as USER] ram attach-policy|detach-policy USER POLICY\n"
          "       mcdlf admin [--state DIR] [--as USER] ram create-policy NAME FILE.json | NAME --document JSON\n"
          "       mcdlf admin [--state DIR] [--as USER] ram list-policies USER\n"
          "       mcdlf admin [--state DIR] [--as USER] ram create-service-linked-role AliyunServiceRoleForMaxComputeLakehouse\n"
          "       mcdlf admin [--state DIR] [--as USER] dlf authorize | activate | create-catalog NAME\n"
          "       mcdlf admin [--state DIR] [--as USER] mc create-data-source NAME [--region R] [--description D]\n"
          "       mcdlf admin [--state DIR] [--as USER] mc create-project NAME --data-source DS --catalog C\n"
          "                                           [--billing payasyougo|subscription] [--quota Q]\n"
          "--as USER performs the action as that RAM user (its RAM policies decide); default the account owner.\n"
          "On a url or live profile the actions call the services' APIs with the profile's AccessKey (USER: a\n"
          "RAM user name or an ARN); the DLF role verbs and --as need the embedded profile.\n"
          "PRIVILEGE: ALL, ALTER, DROP, GRANT, CREATE_DATABASE, DESCRIBE, CREATE_TABLE, CREATE_FUNCTION, LIST,\n"
          "           SELECT, UPDATE\n"
          "TEMPLATE: \"Data Reader\" (DESCRIBE, LIST, SELECT) or \"Data Editor\" (those and UPDATE, CREATE_TABLE)\n"
          "USER (embedded profile): a RAM user name, role/RAMROLE (a RAM role: every STS session of it) or,\n"
          "          in grants, role:NAME (a DLF role: admin, super_administrator or one made by create-role)\n",
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

/* ResourceManager CreateServiceLinkedRole (reference/ram-sts.md §6) with cfg's AccessKey. */
static int create_slr(const pop_client_config *cfg, const char *role, mc_buf *out, mc_err *err)
{
    const char *service = NULL;
    for (size_t i = 0; i < sizeof SLR_SERVICES / sizeof *SLR_SERVICES; i++)
        if (!strcmp(SLR_SERVICES[i][0], role))
            service = SLR_SERVICES[i][1];
    if (!service)
        return mc_err_set(err, MC_ERR_INVALID, "unknown service-linked role %s (mcdlf knows %s)", role,
                          SLR_SERVICES[0][0]);
    const char *params[] = {"ServiceName", service, NULL};
    json_t *j;
    if (pop_client_call(cfg, "2020-03-31", "CreateServiceLinkedRole", params, &j, err))
        return -1;
    mc_buf_printf(out, "%s\n", json_string_value(json_object_get(json_object_get(j, "Role"), "Arn")));
    json_decref(j);
    return 0;
}

/* On the embedded emulator's RAM endpoint, signed as the owner or the --as user. */
static int embedded_slr(emulator *e, const char *as_user, const char *role, mc_buf *out, mc_err *err)
{
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
    return create_slr(&cfg, role, out, err);
}

/* ---- dlf grant|revoke|list-grants on url and live profiles --------------------------
 * Through DLF's permission API (docs/dlf-permissions-api.md), signed with the
 * profile's AccessKey: the catalog id comes from the REST catalog's config
 * handshake, user names become ARNs with the caller's account uid (STS
 * GetCallerIdentity). The emulator serves the API on its DLF endpoint; the
 * live service on dlfnext.<region>.aliyuncs.com (api-dlfnext-2025-03-10-endpoint). */

#define DLF_API_VERSION "2025-03-10"

typedef struct {
    pop_client_config pop;
    char dlfnext[160];
    char catalog_id[128];
    char uid[32];
    char path[256];
} remote_dlf;

/* The account uid of the profile's AccessKey, by STS GetCallerIdentity
 * (reference/ram-sts.md §4; the emulator's RAM endpoint serves STS too);
 * *sts: the STS client configuration used. */
static int caller_uid(const config_profile *p, pop_client_config *sts, char uid[32], mc_err *err)
{
    *sts = (pop_client_config){.endpoint = p->kind == CONFIG_LIVE ? "https://sts.aliyuncs.com" : p->ram_endpoint,
                               .access_key_id = p->access_key_id, .access_key_secret = p->access_key_secret,
                               .security_token = p->security_token, .ca_file = p->ca_file};
    json_t *j;
    if (!sts->endpoint)
        return mc_err_set(err, MC_ERR_INVALID, "profile %s names no ram_endpoint", p->name);
    if (pop_client_call(sts, "2015-04-01", "GetCallerIdentity", NULL, &j, err))
        return -1;
    snprintf(uid, 32, "%s", json_string_value(json_object_get(j, "AccountId")) ?: "");
    json_decref(j);
    return 0;
}

static int remote_open(remote_dlf *d, const config_profile *p, mc_err *err)
{
    memset(d, 0, sizeof *d);
    if (!p->dlf_endpoint || !p->catalog || !p->access_key_id || !p->access_key_secret)
        return mc_err_set(err, MC_ERR_INVALID,
                          "profile %s needs dlf_endpoint, catalog and an AccessKey for mcdlf admin dlf", p->name);
    rest_catalog_config rc = {.uri = p->dlf_endpoint, .warehouse = p->catalog, .region = p->region,
                              .access_key_id = p->access_key_id, .access_key_secret = p->access_key_secret,
                              .security_token = p->security_token, .ca_file = p->ca_file};
    rest_catalog *c;
    if (rest_catalog_open(&c, &rc, err))
        return -1;
    snprintf(d->catalog_id, sizeof d->catalog_id, "%s", rest_catalog_option(c, "prefix"));
    rest_catalog_close(c);
    pop_client_config sts;
    if (caller_uid(p, &sts, d->uid, err))
        return -1;
    if (p->kind == CONFIG_LIVE)
        snprintf(d->dlfnext, sizeof d->dlfnext, "https://dlfnext.%s.aliyuncs.com", p->region ? p->region : "");
    else
        snprintf(d->dlfnext, sizeof d->dlfnext, "%s", p->dlf_endpoint);
    d->pop = sts;
    d->pop.endpoint = d->dlfnext;
    return 0;
}

/* USER as an ARN: a full ARN as given, a name as a RAM user of the caller's account. */
static char *principal_arn(const remote_dlf *d, const char *user)
{
    return !strncmp(user, "acs:", 4) ? mc_strdup(user) : mc_asprintf("acs:ram::%s:user/%s", d->uid, user);
}

static int remote_call(remote_dlf *d, const char *action, const char *method, const char *verb,
                       const char *const *query, const json_t *body, json_t **out, mc_err *err)
{
    snprintf(d->path, sizeof d->path, "/dlf/v1/auth/permissions/%s/%s", d->catalog_id, verb);
    return pop_client_roa(&d->pop, DLF_API_VERSION, action, method, d->path, query, body, out, err);
}

static int remote_grant(remote_dlf *d, const char *catalog, bool revoke, const char *user, const char *privilege,
                        char *const *on, mc_buf *out, mc_err *err)
{
    char *cat, *db, *tbl;
    if (cli_admin_resource(on, "", &cat, &db, &tbl, err))
        return -1;
    json_t *perm = json_object();
    char *arn = principal_arn(d, user);
    json_object_set_new(perm, "principal", json_string(arn));
    json_object_set_new(perm, "resourceType", json_string(tbl ? "TABLE" : db ? "DATABASE" : "CATALOG"));
    if (db)
        json_object_set_new(perm, "database", json_string(db));
    if (tbl)
        json_object_set_new(perm, "table", json_string(tbl));
    json_object_set_new(perm, "access", json_string(privilege));
    json_t *body = json_object(), *j = NULL;
    json_object_set_new(body, "permissions", json_pack("[o]", perm));
    int rc = 0;
    /* The API names catalogs by id: only the profile's catalog is reachable. */
    if (*cat && strcmp(cat, catalog))
        rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "only the profile's catalog %s is reachable here, not %s", catalog,
                        cat);
    if (rc == 0)
        rc = remote_call(d, revoke ? "BatchRevokePermissions" : "BatchGrantPermissions", "POST",
                         revoke ? "batchrevoke" : "batchgrant", NULL, body, &j, err);
    json_t *failure = json_array_get(json_object_get(j, "failurePermissions"), 0);
    if (rc == 0 && failure)
        rc = mc_err_set(err, MC_ERR_REMOTE, "%s: %s", json_string_value(json_object_get(failure, "errorCode")),
                        json_string_value(json_object_get(failure, "errorMessage")));
    else if (rc == 0)
        mc_buf_puts(out, "OK\n");
    json_decref(j);
    json_decref(body);
    free(arn);
    free(cat);
    free(db);
    free(tbl);
    return rc;
}

typedef struct {
    char *principal, *access, *db, *tbl;
    const char *type;
} remote_row;

/* dlf_grants_list's order: principal, database, table, privilege. */
static int row_cmp(const void *a, const void *b)
{
    const remote_row *x = a, *y = b;
    int c = strcmp(x->principal, y->principal);
    if (!c)
        c = strcmp(x->db, y->db);
    if (!c)
        c = strcmp(x->tbl, y->tbl);
    return c ? c : strcmp(x->access, y->access);
}

static int remote_list(remote_dlf *d, const char *catalog, const char *user, mc_buf *out, mc_err *err)
{
    static const char *const TYPES[] = {"CATALOG", "DATABASE", "TABLE"};
    char *arn = user ? principal_arn(d, user) : NULL;
    remote_row *rows = NULL;
    size_t n = 0;
    int rc = 0;
    for (size_t t = 0; t < 3 && rc == 0; t++) {
        char *token = NULL;
        do {
            const char *q[8] = {"resourceType", TYPES[t]};
            size_t nq = 2;
            if (arn) {
                q[nq++] = "principal";
                q[nq++] = arn;
            }
            if (token) {
                q[nq++] = "pageToken";
                q[nq++] = token;
            }
            json_t *j;
            rc = remote_call(d, "ListPermissions", "GET", "list", q, NULL, &j, err);
            free(token);
            token = NULL;
            if (rc)
                break;
            size_t i;
            json_t *p;
            json_array_foreach(json_object_get(j, "permissions"), i, p) {
                rows = mc_realloc(rows, (n + 1) * sizeof *rows);
                const char *db = json_string_value(json_object_get(p, "database"));
                const char *tbl = json_string_value(json_object_get(p, "table"));
                rows[n++] = (remote_row){mc_strdup(json_string_value(json_object_get(p, "principal")) ?: ""),
                                         mc_strdup(json_string_value(json_object_get(p, "access")) ?: ""),
                                         mc_strdup(db ? db : ""), mc_strdup(tbl ? tbl : ""), TYPES[t]};
            }
            const char *next = json_string_value(json_object_get(j, "nextPageToken"));
            token = next ? mc_strdup(next) : NULL;
            json_decref(j);
        } while (token);
    }
    if (rc == 0 && n)
        qsort(rows, n, sizeof *rows, row_cmp);
    for (size_t i = 0; i < n; i++) {
        /* The lines of dlf_grants_list: "principal PRIVILEGE on TYPE name". */
        if (rc == 0)
            mc_buf_printf(out, "%s %s on %s %s%s%s%s%s\n", rows[i].principal, rows[i].access, rows[i].type, catalog,
                          *rows[i].db ? "." : "", rows[i].db, *rows[i].tbl ? "." : "", rows[i].tbl);
        free(rows[i].principal);
        free(rows[i].access);
        free(rows[i].db);
        free(rows[i].tbl);
    }
    free(rows);
    free(arn);
    return rc;
}

/* The dlf grant commands on a url or live profile; 1 when argv is not one of them. */
/* ---- ram create-user|create-access-key|attach-policy|... on url and live profiles ----
 * Through the RAM API (RPC 2015-05-01, reference/ram-sts.md §5) with the
 * profile's AccessKey: the emulator's `ram` endpoint, or ram.aliyuncs.com
 * (RAM is a global service). Output as the embedded console prints it;
 * refusals print the service's Code and Message. */

#define RAM_API_VERSION "2015-05-01"

static int ram_call(const config_profile *p, const char *action, const char *const *params, json_t **out,
                    mc_err *err)
{
    pop_client_config ram = {.endpoint = p->ram_endpoint ? p->ram_endpoint
                                         : p->kind == CONFIG_LIVE ? "https://ram.aliyuncs.com"
                                                                  : NULL,
                             .access_key_id = p->access_key_id, .access_key_secret = p->access_key_secret,
                             .security_token = p->security_token, .ca_file = p->ca_file};
    if (!ram.endpoint)
        return mc_err_set(err, MC_ERR_INVALID, "profile %s names no ram_endpoint", p->name);
    if (!ram.access_key_id || !ram.access_key_secret)
        return mc_err_set(err, MC_ERR_INVALID, "profile %s has no AccessKey for mcdlf admin ram", p->name);
    json_t *j = NULL;
    int rc = pop_client_call(&ram, RAM_API_VERSION, action, params, &j, err);
    if (out)
        *out = j;
    else
        json_decref(j);
    return rc;
}

/* Attach/detach name a policy with its type: a system policy when RAM knows
 * one by that name, else the account's custom policy (the console's choice). */
static int ram_policy_call(const config_profile *p, const char *action, const char *user, const char *policy,
                           mc_err *err)
{
    const char *sys[] = {"PolicyType", "System", "PolicyName", policy, "UserName", user, NULL};
    if (ram_call(p, action, sys, NULL, err) == 0)
        return 0;
    if (err->code != MC_ERR_REMOTE || strcmp(err->remote_code, "EntityNotExist.Policy") != 0)
        return -1;
    const char *custom[] = {"PolicyType", "Custom", "PolicyName", policy, "UserName", user, NULL};
    return ram_call(p, action, custom, NULL, err);
}

static int remote_ram(const config_profile *p, int argc, char **argv, mc_buf *out, mc_err *err)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    json_t *j;
    if (argc == 3 && !strcmp(sub, "create-user")) {
        const char *params[] = {"UserName", argv[2], NULL};
        if (ram_call(p, "CreateUser", params, NULL, err))
            return -1;
        pop_client_config sts;
        char uid[32];
        if (caller_uid(p, &sts, uid, err))
            return -1;
        mc_buf_printf(out, "acs:ram::%s:user/%s\n", uid, argv[2]);
        return 0;
    }
    if (argc == 3 && !strcmp(sub, "create-access-key")) {
        const char *params[] = {"UserName", argv[2], NULL};
        if (ram_call(p, "CreateAccessKey", params, &j, err))
            return -1;
        json_t *k = json_object_get(j, "AccessKey");
        mc_buf_printf(out, "AccessKeyId: %s\nAccessKeySecret: %s\n",
                      json_string_value(json_object_get(k, "AccessKeyId")) ?: "",
                      json_string_value(json_object_get(k, "AccessKeySecret")) ?: "");
        json_decref(j);
        return 0;
    }
    if (argc == 4 && (!strcmp(sub, "attach-policy") || !strcmp(sub, "detach-policy"))) {
        if (ram_policy_call(p, !strcmp(sub, "attach-policy") ? "AttachPolicyToUser" : "DetachPolicyFromUser", argv[2],
                            argv[3], err))
            return -1;
        mc_buf_puts(out, "OK\n");
        return 0;
    }
    if (argc == 3 && !strcmp(sub, "list-policies")) {
        const char *params[] = {"UserName", argv[2], NULL};
        if (ram_call(p, "ListPoliciesForUser", params, &j, err))
            return -1;
        json_t *list = json_object_get(json_object_get(j, "Policies"), "Policy"), *v;
        size_t i;
        json_array_foreach(list, i, v)
            mc_buf_printf(out, "%s %s\n", json_string_value(json_object_get(v, "PolicyName")) ?: "",
                          json_string_value(json_object_get(v, "PolicyType")) ?: "");
        json_decref(j);
        return 0;
    }
    bool inline_doc = argc == 5 && !strcmp(argv[3], "--document");
    if ((argc == 4 || inline_doc) && !strcmp(sub, "create-policy")) {
        mc_buf doc = MC_BUF_INIT;
        if (inline_doc)
            mc_buf_puts(&doc, argv[4]);
        else if (mc_file_read_all(&doc, argv[3], err))
            return -1;
        const char *params[] = {"PolicyName", argv[2], "PolicyDocument", mc_buf_cstr(&doc), NULL};
        int rc = ram_call(p, "CreatePolicy", params, NULL, err);
        mc_buf_free(&doc);
        if (rc == 0)
            mc_buf_puts(out, "OK\n");
        return rc;
    }
    return 1;
}

/* ---- the consoles' actions on url and live profiles ---------------------------------
 * Through the control-plane OpenAPI (docs/control-plane-api.md) with the
 * profile's AccessKey: MaxCompute 2022-01-04 on the profile's mc endpoint
 * (live: maxcompute.<region>.aliyuncs.com, reference/maxcompute-control.md §4),
 * DlfNext 2025-03-10 on its DLF endpoint (live: dlfnext.<region>.aliyuncs.com),
 * ResourceManager on its RAM endpoint (live: resourcemanager.aliyuncs.com).
 * What has no public API (foreign servers, DLF's cloud-resource
 * authorisation) is mcdlf's own: served by `mcdlf serve`, refused on live.
 * Output and refusals read as on the embedded profile: a refusal prints the
 * service's Message, which is the console's text. */

#define MC_API_VERSION "2022-01-04"

static pop_client_config profile_pop(const config_profile *p, const char *endpoint)
{
    return (pop_client_config){.endpoint = endpoint, .access_key_id = p->access_key_id,
                               .access_key_secret = p->access_key_secret, .security_token = p->security_token,
                               .ca_file = p->ca_file};
}

/* The endpoint of an API: the profile's (url), the public host (live), or
 * a refusal naming what is missing. */
static const char *api_endpoint(const config_profile *p, const char *mine, const char *live_fmt, char *buf,
                                size_t cap, const char *key, mc_err *err)
{
    if (!p->access_key_id || !p->access_key_secret) {
        mc_err_set(err, MC_ERR_INVALID, "profile %s has no AccessKey for mcdlf admin", p->name);
        return NULL;
    }
    if (p->kind == CONFIG_LIVE) {
        snprintf(buf, cap, live_fmt, p->region ? p->region : "cn-hangzhou");
        return buf;
    }
    if (!mine)
        mc_err_set(err, MC_ERR_INVALID, "profile %s names no %s", p->name, key);
    return mine;
}

static int mcdlf_only(const config_profile *p, const char *what, mc_err *err)
{
    if (p->kind != CONFIG_LIVE)
        return 0;
    return mc_err_set(err, MC_ERR_UNSUPPORTED,
                      "%s has no public API: it is mcdlf's own (docs/control-plane-api.md); do it in the console "
                      "on a live account",
                      what);
}

/* A control-plane call's refusal in the console's words; an object that
 * exists already is MC_ERR_EXISTS (mcdlf apply reports it so). */
static int control_failed(mc_err *err)
{
    if (err->code != MC_ERR_REMOTE || !err->remote_code[0])
        return -1;
    size_t n = strlen(err->remote_code);
    if (!strncmp(err->msg, err->remote_code, n) && !strncmp(err->msg + n, ": ", 2))
        memmove(err->msg, err->msg + n + 2, strlen(err->msg + n + 2) + 1);
    if (!strcmp(err->remote_code, "OBJECT_ALREADY_EXIST") || !strcmp(err->remote_code, "AlreadyExists") ||
        !strncmp(err->remote_code, "EntityAlreadyExists", 19))
        err->code = MC_ERR_EXISTS;
    return -1;
}

static int control_roa(const config_profile *p, const char *endpoint, const char *version, const char *action,
                       const char *path, json_t *body, json_t **out, mc_err *err)
{
    pop_client_config cfg = profile_pop(p, endpoint);
    json_t *j = NULL;
    int rc = pop_client_roa(&cfg, version, action, "POST", path, NULL, body, &j, err);
    json_decref(body);
    if (rc)
        return control_failed(err);
    if (out)
        *out = j;
    else
        json_decref(j);
    return 0;
}

static int remote_dlf_console(const config_profile *p, const char *sub, const char *name, mc_buf *out,
                              mc_err *err)
{
    char buf[160];
    const char *ep = api_endpoint(p, p->dlf_endpoint, "https://dlfnext.%s.aliyuncs.com", buf, sizeof buf,
                                  "dlf_endpoint", err);
    if (!ep)
        return -1;
    if (!strcmp(sub, "authorize")) {
        if (mcdlf_only(p, "dlf authorize (DLF's access to cloud resources)", err))
            return -1;
        if (control_roa(p, ep, DLF_API_VERSION, "Authorize", "/dlf/v1/service/authorize", NULL, NULL, err))
            return -1;
    } else if (!strcmp(sub, "activate")) {
        /* api-dlfnext-2025-03-10-subscribe */
        if (control_roa(p, ep, DLF_API_VERSION, "Subscribe", "/dlf/v1/service/subscribe", NULL, NULL, err))
            return -1;
    } else {
        /* api-dlfnext-2025-03-10-createcatalog answers {}: the id comes from the
         * REST catalog's config handshake (the catalog's prefix). */
        if (control_roa(p, ep, DLF_API_VERSION, "CreateCatalog", "/dlf/v1/catalogs",
                        json_pack("{s:s, s:s}", "name", name, "type", "PAIMON"), NULL, err))
            return -1;
        rest_catalog_config rc = {.uri = p->dlf_endpoint, .warehouse = name, .region = p->region,
                                  .access_key_id = p->access_key_id, .access_key_secret = p->access_key_secret,
                                  .security_token = p->security_token, .ca_file = p->ca_file};
        rest_catalog *c;
        if (!p->dlf_endpoint)
            return mc_err_set(err, MC_ERR_INVALID, "profile %s names no dlf_endpoint", p->name);
        if (rest_catalog_open(&c, &rc, err))
            return -1;
        mc_buf_printf(out, "%s %s\n", name, rest_catalog_option(c, "prefix"));
        rest_catalog_close(c);
        return 0;
    }
    mc_buf_puts(out, "OK\n");
    return 0;
}

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static int remote_mc(const config_profile *p, int argc, char **argv, mc_buf *out, mc_err *err)
{
    char buf[160];
    const char *ep = api_endpoint(p, p->mc_endpoint, "https://maxcompute.%s.aliyuncs.com", buf, sizeof buf,
                                  "mc_endpoint", err);
    if (!ep)
        return -1;
    json_t *j = NULL;
    if (!strcmp(argv[1], "create-data-source")) {
        if (mcdlf_only(p, "mc create-data-source (foreign servers)", err))
            return -1;
        json_t *body = json_pack("{s:s, s:s}", "name", argv[2], "type", "Paimon_DLF");
        if (opt(argc, argv, "--region"))
            json_object_set_new(body, "region", json_string(opt(argc, argv, "--region")));
        if (opt(argc, argv, "--description"))
            json_object_set_new(body, "description", json_string(opt(argc, argv, "--description")));
        if (control_roa(p, ep, MC_API_VERSION, "CreateForeignServer", "/api/v1/foreignServers", body, &j, err))
            return -1;
        json_t *d = json_object_get(j, "data");
        mc_buf_printf(out, "%s %s %s\n", json_string_value(json_object_get(d, "name")) ?: "",
                      json_string_value(json_object_get(d, "type")) ?: "",
                      json_string_value(json_object_get(d, "endpoint")) ?: "");
        json_decref(j);
        return 0;
    }
    const char *ds = opt(argc, argv, "--data-source"), *cat = opt(argc, argv, "--catalog");
    if (!ds || !cat)
        return mc_err_set(err, MC_ERR_INVALID, "create-project needs --data-source and --catalog");
    /* reference/maxcompute-control.md §4; the external fields are mcdlf's shape. */
    json_t *body = json_pack("{s:s, s:s, s:s, s:{s:{s:s, s:s}}}", "name", argv[2], "type", "external",
                             "productType", opt(argc, argv, "--billing") ? opt(argc, argv, "--billing") : "payasyougo",
                             "properties", "externalProjectProperties", "foreignServerName", ds, "externalCatalogId",
                             cat);
    if (opt(argc, argv, "--quota"))
        json_object_set_new(body, "defaultQuota", json_string(opt(argc, argv, "--quota")));
    if (control_roa(p, ep, MC_API_VERSION, "CreateProject", "/api/v1/projects", body, NULL, err))
        return -1;
    mc_buf_printf(out, "%s %s %s\n", argv[2], ds, cat);
    return 0;
}

/* The consoles' actions on a url or live profile; 1 when argv is not one of them. */
static int remote_console(const config_profile *p, int argc, char **argv, mc_buf *out, mc_err *err)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (!strcmp(argv[0], "ram") && argc == 3 && !strcmp(sub, "create-service-linked-role")) {
        char buf[160];
        const char *ep = api_endpoint(p, p->ram_endpoint, "https://resourcemanager.aliyuncs.com%.0s", buf,
                                      sizeof buf, "ram_endpoint", err);
        if (!ep)
            return -1;
        pop_client_config cfg = profile_pop(p, ep);
        /* RAM's refusals print as on the embedded profile, which calls the same API. */
        return create_slr(&cfg, argv[2], out, err);
    }
    if (!strcmp(argv[0], "dlf") && ((argc == 2 && (!strcmp(sub, "authorize") || !strcmp(sub, "activate"))) ||
                                    (argc == 3 && !strcmp(sub, "create-catalog"))))
        return remote_dlf_console(p, sub, argc == 3 ? argv[2] : NULL, out, err);
    if (!strcmp(argv[0], "mc") && argc >= 3 && (!strcmp(sub, "create-data-source") || !strcmp(sub, "create-project")))
        return remote_mc(p, argc, argv, out, err);
    return 1;
}

int cli_admin_remote(const config_profile *p, int argc, char **argv, mc_buf *out, mc_err *err)
{
    if (argc < 1)
        return 1;
    int rc = remote_console(p, argc, argv, out, err);
    if (rc != 1)
        return rc;
    if (argc >= 2 && !strcmp(argv[0], "ram"))
        return remote_ram(p, argc, argv, out, err);
    bool list = argc >= 2 && argc <= 3 && !strcmp(argv[0], "dlf") && !strcmp(argv[1], "list-grants");
    bool grant = argc == 7 && !strcmp(argv[0], "dlf") && (!strcmp(argv[1], "grant") || !strcmp(argv[1], "revoke")) &&
                 !strcmp(argv[4], "on") && !emulator_dlf_is_template(argv[3]);
    if (!list && !grant)
        return 1;
    /* A grant on another catalog than the profile's goes to that catalog's id. */
    config_profile q = *p;
    char *cat = NULL, *db = NULL, *tbl = NULL;
    if (grant && cli_admin_resource(argv + 5, "", &cat, &db, &tbl, err))
        return -1;
    if (cat && *cat)
        q.catalog = cat;
    remote_dlf d;
    rc = remote_open(&d, &q, err);
    if (rc == 0)
        rc = list ? remote_list(&d, q.catalog, argc == 3 ? argv[2] : NULL, out, err)
                  : remote_grant(&d, q.catalog, !strcmp(argv[1], "revoke"), argv[2], argv[3], argv + 5, out, err);
    free(cat);
    free(db);
    free(tbl);
    return rc;
}
int cli_admin_run(emulator *e, const char *as_user, int argc, char **argv, mc_buf *out, mc_err *err)
{
    if (argc == 3 && !strcmp(argv[0], "ram") && !strcmp(argv[1], "create-service-linked-role"))
        return embedded_slr(e, as_user, argv[2], out, err);
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
        char *cat, *db, *tbl, *text = NULL;
        const char *dflt = emulator_catalog(e) ? emulator_catalog(e) : "";
        if (cli_admin_resource(argv + 5, dflt, &cat, &db, &tbl, err))
            return -1;
        bool revoke = !strcmp(argv[1], "revoke");
        int rc = emulator_dlf_is_template(argv[3])
                     ? emulator_dlf_grant_template(e, argv[2], argv[3], cat, db, tbl, revoke, &text, err)
                     : emulator_dlf_grant(e, argv[2], argv[3], cat, db, tbl, revoke, err);
        free(cat);
        free(db);
        free(tbl);
        if (rc == 0)
            mc_buf_puts(out, text ? text : "OK\n");
        free(text);
        return rc;
    }
    bool role_verb = argc >= 2 && !strcmp(argv[0], "dlf") &&
                     ((argc == 2 && !strcmp(argv[1], "list-roles")) ||
                      (argc == 3 && (!strcmp(argv[1], "create-role") || !strcmp(argv[1], "drop-role"))) ||
                      (argc == 4 && (!strcmp(argv[1], "add-role-member") || !strcmp(argv[1], "remove-role-member"))));
    if (role_verb) {
        char *text;
        if (emulator_dlf_role(e, argv[1], argc >= 3 ? argv[2] : NULL, argc == 4 ? argv[3] : NULL, &text, err))
            return -1;
        mc_buf_puts(out, text);
        free(text);
        return 0;
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
    const char *as_user = NULL, *config = NULL, *profile = NULL;
    for (;;) {
        if (argc >= i + 2 && !strcmp(argv[i], "--config")) {
            config = argv[i + 1];
            i += 2;
        } else if (argc >= i + 2 && !strcmp(argv[i], "--profile")) {
            profile = argv[i + 1];
            i += 2;
        } else if (argc >= i + 2 && !strcmp(argv[i], "--state")) {
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
    if (config_profile_load(&p, config, profile, &err)) {
        fprintf(stderr, "mcdlf admin: %s\n", err.msg);
        return 1;
    }
    if (p->kind != CONFIG_EMBEDDED) {
        mc_buf out = MC_BUF_INIT;
        int rc = as_user ? 1 : config_profile_resolve(p, &err) ? -1 : cli_admin_remote(p, argc - i, argv + i, &out, &err);
        fputs(mc_buf_cstr(&out), stdout);
        mc_buf_free(&out);
        if (rc == 1)
            fprintf(stderr,
                    "mcdlf admin: on a %s profile only ram create-user, create-access-key, attach-policy, "
                    "detach-policy, list-policies, create-policy, create-service-linked-role, dlf authorize, "
                    "activate, create-catalog, grant, revoke, list-grants and mc create-data-source, "
                    "create-project are supported, as the profile's AccessKey (--as needs the embedded profile: "
                    "use the user's AccessKey instead)\n",
                    config_kind_name(p->kind));
        else if (rc)
            fprintf(stderr, "FAILED: %s\n", err.msg);
        config_profile_free(p);
        return rc ? 1 : 0;
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
