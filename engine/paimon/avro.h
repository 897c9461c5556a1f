/*
 * paimon/avro: a small Avro binary codec and object-container-file reader
 * and writer, enough for Paimon manifests (reference/paimon-format.md §4.1)
 * and Avro data files.
 *
 * Reading is generic: the writer schema from the file header is parsed into
 * a node tree and every record decodes into a paimon_avro_value tree, which
 * callers query by field name (Java Paimon reads manifests by name, so any
 * writer version's schema works). Unions are resolved while decoding: a value
 * has the kind of the branch taken (PAIMON_AVRO_NULL for null) and `branch`
 * says which. Every read is bounds-checked: malformed or truncated input
 * yields MC_ERR_PROTOCOL with a message naming the problem, never a crash.
 *
 * Writing is by primitives (paimon_avro_put_*): callers that know their
 * schema (the manifest writer) encode records field by field, then hand the
 * bytes to a paimon_avro_writer, which frames blocks and compresses them.
 *
 * Codecs: null, deflate (raw), snappy (+ 4-byte big-endian CRC32), zstandard.
 */
#ifndef PAIMON_AVRO_H
#define PAIMON_AVRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"

typedef enum {
    PAIMON_AVRO_NULL,
    PAIMON_AVRO_BOOLEAN,
    PAIMON_AVRO_INT,
    PAIMON_AVRO_LONG,
    PAIMON_AVRO_FLOAT,
    PAIMON_AVRO_DOUBLE,
    PAIMON_AVRO_BYTES,
    PAIMON_AVRO_STRING,
    PAIMON_AVRO_RECORD,
    PAIMON_AVRO_ENUM,
    PAIMON_AVRO_ARRAY,
    PAIMON_AVRO_MAP,
    PAIMON_AVRO_UNION,
    PAIMON_AVRO_FIXED
} paimon_avro_kind;

typedef struct paimon_avro_node paimon_avro_node;
struct paimon_avro_node {
    paimon_avro_kind kind;
    char *name;           /* record/enum/fixed name, else NULL */
    char *logical_type;   /* "timestamp-millis", "decimal", ... or NULL */
    int32_t precision, scale; /* decimal logical type */
    size_t n;             /* record fields, union branches, enum symbols */
    char **names;         /* record field names or enum symbols */
    paimon_avro_node **children; /* field types, union branches; [0] = array items / map values */
    size_t fixed_size;
};

/* A parsed schema: owns every node (named references share nodes). */
typedef struct {
    paimon_avro_node *root;
    paimon_avro_node **all;
    size_t nall;
} paimon_avro_schema;

int paimon_avro_schema_parse(paimon_avro_schema **out, const char *json, size_t len, mc_err *err);
void paimon_avro_schema_free(paimon_avro_schema *s);
/* Index of a record field by name, or -1. */
int paimon_avro_node_field(const paimon_avro_node *record, const char *name);

typedef struct paimon_avro_value paimon_avro_value;
struct paimon_avro_value {
    paimon_avro_kind kind;     /* never UNION: the branch's kind */
    int32_t branch;            /* union branch taken, -1 when not in a union */
    const paimon_avro_node *node; /* schema node of this (resolved) value */
    int64_t l;                 /* boolean, int, long, enum index */
    double d;                  /* float, double */
    uint8_t *bytes;            /* bytes, string, fixed: owned, NUL-terminated */
    size_t len;
    paimon_avro_value *items;  /* record fields (schema order), array items, map values */
    size_t n;
    char **keys;               /* map keys */
};

/* Decodes one datum of schema `node` from data[*pos..len). */
int paimon_avro_decode(paimon_avro_value *out, const paimon_avro_node *node, const uint8_t *data,
                       size_t len, size_t *pos, mc_err *err);
/* Frees what a decoded value owns (not the value struct itself). */
void paimon_avro_value_clear(paimon_avro_value *v);
/* Field of a record value by name; NULL when the writer schema lacks it. */
const paimon_avro_value *paimon_avro_get(const paimon_avro_value *record, const char *name);
/* True when v is absent (NULL pointer) or the null branch. */
bool paimon_avro_is_null(const paimon_avro_value *v);

/* Primitive encoders (Avro binary encoding). */
void paimon_avro_put_long(mc_buf *out, int64_t v);   /* zigzag varint; also int, enum, union index */
void paimon_avro_put_bool(mc_buf *out, bool v);
void paimon_avro_put_float(mc_buf *out, float v);
void paimon_avro_put_double(mc_buf *out, double v);
void paimon_avro_put_bytes(mc_buf *out, const void *p, size_t n); /* also string */
void paimon_avro_put_string(mc_buf *out, const char *s);
/* Primitive decoders used by the generic decoder, exposed for tests. */
int paimon_avro_get_long(int64_t *v, const uint8_t *data, size_t len, size_t *pos, mc_err *err);

/* Object container reader over a caller-owned byte range (borrowed; keep it
 * alive until close). */
typedef struct paimon_avro_file paimon_avro_file;
int paimon_avro_file_open(paimon_avro_file **out, const uint8_t *data, size_t len, mc_err *err);
const paimon_avro_schema *paimon_avro_file_schema(const paimon_avro_file *f);
const char *paimon_avro_file_codec(const paimon_avro_file *f);
/* Next record into *out (cleared first by the caller, freed with
 * paimon_avro_value_clear). Returns 1 for a record, 0 at the end, -1 on error. */
int paimon_avro_file_next(paimon_avro_file *f, paimon_avro_value *out, mc_err *err);
void paimon_avro_file_close(paimon_avro_file *f);

/* Object container writer. codec: "null", "deflate", "snappy", "zstandard".
 * Records are appended as already-encoded bytes; blocks are cut when the
 * pending data reaches 64 KiB (Java's default sync interval). */
typedef struct paimon_avro_writer paimon_avro_writer;
int paimon_avro_writer_new(paimon_avro_writer **out, const char *schema_json, const char *codec,
                           mc_err *err);
int paimon_avro_writer_add(paimon_avro_writer *w, const void *record, size_t len, mc_err *err);
/* Flushes and moves the whole file into out. */
int paimon_avro_writer_finish(paimon_avro_writer *w, mc_buf *out, mc_err *err);
void paimon_avro_writer_free(paimon_avro_writer *w);

#endif
