/*
 * paimon/travel: which snapshot a batch scan reads — the latest, or one
 * chosen for time travel by snapshot id, tag name or commit time
 * (reference/paimon-format.md §1 layout: snapshot/snapshot-N, tag/tag-NAME;
 * Java's TimeTravelUtil, StaticFrom{Snapshot,Tag,Timestamp}StartingScanner,
 * SnapshotManager.earlierOrEqualTimeMills, TagManager).
 *
 * Works over any table storage that can read and list (a local directory,
 * OSS with a key or a table's data token). A tag file is the tagged
 * snapshot's JSON (plus Java's tagCreateTime / tagTimeRetained, ignored):
 * reading by tag works after the snapshot itself has expired.
 *
 * Errors say what exists: "snapshot 9 does not exist: snapshots 1..3 exist",
 * "tag 'x' does not exist (tags: a, b)", "no snapshot was committed at or
 * before ...: the earliest, snapshot 1, was committed at ...".
 */
#ifndef PAIMON_TRAVEL_H
#define PAIMON_TRAVEL_H

#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "paimon/scan.h"
#include "paimon/snapshot.h"

/* The file names (not paths) directly under dir, relative to the table root
 * ("snapshot", "tag"); a missing directory lists as empty. The caller frees
 * each name and the array. */
typedef int (*paimon_list_fn)(void *ud, const char *dir, char ***names, size_t *n, mc_err *err);

/* A table's storage: files.read and list share files.ud. */
typedef struct {
    paimon_fileio files;
    paimon_list_fn list;
} paimon_store;

typedef enum {
    PAIMON_AT_LATEST,
    PAIMON_AT_SNAPSHOT,  /* id */
    PAIMON_AT_TAG,       /* name */
    PAIMON_AT_MILLIS,    /* millis: the latest snapshot committed at or before it */
    PAIMON_AT_VERSION    /* name: a tag if one has that name, else a snapshot id
                          * when all digits (Java's TimeTravelUtil.adaptScanVersion) */
} paimon_at_kind;

typedef struct {
    paimon_at_kind kind;
    int64_t id;
    const char *name;    /* borrowed */
    int64_t millis;
    int64_t zone_offset_ms; /* errors show times as UTC + this */
} paimon_at;

/* Reads and parses the snapshot (or tag) file at rel. */
int paimon_snapshot_read(paimon_snapshot **out, const paimon_fileio *io, const char *rel, mc_err *err);

/* The ids of the table's snapshot files, ascending (*n 0: none). */
int paimon_snapshot_ids(int64_t **ids, size_t *n, const paimon_store *st, mc_err *err);

/* The snapshot at `at`. *out is NULL (and 0 returned) only for LATEST on a
 * table without snapshots. A snapshot, tag or time with no snapshot fails
 * with MC_ERR_NOT_FOUND and a message naming what exists. */
int paimon_snapshot_at(paimon_snapshot **out, const paimon_store *st, const paimon_at *at, mc_err *err);

typedef struct {
    char *name;
    paimon_snapshot *snap;
} paimon_tag;

/* Every tag, ordered by snapshot id, then name (Java's TagManager.tags()). */
int paimon_tags_list(paimon_tag **out, size_t *n, const paimon_store *st, mc_err *err);
void paimon_tags_free(paimon_tag *tags, size_t n);

/* "2024-01-02 03:04:05.678" for epoch millis shown at UTC + offset_ms,
 * as errors print commit times. cap >= 32. */
void paimon_millis_text(char *out, size_t cap, int64_t millis, int64_t offset_ms);

#endif
