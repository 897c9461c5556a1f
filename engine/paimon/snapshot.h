/*
 * paimon/snapshot: snapshot files (`snapshot/snapshot-N`) and the LATEST /
 * EARLIEST hint files (reference/paimon-format.md §1, §2).
 *
 * A paimon_snapshot owns its strings. Optional fields carry a has_ flag (or
 * are NULL strings); unknown JSON members are ignored. `legacy_layout`
 * records that the file was written by a <= 1.x writer (it had
 * `logOffsets`): such writers also wrote `"changelogManifestList" : null`
 * explicitly. Writing reproduces the layout the snapshot was read with, so
 * parse -> write is byte-exact; new snapshots (legacy_layout false) use the
 * current 2.x layout.
 */
#ifndef PAIMON_SNAPSHOT_H
#define PAIMON_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/schema.h"

typedef struct {
    int32_t version;                /* 3 */
    char *uuid;                     /* optional (2.x) */
    int64_t id;
    int64_t schema_id;
    char *base_manifest_list;
    bool has_base_manifest_list_size;
    int64_t base_manifest_list_size;
    char *delta_manifest_list;
    bool has_delta_manifest_list_size;
    int64_t delta_manifest_list_size;
    char *changelog_manifest_list;  /* optional */
    bool has_changelog_manifest_list_size;
    int64_t changelog_manifest_list_size;
    char *index_manifest;           /* optional */
    char *commit_user;
    char *writer_version;           /* optional (2.x) */
    int64_t commit_identifier;
    char *commit_kind;              /* APPEND, COMPACT, OVERWRITE, ANALYZE */
    int64_t time_millis;
    bool legacy_layout;             /* had logOffsets (<= 1.x writer) */
    int64_t total_record_count;
    int64_t delta_record_count;
    bool has_changelog_record_count;
    int64_t changelog_record_count;
    bool has_watermark;
    int64_t watermark;
    char *statistics;               /* optional */
    paimon_option *properties;      /* optional map, file order */
    size_t nproperties;
    bool has_properties;
    bool has_next_row_id;
    int64_t next_row_id;
    char *operation;                /* optional (2.x) */
} paimon_snapshot;

int paimon_snapshot_parse(paimon_snapshot **out, const char *json, size_t len, mc_err *err);
void paimon_snapshot_write(mc_buf *out, const paimon_snapshot *s);
void paimon_snapshot_free(paimon_snapshot *s);

/* Hint file content: decimal id, no newline. Parsing tolerates surrounding
 * whitespace; returns -1 (err set) for anything else. */
int paimon_hint_parse(int64_t *out, const char *text, size_t len, mc_err *err);
void paimon_hint_write(mc_buf *out, int64_t id);

/* Local-directory helpers for a table at `table_dir`: read schema-N,
 * snapshot-N, and find the latest/earliest snapshot id (hint first, then probe
 * forward / list the directory, §1). *out = 0 when there is no snapshot. */
int paimon_snapshot_load(paimon_snapshot **out, const char *table_dir, int64_t id, mc_err *err);
int paimon_schema_load(paimon_schema **out, const char *table_dir, int64_t id, mc_err *err);
int paimon_snapshot_latest_id(int64_t *out, const char *table_dir, mc_err *err);
int paimon_snapshot_earliest_id(int64_t *out, const char *table_dir, mc_err *err);

#endif
