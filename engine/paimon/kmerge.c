/* paimon/kmerge: see kmerge.h. Java classes named are in
 * org.apache.paimon.mergetree(.compact). */
#include "paimon/kmerge.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* ---- sections and sorted runs ----------------------------------------------------- */

typedef struct {
    const paimon_datum *const *min, *const *max;
    paimon_row_cmp_fn cmp;
    void *ctx;
} range_ctx;

/* IntervalPartition's file order: by min key, then max key. */
static int range_cmp(const range_ctx *c, size_t a, size_t b)
{
    int r = c->cmp(c->ctx, c->min[a], c->min[b]);
    return r ? r : c->cmp(c->ctx, c->max[a], c->max[b]);
}

/* Stable merge sort of idx[0..n) (Java's List.sort is stable). */
static void sort_ranges(const range_ctx *c, size_t *idx, size_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_ranges(c, idx, tmp, h);
    sort_ranges(c, idx + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = range_cmp(c, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

/* IntervalPartition.partition(List<DataFileMeta>): each file (in key order)
 * joins the run whose last file has the smallest max key if that key is
 * below the file's min key, else opens a new run. */
static paimon_section pack_runs(const range_ctx *c, const size_t *files, size_t n)
{
    paimon_section sec = {mc_calloc(n, sizeof *sec.runs), 0};
    for (size_t i = 0; i < n; i++) {
        size_t f = files[i], best = 0;
        for (size_t r = 1; r < sec.nruns; r++) {
            const paimon_sorted_run *a = &sec.runs[r], *b = &sec.runs[best];
            if (c->cmp(c->ctx, c->max[a->files[a->n - 1]], c->max[b->files[b->n - 1]]) < 0)
                best = r;
        }
        paimon_sorted_run *run = &sec.runs[best];
        if (sec.nruns == 0 || c->cmp(c->ctx, c->min[f], c->max[run->files[run->n - 1]]) <= 0) {
            run = &sec.runs[sec.nruns++];
            run->files = mc_calloc(n, sizeof *run->files);
        }
        run->files[run->n++] = f;
    }
    return sec;
}

void paimon_interval_partition(paimon_section **out, size_t *nout, const paimon_datum *const *min,
                               const paimon_datum *const *max, size_t n, paimon_row_cmp_fn cmp, void *ctx)
{
    range_ctx c = {min, max, cmp, ctx};
    size_t *idx = mc_calloc(n + 1, sizeof *idx), *tmp = mc_calloc(n + 1, sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_ranges(&c, idx, tmp, n);
    *out = mc_calloc(n + 1, sizeof **out);
    *nout = 0;
    /* A file whose min key lies above the section's right bound starts a new section. */
    size_t start = 0;
    const paimon_datum *bound = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t f = idx[i];
        if (bound && cmp(ctx, min[f], bound) > 0) {
            (*out)[(*nout)++] = pack_runs(&c, idx + start, i - start);
            start = i;
            bound = NULL;
        }
        if (!bound || cmp(ctx, max[f], bound) > 0)
            bound = max[f];
    }
    if (n)
        (*out)[(*nout)++] = pack_runs(&c, idx + start, n - start);
    free(idx);
    free(tmp);
}

void paimon_sections_free(paimon_section *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        for (size_t r = 0; r < s[i].nruns; r++)
            free(s[i].runs[r].files);
        free(s[i].runs);
    }
    free(s);
}

/* ---- row copies ------------------------------------------------------------------ */

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

paimon_datum *paimon_row_dup(const paimon_datum *row, size_t width)
{
    size_t head = align8(width * sizeof *row), bytes = 0;
    for (size_t i = 0; i < width; i++)
        if (!row[i].is_null && row[i].ptr)
            bytes += align8(row[i].len);
    paimon_datum *copy = mc_calloc(1, head + bytes + 1);
    memcpy(copy, row, width * sizeof *row);
    uint8_t *p = (uint8_t *)copy + head;
    for (size_t i = 0; i < width; i++) {
        if (row[i].is_null || !row[i].ptr)
            continue;
        if (row[i].len)
            memcpy(p, row[i].ptr, row[i].len);
        copy[i].ptr = p;
        p += align8(row[i].len);
    }
    return copy;
}

/* ---- the k-way merge ------------------------------------------------------------ */

struct paimon_kmerge {
    paimon_kmerge_source src;
    const paimon_datum **cur; /* per run: its current row */
    size_t *heap;             /* runs not at their end, a min-heap by (key, version, run) */
    size_t nheap;
    paimon_datum **group;     /* copied versions of the key handed out last */
    size_t ngroup, capgroup;
    size_t peak;
};

static int order(const paimon_kmerge *k, size_t a, size_t b)
{
    const paimon_kmerge_source *s = &k->src;
    int c = s->key_cmp(s->cmp_ctx, k->cur[a], k->cur[b]);
    if (c == 0)
        c = s->version_cmp(s->cmp_ctx, k->cur[a], k->cur[b]);
    return c ? c : (a < b ? -1 : a > b);
}

static void sift_down(paimon_kmerge *k, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < k->nheap && order(k, k->heap[l], k->heap[m]) < 0)
            m = l;
        if (l + 1 < k->nheap && order(k, k->heap[l + 1], k->heap[m]) < 0)
            m = l + 1;
        if (m == i)
            return;
        size_t t = k->heap[i];
        k->heap[i] = k->heap[m];
        k->heap[m] = t;
        i = m;
    }
}

static void push(paimon_kmerge *k, size_t run)
{
    size_t i = k->nheap++;
    k->heap[i] = run;
    while (i && order(k, k->heap[i], k->heap[(i - 1) / 2]) < 0) {
        size_t p = (i - 1) / 2, t = k->heap[i];
        k->heap[i] = k->heap[p];
        k->heap[p] = t;
        i = p;
    }
}

/* Reads the next row of `run` and puts the run back in the heap unless it ended. */
static int advance(paimon_kmerge *k, size_t run, mc_err *err)
{
    int r = k->src.next(k->src.next_ud, run, &k->cur[run], err);
    if (r > 0) {
        assert(k->cur[run] && k->nheap < SIZE_MAX);
        push(k, run);
    }
    return r < 0 ? -1 : 0;
}

int paimon_kmerge_open(paimon_kmerge **out, const paimon_kmerge_source *src, size_t nruns, mc_err *err)
{
    paimon_kmerge *k = mc_calloc(1, sizeof *k);
    k->src = *src;
    k->cur = mc_calloc(nruns + 1, sizeof *k->cur);
    k->heap = mc_calloc(nruns + 1, sizeof *k->heap);
    for (size_t r = 0; r < nruns; r++)
        if (advance(k, r, err)) {
            paimon_kmerge_close(k);
            *out = NULL;
            return -1;
        }
    k->peak = k->nheap;
    *out = k;
    return 0;
}

static void group_clear(paimon_kmerge *k)
{
    for (size_t i = 0; i < k->ngroup; i++)
        free(k->group[i]);
    k->ngroup = 0;
}

int paimon_kmerge_next(paimon_kmerge *k, const paimon_datum *const **versions, size_t *n, mc_err *err)
{
    group_clear(k);
    if (k->nheap == 0)
        return 0;
    /* Pop every current row with the smallest key, copying it before its run
     * moves on. A run that repeats a key (Java assumes none does) puts its
     * next version back in the heap and it joins the same group. */
    do {
        size_t run = k->heap[0];
        k->heap[0] = k->heap[--k->nheap];
        sift_down(k, 0);
        if (k->ngroup == k->capgroup) {
            k->capgroup = k->capgroup ? 2 * k->capgroup : 8;
            k->group = mc_realloc(k->group, k->capgroup * sizeof *k->group);
        }
        k->group[k->ngroup++] = paimon_row_dup(k->cur[run], k->src.width);
        k->cur[run] = NULL;
        if (advance(k, run, err))
            return -1;
    } while (k->nheap && k->src.key_cmp(k->src.cmp_ctx, k->cur[k->heap[0]], k->group[0]) == 0);
    if (k->ngroup + k->nheap > k->peak)
        k->peak = k->ngroup + k->nheap;
    /* Versions popped after a repeat may be older: insertion sort, stable. */
    for (size_t i = 1; i < k->ngroup; i++) {
        paimon_datum *v = k->group[i];
        size_t j = i;
        for (; j && k->src.version_cmp(k->src.cmp_ctx, k->group[j - 1], v) > 0; j--)
            k->group[j] = k->group[j - 1];
        k->group[j] = v;
    }
    *versions = (const paimon_datum *const *)k->group;
    *n = k->ngroup;
    return 1;
}

size_t paimon_kmerge_peak_rows(const paimon_kmerge *k) { return k->peak; }

void paimon_kmerge_close(paimon_kmerge *k)
{
    if (!k)
        return;
    group_clear(k);
    free(k->group);
    free(k->cur);
    free(k->heap);
    free(k);
}
