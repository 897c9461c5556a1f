/*
 * scan_bench: the engine's side of bench/scan and bench/sql (bench/README.md),
 * a benchmark, not a test. The same rows everywhere, so every side can be
 * checked against the others:
 *
 *   id BIGINT NOT NULL = i, k INT = i % 1000, x DOUBLE = (i % 1000) * 0.25,
 *   s STRING = "name-" || (i % 10000)            for i in [0, N)
 *
 * and the same aggregate: count(*), sum(id), sum(k), sum(x), min(s), max(s),
 * printed as `result c|sid|sk|sx|mins|maxs` (sx with two decimals).
 *
 *   mcdlf-bench-scan local DIR N
 *       writes the rows as a Parquet append table at DIR with the engine's
 *       writer (paimon/writer: one commit of BENCH_BATCH rows at a time,
 *       files, manifests and snapshots on the local disk), then scans it
 *       (paimon/scan) and aggregates. Prints write_s, scan_s and result.
 *   mcdlf-bench-scan lake STATE N EXPORT
 *       starts the emulator in-process on STATE (where `mcdlf --state STATE`
 *       created table default.t with the columns above) and writes the rows
 *       through the catalog exactly as INSERT does (lake_write: OSS uploads
 *       and REST commits, one per BENCH_BATCH rows), scans them back through
 *       the catalog (lake_scan), and copies the table's Parquet data files
 *       to EXPORT/<path in the table> for other readers. Prints write_s,
 *       scan_s and result.
 *
 * Times are wall-clock seconds of the step alone (no process start). Any
 * error stops the run with exit status 1.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_local.h"
#include "buf.h"
#include "client/oss_client.h"
#include "emulator.h"
#include "lake.h"
#include "mc_err.h"
#include "paimon/scan.h"
#include "paimon/schema.h"
#include "strutil.h"
#include "timeutil.h"

#define BENCH_BATCH 1000000 /* rows per commit (one data file each) */
#define BENCH_NCOLS 4

static const char *SCHEMA_JSON = BENCH_SCHEMA("[]", "{\"file.format\":\"parquet\"}");

/* Rows [from, from + n) of the data set; strings live in names. */
typedef struct {
    paimon_datum (*cells)[BENCH_NCOLS];
    const paimon_datum **rows;
    char (*names)[16];
    size_t n;
} batch;

static void batch_fill(batch *b, int64_t from, size_t n)
{
    b->n = n;
    for (size_t r = 0; r < n; r++) {
        int64_t i = from + (int64_t)r;
        int len = snprintf(b->names[r], sizeof b->names[r], "name-%d", (int)(i % 10000));
        b->cells[r][0] = paimon_datum_int(i);
        b->cells[r][1] = paimon_datum_int(i % 1000);
        b->cells[r][2] = paimon_datum_double((double)(i % 1000) * 0.25);
        b->cells[r][3] = paimon_datum_bytes(b->names[r], (size_t)len);
        b->rows[r] = b->cells[r];
    }
}

static void batch_init(batch *b)
{
    b->cells = mc_calloc(BENCH_BATCH, sizeof *b->cells);
    b->rows = mc_calloc(BENCH_BATCH, sizeof *b->rows);
    b->names = mc_calloc(BENCH_BATCH, sizeof *b->names);
}

static void batch_free(batch *b)
{
    free(b->cells);
    free(b->rows);
    free(b->names);
}

/* The aggregate over rows in schema order. */
typedef struct {
    int64_t count, sum_id, sum_k;
    double sum_x;
    mc_buf min_s, max_s;
    bool has_s;
} agg;

static int bytes_cmp(const void *a, size_t na, const void *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    return c ? c : (na > nb) - (na < nb);
}

static void agg_add(agg *a, const paimon_datum *row)
{
    a->count++;
    a->sum_id += row[0].i;
    if (!row[1].is_null)
        a->sum_k += row[1].i;
    if (!row[2].is_null)
        a->sum_x += row[2].d;
    if (row[3].is_null)
        return;
    const paimon_datum *s = &row[3];
    if (!a->has_s || bytes_cmp(s->ptr, s->len, a->min_s.data, a->min_s.len) < 0) {
        a->min_s.len = 0;
        mc_buf_append(&a->min_s, s->ptr, s->len);
    }
    if (!a->has_s || bytes_cmp(s->ptr, s->len, a->max_s.data, a->max_s.len) > 0) {
        a->max_s.len = 0;
        mc_buf_append(&a->max_s, s->ptr, s->len);
    }
    a->has_s = true;
}

typedef int (*next_fn)(void *scan, const paimon_datum **row, mc_err *err);

static int next_local(void *scan, const paimon_datum **row, mc_err *err)
{
    return paimon_scan_next(scan, row, err);
}

static int next_lake(void *scan, const paimon_datum **row, mc_err *err)
{
    return lake_scan_next(scan, row, err);
}

/* Streams the rows of an open scan (unless rc already failed) into the
 * aggregate; prints scan_s, counted from t0, and the result. */
static int scan_aggregate(int rc, next_fn next, void *scan, int64_t t0, mc_err *err)
{
    agg a;
    memset(&a, 0, sizeof a);
    const paimon_datum *row;
    int more = 1;
    while (rc == 0 && (more = next(scan, &row, err)) == 1)
        agg_add(&a, row);
    if (more < 0)
        rc = -1;
    int64_t t1 = mc_monotonic_ms();
    if (rc == 0) {
        printf("scan_s %.3f\n", (double)(t1 - t0) / 1000);
        printf("result %lld|%lld|%lld|%.2f|%s|%s\n", (long long)a.count, (long long)a.sum_id, (long long)a.sum_k,
               a.sum_x, a.has_s ? mc_buf_cstr(&a.min_s) : "", a.has_s ? mc_buf_cstr(&a.max_s) : "");
    }
    mc_buf_free(&a.min_s);
    mc_buf_free(&a.max_s);
    return rc;
}

/* ---- local: the engine's writer and scan on a table directory (bench_local) --- */

static int run_local(const char *dir, int64_t nrows, mc_err *err)
{
    paimon_schema *s = NULL;
    if (paimon_schema_parse(&s, SCHEMA_JSON, strlen(SCHEMA_JSON), err))
        return -1;
    int rc = bench_local_create(dir, s, err);
    paimon_table_state st;
    memset(&st, 0, sizeof st);
    batch b;
    batch_init(&b);
    int64_t t0 = mc_monotonic_ms();
    for (int64_t from = 0; from < nrows && rc == 0; from += BENCH_BATCH) {
        batch_fill(&b, from, (size_t)(nrows - from < BENCH_BATCH ? nrows - from : BENCH_BATCH));
        rc = bench_local_commit(dir, s, b.rows, b.n, &st, err);
    }
    int64_t t1 = mc_monotonic_ms();
    batch_free(&b);
    if (rc == 0)
        printf("write_s %.3f\n", (double)(t1 - t0) / 1000);
    /* the scan starts from the table directory, as a reader would */
    paimon_table_state_clear(&st);
    paimon_scan *scan = NULL;
    t0 = mc_monotonic_ms();
    if (rc == 0)
        rc = bench_local_scan_open(&scan, &st, dir, s, err);
    rc = scan_aggregate(rc, next_local, scan, t0, err);
    paimon_scan_close(scan);
    paimon_table_state_clear(&st);
    paimon_schema_free(s);
    return rc;
}

/* ---- lake: through the catalog, as INSERT and SELECT do ------------------------ */

/* Copies the table's Parquet data files (oss://bucket/<root>/...) to export. */
static int export_files(const emulator *emu, const char *table_path, const char *export_dir, size_t *nfiles,
                        mc_err *err)
{
    if (!mc_str_starts_with(table_path, "oss://"))
        return mc_err_set(err, MC_ERR_INVALID, "table path %s is not oss://", table_path);
    const char *b = table_path + 6, *slash = strchr(b, '/');
    if (!slash)
        return mc_err_set(err, MC_ERR_INVALID, "table path %s has no key", table_path);
    char *bucket = mc_strndup(b, (size_t)(slash - b));
    char *prefix = mc_strdup(slash + 1);
    if (*prefix && prefix[strlen(prefix) - 1] != '/') {
        char *p = mc_asprintf("%s/", prefix);
        free(prefix);
        prefix = p;
    }
    oss_client_config cfg = {.endpoint = emulator_endpoint(emu, "oss"),
                             .region = emulator_region(emu),
                             .access_key_id = emulator_owner_key_id(emu),
                             .access_key_secret = emulator_owner_key_secret(emu),
                             .path_style = -1};
    oss_client *c = NULL;
    oss_client_listing l;
    memset(&l, 0, sizeof l);
    int rc = oss_client_new(&c, &cfg, err) || oss_client_list(c, bucket, prefix, NULL, &l, err) ? -1 : 0;
    *nfiles = 0;
    for (size_t i = 0; i < l.nkeys && rc == 0; i++) {
        const char *rel = l.keys[i] + strlen(prefix);
        if (!mc_str_ends_with(rel, ".parquet") || mc_str_starts_with(rel, "manifest/"))
            continue;
        mc_buf data = MC_BUF_INIT;
        rc = oss_client_get(c, bucket, l.keys[i], 0, -1, &data, err) ||
                     bench_local_put(export_dir, rel, data.data, data.len, err)
                 ? -1
                 : 0;
        mc_buf_free(&data);
        (*nfiles)++;
    }
    oss_client_listing_clear(&l);
    oss_client_free(c);
    free(bucket);
    free(prefix);
    return rc;
}

static int run_lake(const char *state_dir, int64_t nrows, const char *export_dir, mc_err *err)
{
    emulator_options o;
    emulator_options_init(&o);
    emulator *emu = NULL;
    if (emulator_start(&emu, state_dir, &o, err))
        return mc_err_prefix(err, "emulator_start");
    lake_config lc = {
        .dlf_endpoint = emulator_endpoint(emu, "dlf"),
        .catalog = emulator_catalog(emu),
        .region = emulator_region(emu),
        .access_key_id = emulator_owner_key_id(emu),
        .access_key_secret = emulator_owner_key_secret(emu),
        .oss_endpoint = emulator_endpoint(emu, "oss"),
    };
    lake *lk = NULL;
    lake_table *t = NULL;
    int rc = lake_open(&lk, &lc, err) || lake_table_load(lk, "default", "t", &t, err) ? -1 : 0;
    batch b;
    batch_init(&b);
    int64_t t0 = mc_monotonic_ms();
    for (int64_t from = 0; from < nrows && rc == 0; from += BENCH_BATCH) {
        batch_fill(&b, from, (size_t)(nrows - from < BENCH_BATCH ? nrows - from : BENCH_BATCH));
        rc = lake_write(t, b.rows, b.n, false, err);
    }
    int64_t t1 = mc_monotonic_ms();
    batch_free(&b);
    if (rc == 0)
        printf("write_s %.3f\n", (double)(t1 - t0) / 1000);
    /* a fresh load sees the last commit, as the next statement would */
    lake_table_free(t);
    t = NULL;
    lake_scan *scan = NULL;
    t0 = mc_monotonic_ms();
    if (rc == 0)
        rc = lake_table_load(lk, "default", "t", &t, err) || lake_scan_open(t, &scan, err) ? -1 : 0;
    rc = scan_aggregate(rc, next_lake, scan, t0, err);
    lake_scan_close(scan);
    size_t nfiles = 0;
    if (rc == 0) {
        const char *path = json_string_value(json_object_get(lake_table_meta(t), "path"));
        rc = export_files(emu, path ? path : "", export_dir, &nfiles, err);
    }
    if (rc == 0)
        printf("exported %zu\n", nfiles);
    lake_table_free(t);
    lake_close(lk);
    emulator_stop(emu);
    return rc;
}

int main(int argc, char **argv)
{
    long long n = 0;
    mc_err err;
    int rc;
    if (argc == 4 && !strcmp(argv[1], "local") && mc_parse_i64(argv[3], &n) == 0 && n > 0)
        rc = run_local(argv[2], n, &err);
    else if (argc == 5 && !strcmp(argv[1], "lake") && mc_parse_i64(argv[3], &n) == 0 && n > 0)
        rc = run_lake(argv[2], n, argv[4], &err);
    else {
        fprintf(stderr, "usage: mcdlf-bench-scan local DIR N\n"
                        "       mcdlf-bench-scan lake STATE N EXPORT\n");
        return 2;
    }
    if (rc) {
        fprintf(stderr, "mcdlf-bench-scan: %s\n", err.msg);
        return 1;
    }
    return 0;
}
