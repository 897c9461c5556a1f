/*
 * paimon/avro_data: Paimon rows in Avro data files (`file.format=avro`,
 * reference/paimon-format.md §7.3): the Avro schema Java's
 * AvroSchemaConverter derives from a row type, and conversion of Avro values
 * to and from paimon_datum for atomic types.
 *
 * Mapping: BOOLEAN boolean; TINYINT/SMALLINT/INT int; BIGINT long; FLOAT
 * float; DOUBLE double; CHAR/VARCHAR string; BINARY/VARBINARY/BLOB bytes;
 * DECIMAL bytes+decimal(p,s) (big-endian unscaled); DATE int+date; TIME(<=3)
 * int+time-millis; TIMESTAMP(<=3) long+timestamp-millis, (4..6)
 * +timestamp-micros, LTZ local-timestamp-millis/-micros; ARRAY array; MAP
 * with CHAR/VARCHAR key map, other keys array of {key, value} records with
 * logicalType "map"; MULTISET as MAP to INT; ROW record named
 * <parent>_<field>. Nullable types are ["null", T] with "default": null.
 * TIMESTAMP > 6 and TIME > 3 are refused, as Java refuses them.
 */
#ifndef PAIMON_AVRO_DATA_H
#define PAIMON_AVRO_DATA_H

#include "buf.h"
#include "mc_err.h"
#include "paimon/avro.h"
#include "paimon/types.h"

/* Compact schema JSON exactly as Java's Schema.toString prints it for a
 * data file of these fields (top-level record "record" in namespace
 * org.apache.paimon.avro.generated). */
int paimon_avro_data_schema(mc_buf *out, const paimon_field *fields, size_t n, mc_err *err);

/* Converts a decoded Avro value (already union-resolved) of an atomic Paimon
 * type into a datum. Strings/bytes BORROW the value's memory. */
int paimon_avro_to_datum(paimon_datum *out, const paimon_type *t, const paimon_avro_value *v,
                         mc_err *err);

/* Encodes one datum of an atomic Paimon type as its field in the schema of
 * paimon_avro_data_schema (union index first when the type is nullable). */
int paimon_avro_put_datum(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err);

#endif
