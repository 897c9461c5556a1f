/*
 * dlf/catalog: the DLF catalog's metadata in the emulator's SQLite state
 * (module "dlf"): catalogs, databases, tables with their current schema,
 * committed snapshots and partition statistics (reference/paimon-rest.md
 * §4-§7). No HTTP here; dlf/service speaks the REST protocol over it.
 *
 * Every catalog keeps its tables in its own OSS bucket (named after the
 * catalog id); a table lives at oss://<bucket>/<db>.db/<table>. JSON values
 * (options, schema, snapshot) are stored as the text the protocol carries.
 *
 * Errors: MC_ERR_NOT_FOUND / MC_ERR_EXISTS / MC_ERR_CONFLICT / MC_ERR_INVALID
 * with a message fit for the REST ErrorResponse.
 */
#ifndef MC_DLF_CATALOG_H
#define MC_DLF_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "state/state.h"

int dlf_catalog_migrate(emu_state *s, mc_err *err);

typedef struct {
    char name[129];
    char id[64];       /* clg-paimon-<hex>; also the REST prefix and the OSS bucket */
    char bucket[64];
    char account_id[32];
    char region[32];
    char owner[160];
    int64_t created_ms;
} dlf_catalog_info;

/* MC_ERR_EXISTS when the name is taken. */
int dlf_catalog_create(emu_state *s, const char *name, const char *account_id, const char *region, const char *owner,
                       dlf_catalog_info *out, mc_err *err);
int dlf_catalog_get(emu_state *s, const char *name, dlf_catalog_info *out, mc_err *err);      /* by name */
int dlf_catalog_get_by_id(emu_state *s, const char *id, dlf_catalog_info *out, mc_err *err);  /* by prefix */
/* The account's catalog names, sorted; caller frees each and the array. */
int dlf_catalog_list(emu_state *s, const char *account_id, char ***names, size_t *n, mc_err *err);

/* Audit fields of reference §4. */
typedef struct {
    char owner[160];
    int64_t created_at;
    char created_by[160];
    int64_t updated_at;
    char updated_by[160];
} dlf_audit;

typedef struct {
    char id[40];
    char name[129];
    char location[512];
    char *options;     /* JSON object text; owned */
    dlf_audit audit;
} dlf_database;
void dlf_database_clear(dlf_database *d);

int dlf_db_create(emu_state *s, const dlf_catalog_info *c, const char *name, const char *options_json,
                  const char *principal, mc_err *err);
int dlf_db_get(emu_state *s, const dlf_catalog_info *c, const char *name, dlf_database *out, mc_err *err);
/* MC_ERR_CONFLICT when tables remain and !cascade. */
int dlf_db_drop(emu_state *s, const dlf_catalog_info *c, const char *name, mc_err *err);
int dlf_db_set_options(emu_state *s, const dlf_catalog_info *c, const char *name, const char *options_json,
                       const char *principal, mc_err *err);
/* Names > after (may be NULL) starting with prefix (may be NULL), sorted, at most limit. */
int dlf_db_list(emu_state *s, const dlf_catalog_info *c, const char *prefix, const char *after, size_t limit,
                char ***names, size_t *n, mc_err *err);

typedef struct {
    char id[40];           /* table UUID */
    char database[129];
    char name[129];
    char path[640];        /* oss://bucket/db.db/table */
    int64_t schema_id;
    char *schema;          /* JSON: {fields, partitionKeys, primaryKeys, options, comment?} (REST form); owned */
    int32_t highest_field_id;
    int64_t latest_snapshot;   /* 0: none */
    char *latest_uuid;         /* owned; NULL when the snapshot carried none */
    int64_t record_count, file_size, file_count, last_file_creation_time;
    dlf_audit audit;
} dlf_table;
void dlf_table_clear(dlf_table *t);

int dlf_table_create(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name,
                     const char *schema_json, int32_t highest_field_id, const char *principal, dlf_table *out,
                     mc_err *err);
int dlf_table_get(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, dlf_table *out,
                  mc_err *err);
int dlf_table_get_by_id(emu_state *s, const dlf_catalog_info *c, const char *id, dlf_table *out, mc_err *err);
int dlf_table_drop(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, mc_err *err);
int dlf_table_rename(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, const char *to_db,
                     const char *to_name, const char *principal, mc_err *err);
int dlf_table_list(emu_state *s, const dlf_catalog_info *c, const char *db, const char *prefix, const char *after,
                   size_t limit, char ***names, size_t *n, mc_err *err);
/* Replaces the current schema (alter): schema_id + 1. */
int dlf_table_update_schema(emu_state *s, const dlf_catalog_info *c, const dlf_table *t, const char *schema_json,
                            int32_t highest_field_id, const char *principal, mc_err *err);

/* One partition's statistics delta of a commit (reference §4 PartitionStatistics). */
typedef struct {
    char *spec;     /* JSON object text {k: v}; borrowed */
    char *name;     /* "k=v/k2=v2"; borrowed */
    int64_t record_count, file_size, file_count, last_file_creation_time;
} dlf_partition_delta;

/* Records snapshot `id` (JSON text) as the table's latest, if the table's
 * latest is still expect_latest (MC_ERR_CONFLICT otherwise), adding the
 * deltas to table and partition statistics; one transaction. */
int dlf_snapshot_record(emu_state *s, const dlf_table *t, int64_t expect_latest, int64_t id, const char *uuid,
                        const char *snapshot_json, const dlf_partition_delta *d, size_t nd, const char *principal,
                        mc_err *err);
/* Snapshot JSON text by id (caller frees); MC_ERR_NOT_FOUND. id -1: earliest. */
int dlf_snapshot_get(emu_state *s, const dlf_table *t, int64_t id, char **json, mc_err *err);
int dlf_snapshot_list(emu_state *s, const dlf_table *t, int64_t after, size_t limit, char ***json, size_t *n,
                      mc_err *err);

typedef struct {
    char *spec;     /* JSON object text; owned */
    char *name;     /* owned */
    int64_t record_count, file_size, file_count, last_file_creation_time;
    int64_t created_at, updated_at;
    char created_by[160], updated_by[160];
} dlf_partition;
int dlf_partition_list(emu_state *s, const dlf_table *t, const char *prefix, const char *after, size_t limit,
                       dlf_partition **out, size_t *n, mc_err *err);
void dlf_partitions_free(dlf_partition *p, size_t n);

void dlf_strings_free(char **v, size_t n);

#endif
