/*
 * paimon: looking inside a Paimon table without a catalog (issue 4). Names
 * and the csv format are interfaces other tools script against; keep them.
 *
 *   mcdlf paimon cat TABLE [AT] [--where EXPR] [--columns a,b] [--limit N] [--format table|csv|json]
 *   mcdlf paimon schema TABLE
 *   mcdlf paimon snapshots TABLE
 *   mcdlf paimon tags TABLE
 *   mcdlf paimon files TABLE [AT] [--where EXPR] [--explain]
 *   mcdlf paimon stats TABLE [AT] [--format table|json]
 *   mcdlf paimon manifest FILE [--format table|csv|json]
 *
 * AT (time travel, paimon/travel; at most one): --snapshot N, --tag NAME, or
 * --as-of TIME, the latest snapshot committed at or before TIME: epoch
 * milliseconds or 'yyyy-mm-dd hh:mm:ss[.fff]' read as UTC (not the local
 * zone Java's scan.timestamp uses: a transcript must not depend on the
 * machine's TZ; docs/paimon-format-notes.md §Time travel).
 *
 * TABLE is a local directory, a file:// URI or oss://bucket/path, read
 * through the engine's OSS client with the active profile's endpoint and
 * credentials (--profile, --config, --state; the embedded profile starts
 * the emulator in-process, cli_profile_open). csv is the format of
 * reference/paimon-cat-csv.md.
 *
 * --where filters the merged rows with paimon/predicate; before any data
 * file is read, the plan skips the manifests whose partition statistics
 * exclude the predicate and drops the files whose partition or value
 * statistics do (paimon_table_state_load_where). `files --explain` prints
 * that plan's counts instead of the files. Usage errors
 * (bad options, an unknown column, a syntax error) exit 2, failures 1.
 */
#include <assert.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client/oss_client.h"
#include "fsutil.h"
#include "paimon/avro.h"
#include "paimon/binrow.h"
#include "paimon/predicate.h"
#include "paimon/scan.h"
#include "paimon/text.h"
#include "paimon/travel.h"
#include "paimon/writer.h"
#include "sql/console_format.h"
#include "sql/functions.h"
#include "strutil.h"

typedef struct {
    const char *cmd, *table, *columns, *format, *where, *tag, *as_of;
    const char *profile, *config, *state;
    long long snapshot, limit;
    bool explain;
} paimon_args;

/* Command results: 0, FAIL (exit 1) or USAGE (exit 2), with err filled. */
enum { FAIL = -1, USAGE = -2 };

static void usage(FILE *f)
{
    fputs("usage: mcdlf paimon cat TABLE [AT] [--where EXPR] [--columns a,b] [--limit N]\n"
          "                               [--format table|csv|json]\n"
          "       mcdlf paimon schema TABLE\n"
          "       mcdlf paimon snapshots TABLE\n"
          "       mcdlf paimon tags TABLE\n"
          "       mcdlf paimon files TABLE [AT] [--where EXPR] [--explain]\n"
          "       mcdlf paimon stats TABLE [AT] [--format table|json]\n"
          "       mcdlf paimon manifest FILE [--format table|csv|json]\n"
          "AT:    --snapshot N | --tag NAME | --as-of TIME (epoch millis or 'yyyy-mm-dd hh:mm:ss[.fff]', UTC)\n"
          "TABLE: a table directory: a local path, a file:// URI or oss://bucket/path (read with the\n"
          "       profile's OSS endpoint and credentials: --profile NAME, --config FILE, --state DIR)\n",
          f);
}

/* ---- where the table's files are ------------------------------------------------------ */

typedef struct {
    char *dir;              /* local table root */
    oss_client *oss;        /* oss:// */
    char *bucket, *prefix;  /* prefix: the root's key with a trailing '/' ("" for the bucket) */
    config_profile *profile;
    emulator *emu;
} source;

static void source_close(source *s)
{
    oss_client_free(s->oss);
    emulator_stop(s->emu);
    config_profile_free(s->profile);
    free(s->dir);
    free(s->bucket);
    free(s->prefix);
    memset(s, 0, sizeof *s);
}

static int source_open(source *s, const char *uri, const paimon_args *a, mc_err *err)
{
    memset(s, 0, sizeof *s);
    if (!mc_str_starts_with(uri, "oss://")) {
        s->dir = mc_strdup(mc_str_starts_with(uri, "file://") ? uri + 7 : uri);
        return 0;
    }
    const char *b = uri + 6, *slash = strchr(b, '/');
    s->bucket = slash ? mc_strndup(b, (size_t)(slash - b)) : mc_strdup(b);
    const char *key = slash ? slash + 1 : "";
    size_t n = strlen(key);
    while (n && key[n - 1] == '/')
        n--;
    s->prefix = n ? mc_asprintf("%.*s/", (int)n, key) : mc_strdup("");
    if (!s->bucket[0])
        return mc_err_set(err, MC_ERR_INVALID, "%s: no bucket (oss://bucket/path)", uri);
    if (cli_profile_open(&s->profile, &s->emu, a->config, a->profile, a->state, NULL, err))
        return -1;
    config_profile *p = s->profile;
    if (!p->oss_endpoint)
        return mc_err_set(err, MC_ERR_INVALID, "profile %s names no OSS endpoint", p->name);
    oss_client_config cfg = {.endpoint = p->oss_endpoint, .region = p->region, .access_key_id = p->access_key_id,
                             .access_key_secret = p->access_key_secret, .security_token = p->security_token,
                             .path_style = -1, .ca_file = p->ca_file};
    return oss_client_new(&s->oss, &cfg, err);
}

/* paimon_read_fn: rel is relative to the table root. */
static int source_read(void *ud, const char *rel, mc_buf *out, mc_err *err)
{
    source *s = ud;
    if (!s->oss) {
        char *p = mc_path_join(s->dir, rel);
        int rc = mc_file_read_all(out, p, err);
        free(p);
        return rc;
    }
    char *key = mc_asprintf("%s%s", s->prefix, rel);
    int rc = oss_client_get(s->oss, s->bucket, key, 0, -1, out, err);
    if (rc)
        mc_err_prefix(err, "oss://%s/%s", s->bucket, key);
    free(key);
    return rc;
}

/* paimon_list_fn: the names directly under dir (relative to the table root). */
static int source_list(void *ud, const char *dir, char ***names, size_t *n, mc_err *err)
{
    source *s = ud;
    *names = NULL;
    *n = 0;
    if (s->oss) {
        char *prefix = mc_asprintf("%s%s/", s->prefix, dir);
        oss_client_listing l;
        memset(&l, 0, sizeof l);
        int rc = oss_client_list(s->oss, s->bucket, prefix, "/", &l, err);
        size_t plen = strlen(prefix);
        free(prefix);
        if (rc)
            return -1;
        *names = mc_calloc(l.nkeys + 1, sizeof **names);
        for (size_t i = 0; i < l.nkeys; i++)
            (*names)[(*n)++] = mc_strdup(l.keys[i] + plen);
        oss_client_listing_clear(&l);
        return 0;
    }
    char *p = mc_path_join(s->dir, dir);
    DIR *d = opendir(p);
    free(p);
    if (!d)
        return 0;
    struct dirent *e;
    size_t cap = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap)
            *names = mc_realloc(*names, (cap = cap ? cap * 2 : 16) * sizeof **names);
        (*names)[(*n)++] = mc_strdup(e->d_name);
    }
    closedir(d);
    return 0;
}

/* The ids N of the files `sub/<stem>N` (smallest and largest; -1 when none). */
static int source_id_range(source *s, const char *sub, const char *stem, int64_t *lo, int64_t *hi, mc_err *err)
{
    *lo = *hi = -1;
    char **names;
    size_t n, len = strlen(stem);
    if (source_list(s, sub, &names, &n, err))
        return -1;
    for (size_t i = 0; i < n; i++) {
        long long id;
        if (!strncmp(names[i], stem, len) && mc_parse_i64(names[i] + len, &id) == 0) {
            *lo = *lo < 0 || id < *lo ? id : *lo;
            *hi = id > *hi ? id : *hi;
        }
        free(names[i]);
    }
    free(names);
    return 0;
}

static const char *source_name(const source *s, const char *uri)
{
    return s->oss ? uri : s->dir;
}

/* ---- a table as of a snapshot --------------------------------------------------------- */

typedef struct {
    source src;
    paimon_fileio io;
    paimon_store store;  /* io with listing */
    paimon_schema *schema;   /* the latest schema: the columns cat shows */
    paimon_schema **old;     /* other schemas, loaded when a file needs them */
    size_t nold;
    paimon_table_state st;
    paimon_plan_stats plan;  /* what the --where plan read and skipped */
} table_view;

static void view_close(table_view *v)
{
    paimon_table_state_clear(&v->st);
    paimon_schema_free(v->schema);
    for (size_t i = 0; i < v->nold; i++)
        paimon_schema_free(v->old[i]);
    free(v->old);
    source_close(&v->src);
}

static int load_schema(paimon_schema **out, const paimon_fileio *io, int64_t id, mc_err *err)
{
    char *rel = mc_asprintf("schema/schema-%lld", (long long)id);
    mc_buf b = MC_BUF_INIT;
    int rc = io->read(io->ud, rel, &b, err);
    if (rc == 0)
        rc = paimon_schema_parse(out, b.data, b.len, err);
    mc_buf_free(&b);
    free(rel);
    return rc;
}

/* Schema and files only (no snapshot planned). */
static int view_open_root(table_view *v, const paimon_args *a, mc_err *err)
{
    memset(v, 0, sizeof *v);
    if (source_open(&v->src, a->table, a, err))
        return -1;
    v->io = (paimon_fileio){source_read, &v->src};
    v->store = (paimon_store){v->io, source_list};
    int64_t lo, hi;
    if (source_id_range(&v->src, "schema", "schema-", &lo, &hi, err))
        return -1;
    if (hi < 0)
        return mc_err_set(err, MC_ERR_NOT_FOUND, "%s is not a Paimon table (no schema files)",
                          source_name(&v->src, a->table));
    return load_schema(&v->schema, &v->io, hi, err);
}

/* The snapshot the AT options name (--snapshot, --tag, --as-of). */
static int view_at(paimon_at *at, const paimon_args *a, mc_err *err)
{
    memset(at, 0, sizeof *at);
    if ((a->snapshot > 0) + !!a->tag + !!a->as_of > 1)
        return mc_err_set(err, MC_ERR_INVALID, "--snapshot, --tag and --as-of exclude each other"), USAGE;
    if (a->snapshot > 0)
        *at = (paimon_at){.kind = PAIMON_AT_SNAPSHOT, .id = a->snapshot};
    else if (a->tag)
        *at = (paimon_at){.kind = PAIMON_AT_TAG, .name = a->tag};
    if (!a->as_of)
        return 0;
    long long ms;
    int64_t wall;
    at->kind = PAIMON_AT_MILLIS;
    if (mc_parse_i64(a->as_of, &ms) == 0)
        at->millis = ms;
    else if (sql_datetime_text_ms(a->as_of, &wall) == 0)
        at->millis = wall; /* UTC: wall clock = epoch */
    else
        return mc_err_set(err, MC_ERR_INVALID,
                          "--as-of %s: expected epoch milliseconds or 'yyyy-mm-dd hh:mm:ss[.fff]' (UTC)", a->as_of),
               USAGE;
    return 0;
}

/* The table as of AT (default the latest). With --where, *p is the
 * compiled filter and the plan holds only what may match it: manifests
 * whose partition statistics exclude it are not read, then files are
 * pruned by partition and value statistics (paimon_table_state_load_where).
 * p may be NULL when the command takes no --where. */
static int view_open(table_view *v, const paimon_args *a, paimon_pred **p, mc_err *err)
{
    if (p)
        *p = NULL;
    paimon_at at;
    int rc = view_at(&at, a, err);
    if (rc)
        return memset(v, 0, sizeof *v), rc;
    if (view_open_root(v, a, err))
        return -1;
    if (p && a->where && paimon_pred_parse(p, v->schema, a->where, err)) {
        mc_err_prefix(err, "--where");
        return USAGE;
    }
    paimon_snapshot *snap = NULL;
    if (paimon_snapshot_at(&snap, &v->store, &at, err))
        return -1;
    return paimon_table_state_load_where(&v->st, &v->io, snap, v->schema, p ? *p : NULL, &v->plan, err);
}

/* The schema a file was written with. */
static const paimon_schema *view_schema(table_view *v, int64_t id, mc_err *err)
{
    if (id == v->schema->id)
        return v->schema;
    for (size_t i = 0; i < v->nold; i++)
        if (v->old[i]->id == id)
            return v->old[i];
    paimon_schema *s;
    if (load_schema(&s, &v->io, id, err))
        return NULL;
    v->old = mc_realloc(v->old, (v->nold + 1) * sizeof *v->old);
    v->old[v->nold++] = s;
    return s;
}

/* ---- decoded BinaryRows as text -------------------------------------------------------- */

/* A row's columns as name/text pairs (text NULL for SQL NULL). */
typedef struct {
    char **names, **texts;
    size_t n;
} row_text;

static void row_text_clear(row_text *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->names[i]);
        free(r->texts[i]);
    }
    free(r->names);
    free(r->texts);
    memset(r, 0, sizeof *r);
}

/* Decodes a manifest-form BinaryRow of the named columns of schema s. A
 * column s lacks, or no schema at all, leaves the row as hex under "row". */
static int row_text_of(row_text *r, const paimon_schema *s, char *const *cols, size_t ncols,
                       const paimon_bytes *row, mc_err *err)
{
    memset(r, 0, sizeof *r);
    const paimon_type **types = mc_calloc(ncols + 1, sizeof *types);
    paimon_datum *vals = mc_calloc(ncols + 1, sizeof *vals);
    bool typed = s != NULL;
    for (size_t i = 0; typed && i < ncols; i++) {
        int k = paimon_schema_field_index(s, cols[i]);
        typed = k >= 0;
        if (typed)
            types[i] = s->fields[k].type;
    }
    int rc = 0;
    mc_err ignored;
    if (typed && row->len && paimon_binrow_read_serialized(vals, types, ncols, row->data, row->len, &ignored) == 0) {
        r->names = mc_calloc(ncols + 1, sizeof *r->names);
        r->texts = mc_calloc(ncols + 1, sizeof *r->texts);
        mc_buf t = MC_BUF_INIT;
        for (size_t i = 0; i < ncols && rc == 0; i++, r->n++) {
            r->names[i] = mc_strdup(cols[i]);
            mc_buf_reset(&t);
            if (!vals[i].is_null && (rc = paimon_datum_text(&t, types[i], &vals[i], err)) == 0)
                r->texts[i] = mc_strdup(mc_buf_cstr(&t));
        }
        mc_buf_free(&t);
    } else if (row->len) {
        r->names = mc_calloc(2, sizeof *r->names);
        r->texts = mc_calloc(2, sizeof *r->texts);
        r->names[0] = mc_strdup("row");
        mc_buf h = MC_BUF_INIT;
        for (size_t i = 0; i < row->len; i++)
            mc_buf_printf(&h, "%02x", row->data[i]);
        r->texts[0] = mc_strdup(mc_buf_cstr(&h));
        mc_buf_free(&h);
        r->n = 1;
    }
    free(types);
    free(vals);
    return rc;
}

/* "a=1 b=NULL" */
static void row_text_line(mc_buf *out, const row_text *r)
{
    for (size_t i = 0; i < r->n; i++)
        mc_buf_printf(out, "%s%s=%s", i ? " " : "", r->names[i], r->texts[i] ? r->texts[i] : "NULL");
}

/* Values as JSON strings, or as integers for counts. */
static json_t *row_text_json(const row_text *r, bool counts)
{
    json_t *o = json_object();
    for (size_t i = 0; i < r->n; i++) {
        long long v;
        json_t *j = !r->texts[i] ? json_null()
                    : counts && mc_parse_i64(r->texts[i], &v) == 0 ? json_integer(v)
                                                                    : json_string(r->texts[i]);
        json_object_set_new(o, r->names[i], j);
    }
    return o;
}

/* The columns value stats cover: _VALUE_STATS_COLS, or all of the file's schema. */
static char **stats_cols(const paimon_schema *fs, const paimon_data_file_meta *f, size_t *n)
{
    if (f->value_stats_cols.set) {
        *n = f->value_stats_cols.n;
        return f->value_stats_cols.items;
    }
    static char *none[1];
    if (!fs) {
        *n = 0;
        return none;
    }
    char **c = mc_calloc(fs->nfields + 1, sizeof *c);
    for (size_t i = 0; i < fs->nfields; i++)
        c[i] = fs->fields[i].name;
    *n = fs->nfields;
    return c;
}

/* A file's value stats as min, max and null-count texts. */
static int file_stats_text(row_text *min, row_text *max, row_text *nulls, const paimon_schema *fs,
                           const paimon_data_file_meta *f, mc_err *err)
{
    size_t n;
    char **cols = stats_cols(fs, f, &n);
    const paimon_simple_stats *st = &f->value_stats;
    int rc = row_text_of(min, fs, cols, n, &st->min_values, err);
    if (rc == 0)
        rc = row_text_of(max, fs, cols, n, &st->max_values, err);
    memset(nulls, 0, sizeof *nulls);
    if (rc == 0 && st->has_null_counts) {
        nulls->names = mc_calloc(st->n_null_counts + 1, sizeof *nulls->names);
        nulls->texts = mc_calloc(st->n_null_counts + 1, sizeof *nulls->texts);
        for (size_t i = 0; i < st->n_null_counts; i++, nulls->n++) {
            nulls->names[i] = i < n ? mc_strdup(cols[i]) : mc_asprintf("#%zu", i);
            if (st->null_counts[i].set)
                nulls->texts[i] = mc_asprintf("%lld", (long long)st->null_counts[i].v);
        }
    }
    if (cols != f->value_stats_cols.items && n)
        free(cols);
    return rc;
}

static char *partition_text(const paimon_schema *s, const paimon_bytes *partition, mc_err *err)
{
    mc_buf part = MC_BUF_INIT;
    if (s) {
        if (paimon_partition_path_of(&part, s, partition, err)) {
            mc_buf_free(&part);
            return NULL;
        }
        if (part.len && part.data[part.len - 1] == '/')
            part.data[--part.len] = '\0';
    } else {
        for (size_t i = 0; i < partition->len; i++)
            mc_buf_printf(&part, "%02x", partition->data[i]);
    }
    char *t = mc_strdup(mc_buf_cstr(&part));
    mc_buf_free(&part);
    return t;
}

/* ---- cat ---------------------------------------------------------------------------- */

/* Indices of the requested columns in the order of the request. */
static int pick_columns(const paimon_schema *s, const char *columns, int **idx, size_t *n, mc_err *err)
{
    *idx = mc_calloc(s->nfields + 1, sizeof **idx);
    *n = 0;
    if (!columns) {
        for (size_t i = 0; i < s->nfields; i++)
            (*idx)[(*n)++] = (int)i;
        return 0;
    }
    char *copy = mc_strdup(columns), *save = NULL;
    int rc = 0;
    for (char *c = strtok_r(copy, ",", &save); c && rc == 0; c = strtok_r(NULL, ",", &save)) {
        int i = paimon_schema_field_index(s, c);
        if (i < 0)
            rc = mc_err_set(err, MC_ERR_INVALID, "--columns: the table has no column %s", c);
        else if (*n <= s->nfields)
            (*idx)[(*n)++] = i;
    }
    free(copy);
    return rc ? USAGE : 0;
}

static int cat(const paimon_args *a, mc_err *err)
{
    sql_out_format fmt = SQL_OUT_TABLE;
    bool csv = a->format && !strcmp(a->format, "csv");
    if (a->format && !csv && (sql_out_format_parse(a->format, &fmt) || fmt == SQL_OUT_TSV))
        return mc_err_set(err, MC_ERR_INVALID, "--format must be table, csv or json"), USAGE;
    table_view v;
    int *idx = NULL;
    size_t n = 0;
    paimon_scan *scan = NULL;
    paimon_pred *pred = NULL;
    int rc = view_open(&v, a, &pred, err);
    if (rc == 0)
        rc = pick_columns(v.schema, a->columns, &idx, &n, err);
    if (rc == 0)
        rc = paimon_scan_open(&scan, &v.io, v.schema, &v.st, err);
    mc_buf out = MC_BUF_INIT, cell = MC_BUF_INIT;
    const char **names = mc_calloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = v.schema->fields[idx[i]].name;
    sql_result *res = csv ? NULL : sql_result_new(n, names);
    char **cells = mc_calloc(n + 1, sizeof *cells);
    if (rc == 0 && csv) {
        for (size_t i = 0; i < n; i++)
            mc_buf_printf(&out, "%s%s", i ? "," : "", names[i]);
        mc_buf_putc(&out, '\n');
    }
    long long count = 0;
    while (rc == 0 && (a->limit < 0 || count < a->limit)) {
        const paimon_datum *row;
        int r = paimon_scan_next(scan, &row, err);
        if (r <= 0) {
            rc = r;
            break;
        }
        if (pred && !paimon_pred_eval(pred, row))
            continue;
        for (size_t i = 0; i < n && rc == 0; i++) {
            const paimon_datum *d = &row[idx[i]];
            mc_buf_reset(&cell);
            if (!d->is_null)
                rc = paimon_datum_text(&cell, v.schema->fields[idx[i]].type, d, err);
            if (csv) {
                if (i)
                    mc_buf_putc(&out, ',');
                paimon_csv_field(&out, mc_buf_cstr(&cell), cell.len, d->is_null);
            } else {
                cells[i] = d->is_null ? NULL : mc_strdup(mc_buf_cstr(&cell));
            }
        }
        if (csv) {
            mc_buf_putc(&out, '\n');
        } else {
            sql_result_add_row(res, (const char *const *)cells);
            for (size_t i = 0; i < n; i++) {
                free(cells[i]);
                cells[i] = NULL;
            }
        }
        count++;
    }
    if (rc == 0 && res)
        sql_result_render(&out, res, fmt);
    if (rc == 0)
        fwrite(mc_buf_cstr(&out), 1, out.len, stdout);
    sql_result_free(res);
    free(cells);
    free(names);
    mc_buf_free(&out);
    mc_buf_free(&cell);
    paimon_scan_close(scan);
    paimon_pred_free(pred);
    free(idx);
    view_close(&v);
    return rc;
}

/* ---- schema, snapshots, files ----------------------------------------------------------- */

static int schema_cmd(const paimon_args *a, mc_err *err)
{
    table_view v;
    int rc = view_open_root(&v, a, err);
    if (rc == 0) {
        mc_buf b = MC_BUF_INIT;
        paimon_schema_write(&b, v.schema);
        printf("%s\n", b.data);
        mc_buf_free(&b);
    }
    view_close(&v);
    return rc;
}

static int snapshots_cmd(const paimon_args *a, mc_err *err)
{
    table_view v;
    int64_t first = 0, last = -1;
    int rc = view_open_root(&v, a, err);
    if (rc == 0)
        rc = source_id_range(&v.src, "snapshot", "snapshot-", &first, &last, err);
    if (rc == 0)
        printf("id,schemaId,commitKind,timeMillis,totalRecordCount,deltaRecordCount,commitUser,baseManifestList,"
               "deltaManifestList\n");
    for (int64_t id = first; rc == 0 && id > 0 && id <= last; id++) {
        paimon_snapshot *s;
        char rel[64];
        snprintf(rel, sizeof rel, "snapshot/snapshot-%lld", (long long)id);
        if ((rc = paimon_snapshot_read(&s, &v.io, rel, err)) != 0)
            break;
        printf("%lld,%lld,%s,%lld,%lld,%lld,%s,%s,%s\n", (long long)s->id, (long long)s->schema_id, s->commit_kind,
               (long long)s->time_millis, (long long)s->total_record_count, (long long)s->delta_record_count,
               s->commit_user ? s->commit_user : "", s->base_manifest_list, s->delta_manifest_list);
        paimon_snapshot_free(s);
    }
    view_close(&v);
    return rc;
}

/* Tags by snapshot id (TagManager.tags()), one csv line each. */
static int tags_cmd(const paimon_args *a, mc_err *err)
{
    table_view v;
    paimon_tag *tags = NULL;
    size_t n = 0;
    int rc = view_open_root(&v, a, err);
    if (rc == 0)
        rc = paimon_tags_list(&tags, &n, &v.store, err);
    if (rc == 0)
        printf("tagName,snapshotId,schemaId,commitKind,timeMillis,totalRecordCount\n");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const paimon_snapshot *s = tags[i].snap;
        printf("%s,%lld,%lld,%s,%lld,%lld\n", tags[i].name, (long long)s->id, (long long)s->schema_id, s->commit_kind,
               (long long)s->time_millis, (long long)s->total_record_count);
    }
    paimon_tags_free(tags, n);
    view_close(&v);
    return rc;
}

static int files_cmd(const paimon_args *a, mc_err *err)
{
    table_view v;
    paimon_pred *pred = NULL;
    int rc = view_open(&v, a, &pred, err);
    if (rc == 0 && a->explain) {
        /* The plan instead of the files: how much of the table --where reads. */
        printf("manifests: %zu listed, %zu skipped by partition statistics, %zu read\n", v.plan.manifests,
               v.plan.manifests_skipped, v.plan.manifests - v.plan.manifests_skipped);
        printf("data files: %zu live in the manifests read, %zu skipped by statistics, %zu to read\n",
               v.plan.files, v.plan.files_dropped, v.st.nlive);
        paimon_pred_free(pred);
        view_close(&v);
        return 0;
    }
    if (rc == 0)
        printf("partition,bucket,level,rowCount,fileSize,schemaId,file,minValues,maxValues,nullCounts\n");
    mc_buf line = MC_BUF_INIT, t = MC_BUF_INIT;
    for (size_t i = 0; i < v.st.nlive && rc == 0; i++) {
        const paimon_manifest_entry *e = &v.st.live[i];
        char *part = partition_text(v.schema, &e->partition, err);
        const paimon_schema *fs = view_schema(&v, e->file.schema_id, err);
        row_text st[3];
        if (!part || !fs || file_stats_text(&st[0], &st[1], &st[2], fs, &e->file, err)) {
            free(part);
            rc = FAIL;
            break;
        }
        mc_buf_reset(&line);
        mc_buf_printf(&line, "%s,%d,%d,%lld,%lld,%lld,%s", part, e->bucket, e->file.level,
                      (long long)e->file.row_count, (long long)e->file.file_size, (long long)e->file.schema_id,
                      e->file.file_name);
        for (int k = 0; k < 3; k++) {
            mc_buf_reset(&t);
            row_text_line(&t, &st[k]);
            mc_buf_putc(&line, ',');
            paimon_csv_field(&line, mc_buf_cstr(&t), t.len, false);
            row_text_clear(&st[k]);
        }
        printf("%s\n", mc_buf_cstr(&line));
        free(part);
    }
    mc_buf_free(&line);
    mc_buf_free(&t);
    paimon_pred_free(pred);
    view_close(&v);
    return rc;
}

/* ---- stats ---------------------------------------------------------------------------- */

typedef struct {
    char *name;
    int64_t rows, files, size;
} part_stat;

/* Per column over the live files: min/max are known only when every file
 * bounds the column (a partial min/max would be wrong). */
typedef struct {
    bool bounded, counted;
    paimon_datum min, max;
    int64_t nulls;
} col_stat;

/* Folds one file's value stats into cols (current schema order). The
 * file's stats name columns of its own schema fs; they count for the
 * current column of the same field id and type. A current column the file
 * lacks reads as NULL in all its rows (§9); a column without stats makes
 * min/max and null counts unknown. */
static void fold_file_stats(col_stat *cols, const paimon_schema *s, const paimon_schema *fs,
                            const paimon_data_file_meta *f)
{
    size_t n;
    char **names = stats_cols(fs, f, &n);
    /* Decoded values borrow the entry's stats bytes, which outlive cols. */
    paimon_datum *mins = mc_calloc(n + 1, sizeof *mins), *maxs = mc_calloc(n + 1, sizeof *maxs);
    bool *seen = mc_calloc(s->nfields + 1, sizeof *seen);
    const paimon_type **types = mc_calloc(n + 1, sizeof *types);
    int *idx = mc_calloc(n + 1, sizeof *idx);
    bool ok = n <= fs->nfields && f->value_stats.min_values.len;
    for (size_t i = 0; ok && i < n; i++) {
        int k = paimon_schema_field_index(fs, names[i]);
        ok = k >= 0;
        if (ok)
            types[i] = fs->fields[k].type;
        idx[i] = -1;
        for (size_t c = 0; ok && c < s->nfields; c++)
            if (s->fields[c].id == fs->fields[k].id && paimon_type_equal(s->fields[c].type, types[i]))
                idx[i] = (int)c;
    }
    mc_err ignored;
    const paimon_simple_stats *st = &f->value_stats;
    ok = ok && !paimon_binrow_read_serialized(mins, types, n, st->min_values.data, st->min_values.len, &ignored) &&
         !paimon_binrow_read_serialized(maxs, types, n, st->max_values.data, st->max_values.len, &ignored);
    for (size_t i = 0; ok && i < n; i++) {
        if (idx[i] < 0)
            continue;
        col_stat *c = &cols[idx[i]];
        seen[idx[i]] = true;
        bool counted = st->has_null_counts && i < st->n_null_counts && st->null_counts[i].set;
        if (mins[i].is_null || maxs[i].is_null) {
            /* an all-NULL file bounds nothing but excludes nothing either */
            if (!counted || st->null_counts[i].v != f->row_count)
                c->bounded = false;
        } else if (c->bounded) {
            if (c->min.is_null || paimon_datum_compare(types[i], &mins[i], &c->min) < 0)
                c->min = mins[i];
            if (c->max.is_null || paimon_datum_compare(types[i], &maxs[i], &c->max) > 0)
                c->max = maxs[i];
        }
        if (counted)
            c->nulls += st->null_counts[i].v;
        else
            c->counted = false;
    }
    for (size_t k = 0; k < s->nfields; k++) {
        if (seen[k])
            continue;
        bool in_file = false;
        for (size_t j = 0; j < fs->nfields; j++)
            in_file |= fs->fields[j].id == s->fields[k].id;
        if (in_file || !ok)
            cols[k].bounded = cols[k].counted = false;
        else
            cols[k].nulls += f->row_count; /* added after the file was written */
    }
    if (names != f->value_stats_cols.items && n)
        free(names);
    free(seen);
    free(types);
    free(idx);
    free(mins);
    free(maxs);
}

static int stats_cmd(const paimon_args *a, mc_err *err)
{
    sql_out_format fmt = SQL_OUT_TABLE;
    if (a->format && (sql_out_format_parse(a->format, &fmt) || (fmt != SQL_OUT_TABLE && fmt != SQL_OUT_JSON)))
        return mc_err_set(err, MC_ERR_INVALID, "--format must be table or json"), USAGE;
    table_view v;
    if (view_open(&v, a, NULL, err)) {
        view_close(&v);
        return FAIL;
    }
    const paimon_schema *s = v.schema;
    size_t nf = s->nfields, nlive = v.st.nlive;
    col_stat *cols = mc_calloc(nf + 1, sizeof *cols);
    for (size_t k = 0; k < nf; k++)
        cols[k] = (col_stat){true, true, paimon_datum_null(), paimon_datum_null(), 0};
    part_stat *parts = NULL;
    size_t nparts = 0;
    int64_t rows = 0, size = 0;
    int rc = 0;
    for (size_t i = 0; i < nlive && rc == 0; i++) {
        const paimon_manifest_entry *e = &v.st.live[i];
        rows += e->file.row_count;
        size += e->file.file_size;
        char *name = partition_text(s, &e->partition, err);
        if (!name) {
            rc = FAIL;
            break;
        }
        size_t p = 0;
        while (p < nparts && strcmp(parts[p].name, name))
            p++;
        if (p == nparts) {
            parts = mc_realloc(parts, (nparts + 1) * sizeof *parts);
            parts[nparts++] = (part_stat){name, 0, 0, 0};
        } else {
            free(name);
        }
        parts[p].rows += e->file.row_count;
        parts[p].files++;
        parts[p].size += e->file.file_size;
        const paimon_schema *fs = view_schema(&v, e->file.schema_id, err);
        if (!fs) {
            rc = FAIL;
            break;
        }
        fold_file_stats(cols, s, fs, &e->file);
    }
    mc_buf out = MC_BUF_INIT, t = MC_BUF_INIT;
    json_t *j = json_object(), *jparts = json_array(), *jcols = json_array();
    const char *pnames[] = {"partition", "rows", "files", "size"}, *cnames[] = {"column", "nulls", "min", "max"};
    sql_result *rp = sql_result_new(4, pnames), *rcols = sql_result_new(4, cnames);
    for (size_t p = 0; p < nparts && rc == 0; p++) {
        char n1[24], n2[24], n3[24];
        snprintf(n1, sizeof n1, "%lld", (long long)parts[p].rows);
        snprintf(n2, sizeof n2, "%lld", (long long)parts[p].files);
        snprintf(n3, sizeof n3, "%lld", (long long)parts[p].size);
        const char *cells[] = {parts[p].name, n1, n2, n3};
        sql_result_add_row(rp, cells);
        json_array_append_new(jparts, json_pack("{s:s,s:I,s:I,s:I}", "partition", parts[p].name, "rows",
                                                (json_int_t)parts[p].rows, "files", (json_int_t)parts[p].files,
                                                "size", (json_int_t)parts[p].size));
    }
    for (size_t k = 0; k < nf && rc == 0; k++) {
        const col_stat *c = &cols[k];
        char nulls[24], *mn = NULL, *mx = NULL;
        snprintf(nulls, sizeof nulls, "%lld", (long long)c->nulls);
        bool bounded = c->bounded && !c->min.is_null && nlive;
        for (int w = 0; bounded && w < 2 && rc == 0; w++) {
            mc_buf_reset(&t);
            rc = paimon_datum_text(&t, s->fields[k].type, w ? &c->max : &c->min, err);
            *(w ? &mx : &mn) = mc_strdup(mc_buf_cstr(&t));
        }
        const char *cells[] = {s->fields[k].name, c->counted ? nulls : NULL, mn, mx};
        sql_result_add_row(rcols, cells);
        json_t *o = json_object();
        json_object_set_new(o, "column", json_string(s->fields[k].name));
        json_object_set_new(o, "nulls", c->counted ? json_integer(c->nulls) : json_null());
        json_object_set_new(o, "min", mn ? json_string(mn) : json_null());
        json_object_set_new(o, "max", mx ? json_string(mx) : json_null());
        json_array_append_new(jcols, o);
        free(mn);
        free(mx);
    }
    int64_t snap = v.st.snap ? v.st.snap->id : 0;
    if (rc == 0 && fmt == SQL_OUT_JSON) {
        json_object_set_new(j, "snapshot", json_integer(snap));
        json_object_set_new(j, "schemaId", json_integer(s->id));
        json_object_set_new(j, "records", json_integer(rows));
        json_object_set_new(j, "files", json_integer((json_int_t)nlive));
        json_object_set_new(j, "size", json_integer(size));
        json_object_set_new(j, "partitions", json_incref(jparts));
        json_object_set_new(j, "columns", json_incref(jcols));
        char *txt = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", txt);
        free(txt);
    } else if (rc == 0) {
        printf("snapshot %lld, schema %lld: %lld records in %zu files, %lld bytes\n", (long long)snap,
               (long long)s->id, (long long)rows, nlive, (long long)size);
        printf("column statistics are those of the data files (rows before a primary-key merge)\n");
        sql_result_render(&out, rp, SQL_OUT_TABLE);
        sql_result_render(&out, rcols, SQL_OUT_TABLE);
        fwrite(out.data, 1, out.len, stdout);
    }
    json_decref(j);
    json_decref(jparts);
    json_decref(jcols);
    sql_result_free(rp);
    sql_result_free(rcols);
    mc_buf_free(&out);
    mc_buf_free(&t);
    for (size_t p = 0; p < nparts; p++)
        free(parts[p].name);
    free(parts);
    free(cols);
    view_close(&v);
    return rc;
}

/* ---- manifest ------------------------------------------------------------------------- */

/* A manifest inside a table (<root>/manifest/<file>) decodes its rows with
 * the table's schemas; elsewhere they print as hex. */
static void manifest_table(table_view *v, const paimon_args *a, const char *file)
{
    const char *slash = strrchr(file, '/');
    size_t dir_len = slash ? (size_t)(slash - file) : 0;
    if (dir_len < 9 || strncmp(file + dir_len - 9, "/manifest", 9) != 0)
        return;
    paimon_args ta = *a;
    char *root = mc_strndup(file, dir_len - 9);
    ta.table = root;
    mc_err ignored;
    if (view_open_root(v, &ta, &ignored)) {
        view_close(v);
        memset(v, 0, sizeof *v);
    }
    free(root);
}

static char *fmt_i64(int64_t v) { return mc_asprintf("%lld", (long long)v); }
static char *fmt_opt(paimon_opt_long v) { return v.set ? fmt_i64(v.v) : NULL; }

/* One output row: parallel names/cells; JSON keeps numbers as numbers. */
typedef struct {
    size_t n;
    const char *names[16];
    char *cells[16];
    json_t *json;
} out_row;

static void put(out_row *r, const char *name, char *cell, json_t *j)
{
    assert(r->n < 16);
    r->names[r->n] = name;
    r->cells[r->n++] = cell;
    json_object_set_new(r->json, name, j ? j : json_null());
}

static void put_i64(out_row *r, const char *name, int64_t v) { put(r, name, fmt_i64(v), json_integer(v)); }
static void put_opt(out_row *r, const char *name, paimon_opt_long v)
{
    put(r, name, fmt_opt(v), v.set ? json_integer(v.v) : NULL);
}
static void put_str(out_row *r, const char *name, const char *s)
{
    put(r, name, s ? mc_strdup(s) : NULL, s ? json_string(s) : NULL);
}
static void put_row(out_row *r, const char *name, const row_text *t, bool counts)
{
    mc_buf b = MC_BUF_INIT;
    row_text_line(&b, t);
    put(r, name, mc_strdup(mc_buf_cstr(&b)), row_text_json(t, counts));
    mc_buf_free(&b);
}

/* Adds r to the result (made on the first row) and the JSON array, then empties r. */
static void emit_row(sql_result **res, json_t *arr, out_row *r)
{
    if (!*res)
        *res = sql_result_new(r->n, r->names);
    sql_result_add_row(*res, (const char *const *)r->cells);
    json_array_append_new(arr, r->json);
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i]);
    r->n = 0;
    r->json = json_object();
}

static const char *kind_name(int32_t k) { return k == PAIMON_FILE_ADD ? "ADD" : k == PAIMON_FILE_DELETE ? "DELETE" : "?"; }

static int manifest_list_rows(table_view *v, const uint8_t *data, size_t len, sql_result **res, json_t *arr, mc_err *err)
{
    paimon_manifest_file_meta *m = NULL;
    size_t n = 0;
    if (paimon_manifest_list_read(&m, &n, data, len, err))
        return FAIL;
    out_row r = {.json = json_object()};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const paimon_schema *s = v->schema ? view_schema(v, m[i].schema_id, err) : NULL;
        if (v->schema && !s) {
            rc = FAIL;
            break;
        }
        row_text pmin, pmax;
        char *const *keys = s ? s->partition_keys : NULL;
        size_t nk = s ? s->npartition_keys : 0;
        rc = row_text_of(&pmin, s, keys, nk, &m[i].partition_stats.min_values, err);
        if (rc == 0)
            rc = row_text_of(&pmax, s, keys, nk, &m[i].partition_stats.max_values, err);
        if (rc) {
            row_text_clear(&pmin);
            break;
        }
        put_str(&r, "file", m[i].file_name);
        put_i64(&r, "size", m[i].file_size);
        put_i64(&r, "added", m[i].num_added_files);
        put_i64(&r, "deleted", m[i].num_deleted_files);
        put_row(&r, "partitionMin", &pmin, false);
        put_row(&r, "partitionMax", &pmax, false);
        put_i64(&r, "schemaId", m[i].schema_id);
        put_opt(&r, "minBucket", m[i].min_bucket);
        put_opt(&r, "maxBucket", m[i].max_bucket);
        put_opt(&r, "minLevel", m[i].min_level);
        put_opt(&r, "maxLevel", m[i].max_level);
        emit_row(res, arr, &r);
        row_text_clear(&pmin);
        row_text_clear(&pmax);
    }
    json_decref(r.json);
    paimon_manifest_file_metas_free(m, n);
    return rc;
}

static int manifest_entry_rows(table_view *v, const uint8_t *data, size_t len, sql_result **res, json_t *arr,
                               mc_err *err)
{
    paimon_manifest_entry *e = NULL;
    size_t n = 0;
    if (paimon_manifest_read(&e, &n, data, len, err))
        return FAIL;
    out_row r = {.json = json_object()};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const paimon_data_file_meta *f = &e[i].file;
        const paimon_schema *fs = v->schema ? view_schema(v, f->schema_id, err) : NULL;
        char *part = (v->schema && !fs) ? NULL : partition_text(v->schema, &e[i].partition, err);
        row_text st[3];
        if (!part || file_stats_text(&st[0], &st[1], &st[2], fs, f, err)) {
            free(part);
            rc = FAIL;
            break;
        }
        put_str(&r, "kind", kind_name(e[i].kind));
        put_str(&r, "partition", part);
        put_i64(&r, "bucket", e[i].bucket);
        put_i64(&r, "level", f->level);
        put_str(&r, "file", f->file_name);
        put_i64(&r, "rows", f->row_count);
        put_i64(&r, "size", f->file_size);
        put_row(&r, "min", &st[0], false);
        put_row(&r, "max", &st[1], false);
        put_row(&r, "nullCounts", &st[2], true);
        put_i64(&r, "minSeq", f->min_sequence_number);
        put_i64(&r, "maxSeq", f->max_sequence_number);
        put_i64(&r, "schemaId", f->schema_id);
        emit_row(res, arr, &r);
        for (int k = 0; k < 3; k++)
            row_text_clear(&st[k]);
        free(part);
    }
    json_decref(r.json);
    paimon_manifest_entries_free(e, n);
    return rc;
}

static int index_manifest_rows(table_view *v, const uint8_t *data, size_t len, sql_result **res, json_t *arr,
                               mc_err *err)
{
    paimon_index_manifest_entry *e = NULL;
    size_t n = 0;
    if (paimon_index_manifest_read(&e, &n, data, len, err))
        return FAIL;
    out_row r = {.json = json_object()};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *part = partition_text(v->schema, &e[i].partition, err);
        if (!part) {
            rc = FAIL;
            break;
        }
        put_str(&r, "kind", kind_name(e[i].kind));
        put_str(&r, "partition", part);
        put_i64(&r, "bucket", e[i].bucket);
        put_str(&r, "indexType", e[i].index_type);
        put_str(&r, "file", e[i].file_name);
        put_i64(&r, "size", e[i].file_size);
        put_i64(&r, "rows", e[i].row_count);
        emit_row(res, arr, &r);
        free(part);
    }
    json_decref(r.json);
    paimon_index_manifest_entries_free(e, n);
    return rc;
}

/* Which manifest the writer schema describes (reference/paimon-format.md §4). */
typedef enum { M_LIST, M_ENTRIES, M_INDEX, M_UNKNOWN } manifest_kind;

static manifest_kind manifest_kind_of(const uint8_t *data, size_t len, mc_err *err)
{
    paimon_avro_file *f = NULL;
    if (paimon_avro_file_open(&f, data, len, err))
        return M_UNKNOWN;
    const paimon_avro_node *root = paimon_avro_file_schema(f)->root;
    manifest_kind k = M_UNKNOWN;
    if (paimon_avro_node_field(root, "_NUM_ADDED_FILES") >= 0)
        k = M_LIST;
    else if (paimon_avro_node_field(root, "_INDEX_TYPE") >= 0)
        k = M_INDEX;
    else if (paimon_avro_node_field(root, "_FILE") >= 0)
        k = M_ENTRIES;
    else
        mc_err_set(err, MC_ERR_INVALID, "not a Paimon manifest list, manifest or index manifest");
    paimon_avro_file_close(f);
    return k;
}

static int manifest_cmd(const paimon_args *a, mc_err *err)
{
    sql_out_format fmt = SQL_OUT_TABLE;
    if (a->format && sql_out_format_parse(a->format, &fmt))
        return mc_err_set(err, MC_ERR_INVALID, "--format must be table, csv, tsv or json"), USAGE;
    table_view v;
    memset(&v, 0, sizeof v);
    manifest_table(&v, a, a->table);
    /* The file itself: through the table's source when it is inside one. */
    source own;
    memset(&own, 0, sizeof own);
    mc_buf data = MC_BUF_INIT;
    const char *base = strrchr(a->table, '/');
    int rc = 0;
    if (v.schema) {
        char *rel = mc_asprintf("manifest/%s", base + 1);
        rc = source_read(&v.src, rel, &data, err);
        free(rel);
    } else if (mc_str_starts_with(a->table, "oss://")) {
        rc = base && base > a->table + 5 ? source_open(&own, a->table, a, err) : -1;
        if (rc == 0) {
            /* source_open made the file's key a prefix: read it without the slash. */
            own.prefix[strlen(own.prefix) - 1] = '\0';
            rc = oss_client_get(own.oss, own.bucket, own.prefix, 0, -1, &data, err);
        } else if (!base || base <= a->table + 5) {
            rc = mc_err_set(err, MC_ERR_INVALID, "%s: not an object (oss://bucket/key)", a->table);
        }
    } else {
        rc = mc_file_read_all(&data, mc_str_starts_with(a->table, "file://") ? a->table + 7 : a->table, err);
    }
    sql_result *res = NULL;
    json_t *arr = json_array();
    if (rc == 0) {
        const uint8_t *d = (const uint8_t *)data.data;
        switch (manifest_kind_of(d, data.len, err)) {
        case M_LIST: rc = manifest_list_rows(&v, d, data.len, &res, arr, err); break;
        case M_ENTRIES: rc = manifest_entry_rows(&v, d, data.len, &res, arr, err); break;
        case M_INDEX: rc = index_manifest_rows(&v, d, data.len, &res, arr, err); break;
        case M_UNKNOWN: rc = FAIL; break;
        }
    }
    if (rc == 0 && fmt == SQL_OUT_JSON) {
        char *txt = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", txt);
        free(txt);
    } else if (rc == 0 && res) {
        mc_buf out = MC_BUF_INIT;
        sql_result_render(&out, res, fmt);
        fwrite(out.data, 1, out.len, stdout);
        mc_buf_free(&out);
    } else if (rc == 0) {
        printf("(no entries)\n");
    }
    sql_result_free(res);
    json_decref(arr);
    mc_buf_free(&data);
    source_close(&own);
    view_close(&v);
    return rc;
}

/* ---- entry ---------------------------------------------------------------------------- */

int cli_paimon(int argc, char **argv)
{
    paimon_args a = {.snapshot = 0, .limit = -1};
    if (argc < 3) {
        usage(stderr);
        return 2;
    }
    a.cmd = argv[1];
    a.table = argv[2];
    for (int i = 3; i < argc; i += 2) { /* every option but --explain takes a value */
        const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--explain")) {
            a.explain = true;
            i--;
            continue;
        }
        long long num = 0;
        const char **slot = !strcmp(o, "--columns")   ? &a.columns
                            : !strcmp(o, "--format")  ? &a.format
                            : !strcmp(o, "--where")   ? &a.where
                            : !strcmp(o, "--profile") ? &a.profile
                            : !strcmp(o, "--config")  ? &a.config
                            : !strcmp(o, "--state")   ? &a.state
                            : !strcmp(o, "--tag")     ? &a.tag
                            : !strcmp(o, "--as-of")   ? &a.as_of
                                                      : NULL;
        if (!val) {
            fprintf(stderr, "mcdlf paimon: option %s needs a value\n", o);
            return 2;
        }
        if (slot)
            *slot = val;
        else if ((!strcmp(o, "--snapshot") || !strcmp(o, "--limit")) && mc_parse_i64(val, &num) == 0 && num >= 0)
            *(!strcmp(o, "--snapshot") ? &a.snapshot : &a.limit) = num;
        else {
            fprintf(stderr, "mcdlf paimon: bad option %s %s\n", o, val);
            usage(stderr);
            return 2;
        }
    }
    static const struct {
        const char *name;
        int (*run)(const paimon_args *, mc_err *);
        bool where;
    } cmds[] = {{"cat", cat, true},         {"schema", schema_cmd, false}, {"snapshots", snapshots_cmd, false},
                {"tags", tags_cmd, false},  {"files", files_cmd, true},    {"stats", stats_cmd, false},
                {"manifest", manifest_cmd, false}};
    for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
        if (strcmp(a.cmd, cmds[c].name) != 0)
            continue;
        if (a.where && !cmds[c].where) {
            fprintf(stderr, "mcdlf paimon %s: --where is for cat and files\n", a.cmd);
            return 2;
        }
        if (a.explain && strcmp(a.cmd, "files") != 0) {
            fprintf(stderr, "mcdlf paimon %s: --explain is for files\n", a.cmd);
            return 2;
        }
        mc_err err;
        mc_err_clear(&err);
        int rc = cmds[c].run(&a, &err);
        if (rc) {
            fprintf(stderr, "mcdlf paimon %s: %s\n", a.cmd, err.msg);
            return rc == USAGE ? 2 : 1;
        }
        return 0;
    }
    usage(stderr);
    return 2;
}
