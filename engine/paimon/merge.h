/*
 * paimon/merge: the merge engines of primary-key tables — how the versions
 * of one key (rows with the same primary key in one bucket) become the one
 * row a reader sees (reference/paimon-format.md §6.3 merge engines).
 *
 * A paimon_merge is built once per table schema from its options:
 * `merge-engine` (deduplicate, partial-update, aggregation, first-row),
 * `ignore-delete`, `sequence.field` / `sequence.field.sort-order`,
 * `partial-update.remove-record-on-delete`,
 * `partial-update.remove-record-on-sequence-group`,
 * `aggregation.remove-record-on-delete`, and per field
 * `fields.<f1,f2>.sequence-group` (partial-update),
 * `fields.<f>.aggregate-function`, `fields.default-aggregate-function`,
 * `fields.<f>.ignore-retract`, `fields.<f>.list-agg-delimiter`,
 * `fields.<f>.distinct`. Options it cannot honour are refused when it is
 * built (MC_ERR_UNSUPPORTED naming the option or function), never ignored.
 *
 * Both the reader (merge-on-read of a bucket's files) and the writer (its
 * in-memory write buffer, as Java merges before flushing) use it the same
 * way: sort the versions of a key with paimon_merge_version_cmp, then call
 * paimon_merge_key on them, oldest first.
 *
 * Values produced by a merge (listagg) are owned by the paimon_merge and
 * stay valid until paimon_merge_release or paimon_merge_free.
 */
#ifndef PAIMON_MERGE_H
#define PAIMON_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "paimon/schema.h"

typedef enum {
    PAIMON_MERGE_DEDUPLICATE,
    PAIMON_MERGE_PARTIAL_UPDATE,
    PAIMON_MERGE_AGGREGATION,
    PAIMON_MERGE_FIRST_ROW
} paimon_merge_engine;

/* One version of a key: the table's fields in schema order, its
 * _SEQUENCE_NUMBER and _VALUE_KIND (PAIMON_ROWKIND_*). */
typedef struct {
    const paimon_datum *value;
    int64_t seq;
    int kind;
} paimon_kv;

typedef struct paimon_merge paimon_merge;

/* The `merge-engine` option (default deduplicate). */
int paimon_merge_engine_parse(paimon_merge_engine *out, const paimon_schema *schema, mc_err *err);
/* schema is borrowed and must outlive the merge. */
int paimon_merge_new(paimon_merge **out, const paimon_schema *schema, mc_err *err);
void paimon_merge_free(paimon_merge *m);
paimon_merge_engine paimon_merge_engine_of(const paimon_merge *m);
/* True when `sequence.field` is set. */
bool paimon_merge_has_sequence_field(const paimon_merge *m);

/* Sets need[i] (schema->nfields entries) for each field a merge reads
 * besides the primary key: the sequence fields of deduplicate and
 * first-row, whose result is one version's row as it was; every field of
 * partial-update and aggregation, whose results combine fields across
 * versions (sequence groups, aggregates that may fail on overflow), so a
 * read projected for them stays the full row. Others stay as they are. */
void paimon_merge_fields_needed(const paimon_merge *m, bool *need);

/* Order of two versions of the same key: the sequence field(s) first
 * (NULL smallest; descending when sequence.field.sort-order is), then the
 * sequence number. */
int paimon_merge_version_cmp(const paimon_merge *m, const paimon_kv *a, const paimon_kv *b);

/* Merges versions[0..n) (n >= 1, ordered by paimon_merge_version_cmp) into
 * *out, whose value is `values` (schema->nfields datums the caller owns).
 * Returns 1 with the merged version (kind +I/+U: visible; -U/-D: the key is
 * deleted), 0 when no version remains (all of them ignored deletes), -1 on
 * error (a delete the engine cannot take, an overflow). */
int paimon_merge_key(paimon_merge *m, paimon_kv *out, paimon_datum *values, const paimon_kv *versions, size_t n,
                     mc_err *err);

/* Frees the values merges have produced so far. */
void paimon_merge_release(paimon_merge *m);

#endif
