/* Unit tests for paimon/avro: varints, generic decoding, container files with
 * every codec, Java-written manifests, and malformed input (every truncation
 * and corruption of a real file must give an error, never a crash). */
#include "testutil.h"

#include "fsutil.h"

#include <stdlib.h>
#include <string.h>

#include "paimon/avro.h"
#include "paimon/avro_data.h"
#include "paimon/schema.h"

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

static void test_zigzag_varints(void **state)
{
    (void)state;
    const struct {
        int64_t v;
        const char *bytes;
        size_t n;
    } cases[] = {{0, "\x00", 1},       {-1, "\x01", 1},         {1, "\x02", 1},
                 {-64, "\x7f", 1},     {64, "\x80\x01", 2},     {2, "\x04", 1},
                 {INT64_MAX, "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10},
                 {INT64_MIN, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10}};
    mc_err err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_buf b = MC_BUF_INIT;
        paimon_avro_put_long(&b, cases[i].v);
        assert_int_equal(b.len, cases[i].n);
        assert_memory_equal(b.data, cases[i].bytes, cases[i].n);
        int64_t v;
        size_t pos = 0;
        assert_int_equal(paimon_avro_get_long(&v, (const uint8_t *)b.data, b.len, &pos, &err), 0);
        assert_true(v == cases[i].v);
        assert_int_equal(pos, cases[i].n);
        pos = 0;
        if (cases[i].n > 1)
            assert_int_equal(paimon_avro_get_long(&v, (const uint8_t *)b.data, b.len - 1, &pos, &err), -1);
        mc_buf_free(&b);
    }
    int64_t v;
    size_t pos = 0;
    const uint8_t too_long[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    assert_int_equal(paimon_avro_get_long(&v, too_long, 11, &pos, &err), -1);
}

static const char TEST_SCHEMA[] =
    "{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"x.y\",\"fields\":["
    "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"s\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"long\"}},"
    "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"bytes\"}},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
    "{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}},"
    "{\"name\":\"d\",\"type\":\"double\"},{\"name\":\"fl\",\"type\":\"float\"},{\"name\":\"b\",\"type\":\"boolean\"},"
    "{\"name\":\"again\",\"type\":[\"null\",\"x.y.F\"]},{\"name\":\"short\",\"type\":\"E\"}]}";

static void encode_test_record(mc_buf *b, int i)
{
    paimon_avro_put_long(b, i);
    if (i % 2) {
        paimon_avro_put_long(b, 0);
    } else {
        paimon_avro_put_long(b, 1);
        paimon_avro_put_string(b, "hello");
    }
    /* array in two blocks, the second with a negative count and byte size */
    paimon_avro_put_long(b, 1);
    paimon_avro_put_long(b, 100 + i);
    paimon_avro_put_long(b, -2);
    paimon_avro_put_long(b, 2);
    paimon_avro_put_long(b, -5);
    paimon_avro_put_long(b, 7);
    paimon_avro_put_long(b, 0);
    paimon_avro_put_long(b, 1);
    paimon_avro_put_string(b, "k");
    paimon_avro_put_bytes(b, "\0v", 2);
    paimon_avro_put_long(b, 0);
    paimon_avro_put_long(b, 1);
    mc_buf_append(b, "ab", 2);
    paimon_avro_put_double(b, 2.5);
    paimon_avro_put_float(b, -1.25f);
    paimon_avro_put_bool(b, true);
    paimon_avro_put_long(b, 1);
    mc_buf_append(b, "cd", 2);
    paimon_avro_put_long(b, 0);
}

static void check_test_record(const paimon_avro_value *v, int i)
{
    assert_int_equal(v->kind, PAIMON_AVRO_RECORD);
    assert_int_equal(paimon_avro_get(v, "i")->l, i);
    const paimon_avro_value *s = paimon_avro_get(v, "s");
    if (i % 2) {
        assert_true(paimon_avro_is_null(s));
        assert_int_equal(s->branch, 0);
    } else {
        assert_int_equal(s->branch, 1);
        assert_string_equal((const char *)s->bytes, "hello");
    }
    const paimon_avro_value *a = paimon_avro_get(v, "a");
    assert_int_equal(a->n, 3);
    assert_int_equal(a->items[0].l, 100 + i);
    assert_int_equal(a->items[1].l, -5);
    assert_int_equal(a->items[2].l, 7);
    const paimon_avro_value *m = paimon_avro_get(v, "m");
    assert_int_equal(m->n, 1);
    assert_string_equal(m->keys[0], "k");
    assert_int_equal(m->items[0].len, 2);
    assert_memory_equal(m->items[0].bytes, "\0v", 2);
    assert_int_equal(paimon_avro_get(v, "e")->l, 1);
    assert_memory_equal(paimon_avro_get(v, "f")->bytes, "ab", 2);
    assert_true(paimon_avro_get(v, "d")->d == 2.5);
    assert_true(paimon_avro_get(v, "fl")->d == -1.25);
    assert_int_equal(paimon_avro_get(v, "b")->l, 1);
    assert_memory_equal(paimon_avro_get(v, "again")->bytes, "cd", 2);
    assert_int_equal(paimon_avro_get(v, "short")->l, 0);
    assert_null(paimon_avro_get(v, "nope"));
}

static void test_container_round_trip_with_every_codec(void **state)
{
    (void)state;
    const char *codecs[] = {"null", "deflate", "snappy", "zstandard"};
    mc_err err;
    for (size_t c = 0; c < 4; c++) {
        paimon_avro_writer *w;
        assert_int_equal(paimon_avro_writer_new(&w, TEST_SCHEMA, codecs[c], &err), 0);
        const int N = 5000; /* > 64 KiB: several blocks */
        mc_buf rec = MC_BUF_INIT;
        for (int i = 0; i < N; i++) {
            mc_buf_reset(&rec);
            encode_test_record(&rec, i);
            assert_int_equal(paimon_avro_writer_add(w, rec.data, rec.len, &err), 0);
        }
        mc_buf file = MC_BUF_INIT;
        assert_int_equal(paimon_avro_writer_finish(w, &file, &err), 0);
        paimon_avro_writer_free(w);
        paimon_avro_file *f;
        if (paimon_avro_file_open(&f, (const uint8_t *)file.data, file.len, &err) != 0)
            fail_msg("%s: %s", codecs[c], err.msg);
        assert_string_equal(paimon_avro_file_codec(f), codecs[c]);
        int i = 0;
        paimon_avro_value v;
        memset(&v, 0, sizeof v);
        int r;
        while ((r = paimon_avro_file_next(f, &v, &err)) == 1) {
            check_test_record(&v, i++);
            paimon_avro_value_clear(&v);
        }
        if (r != 0)
            fail_msg("%s: %s", codecs[c], err.msg);
        assert_int_equal(i, N);
        paimon_avro_file_close(f);
        mc_buf_free(&file);
        mc_buf_free(&rec);
    }
    paimon_avro_writer *w;
    assert_int_equal(paimon_avro_writer_new(&w, TEST_SCHEMA, "xz", &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
}

/* Opens and reads the whole file; returns 0 or -1. */
static int read_everything(const uint8_t *data, size_t len, mc_err *err)
{
    paimon_avro_file *f;
    if (paimon_avro_file_open(&f, data, len, err) != 0)
        return -1;
    paimon_avro_value v;
    memset(&v, 0, sizeof v);
    int r;
    while ((r = paimon_avro_file_next(f, &v, err)) == 1)
        paimon_avro_value_clear(&v);
    paimon_avro_file_close(f);
    return r;
}

static void test_truncated_and_corrupt_files_fail_cleanly(void **state)
{
    (void)state;
    char *p = shared_path("paimon-tables/paimon-cpp__parquet_append_complex_data/table/manifest/"
                             "manifest-59f4b612-1d6a-4acb-999c-f92ae2e6129f-1");
    mc_buf file = MC_BUF_INIT;
    tu_read_file(&file, p);
    free(p);
    mc_err err;
    assert_int_equal(read_everything((const uint8_t *)file.data, file.len, &err), 0);
    /* Every proper prefix fails, except the one ending right after the
     * header, which is a valid file without blocks. */
    int ok_prefixes = 0;
    for (size_t n = 0; n < file.len; n++) {
        uint8_t *copy = mc_malloc(n ? n : 1); /* exact-size copy so ASan sees overreads */
        memcpy(copy, file.data, n);
        mc_err_clear(&err);
        if (read_everything(copy, n, &err) == 0)
            ok_prefixes++;
        else
            assert_true(err.msg[0] != 0);
        free(copy);
    }
    assert_int_equal(ok_prefixes, 1);
    /* flip every byte once */
    uint8_t *copy = mc_malloc(file.len);
    int failures = 0;
    for (size_t i = 0; i < file.len; i++) {
        memcpy(copy, file.data, file.len);
        copy[i] ^= 0x5a;
        if (read_everything(copy, file.len, &err) != 0)
            failures++;
    }
    assert_true(failures > 0);
    free(copy);
    mc_buf_free(&file);

    /* specific messages */
    assert_int_equal(read_everything((const uint8_t *)"ORC", 3, &err), -1);
    assert_non_null(strstr(err.msg, "magic"));
}

static void test_schema_parse_errors(void **state)
{
    (void)state;
    paimon_avro_schema *s;
    mc_err err;
    assert_int_equal(paimon_avro_schema_parse(&s, "\"nope\"", 6, &err), -1);
    assert_int_equal(paimon_avro_schema_parse(&s, "{\"type\":\"record\"}", 17, &err), -1);
    assert_int_equal(paimon_avro_schema_parse(&s, "{", 1, &err), -1);
    assert_int_equal(paimon_avro_schema_parse(&s, "[\"null\",\"long\"]", 15, &err), 0);
    assert_int_equal(s->root->kind, PAIMON_AVRO_UNION);
    paimon_avro_schema_free(s);
    /* a self-recursive record decodes only as deep as the data allows */
    const char *rec = "{\"type\":\"record\",\"name\":\"n\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"n\"]}]}";
    assert_int_equal(paimon_avro_schema_parse(&s, rec, strlen(rec), &err), 0);
    uint8_t deep[200];
    memset(deep, 2, sizeof deep); /* union index 1 forever */
    paimon_avro_value v;
    size_t pos = 0;
    assert_int_equal(paimon_avro_decode(&v, s->root, deep, sizeof deep, &pos, &err), -1);
    paimon_avro_value_clear(&v);
    const uint8_t two[2] = {2, 0};
    pos = 0;
    assert_int_equal(paimon_avro_decode(&v, s->root, two, 2, &pos, &err), 0);
    assert_int_equal(paimon_avro_get(&v, "next")->kind, PAIMON_AVRO_RECORD);
    paimon_avro_value_clear(&v);
    paimon_avro_schema_free(s);
    /* huge array counts are refused before allocating */
    const char *arr = "{\"type\":\"array\",\"items\":\"long\"}";
    assert_int_equal(paimon_avro_schema_parse(&s, arr, strlen(arr), &err), 0);
    mc_buf b = MC_BUF_INIT;
    paimon_avro_put_long(&b, INT64_C(1) << 60);
    pos = 0;
    assert_int_equal(paimon_avro_decode(&v, s->root, (const uint8_t *)b.data, b.len, &pos, &err), -1);
    paimon_avro_value_clear(&v);
    mc_buf_free(&b);
    paimon_avro_schema_free(s);
    paimon_avro_schema_free(NULL);
    paimon_avro_file_close(NULL);
    paimon_avro_writer_free(NULL);
}

static void test_java_avro_data_file_reads_generically(void **state)
{
    (void)state;
    /* reference/paimon-format.md §7.3: TIMESTAMP(0..3) -> timestamp-millis,
     * (4..6) -> timestamp-micros, LTZ -> local-timestamp-*; all nullable */
    char *p = shared_path("paimon-tables/paimon-cpp__avro_append_with_multiple_ts_precision_and_timezone/"
                          "table/bucket-0/data-441e233b-529d-4a8f-a0a4-25c2c84fb965-0.avro");
    mc_buf file = MC_BUF_INIT;
    tu_read_file(&file, p);
    free(p);
    mc_err err;
    paimon_avro_file *f;
    assert_int_equal(paimon_avro_file_open(&f, (const uint8_t *)file.data, file.len, &err), 0);
    assert_string_equal(paimon_avro_file_codec(f), "zstandard");
    const paimon_avro_node *root = paimon_avro_file_schema(f)->root;
    assert_int_equal(root->n, 6);
    assert_string_equal(root->children[2]->children[1]->logical_type, "timestamp-micros");
    assert_string_equal(root->children[3]->children[1]->logical_type, "local-timestamp-millis");
    const char *names[6] = {"ts_sec", "ts_milli", "ts_micro", "ts_tz_sec", "ts_tz_milli", "ts_tz_micro"};
    /* expected.csv of the fixture; -1 = NULL */
    const int64_t want[3][6] = {{1000, 1, 1, 2000, 2, 2}, {-1, 3, -1, -1, 4, -1}, {5000, -1, 5, 6000, -1, 6}};
    paimon_avro_value v;
    memset(&v, 0, sizeof v);
    int rows = 0;
    while (paimon_avro_file_next(f, &v, &err) == 1) {
        assert_true(rows < 3);
        for (int c = 0; c < 6; c++) {
            const paimon_avro_value *x = paimon_avro_get(&v, names[c]);
            if (want[rows][c] < 0)
                assert_true(paimon_avro_is_null(x));
            else
                assert_int_equal(x->l, want[rows][c]);
        }
        paimon_avro_value_clear(&v);
        rows++;
    }
    assert_int_equal(rows, 3);
    paimon_avro_file_close(f);
    mc_buf_free(&file);
}

static void test_avro_data_schema_and_datums_match_java_file(void **state)
{
    (void)state;
    const char *tbl = "paimon-tables/paimon-cpp__avro_append_with_multiple_ts_precision_and_timezone/table/";
    char *rel = mc_asprintf("%sschema/schema-0", tbl);
    char *p = shared_path(rel);
    free(rel);
    mc_buf js = MC_BUF_INIT, file = MC_BUF_INIT, schema = MC_BUF_INIT;
    tu_read_file(&js, p);
    free(p);
    paimon_schema *s;
    mc_err err;
    assert_int_equal(paimon_schema_parse(&s, js.data, js.len, &err), 0);
    assert_int_equal(paimon_avro_data_schema(&schema, s->fields, s->nfields, &err), 0);
    rel = mc_asprintf("%sbucket-0/data-441e233b-529d-4a8f-a0a4-25c2c84fb965-0.avro", tbl);
    p = shared_path(rel);
    free(rel);
    tu_read_file(&file, p);
    free(p);
    /* the derived schema is Java's header schema byte for byte */
    assert_non_null(memmem(file.data, file.len, schema.data, schema.len));

    paimon_avro_file *f;
    assert_int_equal(paimon_avro_file_open(&f, (const uint8_t *)file.data, file.len, &err), 0);
    paimon_avro_writer *w;
    assert_int_equal(paimon_avro_writer_new(&w, schema.data, "zstandard", &err), 0);
    paimon_avro_value v;
    memset(&v, 0, sizeof v);
    paimon_datum rows[3][6];
    int r = 0;
    mc_buf rec = MC_BUF_INIT;
    while (paimon_avro_file_next(f, &v, &err) == 1) {
        mc_buf_reset(&rec);
        for (size_t c = 0; c < 6; c++) {
            assert_int_equal(paimon_avro_to_datum(&rows[r][c], s->fields[c].type, &v.items[c], &err), 0);
            assert_int_equal(paimon_avro_put_datum(&rec, s->fields[c].type, &rows[r][c], &err), 0);
        }
        assert_int_equal(paimon_avro_writer_add(w, rec.data, rec.len, &err), 0);
        paimon_avro_value_clear(&v);
        r++;
    }
    assert_int_equal(r, 3);
    /* 1970-01-01 00:00:00.000001 as TIMESTAMP(6): 0 ms + 1000 ns */
    assert_int_equal(rows[0][2].i, 0);
    assert_int_equal(rows[0][2].nanos, 1000);
    assert_int_equal(rows[0][0].i, 1000);
    assert_true(rows[1][0].is_null);
    assert_int_equal(rows[2][5].nanos, 6000);
    paimon_avro_file_close(f);

    /* what we wrote reads back to the same datums */
    mc_buf ours = MC_BUF_INIT;
    assert_int_equal(paimon_avro_writer_finish(w, &ours, &err), 0);
    paimon_avro_writer_free(w);
    assert_int_equal(paimon_avro_file_open(&f, (const uint8_t *)ours.data, ours.len, &err), 0);
    r = 0;
    while (paimon_avro_file_next(f, &v, &err) == 1) {
        for (size_t c = 0; c < 6; c++) {
            paimon_datum d;
            assert_int_equal(paimon_avro_to_datum(&d, s->fields[c].type, &v.items[c], &err), 0);
            assert_int_equal(d.is_null, rows[r][c].is_null);
            assert_int_equal(d.i, rows[r][c].i);
            assert_int_equal(d.nanos, rows[r][c].nanos);
        }
        paimon_avro_value_clear(&v);
        r++;
    }
    assert_int_equal(r, 3);
    paimon_avro_file_close(f);
    mc_buf_free(&ours);
    mc_buf_free(&rec);
    mc_buf_free(&js);
    mc_buf_free(&file);
    mc_buf_free(&schema);
    paimon_schema_free(s);
}

static void test_avro_data_schema_of_nested_and_decimal_types(void **state)
{
    (void)state;
    const char *src = "[{\"id\":0,\"name\":\"d\",\"type\":\"DECIMAL(20, 4) NOT NULL\"},"
                      "{\"id\":1,\"name\":\"a\",\"type\":{\"type\":\"ARRAY\",\"element\":\"INT NOT NULL\"}},"
                      "{\"id\":2,\"name\":\"m\",\"type\":{\"type\":\"MAP\",\"key\":\"INT NOT NULL\",\"value\":\"STRING\"}},"
                      "{\"id\":3,\"name\":\"r\",\"type\":{\"type\":\"ROW\",\"fields\":[{\"id\":4,\"name\":\"x\",\"type\":\"DATE\"}]}},"
                      "{\"id\":5,\"name\":\"t\",\"type\":\"TIME(3)\"}]";
    json_t *j = json_loads(src, 0, NULL);
    assert_non_null(j);
    paimon_field *f;
    size_t n;
    mc_err err;
    assert_int_equal(paimon_fields_from_json(&f, &n, j, &err), 0);
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(paimon_avro_data_schema(&b, f, n, &err), 0);
    assert_string_equal(
        b.data,
        "{\"type\":\"record\",\"name\":\"record\",\"namespace\":\"org.apache.paimon.avro.generated\",\"fields\":["
        "{\"name\":\"d\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":4}},"
        "{\"name\":\"a\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\"}],\"default\":null},"
        "{\"name\":\"m\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"record_m\","
        "\"fields\":[{\"name\":\"key\",\"type\":\"int\"},{\"name\":\"value\",\"type\":[\"null\",\"string\"],"
        "\"default\":null}]},\"logicalType\":\"map\"}],\"default\":null},"
        "{\"name\":\"r\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"record_r\",\"fields\":[{\"name\":\"x\","
        "\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],\"default\":null}]}],\"default\":null},"
        "{\"name\":\"t\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"time-millis\"}],\"default\":null}]}");
    /* the schema parses, and a decimal round-trips through bytes */
    paimon_avro_schema *as;
    assert_int_equal(paimon_avro_schema_parse(&as, b.data, b.len, &err), 0);
    assert_int_equal(as->root->children[0]->precision, 20);
    mc_buf enc = MC_BUF_INIT;
    paimon_datum d = paimon_datum_decimal(-((paimon_i128)1 << 70));
    assert_int_equal(paimon_avro_put_datum(&enc, f[0].type, &d, &err), 0);
    paimon_avro_value v;
    size_t pos = 0;
    assert_int_equal(paimon_avro_decode(&v, as->root->children[0], (const uint8_t *)enc.data, enc.len, &pos, &err), 0);
    paimon_datum back;
    assert_int_equal(paimon_avro_to_datum(&back, f[0].type, &v, &err), 0);
    assert_true(back.dec == d.dec);
    paimon_avro_value_clear(&v);
    paimon_datum nul = paimon_datum_null();
    assert_int_equal(paimon_avro_put_datum(&enc, f[0].type, &nul, &err), -1);
    paimon_type *ts9 = paimon_type_new_time(PAIMON_TIMESTAMP, 9, true);
    paimon_field bad = {0, "ts", ts9, NULL, NULL};
    mc_buf_reset(&b);
    assert_int_equal(paimon_avro_data_schema(&b, &bad, 1, &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
    paimon_type_free(ts9);
    mc_buf_free(&enc);
    paimon_avro_schema_free(as);
    mc_buf_free(&b);
    paimon_fields_free(f, n);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zigzag_varints),
        cmocka_unit_test(test_container_round_trip_with_every_codec),
        cmocka_unit_test(test_truncated_and_corrupt_files_fail_cleanly),
        cmocka_unit_test(test_schema_parse_errors),
        cmocka_unit_test(test_java_avro_data_file_reads_generically),
        cmocka_unit_test(test_avro_data_schema_and_datums_match_java_file),
        cmocka_unit_test(test_avro_data_schema_of_nested_and_decimal_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
