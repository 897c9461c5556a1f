/*
 * paimon/dv: deletion vectors (reference/paimon-format.md §6.4): the
 * 32-bit RoaringBitmap stored per data file inside `index/index-*` files,
 * addressed by the index manifest's _DELETIONS_VECTORS_RANGES.
 *
 * A paimon_dv is the sorted set of deleted 0-based row positions of one data
 * file; it owns its array. Reading checks the length, the magic number and
 * the CRC32 and bounds-checks the Roaring portable format; the 64-bit
 * (bitmap64) variant is refused with MC_ERR_UNSUPPORTED.
 */
#ifndef PAIMON_DV_H
#define PAIMON_DV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"

#define PAIMON_DV_MAGIC 1581511376
#define PAIMON_DV_INDEX_VERSION 1

typedef struct {
    uint32_t *positions; /* strictly increasing */
    size_t n;
} paimon_dv;

/* Reads the vector at [offset, offset + 4 + length + 4) of an index file's
 * bytes (offset and length as in the index manifest range). */
int paimon_dv_read(paimon_dv *out, const uint8_t *file, size_t file_len, int64_t offset,
                   int64_t length, mc_err *err);
/* Decodes a Roaring portable serialization (no Paimon framing). */
int paimon_roaring_decode(paimon_dv *out, const uint8_t *data, size_t len, mc_err *err);
bool paimon_dv_contains(const paimon_dv *dv, uint64_t position);
void paimon_dv_clear(paimon_dv *dv);

/* Appends one framed vector (int32 BE length, magic, Roaring portable bitmap
 * without run containers, CRC32) for sorted unique positions, and returns in
 * *range_length the value for the index manifest's range length.
 * An index file is PAIMON_DV_INDEX_VERSION (one byte) then such vectors. */
void paimon_dv_write(mc_buf *out, int32_t *range_length, const uint32_t *positions, size_t n);

#endif
