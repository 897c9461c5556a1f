/* rest_catalog: see rest_catalog.h. Section numbers: reference/paimon-rest.md. */
#include "client/rest_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "client/http.h"
#include "crypto.h"
#include "sign_dlf.h"
#include "timeutil.h"

struct rest_catalog {
    char *uri;
    char *region;
    char *ak, *secret, *token, *ca_file;
    int max_retries;
    json_t *options; /* merged config */
    char *prefix;
};

void rest_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The Java client's wording of an ErrorResponse (§1 error path). */
static int remote_error(long status, const mc_buf *body, const char *request_id, mc_err *err)
{
    json_error_t je;
    json_t *j = body->len ? json_loadb(body->data, body->len, 0, &je) : NULL;
    const char *msg = json_string_value(json_object_get(j, "message"));
    const char *type = json_string_value(json_object_get(j, "resourceType"));
    json_int_t code = json_is_integer(json_object_get(j, "code")) ? json_integer_value(json_object_get(j, "code"))
                                                                   : status;
    char fallback[320];
    /* A short plain-text body names the problem (e.g. plain HTTP sent to an
     * HTTPS port): keep its first line. */
    size_t line = body->len ? strcspn(body->data, "\r\n") : 0;
    bool text = line > 0 && line <= 200;
    for (size_t i = 0; text && i < line; i++)
        text = body->data[i] >= 0x20 && body->data[i] < 0x7f;
    if (!j && text)
        snprintf(fallback, sizeof fallback, "Unparseable error response body (HTTP %ld): %.*s", status, (int)line,
                 body->data);
    else if (!j)
        snprintf(fallback, sizeof fallback, "Unparseable error response body (HTTP %ld).", status);
    else if (!msg || !*msg)
        snprintf(fallback, sizeof fallback, "Empty error message (HTTP %ld).", status);
    const char *m = (!j || !msg || !*msg) ? fallback : msg;
    const char *lead = code == 401   ? "Not authorized: "
                       : code == 403 ? "Forbidden: "
                       : code == 500 ? "Server error: "
                       : code == 503 ? "Service unavailable: "
                       : (code == 400 || code == 404 || code == 409 || code == 501) ? ""
                                                                                     : "Unable to process: ";
    (void)request_id; /* kept in the log of the call, not in the user's message */
    int rc = mc_err_set_remote(err, (int)code, type ? type : "", "%s%s", lead, m);
    json_decref(j);
    return rc;
}

static void add_header(mc_header *h, size_t *n, const char *name, const char *value)
{
    h[*n].name = name;
    h[*n].value = value;
    (*n)++;
}

/* One signed request to uri + path (path already encoded). */
static int send_signed(rest_catalog *c, const char *method, const char *path, const mc_query_param *q, size_t nq,
                       const json_t *body, json_t **out, mc_err *err)
{
    if (out)
        *out = NULL;
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    size_t tlen = text ? strlen(text) : 0;
    char date[32], md5[32] = "";
    mc_time_iso8601_basic(date, sizeof date, time(NULL));
    mc_header h[10];
    size_t nh = 0;
    add_header(h, &nh, "x-dlf-date", date);
    add_header(h, &nh, "x-dlf-content-sha256", "UNSIGNED-PAYLOAD");
    add_header(h, &nh, "x-dlf-version", "v1");
    if (tlen) {
        uint8_t d[MC_MD5_LEN];
        mc_md5(d, text, tlen);
        mc_buf b = MC_BUF_INIT;
        mc_base64_encode(&b, d, sizeof d);
        snprintf(md5, sizeof md5, "%s", b.data);
        mc_buf_free(&b);
        add_header(h, &nh, "Content-Type", "application/json");
        add_header(h, &nh, "Content-MD5", md5);
    }
    if (c->token)
        add_header(h, &nh, "x-dlf-security-token", c->token);
    mc_query qq = {(mc_query_param *)q, nq};
    sign_dlf_request sr = {method, path, &qq, h, nh};
    mc_buf auth = MC_BUF_INIT, url = MC_BUF_INIT;
    sign_dlf_authorization(&auth, &sr, c->ak, c->secret, c->region);
    add_header(h, &nh, "Authorization", auth.data);
    mc_buf_printf(&url, "%s%s", c->uri, path);
    for (size_t i = 0; i < nq; i++) {
        mc_buf_putc(&url, i ? '&' : '?');
        sign_dlf_url_encode(&url, q[i].name);
        mc_buf_putc(&url, '=');
        sign_dlf_url_encode(&url, q[i].value);
    }
    http_request rq = {
        .method = method,
        .url = url.data,
        .headers = h,
        .nheaders = nh,
        .body = text,
        .body_len = tlen,
        .max_retries = !strcmp(method, "GET") ? c->max_retries : 0,
        .ca_file = c->ca_file,
    };
    http_response resp;
    int rc = http_send(&resp, &rq, err);
    if (rc == 0) {
        if (resp.status < 200 || resp.status > 299) {
            rc = remote_error(resp.status, &resp.body, http_response_header(&resp, "x-dlf-request-id"), err);
        } else if (out && resp.body.len) {
            json_error_t je;
            *out = json_loadb(resp.body.data, resp.body.len, 0, &je);
            if (!*out)
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "%s %s: the catalog answered malformed JSON: %s", method, path,
                                je.text);
        }
    }
    http_response_clear(&resp);
    mc_buf_free(&auth);
    mc_buf_free(&url);
    free(text);
    return rc;
}

int rest_catalog_open(rest_catalog **out, const rest_catalog_config *cfg, mc_err *err)
{
    *out = NULL;
    if (!cfg->uri || !*cfg->uri)
        return mc_err_set(err, MC_ERR_INVALID, "DLF endpoint is not configured");
    if (!cfg->warehouse || !*cfg->warehouse)
        return mc_err_set(err, MC_ERR_INVALID, "DLF catalog (warehouse) is not configured");
    if (!cfg->access_key_id || !cfg->access_key_secret)
        return mc_err_set(err, MC_ERR_INVALID, "DLF credentials are not configured");
    rest_catalog *c = mc_calloc(1, sizeof *c);
    /* Base URI: trailing '/' removed, http:// when no scheme (§1). */
    c->uri = strstr(cfg->uri, "://") ? mc_strdup(cfg->uri) : mc_asprintf("http://%s", cfg->uri);
    size_t n = strlen(c->uri);
    while (n && c->uri[n - 1] == '/')
        c->uri[--n] = '\0';
    c->region = mc_strdup(cfg->region && *cfg->region ? cfg->region : "cn-hangzhou");
    c->ak = mc_strdup(cfg->access_key_id);
    c->secret = mc_strdup(cfg->access_key_secret);
    c->token = cfg->security_token && *cfg->security_token ? mc_strdup(cfg->security_token) : NULL;
    c->ca_file = cfg->ca_file ? mc_strdup(cfg->ca_file) : NULL;
    c->max_retries = cfg->max_retries > 0 ? cfg->max_retries : 3;
    mc_query_param q = {"warehouse", (char *)cfg->warehouse, true};
    json_t *conf;
    if (send_signed(c, "GET", "/v1/config", &q, 1, NULL, &conf, err)) {
        rest_catalog_close(c);
        return mc_err_prefix(err, "DLF catalog %s", cfg->warehouse);
    }
    /* defaults, overlaid by overrides (§2). */
    c->options = json_object();
    json_object_update(c->options, json_object_get(conf, "defaults"));
    json_object_update(c->options, json_object_get(conf, "overrides"));
    json_decref(conf);
    const char *prefix = json_string_value(json_object_get(c->options, "prefix"));
    if (!prefix || !*prefix) {
        rest_catalog_close(c);
        return mc_err_set(err, MC_ERR_PROTOCOL, "DLF catalog %s: the config answer has no prefix", cfg->warehouse);
    }
    c->prefix = mc_strdup(prefix);
    *out = c;
    return 0;
}

void rest_catalog_close(rest_catalog *c)
{
    if (!c)
        return;
    free(c->uri);
    free(c->region);
    free(c->ak);
    free(c->secret);
    free(c->token);
    free(c->ca_file);
    free(c->prefix);
    json_decref(c->options);
    free(c);
}

const char *rest_catalog_option(const rest_catalog *c, const char *key)
{
    return json_string_value(json_object_get(c->options, key));
}

int rest_catalog_call(rest_catalog *c, const char *method, const char *const *segs, size_t nsegs,
                      const mc_query_param *q, size_t nq, const json_t *body, json_t **out, mc_err *err)
{
    mc_buf path = MC_BUF_INIT;
    mc_buf_puts(&path, "/v1/");
    sign_dlf_url_encode(&path, c->prefix);
    for (size_t i = 0; i < nsegs; i++) {
        mc_buf_putc(&path, '/');
        sign_dlf_url_encode(&path, segs[i]);
    }
    int rc = send_signed(c, method, path.data, q, nq, body, out, err);
    mc_buf_free(&path);
    return rc;
}

int rest_catalog_each(rest_catalog *c, const char *const *segs, size_t nsegs, const char *key,
                      int (*fn)(void *ud, json_t *item, mc_err *err), void *ud, mc_err *err)
{
    /* Follows nextPageToken until it is absent or a page is empty (§5). */
    char *token = NULL;
    for (;;) {
        mc_query_param q = {"pageToken", token, true};
        json_t *o;
        int rc = rest_catalog_call(c, "GET", segs, nsegs, token ? &q : NULL, token ? 1 : 0, NULL, &o, err);
        free(token);
        token = NULL;
        if (rc)
            return -1;
        json_t *arr = json_object_get(o, key), *v;
        size_t i;
        json_array_foreach(arr, i, v) {
            if (fn(ud, v, err)) {
                json_decref(o);
                return -1;
            }
        }
        const char *next = json_string_value(json_object_get(o, "nextPageToken"));
        if (next && *next && json_array_size(arr) > 0)
            token = mc_strdup(next);
        json_decref(o);
        if (!token)
            return 0;
    }
}

typedef struct {
    char **names;
    size_t n;
} name_list;

static int add_name(void *ud, json_t *item, mc_err *err)
{
    (void)err;
    name_list *l = ud;
    if (json_is_string(item)) {
        l->names = mc_realloc(l->names, (l->n + 1) * sizeof *l->names);
        l->names[l->n++] = mc_strdup(json_string_value(item));
    }
    return 0;
}

static int list_all(rest_catalog *c, const char *const *segs, size_t nsegs, const char *key, char ***names, size_t *n,
                    mc_err *err)
{
    name_list l = {NULL, 0};
    int rc = rest_catalog_each(c, segs, nsegs, key, add_name, &l, err);
    if (rc) {
        rest_names_free(l.names, l.n);
        l.names = NULL;
        l.n = 0;
    }
    *names = l.names;
    *n = l.n;
    return rc;
}

int rest_list_databases(rest_catalog *c, char ***names, size_t *n, mc_err *err)
{
    const char *segs[] = {"databases"};
    return list_all(c, segs, 1, "databases", names, n, err);
}

int rest_create_database(rest_catalog *c, const char *name, const json_t *options, mc_err *err)
{
    const char *segs[] = {"databases"};
    json_t *b = json_object();
    json_object_set_new(b, "name", json_string(name));
    json_object_set_new(b, "options", options ? json_deep_copy(options) : json_object());
    int rc = rest_catalog_call(c, "POST", segs, 1, NULL, 0, b, NULL, err);
    json_decref(b);
    return rc;
}

int rest_get_database(rest_catalog *c, const char *name, json_t **out, mc_err *err)
{
    const char *segs[] = {"databases", name};
    return rest_catalog_call(c, "GET", segs, 2, NULL, 0, NULL, out, err);
}

int rest_drop_database(rest_catalog *c, const char *name, mc_err *err)
{
    const char *segs[] = {"databases", name};
    return rest_catalog_call(c, "DELETE", segs, 2, NULL, 0, NULL, NULL, err);
}

int rest_list_tables(rest_catalog *c, const char *db, char ***names, size_t *n, mc_err *err)
{
    const char *segs[] = {"databases", db, "tables"};
    return list_all(c, segs, 3, "tables", names, n, err);
}

int rest_get_table(rest_catalog *c, const char *db, const char *table, json_t **out, mc_err *err)
{
    const char *segs[] = {"databases", db, "tables", table};
    return rest_catalog_call(c, "GET", segs, 4, NULL, 0, NULL, out, err);
}

int rest_create_table(rest_catalog *c, const char *db, const char *table, const json_t *schema, mc_err *err)
{
    const char *segs[] = {"databases", db, "tables"};
    json_t *b = json_object(), *id = json_object();
    json_object_set_new(id, "database", json_string(db));
    json_object_set_new(id, "object", json_string(table));
    json_object_set_new(b, "identifier", id);
    json_object_set_new(b, "schema", json_deep_copy(schema));
    int rc = rest_catalog_call(c, "POST", segs, 3, NULL, 0, b, NULL, err);
    json_decref(b);
    return rc;
}

int rest_drop_table(rest_catalog *c, const char *db, const char *table, mc_err *err)
{
    const char *segs[] = {"databases", db, "tables", table};
    return rest_catalog_call(c, "DELETE", segs, 4, NULL, 0, NULL, NULL, err);
}

int rest_latest_snapshot(rest_catalog *c, const char *db, const char *table, json_t **out, mc_err *err)
{
    const char *segs[] = {"databases", db, "tables", table, "snapshot"};
    mc_err e;
    json_t *resp;
    if (rest_catalog_call(c, "GET", segs, 5, NULL, 0, NULL, &resp, &e) == 0) {
        /* The answer is {snapshot: TableSnapshot}; callers get the TableSnapshot. */
        json_t *ts = json_object_get(resp, "snapshot");
        *out = json_is_object(ts) ? json_incref(ts) : NULL;
        json_decref(resp);
        if (!*out)
            return mc_err_set(err, MC_ERR_PROTOCOL, "latest snapshot of %s.%s: the answer has no snapshot object", db,
                              table);
        return 0;
    }
    /* 404 SNAPSHOT: an empty table, not an error (§6). */
    if (e.http_status == 404 && !strcmp(e.remote_code, "SNAPSHOT")) {
        *out = NULL;
        return 0;
    }
    *err = e;
    return -1;
}

int rest_commit(rest_catalog *c, const char *db, const char *table, const char *table_id, const char *base_uuid,
                const json_t *snapshot, const json_t *statistics, bool *success, mc_err *err)
{
    const char *segs[] = {"databases", db, "tables", table, "commit"};
    json_t *b = json_object();
    json_object_set_new(b, "tableId", json_string(table_id));
    /* Omitted when the base snapshot carries no uuid: the id check alone guards the commit. */
    if (base_uuid)
        json_object_set_new(b, "baseSnapshotUuid", json_string(base_uuid));
    json_object_set_new(b, "snapshot", json_deep_copy(snapshot));
    json_object_set_new(b, "statistics", statistics ? json_deep_copy(statistics) : json_array());
    json_t *o;
    int rc = rest_catalog_call(c, "POST", segs, 5, NULL, 0, b, &o, err);
    json_decref(b);
    if (rc == 0) {
        if (!json_is_boolean(json_object_get(o, "success")))
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "commit of %s.%s: the answer has no success flag", db, table);
        else
            *success = json_is_true(json_object_get(o, "success"));
        json_decref(o);
    }
    return rc;
}

void rest_data_token_clear(rest_data_token *t)
{
    free(t->access_key_id);
    free(t->access_key_secret);
    free(t->security_token);
    free(t->endpoint);
    free(t->region);
    memset(t, 0, sizeof *t);
}

int rest_table_token(rest_catalog *c, const char *db, const char *table, rest_data_token *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    const char *segs[] = {"databases", db, "tables", table, "token"};
    json_t *o;
    if (rest_catalog_call(c, "GET", segs, 5, NULL, 0, NULL, &o, err))
        return -1;
    json_t *t = json_object_get(o, "token");
    const char *ak = json_string_value(json_object_get(t, "fs.oss.accessKeyId"));
    const char *sk = json_string_value(json_object_get(t, "fs.oss.accessKeySecret"));
    int rc = 0;
    if (!ak || !sk) {
        rc = mc_err_set(err, MC_ERR_PROTOCOL, "data token of %s.%s lacks fs.oss.accessKeyId/Secret", db, table);
    } else {
        const char *tok = json_string_value(json_object_get(t, "fs.oss.securityToken"));
        const char *ep = json_string_value(json_object_get(t, "fs.oss.endpoint"));
        const char *rg = json_string_value(json_object_get(t, "fs.oss.region"));
        out->access_key_id = mc_strdup(ak);
        out->access_key_secret = mc_strdup(sk);
        out->security_token = tok ? mc_strdup(tok) : NULL;
        out->endpoint = ep ? mc_strdup(ep) : NULL;
        out->region = rg ? mc_strdup(rg) : NULL;
        out->expires_at_ms = json_integer_value(json_object_get(o, "expiresAtMillis"));
    }
    json_decref(o);
    return rc;
}
