/*
 * paimon/manifest: manifest lists (ManifestFileMeta), manifest files
 * (ManifestEntry + DataFileMeta) and index manifests (IndexManifestEntry),
 * reference/paimon-format.md §4.
 *
 * Reading resolves fields by name against the writer schema in the file
 * header, so files of every Paimon version since 0.8 read (missing nullable
 * fields read as absent; unknown fields are skipped; ["null", record]
 * wrapping of old writers is unwrapped). Writing uses Java Paimon 2.x's exact
 * record schemas (as verified on the 2.x fixture) and codec "zstandard" by
 * default (§4.1).
 *
 * BinaryRow-valued fields (_PARTITION, _MIN_KEY, stats min/max) are kept in
 * their serialized manifest form (§5.2: 4-byte BE arity + row); decode them
 * with paimon_binrow_read_serialized and the table's types.
 * Every struct owns its strings and byte arrays; free with the _free
 * functions below.
 */
#ifndef PAIMON_MANIFEST_H
#define PAIMON_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/types.h"

typedef struct {
    bool set;
    int64_t v;
} paimon_opt_long;

typedef struct {
    uint8_t *data;
    size_t len;
} paimon_bytes;

/* A list of strings that may itself be null (e.g. _VALUE_STATS_COLS). */
typedef struct {
    bool set;
    char **items;
    size_t n;
} paimon_str_list;

/* SimpleStats (§4.2, §8): min/max rows and per-column null counts. */
typedef struct {
    paimon_bytes min_values;     /* serialized BinaryRow */
    paimon_bytes max_values;     /* serialized BinaryRow */
    bool has_null_counts;        /* false: _NULL_COUNTS was null */
    paimon_opt_long *null_counts;
    size_t n_null_counts;
} paimon_simple_stats;

/* One manifest-list record (§4.2). */
typedef struct {
    char *file_name;
    int64_t file_size;
    int64_t num_added_files;
    int64_t num_deleted_files;
    paimon_simple_stats partition_stats;
    int64_t schema_id;
    paimon_opt_long min_bucket, max_bucket, min_level, max_level; /* 1.1+ */
    paimon_opt_long min_row_id, max_row_id;                       /* 1.4+ */
} paimon_manifest_file_meta;

/* DataFileMeta (§4.3). */
typedef struct {
    char *file_name;
    int64_t file_size;
    int64_t row_count;
    paimon_bytes min_key;
    paimon_bytes max_key;
    paimon_simple_stats key_stats;
    paimon_simple_stats value_stats;
    int64_t min_sequence_number;
    int64_t max_sequence_number;
    int64_t schema_id;
    int32_t level;
    char **extra_files;
    size_t n_extra_files;
    paimon_opt_long creation_time;    /* epoch-ms of *local* wall time (§9.8) */
    paimon_opt_long delete_row_count; /* 0.8+ */
    bool has_embedded_index;          /* 0.8+ */
    paimon_bytes embedded_index;
    paimon_opt_long file_source;      /* 0.9+: 0 APPEND, 1 COMPACT */
    paimon_str_list value_stats_cols; /* 1.0+: unset = all columns */
    char *external_path;              /* 1.0+, NULL when absent */
    paimon_opt_long first_row_id;     /* 1.3+ */
    paimon_str_list write_cols;       /* 1.3+ */
    bool has_write_cols_sequences;    /* 2.x (read only) */
    int64_t *write_cols_sequences;
    size_t n_write_cols_sequences;
} paimon_data_file_meta;

enum { PAIMON_FILE_ADD = 0, PAIMON_FILE_DELETE = 1 };

/* ManifestEntry (§4.3). */
typedef struct {
    int32_t kind; /* PAIMON_FILE_ADD / PAIMON_FILE_DELETE */
    paimon_bytes partition;
    int32_t bucket;
    int32_t total_buckets;
    paimon_data_file_meta file;
} paimon_manifest_entry;

/* Deletion-vector range of one data file inside an index file (§4.3, §6.4). */
typedef struct {
    char *data_file;
    int32_t offset;
    int32_t length;
    paimon_opt_long cardinality;
} paimon_dv_range;

/* IndexManifestEntry (§4.3). Global-index metadata (2.x) is not kept. */
typedef struct {
    int32_t kind;
    paimon_bytes partition;
    int32_t bucket;
    char *index_type; /* DELETION_VECTORS, HASH, ... */
    char *file_name;
    int64_t file_size;
    int64_t row_count;
    bool has_dv_ranges;
    paimon_dv_range *dv_ranges;
    size_t n_dv_ranges;
    char *external_path;
    bool has_global_index;
} paimon_index_manifest_entry;

/* Readers take the whole file's bytes. ORC/Parquet manifests
 * (manifest.format=orc|parquet) fail with MC_ERR_UNSUPPORTED. */
int paimon_manifest_list_read(paimon_manifest_file_meta **out, size_t *n, const uint8_t *data,
                              size_t len, mc_err *err);
int paimon_manifest_read(paimon_manifest_entry **out, size_t *n, const uint8_t *data, size_t len,
                         mc_err *err);
int paimon_index_manifest_read(paimon_index_manifest_entry **out, size_t *n, const uint8_t *data,
                               size_t len, mc_err *err);

/* Writers produce whole Avro files; codec NULL means "zstandard". */
int paimon_manifest_list_write(mc_buf *out, const paimon_manifest_file_meta *m, size_t n,
                               const char *codec, mc_err *err);
int paimon_manifest_write(mc_buf *out, const paimon_manifest_entry *e, size_t n, const char *codec,
                          mc_err *err);
int paimon_index_manifest_write(mc_buf *out, const paimon_index_manifest_entry *e, size_t n,
                                const char *codec, mc_err *err);

void paimon_manifest_file_metas_free(paimon_manifest_file_meta *m, size_t n);
void paimon_manifest_entries_free(paimon_manifest_entry *e, size_t n);
void paimon_index_manifest_entries_free(paimon_index_manifest_entry *e, size_t n);
void paimon_data_file_meta_clear(paimon_data_file_meta *f);
void paimon_manifest_entry_copy(paimon_manifest_entry *dst, const paimon_manifest_entry *src);

/* Builds the manifest-list record describing a manifest that holds
 * `entries` (what Java's ManifestFile writer computes, §4.2): ADD/DELETE
 * counts, partition stats (min/max per partition column over the entries'
 * partitions, null counts), max schema id, min/max bucket and level, and
 * min/max row id when every entry has _FIRST_ROW_ID. partition_types has
 * npart entries (the table's partition columns). file_name is copied. */
int paimon_manifest_file_meta_build(paimon_manifest_file_meta *out, const char *file_name,
                                    int64_t file_size, const paimon_manifest_entry *entries,
                                    size_t n, const paimon_type *const *partition_types,
                                    size_t npart, mc_err *err);

/* Reconciliation (§4.4): given entries in read order (base lists, then
 * delta), keeps the ADD entries whose identifier (partition, bucket, level,
 * file name, extra files, embedded index, external path) is not later
 * DELETEd. Output is in first-ADD order, deep copies; a DELETE of a file that
 * was never added is ignored (Java keeps it only for conflict checks). */
int paimon_manifest_entries_merge(paimon_manifest_entry **out, size_t *nout,
                                  const paimon_manifest_entry *in, size_t n, mc_err *err);

#endif
