/*
 * paimon/writer: turns rows destined for an append table into a commit
 * plan — the data files, the delta manifest, the base and delta manifest
 * lists, and the next snapshot — exactly as Java Paimon's batch write would
 * lay them out (reference/paimon-format.md §1 layout and names, §4 records,
 * §6.5 commit protocol, §8 statistics). It performs no I/O: the caller
 * uploads `files` (through whatever file system or token FileIO it has) and
 * then commits `snapshot` (REST catalog commit, or snapshot file + LATEST on
 * a file system). Nothing becomes visible until that commit.
 *
 * Rows are arrays of paimon_datum in schema field order; strings and bytes
 * are borrowed from the caller for the duration of the call.
 *
 * Scope: append tables (no primary key), bucket -1 (unaware) and fixed
 * buckets; APPEND and OVERWRITE commits.
 *
 * Rolling: each (partition, bucket)'s rows go through a rolling writer as
 * Java's RollingFileWriterImpl does: a file closes when it reaches
 * target-file-size (a MemorySize; default 128 MB with a primary key, 256 MB
 * without) at a 1000-record checkpoint, or holds target-file-row-num rows.
 *
 * Primary-key tables with fixed buckets (§6.1-6.2): rows go to the bucket
 * of their bucket key (§5.3); the rows of one plan are merged per key with
 * the table's merge engine (paimon/merge: deduplicate, partial-update,
 * aggregation, ordered by sequence.field when set), sorted by key and
 * written as level-0 key-value files per (partition, bucket) (one, unless
 * it rolls: then consecutive key ranges, each file its own run), all +I,
 * with sequence numbers continuing from the bucket's live files (from 0 on
 * OVERWRITE). Readers merge them with older files by key (merge-on-read).
 * Batch reads of first-row and deletion-vector tables skip level 0
 * (§6.3): their writers follow each write with a full compaction of the
 * buckets written (paimon_compact_plan_build), which is where a first-row
 * table drops a row whose key already exists.
 * Refused with MC_ERR_UNSUPPORTED: Dynamic Bucket (-1), Postpone (-2) and
 * Cross Partition (primary key lacking a partition key) tables and
 * changelog producers.
 */
#ifndef PAIMON_WRITER_H
#define PAIMON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/manifest.h"
#include "paimon/scan.h"
#include "paimon/schema.h"
#include "paimon/snapshot.h"

/* Encodes rows into one data file of a format. compression is the
 * `file.compression` option (NULL = the format's default). */
typedef int (*paimon_encode_fn)(mc_buf *out, const paimon_schema *s, const paimon_datum *const *rows, size_t n,
                                const char *compression, mc_err *err);

/* Avro data files (§7.3), built on the Avro container writer. */
int paimon_encode_avro(mc_buf *out, const paimon_schema *s, const paimon_datum *const *rows, size_t n,
                       const char *compression, mc_err *err);

typedef struct {
    const paimon_schema *schema;        /* the table's current schema */
    const paimon_datum *const *rows;
    size_t nrows;
    bool overwrite;                     /* INSERT OVERWRITE */
    /* Overwrite scope: NULL = the partitions present in rows (dynamic), or
     * the whole table when it is unpartitioned; else exactly this partition
     * (serialized partition BinaryRow, §5.2), for a static PARTITION spec. */
    const paimon_bytes *overwrite_partition;
    const paimon_snapshot *latest;      /* NULL for an empty table */
    const paimon_manifest_file_meta *prev_manifests; /* latest's base + delta records */
    size_t nprev;
    const paimon_manifest_entry *live;  /* latest's live entries (reconciled) */
    size_t nlive;
    const char *commit_user;            /* NULL: a fresh UUID */
    int64_t now_ms;                     /* commit wall time (epoch ms) */
    int64_t local_offset_ms;            /* local time - UTC, for _CREATION_TIME (§4.3) */
    paimon_encode_fn encode;            /* NULL: by file.format (avro; parquet when available) */
    /* Reads latest's index manifest: an overwrite drops the index entries
     * (deletion vectors) of the partitions it overwrites. NULL: an overwrite
     * of a table with an index manifest fails. */
    const paimon_fileio *io;
} paimon_write_input;

typedef struct {
    char *path;     /* relative to the table root: "dt=1/bucket-0/data-<uuid>-0.avro", "manifest/..." */
    mc_buf data;
} paimon_out_file;

/* One partition's change, for the REST commit's statistics (paimon-rest.md §4). */
typedef struct {
    paimon_option *spec;   /* partition key -> value text */
    size_t nspec;
    int64_t record_count;
    int64_t file_size;
    int64_t file_count;
    int64_t last_file_creation_time;
} paimon_partition_delta;

/* One (partition, bucket) of a table; partition is a serialized BinaryRow (§5.2). */
typedef struct {
    paimon_bytes partition;
    int32_t bucket;
} paimon_bucket_ref;

typedef struct {
    paimon_out_file *files;   /* data files first, then manifest, then manifest lists */
    size_t nfiles;
    paimon_snapshot *snapshot;
    paimon_partition_delta *partitions;
    size_t npartitions;
    paimon_bucket_ref *buckets; /* the buckets the plan added files to (owned) */
    size_t nbuckets;
} paimon_write_plan;

int paimon_write_plan_build(paimon_write_plan *out, const paimon_write_input *in, mc_err *err);
void paimon_write_plan_clear(paimon_write_plan *p);

/* True for tables whose written rows stay invisible to batch reads until
 * a compaction moves them out of level 0: first-row tables and tables with
 * deletion vectors (§6.3). Their writers follow each write's commit with a
 * PAIMON_COMPACT_LEVEL0 compaction of the buckets written. */
bool paimon_write_needs_compaction(const paimon_schema *s);

/* Which buckets a compaction rewrites. Every picked bucket is compacted
 * fully: its live files merge over all levels into one top-level file.
 * Java's writer instead runs universal compaction, which may merge only
 * some sorted runs (docs/paimon-format-notes.md, compaction). */
typedef enum {
    PAIMON_COMPACT_LEVEL0,  /* buckets holding a level-0 file */
    PAIMON_COMPACT_TRIGGER, /* buckets whose sorted runs (each level-0 file, each non-empty level >= 1)
                             * reach num-sorted-run.compaction-trigger (default 5) */
    PAIMON_COMPACT_FULL,    /* every bucket not already one top-level run without deletion vectors */
} paimon_compact_pick;

typedef struct {
    paimon_compact_pick pick;
    const paimon_bytes *partition;  /* non-NULL: only buckets of this partition */
    const paimon_bucket_ref *only;  /* nonly > 0: only these buckets */
    size_t nonly;
} paimon_compact_scope;

/* Whether a plan built from in, once committed, leaves a bucket it wrote
 * with num-sorted-run.compaction-trigger sorted runs (its new level-0 file
 * on top of in's live files): PAIMON_COMPACT_TRIGGER would pick it. Lets
 * a writer skip re-reading the table after most commits. */
bool paimon_write_reaches_trigger(const paimon_write_input *in, const paimon_write_plan *written);

/* A COMPACT commit (§6.5) that fully compacts the buckets of a
 * primary-key table that scope picks (NULL: PAIMON_COMPACT_LEVEL0 over the
 * table), as Java's full compaction does: the bucket's live files merge
 * over all levels with the table's merge engine and deletion vectors
 * (paimon_scan_open_bucket, read through io) into one file at the top
 * level (num-levels - 1, file source COMPACT) keeping each row's sequence
 * number, and are deleted; their deletion-vector index files leave the
 * index manifest. Uses in's schema, snapshot, manifests, live files, time
 * and commit user; not its rows. Leaves *out empty (no snapshot) when no
 * bucket is picked. */
int paimon_compact_plan_build(paimon_write_plan *out, const paimon_write_input *in,
                              const paimon_compact_scope *scope, const paimon_fileio *io, mc_err *err);

/* Total order of two non-null values of type t (strings/bytes bytewise
 * unsigned, as Paimon compares BinaryString). */
int paimon_datum_compare(const paimon_type *t, const paimon_datum *a, const paimon_datum *b);

/* A random RFC 4122 version-4 UUID, lower-case (37 bytes with the NUL). */
void paimon_uuid(char out[37]);

#endif
