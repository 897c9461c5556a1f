/*
 * paimon/parquet_writer: encodes rows into one Parquet data file laid out
 * the way Java Paimon's parquet-mr 1.13 writer lays it out
 * (reference/paimon-format.md §7.1): root message `paimon_schema`, Paimon
 * field ids, one row group, data page v1, dictionary encoding with
 * parquet-mr's fallback rules, column and offset indexes, footer statistics.
 *
 * Nested columns (ARRAY, MAP, MULTISET, ROW; datums hold BinaryArray/
 * BinaryMap/BinaryRow bytes) are shredded into leaf columns with Dremel
 * repetition/definition levels in ParquetSchemaConverter's layout; a NULL
 * map key (Parquet keys are REQUIRED) is refused. VARIANT and VECTOR columns
 * are refused with MC_ERR_UNSUPPORTED.
 */
#ifndef PAIMON_PARQUET_WRITER_H
#define PAIMON_PARQUET_WRITER_H

#include <stddef.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/schema.h"
#include "paimon/types.h"

/* Encodes rows (schema field order) into one Parquet file appended to out,
 * as Java Paimon's parquet-mr writer lays it out. compression: the table's
 * file.compression (NULL = zstd level 1; also none/uncompressed, snappy,
 * gzip, lz4 -> LZ4_RAW; case-insensitive). A paimon_encode_fn. */
int paimon_encode_parquet(mc_buf *out, const paimon_schema *s, const paimon_datum *const *rows, size_t n,
                          const char *compression, mc_err *err);

#endif
