/* Unit tests for paimon/binrow: BinaryRow bytes, Java's row hash and fixed
 * buckets against reference/paimon-format.md §5.2-§5.4 and the Java-computed
 * vectors in paimon-bucket-vectors/. */
#include "testutil.h"

#include "fsutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/binrow.h"

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

static void test_int_key_hashes_match_java_extractor_test(void **state)
{
    (void)state;
    /* §5.3: FixedBucketRowKeyExtractorTest, row (5,6,7), 100 buckets */
    paimon_type *t = paimon_type_new(PAIMON_INT, true);
    const paimon_type *types[3] = {t, t, t};
    paimon_datum v[3] = {paimon_datum_int(5), paimon_datum_int(6), paimon_datum_int(7)};
    const int32_t hashes[3] = {260196596, 131015827, 1805332940};
    const int32_t buckets[3] = {96, 27, 40};
    for (size_t n = 1; n <= 3; n++) {
        mc_buf row = MC_BUF_INIT;
        paimon_binrow_write(&row, 0, types, v, n);
        assert_int_equal(paimon_binrow_hash((const uint8_t *)row.data, row.len), hashes[n - 1]);
        assert_int_equal(paimon_bucket_of_key(types, v, n, 100), buckets[n - 1]);
        mc_buf_free(&row);
    }
    paimon_type_free(t);
}

static void test_partition_row_serialized_form(void **state)
{
    (void)state;
    /* §5.2: partition f1=10 and the empty row */
    paimon_type *t = paimon_type_new(PAIMON_INT, true);
    const paimon_type *types[1] = {t};
    paimon_datum v = paimon_datum_int(10);
    mc_buf b = MC_BUF_INIT;
    paimon_binrow_write_serialized(&b, types, &v, 1);
    const uint8_t want[] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    mc_buf_reset(&b);
    paimon_binrow_write_serialized(&b, types, NULL, 0);
    const uint8_t empty[12] = {0};
    assert_int_equal(b.len, 12);
    assert_memory_equal(b.data, empty, 12);
    mc_buf_free(&b);
    paimon_type_free(t);
}

static void test_inline_and_long_strings(void **state)
{
    (void)state;
    paimon_type *t = paimon_type_new(PAIMON_VARCHAR, true);
    const paimon_type *types[2] = {t, t};
    paimon_datum v[2] = {paimon_datum_bytes("Alice", 5), paimon_datum_bytes("a longer string", 15)};
    mc_buf b = MC_BUF_INIT;
    paimon_binrow_write(&b, 0, types, v, 2);
    const uint8_t alice[8] = {0x41, 0x6c, 0x69, 0x63, 0x65, 0, 0, 0x85};
    assert_memory_equal(b.data + 8, alice, 8);
    assert_int_equal(b.len, 8 + 16 + 16);
    paimon_datum r[2];
    uint8_t kind = 9;
    mc_err err;
    assert_int_equal(paimon_binrow_read(r, &kind, types, 2, (const uint8_t *)b.data, b.len, &err), 0);
    assert_int_equal(kind, 0);
    assert_int_equal(r[0].len, 5);
    assert_memory_equal(r[0].ptr, "Alice", 5);
    assert_int_equal(r[1].len, 15);
    assert_memory_equal(r[1].ptr, "a longer string", 15);
    /* a truncated row is an error, never an overread */
    assert_int_equal(paimon_binrow_read(r, &kind, types, 2, (const uint8_t *)b.data, 30, &err), -1);
    assert_int_equal(paimon_binrow_read(r, &kind, types, 2, (const uint8_t *)b.data, 20, &err), -1);
    mc_buf_free(&b);
    paimon_type_free(t);
}

static void test_decimal_and_timestamp_round_trip(void **state)
{
    (void)state;
    paimon_type *d5 = paimon_type_new_decimal(5, 2, true);
    paimon_type *d30 = paimon_type_new_decimal(30, 20, true);
    paimon_type *ts9 = paimon_type_new_time(PAIMON_TIMESTAMP, 9, true);
    paimon_type *ts3 = paimon_type_new_time(PAIMON_TIMESTAMP, 3, true);
    const paimon_type *types[6] = {d5, d30, ts9, ts3, d30, ts9};
    paimon_i128 big;
    mc_err err;
    assert_int_equal(paimon_decimal_parse(&big, "-123456789.12345678901234567890", 20, &err), 0);
    paimon_datum v[6] = {paimon_datum_decimal(-12345), paimon_datum_decimal(big),
                         paimon_datum_timestamp(-2208988800000LL, 123456),
                         paimon_datum_timestamp(1700000000123LL, 0), paimon_datum_null(),
                         paimon_datum_null()};
    mc_buf b = MC_BUF_INIT;
    paimon_binrow_write(&b, 2, types, v, 6);
    /* fixed 8 + 48, var: decimal 16 + ts 8 + null decimal 16 + null ts 8 */
    assert_int_equal(b.len, 56 + 48);
    paimon_datum r[6];
    uint8_t kind;
    assert_int_equal(paimon_binrow_read(r, &kind, types, 6, (const uint8_t *)b.data, b.len, &err), 0);
    assert_int_equal(kind, 2);
    assert_true(r[0].dec == -12345);
    assert_true(r[1].dec == big);
    assert_int_equal(r[2].i, -2208988800000LL);
    assert_int_equal(r[2].nanos, 123456);
    assert_int_equal(r[3].i, 1700000000123LL);
    assert_true(r[4].is_null && r[5].is_null);
    mc_buf s = MC_BUF_INIT;
    paimon_decimal_format(&s, big, 20);
    assert_string_equal(s.data, "-123456789.12345678901234567890");
    mc_buf_reset(&s);
    paimon_decimal_format(&s, 5, 2);
    assert_string_equal(s.data, "0.05");
    mc_buf_free(&s);
    mc_buf_free(&b);
    paimon_type_free(d5);
    paimon_type_free(d30);
    paimon_type_free(ts9);
    paimon_type_free(ts3);
}

/* Schema of record_with_null_for_bucket_id.data (§5.3). */
static const char *const NULL_VECTOR_TYPES[] = {
    "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DATE",
    "TIMESTAMP(9)", "DECIMAL(5, 2)", "DECIMAL(30, 2)", "STRING", "BYTES"};
#define NULL_VECTOR_ARITY 13

static void datum_from_json(paimon_datum *d, const paimon_type *t, json_t *j)
{
    mc_err err;
    if (json_is_null(j)) {
        *d = paimon_datum_null();
        return;
    }
    switch (t->id) {
    case PAIMON_BOOLEAN: *d = paimon_datum_int(json_is_true(j)); break;
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE: *d = paimon_datum_double(json_number_value(j)); break;
    case PAIMON_TIMESTAMP: {
        /* nanoseconds since the epoch */
        int64_t ns = json_integer_value(j);
        int64_t ms = ns / 1000000, rem = ns % 1000000;
        if (rem < 0) {
            rem += 1000000;
            ms--;
        }
        *d = paimon_datum_timestamp(ms, (int32_t)rem);
        break;
    }
    case PAIMON_DECIMAL: {
        paimon_i128 u;
        assert_int_equal(paimon_decimal_parse(&u, json_string_value(j), t->scale, &err), 0);
        *d = paimon_datum_decimal(u);
        break;
    }
    case PAIMON_VARCHAR:
    case PAIMON_VARBINARY: *d = paimon_datum_bytes(json_string_value(j), json_string_length(j)); break;
    default: *d = paimon_datum_int(json_integer_value(j)); break;
    }
}

static void test_java_buckets_of_rows_with_nulls(void **state)
{
    (void)state;
    char *path = shared_path("paimon-bucket-vectors/record_with_null_for_bucket_id.data");
    mc_buf file = MC_BUF_INIT;
    tu_read_file(&file, path);
    free(path);
    paimon_type *types[NULL_VECTOR_ARITY];
    mc_err err;
    for (int i = 0; i < NULL_VECTOR_ARITY; i++)
        assert_int_equal(paimon_type_parse(&types[i], NULL_VECTOR_TYPES[i], &err), 0);
    int rows = 0, matched = 0;
    char *line = file.data;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        size_t len = strlen(line);
        while (len && (line[len - 1] == ',' || line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = 0;
        if (len) {
            json_error_t je;
            json_t *arr = json_loadb(line, len, JSON_DECODE_ANY, &je);
            assert_non_null(arr);
            assert_int_equal(json_array_size(arr), NULL_VECTOR_ARITY + 1);
            paimon_datum v[NULL_VECTOR_ARITY];
            for (int i = 0; i < NULL_VECTOR_ARITY; i++)
                datum_from_json(&v[i], types[i], json_array_get(arr, (size_t)i));
            int32_t want = (int32_t)json_integer_value(json_array_get(arr, NULL_VECTOR_ARITY));
            int32_t got = paimon_bucket_of_key((const paimon_type *const *)types, v,
                                               NULL_VECTOR_ARITY, 12345);
            if (got == want)
                matched++;
            else if (rows - matched < 3)
                print_message("row %d: bucket %d, Java %d: %s\n", rows, got, want, line);
            rows++;
            json_decref(arr);
        }
        line = nl ? nl + 1 : NULL;
    }
    assert_true(rows >= 1000);
    assert_int_equal(matched, rows);
    for (int i = 0; i < NULL_VECTOR_ARITY; i++)
        paimon_type_free(types[i]);
    mc_buf_free(&file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_key_hashes_match_java_extractor_test),
        cmocka_unit_test(test_partition_row_serialized_form),
        cmocka_unit_test(test_inline_and_long_strings),
        cmocka_unit_test(test_decimal_and_timestamp_round_trip),
        cmocka_unit_test(test_java_buckets_of_rows_with_nulls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
