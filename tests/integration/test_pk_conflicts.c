/*
 * Integration test: primary-key tables under contention and refusal,
 * through the engine's lake layer against the emulator (in-process, and
 * again as a `mcdlf serve` process: test_emu.h).
 *
 * Concurrent upserts: WRITERS threads, each with its own catalog
 * connection as separate processes would have, make COMMITS commits each
 * into the ONE bucket of a fixed-bucket table (deduplicate engine), every
 * commit upserting a run of keys that overlaps other commits' runs. A
 * commit either lands as exactly one snapshot or lake_write reports
 * MC_ERR_CONFLICT (nothing committed; the thread retries, counting it).
 * Writers compact the bucket when its sorted runs reach the trigger, so
 * COMPACT snapshots land between the commits' APPEND snapshots.
 * Afterwards the snapshot list says in which order the commits landed:
 * every commit upserts a distinct number of rows (commit_rows), so a
 * snapshot's deltaRecordCount names the commit. Replaying the commits in
 * that order gives the model: each key holds the row of the last commit
 * that wrote it. The final scan must equal the model row for row; a lost
 * update (a commit built on a stale read whose rows were dropped or that
 * lost to an older sequence number) shows as a key holding an older row.
 *
 * Refused writes: a dynamic-bucket (bucket = -1) primary-key table and a
 * cross-partition-update table (a partition key outside the primary key)
 * refuse lake_write with the writer's MaxCompute wording; a write whose
 * last row cannot be encoded (NULL in a NOT NULL column, in Avro and in
 * Parquet files; a NULL primary key) fails. In every case the table's
 * latest snapshot, its rows and its objects in OSS are what they were.
 */
#include "testutil.h"
#include "test_emu.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/oss_client.h"
#include "client/rest_catalog.h"
#include "lake.h"

#define DB "default"
#define WRITERS 4
#define COMMITS 6
#define NCOMMITS (WRITERS * COMMITS)
#define NKEYS 40
#define MIN_ROWS 4 /* commit k upserts MIN_ROWS + k rows: MIN_ROWS + NCOMMITS - 1 < NKEYS */
#define GIVE_UPS_MAX 100

typedef struct {
    char *dir;
    test_emu *te;
    lake_config cfg;
    pthread_mutex_t mu;
    pthread_barrier_t start;
    char failure[2048];
    atomic_long give_ups; /* lake_write calls that ended with MC_ERR_CONFLICT */
} fx;

static void fail_once(fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_once(fx *f, const char *fmt, ...)
{
    pthread_mutex_lock(&f->mu);
    if (!f->failure[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->failure, sizeof f->failure, fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&f->mu);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    f->dir = tu_tmpdir("pk_conflicts");
    if (test_emu_start(&f->te, f->dir, WRITERS + 2))
        return -1;
    f->cfg = test_emu_lake_config(f->te);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    test_emu_stop(f->te);
    tu_rmdir(f->dir);
    pthread_mutex_destroy(&f->mu);
    free(f);
    return 0;
}

/* Creates table `name`: fields (a JSON array text), keys and options. */
static void create_table(fx *f, const char *name, const char *fields, const char *partition_keys,
                         const char *primary_keys, const char *options)
{
    lake *l;
    mc_err err;
    if (lake_open(&l, &f->cfg, &err))
        fail_msg("lake_open: %s", err.msg);
    char *text = mc_asprintf("{\"fields\":%s,\"partitionKeys\":%s,\"primaryKeys\":%s,\"options\":%s}", fields,
                             partition_keys, primary_keys, options);
    json_error_t je;
    json_t *schema = json_loads(text, 0, &je);
    free(text);
    assert_non_null(schema);
    int rc = rest_create_table(lake_catalog(l), DB, name, schema, &err);
    json_decref(schema);
    lake_close(l);
    if (rc)
        fail_msg("rest_create_table %s: %s", name, err.msg);
}

static int open_table(fx *f, const char *name, lake **l, lake_table **t, mc_err *err)
{
    *t = NULL;
    if (lake_open(l, &f->cfg, err))
        return -1;
    if (lake_table_load(*l, DB, name, t, err)) {
        lake_close(*l);
        *l = NULL;
        return -1;
    }
    return 0;
}

/* ---- concurrent upserts into one bucket ---------------------------------------- */

/* id BIGINT NOT NULL (the key), w BIGINT, c BIGINT, v STRING: the writer and
 * commit that wrote the row, and a value naming both and the key. */
static const char *UPSERT_FIELDS = "[{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT NOT NULL\"},"
                                   "{\"id\":1,\"name\":\"w\",\"type\":\"BIGINT\"},"
                                   "{\"id\":2,\"name\":\"c\",\"type\":\"BIGINT\"},"
                                   "{\"id\":3,\"name\":\"v\",\"type\":\"STRING\"}]";

static int commit_rows(int w, int c) { return MIN_ROWS + w * COMMITS + c; }
static int commit_first_key(int w, int c) { return (w * 7 + c * 11) % NKEYS; }

static void value_of(char *out, size_t cap, int w, int c, int key)
{
    snprintf(out, cap, "w%d-c%d-k%d", w, c, key);
}

typedef struct {
    fx *f;
    int w;
} worker;

static int upsert_once(fx *f, lake_table *t, int w, int c)
{
    int n = commit_rows(w, c);
    char vals[NKEYS][32];
    paimon_datum cells[NKEYS][4];
    const paimon_datum *rows[NKEYS];
    for (int i = 0; i < n; i++) {
        int key = (commit_first_key(w, c) + i) % NKEYS;
        value_of(vals[i], sizeof vals[i], w, c, key);
        cells[i][0] = paimon_datum_int(key);
        cells[i][1] = paimon_datum_int(w);
        cells[i][2] = paimon_datum_int(c);
        cells[i][3] = paimon_datum_bytes(vals[i], strlen(vals[i]));
        rows[i] = cells[i];
    }
    for (int give_ups = 0; give_ups < GIVE_UPS_MAX; give_ups++) {
        mc_err err;
        if (lake_write(t, rows, (size_t)n, false, &err) == 0)
            return 0;
        if (err.code != MC_ERR_CONFLICT) {
            fail_once(f, "writer %d commit %d: %s (%s)", w, c, err.msg, mc_err_code_name(err.code));
            return -1;
        }
        atomic_fetch_add(&f->give_ups, 1); /* every attempt lost; nothing committed */
    }
    fail_once(f, "writer %d commit %d: still losing after %d lake_write calls", w, c, GIVE_UPS_MAX);
    return -1;
}

static void *upserter(void *arg)
{
    worker *wk = arg;
    fx *f = wk->f;
    lake *l;
    lake_table *t;
    mc_err err;
    int rc = open_table(f, "one_bucket", &l, &t, &err);
    if (rc)
        fail_once(f, "writer %d: open: %s", wk->w, err.msg);
    pthread_barrier_wait(&f->start); /* every writer at once: real contention */
    for (int c = 0; rc == 0 && c < COMMITS; c++)
        rc = upsert_once(f, t, wk->w, c);
    lake_table_free(t);
    lake_close(l);
    return NULL;
}

typedef struct {
    int64_t ids[NCOMMITS + 8];
    int64_t deltas[NCOMMITS + 8];
    char kinds[NCOMMITS + 8][16];
    size_t n;
    int compactions; /* COMPACT snapshots, not listed */
} snap_list;

static int add_snapshot(void *ud, json_t *item, mc_err *err)
{
    snap_list *sl = ud;
    const char *ck = json_string_value(json_object_get(item, "commitKind"));
    if (ck && !strcmp(ck, "COMPACT")) {
        sl->compactions++;
        return 0;
    }
    if (sl->n == NCOMMITS + 8)
        return mc_err_set(err, MC_ERR_INVALID, "more than %d snapshots", NCOMMITS + 8);
    sl->ids[sl->n] = json_integer_value(json_object_get(item, "id"));
    sl->deltas[sl->n] = json_integer_value(json_object_get(item, "deltaRecordCount"));
    const char *kind = json_string_value(json_object_get(item, "commitKind"));
    snprintf(sl->kinds[sl->n], sizeof sl->kinds[sl->n], "%s", kind ? kind : "");
    sl->n++;
    return 0;
}

static void test_concurrent_upserts_to_one_bucket_lose_no_update(void **state)
{
    fx *f = *state;
    create_table(f, "one_bucket", UPSERT_FIELDS, "[]", "[\"id\"]", "{\"bucket\":\"1\"}");
    pthread_barrier_init(&f->start, NULL, WRITERS);
    pthread_t th[WRITERS];
    worker ws[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        ws[i] = (worker){f, i};
        assert_int_equal(pthread_create(&th[i], NULL, upserter, &ws[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&f->start);
    printf("[ pk_conflicts ] %d writers x %d commits into one bucket; lake_write gave up with MC_ERR_CONFLICT %ld "
           "times (retried)\n",
           WRITERS, COMMITS, atomic_load(&f->give_ups));
    if (f->failure[0])
        fail_msg("%s", f->failure);

    /* The landing order: one APPEND snapshot per commit, ids dense from 1. */
    lake *l;
    lake_table *t;
    mc_err err;
    if (open_table(f, "one_bucket", &l, &t, &err))
        fail_msg("open: %s", err.msg);
    snap_list sl;
    memset(&sl, 0, sizeof sl);
    const char *segs[] = {"databases", DB, "tables", "one_bucket", "snapshots"};
    if (rest_catalog_each(lake_catalog(l), segs, 5, "snapshots", add_snapshot, &sl, &err))
        fail_msg("listing snapshots: %s", err.msg);
    assert_int_equal(sl.n, NCOMMITS);
    /* The bucket reached num-sorted-run.compaction-trigger (5 runs): the
     * writers compacted it between their commits. */
    printf("[ pk_conflicts ] %d COMPACT snapshots among the APPEND ones\n", sl.compactions);
    assert_true(sl.compactions >= 1);
    int order[NCOMMITS]; /* order[i]: the commit (w * COMMITS + c) snapshot i + 1 holds */
    bool landed[NCOMMITS] = {false};
    int next_c[WRITERS] = {0};
    for (size_t i = 0; i < sl.n; i++) {
        assert_true(sl.ids[i] > (i ? sl.ids[i - 1] : 0));
        assert_string_equal(sl.kinds[i], "APPEND");
        int64_t k = sl.deltas[i] - MIN_ROWS;
        if (k < 0 || k >= NCOMMITS || landed[k])
            fail_msg("snapshot %lld adds %lld rows: no commit, or a commit landed twice", (long long)sl.ids[i],
                     (long long)sl.deltas[i]);
        landed[k] = true;
        order[i] = (int)k;
        int w = (int)k / COMMITS, c = (int)k % COMMITS;
        if (c != next_c[w]) /* one writer's commits are sequential */
            fail_msg("snapshot %lld is writer %d's commit %d, expected its commit %d", (long long)sl.ids[i], w, c,
                     next_c[w]);
        next_c[w]++;
    }

    /* The model: the commits replayed in landing order. */
    int owner[NKEYS]; /* commit that wrote the key last, -1 none */
    for (int k = 0; k < NKEYS; k++)
        owner[k] = -1;
    for (int i = 0; i < NCOMMITS; i++) {
        int w = order[i] / COMMITS, c = order[i] % COMMITS;
        for (int r = 0; r < commit_rows(w, c); r++)
            owner[(commit_first_key(w, c) + r) % NKEYS] = order[i];
    }
    bool seen[NKEYS] = {false};
    int nrows = 0;
    lake_scan *s;
    if (lake_scan_open(t, &s, &err))
        fail_msg("scan open: %s", err.msg);
    const paimon_datum *row;
    int r;
    while ((r = lake_scan_next(s, &row, &err)) == 1) {
        int64_t key = row[0].i;
        if (key < 0 || key >= NKEYS || seen[key] || owner[key] < 0)
            fail_msg("unexpected or repeated key %lld", (long long)key);
        seen[key] = true;
        nrows++;
        int w = owner[key] / COMMITS, c = owner[key] % COMMITS;
        char want[32];
        value_of(want, sizeof want, w, c, (int)key);
        if (row[1].is_null || row[2].is_null || row[3].is_null || row[1].i != w || row[2].i != c ||
            row[3].len != strlen(want) || memcmp(row[3].ptr, want, row[3].len) != 0)
            fail_msg("key %lld holds writer %lld commit %lld ('%.*s'); the last commit to write it landed as "
                     "writer %d commit %d ('%s')",
                     (long long)key, (long long)row[1].i, (long long)row[2].i, (int)row[3].len,
                     (const char *)row[3].ptr, w, c, want);
    }
    lake_scan_close(s);
    if (r < 0)
        fail_msg("scan: %s", err.msg);
    int want_rows = 0;
    for (int k = 0; k < NKEYS; k++)
        want_rows += owner[k] >= 0;
    assert_int_equal(nrows, want_rows);
    assert_int_equal(nrows, NKEYS); /* the runs cover every key */
    printf("[ pk_conflicts ] %d keys, each holding the row of the last commit to land on it\n", nrows);
    lake_table_free(t);
    lake_close(l);
}

/* ---- refused writes leave the table untouched ---------------------------------- */

/* What a refused write must not change: the latest snapshot id (0: none),
 * the rows (a digest of their text) and the table's objects in OSS. */
typedef struct {
    int64_t snapshot;
    long rows;
    mc_buf digest;
    mc_buf objects;
} table_view;

static void view_clear(table_view *v)
{
    mc_buf_free(&v->digest);
    mc_buf_free(&v->objects);
}

static void table_view_take(fx *f, lake *l, lake_table *t, const char *name, table_view *v)
{
    memset(v, 0, sizeof *v);
    mc_err err;
    json_t *latest;
    if (rest_latest_snapshot(lake_catalog(l), DB, name, &latest, &err))
        fail_msg("rest_latest_snapshot %s: %s", name, err.msg);
    v->snapshot = latest ? json_integer_value(json_object_get(json_object_get(latest, "snapshot"), "id")) : 0;
    json_decref(latest);
    lake_scan *s;
    if (lake_scan_open(t, &s, &err))
        fail_msg("scan open %s: %s", name, err.msg);
    const paimon_datum *row;
    int r;
    size_t nf = lake_table_schema(t)->nfields;
    while ((r = lake_scan_next(s, &row, &err)) == 1) {
        v->rows++;
        for (size_t c = 0; c < nf; c++) {
            if (row[c].is_null)
                mc_buf_puts(&v->digest, "NULL");
            else if (lake_table_schema(t)->fields[c].type->id == PAIMON_VARCHAR)
                mc_buf_printf(&v->digest, "'%.*s'", (int)row[c].len, (const char *)row[c].ptr);
            else
                mc_buf_printf(&v->digest, "%lld", (long long)row[c].i);
            mc_buf_puts(&v->digest, c + 1 < nf ? "," : "\n");
        }
    }
    lake_scan_close(s);
    if (r < 0)
        fail_msg("scan %s: %s", name, err.msg);

    const char *path = json_string_value(json_object_get(lake_table_meta(t), "path"));
    assert_non_null(path);
    assert_true(strncmp(path, "oss://", 6) == 0);
    const char *slash = strchr(path + 6, '/');
    assert_non_null(slash);
    char *bucket = mc_strndup(path + 6, (size_t)(slash - path - 6));
    char *prefix = mc_asprintf("%s%s", slash + 1, slash[1] && path[strlen(path) - 1] != '/' ? "/" : "");
    oss_client_config oc = {.endpoint = test_emu_endpoint(f->te, "oss"),
                            .region = test_emu_region(f->te),
                            .access_key_id = test_emu_key_id(f->te),
                            .access_key_secret = test_emu_key_secret(f->te),
                            .path_style = -1};
    oss_client *c;
    oss_client_listing ls;
    memset(&ls, 0, sizeof ls);
    if (oss_client_new(&c, &oc, &err) || oss_client_list(c, bucket, prefix, NULL, &ls, &err))
        fail_msg("listing %s: %s", path, err.msg);
    for (size_t i = 0; i < ls.nkeys; i++)
        mc_buf_printf(&v->objects, "%s\n", ls.keys[i]);
    oss_client_listing_clear(&ls);
    oss_client_free(c);
    free(bucket);
    free(prefix);
}

static void assert_view_unchanged(const table_view *before, const table_view *after, const char *what)
{
    if (after->snapshot != before->snapshot)
        fail_msg("%s: latest snapshot %lld, was %lld", what, (long long)after->snapshot, (long long)before->snapshot);
    if (after->rows != before->rows || strcmp(mc_buf_cstr(&after->digest), mc_buf_cstr(&before->digest)) != 0)
        fail_msg("%s: rows changed:\n%s\nwere:\n%s", what, mc_buf_cstr(&after->digest),
                 mc_buf_cstr(&before->digest));
    if (strcmp(mc_buf_cstr(&after->objects), mc_buf_cstr(&before->objects)))
        fail_msg("%s: objects changed:\n%s\nwere:\n%s", what, mc_buf_cstr(&after->objects),
                 mc_buf_cstr(&before->objects));
}

/* id BIGINT NOT NULL, dt STRING NOT NULL, v BIGINT NOT NULL */
static const char *REFUSE_FIELDS = "[{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT NOT NULL\"},"
                                   "{\"id\":1,\"name\":\"dt\",\"type\":\"STRING NOT NULL\"},"
                                   "{\"id\":2,\"name\":\"v\",\"type\":\"BIGINT NOT NULL\"}]";

#define BATCH 50

/* BATCH rows (id i + base, dt "a"/"b", v 10 * i); the last row's column
 * `null_col` is NULL when null_col >= 0. */
static void batch_of(paimon_datum cells[BATCH][3], const paimon_datum *rows[BATCH], int base, int null_col)
{
    for (int i = 0; i < BATCH; i++) {
        cells[i][0] = paimon_datum_int(base + i);
        cells[i][1] = paimon_datum_bytes(i % 2 ? "b" : "a", 1);
        cells[i][2] = paimon_datum_int(10 * (base + i));
        rows[i] = cells[i];
    }
    if (null_col >= 0)
        cells[BATCH - 1][null_col] = paimon_datum_null();
}

/* lake_write of a batch must fail with code and a message containing
 * wording, and leave the table as it was. */
static void write_refused(fx *f, const char *name, int base, int null_col, mc_err_code code, const char *wording)
{
    lake *l;
    lake_table *t;
    mc_err err;
    if (open_table(f, name, &l, &t, &err))
        fail_msg("open %s: %s", name, err.msg);
    table_view before, after;
    table_view_take(f, l, t, name, &before);
    paimon_datum cells[BATCH][3];
    const paimon_datum *rows[BATCH];
    batch_of(cells, rows, base, null_col);
    if (lake_write(t, rows, BATCH, false, &err) == 0)
        fail_msg("%s: a write that must be refused was committed", name);
    printf("[ pk_conflicts ] %s refused: %s\n", name, err.msg);
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, wording))
        fail_msg("%s: error '%s' does not say '%s'", name, err.msg, wording);
    table_view_take(f, l, t, name, &after);
    assert_view_unchanged(&before, &after, name);
    view_clear(&before);
    view_clear(&after);
    lake_table_free(t);
    lake_close(l);
}

static void test_dynamic_bucket_and_cross_partition_writes_are_refused(void **state)
{
    fx *f = *state;
    create_table(f, "dyn", REFUSE_FIELDS, "[\"dt\"]", "[\"dt\",\"id\"]", "{\"bucket\":\"-1\"}");
    create_table(f, "cross", REFUSE_FIELDS, "[\"dt\"]", "[\"id\"]", "{\"bucket\":\"2\"}");
    write_refused(f, "dyn", 0, -1, MC_ERR_UNSUPPORTED, "writing to Dynamic Bucket tables is not supported");
    write_refused(f, "cross", 0, -1, MC_ERR_UNSUPPORTED, "writing to Cross Partition tables is not supported");
}

/* A table holding one committed batch; then writes whose last row cannot
 * be written fail and leave it so. */
static void failing_writes_leave_no_snapshot(fx *f, const char *name, const char *format)
{
    char *opts = mc_asprintf("{\"bucket\":\"4\",\"file.format\":\"%s\"}", format);
    create_table(f, name, REFUSE_FIELDS, "[\"dt\"]", "[\"dt\",\"id\"]", opts);
    free(opts);
    lake *l;
    lake_table *t;
    mc_err err;
    if (open_table(f, name, &l, &t, &err))
        fail_msg("open %s: %s", name, err.msg);
    paimon_datum cells[BATCH][3];
    const paimon_datum *rows[BATCH];
    batch_of(cells, rows, 0, -1);
    if (lake_write(t, rows, BATCH, false, &err))
        fail_msg("%s: first write: %s", name, err.msg);
    table_view v;
    table_view_take(f, l, t, name, &v);
    assert_int_equal(v.snapshot, 1);
    assert_int_equal(v.rows, BATCH);
    view_clear(&v);
    lake_table_free(t);
    lake_close(l);
    /* Overlapping keys (upserts of half the rows) and new ones. */
    write_refused(f, name, BATCH / 2, 2, MC_ERR_INVALID, "NULL for a NOT NULL column");
    write_refused(f, name, BATCH / 2, 0, MC_ERR_INVALID, "primary key column id must not be NULL");
}

static void test_failing_writes_leave_no_snapshot_avro(void **state)
{
    failing_writes_leave_no_snapshot(*state, "fail_avro", "avro");
}

static void test_failing_writes_leave_no_snapshot_parquet(void **state)
{
    failing_writes_leave_no_snapshot(*state, "fail_parquet", "parquet");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concurrent_upserts_to_one_bucket_lose_no_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dynamic_bucket_and_cross_partition_writes_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failing_writes_leave_no_snapshot_avro, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_writes_leave_no_snapshot_parquet, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
