/* paimon/travel: which snapshot a snapshot id, tag, version or time picks,
 * and the errors that say what exists, over a table directory of snapshot
 * and tag files written here (tag files as Java's TagManager writes them:
 * the snapshot's JSON plus tagCreateTime / tagTimeRetained). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fsutil.h"
#include "paimon/travel.h"
#include "testutil.h"

static int dir_read(void *ud, const char *rel, mc_buf *out, mc_err *err)
{
    char *p = mc_path_join(ud, rel);
    int rc = mc_file_read_all(out, p, err);
    free(p);
    return rc;
}

static int dir_list(void *ud, const char *dir, char ***names, size_t *n, mc_err *err)
{
    (void)err;
    char *p = mc_path_join(ud, dir);
    DIR *d = opendir(p);
    free(p);
    *names = mc_calloc(64, sizeof **names);
    *n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && *n < 64)
        if (e->d_name[0] != '.')
            (*names)[(*n)++] = mc_strdup(e->d_name);
    if (d)
        closedir(d);
    return 0;
}

static void put(const char *root, const char *rel, const char *text)
{
    mc_err err;
    char *p = mc_path_join(root, rel);
    char *dir = mc_strndup(p, (size_t)(strrchr(p, '/') - p));
    assert_int_equal(mc_mkdir_p(dir, 0755, &err), 0);
    assert_int_equal(mc_file_write_atomic(p, text, strlen(text), 0644, &err), 0);
    free(dir);
    free(p);
}

static char *snapshot_json(int64_t id, int64_t millis, const char *tag_extra)
{
    return mc_asprintf("{\"version\":3,\"id\":%lld,\"schemaId\":0,\"baseManifestList\":\"b-%lld\","
                       "\"deltaManifestList\":\"d-%lld\",\"commitUser\":\"u\",\"commitIdentifier\":%lld,"
                       "\"commitKind\":\"APPEND\",\"timeMillis\":%lld,\"totalRecordCount\":%lld%s}",
                       (long long)id, (long long)id, (long long)id, (long long)id, (long long)millis,
                       (long long)id * 10, tag_extra);
}

/* Snapshots 3..6 (1 and 2 expired) committed at 1000, 2000, 2000, 5000;
 * tags 'gold' -> 4 and 'old' -> 1 (its snapshot file expired), a LATEST
 * hint that is not a snapshot. */
static char *make_table(void)
{
    char *root = tu_tmpdir("travel");
    const int64_t times[] = {1000, 2000, 2000, 5000};
    for (int64_t id = 3; id <= 6; id++) {
        char rel[64], *j = snapshot_json(id, times[id - 3], "");
        snprintf(rel, sizeof rel, "snapshot/snapshot-%lld", (long long)id);
        put(root, rel, j);
        free(j);
    }
    put(root, "snapshot/LATEST", "6");
    const char *tag_fields = ",\"tagCreateTime\":[2024,1,1,0,0,0,0],\"tagTimeRetained\":null";
    char *j = snapshot_json(4, 2000, tag_fields);
    put(root, "tag/tag-gold", j);
    free(j);
    j = snapshot_json(1, 10, tag_fields);
    put(root, "tag/tag-old", j);
    free(j);
    return root;
}

static int64_t pick(const paimon_store *st, paimon_at at)
{
    paimon_snapshot *s;
    mc_err err;
    int rc = paimon_snapshot_at(&s, st, &at, &err);
    if (rc)
        fail_msg("%s", err.msg);
    int64_t id = s ? s->id : 0;
    paimon_snapshot_free(s);
    return id;
}

static void expect_error(const paimon_store *st, paimon_at at, const char *msg)
{
    paimon_snapshot *s = NULL;
    mc_err err;
    assert_int_equal(paimon_snapshot_at(&s, st, &at, &err), -1);
    assert_null(s);
    assert_int_equal(err.code, MC_ERR_NOT_FOUND);
    assert_string_equal(err.msg, msg);
}

static void test_snapshot_id_picks_that_snapshot_or_says_which_exist(void **state)
{
    (void)state;
    char *root = make_table();
    paimon_store st = {{dir_read, root}, dir_list};
    assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_LATEST}), 6);
    assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_SNAPSHOT, .id = 4}), 4);
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_SNAPSHOT, .id = 7},
                 "snapshot 7 does not exist: snapshots 3..6 exist");
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_SNAPSHOT, .id = 2},
                 "snapshot 2 does not exist (expired): snapshots 3..6 exist");
    tu_rmdir(root);
}

static void test_tag_reads_its_own_snapshot_even_when_expired(void **state)
{
    (void)state;
    char *root = make_table();
    paimon_store st = {{dir_read, root}, dir_list};
    assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_TAG, .name = "gold"}), 4);
    assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_TAG, .name = "old"}), 1);
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_TAG, .name = "silver"},
                 "tag 'silver' does not exist (tags: gold, old)");
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_TAG, .name = "../snapshot/snapshot-3"},
                 "tag '../snapshot/snapshot-3' does not exist (tags: gold, old)");
    /* VERSION: a tag first, else digits are a snapshot id (TimeTravelUtil.adaptScanVersion). */
    assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_VERSION, .name = "gold"}), 4);
    assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_VERSION, .name = "5"}), 5);
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_VERSION, .name = "9"},
                 "snapshot 9 does not exist: snapshots 3..6 exist");
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_VERSION, .name = "x1"},
                 "'x1' is neither a tag nor a snapshot id (tags: gold, old)");
    tu_rmdir(root);
}

static void test_tags_list_orders_by_snapshot_id(void **state)
{
    (void)state;
    char *root = make_table();
    paimon_store st = {{dir_read, root}, dir_list};
    paimon_tag *tags;
    size_t n;
    mc_err err;
    assert_int_equal(paimon_tags_list(&tags, &n, &st, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(tags[0].name, "old");
    assert_int_equal(tags[0].snap->id, 1);
    assert_string_equal(tags[1].name, "gold");
    assert_int_equal(tags[1].snap->total_record_count, 40);
    paimon_tags_free(tags, n);
    tu_rmdir(root);
}

/* SnapshotManager.earlierOrEqualTimeMills: the latest snapshot committed
 * at or before t. Of two committed at the same millisecond we take the
 * later id; Java's search returns whichever it probes first (4 here). */
static void test_time_picks_latest_committed_at_or_before(void **state)
{
    (void)state;
    char *root = make_table();
    paimon_store st = {{dir_read, root}, dir_list};
    const struct {
        int64_t millis, want;
    } cases[] = {{1000, 3}, {1999, 3}, {2000, 5}, {4999, 5}, {5000, 6}, {INT64_MAX, 6}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_MILLIS, .millis = cases[i].millis}), cases[i].want);
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_MILLIS, .millis = 999},
                 "no snapshot was committed at or before 1970-01-01 00:00:00.999: the earliest, snapshot 3, was "
                 "committed at 1970-01-01 00:00:01.000");
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_MILLIS, .millis = 999, .zone_offset_ms = 8 * 3600 * 1000},
                 "no snapshot was committed at or before 1970-01-01 08:00:00.999: the earliest, snapshot 3, was "
                 "committed at 1970-01-01 08:00:01.000");
    tu_rmdir(root);
}

static void test_empty_table(void **state)
{
    (void)state;
    char *root = tu_tmpdir("travel-empty");
    paimon_store st = {{dir_read, root}, dir_list};
    assert_int_equal(pick(&st, (paimon_at){.kind = PAIMON_AT_LATEST}), 0);
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_SNAPSHOT, .id = 1},
                 "snapshot 1 does not exist: the table has no snapshot");
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_MILLIS, .millis = 1704067200000},
                 "no snapshot was committed at or before 2024-01-01 00:00:00.000: the table has no snapshot");
    expect_error(&st, (paimon_at){.kind = PAIMON_AT_TAG, .name = "t"}, "tag 't' does not exist (the table has no tags)");
    tu_rmdir(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_id_picks_that_snapshot_or_says_which_exist),
        cmocka_unit_test(test_tag_reads_its_own_snapshot_even_when_expired),
        cmocka_unit_test(test_tags_list_orders_by_snapshot_id),
        cmocka_unit_test(test_time_picks_latest_committed_at_or_before),
        cmocka_unit_test(test_empty_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
