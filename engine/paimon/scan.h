/*
 * paimon/scan: reading an append table's rows as of a snapshot, over any
 * file access (reference/paimon-format.md §1 layout, §4.4 reconciliation,
 * §7 data files). No network code: the caller supplies a read function
 * for paths relative to the table root (local files, or OSS through a
 * token FileIO).
 *
 * Planning reads the snapshot's base and delta manifest lists and their
 * manifests and keeps the live files. Rows stream file by file in the
 * current schema's field order; files written under an older schema are
 * mapped by field id through that schema's file, and a column a file lacks
 * reads as NULL (§9). Avro and Parquet data files are read; ORC files
 * fail with MC_ERR_UNSUPPORTED naming what is missing — never wrong rows.
 *
 * Primary-key tables merge on read per (partition, bucket) with the
 * table's merge engine (paimon/merge: deduplicate, partial-update,
 * aggregation; sequence.field ordering); deletion-vector and first-row
 * tables read their level >= 1 files raw (§6.3). Deletion vectors apply
 * to every read of a file, merges over all levels included. The merge
 * streams (paimon/kmerge): a bucket's files are cut into sections of
 * sorted runs by their key ranges and each section is merged by a min-heap
 * over its runs, so a scan holds one open file (one decoded batch: a
 * Parquet row group, an Avro block) per run of the current section and
 * the versions of one key, never a whole bucket.
 */
#ifndef PAIMON_SCAN_H
#define PAIMON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/manifest.h"
#include "paimon/predicate.h"
#include "paimon/schema.h"
#include "paimon/snapshot.h"

/* Reads the whole file at `rel` (relative to the table root) into out. */
typedef int (*paimon_read_fn)(void *ud, const char *rel, mc_buf *out, mc_err *err);

typedef struct {
    paimon_read_fn read;
    void *ud;
} paimon_fileio;

/* Reads len bytes at off of the file at rel into out (replacing its
 * contents), with the ud of the scan's paimon_fileio. */
typedef int (*paimon_read_range_fn)(void *ud, const char *rel, uint64_t off, size_t len, mc_buf *out, mc_err *err);

/* A snapshot with its manifests read and reconciled. */
typedef struct {
    paimon_snapshot *snap;              /* NULL: empty table */
    paimon_manifest_file_meta *metas;   /* base + delta manifest-list records */
    size_t nmetas;
    paimon_manifest_entry *live;        /* live data files */
    size_t nlive;
} paimon_table_state;

/* Takes ownership of snap (may be NULL for an empty table). */
int paimon_table_state_load(paimon_table_state *st, const paimon_fileio *io, paimon_snapshot *snap, mc_err *err);
void paimon_table_state_clear(paimon_table_state *st);

/* Planning with a filter: drops the live files that cannot hold a row
 * matching p (p compiled against schema s): partition pruning from the
 * entries' partitions, and on append tables file skipping by the files'
 * value statistics. Primary-key tables skip only by partition: a file
 * whose stats exclude p may still hold the newest version of a key whose
 * older version would otherwise survive the merge. *dropped counts the
 * files dropped. Rows of the files kept must still be tested with p. */
int paimon_table_state_prune(paimon_table_state *st, const paimon_schema *s, const paimon_pred *p,
                             size_t *dropped, mc_err *err);

/* What planning with a filter read and skipped. */
typedef struct {
    size_t manifests;         /* manifest files the snapshot's lists name */
    size_t manifests_skipped; /* not read: their partition statistics exclude the filter */
    size_t files;             /* live files of the manifests read */
    size_t files_dropped;     /* of those, dropped by paimon_table_state_prune */
} paimon_plan_stats;

/* paimon_table_state_load with a filter p compiled against s: manifests
 * whose partition statistics exclude p are not read (Java's ManifestsReader
 * with a PartitionPredicate; paimon_pred_may_match_manifest), then the live
 * files are pruned as paimon_table_state_prune does. The state's metas stay
 * complete; its live files are only those that may match, so it serves
 * reads, never a write's base. *stats (may be NULL) counts both steps.
 * Skipping is exact: a skipped manifest's entries, ADD or DELETE, all lie
 * in partitions p excludes. */
int paimon_table_state_load_where(paimon_table_state *st, const paimon_fileio *io, paimon_snapshot *snap,
                                  const paimon_schema *s, const paimon_pred *p, paimon_plan_stats *stats,
                                  mc_err *err);

/* "k1=v1/k2=v2/" of an entry's partition (empty for unpartitioned tables). */
int paimon_partition_path_of(mc_buf *out, const paimon_schema *s, const paimon_bytes *partition, mc_err *err);

typedef struct paimon_scan paimon_scan;
/* schema and st are borrowed and must outlive the scan. */
int paimon_scan_open(paimon_scan **out, const paimon_fileio *io, const paimon_schema *schema,
                     const paimon_table_state *st, mc_err *err);
/* The rows of one (partition, bucket) of a primary-key table merged over
 * all its live files, level 0 included, whatever the engine: what a full
 * compaction of the bucket keeps (§6.3). Each row handed out by
 * paimon_scan_next then carries _SEQUENCE_NUMBER and _VALUE_KIND after the
 * schema's fields, and stays valid until the scan is closed. */
int paimon_scan_open_bucket(paimon_scan **out, const paimon_fileio *io, const paimon_schema *schema,
                            const paimon_table_state *st, const paimon_bytes *partition, int32_t bucket,
                            mc_err *err);
/* Projection: only the fields with want[i] set (schema->nfields entries,
 * copied) are read; the others read as NULL. The scan widens it with what
 * merging needs (the primary key, and paimon_merge_fields_needed). A
 * Parquet file of which a column is left out is read in ranged mode when
 * the scan has a range reader (paimon_parquet_reader_open_ranged): the
 * left-out columns' chunks are neither fetched nor decoded. Call before
 * the first paimon_scan_next. */
void paimon_scan_project(paimon_scan *s, const bool *want);
/* Lets projected Parquet reads fetch byte ranges (NULL: files are read whole). */
void paimon_scan_read_ranges(paimon_scan *s, paimon_read_range_fn read_range);
/* Skips up to n rows by whole files, before any row is read: the leading
 * live files of an append table whose row counts (file metadata) fit in n
 * are passed over unread. *skipped gets the rows passed over (0 on a
 * primary-key table, whose row counts merging changes). */
void paimon_scan_skip_files(paimon_scan *s, int64_t n, int64_t *skipped);
/* 1 with *row (schema field order, valid until the next call), 0 at the end, -1 on error. */
int paimon_scan_next(paimon_scan *s, const paimon_datum **row, mc_err *err);

/* What merge-on-read has held so far: its memory is bounded by the runs of
 * a section, not by the size of a bucket. */
typedef struct {
    size_t sections;       /* sections of the buckets opened */
    size_t max_runs;       /* most sorted runs in one section */
    size_t max_open_files; /* most data files open at once */
    size_t max_rows;       /* most rows held at once: the runs' current rows and one key's versions */
} paimon_merge_stats;
const paimon_merge_stats *paimon_scan_merge_stats(const paimon_scan *s);
void paimon_scan_close(paimon_scan *s);

#endif
