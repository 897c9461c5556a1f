/* ram/policy: see policy.h. */
#include "ram/policy.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "strutil.h"
#include "timeutil.h"

static const char *const MIGRATIONS[] = {
    "CREATE TABLE ram_policies(name TEXT PRIMARY KEY, type TEXT NOT NULL DEFAULT 'Custom',"
    "  document TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL,"
    "  default_version TEXT NOT NULL DEFAULT 'v1');"
    "CREATE TABLE ram_policy_attachments(principal TEXT NOT NULL, policy_name TEXT NOT NULL,"
    "  policy_type TEXT NOT NULL, attached_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(principal, policy_name, policy_type));"
    "CREATE INDEX ram_policy_attachments_by_policy ON ram_policy_attachments(policy_name, policy_type);",
};

int ram_policy_migrate(emu_state *s, mc_err *err)
{
    return emu_state_migrate(s, "ram", MIGRATIONS, (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err);
}

/* ---- system policies ------------------------------------------------------------ */

/* reference/ram-sts.md §3. Exact (as retrieved): AliyunDLFReadOnlyAccess,
 * AliyunDLFFullAccess, AliyunMaxComputeReadOnlyAccess, AliyunRAMReadOnlyAccess.
 * Not retrieved, conventional content (§3, §7 "Uncertain"): AliyunMaxComputeFullAccess
 * (the reference's best guess; the MaxCompute service-linked-role service names
 * are unknown, hence the StringLike), AliyunRAMFullAccess, AliyunOSSFullAccess,
 * AliyunOSSReadOnlyAccess, AliyunSTSAssumeRoleAccess. */
typedef struct {
    const char *name;
    const char *document;
} system_policy;

static const system_policy SYSTEM_POLICIES[] = {
    {"AliyunDLFReadOnlyAccess",
     "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dlf:Get*\",\"dlf:Query*\","
     "\"dlf:List*\",\"dlf:Describe*\",\"dlf:BatchGet*\"],\"Resource\":\"*\"}]}"},
    {"AliyunDLFFullAccess",
     "{\"Version\":\"1\",\"Statement\":["
     "{\"Effect\":\"Allow\",\"Action\":\"dlf:*\",\"Resource\":\"*\"},"
     "{\"Effect\":\"Allow\",\"Action\":\"ram:ListRoles\",\"Resource\":\"*\"},"
     "{\"Effect\":\"Allow\",\"Action\":\"ram:PassRole\",\"Resource\":\"*\","
     "\"Condition\":{\"StringEquals\":{\"acs:Service\":\"dlf.aliyuncs.com\"}}},"
     "{\"Effect\":\"Allow\",\"Action\":\"ram:CreateServiceLinkedRole\",\"Resource\":\"*\","
     "\"Condition\":{\"StringEquals\":{\"ram:ServiceName\":\"flink.dlf-next.aliyuncs.com\"}}}]}"},
    {"AliyunMaxComputeReadOnlyAccess",
     "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"odps:Get*\",\"odps:List*\","
     "\"odps:Query*\",\"odps:Chat*\"],\"Resource\":\"*\"}]}"},
    {"AliyunMaxComputeFullAccess",
     "{\"Version\":\"1\",\"Statement\":["
     "{\"Effect\":\"Allow\",\"Action\":\"odps:*\",\"Resource\":\"*\"},"
     "{\"Effect\":\"Allow\",\"Action\":[\"ram:CreateServiceLinkedRole\",\"ram:DeleteServiceLinkedRole\"],"
     "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"ram:ServiceName\":\"*odps.aliyuncs.com\"}}}]}"},
    {"AliyunRAMReadOnlyAccess",
     "{\"Version\":\"1\",\"Statement\":["
     "{\"Effect\":\"Allow\",\"Action\":[\"ram:Get*\",\"ram:List*\",\"ram:GenerateCredentialReport\"],"
     "\"Resource\":\"*\"},"
     "{\"Effect\":\"Allow\",\"Action\":[\"accessanalyzer:Get*\",\"accessanalyzer:List*\"],\"Resource\":\"*\"}]}"},
    {"AliyunRAMFullAccess",
     "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ram:*\",\"Resource\":\"*\"}]}"},
    {"AliyunOSSFullAccess",
     "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"oss:*\",\"Resource\":\"*\"}]}"},
    {"AliyunOSSReadOnlyAccess",
     "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"oss:Get*\",\"oss:List*\"],"
     "\"Resource\":\"*\"}]}"},
    {"AliyunSTSAssumeRoleAccess",
     "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}"},
};

const char *ram_policy_system_document(const char *name)
{
    for (size_t i = 0; i < sizeof SYSTEM_POLICIES / sizeof *SYSTEM_POLICIES; i++)
        if (!strcmp(SYSTEM_POLICIES[i].name, name))
            return SYSTEM_POLICIES[i].document;
    return NULL;
}

/* ---- errors --------------------------------------------------------------------- */

/* An error as RAM reports it: our code, RAM's code and HTTP status (§6). */
static int __attribute__((format(printf, 5, 6)))
ram_fail(mc_err *err, mc_err_code code, int status, const char *remote, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_err_vset(err, code, fmt, ap);
    va_end(ap);
    if (err) {
        err->http_status = status;
        snprintf(err->remote_code, sizeof err->remote_code, "%s", remote);
    }
    return -1;
}

static int __attribute__((format(printf, 2, 3))) malformed(mc_err *err, const char *fmt, ...)
{
    char detail[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return ram_fail(err, MC_ERR_INVALID, 400, "MalformedPolicyDocument", "The policy document is malformed: %s",
                    detail);
}

/* ---- matching ------------------------------------------------------------------- */

static bool ch_eq(char a, char b, bool icase)
{
    if (icase && a >= 'A' && a <= 'Z')
        a = (char)(a - 'A' + 'a');
    if (icase && b >= 'A' && b <= 'Z')
        b = (char)(b - 'A' + 'a');
    return a == b;
}

/* §2 wildcards: '*' any sequence (also empty), '?' exactly one character
 * (one UTF-8 sequence). Backtracks only to the last '*', which suffices. */
static bool wild_match(const char *p, const char *s, bool icase)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p == '?') {
            p++;
            s++;
            while ((*s & 0xC0) == 0x80)
                s++;
        } else if (*p && ch_eq(*p, *s, icase)) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* Whether any pattern of a string-or-array element matches s. */
static bool list_matches(json_t *v, const char *s, bool icase)
{
    if (json_is_string(v))
        return wild_match(json_string_value(v), s, icase);
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        if (wild_match(json_string_value(e), s, icase))
            return true;
    }
    return false;
}

/* ---- conditions ----------------------------------------------------------------- */

typedef enum { FAM_STRING, FAM_NUMERIC, FAM_DATE, FAM_BOOL, FAM_IP } cond_family;
typedef enum { CMP_EQ, CMP_LIKE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_IN } cond_cmp;

typedef struct {
    const char *name;
    cond_family fam;
    cond_cmp cmp;
    bool icase;
    bool negate; /* true when no listed value may match */
} cond_op;

/* §2 "Operators". */
static const cond_op OPS[] = {
    {"StringEquals", FAM_STRING, CMP_EQ, false, false},
    {"StringNotEquals", FAM_STRING, CMP_EQ, false, true},
    {"StringEqualsIgnoreCase", FAM_STRING, CMP_EQ, true, false},
    {"StringNotEqualsIgnoreCase", FAM_STRING, CMP_EQ, true, true},
    {"StringLike", FAM_STRING, CMP_LIKE, false, false},
    {"StringNotLike", FAM_STRING, CMP_LIKE, false, true},
    {"NumericEquals", FAM_NUMERIC, CMP_EQ, false, false},
    {"NumericNotEquals", FAM_NUMERIC, CMP_EQ, false, true},
    {"NumericLessThan", FAM_NUMERIC, CMP_LT, false, false},
    {"NumericLessThanEquals", FAM_NUMERIC, CMP_LE, false, false},
    {"NumericGreaterThan", FAM_NUMERIC, CMP_GT, false, false},
    {"NumericGreaterThanEquals", FAM_NUMERIC, CMP_GE, false, false},
    {"DateEquals", FAM_DATE, CMP_EQ, false, false},
    {"DateNotEquals", FAM_DATE, CMP_EQ, false, true},
    {"DateLessThan", FAM_DATE, CMP_LT, false, false},
    {"DateLessThanEquals", FAM_DATE, CMP_LE, false, false},
    {"DateGreaterThan", FAM_DATE, CMP_GT, false, false},
    {"DateGreaterThanEquals", FAM_DATE, CMP_GE, false, false},
    {"Bool", FAM_BOOL, CMP_EQ, true, false},
    {"IpAddress", FAM_IP, CMP_IN, false, false},
    {"NotIpAddress", FAM_IP, CMP_IN, false, true},
};

static const cond_op *op_find(const char *name)
{
    for (size_t i = 0; i < sizeof OPS / sizeof *OPS; i++)
        if (!strcmp(OPS[i].name, name))
            return &OPS[i];
    return NULL;
}

/* A condition value as text (strings, numbers and booleans are all written
 * in policies); NULL for objects, arrays and null. */
static const char *scalar_text(json_t *v, char *buf, size_t cap)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, cap, "%.17g", json_real_value(v));
        return buf;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    return NULL;
}

static int parse_number(const char *s, double *out)
{
    char *end;
    if (!*s)
        return -1;
    *out = strtod(s, &end);
    return *end || !isfinite(*out) ? -1 : 0;
}

typedef struct {
    int af;
    unsigned char addr[16];
    int prefix;
} cidr;

/* "10.0.0.0/8", "192.168.1.1", "2001:db8::/32". */
static int cidr_parse(const char *s, cidr *out)
{
    char host[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof host)
        return -1;
    memcpy(host, s, n);
    host[n] = '\0';
    memset(out, 0, sizeof *out);
    int max;
    if (inet_pton(AF_INET, host, out->addr) == 1) {
        out->af = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, host, out->addr) == 1) {
        out->af = AF_INET6;
        max = 128;
    } else {
        return -1;
    }
    out->prefix = max;
    if (slash) {
        long long p;
        if (mc_parse_i64(slash + 1, &p) || p < 0 || p > max)
            return -1;
        out->prefix = (int)p;
    }
    return 0;
}

static bool cidr_contains(const cidr *net, const char *ip)
{
    cidr a;
    if (strchr(ip, '/') || cidr_parse(ip, &a) || a.af != net->af)
        return false;
    int full = net->prefix / 8, rest = net->prefix % 8;
    if (memcmp(net->addr, a.addr, (size_t)full))
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xFF << (8 - rest));
    return (net->addr[full] & mask) == (a.addr[full] & mask);
}

static bool bool_text(const char *s)
{
    return mc_str_ieq(s, "true") || mc_str_ieq(s, "false");
}

/* Checks one policy value against its operator family. */
static int check_value(const cond_op *op, const char *v, const char *key, int idx, mc_err *err)
{
    double d;
    time_t t;
    cidr c;
    const char *want = NULL;
    switch (op->fam) {
    case FAM_STRING:
        break;
    case FAM_NUMERIC:
        want = parse_number(v, &d) ? "a number" : NULL;
        break;
    case FAM_DATE:
        want = mc_time_parse_iso8601(v, &t) ? "an ISO 8601 date such as 2012-11-11T23:59:59Z" : NULL;
        break;
    case FAM_BOOL:
        want = bool_text(v) ? NULL : "true or false";
        break;
    case FAM_IP:
        want = cidr_parse(v, &c) ? "an IP address or CIDR block" : NULL;
        break;
    }
    if (want)
        return malformed(err, "%s value '%s' of %s in Statement[%d] is not %s.", op->name, v, key, idx, want);
    return 0;
}

static int check_condition(json_t *cond, int idx, mc_err *err)
{
    if (!json_is_object(cond))
        return malformed(err, "Condition of Statement[%d] must be an object.", idx);
    const char *opname;
    json_t *keys;
    json_object_foreach(cond, opname, keys) {
        const cond_op *op = op_find(opname);
        if (!op)
            return malformed(err, "unknown condition operator '%s' in Statement[%d].", opname, idx);
        if (!json_is_object(keys))
            return malformed(err, "%s in Statement[%d] must map condition keys to values.", opname, idx);
        const char *key;
        json_t *vals;
        json_object_foreach(keys, key, vals) {
            char buf[64];
            if (json_is_array(vals) && json_array_size(vals) == 0)
                return malformed(err, "%s %s in Statement[%d] has no values.", opname, key, idx);
            size_t n = json_is_array(vals) ? json_array_size(vals) : 1;
            for (size_t i = 0; i < n; i++) {
                json_t *v = json_is_array(vals) ? json_array_get(vals, i) : vals;
                const char *text = scalar_text(v, buf, sizeof buf);
                if (!text)
                    return malformed(err, "values of %s %s in Statement[%d] must be strings, numbers or booleans.",
                                     opname, key, idx);
                if (check_value(op, text, key, idx, err))
                    return -1;
            }
        }
    }
    return 0;
}

/* The request context value of key (condition keys are case-insensitive);
 * acs:CurrentTime defaults to now. NULL when absent. */
static const char *ctx_get(const char *const *ctx, const char *key, char *now, size_t cap)
{
    for (size_t i = 0; ctx && ctx[i] && ctx[i + 1]; i += 2)
        if (mc_str_ieq(ctx[i], key))
            return ctx[i + 1];
    if (mc_str_ieq(key, "acs:CurrentTime")) {
        mc_time_iso8601_ms(now, cap, mc_now_ms());
        return now;
    }
    return NULL;
}

static bool cmp_holds(cond_cmp cmp, double a, double b)
{
    switch (cmp) {
    case CMP_EQ: return a == b;
    case CMP_LT: return a < b;
    case CMP_LE: return a <= b;
    case CMP_GT: return a > b;
    case CMP_GE: return a >= b;
    default: return false;
    }
}

/* Whether the request value ctxv satisfies op against one policy value v. */
static bool value_matches(const cond_op *op, const char *ctxv, const char *v)
{
    double a, b;
    time_t ta, tb;
    cidr net;
    switch (op->fam) {
    case FAM_STRING:
        if (op->cmp == CMP_LIKE)
            return wild_match(v, ctxv, false);
        return op->icase ? mc_str_ieq(ctxv, v) : !strcmp(ctxv, v);
    case FAM_NUMERIC:
        return !parse_number(ctxv, &a) && !parse_number(v, &b) && cmp_holds(op->cmp, a, b);
    case FAM_DATE:
        return !mc_time_parse_iso8601(ctxv, &ta) && !mc_time_parse_iso8601(v, &tb) &&
               cmp_holds(op->cmp, (double)ta, (double)tb);
    case FAM_BOOL:
        return mc_str_ieq(ctxv, v);
    case FAM_IP:
        return !cidr_parse(v, &net) && cidr_contains(&net, ctxv);
    }
    return false;
}

/* §2: several operators and several keys are AND-ed, a key's values OR-ed (a
 * negated operator requires that none matches). A key the request does not
 * carry makes its condition false, negated operators included (the reference
 * is silent on absent keys; false is the safe reading). */
static bool condition_holds(json_t *cond, const char *const *ctx)
{
    const char *opname;
    json_t *keys;
    json_object_foreach(cond, opname, keys) {
        const cond_op *op = op_find(opname);
        const char *key;
        json_t *vals;
        json_object_foreach(keys, key, vals) {
            char now[40], buf[64];
            const char *ctxv = ctx_get(ctx, key, now, sizeof now);
            if (!op || !ctxv)
                return false;
            bool any = false;
            size_t n = json_is_array(vals) ? json_array_size(vals) : 1;
            for (size_t i = 0; i < n && !any; i++) {
                const char *v = scalar_text(json_is_array(vals) ? json_array_get(vals, i) : vals, buf, sizeof buf);
                any = v && value_matches(op, ctxv, v);
            }
            if (any == op->negate)
                return false;
        }
    }
    return true;
}

/* ---- documents ------------------------------------------------------------------ */

static bool action_text_ok(const char *a)
{
    const char *colon = strchr(a, ':');
    return !strcmp(a, "*") || (colon && colon != a && colon[1]);
}

/* A string or a non-empty array of strings; for actions each must be
 * "*" or "<service>:<ApiName>". */
static int check_strings(json_t *v, const char *what, int idx, bool actions, mc_err *err)
{
    if (json_is_array(v) && json_array_size(v) == 0)
        return malformed(err, "%s of Statement[%d] is empty.", what, idx);
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        if (!json_is_string(e) || !*json_string_value(e))
            return malformed(err, "%s of Statement[%d] must be a non-empty string or an array of them.", what, idx);
        if (actions && !action_text_ok(json_string_value(e)))
            return malformed(err, "%s '%s' of Statement[%d] is not of the form <service>:<ApiName>.", what,
                             json_string_value(e), idx);
    }
    return 0;
}

static const char *const STATEMENT_KEYS[] = {"Effect", "Action", "NotAction", "Resource", "NotResource",
                                             "Condition", "Principal"};

static int check_statement(json_t *st, int idx, mc_err *err)
{
    if (!json_is_object(st))
        return malformed(err, "Statement[%d] must be an object.", idx);
    const char *k;
    json_t *v;
    json_object_foreach(st, k, v) {
        bool known = false;
        for (size_t i = 0; i < sizeof STATEMENT_KEYS / sizeof *STATEMENT_KEYS && !known; i++)
            known = !strcmp(k, STATEMENT_KEYS[i]);
        if (!known)
            return malformed(err, "unknown element '%s' in Statement[%d].", k, idx);
    }
    json_t *effect = json_object_get(st, "Effect");
    if (!effect)
        return malformed(err, "Statement[%d] has no Effect.", idx);
    if (!json_is_string(effect) ||
        (strcmp(json_string_value(effect), "Allow") && strcmp(json_string_value(effect), "Deny")))
        return malformed(err, "Effect of Statement[%d] must be Allow or Deny.", idx);

    json_t *a = json_object_get(st, "Action"), *na = json_object_get(st, "NotAction");
    if (!a == !na)
        return malformed(err, "Statement[%d] must have exactly one of Action and NotAction.", idx);
    if (check_strings(a ? a : na, a ? "Action" : "NotAction", idx, true, err))
        return -1;

    /* Resource is required in identity policies (§2); trust policies carry a
     * Principal instead. */
    json_t *r = json_object_get(st, "Resource"), *nr = json_object_get(st, "NotResource");
    if (r && nr)
        return malformed(err, "Statement[%d] must not have both Resource and NotResource.", idx);
    if (!r && !nr && !json_object_get(st, "Principal"))
        return malformed(err, "Statement[%d] has no Resource.", idx);
    if ((r || nr) && check_strings(r ? r : nr, r ? "Resource" : "NotResource", idx, false, err))
        return -1;

    json_t *cond = json_object_get(st, "Condition");
    return cond ? check_condition(cond, idx, err) : 0;
}

static int check_document(json_t *root, mc_err *err)
{
    if (!json_is_object(root))
        return malformed(err, "the document must be a JSON object.");
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v) {
        if (strcmp(k, "Version") && strcmp(k, "Statement"))
            return malformed(err, "unknown element '%s'.", k);
    }
    json_t *ver = json_object_get(root, "Version");
    if (!ver)
        return malformed(err, "Version is missing.");
    if (!json_is_string(ver) || strcmp(json_string_value(ver), "1"))
        return malformed(err, "Version must be \"1\".");
    json_t *sts = json_object_get(root, "Statement");
    if (!sts)
        return malformed(err, "Statement is missing.");
    if (json_is_object(sts))
        return check_statement(sts, 0, err);
    if (!json_is_array(sts) || json_array_size(sts) == 0)
        return malformed(err, "Statement must be an object or a non-empty array.");
    size_t i;
    json_t *st;
    json_array_foreach(sts, i, st) {
        if (check_statement(st, (int)i, err))
            return -1;
    }
    return 0;
}

/* Parses and checks; on success *out is the document (caller decrefs). */
static int document_load(const char *document, json_t **out, mc_err *err)
{
    json_error_t jerr;
    *out = NULL;
    if (!document)
        return malformed(err, "the document is empty.");
    json_t *root = json_loads(document, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return malformed(err, "invalid JSON at line %d column %d: %s.", jerr.line, jerr.column, jerr.text);
    if (check_document(root, err)) {
        json_decref(root);
        return -1;
    }
    *out = root;
    return 0;
}

int ram_policy_validate(const char *document, mc_err *err)
{
    json_t *root;
    if (document_load(document, &root, err))
        return -1;
    json_decref(root);
    return 0;
}

static bool statement_matches(json_t *st, const char *action, const char *resource, const char *const *ctx)
{
    /* §2: actions match case-insensitively, resources exactly. */
    json_t *a = json_object_get(st, "Action");
    bool act = a ? list_matches(a, action, true) : !list_matches(json_object_get(st, "NotAction"), action, true);
    if (!act)
        return false;
    json_t *r = json_object_get(st, "Resource"), *nr = json_object_get(st, "NotResource");
    if (r && !list_matches(r, resource, false))
        return false;
    if (nr && list_matches(nr, resource, false))
        return false;
    json_t *cond = json_object_get(st, "Condition");
    return !cond || condition_holds(cond, ctx);
}

/* Indexes of the first matching Deny and Allow statements (-1 for none). */
static void document_eval(json_t *root, const char *action, const char *resource, const char *const *ctx,
                          int *deny, int *allow)
{
    *deny = *allow = -1;
    json_t *sts = json_object_get(root, "Statement");
    size_t n = json_is_array(sts) ? json_array_size(sts) : 1;
    for (size_t i = 0; i < n && *deny < 0; i++) {
        json_t *st = json_is_array(sts) ? json_array_get(sts, i) : sts;
        if (!statement_matches(st, action, resource, ctx))
            continue;
        bool is_deny = !strcmp(json_string_value(json_object_get(st, "Effect")), "Deny");
        if (is_deny)
            *deny = (int)i;
        else if (*allow < 0)
            *allow = (int)i;
    }
}

/* "Statement[1] (Deny) of Custom policy no-delete" or "... of the policy document". */
static void decide(ram_decision *out, bool deny, int idx, const char *type, const char *name, const char *action,
                   const char *resource)
{
    out->allowed = !deny;
    out->explicit_deny = deny;
    char whose[200];
    if (type)
        snprintf(whose, sizeof whose, "%s policy %s", type, name);
    else
        snprintf(whose, sizeof whose, "the policy document");
    snprintf(out->reason, sizeof out->reason, "%s by Statement[%d] (%s) of %s: %s on %s", deny ? "denied" : "allowed",
             idx, deny ? "Deny" : "Allow", whose, action, resource);
}

static void implicit_deny(ram_decision *out, const char *action, const char *resource)
{
    out->allowed = false;
    out->explicit_deny = false;
    snprintf(out->reason, sizeof out->reason, "no policy allows %s on %s", action, resource);
}

int ram_policy_evaluate(const char *document, const char *action, const char *resource,
                        const char *const *context, ram_decision *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    if (document_load(document, &root, err))
        return -1;
    int deny, allow;
    document_eval(root, action, resource, context, &deny, &allow);
    json_decref(root);
    if (deny >= 0)
        decide(out, true, deny, NULL, NULL, action, resource);
    else if (allow >= 0)
        decide(out, false, allow, NULL, NULL, action, resource);
    else
        implicit_deny(out, action, resource);
    return 0;
}

/* ---- principals ----------------------------------------------------------------- */

/* The key attachments are stored under: role names lower-cased, an
 * assumed-role session reduced to its role (policy.h invariants). Caller frees. */
static char *principal_key(const char *principal)
{
    char *k = mc_strdup(principal);
    char *r = strstr(k, ":role/");
    if (!r)
        return k;
    char *name = r + strlen(":role/");
    char *slash = strchr(name, '/');
    if (slash)
        *slash = '\0';
    mc_str_lower(name);
    return k;
}

/* "User", "Role" or "Group": the entity word in RAM's attachment error codes. */
static const char *principal_kind(const char *principal)
{
    if (strstr(principal, ":role/"))
        return "Role";
    if (strstr(principal, ":group/"))
        return "Group";
    return "User";
}

/* acs:ram::<digits>:root (§1). */
static bool is_account_root(const char *p)
{
    if (!mc_str_starts_with(p, "acs:ram::"))
        return false;
    p += strlen("acs:ram::");
    const char *start = p;
    while (*p >= '0' && *p <= '9')
        p++;
    return p > start && !strcmp(p, ":root");
}

/* ---- storage -------------------------------------------------------------------- */

/* Binds text arguments in order (NULL binds NULL). */
static int prep(emu_state *s, sqlite3_stmt **st, mc_err *err, const char *sql, int n, ...)
{
    if (emu_state_prepare(s, st, sql, err))
        return -1;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *v = va_arg(ap, const char *);
        if (v)
            sqlite3_bind_text(*st, i + 1, v, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(*st, i + 1);
    }
    va_end(ap);
    return 0;
}

static int check_type(const char *type, mc_err *err)
{
    if (type && (!strcmp(type, "System") || !strcmp(type, "Custom")))
        return 0;
    return ram_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.PolicyType",
                    "The parameter - \"PolicyType\" is incorrect.");
}

/* Whether a custom policy exists; caller holds the lock. 1, 0 or -1. */
static int custom_exists(emu_state *s, const char *name, mc_err *err)
{
    sqlite3_stmt *st;
    if (prep(s, &st, err, "SELECT 1 FROM ram_policies WHERE name = ?", 1, name))
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return emu_state_err(s, err, "ram policy");
}

static int no_such_policy(mc_err *err)
{
    return ram_fail(err, MC_ERR_NOT_FOUND, 404, "EntityNotExist.Policy", "The policy does not exist.");
}

/* §6 CreatePolicy parameter limits. */
static int check_create_params(const char *name, const char *document, const char *description, mc_err *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 128)
        return ram_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.PolicyName.Length",
                        "The parameter - \"PolicyName\" beyond the length limit.");
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return ram_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.PolicyName.InvalidChars",
                            "The parameter - \"PolicyName\" contains invalid chars.");
    size_t dl = document ? strlen(document) : 0;
    if (dl < 1 || dl > 6144)
        return ram_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.PolicyDocument.Length",
                        "The parameter - \"PolicyDocument\" beyond the length limit.");
    if (description && strlen(description) > 1024)
        return ram_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.Description.Length",
                        "The parameter - \"Description\" beyond the length limit.");
    return ram_policy_validate(document, err);
}

static int policy_exists_error(mc_err *err)
{
    /* §6: the documented text is a copy-paste error; this follows the
     * "does already EXIST" pattern of the sibling codes. */
    return ram_fail(err, MC_ERR_EXISTS, 409, "EntityAlreadyExists.Policy", "The policy does already EXIST.");
}

int ram_policy_create(emu_state *s, const char *name, const char *document, const char *description, mc_err *err)
{
    if (check_create_params(name, document, description, err))
        return -1;
    if (ram_policy_system_document(name))
        return policy_exists_error(err);
    char ms[24];
    snprintf(ms, sizeof ms, "%lld", (long long)mc_now_ms());
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "INSERT INTO ram_policies(name, type, document, description, created_ms, default_version)"
                  " VALUES (?, 'Custom', ?, ?, CAST(? AS INTEGER), 'v1')",
                  4, name, document, description ? description : "", ms);
    if (rc == 0) {
        int step = sqlite3_step(st);
        sqlite3_finalize(st);
        if (step == SQLITE_CONSTRAINT)
            rc = policy_exists_error(err);
        else if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "ram policy");
    }
    emu_state_unlock(s);
    return rc;
}

/* The kind of some principal the custom policy is attached to, copied into
 * kind ("" when none). Caller holds the lock. */
static int attached_kind(emu_state *s, const char *name, char *kind, size_t cap, mc_err *err)
{
    sqlite3_stmt *st;
    kind[0] = '\0';
    if (prep(s, &st, err,
             "SELECT principal FROM ram_policy_attachments WHERE policy_name = ? AND policy_type = 'Custom'"
             " ORDER BY rowid LIMIT 1",
             1, name))
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(kind, cap, "%s", principal_kind((const char *)sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : emu_state_err(s, err, "ram policy");
}

int ram_policy_delete(emu_state *s, const char *name, mc_err *err)
{
    char kind[8] = "";
    emu_state_lock(s);
    int rc = custom_exists(s, name, err);
    if (rc == 0)
        rc = no_such_policy(err);
    else if (rc == 1)
        rc = attached_kind(s, name, kind, sizeof kind, err);
    if (rc == 0 && kind[0]) {
        char code[48], lower[8];
        snprintf(code, sizeof code, "DeleteConflict.Policy.%s", kind);
        snprintf(lower, sizeof lower, "%s", kind);
        mc_str_lower(lower);
        rc = ram_fail(err, MC_ERR_CONFLICT, 409, code,
                      "The policy CAN NOT been attached to any %s while deleting the policy.", lower);
    }
    sqlite3_stmt *st;
    if (rc == 0 && (rc = prep(s, &st, err, "DELETE FROM ram_policies WHERE name = ?", 1, name)) == 0) {
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = emu_state_err(s, err, "ram policy");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int ram_policy_get(emu_state *s, const char *name, const char *type, char **document, mc_err *err)
{
    *document = NULL;
    if (check_type(type, err))
        return -1;
    if (!strcmp(type, "System")) {
        const char *doc = ram_policy_system_document(name);
        if (!doc)
            return no_such_policy(err);
        *document = mc_strdup(doc);
        return 0;
    }
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, "SELECT document FROM ram_policies WHERE name = ?", 1, name);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            *document = mc_strdup((const char *)sqlite3_column_text(st, 0));
        else if (step == SQLITE_DONE)
            rc = no_such_policy(err);
        else
            rc = emu_state_err(s, err, "ram policy");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int ram_policy_attach(emu_state *s, const char *principal, const char *policy, const char *type, mc_err *err)
{
    if (check_type(type, err))
        return -1;
    bool system = !strcmp(type, "System");
    if (system && !ram_policy_system_document(policy))
        return no_such_policy(err);
    char *key = principal_key(principal);
    char ms[24];
    snprintf(ms, sizeof ms, "%lld", (long long)mc_now_ms());
    emu_state_lock(s);
    int rc = system ? 1 : custom_exists(s, policy, err);
    if (rc == 0)
        rc = no_such_policy(err);
    sqlite3_stmt *st;
    if (rc == 1 && (rc = prep(s, &st, err,
                              "INSERT INTO ram_policy_attachments(principal, policy_name, policy_type, attached_ms)"
                              " VALUES (?, ?, ?, CAST(? AS INTEGER))",
                              4, key, policy, type, ms)) == 0) {
        int step = sqlite3_step(st);
        sqlite3_finalize(st);
        if (step == SQLITE_CONSTRAINT) {
            const char *kind = principal_kind(key);
            char code[48];
            snprintf(code, sizeof code, "EntityAlreadyExists.%s.Policy", kind);
            rc = ram_fail(err, MC_ERR_EXISTS, 409, code, "The %s has already been attached this policy.",
                          !strcmp(kind, "Role") ? "role" : !strcmp(kind, "Group") ? "group" : "user");
        } else if (step != SQLITE_DONE) {
            rc = emu_state_err(s, err, "ram policy attach");
        }
    }
    emu_state_unlock(s);
    free(key);
    return rc;
}

int ram_policy_detach(emu_state *s, const char *principal, const char *policy, const char *type, mc_err *err)
{
    if (check_type(type, err))
        return -1;
    char *key = principal_key(principal);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "DELETE FROM ram_policy_attachments WHERE principal = ? AND policy_name = ? AND policy_type = ?", 3,
                  key, policy, type);
    if (rc == 0) {
        int step = sqlite3_step(st);
        sqlite3_finalize(st);
        if (step != SQLITE_DONE) {
            rc = emu_state_err(s, err, "ram policy detach");
        } else if (sqlite3_changes(emu_state_db(s)) == 0) {
            const char *kind = principal_kind(key);
            char code[48];
            snprintf(code, sizeof code, "EntityNotExist.%s.Policy", kind);
            rc = ram_fail(err, MC_ERR_NOT_FOUND, 404, code, "The indicate policy of the %s does not exist.",
                          !strcmp(kind, "Role") ? "role" : !strcmp(kind, "Group") ? "group" : "user");
        }
    }
    emu_state_unlock(s);
    free(key);
    return rc;
}

int ram_policy_list_for(emu_state *s, const char *principal, char **text, mc_err *err)
{
    *text = NULL;
    char *key = principal_key(principal);
    mc_buf out = MC_BUF_INIT;
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "SELECT policy_name, policy_type FROM ram_policy_attachments WHERE principal = ?"
                  " ORDER BY attached_ms, rowid",
                  1, key);
    if (rc == 0) {
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW)
            mc_buf_printf(&out, "%s %s\n", (const char *)sqlite3_column_text(st, 0),
                          (const char *)sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
        if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "ram policy list");
    }
    emu_state_unlock(s);
    free(key);
    if (rc) {
        mc_buf_free(&out);
        return -1;
    }
    *text = mc_buf_detach(&out, NULL);
    return 0;
}

/* ---- authorization -------------------------------------------------------------- */

typedef struct {
    char *name;
    char *type;
    char *document; /* NULL for a system policy */
} attached;

static void attached_free(attached *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].type);
        free(v[i].document);
    }
    free(v);
}

/* The principal's attachments with custom documents, in attach order. */
static int attached_load(emu_state *s, const char *key, attached **out, size_t *n, mc_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "SELECT a.policy_name, a.policy_type, p.document FROM ram_policy_attachments a"
                  " LEFT JOIN ram_policies p ON a.policy_type = 'Custom' AND p.name = a.policy_name"
                  " WHERE a.principal = ? ORDER BY a.attached_ms, a.rowid",
                  1, key);
    if (rc == 0) {
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            *out = mc_realloc(*out, (*n + 1) * sizeof **out);
            attached *a = &(*out)[(*n)++];
            a->name = mc_strdup((const char *)sqlite3_column_text(st, 0));
            a->type = mc_strdup((const char *)sqlite3_column_text(st, 1));
            const unsigned char *d = sqlite3_column_text(st, 2);
            a->document = d ? mc_strdup((const char *)d) : NULL;
        }
        sqlite3_finalize(st);
        if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "ram authorize");
    }
    emu_state_unlock(s);
    if (rc) {
        attached_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int ram_authorize(emu_state *s, const char *principal, const char *action, const char *resource,
                  const char *const *context, ram_decision *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (is_account_root(principal)) {
        out->allowed = true;
        snprintf(out->reason, sizeof out->reason, "the account root %s may do everything", principal);
        return 0;
    }
    char *key = principal_key(principal);
    attached *pol;
    size_t n;
    int rc = attached_load(s, key, &pol, &n, err);
    free(key);
    if (rc)
        return -1;
    int first_allow = -1, allow_idx = -1;
    for (size_t i = 0; i < n; i++) {
        const char *doc = strcmp(pol[i].type, "System") ? pol[i].document : ram_policy_system_document(pol[i].name);
        if (!doc)
            continue; /* attach and delete keep this from happening (policy.h invariants) */
        json_t *root;
        if (document_load(doc, &root, err)) {
            mc_err_prefix(err, "stored %s policy %s", pol[i].type, pol[i].name);
            err->code = MC_ERR_INTERNAL;
            attached_free(pol, n);
            return -1;
        }
        int deny, allow;
        document_eval(root, action, resource, context, &deny, &allow);
        json_decref(root);
        if (deny >= 0) {
            decide(out, true, deny, pol[i].type, pol[i].name, action, resource);
            attached_free(pol, n);
            return 0;
        }
        if (allow >= 0 && first_allow < 0) {
            first_allow = (int)i;
            allow_idx = allow;
        }
    }
    if (first_allow >= 0)
        decide(out, false, allow_idx, pol[first_allow].type, pol[first_allow].name, action, resource);
    else
        implicit_deny(out, action, resource);
    attached_free(pol, n);
    return 0;
}

int ram_authorize_session(emu_state *s, const char *principal, const char *session_policy, const char *action,
                          const char *resource, const char *const *context, ram_decision *out, mc_err *err)
{
    if (!session_policy || is_account_root(principal))
        return ram_authorize(s, principal, action, resource, context, out, err);
    json_t *root;
    if (document_load(session_policy, &root, err)) {
        err->code = MC_ERR_INTERNAL; /* validated when the credentials were issued */
        return mc_err_prefix(err, "stored session policy");
    }
    int deny, allow;
    document_eval(root, action, resource, context, &deny, &allow);
    json_decref(root);
    if (deny >= 0 || allow < 0) {
        memset(out, 0, sizeof *out);
        out->explicit_deny = deny >= 0;
        out->by_session_policy = true;
        if (deny >= 0)
            snprintf(out->reason, sizeof out->reason,
                     "denied by Statement[%d] (Deny) of the session policy: %s on %s", deny, action, resource);
        else
            snprintf(out->reason, sizeof out->reason, "the session policy does not allow %s on %s", action,
                     resource);
        return 0;
    }
    return ram_authorize(s, principal, action, resource, context, out, err);
}

/* ---- trust policies ------------------------------------------------------------- */

static const char *const PRINCIPAL_KINDS[] = {"RAM", "Service", "Federated"};

int ram_trust_validate(const char *document, mc_err *err)
{
    json_t *root;
    if (document_load(document, &root, err))
        return -1;
    json_t *sts = json_object_get(root, "Statement");
    size_t n = json_is_array(sts) ? json_array_size(sts) : 1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_t *st = json_is_array(sts) ? json_array_get(sts, i) : sts;
        json_t *p = json_object_get(st, "Principal");
        if (!json_is_object(p) || json_object_size(p) == 0) {
            rc = malformed(err, "Statement[%zu] of a trust policy needs a Principal object.", i);
            break;
        }
        const char *k;
        json_t *v;
        json_object_foreach(p, k, v) {
            bool known = false;
            for (size_t j = 0; j < sizeof PRINCIPAL_KINDS / sizeof *PRINCIPAL_KINDS; j++)
                known = known || !strcmp(k, PRINCIPAL_KINDS[j]);
            if (!known) {
                rc = malformed(err, "unknown principal type '%s' in Statement[%zu] (RAM, Service, Federated).", k,
                               i);
                break;
            }
            if (check_strings(v, "Principal", (int)i, false, err)) {
                rc = -1;
                break;
            }
        }
    }
    json_decref(root);
    return rc;
}

/* One RAM principal entry of a trust policy against the caller (policy.h). */
static bool ram_principal_matches(const char *entry, const char *caller)
{
    if (!strcmp(entry, caller))
        return true;
    if (is_account_root(entry)) {
        size_t n = strlen(entry) - strlen("root");
        return !strncmp(entry, caller, n);
    }
    char *a = principal_key(entry), *b = principal_key(caller);
    bool same = strstr(a, ":role/") && !strcmp(a, b);
    free(a);
    free(b);
    return same;
}

static bool principal_matches(json_t *principal, const char *caller)
{
    json_t *ram = json_object_get(principal, "RAM");
    if (json_is_string(ram))
        return ram_principal_matches(json_string_value(ram), caller);
    size_t i;
    json_t *e;
    json_array_foreach(ram, i, e) {
        if (json_is_string(e) && ram_principal_matches(json_string_value(e), caller))
            return true;
    }
    return false;
}

int ram_trust_evaluate(const char *document, const char *caller, const char *action, const char *const *context,
                       ram_decision *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (ram_trust_validate(document, err))
        return -1;
    json_t *root = json_loads(document, 0, NULL);
    json_t *sts = json_object_get(root, "Statement");
    size_t n = json_is_array(sts) ? json_array_size(sts) : 1;
    int deny = -1, allow = -1;
    for (size_t i = 0; i < n && deny < 0; i++) {
        json_t *st = json_is_array(sts) ? json_array_get(sts, i) : sts;
        json_t *a = json_object_get(st, "Action");
        bool act = a ? list_matches(a, action, true) : !list_matches(json_object_get(st, "NotAction"), action, true);
        json_t *cond = json_object_get(st, "Condition");
        if (!act || !principal_matches(json_object_get(st, "Principal"), caller) ||
            (cond && !condition_holds(cond, context)))
            continue;
        if (!strcmp(json_string_value(json_object_get(st, "Effect")), "Deny"))
            deny = (int)i;
        else if (allow < 0)
            allow = (int)i;
    }
    json_decref(root);
    if (deny >= 0 || allow >= 0) {
        out->allowed = deny < 0;
        out->explicit_deny = deny >= 0;
        snprintf(out->reason, sizeof out->reason, "%s by Statement[%d] of the role's trust policy: %s for %s",
                 deny >= 0 ? "denied" : "allowed", deny >= 0 ? deny : allow, action, caller);
    } else {
        snprintf(out->reason, sizeof out->reason, "the role's trust policy does not name %s for %s", caller, action);
    }
    return 0;
}
