/*
 * pk_bench: the engine's side of bench/pk (bench/README.md), a benchmark,
 * not a test. `mcdlf-bench-pk DIR N` writes two local tables with the
 * engine's writer (bench_local: paimon/writer, files on the local disk,
 * no fsync) and scans each with paimon/scan:
 *
 *   DIR/append  an append table of N rows in 10 commits of N/10 rows:
 *               id = i, k = i % 1000, x = (i % 1000) * 0.25,
 *               s = "name-" || (i % 10000)                 for i in [0, N);
 *   DIR/pk      a primary-key table (PRIMARY KEY id, bucket 4, deduplicate)
 *               taking 10 commits of S = N/10 upserts each: commit j
 *               writes the keys id = 2i + j for i in [0, S) with k = j,
 *               x = id * 0.25, s = "name-" || (id % 10000). Every commit's
 *               keys span the whole key range and share nearly all of
 *               them with the commits of j's parity before it, so each
 *               bucket ends with 10 overlapping level-0 runs and a key
 *               holds up to 5 versions, and the scan merges them on read.
 *
 * Same columns as bench/scan (id BIGINT NOT NULL, k INT, x DOUBLE,
 * s STRING). Both scans compute count(*), sum(id), sum(k) and sum(x); the
 * PK scan's answer is checked against the definition above (a key's row is
 * the one of the last commit that wrote it; k names that commit), the
 * append scan's against its rows, and a wrong answer stops the run with
 * exit status 1. Prints, per table, write_s, scan_s, rows written and rows
 * read (`name value` lines).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_local.h"
#include "buf.h"
#include "fsutil.h"
#include "mc_err.h"
#include "paimon/scan.h"
#include "paimon/schema.h"
#include "strutil.h"
#include "timeutil.h"

#define COMMITS 10
#define NCOLS 4

static const char *APPEND_SCHEMA = BENCH_SCHEMA("[]", "{\"file.format\":\"parquet\"}");
static const char *PK_SCHEMA = BENCH_SCHEMA("[\"id\"]", "{\"file.format\":\"parquet\",\"bucket\":\"4\"}");

typedef struct {
    paimon_datum (*cells)[NCOLS];
    const paimon_datum **rows;
    char (*names)[16];
    size_t n;
} batch;

static void batch_init(batch *b, size_t cap)
{
    b->cells = mc_calloc(cap ? cap : 1, sizeof *b->cells);
    b->rows = mc_calloc(cap ? cap : 1, sizeof *b->rows);
    b->names = mc_calloc(cap ? cap : 1, sizeof *b->names);
}

static void batch_free(batch *b)
{
    free(b->cells);
    free(b->rows);
    free(b->names);
}

static void set_row(batch *b, size_t r, int64_t id, int64_t k, double x)
{
    int len = snprintf(b->names[r], sizeof b->names[r], "name-%d", (int)(id % 10000));
    b->cells[r][0] = paimon_datum_int(id);
    b->cells[r][1] = paimon_datum_int(k);
    b->cells[r][2] = paimon_datum_double(x);
    b->cells[r][3] = paimon_datum_bytes(b->names[r], (size_t)len);
    b->rows[r] = b->cells[r];
}

/* Commit j's rows of one table. */
static void fill(batch *b, bool pk, int j, int64_t slice)
{
    b->n = (size_t)slice;
    for (int64_t i = 0; i < slice; i++) {
        if (pk) {
            int64_t id = 2 * i + j;
            set_row(b, (size_t)i, id, j, (double)id * 0.25);
        } else {
            int64_t id = j * slice + i;
            set_row(b, (size_t)i, id, id % 1000, (double)(id % 1000) * 0.25);
        }
    }
}

typedef struct {
    int64_t count, sum_id, sum_k;
    double sum_x;
} agg;

/* The PK table's answer from its definition: key id was written by the
 * commits j of its parity with 0 <= id - j <= 2 (S - 1); the last holds. */
static agg pk_expected(int64_t slice)
{
    agg a = {0, 0, 0, 0};
    for (int64_t id = 0; id < 2 * slice + COMMITS; id++) {
        int last = -1;
        for (int j = 0; j < COMMITS; j++)
            if ((id - j) % 2 == 0 && id - j >= 0 && id - j <= 2 * (slice - 1))
                last = j;
        if (last < 0)
            continue;
        a.count++;
        a.sum_id += id;
        a.sum_k += last;
        a.sum_x += (double)id * 0.25;
    }
    return a;
}

static agg append_expected(int64_t n)
{
    agg a = {0, 0, 0, 0};
    for (int64_t id = 0; id < n; id++) {
        a.count++;
        a.sum_id += id;
        a.sum_k += id % 1000;
        a.sum_x += (double)(id % 1000) * 0.25;
    }
    return a;
}

static bool agg_equal(const agg *a, const agg *b)
{
    double d = a->sum_x - b->sum_x, m = b->sum_x < 0 ? -b->sum_x : b->sum_x;
    return a->count == b->count && a->sum_id == b->sum_id && a->sum_k == b->sum_k && (d < 0 ? -d : d) <= 1e-9 * m;
}

/* Writes one table in COMMITS commits of slice rows, scans it back; prints
 * NAME_write_s, NAME_scan_s, NAME_written, NAME_read. */
static int run_table(const char *dir, const char *name, bool pk, int64_t slice, const agg *want, mc_err *err)
{
    paimon_schema *s = NULL;
    const char *json = pk ? PK_SCHEMA : APPEND_SCHEMA;
    if (paimon_schema_parse(&s, json, strlen(json), err))
        return -1;
    char *tdir = mc_path_join(dir, name);
    int rc = bench_local_create(tdir, s, err);
    paimon_table_state st;
    memset(&st, 0, sizeof st);
    batch b;
    batch_init(&b, (size_t)slice);
    int64_t write_ms = 0; /* making the rows is not timed */
    for (int j = 0; j < COMMITS && rc == 0; j++) {
        fill(&b, pk, j, slice);
        int64_t t0 = mc_monotonic_ms();
        rc = bench_local_commit(tdir, s, b.rows, b.n, &st, err);
        write_ms += mc_monotonic_ms() - t0;
    }
    batch_free(&b);
    paimon_table_state_clear(&st);
    paimon_scan *scan = NULL;
    agg a = {0, 0, 0, 0};
    int64_t t0 = mc_monotonic_ms();
    if (rc == 0)
        rc = bench_local_scan_open(&scan, &st, tdir, s, err);
    const paimon_datum *row;
    int more = 1;
    while (rc == 0 && (more = paimon_scan_next(scan, &row, err)) == 1) {
        a.count++;
        a.sum_id += row[0].i;
        a.sum_k += row[1].is_null ? 0 : row[1].i;
        a.sum_x += row[2].is_null ? 0 : row[2].d;
    }
    if (more < 0)
        rc = -1;
    int64_t scan_ms = mc_monotonic_ms() - t0;
    paimon_scan_close(scan);
    paimon_table_state_clear(&st);
    if (rc == 0 && !agg_equal(&a, want))
        rc = mc_err_set(err, MC_ERR_INTERNAL,
                        "%s: scan computed count %lld sum(id) %lld sum(k) %lld sum(x) %.2f, expected %lld %lld %lld "
                        "%.2f",
                        name, (long long)a.count, (long long)a.sum_id, (long long)a.sum_k, a.sum_x,
                        (long long)want->count, (long long)want->sum_id, (long long)want->sum_k, want->sum_x);
    if (rc == 0) {
        printf("%s_write_s %.3f\n%s_scan_s %.3f\n", name, (double)write_ms / 1000, name, (double)scan_ms / 1000);
        printf("%s_written %lld\n%s_read %lld\n", name, (long long)(slice * COMMITS), name, (long long)a.count);
        printf("%s_result %lld|%lld|%lld|%.2f\n", name, (long long)a.count, (long long)a.sum_id,
               (long long)a.sum_k, a.sum_x);
    }
    free(tdir);
    paimon_schema_free(s);
    return rc;
}

int main(int argc, char **argv)
{
    long long n = 0;
    if (argc != 3 || mc_parse_i64(argv[2], &n) != 0 || n < COMMITS) {
        fprintf(stderr, "usage: mcdlf-bench-pk DIR N   (N >= %d rows)\n", COMMITS);
        return 2;
    }
    int64_t slice = n / COMMITS;
    mc_err err;
    agg want_append = append_expected(slice * COMMITS), want_pk = pk_expected(slice);
    if (run_table(argv[1], "append", false, slice, &want_append, &err) ||
        run_table(argv[1], "pk", true, slice, &want_pk, &err)) {
        fprintf(stderr, "mcdlf-bench-pk: %s\n", err.msg);
        return 1;
    }
    return 0;
}
