/*
 * session: see session.h. Statement dispatch: console commands that
 * odpscmd handles itself (SET, USE SCHEMA) are handled here; everything
 * else goes to the SQL layer.
 */
#include "session.h"

#include <ctype.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "lake.h"
#include "sql/arena.h"
#include "sql/error.h"
#include "sql/exec.h"
#include "sql/parser.h"
#include "strutil.h"

typedef struct {
    char *key;
    char *value;
} flag;

struct session {
    config_profile profile;   /* owned copies of the strings */
    sql_out_format fmt;
    char *schema;
    flag *flags;
    size_t nflags;
    lake *lk;          /* opened at the first statement that needs the catalog */
    sql_exec *exec;
    session_progress_fn progress; /* NULL: none */
    void *progress_ud;
};

void session_set_progress(session *s, session_progress_fn fn, void *ud)
{
    s->progress = fn;
    s->progress_ud = ud;
}

static char *dup_or_null(const char *s) { return s ? mc_strdup(s) : NULL; }

int session_open(session **out, const config_profile *p, sql_out_format fmt, mc_err *err)
{
    (void)err;
    session *s = mc_calloc(1, sizeof *s);
    s->profile.name = dup_or_null(p->name);
    s->profile.kind = p->kind;
    s->profile.oss_endpoint = dup_or_null(p->oss_endpoint);
    s->profile.dlf_endpoint = dup_or_null(p->dlf_endpoint);
    s->profile.ram_endpoint = dup_or_null(p->ram_endpoint);
    s->profile.mc_endpoint = dup_or_null(p->mc_endpoint);
    s->profile.region = dup_or_null(p->region);
    s->profile.catalog = dup_or_null(p->catalog);
    s->profile.project = dup_or_null(p->project);
    s->profile.access_key_id = dup_or_null(p->access_key_id);
    s->profile.access_key_secret = dup_or_null(p->access_key_secret);
    s->profile.security_token = dup_or_null(p->security_token);
    s->profile.ca_file = dup_or_null(p->ca_file);
    s->fmt = fmt;
    s->schema = mc_strdup("default");
    *out = s;
    return 0;
}

void session_free(session *s)
{
    if (!s)
        return;
    free(s->profile.name);
    free(s->profile.oss_endpoint);
    free(s->profile.dlf_endpoint);
    free(s->profile.ram_endpoint);
    free(s->profile.mc_endpoint);
    free(s->profile.region);
    free(s->profile.catalog);
    free(s->profile.project);
    free(s->profile.access_key_id);
    free(s->profile.access_key_secret);
    free(s->profile.security_token);
    free(s->profile.ca_file);
    for (size_t i = 0; i < s->nflags; i++) {
        free(s->flags[i].key);
        free(s->flags[i].value);
    }
    free(s->flags);
    free(s->schema);
    sql_exec_free(s->exec);
    lake_close(s->lk);
    free(s);
}

const char *session_flag(const session *s, const char *key)
{
    for (size_t i = 0; i < s->nflags; i++)
        if (!strcmp(s->flags[i].key, key))
            return s->flags[i].value;
    return NULL;
}

const char *session_schema(const session *s) { return s->schema; }

static void set_flag(session *s, const char *key, const char *value)
{
    for (size_t i = 0; i < s->nflags; i++)
        if (!strcmp(s->flags[i].key, key)) {
            free(s->flags[i].value);
            s->flags[i].value = mc_strdup(value);
            return;
        }
    s->flags = mc_realloc(s->flags, (s->nflags + 1) * sizeof *s->flags);
    s->flags[s->nflags].key = mc_strdup(key);
    s->flags[s->nflags].value = mc_strdup(value);
    s->nflags++;
}

/* An instance id in MaxCompute's shape: yyyyMMddHHmmss + 4 digits + 6
 * base-36 characters + "gb" ... only the shape matters; tests mask it. */
static void instance_id(char out[40])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    uint8_t r[12];
    mc_random_bytes(r, sizeof r);
    static const char a36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    int n = (int)strftime(out, 40, "%Y%m%d%H%M%S", &tm);
    snprintf(out + n, (size_t)(40 - n), "%03ugb", (unsigned)(r[0] % 1000));
    n = (int)strlen(out);
    for (int i = 0; i < 10; i++)
        out[n + i] = a36[r[1 + i] % 36];
    out[n + 10] = '\0';
}

/* Case-insensitive keyword match at p; returns the position after it and
 * any following blanks, or NULL. */
static const char *kw(const char *p, const char *word)
{
    size_t n = strlen(word);
    if (strncasecmp(p, word, n) != 0 || (p[n] && !isspace((unsigned char)p[n]) && p[n] != '='))
        return NULL;
    p += n;
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

static void emitf(session_emit_fn emit, void *ud, bool is_err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void emitf(session_emit_fn emit, void *ud, bool is_err, const char *fmt, ...)
{
    mc_buf b = MC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    mc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    emit(ud, is_err, mc_buf_cstr(&b), b.len);
    mc_buf_free(&b);
}

/* The catalog connection, opened once per session with the profile's
 * endpoints and credentials. */
static int connect_catalog(session *s, mc_err *err)
{
    if (s->exec)
        return 0;
    lake_config lc = {
        .dlf_endpoint = s->profile.dlf_endpoint,
        .catalog = s->profile.catalog,
        .region = s->profile.region,
        .access_key_id = s->profile.access_key_id,
        .access_key_secret = s->profile.access_key_secret,
        .security_token = s->profile.security_token,
        .oss_endpoint = s->profile.oss_endpoint,
        .ca_file = s->profile.ca_file,
    };
    if (lake_open(&s->lk, &lc, err))
        return -1;
    if (sql_exec_new(&s->exec, s->lk, err)) {
        lake_close(s->lk);
        s->lk = NULL;
        return -1;
    }
    return 0;
}

static bool flag_true(const session *s, const char *key, bool dflt)
{
    const char *v = session_flag(s, key);
    return v ? !strcasecmp(v, "true") : dflt;
}

static int run_sql(session *s, const char *text, session_emit_fn emit, void *ud)
{
    sql_arena *arena = sql_arena_new();
    sql_stmt *st = NULL;
    sql_error perr;
    sql_error_clear(&perr);
    char id[40];
    instance_id(id);
    int rc = 0;
    mc_buf out = MC_BUF_INIT, msg = MC_BUF_INIT;
    if (sql_parse_stmt(&st, arena, text, &perr)) {
        sql_error_format(&msg, &perr);
        rc = -1;
    } else {
        emitf(emit, ud, true, "ID = %s\n", id);
        mc_err err;
        if (connect_catalog(s, &err)) {
            mc_buf_puts(&msg, err.msg);
            rc = -1;
        } else {
            sql_exec_env env = {
                .project = s->profile.project,
                .schema = s->schema,
                .namespace_schema = flag_true(s, "odps.namespace.schema", false),
                .orderby_needs_limit = flag_true(s, "odps.sql.validate.orderby.limit", true),
                .fmt = s->fmt,
                .progress = s->progress,
                .progress_ud = s->progress_ud,
            };
            bool is_query = false;
            rc = sql_exec_run(s->exec, &env, st, &out, &msg, &is_query);
            if (out.len)
                emit(ud, false, out.data, out.len);
            if (rc == 0 && !is_query)
                emitf(emit, ud, true, "OK\n");
        }
    }
    if (rc)
        emitf(emit, ud, true, "FAILED: %s\n", mc_buf_cstr(&msg));
    mc_buf_free(&out);
    mc_buf_free(&msg);
    sql_arena_free(arena);
    return rc;
}

int session_run(session *s, const char *stmt, size_t len, int line, int col, session_emit_fn emit, void *ud)
{
    (void)line;
    (void)col;
    char *text = mc_str_trim_dup(stmt, len);
    const char *rest;
    int rc = 0;
    if ((rest = kw(text, "SET"))) {
        /* odpscmd's SET: key=value, handled by the client (§4.1 prints OK). */
        const char *eq = strchr(rest, '=');
        if (!eq || eq == rest) {
            emitf(emit, ud, true, "FAILED: invalid SET command: expected SET key=value\n");
            rc = -1;
        } else {
            char *key = mc_str_trim_dup(rest, (size_t)(eq - rest));
            char *value = mc_str_trim_dup(eq + 1, strlen(eq + 1));
            set_flag(s, key, value);
            free(key);
            free(value);
            emitf(emit, ud, true, "OK\n");
        }
    } else if ((rest = kw(text, "USE"))) {
        /* `USE SCHEMA s` is odpscmd's client-side command (reference/maxcompute-sql.md §3.1). */
        const char *name = kw(rest, "SCHEMA");
        if (!name)
            name = rest;
        if (!*name) {
            emitf(emit, ud, true, "FAILED: invalid USE command: expected USE SCHEMA name\n");
            rc = -1;
        } else {
            free(s->schema);
            s->schema = mc_str_lower(mc_strdup(name));
            set_flag(s, "odps.default.schema", s->schema);
            emitf(emit, ud, true, "OK\n");
        }
    } else {
        rc = run_sql(s, text, emit, ud);
    }
    free(text);
    return rc;
}
