/*
 * paimon/types: Paimon's logical data types and the shared value
 * representation (paimon_datum) used by BinaryRow, statistics and the data
 * file readers/writers.
 *
 * A paimon_type is a tree owned by whoever created it (parse or _new); free
 * it with paimon_type_free. ROW types own their fields (paimon_field). The
 * schema-JSON syntax (reference/paimon-format.md §3) is parsed from and
 * printed back to exactly what Java's DataType.asSQLString / DataTypeJsonParser
 * produce: atomic types are strings ("INT NOT NULL", "DECIMAL(23, 5)"),
 * composite types are JSON objects ({"type":"ARRAY","element":...}).
 *
 * Invariant: STRING is VARCHAR(PAIMON_MAX_LENGTH) and BYTES is
 * VARBINARY(PAIMON_MAX_LENGTH); there is no separate id for them.
 */
#ifndef PAIMON_TYPES_H
#define PAIMON_TYPES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"

#define PAIMON_MAX_LENGTH 2147483647

typedef enum {
    PAIMON_BOOLEAN,
    PAIMON_TINYINT,
    PAIMON_SMALLINT,
    PAIMON_INT,
    PAIMON_BIGINT,
    PAIMON_FLOAT,
    PAIMON_DOUBLE,
    PAIMON_DECIMAL,   /* precision, scale */
    PAIMON_CHAR,      /* length */
    PAIMON_VARCHAR,   /* length; PAIMON_MAX_LENGTH = STRING */
    PAIMON_BINARY,    /* length */
    PAIMON_VARBINARY, /* length; PAIMON_MAX_LENGTH = BYTES */
    PAIMON_DATE,
    PAIMON_TIME,          /* precision */
    PAIMON_TIMESTAMP,     /* precision; wall-clock time */
    PAIMON_TIMESTAMP_LTZ, /* precision; an instant (UTC) */
    PAIMON_ARRAY,     /* element */
    PAIMON_MULTISET,  /* element */
    PAIMON_MAP,       /* key, value */
    PAIMON_ROW,       /* fields */
    PAIMON_VARIANT,
    PAIMON_BLOB,
    PAIMON_VECTOR     /* element, length */
} paimon_type_id;

typedef struct paimon_type paimon_type;

typedef struct {
    int32_t id;
    char *name;
    paimon_type *type;
    char *description;   /* NULL when absent */
    char *default_value; /* NULL when absent */
} paimon_field;

struct paimon_type {
    paimon_type_id id;
    bool nullable;
    int32_t precision; /* DECIMAL, TIME, TIMESTAMP, TIMESTAMP_LTZ */
    int32_t scale;     /* DECIMAL */
    int32_t length;    /* CHAR, VARCHAR, BINARY, VARBINARY, VECTOR */
    paimon_type *element; /* ARRAY, MULTISET, VECTOR; owned */
    paimon_type *key;     /* MAP; owned */
    paimon_type *value;   /* MAP; owned */
    paimon_field *fields; /* ROW; owned */
    size_t nfields;
};

/* An atomic type with default parameters (DECIMAL(10, 0), TIMESTAMP(6), ...). */
paimon_type *paimon_type_new(paimon_type_id id, bool nullable);
paimon_type *paimon_type_new_decimal(int32_t precision, int32_t scale, bool nullable);
/* TIME, TIMESTAMP, TIMESTAMP_LTZ with a precision. */
paimon_type *paimon_type_new_time(paimon_type_id id, int32_t precision, bool nullable);
/* CHAR, VARCHAR, BINARY, VARBINARY with a length. */
paimon_type *paimon_type_new_len(paimon_type_id id, int32_t length, bool nullable);
paimon_type *paimon_type_copy(const paimon_type *t);
void paimon_type_free(paimon_type *t);
bool paimon_type_equal(const paimon_type *a, const paimon_type *b);

/* Parses the schema-JSON form: a string (atomic, e.g. "DECIMAL(23, 5) NOT NULL")
 * or an object (ARRAY/MULTISET/MAP/ROW/VECTOR). */
int paimon_type_from_json(paimon_type **out, const json_t *j, mc_err *err);
/* Parses an atomic type string like "TIMESTAMP(3) WITH LOCAL TIME ZONE". */
int paimon_type_parse(paimon_type **out, const char *s, mc_err *err);
/* The JSON form Java writes (new reference). */
json_t *paimon_type_to_json(const paimon_type *t);
/* Appends the SQL string of an atomic type ("INT NOT NULL"); composite types
 * render as Java's asSQLString ("ARRAY<INT>", "ROW<`a` INT>"). */
void paimon_type_to_sql(mc_buf *out, const paimon_type *t);

/* Field list helpers shared by ROW types and table schemas. */
int paimon_fields_from_json(paimon_field **out, size_t *n, const json_t *arr, mc_err *err);
json_t *paimon_fields_to_json(const paimon_field *f, size_t n);
void paimon_fields_free(paimon_field *f, size_t n);
void paimon_field_copy(paimon_field *dst, const paimon_field *src);

/* True for the types whose BinaryRow value lives in the 8-byte slot
 * (reference/paimon-format.md §5.1). */
bool paimon_type_is_fixed_in_row(const paimon_type *t);

/*
 * paimon_datum: one value of a Paimon type, shared by BinaryRow, statistics
 * and readers/writers.
 *
 *   BOOLEAN            i (0/1)
 *   TINYINT..BIGINT    i
 *   DATE               i = days since 1970-01-01
 *   TIME               i = milliseconds of the day
 *   FLOAT, DOUBLE      d (FLOAT values are exactly representable floats)
 *   DECIMAL(p, s)      dec = unscaled value (fits 128 bits for p <= 38)
 *   TIMESTAMP[_LTZ]    i = epoch milliseconds, nanos = nano-of-millisecond
 *                      (0..999999). TIMESTAMP is wall-clock time encoded as if
 *                      UTC; LTZ is a UTC instant.
 *   CHAR..VARBINARY    ptr/len: UTF-8 for strings, raw for binary. BORROWED:
 *   BLOB, VARIANT,     the datum points into memory owned elsewhere (a row
 *   ARRAY/MAP/ROW      buffer, a decoded file page); copy to keep it.
 *                      Composite types carry their BinaryArray (ARRAY),
 *                      BinaryMap (MAP, MULTISET) or BinaryRow (ROW) bytes,
 *                      as Java holds them (paimon/binrow.h).
 */
typedef __int128 paimon_i128;

typedef struct {
    bool is_null;
    int64_t i;
    double d;
    int32_t nanos;
    paimon_i128 dec;
    const uint8_t *ptr;
    size_t len;
} paimon_datum;

static inline paimon_datum paimon_datum_null(void)
{
    paimon_datum d = {0};
    d.is_null = true;
    return d;
}
static inline paimon_datum paimon_datum_int(int64_t v)
{
    paimon_datum d = {0};
    d.i = v;
    return d;
}
static inline paimon_datum paimon_datum_double(double v)
{
    paimon_datum d = {0};
    d.d = v;
    return d;
}
static inline paimon_datum paimon_datum_bytes(const void *p, size_t n)
{
    paimon_datum d = {0};
    d.ptr = (const uint8_t *)p;
    d.len = n;
    return d;
}
static inline paimon_datum paimon_datum_decimal(paimon_i128 unscaled)
{
    paimon_datum d = {0};
    d.dec = unscaled;
    return d;
}
static inline paimon_datum paimon_datum_timestamp(int64_t millis, int32_t nanos_of_milli)
{
    paimon_datum d = {0};
    d.i = millis;
    d.nanos = nanos_of_milli;
    return d;
}

/* Decimal text <-> unscaled value. paimon_decimal_parse accepts
 * "-123.45" and rescales to `scale` (extra digits must be zero). */
int paimon_decimal_parse(paimon_i128 *out, const char *s, int32_t scale, mc_err *err);
void paimon_decimal_format(mc_buf *out, paimon_i128 unscaled, int32_t scale);
/* Minimal big-endian two's complement bytes of an unscaled value (Java's
 * BigInteger.toByteArray; 1..16 bytes), and back (n in 1..16). */
size_t paimon_decimal_to_bytes(uint8_t out[16], paimon_i128 v);
paimon_i128 paimon_decimal_from_bytes(const uint8_t *p, size_t n);

#endif
