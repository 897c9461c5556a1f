/* ram/service: see service.h. Section numbers refer to reference/ram-sts.md. */
#include "ram/service.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "ram/policy.h"
#include "ram/role.h"
#include "server/cred.h"
#include "server/pop_auth.h"
#include "sign_oss.h"
#include "sign_pop.h"
#include "strutil.h"
#include "timeutil.h"

#define RAM_VERSION "2015-05-01"
#define STS_VERSION "2015-04-01"
#define RM_VERSION "2020-03-31" /* ResourceManager (§6 CreateServiceLinkedRole) */
#define MAX_SKEW_MS (15 * 60 * 1000)
#define USER_KEY_LIMIT 2 /* LimitExceeded.User.AccessKey (§6) */
#define LIST_DEFAULT 100
#define LIST_MAX 1000

/* Signature nonces seen within the timestamp window (§5.4 SignatureNonceUsed). */
static const char *const NONCE_MIGRATIONS[] = {
    "CREATE TABLE ram_nonces(access_key_id TEXT NOT NULL, nonce TEXT NOT NULL, seen_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(access_key_id, nonce));"
    "CREATE INDEX ram_nonces_by_time ON ram_nonces(seen_ms);",
};

static const char *const USER_MIGRATIONS[] = {
    "CREATE TABLE ram_users(account_id TEXT NOT NULL, name TEXT NOT NULL, user_id TEXT NOT NULL,"
    "  display_name TEXT NOT NULL, comments TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',"
    "  mobile_phone TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(account_id, name));",
};

/* A 16-digit user id, as real ones look (§1). */
#define SQL_NEW_USER_ID "printf('2%015d', abs(random()) % 1000000000000000)"

typedef struct {
    const emu_env *env;
} ram_ctx;

struct ram_req;

typedef struct {
    const char *action;
    int (*fn)(struct ram_req *x);
} ram_action;

/* The products this endpoint serves, told apart by the request's version. */
typedef struct {
    const char *version;
    const char *host_id;   /* HostId of error envelopes (§5.4) */
    const char *name;      /* product in the Recommend link */
    const ram_action *actions;
} ram_product;

typedef struct ram_req {
    ram_ctx *c;
    emu_request *r;
    emu_state *s;
    mc_query params; /* query string and form body together */
    mc_buf body;
    const char *action;
    const ram_product *product;
    emu_cred cred;
    char root_arn[128];
} ram_req;

typedef struct {
    char name[65];
    char user_id[24];
    char display_name[129];
    char comments[129];
    char email[129];
    char mobile_phone[32];
    int64_t created_ms;
    int64_t updated_ms;
} ram_user;

/* ---- responses (one renderer for the POP envelope, §5.4) ------------------------ */

static void send_json(ram_req *x, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    emu_resp_send(x->r, status, "application/json;charset=utf-8", s, strlen(s));
    free(s);
    json_decref(j);
}

/* A success body: RequestId first, the handler adds the rest (§5.5: no Code). */
static json_t *ok_body(ram_req *x)
{
    json_t *o = json_object();
    json_object_set_new(o, "RequestId", json_string(emu_req_id(x->r)));
    return o;
}

static int send_envelope(emu_request *r, const ram_product *p, int status, const char *code, const char *message,
                         json_t *detail)
{
    json_t *o = json_object();
    json_object_set_new(o, "RequestId", json_string(emu_req_id(r)));
    json_object_set_new(o, "HostId", json_string(p ? p->host_id : "ram.aliyuncs.com"));
    json_object_set_new(o, "Code", json_string(code));
    json_object_set_new(o, "Message", json_string(message));
    char *rec = mc_asprintf("https://api.aliyun.com/troubleshoot?q=%s&product=%s&requestId=%s", code,
                            p ? p->name : "Ram", emu_req_id(r));
    json_object_set_new(o, "Recommend", json_string(rec));
    free(rec);
    if (detail)
        json_object_set_new(o, "AccessDeniedDetail", detail);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    emu_resp_send(r, status, "application/json;charset=utf-8", s, strlen(s));
    free(s);
    json_decref(o);
    return -1;
}

static int __attribute__((format(printf, 4, 5))) ram_error(ram_req *x, int status, const char *code, const char *fmt,
                                                           ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return send_envelope(x->r, x->product, status, code, msg, NULL);
}

/* An mc_err in RAM's words: the policy store's errors carry RAM's code and status. */
static int from_err(ram_req *x, const mc_err *err)
{
    if (err->remote_code[0] && err->http_status)
        return ram_error(x, err->http_status, err->remote_code, "%s", err->msg);
    switch (err->code) {
    case MC_ERR_INVALID:
        return ram_error(x, 400, "InvalidParameter", "%s", err->msg);
    case MC_ERR_NOT_FOUND:
        return ram_error(x, 404, "EntityNotExist", "%s", err->msg);
    case MC_ERR_EXISTS:
        return ram_error(x, 409, "EntityAlreadyExists", "%s", err->msg);
    default:
        MC_LOGE("ram: %s", err->msg);
        return ram_error(x, 500, "InternalError", "The request processing has failed due to some unknown error.");
    }
}

static void ram_send_error(void *ctx, emu_request *r, int status, const char *code, const char *message)
{
    (void)ctx;
    send_envelope(r, NULL, status, code, message, NULL);
}

static void iso_date(char out[32], int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void set_date(json_t *o, const char *key, int64_t ms)
{
    char d[32];
    iso_date(d, ms);
    json_object_set_new(o, key, json_string(d));
}

/* ---- parameters ------------------------------------------------------------------ */

/* A parameter's value; "" counts as absent, as the gateway treats it. */
static const char *param(const ram_req *x, const char *name)
{
    const char *v = mc_query_get(&x->params, name);
    return v && *v ? v : NULL;
}

static int require(ram_req *x, const char *name, const char **out)
{
    *out = param(x, name);
    if (*out)
        return 0;
    return ram_error(x, 400, "MissingParameter",
                     "The input parameter \"%s\" that is mandatory for processing this request is not supplied.",
                     name);
}

/* mc_query_parse decodes '+' as a space: right for form bodies, and what
 * encodeURIComponent-style query strings never contain unencoded. */
static int append_params(mc_query *to, const char *qs)
{
    mc_query q;
    if (mc_query_parse(&q, qs))
        return -1;
    if (q.count) {
        to->items = mc_realloc(to->items, (to->count + q.count) * sizeof *to->items);
        memcpy(to->items + to->count, q.items, q.count * sizeof *q.items);
        to->count += q.count;
    }
    free(q.items);
    return 0;
}

/* ---- authentication (§5.2, §5.3: server/pop_auth) ----------------------------------- */

static int pop_fault(ram_req *x, const emu_pop_fault *f)
{
    return ram_error(x, f->status, f->code, "%s", f->message);
}

/* Replay protection (§5.3 SignatureNonce "unique", §5.4 SignatureNonceUsed):
 * a nonce is accepted once per AccessKey. A request is only accepted within
 * MAX_SKEW_MS of its timestamp, so a nonce older than twice that can be
 * forgotten: its request could not be replayed any more. Checked after the
 * signature, so unsigned requests cannot use up nonces. */
static int check_nonce(ram_req *x, const char *nonce, const char *param_name)
{
    if (!nonce || !*nonce)
        return ram_error(x, 400, "MissingParameter",
                         "The input parameter \"%s\" that is mandatory for processing this request is not supplied.",
                         param_name);
    mc_err err;
    sqlite3_stmt *st;
    int64_t now = mc_now_ms();
    int changed = 0;
    emu_state_lock(x->s);
    int rc = emu_state_prepare(x->s, &st, "DELETE FROM ram_nonces WHERE seen_ms < ?", &err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, now - 2 * MAX_SKEW_MS);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(x->s, &err, "ram nonces");
        sqlite3_finalize(st);
    }
    if (rc == 0 &&
        (rc = emu_state_prepare(x->s, &st,
                                "INSERT OR IGNORE INTO ram_nonces(access_key_id, nonce, seen_ms) VALUES (?, ?, ?)",
                                &err)) == 0) {
        sqlite3_bind_text(st, 1, x->cred.id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, nonce, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(x->s, &err, "ram nonces");
        changed = sqlite3_changes(emu_state_db(x->s));
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    if (rc)
        return from_err(x, &err);
    if (!changed)
        return ram_error(x, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    return 0;
}

static int auth_v3(ram_req *x, const char *authz)
{
    emu_pop_fault f;
    if (emu_pop_v3_authenticate(x->s, x->r, authz, &x->body, &x->cred, &f))
        return pop_fault(x, &f);
    return check_nonce(x, emu_req_header(x->r, "x-acs-signature-nonce"), "x-acs-signature-nonce");
}

static int auth_rpc(ram_req *x)
{
    const char *ak = param(x, "AccessKeyId"), *sig = param(x, "Signature");
    if (!ak)
        return require(x, "AccessKeyId", &ak);
    if (!sig)
        return require(x, "Signature", &sig);
    const char *method = param(x, "SignatureMethod");
    if (method && strcmp(method, "HMAC-SHA1") != 0)
        return ram_error(x, 400, "InvalidSignatureMethod", "Specified signature method is not valid.");
    emu_pop_fault f;
    if (emu_pop_check_time(param(x, "Timestamp"), &f) ||
        emu_pop_load_cred(x->s, ak, param(x, "SecurityToken"), &x->cred, &f))
        return pop_fault(x, &f);
    mc_buf sts = MC_BUF_INIT, want = MC_BUF_INIT;
    sign_pop_rpc_string_to_sign(&sts, emu_req_method(x->r), &x->params);
    sign_pop_rpc_signature(&want, x->cred.secret, sts.data);
    int rc = sign_equal(want.data, sig) ? 0
                                        : ram_error(x, 400, "SignatureDoesNotMatch",
                                                    "Specified signature is not matched with our calculation. "
                                                    "server string to sign is:%s",
                                                    sts.data);
    if (rc == 0)
        rc = check_nonce(x, param(x, "SignatureNonce"), "SignatureNonce");
    mc_buf_free(&sts);
    mc_buf_free(&want);
    return rc;
}

static int authenticate(ram_req *x)
{
    const char *authz = emu_req_header(x->r, "Authorization");
    int rc = authz ? auth_v3(x, authz) : auth_rpc(x);
    if (rc == 0)
        emu_arn_root(x->root_arn, sizeof x->root_arn, x->cred.account_id);
    return rc;
}

/* ---- authorisation ------------------------------------------------------------------ */

static bool is_root(const ram_req *x)
{
    return !strcmp(x->cred.principal, x->root_arn);
}

/* The user name of a RAM user principal, or NULL. */
static const char *principal_user(const ram_req *x)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "acs:ram::%s:user/", x->cred.account_id);
    return mc_str_starts_with(x->cred.principal, prefix) ? x->cred.principal + strlen(prefix) : NULL;
}

/* AccessDeniedDetail as recent gateway responses carry it (§6 NoPermission;
 * field names from observed responses, not from the reference). */
static json_t *denied_detail(const ram_req *x, const char *action, bool explicit_deny)
{
    json_t *d = json_object();
    const char *user = principal_user(x);
    json_object_set_new(d, "PolicyType", json_string("AccountLevelIdentityBasedPolicy"));
    json_object_set_new(d, "AuthPrincipalOwnerId", json_string(x->cred.account_id));
    json_object_set_new(d, "AuthPrincipalType",
                        json_string(user ? "SubUser" : strstr(x->cred.principal, ":role/") ? "AssumedRoleUser"
                                                                                           : "Account"));
    json_object_set_new(d, "AuthPrincipalDisplayName", json_string(user ? user : x->cred.principal));
    json_object_set_new(d, "NoPermissionType", json_string(explicit_deny ? "ExplicitDeny" : "ImplicitDeny"));
    json_object_set_new(d, "AuthAction", json_string(action));
    return d;
}

/* The decision for action on resource, with the request's context plus one
 * optional key/value; STS session credentials act with their session policy
 * (ram_authorize_session). Records the decision for `mcdlf why`. -1 after
 * answering when the decision itself failed. */
static int decide(ram_req *x, const char *action, const char *resource, const char *key, const char *value,
                  ram_decision *d)
{
    mc_err err;
    const char *ctx[] = {"acs:SourceIp",        emu_req_remote_addr(x->r),
                         "acs:SecureTransport", emu_req_secure(x->r) ? "true" : "false",
                         key, value, NULL};
    if (x->cred.scope) {
        /* Scoped STS credentials are table data tokens: they reach OSS data only. */
        memset(d, 0, sizeof *d);
        snprintf(d->reason, sizeof d->reason, "scoped data-token credentials do not reach the RAM API");
    } else if (ram_authorize_session(x->s, x->cred.principal, x->cred.session_policy, action, resource, ctx, d,
                                     &err)) {
        return from_err(x, &err);
    }
    if (x->c->env->record)
        x->c->env->record(x->c->env, "RAM", x->cred.principal, action, resource, d->allowed, d->reason);
    return 0;
}

/* action on resource or NoPermission (§6: the message names both). */
static int authorize_as(ram_req *x, const char *action, const char *resource, const char *key, const char *value)
{
    ram_decision d;
    if (decide(x, action, resource, key, value, &d))
        return -1;
    if (d.allowed)
        return 0;
    char msg[768];
    snprintf(msg, sizeof msg, "You are not authorized to do this action. Resource: %s Action: %s", resource, action);
    return send_envelope(x->r, x->product, 403, "NoPermission", msg, denied_detail(x, action, d.explicit_deny));
}

/* The one check every RAM handler makes: ram:<Action> on resource. */
static int authorize(ram_req *x, const char *resource)
{
    char action[96];
    snprintf(action, sizeof action, "ram:%s", x->action);
    return authorize_as(x, action, resource, NULL, NULL);
}

static void resource_arn(char *out, size_t cap, const ram_req *x, const char *kind, const char *name)
{
    snprintf(out, cap, "acs:ram:*:%s:%s/%s", x->cred.account_id, kind, name ? name : "*");
}

/* The entity an action names: the required parameter param_name, authorised
 * as ram:<Action> on acs:ram:*:<uid>:<kind>/<name>. */
static int named(ram_req *x, const char *param_name, const char *kind, const char **name)
{
    char res[256];
    if (require(x, param_name, name))
        return -1;
    resource_arn(res, sizeof res, x, kind, *name);
    return authorize(x, res);
}

/* ---- users ---------------------------------------------------------------------------- */

static void user_arn(char *out, size_t cap, const ram_req *x, const char *name)
{
    snprintf(out, cap, "acs:ram::%s:user/%s", x->cred.account_id, name);
}

/* Adopts users that only have AccessKeys (made by `mcdlf admin ram create-user`)
 * into ram_users, named after their principal ARN and dated by their first key.
 * Caller holds the lock. */
static int adopt_key_users(ram_req *x, mc_err *err)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "acs:ram::%s:user/", x->cred.account_id);
    sqlite3_stmt *st;
    if (emu_state_prepare(x->s, &st,
                          "INSERT OR IGNORE INTO ram_users(account_id, name, user_id, display_name, created_ms,"
                          " updated_ms) SELECT ?1, substr(principal, length(?2) + 1), " SQL_NEW_USER_ID
                          ", substr(principal, length(?2) + 1), MIN(created_ms), MIN(created_ms)"
                          " FROM access_keys WHERE account_id = ?1 AND substr(principal, 1, length(?2)) = ?2"
                          " AND instr(substr(principal, length(?2) + 1), '/') = 0 GROUP BY principal",
                          err))
        return -1;
    sqlite3_bind_text(st, 1, x->cred.account_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(x->s, err, "ram users");
    sqlite3_finalize(st);
    return rc;
}

static void col(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

#define USER_COLUMNS "name, user_id, display_name, comments, email, mobile_phone, created_ms, updated_ms"

static void user_row(ram_user *u, sqlite3_stmt *st)
{
    col(u->name, sizeof u->name, st, 0);
    col(u->user_id, sizeof u->user_id, st, 1);
    col(u->display_name, sizeof u->display_name, st, 2);
    col(u->comments, sizeof u->comments, st, 3);
    col(u->email, sizeof u->email, st, 4);
    col(u->mobile_phone, sizeof u->mobile_phone, st, 5);
    u->created_ms = sqlite3_column_int64(st, 6);
    u->updated_ms = sqlite3_column_int64(st, 7);
}

static int no_such_user(mc_err *err)
{
    mc_err_set(err, MC_ERR_NOT_FOUND, "The user does not exist.");
    err->http_status = 404;
    snprintf(err->remote_code, sizeof err->remote_code, "EntityNotExist.User");
    return -1;
}

/* The user named name, whether created through the API or only holding keys. */
static int user_get(ram_req *x, const char *name, ram_user *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    emu_state_lock(x->s);
    int rc = adopt_key_users(x, err);
    if (rc == 0 && (rc = emu_state_prepare(x->s, &st,
                                           "SELECT " USER_COLUMNS " FROM ram_users WHERE account_id = ? AND name = ?",
                                           err)) == 0) {
        sqlite3_bind_text(st, 1, x->cred.account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            user_row(out, st);
        else
            rc = step == SQLITE_DONE ? no_such_user(err) : emu_state_err(x->s, err, "ram users");
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    return rc;
}

static json_t *user_json(const ram_user *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "UserId", json_string(u->user_id));
    json_object_set_new(o, "UserName", json_string(u->name));
    json_object_set_new(o, "DisplayName", json_string(u->display_name));
    json_object_set_new(o, "MobilePhone", json_string(u->mobile_phone));
    json_object_set_new(o, "Email", json_string(u->email));
    json_object_set_new(o, "Comments", json_string(u->comments));
    set_date(o, "CreateDate", u->created_ms);
    set_date(o, "UpdateDate", u->updated_ms);
    return o;
}

/* §6 CreateUser limits and the codes RAMDOCS lists for them. */
static int check_user_params(ram_req *x, const char *name, const char *display, const char *comments)
{
    size_t n = strlen(name);
    if (n > 64)
        return ram_error(x, 400, "InvalidParameter.UserName.Length",
                         "The parameter - \"UserName\" beyond the length limit.");
    for (const char *p = name; *p; p++)
        if (!(((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
              *p == '_'))
            return ram_error(x, 400, "InvalidParameter.UserName.InvalidChars",
                             "The parameter - \"UserName\" contains invalid chars.");
    if (display && strlen(display) > 128)
        return ram_error(x, 400, "InvalidParameter.DisplayName.Length",
                         "The parameter - \"DisplayName\" beyond the length limit.");
    if (comments && strlen(comments) > 128)
        return ram_error(x, 400, "InvalidParameter.Comments.Length",
                         "The parameter - \"Comments\" beyond the length limit.");
    return 0;
}

static int h_create_user(ram_req *x)
{
    const char *name;
    char res[256];
    if (require(x, "UserName", &name))
        return -1;
    resource_arn(res, sizeof res, x, "user", NULL);
    const char *display = param(x, "DisplayName"), *comments = param(x, "Comments");
    const char *email = param(x, "Email"), *mobile = param(x, "MobilePhone");
    if (authorize(x, res) || check_user_params(x, name, display, comments))
        return -1;
    mc_err err;
    sqlite3_stmt *st;
    int64_t now = mc_now_ms();
    emu_state_lock(x->s);
    int rc = adopt_key_users(x, &err);
    int step = SQLITE_ERROR;
    if (rc == 0 && (rc = emu_state_prepare(x->s, &st,
                                           "INSERT INTO ram_users(account_id, name, user_id, display_name, comments,"
                                           " email, mobile_phone, created_ms, updated_ms) VALUES (?, ?, " SQL_NEW_USER_ID
                                           ", ?, ?, ?, ?, ?, ?)",
                                           &err)) == 0) {
        sqlite3_bind_text(st, 1, x->cred.account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, display ? display : name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, comments ? comments : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, email ? email : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, mobile ? mobile : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, now);
        sqlite3_bind_int64(st, 8, now);
        step = sqlite3_step(st);
        if (step != SQLITE_DONE && step != SQLITE_CONSTRAINT)
            rc = emu_state_err(x->s, &err, "ram users");
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    if (rc)
        return from_err(x, &err);
    if (step == SQLITE_CONSTRAINT)
        return ram_error(x, 409, "EntityAlreadyExists.User", "The user does already EXIST.");
    ram_user u;
    if (user_get(x, name, &u, &err))
        return from_err(x, &err);
    json_t *o = ok_body(x);
    json_object_set_new(o, "User", user_json(&u));
    send_json(x, 200, o);
    return 0;
}

static int h_get_user(ram_req *x)
{
    const char *name;
    if (named(x, "UserName", "user", &name))
        return -1;
    ram_user u;
    mc_err err;
    if (user_get(x, name, &u, &err))
        return from_err(x, &err);
    json_t *o = ok_body(x);
    json_object_set_new(o, "User", user_json(&u));
    send_json(x, 200, o);
    return 0;
}

/* MaxItems 1-1000 (default 100); Marker: the name to continue from, as returned. */
static int h_list_users(ram_req *x)
{
    char res[256];
    resource_arn(res, sizeof res, x, "user", NULL);
    if (authorize(x, res))
        return -1;
    long long max = LIST_DEFAULT;
    const char *m = param(x, "MaxItems"), *marker = param(x, "Marker");
    if (m && (mc_parse_i64(m, &max) || max < 1 || max > LIST_MAX))
        return ram_error(x, 400, "InvalidParameter.MaxItems", "The parameter - \"MaxItems\" is invalid.");
    mc_err err;
    sqlite3_stmt *st;
    json_t *list = json_array();
    char next[65] = "";
    emu_state_lock(x->s);
    int rc = adopt_key_users(x, &err);
    if (rc == 0 && (rc = emu_state_prepare(x->s, &st,
                                           "SELECT " USER_COLUMNS " FROM ram_users WHERE account_id = ? AND name >= ?"
                                           " ORDER BY name LIMIT ?",
                                           &err)) == 0) {
        sqlite3_bind_text(st, 1, x->cred.account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, marker ? marker : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, max + 1);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            ram_user u;
            user_row(&u, st);
            if ((long long)json_array_size(list) == max) {
                snprintf(next, sizeof next, "%s", u.name);
                break;
            }
            json_array_append_new(list, user_json(&u));
        }
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            rc = emu_state_err(x->s, &err, "ram users");
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    if (rc) {
        json_decref(list);
        return from_err(x, &err);
    }
    json_t *o = ok_body(x);
    json_object_set_new(o, "IsTruncated", json_boolean(next[0] != '\0'));
    if (next[0])
        json_object_set_new(o, "Marker", json_string(next));
    json_t *users = json_object();
    json_object_set_new(users, "User", list);
    json_object_set_new(o, "Users", users);
    send_json(x, 200, o);
    return 0;
}

/* Number of AccessKeys (active or not) of principal. */
static int key_count(ram_req *x, const char *principal, long long *n, mc_err *err)
{
    sqlite3_stmt *st;
    *n = 0;
    emu_state_lock(x->s);
    int rc = emu_state_prepare(x->s, &st, "SELECT count(*) FROM access_keys WHERE account_id = ? AND principal = ?",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, x->cred.account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, principal, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            *n = sqlite3_column_int64(st, 0);
        else
            rc = emu_state_err(x->s, err, "access keys");
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    return rc;
}

static int h_delete_user(ram_req *x)
{
    const char *name;
    char res[256], arn[256];
    if (require(x, "UserName", &name))
        return -1;
    resource_arn(res, sizeof res, x, "user", name);
    if (authorize(x, res))
        return -1;
    ram_user u;
    mc_err err;
    if (user_get(x, name, &u, &err))
        return from_err(x, &err);
    user_arn(arn, sizeof arn, x, name);
    long long keys;
    char *policies;
    if (key_count(x, arn, &keys, &err) || ram_policy_list_for(x->s, arn, &policies, &err))
        return from_err(x, &err);
    bool attached = policies[0] != '\0';
    free(policies);
    if (keys)
        return ram_error(x, 409, "DeleteConflict.User.AccessKey",
                         "The user has AccessKey(s) and can not be deleted: delete them first.");
    if (attached)
        return ram_error(x, 409, "DeleteConflict.User.Policy",
                         "The user has attached policies and can not be deleted: detach them first.");
    sqlite3_stmt *st;
    emu_state_lock(x->s);
    int rc = emu_state_prepare(x->s, &st, "DELETE FROM ram_users WHERE account_id = ? AND name = ?", &err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, x->cred.account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = emu_state_err(x->s, &err, "ram users");
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    if (rc)
        return from_err(x, &err);
    send_json(x, 200, ok_body(x));
    return 0;
}

/* ---- access keys -------------------------------------------------------------------- */

/* The principal whose keys an action concerns: UserName's, else the caller's own
 * (§6: absent UserName = the caller). name gets the user name or "" for the root. */
static int key_owner(ram_req *x, char *arn, size_t cap, char *res, size_t rcap)
{
    const char *name = param(x, "UserName");
    if (!name)
        name = principal_user(x);
    if (!name && !is_root(x))
        return require(x, "UserName", &name);
    if (name) {
        ram_user u;
        mc_err err;
        resource_arn(res, rcap, x, "user", name);
        if (authorize(x, res))
            return -1;
        if (user_get(x, name, &u, &err))
            return from_err(x, &err);
        user_arn(arn, cap, x, name);
    } else {
        snprintf(res, rcap, "acs:ram:*:%s:root", x->cred.account_id);
        snprintf(arn, cap, "%s", x->root_arn);
    }
    return 0;
}

static int h_create_access_key(ram_req *x)
{
    char arn[256], res[256];
    if (key_owner(x, arn, sizeof arn, res, sizeof res))
        return -1;
    long long n;
    mc_err err;
    if (key_count(x, arn, &n, &err))
        return from_err(x, &err);
    if (n >= USER_KEY_LIMIT && strcmp(arn, x->root_arn) != 0)
        return ram_error(x, 409, "LimitExceeded.User.AccessKey",
                         "The count of AccessKeys of the user exceeds the limit of %d.", USER_KEY_LIMIT);
    emu_cred k;
    if (emu_cred_create_key(x->s, x->cred.account_id, arn, &k, &err))
        return from_err(x, &err);
    json_t *o = ok_body(x), *key = json_object();
    json_object_set_new(key, "AccessKeyId", json_string(k.id));
    json_object_set_new(key, "AccessKeySecret", json_string(k.secret));
    json_object_set_new(key, "Status", json_string("Active"));
    set_date(key, "CreateDate", mc_now_ms());
    json_object_set_new(o, "AccessKey", key);
    emu_cred_clear(&k);
    send_json(x, 200, o);
    return 0;
}

static int h_list_access_keys(ram_req *x)
{
    char arn[256], res[256];
    if (key_owner(x, arn, sizeof arn, res, sizeof res))
        return -1;
    mc_err err;
    sqlite3_stmt *st;
    json_t *list = json_array();
    emu_state_lock(x->s);
    int rc = emu_state_prepare(x->s, &st,
                               "SELECT id, status, created_ms FROM access_keys WHERE account_id = ? AND principal = ?"
                               " ORDER BY created_ms, id",
                               &err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, x->cred.account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, arn, -1, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *k = json_object();
            json_object_set_new(k, "AccessKeyId", json_string((const char *)sqlite3_column_text(st, 0)));
            json_object_set_new(k, "Status", json_string((const char *)sqlite3_column_text(st, 1)));
            set_date(k, "CreateDate", sqlite3_column_int64(st, 2));
            json_array_append_new(list, k);
        }
        if (step != SQLITE_DONE)
            rc = emu_state_err(x->s, &err, "access keys");
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    if (rc) {
        json_decref(list);
        return from_err(x, &err);
    }
    json_t *o = ok_body(x), *keys = json_object();
    json_object_set_new(keys, "AccessKey", list);
    json_object_set_new(o, "AccessKeys", keys);
    send_json(x, 200, o);
    return 0;
}

/* ---- policies ---------------------------------------------------------------------------- */

/* System policies have no stored date; RAM shows their publication date. */
#define SYSTEM_POLICY_DATE_MS 1420070400000LL /* 2015-01-01T00:00:00Z */

typedef struct {
    char description[1025];
    char default_version[16];
    int64_t created_ms;
    long long attachments;
} policy_meta;

/* Description, version, date and attachment count of a policy. Reads the
 * policy module's tables, which policy.h has no accessor for (read only). */
static int policy_meta_get(ram_req *x, const char *name, const char *type, policy_meta *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->default_version, sizeof out->default_version, "v1");
    out->created_ms = SYSTEM_POLICY_DATE_MS;
    sqlite3_stmt *st;
    emu_state_lock(x->s);
    int rc = emu_state_prepare(x->s, &st,
                               "SELECT p.description, p.default_version, p.created_ms,"
                               " (SELECT count(*) FROM ram_policy_attachments a WHERE a.policy_name = ?1"
                               "  AND a.policy_type = ?2) FROM (SELECT 1) LEFT JOIN ram_policies p"
                               " ON ?2 = 'Custom' AND p.name = ?1",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
                col(out->description, sizeof out->description, st, 0);
                col(out->default_version, sizeof out->default_version, st, 1);
                out->created_ms = sqlite3_column_int64(st, 2);
            }
            out->attachments = sqlite3_column_int64(st, 3);
        } else {
            rc = emu_state_err(x->s, err, "ram policies");
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    return rc;
}

static json_t *policy_json(const char *name, const char *type, const policy_meta *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "PolicyName", json_string(name));
    json_object_set_new(o, "PolicyType", json_string(type));
    json_object_set_new(o, "Description", json_string(m->description));
    json_object_set_new(o, "DefaultVersion", json_string(m->default_version));
    set_date(o, "CreateDate", m->created_ms);
    set_date(o, "UpdateDate", m->created_ms);
    return o;
}

static int h_create_policy(ram_req *x)
{
    const char *name, *doc;
    char res[256];
    if (require(x, "PolicyName", &name) || require(x, "PolicyDocument", &doc))
        return -1;
    resource_arn(res, sizeof res, x, "policy", NULL);
    if (authorize(x, res))
        return -1;
    const char *desc = param(x, "Description");
    mc_err err;
    policy_meta m;
    if (ram_policy_create(x->s, name, doc, desc ? desc : "", &err) || policy_meta_get(x, name, "Custom", &m, &err))
        return from_err(x, &err);
    json_t *o = ok_body(x);
    json_object_set_new(o, "Policy", policy_json(name, "Custom", &m));
    send_json(x, 200, o);
    return 0;
}

static int h_get_policy(ram_req *x)
{
    const char *name, *type;
    if (named(x, "PolicyName", "policy", &name) || require(x, "PolicyType", &type))
        return -1;
    mc_err err;
    char *doc;
    policy_meta m;
    if (ram_policy_get(x->s, name, type, &doc, &err))
        return from_err(x, &err);
    if (policy_meta_get(x, name, type, &m, &err)) {
        free(doc);
        return from_err(x, &err);
    }
    json_t *o = ok_body(x), *p = policy_json(name, type, &m), *v = json_object();
    json_object_set_new(p, "PolicyDocument", json_string(doc));
    json_object_set_new(p, "AttachmentCount", json_integer(m.attachments));
    json_object_set_new(o, "Policy", p);
    json_object_set_new(v, "VersionId", json_string(m.default_version));
    json_object_set_new(v, "IsDefaultVersion", json_true());
    json_object_set_new(v, "PolicyDocument", json_string(doc));
    set_date(v, "CreateDate", m.created_ms);
    json_object_set_new(o, "DefaultPolicyVersion", v);
    free(doc);
    send_json(x, 200, o);
    return 0;
}

static int h_delete_policy(ram_req *x)
{
    const char *name;
    if (named(x, "PolicyName", "policy", &name))
        return -1;
    mc_err err;
    if (ram_policy_delete(x->s, name, &err))
        return from_err(x, &err);
    send_json(x, 200, ok_body(x));
    return 0;
}

/* The principal key a policy action concerns: the user's ARN, or the role's
 * attachment key (ram_role_principal), after checking it exists. */
static int target_key(ram_req *x, bool role, const char *name, char *key, size_t cap)
{
    mc_err err;
    if (role) {
        ram_role r;
        if (ram_role_get(x->s, x->cred.account_id, name, &r, &err))
            return from_err(x, &err);
        ram_role_principal(key, cap, x->cred.account_id, r.name);
        ram_role_clear(&r);
        return 0;
    }
    ram_user u;
    if (user_get(x, name, &u, &err))
        return from_err(x, &err);
    user_arn(key, cap, x, name);
    return 0;
}

/* AttachPolicyTo{User,Role} / DetachPolicyFrom{User,Role}: both the policy and
 * the user or role are resources of the action. */
static int attach_detach(ram_req *x, bool attach, bool role)
{
    const char *type, *name, *who;
    char pres[256], wres[256], key[256];
    if (require(x, "PolicyType", &type) || require(x, "PolicyName", &name) ||
        require(x, role ? "RoleName" : "UserName", &who))
        return -1;
    resource_arn(pres, sizeof pres, x, "policy", name);
    resource_arn(wres, sizeof wres, x, role ? "role" : "user", who);
    if (authorize(x, pres) || authorize(x, wres) || target_key(x, role, who, key, sizeof key))
        return -1;
    mc_err err;
    if (attach ? ram_policy_attach(x->s, key, name, type, &err) : ram_policy_detach(x->s, key, name, type, &err))
        return from_err(x, &err);
    send_json(x, 200, ok_body(x));
    return 0;
}

static int h_attach_policy_to_user(ram_req *x)
{
    return attach_detach(x, true, false);
}

static int h_detach_policy_from_user(ram_req *x)
{
    return attach_detach(x, false, false);
}

static int h_attach_policy_to_role(ram_req *x)
{
    return attach_detach(x, true, true);
}

static int h_detach_policy_from_role(ram_req *x)
{
    return attach_detach(x, false, true);
}

/* ListPoliciesFor{User,Role}. */
static int list_policies_for(ram_req *x, bool role)
{
    const char *who;
    char key[256];
    if (named(x, role ? "RoleName" : "UserName", role ? "role" : "user", &who) ||
        target_key(x, role, who, key, sizeof key))
        return -1;
    /* Attach dates are the policy module's; read them beside ram_policy_list_for's order. */
    mc_err err;
    sqlite3_stmt *st;
    json_t *list = json_array();
    emu_state_lock(x->s);
    int rc = emu_state_prepare(x->s, &st,
                               "SELECT a.policy_name, a.policy_type, a.attached_ms, p.description, p.default_version"
                               " FROM ram_policy_attachments a LEFT JOIN ram_policies p ON a.policy_type = 'Custom'"
                               " AND p.name = a.policy_name WHERE a.principal = ? ORDER BY a.attached_ms, a.rowid",
                               &err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *p = json_object();
            const unsigned char *desc = sqlite3_column_text(st, 3), *ver = sqlite3_column_text(st, 4);
            json_object_set_new(p, "PolicyName", json_string((const char *)sqlite3_column_text(st, 0)));
            json_object_set_new(p, "PolicyType", json_string((const char *)sqlite3_column_text(st, 1)));
            json_object_set_new(p, "Description", json_string(desc ? (const char *)desc : ""));
            json_object_set_new(p, "DefaultVersion", json_string(ver ? (const char *)ver : "v1"));
            set_date(p, "AttachDate", sqlite3_column_int64(st, 2));
            json_array_append_new(list, p);
        }
        if (step != SQLITE_DONE)
            rc = emu_state_err(x->s, &err, "ram policies");
        sqlite3_finalize(st);
    }
    emu_state_unlock(x->s);
    if (rc) {
        json_decref(list);
        return from_err(x, &err);
    }
    json_t *o = ok_body(x), *pol = json_object();
    json_object_set_new(pol, "Policy", list);
    json_object_set_new(o, "Policies", pol);
    send_json(x, 200, o);
    return 0;
}

static int h_list_policies_for_user(ram_req *x)
{
    return list_policies_for(x, false);
}

static int h_list_policies_for_role(ram_req *x)
{
    return list_policies_for(x, true);
}

/* ---- roles (ram/role) ------------------------------------------------------------------ */

/* §6 GetRole / CreateRole body; ResourceManager adds the service-linked fields. */
static json_t *role_json(const ram_role *r, const char *rm_account)
{
    json_t *o = json_object();
    json_object_set_new(o, "RoleId", json_string(r->role_id));
    json_object_set_new(o, "RoleName", json_string(r->name));
    json_object_set_new(o, "Arn", json_string(r->arn));
    json_object_set_new(o, "Description", json_string(r->description));
    json_object_set_new(o, "AssumeRolePolicyDocument", json_string(r->trust_policy ? r->trust_policy : ""));
    set_date(o, "CreateDate", r->created_ms);
    set_date(o, "UpdateDate", r->updated_ms);
    json_object_set_new(o, "MaxSessionDuration", json_integer(r->max_session_s));
    if (rm_account) {
        /* RolePrincipalName as in the CreateRole sample (ECSAdmin@role.123456.onaliyunservice.com,
         * https://www.alibabacloud.com/help/en/resource-management/api-createrole). */
        char *principal = mc_asprintf("%s@role.%s.onaliyunservice.com", r->name, rm_account);
        json_object_set_new(o, "IsServiceLinkedRole", json_boolean(r->service[0] != '\0'));
        json_object_set_new(o, "RolePrincipalName", json_string(principal));
        free(principal);
    }
    return o;
}

/* Answers {"RequestId","Role"} and clears r; resource_manager adds its fields. */
static int send_role(ram_req *x, ram_role *r, bool resource_manager)
{
    json_t *o = ok_body(x);
    json_object_set_new(o, "Role", role_json(r, resource_manager ? x->cred.account_id : NULL));
    ram_role_clear(r);
    send_json(x, 200, o);
    return 0;
}

static int h_create_role(ram_req *x)
{
    const char *name, *trust;
    if (named(x, "RoleName", "role", &name) || require(x, "AssumeRolePolicyDocument", &trust))
        return -1;
    const char *m = param(x, "MaxSessionDuration");
    long long max = 0;
    if (m && mc_parse_i64(m, &max))
        return ram_error(x, 400, "InvalidParameter.MaxSessionDuration",
                         "The parameter - \"MaxSessionDuration\" must be between %d and %d seconds.",
                         RAM_ROLE_SESSION_DEFAULT_S, RAM_ROLE_SESSION_MAX_S);
    ram_role r;
    mc_err err;
    if (ram_role_create(x->s, x->cred.account_id, name, trust, param(x, "Description"), max, &r, &err))
        return from_err(x, &err);
    return send_role(x, &r, false);
}

static int h_get_role(ram_req *x)
{
    const char *name;
    if (named(x, "RoleName", "role", &name))
        return -1;
    ram_role r;
    mc_err err;
    if (ram_role_get(x->s, x->cred.account_id, name, &r, &err))
        return from_err(x, &err);
    return send_role(x, &r, false);
}

static int h_delete_role(ram_req *x)
{
    const char *name;
    if (named(x, "RoleName", "role", &name))
        return -1;
    mc_err err;
    if (ram_role_delete(x->s, x->cred.account_id, name, false, &err))
        return from_err(x, &err);
    send_json(x, 200, ok_body(x));
    return 0;
}

/* ---- ResourceManager (§6 CreateServiceLinkedRole) ------------------------------------------ */

/* ram:CreateServiceLinkedRole with the condition key ram:ServiceName (§2, §6). */
static int h_create_service_linked_role(ram_req *x)
{
    const char *service;
    char res[256];
    if (require(x, "ServiceName", &service))
        return -1;
    resource_arn(res, sizeof res, x, "role", NULL);
    if (authorize_as(x, "ram:CreateServiceLinkedRole", res, "ram:ServiceName", service))
        return -1;
    if (param(x, "CustomSuffix"))
        return ram_error(x, 400, "InvalidParameter.CustomSuffix",
                         "The service %s takes no CustomSuffix in mcdlf.", service);
    ram_role r;
    mc_err err;
    if (ram_role_create_service_linked(x->s, x->cred.account_id, service, &r, &err))
        return from_err(x, &err);
    return send_role(x, &r, true);
}

/* Deletes at once; the DeletionTaskId's form is mcdlf's own. */
static int h_delete_service_linked_role(ram_req *x)
{
    const char *name;
    char res[256];
    if (require(x, "RoleName", &name))
        return -1;
    resource_arn(res, sizeof res, x, "role", name);
    ram_role r;
    mc_err err;
    if (ram_role_get(x->s, x->cred.account_id, name, &r, &err)) {
        /* Permission first, so that a caller without it learns nothing. */
        return authorize_as(x, "ram:DeleteServiceLinkedRole", res, NULL, NULL) ? -1 : from_err(x, &err);
    }
    char service[128];
    snprintf(service, sizeof service, "%s", r.service);
    ram_role_clear(&r);
    if (authorize_as(x, "ram:DeleteServiceLinkedRole", res, "ram:ServiceName", service))
        return -1;
    if (ram_role_delete(x->s, x->cred.account_id, name, true, &err))
        return from_err(x, &err);
    json_t *o = ok_body(x);
    char *task = mc_asprintf("task/mcdlf-service-linked-role-deletion/%s", emu_req_id(x->r));
    json_object_set_new(o, "DeletionTaskId", json_string(task));
    free(task);
    send_json(x, 200, o);
    return 0;
}

/* ---- STS (§4) --------------------------------------------------------------------------- */

/* RoleSessionName: letters, digits, '.', '@', '-', '_' (§4); 2-64 long as the
 * sts20150401 SDK's AssumeRoleRequest documents it now (§4's 2021 text: 2-32). */
static bool session_name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len < 2 || len > 64)
        return false;
    for (const char *p = n; *p; p++)
        if (!(((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || strchr(".@-_", *p)))
            return false;
    return true;
}

/* ExternalId: 2-1224 of [\w+=,.@:/-] (AssumeRoleRequest.externalId of the
 * sts20150401 SDK, https://aliyunsdk-pages.alicdn.com/apidocs/Sts/2015-04-01/java-async-tea/latest/com/aliyun/sdk/service/sts20150401/models/AssumeRoleRequest.Builder.html). */
static bool external_id_ok(const char *v)
{
    size_t len = strlen(v);
    if (len < 2 || len > 1224)
        return false;
    for (const char *p = v; *p; p++)
        if (!(((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || strchr("_+=,.@:/-", *p)))
            return false;
    return true;
}

/* acs:ram::<digits>:role/<name> (§4 RoleArn). */
static int parse_role_arn(const char *arn, char *account, size_t acap, char *name, size_t ncap)
{
    if (!mc_str_starts_with(arn, "acs:ram::"))
        return -1;
    const char *a = arn + strlen("acs:ram::"), *p = a;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == a || !mc_str_starts_with(p, ":role/") || (size_t)(p - a) >= acap)
        return -1;
    const char *n = p + strlen(":role/");
    if (!*n || strchr(n, '/') || strlen(n) >= ncap)
        return -1;
    snprintf(account, acap, "%.*s", (int)(p - a), a);
    snprintf(name, ncap, "%s", n);
    return 0;
}

/* Both refusals AssumeRole documents with this text: the caller lacks
 * sts:AssumeRole, or the role's trust policy does not name the caller
 * (https://alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole). */
static int assume_denied(ram_req *x, bool explicit_deny)
{
    return send_envelope(x->r, x->product, 403, "NoPermission",
                         "You are not authorized to do this action. You should be authorized by RAM.",
                         denied_detail(x, "sts:AssumeRole", explicit_deny));
}

/* "15min/1hr" for the default maximum (§4), else the role's maximum. */
static int bad_duration(ram_req *x, int64_t max_s)
{
    char max[32];
    if (max_s % 3600 == 0)
        snprintf(max, sizeof max, "%lldhr", (long long)(max_s / 3600));
    else
        snprintf(max, sizeof max, "%llds", (long long)max_s);
    return ram_error(x, 400, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/%s.",
                     max);
}

#define SESSION_POLICY_MAX 2048 /* AssumeRole Policy: 1-2048 characters (api-sts-2015-04-01-assumerole) */
#define SESSION_MIN_S 900

static int h_assume_role(ram_req *x)
{
    const char *arn, *session;
    if (require(x, "RoleArn", &arn) || require(x, "RoleSessionName", &session))
        return -1;
    const char *policy = param(x, "Policy"), *dur = param(x, "DurationSeconds"), *ext = param(x, "ExternalId");
    /* https://www.alibabacloud.com/help/doc-detail/42775.htm: the account itself may not assume roles. */
    if (is_root(x))
        return ram_error(x, 403, "NoPermission", "Roles may not be assumed by root accounts.");
    if (!session_name_ok(session))
        return ram_error(x, 400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed.");
    char account[32], name[65];
    if (parse_role_arn(arn, account, sizeof account, name, sizeof name))
        return ram_error(x, 400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.");
    long long secs = RAM_ROLE_SESSION_DEFAULT_S;
    if (dur && mc_parse_i64(dur, &secs))
        return bad_duration(x, RAM_ROLE_SESSION_DEFAULT_S);
    mc_err err;
    if (policy && strlen(policy) > SESSION_POLICY_MAX)
        return ram_error(x, 400, "InvalidParameter.PolicySize", "The parameter Policy is longer than %d characters.",
                         SESSION_POLICY_MAX);
    if (policy && ram_policy_validate(policy, &err))
        return ram_error(x, 400, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check.");
    if (param(x, "SourceIdentity"))
        return ram_error(x, 400, "InvalidParameter.SourceIdentity", "mcdlf does not support SourceIdentity.");
    /* The code for a malformed ExternalId is not in the reference; named after the others. */
    if (ext && !external_id_ok(ext))
        return ram_error(x, 400, "InvalidParameter.ExternalId", "The parameter ExternalId is wrongly formed.");

    char res[256];
    snprintf(res, sizeof res, "acs:ram:*:%s:role/%s", account, name);
    ram_decision d;
    if (decide(x, "sts:AssumeRole", res, NULL, NULL, &d))
        return -1;
    if (!d.allowed)
        return assume_denied(x, d.explicit_deny);
    ram_role role;
    if (strcmp(account, x->cred.account_id) != 0 || ram_role_get(x->s, account, name, &role, &err))
        return ram_error(x, 404, "EntityNotExist.Role", "The specified Role not exists.");
    const char *ctx[] = {"acs:SourceIp", emu_req_remote_addr(x->r), ext ? "sts:ExternalId" : NULL, ext, NULL};
    int rc = ram_trust_evaluate(role.trust_policy, x->cred.principal, "sts:AssumeRole", ctx, &d, &err);
    int64_t max_s = role.max_session_s;
    char lower[65];
    snprintf(lower, sizeof lower, "%s", role.name);
    mc_str_lower(lower);
    char role_id[24];
    snprintf(role_id, sizeof role_id, "%s", role.role_id);
    ram_role_clear(&role);
    if (rc)
        return from_err(x, &err);
    if (x->c->env->record)
        x->c->env->record(x->c->env, "RAM", x->cred.principal, "sts:AssumeRole", arn, d.allowed, d.reason);
    if (!d.allowed)
        return assume_denied(x, d.explicit_deny);
    if (secs < SESSION_MIN_S || secs > max_s)
        return bad_duration(x, max_s);

    /* The session ARN carries the role name in lower case, as the §4 sample
     * (role/adminrole/alice) and the attachment keys (ram/policy) do. */
    char principal[256];
    snprintf(principal, sizeof principal, "acs:ram::%s:role/%s/%s", account, lower, session);
    emu_cred c;
    if (emu_cred_issue_session(x->s, account, principal, (int64_t)secs * 1000, policy, &c, &err))
        return from_err(x, &err);
    json_t *o = ok_body(x), *cred = json_object(), *user = json_object();
    json_object_set_new(cred, "AccessKeyId", json_string(c.id));
    json_object_set_new(cred, "AccessKeySecret", json_string(c.secret));
    json_object_set_new(cred, "SecurityToken", json_string(c.token));
    set_date(cred, "Expiration", c.expires_ms);
    char *user_id = mc_asprintf("%s:%s", role_id, session);
    json_object_set_new(user, "Arn", json_string(principal));
    json_object_set_new(user, "AssumedRoleId", json_string(user_id));
    free(user_id);
    json_object_set_new(o, "AssumedRoleUser", user);
    json_object_set_new(o, "Credentials", cred);
    emu_cred_clear(&c);
    send_json(x, 200, o);
    return 0;
}

/* Needs no permission: every identity may ask who it is (§1 field list). */
static int h_get_caller_identity(ram_req *x)
{
    json_t *o = ok_body(x);
    const char *user = principal_user(x);
    const char *role = strstr(x->cred.principal, ":role/");
    mc_err err;
    json_object_set_new(o, "AccountId", json_string(x->cred.account_id));
    json_object_set_new(o, "Arn", json_string(x->cred.principal));
    if (user) {
        ram_user u;
        if (user_get(x, user, &u, &err)) {
            json_decref(o);
            return from_err(x, &err);
        }
        json_object_set_new(o, "IdentityType", json_string("RAMUser"));
        json_object_set_new(o, "UserId", json_string(u.user_id));
        json_object_set_new(o, "PrincipalId", json_string(u.user_id));
    } else if (role) {
        /* An assumed-role session: RoleId is the role's, PrincipalId the AssumedRoleId (§4). */
        char name[65];
        const char *n = role + strlen(":role/"), *slash = strchr(n, '/');
        snprintf(name, sizeof name, "%.*s", (int)(slash ? (size_t)(slash - n) : strlen(n)), n);
        ram_role r;
        if (ram_role_get(x->s, x->cred.account_id, name, &r, &err)) {
            json_decref(o);
            return from_err(x, &err);
        }
        char *pid = mc_asprintf("%s:%s", r.role_id, slash ? slash + 1 : "");
        json_object_set_new(o, "IdentityType", json_string("AssumedRoleUser"));
        json_object_set_new(o, "RoleId", json_string(r.role_id));
        json_object_set_new(o, "PrincipalId", json_string(pid));
        free(pid);
        ram_role_clear(&r);
    } else {
        json_object_set_new(o, "IdentityType", json_string("Account"));
        json_object_set_new(o, "UserId", json_string(x->cred.account_id));
        json_object_set_new(o, "PrincipalId", json_string(x->cred.account_id));
    }
    send_json(x, 200, o);
    return 0;
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static const ram_action RAM_ACTIONS[] = {
    {"CreateUser", h_create_user},
    {"GetUser", h_get_user},
    {"ListUsers", h_list_users},
    {"DeleteUser", h_delete_user},
    {"CreateAccessKey", h_create_access_key},
    {"ListAccessKeys", h_list_access_keys},
    {"CreatePolicy", h_create_policy},
    {"GetPolicy", h_get_policy},
    {"DeletePolicy", h_delete_policy},
    {"AttachPolicyToUser", h_attach_policy_to_user},
    {"DetachPolicyFromUser", h_detach_policy_from_user},
    {"ListPoliciesForUser", h_list_policies_for_user},
    {"CreateRole", h_create_role},
    {"GetRole", h_get_role},
    {"DeleteRole", h_delete_role},
    {"AttachPolicyToRole", h_attach_policy_to_role},
    {"DetachPolicyFromRole", h_detach_policy_from_role},
    {"ListPoliciesForRole", h_list_policies_for_role},
    {NULL, NULL},
};

static const ram_action STS_ACTIONS[] = {
    {"AssumeRole", h_assume_role},
    {"GetCallerIdentity", h_get_caller_identity},
    {NULL, NULL},
};

static const ram_action RM_ACTIONS[] = {
    {"CreateServiceLinkedRole", h_create_service_linked_role},
    {"DeleteServiceLinkedRole", h_delete_service_linked_role},
    {NULL, NULL},
};

static const ram_product PRODUCTS[] = {
    {RAM_VERSION, "ram.aliyuncs.com", "Ram", RAM_ACTIONS},
    {STS_VERSION, "sts.aliyuncs.com", "Sts", STS_ACTIONS},
    {RM_VERSION, "resourcemanager.aliyuncs.com", "ResourceManager", RM_ACTIONS},
};

static const ram_action *find_action(const ram_action *table, const char *name)
{
    for (const ram_action *a = table; a->action; a++)
        if (!strcmp(a->action, name))
            return a;
    return NULL;
}

static bool is_form(const char *content_type)
{
    return content_type && !strncasecmp(content_type, "application/x-www-form-urlencoded", 33);
}

static void route(ram_req *x)
{
    mc_err err;
    if (emu_req_body(x->r, &x->body, &err)) {
        ram_error(x, 400, "InvalidParameter", "%s", err.msg);
        return;
    }
    if (append_params(&x->params, emu_req_query(x->r)) ||
        (is_form(emu_req_header(x->r, "Content-Type")) && x->body.len &&
         (memchr(x->body.data, '\0', x->body.len) || append_params(&x->params, x->body.data)))) {
        ram_error(x, 400, "InvalidParameter", "The query string or form body is malformed.");
        return;
    }
    const char *version = emu_req_header(x->r, "x-acs-version");
    x->action = emu_req_header(x->r, "x-acs-action");
    if (!emu_req_header(x->r, "Authorization") || !x->action) { /* RPC: the parameters say */
        x->action = param(x, "Action");
        version = param(x, "Version");
    }
    if (!x->action) {
        require(x, "Action", &x->action);
        return;
    }
    if (!version) {
        require(x, "Version", &version);
        return;
    }
    for (size_t i = 0; i < sizeof PRODUCTS / sizeof *PRODUCTS && !x->product; i++)
        if (!strcmp(version, PRODUCTS[i].version))
            x->product = &PRODUCTS[i];
    if (!x->product) {
        ram_error(x, 400, "InvalidVersion", "Specified parameter Version is not valid.");
        return;
    }
    const ram_action *a = find_action(x->product->actions, x->action);
    if (!a) {
        ram_error(x, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
        return;
    }
    if (authenticate(x) == 0)
        a->fn(x);
}

static void ram_handle(void *ctx, emu_request *r)
{
    ram_req x;
    memset(&x, 0, sizeof x);
    x.c = ctx;
    x.r = r;
    x.s = x.c->env->state;
    route(&x);
    mc_query_free(&x.params);
    mc_buf_free(&x.body);
    emu_cred_clear(&x.cred);
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

static void ram_close(void *ctx)
{
    free(ctx);
}

static int ram_open(void **ctx, const emu_env *env, mc_err *err)
{
    if (emu_state_migrate(env->state, "ram_users", USER_MIGRATIONS,
                          (int)(sizeof USER_MIGRATIONS / sizeof *USER_MIGRATIONS), err) ||
        emu_state_migrate(env->state, "ram_nonces", NONCE_MIGRATIONS,
                          (int)(sizeof NONCE_MIGRATIONS / sizeof *NONCE_MIGRATIONS), err) ||
        ram_policy_migrate(env->state, err) || ram_role_migrate(env->state, err))
        return -1;
    ram_ctx *c = mc_calloc(1, sizeof *c);
    c->env = env;
    *ctx = c;
    return 0;
}

const emu_service_def emu_ram_service = {
    .name = "ram",
    /* POP gateways answer with x-acs-request-id, the same id as the body's RequestId. */
    .request_id_header = "x-acs-request-id",
    .open = ram_open,
    .handle = ram_handle,
    .send_error = ram_send_error,
    .close = ram_close,
};
