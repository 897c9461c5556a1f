/*
 * dlf/catalog: the DLF catalog's metadata in the emulator's SQLite state
 * (module "dlf"): catalogs, databases, tables with their current schema,
 * committed snapshots (with each commit's statistics deltas, so a rollback
 * can take them out), partition statistics, tags, views and functions
 * (reference/paimon-rest.md §4-§7) and branches. No HTTP here; dlf/service
 * speaks the REST protocol over it.
 *
 * Branches (Java's Identifier: object `t$branch_<b>`; BranchManager keeps a
 * branch's files under <table path>/branch/branch-<b>/): a branch has its own
 * current schema, snapshots, statistics, partitions and tags. Every piece of
 * per-table state is keyed by dlf_table.key: the table id for the main
 * branch, "<table id>$branch_<b>" for a branch, so the functions below that
 * take a dlf_table work on whichever branch it names.
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
    char id[40];           /* table UUID (a branch answers its table's) */
    char database[129];
    char name[300];        /* the object name as addressed: "t" or "t$branch_b" */
    char base[129];        /* the table's own name: "t" */
    char branch[129];      /* "" for the main branch */
    char key[200];         /* the key of this branch's state: id, or id + "$branch_" + branch */
    char path[640];        /* oss://bucket/db.db/table (a branch answers its table's) */
    char files[800];       /* where this branch's files live: path, or path/branch/branch-<b> */
    int64_t schema_id;
    char *schema;          /* JSON: {fields, partitionKeys, primaryKeys, options, comment?} (REST form); owned */
    int32_t highest_field_id;
    int64_t latest_snapshot;   /* 0: none */
    char *latest_uuid;         /* owned; NULL when the snapshot carried none */
    int64_t record_count, file_size, file_count, last_file_creation_time;
    dlf_audit audit;
} dlf_table;
void dlf_table_clear(dlf_table *t);

/* path NULL: the catalog's own layout oss://<bucket>/<db>.db/<name>. */
int dlf_table_create(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, const char *path,
                     const char *schema_json, int32_t highest_field_id, const char *principal, dlf_table *out,
                     mc_err *err);
/* Registers an existing table's history (POST .../register): schemas[i] is
 * schema id i's JSON (NULL where none exists), snapshots the snapshot JSON
 * texts in id order, tags[i] named tag_names[i]; the latest schema is
 * current. MC_ERR_EXISTS when the name is taken or another table has the path. */
typedef struct {
    char **schemas;
    size_t nschemas;
    int32_t highest_field_id;
    char **snapshots;
    size_t nsnapshots;
    char **tag_names, **tags;
    size_t ntags;
} dlf_table_history;
int dlf_table_register(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, const char *path,
                       const dlf_table_history *h, const char *principal, mc_err *err);
/* name may address a branch ("t$branch_b"); an unknown branch is a missing
 * table, as Java's catalog reports it. Other `$` names (system tables) are
 * missing tables too: clients resolve those themselves (reference §1). */
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
    int32_t total_buckets; /* dlf_partitions_create only; -1: unknown */
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
    bool done;              /* marked done (POST .../partitions/mark) */
    int32_t total_buckets;  /* -1: unknown */
} dlf_partition;
int dlf_partition_list(emu_state *s, const dlf_table *t, const char *prefix, const char *after, size_t limit,
                       dlf_partition **out, size_t *n, mc_err *err);
/* The partitions among names (sorted by name); absent names are skipped. */
int dlf_partitions_by_name(emu_state *s, const dlf_table *t, char *const *names, size_t nn, dlf_partition **out,
                           size_t *n, mc_err *err);
void dlf_partitions_free(dlf_partition *p, size_t n);
/* Creates partitions p[i] (spec, name; statistics when has_stats[i], a
 * negative field unknown) in one transaction; existed[i] tells which were
 * there already. New partitions start at zero; statistics then replace or
 * add to the stored values. MC_ERR_EXISTS when one exists and
 * !ignore_if_exists (nothing changes). */
int dlf_partitions_create(emu_state *s, const dlf_table *t, const dlf_partition_delta *p, size_t n,
                          const bool *has_stats, bool replace, bool ignore_if_exists, const char *principal,
                          bool *existed, mc_err *err);
/* dropped[i] tells which existed; MC_ERR_NOT_FOUND when one is missing and !ignore_missing. */
int dlf_partitions_drop(emu_state *s, const dlf_table *t, char *const *names, size_t n, bool ignore_missing,
                        bool *dropped, mc_err *err);
/* Sets done on the named partitions that exist. */
int dlf_partitions_mark_done(emu_state *s, const dlf_table *t, char *const *names, size_t n, const char *principal,
                             mc_err *err);

/* Schema `id` of the table (JSON text; caller frees); MC_ERR_NOT_FOUND. */
int dlf_schema_get(emu_state *s, const dlf_table *t, int64_t id, char **json, mc_err *err);
/* Makes schema_id (with its JSON) current again and forgets later schemas;
 * MC_ERR_INVALID while a snapshot or tag references a later one. */
int dlf_table_rollback_schema(emu_state *s, const dlf_table *t, int64_t schema_id, const char *schema_json,
                              int32_t highest_field_id, const char *principal, mc_err *err);
/* Makes snapshot to_id (JSON to_json) the latest, if t->latest_snapshot is
 * still the latest (MC_ERR_CONFLICT otherwise): forgets later snapshots and
 * takes their statistics out of the table and its partitions, and drops the
 * tags of later snapshots (their names returned; caller frees). */
int dlf_table_rollback(emu_state *s, const dlf_table *t, int64_t to_id, const char *to_json, const char *principal,
                       char ***dropped_tags, size_t *ndropped, mc_err *err);

typedef struct {
    char *name;          /* owned */
    int64_t snapshot_id;
    char *snapshot;      /* the tagged snapshot's JSON; owned */
    int64_t create_time; /* ms */
    char *time_retained; /* as given ("1d"); owned, may be NULL */
} dlf_tag;
void dlf_tag_clear(dlf_tag *g);
int dlf_tag_create(emu_state *s, const dlf_table *t, const char *name, int64_t snapshot_id, const char *snapshot_json,
                   const char *time_retained, mc_err *err); /* MC_ERR_EXISTS */
int dlf_tag_get(emu_state *s, const dlf_table *t, const char *name, dlf_tag *out, mc_err *err);
int dlf_tag_drop(emu_state *s, const dlf_table *t, const char *name, mc_err *err);
int dlf_tag_list(emu_state *s, const dlf_table *t, const char *prefix, const char *after, size_t limit,
                 char ***names, size_t *n, mc_err *err);

/* Views and functions: catalog objects kept as the JSON body the protocol
 * carries (ViewSchema; the function's fields), with id and audit fields. */
typedef enum { DLF_OBJ_VIEW, DLF_OBJ_FUNCTION } dlf_object_kind;
typedef struct {
    char id[40];
    char database[129];
    char name[129];
    char *body;    /* JSON object text; owned */
    dlf_audit audit;
} dlf_object;
void dlf_object_clear(dlf_object *o);
int dlf_object_create(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                      const char *body, const char *principal, mc_err *err);
int dlf_object_get(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                   dlf_object *out, mc_err *err);
int dlf_object_update(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                      const char *body, const char *principal, mc_err *err);
int dlf_object_drop(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                    mc_err *err);
int dlf_object_rename(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                      const char *to_db, const char *to_name, const char *principal, mc_err *err);
int dlf_object_list(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *prefix,
                    const char *after, size_t limit, char ***names, size_t *n, mc_err *err);

/* Catalog-wide listing (GET /v1/{p}/tables, /views, /functions). */
typedef enum { DLF_GLOBAL_TABLES, DLF_GLOBAL_VIEWS, DLF_GLOBAL_FUNCTIONS } dlf_global_kind;
typedef struct {
    const char *prefix; /* may be NULL */
    const char *exact;  /* may be NULL */
} dlf_name_filter;
/* Entries in the databases named by dbs_json (a JSON array of names),
 * ordered by "<db>.<name>", after `after`; dbs[i], names[i] (caller frees both). */
int dlf_list_global(emu_state *s, const dlf_catalog_info *c, dlf_global_kind k, const char *dbs_json,
                    const dlf_name_filter *dbf, const dlf_name_filter *nf, const char *after, size_t limit,
                    char ***dbs, char ***names, size_t *n, mc_err *err);

/* Branches of a main-branch table t. Names as Java's BranchManager checks them. */
int dlf_branch_list(emu_state *s, const dlf_table *t, char ***names, size_t *n, mc_err *err);
/* From the table's current schema with no snapshot (Java's createBranch
 * without a tag), or from tag `from` (its snapshot, the statistics of the
 * commits up to it, the tag itself and the schemas up to its schema).
 * MC_ERR_EXISTS when taken. */
int dlf_branch_create(emu_state *s, const dlf_table *t, const char *name, const dlf_tag *from, const char *principal,
                      mc_err *err);
int dlf_branch_drop(emu_state *s, const dlf_table *t, const char *name, mc_err *err);        /* NOT_FOUND */
int dlf_branch_rename(emu_state *s, const dlf_table *t, const char *from, const char *to, mc_err *err);
/* What a fast-forward changed, for the files: the branch's earliest snapshot
 * and its schema, from which on the main branch's snapshots and schemas were
 * replaced, and the main-branch tags that went (caller frees). */
typedef struct {
    int64_t earliest_snapshot, earliest_schema;
    char **dropped_tags;
    size_t ndropped;
} dlf_forward_result;
/* Java's FileSystemBranchManager.fastForward: the main branch drops its
 * snapshots from the branch's earliest on, its schemas from that snapshot's
 * schema on and the tags of dropped snapshots, and takes the branch's
 * snapshots, schemas, tags, statistics and partitions. MC_ERR_INVALID when
 * the branch has no snapshot. */
int dlf_branch_forward(emu_state *s, const dlf_table *t, const char *name, const char *principal,
                       dlf_forward_result *out, mc_err *err);

void dlf_strings_free(char **v, size_t n);

#endif
