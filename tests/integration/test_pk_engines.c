/*
 * Integration test: primary-key tables with each merge engine, written and
 * read through the engine's lake layer against the in-process emulator.
 *
 * For deduplicate (ordered by a sequence.field), partial-update (plain,
 * and with a sequence group whose max-aggregated and plain fields follow
 * its sequence field) and aggregation (sum, listagg, max, bool_or,
 * first_non_null_value) a
 * partitioned table with 3 buckets takes COMMITS commits of random upserts
 * (random keys, random NULLs, now and then an INSERT OVERWRITE of the
 * partitions it touches); after every commit a full scan must equal an
 * in-memory model of the engine, row for row and field for field. The
 * model is written from the engines' definitions, not from our code: it
 * folds each commit's rows into the previous state in arrival order.
 * First-row tables (the first row of a key stays) and deduplicate tables
 * with deletion vectors take the same commits; each write is followed by
 * the compaction that makes it visible. After every commit no bucket holds
 * 5 sorted runs (num-sorted-run.compaction-trigger: writes compact), and
 * after a final full compaction (lake_compact) every bucket is one
 * top-level run whose rows still equal the model.
 */
#include "testutil.h"
#include "test_emu.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/rest_catalog.h"
#include "emulator.h"
#include "lake.h"

#define DB "default"
#define NDT 2
#define NID 12
#define COMMITS 24
#define MAX_ROWS 10

/* id BIGINT NOT NULL, dt STRING NOT NULL, n BIGINT, s STRING, hi INT, flag BOOLEAN, ts BIGINT */
enum { ID, DT, N, S, HI, FLAG, TS, NF };

typedef struct {
    bool present;
    int versions; /* rows of this key since it was (re)created */
    bool null[NF];
    int64_t v[NF];
    char s[512];
} mrow;

typedef struct {
    char *dir;
    test_emu *te;
    lake_config cfg;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir("pk_engines");
    if (test_emu_start(&f->te, f->dir, 8))
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
    free(f);
    return 0;
}

/* Creates `name` with the given options (a JSON object text) and opens it. */
static void create_and_open(fx *f, const char *name, const char *options, lake **l, lake_table **t)
{
    mc_err err;
    if (lake_open(l, &f->cfg, &err))
        fail_msg("lake_open: %s", err.msg);
    char *json = mc_asprintf("{\"fields\":["
                             "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT NOT NULL\"},"
                             "{\"id\":1,\"name\":\"dt\",\"type\":\"STRING NOT NULL\"},"
                             "{\"id\":2,\"name\":\"n\",\"type\":\"BIGINT\"},"
                             "{\"id\":3,\"name\":\"s\",\"type\":\"STRING\"},"
                             "{\"id\":4,\"name\":\"hi\",\"type\":\"INT\"},"
                             "{\"id\":5,\"name\":\"flag\",\"type\":\"BOOLEAN\"},"
                             "{\"id\":6,\"name\":\"ts\",\"type\":\"BIGINT\"}],"
                             "\"partitionKeys\":[\"dt\"],\"primaryKeys\":[\"dt\",\"id\"],\"options\":%s}",
                             options);
    json_error_t je;
    json_t *schema = json_loads(json, 0, &je);
    free(json);
    assert_non_null(schema);
    int rc = rest_create_table(lake_catalog(*l), DB, name, schema, &err);
    json_decref(schema);
    if (rc)
        fail_msg("rest_create_table %s: %s", name, err.msg);
    if (lake_table_load(*l, DB, name, t, &err))
        fail_msg("lake_table_load %s: %s", name, err.msg);
}

static const char *DTS[NDT] = {"a", "b"};

static int dt_index(const paimon_datum *d)
{
    for (int i = 0; i < NDT; i++)
        if (d->len == strlen(DTS[i]) && !memcmp(d->ptr, DTS[i], d->len))
            return i;
    return -1;
}

/* ---- the engines' models ------------------------------------------------------------ */

typedef enum { DEDUP_BY_TS, DEDUP_DV, PARTIAL_UPDATE, PARTIAL_UPDATE_GROUP, AGGREGATION, FIRST_ROW } engine;

/* Sequence field ts: NULL is smallest; a tie goes to the later row. */
static bool ts_wins(const mrow *in, const mrow *cur)
{
    if (in->null[TS])
        return cur->null[TS];
    return cur->null[TS] || in->v[TS] >= cur->v[TS];
}

/* Folds the next version of a key into the merged row. The first version
 * folds into an all-NULL row, as the merge functions start from one. */
static void fold(engine e, mrow *cur, const mrow *in)
{
    if (!cur->present) {
        memset(cur, 0, sizeof *cur);
        for (int c = N; c < NF; c++)
            cur->null[c] = true;
        cur->v[ID] = in->v[ID];
        cur->v[DT] = in->v[DT];
        cur->present = true;
        if (e == DEDUP_BY_TS || e == DEDUP_DV || e == FIRST_ROW) {
            *cur = *in;
            cur->present = true;
            return;
        }
    }
    switch (e) {
    case FIRST_ROW: /* the first row of a key stays */
        break;
    case DEDUP_BY_TS:
    case DEDUP_DV:
        if (ts_wins(in, cur)) {
            *cur = *in;
            cur->present = true;
        }
        break;
    case PARTIAL_UPDATE:
        for (int c = N; c < NF; c++)
            if (!in->null[c]) {
                cur->null[c] = false;
                cur->v[c] = in->v[c];
                if (c == S)
                    snprintf(cur->s, sizeof cur->s, "%s", in->s);
            }
        break;
    case PARTIAL_UPDATE_GROUP:
        /* n and flag: non-null values overwrite. ts orders s and hi; a
         * version without ts leaves them alone; hi takes the max of every
         * version with a ts; s follows the newest ts, NULL included. */
        for (int c = N; c <= FLAG; c += FLAG - N)
            if (!in->null[c])
                cur->v[c] = in->v[c], cur->null[c] = false;
        if (in->null[TS])
            break;
        if (!in->null[HI] && (cur->null[HI] || in->v[HI] > cur->v[HI]))
            cur->v[HI] = in->v[HI], cur->null[HI] = false;
        if (cur->null[TS] || in->v[TS] >= cur->v[TS]) {
            cur->v[TS] = in->v[TS];
            cur->null[TS] = false;
            cur->null[S] = in->null[S];
            snprintf(cur->s, sizeof cur->s, "%s", in->s);
        }
        break;
    case AGGREGATION:
        if (!in->null[N]) /* sum */
            cur->v[N] = cur->null[N] ? in->v[N] : cur->v[N] + in->v[N], cur->null[N] = false;
        if (!in->null[S]) { /* listagg, ',' */
            if (cur->null[S])
                snprintf(cur->s, sizeof cur->s, "%s", in->s);
            else
                snprintf(cur->s + strlen(cur->s), sizeof cur->s - strlen(cur->s), ",%s", in->s);
            cur->null[S] = false;
        }
        if (!in->null[HI] && (cur->null[HI] || in->v[HI] > cur->v[HI])) /* max */
            cur->v[HI] = in->v[HI], cur->null[HI] = false;
        if (!in->null[FLAG]) /* bool_or */
            cur->v[FLAG] = cur->null[FLAG] ? in->v[FLAG] : (cur->v[FLAG] || in->v[FLAG]), cur->null[FLAG] = false;
        if (cur->null[TS] && !in->null[TS]) /* first_non_null_value */
            cur->v[TS] = in->v[TS], cur->null[TS] = false;
        break;
    }
}

static const char *options_of(engine e)
{
    switch (e) {
    case DEDUP_BY_TS:
        return "{\"bucket\":\"3\",\"file.format\":\"parquet\",\"sequence.field\":\"ts\"}";
    case DEDUP_DV:
        return "{\"bucket\":\"3\",\"deletion-vectors.enabled\":\"true\",\"sequence.field\":\"ts\"}";
    case PARTIAL_UPDATE:
        return "{\"bucket\":\"3\",\"file.format\":\"avro\",\"merge-engine\":\"partial-update\"}";
    case PARTIAL_UPDATE_GROUP:
        return "{\"bucket\":\"3\",\"merge-engine\":\"partial-update\",\"fields.ts.sequence-group\":\"s,hi\","
               "\"fields.hi.aggregate-function\":\"max\"}";
    case AGGREGATION:
        return "{\"bucket\":\"3\",\"merge-engine\":\"aggregation\",\"fields.n.aggregate-function\":\"sum\","
               "\"fields.s.aggregate-function\":\"listagg\",\"fields.hi.aggregate-function\":\"max\","
               "\"fields.flag.aggregate-function\":\"bool_or\",\"fields.ts.aggregate-function\":"
               "\"first_non_null_value\"}";
    case FIRST_ROW:
        return "{\"bucket\":\"3\",\"merge-engine\":\"first-row\"}";
    }
    return NULL;
}

/* ---- random commits ------------------------------------------------------------------ */

static void random_row(mrow *r, unsigned *seed)
{
    memset(r, 0, sizeof *r);
    r->v[ID] = rand_r(seed) % NID;
    r->v[DT] = rand_r(seed) % NDT;
    for (int c = N; c < NF; c++)
        r->null[c] = rand_r(seed) % 4 == 0;
    r->v[N] = rand_r(seed) % 201 - 100;
    snprintf(r->s, sizeof r->s, "s%d", rand_r(seed) % 50);
    r->v[HI] = rand_r(seed) % 1000 - 500;
    r->v[FLAG] = rand_r(seed) % 2;
    r->v[TS] = rand_r(seed) % 8;
}

static void to_cells(paimon_datum *cells, const mrow *r)
{
    cells[ID] = paimon_datum_int(r->v[ID]);
    cells[DT] = paimon_datum_bytes(DTS[r->v[DT]], strlen(DTS[r->v[DT]]));
    for (int c = N; c < NF; c++)
        cells[c] = r->null[c] ? paimon_datum_null()
                   : c == S   ? paimon_datum_bytes(r->s, strlen(r->s))
                              : paimon_datum_int(r->v[c]);
}

/* The scan must equal the model exactly: the same keys, the same fields.
 * A key written once reads back as written: a single version is not
 * merged (Java's ReducerMergeFunctionWrapper). */
static void check_scan(lake_table *t, mrow model[NDT][NID], mrow first[NDT][NID], const char *what, int commit)
{
    bool seen[NDT][NID] = {{false}};
    lake_scan *s;
    mc_err err;
    if (lake_scan_open(t, &s, &err))
        fail_msg("%s commit %d: scan open: %s", what, commit, err.msg);
    const paimon_datum *row;
    int r;
    while ((r = lake_scan_next(s, &row, &err)) == 1) {
        int dt = dt_index(&row[DT]);
        int64_t id = row[ID].i;
        if (dt < 0 || id < 0 || id >= NID || seen[dt][id] || !model[dt][id].present)
            fail_msg("%s commit %d: unexpected or repeated row dt=%d id=%lld", what, commit, dt, (long long)id);
        seen[dt][id] = true;
        const mrow *m = model[dt][id].versions == 1 ? &first[dt][id] : &model[dt][id];
        for (int c = N; c < NF; c++) {
            if (row[c].is_null != m->null[c])
                fail_msg("%s commit %d: dt=%s id=%lld column %d is %s, model %s", what, commit, DTS[dt],
                         (long long)id, c, row[c].is_null ? "NULL" : "set", m->null[c] ? "NULL" : "set");
            if (m->null[c])
                continue;
            if (c == S) {
                if (row[c].len != strlen(m->s) || memcmp(row[c].ptr, m->s, row[c].len) != 0)
                    fail_msg("%s commit %d: dt=%s id=%lld s is '%.*s', model '%s'", what, commit, DTS[dt],
                             (long long)id, (int)row[c].len, (const char *)row[c].ptr, m->s);
            } else if (row[c].i != m->v[c]) {
                fail_msg("%s commit %d: dt=%s id=%lld column %d is %lld, model %lld", what, commit, DTS[dt],
                         (long long)id, c, (long long)row[c].i, (long long)m->v[c]);
            }
        }
    }
    lake_scan_close(s);
    if (r < 0)
        fail_msg("%s commit %d: scan: %s", what, commit, err.msg);
    for (int d = 0; d < NDT; d++)
        for (int i = 0; i < NID; i++)
            if (model[d][i].present && !seen[d][i])
                fail_msg("%s commit %d: dt=%s id=%d missing", what, commit, DTS[d], i);
}

/* The LSM shape of every bucket (§6.3): sorted runs are each level-0
 * file and each non-empty level >= 1. After a write no bucket holds
 * num-sorted-run.compaction-trigger (5) runs — the write compacted it —
 * and tables whose batch reads skip level 0 hold no level-0 file. With
 * full set, every bucket must be one run at the top level (5). */
static void check_levels(lake_table *t, bool no_level0, bool full, const char *what, int commit)
{
    paimon_manifest_entry *e;
    size_t n;
    mc_err err;
    if (lake_table_files(t, &e, &n, &err))
        fail_msg("%s commit %d: files: %s", what, commit, err.msg);
    for (size_t i = 0; i < n; i++) {
        int runs = 0;
        bool level_seen[6] = {false};
        for (size_t k = 0; k < n; k++) {
            if (e[k].bucket != e[i].bucket || e[k].partition.len != e[i].partition.len ||
                memcmp(e[k].partition.data, e[i].partition.data, e[i].partition.len) != 0)
                continue;
            int lv = e[k].file.level;
            if (lv < 0 || lv > 5)
                fail_msg("%s commit %d: file at level %d", what, commit, lv);
            runs += lv == 0 || !level_seen[lv];
            level_seen[lv] = true;
        }
        if (runs >= 5 || (no_level0 && level_seen[0]) || (full && (runs != 1 || !level_seen[5])))
            fail_msg("%s commit %d: bucket %d holds %d sorted runs%s", what, commit, e[i].bucket, runs,
                     level_seen[0] ? " with level 0" : "");
    }
    paimon_manifest_entries_free(e, n);
}

static void run_engine(fx *f, engine e, const char *name, unsigned seed)
{
    lake *l;
    lake_table *t;
    create_and_open(f, name, options_of(e), &l, &t);
    mrow model[NDT][NID], first[NDT][NID];
    memset(model, 0, sizeof model);
    int merged = 0; /* rows folded into an existing version of their key */
    for (int c = 0; c < COMMITS; c++) {
        int n = 1 + rand_r(&seed) % MAX_ROWS;
        bool overwrite = c > 0 && rand_r(&seed) % 8 == 0;
        mrow rows[MAX_ROWS];
        paimon_datum cells[MAX_ROWS][NF];
        const paimon_datum *ptrs[MAX_ROWS];
        for (int i = 0; i < n; i++) {
            random_row(&rows[i], &seed);
            to_cells(cells[i], &rows[i]);
            ptrs[i] = cells[i];
        }
        mc_err err;
        if (lake_write(t, ptrs, (size_t)n, overwrite, &err))
            fail_msg("%s commit %d: %s", name, c, err.msg);
        if (overwrite) /* dynamic overwrite: the partitions the rows touch start empty */
            for (int i = 0; i < n; i++)
                for (int k = 0; k < NID; k++)
                    model[rows[i].v[DT]][k].present = false;
        for (int i = 0; i < n; i++) {
            mrow *m = &model[rows[i].v[DT]][rows[i].v[ID]];
            int versions = m->present ? m->versions : 0;
            merged += m->present;
            if (!m->present)
                first[rows[i].v[DT]][rows[i].v[ID]] = rows[i];
            fold(e, m, &rows[i]);
            m->versions = versions + 1;
        }
        check_scan(t, model, first, name, c);
        check_levels(t, e == FIRST_ROW || e == DEDUP_DV, false, name, c);
    }
    /* ALTER TABLE ... COMPACT MAJOR: one top-level run per bucket, the same rows. */
    mc_err err;
    if (lake_compact(t, NULL, true, &err))
        fail_msg("%s: compact: %s", name, err.msg);
    check_levels(t, true, true, name, COMMITS);
    check_scan(t, model, first, name, COMMITS);
    int live = 0;
    for (int d = 0; d < NDT; d++)
        for (int i = 0; i < NID; i++)
            live += model[d][i].present;
    printf("[ pk_engines ] %s: %d commits, %d rows merged into an existing key, %d live keys at the end\n", name,
           COMMITS, merged, live);
    assert_true(merged >= 2 * NID); /* the run exercised the merge, not just inserts */
    lake_table_free(t);
    lake_close(l);
}

static void test_deduplicate_with_sequence_field_matches_the_model(void **state)
{
    run_engine(*state, DEDUP_BY_TS, "dedup_ts", 7);
}

static void test_deduplicate_with_deletion_vectors_matches_the_model(void **state)
{
    run_engine(*state, DEDUP_DV, "dedup_dv", 23);
}

static void test_partial_update_matches_the_model(void **state)
{
    run_engine(*state, PARTIAL_UPDATE, "partial", 11);
}

static void test_partial_update_with_a_sequence_group_matches_the_model(void **state)
{
    run_engine(*state, PARTIAL_UPDATE_GROUP, "partial_group", 17);
}

static void test_aggregation_matches_the_model(void **state)
{
    run_engine(*state, AGGREGATION, "agg", 13);
}

static void test_first_row_matches_the_model(void **state)
{
    run_engine(*state, FIRST_ROW, "first", 19);
}

/* CREATE TABLE through the engine refuses invalid merge options with Java's
 * SchemaValidation text; a table another client created with them anyway
 * (the catalog does not validate, docs/dlf-catalog.md) still fails clearly
 * when it is written or read. */
static void test_invalid_merge_options_are_refused_at_create_write_and_read(void **state)
{
    fx *f = *state;
    const char *bad = "{\"bucket\":\"1\",\"merge-engine\":\"partial-update\",\"fields.n.aggregate-function\":\"sum\"}";
    const char *msg = "Must use sequence group for aggregation functions but not found for field n.";
    lake *l;
    lake_table *t;
    create_and_open(f, "pu_bad", bad, &l, &t);
    mc_err err;
    json_t *schema = json_deep_copy(json_object_get(lake_table_meta(t), "schema"));
    assert_int_equal(lake_table_create(l, DB, "pu_bad2", schema, &err), -1);
    json_decref(schema);
    char *want = mc_asprintf("default.pu_bad2: %s", msg);
    assert_string_equal(err.msg, want);
    free(want);
    paimon_datum row[NF] = {paimon_datum_int(1), paimon_datum_bytes("a", 1), paimon_datum_int(2)};
    for (int i = N + 1; i < NF; i++)
        row[i] = paimon_datum_null();
    const paimon_datum *rows[1] = {row};
    assert_int_equal(lake_write(t, rows, 1, false, &err), -1);
    want = mc_asprintf("default.pu_bad: %s", msg);
    assert_string_equal(err.msg, want);
    lake_scan *sc;
    assert_int_equal(lake_scan_open(t, &sc, &err), -1);
    assert_string_equal(err.msg, want);
    free(want);
    lake_table_free(t);
    lake_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deduplicate_with_sequence_field_matches_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deduplicate_with_deletion_vectors_matches_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_update_matches_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_update_with_a_sequence_group_matches_the_model, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_aggregation_matches_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_row_matches_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_merge_options_are_refused_at_create_write_and_read, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
