/*
 * paimon/parquet: a reader for Parquet data files as Java Paimon (parquet-mr)
 * and other writers produce them (reference/paimon-format.md §7.1).
 *
 * The reader works over a caller-owned byte range holding the whole file.
 * Opening decodes the footer (Thrift compact FileMetaData, paimon/thrift.h)
 * and matches the requested Paimon fields to top-level Parquet columns: by
 * field id when the file carries ids (Paimon >= 1.0), else by name. A field
 * the file lacks reads as NULL. ARRAY, MAP, MULTISET and ROW fields read
 * from Java's layout (3-level LIST, MAP/key_value, groups; ROW fields matched
 * by id or name, missing ones NULL) by record assembly over the leaves'
 * repetition/definition levels, into BinaryArray/BinaryMap/BinaryRow datums
 * (paimon/binrow.h) valid until the next row; other layouts (2-level lists,
 * unannotated repeated fields) fail with MC_ERR_UNSUPPORTED.
 *
 * The reader works over the whole file in memory, or (ranged mode) over a
 * fetch function: opening fetches the file's last PAIMON_PARQUET_TAIL
 * bytes (the whole file when it is no larger, then read as in memory) and
 * the rest of a longer footer; entering a row group fetches the requested
 * columns' chunks and nothing else, chunks that touch in one call. The
 * leading magic is not checked in ranged mode (the trailing one is).
 *
 * Rows are produced one row group at a time: entering a row group decodes
 * every requested column chunk (and only those) into column arrays; the row
 * handed out by _next converts one position of those arrays to paimon_datums.
 * String/binary datums point into the file bytes, the fetched chunks or
 * page buffers the reader owns, valid until the next call.
 *
 * Encodings: PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY, RLE (levels, booleans),
 * BIT_PACKED (levels), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
 * DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT; data pages v1 and v2. Codecs:
 * UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW, LZ4 (Hadoop framing, or a raw
 * block). Malformed input fails with MC_ERR_PROTOCOL naming the problem,
 * never a crash.
 */
#ifndef PAIMON_PARQUET_H
#define PAIMON_PARQUET_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/types.h"

typedef struct paimon_parquet_reader paimon_parquet_reader;

/* data stays owned by the caller and alive until close. fields: the columns wanted, matched by
 * field id when the file has ids, else by name; a field the file lacks reads as NULL. */
int paimon_parquet_reader_open(paimon_parquet_reader **out, const uint8_t *data, size_t len,
                               const paimon_field *fields, size_t nfields, mc_err *err);
/* Reads len bytes at off of the file into out (replacing its contents); 0 or -1. */
typedef int (*paimon_parquet_fetch_fn)(void *ud, uint64_t off, size_t len, mc_buf *out, mc_err *err);

/* Bytes fetched from the end of a file first in ranged mode: footers of
 * files we and parquet-mr write fit in it. */
#define PAIMON_PARQUET_TAIL 65536

/* Ranged mode over a file of `size` bytes; fetch and ud stay alive until close. */
int paimon_parquet_reader_open_ranged(paimon_parquet_reader **out, uint64_t size, paimon_parquet_fetch_fn fetch,
                                      void *ud, const paimon_field *fields, size_t nfields, mc_err *err);
int64_t paimon_parquet_reader_num_rows(const paimon_parquet_reader *r);
/* 1 with *row (nfields datums, valid until the next call), 0 at the end, -1 on error. */
int paimon_parquet_reader_next(paimon_parquet_reader *r, const paimon_datum **row, mc_err *err);
void paimon_parquet_reader_close(paimon_parquet_reader *r);

#endif
