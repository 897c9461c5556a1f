/*
 * Unit tests for the Parquet writer: file framing (magic, footer length)
 * for every codec, multi-page columns, nested columns read back by our
 * reader, refusal of VARIANT columns and unknown codecs, and the data files of whole table writes (partitioned
 * append and primary-key tables, every codec). With MCDLF_PARQUET_OUT set to
 * a directory, the files are also written there for
 * tests/conformance/parquet_write.test.js (hyparquet: every value,
 * annotation and statistic) and parquet_duckdb.test.js (DuckDB's
 * read_parquet: values and types); keep the rows here and the expectations
 * there in step.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "paimon/binrow.h"
#include "paimon/parquet.h"
#include "paimon/parquet_writer.h"
#include "paimon/text.h"
#include "paimon/schema.h"
#include "paimon/writer.h"
#include "strutil.h"

static paimon_schema *schema(const char *json)
{
    paimon_schema *s = NULL;
    mc_err err;
    if (paimon_schema_parse(&s, json, strlen(json), &err))
        fail_msg("%s", err.msg);
    return s;
}

/* Checks the framing of a Parquet file and writes it to $MCDLF_PARQUET_OUT. */
static void check_and_save(const mc_buf *f, const char *name)
{
    assert_true(f->len > 12);
    assert_memory_equal(f->data, "PAR1", 4);
    assert_memory_equal(f->data + f->len - 4, "PAR1", 4);
    const uint8_t *p = (const uint8_t *)f->data + f->len - 8;
    uint32_t footer = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    assert_true(footer > 0 && footer < f->len - 12);
    const char *dir = getenv("MCDLF_PARQUET_OUT");
    if (!dir || !*dir)
        return;
    char *path = mc_asprintf("%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(f->data, 1, f->len, fp), f->len);
    fclose(fp);
    free(path);
}

/* Every atomic type; kept in step with parquet_write.test.js and
 * parquet_duckdb.test.js. */
#define TYPES_FIELDS \
    "{\"id\":0,\"name\":\"b\",\"type\":\"BOOLEAN\"}," \
    "{\"id\":1,\"name\":\"ti\",\"type\":\"TINYINT\"}," \
    "{\"id\":2,\"name\":\"si\",\"type\":\"SMALLINT\"}," \
    "{\"id\":3,\"name\":\"i\",\"type\":\"INT NOT NULL\"}," \
    "{\"id\":4,\"name\":\"bi\",\"type\":\"BIGINT\"}," \
    "{\"id\":5,\"name\":\"f\",\"type\":\"FLOAT\"}," \
    "{\"id\":6,\"name\":\"d\",\"type\":\"DOUBLE\"}," \
    "{\"id\":7,\"name\":\"d5\",\"type\":\"DECIMAL(5, 2)\"}," \
    "{\"id\":8,\"name\":\"d15\",\"type\":\"DECIMAL(15, 3)\"}," \
    "{\"id\":9,\"name\":\"d23\",\"type\":\"DECIMAL(23, 5)\"}," \
    "{\"id\":10,\"name\":\"c\",\"type\":\"CHAR(3)\"}," \
    "{\"id\":11,\"name\":\"s\",\"type\":\"STRING\"}," \
    "{\"id\":12,\"name\":\"bin\",\"type\":\"BINARY(2)\"}," \
    "{\"id\":13,\"name\":\"vb\",\"type\":\"BYTES\"}," \
    "{\"id\":14,\"name\":\"dt\",\"type\":\"DATE\"}," \
    "{\"id\":15,\"name\":\"tm\",\"type\":\"TIME(0)\"}," \
    "{\"id\":16,\"name\":\"ts3\",\"type\":\"TIMESTAMP(3)\"}," \
    "{\"id\":17,\"name\":\"ts6\",\"type\":\"TIMESTAMP(6)\"}," \
    "{\"id\":18,\"name\":\"ts9\",\"type\":\"TIMESTAMP(9)\"}," \
    "{\"id\":19,\"name\":\"l3\",\"type\":\"TIMESTAMP(3) WITH LOCAL TIME ZONE\"}," \
    "{\"id\":20,\"name\":\"l6\",\"type\":\"TIMESTAMP(6) WITH LOCAL TIME ZONE\"}," \
    "{\"id\":21,\"name\":\"l9\",\"type\":\"TIMESTAMP(9) WITH LOCAL TIME ZONE\"}," \
    "{\"id\":22,\"name\":\"cat\",\"type\":\"STRING NOT NULL\"}"

static const char *TYPES_SCHEMA =
    "{\"version\":3,\"id\":0,\"fields\":[" TYPES_FIELDS "],"
    "\"highestFieldId\":22,\"partitionKeys\":[],\"primaryKeys\":[],"
    "\"options\":{\"file.format\":\"parquet\"},\"timeMillis\":0}";

#define NTYPES 23
#define NTROWS 5

static paimon_datum S(const char *s)
{
    return paimon_datum_bytes(s, strlen(s));
}

static void types_rows(paimon_datum r[NTROWS][NTYPES])
{
    const paimon_i128 big = (paimon_i128)123456789012345678LL * 100000 + 12345; /* 1234567890123456781.2345 e5 */
    /* row 0: positive values */
    paimon_datum r0[NTYPES] = {
        paimon_datum_int(1), paimon_datum_int(127), paimon_datum_int(32767), paimon_datum_int(2147483647),
        paimon_datum_int(9007199254740993LL), paimon_datum_double(1.5), paimon_datum_double(2.25),
        paimon_datum_decimal(12345), paimon_datum_decimal(123456789012345LL), paimon_datum_decimal(big),
        S("abc"), S("héllo"), paimon_datum_bytes("\x00\xff", 2), paimon_datum_bytes("\x01\x02\x03", 3),
        paimon_datum_int(19782), paimon_datum_int(45296789),
        paimon_datum_timestamp(1709210096789LL, 0), paimon_datum_timestamp(1709210096789LL, 123000),
        paimon_datum_timestamp(1709210096789LL, 123456), paimon_datum_timestamp(1709210096789LL, 0),
        paimon_datum_timestamp(1709210096789LL, 123000), paimon_datum_timestamp(1709210096789LL, 123456), S("red")};
    /* row 1: negative values, 1899 timestamps (INT96 negative nanos-of-day) */
    paimon_datum r1[NTYPES] = {
        paimon_datum_int(0), paimon_datum_int(-128), paimon_datum_int(-32768), paimon_datum_int(-2147483647 - 1),
        paimon_datum_int(-9007199254740993LL), paimon_datum_double(-0.5), paimon_datum_double(-1e300),
        paimon_datum_decimal(-12345), paimon_datum_decimal(-123456789012345LL), paimon_datum_decimal(-big),
        S("xyz"), S("z"), paimon_datum_bytes("\xff\x00", 2), paimon_datum_bytes("\xff", 1),
        paimon_datum_int(-25568), paimon_datum_int(0),
        paimon_datum_timestamp(-2208988800001LL, 0), paimon_datum_timestamp(-2208988800001LL, 999000),
        paimon_datum_timestamp(-2208988800001LL, 999999), paimon_datum_timestamp(-500, 0),
        paimon_datum_timestamp(-500, 1000), paimon_datum_timestamp(-500, 1), S("green")};
    for (int i = 0; i < NTYPES; i++) {
        r[0][i] = r0[i];
        r[1][i] = r1[i];
        r[2][i] = paimon_datum_null(); /* row 2: NULL wherever nullable */
        r[3][i] = r0[i];               /* row 3: zeros and empties */
        r[4][i] = r0[i];               /* row 4: a repeat of row 0 */
    }
    r[2][3] = paimon_datum_int(7);
    r[2][22] = S("red");
    paimon_datum *z = r[3];
    z[0] = paimon_datum_int(0), z[1] = paimon_datum_int(0), z[2] = paimon_datum_int(0), z[3] = paimon_datum_int(0);
    z[4] = paimon_datum_int(0), z[5] = paimon_datum_double(0), z[6] = paimon_datum_double(0);
    z[7] = paimon_datum_decimal(0), z[8] = paimon_datum_decimal(0), z[9] = paimon_datum_decimal(0);
    z[10] = S("   "), z[11] = S(""), z[12] = paimon_datum_bytes("\0\0", 2), z[13] = paimon_datum_bytes("", 0);
    z[14] = paimon_datum_int(0), z[15] = paimon_datum_int(0);
    for (int i = 16; i <= 21; i++)
        z[i] = paimon_datum_timestamp(0, 0);
    z[22] = S("red");
}

static void encode_types(const char *compression, const char *name)
{
    paimon_schema *s = schema(TYPES_SCHEMA);
    paimon_datum r[NTROWS][NTYPES];
    types_rows(r);
    const paimon_datum *rows[NTROWS];
    for (int i = 0; i < NTROWS; i++)
        rows[i] = r[i];
    mc_buf f = MC_BUF_INIT;
    mc_err err;
    if (paimon_encode_parquet(&f, s, rows, NTROWS, compression, &err))
        fail_msg("%s", err.msg);
    check_and_save(&f, name);
    mc_buf_free(&f);
    paimon_schema_free(s);
}

static void test_every_type_encodes_with_every_codec(void **state)
{
    (void)state;
    encode_types(NULL, "types-zstd.parquet");
    encode_types("none", "types-none.parquet");
    encode_types("SNAPPY", "types-snappy.parquet");
    encode_types("gzip", "types-gzip.parquet");
    encode_types("lz4", "types-lz4.parquet");
}

/* Whole tables: the types above plus VARCHAR, VARBINARY and the decimal
 * precision edges (9 and 18 compact, 19 and 38 fixed-length), written the
 * way INSERT writes them (paimon_write_plan_build), as a partitioned append
 * table and a partitioned primary-key table (fixed buckets), with every
 * codec. The data files go to $MCDLF_PARQUET_OUT/tables/<kind>-<codec>/
 * under their table-relative paths. Kept in step with parquet_duckdb.test.js. */
#define NXTRA 6
static const char *TABLE_XTRA_FIELDS =
    "{\"id\":23,\"name\":\"vc\",\"type\":\"VARCHAR(10)\"},"
    "{\"id\":24,\"name\":\"vbin\",\"type\":\"VARBINARY(8)\"},"
    "{\"id\":25,\"name\":\"d9\",\"type\":\"DECIMAL(9, 4)\"},"
    "{\"id\":26,\"name\":\"d18\",\"type\":\"DECIMAL(18, 0)\"},"
    "{\"id\":27,\"name\":\"d19\",\"type\":\"DECIMAL(19, 2)\"},"
    "{\"id\":28,\"name\":\"d38\",\"type\":\"DECIMAL(38, 10)\"}";

static void table_rows(paimon_datum r[NTROWS][NTYPES + NXTRA])
{
    paimon_datum t[NTROWS][NTYPES];
    types_rows(t);
    const paimon_i128 e19 = (paimon_i128)10000000000000000000ULL;
    const paimon_i128 max38 = e19 * e19 - 1; /* 10^38 - 1 */
    paimon_datum x0[NXTRA] = {S("0123456789"), paimon_datum_bytes("\x00\x01\x80\xff", 4),
                              paimon_datum_decimal(999999999), paimon_datum_decimal(999999999999999999LL),
                              paimon_datum_decimal(1234567890123456789LL), paimon_datum_decimal(max38)};
    paimon_datum x1[NXTRA] = {S("é"), paimon_datum_bytes("\xfe", 1), paimon_datum_decimal(-999999999),
                              paimon_datum_decimal(-999999999999999999LL), paimon_datum_decimal(-e19),
                              paimon_datum_decimal(-max38)};
    paimon_datum x3[NXTRA] = {S(""), paimon_datum_bytes("", 0), paimon_datum_decimal(0),
                              paimon_datum_decimal(0), paimon_datum_decimal(0), paimon_datum_decimal(1)};
    for (int i = 0; i < NTROWS; i++) {
        memcpy(r[i], t[i], sizeof t[i]);
        for (int k = 0; k < NXTRA; k++)
            r[i][NTYPES + k] = i == 1 ? x1[k] : i == 2 ? paimon_datum_null() : i == 3 ? x3[k] : x0[k];
    }
}

/* Writes one table's plan and saves its data files; returns how many rows
 * the data files hold and, in *ndata, how many data files there are. */
static int64_t write_table(const char *kind, const char *codec, int *ndata)
{
    const bool pk = !strcmp(kind, "pk");
    char *json = mc_asprintf("{\"version\":3,\"id\":0,\"fields\":[" TYPES_FIELDS ",%s],"
                             "\"highestFieldId\":28,\"partitionKeys\":[\"cat\"],\"primaryKeys\":[%s],"
                             "\"options\":{\"file.format\":\"parquet\",\"file.compression\":\"%s\"%s},"
                             "\"timeMillis\":0}",
                             TABLE_XTRA_FIELDS, pk ? "\"cat\",\"i\"" : "", codec, pk ? ",\"bucket\":\"2\"" : "");
    paimon_schema *s = schema(json);
    free(json);
    paimon_datum r[NTROWS][NTYPES + NXTRA];
    table_rows(r);
    const paimon_datum *rows[NTROWS];
    for (int i = 0; i < NTROWS; i++)
        rows[i] = r[i];
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = rows;
    in.nrows = NTROWS;
    in.commit_user = "test-user";
    in.now_ms = 1764000000000;
    paimon_write_plan p;
    mc_err err;
    if (paimon_write_plan_build(&p, &in, &err))
        fail_msg("%s", err.msg);
    int64_t total = 0;
    *ndata = 0;
    for (size_t i = 0; i < p.nfiles; i++) {
        const paimon_out_file *f = &p.files[i];
        if (mc_str_starts_with(f->path, "manifest/"))
            continue;
        assert_true(mc_str_starts_with(f->path, "cat=red/") || mc_str_starts_with(f->path, "cat=green/"));
        assert_true(mc_str_ends_with(f->path, ".parquet"));
        (*ndata)++;
        char *sub = mc_asprintf("tables/%s-%s/%.*s", kind, codec, (int)(strrchr(f->path, '/') - f->path), f->path);
        const char *dir = getenv("MCDLF_PARQUET_OUT");
        if (dir && *dir) {
            char *full = mc_asprintf("%s/%s", dir, sub);
            if (mc_mkdir_p(full, 0755, &err))
                fail_msg("%s", err.msg);
            free(full);
        }
        char *name = mc_asprintf("%s/%s", sub, strrchr(f->path, '/') + 1);
        check_and_save(&f->data, name);
        free(name);
        free(sub);
    }
    for (size_t i = 0; i < p.npartitions; i++)
        total += p.partitions[i].record_count;
    paimon_write_plan_clear(&p);
    paimon_schema_free(s);
    return total;
}

static void test_table_writes_make_parquet_data_files_with_every_codec(void **state)
{
    (void)state;
    static const char *codecs[] = {"zstd", "none", "snappy", "gzip", "lz4"};
    for (size_t c = 0; c < sizeof codecs / sizeof *codecs; c++) {
        int n;
        /* append: one file per partition (red, green), every row */
        assert_int_equal(write_table("append", codecs[c], &n), NTROWS);
        assert_int_equal(n, 2);
        /* primary key (cat, i): rows 0 and 4 share a key, the last wins */
        assert_int_equal(write_table("pk", codecs[c], &n), NTROWS - 1);
        assert_in_range(n, 2, 3); /* green: one bucket; red: one or both */
    }
}

static void test_output_is_appended_to_the_buffer(void **state)
{
    (void)state;
    paimon_schema *s = schema(TYPES_SCHEMA);
    paimon_datum r[NTROWS][NTYPES];
    types_rows(r);
    const paimon_datum *rows[NTROWS];
    for (int i = 0; i < NTROWS; i++)
        rows[i] = r[i];
    mc_buf a = MC_BUF_INIT, b = MC_BUF_INIT;
    mc_err err;
    mc_buf_puts(&b, "prefix");
    assert_int_equal(paimon_encode_parquet(&a, s, rows, NTROWS, "none", &err), 0);
    assert_int_equal(paimon_encode_parquet(&b, s, rows, NTROWS, "none", &err), 0);
    assert_int_equal(b.len, a.len + 6);
    assert_memory_equal(b.data + 6, a.data, a.len); /* offsets are file-relative */
    mc_buf_free(&a);
    mc_buf_free(&b);
    paimon_schema_free(s);
}

/* 30000 rows: row-count pages (20000 a page), size pages (1 MiB), a
 * dictionary column, a column whose dictionary outgrows 1 MiB after two
 * dictionary pages, and PLAIN fallbacks. Kept in step with the JS test. */
#define NPROWS 30000

static const char *PAGES_SCHEMA =
    "{\"version\":3,\"id\":0,\"fields\":["
    "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT NOT NULL\"},"
    "{\"id\":1,\"name\":\"cat\",\"type\":\"STRING NOT NULL\"},"
    "{\"id\":2,\"name\":\"opt\",\"type\":\"INT\"},"
    "{\"id\":3,\"name\":\"payload\",\"type\":\"STRING\"},"
    "{\"id\":4,\"name\":\"grow\",\"type\":\"STRING\"},"
    "{\"id\":5,\"name\":\"flag\",\"type\":\"BOOLEAN NOT NULL\"}],"
    "\"highestFieldId\":5,\"partitionKeys\":[],\"primaryKeys\":[],"
    "\"options\":{},\"timeMillis\":0}";

static void test_large_columns_split_into_pages(void **state)
{
    (void)state;
    static const char *cats[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    paimon_schema *s = schema(PAGES_SCHEMA);
    paimon_datum(*r)[6] = mc_calloc(NPROWS, sizeof *r);
    const paimon_datum **rows = mc_calloc(NPROWS, sizeof *rows);
    char(*payload)[61] = mc_calloc(NPROWS, sizeof *payload);
    char(*grow)[121] = mc_calloc(NPROWS, sizeof *grow);
    for (int i = 0; i < NPROWS; i++) {
        snprintf(payload[i], sizeof payload[i], "payload-%06d-%045d", i, 0);
        snprintf(grow[i], sizeof grow[i], "grow-%06d-%0108d", i, 0);
        r[i][0] = paimon_datum_int(i);
        r[i][1] = S(cats[i % 5]);
        r[i][2] = i % 3 == 0 ? paimon_datum_null() : paimon_datum_int(i);
        r[i][3] = S(payload[i]);
        r[i][4] = i < 20000 ? S("same") : S(grow[i]);
        r[i][5] = paimon_datum_int(i % 7 == 0);
        rows[i] = r[i];
    }
    mc_buf f = MC_BUF_INIT;
    mc_err err;
    if (paimon_encode_parquet(&f, s, rows, NPROWS, NULL, &err))
        fail_msg("%s", err.msg);
    check_and_save(&f, "pages.parquet");
    mc_buf_free(&f);
    free(r);
    free(rows);
    free(payload);
    free(grow);
    paimon_schema_free(s);
}

static void test_variant_columns_are_refused(void **state)
{
    (void)state;
    paimon_schema *s = schema("{\"version\":3,\"id\":0,\"fields\":["
                              "{\"id\":0,\"name\":\"a\",\"type\":\"INT\"},"
                              "{\"id\":1,\"name\":\"v\",\"type\":\"VARIANT\"}],"
                              "\"highestFieldId\":1,\"partitionKeys\":[],\"primaryKeys\":[],"
                              "\"options\":{},\"timeMillis\":0}");
    paimon_datum row[2] = {paimon_datum_int(1), paimon_datum_null()};
    const paimon_datum *rows[1] = {row};
    mc_buf f = MC_BUF_INIT;
    mc_buf_puts(&f, "keep");
    mc_err err;
    assert_int_equal(paimon_encode_parquet(&f, s, rows, 1, NULL, &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
    assert_string_equal(err.msg, "column 'v': writing VARIANT values to Parquet is not supported yet");
    assert_string_equal(mc_buf_cstr(&f), "keep");
    mc_buf_free(&f);
    paimon_schema_free(s);
}

/* Nested columns: nulls at every level (NULL collection, empty collection,
 * NULL element, NULL map value, NULL row, NULL row field) and a list of rows
 * holding lists. Kept in step with parquet_duckdb.test.js (nested.parquet). */
static const char *NESTED_SCHEMA =
    "{\"version\":3,\"id\":0,\"fields\":["
    "{\"id\":0,\"name\":\"id\",\"type\":\"INT NOT NULL\"},"
    "{\"id\":1,\"name\":\"a\",\"type\":{\"type\":\"ARRAY\",\"element\":\"INT\"}},"
    "{\"id\":2,\"name\":\"m\",\"type\":{\"type\":\"MAP\",\"key\":\"STRING NOT NULL\",\"value\":\"BIGINT\"}},"
    "{\"id\":3,\"name\":\"r\",\"type\":{\"type\":\"ROW\",\"fields\":["
    "{\"id\":4,\"name\":\"x\",\"type\":\"INT\"},{\"id\":5,\"name\":\"y\",\"type\":\"STRING\"}]}},"
    "{\"id\":6,\"name\":\"la\",\"type\":{\"type\":\"ARRAY\",\"element\":{\"type\":\"ROW\",\"fields\":["
    "{\"id\":7,\"name\":\"k\",\"type\":\"STRING\"},"
    "{\"id\":8,\"name\":\"v\",\"type\":{\"type\":\"ARRAY\",\"element\":\"INT NOT NULL\"}}]}}}],"
    "\"highestFieldId\":8,\"partitionKeys\":[],\"primaryKeys\":[],\"options\":{},\"timeMillis\":0}";

#define NNROWS 4
#define NNCOLS 5

/* Value bytes built for the rows; freed at the end of the test. */
static mc_buf nested_pool[64];
static size_t nested_npool;

static paimon_datum keep(mc_buf *b)
{
    nested_pool[nested_npool] = *b;
    *b = (mc_buf)MC_BUF_INIT;
    mc_buf *k = &nested_pool[nested_npool++];
    return paimon_datum_bytes(k->data ? k->data : "", k->len);
}

static paimon_datum int_array(const paimon_type *elem, const int *v, const bool *null, size_t n)
{
    paimon_datum d[8];
    for (size_t i = 0; i < n; i++)
        d[i] = null && null[i] ? paimon_datum_null() : paimon_datum_int(v[i]);
    mc_buf b = MC_BUF_INIT;
    paimon_binarray_write(&b, elem, d, n);
    return keep(&b);
}

static paimon_datum row_of(const paimon_type *t, const paimon_datum *v)
{
    const paimon_type *types[4];
    for (size_t i = 0; i < t->nfields; i++)
        types[i] = t->fields[i].type;
    mc_buf b = MC_BUF_INIT;
    paimon_binrow_write(&b, 0, types, v, t->nfields);
    return keep(&b);
}

static void nested_rows(const paimon_schema *s, paimon_datum r[NNROWS][NNCOLS])
{
    const paimon_type *a = s->fields[1].type, *m = s->fields[2].type, *rt = s->fields[3].type;
    const paimon_type *la = s->fields[4].type, *lr = la->element, *lv = lr->fields[1].type;
    for (int i = 0; i < NNROWS; i++)
        r[i][0] = paimon_datum_int(i);
    /* row 0: values everywhere, a NULL element, a NULL map value */
    r[0][1] = int_array(a->element, (int[]){1, 0, 3}, (bool[]){false, true, false}, 3);
    {
        paimon_datum k[2] = {paimon_datum_bytes("k1", 2), paimon_datum_bytes("k2", 2)};
        paimon_datum v[2] = {paimon_datum_int(10), paimon_datum_null()};
        mc_buf b = MC_BUF_INIT;
        paimon_binmap_write(&b, m->key, m->value, k, v, 2);
        r[0][2] = keep(&b);
    }
    r[0][3] = row_of(rt, (paimon_datum[]){paimon_datum_int(1), paimon_datum_bytes("one", 3)});
    {
        paimon_datum e[2];
        e[0] = row_of(lr, (paimon_datum[]){paimon_datum_bytes("p", 1), int_array(lv->element, (int[]){1, 2}, NULL, 2)});
        e[1] = row_of(lr, (paimon_datum[]){paimon_datum_null(), int_array(lv->element, NULL, NULL, 0)});
        mc_buf b = MC_BUF_INIT;
        paimon_binarray_write(&b, lr, e, 2);
        r[0][4] = keep(&b);
    }
    /* row 1: every nested column NULL */
    for (int c = 1; c < NNCOLS; c++)
        r[1][c] = paimon_datum_null();
    /* row 2: empty collections, a row of NULLs, a NULL row in a list */
    r[2][1] = int_array(a->element, NULL, NULL, 0);
    {
        mc_buf b = MC_BUF_INIT;
        paimon_binmap_write(&b, m->key, m->value, NULL, NULL, 0);
        r[2][2] = keep(&b);
    }
    r[2][3] = row_of(rt, (paimon_datum[]){paimon_datum_null(), paimon_datum_null()});
    {
        paimon_datum e[2];
        e[0] = paimon_datum_null();
        e[1] = row_of(lr, (paimon_datum[]){paimon_datum_bytes("q", 1), paimon_datum_null()});
        mc_buf b = MC_BUF_INIT;
        paimon_binarray_write(&b, lr, e, 2);
        r[2][4] = keep(&b);
    }
    /* row 3: a list holding only NULL, long strings, an empty list of rows */
    r[3][1] = int_array(a->element, (int[]){0}, (bool[]){true}, 1);
    {
        paimon_datum k[1] = {paimon_datum_bytes("long key value", 14)};
        paimon_datum v[1] = {paimon_datum_int(-5)};
        mc_buf b = MC_BUF_INIT;
        paimon_binmap_write(&b, m->key, m->value, k, v, 1);
        r[3][2] = keep(&b);
    }
    r[3][3] = row_of(rt, (paimon_datum[]){paimon_datum_int(-7), paimon_datum_bytes("a longer string", 15)});
    {
        mc_buf b = MC_BUF_INIT;
        paimon_binarray_write(&b, lr, NULL, 0);
        r[3][4] = keep(&b);
    }
}

static void test_nested_columns_round_trip_with_nulls_at_every_level(void **state)
{
    (void)state;
    static const char *want[NNROWS][NNCOLS] = {
        {"0", "[1,null,3]", "{\"k1\":10,\"k2\":null}", "{\"x\":1,\"y\":\"one\"}",
         "[{\"k\":\"p\",\"v\":[1,2]},{\"k\":null,\"v\":[]}]"},
        {"1", "NULL", "NULL", "NULL", "NULL"},
        {"2", "[]", "{}", "{\"x\":null,\"y\":null}", "[null,{\"k\":\"q\",\"v\":null}]"},
        {"3", "[null]", "{\"long key value\":-5}", "{\"x\":-7,\"y\":\"a longer string\"}", "[]"},
    };
    paimon_schema *s = schema(NESTED_SCHEMA);
    paimon_datum r[NNROWS][NNCOLS];
    nested_rows(s, r);
    const paimon_datum *rows[NNROWS];
    for (int i = 0; i < NNROWS; i++)
        rows[i] = r[i];
    mc_buf f = MC_BUF_INIT;
    mc_err err;
    if (paimon_encode_parquet(&f, s, rows, NNROWS, NULL, &err))
        fail_msg("%s", err.msg);
    check_and_save(&f, "nested.parquet");

    paimon_parquet_reader *rd;
    if (paimon_parquet_reader_open(&rd, (const uint8_t *)f.data, f.len, s->fields, s->nfields, &err))
        fail_msg("open: %s", err.msg);
    for (int i = 0; i < NNROWS; i++) {
        const paimon_datum *row;
        if (paimon_parquet_reader_next(rd, &row, &err) != 1)
            fail_msg("row %d: %s", i, err.msg);
        for (int c = 0; c < NNCOLS; c++) {
            mc_buf t = MC_BUF_INIT;
            if (row[c].is_null)
                mc_buf_puts(&t, "NULL");
            else if (paimon_datum_text(&t, s->fields[c].type, &row[c], &err))
                fail_msg("row %d col %d: %s", i, c, err.msg);
            assert_string_equal(mc_buf_cstr(&t), want[i][c]);
            mc_buf_free(&t);
            /* the BinaryArray/BinaryMap/BinaryRow bytes come back exactly */
            if (c > 0 && !row[c].is_null) {
                assert_int_equal(row[c].len, r[i][c].len);
                assert_memory_equal(row[c].ptr, r[i][c].ptr, row[c].len);
            }
        }
    }
    const paimon_datum *row;
    assert_int_equal(paimon_parquet_reader_next(rd, &row, &err), 0);
    paimon_parquet_reader_close(rd);

    /* a NULL map key cannot be written: Parquet map keys are REQUIRED */
    paimon_datum k[1] = {paimon_datum_null()}, v[1] = {paimon_datum_int(1)};
    mc_buf b = MC_BUF_INIT;
    paimon_binmap_write(&b, s->fields[2].type->key, s->fields[2].type->value, k, v, 1);
    paimon_datum bad[NNCOLS] = {paimon_datum_int(9), paimon_datum_null(), keep(&b), paimon_datum_null(),
                                paimon_datum_null()};
    const paimon_datum *badrows[1] = {bad};
    mc_buf g = MC_BUF_INIT;
    assert_int_equal(paimon_encode_parquet(&g, s, badrows, 1, NULL, &err), -1);
    assert_string_equal(err.msg, "column m: a map key is NULL (Parquet map keys are required)");
    /* nor a NULL element of ARRAY<INT NOT NULL> */
    paimon_datum e2[1] = {row_of(s->fields[4].type->element,
                                 (paimon_datum[]){paimon_datum_null(),
                                                  int_array(s->fields[4].type->element->fields[1].type->element,
                                                            (int[]){0}, (bool[]){true}, 1)})};
    mc_buf_reset(&b);
    paimon_binarray_write(&b, s->fields[4].type->element, e2, 1);
    bad[2] = paimon_datum_null();
    bad[4] = keep(&b);
    assert_int_equal(paimon_encode_parquet(&g, s, badrows, 1, NULL, &err), -1);
    assert_string_equal(err.msg, "column la: NULL for a NOT NULL nested field");
    assert_int_equal(g.len, 0);
    mc_buf_free(&f);
    mc_buf_free(&b);
    for (size_t i = 0; i < nested_npool; i++)
        mc_buf_free(&nested_pool[i]);
    nested_npool = 0;
    paimon_schema_free(s);
}

static void test_unknown_compression_is_refused(void **state)
{
    (void)state;
    paimon_schema *s = schema(PAGES_SCHEMA);
    mc_buf f = MC_BUF_INIT;
    mc_err err;
    assert_int_equal(paimon_encode_parquet(&f, s, NULL, 0, "lzo", &err), -1);
    assert_int_equal(err.code, MC_ERR_UNSUPPORTED);
    assert_int_equal(f.len, 0);
    paimon_schema_free(s);
}

static void test_zero_rows_make_a_valid_file(void **state)
{
    (void)state;
    paimon_schema *s = schema(PAGES_SCHEMA);
    mc_buf f = MC_BUF_INIT;
    mc_err err;
    assert_int_equal(paimon_encode_parquet(&f, s, NULL, 0, NULL, &err), 0);
    check_and_save(&f, "empty.parquet");
    mc_buf_free(&f);
    paimon_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_encodes_with_every_codec),
        cmocka_unit_test(test_table_writes_make_parquet_data_files_with_every_codec),
        cmocka_unit_test(test_output_is_appended_to_the_buffer),
        cmocka_unit_test(test_large_columns_split_into_pages),
        cmocka_unit_test(test_variant_columns_are_refused),
        cmocka_unit_test(test_nested_columns_round_trip_with_nulls_at_every_level),
        cmocka_unit_test(test_unknown_compression_is_refused),
        cmocka_unit_test(test_zero_rows_make_a_valid_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
