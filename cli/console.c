/*
 * console: `mcdlf [options]` — the MaxCompute console, like odpscmd:
 *   mcdlf                    interactive (readline editing, persistent history,
 *                            multi-line statements ended by ';', quit; / exit;)
 *   mcdlf -e "stmt; stmt"    run statements, exit non-zero if one fails
 *   mcdlf -f file.sql        run a file
 * Options: --format table|csv|tsv|json, --user NAME, --project NAME,
 * --profile NAME, --config FILE, --state DIR.
 *
 * The embedded profile starts the emulator in-process on the state
 * directory and hands the engine only its endpoints and credentials, as if
 * it were remote (DESIGN.md: the engine never calls emulator code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli.h"
#include "config.h"
#include "doctor.h"
#include "emulator.h"
#include "fsutil.h"
#include "session.h"
#include "sql/split.h"
#include "strutil.h"
#include "timeutil.h"

typedef struct {
    const char *exec;
    const char *file;
    const char *format;
    const char *user;
    const char *project;
    const char *profile;
    const char *config;
    const char *state;
} console_args;

static void console_usage(FILE *f)
{
    fputs("usage: mcdlf [-e \"statements\" | -f FILE] [--format table|csv|tsv|json]\n"
          "             [--user NAME] [--project NAME] [--profile NAME] [--config FILE] [--state DIR]\n"
          "       mcdlf serve --state DIR [...]        run the emulator in the foreground\n"
          "       mcdlf admin ram|dlf ...              console actions (mcdlf admin help)\n"
          "       mcdlf apply [--state DIR] FILE.json  apply a scenario: users, policies, grants, projects, SQL\n"
          "       mcdlf why [--user NAME] \"STMT\"        which permission check refuses or allows, and the fix\n"
          "       mcdlf doctor [--profile NAME]        check endpoints, clock, credentials, permissions\n"
          "       mcdlf paimon cat|schema|snapshots|files|stats TABLE, mcdlf paimon manifest FILE\n"
          "                                            look inside a Paimon table (path, file:// or oss://)\n"
          "       mcdlf config show [--profile NAME]   print the resolved profile (secrets masked)\n"
          "       mcdlf version\n",
          f);
}

static int parse_args(console_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    /* Every option takes a value. */
    for (int i = 1; i < argc; i += 2) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (!strcmp(o, "-e")) slot = &a->exec;
        else if (!strcmp(o, "-f")) slot = &a->file;
        else if (!strcmp(o, "--format")) slot = &a->format;
        else if (!strcmp(o, "--user")) slot = &a->user;
        else if (!strcmp(o, "--project")) slot = &a->project;
        else if (!strcmp(o, "--profile")) slot = &a->profile;
        else if (!strcmp(o, "--config")) slot = &a->config;
        else if (!strcmp(o, "--state")) slot = &a->state;
        if (!slot || !v) {
            fprintf(stderr, "mcdlf: unknown or incomplete option %s\n", o);
            console_usage(stderr);
            return -1;
        }
        *slot = v;
    }
    return 0;
}

/* The one updating progress line of a writing statement, shown only when
 * stderr is a terminal: odpscmd reports a running job's stages on stderr
 * (reference/maxcompute-sql.md §4.1); ours are rows and files. The line is
 * rewritten in place with \r and erased before anything else is written,
 * so it never stays in the output. */
typedef struct {
    int64_t started_ms, shown_ms; /* monotonic */
    int64_t files;                /* as last shown */
    size_t width;                 /* of the line on screen; 0: none shown */
} progress_line;

/* Everything the console holds for its lifetime. */
typedef struct {
    emulator *emu;
    config_profile *profile;
    session *session;
    progress_line progress;
} console;

static void console_close(console *c)
{
    session_free(c->session);
    emulator_stop(c->emu);
    config_profile_free(c->profile);
}

static void progress_erase(progress_line *p)
{
    if (!p->width)
        return;
    fprintf(stderr, "\r%*s\r", (int)p->width, "");
    fflush(stderr);
    p->width = 0;
}

/* Redrawn at most every 100 ms, and whenever a file is done. */
static void progress_show(void *ud, int64_t rows, int64_t files)
{
    progress_line *p = ud;
    int64_t now = mc_monotonic_ms();
    if (p->width && files == p->files && now - p->shown_ms < 100)
        return;
    char line[128];
    int64_t ms = now - p->started_ms;
    int n = snprintf(line, sizeof line, "Writing: %lld row%s, %lld file%s, %lld.%llds", (long long)rows,
                     rows == 1 ? "" : "s", (long long)files, files == 1 ? "" : "s", (long long)(ms / 1000),
                     (long long)(ms % 1000 / 100));
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    fprintf(stderr, "\r%s%*s", line, p->width > len ? (int)(p->width - len) : 0, "");
    fflush(stderr);
    p->width = p->width > len ? p->width : len;
    p->files = files;
    p->shown_ms = now;
}

/* Session output: results to stdout, framing (ID, OK, FAILED) to stderr, in order. */
static void emit(void *ud, bool is_err, const char *data, size_t n)
{
    progress_erase(ud);
    FILE *f = is_err ? stderr : stdout;
    fwrite(data, 1, n, f);
    fflush(f);
}

static void replace(char **field, const char *v)
{
    free(*field);
    *field = v ? mc_strdup(v) : NULL;
}

void cli_profile_use_emulator(config_profile *p, emulator *e)
{
    replace(&p->oss_endpoint, emulator_endpoint(e, "oss"));
    replace(&p->dlf_endpoint, emulator_endpoint(e, "dlf"));
    replace(&p->ram_endpoint, emulator_endpoint(e, "ram"));
    replace(&p->mc_endpoint, emulator_endpoint(e, "mc"));
    if (!p->catalog && emulator_catalog(e))
        replace(&p->catalog, emulator_catalog(e));
    if (!p->access_key_id) {
        replace(&p->access_key_id, emulator_owner_key_id(e));
        replace(&p->access_key_secret, emulator_owner_key_secret(e));
    }
}

int cli_profile_as_user(config_profile *p, emulator *e, const char *user, mc_err *err)
{
    if (!strcmp(user, "owner"))
        return 0;
    /* Act as a RAM user: every catalog and storage call carries its identity. */
    emulator_key k;
    if (emulator_ram_user_key(e, user, 0, &k, err))
        return -1;
    replace(&p->access_key_id, k.id);
    replace(&p->access_key_secret, k.secret);
    replace(&p->security_token, NULL);
    return 0;
}

int cli_profile_open(config_profile **p, emulator **emu, const char *config, const char *name, const char *state,
                     const char *project, mc_err *err)
{
    *emu = NULL;
    if (config_profile_load(p, config, name, err))
        return -1;
    if (state)
        replace(&(*p)->state_dir, state);
    if (project)
        replace(&(*p)->project, project);
    if (config_profile_resolve(*p, err))
        return -1;
    if ((*p)->kind == CONFIG_EMBEDDED) {
        emulator_options o;
        emulator_options_init(&o);
        o.region = (*p)->region;
        if (emulator_start(emu, (*p)->state_dir, &o, err))
            return -1;
        cli_profile_use_emulator(*p, *emu);
    }
    return 0;
}

static int console_open(console *c, const console_args *a, mc_err *err)
{
    memset(c, 0, sizeof *c);
    if (cli_profile_open(&c->profile, &c->emu, a->config, a->profile, a->state, a->project, err))
        return -1;
    /* The emulator's external project (issue 5 provisioning) unless the profile names one. */
    if (!c->profile->project && c->profile->kind != CONFIG_LIVE)
        replace(&c->profile->project, "mcdlf_project");
    if (a->user && strcmp(a->user, "owner") != 0) {
        if (!c->emu)
            return mc_err_set(err, MC_ERR_UNSUPPORTED,
                              "--user %s: on a %s profile give the user's AccessKey in the profile or environment",
                              a->user, config_kind_name(c->profile->kind));
        if (cli_profile_as_user(c->profile, c->emu, a->user, err))
            return -1;
    }
    sql_out_format fmt = SQL_OUT_TABLE;
    if (a->format && sql_out_format_parse(a->format, &fmt))
        return mc_err_set(err, MC_ERR_INVALID, "--format must be table, csv, tsv or json");
    if (session_open(&c->session, c->profile, fmt, err))
        return -1;
    if (isatty(STDERR_FILENO))
        session_set_progress(c->session, progress_show, &c->progress);
    return 0;
}

/* Runs every complete statement of text; returns the number that failed.
 * *stop is set when the user typed quit; or exit;. */
static int run_text(console *c, const char *text, size_t n, bool *stop)
{
    size_t total;
    bool complete;
    size_t count = sql_split(NULL, 0, text, n, &total, &complete);
    (void)count;
    sql_piece *pieces = mc_calloc(total ? total : 1, sizeof *pieces);
    sql_split(pieces, total, text, n, &total, &complete);
    int failed = 0;
    for (size_t i = 0; i < total && !*stop; i++) {
        char *stmt = mc_str_trim_dup(text + pieces[i].start, pieces[i].len);
        if (!strcasecmp(stmt, "quit") || !strcasecmp(stmt, "exit")) {
            *stop = true;
            free(stmt);
            break;
        }
        free(stmt);
        c->progress.started_ms = mc_monotonic_ms();
        if (session_run(c->session, text + pieces[i].start, pieces[i].len, pieces[i].line, pieces[i].col, emit,
                        &c->progress))
            failed++;
        progress_erase(&c->progress);
    }
    free(pieces);
    return failed;
}

static int repl(console *c)
{
    char *hist = mc_path_join(c->profile->state_dir ? c->profile->state_dir : ".", ".mcdlf_history");
    if (c->profile->state_dir)
        read_history(hist);
    mc_buf pending = MC_BUF_INIT;
    bool stop = false;
    int failed = 0;
    while (!stop) {
        char *line = readline(pending.len ? "     > " : "mcdlf> ");
        if (!line)
            break;
        if (*line)
            add_history(line);
        mc_buf_puts(&pending, line);
        mc_buf_putc(&pending, '\n');
        free(line);
        size_t total;
        bool complete;
        sql_split(NULL, 0, pending.data, pending.len, &total, &complete);
        if (!complete)
            continue;
        failed += run_text(c, pending.data, pending.len, &stop);
        mc_buf_reset(&pending);
    }
    if (c->profile->state_dir)
        write_history(hist);
    free(hist);
    mc_buf_free(&pending);
    return failed;
}

int cli_console(int argc, char **argv)
{
    console_args a;
    if (parse_args(&a, argc, argv))
        return 2;
    if (a.exec && a.file) {
        fputs("mcdlf: -e and -f cannot be combined\n", stderr);
        return 2;
    }
    mc_buf script = MC_BUF_INIT;
    mc_err err;
    mc_err_clear(&err);
    if (a.file && mc_file_read_all(&script, a.file, &err)) {
        fprintf(stderr, "mcdlf: %s\n", err.msg);
        return 1;
    }
    console c;
    if (console_open(&c, &a, &err)) {
        fprintf(stderr, "mcdlf: %s\n", err.msg);
        console_close(&c);
        mc_buf_free(&script);
        return 1;
    }
    int failed = 0;
    bool stop = false;
    if (a.exec) {
        failed = run_text(&c, a.exec, strlen(a.exec), &stop);
    } else if (a.file) {
        failed = run_text(&c, mc_buf_cstr(&script), script.len, &stop);
    } else if (isatty(STDIN_FILENO)) {
        failed = repl(&c);
    } else {
        mc_buf in = MC_BUF_INIT;
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            mc_buf_append(&in, chunk, n);
        failed = run_text(&c, mc_buf_cstr(&in), in.len, &stop);
        mc_buf_free(&in);
    }
    console_close(&c);
    mc_buf_free(&script);
    return failed ? 1 : 0;
}

/* `mcdlf why [--user U] [options] "STATEMENTS"`: runs the statements as the
 * user on the embedded emulator, then says which permission checks were
 * made, which layer refused, what is missing and the command that fixes it
 * — or, when allowed, which rule or grant allowed each check. */
int cli_why(int argc, char **argv)
{
    const char *stmt = NULL;
    char **rest = mc_calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && i + 1 < argc) {
            rest[nrest++] = argv[i];
            rest[nrest++] = argv[++i];
        } else if (!stmt) {
            stmt = argv[i];
        } else {
            fprintf(stderr, "mcdlf why: one statement text, quoted\n");
            free(rest);
            return 2;
        }
    }
    console_args a;
    if (!stmt || parse_args(&a, nrest, rest) || a.exec || a.file) {
        fprintf(stderr, "usage: mcdlf why [--user NAME] [--state DIR] \"STATEMENT; ...\"\n");
        free(rest);
        return 2;
    }
    free(rest);
    console c;
    mc_err err;
    if (console_open(&c, &a, &err)) {
        fprintf(stderr, "mcdlf: %s\n", err.msg);
        console_close(&c);
        return 1;
    }
    if (!c.emu) {
        fprintf(stderr, "mcdlf why: needs the embedded profile (the decisions are the emulator's)\n");
        console_close(&c);
        return 1;
    }
    emulator_trace(c.emu, 1);
    bool stop = false;
    int failed = run_text(&c, stmt, strlen(stmt), &stop);
    emulator_trace(c.emu, 0);
    emulator_decision *d;
    size_t n = emulator_trace_get(c.emu, &d);
    const char *user = a.user && strcmp(a.user, "owner") ? a.user : NULL;
    printf("\nWhy (%s):\n", user ? user : "the account owner");
    if (n == 0)
        printf("  no permission check was made by the catalog for this statement\n");
    int ram_refused = 0, dlf_refused = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false; /* one line per distinct check */
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(d[k].action, d[i].action) && !strcmp(d[k].resource, d[i].resource) &&
                   d[k].allowed == d[i].allowed && !strcmp(d[k].layer, d[i].layer);
        if (seen)
            continue;
        /* The data-token probe decides read-only versus read-write; it refuses nothing. */
        bool probe = strstr(d[i].action, "token") != NULL, ram = !strcmp(d[i].layer, "RAM");
        printf("  %s: %s on %s: %s\n", ram ? "RAM policy" : "DLF data permission", d[i].action, d[i].resource,
               d[i].allowed ? (probe ? "held" : "allowed") : (probe ? "not held: the token is read-only" : "REFUSED"));
        /* The fix names the user the way `mcdlf admin` takes it. */
        char *reason = mc_strdup(d[i].reason);
        char *at = strstr(reason, "<user>");
        if (at && user) {
            *at = '\0';
            printf("    %s%s%s\n", reason, user, at + 6);
        } else {
            printf("    %s\n", reason);
        }
        free(reason);
        const char *policy = d[i].allowed || !ram ? NULL : doctor_policy_for(d[i].action);
        if (policy)
            printf("    fix: mcdlf admin ram attach-policy %s %s\n", user ? user : "<user>", policy);
        if (!d[i].allowed && !probe)
            (ram ? &ram_refused : &dlf_refused)[0]++;
    }
    if (ram_refused && failed)
        printf("\nThe RAM layer (RAM console, the user's policies) refused; a DLF data grant cannot fix this.\n");
    else if (dlf_refused && failed)
        printf("\nThe DLF layer (DLF console, Data Permissions) refused; a RAM policy cannot fix this.\n%s",
               emulator_dlf_rules());
    free(d);
    console_close(&c);
    return failed ? 1 : 0;
}

/* `mcdlf doctor [--user U] [--profile P] [--config F] [--state DIR]`: checks
 * the profile layer by layer (engine/doctor.h). */
int cli_doctor(int argc, char **argv)
{
    console_args a;
    if (parse_args(&a, argc, argv) || a.exec || a.file) {
        fprintf(stderr, "usage: mcdlf doctor [--user NAME] [--profile NAME] [--config FILE] [--state DIR]\n");
        return 2;
    }
    console c;
    mc_err err;
    if (console_open(&c, &a, &err)) {
        fprintf(stderr, "mcdlf doctor: %s\n", err.msg);
        console_close(&c);
        return 1;
    }
    mc_buf out = MC_BUF_INIT;
    int failures = doctor_run(c.profile, session_schema(c.session), &out);
    fputs(mc_buf_cstr(&out), stdout);
    mc_buf_free(&out);
    console_close(&c);
    return failures ? 1 : 0;
}

int cli_config(int argc, char **argv)
{
    const char *profile = NULL, *config = NULL;
    if (argc < 2 || strcmp(argv[1], "show") != 0) {
        fputs("usage: mcdlf config show [--profile NAME] [--config FILE]\n", stderr);
        return 2;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--profile")) profile = argv[i + 1];
        else if (!strcmp(argv[i], "--config")) config = argv[i + 1];
        else {
            fprintf(stderr, "mcdlf config: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    config_profile *p = NULL;
    mc_err err;
    if (config_profile_load(&p, config, profile, &err)) {
        fprintf(stderr, "mcdlf: %s\n", err.msg);
        return 1;
    }
    mc_buf b = MC_BUF_INIT;
    config_profile_describe(&b, p);
    fputs(mc_buf_cstr(&b), stdout);
    mc_buf_free(&b);
    config_profile_free(p);
    return 0;
}
