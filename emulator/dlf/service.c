/* dlf/service: see service.h. Section numbers refer to reference/paimon-rest.md. */
#include "dlf/service.h"

#include <ctype.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "dlf/catalog.h"
#include "dlf/grants.h"
#include "dlf/permissions_api.h"
#include "server/control_api.h"
#include "dlf/ram_layer.h"
#include "jackson.h"
#include "log.h"
#include "oss/store.h"
#include "server/cred.h"
#include "sign_dlf.h"
#include "sign_oss.h"
#include "strutil.h"
#include "timeutil.h"

/* Handlers run on CivetWeb's worker threads, whose stacks are small; kept out
 * of line, only the frames of the handler a request takes are on the stack
 * (inlined into route they all were at once: 60 KB under ASan). */
#define HANDLER static __attribute__((noinline)) int

#define MAX_SKEW_MS (15 * 60 * 1000)
#define PAGE_DEFAULT 100 /* default and cap of maxResults (§5, the mock's choice) */
#define MAX_SEGS 12
/* Tokens outlive an hour: Java refreshes when less than an hour remains (§8). */
#define TOKEN_TTL_MS (2 * 3600 * 1000LL)

typedef struct {
    const emu_env *env;
    oss_store *store;
    pthread_mutex_t commit_lock; /* one commit at a time: file writes and the state transaction together */
    char default_catalog[129];
} dlf_ctx;

typedef struct {
    dlf_ctx *c;
    emu_request *r;
    const char *method;
    char *segs[MAX_SEGS]; /* decoded path segments after /v1 */
    int nsegs;
    mc_query q;           /* decoded query ('+' is a space, Java URLEncoder) */
    emu_cred cred;
    char root_arn[128];
    dlf_catalog_info cat;
    json_t *body;
    json_t *sent_body; /* a copy of body as received (handlers normalise body), for the traffic log */
    int resp_status;   /* what send_json sent last, for the traffic log */
    json_t *resp_body; /* owned; NULL when the response had no body */
} dlf_req;

/* ---- responses ------------------------------------------------------------------ */

static void send_json(dlf_req *x, int status, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    emu_resp_send(x->r, status, "application/json", s ? s : "", s ? strlen(s) : 0);
    free(s);
    x->resp_status = status;
    json_decref(x->resp_body);
    x->resp_body = j; /* takes the reference send_json was given */
}

/* ErrorResponse {message, resourceType, resourceName, code} (§4). */
static int dlf_error(dlf_req *x, int status, const char *type, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int dlf_error(dlf_req *x, int status, const char *type, const char *name, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *j = json_object();
    json_object_set_new(j, "message", json_string(msg));
    json_object_set_new(j, "resourceType", type ? json_string(type) : json_null());
    json_object_set_new(j, "resourceName", name ? json_string(name) : json_null());
    json_object_set_new(j, "code", json_integer(status));
    send_json(x, status, j);
    return -1;
}

static int internal_error(dlf_req *x, const mc_err *err)
{
    MC_LOGE("dlf: %s", err->msg);
    return dlf_error(x, 500, NULL, NULL, "Internal error: %s", err->msg);
}

/* Maps a catalog error to its REST status (§10 exception map). */
static int from_err(dlf_req *x, const mc_err *err, const char *type, const char *name)
{
    switch (err->code) {
    case MC_ERR_NOT_FOUND:
        return dlf_error(x, 404, type, name, "%s", err->msg);
    case MC_ERR_EXISTS:
        return dlf_error(x, 409, type, name, "%s", err->msg);
    case MC_ERR_INVALID:
        return dlf_error(x, 400, type, name, "%s", err->msg);
    case MC_ERR_UNSUPPORTED:
        return dlf_error(x, 501, type, name, "%s", err->msg);
    case MC_ERR_DENIED:
        return dlf_error(x, 403, type, name, "%s", err->msg);
    default:
        return internal_error(x, err);
    }
}

static void dlf_send_error(void *ctx, emu_request *r, int status, const char *code, const char *message)
{
    dlf_req x = {.c = ctx, .r = r};
    (void)code;
    dlf_error(&x, status, NULL, NULL, "%s", message);
    json_decref(x.resp_body);
}

/* ---- parsing -------------------------------------------------------------------- */

static int parse_query(mc_query *q, const char *raw)
{
    memset(q, 0, sizeof *q);
    const char *p = raw;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t nlen = eq ? (size_t)(eq - p) : len;
            mc_buf n = MC_BUF_INIT, v = MC_BUF_INIT;
            if (mc_url_decode(&n, p, nlen, true) ||
                (eq && mc_url_decode(&v, eq + 1, len - nlen - 1, true))) {
                mc_buf_free(&n);
                mc_buf_free(&v);
                return -1;
            }
            q->items = mc_realloc(q->items, (q->count + 1) * sizeof *q->items);
            q->items[q->count++] = (mc_query_param){mc_buf_detach(&n, NULL), mc_buf_detach(&v, NULL), eq != NULL};
        }
        p = amp ? amp + 1 : NULL;
    }
    return 0;
}

static int parse_path(dlf_req *x, const char *raw)
{
    if (strncmp(raw, "/v1", 3) != 0 || (raw[3] != '/' && raw[3] != '\0'))
        return -1;
    const char *p = raw + 3;
    while (*p == '/') {
        p++;
        size_t len = strcspn(p, "/");
        if (x->nsegs == MAX_SEGS)
            return -1;
        mc_buf b = MC_BUF_INIT;
        if (mc_url_decode(&b, p, len, true) || memchr(b.data ? b.data : "", '\0', b.len)) {
            mc_buf_free(&b);
            return -1;
        }
        x->segs[x->nsegs++] = mc_buf_detach(&b, NULL);
        p += len;
    }
    return 0;
}

static bool seg_is(const dlf_req *x, int i, const char *s)
{
    return i < x->nsegs && !strcmp(x->segs[i], s);
}

/* ---- authentication (§3.3) ------------------------------------------------------ */

static int authenticate(dlf_req *x)
{
    const char *authz = emu_req_header(x->r, "Authorization");
    if (!authz || !mc_str_starts_with(authz, "DLF4-HMAC-SHA256 "))
        return dlf_error(x, 401, NULL, NULL,
                         authz ? "Unsupported authorization scheme: mcdlf's DLF endpoint accepts DLF4-HMAC-SHA256."
                               : "Missing Authorization header.");
    char *cred = sign_auth_field(authz, "Credential");
    const char *slash = cred ? strchr(cred, '/') : NULL;
    if (!slash) {
        free(cred);
        return dlf_error(x, 401, NULL, NULL, "Authorization header has no Credential.");
    }
    char *ak = mc_strndup(cred, (size_t)(slash - cred));
    free(cred);
    int rc = 0;
    mc_err err;
    const char *date = emu_req_header(x->r, "x-dlf-date");
    time_t t;
    if (!date || mc_time_parse_iso8601_basic(date, &t)) {
        rc = dlf_error(x, 401, NULL, NULL, "accessKeyId validate failed with error message: x-dlf-date is missing or "
                                           "invalid");
    } else if ((int64_t)t * 1000 < mc_now_ms() - MAX_SKEW_MS || (int64_t)t * 1000 > mc_now_ms() + MAX_SKEW_MS) {
        rc = dlf_error(x, 401, NULL, NULL,
                       "accessKeyId validate failed with error message: request time %s is too skewed from the "
                       "server time",
                       date);
    } else if (emu_cred_lookup(x->c->env->state, ak, &x->cred, &err)) {
        rc = err.code == MC_ERR_NOT_FOUND
                 ? dlf_error(x, 401, NULL, NULL,
                             "accessKeyId validate failed with error message: accessKeyId %s not found", ak)
                 : internal_error(x, &err);
    } else if (!x->cred.active) {
        rc = dlf_error(x, 401, NULL, NULL, "accessKeyId validate failed with error message: accessKeyId %s is "
                                           "disabled", ak);
    } else if (x->cred.is_sts && (!emu_req_header(x->r, "x-dlf-security-token") ||
                                  !sign_equal(emu_req_header(x->r, "x-dlf-security-token"), x->cred.token))) {
        rc = dlf_error(x, 401, NULL, NULL, "accessKeyId validate failed with error message: security token invalid");
    } else if (x->cred.is_sts && x->cred.expires_ms && mc_now_ms() >= x->cred.expires_ms) {
        rc = dlf_error(x, 401, NULL, NULL, "accessKeyId validate failed with error message: security token expired");
    } else {
        size_t nh = emu_req_header_count(x->r);
        mc_header *h = mc_calloc(nh ? nh : 1, sizeof *h);
        for (size_t i = 0; i < nh; i++)
            emu_req_header_at(x->r, i, &h[i].name, &h[i].value);
        char *raw = mc_strndup(emu_req_raw_path(x->r), strcspn(emu_req_raw_path(x->r), "?"));
        sign_dlf_request sr = {x->method, raw, &x->q, h, nh};
        mc_buf want = MC_BUF_INIT;
        sign_dlf_authorization(&want, &sr, ak, x->cred.secret, x->c->env->region);
        if (!sign_equal(want.data, authz)) {
            char *sig = sign_auth_field(authz, "Signature");
            rc = dlf_error(x, 401, NULL, NULL,
                           "accessKeyId validate failed with error message: current signature %s not match",
                           sig ? sig : "");
            free(sig);
        }
        mc_buf_free(&want);
        free(raw);
        free(h);
    }
    free(ak);
    return rc;
}

/* Content-MD5 of a body, when sent, must match (§3.3 headers). */
static int read_body(dlf_req *x)
{
    mc_buf b = MC_BUF_INIT;
    mc_err err;
    if (emu_req_body(x->r, &b, &err)) {
        mc_buf_free(&b);
        return dlf_error(x, 400, NULL, NULL, "%s", err.msg);
    }
    const char *md5 = emu_req_header(x->r, "Content-MD5");
    if (md5 && b.len) {
        uint8_t d[MC_MD5_LEN];
        mc_md5(d, b.data, b.len);
        mc_buf e = MC_BUF_INIT;
        mc_base64_encode(&e, d, sizeof d);
        bool ok = !strcmp(e.data, md5);
        mc_buf_free(&e);
        if (!ok) {
            mc_buf_free(&b);
            return dlf_error(x, 400, NULL, NULL, "Content-MD5 does not match the request body.");
        }
    }
    if (b.len) {
        json_error_t je;
        x->body = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
        if (!x->body || !json_is_object(x->body)) {
            mc_buf_free(&b);
            return dlf_error(x, 400, NULL, NULL, "Malformed JSON request body: %s (line %d, column %d).",
                             x->body ? "not an object" : je.text, je.line, je.column);
        }
        if (getenv("MCDLF_DLF_TRAFFIC"))
            x->sent_body = json_deep_copy(x->body);
    }
    mc_buf_free(&b);
    return 0;
}

/* ---- data-plane privileges ------------------------------------------------------ */

/* Tells the emulator's trace (`mcdlf why`) about a decision. */
static void record(dlf_req *x, const char *action, const dlf_resource *res, const dlf_decision *d)
{
    if (!x->c->env->record)
        return;
    char name[300], what[340];
    dlf_resource_display(name, sizeof name, res);
    snprintf(what, sizeof what, "%s %s", dlf_resource_type_name(res->type), name);
    x->c->env->record(x->c->env, "DLF", x->cred.principal, action, what, d->allowed, d->reason);
}

/* The one check every handler calls (dlf-permissions.md §6 mapping). */
static int authorize(dlf_req *x, dlf_privilege p, const char *db, const char *table, const char *owner)
{
    dlf_resource res = {table ? DLF_RES_TABLE : db ? DLF_RES_DATABASE : DLF_RES_CATALOG, x->cat.name, db, table};
    dlf_decision d;
    mc_err err;
    if (dlf_check(x->c->env->state, x->cred.principal, x->root_arn, owner, p, &res, &d, &err))
        return internal_error(x, &err);
    record(x, dlf_privilege_name(p), &res, &d);
    if (d.allowed)
        return 0;
    char name[300];
    dlf_resource_display(name, sizeof name, &res);
    return dlf_error(x, 403, dlf_resource_type_name(res.type), name, "%s", d.message);
}

/* The RAM layer before any data check (dlf/ram_layer): a request no route
 * serves passes on to route(), which answers 404/501. */
static int authorize_ram(dlf_req *x)
{
    const char *op = dlf_rest_operation(x->method, x->segs, x->nsegs);
    if (!op)
        return 0;
    ram_decision d;
    mc_err err;
    if (dlf_ram_decide(x->c->env, x->r, &x->cred, op, &d, &err))
        return internal_error(x, &err);
    if (d.allowed)
        return 0;
    char msg[256];
    dlf_ram_refusal(msg, sizeof msg, op);
    return dlf_error(x, 403, NULL, NULL, "%s", msg);
}

/* ---- files in the catalog's bucket ---------------------------------------------- */

/* oss://bucket/<key> -> key */
static const char *path_key(const dlf_req *x, const char *path)
{
    size_t n = strlen(x->cat.bucket);
    return path + 6 + n + 1;
}

static int put_file(dlf_req *x, const char *table_path, const char *rel, const mc_buf *data, mc_err *err)
{
    char *key = mc_asprintf("%s/%s", path_key(x, table_path), rel);
    oss_put_opts o = {.content_type = "application/octet-stream"};
    int rc = oss_store_put(x->c->store, x->cat.bucket, key, data->data ? data->data : "", data->len, &o, NULL, err);
    free(key);
    return rc;
}

static int32_t max_field_id(const json_t *fields);

/* The largest field id inside a type: ROW fields, ARRAY/MULTISET elements, MAP keys and values. */
static int32_t max_type_id(const json_t *type)
{
    if (!json_is_object(type))
        return -1;
    int32_t m = max_field_id(json_object_get(type, "fields"));
    static const char *const inner[] = {"element", "key", "value"};
    for (size_t i = 0; i < 3; i++) {
        int32_t n = max_type_id(json_object_get(type, inner[i]));
        if (n > m)
            m = n;
    }
    return m;
}

/* highestFieldId: the largest field id anywhere in the row type (nested
 * types included, as Java's RowType.currentHighestFieldId counts them). */
static int32_t max_field_id(const json_t *fields)
{
    int32_t m = -1;
    size_t i;
    const json_t *f;
    json_array_foreach(fields, i, f) {
        json_int_t id = json_integer_value(json_object_get(f, "id"));
        if (id > m)
            m = (int32_t)id;
        int32_t n = max_type_id(json_object_get(f, "type"));
        if (n > m)
            m = n;
    }
    return m;
}

/* The schema file as Java writes it (paimon-format.md §3). highestFieldId
 * only grows: a dropped column's id is never reused. */
static int write_schema_file(dlf_req *x, const char *table_path, int64_t id, const json_t *schema,
                             int32_t highest_field_id, mc_err *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(3));
    json_object_set_new(o, "id", json_integer(id));
    json_object_set(o, "fields", json_object_get(schema, "fields"));
    json_object_set_new(o, "highestFieldId", json_integer(highest_field_id));
    json_object_set(o, "partitionKeys", json_object_get(schema, "partitionKeys"));
    json_object_set(o, "primaryKeys", json_object_get(schema, "primaryKeys"));
    json_object_set(o, "options", json_object_get(schema, "options"));
    const json_t *comment = json_object_get(schema, "comment");
    if (json_is_string(comment))
        json_object_set(o, "comment", (json_t *)comment);
    json_object_set_new(o, "timeMillis", json_integer(mc_now_ms()));
    mc_buf b = MC_BUF_INIT;
    mc_json_jackson_dump(&b, o);
    json_decref(o);
    char rel[64];
    snprintf(rel, sizeof rel, "schema/schema-%lld", (long long)id);
    int rc = put_file(x, table_path, rel, &b, err);
    mc_buf_free(&b);
    return rc;
}

/* Validates a REST Schema object {fields, partitionKeys, primaryKeys, options, comment?}
 * and normalises absent lists/maps to empty ones. */
static int check_schema(dlf_req *x, json_t *schema, const char *display)
{
    if (!json_is_object(schema))
        return dlf_error(x, 400, "TABLE", display, "Request body has no schema object.");
    json_t *fields = json_object_get(schema, "fields");
    if (!json_is_array(fields) || json_array_size(fields) == 0)
        return dlf_error(x, 400, "TABLE", display, "Table schema must have at least one field.");
    size_t i, j;
    json_t *f, *g;
    json_array_foreach(fields, i, f) {
        const char *name = json_string_value(json_object_get(f, "name"));
        const json_t *type = json_object_get(f, "type");
        if (!name || !*name || !json_is_integer(json_object_get(f, "id")) || !(json_is_string(type) || json_is_object(type)))
            return dlf_error(x, 400, "TABLE", display, "Field %zu needs an integer id, a name and a type.", i);
        json_array_foreach(fields, j, g) {
            if (j < i && !strcmp(name, json_string_value(json_object_get(g, "name"))))
                return dlf_error(x, 400, "COLUMN", name, "Field name %s is repeated.", name);
        }
    }
    static const char *const lists[] = {"partitionKeys", "primaryKeys"};
    for (int k = 0; k < 2; k++) {
        json_t *l = json_object_get(schema, lists[k]);
        if (!l) {
            json_object_set_new(schema, lists[k], json_array());
            continue;
        }
        if (!json_is_array(l))
            return dlf_error(x, 400, "TABLE", display, "%s must be an array of field names.", lists[k]);
        json_array_foreach(l, i, g) {
            bool found = false;
            json_array_foreach(fields, j, f) found |= json_is_string(g) &&
                                                      !strcmp(json_string_value(g),
                                                              json_string_value(json_object_get(f, "name")));
            if (!found)
                return dlf_error(x, 400, "COLUMN", json_string_value(g), "%s names a field the table does not have: %s",
                                 lists[k], json_is_string(g) ? json_string_value(g) : "?");
        }
    }
    json_t *opts = json_object_get(schema, "options");
    if (!opts)
        json_object_set_new(schema, "options", json_object());
    else if (!json_is_object(opts))
        return dlf_error(x, 400, "TABLE", display, "options must be an object of strings.");
    /* DLF keeps Paimon tables managed: the catalog chooses the path (§7). */
    if (json_object_get(json_object_get(schema, "options"), "path"))
        return dlf_error(x, 400, "TABLE", display,
                         "The catalog manages table locations; the 'path' option cannot be set on create.");
    return 0;
}

/* ---- pagination (§5) ------------------------------------------------------------ */

/* A name pattern as a prefix (NULL for none); an exact-name pattern ends in
 * '\x01' (see pattern_exact). */
static int like_prefix(dlf_req *x, const char *pat, char **prefix)
{
    *prefix = NULL;
    if (pat && *pat) {
        /* Only prefix LIKE patterns `abc%` (§5); '\' escapes. */
        mc_buf p = MC_BUF_INIT;
        for (const char *s = pat; *s; s++) {
            if (*s == '\\' && s[1]) {
                mc_buf_putc(&p, *++s);
            } else if (*s == '%') {
                if (s[1]) {
                    mc_buf_free(&p);
                    return dlf_error(x, 400, NULL, NULL, "Can only support prefix sql like pattern query now.");
                }
            } else {
                mc_buf_putc(&p, *s);
            }
        }
        bool exact = pat[strlen(pat) - 1] != '%';
        if (exact)
            mc_buf_putc(&p, '\x01'); /* marks an exact-name pattern */
        *prefix = mc_buf_detach(&p, NULL);
    }
    return 0;
}

static int page_args(dlf_req *x, size_t *limit, const char **after, const char *pattern_name, char **prefix)
{
    *limit = PAGE_DEFAULT;
    *after = mc_query_get(&x->q, "pageToken");
    *prefix = NULL;
    const char *mr = mc_query_get(&x->q, "maxResults");
    long long v;
    if (mr && (mc_parse_i64(mr, &v) || v <= 0 || v > INT32_MAX))
        return dlf_error(x, 400, "TABLE", NULL, "Invalid input for queryParameter maxResults: %s", mr);
    if (mr && v < PAGE_DEFAULT)
        *limit = (size_t)v;
    return like_prefix(x, pattern_name ? mc_query_get(&x->q, pattern_name) : NULL, prefix);
}

static void set_names_page(json_t *o, const char *key, char **names, size_t n, size_t limit, const char *exact)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        if (!exact || !strcmp(names[i], exact))
            json_array_append_new(a, json_string(names[i]));
    json_object_set_new(o, key, a);
    json_object_set_new(o, "nextPageToken", n == limit && n ? json_string(names[n - 1]) : json_null());
}

/* Splits the pattern prefix into (prefix for the query, exact name or NULL). */
static char *pattern_exact(char *prefix)
{
    size_t n = prefix ? strlen(prefix) : 0;
    if (n && prefix[n - 1] == '\x01') {
        prefix[n - 1] = '\0';
        return prefix;
    }
    return NULL;
}

/* ---- JSON views of the model ---------------------------------------------------- */

static void set_audit(json_t *o, const dlf_audit *a)
{
    json_object_set_new(o, "owner", json_string(a->owner));
    json_object_set_new(o, "createdAt", json_integer(a->created_at));
    json_object_set_new(o, "createdBy", json_string(a->created_by));
    json_object_set_new(o, "updatedAt", json_integer(a->updated_at));
    json_object_set_new(o, "updatedBy", json_string(a->updated_by));
}

static json_t *table_json(const dlf_table *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(t->id));
    json_object_set_new(o, "database", json_string(t->database));
    json_object_set_new(o, "name", json_string(t->name));
    json_object_set_new(o, "path", json_string(t->path));
    json_object_set_new(o, "isExternal", json_false());
    json_object_set_new(o, "schemaId", json_integer(t->schema_id));
    json_object_set_new(o, "schema", json_loads(t->schema, 0, NULL));
    set_audit(o, &t->audit);
    return o;
}

/* ---- handlers ------------------------------------------------------------------- */

HANDLER h_config(dlf_req *x)
{
    const char *wh = mc_query_get(&x->q, "warehouse");
    if (!wh || !*wh)
        return dlf_error(x, 400, NULL, NULL, "Missing the warehouse parameter: pass the catalog name as 'warehouse'.");
    mc_err err;
    dlf_catalog_info c;
    if (dlf_catalog_get(x->c->env->state, wh, &c, &err)) {
        if (err.code != MC_ERR_NOT_FOUND)
            return internal_error(x, &err);
        return dlf_error(x, 404, NULL, wh, "Catalog %s does not exist.", wh);
    }
    /* Another account's catalog is not visible. */
    if (strcmp(c.account_id, x->cred.account_id) != 0)
        return dlf_error(x, 404, NULL, wh, "Catalog %s does not exist.", wh);
    json_t *o = json_object(), *d = json_object();
    json_object_set_new(d, "prefix", json_string(c.id));
    json_object_set_new(d, "warehouse", json_string(c.name));
    json_object_set_new(d, "data-token.enabled", json_string("true"));
    json_object_set_new(o, "defaults", d);
    json_object_set_new(o, "overrides", json_object());
    send_json(x, 200, o);
    return 0;
}

HANDLER h_databases(dlf_req *x)
{
    mc_err err;
    if (!strcmp(x->method, "GET")) {
        size_t limit;
        const char *after;
        char *prefix, **names;
        size_t n;
        if (page_args(x, &limit, &after, "databaseNamePattern", &prefix))
            return -1;
        char *exact = pattern_exact(prefix);
        int rc = dlf_db_list(x->c->env->state, &x->cat, prefix, after, limit, &names, &n, &err);
        if (rc == 0) {
            json_t *o = json_object();
            set_names_page(o, "databases", names, n, limit, exact);
            send_json(x, 200, o);
            dlf_strings_free(names, n);
        }
        free(prefix);
        return rc ? internal_error(x, &err) : 0;
    }
    const char *name = json_string_value(json_object_get(x->body, "name"));
    json_t *opts = json_object_get(x->body, "options");
    if (!name || !*name)
        return dlf_error(x, 400, "DATABASE", NULL, "Request body needs the database name.");
    if (strlen(name) > 128 || strchr(name, '/'))
        return dlf_error(x, 400, "DATABASE", name, "Invalid database name: %s", name);
    if (authorize(x, DLF_PRIV_CREATE_DATABASE, NULL, NULL, x->cat.owner))
        return -1;
    char *o = opts ? json_dumps(opts, JSON_COMPACT) : NULL;
    int rc = dlf_db_create(x->c->env->state, &x->cat, name, o, x->cred.principal, &err);
    free(o);
    if (rc)
        return from_err(x, &err, "DATABASE", name);
    send_json(x, 200, NULL);
    return 0;
}

HANDLER h_database(dlf_req *x, const char *db)
{
    mc_err err;
    dlf_database d;
    if (dlf_db_get(x->c->env->state, &x->cat, db, &d, &err))
        return from_err(x, &err, "DATABASE", db);
    int rc = 0;
    if (!strcmp(x->method, "GET")) {
        if ((rc = authorize(x, DLF_PRIV_DESCRIBE, db, NULL, d.audit.owner)) == 0) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_string(d.id));
            json_object_set_new(o, "name", json_string(d.name));
            json_object_set_new(o, "location", json_string(d.location));
            json_object_set_new(o, "options", json_loads(d.options, 0, NULL));
            set_audit(o, &d.audit);
            send_json(x, 200, o);
        }
    } else if (!strcmp(x->method, "DELETE")) {
        if ((rc = authorize(x, DLF_PRIV_DROP, db, NULL, d.audit.owner)) == 0) {
            if ((rc = dlf_db_drop(x->c->env->state, &x->cat, db, &err)) != 0)
                from_err(x, &err, "DATABASE", db);
            else
                send_json(x, 200, NULL);
        }
    } else if ((rc = authorize(x, DLF_PRIV_ALTER, db, NULL, d.audit.owner)) == 0) {
        /* alter: {removals:[k], updates{k:v}} -> {removed, updated, missing} */
        json_t *opts = json_loads(d.options, 0, NULL), *removed = json_array(), *updated = json_array(),
               *missing = json_array();
        size_t i;
        json_t *k;
        json_array_foreach(json_object_get(x->body, "removals"), i, k) {
            const char *key = json_string_value(k);
            if (!key)
                continue;
            json_array_append_new(json_object_del(opts, key) == 0 ? removed : missing, json_string(key));
        }
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(x->body, "updates"), key, v) {
            json_object_set(opts, key, v);
            json_array_append_new(updated, json_string(key));
        }
        char *s = json_dumps(opts, JSON_COMPACT);
        rc = dlf_db_set_options(x->c->env->state, &x->cat, db, s, x->cred.principal, &err);
        free(s);
        json_decref(opts);
        if (rc) {
            json_decref(removed);
            json_decref(updated);
            json_decref(missing);
            from_err(x, &err, "DATABASE", db);
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "removed", removed);
            json_object_set_new(o, "updated", updated);
            json_object_set_new(o, "missing", missing);
            send_json(x, 200, o);
        }
    }
    dlf_database_clear(&d);
    return rc;
}

HANDLER h_tables(dlf_req *x, const char *db, bool details)
{
    mc_err err;
    dlf_database d;
    if (dlf_db_get(x->c->env->state, &x->cat, db, &d, &err))
        return from_err(x, &err, "DATABASE", db);
    int rc;
    if (!strcmp(x->method, "GET")) {
        size_t limit, n;
        const char *after;
        char *prefix, **names;
        if ((rc = authorize(x, DLF_PRIV_LIST, db, NULL, d.audit.owner)) != 0 ||
            (rc = page_args(x, &limit, &after, "tableNamePattern", &prefix)) != 0) {
            dlf_database_clear(&d);
            return rc;
        }
        char *exact = pattern_exact(prefix);
        rc = dlf_table_list(x->c->env->state, &x->cat, db, prefix, after, limit, &names, &n, &err);
        if (rc == 0) {
            json_t *o = json_object();
            if (!details) {
                set_names_page(o, "tables", names, n, limit, exact);
            } else {
                json_t *a = json_array();
                for (size_t i = 0; i < n; i++) {
                    dlf_table t;
                    if ((!exact || !strcmp(exact, names[i])) &&
                        dlf_table_get(x->c->env->state, &x->cat, db, names[i], &t, &err) == 0) {
                        json_array_append_new(a, table_json(&t));
                        dlf_table_clear(&t);
                    }
                }
                json_object_set_new(o, "tableDetails", a);
                json_object_set_new(o, "nextPageToken", n == limit && n ? json_string(names[n - 1]) : json_null());
            }
            send_json(x, 200, o);
            dlf_strings_free(names, n);
        } else {
            internal_error(x, &err);
        }
        free(prefix);
        dlf_database_clear(&d);
        return rc;
    }
    /* create: {identifier{database, object}, schema} */
    json_t *ident = json_object_get(x->body, "identifier");
    const char *name = json_string_value(json_object_get(ident, "object"));
    const char *idb = json_string_value(json_object_get(ident, "database"));
    char display[300];
    snprintf(display, sizeof display, "%s.%s", db, name ? name : "");
    if (!name || !*name || strlen(name) > 128 || strchr(name, '/') || strchr(name, '$'))
        rc = dlf_error(x, 400, "TABLE", name, "Invalid table name: %s", name ? name : "(none)");
    else if (idb && strcmp(idb, db) != 0)
        rc = dlf_error(x, 400, "TABLE", name, "identifier.database %s does not match the path's database %s", idb,
                       db);
    else if ((rc = authorize(x, DLF_PRIV_CREATE_TABLE, db, NULL, d.audit.owner)) == 0 &&
             (rc = check_schema(x, json_object_get(x->body, "schema"), display)) == 0) {
        json_t *schema = json_object_get(x->body, "schema");
        char *s = json_dumps(schema, JSON_COMPACT | JSON_PRESERVE_ORDER);
        dlf_table t;
        rc = dlf_table_create(x->c->env->state, &x->cat, db, name, NULL, s, max_field_id(json_object_get(schema, "fields")),
                              x->cred.principal, &t, &err);
        free(s);
        if (rc) {
            from_err(x, &err, "TABLE", name);
        } else {
            /* The table exists once its schema file does, as Java's catalog writes it. */
            if ((rc = write_schema_file(x, t.path, 0, schema, t.highest_field_id, &err)) != 0) {
                mc_err ignored;
                dlf_table_drop(x->c->env->state, &x->cat, db, name, &ignored);
                internal_error(x, &err);
            } else {
                send_json(x, 200, NULL);
            }
            dlf_table_clear(&t);
        }
    }
    dlf_database_clear(&d);
    return rc;
}

/* GET .../snapshot: TableSnapshot of the latest (§6). */
HANDLER h_latest_snapshot(dlf_req *x, const dlf_table *t)
{
    mc_err err;
    char *json = NULL;
    if (t->latest_snapshot == 0)
        return dlf_error(x, 404, "SNAPSHOT", t->name, "Table %s.%s has no snapshot.", t->database, t->name);
    if (dlf_snapshot_get(x->c->env->state, t, t->latest_snapshot, &json, &err))
        return from_err(x, &err, "SNAPSHOT", t->name);
    json_t *o = json_object(), *ts = json_object();
    json_object_set_new(ts, "snapshot", json_loads(json, JSON_DECODE_ANY, NULL));
    json_object_set_new(ts, "recordCount", json_integer(t->record_count));
    json_object_set_new(ts, "fileSizeInBytes", json_integer(t->file_size));
    json_object_set_new(ts, "fileCount", json_integer(t->file_count));
    json_object_set_new(ts, "lastFileCreationTime", json_integer(t->last_file_creation_time));
    json_object_set_new(o, "snapshot", ts);
    send_json(x, 200, o);
    free(json);
    return 0;
}

HANDLER h_snapshot_version(dlf_req *x, const dlf_table *t, const char *version)
{
    mc_err err;
    long long id;
    if (!strcmp(version, "LATEST"))
        id = t->latest_snapshot;
    else if (!strcmp(version, "EARLIEST"))
        id = -1;
    else if (mc_parse_i64(version, &id)) {
        /* A tag name, as the Java mock resolves it (§6). */
        dlf_tag g;
        if (dlf_tag_get(x->c->env->state, t, version, &g, &err))
            return dlf_error(x, 404, "SNAPSHOT", version, "Snapshot %s of table %s.%s does not exist.", version,
                             t->database, t->name);
        json_t *o = json_object();
        json_object_set_new(o, "snapshot", json_loads(g.snapshot, 0, NULL));
        send_json(x, 200, o);
        dlf_tag_clear(&g);
        return 0;
    } else if (id <= 0)
        return dlf_error(x, 404, "SNAPSHOT", version, "Snapshot %s of table %s.%s does not exist.", version,
                         t->database, t->name);
    char *json;
    if (id == 0 || dlf_snapshot_get(x->c->env->state, t, id, &json, &err))
        return dlf_error(x, 404, "SNAPSHOT", version, "Snapshot %s of table %s.%s does not exist.", version,
                         t->database, t->name);
    json_t *o = json_object();
    json_object_set_new(o, "snapshot", json_loads(json, JSON_DECODE_ANY, NULL));
    send_json(x, 200, o);
    free(json);
    return 0;
}

HANDLER h_snapshots(dlf_req *x, const dlf_table *t)
{
    size_t limit;
    const char *after;
    char *prefix;
    if (page_args(x, &limit, &after, NULL, &prefix))
        return -1;
    long long a = 0;
    if (after && mc_parse_i64(after, &a))
        return dlf_error(x, 400, "SNAPSHOT", after, "Invalid pageToken: %s", after);
    char **json;
    size_t n;
    mc_err err;
    if (dlf_snapshot_list(x->c->env->state, t, a, limit, &json, &n, &err))
        return internal_error(x, &err);
    json_t *o = json_object(), *arr = json_array();
    int64_t last = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_loads(json[i], 0, NULL);
        last = json_integer_value(json_object_get(s, "id"));
        json_array_append_new(arr, s);
    }
    json_object_set_new(o, "snapshots", arr);
    if (n == limit && n) {
        char tok[32];
        snprintf(tok, sizeof tok, "%lld", (long long)last);
        json_object_set_new(o, "nextPageToken", json_string(tok));
    } else {
        json_object_set_new(o, "nextPageToken", json_null());
    }
    send_json(x, 200, o);
    dlf_strings_free(json, n);
    return 0;
}

/* POST .../commit {tableId, baseSnapshotUuid?, snapshot, statistics} -> {success} (§6). */
HANDLER h_commit(dlf_req *x, const dlf_table *t0)
{
    const char *table_id = json_string_value(json_object_get(x->body, "tableId"));
    json_t *snap = json_object_get(x->body, "snapshot");
    json_t *stats = json_object_get(x->body, "statistics");
    if (!json_is_object(snap) || !json_is_integer(json_object_get(snap, "id")))
        return dlf_error(x, 400, "SNAPSHOT", t0->name, "Commit request needs a snapshot with an id.");
    if (stats && !json_is_array(stats))
        return dlf_error(x, 400, "TABLE", t0->name, "Commit statistics must be an array.");
    if (table_id && strcmp(table_id, t0->id) != 0)
        return dlf_error(x, 404, "TABLE", t0->name, "Table %s.%s with id %s does not exist.", t0->database, t0->name,
                         table_id);
    int64_t id = json_integer_value(json_object_get(snap, "id"));
    int64_t schema_id = json_integer_value(json_object_get(snap, "schemaId"));
    if (schema_id < 0 || schema_id > t0->schema_id)
        return dlf_error(x, 400, "TABLE", t0->name, "Snapshot refers to schema %lld, the table's latest is %lld.",
                         (long long)schema_id, (long long)t0->schema_id);
    pthread_mutex_lock(&x->c->commit_lock);
    /* Re-read under the lock: the base check must see the latest commit. */
    mc_err err;
    dlf_table t;
    int rc = dlf_table_get(x->c->env->state, &x->cat, t0->database, t0->name, &t, &err);
    if (rc) {
        pthread_mutex_unlock(&x->c->commit_lock);
        return from_err(x, &err, "TABLE", t0->name);
    }
    bool ok = id == t.latest_snapshot + 1;
    json_t *base = json_object_get(x->body, "baseSnapshotUuid");
    if (ok && json_is_string(base))
        ok = t.latest_uuid && !strcmp(t.latest_uuid, json_string_value(base));
    else if (ok && base && json_is_null(base))
        ok = t.latest_snapshot == 0;
    if (ok) {
        mc_buf file = MC_BUF_INIT, hint = MC_BUF_INIT;
        mc_json_jackson_dump(&file, snap);
        char rel[64];
        snprintf(rel, sizeof rel, "snapshot/snapshot-%lld", (long long)id);
        mc_buf_printf(&hint, "%lld", (long long)id);
        size_t n = json_array_size(stats);
        dlf_partition_delta *d = mc_calloc(n ? n : 1, sizeof *d);
        size_t i;
        json_t *st;
        json_array_foreach(stats, i, st) {
            json_t *spec = json_object_get(st, "spec");
            mc_buf name = MC_BUF_INIT;
            const char *k;
            json_t *v;
            json_object_foreach(spec, k, v) {
                mc_buf_printf(&name, "%s%s=%s", name.len ? "/" : "", k, json_is_string(v) ? json_string_value(v) : "");
            }
            d[i].spec = json_dumps(spec ? spec : json_object(), JSON_COMPACT | JSON_PRESERVE_ORDER);
            d[i].name = mc_buf_detach(&name, NULL);
            d[i].record_count = json_integer_value(json_object_get(st, "recordCount"));
            d[i].file_size = json_integer_value(json_object_get(st, "fileSizeInBytes"));
            d[i].file_count = json_integer_value(json_object_get(st, "fileCount"));
            d[i].last_file_creation_time = json_integer_value(json_object_get(st, "lastFileCreationTime"));
        }
        char *snap_text = json_dumps(snap, JSON_COMPACT | JSON_PRESERVE_ORDER);
        const char *uuid = json_string_value(json_object_get(snap, "uuid"));
        rc = put_file(x, t.files, rel, &file, &err);
        if (rc == 0)
            rc = dlf_snapshot_record(x->c->env->state, &t, t.latest_snapshot, id, uuid, snap_text, d, n,
                                     x->cred.principal, &err);
        /* LATEST is a hint (readers fall back to listing), written after the record. */
        if (rc == 0 && put_file(x, t.files, "snapshot/LATEST", &hint, &err))
            MC_LOGW("dlf: writing the LATEST hint of %s failed: %s", t.files, err.msg);
        if (rc && err.code == MC_ERR_CONFLICT) {
            ok = false;
            rc = 0;
        }
        for (i = 0; i < n; i++) {
            free(d[i].spec);
            free(d[i].name);
        }
        free(d);
        free(snap_text);
        mc_buf_free(&file);
        mc_buf_free(&hint);
    }
    pthread_mutex_unlock(&x->c->commit_lock);
    dlf_table_clear(&t);
    if (rc)
        return internal_error(x, &err);
    json_t *o = json_object();
    json_object_set_new(o, "success", json_boolean(ok));
    send_json(x, 200, o);
    return 0;
}

/* GET .../token: STS credentials scoped to the table's path; read-only
 * unless the caller may UPDATE the table (§8, dlf-permissions.md §6). */
HANDLER h_token(dlf_req *x, const dlf_table *t)
{
    dlf_resource res = {DLF_RES_TABLE, x->cat.name, t->database, t->base};
    dlf_decision d;
    mc_err err;
    if (dlf_check(x->c->env->state, x->cred.principal, x->root_arn, t->audit.owner, DLF_PRIV_UPDATE, &res, &d, &err))
        return internal_error(x, &err);
    bool write = d.allowed;
    /* Informational: decides the token's write access, refuses nothing. */
    record(x, "UPDATE (data token write access)", &res, &d);
    if (!write && authorize(x, DLF_PRIV_SELECT, t->database, t->base, t->audit.owner))
        return -1;
    json_t *scope = json_object();
    json_object_set_new(scope, "bucket", json_string(x->cat.bucket));
    char *prefix = mc_asprintf("%s/", path_key(x, t->path));
    json_object_set_new(scope, "prefix", json_string(prefix));
    json_object_set_new(scope, "write", json_boolean(write));
    char *scope_text = json_dumps(scope, JSON_COMPACT);
    json_decref(scope);
    free(prefix);
    emu_cred c;
    int rc = emu_cred_issue_sts(x->c->env->state, x->cat.account_id, x->cred.principal, TOKEN_TTL_MS, scope_text, &c,
                                &err);
    free(scope_text);
    if (rc)
        return internal_error(x, &err);
    const char *oss = x->c->env->endpoint ? x->c->env->endpoint(x->c->env, "oss") : NULL;
    json_t *o = json_object(), *tok = json_object();
    json_object_set_new(tok, "fs.oss.accessKeyId", json_string(c.id));
    json_object_set_new(tok, "fs.oss.accessKeySecret", json_string(c.secret));
    json_object_set_new(tok, "fs.oss.securityToken", json_string(c.token));
    json_object_set_new(tok, "fs.oss.endpoint", json_string(oss ? oss : ""));
    json_object_set_new(tok, "fs.oss.region", json_string(x->c->env->region));
    json_object_set_new(o, "token", tok);
    json_object_set_new(o, "expiresAtMillis", json_integer(c.expires_ms));
    emu_cred_clear(&c);
    send_json(x, 200, o);
    return 0;
}

static json_t *partition_json(const dlf_partition *p);

HANDLER h_partitions(dlf_req *x, const dlf_table *t)
{
    size_t limit, n;
    const char *after;
    char *prefix;
    if (page_args(x, &limit, &after, "partitionNamePattern", &prefix))
        return -1;
    char *exact = pattern_exact(prefix);
    dlf_partition *p;
    mc_err err;
    int rc = dlf_partition_list(x->c->env->state, t, prefix, after, limit, &p, &n, &err);
    free(prefix);
    if (rc)
        return internal_error(x, &err);
    json_t *o = json_object(), *a = json_array();
    for (size_t i = 0; i < n; i++)
        if (!exact || !strcmp(exact, p[i].name))
            json_array_append_new(a, partition_json(&p[i]));
    json_object_set_new(o, "partitions", a);
    json_object_set_new(o, "nextPageToken", n == limit && n ? json_string(p[n - 1].name) : json_null());
    dlf_partitions_free(p, n);
    send_json(x, 200, o);
    return 0;
}

/* ---- table alter (§4 SchemaChange, §7) ------------------------------------------ */

/* One alter request: the schema being changed (a copy) and the field-id counter. */
typedef struct {
    dlf_req *x;
    const dlf_table *t;
    json_t *schema;
    int32_t highest;
    char full[440]; /* db.table, as Java's column exceptions name the table */
} alter_ctx;

static json_t *field_named(json_t *fields, const char *name, size_t *at)
{
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *n = json_string_value(json_object_get(f, "name"));
        if (n && name && !strcmp(n, name)) {
            if (at)
                *at = i;
            return f;
        }
    }
    return NULL;
}

static bool names_contain(const json_t *list, const char *name)
{
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), name)) return true;
    return false;
}

/* Java's ColumnNotExistException / ColumnAlreadyExistException texts. */
static int column_missing(alter_ctx *a, const char *name)
{
    return dlf_error(a->x, 404, "COLUMN", name, "Column %s does not exist in the %s table.", name, a->full);
}

static int column_exists(alter_ctx *a, const char *name)
{
    return dlf_error(a->x, 409, "COLUMN", name, "Column %s already exists in the %s table.", name, a->full);
}

/* Where a change's fieldNames lead: the array holding the column, its
 * last name, the dotted path, and whether it is below the top level. */
typedef struct {
    json_t *fields;
    const char *name;
    char path[300];
    bool nested;
} column_at;

/* Java's SchemaManager.NestedColumnModifier: a ROW type opens its fields;
 * an ARRAY's element or a MAP's value takes one step of the path of its own
 * (Flink names the step "element" or "value"; the name is not checked). A
 * missing step is 404 COLUMN naming the path up to it. */
static int change_column(alter_ctx *a, const json_t *ch, const char *action, json_t *top, column_at *at)
{
    const json_t *fn = json_object_get(ch, "fieldNames");
    size_t n = json_array_size(fn), i;
    const json_t *v;
    bool ok = json_is_array(fn) && n > 0;
    json_array_foreach(fn, i, v) ok &= json_is_string(v);
    if (!ok)
        return dlf_error(a->x, 400, "TABLE", a->t->name, "Schema change %s needs fieldNames.", action);
    mc_buf path = MC_BUF_INIT;
    json_t *cur = top;
    int rc = 0;
    for (size_t d = 0; rc == 0 && d + 1 < n;) {
        const char *seg = json_string_value(json_array_get(fn, d++));
        mc_buf_printf(&path, "%s%s", path.len ? "." : "", seg);
        json_t *f = field_named(cur, seg, NULL);
        const json_t *type = f ? json_object_get(f, "type") : NULL;
        const json_t *inner;
        while (json_is_object(type) && !json_object_get(type, "fields") &&
               ((inner = json_object_get(type, "element")) || (inner = json_object_get(type, "value")))) {
            if (d < n)
                mc_buf_printf(&path, ".%s", json_string_value(json_array_get(fn, d)));
            d++;
            type = inner;
        }
        cur = json_is_object(type) ? json_object_get(type, "fields") : NULL;
        if (f && d >= n)
            rc = dlf_error(a->x, 501, "COLUMN", path.data,
                           "Schema change %s on %s, the element or value type of an ARRAY or MAP column, is not "
                           "supported by the mcdlf catalog.",
                           action, path.data);
        else if (f && !json_is_array(cur)) /* not a ROW: it has no column of that name */
            mc_buf_printf(&path, ".%s", json_string_value(json_array_get(fn, d)));
        if (rc == 0 && !json_is_array(cur))
            rc = dlf_error(a->x, 404, "COLUMN", path.data, "Column %s does not exist in the %s table.", path.data,
                           a->full);
    }
    if (rc) {
        mc_buf_free(&path);
        return rc;
    }
    at->fields = cur;
    at->name = json_string_value(json_array_get(fn, n - 1));
    at->nested = n > 1;
    snprintf(at->path, sizeof at->path, "%s%s%s", path.data ? path.data : "", path.len ? "." : "", at->name);
    mc_buf_free(&path);
    return 0;
}

/* Data types are Paimon schema-file text ("INT NOT NULL") or objects whose
 * "type" member carries that text (ROW, ARRAY, MAP...). */
static const char *type_text(const json_t *type)
{
    return json_is_string(type) ? json_string_value(type) : json_string_value(json_object_get(type, "type"));
}

static bool type_nullable(const json_t *type)
{
    const char *s = type_text(type);
    return !(s && mc_str_ends_with(s, " NOT NULL"));
}

/* A new reference: type with its nullability set. */
static json_t *type_with_nullability(const json_t *type, bool nullable)
{
    const char *s = type_text(type);
    size_t n = s ? strlen(s) : 0;
    if (s && mc_str_ends_with(s, " NOT NULL"))
        n -= strlen(" NOT NULL");
    char *text = mc_asprintf("%.*s%s", (int)n, s ? s : "", nullable ? "" : " NOT NULL");
    json_t *out;
    if (json_is_string(type)) {
        out = json_string(text);
    } else {
        out = json_deep_copy(type);
        json_object_set_new(out, "type", json_string(text));
    }
    free(text);
    return out;
}

/* Java's ReassignFieldId: nested row fields of an added column get fresh ids. */
static void reassign_ids(json_t *type, int32_t *highest)
{
    if (!json_is_object(type))
        return;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(type, "fields"), i, f) {
        json_object_set_new(f, "id", json_integer(++*highest));
        reassign_ids(json_object_get(f, "type"), highest);
    }
    reassign_ids(json_object_get(type, "element"), highest);
    reassign_ids(json_object_get(type, "key"), highest);
    reassign_ids(json_object_get(type, "value"), highest);
}

/* Where a Move {fieldName, referenceFieldName, type} puts its field in
 * `fields` (which no longer holds it); no move means LAST. */
static int move_index(alter_ctx *a, json_t *fields, const json_t *move, size_t *at)
{
    const char *type = json_string_value(json_object_get(move, "type"));
    const char *ref = json_string_value(json_object_get(move, "referenceFieldName"));
    if (!move || json_is_null(move) || (type && !strcmp(type, "LAST"))) {
        *at = json_array_size(fields);
        return 0;
    }
    if (type && !strcmp(type, "FIRST")) {
        *at = 0;
        return 0;
    }
    if (!type || (strcmp(type, "AFTER") != 0 && strcmp(type, "BEFORE") != 0))
        return dlf_error(a->x, 400, "TABLE", a->t->name, "Unknown move type %s: FIRST, AFTER, BEFORE or LAST.",
                         type ? type : "(none)");
    const char *name = json_string_value(json_object_get(move, "fieldName"));
    if (ref && name && !strcmp(ref, name))
        return dlf_error(a->x, 400, "COLUMN", name, "Cannot move itself for column %s", name);
    size_t i;
    if (!ref || !field_named(fields, ref, &i))
        return column_missing(a, ref ? ref : "(none)");
    *at = !strcmp(type, "AFTER") ? i + 1 : i;
    return 0;
}

static int alter_add_column(alter_ctx *a, const json_t *ch, json_t *top)
{
    column_at c;
    if (change_column(a, ch, "addColumn", top, &c))
        return -1;
    json_t *fields = c.fields;
    const char *name = c.name;
    const json_t *type = json_object_get(ch, "dataType");
    if (!json_is_string(type) && !json_is_object(type))
        return dlf_error(a->x, 400, "COLUMN", name, "addColumn %s needs a dataType.", name);
    if (field_named(fields, name, NULL))
        return column_exists(a, name);
    if (!type_nullable(type))
        return dlf_error(a->x, 400, "COLUMN", c.path, "Column %s cannot specify NOT NULL in the %s table.", c.path,
                         a->full);
    size_t at;
    const json_t *move = json_object_get(ch, "move");
    if (move_index(a, fields, move, &at))
        return -1;
    json_t *f = json_object();
    json_object_set_new(f, "id", json_integer(++a->highest));
    json_object_set_new(f, "name", json_string(name));
    json_t *t = json_deep_copy(type);
    reassign_ids(t, &a->highest);
    json_object_set_new(f, "type", t);
    const json_t *comment = json_object_get(ch, "comment");
    if (json_is_string(comment))
        json_object_set(f, "description", (json_t *)comment);
    json_array_insert_new(fields, at, f);
    return 0;
}

static int alter_column(alter_ctx *a, const char *action, const json_t *ch, json_t *top)
{
    column_at c;
    if (change_column(a, ch, action, top, &c))
        return -1;
    json_t *fields = c.fields;
    const char *name = c.name;
    size_t at;
    json_t *f = field_named(fields, name, &at);
    if (!f)
        return column_missing(a, name);
    /* Keys are top-level columns: a nested column is never one. */
    json_t *pk = c.nested ? NULL : json_object_get(a->schema, "primaryKeys");
    json_t *part = c.nested ? NULL : json_object_get(a->schema, "partitionKeys");
    json_t *opts = json_object_get(a->schema, "options");
    if (!strcmp(action, "renameColumn")) {
        const char *to = json_string_value(json_object_get(ch, "newName"));
        if (!to || !*to)
            return dlf_error(a->x, 400, "COLUMN", name, "renameColumn %s needs a newName.", name);
        if (field_named(fields, to, NULL))
            return column_exists(a, to);
        /* Java: UnsupportedOperationException, which the catalog answers 501. */
        if (names_contain(part, name))
            return dlf_error(a->x, 501, "COLUMN", name, "Cannot rename partition column: [%s]", name);
        size_t i;
        json_t *v;
        json_array_foreach(pk, i, v) if (!strcmp(json_string_value(v), name)) json_array_set_new(pk, i, json_string(to));
        json_object_set_new(f, "name", json_string(to));
    } else if (!strcmp(action, "dropColumn")) {
        if (names_contain(part, name) || names_contain(pk, name))
            return dlf_error(a->x, 400, "COLUMN", name, "Cannot drop partition key or primary key: [%s]", name);
        if (json_array_size(fields) == 1)
            return dlf_error(a->x, 400, "COLUMN", name, "Cannot drop all fields in table %s.", a->full);
        json_array_remove(fields, at);
    } else if (!strcmp(action, "updateColumnType")) {
        const json_t *type = json_object_get(ch, "newDataType");
        if (!json_is_string(type) && !json_is_object(type))
            return dlf_error(a->x, 400, "COLUMN", name, "updateColumnType %s needs a newDataType.", name);
        if (names_contain(part, name))
            return dlf_error(a->x, 501, "COLUMN", name, "Cannot update partition column: [%s]", name);
        bool keep = json_is_true(json_object_get(ch, "keepNullability"));
        json_object_set_new(f, "type", keep ? type_with_nullability(type, type_nullable(json_object_get(f, "type")))
                                            : json_deep_copy(type));
    } else if (!strcmp(action, "updateColumnNullability")) {
        const json_t *nullable = json_object_get(ch, "newNullability");
        if (!json_is_boolean(nullable))
            return dlf_error(a->x, 400, "COLUMN", name, "updateColumnNullability %s needs newNullability.", name);
        const json_t *type = json_object_get(f, "type");
        if (json_is_true(nullable) && names_contain(pk, name))
            return dlf_error(a->x, 501, "COLUMN", name, "Cannot change nullability of primary key");
        const char *guard = json_string_value(json_object_get(opts, "alter-column-null-to-not-null.disabled"));
        if (json_is_false(nullable) && type_nullable(type) && !(guard && !strcmp(guard, "false")))
            return dlf_error(a->x, 400, "COLUMN", name,
                             "Cannot update column type from nullable to non nullable for %s. You can set table "
                             "configuration option 'alter-column-null-to-not-null.disabled' = 'false' to allow "
                             "converting null columns to not null",
                             name);
        json_object_set_new(f, "type", type_with_nullability(type, json_is_true(nullable)));
    } else {
        /* updateColumnComment / updateColumnDefaultValue: a string sets, null clears. */
        bool comment = !strcmp(action, "updateColumnComment");
        const json_t *v = json_object_get(ch, comment ? "newComment" : "newDefaultValue");
        const char *key = comment ? "description" : "defaultValue";
        if (json_is_string(v))
            json_object_set(f, key, (json_t *)v);
        else if (!v || json_is_null(v))
            json_object_del(f, key);
        else
            return dlf_error(a->x, 400, "COLUMN", name, "%s %s needs a string.", action, name);
    }
    return 0;
}

static int alter_position(alter_ctx *a, const json_t *ch, json_t *fields)
{
    const json_t *move = json_object_get(ch, "move");
    const char *name = json_string_value(json_object_get(move, "fieldName"));
    if (!json_is_object(move) || !name)
        return dlf_error(a->x, 400, "TABLE", a->t->name, "updateColumnPosition needs a move with a fieldName.");
    size_t from, to;
    json_t *f = field_named(fields, name, &from);
    if (!f)
        return column_missing(a, name);
    json_incref(f);
    json_array_remove(fields, from);
    if (move_index(a, fields, move, &to)) {
        json_decref(f);
        return -1;
    }
    json_array_insert_new(fields, to, f);
    return 0;
}

static int alter_apply(alter_ctx *a, const json_t *ch)
{
    const char *action = json_string_value(json_object_get(ch, "action"));
    json_t *fields = json_object_get(a->schema, "fields"), *opts = json_object_get(a->schema, "options");
    const char *key = json_string_value(json_object_get(ch, "key"));
    if (!action)
        return dlf_error(a->x, 400, "TABLE", a->t->name, "A schema change needs an action.");
    if (!strcmp(action, "setOption")) {
        if (!key || !json_is_string(json_object_get(ch, "value")))
            return dlf_error(a->x, 400, "TABLE", a->t->name, "setOption needs a key and a string value.");
        json_object_set(opts, key, json_object_get(ch, "value"));
    } else if (!strcmp(action, "removeOption")) {
        if (!key)
            return dlf_error(a->x, 400, "TABLE", a->t->name, "removeOption needs a key.");
        json_object_del(opts, key);
    } else if (!strcmp(action, "updateComment")) {
        const json_t *c = json_object_get(ch, "comment");
        if (json_is_string(c))
            json_object_set(a->schema, "comment", (json_t *)c);
        else
            json_object_del(a->schema, "comment");
    } else if (!strcmp(action, "addColumn")) {
        return alter_add_column(a, ch, fields);
    } else if (!strcmp(action, "updateColumnPosition")) {
        return alter_position(a, ch, fields);
    } else if (!strcmp(action, "dropPrimaryKey")) {
        if (json_array_size(json_object_get(a->schema, "primaryKeys")) == 0)
            return dlf_error(a->x, 400, "TABLE", a->t->name, "Table %s has no primary key.", a->full);
        /* Dropping the key changes how existing files merge: only an empty table may. */
        if (a->t->latest_snapshot != 0)
            return dlf_error(a->x, 400, "TABLE", a->t->name,
                             "Cannot drop the primary key of table %s: the table has data.", a->full);
        json_object_set_new(a->schema, "primaryKeys", json_array());
    } else if (!strcmp(action, "renameColumn") || !strcmp(action, "dropColumn") ||
               !strcmp(action, "updateColumnType") || !strcmp(action, "updateColumnNullability") ||
               !strcmp(action, "updateColumnComment") || !strcmp(action, "updateColumnDefaultValue")) {
        return alter_column(a, action, ch, fields);
    } else {
        return dlf_error(a->x, 400, "TABLE", a->t->name, "Unknown schema change action: %s", action);
    }
    return 0;
}

/* POST .../tables/{t} {changes:[SchemaChange]}: all changes or none; each
 * alter writes schema/schema-<id+1> and makes it current. */
HANDLER h_alter_table(dlf_req *x, const dlf_table *t)
{
    alter_ctx a = {.x = x, .t = t, .schema = json_loads(t->schema, JSON_PRESERVE_ORDER, NULL),
                   .highest = t->highest_field_id};
    snprintf(a.full, sizeof a.full, "%s.%s", t->database, t->name);
    const json_t *changes = json_object_get(x->body, "changes");
    if (!json_is_array(changes)) {
        json_decref(a.schema);
        return dlf_error(x, 400, "TABLE", t->name, "Alter table needs a changes array.");
    }
    size_t i;
    const json_t *ch;
    int rc = 0;
    json_array_foreach(changes, i, ch) {
        if ((rc = alter_apply(&a, ch)) != 0)
            break;
    }
    mc_err err;
    if (rc == 0) {
        char *s = json_dumps(a.schema, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = write_schema_file(x, t->files, t->schema_id + 1, a.schema, a.highest, &err);
        if (rc == 0)
            rc = dlf_table_update_schema(x->c->env->state, &x->cat, t, s, a.highest, x->cred.principal, &err);
        free(s);
        if (rc)
            from_err(x, &err, "TABLE", t->name);
        else
            send_json(x, 200, NULL);
    }
    json_decref(a.schema);
    return rc;
}

/* ---- rollback (§6) -------------------------------------------------------------- */

static void delete_file(dlf_req *x, const char *table_path, const char *rel)
{
    mc_err err;
    char *key = mc_asprintf("%s/%s", path_key(x, table_path), rel);
    if (oss_store_delete(x->c->store, x->cat.bucket, key, &err) && err.code != MC_ERR_NOT_FOUND)
        MC_LOGW("dlf: deleting %s failed: %s", key, err.msg);
    free(key);
}

static void write_latest_hint(dlf_req *x, const char *table_path, int64_t id)
{
    mc_buf hint = MC_BUF_INIT;
    mc_err err;
    mc_buf_printf(&hint, "%lld", (long long)id);
    if (put_file(x, table_path, "snapshot/LATEST", &hint, &err))
        MC_LOGW("dlf: writing the LATEST hint of %s failed: %s", table_path, err.msg);
    mc_buf_free(&hint);
}

/* POST .../rollback {instant:{type:snapshot, snapshotId}|{type:tag, tagName}, fromSnapshot?}:
 * later snapshots (records and files) and their tags go, LATEST is rewritten. */
HANDLER h_rollback(dlf_req *x, const dlf_table *t0)
{
    const json_t *inst = json_object_get(x->body, "instant");
    const char *type = json_string_value(json_object_get(inst, "type"));
    const json_t *from = json_object_get(x->body, "fromSnapshot");
    mc_err err;
    int64_t to = 0;
    char *json = NULL;
    if (type && !strcmp(type, "snapshot") && json_is_integer(json_object_get(inst, "snapshotId"))) {
        to = json_integer_value(json_object_get(inst, "snapshotId"));
        char name[32];
        snprintf(name, sizeof name, "%lld", (long long)to);
        if (to <= 0 || dlf_snapshot_get(x->c->env->state, t0, to, &json, &err))
            return dlf_error(x, 404, "SNAPSHOT", name, "Snapshot %s of table %s.%s does not exist.", name,
                             t0->database, t0->name);
    } else if (type && !strcmp(type, "tag") && json_is_string(json_object_get(inst, "tagName"))) {
        dlf_tag g;
        if (dlf_tag_get(x->c->env->state, t0, json_string_value(json_object_get(inst, "tagName")), &g, &err))
            return from_err(x, &err, "TAG", json_string_value(json_object_get(inst, "tagName")));
        to = g.snapshot_id;
        json = g.snapshot;
        g.snapshot = NULL;
        dlf_tag_clear(&g);
    } else {
        return dlf_error(x, 400, "TABLE", t0->name,
                         "Rollback needs an instant {type: snapshot, snapshotId} or {type: tag, tagName}.");
    }
    pthread_mutex_lock(&x->c->commit_lock);
    dlf_table t;
    int rc = dlf_table_get(x->c->env->state, &x->cat, t0->database, t0->name, &t, &err);
    if (rc) {
        pthread_mutex_unlock(&x->c->commit_lock);
        free(json);
        return from_err(x, &err, "TABLE", t0->name);
    }
    /* The Java mock's check, answered as it does (IllegalStateException: 500). */
    if (json_is_integer(from) && json_integer_value(from) != t.latest_snapshot) {
        rc = dlf_error(x, 500, "TABLE", t.name, "Latest snapshot %lld is not %lld", (long long)t.latest_snapshot,
                       (long long)json_integer_value(from));
    } else {
        char **tags;
        size_t ntags;
        rc = dlf_table_rollback(x->c->env->state, &t, to, json, x->cred.principal, &tags, &ntags, &err);
        if (rc) {
            from_err(x, &err, "TABLE", t.name);
        } else {
            char rel[300];
            for (int64_t id = to + 1; id <= t.latest_snapshot; id++) {
                snprintf(rel, sizeof rel, "snapshot/snapshot-%lld", (long long)id);
                delete_file(x, t.files, rel);
            }
            for (size_t i = 0; i < ntags; i++) {
                snprintf(rel, sizeof rel, "tag/tag-%s", tags[i]);
                delete_file(x, t.files, rel);
            }
            /* A tag's snapshot file may have been expired: put it back. */
            mc_buf file = MC_BUF_INIT;
            json_t *snap = json_loads(json, JSON_PRESERVE_ORDER, NULL);
            mc_json_jackson_dump(&file, snap);
            json_decref(snap);
            snprintf(rel, sizeof rel, "snapshot/snapshot-%lld", (long long)to);
            if (put_file(x, t.files, rel, &file, &err))
                MC_LOGW("dlf: rewriting %s of %s failed: %s", rel, t.files, err.msg);
            mc_buf_free(&file);
            write_latest_hint(x, t.files, to);
            dlf_strings_free(tags, ntags);
            send_json(x, 200, NULL);
        }
    }
    pthread_mutex_unlock(&x->c->commit_lock);
    dlf_table_clear(&t);
    free(json);
    return rc;
}

/* POST .../rollback-schema {schemaId}: that schema is current again; later
 * schema files go (Java's SchemaManager.rollbackTo). */
HANDLER h_rollback_schema(dlf_req *x, const dlf_table *t)
{
    const json_t *id = json_object_get(x->body, "schemaId");
    if (!json_is_integer(id))
        return dlf_error(x, 400, "TABLE", t->name, "Rollback schema needs a schemaId.");
    int64_t to = json_integer_value(id);
    mc_err err;
    char *json;
    if (to < 0 || to > t->schema_id || dlf_schema_get(x->c->env->state, t, to, &json, &err))
        return dlf_error(x, 400, "TABLE", t->name, "Schema %lld does not exist.", (long long)to);
    json_t *schema = json_loads(json, 0, NULL);
    int32_t highest = max_field_id(json_object_get(schema, "fields"));
    json_decref(schema);
    if (highest < 0)
        highest = 0;
    int rc = dlf_table_rollback_schema(x->c->env->state, t, to, json, highest, x->cred.principal, &err);
    free(json);
    if (rc)
        return from_err(x, &err, "TABLE", t->name);
    for (int64_t i = to + 1; i <= t->schema_id; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "schema/schema-%lld", (long long)i);
        delete_file(x, t->files, rel);
    }
    send_json(x, 200, NULL);
    return 0;
}

/* ---- tags ----------------------------------------------------------------------- */

/* Java's TimeUtils durations: a number and an optional unit ("1d", "12 h", "30min"). */
static bool duration_ok(const char *s)
{
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == s)
        return false;
    while (*p == ' ')
        p++;
    static const char *const units[] = {"", "d", "day", "days", "h", "hour", "hours", "min", "m", "minute",
                                        "minutes", "s", "sec", "secs", "second", "seconds", "ms", "milli",
                                        "millis", "millisecond", "milliseconds"};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(p, units[i]))
            return true;
    return false;
}

/* POST .../tags {tagName, snapshotId?, timeRetained?, ignoreIfExists?}: the
 * record, and the tag file tag/tag-<name> (the snapshot's JSON) as Java's
 * TagManager writes one. */
HANDLER h_create_tag(dlf_req *x, const dlf_table *t)
{
    const char *name = json_string_value(json_object_get(x->body, "tagName"));
    const json_t *sid = json_object_get(x->body, "snapshotId");
    const json_t *retained = json_object_get(x->body, "timeRetained");
    if (!name || !*name || strspn(name, " \t") == strlen(name))
        return dlf_error(x, 400, "TAG", name, "Tag name shouldn't be blank.");
    if (strspn(name, "0123456789") == strlen(name))
        return dlf_error(x, 400, "TAG", name, "Tag name cannot be pure numeric string but is '%s'.", name);
    if (strchr(name, '/') || strlen(name) > 128)
        return dlf_error(x, 400, "TAG", name, "Invalid tag name: %s", name);
    if (retained && !json_is_null(retained) && !(json_is_string(retained) && duration_ok(json_string_value(retained))))
        return dlf_error(x, 400, "TAG", name, "Invalid timeRetained: %s (a number and a unit, as \"1d\" or \"12h\").",
                         json_is_string(retained) ? json_string_value(retained) : "not a string");
    if (sid && !json_is_null(sid) && !json_is_integer(sid))
        return dlf_error(x, 400, "TAG", name, "snapshotId must be an integer.");
    int64_t id = json_is_integer(sid) ? json_integer_value(sid) : t->latest_snapshot;
    char sname[32];
    snprintf(sname, sizeof sname, "%lld", (long long)id);
    mc_err err;
    char *json;
    if (id == 0)
        return dlf_error(x, 404, "SNAPSHOT", sname, "Table %s.%s has no snapshot to tag.", t->database, t->name);
    if (id < 0 || dlf_snapshot_get(x->c->env->state, t, id, &json, &err))
        return dlf_error(x, 404, "SNAPSHOT", sname, "Snapshot %s of table %s.%s does not exist.", sname, t->database,
                         t->name);
    int rc = dlf_tag_create(x->c->env->state, t, name, id, json, json_string_value(retained), &err);
    if (rc && err.code == MC_ERR_EXISTS && json_is_true(json_object_get(x->body, "ignoreIfExists"))) {
        free(json);
        send_json(x, 200, NULL);
        return 0;
    }
    if (rc) {
        free(json);
        return from_err(x, &err, "TAG", name);
    }
    json_t *snap = json_loads(json, JSON_PRESERVE_ORDER, NULL);
    mc_buf file = MC_BUF_INIT;
    mc_json_jackson_dump(&file, snap);
    json_decref(snap);
    free(json);
    char *rel = mc_asprintf("tag/tag-%s", name);
    rc = put_file(x, t->files, rel, &file, &err);
    free(rel);
    mc_buf_free(&file);
    if (rc) {
        mc_err ignored;
        dlf_tag_drop(x->c->env->state, t, name, &ignored);
        return internal_error(x, &err);
    }
    send_json(x, 200, NULL);
    return 0;
}

HANDLER h_list_tags(dlf_req *x, const dlf_table *t)
{
    size_t limit, n;
    const char *after;
    char *unused, **names;
    if (page_args(x, &limit, &after, NULL, &unused))
        return -1;
    /* tagNamePrefix is a plain prefix, not a LIKE pattern (§5). */
    const char *prefix = mc_query_get(&x->q, "tagNamePrefix");
    mc_err err;
    if (dlf_tag_list(x->c->env->state, t, prefix, after, limit, &names, &n, &err))
        return internal_error(x, &err);
    json_t *o = json_object();
    set_names_page(o, "tags", names, n, limit, NULL);
    dlf_strings_free(names, n);
    send_json(x, 200, o);
    return 0;
}

/* GET / DELETE .../tags/{tag} */
HANDLER h_tag(dlf_req *x, const dlf_table *t, const char *name)
{
    mc_err err;
    dlf_tag g;
    if (dlf_tag_get(x->c->env->state, t, name, &g, &err))
        return from_err(x, &err, "TAG", name);
    int rc = 0;
    if (!strcmp(x->method, "GET")) {
        json_t *o = json_object();
        json_object_set_new(o, "tagName", json_string(g.name));
        json_object_set_new(o, "snapshot", json_loads(g.snapshot, 0, NULL));
        json_object_set_new(o, "tagCreateTime", json_integer(g.create_time));
        json_object_set_new(o, "tagTimeRetained", g.time_retained ? json_string(g.time_retained) : json_null());
        send_json(x, 200, o);
    } else if ((rc = dlf_tag_drop(x->c->env->state, t, name, &err)) != 0) {
        from_err(x, &err, "TAG", name);
    } else {
        char *rel = mc_asprintf("tag/tag-%s", name);
        delete_file(x, t->files, rel);
        free(rel);
        send_json(x, 200, NULL);
    }
    dlf_tag_clear(&g);
    return rc;
}

/* ---- partitions (§0 rows 25-30) ------------------------------------------------- */

/* A spec's partition name "k=v/k2=v2" in the table's partition-key order, and
 * the spec in that order; 400 unless its keys are exactly the partition keys. */
static int spec_name(dlf_req *x, const dlf_table *t, const json_t *spec, char **name, json_t **ordered)
{
    json_t *schema = json_loads(t->schema, 0, NULL);
    const json_t *keys = json_object_get(schema, "partitionKeys");
    char *text = json_is_object(spec) ? json_dumps(spec, JSON_COMPACT) : mc_strdup("(not an object)");
    int rc = 0;
    *name = NULL;
    *ordered = NULL;
    if (json_array_size(keys) == 0) {
        rc = dlf_error(x, 400, "PARTITION", text, "Table %s.%s is not partitioned.", t->database, t->name);
    } else if (!json_is_object(spec) || json_object_size(spec) != json_array_size(keys)) {
        rc = -1;
    } else {
        mc_buf b = MC_BUF_INIT;
        *ordered = json_object();
        size_t i;
        const json_t *k;
        json_array_foreach(keys, i, k) {
            const json_t *v = json_object_get(spec, json_string_value(k));
            if (!json_is_string(v)) {
                rc = -1;
                break;
            }
            mc_buf_printf(&b, "%s%s=%s", i ? "/" : "", json_string_value(k), json_string_value(v));
            json_object_set(*ordered, json_string_value(k), (json_t *)v);
        }
        *name = rc == 0 ? mc_buf_detach(&b, NULL) : NULL;
        mc_buf_free(&b);
    }
    if (rc && !x->resp_status) {
        char *kt = json_dumps(keys, JSON_COMPACT);
        dlf_error(x, 400, "PARTITION", text, "Partition spec %s does not match the partition keys %s of table %s.%s.",
                  text, kt, t->database, t->name);
        free(kt);
    }
    if (rc) {
        json_decref(*ordered);
        *ordered = NULL;
    }
    free(text);
    json_decref(schema);
    return rc;
}

/* The specs of a request's array (names[i], ordered specs[i]); callers free both. */
static int spec_names(dlf_req *x, const dlf_table *t, const char *field, char ***names, json_t **specs, size_t *n)
{
    const json_t *arr = json_object_get(x->body, field);
    *names = NULL;
    *specs = NULL;
    *n = 0;
    if (!json_is_array(arr))
        return dlf_error(x, 400, "PARTITION", NULL, "The request needs %s, an array of partition specs.", field);
    if (json_array_size(arr) > 1000)
        return dlf_error(x, 400, "PARTITION", NULL, "At most 1000 partition specs per request, got %zu.",
                         json_array_size(arr));
    *names = mc_calloc(json_array_size(arr) + 1, sizeof **names);
    *specs = json_array();
    size_t i;
    const json_t *spec;
    json_array_foreach(arr, i, spec) {
        json_t *o;
        if (spec_name(x, t, spec, &(*names)[i], &o)) {
            dlf_strings_free(*names, i);
            json_decref(*specs);
            *names = NULL;
            *specs = NULL;
            return -1;
        }
        json_array_append_new(*specs, o);
        *n = i + 1;
    }
    return 0;
}

static json_t *partition_json(const dlf_partition *p)
{
    json_t *e = json_object();
    json_object_set_new(e, "spec", json_loads(p->spec, JSON_PRESERVE_ORDER, NULL));
    json_object_set_new(e, "recordCount", json_integer(p->record_count));
    json_object_set_new(e, "fileSizeInBytes", json_integer(p->file_size));
    json_object_set_new(e, "fileCount", json_integer(p->file_count));
    json_object_set_new(e, "lastFileCreationTime", json_integer(p->last_file_creation_time));
    json_object_set_new(e, "totalBuckets", json_integer(p->total_buckets));
    json_object_set_new(e, "done", json_boolean(p->done));
    json_object_set_new(e, "createdAt", json_integer(p->created_at));
    json_object_set_new(e, "createdBy", json_string(p->created_by));
    json_object_set_new(e, "updatedAt", json_integer(p->updated_at));
    json_object_set_new(e, "updatedBy", json_string(p->updated_by));
    return e;
}

/* Reads a PartitionStatistics field: negative or absent is unknown (-1). */
static int64_t stat_field(const json_t *st, const char *key)
{
    const json_t *v = json_object_get(st, key);
    return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
}

/* POST .../partitions {partitionSpecs, ignoreIfExists?, partitionStatistics?, replaceStatistics?}
 * -> {created, existed}; 409 PARTITION when one exists and ignoreIfExists is false. */
HANDLER h_create_partitions(dlf_req *x, const dlf_table *t)
{
    char **names;
    json_t *specs;
    size_t n;
    if (spec_names(x, t, "partitionSpecs", &names, &specs, &n))
        return -1;
    const json_t *stats = json_object_get(x->body, "partitionStatistics");
    const json_t *replace = json_object_get(x->body, "replaceStatistics");
    const json_t *ignore = json_object_get(x->body, "ignoreIfExists");
    int rc = 0;
    if (stats && !json_is_null(stats) && (!json_is_array(stats) || !json_is_boolean(replace)))
        rc = dlf_error(x, 400, "PARTITION", NULL,
                       "partitionStatistics must be an array, and replaceStatistics must say whether they replace "
                       "or add.");
    else if (!(stats && !json_is_null(stats)) && replace && !json_is_null(replace))
        rc = dlf_error(x, 400, "PARTITION", NULL, "replaceStatistics is only allowed with partitionStatistics.");
    dlf_partition_delta *d = mc_calloc(n ? n : 1, sizeof *d);
    bool *has = mc_calloc(n ? n : 1, sizeof *has), *existed = mc_calloc(n ? n : 1, sizeof *existed);
    for (size_t i = 0; i < n; i++) {
        d[i].name = names[i];
        d[i].spec = json_dumps(json_array_get(specs, i), JSON_COMPACT | JSON_PRESERVE_ORDER);
        d[i].total_buckets = -1;
    }
    /* Statistics are matched to specs by their spec, not by position. */
    size_t i;
    const json_t *st;
    json_array_foreach(rc == 0 && json_is_array(stats) ? stats : NULL, i, st) {
        char *name;
        json_t *o;
        if ((rc = spec_name(x, t, json_object_get(st, "spec"), &name, &o)) != 0)
            break;
        json_decref(o);
        size_t j;
        for (j = 0; j < n && strcmp(names[j], name); j++)
            ;
        if (j == n)
            rc = dlf_error(x, 400, "PARTITION", name, "partitionStatistics names %s, which partitionSpecs do not.",
                           name);
        else {
            has[j] = true;
            d[j].record_count = stat_field(st, "recordCount");
            d[j].file_size = stat_field(st, "fileSizeInBytes");
            d[j].file_count = stat_field(st, "fileCount");
            d[j].last_file_creation_time = stat_field(st, "lastFileCreationTime");
            d[j].total_buckets = (int32_t)stat_field(st, "totalBuckets");
        }
        free(name);
        if (rc)
            break;
    }
    mc_err err;
    if (rc == 0 &&
        (rc = dlf_partitions_create(x->c->env->state, t, d, n, has, json_is_true(replace),
                                    !json_is_false(ignore) /* default true */, x->cred.principal, existed, &err)))
        from_err(x, &err, "PARTITION", err.code == MC_ERR_EXISTS ? NULL : t->name);
    if (rc == 0) {
        json_t *o = json_object(), *created = json_array(), *exist = json_array();
        for (i = 0; i < n; i++)
            json_array_append(existed[i] ? exist : created, json_array_get(specs, i));
        json_object_set_new(o, "created", created);
        json_object_set_new(o, "existed", exist);
        send_json(x, 200, o);
    }
    for (i = 0; i < n; i++)
        free(d[i].spec);
    free(d);
    free(has);
    free(existed);
    dlf_strings_free(names, n);
    json_decref(specs);
    return rc;
}

/* POST .../partitions/{drop,mark,list-by-names} */
HANDLER h_partitions_post(dlf_req *x, const dlf_table *t, const char *what)
{
    bool drop = !strcmp(what, "drop"), mark = !strcmp(what, "mark");
    char **names;
    json_t *specs;
    size_t n;
    if (spec_names(x, t, drop ? "partitionSpecs" : "specs", &names, &specs, &n))
        return -1;
    mc_err err;
    int rc;
    if (drop) {
        bool *dropped = mc_calloc(n ? n : 1, sizeof *dropped);
        const json_t *ignore = json_object_get(x->body, "ignoreIfNotExists");
        rc = dlf_partitions_drop(x->c->env->state, t, names, n, !json_is_false(ignore) /* default true */, dropped,
                                 &err);
        if (rc) {
            from_err(x, &err, "PARTITION", NULL);
        } else {
            json_t *o = json_object(), *d = json_array(), *m = json_array();
            for (size_t i = 0; i < n; i++)
                json_array_append(dropped[i] ? d : m, json_array_get(specs, i));
            json_object_set_new(o, "dropped", d);
            json_object_set_new(o, "missing", m);
            send_json(x, 200, o);
        }
        free(dropped);
    } else if (mark) {
        if ((rc = dlf_partitions_mark_done(x->c->env->state, t, names, n, x->cred.principal, &err)) != 0)
            internal_error(x, &err);
        else
            send_json(x, 200, NULL);
    } else {
        dlf_partition *p;
        size_t np;
        if ((rc = dlf_partitions_by_name(x->c->env->state, t, names, n, &p, &np, &err)) != 0) {
            internal_error(x, &err);
        } else {
            json_t *o = json_object(), *a = json_array();
            for (size_t i = 0; i < np; i++)
                json_array_append_new(a, partition_json(&p[i]));
            json_object_set_new(o, "partitions", a);
            json_object_set_new(o, "nextPageToken", json_null());
            dlf_partitions_free(p, np);
            send_json(x, 200, o);
        }
    }
    dlf_strings_free(names, n);
    json_decref(specs);
    return rc;
}

/* POST .../partitions/list-by-filter {filter, partitionNamePattern?, maxResults?, pageToken?}:
 * the partitions whose spec the Paimon predicate (JSON, as Java's
 * JsonSerdeUtil writes a Predicate) may match. The document allows a
 * superset: a part of the predicate we cannot evaluate (a transform other
 * than FIELD_REF, a type without a comparison here, a field that is not a
 * partition key) counts as true, as the Java mock does. */

typedef enum { PV_FALSE, PV_TRUE, PV_UNKNOWN } pred_value;

typedef struct {
    const json_t *spec;       /* {key: value} */
    const json_t *fields;     /* the table's fields */
    const char *default_name; /* partition.default-name: a NULL value */
} pred_row;

static int type_class(const char *type)
{
    /* 'i' integer, 'f' floating point, 's' string, 'b' boolean, 0 other (Paimon type names). */
    static const char *const ints[] = {"TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT"};
    static const char *const floats[] = {"FLOAT", "DOUBLE"};
    static const char *const strs[] = {"STRING", "VARCHAR", "CHAR"};
    size_t n = strcspn(type, " (");
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        if (strlen(ints[i]) == n && !strncmp(type, ints[i], n))
            return 'i';
    for (size_t i = 0; i < sizeof floats / sizeof *floats; i++)
        if (strlen(floats[i]) == n && !strncmp(type, floats[i], n))
            return 'f';
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (strlen(strs[i]) == n && !strncmp(type, strs[i], n))
            return 's';
    return n == 7 && !strncmp(type, "BOOLEAN", 7) ? 'b' : 0;
}

/* a <=> b for a partition value and a literal of type class c; 2 when they do not compare. */
static int pred_cmp(int c, const char *v, const json_t *lit)
{
    if (c == 's')
        return json_is_string(lit) ? (strcmp(v, json_string_value(lit)) > 0) - (strcmp(v, json_string_value(lit)) < 0)
                                   : 2;
    if (c == 'b') {
        if (!json_is_boolean(lit))
            return 2;
        bool b = !strcasecmp(v, "true");
        return b == json_is_true(lit) ? 0 : b ? 1 : -1;
    }
    char *end;
    double a = strtod(v, &end);
    if (end == v || *end || !json_is_number(lit) || (c == 'i' && !json_is_integer(lit)))
        return 2;
    double b = json_number_value(lit);
    if (c == 'i') {
        long long ai;
        if (mc_parse_i64(v, &ai))
            return 2;
        return (ai > json_integer_value(lit)) - (ai < json_integer_value(lit));
    }
    return (a > b) - (a < b);
}

/* SQL LIKE with % and _. */
static bool like_match(const char *s, const char *p)
{
    for (; *p; p++, s++) {
        if (*p == '%') {
            for (const char *t = s;; t++) {
                if (like_match(t, p + 1))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (!*s || (*p != '_' && *p != *s))
            return false;
    }
    return !*s;
}

static pred_value pred_leaf(const pred_row *r, const json_t *p)
{
    const char *fn = json_string_value(json_object_get(p, "function"));
    const json_t *tr = json_object_get(p, "transform"), *lits = json_object_get(p, "literals");
    const char *trn = json_string_value(json_object_get(tr, "name"));
    if (fn && !strcmp(fn, "TRUE"))
        return PV_TRUE;
    if (fn && !strcmp(fn, "FALSE"))
        return PV_FALSE;
    const json_t *ref = json_object_get(tr, "fieldRef");
    const char *field = json_string_value(json_object_get(ref, "name"));
    if (!fn || !trn || strcmp(trn, "FIELD_REF") != 0 || !field || !json_is_array(lits))
        return PV_UNKNOWN;
    const json_t *sv = json_object_get(r->spec, field);
    if (!json_is_string(sv))
        return PV_UNKNOWN; /* not a partition key */
    /* The type the table gives the key (remapped by name, as the mock does). */
    const json_t *f = field_named((json_t *)r->fields, field, NULL);
    const char *type = f ? type_text(json_object_get(f, "type")) : NULL;
    int c = type ? type_class(type) : 0;
    const char *v = json_string_value(sv);
    bool null = !strcmp(v, r->default_name);
    if (!strcmp(fn, "IS_NULL"))
        return null ? PV_TRUE : PV_FALSE;
    if (!strcmp(fn, "IS_NOT_NULL"))
        return null ? PV_FALSE : PV_TRUE;
    if (!c)
        return PV_UNKNOWN;
    size_t n = json_array_size(lits), i;
    const json_t *lit;
    int cmp[2] = {2, 2};
    for (i = 0; i < 2 && i < n; i++)
        cmp[i] = null || json_is_null(json_array_get(lits, i)) ? 3 : pred_cmp(c, v, json_array_get(lits, i));
    if (cmp[0] == 2 && n)
        return PV_UNKNOWN;
    bool nul = cmp[0] == 3; /* Paimon's null-false functions */
    static const char *const cmps[] = {"EQUAL", "NOT_EQUAL", "LESS_THAN", "LESS_OR_EQUAL", "GREATER_THAN",
                                       "GREATER_OR_EQUAL"};
    for (i = 0; i < 6; i++)
        if (!strcmp(fn, cmps[i])) {
            if (n != 1)
                return PV_UNKNOWN;
            int k = cmp[0];
            bool t = i == 0 ? k == 0 : i == 1 ? k != 0 : i == 2 ? k < 0 : i == 3 ? k <= 0 : i == 4 ? k > 0 : k >= 0;
            return !nul && t ? PV_TRUE : PV_FALSE;
        }
    if (!strcmp(fn, "BETWEEN") || !strcmp(fn, "NOT_BETWEEN")) {
        if (n != 2 || cmp[1] == 2)
            return PV_UNKNOWN;
        if (nul || cmp[1] == 3)
            return PV_FALSE;
        bool in = cmp[0] >= 0 && cmp[1] <= 0;
        return in == !strcmp(fn, "BETWEEN") ? PV_TRUE : PV_FALSE;
    }
    if (!strcmp(fn, "IN") || !strcmp(fn, "NOT_IN")) {
        bool in = !strcmp(fn, "IN"), hit = false;
        if (null)
            return PV_FALSE;
        json_array_foreach(lits, i, lit) {
            if (json_is_null(lit)) {
                if (!in)
                    return PV_FALSE; /* Java's NotIn: a null literal matches nothing */
                continue;
            }
            int k = pred_cmp(c, v, lit);
            if (k == 2)
                return PV_UNKNOWN;
            hit |= k == 0;
        }
        return hit == in ? PV_TRUE : PV_FALSE;
    }
    const char *ls = json_string_value(json_array_get(lits, 0));
    if (c != 's' || n != 1 || !ls)
        return PV_UNKNOWN;
    if (null)
        return PV_FALSE;
    size_t lv = strlen(v), ll = strlen(ls);
    if (!strcmp(fn, "STARTS_WITH"))
        return !strncmp(v, ls, ll) ? PV_TRUE : PV_FALSE;
    if (!strcmp(fn, "ENDS_WITH"))
        return lv >= ll && !strcmp(v + lv - ll, ls) ? PV_TRUE : PV_FALSE;
    if (!strcmp(fn, "CONTAINS"))
        return strstr(v, ls) ? PV_TRUE : PV_FALSE;
    if (!strcmp(fn, "LIKE"))
        return like_match(v, ls) ? PV_TRUE : PV_FALSE;
    return PV_UNKNOWN;
}

static pred_value pred_eval(const pred_row *r, const json_t *p)
{
    const char *kind = json_string_value(json_object_get(p, "kind"));
    if (kind && !strcmp(kind, "LEAF"))
        return pred_leaf(r, p);
    const char *fn = json_string_value(json_object_get(p, "function"));
    const json_t *kids = json_object_get(p, "children");
    if (!kind || strcmp(kind, "COMPOUND") != 0 || !fn || !json_is_array(kids))
        return PV_UNKNOWN;
    bool and = !strcmp(fn, "AND");
    if (!and && strcmp(fn, "OR") != 0)
        return PV_UNKNOWN;
    pred_value out = and ? PV_TRUE : PV_FALSE;
    size_t i;
    const json_t *k;
    json_array_foreach(kids, i, k) {
        pred_value v = pred_eval(r, k);
        if (v == (and ? PV_FALSE : PV_TRUE))
            return v;
        if (v == PV_UNKNOWN)
            out = PV_UNKNOWN;
    }
    return out;
}

HANDLER h_partitions_by_filter(dlf_req *x, const dlf_table *t)
{
    const char *filter = json_string_value(json_object_get(x->body, "filter"));
    const json_t *mr = json_object_get(x->body, "maxResults");
    const json_t *tok = json_object_get(x->body, "pageToken");
    const json_t *pat = json_object_get(x->body, "partitionNamePattern");
    if (!filter || !*filter)
        return dlf_error(x, 400, "PARTITION", NULL, "filter is required");
    if (mr && !json_is_null(mr) && (!json_is_integer(mr) || json_integer_value(mr) < 0 ||
                                    json_integer_value(mr) > INT32_MAX))
        return dlf_error(x, 400, "PARTITION", NULL, "maxResults must be a positive int32.");
    if ((tok && !json_is_null(tok) && !json_is_string(tok)) || (pat && !json_is_null(pat) && !json_is_string(pat)))
        return dlf_error(x, 400, "PARTITION", NULL, "pageToken and partitionNamePattern must be strings.");
    json_error_t je;
    json_t *pred = json_loads(filter, JSON_DECODE_ANY, &je);
    if (!json_is_object(pred)) {
        json_decref(pred);
        return dlf_error(x, 400, "PARTITION", NULL, "filter is not a serialized Paimon predicate (a JSON object): %s",
                         filter);
    }
    char *prefix;
    if (like_prefix(x, json_string_value(pat), &prefix)) {
        json_decref(pred);
        return -1;
    }
    char *exact = pattern_exact(prefix);
    size_t limit = json_integer_value(mr) > 0 && json_integer_value(mr) < PAGE_DEFAULT
                       ? (size_t)json_integer_value(mr)
                       : PAGE_DEFAULT;
    json_t *schema = json_loads(t->schema, 0, NULL);
    const char *dn = json_string_value(json_object_get(json_object_get(schema, "options"), "partition.default-name"));
    mc_err err;
    dlf_partition *p;
    size_t n;
    int rc = dlf_partition_list(x->c->env->state, t, prefix, json_string_value(tok), SIZE_MAX >> 1, &p, &n, &err);
    free(prefix);
    if (rc == 0) {
        json_t *o = json_object(), *a = json_array();
        const char *last = NULL;
        bool more = false;
        for (size_t i = 0; i < n; i++) {
            json_t *spec = json_loads(p[i].spec, 0, NULL);
            /* Java's CoreOptions.PARTITION_DEFAULT_NAME */
            pred_row row = {spec, json_object_get(schema, "fields"), dn ? dn : "__DEFAULT_PARTITION__"};
            bool match = (!exact || !strcmp(exact, p[i].name)) && pred_eval(&row, pred) != PV_FALSE;
            json_decref(spec);
            if (match && json_array_size(a) == limit) {
                more = true;
                break;
            }
            if (match) {
                json_array_append_new(a, partition_json(&p[i]));
                last = p[i].name;
            }
        }
        json_object_set_new(o, "partitions", a);
        json_object_set_new(o, "nextPageToken", more ? json_string(last) : json_null());
        send_json(x, 200, o);
        dlf_partitions_free(p, n);
    }
    json_decref(schema);
    json_decref(pred);
    return rc ? internal_error(x, &err) : 0;
}

/* ---- objects under a table's path ---------------------------------------------- */

/* Calls fn(x, key, arg) for every object whose key starts with prefix, in key order. */
static int each_object(dlf_req *x, const char *prefix, int (*fn)(dlf_req *, const char *, void *), void *arg,
                       mc_err *err)
{
    char after[1024] = "";
    for (;;) {
        oss_meta *m;
        size_t n;
        if (oss_store_list(x->c->store, x->cat.bucket, prefix, after, 1000, &m, &n, err))
            return -1;
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = fn(x, m[i].key, arg);
        if (n)
            snprintf(after, sizeof after, "%s", m[n - 1].key);
        oss_metas_free(m, n);
        if (rc || n < 1000)
            return rc;
    }
}

static int read_object(dlf_req *x, const char *key, mc_buf *out, mc_err *err)
{
    oss_meta m;
    if (oss_store_head(x->c->store, x->cat.bucket, key, &m, err))
        return -1;
    int rc = oss_store_read(x->c->store, x->cat.bucket, &m, 0, m.size, out, err);
    oss_meta_clear(&m);
    return rc;
}

static int copy_object(dlf_req *x, const char *from, const char *to, mc_err *err)
{
    mc_buf b = MC_BUF_INIT;
    oss_put_opts o = {.content_type = "application/octet-stream"};
    int rc = read_object(x, from, &b, err);
    if (rc == 0)
        rc = oss_store_put(x->c->store, x->cat.bucket, to, b.data ? b.data : "", b.len, &o, NULL, err);
    mc_buf_free(&b);
    return rc;
}

/* Moving (to != NULL: copy then delete) or deleting the objects under one directory. */
typedef struct {
    size_t from_len;
    const char *to; /* key prefix replacing the first from_len bytes; NULL: delete */
    bool keep;      /* copy without deleting */
    mc_err *err;
} tree_op;

static int tree_step(dlf_req *x, const char *key, void *arg)
{
    tree_op *op = arg;
    if (op->to) {
        char *dst = mc_asprintf("%s%s", op->to, key + op->from_len);
        int rc = copy_object(x, key, dst, op->err);
        free(dst);
        if (rc)
            return rc;
    }
    if (!op->keep && oss_store_delete(x->c->store, x->cat.bucket, key, op->err))
        return -1;
    return 0;
}

/* Applies op to every object under <files>/<sub>/ (sub "" for the whole directory). */
static int tree_apply(dlf_req *x, const char *files, const char *sub, const char *to_files, bool keep, mc_err *err)
{
    char *from = mc_asprintf("%s/%s", path_key(x, files), sub);
    char *to = to_files ? mc_asprintf("%s/%s", path_key(x, to_files), sub) : NULL;
    tree_op op = {strlen(from), to, keep, err};
    int rc = each_object(x, from, tree_step, &op, err);
    free(from);
    free(to);
    return rc;
}

/* ---- branches (§0 rows 31-35; Java's BranchManager and FileSystemBranchManager) - */

/* Java's BranchManager.validateBranch texts. */
static int check_branch_name(dlf_req *x, const char *name)
{
    if (!name || strspn(name, " \t") == strlen(name))
        return dlf_error(x, 400, "BRANCH", name, "Branch name '%s' is blank.", name ? name : "");
    if (!strcmp(name, "main"))
        return dlf_error(x, 400, "BRANCH", name, "Branch name 'main' is the default branch and cannot be used.");
    if (strspn(name, "0123456789") == strlen(name))
        return dlf_error(x, 400, "BRANCH", name, "Branch name cannot be pure numeric string but is '%s'.", name);
    if (strchr(name, '/') || strchr(name, '$') || strlen(name) > 128)
        return dlf_error(x, 400, "BRANCH", name, "Invalid branch name: %s", name);
    return 0;
}

static int copy_schema_files(dlf_req *x, const dlf_table *t, const char *to_files, int64_t upto, mc_err *err)
{
    for (int64_t i = 0; i <= upto; i++) {
        char *from = mc_asprintf("%s/schema/schema-%lld", path_key(x, t->files), (long long)i);
        char *to = mc_asprintf("%s/schema/schema-%lld", path_key(x, to_files), (long long)i);
        int rc = copy_object(x, from, to, err);
        free(from);
        free(to);
        if (rc && err->code != MC_ERR_NOT_FOUND)
            return rc;
    }
    return 0;
}

/* POST .../branches {branch, fromTag?}: without a tag the branch starts from
 * the current schema with no snapshot; from a tag it starts at the tag's
 * snapshot. Files as FileSystemBranchManager.createBranch copies them. */
HANDLER h_create_branch(dlf_req *x, const dlf_table *t)
{
    const char *name = json_string_value(json_object_get(x->body, "branch"));
    const json_t *from = json_object_get(x->body, "fromTag");
    if (check_branch_name(x, name))
        return -1;
    if (from && !json_is_null(from) && !json_is_string(from))
        return dlf_error(x, 400, "BRANCH", name, "fromTag must be a tag name.");
    mc_err err;
    dlf_tag g, *tag = NULL;
    if (json_is_string(from)) {
        if (dlf_tag_get(x->c->env->state, t, json_string_value(from), &g, &err))
            return from_err(x, &err, "TAG", json_string_value(from));
        tag = &g;
    }
    char files[900];
    snprintf(files, sizeof files, "%s/branch/branch-%s", t->path, name);
    pthread_mutex_lock(&x->c->commit_lock);
    int rc = dlf_branch_create(x->c->env->state, t, name, tag, x->cred.principal, &err);
    if (rc) {
        from_err(x, &err, err.code == MC_ERR_EXISTS ? "BRANCH" : "TABLE", name);
    } else {
        json_t *snap = tag ? json_loads(tag->snapshot, JSON_PRESERVE_ORDER, NULL) : NULL;
        int64_t schema_id = tag ? json_integer_value(json_object_get(snap, "schemaId")) : t->schema_id;
        rc = copy_schema_files(x, t, files, schema_id, &err);
        if (rc == 0 && tag) {
            char *from_key = mc_asprintf("%s/tag/tag-%s", path_key(x, t->files), tag->name);
            char *to_key = mc_asprintf("%s/tag/tag-%s", path_key(x, files), tag->name);
            rc = copy_object(x, from_key, to_key, &err);
            free(from_key);
            free(to_key);
            char rel[64];
            snprintf(rel, sizeof rel, "snapshot/snapshot-%lld", (long long)tag->snapshot_id);
            /* The tagged snapshot may have expired: write it from the tag, as Java does. */
            mc_buf b = MC_BUF_INIT;
            mc_json_jackson_dump(&b, snap);
            if (rc == 0)
                rc = put_file(x, files, rel, &b, &err);
            mc_buf_free(&b);
        }
        json_decref(snap);
        if (rc) {
            mc_err ignored;
            dlf_branch_drop(x->c->env->state, t, name, &ignored);
            internal_error(x, &err);
        } else {
            send_json(x, 200, NULL);
        }
    }
    pthread_mutex_unlock(&x->c->commit_lock);
    if (tag)
        dlf_tag_clear(tag);
    return rc;
}

/* POST .../branches/{b}/forward: the main branch becomes the branch's
 * history from its earliest snapshot on (FileSystemBranchManager.fastForward):
 * later main snapshots, schemas and tags go, the branch's are copied over. */
HANDLER h_forward_branch(dlf_req *x, const char *db, const char *name, const char *branch)
{
    pthread_mutex_lock(&x->c->commit_lock);
    mc_err err;
    dlf_table t;
    dlf_forward_result fr;
    int rc = dlf_table_get(x->c->env->state, &x->cat, db, name, &t, &err);
    if (rc) {
        pthread_mutex_unlock(&x->c->commit_lock);
        return from_err(x, &err, "TABLE", name);
    }
    if ((rc = dlf_branch_forward(x->c->env->state, &t, branch, x->cred.principal, &fr, &err)) != 0) {
        from_err(x, &err, "BRANCH", branch);
    } else {
        char rel[300];
        for (int64_t i = fr.earliest_snapshot; i <= t.latest_snapshot; i++) {
            snprintf(rel, sizeof rel, "snapshot/snapshot-%lld", (long long)i);
            delete_file(x, t.files, rel);
        }
        for (int64_t i = fr.earliest_schema; i <= t.schema_id; i++) {
            snprintf(rel, sizeof rel, "schema/schema-%lld", (long long)i);
            delete_file(x, t.files, rel);
        }
        for (size_t i = 0; i < fr.ndropped; i++) {
            snprintf(rel, sizeof rel, "tag/tag-%s", fr.dropped_tags[i]);
            delete_file(x, t.files, rel);
        }
        dlf_strings_free(fr.dropped_tags, fr.ndropped);
        char files[900];
        snprintf(files, sizeof files, "%s/branch/branch-%s", t.path, branch);
        static const char *const dirs[] = {"snapshot/", "schema/", "tag/"};
        for (size_t i = 0; i < 3 && rc == 0; i++)
            rc = tree_apply(x, files, dirs[i], t.files, true, &err);
        dlf_table now;
        if (rc == 0 && (rc = dlf_table_get(x->c->env->state, &x->cat, db, name, &now, &err)) == 0) {
            write_latest_hint(x, now.files, now.latest_snapshot);
            dlf_table_clear(&now);
        }
        if (rc)
            internal_error(x, &err);
        else
            send_json(x, 200, NULL);
    }
    pthread_mutex_unlock(&x->c->commit_lock);
    dlf_table_clear(&t);
    return rc;
}

/* .../branches[/{b}[/rename|/forward]] on table t (the main branch). */
HANDLER h_branches(dlf_req *x, const dlf_table *t)
{
    const char *m = x->method, *branch = x->nsegs > 6 ? x->segs[6] : NULL;
    mc_err err;
    int rc;
    if (x->nsegs == 6 && !strcmp(m, "GET")) {
        char **names;
        size_t n;
        if (dlf_branch_list(x->c->env->state, t, &names, &n, &err))
            return internal_error(x, &err);
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(a, json_string(names[i]));
        dlf_strings_free(names, n);
        send_json(x, 200, json_pack("{s:o}", "branches", a));
        return 0;
    }
    if (t->branch[0])
        return dlf_error(x, 501, "BRANCH", t->branch,
                         "Branches of a branch are not supported by the mcdlf catalog: address the table %s.%s.",
                         t->database, t->base);
    if (x->nsegs == 6)
        return h_create_branch(x, t);
    if (x->nsegs == 7) {
        if ((rc = dlf_branch_drop(x->c->env->state, t, branch, &err)) != 0)
            return from_err(x, &err, "BRANCH", branch);
        char files[900];
        snprintf(files, sizeof files, "%s/branch/branch-%s", t->path, branch);
        if (tree_apply(x, files, "", NULL, false, &err))
            MC_LOGW("dlf: deleting the files of branch %s failed: %s", branch, err.msg);
        send_json(x, 200, NULL);
        return 0;
    }
    if (seg_is(x, 7, "forward"))
        return h_forward_branch(x, t->database, t->base, branch);
    /* rename {toBranch} (the document's renameBranch; Java's client does not call it). */
    const char *to = json_string_value(json_object_get(x->body, "toBranch"));
    if (check_branch_name(x, to))
        return -1;
    pthread_mutex_lock(&x->c->commit_lock);
    if ((rc = dlf_branch_rename(x->c->env->state, t, branch, to, &err)) != 0) {
        from_err(x, &err, "BRANCH", err.code == MC_ERR_EXISTS ? to : branch);
    } else {
        char from[900], dst[900];
        snprintf(from, sizeof from, "%s/branch/branch-%s", t->path, branch);
        snprintf(dst, sizeof dst, "%s/branch/branch-%s", t->path, to);
        if ((rc = tree_apply(x, from, "", dst, false, &err)) != 0)
            internal_error(x, &err);
        else
            send_json(x, 200, NULL);
    }
    pthread_mutex_unlock(&x->c->commit_lock);
    return rc;
}

/* ---- consumers (§0 rows 40-41; Java's ConsumerManager) --------------------------- */

/* Consumers live only as files, consumer/consumer-<id> holding
 * {"nextSnapshot": N}: streaming readers write them through the data token,
 * so the files are the truth and the catalog keeps no copy. */
HANDLER h_consumers(dlf_req *x, const dlf_table *t, bool reset)
{
    mc_err err;
    char *dir = mc_asprintf("%s/consumer/consumer-", path_key(x, t->files));
    int rc = 0;
    if (reset) {
        const char *id = json_string_value(json_object_get(x->body, "consumerId"));
        const json_t *next = json_object_get(x->body, "nextSnapshotId");
        char *key = id ? mc_asprintf("%s%s", dir, id) : NULL;
        char *json = NULL;
        if (!id || !*id || strchr(id, '/') || oss_key_validate(key, strlen(key), &err)) {
            rc = dlf_error(x, 400, "TABLE", t->name, "Reset consumer needs a consumerId (a file name).");
        } else if (next && !json_is_null(next) && !json_is_integer(next)) {
            rc = dlf_error(x, 400, "TABLE", t->name, "nextSnapshotId must be a snapshot id.");
        } else if (!json_is_integer(next)) {
            /* No snapshot: the consumer goes (deleting a missing one is quiet, as in Java). */
            if ((rc = oss_store_delete(x->c->store, x->cat.bucket, key, &err)) != 0)
                internal_error(x, &err);
        } else if (dlf_snapshot_get(x->c->env->state, t, json_integer_value(next), &json, &err)) {
            char sname[32];
            snprintf(sname, sizeof sname, "%lld", (long long)json_integer_value(next));
            rc = dlf_error(x, 404, "SNAPSHOT", sname, "Snapshot %s of table %s.%s does not exist.", sname,
                           t->database, t->name);
        } else {
            mc_buf b = MC_BUF_INIT;
            json_t *c = json_pack("{s:I}", "nextSnapshot", (json_int_t)json_integer_value(next));
            mc_json_jackson_dump(&b, c);
            json_decref(c);
            oss_put_opts o = {.content_type = "application/octet-stream"};
            if ((rc = oss_store_put(x->c->store, x->cat.bucket, key, b.data, b.len, &o, NULL, &err)) != 0)
                internal_error(x, &err);
            mc_buf_free(&b);
        }
        free(json);
        free(key);
        if (rc == 0)
            send_json(x, 200, NULL);
        free(dir);
        return rc;
    }
    size_t limit;
    const char *after;
    char *unused;
    if (page_args(x, &limit, &after, NULL, &unused)) {
        free(dir);
        return -1;
    }
    char *from = mc_asprintf("%s%s", dir, after ? after : "");
    oss_meta *m;
    size_t n;
    json_t *a = json_array();
    const char *last = NULL;
    if ((rc = oss_store_list(x->c->store, x->cat.bucket, dir, from, limit, &m, &n, &err)) != 0) {
        internal_error(x, &err);
    } else {
        for (size_t i = 0; i < n; i++) {
            mc_buf b = MC_BUF_INIT;
            json_t *c = read_object(x, m[i].key, &b, &err) ? NULL : json_loadb(b.data, b.len, 0, NULL);
            const json_t *next = json_object_get(c, "nextSnapshot");
            last = m[i].key + strlen(dir);
            if (json_is_integer(next))
                json_array_append_new(a, json_pack("{s:s, s:O}", "consumerId", last, "nextSnapshot", next));
            else
                MC_LOGW("dlf: consumer file %s is not {\"nextSnapshot\": N}", m[i].key);
            json_decref(c);
            mc_buf_free(&b);
        }
        send_json(x, 200, json_pack("{s:o, s:o}", "consumers", a, "nextPageToken",
                                    n == limit && n ? json_string(last) : json_null()));
        a = NULL;
        oss_metas_free(m, n);
    }
    json_decref(a);
    free(from);
    free(dir);
    return rc;
}

/* ---- query auth (§0 row 21, §7) ------------------------------------------------- */

/* POST .../auth {select?}: the caller holds SELECT on the table (checked by
 * the caller of this function) and every selected column exists. DLF grants
 * here are table-level, so no row filter or column masking applies. */
HANDLER h_auth(dlf_req *x, const dlf_table *t)
{
    const json_t *sel = json_object_get(x->body, "select");
    if (sel && !json_is_null(sel) && !json_is_array(sel))
        return dlf_error(x, 400, "TABLE", t->name, "select must be an array of column names.");
    json_t *schema = json_loads(t->schema, 0, NULL);
    json_t *fields = json_object_get(schema, "fields");
    size_t i;
    const json_t *c;
    int rc = 0;
    json_array_foreach(json_is_array(sel) ? sel : NULL, i, c) {
        if (!json_is_string(c) || !field_named(fields, json_string_value(c), NULL)) {
            rc = dlf_error(x, 400, "COLUMN", json_string_value(c), "Column %s does not exist in the %s.%s table.",
                           json_is_string(c) ? json_string_value(c) : "(not a name)", t->database, t->name);
            break;
        }
    }
    json_decref(schema);
    if (rc == 0)
        send_json(x, 200, json_pack("{s:[], s:{}}", "filter", "columnMasking"));
    return rc;
}

/* ---- register (§0 row 42, §7) --------------------------------------------------- */

/* What a directory listing of <table>/<dir>/<prefix>N or <prefix><name> found. */
typedef struct {
    size_t cut;  /* bytes of key before the name */
    bool numeric;
    json_t *out; /* {name: file JSON} */
    mc_err *err;
} history_scan;

static int history_step(dlf_req *x, const char *key, void *arg)
{
    history_scan *h = arg;
    const char *name = key + h->cut;
    long long id;
    if (h->numeric && mc_parse_i64(name, &id))
        return 0; /* LATEST, EARLIEST and other hints */
    mc_buf b = MC_BUF_INIT;
    json_error_t je;
    json_t *j = read_object(x, key, &b, h->err) ? NULL : json_loadb(b.data, b.len, JSON_PRESERVE_ORDER, &je);
    mc_buf_free(&b);
    if (!json_is_object(j)) {
        json_decref(j);
        return dlf_error(x, 400, "TABLE", NULL, "%s is not a Paimon metadata file (JSON object).", key);
    }
    json_object_set_new(h->out, name, j);
    return 0;
}

/* The files of one metadata directory; -1 after an answer was sent. */
static json_t *scan_history(dlf_req *x, const char *path, const char *prefix, bool numeric)
{
    char *from = mc_asprintf("%s/%s", path_key(x, path), prefix);
    mc_err err;
    history_scan h = {strlen(from), numeric, json_object(), &err};
    int rc = each_object(x, from, history_step, &h, &err);
    free(from);
    if (rc) {
        if (!x->resp_status)
            internal_error(x, &err);
        json_decref(h.out);
        return NULL;
    }
    return h.out;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = json_integer_value(json_object_get(*(json_t *const *)a, "id"));
    int64_t y = json_integer_value(json_object_get(*(json_t *const *)b, "id"));
    return (x > y) - (x < y);
}

/* POST /v1/{p}/databases/{db}/register {identifier, path}: a table whose
 * files already exist under path (in the catalog's bucket) joins the
 * catalog with its schemas, snapshots and tags as the files record them. */
HANDLER h_register(dlf_req *x, const char *db)
{
    mc_err err;
    dlf_database d;
    if (dlf_db_get(x->c->env->state, &x->cat, db, &d, &err))
        return from_err(x, &err, "DATABASE", db);
    int rc = authorize(x, DLF_PRIV_CREATE_TABLE, db, NULL, d.audit.owner);
    dlf_database_clear(&d);
    if (rc)
        return -1;
    json_t *ident = json_object_get(x->body, "identifier");
    const char *name = json_string_value(json_object_get(ident, "object"));
    const char *idb = json_string_value(json_object_get(ident, "database"));
    const char *path = json_string_value(json_object_get(x->body, "path"));
    if (!name || !*name || strlen(name) > 128 || strchr(name, '/') || strchr(name, '$'))
        return dlf_error(x, 400, "TABLE", name, "Invalid table name: %s", name ? name : "(none)");
    if (idb && strcmp(idb, db) != 0)
        return dlf_error(x, 400, "TABLE", name, "identifier.database %s does not match the path's database %s", idb,
                         db);
    char root[128];
    snprintf(root, sizeof root, "oss://%s/", x->cat.bucket);
    size_t plen = path ? strlen(path) : 0;
    while (plen && path[plen - 1] == '/')
        plen--;
    if (!path || plen <= strlen(root) || strncmp(path, root, strlen(root)) != 0 || plen >= 600)
        return dlf_error(x, 400, "TABLE", name, "The path must be a directory in the catalog's bucket (%s...): %s",
                         root, path ? path : "(none)");
    char *dir = mc_strndup(path, plen);
    json_t *schemas = scan_history(x, dir, "schema/schema-", true);
    json_t *snaps = schemas ? scan_history(x, dir, "snapshot/snapshot-", true) : NULL;
    json_t *tags = snaps ? scan_history(x, dir, "tag/tag-", false) : NULL;
    rc = tags ? 0 : -1;
    if (rc == 0 && json_object_size(schemas) == 0)
        rc = dlf_error(x, 400, "TABLE", name, "No Paimon table at %s: it has no schema/schema-N file.", dir);
    dlf_table_history h = {0};
    if (rc == 0) {
        /* Schema files hold the REST schema's members plus version, id,
         * highestFieldId and timeMillis (paimon-format.md §3). */
        int64_t top = 0;
        const char *k;
        json_t *v;
        json_object_foreach(schemas, k, v) {
            long long id;
            if (mc_parse_i64(k, &id) == 0 && id > top)
                top = id;
        }
        h.nschemas = (size_t)top + 1;
        h.schemas = mc_calloc(h.nschemas, sizeof *h.schemas);
        json_object_foreach(schemas, k, v) {
            long long id;
            mc_parse_i64(k, &id);
            int32_t hf = (int32_t)json_integer_value(json_object_get(v, "highestFieldId"));
            if (hf > h.highest_field_id)
                h.highest_field_id = hf;
            json_t *rest = json_pack("{s:O, s:O, s:O, s:O}", "fields", json_object_get(v, "fields"), "partitionKeys",
                                     json_object_get(v, "partitionKeys"), "primaryKeys",
                                     json_object_get(v, "primaryKeys"), "options", json_object_get(v, "options"));
            if (!rest || check_schema(x, rest, name)) {
                json_decref(rest);
                if (!x->resp_status)
                    dlf_error(x, 400, "TABLE", name, "schema/schema-%s is not a Paimon schema file.", k);
                rc = -1;
                break;
            }
            if (json_is_string(json_object_get(v, "comment")))
                json_object_set(rest, "comment", json_object_get(v, "comment"));
            h.schemas[id] = json_dumps(rest, JSON_COMPACT | JSON_PRESERVE_ORDER);
            json_decref(rest);
        }
    }
    json_t **sorted = NULL;
    if (rc == 0) {
        h.nsnapshots = json_object_size(snaps);
        sorted = mc_calloc(h.nsnapshots + 1, sizeof *sorted);
        h.snapshots = mc_calloc(h.nsnapshots + 1, sizeof *h.snapshots);
        size_t i = 0;
        const char *k;
        json_t *v;
        json_object_foreach(snaps, k, v) sorted[i++] = v;
        qsort(sorted, h.nsnapshots, sizeof *sorted, by_id);
        for (i = 0; i < h.nsnapshots; i++)
            h.snapshots[i] = json_dumps(sorted[i], JSON_COMPACT | JSON_PRESERVE_ORDER);
        h.ntags = json_object_size(tags);
        h.tag_names = mc_calloc(h.ntags + 1, sizeof *h.tag_names);
        h.tags = mc_calloc(h.ntags + 1, sizeof *h.tags);
        i = 0;
        json_object_foreach(tags, k, v) {
            h.tag_names[i] = mc_strdup(k);
            h.tags[i++] = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
        }
        if ((rc = dlf_table_register(x->c->env->state, &x->cat, db, name, dir, &h, x->cred.principal, &err)) != 0)
            from_err(x, &err, "TABLE", name);
        else
            send_json(x, 200, NULL);
    }
    for (size_t i = 0; i < h.nschemas; i++)
        free(h.schemas[i]);
    free(h.schemas);
    dlf_strings_free(h.snapshots, h.nsnapshots);
    dlf_strings_free(h.tag_names, h.ntags);
    dlf_strings_free(h.tags, h.ntags);
    free(sorted);
    json_decref(schemas);
    json_decref(snaps);
    json_decref(tags);
    free(dir);
    return rc;
}

HANDLER h_table(dlf_req *x, const char *db, const char *name, const char *sub)
{
    mc_err err;
    dlf_table t;
    if (dlf_table_get(x->c->env->state, &x->cat, db, name, &t, &err)) {
        /* A missing database reads as such, not as a missing table. */
        dlf_database d;
        mc_err e2;
        if (dlf_db_get(x->c->env->state, &x->cat, db, &d, &e2))
            return from_err(x, &e2, "DATABASE", db);
        dlf_database_clear(&d);
        return from_err(x, &err, "TABLE", name);
    }
    int rc;
    const char *m = x->method, *owner = t.audit.owner;
    bool get = !strcmp(m, "GET"), post = !strcmp(m, "POST");
    int n = x->nsegs;
    /* Privileges are the table's, whichever branch the name addresses. */
    const char *tn = t.base;
    if (!sub) {
        if (get) {
            if ((rc = authorize(x, DLF_PRIV_DESCRIBE, db, tn, owner)) == 0)
                send_json(x, 200, table_json(&t));
        } else if (!strcmp(m, "DELETE")) {
            /* Java's CatalogUtils.checkNotBranch */
            if (t.branch[0])
                rc = dlf_error(x, 400, "TABLE", name,
                               "Cannot 'dropTable' for branch table '%s.%s', please modify the table with the default "
                               "branch.",
                               db, name);
            else if ((rc = authorize(x, DLF_PRIV_DROP, db, tn, owner)) == 0) {
                if ((rc = dlf_table_drop(x->c->env->state, &x->cat, db, name, &err)) == 0)
                    send_json(x, 200, NULL);
                else
                    from_err(x, &err, "TABLE", name);
            }
        } else {
            if ((rc = authorize(x, DLF_PRIV_ALTER, db, tn, owner)) == 0)
                rc = h_alter_table(x, &t);
        }
    } else if (!strcmp(sub, "commit") && post && n == 6) {
        if ((rc = authorize(x, DLF_PRIV_UPDATE, db, tn, owner)) == 0)
            rc = h_commit(x, &t);
    } else if (!strcmp(sub, "snapshot") && get && n == 6) {
        if ((rc = authorize(x, DLF_PRIV_DESCRIBE, db, tn, owner)) == 0)
            rc = h_latest_snapshot(x, &t);
    } else if (!strcmp(sub, "snapshots") && get && n <= 7) {
        /* segs: {p} databases {db} tables {t} snapshots [{version}] */
        if ((rc = authorize(x, DLF_PRIV_DESCRIBE, db, tn, owner)) == 0)
            rc = n == 7 ? h_snapshot_version(x, &t, x->segs[6]) : h_snapshots(x, &t);
    } else if (!strcmp(sub, "token") && get && n == 6) {
        rc = h_token(x, &t);
    } else if (!strcmp(sub, "auth") && post && n == 6) {
        if ((rc = authorize(x, DLF_PRIV_SELECT, db, tn, owner)) == 0)
            rc = h_auth(x, &t);
    } else if (!strcmp(sub, "partitions") && get && n == 6) {
        if ((rc = authorize(x, DLF_PRIV_DESCRIBE, db, tn, owner)) == 0)
            rc = h_partitions(x, &t);
    } else if (!strcmp(sub, "partitions") && post && n == 6) {
        if ((rc = authorize(x, DLF_PRIV_ALTER, db, tn, owner)) == 0)
            rc = h_create_partitions(x, &t);
    } else if (!strcmp(sub, "partitions") && post && n == 7 && (seg_is(x, 6, "drop") || seg_is(x, 6, "mark"))) {
        if ((rc = authorize(x, DLF_PRIV_ALTER, db, tn, owner)) == 0)
            rc = h_partitions_post(x, &t, x->segs[6]);
    } else if (!strcmp(sub, "partitions") && post && n == 7 && seg_is(x, 6, "list-by-names")) {
        if ((rc = authorize(x, DLF_PRIV_DESCRIBE, db, tn, owner)) == 0)
            rc = h_partitions_post(x, &t, x->segs[6]);
    } else if (!strcmp(sub, "partitions") && post && n == 7 && seg_is(x, 6, "list-by-filter")) {
        if ((rc = authorize(x, DLF_PRIV_DESCRIBE, db, tn, owner)) == 0)
            rc = h_partitions_by_filter(x, &t);
    } else if (!strcmp(sub, "rollback") && post && n == 6) {
        if ((rc = authorize(x, DLF_PRIV_UPDATE, db, tn, owner)) == 0)
            rc = h_rollback(x, &t);
    } else if (!strcmp(sub, "rollback-schema") && post && n == 6) {
        if ((rc = authorize(x, DLF_PRIV_ALTER, db, tn, owner)) == 0)
            rc = h_rollback_schema(x, &t);
    } else if (!strcmp(sub, "tags") && n == 6 && (get || post)) {
        if ((rc = authorize(x, get ? DLF_PRIV_DESCRIBE : DLF_PRIV_ALTER, db, tn, owner)) == 0)
            rc = get ? h_list_tags(x, &t) : h_create_tag(x, &t);
    } else if (!strcmp(sub, "tags") && n == 7 && (get || !strcmp(m, "DELETE"))) {
        if ((rc = authorize(x, get ? DLF_PRIV_DESCRIBE : DLF_PRIV_ALTER, db, tn, owner)) == 0)
            rc = h_tag(x, &t, x->segs[6]);
    } else if (!strcmp(sub, "branches") &&
               ((n == 6 && (get || post)) || (n == 7 && !strcmp(m, "DELETE")) ||
                (n == 8 && post && (seg_is(x, 7, "rename") || seg_is(x, 7, "forward"))))) {
        /* Listing needs DESCRIBE; changing branches ALTER; a fast-forward
         * also rewrites the main branch's snapshots, so UPDATE as well. */
        rc = authorize(x, get ? DLF_PRIV_DESCRIBE : DLF_PRIV_ALTER, db, tn, owner);
        if (rc == 0 && n == 8 && seg_is(x, 7, "forward"))
            rc = authorize(x, DLF_PRIV_UPDATE, db, tn, owner);
        if (rc == 0)
            rc = h_branches(x, &t);
    } else if (!strcmp(sub, "consumers") && ((n == 6 && get) || (n == 7 && post && seg_is(x, 6, "reset")))) {
        if ((rc = authorize(x, get ? DLF_PRIV_DESCRIBE : DLF_PRIV_UPDATE, db, tn, owner)) == 0)
            rc = h_consumers(x, &t, !get);
    } else {
        rc = dlf_error(x, 501, "TABLE", name, "%s .../tables/{table}/%s is not supported by the mcdlf catalog yet.", m,
                       sub);
    }
    dlf_table_clear(&t);
    return rc;
}

HANDLER h_rename(dlf_req *x)
{
    json_t *src = json_object_get(x->body, "source"), *dst = json_object_get(x->body, "destination");
    const char *sdb = json_string_value(json_object_get(src, "database"));
    const char *sname = json_string_value(json_object_get(src, "object"));
    const char *ddb = json_string_value(json_object_get(dst, "database"));
    const char *dname = json_string_value(json_object_get(dst, "object"));
    if (!sdb || !sname || !ddb || !dname)
        return dlf_error(x, 400, "TABLE", NULL, "Rename needs source and destination identifiers.");
    mc_err err;
    dlf_table t;
    if (dlf_table_get(x->c->env->state, &x->cat, sdb, sname, &t, &err))
        return from_err(x, &err, "TABLE", sname);
    int rc = authorize(x, DLF_PRIV_ALTER, sdb, t.base, t.audit.owner);
    dlf_database d;
    if (rc == 0 && (t.branch[0] || strchr(dname, '$'))) {
        /* Java's CatalogUtils.checkNotBranch */
        rc = dlf_error(x, 400, "TABLE", sname,
                       "Cannot 'renameTable' for branch table '%s.%s', please modify the table with the default "
                       "branch.",
                       t.branch[0] ? sdb : ddb, t.branch[0] ? sname : dname);
    } else if (rc == 0 && dlf_db_get(x->c->env->state, &x->cat, ddb, &d, &err)) {
        rc = from_err(x, &err, "DATABASE", ddb);
    } else if (rc == 0) {
        dlf_database_clear(&d);
        if (strcmp(sdb, ddb) != 0)
            rc = dlf_error(x, 501, "TABLE", sname, "Moving a table to another database is not supported: the table's "
                                                   "files stay under its original path.");
        else if ((rc = dlf_table_rename(x->c->env->state, &x->cat, sdb, sname, ddb, dname, x->cred.principal, &err)))
            from_err(x, &err, "TABLE", err.code == MC_ERR_EXISTS ? dname : sname);
        else
            send_json(x, 200, NULL);
    }
    dlf_table_clear(&t);
    return rc;
}

/* ---- views and functions (§0 rows 43-51, §7) ------------------------------------ */

static const char *kind_type(dlf_object_kind k)
{
    return k == DLF_OBJ_VIEW ? "VIEW" : "FUNCTION";
}

/* GetViewResponse / GetFunctionResponse: the stored body with id and audit. */
static json_t *object_json(dlf_object_kind k, const dlf_object *o)
{
    json_t *j = json_object();
    json_object_set_new(j, k == DLF_OBJ_VIEW ? "id" : "uuid", json_string(o->id));
    json_object_set_new(j, "name", json_string(o->name));
    json_t *body = json_loads(o->body, JSON_PRESERVE_ORDER, NULL);
    if (k == DLF_OBJ_VIEW)
        json_object_set(j, "schema", body);
    else
        json_object_update(j, body);
    json_decref(body);
    set_audit(j, &o->audit);
    return j;
}

/* Function names as the Java client checks them: [A-Za-z0-9._-], one letter at least. */
static bool function_name_ok(const char *s)
{
    bool letter = false;
    for (const char *p = s; *p; p++) {
        if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '_' || *p == '-'))
            return false;
        letter |= isalpha((unsigned char)*p) != 0;
    }
    return letter && strlen(s) <= 128;
}

/* Normalises a ViewSchema / function body: absent lists and maps become
 * empty ones; a null comment is dropped (the document types it string). */
static int check_object_body(dlf_req *x, dlf_object_kind k, json_t *b, const char *name)
{
    static const char *const view_keys[][2] = {{"fields", "a"}, {"dialects", "o"}, {"options", "o"}};
    static const char *const fn_keys[][2] = {
        {"inputParams", "a"}, {"returnParams", "a"}, {"definitions", "o"}, {"options", "o"}};
    const char *const(*keys)[2] = k == DLF_OBJ_VIEW ? view_keys : fn_keys;
    size_t nk = k == DLF_OBJ_VIEW ? 3 : 4;
    if (!json_is_object(b))
        return dlf_error(x, 400, kind_type(k), name, "The request needs the %s's %s.", k == DLF_OBJ_VIEW ? "view" : "function",
                         k == DLF_OBJ_VIEW ? "schema" : "fields");
    for (size_t i = 0; i < nk; i++) {
        json_t *v = json_object_get(b, keys[i][0]);
        bool arr = keys[i][1][0] == 'a';
        if (!v || json_is_null(v))
            json_object_set_new(b, keys[i][0], arr ? json_array() : json_object());
        else if (arr ? !json_is_array(v) : !json_is_object(v))
            return dlf_error(x, 400, kind_type(k), name, "%s must be %s.", keys[i][0], arr ? "an array" : "an object");
    }
    if (json_is_null(json_object_get(b, "comment")))
        json_object_del(b, "comment");
    if (k == DLF_OBJ_VIEW && !json_is_string(json_object_get(b, "query")))
        return dlf_error(x, 400, "VIEW", name, "A view needs its query.");
    if (k == DLF_OBJ_FUNCTION && !json_object_get(b, "deterministic"))
        json_object_set_new(b, "deterministic", json_false());
    return 0;
}

HANDLER h_objects_list(dlf_req *x, dlf_object_kind k, const char *db, bool details)
{
    size_t limit, n;
    const char *after;
    char *prefix, **names;
    if (page_args(x, &limit, &after, k == DLF_OBJ_VIEW ? "viewNamePattern" : "functionNamePattern", &prefix))
        return -1;
    char *exact = pattern_exact(prefix);
    mc_err err;
    int rc = dlf_object_list(x->c->env->state, &x->cat, k, db, prefix, after, limit, &names, &n, &err);
    free(prefix);
    if (rc)
        return internal_error(x, &err);
    const char *key = k == DLF_OBJ_VIEW ? (details ? "viewDetails" : "views")
                                        : (details ? "functionDetails" : "functions");
    json_t *o = json_object();
    if (!details) {
        set_names_page(o, key, names, n, limit, exact);
    } else {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) {
            dlf_object ob;
            if ((!exact || !strcmp(exact, names[i])) &&
                dlf_object_get(x->c->env->state, &x->cat, k, db, names[i], &ob, &err) == 0) {
                json_array_append_new(a, object_json(k, &ob));
                dlf_object_clear(&ob);
            }
        }
        json_object_set_new(o, key, a);
        json_object_set_new(o, "nextPageToken", n == limit && n ? json_string(names[n - 1]) : json_null());
    }
    dlf_strings_free(names, n);
    send_json(x, 200, o);
    return 0;
}

HANDLER h_object_create(dlf_req *x, dlf_object_kind k, const dlf_database *d)
{
    const char *db = d->name, *name;
    json_t *body;
    if (k == DLF_OBJ_VIEW) {
        json_t *ident = json_object_get(x->body, "identifier");
        name = json_string_value(json_object_get(ident, "object"));
        const char *idb = json_string_value(json_object_get(ident, "database"));
        if (!name || !*name || strlen(name) > 128 || strchr(name, '/'))
            return dlf_error(x, 400, "VIEW", name, "Invalid view name: %s", name ? name : "(none)");
        if (idb && strcmp(idb, db) != 0)
            return dlf_error(x, 400, "VIEW", name, "identifier.database %s does not match the path's database %s",
                             idb, db);
        body = json_incref(json_object_get(x->body, "schema"));
    } else {
        name = json_string_value(json_object_get(x->body, "name"));
        if (!name || !function_name_ok(name))
            return dlf_error(x, 400, "FUNCTION", name, "Invalid function name: %s", name ? name : "(none)");
        body = json_deep_copy(x->body);
        json_object_del(body, "name");
    }
    int rc = authorize(x, k == DLF_OBJ_VIEW ? DLF_PRIV_CREATE_TABLE : DLF_PRIV_CREATE_FUNCTION, db, NULL,
                       d->audit.owner);
    if (rc == 0)
        rc = check_object_body(x, k, body, name);
    if (rc == 0) {
        mc_err err;
        char *s = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = dlf_object_create(x->c->env->state, &x->cat, k, db, name, s, x->cred.principal, &err);
        free(s);
        if (rc)
            from_err(x, &err, kind_type(k), name);
        else
            send_json(x, 200, NULL);
    }
    json_decref(body);
    return rc;
}

/* ViewChange / FunctionChange: options and comment alike; dialects (view)
 * or definitions (function) by name. */
static int object_apply(dlf_req *x, dlf_object_kind k, const dlf_object *ob, json_t *b, const json_t *ch)
{
    const char *action = json_string_value(json_object_get(ch, "action"));
    const char *key = json_string_value(json_object_get(ch, "key"));
    char full[300];
    snprintf(full, sizeof full, "%s.%s", ob->database, ob->name);
    if (!action)
        return dlf_error(x, 400, kind_type(k), ob->name, "A change needs an action.");
    if (!strcmp(action, "setOption") && key && json_is_string(json_object_get(ch, "value")))
        return json_object_set(json_object_get(b, "options"), key, json_object_get(ch, "value")), 0;
    if (!strcmp(action, "removeOption") && key)
        return json_object_del(json_object_get(b, "options"), key), 0;
    if (!strcmp(action, "updateComment")) {
        const json_t *c = json_object_get(ch, "comment");
        if (json_is_string(c))
            json_object_set(b, "comment", (json_t *)c);
        else
            json_object_del(b, "comment");
        return 0;
    }
    bool view = k == DLF_OBJ_VIEW;
    const char *type = view ? "DIALECT" : "DEFINITION", *word = view ? "Dialect" : "Definition";
    const char *what = view ? "view" : "function";
    const char *item = json_string_value(json_object_get(ch, view ? "dialect" : "name"));
    json_t *value = json_object_get(ch, view ? "query" : "definition");
    json_t *map = json_object_get(b, view ? "dialects" : "definitions");
    bool add = !strcmp(action, view ? "addDialect" : "addDefinition");
    bool update = !strcmp(action, view ? "updateDialect" : "updateDefinition");
    bool drop = !strcmp(action, view ? "dropDialect" : "dropDefinition");
    if (!add && !update && !drop)
        return dlf_error(x, 400, kind_type(k), ob->name, "Unknown or incomplete %s change: %s", what, action);
    if (!item || (!drop && (view ? !json_is_string(value) : !json_is_object(value))))
        return dlf_error(x, 400, type, item, "%s needs a %s%s.", action, view ? "dialect" : "name",
                         drop ? "" : (view ? " and a query" : " and a definition"));
    bool present = json_object_get(map, item) != NULL;
    /* Java's DialectAlreadyExist / DefinitionAlreadyExist and *NotExist texts. */
    if (add && present)
        return dlf_error(x, 409, type, item, "%s %s in %s %s already exists.", word, item, what, full);
    if (!add && !present)
        return dlf_error(x, 404, type, item, "%s %s in %s %s does not exist.", word, item, what, full);
    if (drop)
        json_object_del(map, item);
    else
        json_object_set(map, item, value);
    return 0;
}

/* GET / POST (alter) / DELETE .../views/{v} and .../functions/{f}. */
HANDLER h_object(dlf_req *x, dlf_object_kind k, const dlf_database *d, const char *name)
{
    mc_err err;
    dlf_object ob;
    const char *db = d->name;
    if (dlf_object_get(x->c->env->state, &x->cat, k, db, name, &ob, &err))
        return from_err(x, &err, kind_type(k), name);
    bool view = k == DLF_OBJ_VIEW;
    const char *m = x->method;
    int rc;
    /* A view's privileges are a table's (DLF keeps views among tables);
     * functions answer to the database's CREATE_FUNCTION. */
    if (!strcmp(m, "GET")) {
        rc = view ? authorize(x, DLF_PRIV_DESCRIBE, db, name, ob.audit.owner)
                  : authorize(x, DLF_PRIV_DESCRIBE, db, NULL, d->audit.owner);
        if (rc == 0)
            send_json(x, 200, object_json(k, &ob));
    } else if (!strcmp(m, "DELETE")) {
        rc = view ? authorize(x, DLF_PRIV_DROP, db, name, ob.audit.owner)
                  : authorize(x, DLF_PRIV_CREATE_FUNCTION, db, NULL, d->audit.owner);
        if (rc == 0 && (rc = dlf_object_drop(x->c->env->state, &x->cat, k, db, name, &err)) != 0)
            from_err(x, &err, kind_type(k), name);
        else if (rc == 0)
            send_json(x, 200, NULL);
    } else {
        rc = view ? authorize(x, DLF_PRIV_ALTER, db, name, ob.audit.owner)
                  : authorize(x, DLF_PRIV_CREATE_FUNCTION, db, NULL, d->audit.owner);
        const json_t *changes = json_object_get(x->body, "changes");
        if (rc == 0 && !json_is_array(changes))
            rc = dlf_error(x, 400, kind_type(k), name, "Alter needs a changes array.");
        json_t *b = json_loads(ob.body, JSON_PRESERVE_ORDER, NULL);
        size_t i;
        const json_t *ch;
        json_array_foreach(rc == 0 ? changes : NULL, i, ch) {
            if ((rc = object_apply(x, k, &ob, b, ch)) != 0)
                break;
        }
        if (rc == 0) {
            char *s = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if ((rc = dlf_object_update(x->c->env->state, &x->cat, k, db, name, s, x->cred.principal, &err)) != 0)
                from_err(x, &err, kind_type(k), name);
            else
                send_json(x, 200, NULL);
            free(s);
        }
        json_decref(b);
    }
    dlf_object_clear(&ob);
    return rc;
}

/* .../databases/{db}/{views,view-details,functions,function-details}[/{name}] */
HANDLER h_objects(dlf_req *x, dlf_object_kind k, const char *db, const char *name, bool details)
{
    mc_err err;
    dlf_database d;
    if (dlf_db_get(x->c->env->state, &x->cat, db, &d, &err))
        return from_err(x, &err, "DATABASE", db);
    int rc;
    if (name)
        rc = h_object(x, k, &d, name);
    else if (!strcmp(x->method, "POST") && !details)
        rc = h_object_create(x, k, &d);
    else if ((rc = authorize(x, DLF_PRIV_LIST, db, NULL, d.audit.owner)) == 0)
        rc = h_objects_list(x, k, db, details);
    dlf_database_clear(&d);
    return rc;
}

/* POST /v1/{p}/views/rename {source, destination}: views have no files, so
 * they may move between databases. */
HANDLER h_view_rename(dlf_req *x)
{
    json_t *src = json_object_get(x->body, "source"), *dst = json_object_get(x->body, "destination");
    const char *sdb = json_string_value(json_object_get(src, "database"));
    const char *sname = json_string_value(json_object_get(src, "object"));
    const char *ddb = json_string_value(json_object_get(dst, "database"));
    const char *dname = json_string_value(json_object_get(dst, "object"));
    if (!sdb || !sname || !ddb || !dname || !*dname || strchr(dname, '/'))
        return dlf_error(x, 400, "VIEW", NULL, "Rename needs source and destination identifiers.");
    mc_err err;
    dlf_object ob;
    if (dlf_object_get(x->c->env->state, &x->cat, DLF_OBJ_VIEW, sdb, sname, &ob, &err))
        return from_err(x, &err, "VIEW", sname);
    int rc = authorize(x, DLF_PRIV_ALTER, sdb, sname, ob.audit.owner);
    dlf_database d;
    if (rc == 0 && dlf_db_get(x->c->env->state, &x->cat, ddb, &d, &err)) {
        rc = from_err(x, &err, "DATABASE", ddb);
    } else if (rc == 0) {
        dlf_database_clear(&d);
        if ((rc = dlf_object_rename(x->c->env->state, &x->cat, DLF_OBJ_VIEW, sdb, sname, ddb, dname,
                                    x->cred.principal, &err)))
            from_err(x, &err, "VIEW", err.code == MC_ERR_EXISTS ? dname : sname);
        else
            send_json(x, 200, NULL);
    }
    dlf_object_clear(&ob);
    return rc;
}

/* GET /v1/{p}/{tables,views,functions}?databaseNamePattern&<kind>NamePattern:
 * identifiers in the databases the caller may LIST, ordered by "db.name". */
HANDLER h_list_global(dlf_req *x, dlf_global_kind k)
{
    static const char *const keys[] = {"tables", "views", "functions"};
    static const char *const patterns[] = {"tableNamePattern", "viewNamePattern", "functionNamePattern"};
    size_t limit, n, ndb;
    const char *after, *ignored;
    char *dbp, *np, **names, **dbs, **all;
    if (page_args(x, &limit, &after, patterns[k], &np))
        return -1;
    if (page_args(x, &limit, &ignored, "databaseNamePattern", &dbp)) {
        free(np);
        return -1;
    }
    char *dbx = pattern_exact(dbp), *nx = pattern_exact(np);
    dlf_name_filter dbf = {dbx ? NULL : dbp, dbx}, nf = {nx ? NULL : np, nx};
    mc_err err;
    int rc = dlf_db_list(x->c->env->state, &x->cat, dbf.prefix, NULL, SIZE_MAX >> 1, &all, &ndb, &err);
    json_t *allowed = json_array();
    for (size_t i = 0; rc == 0 && i < ndb; i++) {
        dlf_database d;
        dlf_resource res = {DLF_RES_DATABASE, x->cat.name, all[i], NULL};
        dlf_decision dec;
        if (dlf_db_get(x->c->env->state, &x->cat, all[i], &d, &err))
            continue;
        if (dlf_check(x->c->env->state, x->cred.principal, x->root_arn, d.audit.owner, DLF_PRIV_LIST, &res, &dec,
                      &err) == 0 &&
            dec.allowed)
            json_array_append_new(allowed, json_string(all[i]));
        dlf_database_clear(&d);
    }
    if (rc == 0)
        dlf_strings_free(all, ndb);
    char *allowed_text = json_dumps(allowed, JSON_COMPACT);
    json_decref(allowed);
    if (rc == 0)
        rc = dlf_list_global(x->c->env->state, &x->cat, k, allowed_text, &dbf, &nf, after, limit, &dbs, &names, &n,
                             &err);
    free(allowed_text);
    free(dbp);
    free(np);
    if (rc)
        return internal_error(x, &err);
    json_t *o = json_object(), *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "database", dbs[i], "object", names[i]));
    json_object_set_new(o, keys[k], a);
    if (n == limit && n) {
        char *tok = mc_asprintf("%s.%s", dbs[n - 1], names[n - 1]);
        json_object_set_new(o, "nextPageToken", json_string(tok));
        free(tok);
    } else {
        json_object_set_new(o, "nextPageToken", json_null());
    }
    dlf_strings_free(dbs, n);
    dlf_strings_free(names, n);
    send_json(x, 200, o);
    return 0;
}

/* ---- routing -------------------------------------------------------------------- */

static __attribute__((noinline)) void route(dlf_req *x)
{
    const char *m = x->method;
    bool get = !strcmp(m, "GET"), post = !strcmp(m, "POST"), del = !strcmp(m, "DELETE");
    if (x->nsegs == 1 && seg_is(x, 0, "config") && get) {
        h_config(x);
        return;
    }
    if (x->nsegs < 2) {
        dlf_error(x, 404, NULL, NULL, "No such endpoint: %s %s", m, emu_req_raw_path(x->r));
        return;
    }
    mc_err err;
    if (dlf_catalog_get_by_id(x->c->env->state, x->segs[0], &x->cat, &err) ||
        strcmp(x->cat.account_id, x->cred.account_id) != 0) {
        dlf_error(x, 404, NULL, x->segs[0], "Catalog %s does not exist.", x->segs[0]);
        return;
    }
    if (x->nsegs == 2 && seg_is(x, 1, "databases") && (get || post)) {
        h_databases(x);
    } else if (x->nsegs == 3 && seg_is(x, 1, "databases") && (get || post || del)) {
        h_database(x, x->segs[2]);
    } else if (x->nsegs == 4 && seg_is(x, 1, "databases") && seg_is(x, 3, "tables") && (get || post)) {
        h_tables(x, x->segs[2], false);
    } else if (x->nsegs == 4 && seg_is(x, 1, "databases") && seg_is(x, 3, "register") && post) {
        h_register(x, x->segs[2]);
    } else if (x->nsegs == 4 && seg_is(x, 1, "databases") && seg_is(x, 3, "table-details") && get) {
        h_tables(x, x->segs[2], true);
    } else if (x->nsegs >= 5 && x->nsegs <= 8 && seg_is(x, 1, "databases") && seg_is(x, 3, "tables")) {
        if (x->nsegs == 5 && !(get || post || del))
            dlf_error(x, 405, NULL, NULL, "Method %s is not allowed here.", m);
        else
            h_table(x, x->segs[2], x->segs[4], x->nsegs > 5 ? x->segs[5] : NULL);
    } else if (x->nsegs == 4 && seg_is(x, 1, "databases") && (seg_is(x, 3, "views") || seg_is(x, 3, "functions")) &&
               (get || post)) {
        h_objects(x, seg_is(x, 3, "views") ? DLF_OBJ_VIEW : DLF_OBJ_FUNCTION, x->segs[2], NULL, false);
    } else if (x->nsegs == 4 && seg_is(x, 1, "databases") &&
               (seg_is(x, 3, "view-details") || seg_is(x, 3, "function-details")) && get) {
        h_objects(x, seg_is(x, 3, "view-details") ? DLF_OBJ_VIEW : DLF_OBJ_FUNCTION, x->segs[2], NULL, true);
    } else if (x->nsegs == 5 && seg_is(x, 1, "databases") && (seg_is(x, 3, "views") || seg_is(x, 3, "functions")) &&
               (get || post || del)) {
        h_objects(x, seg_is(x, 3, "views") ? DLF_OBJ_VIEW : DLF_OBJ_FUNCTION, x->segs[2], x->segs[4], false);
    } else if (x->nsegs == 3 && seg_is(x, 1, "views") && seg_is(x, 2, "rename") && post) {
        h_view_rename(x);
    } else if (x->nsegs == 2 && (seg_is(x, 1, "tables") || seg_is(x, 1, "views") || seg_is(x, 1, "functions")) &&
               get) {
        h_list_global(x, seg_is(x, 1, "tables") ? DLF_GLOBAL_TABLES
                         : seg_is(x, 1, "views") ? DLF_GLOBAL_VIEWS
                                                 : DLF_GLOBAL_FUNCTIONS);
    } else if (x->nsegs == 3 && seg_is(x, 1, "tables") && seg_is(x, 2, "rename") && post) {
        h_rename(x);
    } else if (x->nsegs == 4 && seg_is(x, 1, "tables") && seg_is(x, 2, "id") && get) {
        dlf_table t;
        if (dlf_table_get_by_id(x->c->env->state, &x->cat, x->segs[3], &t, &err)) {
            from_err(x, &err, "TABLE", x->segs[3]);
        } else {
            if (authorize(x, DLF_PRIV_DESCRIBE, t.database, t.name, t.audit.owner) == 0)
                send_json(x, 200, table_json(&t));
            dlf_table_clear(&t);
        }
    } else {
        dlf_error(x, 501, NULL, NULL, "%s %s is not supported by the mcdlf catalog yet.", m, emu_req_raw_path(x->r));
    }
}

/* MCDLF_DLF_TRAFFIC=<file>: one JSON line per handled request, for the
 * OpenAPI conformance test (tests/conformance/openapi.test.js). One write()
 * of the whole line to an O_APPEND descriptor, so lines from concurrent
 * requests and processes never interleave; a failure to log is ignored. */
static void log_traffic(const dlf_req *x, const char *raw_path)
{
    const char *file = getenv("MCDLF_DLF_TRAFFIC");
    if (!file || !*file)
        return;
    json_t *o = json_object(), *q = json_object();
    for (size_t i = 0; i < x->q.count; i++)
        json_object_set_new(q, x->q.items[i].name, json_string(x->q.items[i].value));
    json_object_set_new(o, "method", json_string(x->method));
    json_object_set_new(o, "path", json_string(raw_path));
    json_object_set_new(o, "query", q);
    json_object_set_new(o, "requestBody", x->sent_body ? json_incref(x->sent_body) : json_null());
    json_object_set_new(o, "status", json_integer(x->resp_status));
    json_object_set_new(o, "responseBody", x->resp_body ? json_incref(x->resp_body) : json_null());
    char *line = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!line)
        return;
    size_t n = strlen(line);
    line[n] = '\n'; /* replaces the terminator: the line is written by length */
    int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (write(fd, line, n + 1) != (ssize_t)(n + 1))
            MC_LOGW("dlf: appending to the traffic log %s failed", file);
        close(fd);
    }
    free(line);
}

static void dlf_handle(void *ctx, emu_request *r)
{
    if (dlf_permissions_api_owns(emu_req_raw_path(r))) {
        dlf_permissions_api_handle(((dlf_ctx *)ctx)->env, r);
        return;
    }
    if (emu_dlf_manage_owns(emu_req_raw_path(r))) {
        emu_dlf_manage_handle(((dlf_ctx *)ctx)->env, r);
        return;
    }
    dlf_req x;
    memset(&x, 0, sizeof x);
    x.c = ctx;
    x.r = r;
    x.method = emu_req_method(r);
    char *raw = mc_strndup(emu_req_raw_path(r), strcspn(emu_req_raw_path(r), "?"));
    if (parse_query(&x.q, emu_req_query(r)) || parse_path(&x, raw))
        dlf_error(&x, 400, NULL, NULL, "Malformed request path or query: %s", emu_req_raw_path(r));
    else if (authenticate(&x) == 0) {
        emu_arn_root(x.root_arn, sizeof x.root_arn, x.cred.account_id);
        if (read_body(&x) == 0 && authorize_ram(&x) == 0)
            route(&x);
    }
    log_traffic(&x, raw);
    free(raw);
    for (int i = 0; i < x.nsegs; i++)
        free(x.segs[i]);
    mc_query_free(&x.q);
    emu_cred_clear(&x.cred);
    json_decref(x.body);
    json_decref(x.sent_body);
    json_decref(x.resp_body);
}

/* ---- lifecycle ------------------------------------------------------------------ */

/* A fresh state gets the default catalog, its bucket and a `default` database,
 * as a new DLF catalog has. */
static int provision(dlf_ctx *c, mc_err *err)
{
    char **names;
    size_t n;
    if (dlf_catalog_list(c->env->state, c->env->account_id, &names, &n, err))
        return -1;
    if (n) {
        snprintf(c->default_catalog, sizeof c->default_catalog, "%s", names[0]);
        dlf_strings_free(names, n);
        return 0;
    }
    char root[128];
    emu_arn_root(root, sizeof root, c->env->account_id);
    dlf_catalog_info cat;
    if (dlf_catalog_create(c->env->state, DLF_DEFAULT_CATALOG, c->env->account_id, c->env->region, root, &cat, err))
        return -1;
    if (oss_store_bucket_create(c->store, cat.bucket, c->env->account_id, err) && err->code != MC_ERR_EXISTS)
        return -1;
    if (dlf_db_create(c->env->state, &cat, "default", "{}", root, err))
        return -1;
    snprintf(c->default_catalog, sizeof c->default_catalog, "%s", cat.name);
    return 0;
}

static void dlf_close(void *ctx)
{
    dlf_ctx *c = ctx;
    if (!c)
        return;
    oss_store_close(c->store);
    pthread_mutex_destroy(&c->commit_lock);
    free(c);
}

static int dlf_open(void **ctx, const emu_env *env, mc_err *err)
{
    dlf_ctx *c = mc_calloc(1, sizeof *c);
    c->env = env;
    pthread_mutex_init(&c->commit_lock, NULL);
    if (oss_store_open(&c->store, env, err) || dlf_catalog_migrate(env->state, err) ||
        dlf_grants_migrate(env->state, err) || provision(c, err)) {
        dlf_close(c);
        return -1;
    }
    *ctx = c;
    return 0;
}

static void dlf_describe(void *ctx, json_t *root)
{
    dlf_ctx *c = ctx;
    json_object_set_new(root, "catalog", json_string(c->default_catalog));
    /* The catalog id the DLF OpenAPI paths take (dlf/permissions_api.h). */
    dlf_catalog_info cat;
    mc_err err;
    if (dlf_catalog_get(c->env->state, c->default_catalog, &cat, &err) == 0)
        json_object_set_new(root, "catalog_id", json_string(cat.id));
}

const emu_service_def emu_dlf_service = {
    .name = "dlf",
    /* The Java client appends any header whose name contains "request-id" (§1). */
    .request_id_header = "x-dlf-request-id",
    .open = dlf_open,
    .handle = dlf_handle,
    .send_error = dlf_send_error,
    .close = dlf_close,
    .describe = dlf_describe,
};
