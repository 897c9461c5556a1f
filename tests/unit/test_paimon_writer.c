/*
 * Unit tests for the append-table writer: layout of a commit plan (paths,
 * names, counts), manifest entries and statistics as read back by the
 * manifest reader, data rows as read back by the Avro reader, OVERWRITE
 * entries, and refusal of Dynamic Bucket primary-key tables.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "paimon/avro.h"
#include "paimon/binrow.h"
#include "paimon/manifest.h"
#include "paimon/parquet.h"
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
        cmocka_unit_test(test_nested_columns_have_no_value_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
