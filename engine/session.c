/*
 * session: see session.h. Statement dispatch: console commands that
 * odpscmd handles itself (SET, USE SCHEMA) are handled here; everything
 * else goes to the SQL layer.
 */
#include "session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
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
};

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
    for (size_t i = 0; i < s->nflags; i++) {
        free(s->flags[i].key);
        free(s->flags[i].value);
    }
    free(s->flags);
    free(s->schema);
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

int session_run(session *s, const char *stmt, size_t len, int line, int col, mc_buf *out, mc_buf *diag)
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
            mc_buf_puts(diag, "FAILED: invalid SET command: expected SET key=value\n");
            rc = -1;
        } else {
            char *key = mc_str_trim_dup(rest, (size_t)(eq - rest));
            char *value = mc_str_trim_dup(eq + 1, strlen(eq + 1));
            set_flag(s, key, value);
            free(key);
            free(value);
            mc_buf_puts(diag, "OK\n");
        }
    } else if ((rest = kw(text, "USE"))) {
        /* `USE SCHEMA s` is odpscmd's client-side command (reference/maxcompute-sql.md §3.1). */
        const char *name = kw(rest, "SCHEMA");
        if (!name)
            name = rest;
        if (!*name) {
            mc_buf_puts(diag, "FAILED: invalid USE command: expected USE SCHEMA name\n");
            rc = -1;
        } else {
            free(s->schema);
            s->schema = mc_strdup(name);
            set_flag(s, "odps.default.schema", name);
            mc_buf_puts(diag, "OK\n");
        }
    } else {
        char id[40];
        instance_id(id);
        mc_buf_printf(diag, "ID = %s\n", id);
        mc_buf_printf(diag, "FAILED: mcdlf does not support this statement yet: %s\n", text);
        rc = -1;
    }
    (void)out;
    free(text);
    return rc;
}
