/*
 * paimon/partition: partition directory names `k1=v1/k2=v2/`
 * (reference/paimon-format.md §1 "Partition directories").
 *
 * Values are rendered the way Java does with the default
 * partition.legacy-name=true: the internal value's toString (DATE as its day
 * number, TIMESTAMP as LocalDateTime.toString, DECIMAL plain), then
 * Hive-style %XX escaping of names and values. NULL, empty and
 * whitespace-only values become the default partition name
 * (`__DEFAULT_PARTITION__` unless partition.default-name says otherwise).
 */
#ifndef PAIMON_PARTITION_H
#define PAIMON_PARTITION_H

#include <stddef.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/schema.h"
#include "paimon/types.h"

#define PAIMON_DEFAULT_PARTITION_NAME "__DEFAULT_PARTITION__"

/* Hive-compatible escaping of one name or value (appends to out). */
void paimon_partition_escape(mc_buf *out, const char *s, size_t n);
/* Reverses paimon_partition_escape; -1 on a malformed escape. */
int paimon_partition_unescape(mc_buf *out, const char *s, size_t n);

/* Appends the text Java uses for a partition value (legacy name). Returns
 * false for values that map to the default partition (NULL, blank). */
bool paimon_partition_value_text(mc_buf *out, const paimon_type *t, const paimon_datum *v);

/* Appends "k1=v1/k2=v2/" (a trailing slash per segment, as Java's
 * generatePartitionPath). default_name NULL = __DEFAULT_PARTITION__.
 * n = 0 appends nothing. */
void paimon_partition_path(mc_buf *out, char *const *names, const paimon_type *const *types,
                           const paimon_datum *vals, size_t n, const char *default_name);

/* Splits "k1=v1/k2=v2[/]" into unescaped name/value pairs (caller frees with
 * paimon_partition_spec_free). Empty names/values are rejected. */
int paimon_partition_parse(paimon_option **out, size_t *n, const char *path, mc_err *err);
void paimon_partition_spec_free(paimon_option *spec, size_t n);

/* Converts partition text back to a datum of type t. Text equal to
 * default_name (NULL = __DEFAULT_PARTITION__) gives NULL. Strings and binary
 * borrow `text`. Supports the atomic key types (not FLOAT/DOUBLE text of
 * exotic forms). */
int paimon_partition_value_parse(paimon_datum *out, const paimon_type *t, const char *text,
                                 const char *default_name, mc_err *err);

/* Location of a data file (§1): external_path when set, else
 * "<table_root>/<partition_path>bucket-<b>/<file_name>" with "bucket-postpone"
 * for bucket -2. partition_path is the output of paimon_partition_path
 * ("" for unpartitioned tables). Appends to out. */
void paimon_data_file_path(mc_buf *out, const char *table_root, const char *partition_path,
                           int32_t bucket, const char *file_name, const char *external_path);

#endif
