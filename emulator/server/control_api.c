/* control_api: see control_api.h. Facts and mcdlf's own choices: docs/control-plane-api.md. */
#include "server/control_api.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "control/control.h"
#include "log.h"
#include "ram/policy.h"
#include "ram/role.h"
#include "server/console.h"
#include "server/cred.h"
#include "server/pop_auth.h"
#include "strutil.h"

#define MC_PREFIX "/api/v1/"
#define DLF_CATALOGS "/dlf/v1/catalogs"
#define DLF_SERVICE "/dlf/v1/service/"

/* What differs between the two products' answers. */
typedef struct {
    const char *host;      /* HostId: the public OpenAPI host, after "dlfnext.<region>." when regional */
    bool regional;
    const char *not_found; /* Code of MC_ERR_NOT_FOUND */
    const char *exists;    /* Code of MC_ERR_EXISTS */
} ca_product;

typedef struct {
    const emu_env *env;
    emu_request *r;
    ca_product product;
    char host[96];
    mc_buf body;
    json_t *json; /* the parsed body, NULL when none */
    emu_cred cred;
    emu_actor actor;
    const char *context[5];
} ca_req;

/* ---- answers ------------------------------------------------------------------------ */

static void send_json(ca_req *x, int status, json_t *j)
{
    emu_pop_send_json(x->r, status, j);
}

static int __attribute__((format(printf, 4, 5))) ca_error(ca_req *x, int status, const char *code, const char *fmt,
                                                          ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emu_pop_send_error(x->r, x->host, status, code, msg);
    return -1;
}

/* An action's failure in the envelope; the Message is the console's text. */
static int from_err(ca_req *x, const mc_err *err)
{
    switch (err->code) {
    case MC_ERR_DENIED:
        /* The POP gateway's code for a RAM refusal (reference/maxcompute-control.md §4). */
        return ca_error(x, 403, "Forbidden.RAM", "%s", err->msg);
    case MC_ERR_INVALID:
        return ca_error(x, 400, "InvalidParameter", "%s", err->msg);
    case MC_ERR_UNSUPPORTED:
        return ca_error(x, 400, "UnsupportedOperation", "%s", err->msg);
    case MC_ERR_NOT_FOUND:
        return ca_error(x, 404, x->product.not_found, "%s", err->msg);
    case MC_ERR_EXISTS:
        return ca_error(x, 409, x->product.exists, "%s", err->msg);
    case MC_ERR_CONFLICT:
        return ca_error(x, 409, "OperationDenied", "%s", err->msg);
    default:
        MC_LOGE("control api: %s", err->msg);
        return ca_error(x, 500, "InternalError", "The request processing has failed due to some unknown error.");
    }
}

/* MaxCompute's success body: requestId, httpCode, data (§4 GetProject). */
static void send_data(ca_req *x, json_t *data)
{
    json_t *o = json_object();
    json_object_set_new(o, "requestId", json_string(emu_req_id(x->r)));
    json_object_set_new(o, "httpCode", json_integer(200));
    json_object_set_new(o, "data", data);
    send_json(x, 200, o);
}

/* ---- the request: body, authentication, actor ----------------------------------------- */

static int open_request(ca_req *x)
{
    mc_err err;
    if (emu_req_body(x->r, &x->body, &err))
        return ca_error(x, 400, "InvalidParameter", "%s", err.msg);
    const char *authz = emu_req_header(x->r, "Authorization");
    if (!authz)
        return ca_error(x, 400, "IncompleteSignature",
                        "The request signature does not conform to Aliyun standards: this endpoint takes "
                        "ACS3-HMAC-SHA256.");
    emu_pop_fault f;
    if (emu_pop_v3_authenticate(x->env->state, x->r, authz, &x->body, &x->cred, &f))
        return ca_error(x, f.status, f.code, "%s", f.message);
    if (x->cred.scope)
        return ca_error(x, 403, "Forbidden.RAM", "scoped data-token credentials do not reach the control plane");
    if (x->body.len) {
        json_error_t je;
        x->json = json_loadb(x->body.data, x->body.len, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(x->json))
            return ca_error(x, 400, "InvalidParameter", "The request body must be a JSON object.");
    }
    x->context[0] = "acs:SourceIp";
    x->context[1] = emu_req_remote_addr(x->r);
    x->context[2] = "acs:SecureTransport";
    x->context[3] = emu_req_secure(x->r) ? "true" : "false";
    x->actor = (emu_actor){.env = x->env, .account = x->cred.account_id, .principal = x->cred.principal,
                           .session_policy = x->cred.session_policy, .context = x->context};
    return 0;
}

static void close_request(ca_req *x)
{
    mc_buf_free(&x->body);
    json_decref(x->json);
    emu_cred_clear(&x->cred);
}

/* A string member of the body (or of o); NULL when absent or null; -1 after
 * answering when it is not a string. */
static int body_str(ca_req *x, const json_t *o, const char *key, const char **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return ca_error(x, 400, "InvalidParameter", "%s must be a string.", key);
    *out = json_string_value(v);
    return 0;
}

static int require_str(ca_req *x, const json_t *o, const char *key, const char **out)
{
    if (body_str(x, o, key, out))
        return -1;
    if (!*out || !**out)
        return ca_error(x, 400, "MissingParameter",
                        "The input parameter \"%s\" that is mandatory for processing this request is not supplied.",
                        key);
    return 0;
}

/* Copies src into a fixed field, refusing what does not fit. */
static int take(ca_req *x, char *dst, size_t cap, const char *key, const char *src)
{
    if (src && strlen(src) >= cap)
        return ca_error(x, 400, "InvalidParameter", "%s is too long.", key);
    snprintf(dst, cap, "%s", src ? src : "");
    return 0;
}

/* ---- MaxCompute: projects (§3, §4) -------------------------------------------------- */

static json_t *project_json(ca_req *x, const control_project *p)
{
    json_t *ext = json_object();
    dlf_catalog_info cat;
    mc_err err;
    bool bound = dlf_catalog_get(x->env->state, p->catalog, &cat, &err) == 0;
    json_object_set_new(ext, "externalCatalogId", json_string(bound ? cat.id : ""));
    json_object_set_new(ext, "foreignServerName", json_string(p->data_source));
    json_object_set_new(ext, "foreignServerType", json_string("Paimon_DLF"));
    json_object_set_new(ext, "isExternalCatalogBound", json_boolean(true));
    json_object_set_new(ext, "tableFormat", json_string("paimon"));
    json_object_set_new(ext, "warehouse", json_string(p->catalog));
    json_t *props = json_object();
    json_object_set_new(props, "externalProjectProperties", ext);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "comment", json_string(""));
    json_object_set_new(o, "owner", json_string(p->owner));
    json_object_set_new(o, "regionId", json_string(p->region));
    json_object_set_new(o, "status", json_string("AVAILABLE"));
    json_object_set_new(o, "type", json_string("external"));
    json_object_set_new(o, "productType", json_string(p->billing));
    json_object_set_new(o, "defaultQuota", json_string(p->quota));
    json_object_set_new(o, "createdTime", json_integer(p->created_ms));
    json_object_set_new(o, "superAdmins", json_pack("[s]", p->owner));
    json_object_set_new(o, "properties", props);
    return o;
}

/* The external-project fields of the CreateProject body (mcdlf's shape,
 * modelled on GetProject's: docs/control-plane-api.md). */
static int h_create_project(ca_req *x)
{
    const char *name, *type, *product, *quota, *ds, *catalog;
    json_t *ext = json_object_get(json_object_get(x->json, "properties"), "externalProjectProperties");
    if (require_str(x, x->json, "name", &name) || body_str(x, x->json, "type", &type) ||
        body_str(x, x->json, "productType", &product) || body_str(x, x->json, "defaultQuota", &quota))
        return -1;
    if (!type || strcasecmp(type, "external") != 0)
        return ca_error(x, 400, "UnsupportedOperation",
                        "mcdlf creates external projects only: the body needs \"type\": \"external\" and "
                        "properties.externalProjectProperties.");
    if (!json_is_object(ext))
        return ca_error(x, 400, "MissingParameter",
                        "The input parameter \"properties.externalProjectProperties\" that is mandatory for "
                        "processing this request is not supplied.");
    if (require_str(x, ext, "foreignServerName", &ds) || require_str(x, ext, "externalCatalogId", &catalog))
        return -1;
    control_project p, out;
    memset(&p, 0, sizeof p);
    /* externalCatalogId takes the catalog's id or, as the console does, its name. */
    dlf_catalog_info cat;
    mc_err err;
    if (dlf_catalog_get_by_id(x->env->state, catalog, &cat, &err) == 0 && !strcmp(cat.account_id, x->actor.account))
        catalog = cat.name;
    char billing[32];
    snprintf(billing, sizeof billing, "%s", product ? product : "");
    for (char *c = billing; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    if (take(x, p.name, sizeof p.name, "name", name) || take(x, p.data_source, sizeof p.data_source,
                                                              "foreignServerName", ds) ||
        take(x, p.catalog, sizeof p.catalog, "externalCatalogId", catalog) ||
        take(x, p.quota, sizeof p.quota, "defaultQuota", quota))
        return -1;
    snprintf(p.billing, sizeof p.billing, "%s", billing);
    snprintf(p.region, sizeof p.region, "%s", x->env->region);
    control_env env = emu_actor_control_env(&x->actor);
    if (control_project_create(x->env->state, &env, x->actor.account, x->actor.principal, &p, &out, &err))
        return from_err(x, &err);
    /* §4: CreateProject answers {"requestId", "data": "success"}. */
    json_t *o = json_object();
    json_object_set_new(o, "requestId", json_string(emu_req_id(x->r)));
    json_object_set_new(o, "data", json_string("success"));
    send_json(x, 200, o);
    return 0;
}

/* odps:<action> on the project, or its owner (§4: without a policy a user
 * sees the projects it belongs to; in mcdlf that is the ones it created). */
static bool may_see(ca_req *x, const char *action, const control_project *p)
{
    if (!strcmp(p->owner, x->actor.principal))
        return true;
    char res[256];
    snprintf(res, sizeof res, "acs:odps:%s:%s:projects/%s", p->region, p->account_id, p->name);
    mc_err err;
    return emu_actor_authorize(&x->actor, action, res, &err) == 0;
}

static int h_get_project(ca_req *x, const char *name)
{
    control_project p;
    mc_err err;
    int rc = control_project_get(x->env->state, name, &p, &err);
    if (rc && err.code != MC_ERR_NOT_FOUND)
        return from_err(x, &err);
    /* Another account's project, like a missing one (§4 GetProject error example). */
    if (rc || strcmp(p.account_id, x->actor.account) != 0)
        return ca_error(x, 404, "OBJECT_NOT_EXIST", "This object does not exist.");
    if (!may_see(x, "odps:GetProject", &p))
        return ca_error(x, 403, "Forbidden.RAM", "%s", CONTROL_NOT_AUTHORIZED);
    send_data(x, project_json(x, &p));
    return 0;
}

static int h_list_projects(ca_req *x)
{
    control_project *ps;
    size_t n;
    mc_err err;
    if (control_project_list(x->env->state, x->actor.account, &ps, &n, &err))
        return from_err(x, &err);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        if (may_see(x, "odps:ListProjects", &ps[i]))
            json_array_append_new(list, project_json(x, &ps[i]));
    free(ps);
    json_t *data = json_object();
    json_object_set_new(data, "projects", list);
    send_data(x, data);
    return 0;
}

/* ---- mcdlf: foreign servers (§2; no public API) --------------------------------------- */

static json_t *data_source_json(const control_data_source *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(d->name));
    json_object_set_new(o, "type", json_string(d->type));
    json_object_set_new(o, "region", json_string(d->region));
    json_object_set_new(o, "endpoint", json_string(d->endpoint));
    json_object_set_new(o, "description", json_string(d->description));
    json_object_set_new(o, "owner", json_string(d->owner));
    json_object_set_new(o, "createdTime", json_integer(d->created_ms));
    return o;
}

static int h_create_foreign_server(ca_req *x)
{
    const char *name, *type, *region, *description;
    if (require_str(x, x->json, "name", &name) || body_str(x, x->json, "type", &type) ||
        body_str(x, x->json, "region", &region) || body_str(x, x->json, "description", &description))
        return -1;
    control_data_source ds, out;
    memset(&ds, 0, sizeof ds);
    if (take(x, ds.name, sizeof ds.name, "name", name) || take(x, ds.type, sizeof ds.type, "type", type) ||
        take(x, ds.region, sizeof ds.region, "region", region ? region : x->env->region) ||
        take(x, ds.description, sizeof ds.description, "description", description))
        return -1;
    control_env env = emu_actor_control_env(&x->actor);
    mc_err err;
    if (control_data_source_create(x->env->state, &env, x->actor.account, x->actor.principal, &ds, &out, &err))
        return from_err(x, &err);
    send_data(x, data_source_json(&out));
    return 0;
}

static int h_get_foreign_server(ca_req *x, const char *name)
{
    control_data_source d;
    mc_err err;
    if (control_data_source_get(x->env->state, x->actor.account, name, &d, &err))
        return from_err(x, &err);
    send_data(x, data_source_json(&d));
    return 0;
}

/* ---- routing ------------------------------------------------------------------------ */

/* The one segment after prefix in path, or NULL (empty, or more segments). */
static const char *leaf(const char *path, const char *prefix)
{
    if (!mc_str_starts_with(path, prefix))
        return NULL;
    const char *s = path + strlen(prefix);
    return *s && !strchr(s, '/') && !strchr(s, '%') ? s : NULL;
}

static void mc_route(ca_req *x, const char *method, const char *path)
{
    const char *name;
    bool post = !strcmp(method, "POST"), get = !strcmp(method, "GET");
    if (post && !strcmp(path, MC_PREFIX "projects"))
        h_create_project(x);
    else if (get && !strcmp(path, MC_PREFIX "projects"))
        h_list_projects(x);
    else if (get && (name = leaf(path, MC_PREFIX "projects/")))
        h_get_project(x, name);
    else if (post && !strcmp(path, MC_PREFIX "foreignServers"))
        h_create_foreign_server(x);
    else if (get && (name = leaf(path, MC_PREFIX "foreignServers/")))
        h_get_foreign_server(x, name);
    else
        ca_error(x, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method: %s %s",
                 method, path);
}

/* Routes, then authenticates: an unknown path is 404 whoever asks. */
static void serve(const emu_env *env, emu_request *r, const ca_product *product,
                  bool (*known)(const char *method, const char *path),
                  void (*route)(ca_req *x, const char *method, const char *path))
{
    ca_req x;
    memset(&x, 0, sizeof x);
    x.env = env;
    x.r = r;
    x.product = *product;
    if (product->regional)
        snprintf(x.host, sizeof x.host, "dlfnext.%s.%s", env->region, product->host);
    else
        snprintf(x.host, sizeof x.host, "%s", product->host);
    char *path = mc_strndup(emu_req_raw_path(r), strcspn(emu_req_raw_path(r), "?"));
    if (!known(emu_req_method(r), path))
        ca_error(&x, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method: %s %s",
                 emu_req_method(r), path);
    else if (open_request(&x) == 0)
        route(&x, emu_req_method(r), path);
    free(path);
    close_request(&x);
}

static bool mc_known(const char *method, const char *path)
{
    (void)method;
    return mc_str_starts_with(path, MC_PREFIX);
}

/* HostId: the SDK's MaxCompute endpoint (§4: every region maps to it). */
static const ca_product MC_PRODUCT = {"maxcompute.aliyuncs.com", false, "OBJECT_NOT_EXIST", "OBJECT_ALREADY_EXIST"};

typedef struct {
    const emu_env *env;
} mc_ctx;

static int mc_open(void **ctx, const emu_env *env, mc_err *err)
{
    if (ram_role_migrate(env->state, err) || ram_policy_migrate(env->state, err) || control_migrate(env->state, err))
        return -1;
    mc_ctx *c = mc_calloc(1, sizeof *c);
    c->env = env;
    *ctx = c;
    return 0;
}

static void mc_handle(void *ctx, emu_request *r)
{
    serve(((mc_ctx *)ctx)->env, r, &MC_PRODUCT, mc_known, mc_route);
}

static void mc_send_error(void *ctx, emu_request *r, int status, const char *code, const char *message)
{
    (void)ctx;
    emu_pop_send_error(r, MC_PRODUCT.host, status, code, message);
}

static void mc_close(void *ctx)
{
    free(ctx);
}

const emu_service_def emu_mc_service = {
    .name = "mc",
    .request_id_header = "x-acs-request-id",
    .open = mc_open,
    .handle = mc_handle,
    .send_error = mc_send_error,
    .close = mc_close,
};

/* ---- DLF: CreateCatalog, Subscribe, authorize ------------------------------------------ */

/* api-dlfnext-2025-03-10-createcatalog: name, type (PAIMON), options,
 * isShared, shareId. What mcdlf does not model is refused. */
static int h_create_catalog(ca_req *x)
{
    const char *name, *type, *share;
    if (require_str(x, x->json, "name", &name) || body_str(x, x->json, "type", &type) ||
        body_str(x, x->json, "shareId", &share))
        return -1;
    if (type && strcasecmp(type, "PAIMON") != 0)
        return ca_error(x, 400, "UnsupportedOperation", "mcdlf models PAIMON catalogs only, not %s.", type);
    if (json_is_true(json_object_get(x->json, "isShared")) || (share && *share))
        return ca_error(x, 400, "UnsupportedOperation", "mcdlf does not model shared catalogs (isShared, shareId).");
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(x->json, "options"), key, v) {
        /* The documented example option; LRS is what every mcdlf catalog is. */
        if (strcmp(key, "storage.data.redundancy.type") != 0 || !json_is_string(v) ||
            strcmp(json_string_value(v), "LRS") != 0)
            return ca_error(x, 400, "UnsupportedOperation", "mcdlf does not model the catalog option %s.", key);
    }
    dlf_catalog_info cat;
    mc_err err;
    if (emu_console_create_catalog(&x->actor, name, &cat, &err))
        return from_err(x, &err);
    /* The documented success body is empty; the id comes with GET /v1/config. */
    send_json(x, 200, json_object());
    return 0;
}

static bool dlf_known(const char *method, const char *path)
{
    return !strcmp(method, "POST") && (!strcmp(path, DLF_CATALOGS) || !strcmp(path, DLF_SERVICE "subscribe") ||
                                       !strcmp(path, DLF_SERVICE "authorize"));
}

static void dlf_route(ca_req *x, const char *method, const char *path)
{
    (void)method;
    mc_err err;
    if (!strcmp(path, DLF_CATALOGS)) {
        h_create_catalog(x);
        return;
    }
    /* api-dlfnext-2025-03-10-subscribe: no parameters, answers {}. */
    int rc = !strcmp(path, DLF_SERVICE "subscribe") ? emu_console_dlf_activate(&x->actor, &err)
                                                    : emu_console_dlf_authorize(&x->actor, &err);
    if (rc)
        from_err(x, &err);
    else
        send_json(x, 200, json_object());
}

bool emu_dlf_manage_owns(const char *raw_path)
{
    size_t n = strcspn(raw_path, "?");
    return (n == strlen(DLF_CATALOGS) && !strncmp(raw_path, DLF_CATALOGS, n)) ||
           mc_str_starts_with(raw_path, DLF_SERVICE);
}

/* HostId: DlfNext's public OpenAPI host (api-dlfnext-2025-03-10-endpoint). */
static const ca_product DLF_PRODUCT = {"aliyuncs.com", true, "NotFound", "AlreadyExists"};

void emu_dlf_manage_handle(const emu_env *env, emu_request *r)
{
    serve(env, r, &DLF_PRODUCT, dlf_known, dlf_route);
}
