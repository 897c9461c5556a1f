/*
 * paimon/kmerge: the streaming merge of a primary-key bucket's sorted runs
 * (reference/paimon-format.md §6.3; docs/paimon-format-notes.md
 * "Merge-on-read"), as Java's mergetree reads them.
 *
 * Two pieces, both free of file access so they can be tested alone:
 *
 * - paimon_interval_partition: Java's IntervalPartition. Files sorted by
 *   (min key, max key) are cut into sections whose key ranges do not
 *   overlap, and each section's files are packed greedily into the fewest
 *   sorted runs (files of a run do not overlap and are in key order). A
 *   reader merges one section at a time, so it holds at most one open file
 *   per run of the current section, never every file of the bucket.
 *
 * - paimon_kmerge: Java's SortMergeReaderWithMinHeap. A min-heap over the
 *   runs' current rows ordered by key, then version (sequence field, then
 *   sequence number); each call hands out all versions of the smallest key,
 *   copied, in version order, ready for paimon_merge_key. It holds one
 *   current row per run plus the copied versions of one key group.
 *
 * Rows are arrays of `width` datums; comparisons go through the caller's
 * callbacks. Invariant between calls: every run not at its end has exactly
 * one current row in the heap, and that row is valid until the kmerge asks
 * its run for the next one.
 */
#ifndef PAIMON_KMERGE_H
#define PAIMON_KMERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "mc_err.h"
#include "paimon/types.h"

/* <0, 0, >0 like strcmp. */
typedef int (*paimon_row_cmp_fn)(void *ctx, const paimon_datum *a, const paimon_datum *b);

/* ---- sections and sorted runs (IntervalPartition) ----------------------------- */

typedef struct {
    size_t *files; /* indices into the input, in key order */
    size_t n;
} paimon_sorted_run;

typedef struct {
    paimon_sorted_run *runs;
    size_t nruns;
} paimon_section;

/* Partitions files 0..n-1 whose key ranges are min[i]..max[i] (compared
 * with cmp) into sections in key order, each a set of sorted runs. Sorting
 * is stable; runs of a section are in the order they were opened. */
void paimon_interval_partition(paimon_section **out, size_t *nout, const paimon_datum *const *min,
                               const paimon_datum *const *max, size_t n, paimon_row_cmp_fn cmp, void *ctx);
void paimon_sections_free(paimon_section *s, size_t n);

/* ---- the k-way merge (SortMergeReaderWithMinHeap) ----------------------------- */

/* Next row of run `run`: 1 with *row (width datums, valid until the next
 * call for that run), 0 at its end, -1 on error. */
typedef int (*paimon_run_next_fn)(void *ud, size_t run, const paimon_datum **row, mc_err *err);

typedef struct {
    size_t width;                 /* datums per row */
    paimon_row_cmp_fn key_cmp;    /* the primary key */
    paimon_row_cmp_fn version_cmp; /* versions of one key: oldest first */
    void *cmp_ctx;
    paimon_run_next_fn next;
    void *next_ud;
} paimon_kmerge_source;

typedef struct paimon_kmerge paimon_kmerge;

/* Reads the first row of each of nruns runs. */
int paimon_kmerge_open(paimon_kmerge **out, const paimon_kmerge_source *src, size_t nruns, mc_err *err);
/* 1 with the versions of the next key (*n >= 1, oldest first; copies that
 * own their bytes, valid until the next call), 0 at the end, -1 on error. */
int paimon_kmerge_next(paimon_kmerge *k, const paimon_datum *const **versions, size_t *n, mc_err *err);
/* The most rows held at once so far: current rows of the runs plus the
 * copied versions of a key group. */
size_t paimon_kmerge_peak_rows(const paimon_kmerge *k);
void paimon_kmerge_close(paimon_kmerge *k);

/* A deep copy of row[0..width) in one allocation (free() it): the datums,
 * then the bytes their strings, binaries and nested values point to. */
paimon_datum *paimon_row_dup(const paimon_datum *row, size_t width);

#endif
