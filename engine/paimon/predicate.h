/*
 * paimon/predicate: a row filter over a Paimon table's typed values, and the
 * tests the scan planner uses to drop files that cannot hold a matching row
 * (partition pruning, file skipping by min/max/null-count statistics,
 * reference/paimon-format.md §4.3, §8).
 *
 * A predicate is compiled from a SQL boolean expression (the SQL module's
 * expression parser, sql_parse_expr) against a schema: comparisons of a
 * column with a literal (= <> != < <= > >=, either side), IS [NOT] NULL,
 * [NOT] IN (literals), [NOT] BETWEEN, AND, OR, NOT and parentheses.
 * Literals are converted to the column's type when compiled, so values
 * compare as the column does: DECIMAL exactly on the unscaled value,
 * strings and binary bytewise (unsigned), dates and timestamps by value.
 * Anything else (functions, arithmetic, column-to-column comparisons) is
 * refused with MC_ERR_UNSUPPORTED naming it; a literal that is not a value
 * of its column's type is MC_ERR_INVALID.
 *
 * Invariant: NOT is pushed down when compiling (De Morgan; negated
 * comparisons), which keeps SQL's three-valued logic exact, so the tree
 * holds only AND, OR, comparisons and null tests. A row matches when the
 * predicate is TRUE (NULL and FALSE rows are dropped).
 */
#ifndef PAIMON_PREDICATE_H
#define PAIMON_PREDICATE_H

#include <stdbool.h>

#include "mc_err.h"
#include "paimon/manifest.h"
#include "paimon/schema.h"
#include "paimon/types.h"

typedef struct paimon_pred paimon_pred;

/* Compiles `text` against schema s (borrowed; must outlive *out). Column
 * names match case-insensitively. Syntax errors carry the parser's message
 * and position. */
int paimon_pred_parse(paimon_pred **out, const paimon_schema *s, const char *text, mc_err *err);
void paimon_pred_free(paimon_pred *p);

/* True when row (the schema's fields in order) satisfies p. */
bool paimon_pred_eval(const paimon_pred *p, const paimon_datum *row);

/* False only when no row of the data file an entry describes can satisfy
 * p: its partition values decide partition columns; with use_stats, the
 * file's value statistics (when written under the predicate's schema)
 * bound the other columns. */
int paimon_pred_may_match(bool *out, const paimon_pred *p, const paimon_manifest_entry *e, bool use_stats,
                          mc_err *err);

/* False only when no entry of a manifest can describe a file with a row
 * satisfying p, judged by the manifest-list record's partition statistics
 * (§4.2 _PARTITION_STATS: min/max partition values and null counts over
 * its num_added + num_deleted entries), before the manifest is read: Java's
 * ManifestsReader filtering ManifestFileMeta by PartitionPredicate. Only
 * partition columns are bounded; statistics that do not decode bound
 * nothing. */
int paimon_pred_may_match_manifest(bool *out, const paimon_pred *p, const paimon_manifest_file_meta *m,
                                   mc_err *err);

#endif
