/*
 * paimon/binrow: BinaryRow encode/decode, Java's row hash and the fixed
 * bucket function (reference/paimon-format.md §5.1-§5.3).
 *
 * Invariants of a row we write: total length is a multiple of 8; every
 * variable item starts at an 8-aligned offset from the row start and is
 * zero padded; slot bytes not used by a value are zero.
 */
#include "paimon/binrow.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

size_t paimon_binrow_bitset_size(size_t arity)
{
    return ((arity + 63 + 8) / 64) * 8;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Appends a zeroed variable item of `size` bytes (padded) and returns its offset. */
static size_t var_reserve(mc_buf *out, size_t row_start, size_t size)
{
    size_t off = out->len - row_start;
    size_t padded = pad8(size);
    mc_buf_reserve(out, padded);
    memset(out->data + out->len, 0, padded);
    out->len += padded;
    out->data[out->len] = 0;
    return off;
}

/* Writes the non-null value v of type t into the slot at out->data[slot]
 * (slot width: 8 in a row, the element size in an array); variable parts are
 * appended to out with offsets relative to `start` (the row or array start).
 * Java's AbstractBinaryWriter rules, shared by BinaryRow and BinaryArray:
 * strings/binary up to 7 bytes inline, compact decimals (p <= 18) and
 * timestamps (p <= 3) in the slot, everything else (nested values included)
 * in the variable part as offset << 32 | size. */
static void put_value(mc_buf *out, size_t start, size_t slot, const paimon_type *t, const paimon_datum *v)
{
    uint8_t *s;
    switch (t->id) {
    case PAIMON_BOOLEAN:
    case PAIMON_TINYINT:
        out->data[slot] = (char)(uint8_t)v->i;
        break;
    case PAIMON_SMALLINT:
        put_le((uint8_t *)out->data + slot, (uint64_t)v->i, 2);
        break;
    case PAIMON_INT:
    case PAIMON_DATE:
    case PAIMON_TIME:
        put_le((uint8_t *)out->data + slot, (uint64_t)v->i, 4);
        break;
    case PAIMON_BIGINT:
        put_le((uint8_t *)out->data + slot, (uint64_t)v->i, 8);
        break;
    case PAIMON_FLOAT: {
        float f = (float)v->d;
        uint32_t u;
        memcpy(&u, &f, 4);
        put_le((uint8_t *)out->data + slot, u, 4);
        break;
    }
    case PAIMON_DOUBLE: {
        uint64_t u;
        memcpy(&u, &v->d, 8);
        put_le((uint8_t *)out->data + slot, u, 8);
        break;
    }
    case PAIMON_DECIMAL:
        if (t->precision <= 18) {
            put_le((uint8_t *)out->data + slot, (uint64_t)(int64_t)v->dec, 8);
        } else {
            uint8_t b[16];
            size_t len = paimon_decimal_to_bytes(b, v->dec);
            size_t off = var_reserve(out, start, 16);
            memcpy(out->data + start + off, b, len);
            put_le((uint8_t *)out->data + slot, ((uint64_t)off << 32) | len, 8);
        }
        break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (t->precision <= 3) {
            put_le((uint8_t *)out->data + slot, (uint64_t)v->i, 8);
        } else {
            size_t off = var_reserve(out, start, 8);
            put_le((uint8_t *)out->data + start + off, (uint64_t)v->i, 8);
            put_le((uint8_t *)out->data + slot, ((uint64_t)off << 32) | (uint32_t)v->nanos, 8);
        }
        break;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
        if (v->len <= 7) {
            s = (uint8_t *)out->data + slot;
            if (v->len)
                memcpy(s, v->ptr, v->len);
            s[7] = (uint8_t)(0x80 | v->len);
            break;
        }
        /* long strings go to the variable part */
        __attribute__((fallthrough));
    default: {
        size_t off = var_reserve(out, start, v->len);
        if (v->len)
            memcpy(out->data + start + off, v->ptr, v->len);
        put_le((uint8_t *)out->data + slot, ((uint64_t)off << 32) | (uint32_t)v->len, 8);
        break;
    }
    }
}

void paimon_binrow_write(mc_buf *out, uint8_t row_kind, const paimon_type *const *types,
                         const paimon_datum *vals, size_t n)
{
    size_t start = out->len;
    size_t bits = paimon_binrow_bitset_size(n);
    size_t fixed = bits + 8 * n;
    mc_buf_reserve(out, fixed);
    memset(out->data + start, 0, fixed);
    out->len += fixed;
    out->data[start] = (char)row_kind;
    for (size_t i = 0; i < n; i++) {
        const paimon_type *t = types[i];
        const paimon_datum *v = &vals[i];
        size_t slot = start + bits + 8 * i;
        if (v->is_null) {
            out->data[start + (i + 8) / 8] |= (char)(1u << ((i + 8) % 8));
            /* §5.1: null non-compact decimals/timestamps still reserve space. */
            if (t->id == PAIMON_DECIMAL && t->precision > 18) {
                size_t off = var_reserve(out, start, 16);
                put_le((uint8_t *)out->data + slot, (uint64_t)off << 32, 8);
            } else if ((t->id == PAIMON_TIMESTAMP || t->id == PAIMON_TIMESTAMP_LTZ) &&
                       t->precision > 3) {
                size_t off = var_reserve(out, start, 8);
                put_le((uint8_t *)out->data + slot, (uint64_t)off << 32, 8);
            }
            continue;
        }
        put_value(out, start, slot, t, v);
    }
    assert((out->len - start) % 8 == 0);
}

/* Reads the non-null value of type t from slot s of the item base[0..len)
 * (a row or an array) that variable references are relative to. */
static int get_value(paimon_datum *v, const paimon_type *t, const uint8_t *base, size_t len, const uint8_t *s,
                     size_t i, mc_err *err)
{
    uint64_t w = 0;
    size_t have = (size_t)(base + len - s);
    w = get_le(s, have < 8 ? (int)have : 8);
    size_t off = (size_t)(w >> 32);
    size_t vlen = (size_t)(w & 0xffffffffu);
    switch (t->id) {
    case PAIMON_BOOLEAN: v->i = s[0] != 0; break;
    case PAIMON_TINYINT: v->i = (int8_t)s[0]; break;
    case PAIMON_SMALLINT: v->i = (int16_t)get_le(s, 2); break;
    case PAIMON_INT:
    case PAIMON_DATE:
    case PAIMON_TIME: v->i = (int32_t)get_le(s, 4); break;
    case PAIMON_BIGINT: v->i = (int64_t)w; break;
    case PAIMON_FLOAT: {
        uint32_t u = (uint32_t)get_le(s, 4);
        float f;
        memcpy(&f, &u, 4);
        v->d = f;
        break;
    }
    case PAIMON_DOUBLE: memcpy(&v->d, &w, 8); break;
    case PAIMON_DECIMAL:
        if (t->precision <= 18) {
            v->dec = (int64_t)w;
            break;
        }
        if (vlen == 0 || vlen > 16 || off > len || len - off < vlen)
            return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryRow field %zu: bad decimal reference", i);
        v->dec = paimon_decimal_from_bytes(base + off, vlen);
        break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (t->precision <= 3) {
            v->i = (int64_t)w;
            break;
        }
        if (off > len || len - off < 8 || vlen > 999999)
            return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryRow field %zu: bad timestamp reference", i);
        v->i = (int64_t)get_le(base + off, 8);
        v->nanos = (int32_t)vlen;
        break;
    default:
        if (s[7] & 0x80) { /* inline, §5.1 */
            size_t l = s[7] & 0x7f;
            if (l > 7)
                return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryRow field %zu: bad inline length", i);
            v->ptr = s;
            v->len = l;
            break;
        }
        if (off > len || len - off < vlen)
            return mc_err_set(err, MC_ERR_PROTOCOL,
                              "BinaryRow field %zu: variable part [%zu, +%zu) outside the %zu-byte row", i,
                              off, vlen, len);
        v->ptr = base + off;
        v->len = vlen;
        break;
    }
    return 0;
}

int paimon_binrow_read(paimon_datum *out, uint8_t *row_kind, const paimon_type *const *types,
                       size_t n, const uint8_t *row, size_t len, mc_err *err)
{
    size_t bits = paimon_binrow_bitset_size(n);
    if (len < bits + 8 * n)
        return mc_err_set(err, MC_ERR_PROTOCOL,
                          "BinaryRow of %zu bytes is shorter than its fixed part (%zu fields)", len, n);
    if (row_kind)
        *row_kind = row[0];
    for (size_t i = 0; i < n; i++) {
        paimon_datum *v = &out[i];
        memset(v, 0, sizeof *v);
        if (row[(i + 8) / 8] & (1u << ((i + 8) % 8))) {
            v->is_null = true;
            continue;
        }
        if (get_value(v, types[i], row, len, row + bits + 8 * i, i, err) != 0)
            return -1;
    }
    return 0;
}

/* ---- BinaryArray and BinaryMap ---- */

static size_t array_header(size_t n)
{
    return 4 + ((n + 31) / 32) * 4;
}

size_t paimon_binarray_elem_size(const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_BOOLEAN:
    case PAIMON_TINYINT: return 1;
    case PAIMON_SMALLINT: return 2;
    case PAIMON_INT:
    case PAIMON_FLOAT:
    case PAIMON_DATE:
    case PAIMON_TIME: return 4;
    default: return 8;
    }
}

void paimon_binarray_write(mc_buf *out, const paimon_type *elem, const paimon_datum *vals, size_t n)
{
    size_t start = out->len;
    size_t hdr = array_header(n), es = paimon_binarray_elem_size(elem);
    size_t fixed = pad8(hdr + es * n);
    mc_buf_reserve(out, fixed);
    memset(out->data + start, 0, fixed);
    out->len += fixed;
    put_le((uint8_t *)out->data + start, (uint64_t)n, 4);
    for (size_t i = 0; i < n; i++) {
        if (vals[i].is_null) /* BinaryArrayWriter.setNullAt: bit set, zero slot, no reservation */
            out->data[start + 4 + i / 8] |= (char)(1u << (i % 8));
        else
            put_value(out, start, start + hdr + es * i, elem, &vals[i]);
    }
    assert((out->len - start) % 8 == 0);
}

int paimon_binarray_size(size_t *n, const uint8_t *p, size_t len, mc_err *err)
{
    if (len < 4)
        return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryArray of %zu bytes lacks its size", len);
    uint32_t k = (uint32_t)get_le(p, 4);
    if (k > len || array_header(k) > len)
        return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryArray of %u elements in %zu bytes", k, len);
    *n = k;
    return 0;
}

int paimon_binarray_read(paimon_datum *out, const paimon_type *elem, size_t n, const uint8_t *p, size_t len,
                         mc_err *err)
{
    size_t k;
    if (paimon_binarray_size(&k, p, len, err) != 0)
        return -1;
    size_t hdr = array_header(k), es = paimon_binarray_elem_size(elem);
    if (k != n || (len - hdr) / es < k)
        return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryArray of %zu elements in %zu bytes (expected %zu)", k,
                          len, n);
    for (size_t i = 0; i < n; i++) {
        paimon_datum *v = &out[i];
        memset(v, 0, sizeof *v);
        if (p[4 + i / 8] & (1u << (i % 8))) {
            v->is_null = true;
            continue;
        }
        if (get_value(v, elem, p, len, p + hdr + es * i, i, err) != 0)
            return mc_err_prefix(err, "BinaryArray element %zu", i);
    }
    return 0;
}

void paimon_binmap_write(mc_buf *out, const paimon_type *key, const paimon_type *value, const paimon_datum *keys,
                         const paimon_datum *values, size_t n)
{
    size_t at = out->len;
    mc_buf_append(out, "\0\0\0\0", 4);
    paimon_binarray_write(out, key, keys, n);
    put_le((uint8_t *)out->data + at, (uint64_t)(out->len - at - 4), 4);
    paimon_binarray_write(out, value, values, n);
}

int paimon_binmap_split(const uint8_t **keys, size_t *klen, const uint8_t **values, size_t *vlen,
                        const uint8_t *p, size_t len, mc_err *err)
{
    if (len < 4 || get_le(p, 4) > len - 4)
        return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryMap of %zu bytes has a bad key array size", len);
    *klen = (size_t)get_le(p, 4);
    *keys = p + 4;
    *values = p + 4 + *klen;
    *vlen = len - 4 - *klen;
    return 0;
}

/* MULTISET values are a map to INT NOT NULL (Java MultisetType, InternalMap). */
static const paimon_type MULTISET_COUNT = {.id = PAIMON_INT, .nullable = false};

const paimon_type *paimon_nested_child_type(const paimon_type *t, size_t i, size_t n)
{
    switch (t->id) {
    case PAIMON_ARRAY: return t->element;
    case PAIMON_MAP: return i < n ? t->key : t->value;
    case PAIMON_MULTISET: return i < n ? t->element : &MULTISET_COUNT;
    case PAIMON_ROW: return t->fields[i].type;
    default: return NULL;
    }
}

int paimon_nested_read(paimon_datum **out, size_t *n, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    *out = NULL;
    *n = 0;
    size_t k;
    switch (t->id) {
    case PAIMON_ARRAY:
        if (paimon_binarray_size(&k, d->ptr, d->len, err) != 0)
            return -1;
        *out = mc_calloc(k ? k : 1, sizeof **out);
        if (paimon_binarray_read(*out, t->element, k, d->ptr, d->len, err) != 0)
            goto fail;
        *n = k;
        return 0;
    case PAIMON_MAP:
    case PAIMON_MULTISET: {
        const uint8_t *kp, *vp;
        size_t kl, vl, vk;
        if (paimon_binmap_split(&kp, &kl, &vp, &vl, d->ptr, d->len, err) != 0 ||
            paimon_binarray_size(&k, kp, kl, err) != 0 || paimon_binarray_size(&vk, vp, vl, err) != 0)
            return -1;
        if (vk != k)
            return mc_err_set(err, MC_ERR_PROTOCOL, "BinaryMap with %zu keys and %zu values", k, vk);
        *out = mc_calloc(k ? 2 * k : 1, sizeof **out);
        if (paimon_binarray_read(*out, paimon_nested_child_type(t, 0, k), k, kp, kl, err) != 0 ||
            paimon_binarray_read(*out + k, paimon_nested_child_type(t, k, k), k, vp, vl, err) != 0)
            goto fail;
        *n = k;
        return 0;
    }
    case PAIMON_ROW: {
        const paimon_type **types = mc_calloc(t->nfields ? t->nfields : 1, sizeof *types);
        for (size_t i = 0; i < t->nfields; i++)
            types[i] = t->fields[i].type;
        *out = mc_calloc(t->nfields ? t->nfields : 1, sizeof **out);
        int rc = paimon_binrow_read(*out, NULL, types, t->nfields, d->ptr, d->len, err);
        free(types);
        if (rc != 0)
            goto fail;
        *n = t->nfields;
        return 0;
    }
    default:
        return mc_err_set(err, MC_ERR_INVALID, "not a nested type");
    }
fail:
    free(*out);
    *out = NULL;
    return -1;
}

void paimon_binrow_serialize(mc_buf *out, int32_t arity, const uint8_t *row, size_t len)
{
    uint8_t h[4] = {(uint8_t)((uint32_t)arity >> 24), (uint8_t)((uint32_t)arity >> 16),
                    (uint8_t)((uint32_t)arity >> 8), (uint8_t)arity};
    mc_buf_append(out, h, 4);
    mc_buf_append(out, row, len);
}

int paimon_binrow_deserialize(int32_t *arity, const uint8_t **row, size_t *row_len,
                              const uint8_t *data, size_t len, mc_err *err)
{
    if (len < 4)
        return mc_err_set(err, MC_ERR_PROTOCOL, "serialized BinaryRow of %zu bytes lacks its arity",
                          len);
    *arity = (int32_t)(((uint32_t)data[0] << 24) | ((uint32_t)data[1] << 16) |
                       ((uint32_t)data[2] << 8) | data[3]);
    if (*arity < 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "serialized BinaryRow has negative arity");
    *row = data + 4;
    *row_len = len - 4;
    return 0;
}

void paimon_binrow_write_serialized(mc_buf *out, const paimon_type *const *types,
                                    const paimon_datum *vals, size_t n)
{
    mc_buf row = MC_BUF_INIT;
    paimon_binrow_write(&row, 0, types, vals, n);
    paimon_binrow_serialize(out, (int32_t)n, (const uint8_t *)row.data, row.len);
    mc_buf_free(&row);
}

int paimon_binrow_read_serialized(paimon_datum *out, const paimon_type *const *types, size_t n,
                                  const uint8_t *data, size_t len, mc_err *err)
{
    int32_t arity = 0;
    const uint8_t *row = NULL;
    size_t rl = 0;
    if (paimon_binrow_deserialize(&arity, &row, &rl, data, len, err) != 0)
        return -1;
    if ((size_t)arity != n)
        return mc_err_set(err, MC_ERR_PROTOCOL, "serialized BinaryRow has %d fields, expected %zu",
                          arity, n);
    return paimon_binrow_read(out, NULL, types, n, row, rl, err);
}

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

int32_t paimon_binrow_hash(const uint8_t *row, size_t len)
{
    uint32_t h = 42;
    assert(len % 4 == 0);
    for (size_t i = 0; i + 4 <= len; i += 4) {
        uint32_t k = (uint32_t)get_le(row + i, 4);
        k *= 0xcc9e2d51u;
        k = rotl32(k, 15);
        k *= 0x1b873593u;
        h ^= k;
        h = rotl32(h, 13);
        h = h * 5 + 0xe6546b64u;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return (int32_t)h;
}

int32_t paimon_bucket_of_hash(int32_t hash, int32_t num_buckets)
{
    assert(num_buckets > 0);
    int32_t r = hash % num_buckets; /* C99 `%` truncates like Java's */
    return r < 0 ? -r : r;
}

int32_t paimon_bucket_of_key(const paimon_type *const *types, const paimon_datum *vals, size_t n,
                             int32_t num_buckets)
{
    mc_buf row = MC_BUF_INIT;
    paimon_binrow_write(&row, 0, types, vals, n);
    int32_t b = paimon_bucket_of_hash(paimon_binrow_hash((const uint8_t *)row.data, row.len),
                                      num_buckets);
    mc_buf_free(&row);
    return b;
}
