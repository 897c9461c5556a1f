/*
 * paimon/binrow: Paimon's BinaryRow (reference/paimon-format.md §5): the
 * fixed-width, little-endian row layout used for partitions, keys and
 * statistics in manifests, and hashed to pick fixed buckets.
 *
 * A row is described by an array of n types and n paimon_datum values.
 * Writing produces Java's exact bytes (header byte = row kind, null bits,
 * 8-byte slots, 8-byte aligned variable part; null non-compact decimals and
 * timestamps still reserve their variable space, §5.1). Reading fills datums
 * that BORROW from the row bytes (strings, binary, nested values): keep the
 * row alive while using them.
 */
#ifndef PAIMON_BINROW_H
#define PAIMON_BINROW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "paimon/types.h"

/* Row kinds stored in the header byte (§5.1). */
enum { PAIMON_ROWKIND_INSERT = 0, PAIMON_ROWKIND_UPDATE_BEFORE = 1,
       PAIMON_ROWKIND_UPDATE_AFTER = 2, PAIMON_ROWKIND_DELETE = 3 };

/* Size of the null-bit set (incl. the header byte) for an arity. */
size_t paimon_binrow_bitset_size(size_t arity);

/* Appends the BinaryRow bytes of vals (n fields typed by types[i]) to out. */
void paimon_binrow_write(mc_buf *out, uint8_t row_kind, const paimon_type *const *types,
                         const paimon_datum *vals, size_t n);

/* Decodes a row of n fields. Fails (never reads out of bounds) when the row
 * is shorter than its fixed part or a variable reference points outside it. */
int paimon_binrow_read(paimon_datum *out, uint8_t *row_kind, const paimon_type *const *types,
                       size_t n, const uint8_t *row, size_t len, mc_err *err);

/*
 * BinaryArray (Java BinaryArray/BinaryArrayWriter): 4-byte LE element count,
 * null bits padded to 4-byte words, fixed-width element slots (1, 2, 4 or 8
 * bytes by type), the whole fixed part padded to 8, then variable parts
 * (offsets relative to the array start). BinaryMap: 4-byte LE size of the
 * key array, the key BinaryArray, the value BinaryArray.
 *
 * These are the in-memory form of nested datums (types.h): an ARRAY datum
 * holds a BinaryArray, MAP and MULTISET a BinaryMap, ROW a BinaryRow.
 */
size_t paimon_binarray_elem_size(const paimon_type *t);
void paimon_binarray_write(mc_buf *out, const paimon_type *elem, const paimon_datum *vals, size_t n);
/* Element count of a BinaryArray (checked against len). */
int paimon_binarray_size(size_t *n, const uint8_t *p, size_t len, mc_err *err);
/* Decodes all n elements (n must be the array's count); datums borrow p. */
int paimon_binarray_read(paimon_datum *out, const paimon_type *elem, size_t n, const uint8_t *p, size_t len,
                         mc_err *err);
void paimon_binmap_write(mc_buf *out, const paimon_type *key, const paimon_type *value, const paimon_datum *keys,
                         const paimon_datum *values, size_t n);
int paimon_binmap_split(const uint8_t **keys, size_t *klen, const uint8_t **values, size_t *vlen,
                        const uint8_t *p, size_t len, mc_err *err);

/* The children of a non-null nested datum, malloc'ed into *out (free it):
 * ARRAY n elements; MAP/MULTISET n keys then n values (2n datums); ROW its
 * n fields. Children borrow d's bytes. */
int paimon_nested_read(paimon_datum **out, size_t *n, const paimon_type *t, const paimon_datum *d, mc_err *err);
/* Type of child i of a nested value with n entries (for maps i < n is a key,
 * i >= n a value; a MULTISET's value is INT NOT NULL). */
const paimon_type *paimon_nested_child_type(const paimon_type *t, size_t i, size_t n);

/* Field count implied by nothing but the bytes is unknowable; arity comes
 * from the manifest form (§5.2): 4-byte big-endian arity + row bytes. */
void paimon_binrow_serialize(mc_buf *out, int32_t arity, const uint8_t *row, size_t len);
/* Splits a manifest-form value into arity and row (row borrows data). */
int paimon_binrow_deserialize(int32_t *arity, const uint8_t **row, size_t *row_len,
                              const uint8_t *data, size_t len, mc_err *err);
/* Convenience: manifest form of a row (arity n) written from datums. */
void paimon_binrow_write_serialized(mc_buf *out, const paimon_type *const *types,
                                    const paimon_datum *vals, size_t n);
/* Convenience: decode a manifest-form value of exactly n fields. */
int paimon_binrow_read_serialized(paimon_datum *out, const paimon_type *const *types, size_t n,
                                  const uint8_t *data, size_t len, mc_err *err);

/* BinaryRow.hashCode(): MurmurHash3-32 over 4-byte LE words, seed 42 (§5.3).
 * len must be a multiple of 4 (rows are multiples of 8). */
int32_t paimon_binrow_hash(const uint8_t *row, size_t len);
/* Fixed bucket of a hash: abs(hash % num_buckets) with Java's `%` (§5.3). */
int32_t paimon_bucket_of_hash(int32_t hash, int32_t num_buckets);
/* Bucket of a key row given as datums: builds the BinaryRow (kind +I), hashes it. */
int32_t paimon_bucket_of_key(const paimon_type *const *types, const paimon_datum *vals, size_t n,
                             int32_t num_buckets);

#endif
