/*
 * apply: `mcdlf apply [--state DIR] FILE` — a declarative scenario
 * (docs/scenarios.md): RAM users, policies and attachments, DLF
 * authorisation, catalogs and grants, MaxCompute data sources and projects,
 * and SQL run as a user, applied in order on the embedded emulator through
 * the same actions `mcdlf admin` performs (cli_admin_run) and the same
 * session the console opens; on a url or live profile through the same
 * remote calls as `mcdlf admin` there (cli_admin_remote), each user acting
 * with its own AccessKey.
 *
 * The whole file is read and checked before anything is applied, so a
 * malformed file changes nothing. Then each step prints one line:
 *   ok     done (or refused with the error the step expects)
 *   exists already there (users, policies, attachments, catalogs, grants,
 *          data sources, projects), which makes re-applying a file harmless
 *   FAIL   the service's message; apply stops there, says which steps were
 *          applied, and exits 1.
 * Details (an ARN, query results, the expected refusal) follow on lines
 * indented by five spaces.
 */
#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "session.h"
#include "sql/split.h"

/* ---- the format ----------------------------------------------------------------- */

typedef enum { F_STR, F_BOOL, F_DOC } field_type; /* F_DOC: a JSON object or a string */

typedef struct {
    const char *name;
    field_type type;
    bool required;
} field_spec;

typedef enum {
    K_RAM_USER,
    K_RAM_POLICY,
    K_RAM_ATTACH,
    K_RAM_DETACH,
    K_RAM_SLR,
    K_DLF_AUTHORIZE,
    K_DLF_ACTIVATE,
    K_DLF_CATALOG,
    K_DLF_GRANT,
    K_DLF_REVOKE,
    K_MC_DATA_SOURCE,
    K_MC_PROJECT,
    K_SQL,
} step_kind;

typedef struct {
    const char *name;
    bool as_allowed; /* "as": performed as a RAM user; else the account owner's action */
    field_spec fields[5];
} kind_spec;

/* Indexed by step_kind. dlf_grant/dlf_revoke also take exactly one of
 * catalog, database, table (checked apart). */
static const kind_spec KINDS[] = {
    {"ram_user", false, {{"name", F_STR, true}, {"access_key", F_BOOL, false}}},
    {"ram_policy", true, {{"name", F_STR, true}, {"document", F_DOC, true}}},
    {"ram_attach_policy", true, {{"user", F_STR, true}, {"policy", F_STR, true}}},
    {"ram_detach_policy", true, {{"user", F_STR, true}, {"policy", F_STR, true}}},
    {"ram_service_linked_role", true, {{"name", F_STR, false}}},
    {"dlf_authorize", true, {{NULL, F_STR, false}}},
    {"dlf_activate", true, {{NULL, F_STR, false}}},
    {"dlf_catalog", true, {{"name", F_STR, true}}},
    {"dlf_grant", false,
     {{"user", F_STR, true}, {"privilege", F_STR, true}, {"catalog", F_STR, false}, {"database", F_STR, false},
      {"table", F_STR, false}}},
    {"dlf_revoke", false,
     {{"user", F_STR, true}, {"privilege", F_STR, true}, {"catalog", F_STR, false}, {"database", F_STR, false},
      {"table", F_STR, false}}},
    {"mc_data_source", true, {{"name", F_STR, true}, {"region", F_STR, false}, {"description", F_STR, false}}},
    {"mc_project", true,
     {{"name", F_STR, true}, {"data_source", F_STR, true}, {"catalog", F_STR, true}, {"billing", F_STR, false},
      {"quota", F_STR, false}}},
    {"sql", true, {{"statements", F_STR, true}, {"project", F_STR, false}, {"catalog", F_STR, false}}},
};
#define NKINDS (sizeof KINDS / sizeof *KINDS)
/* Fields every step may have besides its kind's. */
static const char *const COMMON_FIELDS[] = {"step", "as", "expect", "comment"};

typedef enum { EXPECT_OK, EXPECT_ERROR, EXPECT_OUTPUT } expect_kind;

typedef struct {
    step_kind kind;
    json_t *obj;       /* borrowed from the document */
    const char *as;    /* NULL: the account owner */
    expect_kind expect;
    const char *expect_text;
    char *label;       /* what the step's line says it does */
    char *argv[12];    /* the admin action (unused for sql) */
    int argc;
    char *resource[2]; /* dlf_grant/dlf_revoke: "database", "default" */
    char *document;    /* ram_policy: the policy document text */
} apply_step;

static const char *field(const apply_step *st, const char *name)
{
    return json_string_value(json_object_get(st->obj, name));
}

static void step_clear(apply_step *st)
{
    free(st->label);
    free(st->document);
    free(st->resource[0]);
    free(st->resource[1]);
}

/* A file error about steps[i] (of kind KIND when known): "steps[i] (KIND): what". */
__attribute__((format(printf, 4, 5))) static int step_err(mc_err *err, size_t i, const char *kind, const char *fmt,
                                                          ...)
{
    char what[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (kind)
        return mc_err_set(err, MC_ERR_INVALID, "steps[%zu] (%s): %s", i, kind, what);
    return mc_err_set(err, MC_ERR_INVALID, "steps[%zu]: %s", i, what);
}

static const field_spec *kind_field(const kind_spec *k, const char *name)
{
    for (size_t f = 0; f < sizeof k->fields / sizeof *k->fields && k->fields[f].name; f++)
        if (!strcmp(k->fields[f].name, name))
            return &k->fields[f];
    return NULL;
}

static int check_fields(const json_t *obj, size_t i, const kind_spec *k, mc_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool common = false;
        for (size_t c = 0; c < sizeof COMMON_FIELDS / sizeof *COMMON_FIELDS; c++)
            common |= !strcmp(key, COMMON_FIELDS[c]);
        const field_spec *f = kind_field(k, key);
        if (!common && !f)
            return step_err(err, i, k->name, "unknown field \"%s\"", key);
        if (!strcmp(key, "as") && !k->as_allowed)
            return step_err(err, i, k->name, "field \"as\" does not apply: %s is the account owner's action",
                            k->name);
        bool ok = f && f->type == F_BOOL ? json_is_boolean(v)
                  : f && f->type == F_DOC ? json_is_object(v) || json_is_string(v)
                  : !strcmp(key, "expect") ? true
                                           : json_is_string(v);
        if (!ok)
            return step_err(err, i, k->name, "field \"%s\" must be %s", key,
                            f && f->type == F_BOOL  ? "true or false"
                            : f && f->type == F_DOC ? "a JSON object or a string"
                                                    : "a string");
    }
    for (size_t f = 0; f < sizeof k->fields / sizeof *k->fields && k->fields[f].name; f++)
        if (k->fields[f].required && !json_object_get(obj, k->fields[f].name))
            return step_err(err, i, k->name, "missing field \"%s\"", k->fields[f].name);
    return 0;
}

/* "expect": "ok" (the default) | {"error": "SUBSTRING"} | {"output": "SUBSTRING"} (sql only). */
static int parse_expect(apply_step *st, size_t i, mc_err *err)
{
    const char *kind = KINDS[st->kind].name;
    json_t *e = json_object_get(st->obj, "expect");
    st->expect = EXPECT_OK;
    if (!e || (json_is_string(e) && !strcmp(json_string_value(e), "ok")))
        return 0;
    json_t *error = json_is_object(e) ? json_object_get(e, "error") : NULL;
    json_t *output = json_is_object(e) ? json_object_get(e, "output") : NULL;
    if (json_is_object(e) && json_object_size(e) == 1 && json_is_string(error) && *json_string_value(error)) {
        st->expect = EXPECT_ERROR;
        st->expect_text = json_string_value(error);
        return 0;
    }
    if (json_is_object(e) && json_object_size(e) == 1 && json_is_string(output) && st->kind == K_SQL) {
        st->expect = EXPECT_OUTPUT;
        st->expect_text = json_string_value(output);
        return 0;
    }
    return step_err(err, i, kind, "field \"expect\" must be \"ok\", {\"error\": \"TEXT\"}%s",
                    st->kind == K_SQL ? " or {\"output\": \"TEXT\"}" : "");
}

static void push(apply_step *st, const char *arg)
{
    assert((size_t)st->argc < sizeof st->argv / sizeof *st->argv);
    st->argv[st->argc++] = (char *)arg;
}

/* The admin action of a step and the words of its line. */
static int plan_step(apply_step *st, size_t i, mc_err *err)
{
    const char *kind = KINDS[st->kind].name;
    mc_buf label = MC_BUF_INIT;
    const char *name = field(st, "name"), *user = field(st, "user"), *policy = field(st, "policy");
    switch (st->kind) {
    case K_RAM_USER:
        push(st, "ram"), push(st, "create-user"), push(st, name);
        mc_buf_printf(&label, "ram user %s", name);
        break;
    case K_RAM_POLICY: {
        json_t *doc = json_object_get(st->obj, "document");
        st->document = json_is_string(doc) ? mc_strdup(json_string_value(doc)) : json_dumps(doc, JSON_COMPACT);
        push(st, "ram"), push(st, "create-policy"), push(st, name), push(st, "--document"), push(st, st->document);
        mc_buf_printf(&label, "ram policy %s", name);
        break;
    }
    case K_RAM_ATTACH:
    case K_RAM_DETACH: {
        bool attach = st->kind == K_RAM_ATTACH;
        push(st, "ram"), push(st, attach ? "attach-policy" : "detach-policy"), push(st, user), push(st, policy);
        mc_buf_printf(&label, "ram %s %s %s %s", attach ? "attach-policy" : "detach-policy", policy,
                      attach ? "to" : "from", user);
        break;
    }
    case K_RAM_SLR:
        if (!name)
            name = "AliyunServiceRoleForMaxComputeLakehouse";
        push(st, "ram"), push(st, "create-service-linked-role"), push(st, name);
        mc_buf_printf(&label, "ram service-linked-role %s", name);
        break;
    case K_DLF_AUTHORIZE:
    case K_DLF_ACTIVATE: {
        const char *verb = st->kind == K_DLF_AUTHORIZE ? "authorize" : "activate";
        push(st, "dlf"), push(st, verb);
        mc_buf_printf(&label, "dlf %s", verb);
        break;
    }
    case K_DLF_CATALOG:
        push(st, "dlf"), push(st, "create-catalog"), push(st, name);
        mc_buf_printf(&label, "dlf catalog %s", name);
        break;
    case K_DLF_GRANT:
    case K_DLF_REVOKE: {
        static const char *const levels[] = {"catalog", "database", "table"};
        int n = 0;
        for (int l = 0; l < 3; l++)
            if (field(st, levels[l]) && n++ == 0) {
                st->resource[0] = mc_strdup(levels[l]);
                st->resource[1] = mc_strdup(field(st, levels[l]));
            }
        if (n != 1) {
            mc_buf_free(&label);
            return step_err(err, i, kind, "needs exactly one of \"catalog\", \"database\", \"table\"");
        }
        /* The resource's syntax, checked before anything is applied. */
        char *cat, *db, *tbl;
        mc_err perr;
        if (cli_admin_resource(st->resource, "-", &cat, &db, &tbl, &perr)) {
            mc_buf_free(&label);
            return step_err(err, i, kind, "field \"%s\": %s", st->resource[0], perr.msg);
        }
        free(cat), free(db), free(tbl);
        bool grant = st->kind == K_DLF_GRANT;
        const char *priv = field(st, "privilege");
        push(st, "dlf"), push(st, grant ? "grant" : "revoke"), push(st, user), push(st, priv), push(st, "on");
        push(st, st->resource[0]), push(st, st->resource[1]);
        mc_buf_printf(&label, "dlf %s %s on %s %s %s %s", grant ? "grant" : "revoke", priv, st->resource[0],
                      st->resource[1], grant ? "to" : "from", user);
        break;
    }
    case K_MC_DATA_SOURCE:
        push(st, "mc"), push(st, "create-data-source"), push(st, name);
        if (field(st, "region"))
            push(st, "--region"), push(st, field(st, "region"));
        if (field(st, "description"))
            push(st, "--description"), push(st, field(st, "description"));
        mc_buf_printf(&label, "mc data-source %s", name);
        break;
    case K_MC_PROJECT:
        push(st, "mc"), push(st, "create-project"), push(st, name);
        push(st, "--data-source"), push(st, field(st, "data_source"));
        push(st, "--catalog"), push(st, field(st, "catalog"));
        if (field(st, "billing"))
            push(st, "--billing"), push(st, field(st, "billing"));
        if (field(st, "quota"))
            push(st, "--quota"), push(st, field(st, "quota"));
        mc_buf_printf(&label, "mc project %s on %s (data source %s)", name, field(st, "catalog"),
                      field(st, "data_source"));
        break;
    case K_SQL: {
        size_t total;
        bool complete;
        const char *text = field(st, "statements");
        if (sql_split(NULL, 0, text, strlen(text), &total, &complete), total == 0) {
            mc_buf_free(&label);
            return step_err(err, i, kind, "field \"statements\" holds no statement");
        }
        /* The statements on one line: runs of white space become one space. */
        mc_buf_puts(&label, "sql");
        if (st->as)
            mc_buf_printf(&label, " as %s", st->as);
        mc_buf_puts(&label, ": ");
        bool space = true;
        for (const char *p = field(st, "statements"); *p; p++) {
            bool ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
            if (ws && !space)
                mc_buf_putc(&label, ' ');
            else if (!ws)
                mc_buf_putc(&label, *p);
            space = ws;
        }
        /* ... without the last statement's ';', as the console echoes a statement. */
        while (label.len && (label.data[label.len - 1] == ' ' || label.data[label.len - 1] == ';'))
            label.data[--label.len] = '\0';
        break;
    }
    }
    if (st->as && st->kind != K_SQL)
        mc_buf_printf(&label, " as %s", st->as);
    st->label = mc_buf_detach(&label, NULL);
    return 0;
}

static int load_step(apply_step *st, json_t *obj, size_t i, mc_err *err)
{
    if (!json_is_object(obj))
        return step_err(err, i, NULL, "a step must be a JSON object");
    const char *kind = json_string_value(json_object_get(obj, "step"));
    if (!kind)
        return step_err(err, i, NULL, "missing field \"step\" (the step kind, e.g. \"ram_user\")");
    size_t k = 0;
    while (k < NKINDS && strcmp(KINDS[k].name, kind) != 0)
        k++;
    if (k == NKINDS) {
        mc_buf names = MC_BUF_INIT;
        for (size_t n = 0; n < NKINDS; n++)
            mc_buf_printf(&names, "%s%s", n ? ", " : "", KINDS[n].name);
        int rc = step_err(err, i, NULL, "unknown step kind \"%s\" (known: %s)", kind, mc_buf_cstr(&names));
        mc_buf_free(&names);
        return rc;
    }
    st->kind = (step_kind)k;
    st->obj = obj;
    if (check_fields(obj, i, &KINDS[k], err))
        return -1;
    st->as = field(st, "as");
    return parse_expect(st, i, err) || plan_step(st, i, err) ? -1 : 0;
}

/* Reads and checks the whole scenario. On error *steps is freed and err
 * names the problem (the caller adds the file name). */
static int load_scenario(json_t **doc, apply_step **steps, size_t *n, const char *path, mc_err *err)
{
    *steps = NULL;
    *n = 0;
    json_error_t je;
    *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!*doc) {
        if (je.line <= 0)
            return mc_err_set(err, MC_ERR_INVALID, "%s", je.text);
        return mc_err_set(err, MC_ERR_INVALID, "line %d, column %d: invalid JSON: %s", je.line, je.column, je.text);
    }
    if (!json_is_object(*doc))
        return mc_err_set(err, MC_ERR_INVALID, "a scenario is a JSON object with \"steps\"");
    const char *key;
    json_t *v;
    json_object_foreach(*doc, key, v) {
        if (strcmp(key, "name") && strcmp(key, "description") && strcmp(key, "steps"))
            return mc_err_set(err, MC_ERR_INVALID, "unknown top-level field \"%s\" (name, description, steps)", key);
    }
    json_t *arr = json_object_get(*doc, "steps");
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return mc_err_set(err, MC_ERR_INVALID, "field \"steps\" must be a non-empty array of steps");
    *steps = mc_calloc(json_array_size(arr), sizeof **steps);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        int rc = load_step(&(*steps)[i], json_array_get(arr, i), i, err);
        *n = i + 1;
        if (rc)
            return -1;
    }
    return 0;
}

/* ---- applying ---------------------------------------------------------------------- */

/* Where the steps are applied: the running emulator and the profile
 * (--config, --profile) the SQL sessions start from. */
/* Where the steps are applied: the running emulator (embedded) or, on a url
 * or live profile, the services' APIs as the profile's AccessKey (remote),
 * and the profile (--config, --profile) the SQL sessions start from.
 * Remotely a user acts with its own AccessKey: the one its ram_user step
 * made (access_key: true), or one made for it (as the owner, through
 * CreateAccessKey) the first time it acts; they are kept for the run. */
typedef struct {
    char user[65];
    char id[64];
    char secret[64];
} apply_key;

typedef struct {
    emulator *e;
    const config_profile *remote;
    const char *config;
    const char *profile;
    apply_key keys[32];
    size_t nkeys;
} apply_ctx;

/* A new AccessKey of user, kept for the run (RAM CreateAccessKey as the owner). */
static const apply_key *make_key(apply_ctx *a, const char *user, mc_err *err)
{
    if (a->nkeys == sizeof a->keys / sizeof *a->keys)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "a scenario may act as at most %zu users on a %s profile",
                          a->nkeys, config_kind_name(a->remote->kind)),
               NULL;
    char *argv[] = {"ram", "create-access-key", (char *)user};
    mc_buf out = MC_BUF_INIT;
    int rc = cli_admin_remote(a->remote, 3, argv, &out, err);
    apply_key *k = &a->keys[a->nkeys];
    const char *t = mc_buf_cstr(&out), *id = strstr(t, "AccessKeyId: "), *sk = strstr(t, "AccessKeySecret: ");
    if (rc == 0 && id && sk) {
        snprintf(k->user, sizeof k->user, "%s", user);
        snprintf(k->id, sizeof k->id, "%.*s", (int)strcspn(id + 13, "\n"), id + 13);
        snprintf(k->secret, sizeof k->secret, "%.*s", (int)strcspn(sk + 17, "\n"), sk + 17);
        a->nkeys++;
    } else if (rc == 0) {
        mc_err_set(err, MC_ERR_PROTOCOL, "CreateAccessKey for %s answered no AccessKey", user);
        k = NULL;
    } else {
        k = NULL;
    }
    mc_buf_free(&out);
    return k;
}

/* The AccessKey user acts with in this run (made on first use). */
static const apply_key *user_key(apply_ctx *a, const char *user, mc_err *err)
{
    for (size_t i = 0; i < a->nkeys; i++)
        if (!strcmp(a->keys[i].user, user))
            return &a->keys[i];
    return make_key(a, user, err);
}

/* An admin action on the remote profile as the owner or as user. */
static int remote_admin(apply_ctx *a, const char *user, int argc, char **argv, mc_buf *out, mc_err *err)
{
    config_profile q = *a->remote;
    if (user) {
        const apply_key *k = user_key(a, user, err);
        if (!k)
            return -1;
        q.access_key_id = (char *)k->id;
        q.access_key_secret = (char *)k->secret;
        q.security_token = NULL;
    }
    int rc = cli_admin_remote(&q, argc, argv, out, err);
    if (rc == 1)
        rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "%s %s has no remote form on a %s profile", argv[0], argv[1],
                        config_kind_name(q.kind));
    return rc;
}

typedef struct {
    mc_buf results; /* what the statements print (stdout of the console) */
    mc_buf framing; /* ID = ..., OK, FAILED: ... of the current statement */
} sql_capture;

static void sql_emit(void *ud, bool is_err, const char *data, size_t n)
{
    sql_capture *c = ud;
    mc_buf_append(is_err ? &c->framing : &c->results, data, n);
}

static void set_field(char **slot, const char *v)
{
    if (!v)
        return;
    char *copy = mc_strdup(v);
    free(*slot);
    *slot = copy;
}

/* Runs the step's statements in one session, as the console would with
 * --user AS [--project P] and a profile whose catalog is C; stops at the
 * first failing statement, whose FAILED text becomes err. */
static int run_sql(apply_ctx *a, const apply_step *st, mc_buf *out, mc_err *err)
{
    emulator *e = a->e;
    config_profile *p;
    if (config_profile_load(&p, a->config, a->profile, err))
        return -1;
    set_field(&p->catalog, field(st, "catalog"));
    int rc = 0;
    if (e) {
        cli_profile_use_emulator(p, e);
        rc = st->as ? cli_profile_as_user(p, e, st->as, err) : 0;
    } else {
        const apply_key *k = NULL;
        rc = config_profile_resolve(p, err) || (st->as && !(k = user_key(a, st->as, err))) ? -1 : 0;
        if (k) {
            set_field(&p->access_key_id, k->id);
            set_field(&p->access_key_secret, k->secret);
            free(p->security_token);
            p->security_token = NULL;
        }
    }
    set_field(&p->project, field(st, "project"));
    if (!p->project)
        set_field(&p->project, "mcdlf_project");
    session *s = NULL;
    if (rc == 0)
        rc = session_open(&s, p, SQL_OUT_TABLE, err);
    config_profile_free(p);
    const char *text = field(st, "statements");
    size_t len = strlen(text), total;
    bool complete;
    sql_split(NULL, 0, text, len, &total, &complete);
    sql_piece *pieces = mc_calloc(total ? total : 1, sizeof *pieces);
    sql_split(pieces, total, text, len, &total, &complete);
    sql_capture cap = {MC_BUF_INIT, MC_BUF_INIT};
    for (size_t i = 0; rc == 0 && i < total; i++) {
        mc_buf_reset(&cap.framing);
        if (session_run(s, text + pieces[i].start, pieces[i].len, pieces[i].line, pieces[i].col, sql_emit, &cap) ==
            0)
            continue;
        const char *f = strstr(mc_buf_cstr(&cap.framing), "FAILED: ");
        const char *msg = f ? f + strlen("FAILED: ") : "the statement failed";
        size_t mlen = strcspn(msg, "\n");
        rc = mc_err_set(err, MC_ERR_REMOTE, "%.*s", (int)mlen, msg);
    }
    mc_buf_append(out, cap.results.data, cap.results.len);
    mc_buf_free(&cap.results);
    mc_buf_free(&cap.framing);
    free(pieces);
    session_free(s);
    return rc;
}

/* Whether a grant step's grant is held already (then it is reported as existing). */
static int grant_held(emulator *e, const apply_step *st, int *held, mc_err *err)
{
    char *cat, *db, *tbl;
    const char *dflt = emulator_catalog(e) ? emulator_catalog(e) : "";
    if (cli_admin_resource(st->resource, dflt, &cat, &db, &tbl, err))
        return -1;
    int rc = emulator_dlf_grant_held(e, field(st, "user"), field(st, "privilege"), cat, db, tbl, held, err);
    free(cat), free(db), free(tbl);
    return rc;
}

/* Prints text's lines indented under the step's line; trailing blank lines dropped. */
static void print_detail(const char *prefix, const char *text)
{
    size_t len = strlen(text);
    while (len && text[len - 1] == '\n')
        len--;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        printf("     %s%.*s\n", prefix, (int)n, p);
        prefix = "";
        p += n + 1;
    }
}

typedef enum { R_OK, R_EXISTS, R_FAIL } step_result;

/* The thing the step makes is there already: the console's MC_ERR_EXISTS,
 * or RAM's EntityAlreadyExists.* over the wire (the service-linked role). */
static bool already_exists(const mc_err *err)
{
    return err->code == MC_ERR_EXISTS ||
           (err->code == MC_ERR_REMOTE && !strncmp(err->remote_code, "EntityAlreadyExists", 19));
}

static step_result apply_one(apply_ctx *a, apply_step *st)
{
    emulator *e = a->e;
    mc_buf out = MC_BUF_INIT;
    mc_err err;
    mc_err_clear(&err);
    int rc, held = 0;
    if (st->kind == K_SQL) {
        rc = run_sql(a, st, &out, &err);
    } else {
        /* Remotely a grant held already is granted again, which changes nothing. */
        rc = e && st->kind == K_DLF_GRANT ? grant_held(e, st, &held, &err) : 0;
        if (rc == 0 && held)
            rc = mc_err_set(&err, MC_ERR_EXISTS, "granted already");
        else if (rc == 0 && e)
            rc = cli_admin_run(e, st->as, st->argc, st->argv, &out, &err);
        else if (rc == 0)
            rc = remote_admin(a, st->as, st->argc, st->argv, &out, &err);
        /* The console's bare acknowledgement says nothing the ok line does not. */
        if (rc == 0 && !strcmp(mc_buf_cstr(&out), "OK\n"))
            mc_buf_reset(&out);
    }
    step_result r;
    if (st->expect == EXPECT_ERROR) {
        if (rc && strstr(err.msg, st->expect_text)) {
            printf("ok   %s\n", st->label);
            print_detail("refused as expected: ", err.msg);
            r = R_OK;
        } else if (rc) {
            printf("FAIL %s: %s\n", st->label, err.msg);
            printf("     expected an error containing: %s\n", st->expect_text);
            r = R_FAIL;
        } else {
            printf("FAIL %s: it succeeded; expected an error containing: %s\n", st->label, st->expect_text);
            print_detail("", mc_buf_cstr(&out));
            r = R_FAIL;
        }
    } else if (rc && already_exists(&err)) {
        printf("exists %s\n", st->label);
        r = R_EXISTS;
    } else if (rc) {
        printf("FAIL %s: %s\n", st->label, err.msg);
        r = R_FAIL;
    } else if (st->expect == EXPECT_OUTPUT && !strstr(mc_buf_cstr(&out), st->expect_text)) {
        printf("FAIL %s: the output does not contain: %s\n", st->label, st->expect_text);
        print_detail("", mc_buf_cstr(&out));
        r = R_FAIL;
    } else {
        printf("ok   %s\n", st->label);
        print_detail("", mc_buf_cstr(&out));
        r = R_OK;
    }
    /* A user's AccessKeyId (never the secret: `mcdlf admin ram create-access-key` shows it). */
    emulator_key k;
    const apply_key *rk;
    bool show_key = r != R_FAIL && st->kind == K_RAM_USER && json_is_true(json_object_get(st->obj, "access_key"));
    if (show_key && e && emulator_ram_user_key(e, field(st, "name"), 0, &k, &err) == 0)
        printf("     AccessKeyId: %s\n", k.id);
    else if (show_key && !e && (rk = make_key(a, field(st, "name"), &err)))
        printf("     AccessKeyId: %s\n", rk->id);
    else if (show_key && !e)
        printf("     (no AccessKey: %s)\n", err.msg);
    fflush(stdout);
    mc_buf_free(&out);
    return r;
}

static void apply_usage(FILE *f)
{
    fputs("usage: mcdlf apply [--state DIR] [--profile NAME] [--config FILE] SCENARIO.json\n"
          "       applies a scenario on the embedded profile's emulator or, on a url or live profile, through\n"
          "       the services' APIs (docs/scenarios.md, docs/control-plane-api.md)\n",
          f);
}

int cli_apply(int argc, char **argv)
{
    const char *state = NULL, *path = NULL;
    apply_ctx a;
    memset(&a, 0, sizeof a);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "help")) {
            apply_usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--state") && i + 1 < argc) {
            state = argv[++i];
        } else if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
            a.profile = argv[++i];
        } else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            a.config = argv[++i];
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            apply_usage(stderr);
            return 2;
        }
    }
    if (!path) {
        apply_usage(stderr);
        return 2;
    }
    mc_err err;
    json_t *doc;
    apply_step *steps;
    size_t n;
    if (load_scenario(&doc, &steps, &n, path, &err)) {
        fprintf(stderr, "mcdlf apply: %s: %s (nothing was applied)\n", path, err.msg);
        for (size_t i = 0; i < n; i++)
            step_clear(&steps[i]);
        free(steps);
        json_decref(doc);
        return 1;
    }
    config_profile *p = NULL;
    int rc = config_profile_load(&p, a.config, a.profile, &err);
    if (rc == 0 && p->kind != CONFIG_EMBEDDED) {
        if (state)
            rc = mc_err_set(&err, MC_ERR_INVALID, "--state applies to the embedded profile, not to %s profile %s",
                            config_kind_name(p->kind), p->name);
        else if (config_profile_resolve(p, &err) == 0)
            a.remote = p;
        else
            rc = -1;
    } else if (rc == 0) {
        emulator_options o;
        emulator_options_init(&o);
        o.region = p->region;
        rc = emulator_start(&a.e, state ? state : p->state_dir, &o, &err);
    }
    if (rc) {
        fprintf(stderr, "mcdlf apply: %s (nothing was applied)\n", err.msg);
    } else {
        size_t counts[3] = {0, 0, 0}, i;
        for (i = 0; i < n; i++) {
            step_result r = apply_one(&a, &steps[i]);
            counts[r]++;
            if (r == R_FAIL)
                break;
        }
        if (i < n) {
            /* Say exactly what is in place now: a failed sql step's earlier statements did run. */
            fprintf(stderr, "mcdlf apply: %s: stopped at steps[%zu] (%s), which failed; ", path, i,
                    KINDS[steps[i].kind].name);
            if (i == 0)
                fprintf(stderr, "nothing before it was applied");
            else if (i == 1)
                fprintf(stderr, "steps[0] was applied");
            else
                fprintf(stderr, "steps[0] to steps[%zu] were applied", i - 1);
            fprintf(stderr, ", the %zu step(s) after it were not\n", n - i - 1);
            rc = -1;
        } else {
            printf("applied %s: %zu steps, %zu ok, %zu existed already\n", path, n, counts[R_OK], counts[R_EXISTS]);
        }
    }
    emulator_stop(a.e);
    config_profile_free(p);
    for (size_t i = 0; i < n; i++)
        step_clear(&steps[i]);
    free(steps);
    json_decref(doc);
    return rc ? 1 : 0;
}
