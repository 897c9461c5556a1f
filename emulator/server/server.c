/*
 * server: the emulator's lifecycle and HTTP plumbing (CivetWeb underneath).
 *
 * One CivetWeb context per service, each on its own loopback port. Every
 * request gets a fresh request id, is handed to the service's handler as an
 * emu_request, and always leaves with exactly one response carrying the id in
 * the service's header. Request bodies are bounded by max_body_bytes. With
 * TLS options each CivetWeb context listens on 127.0.0.1 only and a TLS front
 * (tls_front.h) owns the service's public port; a request relayed by it is
 * marked secure and carries the real client address.
 * emulator_stop stops the listeners first (mg_stop waits for in-flight
 * requests), then closes services and the state store, so no handler ever
 * runs against closed state.
 */
#include "emulator.h"

#include <civetweb.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "buf.h"
#include "crypto.h"
#include "control/control.h"
#include "dlf/grants.h"
#include "fsutil.h"
#include "log.h"
#include "ram/role.h"
#include "server/cred.h"
#include "server/service.h"
#include "server/server_internal.h"
#include "server/services.h"
#include "server/tls_front.h"
#include "state/state.h"
#include "strutil.h"
#include "timeutil.h"

struct emu_request {
    struct mg_connection *conn;
    const struct mg_request_info *ri;
    running_service *svc;
    char id[32];
    const char *raw_path;
    mc_buf path_copy;
    mc_buf resp_headers;   /* "Name: value\r\n" lines */
    bool sent;
    long long body_read;
    bool secure;           /* arrived through the service's TLS front */
    char peer[64];         /* the client's address when it did */
};

void emulator_options_init(emulator_options *o)
{
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->region = "cn-hangzhou";
    o->num_threads = 8;
    o->max_body_bytes = (size_t)1 << 30;
}

/* ---- request accessors ---------------------------------------------------- */

const char *emu_req_method(const emu_request *r) { return r->ri->request_method; }
const char *emu_req_raw_path(const emu_request *r) { return r->raw_path; }
const char *emu_req_query(const emu_request *r) { return r->ri->query_string ? r->ri->query_string : ""; }
long long emu_req_content_length(const emu_request *r) { return r->ri->content_length; }
const char *emu_req_id(const emu_request *r) { return r->id; }
const char *emu_req_remote_addr(const emu_request *r) { return r->secure ? r->peer : r->ri->remote_addr; }
bool emu_req_secure(const emu_request *r) { return r->secure; }
size_t emu_req_header_count(const emu_request *r) { return (size_t)r->ri->num_headers; }
bool emu_resp_sent(const emu_request *r) { return r->sent; }

const char *emu_req_header(const emu_request *r, const char *name)
{
    for (int i = 0; i < r->ri->num_headers; i++)
        if (strcasecmp(r->ri->http_headers[i].name, name) == 0)
            return r->ri->http_headers[i].value;
    return NULL;
}

void emu_req_header_at(const emu_request *r, size_t i, const char **name, const char **value)
{
    *name = r->ri->http_headers[i].name;
    *value = r->ri->http_headers[i].value;
}

ssize_t emu_req_read(emu_request *r, void *buf, size_t n)
{
    int got = mg_read(r->conn, buf, n);
    if (got > 0)
        r->body_read += got;
    return got;
}

int emu_req_body(emu_request *r, mc_buf *out, mc_err *err)
{
    size_t max = r->svc->owner->env.max_body_bytes;
    long long cl = r->ri->content_length;
    if (cl > 0 && (unsigned long long)cl > max)
        return mc_err_set(err, MC_ERR_INVALID, "request body of %lld bytes exceeds the limit of %zu bytes", cl, max);
    if (cl > 0)
        mc_buf_reserve(out, (size_t)cl);
    /* Worker threads have small stacks: read straight into the buffer. */
    for (;;) {
        mc_buf_reserve(out, 65536);
        ssize_t n = emu_req_read(r, out->data + out->len, 65536);
        if (n < 0)
            return mc_err_set(err, MC_ERR_IO, "reading request body failed");
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (out->len > max)
            return mc_err_set(err, MC_ERR_INVALID, "request body exceeds the limit of %zu bytes", max);
    }
    if (cl >= 0 && (long long)out->len != cl)
        return mc_err_set(err, MC_ERR_INVALID, "request body ended after %zu of %lld bytes", out->len, cl);
    return 0;
}

/* ---- responses ---------------------------------------------------------------- */

static bool header_safe(const char *s)
{
    return strpbrk(s, "\r\n") == NULL;
}

void emu_resp_header(emu_request *r, const char *name, const char *value)
{
    if (!header_safe(name) || !header_safe(value)) {
        MC_LOGW("dropping response header %s with a line break", name);
        return;
    }
    mc_buf_printf(&r->resp_headers, "%s: %s\r\n", name, value);
}

static const char *reason(int status)
{
    const char *t = mg_get_response_code_text(NULL, status);
    return t ? t : "Unknown";
}

void emu_resp_begin(emu_request *r, int status, const char *content_type, long long len)
{
    if (r->sent) {
        MC_LOGE("%s: second response for request %s ignored", r->svc->def->name, r->id);
        return;
    }
    r->sent = true;
    mc_buf h = MC_BUF_INIT;
    mc_buf_printf(&h, "HTTP/1.1 %d %s\r\n", status, reason(status));
    mc_buf_printf(&h, "%s: %s\r\n", r->svc->def->request_id_header, r->id);
    /* Every answer carries the server time, as the real services do; clients
     * measure their clock skew by it (`mcdlf doctor`). */
    char date[64];
    mc_time_rfc1123(date, sizeof date, mc_now_s());
    mc_buf_printf(&h, "Date: %s\r\n", date);
    if (content_type)
        mc_buf_printf(&h, "Content-Type: %s\r\n", content_type);
    if (len >= 0)
        mc_buf_printf(&h, "Content-Length: %lld\r\n", len);
    mc_buf_append(&h, r->resp_headers.data, r->resp_headers.len);
    mc_buf_puts(&h, "\r\n");
    mg_write(r->conn, h.data, h.len);
    mc_buf_free(&h);
}

int emu_resp_write(emu_request *r, const void *data, size_t n)
{
    return mg_write(r->conn, data, n) == (int)n ? 0 : -1;
}

void emu_resp_send(emu_request *r, int status, const char *content_type, const void *body, size_t n)
{
    bool head = strcmp(r->ri->request_method, "HEAD") == 0;
    emu_resp_begin(r, status, content_type, (long long)n);
    if (n && !head)
        emu_resp_write(r, body, n);
}

/* ---- dispatch --------------------------------------------------------------------- */

static void new_request_id(char out[32])
{
    uint8_t raw[12];
    mc_random_bytes(raw, sizeof raw);
    mc_hex_upper(out, raw, sizeof raw); /* 24 upper-case hex, OSS's form (reference/oss-api.md §6) */
}

static int on_request(struct mg_connection *conn, void *cbdata)
{
    running_service *svc = cbdata;
    emu_request r;
    memset(&r, 0, sizeof r);
    r.conn = conn;
    r.ri = mg_get_request_info(conn);
    r.svc = svc;
    r.secure = svc->tls && emu_tls_front_peer(svc->tls, r.ri->remote_port, r.peer, sizeof r.peer);
    new_request_id(r.id);
    /* request_uri is the path as sent (percent-encoded), without the query. */
    const char *uri = r.ri->request_uri ? r.ri->request_uri : "/";
    const char *q = strchr(uri, '?');
    mc_buf_append(&r.path_copy, uri, q ? (size_t)(q - uri) : strlen(uri));
    r.raw_path = mc_buf_cstr(&r.path_copy);
    svc->def->handle(svc->ctx, &r);
    if (!r.sent) {
        MC_LOGE("%s: handler sent no response for %s %s", svc->def->name, r.ri->request_method, r.raw_path);
        svc->def->send_error(svc->ctx, &r, 500, "InternalError", "The service did not produce a response.");
    }
    /* Drain a small unread body so keep-alive connections stay in sync; a
     * large one is left to CivetWeb, which closes the connection instead. */
    char sink[2048];
    while (r.ri->content_length > r.body_read && r.ri->content_length - r.body_read <= (1 << 20) &&
           emu_req_read(&r, sink, sizeof sink) > 0)
        ;
    mc_buf_free(&r.path_copy);
    mc_buf_free(&r.resp_headers);
    /* Return value: the HTTP status is already written; 1..999 tells CivetWeb so. */
    return 200;
}

static int log_message(const struct mg_connection *conn, const char *message)
{
    (void)conn;
    MC_LOGD("civetweb: %s", message);
    return 1;
}

static const char *env_endpoint(const emu_env *env, const char *service)
{
    return emulator_endpoint(env->emulator, service);
}

static int start_listener(emulator *e, running_service *rs, const emulator_options *o, mc_err *err)
{
    int port = 0;
    const char *n = rs->def->name;
    if (!strcmp(n, "oss")) port = o->oss_port;
    else if (!strcmp(n, "dlf")) port = o->dlf_port;
    else if (!strcmp(n, "ram")) port = o->ram_port;
    else if (!strcmp(n, "mc")) port = o->mc_port;
    char ports[128], threads[16], timeout[16] = "30000";
    bool tls = o->tls_cert && o->tls_key;
    /* With TLS, CivetWeb listens in plain HTTP on loopback only, behind the front. */
    if (tls)
        snprintf(ports, sizeof ports, "127.0.0.1:0");
    else
        snprintf(ports, sizeof ports, "%s:%d", e->host, port);
    snprintf(threads, sizeof threads, "%d", o->num_threads > 0 ? o->num_threads : 8);
    const char *options[] = {
        "listening_ports", ports,
        "num_threads", threads,
        "request_timeout_ms", timeout,
        "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", "30000",
        "decode_url", "no",
        NULL,
    };
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.log_message = log_message;
    rs->owner = e;
    rs->mg = mg_start(&cb, rs, options);
    if (!rs->mg)
        return mc_err_set(err, MC_ERR_NETWORK, "%s: cannot listen on %s", n, ports);
    mg_set_request_handler(rs->mg, "/", on_request, rs);
    struct mg_server_port sp[4];
    int np = mg_get_server_ports(rs->mg, 4, sp);
    if (np < 1)
        return mc_err_set(err, MC_ERR_NETWORK, "%s: listener has no port", n);
    rs->port = sp[0].port;
    if (tls) {
        emu_tls_front_config fc = {n, o->tls_cert, o->tls_key, e->host, port, rs->port};
        if (emu_tls_front_start(&rs->tls, &fc, err))
            return -1;
        rs->port = emu_tls_front_port(rs->tls);
    }
    snprintf(rs->url, sizeof rs->url, "%s://%s:%d", tls ? "https" : "http", e->host, rs->port);
    return 0;
}

static void init_civetweb(void)
{
    mg_init_library(0);
}

static void env_record(const emu_env *env, const char *layer, const char *principal, const char *action,
                       const char *resource, bool allowed, const char *reason);

int emulator_start_services(emulator **out, const char *state_dir, const emulator_options *opts,
                            const emu_service_def *const *defs, mc_err *err)
{
    *out = NULL;
    emulator_options dflt;
    if (!opts) {
        emulator_options_init(&dflt);
        opts = &dflt;
    }
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_civetweb);
    emulator *e = mc_calloc(1, sizeof *e);
    pthread_mutex_init(&e->trace_lock, NULL);
    e->state_dir = mc_strdup(state_dir);
    e->region = mc_strdup(opts->region ? opts->region : "cn-hangzhou");
    e->host = mc_strdup(opts->host ? opts->host : "127.0.0.1");
    if (emu_state_open(&e->state, state_dir, err) || emu_cred_migrate(e->state, err) ||
        emu_account_ensure(e->state, e->region, e->account_id, err) ||
        emu_account_owner_key(e->state, e->account_id, &e->owner_key, err))
        goto fail;
    e->env.state_dir = e->state_dir;
    e->env.region = e->region;
    e->env.host = e->host;
    e->env.account_id = e->account_id;
    e->env.state = e->state;
    e->env.max_body_bytes = opts->max_body_bytes ? opts->max_body_bytes : (size_t)1 << 30;
    e->env.endpoint = env_endpoint;
    e->env.record = env_record;
    e->env.emulator = e;
    for (int i = 0; defs[i]; i++) {
        if (e->nservices == (int)(sizeof e->services / sizeof *e->services)) {
            mc_err_set(err, MC_ERR_INTERNAL, "too many services");
            goto fail;
        }
        running_service *rs = &e->services[e->nservices];
        rs->def = defs[i];
        if (rs->def->open(&rs->ctx, &e->env, err)) {
            mc_err_prefix(err, "starting %s", rs->def->name);
            goto fail;
        }
        e->nservices++;
        if (start_listener(e, rs, opts, err))
            goto fail;
    }
    /* What services add to endpoints.json, e.g. the default catalog. */
    json_t *d = json_object();
    for (int i = 0; i < e->nservices; i++)
        if (e->services[i].def->describe)
            e->services[i].def->describe(e->services[i].ctx, d);
    const char *cat = json_string_value(json_object_get(d, "catalog"));
    e->catalog = cat ? mc_strdup(cat) : NULL;
    json_decref(d);
    *out = e;
    return 0;
fail:
    emulator_stop(e);
    return -1;
}

/* A fresh state is provisioned as after the seed's steps 1-3 (issue 5): DLF
 * authorised and activated, the MaxCompute service-linked role, a Paimon_DLF
 * data source and an external project on the default catalog. */
static int provision_control(emulator *e, mc_err *err)
{
    static char *steps[][8] = {
        {"dlf", "authorize"},
        {"dlf", "activate"},
        {"ram", "create-service-linked-role", "AliyunServiceRoleForMaxComputeLakehouse"},
        {"mc", "create-data-source", "mcdlf_ds"},
        {"mc", "create-project", "mcdlf_project", "--data-source", "mcdlf_ds", "--catalog", NULL},
    };
    static const int argcs[] = {2, 2, 3, 3, 7};
    char *out;
    mc_err probe;
    /* Provisioned already when the project exists. */
    if (control_migrate(e->state, err))
        return -1;
    control_project p;
    if (control_project_get(e->state, "mcdlf_project", &p, &probe) == 0)
        return 0;
    for (size_t i = 0; i < sizeof argcs / sizeof *argcs; i++) {
        char *argv[8];
        memcpy(argv, steps[i], sizeof argv);
        if (argcs[i] == 7)
            argv[6] = e->catalog;
        if (emulator_console(e, NULL, argcs[i], argv, &out, err))
            return mc_err_prefix(err, "provisioning (%s %s)", argv[0], argv[1]);
        free(out);
    }
    return 0;
}

int emulator_start(emulator **out, const char *state_dir, const emulator_options *opts, mc_err *err)
{
    if (emulator_start_services(out, state_dir, opts, emu_default_services, err))
        return -1;
    if ((*out)->catalog && provision_control(*out, err)) {
        emulator_stop(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

static void *stop_one(void *mg)
{
    mg_stop(mg);
    return NULL;
}

/* mg_stop returns once CivetWeb's listener loop sees the stop flag, which it
 * checks between polls of up to a second or two: one after the other the
 * listeners took seconds to stop, so every embedded command lingered after its
 * last result. They stop in parallel, and a connection to each wakes its poll. */
static void stop_listeners(emulator *e)
{
    pthread_t th[8];
    bool started[8] = {false};
    int ports[8] = {0};
    for (int i = 0; i < e->nservices; i++) {
        if (!e->services[i].mg)
            continue;
        struct mg_server_port sp[2];
        if (mg_get_server_ports(e->services[i].mg, 2, sp) > 0)
            ports[i] = sp[0].port;
        started[i] = pthread_create(&th[i], NULL, stop_one, e->services[i].mg) == 0;
        if (!started[i])
            mg_stop(e->services[i].mg);
    }
    nanosleep(&(struct timespec){0, 5 * 1000000}, NULL); /* the stop flags are set */
    for (int i = 0; i < e->nservices; i++) {
        if (!started[i] || !ports[i])
            continue;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd < 0)
            continue;
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)ports[i])};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        (void)connect(fd, (struct sockaddr *)&a, sizeof a);
        close(fd);
    }
    for (int i = 0; i < e->nservices; i++)
        if (started[i])
            pthread_join(th[i], NULL);
}

void emulator_stop(emulator *e)
{
    if (!e)
        return;
    /* Fronts first: no new HTTPS connection reaches a listener being stopped. */
    for (int i = 0; i < e->nservices; i++)
        emu_tls_front_stop(e->services[i].tls);
    stop_listeners(e);
    for (int i = e->nservices - 1; i >= 0; i--)
        if (e->services[i].def->close)
            e->services[i].def->close(e->services[i].ctx);
    emu_cred_clear(&e->owner_key);
    emu_state_close(e->state);
    free(e->catalog);
    free(e->trace);
    pthread_mutex_destroy(&e->trace_lock);
    free(e->state_dir);
    free(e->region);
    free(e->host);
    free(e);
}

const char *emulator_endpoint(const emulator *e, const char *service)
{
    for (int i = 0; i < e->nservices; i++)
        if (!strcmp(e->services[i].def->name, service) && e->services[i].port)
            return e->services[i].url;
    return NULL;
}

const char *emulator_region(const emulator *e) { return e->region; }
const char *emulator_state_dir(const emulator *e) { return e->state_dir; }
const char *emulator_account_id(const emulator *e) { return e->account_id; }
const char *emulator_owner_key_id(const emulator *e) { return e->owner_key.id; }
const char *emulator_owner_key_secret(const emulator *e) { return e->owner_key.secret; }

static void user_arn(char *out, size_t cap, const emulator *e, const char *user)
{
    snprintf(out, cap, "acs:ram::%s:user/%s", e->account_id, user);
}

/* RAM user names: letters, digits, '.', '_', '-', 1-64 (reference/ram-sts.md). */
static int check_user_name(const char *u, mc_err *err)
{
    size_t n = strlen(u);
    bool ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)u[i]) || u[i] == '.' || u[i] == '_' || u[i] == '-';
    return ok ? 0 : mc_err_set(err, MC_ERR_INVALID, "invalid RAM user name '%s': use 1-64 letters, digits, '.', '_', '-'", u);
}

int emulator_ram_user_key(emulator *e, const char *user, int create, emulator_key *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (check_user_name(user, err))
        return -1;
    user_arn(out->arn, sizeof out->arn, e, user);
    emu_cred c;
    mc_err e2;
    int rc = emu_cred_principal_key(e->state, e->account_id, out->arn, &c, &e2);
    if (rc && e2.code == MC_ERR_NOT_FOUND && create)
        rc = emu_cred_create_key(e->state, e->account_id, out->arn, &c, &e2);
    if (rc) {
        *err = e2;
        if (e2.code == MC_ERR_NOT_FOUND)
            mc_err_set(err, MC_ERR_NOT_FOUND, "RAM user %s does not exist (mcdlf admin ram create-user %s)", user,
                       user);
        return -1;
    }
    snprintf(out->id, sizeof out->id, "%s", c.id);
    snprintf(out->secret, sizeof out->secret, "%s", c.secret);
    emu_cred_clear(&c);
    return 0;
}

/* The ARN a grant names (docs/dlf-catalog.md "Principals"): a RAM user name,
 * role/<RAM role> (the role must exist; its ARN is stored lower-cased, as
 * its sessions carry it) or role:<DLF role> (a system or created role). */
static int grantee_arn(emulator *e, const char *who, char *arn, size_t cap, mc_err *err)
{
    if (mc_str_starts_with(who, "role:")) {
        if (dlf_role_name_check(who + 5, err) || dlf_role_require(e->state, who + 5, err))
            return -1;
        snprintf(arn, cap, "%s", who);
        return 0;
    }
    if (mc_str_starts_with(who, "role/")) {
        ram_role r;
        if (ram_role_get(e->state, e->account_id, who + 5, &r, err))
            return -1;
        ram_role_clear(&r);
        ram_role_principal(arn, cap, e->account_id, who + 5);
        return 0;
    }
    if (check_user_name(who, err))
        return -1;
    user_arn(arn, cap, e, who);
    return 0;
}

/* The checked arguments of a grant: the privilege, the resource (borrowing
 * catalog, database and table) and the grantee's ARN. */
static int grant_args(emulator *e, const char *user, const char *privilege, const char *catalog, const char *database,
                      const char *table, dlf_privilege *p, dlf_resource *r, char *arn, size_t arn_cap, mc_err *err)
{
    if (dlf_grants_migrate(e->state, err) || grantee_arn(e, user, arn, arn_cap, err))
        return -1;
    if (dlf_privilege_parse(privilege, p))
        return mc_err_set(err, MC_ERR_INVALID, "unknown DLF privilege or permission template '%s'", privilege);
    *r = (dlf_resource){table ? DLF_RES_TABLE : database ? DLF_RES_DATABASE : DLF_RES_CATALOG, catalog, database,
                        table};
    if (!dlf_privilege_valid_for(*p, r->type))
        return mc_err_set(err, MC_ERR_INVALID, "privilege %s does not apply to a %s", dlf_privilege_name(*p),
                          dlf_resource_type_name(r->type));
    return 0;
}

int emulator_dlf_is_template(const char *name)
{
    dlf_template t;
    return dlf_template_parse(name, &t) == 0;
}

int emulator_dlf_grant_template(emulator *e, const char *who, const char *tmpl, const char *catalog,
                                const char *database, const char *table, int revoke, char **text, mc_err *err)
{
    *text = NULL;
    dlf_template t;
    char arn[512], root[128];
    if (dlf_grants_migrate(e->state, err) || grantee_arn(e, who, arn, sizeof arn, err))
        return -1;
    if (dlf_template_parse(tmpl, &t))
        return mc_err_set(err, MC_ERR_INVALID, "unknown DLF permission template '%s'", tmpl);
    dlf_resource r = {table ? DLF_RES_TABLE : database ? DLF_RES_DATABASE : DLF_RES_CATALOG, catalog, database,
                      table};
    emu_arn_root(root, sizeof root, e->account_id);
    mc_buf b = MC_BUF_INIT;
    if (dlf_grant_template(e->state, arn, t, &r, root, revoke != 0, &b, err)) {
        mc_buf_free(&b);
        return -1;
    }
    *text = mc_buf_detach(&b, NULL);
    return 0;
}

int emulator_dlf_role(emulator *e, const char *verb, const char *role, const char *who, char **text, mc_err *err)
{
    *text = NULL;
    if (dlf_grants_migrate(e->state, err))
        return -1;
    mc_buf b = MC_BUF_INIT;
    char arn[512];
    int rc;
    if (!strcmp(verb, "list-roles"))
        rc = dlf_roles_list(e->state, &b, err);
    else if (!strcmp(verb, "create-role"))
        rc = dlf_role_create(e->state, role, err);
    else if (!strcmp(verb, "drop-role"))
        rc = dlf_role_drop(e->state, role, err);
    else if (!strcmp(verb, "add-role-member") || !strcmp(verb, "remove-role-member"))
        /* Members are RAM identities (reference/dlf-permissions.md §3.2-3.3), not DLF roles. */
        rc = mc_str_starts_with(who, "role:")
                 ? mc_err_set(err, MC_ERR_INVALID, "a DLF role cannot be a member of a DLF role (%s)", who)
             : grantee_arn(e, who, arn, sizeof arn, err) ? -1
             : verb[0] == 'a' ? dlf_role_add_member(e->state, role, arn, err)
                              : dlf_role_remove_member(e->state, role, arn, err);
    else
        rc = mc_err_set(err, MC_ERR_INVALID, "unknown DLF role action %s", verb);
    if (rc == 0 && b.len == 0)
        mc_buf_puts(&b, "OK\n");
    if (rc)
        mc_buf_free(&b);
    else
        *text = mc_buf_detach(&b, NULL);
    return rc;
}

int emulator_dlf_grant(emulator *e, const char *user, const char *privilege, const char *catalog,
                       const char *database, const char *table, int revoke, mc_err *err)
{
    /* Initialised for GCC -O3, which cannot see grant_args fill them. */
    dlf_privilege p = DLF_PRIV_ALL;
    dlf_resource r = {0};
    char arn[512], root[128];
    if (grant_args(e, user, privilege, catalog, database, table, &p, &r, arn, sizeof arn, err))
        return -1;
    emu_arn_root(root, sizeof root, e->account_id);
    return revoke ? dlf_revoke(e->state, arn, p, &r, err) : dlf_grant(e->state, arn, p, &r, root, err);
}

int emulator_dlf_grant_held(emulator *e, const char *user, const char *privilege, const char *catalog,
                            const char *database, const char *table, int *held, mc_err *err)
{
    /* Initialised for GCC -O3, which cannot see grant_args fill them. */
    dlf_privilege p = DLF_PRIV_ALL;
    dlf_resource r = {0};
    char arn[512];
    *held = 0;
    if (grant_args(e, user, privilege, catalog, database, table, &p, &r, arn, sizeof arn, err))
        return -1;
    /* The user's grants in dlf_grants_list's line form; the grant itself,
     * not an inherited or implied privilege, is what is asked. */
    mc_buf list = MC_BUF_INIT, line = MC_BUF_INIT;
    int rc = dlf_grants_list(e->state, arn, &list, err);
    mc_buf_printf(&line, "\n%s %s on %s %s", arn, dlf_privilege_name(p), dlf_resource_type_name(r.type), catalog);
    if (database)
        mc_buf_printf(&line, ".%s", database);
    if (table)
        mc_buf_printf(&line, ".%s", table);
    mc_buf_putc(&line, '\n');
    char *all = mc_asprintf("\n%s", mc_buf_cstr(&list));
    *held = rc == 0 && strstr(all, mc_buf_cstr(&line)) != NULL;
    free(all);
    mc_buf_free(&list);
    mc_buf_free(&line);
    return rc;
}

int emulator_dlf_grants(emulator *e, const char *user, char **text, mc_err *err)
{
    *text = NULL;
    char arn[512];
    if (dlf_grants_migrate(e->state, err) || (user && grantee_arn(e, user, arn, sizeof arn, err)))
        return -1;
    mc_buf b = MC_BUF_INIT;
    if (dlf_grants_list(e->state, user ? arn : NULL, &b, err)) {
        mc_buf_free(&b);
        return -1;
    }
    *text = mc_buf_detach(&b, NULL);
    return 0;
}

static void env_record(const emu_env *env, const char *layer, const char *principal, const char *action,
                       const char *resource, bool allowed, const char *reason)
{
    emulator *e = env->emulator;
    pthread_mutex_lock(&e->trace_lock);
    if (e->tracing) {
        e->trace = mc_realloc(e->trace, (e->ntrace + 1) * sizeof *e->trace);
        emulator_decision *d = &e->trace[e->ntrace++];
        memset(d, 0, sizeof *d);
        snprintf(d->layer, sizeof d->layer, "%s", layer);
        snprintf(d->principal, sizeof d->principal, "%s", principal ? principal : "");
        snprintf(d->action, sizeof d->action, "%s", action);
        snprintf(d->resource, sizeof d->resource, "%s", resource);
        d->allowed = allowed;
        snprintf(d->reason, sizeof d->reason, "%s", reason ? reason : "");
    }
    pthread_mutex_unlock(&e->trace_lock);
}

const char *emulator_dlf_rules(void)
{
    return dlf_grants_rules();
}

void emulator_trace(emulator *e, int on)
{
    pthread_mutex_lock(&e->trace_lock);
    if (on) {
        free(e->trace);
        e->trace = NULL;
        e->ntrace = 0;
    }
    e->tracing = on != 0;
    pthread_mutex_unlock(&e->trace_lock);
}

size_t emulator_trace_get(emulator *e, emulator_decision **out)
{
    pthread_mutex_lock(&e->trace_lock);
    size_t n = e->ntrace;
    *out = mc_calloc(n + 1, sizeof **out);
    if (n)
        memcpy(*out, e->trace, n * sizeof **out);
    pthread_mutex_unlock(&e->trace_lock);
    return n;
}

const char *emulator_catalog(const emulator *e)
{
    return e->catalog;
}

int emulator_issue_owner_sts(emulator *e, int64_t ttl_ms, const char *scope_json, emulator_sts *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    emu_cred c;
    if (emu_cred_issue_sts(e->state, e->account_id, e->owner_key.principal, ttl_ms, scope_json, &c, err))
        return -1;
    snprintf(out->id, sizeof out->id, "%s", c.id);
    snprintf(out->secret, sizeof out->secret, "%s", c.secret);
    out->token = c.token;
    c.token = NULL;
    emu_cred_clear(&c);
    return 0;
}

int emulator_write_endpoints_json(const emulator *e, const char *path, mc_err *err)
{
    json_t *root = json_object();
    json_object_set_new(root, "region", json_string(e->region));
    json_object_set_new(root, "account_id", json_string(e->account_id));
    json_object_set_new(root, "access_key_id", json_string(e->owner_key.id));
    json_object_set_new(root, "access_key_secret", json_string(e->owner_key.secret));
    json_t *eps = json_object();
    for (int i = 0; i < e->nservices; i++)
        json_object_set_new(eps, e->services[i].def->name, json_string(e->services[i].url));
    json_object_set_new(root, "endpoints", eps);
    for (int i = 0; i < e->nservices; i++)
        if (e->services[i].def->describe)
            e->services[i].def->describe(e->services[i].ctx, root);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, text);
    mc_buf_putc(&b, '\n');
    free(text);
    int rc = mc_file_write_atomic(path, b.data, b.len, 0600, err);
    mc_buf_free(&b);
    return rc;
}
