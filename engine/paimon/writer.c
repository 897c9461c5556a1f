/* writer: see writer.h. Layout facts: reference/paimon-format.md §1, §4.2-4.3, §6.5, §8. */
#include "paimon/writer.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "paimon/avro.h"
#include "paimon/avro_data.h"
#include "paimon/binrow.h"
#include "paimon/merge.h"
#include "paimon/parquet_writer.h"
#include "paimon/partition.h"
#include "paimon/scan.h"

#define STATS_TRUNCATE 16 /* metadata.stats-mode default truncate(16), §8 */

void paimon_uuid(char out[37])
{
    uint8_t b[16];
    mc_random_bytes(b, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0F) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
             b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int cmp_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

int paimon_datum_compare(const paimon_type *t, const paimon_datum *a, const paimon_datum *b)
{
    switch (t->id) {
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
        return a->d < b->d ? -1 : a->d > b->d ? 1 : 0;
    case PAIMON_DECIMAL:
        return a->dec < b->dec ? -1 : a->dec > b->dec ? 1 : 0;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (a->i != b->i)
            return a->i < b->i ? -1 : 1;
        return a->nanos < b->nanos ? -1 : a->nanos > b->nanos ? 1 : 0;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
        return cmp_bytes(a->ptr, a->len, b->ptr, b->len);
    default:
        return a->i < b->i ? -1 : a->i > b->i ? 1 : 0;
    }
}

static bool has_stats(const paimon_type *t)
{
    return t->id != PAIMON_ARRAY && t->id != PAIMON_MAP && t->id != PAIMON_MULTISET && t->id != PAIMON_ROW &&
           t->id != PAIMON_VARIANT && t->id != PAIMON_BLOB && t->id != PAIMON_VECTOR;
}

static bool is_text(const paimon_type *t) { return t->id == PAIMON_CHAR || t->id == PAIMON_VARCHAR; }
static bool is_bin(const paimon_type *t) { return t->id == PAIMON_BINARY || t->id == PAIMON_VARBINARY; }

/* Byte length of the first n UTF-8 code points of s (or all of s). */
static size_t utf8_prefix(const uint8_t *s, size_t len, size_t n)
{
    size_t i = 0, k = 0;
    while (i < len && k < n) {
        i++;
        while (i < len && (s[i] & 0xC0) == 0x80)
            i++;
        k++;
    }
    return i;
}

/* truncate(16) of §8 applied to a text or binary statistic. A min is cut;
 * a max is cut and rounded up by incrementing its last byte (binary) or
 * last code point (text) that can be incremented. Returns a heap copy in
 * *owned (NULL when the value is kept as is), or false when a max cannot be
 * rounded up: the statistic is then null, as Java does. */
static bool truncate_stat(paimon_datum *d, const paimon_type *t, bool is_max, uint8_t **owned)
{
    *owned = NULL;
    size_t cut = is_text(t) ? utf8_prefix(d->ptr, d->len, STATS_TRUNCATE)
                            : (d->len < STATS_TRUNCATE ? d->len : STATS_TRUNCATE);
    if (cut == d->len)
        return true;
    uint8_t *p = mc_malloc(cut);
    memcpy(p, d->ptr, cut);
    if (is_max) {
        size_t i = cut;
        if (is_bin(t)) {
            while (i > 0 && p[i - 1] == 0xFF)
                i--;
        } else {
            /* Only single-byte (ASCII) code points are incremented in place;
             * a multi-byte last code point is skipped over, as it would need
             * re-encoding — such a max becomes null rather than wrong. */
            while (i > 0 && (p[i - 1] >= 0x7F))
                i--;
        }
        if (i == 0) {
            free(p);
            return false;
        }
        p[i - 1]++;
        cut = i;
    }
    *owned = p;
    d->ptr = p;
    d->len = cut;
    return true;
}

/* Builds SimpleStats (min, max, null count per field) over rows[idx[0..n)];
 * truncate applies truncate(16) to text and binary bounds (value stats),
 * else they are kept whole (key stats, which Java collects in full mode —
 * verified on paimon-cpp's parquet_pk_table_scan_and_read_mor). */
static void stats_build(paimon_simple_stats *out, const paimon_schema *s, const paimon_datum *const *rows,
                        const size_t *idx, size_t n, bool truncate)
{
    size_t nf = s->nfields, cap = nf ? nf : 1;
    paimon_datum *mins = mc_calloc(cap, sizeof *mins), *maxs = mc_calloc(cap, sizeof *maxs);
    bool *seen = mc_calloc(cap, sizeof *seen);
    uint8_t **owned = mc_calloc(2 * cap, sizeof *owned);
    const paimon_type **types = mc_calloc(cap, sizeof *types);
    out->has_null_counts = true;
    out->n_null_counts = nf;
    out->null_counts = mc_calloc(cap, sizeof *out->null_counts);
    for (size_t c = 0; c < nf; c++) {
        const paimon_type *t = types[c] = s->fields[c].type;
        int64_t nulls = 0;
        for (size_t r = 0; r < n; r++) {
            const paimon_datum *v = &rows[idx[r]][c];
            if (v->is_null) {
                nulls++;
                continue;
            }
            if (!has_stats(t))
                continue;
            if (!seen[c] || paimon_datum_compare(t, v, &mins[c]) < 0)
                mins[c] = *v;
            if (!seen[c] || paimon_datum_compare(t, v, &maxs[c]) > 0)
                maxs[c] = *v;
            seen[c] = true;
        }
        /* Nested columns have no stats at all in Java's Parquet files:
         * ParquetSimpleStatsExtractor looks footer stats up by the field's
         * name, and nested leaves are named by path (`a.list.element`).
         * Only Parquet writes nested columns here (the Avro encoder refuses them). */
        bool nested = t->id == PAIMON_ARRAY || t->id == PAIMON_MAP || t->id == PAIMON_MULTISET || t->id == PAIMON_ROW;
        out->null_counts[c] = (paimon_opt_long){!nested, nested ? 0 : nulls};
        if (!seen[c]) {
            mins[c] = maxs[c] = paimon_datum_null();
            continue;
        }
        if (truncate && (is_text(t) || is_bin(t)) && (!truncate_stat(&mins[c], t, false, &owned[2 * c]) ||
                                          !truncate_stat(&maxs[c], t, true, &owned[2 * c + 1])))
            mins[c] = maxs[c] = paimon_datum_null();
    }
    mc_buf b = MC_BUF_INIT;
    paimon_binrow_write_serialized(&b, types, mins, nf);
    out->min_values.len = b.len;
    out->min_values.data = (uint8_t *)mc_buf_detach(&b, NULL);
    paimon_binrow_write_serialized(&b, types, maxs, nf);
    out->max_values.len = b.len;
    out->max_values.data = (uint8_t *)mc_buf_detach(&b, NULL);
    for (size_t i = 0; i < 2 * nf; i++)
        free(owned[i]);
    free(owned);
    free(mins);
    free(maxs);
    free(seen);
    free(types);
}

/* Avro codec name for a file.compression value (§7.3 uses the manifest converter). */
static const char *avro_codec(const char *compression)
{
    if (!compression || !strcmp(compression, "zstd"))
        return "zstandard";
    if (!strcmp(compression, "none") || !strcmp(compression, "uncompressed"))
        return "null";
    return compression; /* snappy, deflate: same names */
}

int paimon_encode_avro(mc_buf *out, const paimon_schema *s, const paimon_datum *const *rows, size_t n,
                       const char *compression, mc_err *err)
{
    mc_buf schema = MC_BUF_INIT, rec = MC_BUF_INIT;
    paimon_avro_writer *w = NULL;
    int rc = -1;
    if (paimon_avro_data_schema(&schema, s->fields, s->nfields, err) ||
        paimon_avro_writer_new(&w, mc_buf_cstr(&schema), avro_codec(compression), err))
        goto out;
    for (size_t r = 0; r < n; r++) {
        mc_buf_reset(&rec);
        for (size_t c = 0; c < s->nfields; c++)
            if (paimon_avro_put_datum(&rec, s->fields[c].type, &rows[r][c], err)) {
                mc_err_prefix(err, "column %s", s->fields[c].name);
                goto out;
            }
        if (paimon_avro_writer_add(w, rec.data, rec.len, err))
            goto out;
    }
    rc = paimon_avro_writer_finish(w, out, err);
out:
    paimon_avro_writer_free(w);
    mc_buf_free(&schema);
    mc_buf_free(&rec);
    return rc;
}

/* ---- grouping rows by (partition, bucket) ------------------------------ */

typedef struct {
    mc_buf partition; /* serialized partition BinaryRow */
    int32_t bucket;
    size_t *rows;
    size_t n, cap;
    const paimon_datum *first; /* a row of the group, for its partition values */
} group;

typedef struct {
    const paimon_schema *s;
    int *part_idx;
    size_t npart;
    const paimon_type **part_types;
    int *bucket_idx;
    int nbucket_key;
    int32_t buckets; /* -1 unaware */
    /* primary-key tables: the trimmed primary key and the key-value file's
     * columns (§6.2): _KEY_<k>..., _SEQUENCE_NUMBER, _VALUE_KIND, then the
     * table's fields. kv.fields borrow names/types from s except the _KEY_
     * names, which kv owns. */
    bool pk;
    int *key_idx;
    size_t nkey;
    paimon_schema kv;
    paimon_schema key_schema; /* the first nkey columns of kv, for key stats */
    paimon_merge *merge;      /* the table's merge engine, for the write buffer */
} layout;

static void partition_of(mc_buf *out, const layout *l, const paimon_datum *row)
{
    paimon_datum *vals = mc_calloc(l->npart ? l->npart : 1, sizeof *vals);
    for (size_t i = 0; i < l->npart; i++)
        vals[i] = row[l->part_idx[i]];
    paimon_binrow_write_serialized(out, l->part_types, vals, l->npart);
    free(vals);
}

static int32_t bucket_of(const layout *l, const paimon_datum *row)
{
    if (l->buckets <= 0)
        return 0; /* unaware bucket tables write bucket-0 (§1) */
    const paimon_type **types = mc_calloc((size_t)l->nbucket_key, sizeof *types);
    paimon_datum *vals = mc_calloc((size_t)l->nbucket_key, sizeof *vals);
    for (int i = 0; i < l->nbucket_key; i++) {
        types[i] = l->s->fields[l->bucket_idx[i]].type;
        vals[i] = row[l->bucket_idx[i]];
    }
    int32_t b = paimon_bucket_of_key(types, vals, (size_t)l->nbucket_key, l->buckets);
    free(types);
    free(vals);
    return b;
}

static group *find_group(group **gs, size_t *ng, const mc_buf *part, int32_t bucket)
{
    for (size_t i = 0; i < *ng; i++)
        if ((*gs)[i].bucket == bucket && (*gs)[i].partition.len == part->len &&
            memcmp((*gs)[i].partition.data, part->data, part->len) == 0)
            return &(*gs)[i];
    *gs = mc_realloc(*gs, (*ng + 1) * sizeof **gs);
    group *g = &(*gs)[(*ng)++];
    memset(g, 0, sizeof *g);
    mc_buf_append(&g->partition, part->data, part->len);
    g->bucket = bucket;
    return g;
}

#define KEY_FIELD_ID_BASE 1073741823 /* Integer.MAX_VALUE / 2, §6.2 */
#define SEQ_FIELD_ID 2147483646
#define KIND_FIELD_ID 2147483645

static paimon_type seq_type = {.id = PAIMON_BIGINT};
static paimon_type kind_type = {.id = PAIMON_TINYINT};

static bool listed(char **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], name))
            return true;
    return false;
}

/* What this writer can do for a primary-key table: fixed buckets, every
 * merge engine paimon/merge knows, no changelog. First-row and
 * deletion-vector writes need the compaction of paimon_compact_plan_build
 * after them (§6.3); the compaction writes no deletion vectors.
 * The Dynamic Bucket / Cross Partition wording is MaxCompute's limit text
 * for Paimon_DLF projects (maxcompute-sql.md §2 limits). */
static int pk_supported(const paimon_schema *s, mc_err *err)
{
    for (size_t i = 0; i < s->npartition_keys; i++)
        if (!listed(s->primary_keys, s->nprimary_keys, s->partition_keys[i]))
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing to Cross Partition tables is not supported");
    int32_t b = paimon_schema_bucket(s);
    if (b == -1)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing to Dynamic Bucket tables is not supported");
    if (b == -2)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing to Postpone Bucket tables is not supported");
    if (b <= 0)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing with bucket = %d is not supported", b);
    const char *cp = paimon_schema_option(s, "changelog-producer");
    if (cp && strcmp(cp, "none") != 0)
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "writing to primary-key tables with changelog-producer '%s' is not supported yet", cp);
    const char *bf = paimon_schema_option(s, "bucket-function.type");
    if (bf && strcasecmp(bf, "default") != 0)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing with bucket-function.type '%s' is not supported yet", bf);
    return 0;
}

/* The key-value file schema of §6.2. */
static int kv_layout_init(layout *l, mc_err *err)
{
    const paimon_schema *s = l->s;
    l->pk = true;
    l->key_idx = mc_calloc(s->nprimary_keys + 1, sizeof *l->key_idx);
    l->nkey = (size_t)paimon_schema_trimmed_pk(l->key_idx, s);
    if (l->nkey == 0)
        return mc_err_set(err, MC_ERR_INVALID, "the primary key must not be the same as the partition keys");
    for (int i = 0; i < l->nbucket_key; i++)
        if (!listed(s->primary_keys, s->nprimary_keys, s->fields[l->bucket_idx[i]].name))
            return mc_err_set(err, MC_ERR_INVALID, "bucket-key column %s is not part of the primary key",
                              s->fields[l->bucket_idx[i]].name);
    size_t n = l->nkey + 2 + s->nfields;
    l->kv.fields = mc_calloc(n, sizeof *l->kv.fields);
    l->kv.nfields = n;
    for (size_t k = 0; k < l->nkey; k++) {
        const paimon_field *f = &s->fields[l->key_idx[k]];
        l->kv.fields[k] = (paimon_field){KEY_FIELD_ID_BASE + f->id, mc_asprintf("_KEY_%s", f->name), f->type, NULL,
                                         NULL};
    }
    l->kv.fields[l->nkey] = (paimon_field){SEQ_FIELD_ID, "_SEQUENCE_NUMBER", &seq_type, NULL, NULL};
    l->kv.fields[l->nkey + 1] = (paimon_field){KIND_FIELD_ID, "_VALUE_KIND", &kind_type, NULL, NULL};
    for (size_t i = 0; i < s->nfields; i++)
        l->kv.fields[l->nkey + 2 + i] = s->fields[i];
    l->key_schema.fields = l->kv.fields;
    l->key_schema.nfields = l->nkey;
    return paimon_merge_new(&l->merge, s, err);
}

static int layout_init(layout *l, const paimon_schema *s, mc_err *err)
{
    memset(l, 0, sizeof *l);
    l->s = s;
    if (s->nprimary_keys && pk_supported(s, err))
        return -1;
    l->npart = s->npartition_keys;
    l->part_idx = mc_calloc(l->npart ? l->npart : 1, sizeof *l->part_idx);
    l->part_types = mc_calloc(l->npart ? l->npart : 1, sizeof *l->part_types);
    for (size_t i = 0; i < l->npart; i++) {
        int k = paimon_schema_field_index(s, s->partition_keys[i]);
        if (k < 0)
            return mc_err_set(err, MC_ERR_INVALID, "partition key %s is not a column", s->partition_keys[i]);
        l->part_idx[i] = k;
        l->part_types[i] = s->fields[k].type;
    }
    l->buckets = paimon_schema_bucket(s);
    l->bucket_idx = mc_calloc(s->nfields ? s->nfields : 1, sizeof *l->bucket_idx);
    if (l->buckets > 0) {
        l->nbucket_key = paimon_schema_bucket_key(l->bucket_idx, s, err);
        if (l->nbucket_key < 0)
            return -1;
        if (l->nbucket_key == 0 && !s->nprimary_keys)
            return mc_err_set(err, MC_ERR_INVALID,
                              "append table with bucket = %d needs the option 'bucket-key'", l->buckets);
    } else if (l->buckets != -1) {
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing with bucket = %d is not supported", l->buckets);
    }
    return s->nprimary_keys ? kv_layout_init(l, err) : 0;
}

static void layout_free(layout *l)
{
    free(l->part_idx);
    free(l->part_types);
    free(l->bucket_idx);
    free(l->key_idx);
    for (size_t k = 0; k < l->nkey && l->kv.fields; k++)
        free(l->kv.fields[k].name);
    free(l->kv.fields);
    paimon_merge_free(l->merge);
}

/* ---- key-value files (primary-key tables, §6.2) ----------------------------- */

static int key_compare(const layout *l, const paimon_datum *a, const paimon_datum *b)
{
    for (size_t k = 0; k < l->nkey; k++) {
        int i = l->key_idx[k];
        assert(!a[i].is_null && !b[i].is_null); /* null_key() refused them */
        int c = paimon_datum_compare(l->s->fields[i].type, &a[i], &b[i]);
        if (c)
            return c;
    }
    return 0;
}

/* The first primary-key column (trimmed key or partition key) a row leaves
 * NULL, or NULL. Primary-key columns are NOT NULL in Paimon. */
static const char *null_key(const layout *l, const paimon_datum *row)
{
    for (size_t k = 0; k < l->nkey; k++)
        if (row[l->key_idx[k]].is_null)
            return l->s->fields[l->key_idx[k]].name;
    for (size_t k = 0; k < l->npart; k++)
        if (row[l->part_idx[k]].is_null)
            return l->s->fields[l->part_idx[k]].name;
    return NULL;
}

typedef struct {
    const layout *l;
    paimon_kv kv;
} kv_item;

/* Key, then sequence field, then sequence number (SortBufferWriteBuffer). */
static int kv_item_cmp(const void *pa, const void *pb)
{
    const kv_item *a = pa, *b = pb;
    int c = key_compare(a->l, a->kv.value, b->kv.value);
    if (c)
        return c;
    return paimon_merge_version_cmp(a->l->merge, &a->kv, &b->kv);
}

/* One group's key-value rows: cells holds n rows of kv.nfields datums
 * (strings borrowed from the input rows or the merge); rows/values point
 * at each row and at its table columns. */
typedef struct {
    paimon_datum *cells;
    const paimon_datum **rows;
    const paimon_datum **values;
    size_t n;
    int64_t min_seq, max_seq;
} kv_file;

/* Java's write buffer (SortBufferWriteBuffer + MergeTreeWriter): rows take
 * sequence numbers seq0, seq0+1, ... in arrival order, are sorted by key,
 * sequence field and sequence number, and the versions of each key merge
 * with the table's engine into the one row written (deduplicate: the
 * last; partial-update: non-null fields overwrite; aggregation: the field
 * functions). */
static int kv_file_build(kv_file *out, const layout *l, const paimon_write_input *in, const group *g, int64_t seq0,
                         mc_err *err)
{
    memset(out, 0, sizeof *out);
    kv_item *items = mc_calloc(g->n, sizeof *items);
    for (size_t k = 0; k < g->n; k++)
        items[k] = (kv_item){l, {in->rows[g->rows[k]], seq0 + (int64_t)k, PAIMON_ROWKIND_INSERT}};
    qsort(items, g->n, sizeof *items, kv_item_cmp);
    size_t w = l->kv.nfields;
    out->cells = mc_calloc(g->n * w, sizeof *out->cells);
    out->rows = mc_calloc(g->n, sizeof *out->rows);
    out->values = mc_calloc(g->n, sizeof *out->values);
    out->min_seq = INT64_MAX;
    out->max_seq = INT64_MIN;
    paimon_kv *versions = mc_calloc(g->n, sizeof *versions);
    int rc = 0;
    for (size_t k = 0, j; k < g->n && rc == 0; k = j) {
        size_t nv = 0;
        for (j = k; j < g->n && key_compare(l, items[k].kv.value, items[j].kv.value) == 0; j++)
            versions[nv++] = items[j].kv;
        paimon_datum *c = out->cells + out->n * w;
        paimon_kv merged;
        int r = paimon_merge_key(l->merge, &merged, c + l->nkey + 2, versions, nv, err);
        if (r < 0)
            rc = -1;
        if (r != 1)
            continue;
        for (size_t i = 0; i < l->nkey; i++)
            c[i] = c[l->nkey + 2 + l->key_idx[i]];
        c[l->nkey] = paimon_datum_int(merged.seq);
        c[l->nkey + 1] = paimon_datum_int(merged.kind);
        out->rows[out->n] = c;
        out->values[out->n] = c + l->nkey + 2;
        if (merged.seq < out->min_seq)
            out->min_seq = merged.seq;
        if (merged.seq > out->max_seq)
            out->max_seq = merged.seq;
        out->n++;
    }
    free(versions);
    free(items);
    assert(rc || out->n > 0); /* every key merges to a row: the buffer holds inserts only */
    return rc;
}

static void kv_file_free(kv_file *f)
{
    free(f->cells);
    free(f->rows);
    free(f->values);
}

static void key_row(paimon_bytes *out, const layout *l, const paimon_datum *kvrow)
{
    const paimon_type **types = mc_calloc(l->nkey, sizeof *types);
    for (size_t k = 0; k < l->nkey; k++)
        types[k] = l->kv.fields[k].type;
    mc_buf b = MC_BUF_INIT;
    paimon_binrow_write_serialized(&b, types, kvrow, l->nkey);
    out->len = b.len;
    out->data = (uint8_t *)mc_buf_detach(&b, NULL);
    free(types);
}

/* _MIN_KEY/_MAX_KEY (first and last key) and _KEY_STATS over the key
 * columns, all untruncated (§4.3, §8). */
static void kv_key_meta(paimon_data_file_meta *m, const layout *l, const kv_file *f)
{
    key_row(&m->min_key, l, f->rows[0]);
    key_row(&m->max_key, l, f->rows[f->n - 1]);
    size_t *idx = mc_calloc(f->n, sizeof *idx);
    for (size_t k = 0; k < f->n; k++)
        idx[k] = k;
    stats_build(&m->key_stats, &l->key_schema, f->rows, idx, f->n, false);
    free(idx);
}

/* ---- the plan ------------------------------------------------------------- */

void paimon_write_plan_clear(paimon_write_plan *p)
{
    for (size_t i = 0; i < p->nfiles; i++) {
        free(p->files[i].path);
        mc_buf_free(&p->files[i].data);
    }
    free(p->files);
    paimon_snapshot_free(p->snapshot);
    for (size_t i = 0; i < p->npartitions; i++)
        paimon_partition_spec_free(p->partitions[i].spec, p->partitions[i].nspec);
    free(p->partitions);
    for (size_t i = 0; i < p->nbuckets; i++)
        free(p->buckets[i].partition.data);
    free(p->buckets);
    memset(p, 0, sizeof *p);
}

static paimon_out_file *add_file(paimon_write_plan *p, char *path)
{
    p->files = mc_realloc(p->files, (p->nfiles + 1) * sizeof *p->files);
    paimon_out_file *f = &p->files[p->nfiles++];
    f->path = path;
    mc_buf_init(&f->data);
    return f;
}

static const char *file_ext(const char *format)
{
    return !strcmp(format, "avro") ? ".avro" : !strcmp(format, "parquet") ? ".parquet" : ".orc";
}

/* The largest sequence number among live files of (partition, bucket), or -1. */
static int64_t max_sequence(const paimon_write_input *in, const mc_buf *part, int32_t bucket)
{
    int64_t m = -1;
    for (size_t i = 0; i < in->nlive; i++) {
        const paimon_manifest_entry *e = &in->live[i];
        if (e->bucket == bucket && e->partition.len == part->len &&
            !memcmp(e->partition.data, part->data, part->len) && e->file.max_sequence_number > m)
            m = e->file.max_sequence_number;
    }
    return m;
}

/* A fixed-bucket partition keeps its bucket count (§6.5 conflict rules):
 * keys hashed with another count would land in other buckets and escape
 * the merge. Java's wording; an overwrite rescales. */
static int bucket_count_changed(const paimon_write_input *in, const layout *l, const group *g, mc_err *err)
{
    for (size_t i = 0; i < in->nlive; i++) {
        const paimon_manifest_entry *e = &in->live[i];
        if (e->total_buckets != l->buckets && e->partition.len == g->partition.len &&
            !memcmp(e->partition.data, g->partition.data, g->partition.len))
            return mc_err_set(err, MC_ERR_UNSUPPORTED,
                              "Try to write table with a new bucket num %d, but the previous bucket num is %d. "
                              "Please switch to batch mode, and perform INSERT OVERWRITE to rescale current "
                              "data layout first.",
                              l->buckets, e->total_buckets);
    }
    return 0;
}

/* Whether an overwrite replaces the partition (serialized BinaryRow). */
static bool overwritten(const paimon_write_input *in, const group *gs, size_t ng, size_t npart,
                        const paimon_bytes *partition)
{
    if (in->overwrite_partition)
        return partition->len == in->overwrite_partition->len &&
               !memcmp(partition->data, in->overwrite_partition->data, partition->len);
    if (npart == 0)
        return true;
    for (size_t i = 0; i < ng; i++)
        if (gs[i].partition.len == partition->len && !memcmp(gs[i].partition.data, partition->data, partition->len))
            return true;
    return false;
}

/* Adds (sign 1) or removes (sign -1) a file in its partition's statistics;
 * part_row is a table row of the partition. */
static void add_partition_delta(paimon_write_plan *p, const layout *l, const paimon_datum *part_row,
                                const paimon_data_file_meta *f, int sign)
{
    mc_buf path = MC_BUF_INIT;
    paimon_datum *vals = mc_calloc(l->npart ? l->npart : 1, sizeof *vals);
    for (size_t i = 0; i < l->npart; i++)
        vals[i] = part_row[l->part_idx[i]];
    paimon_partition_path(&path, l->s->partition_keys, l->part_types, vals, l->npart, NULL);
    free(vals);
    paimon_partition_delta *d = NULL;
    for (size_t i = 0; i < p->npartitions && !d; i++) {
        mc_buf other = MC_BUF_INIT;
        for (size_t k = 0; k < p->partitions[i].nspec; k++)
            mc_buf_printf(&other, "%s=%s/", p->partitions[i].spec[k].key, p->partitions[i].spec[k].value);
        if (!strcmp(mc_buf_cstr(&other), mc_buf_cstr(&path)))
            d = &p->partitions[i];
        mc_buf_free(&other);
    }
    if (!d) {
        p->partitions = mc_realloc(p->partitions, (p->npartitions + 1) * sizeof *p->partitions);
        d = &p->partitions[p->npartitions++];
        memset(d, 0, sizeof *d);
        if (l->npart)
            paimon_partition_parse(&d->spec, &d->nspec, mc_buf_cstr(&path), NULL);
    }
    d->record_count += sign * f->row_count;
    d->file_size += sign * f->file_size;
    d->file_count += sign;
    if (sign > 0 && f->creation_time.v > d->last_file_creation_time)
        d->last_file_creation_time = f->creation_time.v;
    mc_buf_free(&path);
}

static void add_bucket_ref(paimon_write_plan *p, const mc_buf *partition, int32_t bucket)
{
    p->buckets = mc_realloc(p->buckets, (p->nbuckets + 1) * sizeof *p->buckets);
    paimon_bucket_ref *b = &p->buckets[p->nbuckets++];
    b->bucket = bucket;
    b->partition.len = partition->len;
    b->partition.data = mc_malloc(partition->len + 1);
    memcpy(b->partition.data, partition->data, partition->len);
}

static char *dup_name(const char *fmt, const char *uuid, int n)
{
    return mc_asprintf(fmt, uuid, n);
}

/* What every data file of one plan shares. */
typedef struct {
    const layout *l;
    paimon_encode_fn encode;
    const char *format;
    const char *compression;
    int64_t created;          /* _CREATION_TIME, local epoch ms */
    int32_t total_buckets;
    int64_t target_size;      /* target-file-size, bytes */
    int64_t target_rows;      /* target-file-row-num */
    paimon_write_plan *out;
    paimon_manifest_entry *entries;
    size_t nentries;
    bool index_changed;       /* the snapshot names index_manifest, not the previous one */
    char *index_manifest;     /* NULL: none */
} plan_ctx;

static int plan_ctx_init(plan_ctx *c, paimon_write_plan *out, const layout *l, const paimon_write_input *in,
                         mc_err *err)
{
    memset(c, 0, sizeof *c);
    c->l = l;
    c->out = out;
    c->format = paimon_schema_file_format(l->s);
    c->compression = paimon_schema_option(l->s, "file.compression");
    c->created = in->now_ms + in->local_offset_ms;
    c->total_buckets = l->buckets > 0 ? l->buckets : -1;
    c->encode = in->encode;
    if (paimon_schema_target_file_size(&c->target_size, l->s, err) ||
        paimon_schema_target_file_row_num(&c->target_rows, l->s, err))
        return -1;
    if (!c->encode) {
        if (!strcmp(c->format, "avro"))
            c->encode = paimon_encode_avro;
        else if (!strcmp(c->format, "parquet"))
            c->encode = paimon_encode_parquet;
        else
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing %s data files is not supported yet", c->format);
    }
    return 0;
}

static paimon_manifest_entry *new_entry(plan_ctx *c)
{
    c->entries = mc_realloc(c->entries, (c->nentries + 1) * sizeof *c->entries);
    paimon_manifest_entry *e = &c->entries[c->nentries++];
    memset(e, 0, sizeof *e);
    return e;
}

/* A DELETE of a live file (overwrite, compaction). */
static void delete_entry(plan_ctx *c, const paimon_manifest_entry *live)
{
    paimon_manifest_entry *e = new_entry(c);
    paimon_manifest_entry_copy(e, live);
    e->kind = PAIMON_FILE_DELETE;
}

/* Adds one data file of (partition, bucket) at `level`, already encoded in
 * *data (taken), and its ADD entry. rows are the file's rows (key-value
 * rows for primary-key tables, then kvf describes them), values their table
 * columns; part_row is a row of the partition; append files number rows
 * from seq. */
static void emit_data_file(plan_ctx *c, const mc_buf *partition, int32_t bucket, const paimon_datum *part_row,
                           mc_buf *data, const paimon_datum *const *values, size_t n, const kv_file *kvf,
                           int64_t seq, int level, int64_t file_source)
{
    const layout *l = c->l;
    const paimon_schema *s = l->s;
    char file_uuid[37];
    paimon_uuid(file_uuid);
    char *name = mc_asprintf("data-%s-0%s", file_uuid, file_ext(c->format));
    mc_buf ppath = MC_BUF_INIT;
    paimon_datum *pvals = mc_calloc(l->npart ? l->npart : 1, sizeof *pvals);
    for (size_t i = 0; i < l->npart; i++)
        pvals[i] = part_row[l->part_idx[i]];
    paimon_partition_path(&ppath, s->partition_keys, l->part_types, pvals, l->npart,
                          paimon_schema_option(s, "partition.default-name"));
    free(pvals);
    mc_buf rel = MC_BUF_INIT;
    mc_buf_printf(&rel, "%sbucket-%d/%s", mc_buf_cstr(&ppath), bucket, name);
    mc_buf_free(&ppath);
    paimon_out_file *f = add_file(c->out, mc_buf_detach(&rel, NULL));
    f->data = *data;
    mc_buf_init(data);
    paimon_manifest_entry *e = new_entry(c);
    e->kind = PAIMON_FILE_ADD;
    e->partition.len = partition->len;
    e->partition.data = mc_malloc(partition->len);
    memcpy(e->partition.data, partition->data, partition->len);
    e->bucket = bucket;
    e->total_buckets = c->total_buckets;
    paimon_data_file_meta *m = &e->file;
    m->file_name = name;
    m->file_size = (int64_t)f->data.len;
    m->row_count = (int64_t)n;
    size_t *idx = mc_calloc(n + 1, sizeof *idx);
    for (size_t k = 0; k < n; k++)
        idx[k] = k;
    stats_build(&m->value_stats, s, values, idx, n, true);
    free(idx);
    if (kvf) {
        kv_key_meta(m, l, kvf);
        m->min_sequence_number = kvf->min_seq;
        m->max_sequence_number = kvf->max_seq;
    } else {
        /* Append tables: empty min/max key and key stats (§4.3). */
        mc_buf empty = MC_BUF_INIT;
        paimon_binrow_write_serialized(&empty, NULL, NULL, 0);
        paimon_bytes *eb[] = {&m->min_key, &m->max_key, &m->key_stats.min_values, &m->key_stats.max_values};
        for (size_t i = 0; i < 4; i++) {
            eb[i]->len = empty.len;
            eb[i]->data = mc_malloc(empty.len);
            memcpy(eb[i]->data, empty.data, empty.len);
        }
        mc_buf_free(&empty);
        m->key_stats.has_null_counts = true;
        /* any non-NULL pointer with n = 0; freed by the manifest clear */
        m->key_stats.null_counts = mc_calloc(1, sizeof *m->key_stats.null_counts);
        m->min_sequence_number = seq;
        m->max_sequence_number = seq + (int64_t)n - 1;
    }
    m->schema_id = s->id;
    m->level = level;
    m->creation_time = (paimon_opt_long){true, c->created};
    m->delete_row_count = (paimon_opt_long){true, 0};
    m->file_source = (paimon_opt_long){true, file_source};
    add_partition_delta(c->out, l, part_row, m, 1);
}

/* ---- rolling ---------------------------------------------------------------- */

/* Java's RollingFileWriterImpl (paimon-core io/): one rolling writer per
 * (partition, bucket) and flush closes its current file after a record
 * when the file holds target-file-row-num records, or when the writer's
 * record count is a multiple of CHECK_ROLLING_RECORD_CNT (1000,
 * io/RollingFileWriter) and the file has reached target-file-size. Java
 * measures the open file (Parquet: ParquetWriter.getDataSize, Avro: the
 * stream position); our encoders make whole files, so at a checkpoint we
 * measure the file as it would be if closed there (footer included): a
 * file rolls at the same checkpoint as in Java or one earlier. */
#define CHECK_ROLLING_RECORD_CNT 1000

/* Encodes rows[0..n) as one data file into out. */
static int encode_rows(plan_ctx *c, mc_buf *out, const paimon_datum *const *rows, size_t n, mc_err *err)
{
    mc_buf_reset(out);
    return c->encode(out, c->l->pk ? &c->l->kv : c->l->s, rows, n, c->compression, err);
}

/* How many of rows[0..n) the next file takes, the writer having written
 * `written` records before it; *data is that file encoded. Assumes the
 * encoded size grows with the row count, so the first checkpoint at which
 * the file reaches the target is found by galloping then bisecting. */
static int roll_count(size_t *count, mc_buf *data, plan_ctx *c, const paimon_datum *const *rows, size_t n,
                      uint64_t written, mc_err *err)
{
    size_t last = n < (uint64_t)c->target_rows ? n : (size_t)c->target_rows;
    *count = last;
    if (encode_rows(c, data, rows, last, err))
        return -1;
    if ((int64_t)data->len < c->target_size)
        return 0; /* no checkpoint before `last` can have reached the target */
    /* Checkpoints j (records in this file) with (written + j) % 1000 == 0, j < last. */
    size_t first = CHECK_ROLLING_RECORD_CNT - (size_t)(written % CHECK_ROLLING_RECORD_CNT);
    if (first >= last)
        return 0;
    size_t ncheck = (last - 1 - first) / CHECK_ROLLING_RECORD_CNT + 1;
    mc_buf probe = MC_BUF_INIT;
    /* Invariant: checkpoint lo - 1 (or none) is under the target; hi is at or over (ncheck: `last`). */
    size_t lo = 0, hi = ncheck, step = 1;
    int rc = 0;
    for (size_t k = 0; k < ncheck && rc == 0; k += step, step *= 2) {
        rc = encode_rows(c, &probe, rows, first + k * CHECK_ROLLING_RECORD_CNT, err);
        if (rc == 0 && (int64_t)probe.len >= c->target_size) {
            hi = k;
            break;
        }
        lo = k + 1;
    }
    while (rc == 0 && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        rc = encode_rows(c, &probe, rows, first + mid * CHECK_ROLLING_RECORD_CNT, err);
        if (rc == 0 && (int64_t)probe.len >= c->target_size)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (rc == 0 && hi < ncheck) {
        *count = first + hi * CHECK_ROLLING_RECORD_CNT;
        rc = encode_rows(c, data, rows, *count, err);
    }
    mc_buf_free(&probe);
    return rc;
}

/* Writes rows[0..n) of (partition, bucket) through a rolling writer: as
 * many files as target-file-size and target-file-row-num make, each with
 * its own entry. Key-value rows (kvf) are sorted by key, so the files of
 * one flush hold consecutive key ranges; as in Java's MergeTreeWriter each
 * is a level-0 file of its own (§6.3), and a compaction's output files
 * together form its level's one sorted run. */
static int emit_rolling(plan_ctx *c, const mc_buf *partition, int32_t bucket, const paimon_datum *part_row,
                        const paimon_datum *const *rows, const paimon_datum *const *values, size_t n,
                        const kv_file *kvf, int64_t seq, int level, int64_t file_source, mc_err *err)
{
    mc_buf data = MC_BUF_INIT;
    int rc = 0;
    for (size_t start = 0, k; start < n && rc == 0; start += k) {
        rc = roll_count(&k, &data, c, rows + start, n - start, start, err);
        if (rc) {
            mc_err_prefix(err, "encoding a data file of bucket %d", bucket);
            break;
        }
        kv_file piece;
        if (kvf) {
            piece = (kv_file){.rows = kvf->rows + start, .values = kvf->values + start, .n = k};
            piece.min_seq = INT64_MAX;
            piece.max_seq = INT64_MIN;
            for (size_t i = 0; i < k; i++) {
                int64_t q = piece.rows[i][c->l->nkey].i; /* _SEQUENCE_NUMBER, §6.2 */
                piece.min_seq = q < piece.min_seq ? q : piece.min_seq;
                piece.max_seq = q > piece.max_seq ? q : piece.max_seq;
            }
        }
        emit_data_file(c, partition, bucket, part_row, &data, values + start, k, kvf ? &piece : NULL,
                       seq + (int64_t)start, level, file_source);
    }
    mc_buf_free(&data);
    return rc;
}

/* The manifest of the plan's entries, the manifest lists (base = the
 * previous snapshot's base and delta manifests; delta = the new manifest)
 * and the snapshot (§6.5). */
static int finish_plan(plan_ctx *c, const paimon_write_input *in, const char *commit_kind, mc_err *err)
{
    const layout *l = c->l;
    paimon_write_plan *out = c->out;
    int64_t added_rows = 0, deleted_rows = 0;
    for (size_t i = 0; i < c->nentries; i++) {
        if (c->entries[i].kind == PAIMON_FILE_ADD)
            added_rows += c->entries[i].file.row_count;
        else
            deleted_rows += c->entries[i].file.row_count;
    }
    char commit_uuid[37];
    paimon_uuid(commit_uuid);
    char *manifest_name = dup_name("manifest-%s-%d", commit_uuid, 0);
    paimon_out_file *mf = add_file(out, mc_asprintf("manifest/%s", manifest_name));
    if (paimon_manifest_write(&mf->data, c->entries, c->nentries, NULL, err)) {
        free(manifest_name);
        return -1;
    }
    paimon_manifest_file_meta delta_meta;
    if (paimon_manifest_file_meta_build(&delta_meta, manifest_name, (int64_t)mf->data.len, c->entries, c->nentries,
                                        l->part_types, l->npart, err)) {
        free(manifest_name);
        return -1;
    }
    free(manifest_name);
    char *base_name = dup_name("manifest-list-%s-%d", commit_uuid, 1);
    char *delta_name = dup_name("manifest-list-%s-%d", commit_uuid, 2);
    /* add_file may move the array: take the pointers after both are added. */
    add_file(out, mc_asprintf("manifest/%s", base_name));
    add_file(out, mc_asprintf("manifest/%s", delta_name));
    paimon_out_file *bf = &out->files[out->nfiles - 2], *df = &out->files[out->nfiles - 1];
    int lrc = paimon_manifest_list_write(&bf->data, in->prev_manifests, in->nprev, NULL, err);
    if (lrc == 0)
        lrc = paimon_manifest_list_write(&df->data, &delta_meta, 1, NULL, err);
    free(delta_meta.file_name);
    free(delta_meta.partition_stats.min_values.data);
    free(delta_meta.partition_stats.max_values.data);
    free(delta_meta.partition_stats.null_counts);
    if (lrc) {
        free(base_name);
        free(delta_name);
        return -1;
    }
    paimon_snapshot *sn = mc_calloc(1, sizeof *sn);
    out->snapshot = sn;
    char snap_uuid[37];
    paimon_uuid(snap_uuid);
    sn->version = 3;
    sn->uuid = mc_strdup(snap_uuid);
    sn->id = in->latest ? in->latest->id + 1 : 1;
    sn->schema_id = l->s->id;
    sn->base_manifest_list = base_name;
    sn->has_base_manifest_list_size = true;
    sn->base_manifest_list_size = (int64_t)bf->data.len;
    sn->delta_manifest_list = delta_name;
    sn->has_delta_manifest_list_size = true;
    sn->delta_manifest_list_size = (int64_t)df->data.len;
    if (c->index_changed)
        sn->index_manifest = c->index_manifest ? mc_strdup(c->index_manifest) : NULL;
    else
        sn->index_manifest = in->latest && in->latest->index_manifest ? mc_strdup(in->latest->index_manifest) : NULL;
    char user[37];
    if (!in->commit_user)
        paimon_uuid(user);
    sn->commit_user = mc_strdup(in->commit_user ? in->commit_user : user);
    sn->commit_identifier = INT64_MAX; /* batch writes (§2) */
    sn->commit_kind = mc_strdup(commit_kind);
    sn->time_millis = in->now_ms;
    sn->delta_record_count = added_rows - deleted_rows;
    sn->total_record_count = (in->latest ? in->latest->total_record_count : 0) + sn->delta_record_count;
    if (in->latest && in->latest->has_next_row_id) {
        sn->has_next_row_id = true;
        sn->next_row_id = in->latest->next_row_id;
    }
    return 0;
}

static int read_index(paimon_index_manifest_entry **out, size_t *n, const paimon_write_input *in,
                      const paimon_fileio *io, mc_err *err);
static int write_index_without(plan_ctx *c, const paimon_index_manifest_entry *ix, size_t nix, const bool *drop,
                               mc_err *err);

/* An overwrite drops the index entries of the partitions it replaces, the
 * whole table's when unpartitioned: their data files are deleted, and new
 * files have no deletion vectors. Java's OverwriteChangesProvider turns
 * every index entry of the overwritten partitions into a DELETE (all index
 * types), and IndexManifestFileHandler keeps the live ADD entries. */
static int drop_overwritten_index(plan_ctx *c, const paimon_write_input *in, const group *gs, size_t ng,
                                  size_t npart, mc_err *err)
{
    if (!in->latest || !in->latest->index_manifest)
        return 0;
    if (!in->io)
        return mc_err_set(err, MC_ERR_INVALID, "overwriting a table with an index manifest needs its files");
    paimon_index_manifest_entry *ix;
    size_t nix;
    if (read_index(&ix, &nix, in, in->io, err))
        return -1;
    bool *drop = mc_calloc(nix + 1, sizeof *drop);
    for (size_t i = 0; i < nix; i++)
        drop[i] = overwritten(in, gs, ng, npart, &ix[i].partition);
    int rc = write_index_without(c, ix, nix, drop, err);
    free(drop);
    paimon_index_manifest_entries_free(ix, nix);
    return rc;
}

int paimon_write_plan_build(paimon_write_plan *out, const paimon_write_input *in, mc_err *err)
{
    memset(out, 0, sizeof *out);
    const paimon_schema *s = in->schema;
    layout l;
    plan_ctx c;
    memset(&c, 0, sizeof c);
    group *gs = NULL;
    size_t ng = 0;
    int rc = -1;
    if (layout_init(&l, s, err) || plan_ctx_init(&c, out, &l, in, err))
        goto out;
    for (size_t r = 0; r < in->nrows; r++) {
        const char *nk = l.pk ? null_key(&l, in->rows[r]) : NULL;
        if (nk) {
            mc_err_set(err, MC_ERR_INVALID, "primary key column %s must not be NULL", nk);
            goto out;
        }
        mc_buf part = MC_BUF_INIT;
        partition_of(&part, &l, in->rows[r]);
        group *g = find_group(&gs, &ng, &part, bucket_of(&l, in->rows[r]));
        mc_buf_free(&part);
        if (g->n == g->cap) {
            g->cap = g->cap ? 2 * g->cap : 64;
            g->rows = mc_realloc(g->rows, g->cap * sizeof *g->rows);
        }
        g->rows[g->n++] = r;
        if (!g->first)
            g->first = in->rows[r];
    }
    /* Overwrite: DELETE every live file of the overwritten scope (§6.5). */
    if (in->overwrite)
        for (size_t i = 0; i < in->nlive; i++)
            if (overwritten(in, gs, ng, l.npart, &in->live[i].partition))
                delete_entry(&c, &in->live[i]);
    if (in->overwrite && drop_overwritten_index(&c, in, gs, ng, l.npart, err))
        goto out;
    for (size_t gi = 0; gi < ng; gi++) {
        group *g = &gs[gi];
        /* Sequence numbers continue per bucket; an overwrite ignores the
         * previous files (Java's ignorePreviousFiles) and starts at 0. */
        int64_t seq = in->overwrite ? 0 : max_sequence(in, &g->partition, g->bucket) + 1;
        if (l.pk && !in->overwrite && bucket_count_changed(in, &l, g, err))
            goto out;
        kv_file kvf;
        memset(&kvf, 0, sizeof kvf);
        if (l.pk && kv_file_build(&kvf, &l, in, g, seq, err)) {
            kv_file_free(&kvf);
            goto out;
        }
        size_t nout = l.pk ? kvf.n : g->n;
        const paimon_datum **rows = mc_calloc(g->n, sizeof *rows);
        for (size_t k = 0; k < nout; k++)
            rows[k] = l.pk ? kvf.rows[k] : in->rows[g->rows[k]];
        int erc = emit_rolling(&c, &g->partition, g->bucket, g->first, rows, l.pk ? kvf.values : rows, nout,
                               l.pk ? &kvf : NULL, seq, 0, 0, err);
        free(rows);
        kv_file_free(&kvf);
        if (erc)
            goto out;
        add_bucket_ref(out, &g->partition, g->bucket);
    }
    rc = finish_plan(&c, in, in->overwrite ? "OVERWRITE" : "APPEND", err);
out:
    if (rc)
        paimon_write_plan_clear(out);
    paimon_manifest_entries_free(c.entries, c.nentries);
    free(c.index_manifest);
    for (size_t i = 0; i < ng; i++) {
        mc_buf_free(&gs[i].partition);
        free(gs[i].rows);
    }
    free(gs);
    layout_free(&l);
    return rc;
}

/* ---- compaction ------------------------------------------------------------ */

static bool option_is_true(const paimon_schema *s, const char *key)
{
    const char *v = paimon_schema_option(s, key);
    return v && !strcasecmp(v, "true");
}

bool paimon_write_needs_compaction(const paimon_schema *s)
{
    const char *engine = paimon_schema_option(s, "merge-engine");
    if (!s->nprimary_keys)
        return false;
    if (engine && !strcasecmp(engine, "first-row"))
        return true;
    return option_is_true(s, "deletion-vectors.enabled") && !option_is_true(s, "deletion-vectors.merge-on-read");
}

/* An integer option of at least min (CoreOptions), dflt when unset. */
static int int_option(long *out, const paimon_schema *s, const char *key, long dflt, long min, mc_err *err)
{
    const char *v = paimon_schema_option(s, key);
    *out = dflt;
    if (!v)
        return 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < min || n > 1000000)
        return mc_err_set(err, MC_ERR_INVALID, "Could not parse value '%s' for key '%s' (an integer >= %ld).", v,
                          key, min);
    *out = n;
    return 0;
}

/* num-sorted-run.compaction-trigger (5) and the top level of the LSM
 * tree: num-levels - 1, num-levels defaulting to the trigger + 1
 * (CoreOptions.numLevels, §6.3). */
static int lsm_options(int *trigger, int *top, const paimon_schema *s, mc_err *err)
{
    long t, levels;
    if (int_option(&t, s, "num-sorted-run.compaction-trigger", 5, 1, err) ||
        int_option(&levels, s, "num-levels", t + 1, 2, err))
        return -1;
    *trigger = (int)t;
    *top = (int)levels - 1;
    return 0;
}

/* A row of the table holding the partition values of a serialized
 * partition BinaryRow (other columns NULL), for partition statistics. */
static int partition_row(paimon_datum *row, const layout *l, const paimon_bytes *partition, mc_err *err)
{
    paimon_datum *vals = mc_calloc(l->npart + 1, sizeof *vals);
    int rc = paimon_binrow_read_serialized(vals, l->part_types, l->npart, partition->data, partition->len, err);
    for (size_t i = 0; i < l->npart && rc == 0; i++)
        row[l->part_idx[i]] = vals[i];
    free(vals);
    return rc;
}

static bool same_partition(const paimon_bytes *a, const paimon_bytes *b)
{
    return a->len == b->len && (a->len == 0 || !memcmp(a->data, b->data, a->len));
}

static bool in_bucket(const paimon_manifest_entry *e, const paimon_bytes *partition, int32_t bucket)
{
    return e->bucket == bucket && same_partition(&e->partition, partition);
}

/* Compacts the bucket of live entry `first`: DELETE its live files, ADD
 * their merged rows as one file at `level`. */
static int compact_bucket(plan_ctx *c, const paimon_write_input *in, const paimon_fileio *io, size_t first,
                          int level, mc_err *err)
{
    const layout *l = c->l;
    const paimon_manifest_entry *e0 = &in->live[first];
    paimon_table_state st = {.snap = (paimon_snapshot *)in->latest, .live = (paimon_manifest_entry *)in->live,
                             .nlive = in->nlive};
    paimon_scan *sc = NULL;
    if (paimon_scan_open_bucket(&sc, io, l->s, &st, &e0->partition, e0->bucket, err))
        return -1;
    size_t nf = l->s->nfields, w = l->kv.nfields, n = 0, cap = 0;
    kv_file kvf;
    memset(&kvf, 0, sizeof kvf);
    kvf.min_seq = INT64_MAX;
    kvf.max_seq = INT64_MIN;
    const paimon_datum *row;
    int r;
    while ((r = paimon_scan_next(sc, &row, err)) == 1) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            kvf.cells = mc_realloc(kvf.cells, cap * w * sizeof *kvf.cells);
        }
        /* Merged rows keep their sequence number and kind (§6.2 layout). */
        paimon_datum *cell = kvf.cells + n * w;
        for (size_t k = 0; k < l->nkey; k++)
            cell[k] = row[l->key_idx[k]];
        cell[l->nkey] = row[nf];
        cell[l->nkey + 1] = row[nf + 1];
        memcpy(cell + l->nkey + 2, row, nf * sizeof *cell);
        if (row[nf].i < kvf.min_seq)
            kvf.min_seq = row[nf].i;
        if (row[nf].i > kvf.max_seq)
            kvf.max_seq = row[nf].i;
        n++;
    }
    int rc = r < 0 ? -1 : 0;
    paimon_datum *prow = mc_calloc(nf + 1, sizeof *prow);
    if (rc == 0)
        rc = partition_row(prow, l, &e0->partition, err);
    for (size_t i = first; i < in->nlive && rc == 0; i++) {
        const paimon_manifest_entry *e = &in->live[i];
        if (in_bucket(e, &e0->partition, e0->bucket)) {
            delete_entry(c, e);
            add_partition_delta(c->out, l, prow, &e->file, -1);
        }
    }
    if (rc == 0 && n) {
        kvf.n = n;
        kvf.rows = mc_calloc(n, sizeof *kvf.rows);
        kvf.values = mc_calloc(n, sizeof *kvf.values);
        for (size_t k = 0; k < n; k++) {
            kvf.rows[k] = kvf.cells + k * w;
            kvf.values[k] = kvf.cells + k * w + l->nkey + 2;
        }
        mc_buf part = MC_BUF_INIT;
        mc_buf_append(&part, e0->partition.data, e0->partition.len);
        rc = emit_rolling(c, &part, e0->bucket, prow, kvf.rows, kvf.values, n, &kvf, 0, level, 1 /* COMPACT */, err);
        mc_buf_free(&part);
    }
    free(prow);
    kv_file_free(&kvf);
    paimon_scan_close(sc);
    return rc;
}

/* The live index entries of the latest snapshot (none without an index manifest). */
static int read_index(paimon_index_manifest_entry **out, size_t *n, const paimon_write_input *in,
                      const paimon_fileio *io, mc_err *err)
{
    *out = NULL;
    *n = 0;
    if (!in->latest || !in->latest->index_manifest)
        return 0;
    char *rel = mc_asprintf("manifest/%s", in->latest->index_manifest);
    mc_buf b = MC_BUF_INIT;
    int rc = io->read(io->ud, rel, &b, err);
    if (rc == 0)
        rc = paimon_index_manifest_read(out, n, (const uint8_t *)b.data, b.len, err);
    if (rc)
        mc_err_prefix(err, "index manifest %s", in->latest->index_manifest);
    mc_buf_free(&b);
    free(rel);
    return rc;
}

static bool is_dv_index(const paimon_index_manifest_entry *ix, const paimon_bytes *partition, int32_t bucket)
{
    return ix->bucket == bucket && same_partition(&ix->partition, partition) &&
           !strcmp(ix->index_type, "DELETION_VECTORS");
}

/* Counts the level-0 files and the non-empty levels >= 1 of a bucket's
 * files among live[0..n); true when they all sit at level top. */
static bool sorted_runs(int *level0, int *levels, const paimon_manifest_entry *live, size_t n,
                        const paimon_bytes *partition, int32_t bucket, int top)
{
    bool only_top = true;
    *level0 = *levels = 0;
    for (size_t k = 0; k < n; k++) {
        const paimon_manifest_entry *e = &live[k];
        if (!in_bucket(e, partition, bucket))
            continue;
        only_top &= e->file.level == top;
        if (e->file.level == 0) {
            (*level0)++;
            continue;
        }
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = in_bucket(&live[j], partition, bucket) && live[j].file.level == e->file.level;
        *levels += !seen;
    }
    return only_top;
}

bool paimon_write_reaches_trigger(const paimon_write_input *in, const paimon_write_plan *written)
{
    int trigger, top, level0, levels;
    mc_err ignored;
    if (lsm_options(&trigger, &top, in->schema, &ignored))
        return true; /* the compaction reports the bad option */
    for (size_t i = 0; i < written->nbuckets; i++) {
        const paimon_bucket_ref *b = &written->buckets[i];
        sorted_runs(&level0, &levels, in->live, in->overwrite ? 0 : in->nlive, &b->partition, b->bucket, top);
        if (level0 + levels + 1 >= trigger)
            return true;
    }
    return false;
}

/* Whether scope picks the bucket of live entry `first` (§6.3 sorted runs:
 * each level-0 file is one, each non-empty level >= 1 is one). */
static bool bucket_picked(const paimon_compact_scope *scope, const paimon_write_input *in, size_t first,
                          const paimon_index_manifest_entry *ix, size_t nix, int trigger, int top)
{
    const paimon_manifest_entry *e0 = &in->live[first];
    if (scope->partition && !same_partition(&e0->partition, scope->partition))
        return false;
    bool listed_bucket = scope->nonly == 0;
    for (size_t i = 0; i < scope->nonly && !listed_bucket; i++)
        listed_bucket = in_bucket(e0, &scope->only[i].partition, scope->only[i].bucket);
    if (!listed_bucket)
        return false;
    int level0 = 0, levels = 0;
    bool only_top = sorted_runs(&level0, &levels, in->live + first, in->nlive - first, &e0->partition, e0->bucket,
                                top);
    switch (scope->pick) {
    case PAIMON_COMPACT_LEVEL0:
        return level0 > 0;
    case PAIMON_COMPACT_TRIGGER:
        return level0 + levels >= trigger;
    case PAIMON_COMPACT_FULL:
        if (!only_top)
            return true;
        for (size_t i = 0; i < nix; i++)
            if (is_dv_index(&ix[i], &e0->partition, e0->bucket) && ix[i].n_dv_ranges)
                return true; /* rows deleted by vectors are dropped for good */
        return false;
    }
    return false;
}

/* Writes a new index manifest of the entries of ix not marked in drop, when
 * any is (the snapshot then names it; with all dropped it has no entry, as
 * Java's IndexManifestFileHandler writes one). */
static int write_index_without(plan_ctx *c, const paimon_index_manifest_entry *ix, size_t nix, const bool *drop,
                               mc_err *err)
{
    paimon_index_manifest_entry *keep = mc_calloc(nix + 1, sizeof *keep);
    size_t nkeep = 0;
    for (size_t i = 0; i < nix; i++)
        if (!drop[i])
            keep[nkeep++] = ix[i]; /* shallow: written, not freed */
    int rc = 0;
    if (nkeep < nix) {
        char uuid[37];
        paimon_uuid(uuid);
        c->index_changed = true;
        free(c->index_manifest);
        c->index_manifest = dup_name("index-manifest-%s-%d", uuid, 0);
        paimon_out_file *f = add_file(c->out, mc_asprintf("manifest/%s", c->index_manifest));
        rc = paimon_index_manifest_write(&f->data, keep, nkeep, NULL, err);
    }
    free(keep);
    return rc;
}

/* The index manifest without the deletion vectors of the compacted
 * buckets (their files are gone; the new file has none). Java keeps only
 * live ADD entries in an index manifest (IndexManifestFileHandler). */
static int drop_compacted_vectors(plan_ctx *c, const paimon_index_manifest_entry *ix, size_t nix,
                                  const bool *compacted, const paimon_write_input *in, mc_err *err)
{
    bool *drop = mc_calloc(nix + 1, sizeof *drop);
    for (size_t i = 0; i < nix; i++)
        for (size_t k = 0; k < in->nlive && !drop[i]; k++)
            drop[i] = compacted[k] && is_dv_index(&ix[i], &in->live[k].partition, in->live[k].bucket);
    int rc = write_index_without(c, ix, nix, drop, err);
    free(drop);
    return rc;
}

int paimon_compact_plan_build(paimon_write_plan *out, const paimon_write_input *in,
                              const paimon_compact_scope *scope, const paimon_fileio *io, mc_err *err)
{
    memset(out, 0, sizeof *out);
    static const paimon_compact_scope level0 = {.pick = PAIMON_COMPACT_LEVEL0};
    if (!scope)
        scope = &level0;
    layout l;
    memset(&l, 0, sizeof l);
    plan_ctx c;
    memset(&c, 0, sizeof c);
    int trigger = 0, top = 0, rc = -1;
    bool *seen = mc_calloc(in->nlive + 1, sizeof *seen), *compacted = mc_calloc(in->nlive + 1, sizeof *compacted);
    paimon_index_manifest_entry *ix = NULL;
    size_t nix = 0;
    if (!in->schema->nprimary_keys) {
        mc_err_set(err, MC_ERR_INVALID, "compaction is for primary-key tables");
        goto out;
    }
    if (layout_init(&l, in->schema, err) || plan_ctx_init(&c, out, &l, in, err) ||
        lsm_options(&trigger, &top, in->schema, err) || read_index(&ix, &nix, in, io, err))
        goto out;
    for (size_t i = 0; i < in->nlive; i++) {
        if (seen[i])
            continue;
        const paimon_manifest_entry *e0 = &in->live[i];
        for (size_t k = i; k < in->nlive; k++)
            seen[k] |= in_bucket(&in->live[k], &e0->partition, e0->bucket);
        if (!bucket_picked(scope, in, i, ix, nix, trigger, top))
            continue;
        compacted[i] = true;
        if (compact_bucket(&c, in, io, i, top, err))
            goto out;
    }
    if (c.nentries && drop_compacted_vectors(&c, ix, nix, compacted, in, err))
        goto out;
    rc = c.nentries ? finish_plan(&c, in, "COMPACT", err) : 0;
out:
    if (rc)
        paimon_write_plan_clear(out);
    paimon_manifest_entries_free(c.entries, c.nentries);
    paimon_index_manifest_entries_free(ix, nix);
    free(c.index_manifest);
    free(seen);
    free(compacted);
    layout_free(&l);
    return rc;
}
