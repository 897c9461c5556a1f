/*
 * Unit tests for the primary-key (fixed bucket) side of paimon/writer:
 * rows land in the bucket Java's hash picks, key-value files carry the
 * §6.2 columns in order with sequence numbers continuing per bucket,
 * manifest entries carry min/max key and key stats, and successive plans
 * read back through paimon/scan (merge-on-read) as the latest version of
 * each key — checked against an in-memory model over random upserts.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "paimon/avro.h"
#include "paimon/binrow.h"
#include "paimon/manifest.h"
#include "paimon/parquet.h"
#include "paimon/scan.h"
#include "paimon/schema.h"
#include "paimon/snapshot.h"
#include "paimon/writer.h"
#include "strutil.h"

#define BUCKETS 3

static paimon_schema *schema_of(const char *json)
{
    paimon_schema *s = NULL;
    mc_err err;
    if (paimon_schema_parse(&s, json, strlen(json), &err))
        fail_msg("%s", err.msg);
    return s;
}

/* id BIGINT NOT NULL, v STRING, dt STRING NOT NULL; PRIMARY KEY (dt, id),
 * PARTITIONED BY (dt), with the given options (a JSON object). */
static paimon_schema *dt_schema(const char *options)
{
    char *json = mc_asprintf("{\"version\":3,\"id\":0,\"fields\":["
                             "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT NOT NULL\"},"
                             "{\"id\":1,\"name\":\"v\",\"type\":\"STRING\"},"
                             "{\"id\":2,\"name\":\"dt\",\"type\":\"STRING NOT NULL\"}],"
                             "\"highestFieldId\":2,\"partitionKeys\":[\"dt\"],\"primaryKeys\":[\"dt\",\"id\"],"
                             "\"options\":%s,\"timeMillis\":0}",
                             options);
    paimon_schema *s = schema_of(json);
    free(json);
    return s;
}

static paimon_schema *pk_schema(const char *format, int buckets)
{
    char *options = mc_asprintf("{\"bucket\":\"%d\",\"file.format\":\"%s\"}", buckets, format);
    paimon_schema *s = dt_schema(options);
    free(options);
    return s;
}

typedef struct {
    paimon_datum cells[3];
    char v[16];
} row3;

static void set_row(row3 *r, int64_t id, const char *v, const char *dt)
{
    r->cells[0] = paimon_datum_int(id);
    if (v) {
        snprintf(r->v, sizeof r->v, "%s", v);
        r->cells[1] = paimon_datum_bytes(r->v, strlen(r->v));
    } else {
        r->cells[1] = paimon_datum_null();
    }
    r->cells[2] = paimon_datum_bytes(dt, strlen(dt));
}

static int32_t bucket_of_id(int64_t id, int32_t buckets)
{
    paimon_type t = {.id = PAIMON_BIGINT};
    const paimon_type *types[1] = {&t};
    paimon_datum d = paimon_datum_int(id);
    return paimon_bucket_of_key(types, &d, 1, buckets);
}

/* A write input on top of st (NULL: an empty table), without rows. */
static void input_of(paimon_write_input *in, const paimon_schema *s, const paimon_table_state *st)
{
    memset(in, 0, sizeof *in);
    in->schema = s;
    if (st) {
        in->latest = st->snap;
        in->prev_manifests = st->metas;
        in->nprev = st->nmetas;
        in->live = st->live;
        in->nlive = st->nlive;
    }
    in->commit_user = "test-user";
    in->now_ms = 1764000000000;
}

static int build(paimon_write_plan *p, const paimon_schema *s, const row3 *rows, size_t n,
                 const paimon_table_state *st, bool overwrite, mc_err *err)
{
    const paimon_datum **ptrs = mc_calloc(n + 1, sizeof *ptrs);
    for (size_t i = 0; i < n; i++)
        ptrs[i] = rows[i].cells;
    paimon_write_input in;
    input_of(&in, s, st);
    in.rows = ptrs;
    in.nrows = n;
    in.overwrite = overwrite;
    int rc = paimon_write_plan_build(p, &in, err);
    free(ptrs);
    return rc;
}

static void manifest_of(paimon_manifest_entry **e, size_t *n, const paimon_write_plan *p)
{
    mc_err err;
    for (size_t i = 0; i < p->nfiles; i++)
        if (mc_str_starts_with(p->files[i].path, "manifest/manifest-") && !strstr(p->files[i].path, "-list-")) {
            const mc_buf *b = &p->files[i].data;
            assert_int_equal(paimon_manifest_read(e, n, (const uint8_t *)b->data, b->len, &err), 0);
            return;
        }
    fail_msg("no manifest in the plan");
}

static const paimon_out_file *data_file(const paimon_write_plan *p, const paimon_manifest_entry *e)
{
    for (size_t i = 0; i < p->nfiles; i++)
        if (mc_str_ends_with(p->files[i].path, e->file.file_name))
            return &p->files[i];
    fail_msg("no data file %s", e->file.file_name);
    return NULL;
}

/* The key-value columns of the schema above, by field id (§6.2). */
static paimon_type kt_bigint = {.id = PAIMON_BIGINT}, kt_tinyint = {.id = PAIMON_TINYINT},
                   kt_string = {.id = PAIMON_VARCHAR, .nullable = true, .length = PAIMON_MAX_LENGTH};
static const paimon_field KV_FIELDS[] = {
    {1073741823 + 0, "_KEY_id", &kt_bigint, NULL, NULL},
    {2147483646, "_SEQUENCE_NUMBER", &kt_bigint, NULL, NULL},
    {2147483645, "_VALUE_KIND", &kt_tinyint, NULL, NULL},
    {0, "id", &kt_bigint, NULL, NULL},
    {1, "v", &kt_string, NULL, NULL},
    {2, "dt", &kt_string, NULL, NULL},
};

/* ---- tests -------------------------------------------------------------------- */

static void test_rows_go_to_the_java_bucket_deduplicated_and_sorted_by_key(void **state)
{
    (void)state;
    paimon_schema *s = pk_schema("parquet", BUCKETS);
    /* ids 9..0 twice over in descending order; the second version of 4 and 7 wins */
    row3 rows[12];
    size_t n = 0;
    for (int64_t id = 9; id >= 0; id--)
        set_row(&rows[n++], id, "first", "p");
    set_row(&rows[n++], 4, "second", "p");
    set_row(&rows[n++], 7, NULL, "p");
    paimon_write_plan p;
    mc_err err;
    assert_int_equal(build(&p, s, rows, n, NULL, false, &err), 0);
    assert_string_equal(p.snapshot->commit_kind, "APPEND");
    assert_int_equal(p.snapshot->delta_record_count, 10);
    paimon_manifest_entry *e = NULL;
    size_t ne = 0;
    manifest_of(&e, &ne, &p);
    assert_true(ne >= 2); /* ten keys spread over the three buckets */
    int64_t total = 0;
    for (size_t i = 0; i < ne; i++) {
        assert_int_equal(e[i].kind, PAIMON_FILE_ADD);
        assert_int_equal(e[i].total_buckets, BUCKETS);
        assert_int_equal(e[i].file.level, 0);
        assert_int_equal(e[i].file.file_source.v, 0);
        assert_int_equal(e[i].file.delete_row_count.v, 0);
        char *prefix = mc_asprintf("dt=p/bucket-%d/data-", e[i].bucket);
        const paimon_out_file *f = data_file(&p, &e[i]);
        assert_true(mc_str_starts_with(f->path, prefix));
        free(prefix);
        paimon_parquet_reader *r;
        assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)f->data.data, f->data.len, KV_FIELDS, 6, &err),
                         0);
        assert_int_equal(paimon_parquet_reader_num_rows(r), e[i].file.row_count);
        const paimon_datum *row;
        int64_t prev = -1, first = -1, last = -1, minseq = INT64_MAX, maxseq = -1;
        while (paimon_parquet_reader_next(r, &row, &err) == 1) {
            assert_false(row[0].is_null);
            assert_int_equal(row[0].i, row[3].i); /* _KEY_id repeats id */
            assert_true(row[0].i > prev);          /* sorted by key, one version per key */
            prev = row[0].i;
            if (first < 0)
                first = row[0].i;
            last = row[0].i;
            assert_int_equal(bucket_of_id(row[0].i, BUCKETS), e[i].bucket);
            assert_int_equal(row[2].i, 0); /* +I */
            /* sequence numbers follow arrival order within the bucket */
            minseq = row[1].i < minseq ? row[1].i : minseq;
            maxseq = row[1].i > maxseq ? row[1].i : maxseq;
            if (row[0].i == 4) {
                assert_int_equal(row[4].len, 6);
                assert_memory_equal(row[4].ptr, "second", 6);
            } else if (row[0].i == 7) {
                assert_true(row[4].is_null);
            } else {
                assert_memory_equal(row[4].ptr, "first", 5);
            }
            assert_memory_equal(row[5].ptr, "p", 1);
            total++;
        }
        paimon_parquet_reader_close(r);
        assert_int_equal(e[i].file.min_sequence_number, minseq);
        assert_int_equal(e[i].file.max_sequence_number, maxseq);
        /* min/max key: the first and last key, arity 1 (the trimmed key) */
        paimon_datum k;
        const paimon_type *kt[1] = {&kt_bigint};
        assert_int_equal(paimon_binrow_read_serialized(&k, kt, 1, e[i].file.min_key.data, e[i].file.min_key.len, &err),
                         0);
        assert_int_equal(k.i, first);
        assert_int_equal(paimon_binrow_read_serialized(&k, kt, 1, e[i].file.max_key.data, e[i].file.max_key.len, &err),
                         0);
        assert_int_equal(k.i, last);
        assert_int_equal(paimon_binrow_read_serialized(&k, kt, 1, e[i].file.key_stats.min_values.data,
                                                       e[i].file.key_stats.min_values.len, &err), 0);
        assert_int_equal(k.i, first);
        assert_int_equal(e[i].file.key_stats.n_null_counts, 1);
        assert_int_equal(e[i].file.key_stats.null_counts[0].v, 0);
        /* value stats cover the table's three columns */
        assert_int_equal(e[i].file.value_stats.n_null_counts, 3);
    }
    assert_int_equal(total, 10);
    paimon_manifest_entries_free(e, ne);
    paimon_write_plan_clear(&p);
    paimon_schema_free(s);
}

/* A single bucket makes the sequence numbers predictable: arrival order,
 * duplicates consuming a number, continuing in the next commit. */
static void test_sequence_numbers_continue_per_bucket_and_restart_on_overwrite(void **state)
{
    (void)state;
    paimon_schema *s = pk_schema("avro", 1);
    row3 rows[3];
    set_row(&rows[0], 2, "a", "p");
    set_row(&rows[1], 1, "b", "p");
    set_row(&rows[2], 2, "c", "p");
    tu_memfs fs = {0};
    paimon_write_plan p1, p2, p3;
    mc_err err;
    assert_int_equal(build(&p1, s, rows, 3, NULL, false, &err), 0);
    tu_memfs_add_plan(&fs, &p1);
    paimon_manifest_entry *e = NULL;
    size_t ne = 0;
    manifest_of(&e, &ne, &p1);
    assert_int_equal(ne, 1);
    assert_int_equal(e[0].file.row_count, 2);
    assert_int_equal(e[0].file.min_sequence_number, 1);
    assert_int_equal(e[0].file.max_sequence_number, 2);
    /* the Avro file's columns, in order (§6.2) */
    const paimon_out_file *f = data_file(&p1, &e[0]);
    paimon_avro_file *af = NULL;
    assert_int_equal(paimon_avro_file_open(&af, (const uint8_t *)f->data.data, f->data.len, &err), 0);
    const paimon_avro_node *root = paimon_avro_file_schema(af)->root;
    const char *want[] = {"_KEY_id", "_SEQUENCE_NUMBER", "_VALUE_KIND", "id", "v", "dt"};
    assert_int_equal(root->n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(root->names[i], want[i]);
    int64_t expect[2][2] = {{1, 1}, {2, 2}}; /* (key, seq): key 1 @1, key 2 @2 */
    for (size_t i = 0; i < 2; i++) {
        paimon_avro_value v;
        memset(&v, 0, sizeof v);
        assert_int_equal(paimon_avro_file_next(af, &v, &err), 1);
        assert_int_equal(paimon_avro_get(&v, "_KEY_id")->l, expect[i][0]);
        assert_int_equal(paimon_avro_get(&v, "_SEQUENCE_NUMBER")->l, expect[i][1]);
        assert_int_equal(paimon_avro_get(&v, "_VALUE_KIND")->l, 0);
        paimon_avro_value_clear(&v);
    }
    paimon_avro_file_close(af);
    paimon_manifest_entries_free(e, ne);
    /* second commit: continues at 3 */
    paimon_table_state st;
    tu_memfs_load_state(&st, &fs, p1.snapshot);
    assert_int_equal(build(&p2, s, rows, 1, &st, false, &err), 0);
    manifest_of(&e, &ne, &p2);
    assert_int_equal(e[0].file.min_sequence_number, 3);
    assert_int_equal(e[0].file.max_sequence_number, 3);
    paimon_manifest_entries_free(e, ne);
    /* overwrite: deletes the partition's file, starts again at 0 */
    assert_int_equal(build(&p3, s, rows, 1, &st, true, &err), 0);
    assert_string_equal(p3.snapshot->commit_kind, "OVERWRITE");
    assert_int_equal(p3.snapshot->delta_record_count, -1);
    manifest_of(&e, &ne, &p3);
    assert_int_equal(ne, 2);
    assert_int_equal(e[0].kind, PAIMON_FILE_DELETE);
    assert_int_equal(e[1].kind, PAIMON_FILE_ADD);
    assert_int_equal(e[1].file.min_sequence_number, 0);
    paimon_manifest_entries_free(e, ne);
    paimon_table_state_clear(&st);
    paimon_write_plan_clear(&p1);
    paimon_write_plan_clear(&p2);
    paimon_write_plan_clear(&p3);
    tu_memfs_free(&fs);
    paimon_schema_free(s);
}

/* The model: latest v per (dt, id); NULL v kept as present-with-null. */
#define NIDS 40
#define NDTS 2
typedef struct {
    bool present;
    bool null_v;
    char v[16];
} cell;

/* A scan of the table as of snap; close it, then clear *st. */
static paimon_scan *open_scan(paimon_table_state *st, tu_memfs *fs, const paimon_schema *s, const paimon_snapshot *snap)
{
    tu_memfs_load_state(st, fs, snap);
    paimon_fileio io = {tu_memfs_read, fs};
    paimon_scan *sc;
    mc_err err;
    if (paimon_scan_open(&sc, &io, s, st, &err))
        fail_msg("%s", err.msg);
    return sc;
}

static void check_scan(tu_memfs *fs, const paimon_schema *s, const paimon_snapshot *snap, cell model[NDTS][NIDS])
{
    static const char *dts[NDTS] = {"d1", "d2"};
    paimon_table_state st;
    paimon_scan *sc = open_scan(&st, fs, s, snap);
    mc_err err;
    bool seen[NDTS][NIDS];
    memset(seen, 0, sizeof seen);
    size_t n = 0, expected = 0;
    const paimon_datum *row;
    int r;
    while ((r = paimon_scan_next(sc, &row, &err)) == 1) {
        int d = row[2].len == 2 && !memcmp(row[2].ptr, dts[1], 2) ? 1 : 0;
        assert_memory_equal(row[2].ptr, dts[d], 2);
        assert_true(row[0].i >= 0 && row[0].i < NIDS);
        const cell *c = &model[d][row[0].i];
        assert_true(c->present);
        assert_false(seen[d][row[0].i]);
        seen[d][row[0].i] = true;
        if (c->null_v) {
            assert_true(row[1].is_null);
        } else {
            assert_false(row[1].is_null);
            assert_int_equal(row[1].len, strlen(c->v));
            assert_memory_equal(row[1].ptr, c->v, row[1].len);
        }
        n++;
    }
    if (r < 0)
        fail_msg("%s", err.msg);
    for (int d = 0; d < NDTS; d++)
        for (int i = 0; i < NIDS; i++)
            expected += model[d][i].present;
    assert_int_equal(n, expected);
    paimon_scan_close(sc);
    paimon_table_state_clear(&st);
}

static void test_random_upserts_read_back_merged_like_a_model(void **state)
{
    (void)state;
    static const char *dts[NDTS] = {"d1", "d2"};
    paimon_schema *s = pk_schema("parquet", BUCKETS);
    cell model[NDTS][NIDS];
    memset(model, 0, sizeof model);
    tu_memfs fs = {0};
    paimon_write_plan prev;
    memset(&prev, 0, sizeof prev);
    srand(20261124);
    int64_t commits = 0;
    /* ~200 upserts over 6 commits, then a dynamic-partition overwrite of d1 */
    for (int c = 0; c < 7; c++) {
        bool overwrite = c == 6;
        size_t n = overwrite ? 5 : 25 + (size_t)(rand() % 20);
        row3 *rows = mc_calloc(n, sizeof *rows);
        if (overwrite)
            for (int i = 0; i < NIDS; i++)
                model[0][i].present = false;
        for (size_t k = 0; k < n; k++) {
            int d = overwrite ? 0 : rand() % NDTS;
            int64_t id = rand() % NIDS;
            char v[16];
            snprintf(v, sizeof v, "c%d-%d", c, rand() % 1000);
            bool null_v = rand() % 7 == 0;
            set_row(&rows[k], id, null_v ? NULL : v, dts[d]);
            cell *m = &model[d][id];
            m->present = true;
            m->null_v = null_v;
            snprintf(m->v, sizeof m->v, "%s", v);
        }
        paimon_table_state st;
        tu_memfs_load_state(&st, &fs, prev.snapshot);
        paimon_write_plan p;
        mc_err err;
        if (build(&p, s, rows, n, &st, overwrite, &err))
            fail_msg("%s", err.msg);
        /* every bucket's new file starts after the bucket's live files */
        paimon_manifest_entry *e = NULL;
        size_t ne = 0;
        manifest_of(&e, &ne, &p);
        for (size_t i = 0; i < ne; i++) {
            if (e[i].kind != PAIMON_FILE_ADD)
                continue;
            for (size_t j = 0; j < st.nlive && !overwrite; j++)
                if (st.live[j].bucket == e[i].bucket && st.live[j].partition.len == e[i].partition.len &&
                    !memcmp(st.live[j].partition.data, e[i].partition.data, e[i].partition.len))
                    assert_true(e[i].file.min_sequence_number > st.live[j].file.max_sequence_number);
        }
        paimon_manifest_entries_free(e, ne);
        paimon_table_state_clear(&st);
        tu_memfs_add_plan(&fs, &p);
        free(rows);
        paimon_write_plan_clear(&prev);
        prev = p;
        commits++;
        check_scan(&fs, s, prev.snapshot, model);
    }
    assert_int_equal(prev.snapshot->id, commits);
    paimon_write_plan_clear(&prev);
    tu_memfs_free(&fs);
    paimon_schema_free(s);
}

/* Key stats and min/max key keep text whole; value stats are truncate(16)
 * (as Java wrote paimon-cpp's parquet_pk_table_scan_and_read_mor). */
static void test_key_stats_are_untruncated_value_stats_truncated(void **state)
{
    (void)state;
    paimon_schema *s = schema_of("{\"version\":3,\"id\":0,\"fields\":["
                                 "{\"id\":0,\"name\":\"k\",\"type\":\"STRING NOT NULL\"},"
                                 "{\"id\":1,\"name\":\"n\",\"type\":\"INT\"}],\"highestFieldId\":1,"
                                 "\"partitionKeys\":[],\"primaryKeys\":[\"k\"],\"options\":{\"bucket\":\"1\"},"
                                 "\"timeMillis\":0}");
    static const char *LONG = "Two roads diverged in a wood";
    paimon_datum r0[2] = {paimon_datum_bytes(LONG, strlen(LONG)), paimon_datum_int(1)};
    paimon_datum r1[2] = {paimon_datum_bytes("Alice", 5), paimon_datum_int(2)};
    const paimon_datum *rows[2] = {r0, r1};
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = rows;
    in.nrows = 2;
    paimon_write_plan p;
    mc_err err;
    assert_int_equal(paimon_write_plan_build(&p, &in, &err), 0);
    paimon_manifest_entry *e = NULL;
    size_t ne = 0;
    manifest_of(&e, &ne, &p);
    assert_int_equal(ne, 1);
    const paimon_type *kt[1] = {s->fields[0].type};
    const paimon_type *vt[2] = {s->fields[0].type, s->fields[1].type};
    paimon_datum k, v[2];
    assert_int_equal(paimon_binrow_read_serialized(&k, kt, 1, e[0].file.max_key.data, e[0].file.max_key.len, &err), 0);
    assert_int_equal(k.len, strlen(LONG));
    assert_int_equal(paimon_binrow_read_serialized(&k, kt, 1, e[0].file.key_stats.max_values.data,
                                                   e[0].file.key_stats.max_values.len, &err), 0);
    assert_int_equal(k.len, strlen(LONG));
    assert_memory_equal(k.ptr, LONG, k.len);
    assert_int_equal(paimon_binrow_read_serialized(&k, kt, 1, e[0].file.key_stats.min_values.data,
                                                   e[0].file.key_stats.min_values.len, &err), 0);
    assert_memory_equal(k.ptr, "Alice", 5);
    assert_int_equal(paimon_binrow_read_serialized(v, vt, 2, e[0].file.value_stats.max_values.data,
                                                   e[0].file.value_stats.max_values.len, &err), 0);
    assert_int_equal(v[0].len, 16);
    assert_memory_equal(v[0].ptr, "Two roads diverh", 16);
    paimon_manifest_entries_free(e, ne);
    paimon_write_plan_clear(&p);
    paimon_schema_free(s);
}

/* Keys hashed with another bucket count would escape the merge: a partition
 * keeps its count until an INSERT OVERWRITE rescales it. */
static void test_changing_the_bucket_count_needs_an_overwrite(void **state)
{
    (void)state;
    paimon_schema *s2 = pk_schema("parquet", 2), *s3 = pk_schema("parquet", 3);
    row3 rows[2];
    set_row(&rows[0], 1, "a", "p");
    set_row(&rows[1], 2, "b", "p");
    tu_memfs fs = {0};
    paimon_write_plan p1, p2;
    mc_err err;
    assert_int_equal(build(&p1, s2, rows, 2, NULL, false, &err), 0);
    tu_memfs_add_plan(&fs, &p1);
    paimon_table_state st;
    tu_memfs_load_state(&st, &fs, p1.snapshot);
    assert_int_equal(build(&p2, s3, rows, 2, &st, false, &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "new bucket num 3, but the previous bucket num is 2"));
    assert_int_equal(build(&p2, s3, rows, 2, &st, true, &err), 0);
    paimon_write_plan_clear(&p2);
    /* another partition is free to use the new count */
    set_row(&rows[0], 1, "a", "q");
    assert_int_equal(build(&p2, s3, rows, 1, &st, false, &err), 0);
    paimon_write_plan_clear(&p2);
    paimon_table_state_clear(&st);
    paimon_write_plan_clear(&p1);
    tu_memfs_free(&fs);
    paimon_schema_free(s2);
    paimon_schema_free(s3);
}

static void expect_refusal(const char *json, int code, const char *msg)
{
    paimon_schema *s = schema_of(json);
    paimon_datum d[2] = {paimon_datum_int(1), paimon_datum_bytes("x", 1)};
    const paimon_datum *rows[1] = {d};
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = rows;
    in.nrows = 1;
    paimon_write_plan p;
    mc_err err;
    assert_int_equal(paimon_write_plan_build(&p, &in, &err), -1);
    assert_int_equal(err.code, code);
    assert_string_equal(err.msg, msg);
    paimon_schema_free(s);
}

#define TWO_FIELDS                                                                                                    \
    "{\"version\":3,\"id\":0,\"fields\":[{\"id\":0,\"name\":\"k\",\"type\":\"INT NOT NULL\"},"                      \
    "{\"id\":1,\"name\":\"p\",\"type\":\"STRING NOT NULL\"}],\"highestFieldId\":1,"

static void test_unsupported_primary_key_tables_are_refused_clearly(void **state)
{
    (void)state;
    expect_refusal(TWO_FIELDS "\"partitionKeys\":[],\"primaryKeys\":[\"k\"],\"options\":{},\"timeMillis\":0}",
                   MC_ERR_UNSUPPORTED, "writing to Dynamic Bucket tables is not supported");
    expect_refusal(TWO_FIELDS "\"partitionKeys\":[],\"primaryKeys\":[\"k\"],\"options\":{\"bucket\":\"-2\"},"
                              "\"timeMillis\":0}",
                   MC_ERR_UNSUPPORTED, "writing to Postpone Bucket tables is not supported");
    expect_refusal(TWO_FIELDS "\"partitionKeys\":[\"p\"],\"primaryKeys\":[\"k\"],\"options\":{\"bucket\":\"2\"},"
                              "\"timeMillis\":0}",
                   MC_ERR_UNSUPPORTED, "writing to Cross Partition tables is not supported");
    expect_refusal(TWO_FIELDS "\"partitionKeys\":[],\"primaryKeys\":[\"k\"],\"options\":{\"bucket\":\"2\","
                              "\"changelog-producer\":\"input\"},\"timeMillis\":0}",
                   MC_ERR_UNSUPPORTED, "writing to primary-key tables with changelog-producer 'input' is not supported yet");
}

/* "id:v id:v ..." of a scan, in scan order. */
static void scan_text(mc_buf *out, tu_memfs *fs, const paimon_schema *s, const paimon_snapshot *snap)
{
    paimon_table_state st;
    paimon_scan *sc = open_scan(&st, fs, s, snap);
    mc_err err;
    const paimon_datum *row;
    int r;
    mc_buf_reset(out);
    while ((r = paimon_scan_next(sc, &row, &err)) == 1)
        mc_buf_printf(out, "%s%lld:%.*s", out->len ? " " : "", (long long)row[0].i, (int)row[1].len,
                      (const char *)row[1].ptr);
    if (r < 0)
        fail_msg("%s", err.msg);
    paimon_scan_close(sc);
    paimon_table_state_clear(&st);
}

static void compact_scoped(paimon_write_plan *p, tu_memfs *fs, const paimon_schema *s, const paimon_table_state *st,
                           const paimon_compact_scope *scope)
{
    paimon_write_input in;
    input_of(&in, s, st);
    paimon_fileio io = {tu_memfs_read, fs};
    mc_err err;
    if (paimon_compact_plan_build(p, &in, scope, &io, &err))
        fail_msg("%s", err.msg);
}

static void compact(paimon_write_plan *p, tu_memfs *fs, const paimon_schema *s, const paimon_table_state *st)
{
    compact_scoped(p, fs, s, st, NULL);
}

static void test_first_row_writes_are_compacted_to_the_top_level_keeping_the_first_row(void **state)
{
    (void)state;
    paimon_schema *s = dt_schema("{\"bucket\":\"1\",\"file.format\":\"avro\",\"merge-engine\":\"first-row\"}");
    assert_true(paimon_write_needs_compaction(s));
    tu_memfs fs = {0};
    mc_err err;
    mc_buf text = MC_BUF_INIT;
    row3 r1[3];
    set_row(&r1[0], 1, "a", "d1");
    set_row(&r1[1], 2, "b", "d1");
    set_row(&r1[2], 1, "a2", "d1");
    paimon_write_plan p1, c1, p2, c2, c3;
    assert_int_equal(build(&p1, s, r1, 3, NULL, false, &err), 0);
    tu_memfs_add_plan(&fs, &p1);
    scan_text(&text, &fs, s, p1.snapshot);
    assert_string_equal(mc_buf_cstr(&text), ""); /* level 0: invisible to batch reads */

    paimon_table_state st;
    tu_memfs_load_state(&st, &fs, p1.snapshot);
    compact(&c1, &fs, s, &st);
    paimon_table_state_clear(&st);
    tu_memfs_add_plan(&fs, &c1);
    assert_non_null(c1.snapshot);
    assert_string_equal(c1.snapshot->commit_kind, "COMPACT");
    assert_int_equal(c1.snapshot->id, 2);
    assert_int_equal(c1.snapshot->delta_record_count, 0); /* 2 rows out, 2 in */
    paimon_manifest_entry *e;
    size_t n;
    manifest_of(&e, &n, &c1);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].kind, PAIMON_FILE_DELETE);
    assert_int_equal(e[0].file.level, 0);
    assert_int_equal(e[1].kind, PAIMON_FILE_ADD);
    assert_int_equal(e[1].file.level, 5); /* num-sorted-run.compaction-trigger 5 + 1 levels */
    assert_int_equal(e[1].file.file_source.v, 1);
    assert_int_equal(e[1].file.row_count, 2);
    assert_int_equal(e[1].file.min_sequence_number, 0); /* the rows keep their sequence numbers */
    assert_int_equal(e[1].file.max_sequence_number, 1);
    paimon_manifest_entries_free(e, n);
    scan_text(&text, &fs, s, c1.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "1:a 2:b");

    /* Key 2 exists: the new version is dropped by the next compaction. */
    row3 r2[2];
    set_row(&r2[0], 2, "B", "d1");
    set_row(&r2[1], 3, "c", "d1");
    tu_memfs_load_state(&st, &fs, c1.snapshot);
    assert_int_equal(build(&p2, s, r2, 2, &st, false, &err), 0);
    paimon_table_state_clear(&st);
    tu_memfs_add_plan(&fs, &p2);
    scan_text(&text, &fs, s, p2.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "1:a 2:b");
    tu_memfs_load_state(&st, &fs, p2.snapshot);
    compact(&c2, &fs, s, &st);
    paimon_table_state_clear(&st);
    tu_memfs_add_plan(&fs, &c2);
    manifest_of(&e, &n, &c2);
    assert_int_equal(n, 3); /* both files out, one in */
    assert_int_equal(e[2].kind, PAIMON_FILE_ADD);
    assert_int_equal(e[2].file.row_count, 3);
    assert_int_equal(e[2].file.min_sequence_number, 0);
    assert_int_equal(e[2].file.max_sequence_number, 3); /* 3:c was written with sequence number 3 */
    paimon_manifest_entries_free(e, n);
    scan_text(&text, &fs, s, c2.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "1:a 2:b 3:c");

    /* Nothing at level 0: nothing to compact. */
    tu_memfs_load_state(&st, &fs, c2.snapshot);
    compact(&c3, &fs, s, &st);
    paimon_table_state_clear(&st);
    assert_null(c3.snapshot);
    assert_int_equal(c3.nfiles, 0);

    paimon_write_plan *plans[] = {&p1, &c1, &p2, &c2, &c3};
    for (size_t i = 0; i < 5; i++)
        paimon_write_plan_clear(plans[i]);
    mc_buf_free(&text);
    tu_memfs_free(&fs);
    paimon_schema_free(s);
}

/* One table state per step: writes and compactions applied in order. */
typedef struct {
    tu_memfs fs;
    paimon_write_plan last;
    const paimon_schema *s;
} table_sim;

static void sim_apply(table_sim *t, paimon_write_plan *p)
{
    if (!p->snapshot) {
        paimon_write_plan_clear(p);
        return;
    }
    tu_memfs_add_plan(&t->fs, p);
    paimon_write_plan_clear(&t->last);
    t->last = *p;
}

static void sim_write(table_sim *t, const row3 *rows, size_t n)
{
    paimon_table_state st;
    tu_memfs_load_state(&st, &t->fs, t->last.snapshot);
    paimon_write_plan p;
    mc_err err;
    if (build(&p, t->s, rows, n, &st, false, &err))
        fail_msg("%s", err.msg);
    paimon_table_state_clear(&st);
    sim_apply(t, &p);
}

/* Compacts with scope; returns the plan's "kind:level" manifest entries,
 * each prefixed by its partition's first byte of value ("" when nothing
 * was compacted). */
static void sim_compact(table_sim *t, const paimon_compact_scope *scope, mc_buf *entries)
{
    paimon_table_state st;
    tu_memfs_load_state(&st, &t->fs, t->last.snapshot);
    paimon_write_plan p;
    compact_scoped(&p, &t->fs, t->s, &st, scope);
    paimon_table_state_clear(&st);
    mc_buf_reset(entries);
    if (p.snapshot) {
        assert_string_equal(p.snapshot->commit_kind, "COMPACT");
        paimon_manifest_entry *e;
        size_t n;
        manifest_of(&e, &n, &p);
        for (size_t i = 0; i < n; i++) {
            mc_buf part = MC_BUF_INIT;
            mc_err err;
            assert_int_equal(paimon_partition_path_of(&part, t->s, &e[i].partition, &err), 0);
            mc_buf_printf(entries, "%s%s%s:%d", entries->len ? " " : "", mc_buf_cstr(&part),
                          e[i].kind == PAIMON_FILE_ADD ? "+" : "-", e[i].file.level);
            mc_buf_free(&part);
        }
        paimon_manifest_entries_free(e, n);
    }
    sim_apply(t, &p);
}

static void test_buckets_reaching_the_sorted_run_trigger_are_fully_compacted(void **state)
{
    (void)state;
    paimon_schema *s =
        dt_schema("{\"bucket\":\"1\",\"file.format\":\"avro\",\"num-sorted-run.compaction-trigger\":\"3\"}");
    assert_false(paimon_write_needs_compaction(s));
    table_sim t = {.s = s};
    mc_buf entries = MC_BUF_INIT, text = MC_BUF_INIT;
    row3 r[2];
    const paimon_compact_scope trigger = {.pick = PAIMON_COMPACT_TRIGGER};
    set_row(&r[0], 1, "a", "d1");
    set_row(&r[1], 2, "b", "d1");
    sim_write(&t, r, 2);
    set_row(&r[0], 1, "a2", "d1");
    sim_write(&t, r, 1);
    set_row(&r[0], 7, "x", "d2");
    sim_write(&t, r, 1);
    sim_compact(&t, &trigger, &entries);
    assert_string_equal(mc_buf_cstr(&entries), ""); /* d1 holds 2 sorted runs, d2 1: under 3 */

    set_row(&r[0], 2, "b2", "d1");
    sim_write(&t, r, 1);
    sim_compact(&t, &trigger, &entries);
    /* d1's three level-0 files become one file at the top level:
     * num-levels = trigger + 1 = 4. d2 is left alone. */
    assert_string_equal(mc_buf_cstr(&entries), "dt=d1/-:0 dt=d1/-:0 dt=d1/-:0 dt=d1/+:3");
    scan_text(&text, &t.fs, s, t.last.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "7:x 1:a2 2:b2"); /* live files in manifest order */

    /* top level + one level-0 file: 2 runs, under the trigger */
    set_row(&r[0], 3, "c", "d1");
    sim_write(&t, r, 1);
    sim_compact(&t, &trigger, &entries);
    assert_string_equal(mc_buf_cstr(&entries), "");

    /* A full compaction limited to the buckets a write reports (d2). */
    set_row(&r[0], 8, "y", "d2");
    sim_write(&t, r, 1);
    assert_int_equal(t.last.nbuckets, 1);
    paimon_bucket_ref only = {{mc_malloc(t.last.buckets[0].partition.len), t.last.buckets[0].partition.len},
                              t.last.buckets[0].bucket};
    memcpy(only.partition.data, t.last.buckets[0].partition.data, only.partition.len);
    const paimon_compact_scope written = {.pick = PAIMON_COMPACT_FULL, .only = &only, .nonly = 1};
    sim_compact(&t, &written, &entries);
    assert_string_equal(mc_buf_cstr(&entries), "dt=d2/-:0 dt=d2/-:0 dt=d2/+:3");

    /* Full compaction of the table: d1 (top + level 0) only; d2 is one top-level run. */
    const paimon_compact_scope full = {.pick = PAIMON_COMPACT_FULL};
    sim_compact(&t, &full, &entries);
    assert_string_equal(mc_buf_cstr(&entries), "dt=d1/-:3 dt=d1/-:0 dt=d1/+:3");
    scan_text(&text, &t.fs, s, t.last.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "7:x 8:y 1:a2 2:b2 3:c");
    sim_compact(&t, &full, &entries);
    assert_string_equal(mc_buf_cstr(&entries), "");
    assert_int_equal(t.last.snapshot->id, 9); /* 6 writes, 3 compactions */

    free(only.partition.data);
    paimon_write_plan_clear(&t.last);
    tu_memfs_free(&t.fs);
    mc_buf_free(&entries);
    mc_buf_free(&text);
    paimon_schema_free(s);
}

static void test_deletion_vector_tables_are_written_and_compacted_out_of_level_0(void **state)
{
    (void)state;
    paimon_schema *s = dt_schema("{\"bucket\":\"1\",\"deletion-vectors.enabled\":\"true\"}");
    assert_true(paimon_write_needs_compaction(s));
    table_sim t = {.s = s};
    mc_buf entries = MC_BUF_INIT, text = MC_BUF_INIT;
    row3 r[3];
    set_row(&r[0], 1, "a", "d1");
    set_row(&r[1], 2, "b", "d1");
    set_row(&r[2], 1, "a2", "d1");
    sim_write(&t, r, 3);
    scan_text(&text, &t.fs, s, t.last.snapshot);
    assert_string_equal(mc_buf_cstr(&text), ""); /* level 0 of a DV table: invisible (§6.3) */
    sim_compact(&t, NULL, &entries);
    assert_string_equal(mc_buf_cstr(&entries), "dt=d1/-:0 dt=d1/+:5");
    scan_text(&text, &t.fs, s, t.last.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "1:a2 2:b");
    set_row(&r[0], 2, "B", "d1");
    set_row(&r[1], 3, "c", "d1");
    sim_write(&t, r, 2);
    scan_text(&text, &t.fs, s, t.last.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "1:a2 2:b");
    sim_compact(&t, NULL, &entries);
    assert_string_equal(mc_buf_cstr(&entries), "dt=d1/-:5 dt=d1/-:0 dt=d1/+:5");
    scan_text(&text, &t.fs, s, t.last.snapshot);
    assert_string_equal(mc_buf_cstr(&text), "1:a2 2:B 3:c");
    paimon_write_plan_clear(&t.last);
    tu_memfs_free(&t.fs);
    mc_buf_free(&entries);
    mc_buf_free(&text);
    paimon_schema_free(s);
}

static void test_null_primary_key_is_refused(void **state)
{
    (void)state;
    paimon_schema *s = pk_schema("parquet", 2);
    row3 rows[1];
    set_row(&rows[0], 1, "x", "p");
    rows[0].cells[0] = paimon_datum_null();
    paimon_write_plan p;
    mc_err err;
    assert_int_equal(build(&p, s, rows, 1, NULL, false, &err), -1);
    assert_int_equal(err.code, MC_ERR_INVALID);
    assert_string_equal(err.msg, "primary key column id must not be NULL");
    paimon_schema_free(s);
}

/* Merge-on-read streams a bucket section by section (Java's
 * IntervalPartition): six commits of disjoint ids are six level-0 files in
 * six sections of one run each, so a read opens one file at a time. Then a
 * file of ids 5 and 25 overlaps the first three files, whose section holds
 * two runs, and a file of ids 60 and 61 is a section of its own: 62 rows
 * are read holding at most 4. */
static void test_merge_on_read_holds_one_file_per_run_of_a_section(void **state)
{
    (void)state;
    paimon_schema *s = dt_schema("{\"bucket\":\"1\",\"file.format\":\"parquet\"}");
    table_sim t = {.s = s};
    row3 rows[10];
    for (int c = 0; c < 6; c++) {
        for (int i = 0; i < 10; i++)
            set_row(&rows[i], 10 * c + i, "a", "d1");
        sim_write(&t, rows, 10);
    }
    set_row(&rows[0], 5, "b", "d1");
    set_row(&rows[1], 25, "b", "d1");
    set_row(&rows[2], 60, "b", "d1");
    set_row(&rows[3], 61, "b", "d1");
    for (int round = 0; round < 2; round++) {
        paimon_table_state st;
        paimon_scan *sc = open_scan(&st, &t.fs, s, t.last.snapshot);
        mc_err err;
        const paimon_datum *row;
        int r;
        mc_buf text = MC_BUF_INIT;
        size_t n = 0;
        while ((r = paimon_scan_next(sc, &row, &err)) == 1) {
            n++;
            if (row[1].len == 1 && row[1].ptr[0] == 'b')
                mc_buf_printf(&text, "%s%lld", text.len ? " " : "", (long long)row[0].i);
        }
        if (r < 0)
            fail_msg("%s", err.msg);
        const paimon_merge_stats *ms = paimon_scan_merge_stats(sc);
        if (round == 0) {
            assert_string_equal(mc_buf_cstr(&text), "");
            assert_int_equal(ms->sections, 6);
            assert_int_equal(ms->max_runs, 1);
            assert_int_equal(ms->max_open_files, 1);
            assert_int_equal(ms->max_rows, 2); /* a run's current row and the key just read */
        } else {
            /* [0,9] [10,19] [20,29] | [5,25]; [30,39]; [40,49]; [50,59]; [60,61] */
            assert_string_equal(mc_buf_cstr(&text), "5 25 60 61");
            assert_int_equal(ms->sections, 5);
            assert_int_equal(ms->max_runs, 2);
            assert_int_equal(ms->max_open_files, 2);
            assert_int_equal(ms->max_rows, 4);
        }
        mc_buf_free(&text);
        paimon_scan_close(sc);
        paimon_table_state_clear(&st);
        assert_int_equal(n, round ? 62 : 60);
        if (round == 0) {
            sim_write(&t, rows, 2);
            sim_write(&t, rows + 2, 2);
        }
    }
    paimon_write_plan_clear(&t.last);
    tu_memfs_free(&t.fs);
    paimon_schema_free(s);
}

/* ---- INSERT OVERWRITE of a Java-written deletion-vector table ------------------------------ */

/* A table directory on disk under the files of plans: plans first, then dir. */
typedef struct {
    tu_memfs fs;
    char *dir;
} layered_fs;

static int layered_read(void *ud, const char *rel, mc_buf *out, mc_err *err)
{
    layered_fs *l = ud;
    if (tu_memfs_read(&l->fs, rel, out, err) == 0)
        return 0;
    char *path = mc_asprintf("%s/%s", l->dir, rel);
    int rc = mc_file_read_all(out, path, err);
    free(path);
    return rc;
}

static paimon_index_manifest_entry *plan_index(size_t *n, const paimon_write_plan *p)
{
    mc_err err;
    paimon_index_manifest_entry *e = NULL;
    char *rel = mc_asprintf("manifest/%s", p->snapshot->index_manifest);
    bool found = false;
    *n = 0;
    for (size_t i = 0; i < p->nfiles && !found; i++)
        if (!strcmp(p->files[i].path, rel)) {
            const mc_buf *b = &p->files[i].data;
            assert_int_equal(paimon_index_manifest_read(&e, n, (const uint8_t *)b->data, b->len, &err), 0);
            found = true;
        }
    free(rel);
    if (!found)
        fail_msg("the plan does not hold its index manifest");
    return e;
}

/* "f0/f1/f2 ..." of a scan (f0 cut to 12 bytes), in scan order. */
static void dv_rows(mc_buf *out, layered_fs *l, const paimon_schema *s, const paimon_snapshot *snap)
{
    paimon_table_state st;
    paimon_fileio io = {layered_read, l};
    mc_err err;
    paimon_snapshot *copy;
    mc_buf json = MC_BUF_INIT;
    paimon_snapshot_write(&json, snap);
    assert_int_equal(paimon_snapshot_parse(&copy, json.data, json.len, &err), 0);
    mc_buf_free(&json);
    if (paimon_table_state_load(&st, &io, copy, &err))
        fail_msg("%s", err.msg);
    paimon_scan *sc;
    if (paimon_scan_open(&sc, &io, s, &st, &err))
        fail_msg("%s", err.msg);
    const paimon_datum *row;
    int r;
    mc_buf_reset(out);
    while ((r = paimon_scan_next(sc, &row, &err)) == 1)
        mc_buf_printf(out, "%s%.*s/%lld/%lld", out->len ? " " : "", (int)(row[0].len > 12 ? 12 : row[0].len),
                      (const char *)row[0].ptr, (long long)row[1].i, (long long)row[2].i);
    if (r < 0)
        fail_msg("%s", err.msg);
    paimon_scan_close(sc);
    paimon_table_state_clear(&st);
}

/* Overwrites partition f1 = `part` of the Java-written DV table with one
 * row, then compacts (DV tables keep level 0 out of batch reads). */
static void overwrite_dv(paimon_write_plan *ow, paimon_write_plan *cp, layered_fs *l, const paimon_schema *s,
                         const paimon_snapshot *latest, int part)
{
    paimon_table_state st;
    paimon_fileio io = {layered_read, l};
    mc_err err;
    mc_buf json = MC_BUF_INIT;
    paimon_snapshot *copy;
    paimon_snapshot_write(&json, latest);
    assert_int_equal(paimon_snapshot_parse(&copy, json.data, json.len, &err), 0);
    mc_buf_free(&json);
    assert_int_equal(paimon_table_state_load(&st, &io, copy, &err), 0);
    paimon_datum row[4] = {paimon_datum_bytes("Zoe", 3), paimon_datum_int(part), paimon_datum_int(7),
                           paimon_datum_double(1.5)};
    const paimon_datum *rows[1] = {row};
    paimon_write_input in;
    input_of(&in, s, &st);
    in.rows = rows;
    in.nrows = 1;
    in.overwrite = true;
    in.io = NULL;
    assert_int_equal(paimon_write_plan_build(ow, &in, &err), -1); /* the index manifest must be read */
    assert_string_equal(err.msg, "overwriting a table with an index manifest needs its files");
    in.io = &io;
    if (paimon_write_plan_build(ow, &in, &err))
        fail_msg("%s", err.msg);
    paimon_table_state_clear(&st);
    tu_memfs_add_plan(&l->fs, ow);
    paimon_table_state after;
    paimon_fileio io2 = {layered_read, l};
    paimon_snapshot_write(&json, ow->snapshot);
    assert_int_equal(paimon_snapshot_parse(&copy, json.data, json.len, &err), 0);
    mc_buf_free(&json);
    assert_int_equal(paimon_table_state_load(&after, &io2, copy, &err), 0);
    input_of(&in, s, &after);
    if (paimon_compact_plan_build(cp, &in, NULL, &io2, &err))
        fail_msg("%s", err.msg);
    paimon_table_state_clear(&after);
    tu_memfs_add_plan(&l->fs, cp);
}

static void test_overwrite_drops_the_deletion_vectors_of_the_overwritten_partitions(void **state)
{
    (void)state;
    layered_fs l = {.dir = tu_shared_path("paimon-tables/paimon-cpp__parquet_pk_table_scan_and_read_dv/table")};
    mc_buf b = MC_BUF_INIT;
    char *p = mc_asprintf("%s/schema/schema-0", l.dir);
    tu_read_file(&b, p);
    free(p);
    paimon_schema *s;
    mc_err err;
    assert_int_equal(paimon_schema_parse(&s, b.data, b.len, &err), 0);
    mc_buf_reset(&b);
    p = mc_asprintf("%s/snapshot/snapshot-6", l.dir);
    tu_read_file(&b, p);
    free(p);
    paimon_snapshot *latest;
    assert_int_equal(paimon_snapshot_parse(&latest, b.data, b.len, &err), 0);
    mc_buf_free(&b);
    /* Java's snapshot 6: deletion vectors in buckets 0 and 1 of f1=10. */
    assert_string_equal(latest->index_manifest, "index-manifest-3f491f6b-79ec-484b-aa03-f4737e96bf9a-0");
    mc_buf rows = MC_BUF_INIT;
    dv_rows(&rows, &l, s, latest);
    assert_string_equal(mc_buf_cstr(&rows),
                        "Two roads di/10/1 Alex/10/0 Bob/10/0 David/10/0 Emily/10/0 Lucy/20/1 Paul/20/1 Alice/10/1");

    /* f1=20 holds no vectors: the index manifest stays the same file. */
    paimon_write_plan ow, cp;
    overwrite_dv(&ow, &cp, &l, s, latest, 20);
    assert_string_equal(ow.snapshot->commit_kind, "OVERWRITE");
    assert_string_equal(ow.snapshot->index_manifest, latest->index_manifest);
    /* The compaction after it took f1=10 bucket 1's level-0 files (Java's
     * snapshots 5 and 6: Alex deleted, Skye, Marco...) and its vector. */
    assert_non_null(cp.snapshot);
    dv_rows(&rows, &l, s, cp.snapshot);
    assert_string_equal(mc_buf_cstr(&rows), "Two roads di/10/1 Alice/10/1 Bob/10/0 David/10/0 Emily/10/0 Marco/10/0 "
                                            "Marco2/10/0 Skye/10/0 Skye2/10/0 Zoe/20/7");
    size_t n = 0;
    paimon_index_manifest_entry *ix = plan_index(&n, &cp);
    assert_int_equal(n, 1);
    assert_int_equal(ix[0].bucket, 0);
    assert_string_equal(ix[0].index_type, "DELETION_VECTORS");
    paimon_index_manifest_entries_free(ix, n);

    /* f1=10: its vector entry goes; the new index manifest has none. */
    paimon_write_plan ow2, cp2;
    overwrite_dv(&ow2, &cp2, &l, s, cp.snapshot, 10);
    assert_non_null(ow2.snapshot->index_manifest);
    assert_string_not_equal(ow2.snapshot->index_manifest, cp.snapshot->index_manifest);
    ix = plan_index(&n, &ow2);
    assert_int_equal(n, 0);
    paimon_index_manifest_entries_free(ix, n);
    const paimon_snapshot *last = cp2.snapshot ? cp2.snapshot : ow2.snapshot;
    assert_string_equal(last->index_manifest, ow2.snapshot->index_manifest);
    dv_rows(&rows, &l, s, last);
    assert_string_equal(mc_buf_cstr(&rows), "Zoe/20/7 Zoe/10/7");

    mc_buf_free(&rows);
    paimon_write_plan_clear(&ow);
    paimon_write_plan_clear(&cp);
    paimon_write_plan_clear(&ow2);
    paimon_write_plan_clear(&cp2);
    paimon_snapshot_free(latest);
    paimon_schema_free(s);
    tu_memfs_free(&l.fs);
    free(l.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overwrite_drops_the_deletion_vectors_of_the_overwritten_partitions),
        cmocka_unit_test(test_rows_go_to_the_java_bucket_deduplicated_and_sorted_by_key),
        cmocka_unit_test(test_sequence_numbers_continue_per_bucket_and_restart_on_overwrite),
        cmocka_unit_test(test_random_upserts_read_back_merged_like_a_model),
        cmocka_unit_test(test_key_stats_are_untruncated_value_stats_truncated),
        cmocka_unit_test(test_changing_the_bucket_count_needs_an_overwrite),
        cmocka_unit_test(test_unsupported_primary_key_tables_are_refused_clearly),
        cmocka_unit_test(test_null_primary_key_is_refused),
        cmocka_unit_test(test_first_row_writes_are_compacted_to_the_top_level_keeping_the_first_row),
        cmocka_unit_test(test_buckets_reaching_the_sorted_run_trigger_are_fully_compacted),
        cmocka_unit_test(test_deletion_vector_tables_are_written_and_compacted_out_of_level_0),
        cmocka_unit_test(test_merge_on_read_holds_one_file_per_run_of_a_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
