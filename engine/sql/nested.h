/*
 * sql/nested: ARRAY, MAP and STRUCT values in the SQL executor.
 *
 * A nested value crosses SQLite as compact JSON text in exactly the form
 * odpscmd prints it (reference/maxcompute-sql.md §4.2; the console renders
 * complex values with Gson, aliyun-odps-console FormatUtils.formatField):
 * ARRAY `[..]`; MAP and STRUCT `{..}` with string keys (Gson writes a map key
 * as String.valueOf(key)); BOOLEAN true/false; DOUBLE and FLOAT as Java's
 * toString; DECIMAL a bare number; strings, DATE and TIMESTAMP quoted, with
 * Gson's default HTML-safe escapes (`=` is \u003d). The text carries no type
 * tags: the binder knows every expression's MaxCompute type and passes what a
 * conversion needs (a Paimon type, or one kind letter per argument).
 *
 * The two boundaries: the virtual table turns a Paimon datum (BinaryArray,
 * BinaryMap or BinaryRow bytes, paimon/binrow.h) into the text, the writer
 * turns the text back into those bytes. Scalar text forms (DATE, TIMESTAMP)
 * are the executor's (sql/exec) and live here so both sides share them.
 */
#ifndef MC_SQL_NESTED_H
#define MC_SQL_NESTED_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/types.h"

/* yyyy-mm-dd of days since the epoch; yyyy-mm-dd hh:mi:ss[.fraction without
 * trailing zeros] of epoch millis + nanos of the milli (§4.2). */
void sql_date_format(mc_buf *out, int64_t days);
void sql_timestamp_format(mc_buf *out, int64_t millis, int32_t nanos_of_milli);
/* The inverse: exactly those forms (the time part optional); 0 or -1. */
int sql_date_parse(const char *s, int64_t *days);
int sql_timestamp_parse(const char *s, int64_t *millis, int32_t *nanos);

/* Whether t is ARRAY, MAP or ROW (STRUCT). */
bool sql_nested_type(const paimon_type *t);
/* s[0..n) as a JSON string the way Gson writes it (HTML-safe escapes). */
void sql_nested_json_string(mc_buf *out, const char *s, size_t n);
/* The text of a non-null datum of nested type t. */
int sql_nested_to_json(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err);
/* Appends to out the binary form (BinaryArray / BinaryMap / BinaryRow) of the
 * text json[0..n) read as nested type t; a STRUCT takes its fields by
 * position (field names do not take part in casts, §1.3). */
int sql_nested_from_json(mc_buf *out, const paimon_type *t, const char *json, size_t n, mc_err *err);

/* The kind letter the constructors take per argument (see nested.c). */
char sql_nested_kind(const paimon_type *t);

/* Registers mc_nested_array, mc_nested_object, mc_nested_get, mc_nested_size,
 * mc_nested_concat, mc_map_keys, mc_map_values, mc_str_to_map, mc_nested_convert
 * (CAST to a complex type, FROM_JSON, TO_JSON; see nested.c). */
int sql_nested_register(sqlite3 *db, mc_err *err);

#endif
