/*
 * paimon/dv: deletion-vector framing (reference/paimon-format.md §6.4) and
 * the RoaringBitmap portable serialization (RoaringFormatSpec: cookie 12346
 * without run containers, 12347 | (size - 1) << 16 with them; descriptive
 * header of (key, cardinality - 1) uint16 pairs; offset header when there are
 * no runs or at least 4 containers; array, bitmap (8 KiB) and run
 * containers; all little-endian).
 *
 * Invariant: decoded positions are strictly increasing; anything else
 * (unsorted keys, overlapping runs) is rejected as corrupt.
 */
#include "paimon/dv.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define COOKIE_NO_RUN 12346
#define COOKIE_RUN 12347
#define NO_OFFSET_THRESHOLD 4

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

void paimon_dv_clear(paimon_dv *dv)
{
    if (!dv)
        return;
    free(dv->positions);
    dv->positions = NULL;
    dv->n = 0;
}

static int push(paimon_dv *dv, size_t *cap, uint32_t v, mc_err *err)
{
    if (dv->n && v <= dv->positions[dv->n - 1])
        return mc_err_set(err, MC_ERR_PROTOCOL, "deletion vector: positions not increasing");
    if (dv->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        dv->positions = mc_realloc(dv->positions, *cap * sizeof *dv->positions);
    }
    dv->positions[dv->n++] = v;
    return 0;
}

int paimon_roaring_decode(paimon_dv *out, const uint8_t *d, size_t len, mc_err *err)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0, pos = 0;
    if (len < 4)
        return mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated cookie");
    uint32_t cookie = le32(d);
    pos = 4;
    size_t size = 0;
    const uint8_t *run_flags = NULL;
    bool has_runs = (cookie & 0xffff) == COOKIE_RUN;
    if (has_runs) {
        size = (cookie >> 16) + 1;
        size_t fl = (size + 7) / 8;
        if (len - pos < fl)
            return mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated run flags");
        run_flags = d + pos;
        pos += fl;
    } else if (cookie == COOKIE_NO_RUN) {
        if (len - pos < 4)
            return mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated size");
        size = le32(d + pos);
        pos += 4;
    } else {
        return mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: unknown cookie %u", cookie);
    }
    if (size > 65536 || (len - pos) / 4 < size)
        return mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: %zu containers exceed the data", size);
    const uint8_t *hdr = d + pos;
    pos += 4 * size;
    if (!has_runs || size >= NO_OFFSET_THRESHOLD) {
        if ((len - pos) / 4 < size)
            return mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated offsets");
        pos += 4 * size; /* containers are also laid out in order; offsets not needed */
    }
    int prev_key = -1;
    for (size_t c = 0; c < size; c++) {
        uint32_t key = le16(hdr + 4 * c);
        uint32_t card = (uint32_t)le16(hdr + 4 * c + 2) + 1;
        if ((int)key <= prev_key) {
            paimon_dv_clear(out);
            return mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: container keys not increasing");
        }
        prev_key = (int)key;
        uint32_t high = key << 16;
        int rc = 0;
        if (run_flags && (run_flags[c / 8] >> (c % 8) & 1)) {
            if (len - pos < 2) {
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated run container");
            } else {
                size_t nruns = le16(d + pos);
                pos += 2;
                if ((len - pos) / 4 < nruns)
                    rc = mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated runs");
                for (size_t r = 0; rc == 0 && r < nruns; r++) {
                    uint32_t start = le16(d + pos + 4 * r), l = le16(d + pos + 4 * r + 2);
                    if (start + l > 0xffff)
                        rc = mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: run past 65535");
                    for (uint32_t v = start; rc == 0 && v <= start + l; v++)
                        rc = push(out, &cap, high | v, err);
                }
                pos += 4 * nruns;
            }
        } else if (card <= 4096) {
            if ((len - pos) / 2 < card)
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated array container");
            for (uint32_t i = 0; rc == 0 && i < card; i++)
                rc = push(out, &cap, high | le16(d + pos + 2 * i), err);
            pos += 2 * card;
        } else {
            if (len - pos < 8192)
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "roaring bitmap: truncated bitmap container");
            for (uint32_t w = 0; rc == 0 && w < 1024; w++) {
                const uint8_t *p = d + pos + 8 * w;
                for (uint32_t bit = 0; rc == 0 && bit < 64; bit++)
                    if (p[bit / 8] >> (bit % 8) & 1)
                        rc = push(out, &cap, high | (w * 64 + bit), err);
            }
            pos += 8192;
        }
        if (rc != 0) {
            paimon_dv_clear(out);
            return -1;
        }
    }
    return 0;
}

int paimon_dv_read(paimon_dv *out, const uint8_t *file, size_t file_len, int64_t offset,
                   int64_t length, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (file_len < 1 || file[0] != PAIMON_DV_INDEX_VERSION)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "deletion-vector index file version %d is not supported",
                          file_len ? file[0] : -1);
    if (offset < 1 || length < 4 || (uint64_t)offset > file_len ||
        file_len - (uint64_t)offset < (uint64_t)length + 8)
        return mc_err_set(err, MC_ERR_PROTOCOL,
                          "deletion-vector range [%lld, +%lld] lies outside the %zu-byte index file",
                          (long long)offset, (long long)length, file_len);
    const uint8_t *p = file + offset;
    uint32_t stored_len = be32(p);
    if (le32(p + 4) == 1681511377u)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "64-bit deletion vectors (bitmap64) are not supported");
    if (be32(p + 4) != PAIMON_DV_MAGIC)
        return mc_err_set(err, MC_ERR_PROTOCOL, "deletion vector: bad magic number");
    if (stored_len != (uint64_t)length)
        return mc_err_set(err, MC_ERR_PROTOCOL, "deletion vector: stored length %u, range says %lld",
                          stored_len, (long long)length);
    uint32_t crc = (uint32_t)crc32(0L, p + 4, (uInt)length);
    if (crc != be32(p + 4 + length))
        return mc_err_set(err, MC_ERR_PROTOCOL, "deletion vector: CRC32 mismatch");
    return paimon_roaring_decode(out, p + 8, (size_t)length - 4, err);
}

bool paimon_dv_contains(const paimon_dv *dv, uint64_t position)
{
    size_t lo = 0, hi = dv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dv->positions[mid] == position)
            return true;
        if (dv->positions[mid] < position)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static void put_le16(mc_buf *b, uint32_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    mc_buf_append(b, x, 2);
}

static void put_le32(mc_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    mc_buf_append(b, x, 4);
}

static void put_be32(mc_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    mc_buf_append(b, x, 4);
}

void paimon_dv_write(mc_buf *out, int32_t *range_length, const uint32_t *positions, size_t n)
{
    /* group positions by their high 16 bits */
    mc_buf bm = MC_BUF_INIT;
    size_t ncont = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && positions[j] >> 16 == positions[i] >> 16)
            j++;
        ncont++;
        i = j;
    }
    put_le32(&bm, COOKIE_NO_RUN);
    put_le32(&bm, (uint32_t)ncont);
    for (size_t i = 0; i < n;) { /* descriptive header */
        size_t j = i;
        while (j < n && positions[j] >> 16 == positions[i] >> 16)
            j++;
        put_le16(&bm, positions[i] >> 16);
        put_le16(&bm, (uint32_t)(j - i - 1));
        i = j;
    }
    uint32_t off = (uint32_t)(8 + 8 * ncont);
    for (size_t i = 0; i < n;) { /* offset header */
        size_t j = i;
        while (j < n && positions[j] >> 16 == positions[i] >> 16)
            j++;
        put_le32(&bm, off);
        off += (j - i) <= 4096 ? (uint32_t)(2 * (j - i)) : 8192;
        i = j;
    }
    for (size_t i = 0; i < n;) { /* containers */
        size_t j = i;
        while (j < n && positions[j] >> 16 == positions[i] >> 16)
            j++;
        if (j - i <= 4096) {
            for (size_t k = i; k < j; k++)
                put_le16(&bm, positions[k] & 0xffff);
        } else {
            uint8_t bits[8192] = {0};
            for (size_t k = i; k < j; k++)
                bits[(positions[k] & 0xffff) / 8] |= (uint8_t)(1u << (positions[k] % 8));
            mc_buf_append(&bm, bits, sizeof bits);
        }
        i = j;
    }
    uint32_t len = (uint32_t)(4 + bm.len);
    put_be32(out, len);
    size_t crc_start = out->len;
    put_be32(out, PAIMON_DV_MAGIC);
    mc_buf_append(out, bm.data, bm.len);
    put_be32(out, (uint32_t)crc32(0L, (const Bytef *)out->data + crc_start, (uInt)len));
    *range_length = (int32_t)len;
    mc_buf_free(&bm);
}
