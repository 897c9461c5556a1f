/* Unit tests for paimon/parquet and paimon/thrift: Java-written data files
 * (INT96 before 1970, FLBA decimals, dictionaries, zstd) read back to the
 * values of their expected.csv, hand-built files for the encodings, codecs and
 * page versions parquet-mr does not use by default, field-id matching, nested
 * columns, and malformed input (truncation, bad magic, bad footer length,
 * corrupt page headers, every single-byte corruption) failing cleanly. */
#include "testutil.h"

#include "fsutil.h"
#include "strutil.h"
#include "timeutil.h"

#include <lz4.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "paimon/parquet.h"
#include "paimon/schema.h"
#include "paimon/thrift.h"

/* Fixture path: tu_shared_path, or the shared/ directory beside the
 * worktree root when the configured one is absent. */
static char *shared_path(const char *rel)
{
    char *p = tu_shared_path(rel);
    if (mc_path_exists(p))
        return p;
    free(p);
    return mc_asprintf("%s/../../shared/%s", MCDLF_SOURCE_DIR, rel);
}

/* Frees what fields in a caller-owned array own. */
static void clear_fields(paimon_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].name);
        paimon_type_free(f[i].type);
        free(f[i].description);
        free(f[i].default_value);
    }
}

static paimon_schema *load_schema(const char *table)
{
    char *rel = mc_asprintf("paimon-tables/%s/table/schema/schema-0", table);
    char *path = shared_path(rel);
    mc_buf b = MC_BUF_INIT;
    tu_read_file(&b, path);
    paimon_schema *s;
    mc_err err;
    assert_int_equal(paimon_schema_parse(&s, b.data, b.len, &err), 0);
    mc_buf_free(&b);
    free(path);
    free(rel);
    return s;
}

static void read_fixture(mc_buf *out, const char *table, const char *file)
{
    char *rel = mc_asprintf("paimon-tables/%s/table/%s", table, file);
    char *path = shared_path(rel);
    tu_read_file(out, path);
    free(path);
    free(rel);
}

/* One datum the way reference/paimon-cat-csv.md prints it. */
static void format_datum(mc_buf *out, const paimon_type *t, const paimon_datum *d)
{
    if (d->is_null)
        return;
    int64_t y;
    int mo, da;
    switch (t->id) {
    case PAIMON_BOOLEAN:
        mc_buf_puts(out, d->i ? "true" : "false");
        break;
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
        mc_java_double_text(out, d->d, t->id == PAIMON_FLOAT);
        break;
    case PAIMON_DECIMAL:
        paimon_decimal_format(out, d->dec, t->scale);
        break;
    case PAIMON_DATE:
        mc_civil_from_days(d->i, &y, &mo, &da);
        mc_buf_printf(out, "%04lld-%02d-%02d", (long long)y, mo, da);
        break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: {
        int64_t days = d->i / 86400000, ms = d->i % 86400000;
        if (ms < 0) {
            ms += 86400000;
            days--;
        }
        mc_civil_from_days(days, &y, &mo, &da);
        mc_buf_printf(out, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)y, mo, da,
                      (int)(ms / 3600000), (int)(ms / 60000 % 60), (int)(ms / 1000 % 60));
        if (t->precision > 0) {
            int64_t frac = (ms % 1000) * 1000000 + d->nanos;
            for (int k = t->precision; k < 9; k++)
                frac /= 10;
            mc_buf_printf(out, ".%0*lld", t->precision, (long long)frac);
        }
        break;
    }
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
        for (size_t k = 0; k < d->len; k++)
            mc_buf_printf(out, "%02x", d->ptr[k]);
        break;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
        if (d->len == 0)
            mc_buf_puts(out, "\"\"");
        else
            mc_buf_append(out, d->ptr, d->len);
        break;
    default:
        mc_buf_printf(out, "%lld", (long long)d->i);
    }
}

/* Reads every row of a file with the schema's fields into CSV lines. */
static void read_all_csv(mc_buf *lines, const uint8_t *data, size_t len, const paimon_schema *s)
{
    paimon_parquet_reader *r;
    mc_err err;
    if (paimon_parquet_reader_open(&r, data, len, s->fields, s->nfields, &err) != 0)
        fail_msg("open: %s", err.msg);
    const paimon_datum *row;
    int64_t n = 0;
    int rc;
    while ((rc = paimon_parquet_reader_next(r, &row, &err)) == 1) {
        for (size_t i = 0; i < s->nfields; i++) {
            if (i)
                mc_buf_putc(lines, ',');
            format_datum(lines, s->fields[i].type, &row[i]);
        }
        mc_buf_putc(lines, '\n');
        n++;
    }
    if (rc != 0)
        fail_msg("next: %s", err.msg);
    assert_int_equal(n, paimon_parquet_reader_num_rows(r));
    paimon_parquet_reader_close(r);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of text (without the header when skip_header). */
static char *sorted_lines(const char *text, bool skip_header)
{
    char *copy = mc_strdup(text);
    char *lines[256];
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        assert_true(n < 256);
        lines[n++] = l;
    }
    size_t first = skip_header ? 1 : 0;
    qsort(lines + first, n - first, sizeof lines[0], cmp_str);
    mc_buf out = MC_BUF_INIT;
    for (size_t i = first; i < n; i++)
        mc_buf_printf(&out, "%s\n", lines[i]);
    free(copy);
    return mc_buf_detach(&out, NULL);
}

static void expect_table_rows(const char *table, const char *const *files, size_t nfiles)
{
    paimon_schema *s = load_schema(table);
    mc_buf got = MC_BUF_INIT;
    for (size_t i = 0; i < nfiles; i++) {
        mc_buf data = MC_BUF_INIT;
        read_fixture(&data, table, files[i]);
        read_all_csv(&got, (const uint8_t *)data.data, data.len, s);
        mc_buf_free(&data);
    }
    mc_buf exp = MC_BUF_INIT;
    char *rel = mc_asprintf("paimon-tables/%s/expected.csv", table);
    char *path = shared_path(rel);
    tu_read_file(&exp, path);
    char *a = sorted_lines(mc_buf_cstr(&got), false);
    char *b = sorted_lines(mc_buf_cstr(&exp), true);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(path);
    free(rel);
    mc_buf_free(&exp);
    mc_buf_free(&got);
    paimon_schema_free(s);
}

static const char COMPLEX[] = "paimon-cpp__parquet_append_complex_data";
/* The live files of the latest snapshot: f1=10 was fully compacted into one
 * file (source-README.txt, snapshot-3-4). */
static const char *const COMPLEX_LIVE[] = {
    "f1=10/bucket-0/data-f8754699-0c43-4e53-be00-7e8af1754913-0.parquet",
    "f1=20/bucket-0/data-ac0894ca-fc13-49c8-bb22-4556c8ee416c-0.parquet",
    "f1=20/bucket-1/data-e0a6a424-e3b0-47ba-b259-d033fc01e87c-0.parquet"};
static const char *const COMPLEX_ALL[] = {
    "f1=10/bucket-0/data-35f2719c-ffae-4697-960e-af95a0b4bd51-0.parquet",
    "f1=10/bucket-0/data-35f2719c-ffae-4697-960e-af95a0b4bd51-1.parquet",
    "f1=10/bucket-0/data-35f2719c-ffae-4697-960e-af95a0b4bd51-2.parquet",
    "f1=10/bucket-0/data-f8754699-0c43-4e53-be00-7e8af1754913-0.parquet",
    "f1=20/bucket-0/data-ac0894ca-fc13-49c8-bb22-4556c8ee416c-0.parquet",
    "f1=20/bucket-1/data-e0a6a424-e3b0-47ba-b259-d033fc01e87c-0.parquet"};
static const char BITMAP[] = "paimon-cpp__parquet_append_with_bitmap";
static const char *const BITMAP_ALL[] = {
    "bucket-0/data-5816f838-a213-4d34-89c3-2cab0fa8c0cb-0.parquet",
    "bucket-0/data-54b396b6-df2d-4c6a-a0ae-b6a5afb612d7-0.parquet"};

static void test_java_files_read_to_expected_csv(void **state)
{
    (void)state;
    expect_table_rows(COMPLEX, COMPLEX_LIVE, 3);
    /* Two writers' copies of the same 8 rows; each matches on its own. */
    expect_table_rows(BITMAP, BITMAP_ALL, 1);
    expect_table_rows(BITMAP, BITMAP_ALL + 1, 1);
}

/* Finds the row whose column col (an INT-typed or DATE column) equals v. */
static void test_java_file_exact_values(void **state)
{
    (void)state;
    paimon_schema *s = load_schema(COMPLEX);
    mc_buf data = MC_BUF_INIT;
    read_fixture(&data, COMPLEX, COMPLEX_LIVE[1]); /* f1=20, bucket-0: the f2=1 row */
    paimon_parquet_reader *r;
    mc_err err;
    assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)data.data, data.len, s->fields,
                                                s->nfields, &err), 0);
    const paimon_datum *row;
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 1);
    assert_int_equal(row[0].i, 20);
    assert_int_equal(row[1].i, 1);
    assert_int_equal(row[2].i, -1234); /* DATE 1966-08-16 */
    /* 1899-01-01 00:59:20.001001001: INT96 with negative nanos-of-day */
    assert_int_equal(row[3].i, mc_days_from_civil(1899, 1, 1) * 86400000LL + 3560001);
    assert_int_equal(row[3].nanos, 1001);
    /* DECIMAL(23, 5) as FIXED_LEN_BYTE_ARRAY(10) */
    paimon_i128 want;
    assert_int_equal(paimon_decimal_parse(&want, "-123456789987654321.45678", 5, &err), 0);
    assert_true(row[4].dec == want);
    assert_false(row[4].is_null);
    assert_int_equal(row[5].len, 3);
    assert_memory_equal(row[5].ptr, "bad", 3);
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 0);
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 0);
    paimon_parquet_reader_close(r);
    mc_buf_free(&data);

    /* The older per-commit files read too, and a subset/reordering of fields
     * (matched by id) works. */
    paimon_field sub[2];
    paimon_field_copy(&sub[0], &s->fields[5]);
    paimon_field_copy(&sub[1], &s->fields[2]);
    for (size_t i = 0; i < sizeof COMPLEX_ALL / sizeof COMPLEX_ALL[0]; i++) {
        read_fixture(&data, COMPLEX, COMPLEX_ALL[i]);
        assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)data.data, data.len, sub, 2,
                                                    &err), 0);
        assert_true(paimon_parquet_reader_num_rows(r) > 0);
        int64_t n = 0;
        int rc;
        while ((rc = paimon_parquet_reader_next(r, &row, &err)) == 1)
            n++;
        assert_int_equal(rc, 0);
        assert_int_equal(n, paimon_parquet_reader_num_rows(r));
        paimon_parquet_reader_close(r);
        mc_buf_free(&data);
    }
    clear_fields(sub, 2);
    paimon_schema_free(s);
}

static void test_missing_field_reads_null(void **state)
{
    (void)state;
    paimon_schema *s = load_schema(BITMAP);
    paimon_field f[2];
    paimon_field_copy(&f[0], &s->fields[0]);
    f[1].id = 77;
    f[1].name = mc_strdup("added_later");
    f[1].type = paimon_type_new(PAIMON_BIGINT, true);
    f[1].description = f[1].default_value = NULL;
    mc_buf data = MC_BUF_INIT;
    read_fixture(&data, BITMAP, BITMAP_ALL[0]);
    paimon_parquet_reader *r;
    mc_err err;
    assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)data.data, data.len, f, 2, &err), 0);
    const paimon_datum *row;
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 1);
    assert_false(row[0].is_null);
    assert_true(row[1].is_null);
    paimon_parquet_reader_close(r);

    /* A type the physical column cannot hold is refused up front. */
    paimon_type_free(f[1].type);
    f[1].type = paimon_type_new(PAIMON_DATE, true);
    free(f[1].name);
    f[1].name = mc_strdup("f0");
    f[1].id = 0;
    assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)data.data, data.len, f + 1, 1,
                                                &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "BYTE_ARRAY"));
    mc_buf_free(&data);
    clear_fields(f, 2);
    paimon_schema_free(s);
}

/* ---------------------------------------------------------------------- */
/* A tiny Parquet writer for hand-built files.                             */

typedef struct {
    mc_buf b;
    int16_t last[16];
    int sp;
} tw;

static void tw_byte(tw *w, uint8_t v)
{
    mc_buf_append(&w->b, &v, 1);
}

static void put_uvar(mc_buf *b, uint64_t v)
{
    while (v >= 0x80) {
        uint8_t c = (uint8_t)(v | 0x80);
        mc_buf_append(b, &c, 1);
        v >>= 7;
    }
    uint8_t c = (uint8_t)v;
    mc_buf_append(b, &c, 1);
}

static uint64_t zz(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static void tw_field(tw *w, int16_t id, uint8_t type)
{
    int d = id - w->last[w->sp];
    if (d > 0 && d <= 15) {
        tw_byte(w, (uint8_t)(d << 4 | type));
    } else {
        tw_byte(w, type);
        put_uvar(&w->b, zz(id));
    }
    w->last[w->sp] = id;
}

static void tw_i32(tw *w, int16_t id, int64_t v)
{
    tw_field(w, id, PAIMON_THRIFT_I32);
    put_uvar(&w->b, zz(v));
}

static void tw_i64(tw *w, int16_t id, int64_t v)
{
    tw_field(w, id, PAIMON_THRIFT_I64);
    put_uvar(&w->b, zz(v));
}

static void tw_str(tw *w, int16_t id, const char *s)
{
    tw_field(w, id, PAIMON_THRIFT_BINARY);
    put_uvar(&w->b, strlen(s));
    mc_buf_puts(&w->b, s);
}

/* id 0: a struct as a list element (no field header). */
static void tw_begin(tw *w, int16_t id)
{
    if (id)
        tw_field(w, id, PAIMON_THRIFT_STRUCT);
    w->last[++w->sp] = 0;
}

static void tw_end(tw *w)
{
    tw_byte(w, 0);
    w->sp--;
}

static void tw_list(tw *w, int16_t id, uint8_t et, size_t n)
{
    tw_field(w, id, PAIMON_THRIFT_LIST);
    if (n < 15) {
        tw_byte(w, (uint8_t)(n << 4 | et));
    } else {
        tw_byte(w, (uint8_t)(0xf0 | et));
        put_uvar(&w->b, n);
    }
}

/* LSB-first bit packing. */
typedef struct {
    mc_buf *b;
    uint64_t acc;
    int nbits;
} bitw;

static void bits_put(bitw *bw, uint64_t v, int w)
{
    for (int k = 0; k < w; k++) {
        bw->acc |= ((v >> k) & 1) << bw->nbits;
        if (++bw->nbits == 8) {
            uint8_t c = (uint8_t)bw->acc;
            mc_buf_append(bw->b, &c, 1);
            bw->acc = 0;
            bw->nbits = 0;
        }
    }
}

static int width_of(uint64_t v)
{
    int w = 0;
    while (v) {
        w++;
        v >>= 1;
    }
    return w;
}

/* DELTA_BINARY_PACKED, blocks of 128 in 4 miniblocks. */
static void dbp_encode(mc_buf *out, const int64_t *v, size_t n)
{
    put_uvar(out, 128);
    put_uvar(out, 4);
    put_uvar(out, n);
    put_uvar(out, zz(n ? v[0] : 0));
    for (size_t i = 1; i < n; i += 128) {
        size_t cnt = n - i < 128 ? n - i : 128;
        int64_t d[128];
        int64_t min = INT64_MAX;
        for (size_t k = 0; k < cnt; k++) {
            d[k] = (int64_t)((uint64_t)v[i + k] - (uint64_t)v[i + k - 1]);
            if (d[k] < min)
                min = d[k];
        }
        put_uvar(out, zz(min));
        int widths[4] = {0};
        for (size_t k = 0; k < cnt; k++) {
            int w = width_of((uint64_t)d[k] - (uint64_t)min);
            if (w > widths[k / 32])
                widths[k / 32] = w;
        }
        for (int m = 0; m < 4; m++)
            mc_buf_append(out, &(uint8_t){(uint8_t)widths[m]}, 1);
        bitw bw = {out, 0, 0};
        for (int m = 0; m < 4 && (size_t)m * 32 < cnt; m++)
            for (size_t k = (size_t)m * 32; k < (size_t)m * 32 + 32; k++)
                bits_put(&bw, k < cnt ? (uint64_t)d[k] - (uint64_t)min : 0, widths[m]);
    }
}

static void dlba_encode(mc_buf *out, const char *const *s, size_t n)
{
    int64_t lens[64] = {0};
    for (size_t i = 0; i < n; i++)
        lens[i] = (int64_t)strlen(s[i]);
    dbp_encode(out, lens, n);
    for (size_t i = 0; i < n; i++)
        mc_buf_puts(out, s[i]);
}

static void dba_encode(mc_buf *out, const char *const *s, size_t n)
{
    int64_t pre[64] = {0};
    const char *suf[64];
    for (size_t i = 0; i < n; i++) {
        size_t p = 0;
        if (i)
            while (s[i][p] && s[i][p] == s[i - 1][p])
                p++;
        pre[i] = (int64_t)p;
        suf[i] = s[i] + p;
    }
    dbp_encode(out, pre, n);
    dlba_encode(out, suf, n);
}

/* Definition levels (0/1) as one bit-packed RLE-hybrid run; v1 adds the
 * 4-byte length prefix. */
static void levels_encode(mc_buf *out, const int *present, size_t n, bool v1)
{
    mc_buf run = MC_BUF_INIT;
    put_uvar(&run, ((n + 7) / 8) << 1 | 1);
    bitw bw = {&run, 0, 0};
    for (size_t i = 0; i < (n + 7) / 8 * 8; i++)
        bits_put(&bw, i < n ? (uint64_t)present[i] : 0, 1);
    if (v1) {
        uint32_t l = (uint32_t)run.len;
        uint8_t le[4] = {(uint8_t)l, (uint8_t)(l >> 8), (uint8_t)(l >> 16), (uint8_t)(l >> 24)};
        mc_buf_append(out, le, 4);
    }
    mc_buf_append(out, run.data, run.len);
    mc_buf_free(&run);
}

enum { T_BOOLEAN, T_INT32, T_INT64, T_INT96, T_FLOAT, T_DOUBLE, T_BYTE_ARRAY, T_FLBA };
enum { C_NONE, C_SNAPPY, C_GZIP, C_LZ4 = 5, C_ZSTD, C_LZ4_RAW };

static void compress_page(mc_buf *out, int codec, const uint8_t *p, size_t n)
{
    mc_buf_reset(out);
    switch (codec) {
    case C_NONE:
        mc_buf_append(out, p, n);
        break;
    case C_SNAPPY: {
        size_t cap = snappy_max_compressed_length(n);
        mc_buf_reserve(out, cap);
        assert_int_equal(snappy_compress((const char *)p, n, out->data, &cap), SNAPPY_OK);
        out->len = cap;
        break;
    }
    case C_GZIP: {
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
        size_t cap = deflateBound(&zs, n) + 32;
        mc_buf_reserve(out, cap);
        zs.next_in = (Bytef *)p;
        zs.avail_in = (uInt)n;
        zs.next_out = (Bytef *)out->data;
        zs.avail_out = (uInt)cap;
        assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
        out->len = cap - zs.avail_out;
        deflateEnd(&zs);
        break;
    }
    case C_ZSTD: {
        size_t cap = ZSTD_compressBound(n);
        mc_buf_reserve(out, cap);
        out->len = ZSTD_compress(out->data, cap, p, n, 3);
        assert_false(ZSTD_isError(out->len));
        break;
    }
    case C_LZ4_RAW:
    case C_LZ4: {
        int cap = LZ4_compressBound((int)n);
        mc_buf_reserve(out, (size_t)cap + 8);
        size_t off = codec == C_LZ4 ? 8 : 0;
        int got = LZ4_compress_default((const char *)p, out->data + off, (int)n, cap);
        assert_true(got > 0);
        if (codec == C_LZ4) { /* Hadoop framing: BE uncompressed, BE compressed */
            uint8_t *h = (uint8_t *)out->data;
            uint32_t a = (uint32_t)n, c = (uint32_t)got;
            uint8_t hdr[8] = {(uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8), (uint8_t)a,
                              (uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c};
            memcpy(h, hdr, 8);
        }
        out->len = off + (size_t)got;
        break;
    }
    }
}

typedef struct {
    int type; /* 0 data v1, 2 dictionary, 3 data v2 */
    int num_values;
    int encoding;
    mc_buf levels; /* v1: with the 4-byte prefix; v2: raw */
    mc_buf values;
    bool v2_plain; /* v2 with is_compressed=false */
} tpage;

typedef struct {
    const char *name;
    int phys;
    int rep; /* 0 required, 1 optional */
    int type_length;
    int field_id; /* -1: none */
    int logical;  /* 0 none, 1 STRING, 8 TIMESTAMP(MICROS) */
    bool nested;  /* a group with one INT32 leaf instead */
    int codec;
    tpage pages[4];
    size_t npages;
} tcol;

static void write_page(mc_buf *f, int codec, tpage *p)
{
    mc_buf body = MC_BUF_INIT, comp = MC_BUF_INIT;
    size_t usize;
    if (p->type == 3) {
        mc_buf_append(&body, p->levels.data, p->levels.len);
        if (p->v2_plain)
            compress_page(&comp, C_NONE, (const uint8_t *)p->values.data, p->values.len);
        else
            compress_page(&comp, codec, (const uint8_t *)p->values.data, p->values.len);
        mc_buf_append(&body, comp.data, comp.len);
        usize = p->levels.len + p->values.len;
    } else {
        mc_buf raw = MC_BUF_INIT;
        mc_buf_append(&raw, p->levels.data, p->levels.len);
        mc_buf_append(&raw, p->values.data, p->values.len);
        compress_page(&body, codec, (const uint8_t *)raw.data, raw.len);
        usize = raw.len;
        mc_buf_free(&raw);
    }
    tw h = {MC_BUF_INIT, {0}, 0};
    tw_i32(&h, 1, p->type);
    tw_i32(&h, 2, (int64_t)usize);
    tw_i32(&h, 3, (int64_t)body.len);
    tw_i32(&h, 4, 12345); /* crc: ignored */
    if (p->type == 0) {
        tw_begin(&h, 5);
        tw_i32(&h, 1, p->num_values);
        tw_i32(&h, 2, p->encoding);
        tw_i32(&h, 3, 3);
        tw_i32(&h, 4, 3);
        tw_end(&h);
    } else if (p->type == 2) {
        tw_begin(&h, 7);
        tw_i32(&h, 1, p->num_values);
        tw_i32(&h, 2, 0);
        tw_end(&h);
    } else {
        tw_begin(&h, 8);
        tw_i32(&h, 1, p->num_values);
        tw_i32(&h, 2, 0);
        tw_i32(&h, 3, p->num_values);
        tw_i32(&h, 4, p->encoding);
        tw_i32(&h, 5, (int64_t)p->levels.len);
        tw_i32(&h, 6, 0);
        tw_field(&h, 7, p->v2_plain ? PAIMON_THRIFT_FALSE : PAIMON_THRIFT_TRUE);
        tw_end(&h);
    }
    tw_end(&h);
    mc_buf_append(f, h.b.data, h.b.len);
    mc_buf_append(f, body.data, body.len);
    mc_buf_free(&h.b);
    mc_buf_free(&body);
    mc_buf_free(&comp);
    mc_buf_free(&p->levels);
    mc_buf_free(&p->values);
}

static void write_schema_elem(tw *w, const tcol *c)
{
    tw_begin(w, 0);
    if (c->nested) {
        tw_i32(w, 3, 1);
        tw_str(w, 4, c->name);
        tw_i32(w, 5, 1);
        tw_i32(w, 6, 3); /* LIST, legacy converted type */
        if (c->field_id >= 0)
            tw_i32(w, 9, c->field_id);
        tw_end(w);
        tw_begin(w, 0);
        tw_i32(w, 1, T_INT32);
        tw_i32(w, 3, 2); /* REPEATED */
        tw_str(w, 4, "element");
        tw_end(w);
        return;
    }
    tw_i32(w, 1, c->phys);
    if (c->type_length)
        tw_i32(w, 2, c->type_length);
    tw_i32(w, 3, c->rep);
    tw_str(w, 4, c->name);
    if (c->logical == 1)
        tw_i32(w, 6, 0); /* UTF8 */
    if (c->field_id >= 0)
        tw_i32(w, 9, c->field_id);
    if (c->logical) {
        tw_begin(w, 10);
        tw_begin(w, (int16_t)c->logical);
        if (c->logical == 8) {
            tw_field(w, 1, PAIMON_THRIFT_FALSE);
            tw_begin(w, 2);
            tw_begin(w, 2); /* MICROS */
            tw_end(w);
            tw_end(w);
        }
        tw_end(w);
        tw_end(w);
    }
    tw_end(w);
}

/* Builds a one-row-group file; pages are consumed (freed). */
static void build_file(mc_buf *f, tcol *cols, size_t ncols, int64_t rows)
{
    mc_buf_reset(f);
    mc_buf_puts(f, "PAR1");
    int64_t start[8], dict[8], data_off[8], size[8];
    for (size_t i = 0; i < ncols; i++) {
        start[i] = (int64_t)f->len;
        dict[i] = -1;
        data_off[i] = start[i];
        for (size_t p = 0; p < cols[i].npages; p++) {
            if (cols[i].pages[p].type == 2)
                dict[i] = (int64_t)f->len;
            else if (p > 0 && cols[i].pages[p - 1].type == 2)
                data_off[i] = (int64_t)f->len;
            write_page(f, cols[i].codec, &cols[i].pages[p]);
        }
        size[i] = (int64_t)f->len - start[i];
    }
    tw w = {MC_BUF_INIT, {0}, 0};
    tw_i32(&w, 1, 1);
    size_t nelems = 1;
    for (size_t i = 0; i < ncols; i++)
        nelems += cols[i].nested ? 2 : 1;
    tw_list(&w, 2, PAIMON_THRIFT_STRUCT, nelems);
    tw_begin(&w, 0);
    tw_str(&w, 4, "paimon_schema");
    tw_i32(&w, 5, (int64_t)ncols);
    tw_end(&w);
    for (size_t i = 0; i < ncols; i++)
        write_schema_elem(&w, &cols[i]);
    tw_i64(&w, 3, rows);
    tw_list(&w, 4, PAIMON_THRIFT_STRUCT, 1);
    tw_begin(&w, 0);
    tw_list(&w, 1, PAIMON_THRIFT_STRUCT, ncols);
    for (size_t i = 0; i < ncols; i++) {
        tw_begin(&w, 0);
        tw_i64(&w, 2, start[i]);
        tw_begin(&w, 3);
        tw_i32(&w, 1, cols[i].nested ? T_INT32 : cols[i].phys);
        tw_list(&w, 2, PAIMON_THRIFT_I32, 2);
        put_uvar(&w.b, zz(0));
        put_uvar(&w.b, zz(3));
        tw_list(&w, 3, PAIMON_THRIFT_BINARY, 1);
        put_uvar(&w.b, strlen(cols[i].name));
        mc_buf_puts(&w.b, cols[i].name);
        tw_i32(&w, 4, cols[i].codec);
        tw_i64(&w, 5, rows);
        tw_i64(&w, 6, size[i]);
        tw_i64(&w, 7, size[i]);
        tw_i64(&w, 9, data_off[i]);
        if (dict[i] >= 0)
            tw_i64(&w, 11, dict[i]);
        tw_begin(&w, 12); /* statistics */
        tw_i64(&w, 3, 0);
        tw_end(&w);
        tw_end(&w);
        tw_end(&w);
    }
    tw_i64(&w, 2, 100);
    tw_i64(&w, 3, rows);
    tw_end(&w);
    tw_str(&w, 6, "mcdlf test writer");
    /* An unknown field the reader must skip: a map<string, list<struct>>. */
    tw_field(&w, 99, PAIMON_THRIFT_MAP);
    put_uvar(&w.b, 1);
    tw_byte(&w, PAIMON_THRIFT_BINARY << 4 | PAIMON_THRIFT_LIST);
    put_uvar(&w.b, 1);
    mc_buf_puts(&w.b, "k");
    tw_byte(&w, 1 << 4 | PAIMON_THRIFT_STRUCT);
    w.last[++w.sp] = 0;
    tw_field(&w, 1, PAIMON_THRIFT_DOUBLE);
    mc_buf_append(&w.b, "\0\0\0\0\0\0\xf0\x3f", 8);
    tw_field(&w, 2, PAIMON_THRIFT_TRUE);
    tw_list(&w, 3, PAIMON_THRIFT_TRUE, 2);
    tw_byte(&w, 1);
    tw_byte(&w, 2);
    tw_field(&w, 4, PAIMON_THRIFT_I8);
    tw_byte(&w, 7);
    tw_field(&w, 300, PAIMON_THRIFT_I16);
    put_uvar(&w.b, zz(-3));
    tw_end(&w);
    tw_end(&w);
    mc_buf_append(f, w.b.data, w.b.len);
    uint32_t l = (uint32_t)w.b.len;
    uint8_t le[4] = {(uint8_t)l, (uint8_t)(l >> 8), (uint8_t)(l >> 16), (uint8_t)(l >> 24)};
    mc_buf_append(f, le, 4);
    mc_buf_puts(f, "PAR1");
    mc_buf_free(&w.b);
}

/* With MCDLF_PARQUET_SEED_DIR set, hand-built files are also written there
 * as seeds for tests/fuzz/fuzz_parquet.c. */
static void maybe_save_seed(const mc_buf *f, const char *name)
{
    const char *dir = getenv("MCDLF_PARQUET_SEED_DIR");
    if (!dir)
        return;
    char *path = mc_asprintf("%s/%s.parquet", dir, name);
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fwrite(f->data, 1, f->len, fp);
        fclose(fp);
    }
    free(path);
}

static void put_le(mc_buf *b, uint64_t v, int n)
{
    for (int k = 0; k < n; k++)
        mc_buf_append(b, &(uint8_t){(uint8_t)(v >> (8 * k))}, 1);
}

static paimon_field mkfield(int32_t id, const char *name, paimon_type *t)
{
    paimon_field f = {id, mc_strdup(name), t, NULL, NULL};
    return f;
}

static void test_plain_dictionary_and_codecs(void **state)
{
    (void)state;
    tcol cols[5];
    memset(cols, 0, sizeof cols);
    const int present[5] = {1, 0, 1, 0, 1};
    /* a: INT32 OPTIONAL, PLAIN + RLE definition levels, snappy */
    cols[0] = (tcol){.name = "a", .phys = T_INT32, .rep = 1, .field_id = -1, .codec = C_SNAPPY,
                     .npages = 1};
    cols[0].pages[0].type = 0;
    cols[0].pages[0].num_values = 5;
    levels_encode(&cols[0].pages[0].levels, present, 5, true);
    put_le(&cols[0].pages[0].values, 1, 4);
    put_le(&cols[0].pages[0].values, (uint64_t)-3, 4);
    put_le(&cols[0].pages[0].values, 5, 4);
    /* s: STRING REQUIRED, dictionary page + RLE_DICTIONARY indices, gzip */
    cols[1] = (tcol){.name = "s", .phys = T_BYTE_ARRAY, .rep = 0, .field_id = -1, .logical = 1,
                     .codec = C_GZIP, .npages = 2};
    cols[1].pages[0].type = 2;
    cols[1].pages[0].num_values = 2;
    put_le(&cols[1].pages[0].values, 1, 4);
    mc_buf_puts(&cols[1].pages[0].values, "x");
    put_le(&cols[1].pages[0].values, 2, 4);
    mc_buf_puts(&cols[1].pages[0].values, "yy");
    cols[1].pages[1].type = 0;
    cols[1].pages[1].num_values = 5;
    cols[1].pages[1].encoding = 8;
    /* bit width 1; an RLE run of two 1s, then a bit-packed group 0,1,0 */
    mc_buf_append(&cols[1].pages[1].values, "\x01\x04\x01\x03\x02", 5);
    /* b: BOOLEAN REQUIRED, PLAIN bits, LZ4_RAW */
    cols[2] = (tcol){.name = "b", .phys = T_BOOLEAN, .rep = 0, .field_id = -1, .codec = C_LZ4_RAW,
                     .npages = 1};
    cols[2].pages[0].num_values = 5;
    mc_buf_append(&cols[2].pages[0].values, "\x19", 1); /* 1,0,0,1,1 */
    /* d: DOUBLE REQUIRED, BYTE_STREAM_SPLIT, zstd */
    cols[3] = (tcol){.name = "d", .phys = T_DOUBLE, .rep = 0, .field_id = -1, .codec = C_ZSTD,
                     .npages = 1};
    cols[3].pages[0].num_values = 5;
    cols[3].pages[0].encoding = 9;
    const double dv[5] = {1.5, -2.25, 0.1, 1e300, -0.0};
    uint8_t bss[40];
    for (int i = 0; i < 5; i++) {
        uint8_t raw[8];
        memcpy(raw, &dv[i], 8);
        for (int k = 0; k < 8; k++)
            bss[k * 5 + i] = raw[k];
    }
    mc_buf_append(&cols[3].pages[0].values, bss, 40);
    /* l: BIGINT OPTIONAL in two pages, LZ4 with Hadoop framing */
    cols[4] = (tcol){.name = "l", .phys = T_INT64, .rep = 1, .field_id = -1, .codec = C_LZ4,
                     .npages = 2};
    const int p1[2] = {1, 1}, p2[3] = {0, 0, 1};
    cols[4].pages[0].num_values = 2;
    levels_encode(&cols[4].pages[0].levels, p1, 2, true);
    put_le(&cols[4].pages[0].values, (uint64_t)INT64_MIN, 8);
    put_le(&cols[4].pages[0].values, (uint64_t)INT64_MAX, 8);
    cols[4].pages[1].num_values = 3;
    levels_encode(&cols[4].pages[1].levels, p2, 3, true);
    put_le(&cols[4].pages[1].values, 42, 8);
    mc_buf f = MC_BUF_INIT;
    build_file(&f, cols, 5, 5);
    maybe_save_seed(&f, "codecs");

    paimon_field fields[6] = {
        mkfield(0, "s", paimon_type_new(PAIMON_VARCHAR, false)),
        mkfield(1, "a", paimon_type_new(PAIMON_INT, true)),
        mkfield(2, "b", paimon_type_new(PAIMON_BOOLEAN, false)),
        mkfield(3, "d", paimon_type_new(PAIMON_DOUBLE, false)),
        mkfield(4, "l", paimon_type_new(PAIMON_BIGINT, true)),
        mkfield(5, "zz", paimon_type_new(PAIMON_INT, true)),
    };
    paimon_parquet_reader *r;
    mc_err err;
    if (paimon_parquet_reader_open(&r, (const uint8_t *)f.data, f.len, fields, 6, &err) != 0)
        fail_msg("open: %s", err.msg);
    assert_int_equal(paimon_parquet_reader_num_rows(r), 5);
    const char *const strs[5] = {"yy", "yy", "x", "yy", "x"};
    const int64_t ints[5] = {1, 0, -3, 0, 5};
    const int bools[5] = {1, 0, 0, 1, 1};
    for (int i = 0; i < 5; i++) {
        const paimon_datum *row;
        int rc = paimon_parquet_reader_next(r, &row, &err);
        if (rc != 1)
            fail_msg("row %d: %s", i, err.msg);
        assert_int_equal(row[0].len, strlen(strs[i]));
        assert_memory_equal(row[0].ptr, strs[i], row[0].len);
        assert_int_equal(row[1].is_null, !present[i]);
        if (present[i])
            assert_int_equal(row[1].i, ints[i]);
        assert_int_equal(row[2].i, bools[i]);
        assert_true(row[3].d == dv[i]);
        assert_true(row[5].is_null);
    }
    paimon_parquet_reader_close(r);

    /* Only column l: the others are never decoded (corrupting them is
     * invisible). */
    memset(f.data + 4, 0xff, 8);
    assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)f.data, f.len, fields + 4, 1,
                                                &err), 0);
    const int64_t lv[5] = {INT64_MIN, INT64_MAX, 0, 0, 42};
    for (int i = 0; i < 5; i++) {
        const paimon_datum *row;
        assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 1);
        assert_int_equal(row[0].is_null, i == 2 || i == 3);
        if (!row[0].is_null)
            assert_true(row[0].i == lv[i]);
    }
    const paimon_datum *row;
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 0);
    paimon_parquet_reader_close(r);
    /* ... while reading the corrupted column fails cleanly. */
    assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)f.data, f.len, fields + 1, 1,
                                                &err), 0);
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), -1);
    assert_int_equal(err.code, MC_ERR_PROTOCOL);
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 0);
    paimon_parquet_reader_close(r);
    clear_fields(fields, 6);
    mc_buf_free(&f);
}

static void test_delta_encodings_and_data_page_v2(void **state)
{
    (void)state;
    enum { N = 300 };
    static int64_t big[N];
    static int present[N];
    size_t nn = 0;
    int64_t nonnull[N];
    for (int i = 0; i < N; i++) {
        present[i] = i % 7 != 3;
        big[i] = (i % 50 == 0) ? INT64_MIN / 3 + i : (int64_t)i * i * (i % 2 ? -1 : 1);
        if (present[i])
            nonnull[nn++] = big[i];
    }
    const char *const words[6] = {"apple", "apply", "app", "banana", "", "band"};
    tcol cols[4];
    memset(cols, 0, sizeof cols);
    /* x: INT64 OPTIONAL, DELTA_BINARY_PACKED in a v2 page (zstd) + a v1 page */
    cols[0] = (tcol){.name = "x", .phys = T_INT64, .rep = 1, .field_id = 10, .codec = C_ZSTD,
                     .npages = 2};
    cols[0].pages[0].type = 3;
    cols[0].pages[0].num_values = 200;
    cols[0].pages[0].encoding = 5;
    levels_encode(&cols[0].pages[0].levels, present, 200, false);
    size_t first = 0;
    for (int i = 0; i < 200; i++)
        first += (size_t)present[i];
    dbp_encode(&cols[0].pages[0].values, nonnull, first);
    cols[0].pages[1].type = 0;
    cols[0].pages[1].num_values = N - 200;
    cols[0].pages[1].encoding = 5;
    levels_encode(&cols[0].pages[1].levels, present + 200, N - 200, true);
    dbp_encode(&cols[0].pages[1].values, nonnull + first, nn - first);
    /* y: STRING REQUIRED, DELTA_LENGTH_BYTE_ARRAY v2 uncompressed + DELTA_BYTE_ARRAY v1 */
    cols[1] = (tcol){.name = "y", .phys = T_BYTE_ARRAY, .rep = 0, .field_id = 11, .logical = 1,
                     .codec = C_SNAPPY, .npages = 2};
    cols[1].pages[0].type = 3;
    cols[1].pages[0].v2_plain = true;
    cols[1].pages[0].num_values = 6;
    cols[1].pages[0].encoding = 6;
    dlba_encode(&cols[1].pages[0].values, words, 6);
    cols[1].pages[1].num_values = N - 6;
    cols[1].pages[1].encoding = 7;
    static const char *many[N];
    static char text[N][16];
    for (int i = 0; i < N - 6; i++) {
        snprintf(text[i], sizeof text[i], "key-%05d", i * 37);
        many[i] = text[i];
    }
    dba_encode(&cols[1].pages[1].values, many, N - 6 > 64 ? 64 : N - 6);
    /* dba_encode's scratch holds 64; encode the rest as a third page */
    cols[1].pages[1].num_values = 64;
    cols[1].npages = 3;
    cols[1].pages[2].num_values = N - 6 - 64;
    cols[1].pages[2].encoding = 0;
    for (int i = 64; i < N - 6; i++) {
        put_le(&cols[1].pages[2].values, strlen(many[i]), 4);
        mc_buf_puts(&cols[1].pages[2].values, many[i]);
    }
    /* t: TIMESTAMP(6) as INT64 MICROS, DELTA_BINARY_PACKED, negative values */
    cols[2] = (tcol){.name = "t", .phys = T_INT64, .rep = 0, .field_id = 12, .logical = 8,
                     .codec = C_GZIP, .npages = 1};
    int64_t micros[N];
    for (int i = 0; i < N; i++)
        micros[i] = -1000001 + i;
    cols[2].pages[0].num_values = N;
    cols[2].pages[0].encoding = 5;
    dbp_encode(&cols[2].pages[0].values, micros, N);
    /* n: a nested column, fine as long as nobody asks for it */
    cols[3] = (tcol){.name = "n", .field_id = 13, .nested = true, .codec = C_NONE, .npages = 1};
    cols[3].pages[0].num_values = N;
    for (int i = 0; i < N; i++)
        put_le(&cols[3].pages[0].values, 0, 4);
    mc_buf f = MC_BUF_INIT;
    build_file(&f, cols, 4, N);
    maybe_save_seed(&f, "delta_v2");

    /* Matched by field id: the names differ from the file's. */
    paimon_field fields[4] = {
        mkfield(12, "renamed_t", paimon_type_new_time(PAIMON_TIMESTAMP, 6, false)),
        mkfield(10, "renamed_x", paimon_type_new(PAIMON_BIGINT, true)),
        mkfield(11, "renamed_y", paimon_type_new(PAIMON_VARCHAR, false)),
        mkfield(13, "n", paimon_type_new(PAIMON_INT, true)),
    };
    paimon_parquet_reader *r;
    mc_err err;
    if (paimon_parquet_reader_open(&r, (const uint8_t *)f.data, f.len, fields, 3, &err) != 0)
        fail_msg("open: %s", err.msg);
    for (int i = 0; i < N; i++) {
        const paimon_datum *row;
        if (paimon_parquet_reader_next(r, &row, &err) != 1)
            fail_msg("row %d: %s", i, err.msg);
        /* floor semantics: -1000001 us = -1001 ms + 999000 ns */
        int64_t us = micros[i];
        int64_t ms = us / 1000 - (us % 1000 < 0);
        assert_true(row[0].i == ms);
        assert_int_equal(row[0].nanos, (us - ms * 1000) * 1000);
        assert_int_equal(row[1].is_null, !present[i]);
        if (present[i])
            assert_true(row[1].i == big[i]);
        const char *w = i < 6 ? words[i] : many[i - 6];
        assert_int_equal(row[2].len, strlen(w));
        assert_memory_equal(row[2].ptr, w, row[2].len);
    }
    const paimon_datum *row;
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), 0);
    paimon_parquet_reader_close(r);

    /* Asking for the nested column as an atomic type fails plainly. */
    assert_int_equal(paimon_parquet_reader_open(&r, (const uint8_t *)f.data, f.len, fields + 3, 1,
                                                &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
    assert_string_equal(err.msg, "nested Parquet column n cannot be read as an atomic type");
    clear_fields(fields, 4);
    mc_buf_free(&f);
}

static void expect_open_fails(const uint8_t *p, size_t n, const paimon_schema *s)
{
    paimon_parquet_reader *r = NULL;
    mc_err err;
    assert_int_equal(paimon_parquet_reader_open(&r, p, n, s->fields, s->nfields, &err), -1);
    assert_int_equal(err.code, MC_ERR_PROTOCOL);
    assert_null(r);
}

static void test_malformed_files_fail_cleanly(void **state)
{
    (void)state;
    paimon_schema *s = load_schema(COMPLEX);
    mc_buf data = MC_BUF_INIT;
    read_fixture(&data, COMPLEX, COMPLEX_LIVE[0]);
    const uint8_t *p = (const uint8_t *)data.data;
    /* every truncation */
    for (size_t n = 0; n < data.len; n++)
        expect_open_fails(p, n, s);
    /* bad magic, front and back */
    uint8_t *copy = malloc(data.len);
    memcpy(copy, p, data.len);
    copy[0] = 'X';
    expect_open_fails(copy, data.len, s);
    memcpy(copy, p, data.len);
    copy[data.len - 1] = 'X';
    expect_open_fails(copy, data.len, s);
    /* footer length past the start */
    memcpy(copy, p, data.len);
    uint32_t fl = (uint32_t)data.len - 11;
    memcpy(copy + data.len - 8, &fl, 4);
    expect_open_fails(copy, data.len, s);
    fl = 0xffffffffu;
    memcpy(copy + data.len - 8, &fl, 4);
    expect_open_fails(copy, data.len, s);
    /* corrupted page header: the first column chunk starts at byte 4 */
    memcpy(copy, p, data.len);
    memset(copy + 4, 0xff, 6);
    paimon_parquet_reader *r;
    mc_err err;
    assert_int_equal(paimon_parquet_reader_open(&r, copy, data.len, s->fields, s->nfields, &err), 0);
    const paimon_datum *row;
    assert_int_equal(paimon_parquet_reader_next(r, &row, &err), -1);
    assert_int_equal(err.code, MC_ERR_PROTOCOL);
    assert_non_null(strstr(err.msg, "page header"));
    paimon_parquet_reader_close(r);
    /* every single-byte corruption: any outcome but a crash or a leak */
    const uint8_t flips[3] = {0xff, 0x01, 0x80};
    for (size_t i = 0; i < data.len; i++) {
        for (int k = 0; k < 3; k++) {
            memcpy(copy, p, data.len);
            copy[i] ^= flips[k];
            if (paimon_parquet_reader_open(&r, copy, data.len, s->fields, s->nfields, &err) != 0)
                continue;
            while (paimon_parquet_reader_next(r, &row, &err) == 1)
                ;
            paimon_parquet_reader_close(r);
        }
    }
    free(copy);
    mc_buf_free(&data);
    paimon_schema_free(s);
}

static void test_thrift_skips_and_limits(void **state)
{
    (void)state;
    mc_err err;
    paimon_thrift t;
    /* 100 nested structs exceed the depth limit */
    uint8_t deep[201];
    for (int i = 0; i < 100; i++)
        deep[i] = 0x1c; /* field 1, struct */
    memset(deep + 100, 0, 101);
    paimon_thrift_init(&t, deep, sizeof deep, &err);
    assert_int_equal(paimon_thrift_skip(&t, PAIMON_THRIFT_STRUCT), -1);
    assert_int_equal(err.code, MC_ERR_PROTOCOL);
    assert_non_null(strstr(err.msg, "deeper"));
    /* a list claiming more elements than bytes */
    const uint8_t biglist[] = {0xf5, 0xff, 0xff, 0x03, 0x00};
    paimon_thrift_init(&t, biglist, sizeof biglist, &err);
    assert_int_equal(paimon_thrift_skip(&t, PAIMON_THRIFT_LIST), -1);
    /* long-form field id, then stop */
    const uint8_t longid[] = {0x05, 0xd8, 0x04, 0x02, 0x00};
    paimon_thrift_init(&t, longid, sizeof longid, &err);
    int16_t last = 0, id;
    uint8_t ty;
    assert_int_equal(paimon_thrift_field(&t, &last, &id, &ty), 0);
    assert_int_equal(id, 300);
    assert_int_equal(ty, PAIMON_THRIFT_I32);
    int32_t v;
    assert_int_equal(paimon_thrift_i32(&t, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(paimon_thrift_field(&t, &last, &id, &ty), 0);
    assert_int_equal(ty, PAIMON_THRIFT_STOP);
    /* truncated binary */
    const uint8_t bin[] = {0x10, 'a'};
    const uint8_t *bp;
    size_t bn;
    paimon_thrift_init(&t, bin, sizeof bin, &err);
    assert_int_equal(paimon_thrift_binary(&t, &bp, &bn), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_java_files_read_to_expected_csv),
        cmocka_unit_test(test_java_file_exact_values),
        cmocka_unit_test(test_missing_field_reads_null),
        cmocka_unit_test(test_plain_dictionary_and_codecs),
        cmocka_unit_test(test_delta_encodings_and_data_page_v2),
        cmocka_unit_test(test_malformed_files_fail_cleanly),
        cmocka_unit_test(test_thrift_skips_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
