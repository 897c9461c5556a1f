/*
 * paimon: looking inside a Paimon table without a catalog (issue 4). Names
 * and the csv format are interfaces other tools script against; keep them.
 *
 *   mcdlf paimon cat TABLE [--snapshot N] [--columns a,b] [--limit N] [--format table|csv|json]
 *   mcdlf paimon schema TABLE
 *   mcdlf paimon snapshots TABLE
 *   mcdlf paimon files TABLE [--snapshot N]
 *
 * TABLE is a local directory or a file:// URI. csv is the format of
 * reference/paimon-cat-csv.md.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fsutil.h"
#include "paimon/scan.h"
#include "paimon/text.h"
#include "sql/console_format.h"
#include "strutil.h"

typedef struct {
    const char *cmd, *table, *columns, *format, *where;
    long long snapshot, limit;
} paimon_args;

static void usage(FILE *f)
{
    fputs("usage: mcdlf paimon cat TABLE [--snapshot N] [--columns a,b] [--limit N] [--format table|csv|json]\n"
          "       mcdlf paimon schema TABLE\n"
          "       mcdlf paimon snapshots TABLE\n"
          "       mcdlf paimon files TABLE [--snapshot N]\n"
          "TABLE: a table directory (local path or file:// URI)\n",
          f);
}

static int read_local(void *ud, const char *rel, mc_buf *out, mc_err *err)
{
    char *p = mc_path_join(ud, rel);
    int rc = mc_file_read_all(out, p, err);
    free(p);
    return rc;
}

/* The highest N of schema/schema-N. */
static int latest_schema_id(const char *dir, int64_t *out, mc_err *err)
{
    char *p = mc_path_join(dir, "schema");
    DIR *d = opendir(p);
    *out = -1;
    if (!d) {
        int rc = mc_err_set(err, MC_ERR_NOT_FOUND, "%s is not a Paimon table (no schema directory)", dir);
        free(p);
        return rc;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        long long id;
        if (!strncmp(e->d_name, "schema-", 7) && mc_parse_i64(e->d_name + 7, &id) == 0 && id > *out)
            *out = id;
    }
    closedir(d);
    free(p);
    return *out < 0 ? mc_err_set(err, MC_ERR_NOT_FOUND, "%s has no schema file", dir) : 0;
}

typedef struct {
    char *dir;
    paimon_schema *schema;
    paimon_table_state st;
    paimon_fileio io;
} table_view;

static void view_close(table_view *v)
{
    paimon_table_state_clear(&v->st);
    paimon_schema_free(v->schema);
    free(v->dir);
}

static int view_open(table_view *v, const char *table, long long snapshot, mc_err *err)
{
    memset(v, 0, sizeof *v);
    if (mc_str_starts_with(table, "oss://"))
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "oss:// tables are not supported by mcdlf paimon yet: %s", table);
    v->dir = mc_strdup(mc_str_starts_with(table, "file://") ? table + 7 : table);
    v->io = (paimon_fileio){read_local, v->dir};
    int64_t sid, snap_id = snapshot;
    if (latest_schema_id(v->dir, &sid, err) || paimon_schema_load(&v->schema, v->dir, sid, err))
        return -1;
    if (snap_id <= 0 && paimon_snapshot_latest_id(&snap_id, v->dir, err))
        return -1;
    paimon_snapshot *snap = NULL;
    if (snap_id > 0 && paimon_snapshot_load(&snap, v->dir, snap_id, err))
        return -1;
    return paimon_table_state_load(&v->st, &v->io, snap, err);
}

/* Indices of the requested columns in schema order of the request. */
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
    return rc;
}

static int cat(const paimon_args *a, mc_err *err)
{
    sql_out_format fmt = SQL_OUT_TABLE;
    bool csv = a->format && !strcmp(a->format, "csv");
    if (a->format && !csv && sql_out_format_parse(a->format, &fmt))
        return mc_err_set(err, MC_ERR_INVALID, "--format must be table, csv or json");
    if (a->where)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "--where is not supported yet");
    table_view v;
    int *idx = NULL;
    size_t n = 0;
    paimon_scan *scan = NULL;
    int rc = view_open(&v, a->table, a->snapshot, err);
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
    free(idx);
    view_close(&v);
    return rc;
}

static int schema_cmd(const paimon_args *a, mc_err *err)
{
    table_view v;
    memset(&v, 0, sizeof v);
    const char *dir = mc_str_starts_with(a->table, "file://") ? a->table + 7 : a->table;
    int64_t sid;
    paimon_schema *s = NULL;
    if (latest_schema_id(dir, &sid, err) || paimon_schema_load(&s, dir, sid, err))
        return -1;
    mc_buf b = MC_BUF_INIT;
    paimon_schema_write(&b, s);
    printf("%s\n", b.data);
    mc_buf_free(&b);
    paimon_schema_free(s);
    return 0;
}

static int snapshots_cmd(const paimon_args *a, mc_err *err)
{
    const char *dir = mc_str_starts_with(a->table, "file://") ? a->table + 7 : a->table;
    int64_t first, last;
    if (paimon_snapshot_earliest_id(&first, dir, err) || paimon_snapshot_latest_id(&last, dir, err))
        return -1;
    printf("id,schemaId,commitKind,timeMillis,totalRecordCount,deltaRecordCount,commitUser\n");
    for (int64_t id = first; id > 0 && id <= last; id++) {
        paimon_snapshot *s;
        if (paimon_snapshot_load(&s, dir, id, err))
            return -1;
        printf("%lld,%lld,%s,%lld,%lld,%lld,%s\n", (long long)s->id, (long long)s->schema_id, s->commit_kind,
               (long long)s->time_millis, (long long)s->total_record_count, (long long)s->delta_record_count,
               s->commit_user ? s->commit_user : "");
        paimon_snapshot_free(s);
    }
    return 0;
}

static int files_cmd(const paimon_args *a, mc_err *err)
{
    table_view v;
    if (view_open(&v, a->table, a->snapshot, err)) {
        view_close(&v);
        return -1;
    }
    printf("partition,bucket,level,rowCount,fileSize,schemaId,file\n");
    mc_buf part = MC_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < v.st.nlive && rc == 0; i++) {
        const paimon_manifest_entry *e = &v.st.live[i];
        mc_buf_reset(&part);
        rc = paimon_partition_path_of(&part, v.schema, &e->partition, err);
        if (part.len && part.data[part.len - 1] == '/')
            part.data[--part.len] = '\0';
        if (rc == 0)
            printf("%s,%d,%d,%lld,%lld,%lld,%s\n", mc_buf_cstr(&part), e->bucket, e->file.level,
                   (long long)e->file.row_count, (long long)e->file.file_size, (long long)e->file.schema_id,
                   e->file.file_name);
    }
    mc_buf_free(&part);
    view_close(&v);
    return rc;
}

int cli_paimon(int argc, char **argv)
{
    paimon_args a = {.snapshot = 0, .limit = -1};
    if (argc < 3) {
        usage(stderr);
        return 2;
    }
    a.cmd = argv[1];
    a.table = argv[2];
    for (int i = 3; i < argc; i++) {
        const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        long long num = 0;
        if (!val) {
            fprintf(stderr, "mcdlf paimon: option %s needs a value\n", o);
            return 2;
        }
        if (!strcmp(o, "--columns"))
            a.columns = val;
        else if (!strcmp(o, "--format"))
            a.format = val;
        else if (!strcmp(o, "--where"))
            a.where = val;
        else if ((!strcmp(o, "--snapshot") || !strcmp(o, "--limit")) && mc_parse_i64(val, &num) == 0 && num >= 0)
            *(!strcmp(o, "--snapshot") ? &a.snapshot : &a.limit) = num;
        else {
            fprintf(stderr, "mcdlf paimon: bad option %s %s\n", o, val);
            usage(stderr);
            return 2;
        }
        i++;
    }
    mc_err err;
    int rc;
    if (!strcmp(a.cmd, "cat"))
        rc = cat(&a, &err);
    else if (!strcmp(a.cmd, "schema"))
        rc = schema_cmd(&a, &err);
    else if (!strcmp(a.cmd, "snapshots"))
        rc = snapshots_cmd(&a, &err);
    else if (!strcmp(a.cmd, "files"))
        rc = files_cmd(&a, &err);
    else {
        usage(stderr);
        return 2;
    }
    if (rc) {
        fprintf(stderr, "mcdlf paimon %s: %s\n", a.cmd, err.msg);
        return 1;
    }
    return 0;
}
