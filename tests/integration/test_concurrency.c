/*
 * Integration test: concurrent writers and readers of one append table,
 * through the engine's lake layer against the emulator (in-process, and
 * again as a `mcdlf serve` process: test_emu.h), each
 * thread with its own catalog connection as separate processes would have.
 *
 * WRITERS threads each make COMMITS INSERT commits of ROWS_PER_COMMIT rows
 * (writer, seq, payload) with lake_write; READERS threads scan the latest
 * snapshot over and over meanwhile. The invariants checked:
 *   - a scan sees whole snapshots: for every writer the seqs it sees are
 *     exactly 0..k*ROWS_PER_COMMIT-1, each once (commits of one writer are
 *     sequential, so what is visible is a prefix of complete commits), and
 *     the rows a reader sees never shrink from one scan to the next;
 *   - at the end every row appears exactly once and the latest snapshot id
 *     is the number of commits (ids are dense from 1, one per commit).
 * lake_write gives up with MC_ERR_CONFLICT after its own attempts
 * (COMMIT_ATTEMPTS in engine/lake.c); nothing is committed then, so the
 * test retries and counts those give-ups, printing them so that a retry
 * budget too small for this contention is visible rather than hidden.
 * Worker threads cannot use cmocka's asserts: they record the first
 * failure, and the main thread fails the test with it.
 */
#include "testutil.h"
#include "test_emu.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/rest_catalog.h"
#include "emulator.h"
#include "lake.h"
#include "timeutil.h"

#define WRITERS 8
#define READERS 4
#define COMMITS 10
#define ROWS_PER_COMMIT 20
#define ROWS_PER_WRITER (COMMITS * ROWS_PER_COMMIT)
#define TOTAL_ROWS (WRITERS * ROWS_PER_WRITER)
#define GIVE_UPS_MAX 100 /* per commit: beyond this the test stops retrying */
#define DB "default"
#define TABLE "conc"

typedef struct {
    char *dir;
    test_emu *te;
    lake_config cfg;

    pthread_mutex_t mu;
    char failure[2048]; /* first failure of any thread; empty when none */

    atomic_int writers_left;
    atomic_long conflicts;  /* lake_write calls that ended with MC_ERR_CONFLICT */
    atomic_long commits;    /* lake_write calls that succeeded */
    atomic_long scans;      /* complete reader scans */
    atomic_long rows_read;  /* rows checked by readers */
} fx;

typedef struct {
    fx *f;
    int id;
} worker;

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

static bool failed(fx *f)
{
    pthread_mutex_lock(&f->mu);
    bool r = f->failure[0] != '\0';
    pthread_mutex_unlock(&f->mu);
    return r;
}

static void payload_of(char *out, size_t cap, int64_t writer, int64_t seq)
{
    snprintf(out, cap, "w%lld-s%lld", (long long)writer, (long long)seq);
}

/* A lake and the table, as a separate client would open them. */
static int open_table(fx *f, lake **l, lake_table **t, mc_err *err)
{
    *t = NULL;
    if (lake_open(l, &f->cfg, err))
        return -1;
    if (lake_table_load(*l, DB, TABLE, t, err)) {
        lake_close(*l);
        *l = NULL;
        return -1;
    }
    return 0;
}

/* ---- writers -------------------------------------------------------------------- */

static int commit_once(fx *f, lake_table *t, int writer, int c)
{
    char payload[ROWS_PER_COMMIT][32];
    paimon_datum cells[ROWS_PER_COMMIT][3];
    const paimon_datum *rows[ROWS_PER_COMMIT];
    for (int r = 0; r < ROWS_PER_COMMIT; r++) {
        int64_t seq = (int64_t)c * ROWS_PER_COMMIT + r;
        payload_of(payload[r], sizeof payload[r], writer, seq);
        cells[r][0] = paimon_datum_int(writer);
        cells[r][1] = paimon_datum_int(seq);
        cells[r][2] = paimon_datum_bytes(payload[r], strlen(payload[r]));
        rows[r] = cells[r];
    }
    for (int give_ups = 0; give_ups < GIVE_UPS_MAX; give_ups++) {
        mc_err err;
        if (lake_write(t, rows, ROWS_PER_COMMIT, false, &err) == 0) {
            atomic_fetch_add(&f->commits, 1);
            return 0;
        }
        if (err.code != MC_ERR_CONFLICT) {
            fail_once(f, "writer %d commit %d: %s (%s)", writer, c, err.msg, mc_err_code_name(err.code));
            return -1;
        }
        /* Every attempt lost to another writer; nothing was committed. */
        atomic_fetch_add(&f->conflicts, 1);
    }
    fail_once(f, "writer %d commit %d: still losing to concurrent commits after %d lake_write calls", writer, c,
              GIVE_UPS_MAX);
    return -1;
}

static void *writer_main(void *arg)
{
    worker *w = arg;
    fx *f = w->f;
    lake *l;
    lake_table *t;
    mc_err err;
    if (open_table(f, &l, &t, &err))
        fail_once(f, "writer %d: open: %s", w->id, err.msg);
    else {
        for (int c = 0; c < COMMITS && !failed(f); c++)
            if (commit_once(f, t, w->id, c))
                break;
        lake_table_free(t);
        lake_close(l);
    }
    atomic_fetch_sub(&f->writers_left, 1);
    return NULL;
}

/* ---- readers -------------------------------------------------------------------- */

/* Scans the latest snapshot into seen[writer][seq] (counts) and checks that
 * every row is one that was written. *total receives the row count. */
static int scan_all(fx *f, lake_table *t, unsigned char seen[WRITERS][ROWS_PER_WRITER], long *total,
                    const char *who)
{
    memset(seen, 0, sizeof(unsigned char[WRITERS][ROWS_PER_WRITER]));
    *total = 0;
    lake_scan *s;
    mc_err err;
    if (lake_scan_open(t, &s, &err)) {
        fail_once(f, "%s: scan open: %s", who, err.msg);
        return -1;
    }
    const paimon_datum *row;
    int r;
    while ((r = lake_scan_next(s, &row, &err)) == 1) {
        int64_t w = row[0].i, seq = row[1].i;
        if (row[0].is_null || row[1].is_null || row[2].is_null || w < 0 || w >= WRITERS || seq < 0 ||
            seq >= ROWS_PER_WRITER) {
            fail_once(f, "%s: a row no writer wrote: writer %lld seq %lld", who, (long long)w, (long long)seq);
            lake_scan_close(s);
            return -1;
        }
        char want[32];
        payload_of(want, sizeof want, w, seq);
        if (row[2].len != strlen(want) || memcmp(row[2].ptr, want, row[2].len) != 0) {
            fail_once(f, "%s: writer %lld seq %lld has payload '%.*s', wrote '%s'", who, (long long)w,
                      (long long)seq, (int)row[2].len, (const char *)row[2].ptr, want);
            lake_scan_close(s);
            return -1;
        }
        if (seen[w][seq] < 255)
            seen[w][seq]++;
        (*total)++;
    }
    lake_scan_close(s);
    if (r < 0) {
        fail_once(f, "%s: scan: %s", who, err.msg);
        return -1;
    }
    return 0;
}

/* Whole commits only: per writer, seqs 0..n-1 each exactly once, n a
 * multiple of ROWS_PER_COMMIT. visible[w] receives n. */
static int check_whole_commits(fx *f, unsigned char seen[WRITERS][ROWS_PER_WRITER], long total,
                               int visible[WRITERS], const char *who)
{
    if (total % ROWS_PER_COMMIT != 0) {
        fail_once(f, "%s: saw %ld rows, not a multiple of %d: a partial commit is visible", who, total,
                  ROWS_PER_COMMIT);
        return -1;
    }
    for (int w = 0; w < WRITERS; w++) {
        int n = 0;
        while (n < ROWS_PER_WRITER && seen[w][n] == 1)
            n++;
        for (int seq = n; seq < ROWS_PER_WRITER; seq++)
            if (seen[w][seq]) {
                fail_once(f, "%s: writer %d: seq %d seen %d times, seqs 0..%d once each", who, w, seq,
                          seen[w][seq], n - 1);
                return -1;
            }
        if (n % ROWS_PER_COMMIT != 0) {
            fail_once(f, "%s: writer %d: %d rows visible, not whole commits of %d", who, w, n, ROWS_PER_COMMIT);
            return -1;
        }
        visible[w] = n;
    }
    return 0;
}

static void *reader_main(void *arg)
{
    worker *w = arg;
    fx *f = w->f;
    char who[32];
    snprintf(who, sizeof who, "reader %d", w->id);
    lake *l;
    lake_table *t;
    mc_err err;
    if (open_table(f, &l, &t, &err)) {
        fail_once(f, "%s: open: %s", who, err.msg);
        return NULL;
    }
    unsigned char (*seen)[ROWS_PER_WRITER] = mc_calloc(WRITERS, sizeof *seen);
    int before[WRITERS] = {0}, now[WRITERS];
    /* At least one scan after the last writer is done. */
    for (bool last = false; !last && !failed(f);) {
        last = atomic_load(&f->writers_left) == 0;
        long total;
        if (scan_all(f, t, seen, &total, who) || check_whole_commits(f, seen, total, now, who))
            break;
        for (int i = 0; i < WRITERS; i++) {
            if (now[i] < before[i]) {
                fail_once(f, "%s: writer %d: %d rows visible after %d: a newer scan saw an older snapshot", who, i,
                          now[i], before[i]);
                break;
            }
            before[i] = now[i];
        }
        atomic_fetch_add(&f->scans, 1);
        atomic_fetch_add(&f->rows_read, total);
    }
    free(seen);
    lake_table_free(t);
    lake_close(l);
    return NULL;
}

/* ---- fixture -------------------------------------------------------------------- */

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    f->dir = tu_tmpdir("concurrency");
    /* Every client served at once: real contention (serve's own pool in url mode). */
    if (test_emu_start(&f->te, f->dir, WRITERS + READERS + 2))
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

static void create_table(fx *f)
{
    lake *l;
    mc_err err;
    if (lake_open(&l, &f->cfg, &err))
        fail_msg("lake_open: %s", err.msg);
    json_t *schema = json_pack("{s:[{s:i, s:s, s:s}, {s:i, s:s, s:s}, {s:i, s:s, s:s}], s:[], s:[], s:{}}",
                               "fields", "id", 0, "name", "writer", "type", "BIGINT", "id", 1, "name", "seq", "type",
                               "BIGINT", "id", 2, "name", "payload", "type", "STRING", "partitionKeys",
                               "primaryKeys", "options");
    assert_non_null(schema);
    int rc = rest_create_table(lake_catalog(l), DB, TABLE, schema, &err);
    json_decref(schema);
    lake_close(l);
    if (rc)
        fail_msg("rest_create_table: %s", err.msg);
}

static int64_t latest_snapshot_id(fx *f)
{
    lake *l;
    mc_err err;
    if (lake_open(&l, &f->cfg, &err))
        fail_msg("lake_open: %s", err.msg);
    json_t *latest;
    if (rest_latest_snapshot(lake_catalog(l), DB, TABLE, &latest, &err))
        fail_msg("rest_latest_snapshot: %s", err.msg);
    int64_t id = latest ? json_integer_value(json_object_get(json_object_get(latest, "snapshot"), "id")) : 0;
    json_decref(latest);
    lake_close(l);
    return id;
}

/* ---- the test ------------------------------------------------------------------- */

static void test_concurrent_appends_are_atomic_and_none_is_lost(void **state)
{
    fx *f = *state;
    create_table(f);
    int64_t t0 = mc_now_ms();

    pthread_t th[WRITERS + READERS];
    worker ws[WRITERS + READERS];
    atomic_store(&f->writers_left, WRITERS);
    for (int i = 0; i < WRITERS + READERS; i++) {
        ws[i] = (worker){f, i < WRITERS ? i : i - WRITERS};
        assert_int_equal(pthread_create(&th[i], NULL, i < WRITERS ? writer_main : reader_main, &ws[i]), 0);
    }
    for (int i = 0; i < WRITERS + READERS; i++)
        pthread_join(th[i], NULL);
    int64_t elapsed = mc_now_ms() - t0;

    long conflicts = atomic_load(&f->conflicts);
    printf("[ concurrency ] %d writers x %d commits x %d rows, %d readers: %ld commits, %ld scans (%ld rows "
           "checked) in %lld ms\n",
           WRITERS, COMMITS, ROWS_PER_COMMIT, READERS, atomic_load(&f->commits), atomic_load(&f->scans),
           atomic_load(&f->rows_read), (long long)elapsed);
    printf("[ concurrency ] lake_write gave up with MC_ERR_CONFLICT %ld times (its own attempts exhausted; "
           "retried here)\n",
           conflicts);
    if (f->failure[0])
        fail_msg("%s", f->failure);
    assert_int_equal(atomic_load(&f->commits), WRITERS * COMMITS);
    assert_true(atomic_load(&f->scans) >= READERS);

    /* Every committed row exactly once, and one snapshot per commit. */
    unsigned char (*seen)[ROWS_PER_WRITER] = mc_calloc(WRITERS, sizeof *seen);
    int visible[WRITERS];
    lake *l;
    lake_table *t;
    mc_err err;
    if (open_table(f, &l, &t, &err))
        fail_msg("open: %s", err.msg);
    long total;
    int rc = scan_all(f, t, seen, &total, "final scan");
    if (rc == 0)
        rc = check_whole_commits(f, seen, total, visible, "final scan");
    lake_table_free(t);
    lake_close(l);
    free(seen);
    if (rc)
        fail_msg("%s", f->failure);
    assert_int_equal(total, TOTAL_ROWS);
    for (int w = 0; w < WRITERS; w++)
        assert_int_equal(visible[w], ROWS_PER_WRITER);
    assert_int_equal(latest_snapshot_id(f), WRITERS * COMMITS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concurrent_appends_are_atomic_and_none_is_lost, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
