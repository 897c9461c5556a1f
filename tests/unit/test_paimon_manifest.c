/* Unit tests for paimon/manifest and paimon/partition: every Avro manifest
 * of every fixture table reads and reconciles to the snapshot's record
 * counts; concrete files, partitions, buckets and stats of Java-written
 * tables; ORC manifests are refused clearly; write -> read round trips with
 * Java's record schemas; partition paths (reference/paimon-format.md §1, §4). */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "paimon/avro.h"
#include "paimon/binrow.h"
#include "paimon/manifest.h"
#include "paimon/partition.h"
#include "paimon/snapshot.h"

/* Fixture path: tu_shared_path, or the shared/ directory beside the
 * worktree root (/work/wt/<name> -> /work/shared) when the configured one is
 * absent. */
static char *shared_path(const char *rel)
{
    char *p = tu_shared_path(rel);
    if (mc_path_exists(p))
        return p;
    free(p);
    return mc_asprintf("%s/../../shared/%s", MCDLF_SOURCE_DIR, rel);
}

static char *fixture_table(const char *name)
{
    char *rel = mc_asprintf("paimon-tables/%s/table", name);
    char *p = shared_path(rel);
    free(rel);
    return p;
}

static void read_manifest_file(mc_buf *out, const char *table, const char *name)
{
    char *p = mc_asprintf("%s/manifest/%s", table, name);
    tu_read_file(out, p);
    free(p);
}

/* Appends all entries of all manifests of one manifest list. */
static void collect_entries(paimon_manifest_entry **all, size_t *nall, const char *table,
                            const char *list)
{
    mc_buf b = MC_BUF_INIT;
    mc_err err;
    read_manifest_file(&b, table, list);
    paimon_manifest_file_meta *m;
    size_t n;
    if (paimon_manifest_list_read(&m, &n, (const uint8_t *)b.data, b.len, &err) != 0)
        fail_msg("%s: %s", list, err.msg);
    for (size_t i = 0; i < n; i++) {
        mc_buf mb = MC_BUF_INIT;
        read_manifest_file(&mb, table, m[i].file_name);
        paimon_manifest_entry *e;
        size_t ne;
        if (paimon_manifest_read(&e, &ne, (const uint8_t *)mb.data, mb.len, &err) != 0)
            fail_msg("%s: %s", m[i].file_name, err.msg);
        size_t adds = 0;
        for (size_t k = 0; k < ne; k++)
            adds += e[k].kind == PAIMON_FILE_ADD;
        assert_int_equal(adds, m[i].num_added_files);
        assert_int_equal(ne - adds, m[i].num_deleted_files);
        assert_int_equal(mb.len, m[i].file_size);
        *all = mc_realloc(*all, (*nall + ne + 1) * sizeof **all);
        memcpy(*all + *nall, e, ne * sizeof *e);
        *nall += ne;
        free(e); /* entries moved */
        mc_buf_free(&mb);
    }
    paimon_manifest_file_metas_free(m, n);
    mc_buf_free(&b);
}

/* Live files of a snapshot (base then delta, reconciled). */
static void live_files(paimon_manifest_entry **out, size_t *n, const char *table, int64_t id,
                       int64_t *total_records)
{
    paimon_snapshot *s;
    mc_err err;
    assert_int_equal(paimon_snapshot_load(&s, table, id, &err), 0);
    paimon_manifest_entry *all = NULL;
    size_t nall = 0;
    collect_entries(&all, &nall, table, s->base_manifest_list);
    collect_entries(&all, &nall, table, s->delta_manifest_list);
    assert_int_equal(paimon_manifest_entries_merge(out, n, all, nall, &err), 0);
    *total_records = s->total_record_count;
    paimon_manifest_entries_free(all, nall);
    paimon_snapshot_free(s);
}

static const char *const AVRO_FIXTURES[] = {
    "paimon-cpp__avro_append_with_multiple_ts_precision_and_timezone",
    "paimon-cpp__parquet_append_complex_data",
    "paimon-cpp__parquet_append_with_bitmap",
    "paimon-cpp__parquet_pk_table_scan_and_read_dv",
    "paimon-cpp__parquet_pk_table_scan_and_read_mor",
    "paimon-cpp__parquet_pk_table_with_alter_table",
    "paimon__pypaimon_pk_full_text_golden",
};

static void test_every_snapshot_reconciles_to_its_record_count(void **state)
{
    (void)state;
    int snapshots = 0;
    for (size_t f = 0; f < sizeof AVRO_FIXTURES / sizeof AVRO_FIXTURES[0]; f++) {
        char *t = fixture_table(AVRO_FIXTURES[f]);
        int64_t first, last;
        mc_err err;
        assert_int_equal(paimon_snapshot_earliest_id(&first, t, &err), 0);
        assert_int_equal(paimon_snapshot_latest_id(&last, t, &err), 0);
        assert_true(first >= 1 && last >= first);
        for (int64_t id = first; id <= last; id++) {
            paimon_manifest_entry *live;
            size_t n;
            int64_t total, sum = 0;
            live_files(&live, &n, t, id, &total);
            for (size_t i = 0; i < n; i++)
                sum += live[i].file.row_count;
            if (sum != total)
                fail_msg("%s snapshot %lld: live rows %lld, totalRecordCount %lld", AVRO_FIXTURES[f],
                         (long long)id, (long long)sum, (long long)total);
            paimon_manifest_entries_free(live, n);
            snapshots++;
        }
        free(t);
    }
    assert_int_equal(snapshots, 1 + 4 + 1 + 6 + 5 + 6 + 8);
}

static int find_file(const paimon_manifest_entry *e, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].file.file_name, name) == 0)
            return (int)i;
    return -1;
}

static int32_t partition_int(const paimon_bytes *b)
{
    paimon_type *t = paimon_type_new(PAIMON_INT, true);
    const paimon_type *types[1] = {t};
    paimon_datum d;
    mc_err err;
    assert_int_equal(paimon_binrow_read_serialized(&d, types, 1, b->data, b->len, &err), 0);
    paimon_type_free(t);
    assert_false(d.is_null);
    return (int32_t)d.i;
}

static void test_append_complex_data_live_files_and_stats(void **state)
{
    (void)state;
    char *t = fixture_table("paimon-cpp__parquet_append_complex_data");
    paimon_manifest_entry *live;
    size_t n;
    int64_t total;
    live_files(&live, &n, t, 4, &total);
    assert_int_equal(n, 3);
    assert_int_equal(total, 8);
    int a = find_file(live, n, "data-ac0894ca-fc13-49c8-bb22-4556c8ee416c-0.parquet");
    int b = find_file(live, n, "data-e0a6a424-e3b0-47ba-b259-d033fc01e87c-0.parquet");
    int c = find_file(live, n, "data-f8754699-0c43-4e53-be00-7e8af1754913-0.parquet");
    assert_true(a >= 0 && b >= 0 && c >= 0);
    assert_int_equal(partition_int(&live[a].partition), 20);
    assert_int_equal(live[a].bucket, 0);
    assert_int_equal(partition_int(&live[b].partition), 20);
    assert_int_equal(live[b].bucket, 1);
    assert_int_equal(live[b].total_buckets, 2);
    const paimon_manifest_entry *e = &live[c];
    assert_int_equal(partition_int(&e->partition), 10);
    assert_int_equal(e->file.row_count, 6);
    assert_int_equal(e->file.file_size, 1358);
    assert_int_equal(e->file.level, 0);
    assert_true(e->file.file_source.set && e->file.file_source.v == 1); /* COMPACT */
    assert_int_equal(e->file.min_sequence_number, 0);
    assert_int_equal(e->file.max_sequence_number, 5);
    assert_false(e->file.value_stats_cols.set);
    assert_int_equal(e->file.min_key.len, 12); /* empty row for append tables */

    /* value stats: decode with the schema's types made nullable (§4.3, §8) */
    paimon_schema *s;
    mc_err err;
    assert_int_equal(paimon_schema_load(&s, t, 0, &err), 0);
    paimon_type *types[6];
    for (int i = 0; i < 6; i++) {
        types[i] = paimon_type_copy(s->fields[i].type);
        types[i]->nullable = true;
    }
    paimon_datum min[6], max[6];
    const paimon_simple_stats *vs = &e->file.value_stats;
    assert_int_equal(paimon_binrow_read_serialized(min, (const paimon_type *const *)types, 6,
                                                   vs->min_values.data, vs->min_values.len, &err), 0);
    assert_int_equal(paimon_binrow_read_serialized(max, (const paimon_type *const *)types, 6,
                                                   vs->max_values.data, vs->max_values.len, &err), 0);
    assert_int_equal(min[0].i, 10);
    assert_int_equal(max[0].i, 10);
    assert_int_equal(min[1].i, 1);
    assert_int_equal(min[2].i, 0);     /* 1970-01-01 */
    assert_int_equal(max[2].i, 20006); /* 2024-10-10 */
    assert_true(min[3].is_null && max[3].is_null); /* INT96: no Parquet stats */
    /* DECIMAL(23, 5) (Parquet FIXED_LEN_BYTE_ARRAY) does carry stats here:
     * min -123.45000, max 123456789987654321.45678 (non-compact decimal) */
    paimon_i128 want;
    assert_int_equal(paimon_decimal_parse(&want, "123456789987654321.45678", 5, &err), 0);
    assert_true(min[4].dec == -12345000);
    assert_true(max[4].dec == want);
    assert_true(min[5].is_null && max[5].is_null); /* BYTES: none */
    assert_int_equal(vs->n_null_counts, 6);
    assert_int_equal(vs->null_counts[2].v, 1);
    assert_int_equal(vs->null_counts[4].v, 1);
    assert_int_equal(vs->null_counts[5].v, 1);
    assert_int_equal(vs->null_counts[0].v, 0);

    /* bucket of the file's rows: bucket-key f2 = 1 over 2 buckets -> bucket 0 */
    paimon_datum key = paimon_datum_int(1);
    const paimon_type *kt[1] = {types[1]};
    assert_int_equal(paimon_bucket_of_key(kt, &key, 1, 2), 0);

    /* partition path */
    mc_buf path = MC_BUF_INIT;
    char *names[1] = {"f1"};
    paimon_partition_path(&path, names, (const paimon_type *const *)types, &min[0], 1, NULL);
    assert_string_equal(path.data, "f1=10/");
    mc_buf loc = MC_BUF_INIT;
    paimon_data_file_path(&loc, t, path.data, e->bucket, e->file.file_name, e->file.external_path);
    assert_true(mc_path_exists(loc.data));
    mc_buf_reset(&loc);
    paimon_data_file_path(&loc, "oss://b/t/", "", -2, "data-x.parquet", NULL);
    assert_string_equal(loc.data, "oss://b/t/bucket-postpone/data-x.parquet");
    mc_buf_reset(&loc);
    paimon_data_file_path(&loc, "oss://b/t", "", 0, "data-x.parquet", "oss://ext/data-x.parquet");
    assert_string_equal(loc.data, "oss://ext/data-x.parquet");
    mc_buf_free(&loc);
    mc_buf_free(&path);

    for (int i = 0; i < 6; i++)
        paimon_type_free(types[i]);
    paimon_schema_free(s);
    paimon_manifest_entries_free(live, n);
    free(t);
}

static void test_pk_tables_keys_levels_and_deletion_vectors(void **state)
{
    (void)state;
    char *t = fixture_table("paimon-cpp__parquet_pk_table_scan_and_read_mor");
    paimon_manifest_entry *live;
    size_t n;
    int64_t total;
    live_files(&live, &n, t, 5, &total);
    int c = find_file(live, n, "data-cf759363-12eb-4f9f-9549-965e455e8084-0.parquet");
    assert_true(c >= 0);
    assert_int_equal(live[c].file.level, 5);
    /* the level-0 copy of an upgraded file is gone, the level-5 one is live */
    int up = find_file(live, n, "data-7c66dfe2-bec3-4fc2-a952-2d17d6ae91bb-0.parquet");
    assert_true(up >= 0);
    assert_int_equal(live[up].file.level, 5);
    assert_int_equal(find_file(live, n, "data-dad09a29-e5ad-43d5-86e6-a1706e5c9ad7-0.parquet"), -1);
    /* min key = trimmed primary key (f0, f2) = ("Alice", 1) */
    paimon_type *str = paimon_type_new(PAIMON_VARCHAR, false), *i32 = paimon_type_new(PAIMON_INT, false);
    const paimon_type *kt[2] = {str, i32};
    paimon_datum k[2];
    mc_err err;
    const paimon_bytes *mk = &live[c].file.min_key;
    assert_int_equal(paimon_binrow_read_serialized(k, kt, 2, mk->data, mk->len, &err), 0);
    assert_int_equal(k[0].len, 5);
    assert_memory_equal(k[0].ptr, "Alice", 5);
    assert_int_equal(k[1].i, 1);
    paimon_type_free(str);
    paimon_type_free(i32);
    paimon_manifest_entries_free(live, n);
    free(t);

    /* index manifest with deletion-vector ranges (§4.3, §6.4) */
    t = fixture_table("paimon-cpp__parquet_pk_table_with_alter_table");
    paimon_snapshot *s;
    assert_int_equal(paimon_snapshot_load(&s, t, 6, &err), 0);
    mc_buf b = MC_BUF_INIT;
    read_manifest_file(&b, t, s->index_manifest);
    paimon_index_manifest_entry *ie;
    size_t ni;
    assert_int_equal(paimon_index_manifest_read(&ie, &ni, (const uint8_t *)b.data, b.len, &err), 0);
    bool found = false;
    for (size_t i = 0; i < ni; i++) {
        assert_string_equal(ie[i].index_type, "DELETION_VECTORS");
        if (strcmp(ie[i].file_name, "index-c93829f3-1a72-4d88-8401-70663ce46426-1") == 0) {
            found = true;
            assert_int_equal(ie[i].file_size, 35);
            assert_int_equal(ie[i].n_dv_ranges, 1);
            assert_string_equal(ie[i].dv_ranges[0].data_file,
                                "data-8969384c-d715-4113-b663-2248c9a8c8d9-0.parquet");
            assert_int_equal(ie[i].dv_ranges[0].offset, 1);
            assert_int_equal(ie[i].dv_ranges[0].length, 26);
            assert_int_equal(ie[i].dv_ranges[0].cardinality.v, 3);
        }
    }
    assert_true(found);
    paimon_index_manifest_entries_free(ie, ni);
    mc_buf_free(&b);
    paimon_snapshot_free(s);
    free(t);

    /* embedded file index (bitmap) kept as bytes */
    t = fixture_table("paimon-cpp__parquet_append_with_bitmap");
    live_files(&live, &n, t, 1, &total);
    assert_int_equal(n, 1);
    assert_true(live[0].file.has_embedded_index);
    assert_true(live[0].file.embedded_index.len > 0);
    assert_int_equal(live[0].total_buckets, -1);
    paimon_manifest_entries_free(live, n);
    free(t);
}

static void test_orc_manifests_are_refused_clearly(void **state)
{
    (void)state;
    const char *orc[] = {"paimon-cpp__orc_append_09", "paimon-cpp__orc_pk_table_scan_and_read_mor",
                         "paimon-cpp__parquet_append_with_empty_partition"};
    for (size_t i = 0; i < 3; i++) {
        char *t = fixture_table(orc[i]);
        int64_t id;
        mc_err err;
        assert_int_equal(paimon_snapshot_latest_id(&id, t, &err), 0);
        paimon_snapshot *s;
        assert_int_equal(paimon_snapshot_load(&s, t, id, &err), 0);
        mc_buf b = MC_BUF_INIT;
        read_manifest_file(&b, t, s->delta_manifest_list);
        paimon_manifest_file_meta *m;
        size_t n;
        assert_int_equal(paimon_manifest_list_read(&m, &n, (const uint8_t *)b.data, b.len, &err), -1);
        assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
        assert_non_null(strstr(err.msg, "ORC"));
        assert_non_null(strstr(err.msg, "not supported"));
        paimon_manifest_entry *e;
        assert_int_equal(paimon_manifest_read(&e, &n, (const uint8_t *)b.data, b.len, &err), -1);
        assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
        mc_buf_free(&b);
        paimon_snapshot_free(s);
        free(t);
    }
}

static void assert_bytes_eq(const paimon_bytes *a, const paimon_bytes *b)
{
    assert_int_equal(a->len, b->len);
    if (a->len)
        assert_memory_equal(a->data, b->data, a->len);
}

static void assert_stats_eq(const paimon_simple_stats *a, const paimon_simple_stats *b)
{
    assert_bytes_eq(&a->min_values, &b->min_values);
    assert_bytes_eq(&a->max_values, &b->max_values);
    assert_int_equal(a->has_null_counts, b->has_null_counts);
    assert_int_equal(a->n_null_counts, b->n_null_counts);
    for (size_t i = 0; i < a->n_null_counts; i++) {
        assert_int_equal(a->null_counts[i].set, b->null_counts[i].set);
        assert_int_equal(a->null_counts[i].v, b->null_counts[i].v);
    }
}

static void assert_opt_eq(paimon_opt_long a, paimon_opt_long b)
{
    assert_int_equal(a.set, b.set);
    assert_int_equal(a.v, b.v);
}

static void assert_list_eq(const paimon_str_list *a, const paimon_str_list *b)
{
    assert_int_equal(a->set, b->set);
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        assert_string_equal(a->items[i], b->items[i]);
}

static void assert_entry_eq(const paimon_manifest_entry *a, const paimon_manifest_entry *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_bytes_eq(&a->partition, &b->partition);
    assert_int_equal(a->bucket, b->bucket);
    assert_int_equal(a->total_buckets, b->total_buckets);
    const paimon_data_file_meta *x = &a->file, *y = &b->file;
    assert_string_equal(x->file_name, y->file_name);
    assert_int_equal(x->file_size, y->file_size);
    assert_int_equal(x->row_count, y->row_count);
    assert_bytes_eq(&x->min_key, &y->min_key);
    assert_bytes_eq(&x->max_key, &y->max_key);
    assert_stats_eq(&x->key_stats, &y->key_stats);
    assert_stats_eq(&x->value_stats, &y->value_stats);
    assert_int_equal(x->min_sequence_number, y->min_sequence_number);
    assert_int_equal(x->max_sequence_number, y->max_sequence_number);
    assert_int_equal(x->schema_id, y->schema_id);
    assert_int_equal(x->level, y->level);
    assert_int_equal(x->n_extra_files, y->n_extra_files);
    assert_opt_eq(x->creation_time, y->creation_time);
    assert_opt_eq(x->delete_row_count, y->delete_row_count);
    assert_int_equal(x->has_embedded_index, y->has_embedded_index);
    assert_bytes_eq(&x->embedded_index, &y->embedded_index);
    assert_opt_eq(x->file_source, y->file_source);
    assert_list_eq(&x->value_stats_cols, &y->value_stats_cols);
    assert_true((x->external_path == NULL) == (y->external_path == NULL));
    assert_opt_eq(x->first_row_id, y->first_row_id);
    assert_list_eq(&x->write_cols, &y->write_cols);
}

/* Extracts the avro.schema string of a container file's header. */
static char *header_schema(const mc_buf *file)
{
    const char *p = memmem(file->data, file->len, "{\"type\"", 7);
    assert_non_null(p);
    const char *e = memmem(p, file->len - (size_t)(p - file->data), "avro.codec", 10);
    assert_non_null(e);
    e--; /* the key's length byte */
    return mc_strndup(p, (size_t)(e - p));
}

static void round_trip_manifest(const char *path)
{
    mc_buf in = MC_BUF_INIT, out = MC_BUF_INIT;
    tu_read_file(&in, path);
    mc_err err;
    const char *base = strrchr(path, '/') + 1;
    if (strncmp(base, "manifest-list-", 14) == 0) {
        paimon_manifest_file_meta *m, *m2;
        size_t n, n2;
        assert_int_equal(paimon_manifest_list_read(&m, &n, (const uint8_t *)in.data, in.len, &err), 0);
        assert_int_equal(paimon_manifest_list_write(&out, m, n, NULL, &err), 0);
        assert_int_equal(paimon_manifest_list_read(&m2, &n2, (const uint8_t *)out.data, out.len, &err), 0);
        assert_int_equal(n, n2);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(m[i].file_name, m2[i].file_name);
            assert_int_equal(m[i].file_size, m2[i].file_size);
            assert_int_equal(m[i].num_added_files, m2[i].num_added_files);
            assert_int_equal(m[i].num_deleted_files, m2[i].num_deleted_files);
            assert_stats_eq(&m[i].partition_stats, &m2[i].partition_stats);
            assert_int_equal(m[i].schema_id, m2[i].schema_id);
            assert_opt_eq(m[i].min_bucket, m2[i].min_bucket);
            assert_opt_eq(m[i].max_level, m2[i].max_level);
            assert_opt_eq(m[i].min_row_id, m2[i].min_row_id);
        }
        paimon_manifest_file_metas_free(m, n);
        paimon_manifest_file_metas_free(m2, n2);
    } else if (strncmp(base, "index-manifest-", 15) == 0) {
        paimon_index_manifest_entry *e, *e2;
        size_t n, n2;
        assert_int_equal(paimon_index_manifest_read(&e, &n, (const uint8_t *)in.data, in.len, &err), 0);
        assert_int_equal(paimon_index_manifest_write(&out, e, n, NULL, &err), 0);
        assert_int_equal(paimon_index_manifest_read(&e2, &n2, (const uint8_t *)out.data, out.len, &err), 0);
        assert_int_equal(n, n2);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(e[i].file_name, e2[i].file_name);
            assert_string_equal(e[i].index_type, e2[i].index_type);
            assert_int_equal(e[i].n_dv_ranges, e2[i].n_dv_ranges);
            assert_int_equal(e[i].row_count, e2[i].row_count);
        }
        paimon_index_manifest_entries_free(e, n);
        paimon_index_manifest_entries_free(e2, n2);
    } else {
        paimon_manifest_entry *e, *e2;
        size_t n, n2;
        assert_int_equal(paimon_manifest_read(&e, &n, (const uint8_t *)in.data, in.len, &err), 0);
        assert_int_equal(paimon_manifest_write(&out, e, n, NULL, &err), 0);
        assert_int_equal(paimon_manifest_read(&e2, &n2, (const uint8_t *)out.data, out.len, &err), 0);
        assert_int_equal(n, n2);
        for (size_t i = 0; i < n; i++)
            assert_entry_eq(&e[i], &e2[i]);
        paimon_manifest_entries_free(e, n);
        paimon_manifest_entries_free(e2, n2);
    }
    /* the 2.x writer's schemas are ours byte for byte */
    if (strstr(path, "pypaimon")) {
        char *a = header_schema(&in), *b = header_schema(&out);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    mc_buf_free(&in);
    mc_buf_free(&out);
}

static void test_every_fixture_manifest_round_trips(void **state)
{
    (void)state;
    int files = 0;
    for (size_t f = 0; f < sizeof AVRO_FIXTURES / sizeof AVRO_FIXTURES[0]; f++) {
        char *t = fixture_table(AVRO_FIXTURES[f]);
        char *dir = mc_asprintf("%s/manifest", t);
        DIR *d = opendir(dir);
        assert_non_null(d);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char *p = mc_asprintf("%s/%s", dir, e->d_name);
            round_trip_manifest(p);
            free(p);
            files++;
        }
        closedir(d);
        free(dir);
        free(t);
    }
    assert_true(files > 50);
}

static void test_write_read_with_every_codec_and_merge(void **state)
{
    (void)state;
    const char *codecs[] = {"null", "deflate", "snappy", "zstandard"};
    paimon_type *it = paimon_type_new(PAIMON_INT, true);
    const paimon_type *types[1] = {it};
    paimon_manifest_entry e[4];
    memset(e, 0, sizeof e);
    mc_buf parts[2] = {MC_BUF_INIT, MC_BUF_INIT}, empty = MC_BUF_INIT;
    paimon_datum p10 = paimon_datum_int(10), p20 = paimon_datum_int(20);
    paimon_binrow_write_serialized(&parts[0], types, &p10, 1);
    paimon_binrow_write_serialized(&parts[1], types, &p20, 1);
    paimon_binrow_write_serialized(&empty, types, NULL, 0);
    paimon_opt_long counts[1] = {{true, 0}};
    for (int i = 0; i < 4; i++) {
        e[i].kind = i == 2 ? PAIMON_FILE_DELETE : PAIMON_FILE_ADD;
        mc_buf *pb = &parts[i % 2 == 0 ? 0 : 1];
        e[i].partition = (paimon_bytes){(uint8_t *)pb->data, pb->len};
        e[i].bucket = 0;
        e[i].total_buckets = 2;
        e[i].file.file_name = i == 2 ? "data-a.parquet" : (i == 0 ? "data-a.parquet" : i == 1 ? "data-b.parquet" : "data-c.parquet");
        e[i].file.file_size = 100 + i;
        e[i].file.row_count = 1 + i;
        e[i].file.min_key = e[i].file.max_key = (paimon_bytes){(uint8_t *)empty.data, empty.len};
        e[i].file.key_stats.min_values = e[i].file.key_stats.max_values = e[i].file.min_key;
        e[i].file.key_stats.has_null_counts = true;
        e[i].file.value_stats.min_values = e[i].partition;
        e[i].file.value_stats.max_values = e[i].partition;
        e[i].file.value_stats.has_null_counts = true;
        e[i].file.value_stats.null_counts = counts;
        e[i].file.value_stats.n_null_counts = 1;
        e[i].file.creation_time = (paimon_opt_long){true, 1756142008337};
        e[i].file.delete_row_count = (paimon_opt_long){true, 0};
        e[i].file.file_source = (paimon_opt_long){true, 0};
        e[i].file.external_path = i == 3 ? "oss://b/x/data-c.parquet" : NULL;
    }
    char *cols[1] = {"f1"};
    e[1].file.value_stats_cols = (paimon_str_list){true, cols, 1};
    mc_err err;
    for (int c = 0; c < 4; c++) {
        mc_buf out = MC_BUF_INIT;
        assert_int_equal(paimon_manifest_write(&out, e, 4, codecs[c], &err), 0);
        paimon_manifest_entry *r;
        size_t n;
        assert_int_equal(paimon_manifest_read(&r, &n, (const uint8_t *)out.data, out.len, &err), 0);
        assert_int_equal(n, 4);
        for (int i = 0; i < 4; i++)
            assert_entry_eq(&e[i], &r[i]);
        /* §4.4: data-a is added then deleted */
        paimon_manifest_entry *live;
        size_t nl;
        assert_int_equal(paimon_manifest_entries_merge(&live, &nl, r, n, &err), 0);
        assert_int_equal(nl, 2);
        assert_string_equal(live[0].file.file_name, "data-b.parquet");
        assert_string_equal(live[1].file.file_name, "data-c.parquet");
        assert_string_equal(live[1].file.external_path, "oss://b/x/data-c.parquet");
        paimon_manifest_entries_free(live, nl);
        paimon_manifest_entries_free(r, n);
        mc_buf_free(&out);
    }
    /* manifest list round trip with optional fields */
    paimon_manifest_file_meta m = {0};
    m.file_name = "manifest-x-0";
    m.file_size = 2072;
    m.num_added_files = 3;
    m.partition_stats.min_values = e[0].partition;
    m.partition_stats.max_values = e[1].partition;
    m.partition_stats.has_null_counts = true;
    m.partition_stats.null_counts = counts;
    m.partition_stats.n_null_counts = 1;
    m.min_bucket = (paimon_opt_long){true, 0};
    m.max_bucket = (paimon_opt_long){true, 1};
    mc_buf out = MC_BUF_INIT;
    assert_int_equal(paimon_manifest_list_write(&out, &m, 1, NULL, &err), 0);
    paimon_manifest_file_meta *r;
    size_t n;
    assert_int_equal(paimon_manifest_list_read(&r, &n, (const uint8_t *)out.data, out.len, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].file_name, "manifest-x-0");
    assert_true(r[0].max_bucket.set && r[0].max_bucket.v == 1);
    assert_false(r[0].min_level.set);
    assert_stats_eq(&r[0].partition_stats, &m.partition_stats);
    paimon_manifest_file_metas_free(r, n);
    mc_buf_free(&out);
    mc_buf_free(&parts[0]);
    mc_buf_free(&parts[1]);
    mc_buf_free(&empty);
    paimon_type_free(it);
    paimon_manifest_entries_free(NULL, 0);
    paimon_manifest_file_metas_free(NULL, 0);
}

static void test_partition_paths(void **state)
{
    (void)state;
    mc_buf b = MC_BUF_INIT;
    paimon_partition_escape(&b, "a/b:c=d%e f#?\x01é", strlen("a/b:c=d%e f#?\x01é"));
    assert_string_equal(b.data, "a%2Fb%3Ac%3Dd%25e f%23%3F%01é");
    mc_buf u = MC_BUF_INIT;
    assert_int_equal(paimon_partition_unescape(&u, b.data, b.len), 0);
    assert_string_equal(u.data, "a/b:c=d%e f#?\x01é");
    mc_buf_reset(&u);
    assert_int_equal(paimon_partition_unescape(&u, "%4", 2), -1);
    assert_int_equal(paimon_partition_unescape(&u, "%zz", 3), -1);
    mc_buf_free(&u);

    paimon_type *s = paimon_type_new(PAIMON_VARCHAR, true), *d = paimon_type_new(PAIMON_DATE, true),
                *ts = paimon_type_new_time(PAIMON_TIMESTAMP, 3, true),
                *dec = paimon_type_new_decimal(10, 2, true), *bo = paimon_type_new(PAIMON_BOOLEAN, true),
                *db = paimon_type_new(PAIMON_DOUBLE, true);
    const paimon_type *types[6] = {s, d, ts, dec, bo, db};
    char *names[6] = {"s", "dt", "ts", "dec", "b", "x"};
    paimon_datum v[6] = {paimon_datum_bytes("a/b", 3), paimon_datum_int(19000),
                         paimon_datum_timestamp(1700000000000LL, 0), paimon_datum_decimal(-1234),
                         paimon_datum_int(1), paimon_datum_double(0.5)};
    mc_buf_reset(&b);
    paimon_partition_path(&b, names, types, v, 6, NULL);
    assert_string_equal(b.data, "s=a%2Fb/dt=19000/ts=2023-11-14T22%3A13%3A20/dec=-12.34/b=true/x=0.5/");
    /* NULL, empty and blank -> default partition name (§1) */
    paimon_datum nulls[3] = {paimon_datum_null(), paimon_datum_bytes("", 0), paimon_datum_bytes("  ", 2)};
    const paimon_type *st[3] = {s, s, s};
    char *sn[3] = {"a", "b", "c"};
    mc_buf_reset(&b);
    paimon_partition_path(&b, sn, st, nulls, 3, NULL);
    assert_string_equal(b.data, "a=__DEFAULT_PARTITION__/b=__DEFAULT_PARTITION__/c=__DEFAULT_PARTITION__/");
    mc_buf_reset(&b);
    paimon_partition_path(&b, sn, st, nulls, 1, "__HIVE_DEFAULT_PARTITION__");
    assert_string_equal(b.data, "a=__HIVE_DEFAULT_PARTITION__/");

    /* parse back */
    paimon_option *spec;
    size_t n;
    mc_err err;
    assert_int_equal(paimon_partition_parse(&spec, &n, "s=a%2Fb/dt=19000/ts=2023-11-14T22%3A13%3A20.5/", &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(spec[0].key, "s");
    assert_string_equal(spec[0].value, "a/b");
    paimon_datum r;
    assert_int_equal(paimon_partition_value_parse(&r, d, spec[1].value, NULL, &err), 0);
    assert_int_equal(r.i, 19000);
    assert_int_equal(paimon_partition_value_parse(&r, ts, spec[2].value, NULL, &err), 0);
    assert_int_equal(r.i, 1700000000500LL);
    assert_int_equal(paimon_partition_value_parse(&r, s, "__DEFAULT_PARTITION__", NULL, &err), 0);
    assert_true(r.is_null);
    assert_int_equal(paimon_partition_value_parse(&r, dec, "-12.34", NULL, &err), 0);
    assert_true(r.dec == -1234);
    assert_int_equal(paimon_partition_value_parse(&r, d, "x", NULL, &err), -1);
    paimon_partition_spec_free(spec, n);
    assert_int_equal(paimon_partition_parse(&spec, &n, "novalue/", &err), -1);
    assert_int_equal(paimon_partition_parse(&spec, &n, "=v/", &err), -1);
    assert_int_equal(paimon_partition_parse(&spec, &n, "k=/", &err), -1);

    /* timestamps print like LocalDateTime.toString */
    mc_buf_reset(&b);
    paimon_datum t9 = paimon_datum_timestamp(-2208988800000LL + 1, 1001);
    paimon_type *ts9 = paimon_type_new_time(PAIMON_TIMESTAMP, 9, true);
    assert_true(paimon_partition_value_text(&b, ts9, &t9));
    assert_string_equal(b.data, "1900-01-01T00:00:00.001001001");
    mc_buf_reset(&b);
    paimon_datum dd = paimon_datum_double(1e10);
    assert_true(paimon_partition_value_text(&b, db, &dd));
    assert_string_equal(b.data, "1.0E10");
    paimon_type_free(ts9);

    mc_buf_free(&b);
    paimon_type_free(s);
    paimon_type_free(d);
    paimon_type_free(ts);
    paimon_type_free(dec);
    paimon_type_free(bo);
    paimon_type_free(db);
}

/* Decodes a serialized BinaryRow with `types` and re-encodes it; the bytes
 * must be Java's exactly (§5.1, §5.2). Returns the arity checked. */
static void reencode_row(const paimon_bytes *b, paimon_type **types, size_t n, const char *what,
                         const char *file)
{
    paimon_datum *d = mc_calloc(n + 1, sizeof *d);
    mc_err err;
    if (paimon_binrow_read_serialized(d, (const paimon_type *const *)types, n, b->data, b->len, &err) != 0)
        fail_msg("%s of %s: %s", what, file, err.msg);
    mc_buf out = MC_BUF_INIT;
    paimon_binrow_write_serialized(&out, (const paimon_type *const *)types, d, n);
    if (out.len != b->len || memcmp(out.data, b->data, b->len) != 0)
        fail_msg("%s of %s: re-encoded BinaryRow differs from Java's (%zu vs %zu bytes)", what, file,
                 out.len, b->len);
    mc_buf_free(&out);
    free(d);
}

static paimon_type **types_of(const paimon_schema *s, const int *idx, size_t n)
{
    paimon_type **t = mc_calloc(n + 1, sizeof *t);
    for (size_t i = 0; i < n; i++) {
        t[i] = paimon_type_copy(s->fields[idx[i]].type);
        t[i]->nullable = true;
    }
    return t;
}

static void types_free(paimon_type **t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        paimon_type_free(t[i]);
    free(t);
}

static void check_entry_rows(const char *table, const paimon_manifest_entry *e)
{
    paimon_schema *s;
    mc_err err;
    assert_int_equal(paimon_schema_load(&s, table, e->file.schema_id, &err), 0);
    int *idx = mc_calloc(s->nfields + 1, sizeof *idx);
    /* partition */
    size_t np = 0;
    for (size_t i = 0; i < s->npartition_keys; i++)
        idx[np++] = paimon_schema_field_index(s, s->partition_keys[i]);
    paimon_type **t = types_of(s, idx, np);
    reencode_row(&e->partition, t, np, "_PARTITION", e->file.file_name);
    types_free(t, np);
    /* keys and key stats: the trimmed primary key (§6.2) */
    size_t nk = (size_t)paimon_schema_trimmed_pk(idx, s);
    t = types_of(s, idx, nk);
    reencode_row(&e->file.min_key, t, nk, "_MIN_KEY", e->file.file_name);
    reencode_row(&e->file.max_key, t, nk, "_MAX_KEY", e->file.file_name);
    reencode_row(&e->file.key_stats.min_values, t, nk, "key stats min", e->file.file_name);
    reencode_row(&e->file.key_stats.max_values, t, nk, "key stats max", e->file.file_name);
    types_free(t, nk);
    /* value stats: all columns, or those named in _VALUE_STATS_COLS (§8) */
    size_t nv = 0;
    if (e->file.value_stats_cols.set) {
        for (size_t i = 0; i < e->file.value_stats_cols.n; i++)
            idx[nv++] = paimon_schema_field_index(s, e->file.value_stats_cols.items[i]);
    } else {
        for (size_t i = 0; i < s->nfields; i++)
            idx[nv++] = (int)i;
    }
    t = types_of(s, idx, nv);
    reencode_row(&e->file.value_stats.min_values, t, nv, "value stats min", e->file.file_name);
    reencode_row(&e->file.value_stats.max_values, t, nv, "value stats max", e->file.file_name);
    types_free(t, nv);
    free(idx);
    paimon_schema_free(s);
}

static void test_every_fixture_binary_row_reencodes_byte_exact(void **state)
{
    (void)state;
    int rows = 0;
    for (size_t f = 0; f < sizeof AVRO_FIXTURES / sizeof AVRO_FIXTURES[0]; f++) {
        char *t = fixture_table(AVRO_FIXTURES[f]);
        char *dir = mc_asprintf("%s/manifest", t);
        DIR *d = opendir(dir);
        assert_non_null(d);
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strncmp(de->d_name, "manifest-", 9) != 0 || strncmp(de->d_name, "manifest-list-", 14) == 0)
                continue;
            mc_buf b = MC_BUF_INIT;
            read_manifest_file(&b, t, de->d_name);
            paimon_manifest_entry *e;
            size_t n;
            mc_err err;
            assert_int_equal(paimon_manifest_read(&e, &n, (const uint8_t *)b.data, b.len, &err), 0);
            for (size_t i = 0; i < n; i++) {
                check_entry_rows(t, &e[i]);
                rows++;
            }
            paimon_manifest_entries_free(e, n);
            mc_buf_free(&b);
        }
        closedir(d);
        free(dir);
        free(t);
    }
    assert_true(rows > 50);
}

/* Every manifest-list record of every fixture equals what we compute from
 * the manifest it describes (§4.2), partition stats byte for byte. */
static void test_manifest_file_meta_built_from_entries_matches_java(void **state)
{
    (void)state;
    int checked = 0;
    for (size_t f = 0; f < sizeof AVRO_FIXTURES / sizeof AVRO_FIXTURES[0]; f++) {
        char *t = fixture_table(AVRO_FIXTURES[f]);
        paimon_schema *s;
        mc_err err;
        assert_int_equal(paimon_schema_load(&s, t, 0, &err), 0);
        paimon_type **pt = mc_calloc(s->npartition_keys + 1, sizeof *pt);
        for (size_t i = 0; i < s->npartition_keys; i++)
            pt[i] = s->fields[paimon_schema_field_index(s, s->partition_keys[i])].type;
        char *dir = mc_asprintf("%s/manifest", t);
        DIR *d = opendir(dir);
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strncmp(de->d_name, "manifest-list-", 14) != 0)
                continue;
            mc_buf b = MC_BUF_INIT;
            read_manifest_file(&b, t, de->d_name);
            paimon_manifest_file_meta *m;
            size_t n;
            assert_int_equal(paimon_manifest_list_read(&m, &n, (const uint8_t *)b.data, b.len, &err), 0);
            for (size_t i = 0; i < n; i++) {
                mc_buf mb = MC_BUF_INIT;
                read_manifest_file(&mb, t, m[i].file_name);
                paimon_manifest_entry *e;
                size_t ne;
                assert_int_equal(paimon_manifest_read(&e, &ne, (const uint8_t *)mb.data, mb.len, &err), 0);
                paimon_manifest_file_meta got;
                assert_int_equal(paimon_manifest_file_meta_build(&got, m[i].file_name, (int64_t)mb.len, e, ne,
                                                                 (const paimon_type *const *)pt,
                                                                 s->npartition_keys, &err), 0);
                assert_string_equal(got.file_name, m[i].file_name);
                assert_int_equal(got.file_size, m[i].file_size);
                assert_int_equal(got.num_added_files, m[i].num_added_files);
                assert_int_equal(got.num_deleted_files, m[i].num_deleted_files);
                assert_int_equal(got.schema_id, m[i].schema_id);
                assert_stats_eq(&got.partition_stats, &m[i].partition_stats);
                if (m[i].min_bucket.set) {
                    assert_opt_eq(got.min_bucket, m[i].min_bucket);
                    assert_opt_eq(got.max_bucket, m[i].max_bucket);
                    assert_opt_eq(got.min_level, m[i].min_level);
                    assert_opt_eq(got.max_level, m[i].max_level);
                }
                assert_opt_eq(got.min_row_id, m[i].min_row_id);
                free(got.file_name);
                free(got.partition_stats.min_values.data);
                free(got.partition_stats.max_values.data);
                free(got.partition_stats.null_counts);
                paimon_manifest_entries_free(e, ne);
                mc_buf_free(&mb);
                checked++;
            }
            paimon_manifest_file_metas_free(m, n);
            mc_buf_free(&b);
        }
        closedir(d);
        free(dir);
        free(pt);
        paimon_schema_free(s);
        free(t);
    }
    assert_true(checked > 30);
}

/* A 0.8-style manifest: top-level ["null", record], nested records wrapped in
 * unions, no fields after _EMBEDDED_FILE_INDEX, snappy codec (§4.1, §4.3). */
static const char OLD_SCHEMA[] =
    "[\"null\",{\"type\":\"record\",\"name\":\"record\",\"namespace\":\"org.apache.paimon.avro.generated\","
    "\"fields\":[{\"name\":\"_VERSION\",\"type\":\"int\"},{\"name\":\"_KIND\",\"type\":\"int\"},"
    "{\"name\":\"_PARTITION\",\"type\":\"bytes\"},{\"name\":\"_BUCKET\",\"type\":\"int\"},"
    "{\"name\":\"_TOTAL_BUCKETS\",\"type\":\"int\"},{\"name\":\"_FILE\",\"type\":[\"null\",{\"type\":\"record\","
    "\"name\":\"record__FILE\",\"fields\":[{\"name\":\"_FILE_NAME\",\"type\":\"string\"},"
    "{\"name\":\"_FILE_SIZE\",\"type\":\"long\"},{\"name\":\"_ROW_COUNT\",\"type\":\"long\"},"
    "{\"name\":\"_MIN_KEY\",\"type\":\"bytes\"},{\"name\":\"_MAX_KEY\",\"type\":\"bytes\"},"
    "{\"name\":\"_KEY_STATS\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"record__FILE__KEY_STATS\","
    "\"fields\":[{\"name\":\"_MIN_VALUES\",\"type\":\"bytes\"},{\"name\":\"_MAX_VALUES\",\"type\":\"bytes\"},"
    "{\"name\":\"_NULL_COUNTS\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"long\"]}],\"default\":null}]}]},"
    "{\"name\":\"_VALUE_STATS\",\"type\":[\"null\",\"record__FILE__KEY_STATS\"]},"
    "{\"name\":\"_MIN_SEQUENCE_NUMBER\",\"type\":\"long\"},{\"name\":\"_MAX_SEQUENCE_NUMBER\",\"type\":\"long\"},"
    "{\"name\":\"_SCHEMA_ID\",\"type\":\"long\"},{\"name\":\"_LEVEL\",\"type\":\"int\"},"
    "{\"name\":\"_EXTRA_FILES\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
    "{\"name\":\"_CREATION_TIME\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},"
    "{\"name\":\"_DELETE_ROW_COUNT\",\"type\":[\"null\",\"long\"],\"default\":null},"
    "{\"name\":\"_EMBEDDED_FILE_INDEX\",\"type\":[\"null\",\"bytes\"],\"default\":null}]}]}]}]";

static void put_old_stats(mc_buf *b, const char *min, const char *max)
{
    paimon_avro_put_long(b, 1); /* union branch: record */
    paimon_avro_put_bytes(b, min, 12);
    paimon_avro_put_bytes(b, max, 12);
    paimon_avro_put_long(b, 1); /* null counts: array of 1 */
    paimon_avro_put_long(b, 1);
    paimon_avro_put_long(b, 0); /* null item */
    paimon_avro_put_long(b, 0);
}

static void test_old_union_wrapped_snappy_manifest_reads(void **state)
{
    (void)state;
    mc_err err;
    paimon_avro_writer *w;
    assert_int_equal(paimon_avro_writer_new(&w, OLD_SCHEMA, "snappy", &err), 0);
    const char empty[12] = {0};
    for (int i = 0; i < 2; i++) {
        mc_buf r = MC_BUF_INIT;
        paimon_avro_put_long(&r, 1); /* top-level union: record */
        paimon_avro_put_long(&r, 2);
        paimon_avro_put_long(&r, i);
        paimon_avro_put_bytes(&r, empty, 12);
        paimon_avro_put_long(&r, 0);
        paimon_avro_put_long(&r, 1);
        paimon_avro_put_long(&r, 1); /* _FILE union: record */
        paimon_avro_put_string(&r, i ? "data-old.orc" : "data-new.orc");
        paimon_avro_put_long(&r, 321);
        paimon_avro_put_long(&r, 9);
        paimon_avro_put_bytes(&r, empty, 12);
        paimon_avro_put_bytes(&r, empty, 12);
        put_old_stats(&r, empty, empty);
        put_old_stats(&r, empty, empty);
        paimon_avro_put_long(&r, 0);
        paimon_avro_put_long(&r, 8);
        paimon_avro_put_long(&r, 0);
        paimon_avro_put_long(&r, 0);
        paimon_avro_put_long(&r, 0); /* no extra files */
        paimon_avro_put_long(&r, 1);
        paimon_avro_put_long(&r, 1700000000000LL);
        paimon_avro_put_long(&r, 0); /* _DELETE_ROW_COUNT null */
        paimon_avro_put_long(&r, 0); /* _EMBEDDED_FILE_INDEX null */
        assert_int_equal(paimon_avro_writer_add(w, r.data, r.len, &err), 0);
        mc_buf_free(&r);
    }
    mc_buf file = MC_BUF_INIT;
    assert_int_equal(paimon_avro_writer_finish(w, &file, &err), 0);
    paimon_avro_writer_free(w);
    paimon_manifest_entry *e;
    size_t n;
    if (paimon_manifest_read(&e, &n, (const uint8_t *)file.data, file.len, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(n, 2);
    assert_int_equal(e[1].kind, PAIMON_FILE_DELETE);
    assert_string_equal(e[1].file.file_name, "data-old.orc");
    assert_int_equal(e[0].file.row_count, 9);
    assert_int_equal(e[0].file.max_sequence_number, 8);
    assert_true(e[0].file.creation_time.set);
    assert_false(e[0].file.delete_row_count.set);
    assert_false(e[0].file.file_source.set);      /* 0.9+ field absent */
    assert_false(e[0].file.value_stats_cols.set); /* 1.0+ field absent */
    assert_null(e[0].file.external_path);
    assert_int_equal(e[0].file.value_stats.n_null_counts, 1);
    assert_false(e[0].file.value_stats.null_counts[0].set);
    paimon_manifest_entries_free(e, n);
    mc_buf_free(&file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_snapshot_reconciles_to_its_record_count),
        cmocka_unit_test(test_append_complex_data_live_files_and_stats),
        cmocka_unit_test(test_pk_tables_keys_levels_and_deletion_vectors),
        cmocka_unit_test(test_orc_manifests_are_refused_clearly),
        cmocka_unit_test(test_every_fixture_manifest_round_trips),
        cmocka_unit_test(test_write_read_with_every_codec_and_merge),
        cmocka_unit_test(test_partition_paths),
        cmocka_unit_test(test_every_fixture_binary_row_reencodes_byte_exact),
        cmocka_unit_test(test_manifest_file_meta_built_from_entries_matches_java),
        cmocka_unit_test(test_old_union_wrapped_snappy_manifest_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
