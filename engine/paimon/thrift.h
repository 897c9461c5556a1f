/*
 * paimon/thrift: a reader for Thrift's compact protocol, the encoding of
 * Parquet's footer (FileMetaData) and page headers.
 *
 * A paimon_thrift is a cursor over a borrowed byte range. Every read is
 * bounds-checked and fails with MC_ERR_PROTOCOL naming the problem; after a
 * failure the cursor is not used again. Struct decoders loop over
 * paimon_thrift_field until it reports PAIMON_THRIFT_STOP and hand any field
 * they do not know (or whose wire type is unexpected) to paimon_thrift_skip,
 * which walks every compact type, nested structs/lists/maps included, with a
 * depth limit so hostile input cannot exhaust the stack.
 *
 * Wire format: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */
#ifndef PAIMON_THRIFT_H
#define PAIMON_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"

/* Compact protocol wire types. */
enum {
    PAIMON_THRIFT_STOP = 0,
    PAIMON_THRIFT_TRUE = 1,
    PAIMON_THRIFT_FALSE = 2,
    PAIMON_THRIFT_I8 = 3,
    PAIMON_THRIFT_I16 = 4,
    PAIMON_THRIFT_I32 = 5,
    PAIMON_THRIFT_I64 = 6,
    PAIMON_THRIFT_DOUBLE = 7,
    PAIMON_THRIFT_BINARY = 8,
    PAIMON_THRIFT_LIST = 9,
    PAIMON_THRIFT_SET = 10,
    PAIMON_THRIFT_MAP = 11,
    PAIMON_THRIFT_STRUCT = 12
};

#define PAIMON_THRIFT_MAX_DEPTH 64

typedef struct {
    const uint8_t *data;
    size_t len;
    size_t pos;
    int depth;   /* struct nesting entered by decoders and skip */
    mc_err *err;
} paimon_thrift;

void paimon_thrift_init(paimon_thrift *t, const uint8_t *data, size_t len, mc_err *err);

/* Next field header of the current struct. *last is the previous field id of
 * this struct (start with 0); *type is PAIMON_THRIFT_STOP at the end. For
 * booleans the value is the type (TRUE/FALSE). */
int paimon_thrift_field(paimon_thrift *t, int16_t *last, int16_t *id, uint8_t *type);
int paimon_thrift_varint(paimon_thrift *t, uint64_t *v);
int paimon_thrift_i32(paimon_thrift *t, int32_t *v);  /* zigzag varint, range-checked */
int paimon_thrift_i64(paimon_thrift *t, int64_t *v);
/* A binary/string: pointer into the input and its length. */
int paimon_thrift_binary(paimon_thrift *t, const uint8_t **p, size_t *n);
/* List or set header; *n is bounded by the bytes left (every element takes at
 * least one byte), so callers may allocate n elements. */
int paimon_thrift_list(paimon_thrift *t, uint8_t *elem_type, size_t *n);
/* Skips one value of the given wire type. */
int paimon_thrift_skip(paimon_thrift *t, uint8_t type);
/* Enter/leave a nested struct (depth accounting for decoders). */
int paimon_thrift_enter(paimon_thrift *t);
void paimon_thrift_leave(paimon_thrift *t);

#endif
