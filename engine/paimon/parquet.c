/*
 * paimon/parquet: Parquet file reader (see parquet.h).
 *
 * Layout (https://github.com/apache/parquet-format): "PAR1", column chunks,
 * footer (Thrift compact FileMetaData), 4-byte little-endian footer length,
 * "PAR1". A column chunk is a sequence of pages, each a Thrift PageHeader
 * followed by its (possibly compressed) body: at most one dictionary page
 * first, then data pages (v1: levels and values compressed together; v2:
 * levels uncompressed in front, values compressed unless is_compressed=false).
 *
 * Invariants of an open reader:
 *  - meta owns the decoded footer; its strings are copies, statistics point
 *    into `data` (borrowed, alive until close).
 *  - cols[i] describes requested field i; col->elem < 0 means the file lacks
 *    it. For the current row group, col->vals/col->present hold rg_rows
 *    physical values; byte values point into `data` or into buffers in
 *    `owned`, which are freed when the next row group is entered.
 *  - rg_pos <= rg_rows; row group `rg - 1` is the one loaded.
 */
#include "paimon/parquet.h"

#include <lz4.h>
#include <snappy-c.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "paimon/binrow.h"
#include "paimon/thrift.h"

/* parquet.thrift enums */
enum { PT_BOOLEAN, PT_INT32, PT_INT64, PT_INT96, PT_FLOAT, PT_DOUBLE, PT_BYTE_ARRAY, PT_FLBA };
enum { REP_REQUIRED, REP_OPTIONAL, REP_REPEATED };
enum { CT_TIME_MILLIS = 7, CT_TIME_MICROS = 8, CT_TIMESTAMP_MILLIS = 9, CT_TIMESTAMP_MICROS = 10,
       CT_UINT_32 = 13 };
enum { LT_DECIMAL = 5, LT_TIME = 7, LT_TIMESTAMP = 8, LT_INTEGER = 10 };
enum { UNIT_NONE = -1, UNIT_MILLIS, UNIT_MICROS, UNIT_NANOS };
enum { ENC_PLAIN = 0, ENC_PLAIN_DICTIONARY = 2, ENC_RLE = 3, ENC_BIT_PACKED = 4,
       ENC_DELTA_BINARY_PACKED = 5, ENC_DELTA_LENGTH_BYTE_ARRAY = 6, ENC_DELTA_BYTE_ARRAY = 7,
       ENC_RLE_DICTIONARY = 8, ENC_BYTE_STREAM_SPLIT = 9 };
enum { CODEC_UNCOMPRESSED, CODEC_SNAPPY, CODEC_GZIP, CODEC_LZO, CODEC_BROTLI, CODEC_LZ4,
       CODEC_ZSTD, CODEC_LZ4_RAW };
enum { PAGE_DATA = 0, PAGE_INDEX = 1, PAGE_DICTIONARY = 2, PAGE_DATA_V2 = 3 };

/* Rows per row group we are willing to hold in memory at once. */
#define MAX_RG_ROWS ((int64_t)1 << 27)
/* Largest decompressed page we allocate. */
#define MAX_PAGE_BYTES ((int64_t)1 << 30)

static const char *const TYPE_NAMES[] = {"BOOLEAN", "INT32", "INT64", "INT96",
                                         "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};

typedef struct {
    char *name;
    int32_t type; /* physical type, -1 for a group */
    int32_t type_length;
    int32_t repetition; /* -1 when absent (the root) */
    int32_t num_children;
    int32_t converted; /* -1 when absent */
    int32_t scale, precision;
    int32_t field_id;
    bool has_field_id;
    int32_t logical;   /* LogicalType union member id, 0 when absent */
    int32_t unit;      /* TIME/TIMESTAMP unit */
    bool int_signed;   /* INTEGER logical type */
    int32_t int_bits;
} pq_elem;

typedef struct {
    const uint8_t *min, *max; /* into the file; NULL when absent */
    size_t min_len, max_len;
    int64_t null_count;       /* -1 when absent */
} pq_stats;

typedef struct {
    bool has_meta;
    int32_t type;
    uint32_t encodings; /* bit per Encoding value < 32 */
    size_t npath;
    int32_t codec;
    int64_t num_values;
    int64_t total_compressed_size;
    int64_t data_page_offset;
    int64_t dictionary_page_offset; /* -1 when absent */
    pq_stats stats;
} pq_chunk;

typedef struct {
    pq_chunk *cols;
    size_t ncols;
    int64_t num_rows;
} pq_row_group;

typedef struct {
    pq_elem *schema;
    size_t nschema;
    int64_t num_rows;
    pq_row_group *rgs;
    size_t nrgs;
} pq_meta;

typedef struct {
    int32_t type;
    int32_t uncompressed_size;
    int32_t compressed_size;
    int32_t num_values;
    int32_t encoding;
    int32_t def_encoding;
    int32_t def_len, rep_len; /* v2 */
    bool is_compressed;       /* v2 */
} pq_page;

/* One physical value. */
typedef union {
    int64_t i;
    double d;
    struct {
        const uint8_t *p;
        size_t n;
    } b;
} pq_val;

typedef struct pq_node pq_node;

/* A requested field (flat: one leaf column) or one leaf column of a nested
 * field (in its subs). */
typedef struct pq_col {
    char *name;
    paimon_type *ptype;
    int elem;  /* schema index, -1 when the file lacks the field */
    size_t leaf;
    int32_t phys;
    int32_t type_length;
    bool optional;
    int32_t unit;
    bool unsigned32;
    pq_val *vals;
    uint8_t *present;
    size_t cap;
    /* levels: max_def 0/1 and max_rep 0 for flat columns. Nested leaves keep
     * every entry's levels (defs/reps[0..nent)); vals[i] is set where
     * defs[i] == max_def; cur is the assembly cursor. */
    int max_def, max_rep;
    bool levels; /* a nested leaf: keep defs/reps */
    uint8_t *defs, *reps;
    size_t nent, cur;
    /* a nested field: its Paimon type against the file (node) and its leaf
     * columns in file order */
    pq_node *node;
    struct pq_col *subs;
    size_t nsubs;
} pq_col;

/* One Paimon type node of a nested field bound to the Parquet schema:
 * def is the definition level at which the node is non-null; for ARRAY and
 * MAP, rep_def/rep are the levels of their repeated group (an element
 * exists / a further element). leaf..leaf+nleaf are its leaves in subs; a
 * ROW field absent from the file has nleaf 0 and reads as NULL. */
struct pq_node {
    const paimon_type *t;
    int def, rep_def, rep;
    size_t leaf, nleaf;
    pq_node *kids;
    size_t nkids;
};

/* Bytes fetched for the row group being read (ranged mode): file offsets
 * [off, off + buf.len). */
typedef struct {
    uint64_t off;
    mc_buf buf;
} pq_run;

struct paimon_parquet_reader {
    const uint8_t *data;        /* the whole file; NULL in ranged mode */
    size_t len;
    size_t footer_start;
    mc_buf held;                /* bytes the reader fetched and keeps: the file's tail, or its footer, or a small whole file */
    size_t held_off;            /* ranged mode: the file offset of held */
    paimon_parquet_fetch_fn fetch; /* ranged mode: how to read column chunks */
    void *fetch_ud;
    pq_run *runs;               /* ranged mode: the current row group's column chunks */
    size_t nruns;
    pq_meta meta;
    pq_col *cols;
    size_t ncols;
    paimon_datum *row;
    size_t rg;
    int64_t rg_rows, rg_pos;
    void **owned;
    size_t nowned, capowned;
    char **rowmem; /* nested values of the row last returned */
    size_t nrowmem, caprowmem;
};

/* ---- little helpers ---- */

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void *own(paimon_parquet_reader *r, size_t n)
{
    if (r->nowned == r->capowned) {
        r->capowned = r->capowned ? r->capowned * 2 : 16;
        r->owned = mc_realloc(r->owned, r->capowned * sizeof *r->owned);
    }
    void *p = malloc(n ? n : 1);
    if (p)
        r->owned[r->nowned++] = p;
    return p;
}

static void free_owned(paimon_parquet_reader *r)
{
    for (size_t i = 0; i < r->nowned; i++)
        free(r->owned[i]);
    r->nowned = 0;
    for (size_t i = 0; i < r->nruns; i++)
        mc_buf_free(&r->runs[i].buf);
    free(r->runs);
    r->runs = NULL;
    r->nruns = 0;
}

/* ---- footer decoding ---- */

#define FIELDS_BEGIN(t)                                                                     \
    if (paimon_thrift_enter(t) != 0)                                                        \
        return -1;                                                                          \
    int16_t last_ = 0, id;                                                                  \
    uint8_t ty;                                                                             \
    for (;;) {                                                                              \
        if (paimon_thrift_field(t, &last_, &id, &ty) != 0)                                  \
            return -1;                                                                      \
        if (ty == PAIMON_THRIFT_STOP)                                                       \
            break;                                                                          \
        int rc_;

#define FIELDS_END(t)                                                                       \
        if (rc_ != 0)                                                                       \
            return -1;                                                                      \
    }                                                                                       \
    paimon_thrift_leave(t);                                                                 \
    return 0;

#define IS(n, type) (id == (n) && ty == PAIMON_THRIFT_##type)
#define IS_BOOL(n) (id == (n) && (ty == PAIMON_THRIFT_TRUE || ty == PAIMON_THRIFT_FALSE))

/* TimeUnit union: 1 MILLIS, 2 MICROS, 3 NANOS (empty structs). */
static int read_time_unit(paimon_thrift *t, int32_t *unit)
{
    FIELDS_BEGIN(t)
    if (id >= 1 && id <= 3 && ty == PAIMON_THRIFT_STRUCT)
        *unit = id - 1;
    rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

/* TimeType / TimestampType: 1 isAdjustedToUTC, 2 unit. */
static int read_time_type(paimon_thrift *t, pq_elem *e)
{
    FIELDS_BEGIN(t)
    if (IS(2, STRUCT))
        rc_ = read_time_unit(t, &e->unit);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_decimal_type(paimon_thrift *t, pq_elem *e)
{
    FIELDS_BEGIN(t)
    if (IS(1, I32))
        rc_ = paimon_thrift_i32(t, &e->scale);
    else if (IS(2, I32))
        rc_ = paimon_thrift_i32(t, &e->precision);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_int_type(paimon_thrift *t, pq_elem *e)
{
    FIELDS_BEGIN(t)
    if (id == 1 && ty == PAIMON_THRIFT_I8) {
        if (t->pos >= t->len)
            return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: truncated IntType");
        e->int_bits = (int8_t)t->data[t->pos++];
        rc_ = 0;
    } else if (IS_BOOL(2)) {
        e->int_signed = ty == PAIMON_THRIFT_TRUE;
        rc_ = 0;
    } else {
        rc_ = paimon_thrift_skip(t, ty);
    }
    FIELDS_END(t)
}

static int read_logical_type(paimon_thrift *t, pq_elem *e)
{
    FIELDS_BEGIN(t)
    if (ty != PAIMON_THRIFT_STRUCT) {
        rc_ = paimon_thrift_skip(t, ty);
    } else {
        e->logical = id;
        if (id == LT_DECIMAL)
            rc_ = read_decimal_type(t, e);
        else if (id == LT_TIME || id == LT_TIMESTAMP)
            rc_ = read_time_type(t, e);
        else if (id == LT_INTEGER)
            rc_ = read_int_type(t, e);
        else
            rc_ = paimon_thrift_skip(t, ty);
    }
    FIELDS_END(t)
}

static int read_schema_elem(paimon_thrift *t, pq_elem *e)
{
    e->type = -1;
    e->repetition = -1;
    e->converted = -1;
    e->unit = UNIT_NONE;
    e->int_signed = true;
    FIELDS_BEGIN(t)
    const uint8_t *p;
    size_t n;
    if (IS(1, I32))
        rc_ = paimon_thrift_i32(t, &e->type);
    else if (IS(2, I32))
        rc_ = paimon_thrift_i32(t, &e->type_length);
    else if (IS(3, I32))
        rc_ = paimon_thrift_i32(t, &e->repetition);
    else if (IS(4, BINARY)) {
        rc_ = paimon_thrift_binary(t, &p, &n);
        if (rc_ == 0) {
            free(e->name);
            e->name = mc_strndup((const char *)p, n);
        }
    } else if (IS(5, I32))
        rc_ = paimon_thrift_i32(t, &e->num_children);
    else if (IS(6, I32))
        rc_ = paimon_thrift_i32(t, &e->converted);
    else if (IS(7, I32))
        rc_ = paimon_thrift_i32(t, &e->scale);
    else if (IS(8, I32))
        rc_ = paimon_thrift_i32(t, &e->precision);
    else if (IS(9, I32)) {
        rc_ = paimon_thrift_i32(t, &e->field_id);
        e->has_field_id = true;
    } else if (IS(10, STRUCT))
        rc_ = read_logical_type(t, e);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_statistics(paimon_thrift *t, pq_stats *s)
{
    FIELDS_BEGIN(t)
    if (IS(1, BINARY) && !s->max)
        rc_ = paimon_thrift_binary(t, &s->max, &s->max_len);
    else if (IS(2, BINARY) && !s->min)
        rc_ = paimon_thrift_binary(t, &s->min, &s->min_len);
    else if (IS(5, BINARY)) /* max_value supersedes the legacy max */
        rc_ = paimon_thrift_binary(t, &s->max, &s->max_len);
    else if (IS(6, BINARY))
        rc_ = paimon_thrift_binary(t, &s->min, &s->min_len);
    else if (IS(3, I64))
        rc_ = paimon_thrift_i64(t, &s->null_count);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_encodings(paimon_thrift *t, uint32_t *mask)
{
    uint8_t et;
    size_t n;
    if (paimon_thrift_list(t, &et, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int32_t e;
        if (et != PAIMON_THRIFT_I32) {
            if (paimon_thrift_skip(t, et) != 0)
                return -1;
            continue;
        }
        if (paimon_thrift_i32(t, &e) != 0)
            return -1;
        if (e >= 0 && e < 32)
            *mask |= 1u << e;
    }
    return 0;
}

static int read_column_meta(paimon_thrift *t, pq_chunk *c)
{
    c->has_meta = true;
    FIELDS_BEGIN(t)
    if (IS(1, I32))
        rc_ = paimon_thrift_i32(t, &c->type);
    else if (IS(2, LIST))
        rc_ = read_encodings(t, &c->encodings);
    else if (IS(3, LIST)) {
        uint8_t et;
        rc_ = paimon_thrift_list(t, &et, &c->npath);
        for (size_t i = 0; rc_ == 0 && i < c->npath; i++)
            rc_ = paimon_thrift_skip(t, et);
    } else if (IS(4, I32))
        rc_ = paimon_thrift_i32(t, &c->codec);
    else if (IS(5, I64))
        rc_ = paimon_thrift_i64(t, &c->num_values);
    else if (IS(7, I64))
        rc_ = paimon_thrift_i64(t, &c->total_compressed_size);
    else if (IS(9, I64))
        rc_ = paimon_thrift_i64(t, &c->data_page_offset);
    else if (IS(11, I64))
        rc_ = paimon_thrift_i64(t, &c->dictionary_page_offset);
    else if (IS(12, STRUCT))
        rc_ = read_statistics(t, &c->stats);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_column_chunk(paimon_thrift *t, pq_chunk *c)
{
    c->dictionary_page_offset = -1;
    c->stats.null_count = -1;
    FIELDS_BEGIN(t)
    if (IS(3, STRUCT))
        rc_ = read_column_meta(t, c);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

/* list<struct> into a calloc'd array; each element decoded by fn. */
#define READ_STRUCT_LIST(t, arr, count, fn)                                                 \
    do {                                                                                    \
        uint8_t et_;                                                                        \
        size_t n_;                                                                          \
        if (paimon_thrift_list(t, &et_, &n_) != 0)                                          \
            return -1;                                                                      \
        if (et_ != PAIMON_THRIFT_STRUCT)                                                    \
            return mc_err_set((t)->err, MC_ERR_PROTOCOL, "parquet: list of %s is not structs", \
                              #fn);                                                         \
        if ((arr) != NULL)                                                                  \
            return mc_err_set((t)->err, MC_ERR_PROTOCOL, "parquet: duplicate list field");  \
        (arr) = mc_calloc(n_ ? n_ : 1, sizeof *(arr));                                      \
        (count) = n_;                                                                       \
        for (size_t i_ = 0; i_ < n_; i_++)                                                  \
            if (fn(t, &(arr)[i_]) != 0)                                                     \
                return -1;                                                                  \
    } while (0)

static int read_row_group(paimon_thrift *t, pq_row_group *g)
{
    FIELDS_BEGIN(t)
    if (IS(1, LIST)) {
        READ_STRUCT_LIST(t, g->cols, g->ncols, read_column_chunk);
        rc_ = 0;
    } else if (IS(3, I64))
        rc_ = paimon_thrift_i64(t, &g->num_rows);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_file_meta(paimon_thrift *t, pq_meta *m)
{
    FIELDS_BEGIN(t)
    if (IS(2, LIST)) {
        READ_STRUCT_LIST(t, m->schema, m->nschema, read_schema_elem);
        rc_ = 0;
    } else if (IS(3, I64))
        rc_ = paimon_thrift_i64(t, &m->num_rows);
    else if (IS(4, LIST)) {
        READ_STRUCT_LIST(t, m->rgs, m->nrgs, read_row_group);
        rc_ = 0;
    } else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static void meta_free(pq_meta *m)
{
    for (size_t i = 0; i < m->nschema; i++)
        free(m->schema[i].name);
    free(m->schema);
    for (size_t i = 0; i < m->nrgs; i++)
        free(m->rgs[i].cols);
    free(m->rgs);
    memset(m, 0, sizeof *m);
}

static int read_data_page_header(paimon_thrift *t, pq_page *h)
{
    FIELDS_BEGIN(t)
    if (IS(1, I32))
        rc_ = paimon_thrift_i32(t, &h->num_values);
    else if (IS(2, I32))
        rc_ = paimon_thrift_i32(t, &h->encoding);
    else if (IS(3, I32))
        rc_ = paimon_thrift_i32(t, &h->def_encoding);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_dict_page_header(paimon_thrift *t, pq_page *h)
{
    FIELDS_BEGIN(t)
    if (IS(1, I32))
        rc_ = paimon_thrift_i32(t, &h->num_values);
    else if (IS(2, I32))
        rc_ = paimon_thrift_i32(t, &h->encoding);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_data_page_header_v2(paimon_thrift *t, pq_page *h)
{
    FIELDS_BEGIN(t)
    if (IS(1, I32))
        rc_ = paimon_thrift_i32(t, &h->num_values);
    else if (IS(4, I32))
        rc_ = paimon_thrift_i32(t, &h->encoding);
    else if (IS(5, I32))
        rc_ = paimon_thrift_i32(t, &h->def_len);
    else if (IS(6, I32))
        rc_ = paimon_thrift_i32(t, &h->rep_len);
    else if (IS_BOOL(7)) {
        h->is_compressed = ty == PAIMON_THRIFT_TRUE;
        rc_ = 0;
    } else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

static int read_page_header(paimon_thrift *t, pq_page *h)
{
    memset(h, 0, sizeof *h);
    h->type = -1;
    h->num_values = -1;
    h->uncompressed_size = -1;
    h->compressed_size = -1;
    h->def_encoding = ENC_RLE;
    h->is_compressed = true;
    FIELDS_BEGIN(t)
    if (IS(1, I32))
        rc_ = paimon_thrift_i32(t, &h->type);
    else if (IS(2, I32))
        rc_ = paimon_thrift_i32(t, &h->uncompressed_size);
    else if (IS(3, I32))
        rc_ = paimon_thrift_i32(t, &h->compressed_size);
    else if (IS(5, STRUCT))
        rc_ = read_data_page_header(t, h);
    else if (IS(7, STRUCT))
        rc_ = read_dict_page_header(t, h);
    else if (IS(8, STRUCT))
        rc_ = read_data_page_header_v2(t, h);
    else
        rc_ = paimon_thrift_skip(t, ty);
    FIELDS_END(t)
}

/* ---- schema: top-level columns ---- */

typedef struct {
    int elem;    /* schema index */
    size_t leaf; /* first leaf column index */
    bool nested;
} pq_top;

/* Walks the subtree at schema[*idx], advancing *idx past it and counting its
 * leaves. */
static int walk_subtree(const pq_meta *m, size_t *idx, size_t *leaves, int depth, mc_err *err)
{
    if (depth > 64)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: schema nested deeper than 64 levels");
    if (*idx >= m->nschema)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: schema ends inside a group");
    const pq_elem *e = &m->schema[(*idx)++];
    if (e->num_children < 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: negative num_children");
    if (e->num_children == 0) {
        if (e->type < 0)
            return mc_err_set(err, MC_ERR_PROTOCOL,
                              "parquet: schema element %s has neither a type nor children",
                              e->name ? e->name : "?");
        (*leaves)++;
        return 0;
    }
    for (int32_t i = 0; i < e->num_children; i++)
        if (walk_subtree(m, idx, leaves, depth + 1, err) != 0)
            return -1;
    return 0;
}

static int top_columns(pq_top **out, size_t *nout, const pq_meta *m, mc_err *err)
{
    if (m->nschema == 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: empty schema");
    const pq_elem *root = &m->schema[0];
    if (root->num_children < 0 || (size_t)root->num_children >= m->nschema)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: root has %d children in a schema of %zu",
                          root->num_children, m->nschema);
    pq_top *tops = mc_calloc((size_t)root->num_children + 1, sizeof *tops);
    size_t idx = 1, leaves = 0;
    for (int32_t i = 0; i < root->num_children; i++) {
        tops[i].elem = (int)idx;
        tops[i].leaf = leaves;
        if (walk_subtree(m, &idx, &leaves, 1, err) != 0) {
            free(tops);
            return -1;
        }
        const pq_elem *e = &m->schema[tops[i].elem];
        tops[i].nested = e->num_children > 0 || e->type < 0 || e->repetition == REP_REPEATED;
    }
    *out = tops;
    *nout = (size_t)root->num_children;
    return 0;
}

/* Which physical types can be read as the Paimon type. */
static bool type_compatible(paimon_type_id want, int32_t phys)
{
    switch (want) {
    case PAIMON_BOOLEAN:
        return phys == PT_BOOLEAN;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
        return phys == PT_INT32 || phys == PT_INT64;
    case PAIMON_FLOAT:
        return phys == PT_FLOAT;
    case PAIMON_DOUBLE:
        return phys == PT_FLOAT || phys == PT_DOUBLE;
    case PAIMON_DECIMAL:
        return phys == PT_INT32 || phys == PT_INT64 || phys == PT_FLBA || phys == PT_BYTE_ARRAY;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
    case PAIMON_BLOB:
        return phys == PT_BYTE_ARRAY || phys == PT_FLBA;
    case PAIMON_DATE:
        return phys == PT_INT32;
    case PAIMON_TIME:
        return phys == PT_INT32 || phys == PT_INT64;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        return phys == PT_INT64 || phys == PT_INT96;
    default:
        return false;
    }
}

/* Binds a primitive schema element (index elem, leaf column `leaf`) to the
 * atomic Paimon type c->ptype. */
static int bind_leaf(pq_col *c, const pq_meta *m, int elem, size_t leaf, mc_err *err)
{
    const pq_elem *e = &m->schema[elem];
    if (e->num_children > 0 || e->type < 0) {
        mc_buf sql = MC_BUF_INIT;
        paimon_type_to_sql(&sql, c->ptype);
        int rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet group %s cannot be read as %s", c->name,
                            mc_buf_cstr(&sql));
        mc_buf_free(&sql);
        return rc;
    }
    if (e->type < PT_BOOLEAN || e->type > PT_FLBA)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column %s has unknown physical type %d",
                          c->name, e->type);
    if (!type_compatible(c->ptype->id, e->type)) {
        mc_buf sql = MC_BUF_INIT;
        paimon_type_to_sql(&sql, c->ptype);
        int rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet column %s of type %s cannot be read as %s",
                            c->name, TYPE_NAMES[e->type], mc_buf_cstr(&sql));
        mc_buf_free(&sql);
        return rc;
    }
    if (e->type == PT_FLBA && e->type_length <= 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column %s has FIXED_LEN_BYTE_ARRAY length %d",
                          c->name, e->type_length);
    c->elem = elem;
    c->leaf = leaf;
    c->phys = e->type;
    c->type_length = e->type == PT_INT96 ? 12 : e->type_length;
    c->optional = e->repetition == REP_OPTIONAL;
    c->max_def = c->optional;
    c->unit = e->unit;
    if (c->unit == UNIT_NONE) {
        if (e->converted == CT_TIMESTAMP_MICROS || e->converted == CT_TIME_MICROS)
            c->unit = UNIT_MICROS;
        else
            c->unit = UNIT_MILLIS;
    }
    c->unsigned32 = e->type == PT_INT32 &&
                    ((e->logical == LT_INTEGER && !e->int_signed) || e->converted == CT_UINT_32);
    return 0;
}

/* ---- nested fields: binding a Paimon type to a Parquet group ---- */

/* Index just past the subtree at schema[e] (the schema was validated by
 * top_columns). */
static int subtree_end(const pq_meta *m, int e)
{
    int idx = e + 1;
    for (int32_t i = 0; i < m->schema[e].num_children; i++)
        idx = subtree_end(m, idx);
    return idx;
}

/* Leaf column index of schema element e: primitives before it. */
static size_t leaf_index(const pq_meta *m, int e)
{
    size_t n = 0;
    for (int i = 1; i < e; i++)
        n += m->schema[i].num_children == 0;
    return n;
}

/* The k-th child of group e. */
static int child_elem(const pq_meta *m, int e, int k)
{
    int idx = e + 1;
    for (int i = 0; i < k; i++)
        idx = subtree_end(m, idx);
    return idx;
}

static int group_is(const pq_meta *m, int e, int nkids, const char *what, const char *name, mc_err *err)
{
    const pq_elem *el = &m->schema[e];
    if (el->type >= 0 || el->num_children != nkids)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet column %s: not a %s layout this reader supports", name,
                          what);
    return 0;
}

static void node_free(pq_node *nd)
{
    for (size_t i = 0; nd && i < nd->nkids; i++)
        node_free(&nd->kids[i]);
    if (nd)
        free(nd->kids);
}

/* Binds type t to the subtree at schema[e]; def/rep: levels of the parent.
 * Java's layout (ParquetSchemaConverter): ARRAY a group of one repeated
 * group of one `element`; MAP/MULTISET a group of one repeated group of
 * `key` and `value`; ROW a group of its fields, matched by field id when the
 * file has ids, else by name (a field the file lacks reads as NULL). */
static int bind_node(pq_col *f, pq_node *nd, const pq_meta *m, const paimon_type *t, int e, int def, int rep,
                     mc_err *err)
{
    const pq_elem *el = &m->schema[e];
    nd->t = t;
    if (el->repetition == REP_REPEATED)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet column %s: unannotated repeated field %s is not supported",
                          f->name, el->name ? el->name : "?");
    def += el->repetition == REP_OPTIONAL;
    nd->def = def;
    nd->leaf = f->nsubs;
    int rc = 0;
    switch (t->id) {
    case PAIMON_ARRAY:
    case PAIMON_MAP:
    case PAIMON_MULTISET: {
        bool arr = t->id == PAIMON_ARRAY;
        const char *what = arr ? "LIST" : "MAP";
        if (group_is(m, e, 1, what, f->name, err) != 0 || group_is(m, e + 1, arr ? 1 : 2, what, f->name, err) != 0)
            return -1;
        if (m->schema[e + 1].repetition != REP_REPEATED)
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet column %s: %s without a repeated group", f->name,
                              what);
        nd->rep_def = def + 1;
        nd->rep = rep + 1;
        nd->nkids = arr ? 1 : 2;
        nd->kids = mc_calloc(nd->nkids, sizeof *nd->kids);
        for (size_t k = 0; k < nd->nkids && rc == 0; k++)
            rc = bind_node(f, &nd->kids[k], m, arr ? t->element : paimon_nested_child_type(t, k, 1),
                           child_elem(m, e + 1, (int)k), def + 1, rep + 1, err);
        break;
    }
    case PAIMON_ROW: {
        if (el->type >= 0)
            return group_is(m, e, 0, "ROW", f->name, err);
        bool by_id = false;
        for (int32_t k = 0; k < el->num_children; k++)
            by_id |= m->schema[child_elem(m, e, k)].has_field_id;
        nd->nkids = t->nfields;
        nd->kids = mc_calloc(t->nfields ? t->nfields : 1, sizeof *nd->kids);
        for (size_t i = 0; i < t->nfields && rc == 0; i++) {
            const paimon_field *pf = &t->fields[i];
            int hit = -1;
            for (int32_t k = 0; k < el->num_children && hit < 0; k++) {
                const pq_elem *ce = &m->schema[child_elem(m, e, k)];
                if (by_id ? (ce->has_field_id && ce->field_id == pf->id) : (ce->name && strcmp(ce->name, pf->name) == 0))
                    hit = child_elem(m, e, k);
            }
            if (hit < 0) {
                nd->kids[i].t = pf->type;
                nd->kids[i].leaf = f->nsubs;
                continue; /* nleaf 0: NULL */
            }
            rc = bind_node(f, &nd->kids[i], m, pf->type, hit, def, rep, err);
        }
        break;
    }
    default: {
        f->subs = mc_realloc(f->subs, (f->nsubs + 1) * sizeof *f->subs);
        pq_col *c = &f->subs[f->nsubs++];
        memset(c, 0, sizeof *c);
        c->name = mc_strdup(f->name);
        c->ptype = paimon_type_copy(t);
        c->levels = true;
        rc = bind_leaf(c, m, e, leaf_index(m, e), err);
        c->max_def = def;
        c->max_rep = rep;
        break;
    }
    }
    nd->nleaf = f->nsubs - nd->leaf;
    if (rc == 0 && nd->nleaf == 0 && t->id != PAIMON_ROW)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column %s has no leaf columns", f->name);
    return rc;
}

static int bind_column(pq_col *c, const pq_meta *m, const pq_top *top, mc_err *err)
{
    paimon_type_id id = c->ptype->id;
    bool want_nested = id == PAIMON_ARRAY || id == PAIMON_MAP || id == PAIMON_MULTISET || id == PAIMON_ROW;
    if (!want_nested) {
        if (top->nested)
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "nested Parquet column %s cannot be read as an atomic type",
                              c->name);
        return bind_leaf(c, m, top->elem, top->leaf, err);
    }
    c->node = mc_calloc(1, sizeof *c->node);
    c->elem = top->elem;
    if (bind_node(c, c->node, m, c->ptype, top->elem, 0, 0, err) != 0)
        return -1;
    if (c->node->nleaf == 0)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "Parquet column %s: none of its fields is in the file", c->name);
    return 0;
}

/* ---- decompression ---- */

static int lz4_hadoop(uint8_t *out, size_t ulen, const uint8_t *in, size_t n)
{
    size_t ip = 0, op = 0;
    while (ip < n) {
        if (n - ip < 8)
            return -1;
        uint32_t block_u = (uint32_t)in[ip] << 24 | (uint32_t)in[ip + 1] << 16 |
                           (uint32_t)in[ip + 2] << 8 | in[ip + 3];
        ip += 4;
        while (block_u > 0) {
            if (n - ip < 4)
                return -1;
            uint32_t c = (uint32_t)in[ip] << 24 | (uint32_t)in[ip + 1] << 16 |
                         (uint32_t)in[ip + 2] << 8 | in[ip + 3];
            ip += 4;
            if (c > n - ip || c > INT32_MAX || ulen - op > INT32_MAX)
                return -1;
            int got = LZ4_decompress_safe((const char *)in + ip, (char *)out + op, (int)c,
                                          (int)(ulen - op));
            if (got < 0 || (uint32_t)got > block_u)
                return -1;
            ip += c;
            op += (size_t)got;
            block_u -= (uint32_t)got;
            if (got == 0)
                return -1;
        }
    }
    return op == ulen ? 0 : -1;
}

static int decompress(paimon_parquet_reader *r, int32_t codec, const uint8_t *in, size_t n,
                      size_t ulen, const uint8_t **out, mc_err *err)
{
    if (codec == CODEC_UNCOMPRESSED) {
        if (n != ulen)
            return mc_err_set(err, MC_ERR_PROTOCOL,
                              "parquet: uncompressed page of %zu bytes claims %zu", n, ulen);
        *out = in;
        return 0;
    }
    uint8_t *buf = own(r, ulen);
    if (!buf)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: cannot allocate a %zu-byte page", ulen);
    *out = buf;
    switch (codec) {
    case CODEC_SNAPPY: {
        size_t got;
        if (snappy_uncompressed_length((const char *)in, n, &got) != SNAPPY_OK || got != ulen ||
            snappy_uncompress((const char *)in, n, (char *)buf, &got) != SNAPPY_OK || got != ulen)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: corrupt snappy page");
        return 0;
    }
    case CODEC_GZIP: {
        if (n > UINT32_MAX || ulen > UINT32_MAX)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: gzip page too large");
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        if (inflateInit2(&zs, 15 + 32) != Z_OK)
            return mc_err_set(err, MC_ERR_INTERNAL, "parquet: inflateInit2 failed");
        zs.next_in = (Bytef *)in;
        zs.avail_in = (uInt)n;
        zs.next_out = buf;
        zs.avail_out = (uInt)ulen;
        int zr = inflate(&zs, Z_FINISH);
        size_t got = ulen - zs.avail_out;
        inflateEnd(&zs);
        if (zr != Z_STREAM_END || got != ulen)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: corrupt gzip page");
        return 0;
    }
    case CODEC_ZSTD: {
        size_t got = ZSTD_decompress(buf, ulen, in, n);
        if (ZSTD_isError(got) || got != ulen)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: corrupt zstd page%s%s",
                              ZSTD_isError(got) ? ": " : "",
                              ZSTD_isError(got) ? ZSTD_getErrorName(got) : "");
        return 0;
    }
    case CODEC_LZ4_RAW:
    case CODEC_LZ4: {
        if (codec == CODEC_LZ4 && lz4_hadoop(buf, ulen, in, n) == 0)
            return 0;
        if (n > INT32_MAX || ulen > INT32_MAX)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: lz4 page too large");
        int got = LZ4_decompress_safe((const char *)in, (char *)buf, (int)n, (int)ulen);
        if (got < 0 || (size_t)got != ulen)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: corrupt lz4 page");
        return 0;
    }
    default:
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "parquet: compression codec %d is not supported",
                          codec);
    }
}

/* ---- value encodings ---- */

/* Reads w (<= 64) bits LSB-first at bit offset off of p[0..n); the caller
 * has checked that the bits lie inside the buffer (bits_fit). */
static uint64_t bits_get(const uint8_t *p, size_t n, size_t off, int w)
{
    if (w <= 56 && (off >> 3) + 8 <= n) { /* fast path: one 8-byte load */
        uint64_t word = rd64(p + (off >> 3)) >> (off & 7);
        return w == 0 ? 0 : word & (~(uint64_t)0 >> (64 - w));
    }
    uint64_t v = 0;
    for (int k = 0; k < w;) {
        size_t byte = (off + (size_t)k) >> 3;
        int sh = (int)((off + (size_t)k) & 7);
        int take = 8 - sh < w - k ? 8 - sh : w - k;
        v |= (uint64_t)((p[byte] >> sh) & ((1u << take) - 1)) << k;
        k += take;
    }
    return v;
}

static bool bits_fit(size_t nbytes, size_t off, int w)
{
    return off / 8 < nbytes && (off + (size_t)w + 7) / 8 <= nbytes;
}

static int uvarint(const uint8_t *p, size_t n, size_t *pos, uint64_t *v, mc_err *err)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= n)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated varint");
        uint8_t b = p[(*pos)++];
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: varint too long");
}

/* RLE/bit-packed hybrid: exactly count values of bit width bw (0..32). */
static int rle_decode(const uint8_t *p, size_t n, int bw, uint32_t *out, size_t count, mc_err *err)
{
    size_t pos = 0, i = 0;
    while (i < count) {
        uint64_t h = 0;
        if (uvarint(p, n, &pos, &h, err) != 0)
            return mc_err_prefix(err, "RLE run header");
        if (h & 1) {
            uint64_t groups = h >> 1;
            if (groups > ((uint64_t)1 << 40))
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: bit-packed run too long");
            size_t nvals = (size_t)groups * 8, bytes = (size_t)groups * (size_t)bw;
            size_t avail = n - pos;
            for (size_t j = 0; j < nvals && i < count; j++) {
                if (bw && !bits_fit(avail, j * (size_t)bw, bw))
                    return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated bit-packed run");
                out[i++] = (uint32_t)bits_get(p + pos, avail, j * (size_t)bw, bw);
            }
            pos += bytes < avail ? bytes : avail;
        } else {
            uint64_t run = h >> 1;
            size_t vb = ((size_t)bw + 7) / 8;
            if (n - pos < vb)
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated RLE run");
            uint32_t v = 0;
            for (size_t k = 0; k < vb; k++)
                v |= (uint32_t)p[pos + k] << (8 * k);
            pos += vb;
            if (run == 0)
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: empty RLE run");
            for (uint64_t j = 0; j < run && i < count; j++)
                out[i++] = v;
        }
    }
    return 0;
}

/* DELTA_BINARY_PACKED: exactly count values; *used = bytes consumed. */
static int dbp_decode(const uint8_t *p, size_t n, size_t *used, int64_t *out, size_t count,
                      bool is32, mc_err *err)
{
    size_t pos = 0;
    uint64_t block = 0, nmini = 0, total = 0, zz = 0;
    if (uvarint(p, n, &pos, &block, err) || uvarint(p, n, &pos, &nmini, err) ||
        uvarint(p, n, &pos, &total, err) || uvarint(p, n, &pos, &zz, err))
        return mc_err_prefix(err, "DELTA_BINARY_PACKED header");
    if (block == 0 || block % 128 || nmini == 0 || block % nmini || (block / nmini) % 32 ||
        block > (1u << 20))
        return mc_err_set(err, MC_ERR_PROTOCOL,
                          "parquet: bad DELTA_BINARY_PACKED block %llu / %llu miniblocks",
                          (unsigned long long)block, (unsigned long long)nmini);
    if (total != count)
        return mc_err_set(err, MC_ERR_PROTOCOL,
                          "parquet: DELTA_BINARY_PACKED holds %llu values, page needs %zu",
                          (unsigned long long)total, count);
    uint64_t prev = (uint64_t)((int64_t)(zz >> 1) ^ -(int64_t)(zz & 1));
    size_t i = 0;
    if (count > 0)
        out[i++] = is32 ? (int32_t)prev : (int64_t)prev;
    size_t per_mini = (size_t)(block / nmini);
    while (i < count) {
        if (uvarint(p, n, &pos, &zz, err) != 0)
            return mc_err_prefix(err, "DELTA_BINARY_PACKED min delta");
        uint64_t min_delta = (uint64_t)((int64_t)(zz >> 1) ^ -(int64_t)(zz & 1));
        if (n - pos < nmini)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated DELTA_BINARY_PACKED widths");
        const uint8_t *widths = p + pos;
        pos += (size_t)nmini;
        for (size_t mb = 0; mb < nmini && i < count; mb++) {
            int w = widths[mb];
            if (w > 64)
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_BINARY_PACKED width %d", w);
            size_t avail = n - pos;
            for (size_t j = 0; j < per_mini && i < count; j++) {
                if (w && !bits_fit(avail, j * (size_t)w, w))
                    return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated DELTA_BINARY_PACKED");
                prev += min_delta + bits_get(p + pos, avail, j * (size_t)w, w);
                if (is32)
                    prev = (uint64_t)(int64_t)(int32_t)(uint32_t)prev;
                out[i++] = (int64_t)prev;
            }
            size_t bytes = per_mini * (size_t)w / 8;
            pos += bytes < avail ? bytes : avail;
        }
    }
    *used = pos;
    return 0;
}

static int plain_decode(const pq_col *c, const uint8_t *p, size_t n, size_t count, pq_val *out,
                        mc_err *err)
{
    size_t w = 0;
    switch (c->phys) {
    case PT_BOOLEAN:
        if (n < (count + 7) / 8)
            goto truncated;
        for (size_t i = 0; i < count; i++)
            out[i].i = (p[i >> 3] >> (i & 7)) & 1;
        return 0;
    case PT_INT32:
    case PT_FLOAT:
        w = 4;
        break;
    case PT_INT64:
    case PT_DOUBLE:
        w = 8;
        break;
    case PT_INT96:
    case PT_FLBA:
        w = (size_t)c->type_length;
        break;
    case PT_BYTE_ARRAY: {
        size_t pos = 0;
        for (size_t i = 0; i < count; i++) {
            if (n - pos < 4)
                goto truncated;
            uint32_t l = rd32(p + pos);
            pos += 4;
            if (l > n - pos)
                goto truncated;
            out[i].b.p = p + pos;
            out[i].b.n = l;
            pos += l;
        }
        return 0;
    }
    }
    if (count > n / w)
        goto truncated;
    for (size_t i = 0; i < count; i++, p += w) {
        switch (c->phys) {
        case PT_INT32:
            out[i].i = (int32_t)rd32(p);
            break;
        case PT_INT64:
            out[i].i = (int64_t)rd64(p);
            break;
        case PT_FLOAT: {
            uint32_t u = rd32(p);
            float f;
            memcpy(&f, &u, 4);
            out[i].d = f;
            break;
        }
        case PT_DOUBLE: {
            uint64_t u = rd64(p);
            memcpy(&out[i].d, &u, 8);
            break;
        }
        default:
            out[i].b.p = p;
            out[i].b.n = w;
        }
    }
    return 0;
truncated:
    return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: PLAIN data shorter than %zu values", count);
}

/* DELTA_LENGTH_BYTE_ARRAY: lengths then concatenated bytes; *used consumed. */
static int dlba_decode(const uint8_t *p, size_t n, size_t *used, pq_val *out, size_t count,
                       mc_err *err)
{
    int64_t *lens = malloc((count ? count : 1) * sizeof *lens);
    if (!lens)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
    size_t pos;
    if (dbp_decode(p, n, &pos, lens, count, true, err) != 0) {
        free(lens);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        if (lens[i] < 0 || (uint64_t)lens[i] > n - pos) {
            free(lens);
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: bad DELTA_LENGTH_BYTE_ARRAY length");
        }
        out[i].b.p = p + pos;
        out[i].b.n = (size_t)lens[i];
        pos += (size_t)lens[i];
    }
    free(lens);
    *used = pos;
    return 0;
}

/* DELTA_BYTE_ARRAY: prefix lengths, then suffixes as DELTA_LENGTH_BYTE_ARRAY;
 * values are rebuilt into one reader-owned buffer. */
static int dba_decode(paimon_parquet_reader *r, const pq_col *c, const uint8_t *p, size_t n,
                      pq_val *out, size_t count, mc_err *err)
{
    int64_t *pre = malloc((count ? count : 1) * sizeof *pre);
    if (!pre)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
    size_t used, used2;
    int rc = -1;
    if (dbp_decode(p, n, &used, pre, count, true, err) != 0 ||
        dlba_decode(p + used, n - used, &used2, out, count, err) != 0)
        goto done;
    size_t total = 0, prevlen = 0;
    for (size_t i = 0; i < count; i++) {
        if (pre[i] < 0 || (size_t)pre[i] > prevlen) {
            mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_BYTE_ARRAY prefix %lld longer than %zu",
                       (long long)pre[i], prevlen);
            goto done;
        }
        prevlen = (size_t)pre[i] + out[i].b.n;
        if (total > SIZE_MAX / 2 || prevlen > (size_t)MAX_PAGE_BYTES) {
            mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_BYTE_ARRAY values too large");
            goto done;
        }
        total += prevlen;
        if (total > (size_t)MAX_PAGE_BYTES) {
            mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_BYTE_ARRAY values too large");
            goto done;
        }
    }
    uint8_t *buf = own(r, total);
    if (!buf) {
        mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
        goto done;
    }
    size_t off = 0;
    const uint8_t *prev = buf;
    for (size_t i = 0; i < count; i++) {
        size_t pl = (size_t)pre[i], sl = out[i].b.n;
        memcpy(buf + off, prev, pl);
        if (sl)
            memcpy(buf + off + pl, out[i].b.p, sl);
        out[i].b.p = buf + off;
        out[i].b.n = pl + sl;
        prev = buf + off;
        off += pl + sl;
        if (c->phys == PT_FLBA && out[i].b.n != (size_t)c->type_length) {
            mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_BYTE_ARRAY value of %zu bytes in FLBA(%d)",
                       out[i].b.n, c->type_length);
            goto done;
        }
    }
    rc = 0;
done:
    free(pre);
    return rc;
}

static int bss_decode(paimon_parquet_reader *r, const pq_col *c, const uint8_t *p, size_t n,
                      pq_val *out, size_t count, mc_err *err)
{
    size_t w = c->phys == PT_INT32 || c->phys == PT_FLOAT ? 4
               : c->phys == PT_INT64 || c->phys == PT_DOUBLE ? 8
               : c->phys == PT_FLBA ? (size_t)c->type_length : 0;
    if (w == 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: BYTE_STREAM_SPLIT on %s",
                          TYPE_NAMES[c->phys]);
    if (count > n / w)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: BYTE_STREAM_SPLIT data too short");
    uint8_t *buf = own(r, count * w);
    if (!buf)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < w; k++)
            buf[i * w + k] = p[k * count + i];
    return plain_decode(c, buf, count * w, count, out, err);
}

static int dict_decode(const uint8_t *p, size_t n, const pq_val *dict, size_t ndict, pq_val *out,
                       size_t count, mc_err *err)
{
    if (count == 0)
        return 0;
    if (!dict)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: dictionary-encoded page without a dictionary");
    if (n < 1 || p[0] > 32)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: bad dictionary index bit width");
    uint32_t *idx = malloc(count * sizeof *idx);
    if (!idx)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
    if (rle_decode(p + 1, n - 1, p[0], idx, count, err) != 0) {
        free(idx);
        return mc_err_prefix(err, "dictionary indices");
    }
    for (size_t i = 0; i < count; i++) {
        if (idx[i] >= ndict) {
            uint32_t bad = idx[i];
            free(idx);
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: dictionary index %u of %zu", bad, ndict);
        }
        out[i] = dict[idx[i]];
    }
    free(idx);
    return 0;
}

static int decode_values(paimon_parquet_reader *r, const pq_col *c, int32_t enc, const uint8_t *p,
                         size_t n, pq_val *out, size_t count, const pq_val *dict, size_t ndict,
                         mc_err *err)
{
    size_t used;
    switch (enc) {
    case ENC_PLAIN:
        return plain_decode(c, p, n, count, out, err);
    case ENC_PLAIN_DICTIONARY:
    case ENC_RLE_DICTIONARY:
        return dict_decode(p, n, dict, ndict, out, count, err);
    case ENC_RLE: {
        if (c->phys != PT_BOOLEAN)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: RLE values on %s", TYPE_NAMES[c->phys]);
        if (n < 4 || rd32(p) > n - 4)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated RLE boolean data");
        uint32_t *v = malloc((count ? count : 1) * sizeof *v);
        if (!v)
            return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
        int rc = rle_decode(p + 4, rd32(p), 1, v, count, err);
        for (size_t i = 0; rc == 0 && i < count; i++)
            out[i].i = v[i] & 1;
        free(v);
        return rc;
    }
    case ENC_DELTA_BINARY_PACKED: {
        if (c->phys != PT_INT32 && c->phys != PT_INT64)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_BINARY_PACKED on %s",
                              TYPE_NAMES[c->phys]);
        int64_t *v = malloc((count ? count : 1) * sizeof *v);
        if (!v)
            return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
        int rc = dbp_decode(p, n, &used, v, count, c->phys == PT_INT32, err);
        for (size_t i = 0; rc == 0 && i < count; i++)
            out[i].i = v[i];
        free(v);
        return rc;
    }
    case ENC_DELTA_LENGTH_BYTE_ARRAY:
        if (c->phys != PT_BYTE_ARRAY)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_LENGTH_BYTE_ARRAY on %s",
                              TYPE_NAMES[c->phys]);
        return dlba_decode(p, n, &used, out, count, err);
    case ENC_DELTA_BYTE_ARRAY:
        if (c->phys != PT_BYTE_ARRAY && c->phys != PT_FLBA)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: DELTA_BYTE_ARRAY on %s",
                              TYPE_NAMES[c->phys]);
        return dba_decode(r, c, p, n, out, count, err);
    case ENC_BYTE_STREAM_SPLIT:
        return bss_decode(r, c, p, n, out, count, err);
    default:
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "parquet: encoding %d is not supported", enc);
    }
}

/* ---- column chunks ---- */

static int grow_column(pq_col *c, size_t need, mc_err *err)
{
    if (need <= c->cap)
        return 0;
    size_t cap = c->cap ? c->cap : 1024;
    while (cap < need)
        cap *= 2;
    pq_val *v = realloc(c->vals, cap * sizeof *v);
    if (!v)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory for %zu values", cap);
    c->vals = v;
    uint8_t *pr = realloc(c->present, cap);
    if (!pr)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory for %zu values", cap);
    c->present = pr;
    if (c->levels) {
        uint8_t *d = realloc(c->defs, cap), *rp = d ? realloc(c->reps, cap) : NULL;
        if (d)
            c->defs = d;
        if (!rp)
            return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory for %zu values", cap);
        c->reps = rp;
    }
    c->cap = cap;
    return 0;
}

/* One level stream (max > 0) of n entries into out: v1 pages prefix it with
 * its 4-byte length (RLE) or use BIT_PACKED (max 1 only); v2 pages give the
 * length (v2len). *used = its bytes. */
static int decode_level_run(const uint8_t *p, size_t len, int32_t enc, long v2len, int max, uint8_t *out, size_t n,
                            size_t *used, mc_err *err)
{
    const uint8_t *lp;
    size_t ll;
    if (v2len >= 0) {
        lp = p;
        ll = (size_t)v2len;
        *used = ll;
    } else if (enc == ENC_BIT_PACKED && max == 1) {
        ll = (n + 7) / 8;
        if (ll > len)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated levels");
        for (size_t i = 0; i < n; i++)
            out[i] = (p[i >> 3] >> (7 - (i & 7))) & 1; /* BIT_PACKED is MSB first */
        *used = ll;
        return 0;
    } else if (enc == ENC_RLE) {
        if (len < 4 || rd32(p) > len - 4)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: truncated levels");
        lp = p + 4;
        ll = rd32(p);
        *used = 4 + ll;
    } else {
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "parquet: level encoding %d", enc);
    }
    int bw = 0;
    while ((1 << bw) <= max)
        bw++;
    uint32_t *lv = malloc((n ? n : 1) * sizeof *lv);
    if (!lv)
        return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
    int rc = rle_decode(lp, ll, bw, lv, n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (lv[i] > (uint32_t)max)
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "parquet: level %u above %d", lv[i], max);
        out[i] = (uint8_t)lv[i];
    }
    free(lv);
    return rc;
}

/* Decodes the levels of a data page's n entries: present[i] = entry i holds
 * a value; nested leaves also keep defs/reps. *used = level bytes (v1). */
static int decode_levels(const pq_col *c, const pq_page *h, const uint8_t *p, size_t len, bool v2, size_t filled,
                         size_t n, size_t *used, mc_err *err)
{
    uint8_t *present = c->present + filled;
    *used = 0;
    size_t u = 0;
    if (c->max_rep > 0) {
        if (decode_level_run(p, len, ENC_RLE, v2 ? h->rep_len : -1, c->max_rep, c->reps + filled, n, &u, err) != 0)
            return mc_err_prefix(err, "repetition levels");
        *used += u;
    } else if (c->reps) {
        memset(c->reps + filled, 0, n);
    }
    if (c->max_def == 0) {
        memset(present, 1, n);
        if (c->defs)
            memset(c->defs + filled, 0, n);
        return 0;
    }
    uint8_t *defs = c->defs ? c->defs + filled : present;
    if (decode_level_run(p + *used, len - *used, h->def_encoding, v2 ? h->def_len : -1, c->max_def, defs, n, &u,
                         err) != 0)
        return mc_err_prefix(err, "definition levels");
    *used += u;
    for (size_t i = 0; i < n; i++)
        present[i] = defs[i] == c->max_def;
    return 0;
}

static int decode_data_page(paimon_parquet_reader *r, pq_col *c, int32_t codec, const pq_page *h,
                            const uint8_t *body, size_t filled, const pq_val *dict, size_t ndict,
                            mc_err *err)
{
    bool v2 = h->type == PAGE_DATA_V2;
    size_t n = (size_t)h->num_values;
    const uint8_t *p;
    size_t plen;
    size_t csize = (size_t)h->compressed_size, usize = (size_t)h->uncompressed_size;
    if (v2) {
        if (h->def_len < 0 || h->rep_len < 0 || (size_t)h->def_len + (size_t)h->rep_len > csize ||
            (size_t)h->def_len + (size_t)h->rep_len > usize)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: bad v2 level lengths");
        if (h->rep_len != 0 && c->max_rep == 0)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: repetition levels in a flat column");
    }
    uint8_t *present = c->present + filled;
    size_t used;
    if (v2) {
        size_t lv = (size_t)h->def_len + (size_t)h->rep_len;
        if (decode_levels(c, h, body, lv, true, filled, n, &used, err) != 0)
            return -1;
        if (h->is_compressed) {
            if (decompress(r, codec, body + lv, csize - lv, usize - lv, &p, err) != 0)
                return -1;
            plen = usize - lv;
        } else {
            p = body + lv;
            plen = csize - lv;
        }
    } else {
        if (decompress(r, codec, body, csize, usize, &p, err) != 0)
            return -1;
        if (decode_levels(c, h, p, usize, false, filled, n, &used, err) != 0)
            return -1;
        p += used;
        plen = usize - used;
    }
    size_t nn = 0;
    for (size_t i = 0; i < n; i++)
        nn += present[i];
    pq_val *out = c->vals + filled;
    if (decode_values(r, c, h->encoding, p, plen, out, nn, dict, ndict, err) != 0)
        return -1;
    /* spread the nn values to their positions, from the back */
    size_t j = nn;
    for (size_t i = n; i-- > 0 && j != i + 1;) {
        if (present[i])
            out[i] = out[--j];
    }
    return 0;
}

/* The file bytes [*start, *end) of a column chunk: from its first page to
 * its compressed size, or to the footer when the size is missing. */
static int chunk_range(const paimon_parquet_reader *r, const pq_chunk *ch, size_t *start, size_t *end,
                       mc_err *err)
{
    if (!ch->has_meta)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column chunk without metadata");
    int64_t first = ch->data_page_offset;
    if (ch->dictionary_page_offset > 0 && ch->dictionary_page_offset < first)
        first = ch->dictionary_page_offset;
    if (first < 4 || (uint64_t)first >= r->footer_start)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column chunk offset %lld outside the data",
                          (long long)first);
    *start = (size_t)first;
    *end = r->footer_start;
    if (ch->total_compressed_size > 0 &&
        (uint64_t)ch->total_compressed_size < r->footer_start - (uint64_t)first)
        *end = (size_t)first + (size_t)ch->total_compressed_size;
    return 0;
}

/* Where the file bytes [start, end) are in memory: in the whole file, or
 * (ranged mode) in the run fetch_row_group fetched for them. */
static int chunk_bytes(const paimon_parquet_reader *r, size_t start, size_t end, const uint8_t **out,
                       mc_err *err)
{
    if (r->data) {
        *out = r->data + start;
        return 0;
    }
    if (r->held_off <= start && end <= r->held_off + r->held.len) {
        *out = (const uint8_t *)r->held.data + (start - r->held_off);
        return 0;
    }
    for (size_t i = 0; i < r->nruns; i++) {
        const pq_run *u = &r->runs[i];
        if (u->off <= start && end <= u->off + u->buf.len) {
            *out = (const uint8_t *)u->buf.data + (start - u->off);
            return 0;
        }
    }
    return mc_err_set(err, MC_ERR_INTERNAL, "parquet: column chunk bytes %zu-%zu were not fetched", start, end);
}

static int decode_chunk(paimon_parquet_reader *r, pq_col *c, const pq_chunk *ch, size_t rows,
                        mc_err *err)
{
    size_t start = 0, end = 0;
    if (chunk_range(r, ch, &start, &end, err) != 0)
        return -1;
    if (ch->type != c->phys)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: chunk type %d differs from schema type %d",
                          ch->type, c->phys);
    const uint8_t *bytes = NULL;
    if (chunk_bytes(r, start, end, &bytes, err) != 0)
        return -1;
    size_t pos = start, filled = 0;
    pq_val *dict = NULL;
    size_t ndict = 0;
    /* a repeated leaf holds num_values level entries, a flat one a value per row */
    if (c->max_rep > 0) {
        if (ch->num_values < (int64_t)rows || ch->num_values > MAX_RG_ROWS * 4)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: repeated column chunk of %lld values for %zu rows",
                              (long long)ch->num_values, rows);
        rows = (size_t)ch->num_values;
    }
    c->nent = 0;
    c->cur = 0;
    if (grow_column(c, rows < 1024 ? rows : 1024, err) != 0)
        return -1;
    while (filled < rows) {
        if (pos >= end)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column chunk ends after %zu of %zu values",
                              filled, rows);
        paimon_thrift t;
        paimon_thrift_init(&t, bytes + (pos - start), end - pos, err);
        pq_page h;
        if (read_page_header(&t, &h) != 0)
            return mc_err_prefix(err, "page header at %zu", pos);
        pos += t.pos;
        if (h.compressed_size < 0 || (size_t)h.compressed_size > end - pos ||
            h.uncompressed_size < 0 || h.uncompressed_size > MAX_PAGE_BYTES)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: page at %zu has bad sizes %d/%d", pos,
                              h.compressed_size, h.uncompressed_size);
        const uint8_t *body = bytes + (pos - start);
        pos += (size_t)h.compressed_size;
        if (h.type == PAGE_DICTIONARY) {
            if (dict)
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: second dictionary page");
            if (h.num_values < 0 || (h.encoding != ENC_PLAIN && h.encoding != ENC_PLAIN_DICTIONARY))
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: bad dictionary page");
            const uint8_t *p;
            if (decompress(r, ch->codec, body, (size_t)h.compressed_size,
                           (size_t)h.uncompressed_size, &p, err) != 0)
                return -1;
            ndict = (size_t)h.num_values;
            if (c->phys != PT_BOOLEAN && ndict > (size_t)h.uncompressed_size)
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: dictionary of %zu values in %d bytes",
                                  ndict, h.uncompressed_size);
            dict = own(r, (ndict ? ndict : 1) * sizeof *dict);
            if (!dict)
                return mc_err_set(err, MC_ERR_NOMEM, "parquet: out of memory");
            if (plain_decode(c, p, (size_t)h.uncompressed_size, ndict, dict, err) != 0)
                return mc_err_prefix(err, "dictionary page");
            continue;
        }
        if (h.type != PAGE_DATA && h.type != PAGE_DATA_V2)
            continue; /* index pages and unknown page types carry no values */
        if (h.num_values < 0 || (size_t)h.num_values > rows - filled)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: page of %d values overruns the %zu rows",
                              h.num_values, rows);
        if (grow_column(c, filled + (size_t)h.num_values, err) != 0)
            return -1;
        if (decode_data_page(r, c, ch->codec, &h, body, filled, dict, ndict, err) != 0)
            return -1;
        filled += (size_t)h.num_values;
    }
    c->nent = filled;
    return 0;
}

typedef struct {
    size_t start, end;
} pq_span;

static int span_cmp(const void *a, const void *b)
{
    const pq_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void add_span(pq_span *spans, size_t *n, const paimon_parquet_reader *r, const pq_row_group *g, size_t leaf)
{
    size_t start = 0, end = 0;
    mc_err ignored;
    /* A chunk that is not there or has no valid range is not fetched:
     * decoding it then fails with what is wrong with it. Nor is one the
     * tail fetched with the footer holds already. */
    if (leaf < g->ncols && chunk_range(r, &g->cols[leaf], &start, &end, &ignored) == 0 &&
        !(r->held_off <= start && end <= r->held_off + r->held.len))
        spans[(*n)++] = (pq_span){start, end};
}

/* Ranged mode: fetches the column chunks of the requested columns in row
 * group g, and only those; chunks that touch are fetched together. */
static int fetch_row_group(paimon_parquet_reader *r, const pq_row_group *g, mc_err *err)
{
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < r->ncols; i++)
        if (r->cols[i].elem >= 0)
            cap += r->cols[i].nsubs + 1;
    pq_span *spans = mc_calloc(cap + 1, sizeof *spans);
    for (size_t i = 0; i < r->ncols; i++) {
        const pq_col *c = &r->cols[i];
        if (c->elem < 0)
            continue;
        for (size_t k = 0; k < c->nsubs; k++)
            add_span(spans, &n, r, g, c->subs[k].leaf);
        if (!c->node)
            add_span(spans, &n, r, g, c->leaf);
    }
    qsort(spans, n, sizeof *spans, span_cmp);
    r->runs = mc_calloc(n + 1, sizeof *r->runs);
    int rc = 0;
    for (size_t i = 0, j; i < n && rc == 0; i = j) {
        size_t end = spans[i].end;
        for (j = i + 1; j < n && spans[j].start <= end; j++)
            if (spans[j].end > end)
                end = spans[j].end;
        pq_run *u = &r->runs[r->nruns++];
        u->off = spans[i].start;
        mc_buf_init(&u->buf);
        rc = r->fetch(r->fetch_ud, u->off, end - spans[i].start, &u->buf, err);
        if (rc == 0 && u->buf.len != end - spans[i].start)
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "parquet: read %zu of the %zu bytes at %zu", u->buf.len,
                            end - spans[i].start, spans[i].start);
    }
    free(spans);
    return rc;
}

static int load_row_group(paimon_parquet_reader *r, mc_err *err)
{
    const pq_row_group *g = &r->meta.rgs[r->rg];
    free_owned(r);
    if (g->num_rows < 0 || g->num_rows > MAX_RG_ROWS)
        return mc_err_set(err, g->num_rows < 0 ? MC_ERR_PROTOCOL : MC_ERR_UNSUPPORTED,
                          "parquet: row group %zu has %lld rows", r->rg, (long long)g->num_rows);
    /* Every column chunk holds a value (or null) per row: a row group claiming
     * more rows than its chunks hold is malformed, even when none of its
     * columns is read (the rows would be all NULL). */
    if (g->num_rows > 0 && g->ncols == 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: row group %zu has %lld rows but no columns", r->rg,
                          (long long)g->num_rows);
    for (size_t k = 0; k < g->ncols; k++)
        if (g->cols[k].has_meta && g->cols[k].num_values < g->num_rows)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: row group %zu has %lld rows but column %zu holds %lld values",
                              r->rg, (long long)g->num_rows, k, (long long)g->cols[k].num_values);
    if (r->fetch && fetch_row_group(r, g, err) != 0)
        return mc_err_prefix(err, "parquet row group %zu", r->rg);
    for (size_t i = 0; i < r->ncols; i++) {
        pq_col *c = &r->cols[i];
        if (c->elem < 0)
            continue;
        for (size_t k = 0; k < c->nsubs; k++) {
            pq_col *sc = &c->subs[k];
            if (sc->leaf >= g->ncols)
                return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: row group %zu has %zu columns, need %zu", r->rg,
                                  g->ncols, sc->leaf + 1);
            if (decode_chunk(r, sc, &g->cols[sc->leaf], (size_t)g->num_rows, err) != 0)
                return mc_err_prefix(err, "parquet column %s, row group %zu", c->name, r->rg);
        }
        if (c->node)
            continue;
        if (c->leaf >= g->ncols)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: row group %zu has %zu columns, need %zu",
                              r->rg, g->ncols, c->leaf + 1);
        if (decode_chunk(r, c, &g->cols[c->leaf], (size_t)g->num_rows, err) != 0)
            return mc_err_prefix(err, "parquet column %s, row group %zu", c->name, r->rg);
    }
    r->rg_rows = g->num_rows;
    r->rg_pos = 0;
    r->rg++;
    return 0;
}

/* ---- conversion ---- */

static void split_nanos(paimon_datum *d, __int128 total_nanos)
{
    __int128 ms = total_nanos / 1000000;
    __int128 rem = total_nanos % 1000000;
    if (rem < 0) {
        rem += 1000000;
        ms -= 1;
    }
    d->i = (int64_t)ms;
    d->nanos = (int32_t)rem;
}

static int convert(paimon_datum *d, const pq_col *c, const pq_val *v, mc_err *err)
{
    memset(d, 0, sizeof *d);
    switch (c->ptype->id) {
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
        d->d = v->d;
        return 0;
    case PAIMON_DECIMAL:
        if (c->phys == PT_INT32 || c->phys == PT_INT64) {
            d->dec = v->i;
            return 0;
        }
        if (v->b.n > 16) {
            size_t extra = v->b.n - 16;
            uint8_t sign = (v->b.p[extra] & 0x80) ? 0xff : 0;
            for (size_t k = 0; k < extra; k++)
                if (v->b.p[k] != sign)
                    return mc_err_set(err, MC_ERR_PROTOCOL,
                                      "parquet: decimal in column %s exceeds 128 bits", c->name);
            d->dec = paimon_decimal_from_bytes(v->b.p + extra, 16);
            return 0;
        }
        d->dec = paimon_decimal_from_bytes(v->b.p, v->b.n);
        return 0;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
    case PAIMON_BLOB:
        d->ptr = v->b.p;
        d->len = v->b.n;
        return 0;
    case PAIMON_TIME:
        d->i = c->phys == PT_INT32 ? v->i
               : floor_div(v->i, c->unit == UNIT_NANOS ? 1000000 : c->unit == UNIT_MICROS ? 1000 : 1);
        return 0;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (c->phys == PT_INT96) {
            /* reference/paimon-format.md §7.1: nanos-of-day may be negative */
            int64_t nod = (int64_t)rd64(v->b.p);
            int32_t jd = (int32_t)rd32(v->b.p + 8);
            split_nanos(d, ((__int128)jd - 2440588) * 86400000000000LL + nod);
        } else if (c->unit == UNIT_MICROS) {
            split_nanos(d, (__int128)v->i * 1000);
        } else if (c->unit == UNIT_NANOS) {
            split_nanos(d, v->i);
        } else {
            d->i = v->i;
        }
        return 0;
    default:
        d->i = c->unsigned32 ? (int64_t)(uint32_t)v->i : v->i;
        return 0;
    }
}

/* ---- nested values: record assembly ---- */

/* Keeps a nested value's bytes until the next row; d points at them. */
static void keep_value(paimon_parquet_reader *r, mc_buf *b, paimon_datum *d)
{
    if (r->nrowmem == r->caprowmem) {
        r->caprowmem = r->caprowmem ? 2 * r->caprowmem : 16;
        r->rowmem = mc_realloc(r->rowmem, r->caprowmem * sizeof *r->rowmem);
    }
    if (!b->data)
        mc_buf_append(b, "", 0);
    r->rowmem[r->nrowmem++] = b->data;
    memset(d, 0, sizeof *d);
    d->ptr = (const uint8_t *)b->data;
    d->len = b->len;
    *b = (mc_buf)MC_BUF_INIT;
}

/* Consumes one entry in every leaf of nd (a NULL or an empty collection). */
static int skip_entry(pq_col *f, const pq_node *nd, mc_err *err)
{
    for (size_t k = nd->leaf; k < nd->leaf + nd->nleaf; k++) {
        if (f->subs[k].cur >= f->subs[k].nent)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column %s: levels end inside a row", f->name);
        f->subs[k].cur++;
    }
    return 0;
}

typedef struct {
    paimon_datum *v;
    size_t n, cap;
} datum_vec;

static void datum_push(datum_vec *dv, const paimon_datum *d)
{
    if (dv->n == dv->cap) {
        dv->cap = dv->cap ? 2 * dv->cap : 8;
        dv->v = mc_realloc(dv->v, dv->cap * sizeof *dv->v);
    }
    dv->v[dv->n++] = *d;
}

/* Assembles the value of node nd at the leaves' cursors (Dremel): the
 * first leaf's definition level says how far the value is defined; a
 * repetition level equal to nd->rep continues the collection. */
static int assemble(paimon_parquet_reader *r, pq_col *f, const pq_node *nd, paimon_datum *out, int depth,
                    mc_err *err)
{
    if (nd->nleaf == 0) { /* a ROW field the file lacks */
        *out = paimon_datum_null();
        return 0;
    }
    pq_col *lead = &f->subs[nd->leaf];
    if (lead->cur >= lead->nent)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column %s: levels end inside a row", f->name);
    if (lead->defs[lead->cur] < nd->def) {
        *out = paimon_datum_null();
        return skip_entry(f, nd, err);
    }
    paimon_type_id id = nd->t->id;
    if (id != PAIMON_ARRAY && id != PAIMON_MAP && id != PAIMON_MULTISET && id != PAIMON_ROW) {
        int rc = convert(out, lead, &lead->vals[lead->cur], err);
        lead->cur++;
        return rc;
    }
    mc_buf b = MC_BUF_INIT;
    int rc = 0;
    if (id == PAIMON_ROW) {
        const paimon_type **types = mc_calloc(nd->nkids ? nd->nkids : 1, sizeof *types);
        paimon_datum *vals = mc_calloc(nd->nkids ? nd->nkids : 1, sizeof *vals);
        for (size_t i = 0; i < nd->nkids && rc == 0; i++) {
            types[i] = nd->kids[i].t;
            rc = assemble(r, f, &nd->kids[i], &vals[i], depth + 1, err);
        }
        if (rc == 0)
            paimon_binrow_write(&b, 0, types, vals, nd->nkids);
        free(types);
        free(vals);
    } else {
        datum_vec dv[2] = {{0}, {0}};
        if (lead->defs[lead->cur] < nd->rep_def) { /* empty */
            rc = skip_entry(f, nd, err);
        } else {
            for (;;) {
                for (size_t k = 0; k < nd->nkids && rc == 0; k++) {
                    paimon_datum d;
                    rc = assemble(r, f, &nd->kids[k], &d, depth + 1, err);
                    if (rc == 0)
                        datum_push(&dv[k], &d);
                }
                if (rc != 0 || lead->cur >= lead->nent || lead->reps[lead->cur] < nd->rep)
                    break;
                if (lead->reps[lead->cur] > nd->rep) {
                    rc = mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column %s: repetition level %d inside level %d",
                                    f->name, lead->reps[lead->cur], nd->rep);
                    break;
                }
            }
        }
        if (rc == 0 && id == PAIMON_ARRAY)
            paimon_binarray_write(&b, nd->t->element, dv[0].v, dv[0].n);
        else if (rc == 0)
            paimon_binmap_write(&b, nd->kids[0].t, nd->kids[1].t, dv[0].v, dv[1].v, dv[0].n);
        free(dv[0].v);
        free(dv[1].v);
    }
    if (rc == 0)
        keep_value(r, &b, out);
    mc_buf_free(&b);
    return rc;
}

/* One row of a nested field: every leaf must start a record here. */
static int assemble_row(paimon_parquet_reader *r, pq_col *f, paimon_datum *out, mc_err *err)
{
    for (size_t k = 0; k < f->nsubs; k++) {
        pq_col *sc = &f->subs[k];
        if (sc->cur >= sc->nent || sc->reps[sc->cur] != 0)
            return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: column %s: leaf %zu is not at a row start", f->name, k);
    }
    return assemble(r, f, f->node, out, 0, err);
}

/* ---- public API ---- */

static void cols_free(pq_col *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pq_col *c = &cols[i];
        free(c->name);
        paimon_type_free(c->ptype);
        free(c->vals);
        free(c->present);
        free(c->defs);
        free(c->reps);
        node_free(c->node);
        free(c->node);
        cols_free(c->subs, c->nsubs);
    }
    free(cols);
}

static void rowmem_free(paimon_parquet_reader *r)
{
    for (size_t i = 0; i < r->nrowmem; i++)
        free(r->rowmem[i]);
    r->nrowmem = 0;
}

static void reader_free_cols(paimon_parquet_reader *r)
{
    cols_free(r->cols, r->ncols);
    rowmem_free(r);
    free(r->rowmem);
}

void paimon_parquet_reader_close(paimon_parquet_reader *r)
{
    if (!r)
        return;
    free_owned(r);
    free(r->owned);
    mc_buf_free(&r->held);
    reader_free_cols(r);
    free(r->row);
    meta_free(&r->meta);
    free(r);
}

static int match_fields(paimon_parquet_reader *r, const paimon_field *fields, size_t nfields,
                        mc_err *err)
{
    pq_top *tops = NULL;
    size_t ntops = 0;
    if (top_columns(&tops, &ntops, &r->meta, err) != 0)
        return -1;
    bool by_id = false;
    for (size_t k = 0; k < ntops; k++)
        by_id |= r->meta.schema[tops[k].elem].has_field_id;
    int rc = 0;
    for (size_t i = 0; i < nfields && rc == 0; i++) {
        pq_col *c = &r->cols[i];
        c->name = mc_strdup(fields[i].name ? fields[i].name : "");
        c->ptype = paimon_type_copy(fields[i].type);
        c->elem = -1;
        for (size_t k = 0; k < ntops; k++) {
            const pq_elem *e = &r->meta.schema[tops[k].elem];
            bool hit = by_id ? (e->has_field_id && e->field_id == fields[i].id)
                             : (e->name && strcmp(e->name, c->name) == 0);
            if (hit) {
                rc = bind_column(c, &r->meta, &tops[k], err);
                break;
            }
        }
    }
    free(tops);
    return rc;
}

static int bad_magic(const uint8_t *last4, mc_err *err)
{
    return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: bad magic (not a Parquet file%s)",
                      memcmp(last4, "PARE", 4) == 0 ? ", or an encrypted one" : "");
}

/* The footer's length from a file's last 8 bytes, checked against its size. */
static int footer_length(uint32_t *flen, const uint8_t *last8, uint64_t len, mc_err *err)
{
    if (memcmp(last8 + 4, "PAR1", 4) != 0)
        return bad_magic(last8 + 4, err);
    *flen = rd32(last8);
    if (*flen > len - 12)
        return mc_err_set(err, MC_ERR_PROTOCOL,
                          "parquet: footer length %u reaches past the start of a %llu-byte file", *flen,
                          (unsigned long long)len);
    return 0;
}

/* Decodes the footer (flen bytes at footer, which stay alive until close)
 * and binds the requested fields; frees r on failure. */
static int reader_init(paimon_parquet_reader **out, paimon_parquet_reader *r, const uint8_t *footer, uint32_t flen,
                       const paimon_field *fields, size_t nfields, mc_err *err)
{
    paimon_thrift t;
    paimon_thrift_init(&t, footer, flen, err);
    r->cols = mc_calloc(nfields ? nfields : 1, sizeof *r->cols);
    r->ncols = nfields;
    r->row = mc_calloc(nfields ? nfields : 1, sizeof *r->row);
    if (read_file_meta(&t, &r->meta) != 0) {
        mc_err_prefix(err, "parquet footer");
        goto fail;
    }
    if (r->meta.num_rows < 0) {
        mc_err_set(err, MC_ERR_PROTOCOL, "parquet: negative row count");
        goto fail;
    }
    if (match_fields(r, fields, nfields, err) != 0)
        goto fail;
    *out = r;
    return 0;
fail:
    paimon_parquet_reader_close(r);
    return -1;
}

int paimon_parquet_reader_open(paimon_parquet_reader **out, const uint8_t *data, size_t len,
                               const paimon_field *fields, size_t nfields, mc_err *err)
{
    *out = NULL;
    if (len < 12)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: file of %zu bytes is too short", len);
    uint32_t flen;
    if (memcmp(data, "PAR1", 4) != 0)
        return bad_magic(data + len - 4, err);
    if (footer_length(&flen, data + len - 8, len, err) != 0)
        return -1;
    paimon_parquet_reader *r = mc_calloc(1, sizeof *r);
    r->data = data;
    r->len = len;
    r->footer_start = len - 8 - flen;
    return reader_init(out, r, data + r->footer_start, flen, fields, nfields, err);
}

/* fetch into out exactly len bytes at off. */
static int fetch_exact(paimon_parquet_fetch_fn fetch, void *ud, uint64_t off, size_t len, mc_buf *out, mc_err *err)
{
    if (fetch(ud, off, len, out, err) != 0)
        return -1;
    if (out->len != len)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: read %zu of the %zu bytes at %llu", out->len, len,
                          (unsigned long long)off);
    return 0;
}

int paimon_parquet_reader_open_ranged(paimon_parquet_reader **out, uint64_t size, paimon_parquet_fetch_fn fetch,
                                      void *ud, const paimon_field *fields, size_t nfields, mc_err *err)
{
    *out = NULL;
    if (size < 12)
        return mc_err_set(err, MC_ERR_PROTOCOL, "parquet: file of %llu bytes is too short",
                          (unsigned long long)size);
    paimon_parquet_reader *r = mc_calloc(1, sizeof *r);
    size_t tail = size < PAIMON_PARQUET_TAIL ? (size_t)size : PAIMON_PARQUET_TAIL;
    uint32_t flen = 0;
    if (fetch_exact(fetch, ud, size - tail, tail, &r->held, err) != 0 ||
        footer_length(&flen, (const uint8_t *)r->held.data + tail - 8, size, err) != 0) {
        paimon_parquet_reader_close(r);
        return -1;
    }
    if (tail == size) {
        /* The whole file came with the footer: read it as it is. */
        mc_buf held = r->held;
        mc_buf_init(&r->held);
        paimon_parquet_reader_close(r);
        if (paimon_parquet_reader_open(out, (const uint8_t *)held.data, held.len, fields, nfields, err) != 0) {
            mc_buf_free(&held);
            return -1;
        }
        (*out)->held = held;
        return 0;
    }
    r->len = (size_t)size;
    r->footer_start = (size_t)size - 8 - flen;
    r->held_off = (size_t)size - tail;
    r->fetch = fetch;
    r->fetch_ud = ud;
    if (flen + 8 > tail) {
        /* A footer longer than the tail: fetch it whole. */
        mc_buf_reset(&r->held);
        r->held_off = r->footer_start;
        if (fetch_exact(fetch, ud, r->footer_start, flen, &r->held, err) != 0) {
            paimon_parquet_reader_close(r);
            return -1;
        }
        return reader_init(out, r, (const uint8_t *)r->held.data, flen, fields, nfields, err);
    }
    return reader_init(out, r, (const uint8_t *)r->held.data + tail - 8 - flen, flen, fields, nfields, err);
}

int64_t paimon_parquet_reader_num_rows(const paimon_parquet_reader *r)
{
    return r->meta.num_rows;
}

int paimon_parquet_reader_next(paimon_parquet_reader *r, const paimon_datum **row, mc_err *err)
{
    while (r->rg_pos >= r->rg_rows) {
        if (r->rg >= r->meta.nrgs)
            return 0;
        if (load_row_group(r, err) != 0) {
            r->rg = r->meta.nrgs; /* no further rows after an error */
            r->rg_rows = r->rg_pos = 0;
            return -1;
        }
    }
    size_t pos = (size_t)r->rg_pos++;
    rowmem_free(r);
    for (size_t i = 0; i < r->ncols; i++) {
        pq_col *c = &r->cols[i];
        if (c->node && c->elem >= 0) {
            if (assemble_row(r, c, &r->row[i], err) != 0)
                return -1;
            continue;
        }
        if (c->elem < 0 || !c->present[pos]) {
            r->row[i] = paimon_datum_null();
            continue;
        }
        if (convert(&r->row[i], c, &c->vals[pos], err) != 0)
            return -1;
    }
    *row = r->row;
    return 1;
}
