/*
 * paimon/parquet_writer: one Parquet file from rows, in parquet-mr 1.13.1's
 * layout as Java Paimon drives it (reference/paimon-format.md §7.1).
 *
 * File layout: "PAR1", one row group whose column chunks follow in schema
 * order (each: the dictionary page, if any, then its data pages), then the
 * column indexes of all columns, then their offset indexes, then the
 * FileMetaData footer, its length (u32 LE) and "PAR1".
 *
 * What is copied from parquet-mr, so readers see what they see in Java's
 * files:
 * - Page boundaries: ColumnWriteStoreBase.sizeCheck (1 MiB pages with 10%
 *   tolerance, checks every 100..10000 rows, at most 20000 rows a page);
 *   a page's size is the plain size of its values (FallbackValuesWriter).
 * - Dictionary: every type but BOOLEAN starts dictionary-encoded; the first
 *   page falls back to PLAIN when dictionary + encoded ids are not smaller
 *   than the plain values; any page falls back when the dictionary passes
 *   1 MiB (pages already written keep their dictionary encoding).
 * - Levels: repetition then definition levels, RLE with a 4-byte length
 *   prefix, where the column's maximum level is > 0; none (BIT_PACKED in
 *   the header) where it is 0. Pages end on row boundaries.
 *   The RLE/bit-packed hybrid encoder follows RunLengthBitPackingHybridEncoder.
 * - Statistics: ParquetMetadataConverter.toParquetStatistics — deprecated
 *   min/max only for signed sort orders (or min == max), min_value/max_value
 *   unless INT96 (or min == max), nothing at all when min+max >= 4 KiB.
 * - Page CRCs (on by default since 1.12), encoding stats, column orders.
 *
 * Invariants: values are borrowed from the rows for the whole call; every
 * column's page boundaries are fixed before any page is encoded.
 */
#include "paimon/parquet_writer.h"

#include <assert.h>
#include <lz4.h>
#include <math.h>
#include <snappy-c.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <zstd.h>

#include "paimon/binrow.h"

#define PQ_CREATED_BY "mcdlf version 0.1.0"
#define PQ_PAGE_SIZE 1048576          /* parquet.page.size */
#define PQ_PAGE_TOLERANCE 104857      /* 10% of the page size */
#define PQ_PAGE_ROW_LIMIT 20000       /* parquet.page.row.count.limit */
#define PQ_MIN_ROWS_CHECK 100         /* parquet.page.size.row.check.min */
#define PQ_MAX_ROWS_CHECK 10000       /* parquet.page.size.row.check.max */
#define PQ_DICT_MAX_BYTES 1048576     /* parquet.dictionary.page.size */
#define PQ_MAX_STATS_SIZE 4096        /* ParquetMetadataConverter.MAX_STATS_SIZE */
#define PQ_INDEX_TRUNCATE 64          /* parquet.columnindex.truncate.length */

/* parquet.thrift enums */
enum { PT_BOOLEAN = 0, PT_INT32 = 1, PT_INT64 = 2, PT_INT96 = 3, PT_FLOAT = 4, PT_DOUBLE = 5, PT_BYTE_ARRAY = 6, PT_FLBA = 7 };
enum { ENC_PLAIN = 0, ENC_PLAIN_DICTIONARY = 2, ENC_RLE = 3, ENC_BIT_PACKED = 4 };
enum { CT_NONE = -1, CT_UTF8 = 0, CT_MAP = 1, CT_LIST = 3, CT_DECIMAL = 5, CT_DATE = 6, CT_TIME_MILLIS = 7, CT_TIMESTAMP_MILLIS = 9,
       CT_TIMESTAMP_MICROS = 10, CT_INT_8 = 15, CT_INT_16 = 16 };
enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { CODEC_NONE = 0, CODEC_SNAPPY = 1, CODEC_GZIP = 2, CODEC_ZSTD = 6, CODEC_LZ4_RAW = 7 };
/* LogicalType union members we write */
enum { LT_NONE = 0, LT_STRING = 1, LT_MAP = 2, LT_LIST = 3, LT_DECIMAL = 5, LT_DATE = 6, LT_TIME = 7, LT_TIMESTAMP = 8, LT_INTEGER = 10 };

/* ---------------------------------------------------------------------------
 * Thrift compact protocol encoder (just what the Parquet structures need).
 */
enum { TC_TRUE = 1, TC_FALSE = 2, TC_BYTE = 3, TC_I32 = 5, TC_I64 = 6, TC_BINARY = 8, TC_LIST = 9, TC_STRUCT = 12 };

typedef struct {
    mc_buf *b;
    int16_t last[16]; /* last field id per open struct */
    int depth;
} tc_w;

static void tc_init(tc_w *w, mc_buf *b)
{
    w->b = b;
    w->depth = 0;
    w->last[0] = 0;
}

static void tc_varint(mc_buf *b, uint64_t v)
{
    while (v >= 0x80) {
        mc_buf_putc(b, (char)(v | 0x80));
        v >>= 7;
    }
    mc_buf_putc(b, (char)v);
}

static uint64_t tc_zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static void tc_field(tc_w *w, int16_t id, int type)
{
    int delta = id - w->last[w->depth];
    if (delta > 0 && delta <= 15) {
        mc_buf_putc(w->b, (char)(delta << 4 | type));
    } else {
        mc_buf_putc(w->b, (char)type);
        tc_varint(w->b, tc_zigzag(id));
    }
    w->last[w->depth] = id;
}

static void tc_i32(tc_w *w, int16_t id, int32_t v)
{
    tc_field(w, id, TC_I32);
    tc_varint(w->b, tc_zigzag(v));
}

static void tc_i64(tc_w *w, int16_t id, int64_t v)
{
    tc_field(w, id, TC_I64);
    tc_varint(w->b, tc_zigzag(v));
}

static void tc_byte(tc_w *w, int16_t id, int8_t v)
{
    tc_field(w, id, TC_BYTE);
    mc_buf_putc(w->b, (char)v);
}

static void tc_bool(tc_w *w, int16_t id, bool v)
{
    tc_field(w, id, v ? TC_TRUE : TC_FALSE);
}

static void tc_raw_bin(mc_buf *b, const void *p, size_t n)
{
    tc_varint(b, n);
    mc_buf_append(b, p, n);
}

static void tc_bin(tc_w *w, int16_t id, const void *p, size_t n)
{
    tc_field(w, id, TC_BINARY);
    tc_raw_bin(w->b, p, n);
}

static void tc_push(tc_w *w)
{
    assert(w->depth + 1 < (int)(sizeof w->last / sizeof w->last[0]));
    w->last[++w->depth] = 0;
}

/* A struct-typed field; close with tc_end. */
static void tc_begin(tc_w *w, int16_t id)
{
    tc_field(w, id, TC_STRUCT);
    tc_push(w);
}

/* Stop byte of the innermost open struct (or of the top-level one). */
static void tc_end(tc_w *w)
{
    mc_buf_putc(w->b, 0);
    if (w->depth > 0)
        w->depth--;
}

static void tc_list(tc_w *w, int16_t id, int etype, size_t n)
{
    tc_field(w, id, TC_LIST);
    if (n < 15) {
        mc_buf_putc(w->b, (char)(n << 4 | etype));
    } else {
        mc_buf_putc(w->b, (char)(0xF0 | etype));
        tc_varint(w->b, n);
    }
}

/* ---------------------------------------------------------------------------
 * RLE / bit-packing hybrid encoder, step for step parquet-mr's
 * RunLengthBitPackingHybridEncoder (so runs split where Java splits them).
 */
typedef struct {
    mc_buf *out;
    int bw;
    uint32_t prev;
    uint32_t repeat;
    uint32_t buffered[8];
    int nbuf;
    int groups;      /* bit-packed groups in the open run */
    size_t hdr_pos;  /* header byte of the open bit-packed run, or SIZE_MAX */
} rle_enc;

static void rle_init(rle_enc *e, mc_buf *out, int bw)
{
    memset(e, 0, sizeof *e);
    e->out = out;
    e->bw = bw;
    e->hdr_pos = SIZE_MAX;
}

static void rle_end_bitpacked(rle_enc *e)
{
    if (e->hdr_pos == SIZE_MAX)
        return;
    e->out->data[e->hdr_pos] = (char)(e->groups << 1 | 1);
    e->hdr_pos = SIZE_MAX;
    e->groups = 0;
}

static void rle_append_bitpacked(rle_enc *e)
{
    if (e->groups >= 63)
        rle_end_bitpacked(e);
    if (e->hdr_pos == SIZE_MAX) {
        e->hdr_pos = e->out->len;
        mc_buf_putc(e->out, 0);
    }
    uint64_t acc = 0;
    int bits = 0;
    for (int i = 0; i < 8; i++) {
        acc |= (uint64_t)e->buffered[i] << bits;
        bits += e->bw;
        while (bits >= 8) {
            mc_buf_putc(e->out, (char)(acc & 0xFF));
            acc >>= 8;
            bits -= 8;
        }
    }
    assert(bits == 0); /* 8 values of bw bits are exactly bw bytes */
    e->nbuf = 0;
    e->repeat = 0;
    e->groups++;
}

static void rle_write_run(rle_enc *e)
{
    rle_end_bitpacked(e);
    tc_varint(e->out, (uint64_t)e->repeat << 1);
    for (int i = 0; i < (e->bw + 7) / 8; i++)
        mc_buf_putc(e->out, (char)(e->prev >> (8 * i)));
    e->repeat = 0;
    e->nbuf = 0;
}

static void rle_put(rle_enc *e, uint32_t v)
{
    if (v == e->prev) {
        if (++e->repeat >= 8)
            return;
    } else {
        if (e->repeat >= 8)
            rle_write_run(e);
        e->repeat = 1;
        e->prev = v;
    }
    e->buffered[e->nbuf++] = v;
    if (e->nbuf == 8)
        rle_append_bitpacked(e);
}

static void rle_finish(rle_enc *e)
{
    if (e->repeat >= 8) {
        rle_write_run(e);
    } else if (e->nbuf > 0) {
        for (int i = e->nbuf; i < 8; i++)
            e->buffered[i] = 0;
        e->nbuf = 8;
        rle_append_bitpacked(e);
        rle_end_bitpacked(e);
    } else {
        rle_end_bitpacked(e);
    }
}

/* BytesUtils.getWidthFromMaxInt: bits to hold v (32 for a negative v). */
static int width_from_max(int64_t v)
{
    if (v < 0)
        return 32;
    int w = 0;
    while (v) {
        w++;
        v >>= 1;
    }
    return w;
}

/* ---------------------------------------------------------------------------
 * Columns: the Parquet type of each Paimon field and its values' bytes.
 */
typedef struct {
    const paimon_type *t; /* the leaf's Paimon type */
    const char **path;  /* path_in_schema: top-level name .. leaf name */
    size_t npath;
    int max_def, max_rep;
    /* The shredded values (Dremel): one entry per value or NULL/empty
     * marker, with its levels; a flat column has one entry per row.
     * row_start[r] is row r's first entry (row_start[nrows] = nent). */
    paimon_datum *ent;   /* borrowed from the rows (or their nested bytes) */
    uint8_t *def, *rep;
    size_t nent, capent;
    size_t *row_start;
    int ptype;
    int32_t type_length; /* FLBA width */
    bool optional;
    int conv;           /* converted type or CT_NONE */
    int lt;             /* logical type union member or LT_NONE */
    int lt_bits;        /* INTEGER bit width */
    bool lt_utc;        /* TIME/TIMESTAMP isAdjustedToUTC */
    int lt_unit;        /* TimeUnit member: 1 MILLIS, 2 MICROS */
    bool signed_order;  /* SortOrder.SIGNED (deprecated min/max written) */
    size_t width;       /* bytes of a fixed-width value; 0 for BYTE_ARRAY */
    uint8_t *fixed;     /* n * width bytes, the values in plain byte form */
} pq_col;

/* Entry i's plain bytes (BYTE_ARRAY without its length prefix); false for
 * a NULL (or empty-collection) entry. */
static bool col_value(const pq_col *c, size_t i, const uint8_t **p, size_t *len)
{
    const paimon_datum *d = &c->ent[i];
    if ((int)c->def[i] < c->max_def)
        return false;
    if (c->ptype == PT_BYTE_ARRAY) {
        *p = d->ptr ? d->ptr : (const uint8_t *)"";
        *len = d->len;
    } else {
        *p = c->fixed + i * c->width;
        *len = c->width;
    }
    return true;
}

/* Paimon's ParquetSchemaConverter.computeMinBytesForDecimalPrecision. */
static int32_t decimal_min_bytes(int32_t precision)
{
    int32_t n = 1;
    while (pow(2.0, 8.0 * n - 1) < pow(10.0, precision))
        n++;
    return n;
}

/* The Parquet physical and logical type of an atomic Paimon type. */
static int col_setup(pq_col *c, const paimon_type *t, const char *name, mc_err *err)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    c->optional = t->nullable;
    c->conv = CT_NONE;
    c->lt = LT_NONE;
    c->signed_order = true;
    switch (t->id) {
    case PAIMON_BOOLEAN:
        c->ptype = PT_BOOLEAN, c->width = 1;
        break;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
        c->ptype = PT_INT32, c->width = 4;
        c->conv = t->id == PAIMON_TINYINT ? CT_INT_8 : CT_INT_16;
        c->lt = LT_INTEGER, c->lt_bits = t->id == PAIMON_TINYINT ? 8 : 16;
        break;
    case PAIMON_INT:
        c->ptype = PT_INT32, c->width = 4;
        break;
    case PAIMON_BIGINT:
        c->ptype = PT_INT64, c->width = 8;
        break;
    case PAIMON_FLOAT:
        c->ptype = PT_FLOAT, c->width = 4;
        break;
    case PAIMON_DOUBLE:
        c->ptype = PT_DOUBLE, c->width = 8;
        break;
    case PAIMON_DECIMAL:
        c->conv = CT_DECIMAL, c->lt = LT_DECIMAL, c->signed_order = false; /* SortOrder.UNKNOWN */
        if (t->precision <= 9) {
            c->ptype = PT_INT32, c->width = 4;
        } else if (t->precision <= 18) {
            c->ptype = PT_INT64, c->width = 8;
        } else {
            c->ptype = PT_FLBA;
            c->type_length = decimal_min_bytes(t->precision);
            c->width = (size_t)c->type_length;
        }
        break;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
        c->ptype = PT_BYTE_ARRAY, c->conv = CT_UTF8, c->lt = LT_STRING, c->signed_order = false;
        break;
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
    case PAIMON_BLOB:
        c->ptype = PT_BYTE_ARRAY, c->signed_order = false;
        break;
    case PAIMON_DATE:
        c->ptype = PT_INT32, c->width = 4, c->conv = CT_DATE, c->lt = LT_DATE;
        break;
    case PAIMON_TIME:
        c->ptype = PT_INT32, c->width = 4, c->conv = CT_TIME_MILLIS;
        c->lt = LT_TIME, c->lt_utc = true, c->lt_unit = 1;
        break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (t->precision > 6) {
            c->ptype = PT_INT96, c->width = 12, c->signed_order = false;
            break;
        }
        c->ptype = PT_INT64, c->width = 8;
        c->conv = t->precision <= 3 ? CT_TIMESTAMP_MILLIS : CT_TIMESTAMP_MICROS;
        c->lt = LT_TIMESTAMP, c->lt_unit = t->precision <= 3 ? 1 : 2;
        c->lt_utc = t->id == PAIMON_TIMESTAMP_LTZ;
        break;
    default:
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "column '%s': writing %s values to Parquet is not supported yet",
                          name, t->id == PAIMON_VARIANT ? "VARIANT" : t->id == PAIMON_VECTOR ? "VECTOR" : "these");
    }
    return 0;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* INT96 as Java Paimon writes it: nanos-of-day (LE i64) then Julian day
 * (LE i32), both from truncating division, so instants before 1970 carry a
 * negative nanos-of-day (§7.1). */
static void put_int96(uint8_t *p, int64_t millis, int32_t nanos)
{
    int64_t julian = millis / 86400000 + 2440588;
    int64_t nod = (millis % 86400000) * 1000000 + nanos;
    put_le(p, (uint64_t)nod, 8);
    put_le(p + 8, (uint64_t)julian, 4);
}

/* Fills c->fixed with every non-null value in plain byte form. */
static void col_fill(pq_col *c)
{
    if (c->ptype == PT_BYTE_ARRAY)
        return;
    size_t n = c->nent;
    c->fixed = mc_calloc(n ? n : 1, c->width);
    const paimon_type *t = c->t;
    for (size_t i = 0; i < n; i++) {
        const paimon_datum *d = &c->ent[i];
        uint8_t *p = c->fixed + i * c->width;
        if ((int)c->def[i] < c->max_def)
            continue;
        switch (c->ptype) {
        case PT_BOOLEAN:
            p[0] = d->i != 0;
            break;
        case PT_INT32:
            put_le(p, (uint64_t)(t->id == PAIMON_DECIMAL ? (int64_t)d->dec : d->i), 4);
            break;
        case PT_INT64:
            if (t->id == PAIMON_DECIMAL)
                put_le(p, (uint64_t)(int64_t)d->dec, 8);
            else if ((t->id == PAIMON_TIMESTAMP || t->id == PAIMON_TIMESTAMP_LTZ) && t->precision > 3)
                put_le(p, (uint64_t)(d->i * 1000 + d->nanos / 1000), 8);
            else
                put_le(p, (uint64_t)d->i, 8);
            break;
        case PT_FLOAT: {
            float f = (float)d->d;
            uint32_t u;
            memcpy(&u, &f, 4);
            put_le(p, u, 4);
            break;
        }
        case PT_DOUBLE: {
            uint64_t u;
            memcpy(&u, &d->d, 8);
            put_le(p, u, 8);
            break;
        }
        case PT_INT96:
            put_int96(p, d->i, d->nanos);
            break;
        case PT_FLBA: { /* big-endian two's complement, sign-extended */
            unsigned __int128 u = (unsigned __int128)d->dec;
            for (size_t k = 0; k < c->width; k++)
                p[c->width - 1 - k] = (uint8_t)(u >> (8 * k));
            break;
        }
        default:
            assert(0);
        }
    }
}

/* The type's comparator (PrimitiveComparator); INT96 compares bytewise, used
 * only to tell equal values apart. */
static int col_cmp(const pq_col *c, const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    switch (c->ptype) {
    case PT_BOOLEAN:
        return (int)a[0] - (int)b[0];
    case PT_INT32: {
        int32_t x = (int32_t)(uint32_t)get_le(a, 4), y = (int32_t)(uint32_t)get_le(b, 4);
        return (x > y) - (x < y);
    }
    case PT_INT64: {
        int64_t x = (int64_t)get_le(a, 8), y = (int64_t)get_le(b, 8);
        return (x > y) - (x < y);
    }
    case PT_FLOAT: {
        uint32_t ux = (uint32_t)get_le(a, 4), uy = (uint32_t)get_le(b, 4);
        float x, y;
        memcpy(&x, &ux, 4);
        memcpy(&y, &uy, 4);
        return (x > y) - (x < y);
    }
    case PT_DOUBLE: {
        uint64_t ux = get_le(a, 8), uy = get_le(b, 8);
        double x, y;
        memcpy(&x, &ux, 8);
        memcpy(&y, &uy, 8);
        return (x > y) - (x < y);
    }
    case PT_FLBA: { /* BINARY_AS_SIGNED_INTEGER: equal widths here */
        if (a[0] != b[0])
            return (int)(int8_t)a[0] - (int)(int8_t)b[0];
        return memcmp(a, b, an);
    }
    default: { /* BYTE_ARRAY unsigned lexicographic; INT96 bytewise */
        size_t m = an < bn ? an : bn;
        int r = m ? memcmp(a, b, m) : 0;
        if (r)
            return r;
        return (an > bn) - (an < bn);
    }
    }
}

static bool col_is_nan(const pq_col *c, const uint8_t *p)
{
    if (c->ptype == PT_FLOAT) {
        uint32_t u = (uint32_t)get_le(p, 4);
        float f;
        memcpy(&f, &u, 4);
        return isnan(f);
    }
    if (c->ptype == PT_DOUBLE) {
        uint64_t u = get_le(p, 8);
        double d;
        memcpy(&d, &u, 8);
        return isnan(d);
    }
    return false;
}

/* Min/max/null count over some values. min/max point at borrowed bytes. */
typedef struct {
    bool has;
    bool nan;
    const uint8_t *min, *max;
    size_t minlen, maxlen;
    int64_t nulls;
} pq_stats;

static void stats_add(pq_stats *s, const pq_col *c, const uint8_t *p, size_t len)
{
    if (col_is_nan(c, p)) {
        s->nan = true;
        return;
    }
    if (!s->has || col_cmp(c, p, len, s->min, s->minlen) < 0)
        s->min = p, s->minlen = len;
    if (!s->has || col_cmp(c, p, len, s->max, s->maxlen) > 0)
        s->max = p, s->maxlen = len;
    s->has = true;
}

static void stats_merge(pq_stats *into, const pq_stats *s, const pq_col *c)
{
    into->nulls += s->nulls;
    into->nan |= s->nan;
    if (!s->has)
        return;
    stats_add(into, c, s->min, s->minlen);
    stats_add(into, c, s->max, s->maxlen);
}

/* ---------------------------------------------------------------------------
 * Page boundaries: ColumnWriteStoreBase.sizeCheck over all columns.
 */
typedef struct {
    size_t *ends; /* end row (exclusive) of each page */
    size_t n, cap;
} pq_bounds;

static void bounds_push(pq_bounds *b, size_t end)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 8;
        b->ends = mc_realloc(b->ends, b->cap * sizeof *b->ends);
    }
    b->ends[b->n++] = end;
}

/* What FallbackValuesWriter counts as a value's buffered size: the plain
 * size, length prefix included for every binary (FLBA and INT96 too).
 * BOOLEAN pages are bit-packed and never near the size limit. */
static int64_t value_raw_size(const pq_col *c, size_t len)
{
    switch (c->ptype) {
    case PT_BOOLEAN:
        return 0;
    case PT_BYTE_ARRAY:
    case PT_FLBA:
    case PT_INT96:
        return (int64_t)len + 4;
    default:
        return (int64_t)c->width;
    }
}

static void plan_pages(pq_bounds *bounds, const pq_col *cols, size_t ncols, size_t n)
{
    int64_t *used = mc_calloc(ncols ? ncols : 1, sizeof *used);
    int64_t *start = mc_calloc(ncols ? ncols : 1, sizeof *start);
    int64_t next_check = PQ_MIN_ROWS_CHECK;
    for (size_t r = 0; r < n; r++) {
        for (size_t c = 0; c < ncols; c++) {
            const uint8_t *p;
            size_t len;
            for (size_t e = cols[c].row_start[r]; e < cols[c].row_start[r + 1]; e++)
                if (col_value(&cols[c], e, &p, &len))
                    used[c] += value_raw_size(&cols[c], len);
        }
        int64_t row_count = (int64_t)r + 1;
        if (row_count < next_check)
            continue;
        int64_t min_wait = INT64_MAX;
        int64_t next_row_limit = row_count + PQ_PAGE_ROW_LIMIT;
        for (size_t c = 0; c < ncols; c++) {
            int64_t mem = used[c];
            int64_t nrows = row_count - start[c];
            int64_t remaining = PQ_PAGE_SIZE - mem;
            if (remaining <= PQ_PAGE_TOLERANCE || nrows >= PQ_PAGE_ROW_LIMIT) {
                bounds_push(&bounds[c], (size_t)row_count);
                start[c] = row_count;
                used[c] = 0;
                remaining = PQ_PAGE_SIZE;
            } else if (start[c] + PQ_PAGE_ROW_LIMIT < next_row_limit) {
                next_row_limit = start[c] + PQ_PAGE_ROW_LIMIT;
            }
            int64_t to_fill = mem == 0 ? PQ_MAX_ROWS_CHECK : nrows * remaining / mem;
            if (to_fill < min_wait)
                min_wait = to_fill;
        }
        if (min_wait == INT64_MAX)
            min_wait = PQ_MIN_ROWS_CHECK;
        int64_t wait = min_wait / 2 > PQ_MIN_ROWS_CHECK ? min_wait / 2 : PQ_MIN_ROWS_CHECK;
        if (wait > PQ_MAX_ROWS_CHECK)
            wait = PQ_MAX_ROWS_CHECK;
        next_check = row_count + wait;
        if (next_row_limit < next_check)
            next_check = next_row_limit;
    }
    for (size_t c = 0; c < ncols; c++)
        if ((size_t)start[c] < n)
            bounds_push(&bounds[c], n);
    free(used);
    free(start);
}

/* ---------------------------------------------------------------------------
 * Dictionary: insertion-ordered distinct values with a hash index.
 */
typedef struct {
    const uint8_t **ptr;
    size_t *len;
    size_t n, cap;
    uint32_t *slots; /* id + 1, 0 = empty */
    size_t nslots;
    int64_t bytes;   /* dictionaryByteSize */
} pq_dict;

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static void dict_free(pq_dict *d)
{
    free(d->ptr);
    free(d->len);
    free(d->slots);
    memset(d, 0, sizeof *d);
}

static void dict_rehash(pq_dict *d, size_t nslots)
{
    free(d->slots);
    d->slots = mc_calloc(nslots, sizeof *d->slots);
    d->nslots = nslots;
    for (size_t id = 0; id < d->n; id++) {
        size_t s = hash_bytes(d->ptr[id], d->len[id]) & (nslots - 1);
        while (d->slots[s])
            s = (s + 1) & (nslots - 1);
        d->slots[s] = (uint32_t)id + 1;
    }
}

/* Drops entries from keep on (parquet-mr keeps what earlier pages used). */
static void dict_truncate(pq_dict *d, size_t keep, const pq_col *c)
{
    if (keep >= d->n)
        return;
    d->n = keep;
    d->bytes = 0;
    for (size_t i = 0; i < keep; i++)
        d->bytes += c->ptype == PT_BYTE_ARRAY ? (int64_t)d->len[i] + 4 : (int64_t)d->len[i];
    if (d->nslots)
        dict_rehash(d, d->nslots);
}

static uint32_t dict_id(pq_dict *d, const pq_col *c, const uint8_t *p, size_t len)
{
    if ((d->n + 1) * 2 > d->nslots)
        dict_rehash(d, d->nslots ? d->nslots * 2 : 64);
    size_t s = hash_bytes(p, len) & (d->nslots - 1);
    for (; d->slots[s]; s = (s + 1) & (d->nslots - 1)) {
        uint32_t id = d->slots[s] - 1;
        if (d->len[id] == len && (len == 0 || !memcmp(d->ptr[id], p, len)))
            return id;
    }
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->ptr = mc_realloc(d->ptr, d->cap * sizeof *d->ptr);
        d->len = mc_realloc(d->len, d->cap * sizeof *d->len);
    }
    d->ptr[d->n] = p;
    d->len[d->n] = len;
    d->slots[s] = (uint32_t)d->n + 1;
    /* PlainBinaryDictionaryValuesWriter counts the length prefix; the
     * fixed-width dictionary writers count the value only. */
    d->bytes += c->ptype == PT_BYTE_ARRAY ? (int64_t)len + 4 : (int64_t)len;
    return (uint32_t)d->n++;
}

/* ---------------------------------------------------------------------------
 * Plain encoding and compression.
 */
static void plain_put(mc_buf *out, const pq_col *c, const uint8_t *p, size_t len)
{
    if (c->ptype == PT_BYTE_ARRAY) {
        uint8_t l[4];
        put_le(l, len, 4);
        mc_buf_append(out, l, 4);
    }
    mc_buf_append(out, p, len);
}

typedef struct {
    const char *name;
    int codec;
} pq_codec_name;

static int codec_of(int *out, const char *compression, mc_err *err)
{
    static const pq_codec_name names[] = {
        {"zstd", CODEC_ZSTD},   {"none", CODEC_NONE}, {"uncompressed", CODEC_NONE},
        {"snappy", CODEC_SNAPPY}, {"gzip", CODEC_GZIP}, {"lz4", CODEC_LZ4_RAW}, {"lz4_raw", CODEC_LZ4_RAW},
    };
    if (!compression) {
        *out = CODEC_ZSTD;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strcasecmp(compression, names[i].name)) {
            *out = names[i].codec;
            return 0;
        }
    }
    return mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet compression '%s' is not supported", compression);
}

static int compress_page(mc_buf *out, int codec, const mc_buf *in, mc_err *err)
{
    const char *src = in->len ? in->data : "";
    switch (codec) {
    case CODEC_NONE:
        mc_buf_append(out, src, in->len);
        return 0;
    case CODEC_ZSTD: {
        size_t cap = ZSTD_compressBound(in->len);
        mc_buf_reserve(out, cap);
        size_t r = ZSTD_compress(out->data + out->len, cap, src, in->len, 1);
        if (ZSTD_isError(r))
            return mc_err_set(err, MC_ERR_INTERNAL, "zstd: %s", ZSTD_getErrorName(r));
        out->len += r;
        break;
    }
    case CODEC_SNAPPY: {
        size_t cap = snappy_max_compressed_length(in->len);
        mc_buf_reserve(out, cap);
        if (snappy_compress(src, in->len, out->data + out->len, &cap) != SNAPPY_OK)
            return mc_err_set(err, MC_ERR_INTERNAL, "snappy compression failed");
        out->len += cap;
        break;
    }
    case CODEC_LZ4_RAW: {
        if (in->len > (size_t)LZ4_MAX_INPUT_SIZE)
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "page of %zu bytes is too large for LZ4", in->len);
        int cap = LZ4_compressBound((int)in->len);
        mc_buf_reserve(out, (size_t)cap);
        int r = LZ4_compress_default(src, out->data + out->len, (int)in->len, cap);
        if (r <= 0 && in->len > 0)
            return mc_err_set(err, MC_ERR_INTERNAL, "lz4 compression failed");
        out->len += (size_t)r;
        break;
    }
    case CODEC_GZIP: {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return mc_err_set(err, MC_ERR_INTERNAL, "zlib: deflateInit2 failed");
        size_t cap = deflateBound(&z, in->len);
        mc_buf_reserve(out, cap);
        z.next_in = (Bytef *)src;
        z.avail_in = (uInt)in->len;
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)cap;
        int r = deflate(&z, Z_FINISH);
        deflateEnd(&z);
        if (r != Z_STREAM_END)
            return mc_err_set(err, MC_ERR_INTERNAL, "zlib: deflate failed");
        out->len += z.total_out;
        break;
    }
    default:
        assert(0);
    }
    out->data[out->len] = '\0';
    return 0;
}

/* ---------------------------------------------------------------------------
 * Column chunks.
 */
typedef struct {
    uint64_t offset;      /* page header position in the file */
    int32_t size;         /* header + compressed payload */
    int64_t first_row;
    pq_stats stats;
} pq_page;

typedef struct {
    uint64_t start, data_offset, dict_offset;
    bool has_dict, has_plain, has_dict_data;
    int64_t total_uncompressed, total_compressed;
    int32_t ndata_dict, ndata_plain;
    pq_stats stats;
    pq_page *pages;
    size_t npages;
    uint64_t ci_offset, oi_offset;
    int32_t ci_len, oi_len;
    bool has_ci;
} pq_chunk;

/* One page (header + compressed payload) appended to out. */
static int write_page(mc_buf *out, int codec, int type, const mc_buf *payload, int32_t nvalues, int encoding,
                      const pq_col *c, int64_t *uncompressed_total, mc_err *err)
{
    mc_buf z = MC_BUF_INIT;
    if (compress_page(&z, codec, payload, err)) {
        mc_buf_free(&z);
        return -1;
    }
    if (payload->len > INT32_MAX || z.len > INT32_MAX) {
        mc_buf_free(&z);
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet page of %zu bytes is too large", payload->len);
    }
    uLong crc = crc32(0L, (const Bytef *)(z.len ? z.data : ""), (uInt)z.len);
    size_t hstart = out->len;
    tc_w w;
    tc_init(&w, out);
    tc_i32(&w, 1, type);
    tc_i32(&w, 2, (int32_t)payload->len);
    tc_i32(&w, 3, (int32_t)z.len);
    tc_i32(&w, 4, (int32_t)(uint32_t)crc);
    if (type == PAGE_DATA) {
        tc_begin(&w, 5);
        tc_i32(&w, 1, nvalues);
        tc_i32(&w, 2, encoding);
        tc_i32(&w, 3, c->max_def > 0 ? ENC_RLE : ENC_BIT_PACKED);
        tc_i32(&w, 4, c->max_rep > 0 ? ENC_RLE : ENC_BIT_PACKED);
        tc_end(&w);
    } else {
        tc_begin(&w, 7);
        tc_i32(&w, 1, nvalues);
        tc_i32(&w, 2, ENC_PLAIN_DICTIONARY);
        tc_end(&w);
    }
    tc_end(&w);
    *uncompressed_total += (int64_t)(out->len - hstart) + (int64_t)payload->len;
    mc_buf_append(out, z.data ? z.data : "", z.len);
    mc_buf_free(&z);
    return 0;
}

/* One level stream of entries [a, b) with the v1 length prefix; none when
 * the column's maximum level is 0. */
static void put_level_run(mc_buf *page, const uint8_t *lv, int max, size_t a, size_t b)
{
    if (max == 0)
        return;
    size_t at = page->len;
    mc_buf_append(page, "\0\0\0\0", 4);
    rle_enc e;
    rle_init(&e, page, width_from_max(max));
    for (size_t i = a; i < b; i++)
        rle_put(&e, lv[i]);
    rle_finish(&e);
    put_le((uint8_t *)page->data + at, page->len - at - 4, 4);
}

/* Data page v1: repetition levels, then definition levels. */
static void put_levels(mc_buf *page, const pq_col *c, size_t a, size_t b)
{
    put_level_run(page, c->rep, c->max_rep, a, b);
    put_level_run(page, c->def, c->max_def, a, b);
}

static int write_chunk(mc_buf *out, pq_chunk *ch, const pq_col *c, const pq_bounds *b, int codec, mc_err *err)
{
    mc_buf data = MC_BUF_INIT;  /* data pages, placed after the dictionary page */
    mc_buf page = MC_BUF_INIT, plain = MC_BUF_INIT, ids_buf = MC_BUF_INIT;
    pq_dict dict = {0};
    uint32_t *ids = NULL;
    size_t ids_cap = 0;
    bool fell_back = c->ptype == PT_BOOLEAN; /* BOOLEAN is always PLAIN */
    size_t last_used = 0;                    /* dictionary entries earlier pages used */
    int rc = -1;

    ch->start = out->len;
    ch->pages = mc_calloc(b->n ? b->n : 1, sizeof *ch->pages);
    ch->npages = b->n;
    size_t a = 0;
    for (size_t pi = 0; pi < b->n; a = b->ends[pi++]) {
        pq_page *pg = &ch->pages[pi];
        pg->first_row = (int64_t)a;
        /* pages end on row boundaries; from here on a..end count entries */
        size_t end = c->row_start[b->ends[pi]];
        a = c->row_start[a];
        mc_buf_reset(&plain);
        size_t nv = 0;
        int64_t raw = 0;
        if (end - a > ids_cap) {
            ids_cap = end - a;
            ids = mc_realloc(ids, ids_cap * sizeof *ids);
        }
        for (size_t i = a; i < end; i++) {
            const uint8_t *p;
            size_t len;
            if (!col_value(c, i, &p, &len)) {
                pg->stats.nulls++;
                continue;
            }
            stats_add(&pg->stats, c, p, len);
            plain_put(&plain, c, p, len);
            raw += value_raw_size(c, len);
            if (!fell_back) {
                ids[nv] = dict_id(&dict, c, p, len);
                if (dict.bytes > PQ_DICT_MAX_BYTES) { /* DictionaryValuesWriter.shouldFallBack */
                    fell_back = true;
                    dict_truncate(&dict, last_used, c);
                }
            }
            nv++;
        }
        if (c->ptype == PT_BOOLEAN) { /* bit-packed, LSB first */
            mc_buf_reset(&plain);
            uint8_t acc = 0;
            size_t k = 0;
            for (size_t i = a; i < end; i++) {
                const uint8_t *p;
                size_t len;
                if (!col_value(c, i, &p, &len))
                    continue;
                acc |= (uint8_t)(p[0] << (k % 8));
                if (++k % 8 == 0) {
                    mc_buf_putc(&plain, (char)acc);
                    acc = 0;
                }
            }
            if (k % 8)
                mc_buf_putc(&plain, (char)acc);
        }
        bool use_dict = !fell_back;
        if (use_dict) {
            mc_buf_reset(&ids_buf);
            int bw = width_from_max((int64_t)dict.n - 1);
            mc_buf_putc(&ids_buf, (char)bw);
            rle_enc e;
            rle_init(&e, &ids_buf, bw);
            for (size_t i = 0; i < nv; i++)
                rle_put(&e, ids[i]);
            rle_finish(&e);
            /* FallbackValuesWriter: the first page decides whether the
             * dictionary pays off (isCompressionSatisfying). */
            if (pi == 0 && !((int64_t)ids_buf.len + dict.bytes < raw)) {
                fell_back = true, use_dict = false;
                dict_truncate(&dict, 0, c);
            }
        }
        mc_buf_reset(&page);
        put_levels(&page, c, a, end);
        if (use_dict) {
            mc_buf_append(&page, ids_buf.data, ids_buf.len);
            last_used = dict.n;
            ch->ndata_dict++;
        } else {
            mc_buf_append(&page, plain.data ? plain.data : "", plain.len);
            ch->ndata_plain++;
        }
        pg->offset = data.len; /* relative until the dictionary page is placed */
        if (write_page(&data, codec, PAGE_DATA, &page, (int32_t)(end - a), use_dict ? ENC_PLAIN_DICTIONARY : ENC_PLAIN,
                       c, &ch->total_uncompressed, err))
            goto done;
        pg->size = (int32_t)(data.len - pg->offset);
        stats_merge(&ch->stats, &pg->stats, c);
    }
    if (last_used > 0) {
        dict_truncate(&dict, last_used, c);
        mc_buf_reset(&page);
        for (size_t i = 0; i < dict.n; i++)
            plain_put(&page, c, dict.ptr[i], dict.len[i]);
        ch->has_dict = true;
        ch->dict_offset = out->len;
        if (write_page(out, codec, PAGE_DICTIONARY, &page, (int32_t)dict.n, 0, c, &ch->total_uncompressed,
                       err))
            goto done;
    }
    uint64_t data_start = out->len;
    mc_buf_append(out, data.data ? data.data : "", data.len);
    for (size_t i = 0; i < ch->npages; i++)
        ch->pages[i].offset += data_start;
    ch->data_offset = data_start;
    ch->total_compressed = (int64_t)(out->len - ch->start);
    ch->has_dict_data = ch->ndata_dict > 0;
    ch->has_plain = ch->ndata_plain > 0;
    rc = 0;
done:
    mc_buf_free(&data);
    mc_buf_free(&page);
    mc_buf_free(&plain);
    mc_buf_free(&ids_buf);
    dict_free(&dict);
    free(ids);
    return rc;
}

/* ---------------------------------------------------------------------------
 * Column index (with BinaryTruncator's 64-byte truncation) and offset index.
 */
static bool utf8_valid(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (p[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

/* Truncated min (max = false) or max (max = true) into out; false when the
 * value is kept whole. */
static bool truncate_bound(mc_buf *out, const uint8_t *p, size_t n, bool max)
{
    if (n <= PQ_INDEX_TRUNCATE)
        return false;
    mc_buf_reset(out);
    size_t len = PQ_INDEX_TRUNCATE;
    bool utf8 = utf8_valid(p, n);
    if (utf8) {
        while (len > 0 && !utf8_valid(p, len))
            len--;
        if (len == 0)
            return false;
    }
    mc_buf_append(out, p, len);
    if (!max)
        return true;
    uint8_t *a = (uint8_t *)out->data;
    for (size_t i = len; i-- > 0;) {
        uint8_t prev = a[i];
        if (!utf8) {
            if (++a[i] != 0)
                return true;
            continue;
        }
        /* UTF-8 decoding has no "unmappable" outcome, so parquet-mr tries
         * one increment per byte and moves left when it is malformed. */
        if (prev != 0xFF) {
            a[i] = (uint8_t)(prev + 1);
            if (utf8_valid(a, len))
                return true;
        }
        a[i] = prev;
    }
    return false;
}

static void write_column_index(mc_buf *out, pq_chunk *ch, const pq_col *c)
{
    size_t np = ch->npages;
    mc_buf *mins = mc_calloc(np ? np : 1, sizeof *mins);
    mc_buf *maxs = mc_calloc(np ? np : 1, sizeof *maxs);
    for (size_t i = 0; i < np; i++) {
        const pq_stats *s = &ch->pages[i].stats;
        if (!s->has)
            continue;
        if (c->ptype == PT_BYTE_ARRAY) {
            if (!truncate_bound(&mins[i], s->min, s->minlen, false))
                mc_buf_append(&mins[i], s->min, s->minlen);
            if (!truncate_bound(&maxs[i], s->max, s->maxlen, true))
                mc_buf_append(&maxs[i], s->max, s->maxlen);
        } else {
            mc_buf_append(&mins[i], s->min, s->minlen);
            mc_buf_append(&maxs[i], s->max, s->maxlen);
        }
        /* Float/DoubleColumnIndexBuilder: -0.0 as the min, +0.0 as the max */
        if (c->ptype == PT_FLOAT || c->ptype == PT_DOUBLE) {
            uint8_t *mn = (uint8_t *)mins[i].data, *mx = (uint8_t *)maxs[i].data;
            size_t w = c->width;
            uint8_t zero[8] = {0};
            if (!memcmp(mn, zero, w))
                mn[w - 1] = 0x80;
            bool negzero = mx[w - 1] == 0x80;
            for (size_t k = 0; k + 1 < w; k++)
                negzero &= mx[k] == 0;
            if (negzero)
                mx[w - 1] = 0;
        }
    }
    /* BoundaryOrder over the non-null pages */
    bool asc = true, desc = true;
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < np; i++) {
        if (!ch->pages[i].stats.has)
            continue;
        if (prev != SIZE_MAX) {
            int cmin = col_cmp(c, (uint8_t *)mins[prev].data, mins[prev].len, (uint8_t *)mins[i].data, mins[i].len);
            int cmax = col_cmp(c, (uint8_t *)maxs[prev].data, maxs[prev].len, (uint8_t *)maxs[i].data, maxs[i].len);
            if (cmin > 0 || cmax > 0)
                asc = false;
            if (cmin < 0 || cmax < 0)
                desc = false;
        }
        prev = i;
    }
    tc_w w;
    tc_init(&w, out);
    tc_list(&w, 1, TC_TRUE, np);
    for (size_t i = 0; i < np; i++)
        mc_buf_putc(out, ch->pages[i].stats.has ? 2 : 1); /* null page: true */
    tc_list(&w, 2, TC_BINARY, np);
    for (size_t i = 0; i < np; i++)
        tc_raw_bin(out, mins[i].data ? mins[i].data : "", mins[i].len);
    tc_list(&w, 3, TC_BINARY, np);
    for (size_t i = 0; i < np; i++)
        tc_raw_bin(out, maxs[i].data ? maxs[i].data : "", maxs[i].len);
    tc_i32(&w, 4, asc ? 1 : desc ? 2 : 0);
    tc_list(&w, 5, TC_I64, np);
    for (size_t i = 0; i < np; i++)
        tc_varint(out, tc_zigzag(ch->pages[i].stats.nulls));
    tc_end(&w);
    for (size_t i = 0; i < np; i++) {
        mc_buf_free(&mins[i]);
        mc_buf_free(&maxs[i]);
    }
    free(mins);
    free(maxs);
}

static void write_offset_index(mc_buf *out, const pq_chunk *ch)
{
    tc_w w;
    tc_init(&w, out);
    tc_list(&w, 1, TC_STRUCT, ch->npages);
    for (size_t i = 0; i < ch->npages; i++) {
        tc_push(&w);
        tc_i64(&w, 1, (int64_t)ch->pages[i].offset);
        tc_i32(&w, 2, ch->pages[i].size);
        tc_i64(&w, 3, ch->pages[i].first_row);
        tc_end(&w);
    }
    tc_end(&w);
}

/* ---------------------------------------------------------------------------
 * Footer.
 */
static void write_schema_element(tc_w *w, const pq_col *c, const char *name, int32_t id)
{
    tc_push(w);
    tc_i32(w, 1, c->ptype);
    if (c->ptype == PT_FLBA)
        tc_i32(w, 2, c->type_length);
    tc_i32(w, 3, c->optional ? 1 : 0);
    tc_bin(w, 4, name, strlen(name));
    if (c->conv != CT_NONE)
        tc_i32(w, 6, c->conv);
    if (c->conv == CT_DECIMAL) {
        tc_i32(w, 7, c->t->scale);
        tc_i32(w, 8, c->t->precision);
    }
    tc_i32(w, 9, id);
    if (c->lt != LT_NONE) {
        tc_begin(w, 10);
        tc_begin(w, (int16_t)c->lt);
        switch (c->lt) {
        case LT_DECIMAL:
            tc_i32(w, 1, c->t->scale);
            tc_i32(w, 2, c->t->precision);
            break;
        case LT_TIME:
        case LT_TIMESTAMP:
            tc_bool(w, 1, c->lt_utc);
            tc_begin(w, 2);
            tc_begin(w, (int16_t)c->lt_unit);
            tc_end(w);
            tc_end(w);
            break;
        case LT_INTEGER:
            tc_byte(w, 1, (int8_t)c->lt_bits);
            tc_bool(w, 2, true);
            break;
        default:
            break;
        }
        tc_end(w);
        tc_end(w);
    }
    tc_end(w);
}

/* Parquet schema elements in the subtree of a Paimon type. */
static size_t schema_size(const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_ARRAY: return 2 + schema_size(t->element);
    case PAIMON_MAP: return 2 + schema_size(t->key) + schema_size(t->value);
    case PAIMON_MULTISET: return 3 + schema_size(t->element);
    case PAIMON_ROW: {
        size_t n = 1;
        for (size_t i = 0; i < t->nfields; i++)
            n += schema_size(t->fields[i].type);
        return n;
    }
    default: return 1;
    }
}

/* SpecialFields.getArrayElementFieldId / getMapValueFieldId and
 * getMapKeyFieldId (reference/paimon-format.md §7.1), in Java's wrapping
 * int arithmetic. */
static int32_t element_field_id(int32_t id, int depth)
{
    return (int32_t)(536870911u + (uint32_t)id * 1024u + (uint32_t)depth);
}

static int32_t key_field_id(int32_t id, int depth)
{
    return (int32_t)(536870911u - (uint32_t)id * 1024u - (uint32_t)depth);
}

static void write_group_element(tc_w *w, const char *name, int repetition, size_t nchildren, int conv, int lt,
                                bool has_id, int32_t id)
{
    tc_push(w);
    tc_i32(w, 3, repetition);
    tc_bin(w, 4, name, strlen(name));
    tc_i32(w, 5, (int32_t)nchildren);
    if (conv != CT_NONE)
        tc_i32(w, 6, conv);
    if (has_id)
        tc_i32(w, 9, id);
    if (lt != LT_NONE) {
        tc_begin(w, 10);
        tc_begin(w, (int16_t)lt);
        tc_end(w);
        tc_end(w);
    }
    tc_end(w);
}

/* ParquetSchemaConverter.convertToParquetType: ARRAY is a 3-level LIST
 * (`<name>` LIST / repeated group `list` / `element`), MAP a MAP group with
 * a repeated group `key_value` of a REQUIRED `key` and `value`, MULTISET a
 * MAP to INT NOT NULL, ROW a group of its fields. Nested element/key/value
 * ids derive from the enclosing field's id and the depth; the repeated
 * groups carry no id (ConversionPatterns). */
static void write_schema_node(tc_w *w, const char *name, const paimon_type *t, bool nullable, int32_t id,
                              int32_t own_id, int depth)
{
    int rep = nullable ? 1 : 0;
    switch (t->id) {
    case PAIMON_ARRAY:
        write_group_element(w, name, rep, 1, CT_LIST, LT_LIST, true, own_id);
        write_group_element(w, "list", 2, 1, CT_NONE, LT_NONE, false, 0);
        write_schema_node(w, "element", t->element, t->element->nullable, id, element_field_id(id, depth + 1),
                          depth + 1);
        return;
    case PAIMON_MAP:
    case PAIMON_MULTISET: {
        const paimon_type *k = paimon_nested_child_type(t, 0, 1), *v = paimon_nested_child_type(t, 1, 1);
        write_group_element(w, name, rep, 1, CT_MAP, LT_MAP, true, own_id);
        write_group_element(w, "key_value", 2, 2, CT_NONE, LT_NONE, false, 0);
        write_schema_node(w, "key", k, false, id, key_field_id(id, depth + 1), depth + 1);
        write_schema_node(w, "value", v, v->nullable, id, element_field_id(id, depth + 1), depth + 1);
        return;
    }
    case PAIMON_ROW:
        write_group_element(w, name, rep, t->nfields, CT_NONE, LT_NONE, true, own_id);
        for (size_t i = 0; i < t->nfields; i++)
            write_schema_node(w, t->fields[i].name, t->fields[i].type, t->fields[i].type->nullable, t->fields[i].id,
                              t->fields[i].id, 0);
        return;
    default: {
        pq_col c;
        col_setup(&c, t, name, NULL); /* validated when the columns were set up */
        c.optional = nullable;
        write_schema_element(w, &c, name, own_id);
        return;
    }
    }
}

static void write_statistics(tc_w *w, const pq_col *c, const pq_stats *s)
{
    tc_begin(w, 12);
    bool within = !s->has || s->minlen + s->maxlen < PQ_MAX_STATS_SIZE;
    if (within) {
        bool minmax = s->has && !s->nan;
        bool equal = minmax && s->minlen == s->maxlen && !memcmp(s->min, s->max, s->minlen);
        if (minmax && (c->signed_order || equal)) {
            tc_bin(w, 1, s->max, s->maxlen);
            tc_bin(w, 2, s->min, s->minlen);
        }
        tc_i64(w, 3, s->nulls);
        if (minmax && (c->ptype != PT_INT96 || equal)) {
            tc_bin(w, 5, s->max, s->maxlen);
            tc_bin(w, 6, s->min, s->minlen);
        }
    }
    tc_end(w);
}

static void write_column_chunk(tc_w *w, const pq_col *c, const pq_chunk *ch, int codec)
{
    tc_push(w);
    tc_i64(w, 2, (int64_t)ch->data_offset); /* parquet-mr 1.13: the first data page */
    tc_begin(w, 3);
    tc_i32(w, 1, c->ptype);
    int enc[4], ne = 0; /* the order parquet-mr 1.13.1's encoding set gives */
    if (c->max_def > 0 || c->max_rep > 0) /* RLE levels */
        enc[ne++] = ENC_RLE;
    if (ch->has_dict)
        enc[ne++] = ENC_PLAIN_DICTIONARY;
    if (c->max_def == 0 || c->max_rep == 0) /* absent levels count as BIT_PACKED */
        enc[ne++] = ENC_BIT_PACKED;
    if (ch->has_plain)
        enc[ne++] = ENC_PLAIN;
    tc_list(w, 2, TC_I32, (size_t)ne);
    for (int i = 0; i < ne; i++)
        tc_varint(w->b, tc_zigzag(enc[i]));
    tc_list(w, 3, TC_BINARY, c->npath);
    for (size_t i = 0; i < c->npath; i++)
        tc_raw_bin(w->b, c->path[i], strlen(c->path[i]));
    tc_i32(w, 4, codec);
    tc_i64(w, 5, (int64_t)c->nent);
    tc_i64(w, 6, ch->total_uncompressed);
    tc_i64(w, 7, ch->total_compressed);
    tc_i64(w, 9, (int64_t)ch->data_offset);
    if (ch->has_dict)
        tc_i64(w, 11, (int64_t)ch->dict_offset);
    write_statistics(w, c, &ch->stats);
    size_t nstats = (ch->has_dict ? 1 : 0) + (ch->has_dict_data ? 1 : 0) + (ch->has_plain ? 1 : 0);
    tc_list(w, 13, TC_STRUCT, nstats);
    if (ch->has_dict) {
        tc_push(w);
        tc_i32(w, 1, PAGE_DICTIONARY);
        tc_i32(w, 2, ENC_PLAIN_DICTIONARY);
        tc_i32(w, 3, 1);
        tc_end(w);
    }
    if (ch->has_dict_data) {
        tc_push(w);
        tc_i32(w, 1, PAGE_DATA);
        tc_i32(w, 2, ENC_PLAIN_DICTIONARY);
        tc_i32(w, 3, ch->ndata_dict);
        tc_end(w);
    }
    if (ch->has_plain) {
        tc_push(w);
        tc_i32(w, 1, PAGE_DATA);
        tc_i32(w, 2, ENC_PLAIN);
        tc_i32(w, 3, ch->ndata_plain);
        tc_end(w);
    }
    tc_end(w); /* ColumnMetaData */
    tc_i64(w, 4, (int64_t)ch->oi_offset);
    tc_i32(w, 5, ch->oi_len);
    if (ch->has_ci) {
        tc_i64(w, 6, (int64_t)ch->ci_offset);
        tc_i32(w, 7, ch->ci_len);
    }
    tc_end(w);
}

static void write_footer(mc_buf *out, const paimon_schema *s, const pq_col *cols, const pq_chunk *chunks,
                         size_t ncols, size_t nrows, int codec)
{
    tc_w w;
    tc_init(&w, out);
    tc_i32(&w, 1, 1);
    size_t nelems = 1;
    for (size_t i = 0; i < s->nfields; i++)
        nelems += schema_size(s->fields[i].type);
    tc_list(&w, 2, TC_STRUCT, nelems);
    tc_push(&w);
    tc_bin(&w, 4, "paimon_schema", 13);
    tc_i32(&w, 5, (int32_t)s->nfields);
    tc_end(&w);
    for (size_t i = 0; i < s->nfields; i++)
        write_schema_node(&w, s->fields[i].name, s->fields[i].type, s->fields[i].type->nullable, s->fields[i].id,
                          s->fields[i].id, 0);
    tc_i64(&w, 3, (int64_t)nrows);
    tc_list(&w, 4, TC_STRUCT, 1);
    tc_push(&w);
    tc_list(&w, 1, TC_STRUCT, ncols);
    int64_t total_uncompressed = 0, total_compressed = 0;
    for (size_t i = 0; i < ncols; i++) {
        write_column_chunk(&w, &cols[i], &chunks[i], codec);
        total_uncompressed += chunks[i].total_uncompressed;
        total_compressed += chunks[i].total_compressed;
    }
    tc_i64(&w, 2, total_uncompressed);
    tc_i64(&w, 3, (int64_t)nrows);
    tc_i64(&w, 5, 4);
    tc_i64(&w, 6, total_compressed);
    tc_field(&w, 7, 4); /* ordinal: i16 */
    tc_varint(out, 0);
    tc_end(&w);
    tc_bin(&w, 6, PQ_CREATED_BY, strlen(PQ_CREATED_BY));
    tc_list(&w, 7, TC_STRUCT, ncols); /* ColumnOrder: TYPE_ORDER for every column */
    for (size_t i = 0; i < ncols; i++) {
        tc_push(&w);
        tc_begin(&w, 1);
        tc_end(&w);
        tc_end(&w);
    }
    tc_end(&w);
}

/* ---------------------------------------------------------------------------
 * Leaf columns and shredding (Dremel repetition/definition levels), the
 * way parquet-mr's RecordConsumer levels what ParquetRowDataWriter writes.
 */
#define PQ_MAX_DEPTH 32

typedef struct {
    pq_col *cols;
    size_t n, cap;
    const char *path[PQ_MAX_DEPTH];
    size_t depth;
} pq_leaves;

/* Appends the leaf columns of a field: max_def counts the optional and
 * repeated nodes on the path, max_rep the repeated ones. */
static int add_leaves(pq_leaves *b, const char *name, const paimon_type *t, bool nullable, int def, int rep,
                      mc_err *err)
{
    if (b->depth + 2 >= PQ_MAX_DEPTH)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "column %s: types nested deeper than %d levels", b->path[0],
                          PQ_MAX_DEPTH - 2);
    b->path[b->depth++] = name;
    def += nullable;
    int rc = 0;
    switch (t->id) {
    case PAIMON_ARRAY:
        b->path[b->depth++] = "list";
        rc = add_leaves(b, "element", t->element, t->element->nullable, def + 1, rep + 1, err);
        b->depth--;
        break;
    case PAIMON_MAP:
    case PAIMON_MULTISET: {
        const paimon_type *v = paimon_nested_child_type(t, 1, 1);
        b->path[b->depth++] = "key_value";
        rc = add_leaves(b, "key", paimon_nested_child_type(t, 0, 1), false, def + 1, rep + 1, err);
        if (rc == 0)
            rc = add_leaves(b, "value", v, v->nullable, def + 1, rep + 1, err);
        b->depth--;
        break;
    }
    case PAIMON_ROW:
        for (size_t i = 0; i < t->nfields && rc == 0; i++)
            rc = add_leaves(b, t->fields[i].name, t->fields[i].type, t->fields[i].type->nullable, def, rep, err);
        break;
    default: {
        if (b->n == b->cap) {
            b->cap = b->cap ? 2 * b->cap : 8;
            b->cols = mc_realloc(b->cols, b->cap * sizeof *b->cols);
        }
        pq_col *c = &b->cols[b->n];
        rc = col_setup(c, t, b->path[0], err);
        if (rc != 0)
            break;
        b->n++;
        c->optional = nullable;
        c->max_def = def;
        c->max_rep = rep;
        c->npath = b->depth;
        c->path = mc_calloc(b->depth, sizeof *c->path);
        memcpy(c->path, b->path, b->depth * sizeof *c->path);
        break;
    }
    }
    b->depth--;
    return rc;
}

static size_t leaf_count(const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_ARRAY: return leaf_count(t->element);
    case PAIMON_MAP:
    case PAIMON_MULTISET: return leaf_count(paimon_nested_child_type(t, 0, 1)) + leaf_count(paimon_nested_child_type(t, 1, 1));
    case PAIMON_ROW: {
        size_t n = 0;
        for (size_t i = 0; i < t->nfields; i++)
            n += leaf_count(t->fields[i].type);
        return n;
    }
    default: return 1;
    }
}

static void emit(pq_col *c, const paimon_datum *d, int rep, int def)
{
    if (c->nent == c->capent) {
        c->capent = c->capent ? 2 * c->capent : 64;
        c->ent = mc_realloc(c->ent, c->capent * sizeof *c->ent);
        c->def = mc_realloc(c->def, c->capent);
        c->rep = mc_realloc(c->rep, c->capent);
    }
    c->ent[c->nent] = d ? *d : paimon_datum_null();
    c->def[c->nent] = (uint8_t)def;
    c->rep[c->nent] = (uint8_t)rep;
    c->nent++;
}

/* Levels one value d of type t, whose leaves start at cols[leaf]: a NULL
 * (or empty collection) is one entry in every leaf below, at the definition
 * level reached so far; rdepth is the number of repeated ancestors. */
static int shred(pq_col *cols, size_t leaf, const char *top, const paimon_type *t, bool nullable,
                 const paimon_datum *d, int rep, int def, int rdepth, mc_err *err)
{
    if (d->is_null) {
        /* a required node has no level for NULL: it would shift later values */
        if (!nullable)
            return mc_err_set(err, MC_ERR_INVALID, "column %s: NULL for a NOT NULL %s", top,
                              rdepth == 0 && def == 0 ? "column" : "nested field");
        for (size_t k = 0; k < leaf_count(t); k++)
            emit(&cols[leaf + k], NULL, rep, def);
        return 0;
    }
    def += nullable;
    if (t->id != PAIMON_ARRAY && t->id != PAIMON_MAP && t->id != PAIMON_MULTISET && t->id != PAIMON_ROW) {
        emit(&cols[leaf], d, rep, def);
        return 0;
    }
    paimon_datum *kids;
    size_t n;
    if (paimon_nested_read(&kids, &n, t, d, err) != 0)
        return mc_err_prefix(err, "column %s", top);
    int rc = 0;
    if (t->id == PAIMON_ROW) {
        size_t at = leaf;
        for (size_t i = 0; i < n && rc == 0; i++) {
            const paimon_type *ft = t->fields[i].type;
            rc = shred(cols, at, top, ft, ft->nullable, &kids[i], rep, def, rdepth, err);
            at += leaf_count(ft);
        }
    } else if (n == 0) { /* empty: defined up to the collection itself */
        for (size_t k = 0; k < leaf_count(t); k++)
            emit(&cols[leaf + k], NULL, rep, def);
    } else if (t->id == PAIMON_ARRAY) {
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = shred(cols, leaf, top, t->element, t->element->nullable, &kids[i], i ? rdepth + 1 : rep, def + 1,
                       rdepth + 1, err);
    } else {
        const paimon_type *kt = paimon_nested_child_type(t, 0, n), *vt = paimon_nested_child_type(t, n, n);
        for (size_t i = 0; i < n && rc == 0; i++) {
            int r = i ? rdepth + 1 : rep;
            if (kids[i].is_null) /* ParquetSchemaConverter makes map keys REQUIRED */
                rc = mc_err_set(err, MC_ERR_INVALID, "column %s: a map key is NULL (Parquet map keys are required)",
                                top);
            else
                rc = shred(cols, leaf, top, kt, false, &kids[i], r, def + 1, rdepth + 1, err);
            if (rc == 0)
                rc = shred(cols, leaf + leaf_count(kt), top, vt, vt->nullable, &kids[n + i], r, def + 1, rdepth + 1,
                           err);
        }
    }
    free(kids);
    return rc;
}

int paimon_encode_parquet(mc_buf *out, const paimon_schema *s, const paimon_datum *const *rows, size_t n,
                          const char *compression, mc_err *err)
{
    int codec = CODEC_ZSTD;
    if (codec_of(&codec, compression, err))
        return -1;
    pq_leaves lv = {0};
    pq_chunk *chunks = NULL;
    pq_bounds *bounds = NULL;
    size_t *first = mc_calloc(s->nfields + 1, sizeof *first); /* first leaf of each field */
    mc_buf f = MC_BUF_INIT; /* the file; offsets below are into it */
    int rc = -1;
    for (size_t i = 0; i < s->nfields; i++) {
        first[i] = lv.n;
        if (add_leaves(&lv, s->fields[i].name, s->fields[i].type, s->fields[i].type->nullable, 0, 0, err))
            goto done;
    }
    size_t ncols = lv.n;
    pq_col *cols = lv.cols;
    chunks = mc_calloc(ncols ? ncols : 1, sizeof *chunks);
    bounds = mc_calloc(ncols ? ncols : 1, sizeof *bounds);
    for (size_t i = 0; i < ncols; i++) {
        cols[i].row_start = mc_calloc(n + 1, sizeof *cols[i].row_start);
        if (cols[i].max_rep == 0) { /* one entry per row */
            cols[i].capent = n ? n : 1;
            cols[i].ent = mc_calloc(cols[i].capent, sizeof *cols[i].ent);
            cols[i].def = mc_calloc(cols[i].capent, 1);
            cols[i].rep = mc_calloc(cols[i].capent, 1);
        }
    }
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < s->nfields; i++) {
            const paimon_field *fd = &s->fields[i];
            if (shred(cols, first[i], fd->name, fd->type, fd->type->nullable, &rows[r][i], 0, 0, 0, err))
                goto done;
        }
        for (size_t i = 0; i < ncols; i++)
            cols[i].row_start[r + 1] = cols[i].nent;
    }
    for (size_t i = 0; i < ncols; i++)
        col_fill(&cols[i]);
    plan_pages(bounds, cols, ncols, n);

    mc_buf_append(&f, "PAR1", 4);
    for (size_t i = 0; i < ncols; i++)
        if (write_chunk(&f, &chunks[i], &cols[i], &bounds[i], codec, err))
            goto done;
    for (size_t i = 0; i < ncols; i++) {
        /* no column index where parquet-mr has none: INT96 (undefined
         * order) and NaN-tainted float columns */
        if (cols[i].ptype == PT_INT96 || chunks[i].stats.nan || chunks[i].npages == 0)
            continue;
        chunks[i].has_ci = true;
        chunks[i].ci_offset = f.len;
        write_column_index(&f, &chunks[i], &cols[i]);
        chunks[i].ci_len = (int32_t)(f.len - chunks[i].ci_offset);
    }
    for (size_t i = 0; i < ncols; i++) {
        chunks[i].oi_offset = f.len;
        write_offset_index(&f, &chunks[i]);
        chunks[i].oi_len = (int32_t)(f.len - chunks[i].oi_offset);
    }
    size_t footer = f.len;
    write_footer(&f, s, cols, chunks, ncols, n, codec);
    uint8_t len[4];
    put_le(len, f.len - footer, 4);
    mc_buf_append(&f, len, 4);
    mc_buf_append(&f, "PAR1", 4);
    mc_buf_append(out, f.data, f.len);
    rc = 0;
done:
    mc_buf_free(&f);
    for (size_t i = 0; i < lv.n; i++) {
        pq_col *c = &lv.cols[i];
        free(c->fixed);
        free(c->path);
        free(c->ent);
        free(c->def);
        free(c->rep);
        free(c->row_start);
        if (chunks)
            free(chunks[i].pages);
        if (bounds)
            free(bounds[i].ends);
    }
    free(lv.cols);
    free(first);
    free(chunks);
    free(bounds);
    return rc;
}
