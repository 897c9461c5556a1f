/*
 * Unit tests for the append-table writer: layout of a commit plan (paths,
 * names, counts), manifest entries and statistics as read back by the
 * manifest reader, data rows as read back by the Avro reader, OVERWRITE
 * entries, and refusal of Dynamic Bucket primary-key tables.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/avro.h"
#include "paimon/binrow.h"
#include "paimon/manifest.h"
#include "paimon/parquet.h"
#include "paimon/parquet_writer.h"
#include "paimon/scan.h"
#include "paimon/schema.h"
#include "paimon/writer.h"
#include "strutil.h"

static const char *SCHEMA_JSON =
    "{\"version\":3,\"id\":0,\"fields\":["
    "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT\"},"
    "{\"id\":1,\"name\":\"name\",\"type\":\"STRING\"},"
    "{\"id\":2,\"name\":\"dt\",\"type\":\"STRING\"}],"
    "\"highestFieldId\":2,\"partitionKeys\":[\"dt\"],\"primaryKeys\":[],"
    "\"options\":{\"file.format\":\"avro\"},\"timeMillis\":0}";

static paimon_schema *schema(const char *json)
{
    paimon_schema *s = NULL;
    mc_err err;
    if (paimon_schema_parse(&s, json, strlen(json), &err))
        fail_msg("%s", err.msg);
    return s;
}

typedef struct {
    paimon_datum cells[3];
} row3;

static void set_row(row3 *r, int64_t id, const char *name, const char *dt)
{
    r->cells[0] = paimon_datum_int(id);
    r->cells[1] = name ? paimon_datum_bytes(name, strlen(name)) : paimon_datum_null();
    r->cells[2] = paimon_datum_bytes(dt, strlen(dt));
}

static void plan(paimon_write_plan *p, const paimon_schema *s, row3 *rows, size_t n, const paimon_write_input *base)
{
    const paimon_datum *ptrs[8];
    for (size_t i = 0; i < n; i++)
        ptrs[i] = rows[i].cells;
    paimon_write_input in;
    if (base)
        in = *base;
    else
        memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = ptrs;
    in.nrows = n;
    in.commit_user = "test-user";
    in.now_ms = 1764000000000;
    mc_err err;
    if (paimon_write_plan_build(p, &in, &err))
        fail_msg("%s", err.msg);
}

static const paimon_out_file *file_with_prefix(const paimon_write_plan *p, const char *prefix, size_t nth)
{
    for (size_t i = 0; i < p->nfiles; i++)
        if (mc_str_starts_with(p->files[i].path, prefix) && nth-- == 0)
            return &p->files[i];
    return NULL;
}

static void test_partitioned_append_plan_layout_and_manifest(void **state)
{
    (void)state;
    paimon_schema *s = schema(SCHEMA_JSON);
    row3 rows[3];
    set_row(&rows[0], 101, "Zhang San", "20261124");
    set_row(&rows[1], 102, NULL, "20261124");
    set_row(&rows[2], 103, "a name longer than sixteen characters", "20261125");
    paimon_write_plan p;
    plan(&p, s, rows, 3, NULL);
    /* two data files (one per partition), one manifest, two manifest lists */
    assert_int_equal(p.nfiles, 5);
    const paimon_out_file *d0 = file_with_prefix(&p, "dt=20261124/bucket-0/data-", 0);
    assert_non_null(d0);
    assert_true(mc_str_ends_with(d0->path, "-0.avro"));
    assert_non_null(file_with_prefix(&p, "dt=20261125/bucket-0/data-", 0));
    const paimon_out_file *mf = file_with_prefix(&p, "manifest/manifest-", 0);
    assert_non_null(mf);
    assert_null(strstr(mf->path, "manifest-list"));
    assert_non_null(file_with_prefix(&p, "manifest/manifest-list-", 1));
    /* snapshot */
    assert_int_equal(p.snapshot->id, 1);
    assert_string_equal(p.snapshot->commit_kind, "APPEND");
    assert_int_equal(p.snapshot->total_record_count, 3);
    assert_int_equal(p.snapshot->delta_record_count, 3);
    assert_true(p.snapshot->commit_identifier == INT64_MAX);
    assert_string_equal(p.snapshot->commit_user, "test-user");
    assert_true(mc_str_ends_with(p.files[4].path, p.snapshot->delta_manifest_list));
    /* manifest entries read back */
    paimon_manifest_entry *e = NULL;
    size_t n = 0;
    mc_err err;
    assert_int_equal(paimon_manifest_read(&e, &n, (const uint8_t *)mf->data.data, mf->data.len, &err), 0);
    assert_int_equal(n, 2);
    const paimon_type *vt[3] = {s->fields[0].type, s->fields[1].type, s->fields[2].type};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(e[i].kind, PAIMON_FILE_ADD);
        assert_int_equal(e[i].bucket, 0);
        assert_int_equal(e[i].total_buckets, -1);
        assert_int_equal(e[i].file.level, 0);
        assert_int_equal(e[i].file.min_key.len, 12);
        paimon_datum mins[3], maxs[3];
        assert_int_equal(paimon_binrow_read_serialized(mins, vt, 3, e[i].file.value_stats.min_values.data,
                                                       e[i].file.value_stats.min_values.len, &err), 0);
        assert_int_equal(paimon_binrow_read_serialized(maxs, vt, 3, e[i].file.value_stats.max_values.data,
                                                       e[i].file.value_stats.max_values.len, &err), 0);
        if (e[i].file.row_count == 2) {
            assert_int_equal(mins[0].i, 101);
            assert_int_equal(maxs[0].i, 102);
            assert_int_equal(e[i].file.value_stats.null_counts[1].v, 1);
            assert_int_equal(e[i].file.min_sequence_number, 0);
            assert_int_equal(e[i].file.max_sequence_number, 1);
        } else {
            assert_int_equal(e[i].file.row_count, 1);
            /* truncate(16): min cut to 16 characters, max rounded up (§8) */
            assert_int_equal(mins[1].len, 16);
            assert_memory_equal(mins[1].ptr, "a name longer th", 16);
            assert_memory_equal(maxs[1].ptr, "a name longer ti", 16);
        }
    }
    paimon_manifest_entries_free(e, n);
    /* data file rows read back with the Avro reader */
    paimon_avro_file *af = NULL;
    assert_int_equal(paimon_avro_file_open(&af, (const uint8_t *)d0->data.data, d0->data.len, &err), 0);
    assert_string_equal(paimon_avro_file_codec(af), "zstandard");
    paimon_avro_value v;
    memset(&v, 0, sizeof v);
    assert_int_equal(paimon_avro_file_next(af, &v, &err), 1);
    assert_int_equal(paimon_avro_get(&v, "id")->l, 101);
    assert_string_equal((const char *)paimon_avro_get(&v, "name")->bytes, "Zhang San");
    paimon_avro_value_clear(&v);
    memset(&v, 0, sizeof v);
    assert_int_equal(paimon_avro_file_next(af, &v, &err), 1);
    assert_true(paimon_avro_is_null(paimon_avro_get(&v, "name")));
    paimon_avro_value_clear(&v);
    memset(&v, 0, sizeof v);
    assert_int_equal(paimon_avro_file_next(af, &v, &err), 0);
    paimon_avro_file_close(af);
    assert_int_equal(p.npartitions, 2);
    paimon_write_plan_clear(&p);
    paimon_schema_free(s);
}

static void test_second_commit_chains_and_overwrite_deletes_partition(void **state)
{
    (void)state;
    paimon_schema *s = schema(SCHEMA_JSON);
    row3 rows[2];
    set_row(&rows[0], 1, "a", "p1");
    set_row(&rows[1], 2, "b", "p2");
    paimon_write_plan p1;
    plan(&p1, s, rows, 2, NULL);
    mc_err err;
    const paimon_out_file *mf = file_with_prefix(&p1, "manifest/manifest-", 0);
    paimon_manifest_entry *live = NULL;
    size_t nlive = 0;
    assert_int_equal(paimon_manifest_read(&live, &nlive, (const uint8_t *)mf->data.data, mf->data.len, &err), 0);
    paimon_manifest_file_meta *metas = NULL;
    size_t nmetas = 0;
    const paimon_out_file *dl = &p1.files[p1.nfiles - 1];
    assert_int_equal(paimon_manifest_list_read(&metas, &nmetas, (const uint8_t *)dl->data.data, dl->data.len, &err), 0);
    assert_int_equal(nmetas, 1);
    assert_int_equal(metas[0].num_added_files, 2);
    /* overwrite p1 only */
    row3 over[1];
    set_row(&over[0], 3, "c", "p1");
    paimon_write_input base;
    memset(&base, 0, sizeof base);
    base.latest = p1.snapshot;
    base.prev_manifests = metas;
    base.nprev = nmetas;
    base.live = live;
    base.nlive = nlive;
    base.overwrite = true;
    paimon_write_plan p2;
    plan(&p2, s, over, 1, &base);
    assert_int_equal(p2.snapshot->id, 2);
    assert_string_equal(p2.snapshot->commit_kind, "OVERWRITE");
    assert_int_equal(p2.snapshot->delta_record_count, 0);
    assert_int_equal(p2.snapshot->total_record_count, 2);
    const paimon_out_file *mf2 = file_with_prefix(&p2, "manifest/manifest-", 0);
    paimon_manifest_entry *e = NULL;
    size_t n = 0;
    assert_int_equal(paimon_manifest_read(&e, &n, (const uint8_t *)mf2->data.data, mf2->data.len, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].kind, PAIMON_FILE_DELETE);
    assert_int_equal(e[1].kind, PAIMON_FILE_ADD);
    paimon_manifest_entries_free(e, n);
    /* the new base list carries the previous snapshot's manifests */
    const paimon_out_file *bl = file_with_prefix(&p2, "manifest/manifest-list-", 0);
    paimon_manifest_file_meta *bm = NULL;
    size_t nbm = 0;
    assert_int_equal(paimon_manifest_list_read(&bm, &nbm, (const uint8_t *)bl->data.data, bl->data.len, &err), 0);
    assert_int_equal(nbm, 1);
    assert_string_equal(bm[0].file_name, metas[0].file_name);
    paimon_manifest_file_metas_free(bm, nbm);
    paimon_manifest_file_metas_free(metas, nmetas);
    paimon_manifest_entries_free(live, nlive);
    paimon_write_plan_clear(&p2);
    paimon_write_plan_clear(&p1);
    paimon_schema_free(s);
}

/* Fixed-bucket primary-key writes: tests/unit/test_paimon_pk_writer.c. */
static void test_dynamic_bucket_primary_key_writes_are_refused_clearly(void **state)
{
    (void)state;
    paimon_schema *s = schema("{\"version\":3,\"id\":0,\"fields\":[{\"id\":0,\"name\":\"k\",\"type\":\"INT NOT NULL\"}],"
                              "\"highestFieldId\":0,\"partitionKeys\":[],\"primaryKeys\":[\"k\"],"
                              "\"options\":{},\"timeMillis\":0}");
    paimon_datum d = paimon_datum_int(1);
    const paimon_datum *rows[1] = {&d};
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = rows;
    in.nrows = 1;
    paimon_write_plan p;
    mc_err err;
    assert_int_equal(paimon_write_plan_build(&p, &in, &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
    assert_string_equal(err.msg, "writing to Dynamic Bucket tables is not supported");
    paimon_schema_free(s);
}

/* The default format is Parquet: a plan's data file reads back through the
 * Parquet reader with the same values, partition column included. */
static void test_parquet_data_file_round_trip(void **state)
{
    (void)state;
    paimon_schema *s = schema("{\"version\":3,\"id\":0,\"fields\":[{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT\"},"
                              "{\"id\":1,\"name\":\"name\",\"type\":\"STRING\"},{\"id\":2,\"name\":\"d\","
                              "\"type\":\"DECIMAL(10, 2)\"}],\"highestFieldId\":2,\"partitionKeys\":[],"
                              "\"primaryKeys\":[],\"options\":{},\"timeMillis\":0}");
    paimon_datum r0[3] = {paimon_datum_int(101), paimon_datum_bytes("Zhang San", 9), paimon_datum_decimal(1050)};
    paimon_datum r1[3] = {paimon_datum_int(-2), paimon_datum_null(), paimon_datum_decimal(-3)};
    const paimon_datum *rows[2] = {r0, r1};
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = rows;
    in.nrows = 2;
    in.now_ms = 1764000000000;
    paimon_write_plan p;
    mc_err err;
    assert_int_equal(paimon_write_plan_build(&p, &in, &err), 0);
    assert_true(mc_str_ends_with(p.files[0].path, ".parquet"));
    assert_true(mc_str_starts_with(p.files[0].path, "bucket-0/data-"));
    paimon_parquet_reader *r;
    assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)p.files[0].data.data, p.files[0].data.len,
                                                s->fields, s->nfields, &err), 0);
    assert_int_equal(paimon_parquet_reader_num_rows(r), 2);
    const paimon_datum *row;
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 1);
    assert_int_equal(row[0].i, 101);
    assert_int_equal(row[1].len, 9);
    assert_memory_equal(row[1].ptr, "Zhang San", 9);
    assert_true(row[2].dec == 1050);
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 1);
    assert_int_equal(row[0].i, -2);
    assert_true(row[1].is_null);
    assert_true(row[2].dec == -3);
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 0);
    paimon_parquet_reader_close(r);
    paimon_write_plan_clear(&p);
    paimon_schema_free(s);
}

/* ---- rolling by target-file-size / target-file-row-num ---------------------- */

#define ROLL_ROWS 11000

/* id BIGINT NOT NULL, name STRING, with the given options (JSON members). */
static paimon_schema *rolling_schema(const char *pk, const char *options)
{
    char *json = mc_asprintf("{\"version\":3,\"id\":0,\"fields\":[{\"id\":0,\"name\":\"id\",\"type\":"
                             "\"BIGINT NOT NULL\"},{\"id\":1,\"name\":\"name\",\"type\":\"STRING\"}],"
                             "\"highestFieldId\":1,\"partitionKeys\":[],\"primaryKeys\":[%s],\"options\":{%s},"
                             "\"timeMillis\":0}",
                             pk, options);
    paimon_schema *s = schema(json);
    free(json);
    return s;
}

typedef struct {
    paimon_datum cells[ROLL_ROWS][2];
    char names[ROLL_ROWS][24];
    const paimon_datum *ptrs[ROLL_ROWS];
} roll_rows;

/* Row i has id ids(i) and name "name-<id * 7919 % 10007>" (compresses, but not to nothing). */
static roll_rows *roll_rows_new(int64_t (*ids)(size_t))
{
    roll_rows *r = mc_calloc(1, sizeof *r);
    for (size_t i = 0; i < ROLL_ROWS; i++) {
        int64_t id = ids(i);
        snprintf(r->names[i], sizeof r->names[i], "name-%lld", (long long)(id * 7919 % 10007));
        r->cells[i][0] = paimon_datum_int(id);
        r->cells[i][1] = paimon_datum_bytes(r->names[i], strlen(r->names[i]));
        r->ptrs[i] = r->cells[i];
    }
    return r;
}

static int64_t ascending(size_t i) { return (int64_t)i; }
static int64_t shuffled(size_t i) { return (int64_t)(i * 2039 % ROLL_ROWS); } /* 2039 is prime to 11000: a permutation */

/* The plan's manifest entries, in written order. */
static void plan_entries(paimon_manifest_entry **e, size_t *n, const paimon_write_plan *p)
{
    const paimon_out_file *mf = NULL;
    for (size_t i = 0; i < p->nfiles && !mf; i++)
        if (mc_str_starts_with(p->files[i].path, "manifest/manifest-") && !strstr(p->files[i].path, "-list-"))
            mf = &p->files[i];
    assert_non_null(mf);
    mc_err err;
    assert_int_equal(paimon_manifest_read(e, n, (const uint8_t *)mf->data.data, mf->data.len, &err), 0);
}

static const paimon_out_file *entry_file(const paimon_write_plan *p, const paimon_manifest_entry *e)
{
    for (size_t i = 0; i < p->nfiles; i++)
        if (mc_str_ends_with(p->files[i].path, e->file.file_name))
            return &p->files[i];
    fail_msg("no data file %s", e->file.file_name);
    return NULL;
}

/* A plan of ROLL_ROWS rows into a table of rolling_schema(pk, options), with its manifest entries. */
typedef struct {
    paimon_schema *s;
    roll_rows *r;
    paimon_write_plan p;
    paimon_manifest_entry *e;
    size_t n;
} rolled;

static void rolled_open(rolled *t, const char *pk, const char *options, int64_t (*ids)(size_t))
{
    t->s = rolling_schema(pk, options);
    t->r = roll_rows_new(ids);
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = t->s;
    in.rows = t->r->ptrs;
    in.nrows = ROLL_ROWS;
    in.commit_user = "test-user";
    in.now_ms = 1764000000000;
    mc_err err;
    if (paimon_write_plan_build(&t->p, &in, &err))
        fail_msg("%s", err.msg);
    plan_entries(&t->e, &t->n, &t->p);
}

static void rolled_close(rolled *t)
{
    paimon_manifest_entries_free(t->e, t->n);
    paimon_write_plan_clear(&t->p);
    free(t->r);
    paimon_schema_free(t->s);
}

/* The plan's snapshot read back through paimon/scan returns ids 0 .. ROLL_ROWS - 1 in order. */
static void assert_scan_returns_every_id(const rolled *t)
{
    tu_memfs fs = {0};
    tu_memfs_add_plan(&fs, &t->p);
    paimon_table_state st;
    tu_memfs_load_state(&st, &fs, t->p.snapshot);
    paimon_fileio io = {tu_memfs_read, &fs};
    paimon_scan *sc;
    mc_err err;
    if (paimon_scan_open(&sc, &io, t->s, &st, &err))
        fail_msg("%s", err.msg);
    const paimon_datum *row;
    int64_t n = 0;
    int r;
    while ((r = paimon_scan_next(sc, &row, &err)) == 1)
        assert_int_equal(row[0].i, n++);
    assert_int_equal(r, 0);
    assert_int_equal(n, ROLL_ROWS);
    paimon_scan_close(sc);
    paimon_table_state_clear(&st);
    tu_memfs_free(&fs);
}

/* Java's RollingFileWriterImpl closes a file once its size reaches the
 * target at a checkpoint (every 1000 records): every file but the last
 * holds a multiple of 1000 rows and reaches the target, and without its
 * last 1000 rows it would not have. */
static void test_append_files_roll_at_the_target_file_size(void **state)
{
    (void)state;
    rolled t;
    rolled_open(&t, "", "\"target-file-size\":\"8 kb\"", ascending);
    assert_true(t.n >= 3);
    assert_int_equal(t.p.nfiles, t.n + 3); /* the data files, a manifest, two manifest lists */
    int64_t first = 0;
    const paimon_type *vt[2] = {t.s->fields[0].type, t.s->fields[1].type};
    for (size_t i = 0; i < t.n; i++) {
        const paimon_data_file_meta *m = &t.e[i].file;
        const paimon_out_file *f = entry_file(&t.p, &t.e[i]);
        assert_true(mc_str_ends_with(f->path, ".parquet"));
        assert_int_equal(m->file_size, (int64_t)f->data.len);
        assert_int_equal(m->level, 0);
        /* rows are numbered on across the files (append sequence numbers) */
        assert_int_equal(m->min_sequence_number, first);
        assert_int_equal(m->max_sequence_number, first + m->row_count - 1);
        paimon_datum mins[2], maxs[2];
        mc_err err;
        assert_int_equal(paimon_binrow_read_serialized(mins, vt, 2, m->value_stats.min_values.data,
                                                       m->value_stats.min_values.len, &err), 0);
        assert_int_equal(paimon_binrow_read_serialized(maxs, vt, 2, m->value_stats.max_values.data,
                                                       m->value_stats.max_values.len, &err), 0);
        assert_int_equal(mins[0].i, first);
        assert_int_equal(maxs[0].i, first + m->row_count - 1);
        if (i + 1 < t.n) {
            assert_int_equal(m->row_count % 1000, 0);
            assert_true(m->file_size >= 8192);
            if (m->row_count > 1000) {
                mc_buf smaller = MC_BUF_INIT;
                assert_int_equal(paimon_encode_parquet(&smaller, t.s, t.r->ptrs + first,
                                                       (size_t)m->row_count - 1000, NULL, &err), 0);
                assert_true(smaller.len < 8192);
                mc_buf_free(&smaller);
            }
        }
        first += m->row_count;
    }
    assert_int_equal(first, ROLL_ROWS);
    assert_int_equal(t.p.snapshot->delta_record_count, ROLL_ROWS);
    assert_int_equal(t.p.partitions[0].file_count, (int64_t)t.n);
    assert_scan_returns_every_id(&t);
    rolled_close(&t);
}

/* target-file-row-num closes a file at exactly that many rows, whatever its size. */
static void test_append_files_roll_at_the_target_row_count(void **state)
{
    (void)state;
    rolled t;
    rolled_open(&t, "", "\"target-file-row-num\":\"700\",\"file.format\":\"avro\"", ascending);
    assert_int_equal(t.n, 16); /* 15 x 700 + 500 */
    for (size_t i = 0; i < t.n; i++) {
        assert_int_equal(t.e[i].file.row_count, i < 15 ? 700 : 500);
        assert_int_equal(t.e[i].file.min_sequence_number, (int64_t)i * 700);
        assert_true(mc_str_ends_with(entry_file(&t.p, &t.e[i])->path, ".avro"));
    }
    assert_scan_returns_every_id(&t);
    rolled_close(&t);
}

/* A primary-key flush rolls too (MergeTreeWriter writes the sorted buffer
 * through a rolling writer): level-0 files of consecutive, disjoint key
 * ranges, each with its own min/max key and sequence range, which
 * merge-on-read returns whole. */
static void test_primary_key_flush_rolls_into_disjoint_level0_files(void **state)
{
    (void)state;
    rolled t;
    rolled_open(&t, "\"id\"", "\"bucket\":\"1\",\"target-file-size\":\"4kb\"", shuffled);
    assert_true(t.n >= 3);
    const paimon_type *kt[1] = {t.s->fields[0].type};
    int64_t *arrival = mc_calloc(ROLL_ROWS, sizeof *arrival);
    for (size_t i = 0; i < ROLL_ROWS; i++)
        arrival[shuffled(i)] = (int64_t)i;
    int64_t next_key = 0;
    for (size_t i = 0; i < t.n; i++) {
        const paimon_data_file_meta *m = &t.e[i].file;
        assert_int_equal(m->level, 0);
        assert_int_equal(t.e[i].bucket, 0);
        assert_int_equal(m->file_size, (int64_t)entry_file(&t.p, &t.e[i])->data.len);
        if (i + 1 < t.n) {
            assert_int_equal(m->row_count % 1000, 0);
            assert_true(m->file_size >= 4096);
        }
        paimon_datum lo, hi;
        mc_err err;
        assert_int_equal(paimon_binrow_read_serialized(&lo, kt, 1, m->min_key.data, m->min_key.len, &err), 0);
        assert_int_equal(paimon_binrow_read_serialized(&hi, kt, 1, m->max_key.data, m->max_key.len, &err), 0);
        /* keys are written sorted: file i holds keys next_key .. next_key + rows - 1 */
        assert_int_equal(lo.i, next_key);
        assert_int_equal(hi.i, next_key + m->row_count - 1);
        /* row i (arrival order) took sequence number i: a file's range spans its keys' arrivals */
        int64_t smin = INT64_MAX, smax = -1;
        for (int64_t k = next_key; k < next_key + m->row_count; k++) {
            smin = arrival[k] < smin ? arrival[k] : smin;
            smax = arrival[k] > smax ? arrival[k] : smax;
        }
        assert_int_equal(m->min_sequence_number, smin);
        assert_int_equal(m->max_sequence_number, smax);
        next_key += m->row_count;
    }
    assert_int_equal(next_key, ROLL_ROWS);
    free(arrival);
    assert_scan_returns_every_id(&t);
    rolled_close(&t);
}

/* Java's Parquet stats for nested fields are all null (docs/paimon-format-notes.md,
 * "Nested columns in Parquet data files"): no min, max or null count. */
static void test_nested_columns_have_no_value_stats(void **state)
{
    (void)state;
    paimon_schema *s = schema("{\"version\":3,\"id\":0,\"fields\":["
                              "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT\"},"
                              "{\"id\":1,\"name\":\"tags\",\"type\":{\"type\":\"ARRAY\",\"element\":\"INT\"}}],"
                              "\"highestFieldId\":1,\"partitionKeys\":[],\"primaryKeys\":[],"
                              "\"options\":{},\"timeMillis\":0}");
    mc_buf arr = MC_BUF_INIT;
    paimon_datum el[1] = {paimon_datum_int(7)};
    paimon_binarray_write(&arr, s->fields[1].type->element, el, 1);
    paimon_datum r0[2] = {paimon_datum_null(), paimon_datum_bytes(arr.data, arr.len)};
    paimon_datum r1[2] = {paimon_datum_int(2), paimon_datum_null()};
    const paimon_datum *ptrs[2] = {r0, r1};
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = ptrs;
    in.nrows = 2;
    in.commit_user = "test-user";
    in.now_ms = 1764000000000;
    paimon_write_plan p;
    mc_err err;
    if (paimon_write_plan_build(&p, &in, &err))
        fail_msg("%s", err.msg);
    const paimon_out_file *mf = file_with_prefix(&p, "manifest/manifest-", 0);
    assert_non_null(mf);
    paimon_manifest_entry *e = NULL;
    size_t n = 0;
    assert_int_equal(paimon_manifest_read(&e, &n, (const uint8_t *)mf->data.data, mf->data.len, &err), 0);
    assert_int_equal(n, 1);
    const paimon_simple_stats *vs = &e[0].file.value_stats;
    assert_int_equal(vs->n_null_counts, 2);
    assert_true(vs->null_counts[0].set);
    assert_int_equal(vs->null_counts[0].v, 1);
    assert_false(vs->null_counts[1].set);
    const paimon_type *vt[2] = {s->fields[0].type, s->fields[1].type};
    paimon_datum mins[2], maxs[2];
    assert_int_equal(paimon_binrow_read_serialized(mins, vt, 2, vs->min_values.data, vs->min_values.len, &err), 0);
    assert_int_equal(paimon_binrow_read_serialized(maxs, vt, 2, vs->max_values.data, vs->max_values.len, &err), 0);
    assert_int_equal(mins[0].i, 2);
    assert_true(mins[1].is_null && maxs[1].is_null);
    paimon_manifest_entries_free(e, n);
    paimon_write_plan_clear(&p);
    mc_buf_free(&arr);
    paimon_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partitioned_append_plan_layout_and_manifest),
        cmocka_unit_test(test_second_commit_chains_and_overwrite_deletes_partition),
        cmocka_unit_test(test_dynamic_bucket_primary_key_writes_are_refused_clearly),
        cmocka_unit_test(test_parquet_data_file_round_trip),
        cmocka_unit_test(test_append_files_roll_at_the_target_file_size),
        cmocka_unit_test(test_append_files_roll_at_the_target_row_count),
        cmocka_unit_test(test_primary_key_flush_rolls_into_disjoint_level0_files),
        cmocka_unit_test(test_nested_columns_have_no_value_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
