/*
 * Unit tests for paimon/kmerge: the section partitioning against Java's
 * IntervalPartitionTest (its three fixed cases and its random property),
 * and the k-way merge over synthetic sorted runs against a model (sort
 * everything, group by key), with the rows it holds bounded by the runs.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/kmerge.h"

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33) % n;
}

static int int_cmp(void *ctx, const paimon_datum *a, const paimon_datum *b)
{
    (void)ctx;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* ---- IntervalPartition ------------------------------------------------------------ */

typedef struct {
    paimon_datum min[64], max[64];
    const paimon_datum *pmin[64], *pmax[64];
    size_t n;
} ranges;

/* "[a, b], [c, d], ..." as in Java's IntervalPartitionTest.parseMetas. */
static void parse_ranges(ranges *r, const char *in)
{
    memset(r, 0, sizeof *r);
    long a, b;
    int used;
    while (sscanf(in, " [%ld, %ld]%n", &a, &b, &used) == 2) {
        r->min[r->n] = paimon_datum_int(a);
        r->max[r->n] = paimon_datum_int(b);
        r->pmin[r->n] = &r->min[r->n];
        r->pmax[r->n] = &r->max[r->n];
        r->n++;
        in += used;
        if (*in == ',')
            in++;
    }
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sections one a line, runs "[a, b], [c, d]" joined by " | " in sorted
 * order (Java compares runs of a section as a multiset). */
static void render(mc_buf *out, const ranges *r, const paimon_section *secs, size_t nsecs)
{
    mc_buf_reset(out);
    for (size_t s = 0; s < nsecs; s++) {
        char **runs = mc_calloc(secs[s].nruns + 1, sizeof *runs);
        for (size_t k = 0; k < secs[s].nruns; k++) {
            mc_buf b = MC_BUF_INIT;
            for (size_t f = 0; f < secs[s].runs[k].n; f++) {
                size_t i = secs[s].runs[k].files[f];
                mc_buf_printf(&b, "%s[%lld, %lld]", f ? ", " : "", (long long)r->min[i].i, (long long)r->max[i].i);
            }
            runs[k] = strdup(mc_buf_cstr(&b));
            mc_buf_free(&b);
        }
        qsort(runs, secs[s].nruns, sizeof *runs, str_cmp);
        if (s)
            mc_buf_append(out, "\n", 1);
        for (size_t k = 0; k < secs[s].nruns; k++) {
            mc_buf_printf(out, "%s%s", k ? " | " : "", runs[k]);
            free(runs[k]);
        }
        free(runs);
    }
}

static void check_partition(const char *in, const char *expected)
{
    ranges r;
    parse_ranges(&r, in);
    paimon_section *secs;
    size_t n;
    paimon_interval_partition(&secs, &n, r.pmin, r.pmax, r.n, int_cmp, NULL);
    mc_buf out = MC_BUF_INIT;
    render(&out, &r, secs, n);
    assert_string_equal(mc_buf_cstr(&out), expected);
    mc_buf_free(&out);
    paimon_sections_free(secs, n);
}

static void test_interval_partition_matches_java_cases(void **state)
{
    (void)state;
    /* IntervalPartitionTest.testSameMinKey, testSameMaxKey, testSectionPartitioning. */
    check_partition("[100, 200], [100, 400], [100, 300], [100, 500]",
                    "[100, 200] | [100, 300] | [100, 400] | [100, 500]");
    check_partition("[100, 500], [300, 500], [200, 500], [400, 500]",
                    "[100, 500] | [200, 500] | [300, 500] | [400, 500]");
    check_partition("[0, 9], [5, 7], [9, 15], [16, 22], [16, 28], [24, 32]",
                    "[0, 9] | [5, 7], [9, 15]\n[16, 22], [24, 32] | [16, 28]");
    /* Touching ranges share a key: same section, different runs. */
    check_partition("[0, 5], [5, 9], [10, 12]", "[0, 5] | [5, 9]\n[10, 12]");
    check_partition("", "");
}

/* IntervalPartitionTest.randomTest: intervals drawn as up to 10 sorted runs;
 * no section needs more runs than that, every run is sorted without
 * overlap; besides, sections are disjoint, ordered, and cover every file once. */
static void test_interval_partition_random_property(void **state)
{
    (void)state;
    rng_state = 7;
    for (int round = 0; round < 200; round++) {
        ranges r;
        memset(&r, 0, sizeof r);
        size_t nruns = rnd(6) + 1;
        for (size_t k = 0; k < nruns; k++) {
            size_t nint = rnd(10) + 1;
            bool used[1000] = {0};
            int pts[20], np = 0;
            while (np < (int)(2 * nint)) {
                int x = (int)rnd(1000);
                if (!used[x]) {
                    used[x] = true;
                    pts[np++] = x;
                }
            }
            for (int i = 1; i < np; i++) /* insertion sort: the points in order */
                for (int j = i; j && pts[j - 1] > pts[j]; j--) {
                    int t = pts[j];
                    pts[j] = pts[j - 1];
                    pts[j - 1] = t;
                }
            for (int j = 0; j < np; j += 2) {
                r.min[r.n] = paimon_datum_int(pts[j]);
                r.max[r.n] = paimon_datum_int(pts[j + 1]);
                r.pmin[r.n] = &r.min[r.n];
                r.pmax[r.n] = &r.max[r.n];
                r.n++;
            }
        }
        paimon_section *secs;
        size_t n;
        paimon_interval_partition(&secs, &n, r.pmin, r.pmax, r.n, int_cmp, NULL);
        int seen[64] = {0};
        int64_t prev_hi = -1;
        for (size_t s = 0; s < n; s++) {
            assert_true(secs[s].nruns >= 1 && secs[s].nruns <= nruns);
            int64_t lo = INT64_MAX, hi = -1;
            for (size_t k = 0; k < secs[s].nruns; k++) {
                const paimon_sorted_run *run = &secs[s].runs[k];
                assert_true(run->n >= 1);
                for (size_t f = 0; f < run->n; f++) {
                    size_t i = run->files[f];
                    seen[i]++;
                    if (f)
                        assert_true(r.max[run->files[f - 1]].i < r.min[i].i);
                    lo = r.min[i].i < lo ? r.min[i].i : lo;
                    hi = r.max[i].i > hi ? r.max[i].i : hi;
                }
            }
            assert_true(lo > prev_hi);
            prev_hi = hi;
        }
        for (size_t i = 0; i < r.n; i++)
            assert_int_equal(seen[i], 1);
        paimon_sections_free(secs, n);
    }
}

/* ---- the k-way merge -------------------------------------------------------------- */

/* A synthetic sorted run: (key, seq) pairs; the value is the string "k<key>s<seq>". */
typedef struct {
    int64_t key[4096], seq[4096];
    size_t n, next;
    paimon_datum row[3]; /* handed out; overwritten by the next call, like a reader's */
    char text[32];
} synth_run;

typedef struct {
    synth_run *runs;
    size_t nruns;
} synth;

static int synth_next(void *ud, size_t i, const paimon_datum **row, mc_err *err)
{
    (void)err;
    synth_run *r = &((synth *)ud)->runs[i];
    if (r->next == r->n)
        return 0;
    size_t k = r->next++;
    snprintf(r->text, sizeof r->text, "k%llds%lld", (long long)r->key[k], (long long)r->seq[k]);
    r->row[0] = paimon_datum_int(r->key[k]);
    r->row[1] = paimon_datum_bytes(r->text, strlen(r->text));
    r->row[2] = paimon_datum_int(r->seq[k]);
    *row = r->row;
    return 1;
}

static int seq_cmp(void *ctx, const paimon_datum *a, const paimon_datum *b) { return int_cmp(ctx, &a[2], &b[2]); }

/* The merge's groups as "key:v,v;" text. */
static size_t merge_text(mc_buf *out, synth *sy)
{
    paimon_kmerge_source src = {3, int_cmp, seq_cmp, NULL, synth_next, sy};
    paimon_kmerge *k;
    mc_err err;
    assert_int_equal(paimon_kmerge_open(&k, &src, sy->nruns, &err), 0);
    const paimon_datum *const *v;
    size_t n;
    int r;
    mc_buf_reset(out);
    while ((r = paimon_kmerge_next(k, &v, &n, &err)) == 1) {
        mc_buf_printf(out, "%lld:", (long long)v[0][0].i);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(v[i][0].i, v[0][0].i);
            mc_buf_printf(out, "%s%.*s", i ? "," : "", (int)v[i][1].len, (const char *)v[i][1].ptr);
        }
        mc_buf_append(out, ";", 1);
    }
    assert_int_equal(r, 0);
    size_t peak = paimon_kmerge_peak_rows(k);
    paimon_kmerge_close(k);
    return peak;
}

typedef struct {
    int64_t key, seq;
} kv_pair;

static int pair_cmp(const void *a, const void *b)
{
    const kv_pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The model: every row sorted by (key, seq), grouped by key. */
static void model_text(mc_buf *out, const synth *sy)
{
    size_t total = 0;
    for (size_t i = 0; i < sy->nruns; i++)
        total += sy->runs[i].n;
    kv_pair *all = mc_calloc(total + 1, sizeof *all);
    size_t m = 0;
    for (size_t i = 0; i < sy->nruns; i++)
        for (size_t k = 0; k < sy->runs[i].n; k++)
            all[m++] = (kv_pair){sy->runs[i].key[k], sy->runs[i].seq[k]};
    qsort(all, total, sizeof *all, pair_cmp);
    mc_buf_reset(out);
    for (size_t i = 0; i < total; i++) {
        bool first = i == 0 || all[i - 1].key != all[i].key;
        if (first)
            mc_buf_printf(out, "%s%lld:", i ? ";" : "", (long long)all[i].key);
        mc_buf_printf(out, "%sk%llds%lld", first ? "" : ",", (long long)all[i].key, (long long)all[i].seq);
    }
    if (total)
        mc_buf_append(out, ";", 1);
    free(all);
}

static void test_kmerge_groups_versions_like_a_model(void **state)
{
    (void)state;
    rng_state = 11;
    mc_buf got = MC_BUF_INIT, want = MC_BUF_INIT;
    for (int round = 0; round < 100; round++) {
        synth sy = {mc_calloc(8, sizeof(synth_run)), rnd(8) + 1};
        int64_t seq = 0;
        for (size_t i = 0; i < sy.nruns; i++) {
            synth_run *r = &sy.runs[i];
            /* Sorted keys; a few rounds repeat a key inside a run (Java
             * assumes none does; such versions must still group). */
            int64_t key = rnd(5);
            r->n = rnd(40);
            for (size_t k = 0; k < r->n; k++) {
                r->key[k] = key;
                r->seq[k] = seq++ * 7 % 1000 + (int64_t)i; /* unordered across runs */
                key += (round % 10 == 0) ? rnd(2) : 1 + rnd(4);
            }
        }
        merge_text(&got, &sy);
        model_text(&want, &sy);
        assert_string_equal(mc_buf_cstr(&got), mc_buf_cstr(&want));
        free(sy.runs);
    }
    mc_buf_free(&got);
    mc_buf_free(&want);
}

/* nruns runs of keys 0..nkeys-1, sequence numbers increasing run by run. */
static synth same_keys(size_t nruns, size_t nkeys)
{
    synth sy = {mc_calloc(nruns, sizeof(synth_run)), nruns};
    for (size_t i = 0; i < nruns; i++) {
        sy.runs[i].n = nkeys;
        for (size_t k = 0; k < nkeys; k++) {
            sy.runs[i].key[k] = (int64_t)k;
            sy.runs[i].seq[k] = (int64_t)(i * nkeys + k);
        }
    }
    return sy;
}

/* 8 runs of the same 4000 keys: 32000 rows, of which the merge holds at
 * most one current row per run plus one key's 8 versions. */
static void test_kmerge_holds_one_row_per_run_and_one_group(void **state)
{
    (void)state;
    synth sy = same_keys(8, 4000);
    mc_buf got = MC_BUF_INIT, want = MC_BUF_INIT;
    assert_int_equal(merge_text(&got, &sy), 16);
    model_text(&want, &sy);
    assert_string_equal(mc_buf_cstr(&got), mc_buf_cstr(&want));
    free(sy.runs);
    mc_buf_free(&got);
    mc_buf_free(&want);
}

static int failing_next(void *ud, size_t i, const paimon_datum **row, mc_err *err)
{
    synth *sy = ud;
    if (i == 1 && sy->runs[1].next == 2)
        return mc_err_set(err, MC_ERR_PROTOCOL, "run %zu is truncated", i);
    return synth_next(ud, i, row, err);
}

static void test_kmerge_passes_a_run_error_on(void **state)
{
    (void)state;
    synth sy = same_keys(2, 3);
    paimon_kmerge_source src = {3, int_cmp, seq_cmp, NULL, failing_next, &sy};
    paimon_kmerge *k;
    mc_err err;
    assert_int_equal(paimon_kmerge_open(&k, &src, 2, &err), 0);
    const paimon_datum *const *v;
    size_t n;
    assert_int_equal(paimon_kmerge_next(k, &v, &n, &err), 1); /* key 0 from both runs */
    assert_int_equal(n, 2);
    assert_int_equal(paimon_kmerge_next(k, &v, &n, &err), -1); /* run 1 fails reading its third row */
    assert_string_equal(err.msg, "run 1 is truncated");
    paimon_kmerge_close(k);
    free(sy.runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_partition_matches_java_cases),
        cmocka_unit_test(test_interval_partition_random_property),
        cmocka_unit_test(test_kmerge_groups_versions_like_a_model),
        cmocka_unit_test(test_kmerge_holds_one_row_per_run_and_one_group),
        cmocka_unit_test(test_kmerge_passes_a_run_error_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
