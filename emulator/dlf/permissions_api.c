/* dlf/permissions_api: see permissions_api.h. Facts and mcdlf's own choices:
 * docs/dlf-permissions-api.md. */
#include "dlf/permissions_api.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dlf/catalog.h"
#include "dlf/ram_layer.h"
#include "log.h"
#include "ram/policy.h"
#include "server/cred.h"
#include "server/pop_auth.h"
#include "strutil.h"

/* maxResults: the documented example is 1000; mcdlf takes it as the default and the cap. */
#define LIST_MAX 1000

typedef struct {
    const emu_env *env;
    emu_request *r;
    mc_buf body;
    emu_cred cred;
    char root_arn[128];
    dlf_catalog_info cat;
} pa_req;

/* ---- responses: the POP envelope (reference/ram-sts.md §5.4) --------------------- */

static void send_json(pa_req *x, int status, json_t *j)
{
    emu_pop_send_json(x->r, status, j);
}

static int __attribute__((format(printf, 4, 5))) pa_error(pa_req *x, int status, const char *code, const char *fmt,
                                                          ...)
{
    char msg[1024], host[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* The public OpenAPI host of DlfNext (api-dlfnext-2025-03-10-endpoint). */
    snprintf(host, sizeof host, "dlfnext.%s.aliyuncs.com", x->env->region);
    emu_pop_send_error(x->r, host, status, code, msg);
    return -1;
}

static int internal_error(pa_req *x, const mc_err *err)
{
    MC_LOGE("dlf permissions: %s", err->msg);
    return pa_error(x, 500, "InternalError", "The request processing has failed due to some unknown error.");
}

/* ---- authentication: ACS3-HMAC-SHA256 (server/pop_auth) --------------------------- */

static int authenticate(pa_req *x)
{
    const char *authz = emu_req_header(x->r, "Authorization");
    if (!authz)
        return pa_error(x, 400, "IncompleteSignature",
                        "The request signature does not conform to Aliyun standards: this endpoint takes "
                        "ACS3-HMAC-SHA256.");
    emu_pop_fault f;
    if (emu_pop_v3_authenticate(x->env->state, x->r, authz, &x->body, &x->cred, &f))
        return pa_error(x, f.status, f.code, "%s", f.message);
    emu_arn_root(x->root_arn, sizeof x->root_arn, x->cred.account_id);
    return 0;
}

/* ---- authorisation ------------------------------------------------------------------ */

/* RAM first (reference/dlf-permissions.md §6, dlf/ram_layer). */
static int authorize_ram(pa_req *x, const char *operation)
{
    ram_decision d;
    mc_err err;
    if (dlf_ram_decide(x->env, x->r, &x->cred, operation, &d, &err))
        return internal_error(x, &err);
    if (d.allowed)
        return 0;
    char msg[256];
    dlf_ram_refusal(msg, sizeof msg, operation);
    return pa_error(x, 403, "NoPermission", "%s", msg);
}

/* ---- Permission objects ------------------------------------------------------------- */

/* A string member; NULL when absent, null or "" (the documented examples send
 * "" for fields that do not apply). */
static int opt_str(const json_t *o, const char *key, const char **out, mc_err *err)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return mc_err_set(err, MC_ERR_INVALID, "%s must be a string", key);
    if (*json_string_value(v))
        *out = json_string_value(v);
    return 0;
}

static bool array_has_value(const json_t *a)
{
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v) {
        if (!json_is_string(v) || *json_string_value(v))
            return true;
    }
    return false;
}

/* columns, rowFilter and expireTime: refused when they say anything. */
static int check_unmodelled(const json_t *perm, mc_err *err)
{
    const json_t *cols = json_object_get(perm, "columns");
    if (cols && !json_is_null(cols)) {
        const json_t *names = json_object_get(cols, "columnNames"), *ex = json_object_get(cols, "excludedColumnNames");
        if (!json_is_object(cols) || (names && !json_is_array(names)) || (ex && !json_is_array(ex)))
            return mc_err_set(err, MC_ERR_INVALID, "columns must be {columnNames:[...], excludedColumnNames:[...]}");
        if ((names && array_has_value(names)) || (ex && array_has_value(ex)))
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "column-level permissions (columns) are not modelled by mcdlf");
    }
    const json_t *rf = json_object_get(perm, "rowFilter");
    if (rf && !json_is_null(rf)) {
        const char *e, *p;
        if (!json_is_object(rf))
            return mc_err_set(err, MC_ERR_INVALID, "rowFilter must be {expression, predicate}");
        if (opt_str(rf, "expression", &e, err) || opt_str(rf, "predicate", &p, err))
            return -1;
        if (e || p)
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "row-level permissions (rowFilter) are not modelled by mcdlf");
    }
    const json_t *exp = json_object_get(perm, "expireTime");
    if (exp && !json_is_null(exp) && !(json_is_integer(exp) && json_integer_value(exp) == 0))
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "expiring permissions (expireTime) are not modelled by mcdlf");
    return 0;
}

static int parse_principal(dlf_permission *out, const char *principal, const char *account_id, mc_err *err)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "acs:ram::%s:", account_id);
    const char *rest = mc_str_starts_with(principal, prefix) ? principal + strlen(prefix) : NULL;
    const char *name = !rest                                    ? NULL
                       : mc_str_starts_with(rest, "user/")      ? rest + 5
                       : mc_str_starts_with(rest, "role/")      ? rest + 5
                                                                : NULL;
    if (!name || !*name || strchr(name, '/') || strlen(principal) >= sizeof out->principal)
        return mc_err_set(err, MC_ERR_INVALID,
                          "principal %s is not a RAM user or role of account %s (acs:ram::%s:user/<name> or "
                          "acs:ram::%s:role/<name>)",
                          principal, account_id, account_id, account_id);
    snprintf(out->principal, sizeof out->principal, "%s", principal);
    return 0;
}

static int parse_type(dlf_permission *out, const char *type, mc_err *err)
{
    static const dlf_resource_type types[] = {DLF_RES_CATALOG, DLF_RES_DATABASE, DLF_RES_TABLE};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcasecmp(type, dlf_resource_type_name(types[i]))) {
            out->type = types[i];
            return 0;
        }
    if (!strcasecmp(type, "VIEW") || !strcasecmp(type, "FUNCTION"))
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "mcdlf does not model grants on %s resources", type);
    return mc_err_set(err, MC_ERR_INVALID, "resourceType %s is not one of CATALOG, DATABASE, TABLE, VIEW, FUNCTION",
                      type);
}

/* Copies a name the resource type needs, refuses one it does not take. */
static int take_name(char *dst, size_t cap, const char *key, const char *v, bool wanted, dlf_resource_type t,
                     mc_err *err)
{
    if (wanted && !v)
        return mc_err_set(err, MC_ERR_INVALID, "%s is required for a %s permission", key,
                          dlf_resource_type_name(t));
    if (!wanted && v)
        return mc_err_set(err, MC_ERR_INVALID, "%s does not apply to a %s permission", key,
                          dlf_resource_type_name(t));
    if (v && strlen(v) >= cap)
        return mc_err_set(err, MC_ERR_INVALID, "%s is too long", key);
    snprintf(dst, cap, "%s", v ? v : "");
    return 0;
}

static void valid_accesses(char *out, size_t cap, dlf_resource_type t)
{
    size_t n = 0;
    out[0] = '\0';
    for (int p = 0; p < DLF_PRIV__COUNT; p++)
        if (dlf_privilege_valid_for((dlf_privilege)p, t) && n < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", dlf_privilege_name((dlf_privilege)p));
}

int dlf_permission_parse(dlf_permission *out, const json_t *perm, const char *account_id, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(perm))
        return mc_err_set(err, MC_ERR_INVALID, "a permission must be a JSON object");
    const char *principal, *type, *db, *tbl, *view, *fn, *access;
    if (opt_str(perm, "principal", &principal, err) || opt_str(perm, "resourceType", &type, err) ||
        opt_str(perm, "database", &db, err) || opt_str(perm, "table", &tbl, err) ||
        opt_str(perm, "view", &view, err) || opt_str(perm, "function", &fn, err) ||
        opt_str(perm, "access", &access, err))
        return -1;
    if (!principal)
        return mc_err_set(err, MC_ERR_INVALID, "principal is required");
    if (!type)
        return mc_err_set(err, MC_ERR_INVALID, "resourceType is required");
    if (!access)
        return mc_err_set(err, MC_ERR_INVALID, "access is required");
    if (parse_principal(out, principal, account_id, err) || parse_type(out, type, err))
        return -1;
    if (take_name(out->database, sizeof out->database, "database", db, out->type != DLF_RES_CATALOG, out->type,
                  err) ||
        take_name(out->table, sizeof out->table, "table", tbl, out->type == DLF_RES_TABLE, out->type, err))
        return -1;
    if (view || fn)
        return mc_err_set(err, MC_ERR_INVALID, "%s does not apply to a %s permission", view ? "view" : "function",
                          dlf_resource_type_name(out->type));
    /* reference/dlf-permissions.md §3.2: the access types of each level. */
    if (dlf_privilege_parse(access, &out->access) || !dlf_privilege_valid_for(out->access, out->type)) {
        char valid[256];
        valid_accesses(valid, sizeof valid, out->type);
        return mc_err_set(err, MC_ERR_INVALID, "access %s is not valid for a %s permission (valid: %s)", access,
                          dlf_resource_type_name(out->type), valid);
    }
    return check_unmodelled(perm, err);
}

json_t *dlf_permission_json(const dlf_permission *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "principal", json_string(p->principal));
    json_object_set_new(o, "resourceType", json_string(dlf_resource_type_name(p->type)));
    if (p->type != DLF_RES_CATALOG)
        json_object_set_new(o, "database", json_string(p->database));
    if (p->type == DLF_RES_TABLE)
        json_object_set_new(o, "table", json_string(p->table));
    json_object_set_new(o, "access", json_string(dlf_privilege_name(p->access)));
    return o;
}

/* ---- ListPermissions -------------------------------------------------------------- */

static const char *query_value(const mc_query *q, const char *name)
{
    const char *v = mc_query_get(q, name);
    return v && *v ? v : NULL;
}

static int parse_count(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int h_list(pa_req *x)
{
    mc_query q;
    if (mc_query_parse(&q, emu_req_query(x->r)))
        return pa_error(x, 400, "InvalidParameter", "The query string is malformed.");
    int rc = 0;
    const char *type = query_value(&q, "resourceType"), *max = query_value(&q, "maxResults"),
               *token = query_value(&q, "pageToken");
    long long limit = LIST_MAX, offset = 0;
    dlf_permission filter = {0};
    mc_err err;
    if (!type)
        rc = pa_error(x, 400, "MissingParameter",
                      "The input parameter \"resourceType\" that is mandatory for processing this request is not "
                      "supplied.");
    else if (max && parse_count(max, 1, LIST_MAX, &limit))
        rc = pa_error(x, 400, "InvalidParameter", "maxResults %s is not an integer from 1 to %d.", max, LIST_MAX);
    else if (token && parse_count(token, 0, INT64_MAX / 2, &offset))
        rc = pa_error(x, 400, "InvalidParameter", "pageToken %s is not one this endpoint returned.", token);
    else if (parse_type(&filter, type, &err))
        /* No VIEW or FUNCTION grant exists in mcdlf: an empty page says so truthfully. */
        rc = err.code == MC_ERR_UNSUPPORTED ? 1 : pa_error(x, 400, "InvalidParameter", "%s", err.msg);
    json_t *list = json_array();
    bool more = false;
    if (rc == 0) {
        dlf_grant_row *rows;
        size_t n;
        if (dlf_grants_query(x->env->state, x->cat.name, filter.type, query_value(&q, "database"),
                             query_value(&q, "table"), query_value(&q, "principal"), (size_t)offset, (size_t)limit,
                             &rows, &n, &more, &err)) {
            rc = internal_error(x, &err);
        } else {
            for (size_t i = 0; i < n; i++) {
                dlf_permission p = {.type = rows[i].type};
                snprintf(p.principal, sizeof p.principal, "%s", rows[i].principal);
                snprintf(p.database, sizeof p.database, "%s", rows[i].database);
                snprintf(p.table, sizeof p.table, "%s", rows[i].table);
                if (dlf_privilege_parse(rows[i].privilege, &p.access) == 0)
                    json_array_append_new(list, dlf_permission_json(&p));
            }
            free(rows);
        }
    }
    if (rc >= 0) {
        json_t *o = json_object();
        json_object_set_new(o, "permissions", json_incref(list));
        if (more) {
            char next[32];
            snprintf(next, sizeof next, "%lld", offset + limit);
            json_object_set_new(o, "nextPageToken", json_string(next));
        } else {
            /* "null: the last page" (api-dlfnext-2025-03-10-listpermissions). */
            json_object_set_new(o, "nextPageToken", json_null());
        }
        send_json(x, 200, o);
        rc = 0;
    }
    json_decref(list);
    mc_query_free(&q);
    return rc;
}

/* ---- BatchGrantPermissions / BatchRevokePermissions ------------------------------- */

typedef struct {
    dlf_permission p;
    const json_t *sent;
    char owner[160];
    char failure[1024]; /* "" while the entry is fine */
    const char *failure_code;
} pa_entry;

/* A step's result for one entry: NOT_FOUND fails the entry (failurePermissions),
 * anything else but success fails the request. */
static int entry_outcome(pa_req *x, pa_entry *e, int rc, const mc_err *err)
{
    if (rc && err->code != MC_ERR_NOT_FOUND)
        return internal_error(x, err);
    if (rc) {
        e->failure_code = "NotFound";
        snprintf(e->failure, sizeof e->failure, "%s", err->msg);
    }
    return 0;
}

/* Fills e->owner from the resource; a missing database or table fails the entry. */
static int resolve(pa_req *x, pa_entry *e)
{
    mc_err err;
    int rc = 0;
    if (e->p.type == DLF_RES_CATALOG) {
        snprintf(e->owner, sizeof e->owner, "%s", x->cat.owner);
    } else if (e->p.type == DLF_RES_DATABASE) {
        dlf_database d;
        memset(&d, 0, sizeof d);
        rc = dlf_db_get(x->env->state, &x->cat, e->p.database, &d, &err);
        if (rc == 0)
            snprintf(e->owner, sizeof e->owner, "%s", d.audit.owner);
        dlf_database_clear(&d);
    } else {
        dlf_table t;
        memset(&t, 0, sizeof t);
        rc = dlf_table_get(x->env->state, &x->cat, e->p.database, e->p.table, &t, &err);
        if (rc == 0)
            snprintf(e->owner, sizeof e->owner, "%s", t.audit.owner);
        dlf_table_clear(&t);
    }
    return entry_outcome(x, e, rc, &err);
}

static void entry_resource(const pa_req *x, const pa_entry *e, dlf_resource *res)
{
    *res = (dlf_resource){e->p.type, x->cat.name, e->p.type != DLF_RES_CATALOG ? e->p.database : NULL,
                          e->p.type == DLF_RES_TABLE ? e->p.table : NULL};
}

/* DLF's GRANT privilege on the entry's resource (rule table: dlf/grants.h). */
static int authorize_entry(pa_req *x, const pa_entry *e)
{
    dlf_resource res;
    entry_resource(x, e, &res);
    dlf_decision d;
    mc_err err;
    if (dlf_check(x->env->state, x->cred.principal, x->root_arn, e->owner[0] ? e->owner : NULL, DLF_PRIV_GRANT, &res,
                  &d, &err))
        return internal_error(x, &err);
    if (x->env->record) {
        char name[300], what[340];
        dlf_resource_display(name, sizeof name, &res);
        snprintf(what, sizeof what, "%s %s", dlf_resource_type_name(res.type), name);
        x->env->record(x->env, "DLF", x->cred.principal, "GRANT", what, d.allowed, d.reason);
    }
    if (d.allowed)
        return 0;
    return pa_error(x, 403, "Forbidden", "%s", d.message);
}

static int apply(pa_req *x, pa_entry *e, bool grant)
{
    dlf_resource res;
    entry_resource(x, e, &res);
    mc_err err;
    int rc = grant ? dlf_grant(x->env->state, e->p.principal, e->p.access, &res, x->cred.principal, &err)
                   : dlf_revoke(x->env->state, e->p.principal, e->p.access, &res, &err);
    return entry_outcome(x, e, rc, &err);
}

static json_t *batch_result(const pa_entry *entries, size_t n)
{
    json_t *o = json_object(), *failures = json_array();
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!entries[i].failure[0])
            continue;
        json_t *f = json_object();
        json_object_set_new(f, "errorMessage", json_string(entries[i].failure));
        json_object_set_new(f, "errorCode", json_string(entries[i].failure_code));
        json_object_set_new(f, "permission", json_deep_copy(entries[i].sent));
        json_array_append_new(failures, f);
        failed++;
    }
    json_object_set_new(o, "failurePermissions", failures);
    json_object_set_new(o, "success", json_boolean(failed == 0));
    if (failed) {
        char msg[96];
        snprintf(msg, sizeof msg, "%zu of %zu permissions failed", failed, n);
        json_object_set_new(o, "errorMessage", json_string(msg));
    } else {
        json_object_set_new(o, "errorMessage", json_null());
    }
    return o;
}

static int parse_batch(pa_req *x, json_t **body, const json_t **perms)
{
    json_error_t je;
    *body = x->body.len ? json_loadb(x->body.data, x->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!*body || !json_is_object(*body))
        return pa_error(x, 400, "InvalidParameter", "The request body must be a JSON object {\"permissions\": [...]}.");
    *perms = json_object_get(*body, "permissions");
    if (!*perms || !json_is_array(*perms) || json_array_size(*perms) == 0)
        return pa_error(x, 400, "MissingParameter",
                        "The input parameter \"permissions\" that is mandatory for processing this request is not "
                        "supplied (a non-empty array).");
    return 0;
}

static int h_batch(pa_req *x, bool grant)
{
    json_t *body = NULL;
    const json_t *perms = NULL;
    if (parse_batch(x, &body, &perms)) {
        json_decref(body);
        return -1;
    }
    size_t n = json_array_size(perms);
    pa_entry *entries = mc_calloc(n, sizeof *entries);
    int rc = 0;
    /* Whole-batch phases (header invariant): validate, resolve, authorise, apply. */
    for (size_t i = 0; i < n && rc == 0; i++) {
        mc_err err;
        entries[i].sent = json_array_get(perms, i);
        if (dlf_permission_parse(&entries[i].p, entries[i].sent, x->cred.account_id, &err))
            rc = pa_error(x, 400, "InvalidParameter", "permissions[%zu]: %s.", i, err.msg);
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = resolve(x, &entries[i]);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!entries[i].failure[0])
            rc = authorize_entry(x, &entries[i]);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!entries[i].failure[0])
            rc = apply(x, &entries[i], grant);
    if (rc == 0)
        send_json(x, 200, batch_result(entries, n));
    free(entries);
    json_decref(body);
    return rc;
}

/* ---- routing ------------------------------------------------------------------------ */

bool dlf_permissions_api_owns(const char *raw_path)
{
    return mc_str_starts_with(raw_path, DLF_PERMISSIONS_API_PREFIX);
}

typedef struct {
    const char *method;
    const char *verb; /* the path's last segment */
    const char *operation;
} pa_route;

/* api-dlfnext-2025-03-10-{listpermissions,batchgrantpermissions,batchrevokepermissions}. */
static const pa_route ROUTES[] = {
    {"GET", "list", "ListPermissions"},
    {"POST", "batchgrant", "BatchGrantPermissions"},
    {"POST", "batchrevoke", "BatchRevokePermissions"},
};

/* /dlf/v1/auth/permissions/{catalogId}/{verb}: the catalog id and the route, or NULL. */
static const pa_route *match(const char *method, const char *path, char *catalog, size_t cap)
{
    const char *p = path + strlen(DLF_PERMISSIONS_API_PREFIX);
    if (!mc_str_starts_with(p, "permissions/"))
        return NULL;
    p += strlen("permissions/");
    const char *slash = strchr(p, '/');
    if (!slash || slash == p || (size_t)(slash - p) >= cap)
        return NULL;
    snprintf(catalog, cap, "%.*s", (int)(slash - p), p);
    for (size_t i = 0; i < sizeof ROUTES / sizeof *ROUTES; i++)
        if (!strcmp(slash + 1, ROUTES[i].verb) && !strcmp(method, ROUTES[i].method))
            return &ROUTES[i];
    return NULL;
}

void dlf_permissions_api_handle(const emu_env *env, emu_request *r)
{
    pa_req x;
    memset(&x, 0, sizeof x);
    x.env = env;
    x.r = r;
    mc_err err;
    char *path = mc_strndup(emu_req_raw_path(r), strcspn(emu_req_raw_path(r), "?"));
    char catalog[128];
    const pa_route *route = match(emu_req_method(r), path, catalog, sizeof catalog);
    if (!route) {
        pa_error(&x, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method: %s %s",
                 emu_req_method(r), path);
    } else if (emu_req_body(r, &x.body, &err)) {
        pa_error(&x, 400, "InvalidParameter", "%s", err.msg);
    } else if (authenticate(&x) == 0 && authorize_ram(&x, route->operation) == 0) {
        int found = dlf_catalog_get_by_id(env->state, catalog, &x.cat, &err);
        if (found && err.code != MC_ERR_NOT_FOUND)
            internal_error(&x, &err);
        else if (found || strcmp(x.cat.account_id, x.cred.account_id) != 0) /* another account's is not visible */
            pa_error(&x, 404, "CatalogNotFound", "Catalog %s does not exist.", catalog);
        else if (!strcmp(route->verb, "list")) {
            h_list(&x);
        } else {
            h_batch(&x, !strcmp(route->verb, "batchgrant"));
        }
    }
    free(path);
    mc_buf_free(&x.body);
    emu_cred_clear(&x.cred);
}
