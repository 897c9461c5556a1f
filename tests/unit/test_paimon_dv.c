/* Unit tests for paimon/dv: deletion vectors of the Java-written DV fixtures
 * (reference/paimon-format.md §6.4), Roaring containers, framing checks. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "paimon/dv.h"

static char *shared_path(const char *rel)
{
    char *p = tu_shared_path(rel);
    if (mc_path_exists(p))
        return p;
    free(p);
    return mc_asprintf("%s/../../shared/%s", MCDLF_SOURCE_DIR, rel);
}

static void test_java_deletion_vectors_read_and_rewrite_byte_exact(void **state)
{
    (void)state;
    char *p = shared_path("paimon-tables/paimon-cpp__parquet_pk_table_with_alter_table/table/index/"
                          "index-c93829f3-1a72-4d88-8401-70663ce46426-1");
    mc_buf file = MC_BUF_INIT;
    tu_read_file(&file, p);
    free(p);
    paimon_dv dv;
    mc_err err;
    /* range from the index manifest: offset 1, length 26, cardinality 3 */
    assert_int_equal(paimon_dv_read(&dv, (const uint8_t *)file.data, file.len, 1, 26, &err), 0);
    assert_int_equal(dv.n, 3);
    assert_int_equal(dv.positions[0], 2);
    assert_int_equal(dv.positions[1], 3);
    assert_int_equal(dv.positions[2], 6);
    assert_true(paimon_dv_contains(&dv, 3));
    assert_false(paimon_dv_contains(&dv, 4));
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, PAIMON_DV_INDEX_VERSION);
    int32_t range_len;
    paimon_dv_write(&out, &range_len, dv.positions, dv.n);
    assert_int_equal(range_len, 26);
    assert_int_equal(out.len, file.len);
    assert_memory_equal(out.data, file.data, file.len);
    paimon_dv_clear(&dv);

    /* every truncation and a flipped byte fail cleanly */
    for (size_t n = 0; n < file.len; n++) {
        uint8_t *c = mc_malloc(n ? n : 1);
        memcpy(c, file.data, n);
        assert_int_equal(paimon_dv_read(&dv, c, n, 1, 26, &err), -1);
        free(c);
    }
    for (size_t i = 0; i < file.len; i++) {
        uint8_t *c = mc_malloc(file.len);
        memcpy(c, file.data, file.len);
        c[i] ^= 0x10;
        if (paimon_dv_read(&dv, c, file.len, 1, 26, &err) == 0)
            paimon_dv_clear(&dv);
        else
            assert_true(err.msg[0] != 0);
        free(c);
    }
    assert_int_equal(paimon_dv_read(&dv, (const uint8_t *)file.data, file.len, 1, 25, &err), -1);
    assert_int_equal(paimon_dv_read(&dv, (const uint8_t *)file.data, file.len, 0, 26, &err), -1);
    mc_buf_free(&out);
    mc_buf_free(&file);

    p = shared_path("paimon-tables/paimon-cpp__parquet_pk_table_scan_and_read_dv/table/index/"
                    "index-16bec1d6-fa31-49bd-a240-deadcfff6003-0");
    tu_read_file(&file, p);
    free(p);
    assert_int_equal(paimon_dv_read(&dv, (const uint8_t *)file.data, file.len, 1, 22, &err), 0);
    assert_int_equal(dv.n, 1);
    assert_int_equal(dv.positions[0], 0);
    paimon_dv_clear(&dv);
    mc_buf_free(&file);
}

static void test_array_bitmap_and_run_containers(void **state)
{
    (void)state;
    size_t n = 0;
    uint32_t *pos = mc_malloc(20000 * sizeof *pos);
    for (uint32_t v = 0; v < 10000; v++) /* dense: a bitmap container */
        pos[n++] = v * 3;
    for (uint32_t v = 0; v < 10; v++) /* sparse: array containers in two keys */
        pos[n++] = 70000 + v * 7;
    pos[n++] = 5u << 20;
    pos[n++] = UINT32_MAX;
    mc_buf out = MC_BUF_INIT;
    mc_buf_putc(&out, PAIMON_DV_INDEX_VERSION);
    int32_t len;
    paimon_dv_write(&out, &len, pos, n);
    paimon_dv dv;
    mc_err err;
    assert_int_equal(paimon_dv_read(&dv, (const uint8_t *)out.data, out.len, 1, len, &err), 0);
    assert_int_equal(dv.n, n);
    assert_memory_equal(dv.positions, pos, n * sizeof *pos);
    paimon_dv_clear(&dv);
    mc_buf_free(&out);
    free(pos);

    /* a run container (cookie 12347): one container, runs [5..7] and [10..10] */
    const uint8_t run[] = {0x3b, 0x30, 0x00, 0x00, /* cookie, size 1 */
                           0x01,                   /* run flags */
                           0x00, 0x00, 0x03, 0x00, /* key 0, card 4 */
                           0x02, 0x00,             /* 2 runs */
                           0x05, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x00};
    assert_int_equal(paimon_roaring_decode(&dv, run, sizeof run, &err), 0);
    assert_int_equal(dv.n, 4);
    assert_int_equal(dv.positions[0], 5);
    assert_int_equal(dv.positions[2], 7);
    assert_int_equal(dv.positions[3], 10);
    paimon_dv_clear(&dv);
    assert_int_equal(paimon_roaring_decode(&dv, run, sizeof run - 1, &err), -1);
    const uint8_t bad_cookie[] = {1, 2, 3, 4};
    assert_int_equal(paimon_roaring_decode(&dv, bad_cookie, 4, &err), -1);
    paimon_dv_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_java_deletion_vectors_read_and_rewrite_byte_exact),
        cmocka_unit_test(test_array_bitmap_and_run_containers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
