/*
 * paimon/schema: a table schema file (`schema/schema-N`,
 * reference/paimon-format.md §3).
 *
 * A paimon_schema owns everything it points to. Options keep the file's
 * order (Java writes them in insertion order) so a parse/print round trip
 * reproduces the file byte for byte. The version-dependent defaults (bucket,
 * file.format) are not written into options; paimon_schema_option_*
 * helpers apply them on lookup.
 */
#ifndef PAIMON_SCHEMA_H
#define PAIMON_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "paimon/types.h"

typedef struct {
    char *key;
    char *value;
} paimon_option;

typedef struct {
    int32_t version;        /* 3 current; missing in the file -> 1 */
    int64_t id;
    paimon_field *fields;
    size_t nfields;
    int32_t highest_field_id;
    char **partition_keys;
    size_t npartition_keys;
    char **primary_keys;
    size_t nprimary_keys;
    paimon_option *options;
    size_t noptions;
    char *comment;          /* NULL when absent */
    int64_t time_millis;    /* missing -> 0 */
} paimon_schema;

int paimon_schema_parse(paimon_schema **out, const char *json, size_t len, mc_err *err);
/* Jackson-style JSON exactly as Java writes schema files. */
void paimon_schema_write(mc_buf *out, const paimon_schema *s);
void paimon_schema_free(paimon_schema *s);

/* Raw option value or NULL. */
const char *paimon_schema_option(const paimon_schema *s, const char *key);
/* A boolean option as Java's Options parse it: "true"/"false" in any case;
 * absent: false. Anything else: "Could not parse value '<v>' for key '<k>'." */
int paimon_schema_option_bool(bool *out, const paimon_schema *s, const char *key, mc_err *err);
/* Sets (replaces or appends) an option. */
void paimon_schema_set_option(paimon_schema *s, const char *key, const char *value);
/* Bucket count with the version default (version <= 1: 1; else -1). */
int32_t paimon_schema_bucket(const paimon_schema *s);
/* file.format with the version default (version <= 2: "orc"; else "parquet"). */
const char *paimon_schema_file_format(const paimon_schema *s);
/* A memory size as Java's MemorySize.parseBytes reads it: digits, then an
 * optional unit after optional blanks, case-insensitive: b|bytes,
 * k|kb|kibibytes, m|mb|mebibytes, g|gb|gibibytes, t|tb|tebibytes, all
 * powers of 1024; no unit means bytes. "1 kb" = 1024, "128mb" = 134217728. */
int paimon_memory_size_parse(int64_t *out, const char *text, mc_err *err);
/* The data-file rolling limits of a write (CoreOptions.targetFileSize,
 * targetFileRowNum): target-file-size, default 128 MB for primary-key
 * tables and 256 MB for append tables; target-file-row-num, default
 * INT64_MAX (no limit). Errors name the option and its value. */
int paimon_schema_target_file_size(int64_t *out, const paimon_schema *s, mc_err *err);
int paimon_schema_target_file_row_num(int64_t *out, const paimon_schema *s, mc_err *err);
/* Index of a field by name, or -1. */
int paimon_schema_field_index(const paimon_schema *s, const char *name);
/* The bucket key columns: option `bucket-key` (comma list) if set, else the
 * primary keys minus partition keys (§5.3). Fills idx (indexes into fields,
 * capacity nfields); returns the count, or -1 with err set. */
int paimon_schema_bucket_key(int *idx, const paimon_schema *s, mc_err *err);
/* Primary keys minus partition keys ("trimmed primary key"), as field indexes. */
int paimon_schema_trimmed_pk(int *idx, const paimon_schema *s);

#endif
