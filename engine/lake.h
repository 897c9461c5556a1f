/*
 * lake: Paimon tables reached the way Java Paimon reaches them through a
 * REST catalog (reference/paimon-rest.md §6, §8): metadata from the
 * catalog, files through a FileIO that uses the table's data token
 * (refreshed when less than an hour remains, as RESTTokenFileIO does), and
 * commits through the catalog's commit endpoint. Reading plans the latest
 * (or a time-travel) snapshot (manifest lists, manifests, reconciliation) and streams rows
 * file by file; writing builds a commit plan with paimon/writer, uploads
 * it, and commits, retrying from a fresh read when another writer won.
 *
 * Data files in Avro are read and written; Parquet and ORC files fail with
 * MC_ERR_UNSUPPORTED naming the file (never silently skipped).
 */
#ifndef MC_ENGINE_LAKE_H
#define MC_ENGINE_LAKE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "client/rest_catalog.h"
#include "mc_err.h"
#include "paimon/manifest.h"
#include "paimon/schema.h"
#include "paimon/travel.h"
#include "paimon/types.h"

typedef struct {
    const char *dlf_endpoint;
    const char *catalog;          /* warehouse */
    const char *region;
    const char *access_key_id;
    const char *access_key_secret;
    const char *security_token;
    const char *oss_endpoint;     /* overrides the token's fs.oss.endpoint when set */
    const char *ca_file;
} lake_config;

typedef struct lake lake;

int lake_open(lake **out, const lake_config *cfg, mc_err *err);
void lake_close(lake *l);
rest_catalog *lake_catalog(lake *l);

typedef struct lake_table lake_table;
/* MC_ERR_REMOTE 404 TABLE/DATABASE when missing (err from the catalog). */
int lake_table_load(lake *l, const char *db, const char *name, lake_table **out, mc_err *err);
/* Creates a table from a REST Schema object after the checks Java Paimon
 * makes before it creates one (paimon/validate.h); their failures are
 * MC_ERR_INVALID/UNSUPPORTED "<db>.<name>: <Java's text>", the catalog's
 * come back as they are. */
int lake_table_create(lake *l, const char *db, const char *name, const json_t *schema, mc_err *err);
void lake_table_free(lake_table *t);
const paimon_schema *lake_table_schema(const lake_table *t);
const json_t *lake_table_meta(const lake_table *t); /* GetTableResponse */
/* Called after each file a write or compaction of t uploads (data files,
 * then manifests and manifest lists), with its path relative to the table
 * root; files of an attempt that loses its commit are reported too. */
typedef void (*lake_upload_fn)(void *ud, const char *path);
void lake_table_on_upload(lake_table *t, lake_upload_fn fn, void *ud);

/* The live data files of the latest snapshot: how many, and their total
 * size in bytes (0 and 0 for a table without a snapshot). What DESC
 * EXTENDED prints as FileNum and PhysicalSize. */
int lake_table_storage(lake_table *t, int64_t *files, int64_t *bytes, mc_err *err);

/* Time travel: the scans of t read the snapshot `at` names (paimon/travel,
 * snapshot and tag files read and listed through the data-token FileIO, as
 * Java's SnapshotManager / TagManager do for a REST catalog table) instead
 * of the latest. *id receives its id (0: LATEST on an empty table). Errors
 * name what exists, prefixed "db.table: ". */
int lake_table_travel(lake_table *t, const paimon_at *at, int64_t *id, mc_err *err);

typedef struct lake_scan lake_scan;
struct paimon_pred;
int lake_scan_open(lake_table *t, lake_scan **out, mc_err *err);
/* The same, planned with a filter (compiled against lake_table_schema(t)):
 * files that cannot hold a matching row are not read (partition pruning,
 * statistics skipping; paimon_table_state_prune). The rows it returns are
 * NOT filtered: the caller still tests each one. */
int lake_scan_open_pruned(lake_table *t, const struct paimon_pred *p, lake_scan **out, mc_err *err);
/* Reads only the fields with want[i] set, the others as NULL; projected
 * Parquet reads fetch byte ranges of the data files (paimon_scan_project). */
void lake_scan_project(lake_scan *s, const bool *want);
/* Passes over whole leading files of an append table that n rows cover
 * (paimon_scan_skip_files); *skipped gets their rows. */
void lake_scan_skip_files(lake_scan *s, int64_t n, int64_t *skipped);
/* 1 with *row (schema field order, valid until the next call), 0 at the end, -1 on error. */
int lake_scan_next(lake_scan *s, const paimon_datum **row, mc_err *err);
void lake_scan_close(lake_scan *s);

/* Appends rows (INSERT INTO) or replaces the table's / the rows'
 * partitions' contents (INSERT OVERWRITE); one atomic commit. Unless the
 * table sets write-only=true, a primary-key table then gets a second,
 * COMPACT commit (paimon_compact_plan_build) of the buckets written: of
 * their level-0 files for first-row and deletion-vector tables (batch
 * reads would not see the rows otherwise), else of those whose sorted
 * runs reached num-sorted-run.compaction-trigger. */
int lake_write(lake_table *t, const paimon_datum *const *rows, size_t n, bool overwrite, mc_err *err);

/* ALTER TABLE ... COMPACT MAJOR|MINOR: a full compaction of every bucket
 * of a primary-key table (PAIMON_COMPACT_FULL), or of one partition's
 * buckets when partition_values is not NULL (text of each partition key,
 * in the schema's partition-key order). MINOR compacts as MAJOR does.
 * Append tables are refused (MC_ERR_UNSUPPORTED). */
int lake_compact(lake_table *t, const char *const *partition_values, bool major, mc_err *err);

/* The live data files of the latest snapshot (caller frees with
 * paimon_manifest_entries_free). */
int lake_table_files(lake_table *t, paimon_manifest_entry **out, size_t *n, mc_err *err);

#endif
