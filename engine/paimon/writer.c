/* writer: see writer.h. Layout facts: reference/paimon-format.md §1, §4.2-4.3, §6.5, §8. */
#include "paimon/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "paimon/avro.h"
#include "paimon/avro_data.h"
#include "paimon/binrow.h"
#include "paimon/parquet_writer.h"
#include "paimon/partition.h"

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

/* Builds SimpleStats (min, max, null count per field) over rows[idx[0..n)]. */
static void stats_build(paimon_simple_stats *out, const paimon_schema *s, const paimon_datum *const *rows,
                        const size_t *idx, size_t n)
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
        out->null_counts[c] = (paimon_opt_long){true, nulls};
        if (!seen[c]) {
            mins[c] = maxs[c] = paimon_datum_null();
            continue;
        }
        if ((is_text(t) || is_bin(t)) && (!truncate_stat(&mins[c], t, false, &owned[2 * c]) ||
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

static int layout_init(layout *l, const paimon_schema *s, mc_err *err)
{
    memset(l, 0, sizeof *l);
    l->s = s;
    if (s->nprimary_keys)
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "writing to primary-key tables is not supported yet (append tables only)");
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
        if (l->nbucket_key == 0)
            return mc_err_set(err, MC_ERR_INVALID,
                              "append table with bucket = %d needs the option 'bucket-key'", l->buckets);
    } else if (l->buckets != -1) {
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "writing with bucket = %d is not supported", l->buckets);
    }
    return 0;
}

static void layout_free(layout *l)
{
    free(l->part_idx);
    free(l->part_types);
    free(l->bucket_idx);
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

static bool overwritten(const paimon_write_input *in, const group *gs, size_t ng, size_t npart,
                        const paimon_manifest_entry *e)
{
    if (in->overwrite_partition)
        return e->partition.len == in->overwrite_partition->len &&
               !memcmp(e->partition.data, in->overwrite_partition->data, e->partition.len);
    if (npart == 0)
        return true;
    for (size_t i = 0; i < ng; i++)
        if (gs[i].partition.len == e->partition.len &&
            !memcmp(gs[i].partition.data, e->partition.data, e->partition.len))
            return true;
    return false;
}

static void add_partition_delta(paimon_write_plan *p, const layout *l, const group *g, const paimon_data_file_meta *f)
{
    mc_buf path = MC_BUF_INIT;
    paimon_datum *vals = mc_calloc(l->npart ? l->npart : 1, sizeof *vals);
    for (size_t i = 0; i < l->npart; i++)
        vals[i] = g->first[l->part_idx[i]];
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
    d->record_count += f->row_count;
    d->file_size += f->file_size;
    d->file_count += 1;
    if (f->creation_time.v > d->last_file_creation_time)
        d->last_file_creation_time = f->creation_time.v;
    mc_buf_free(&path);
}

static char *dup_name(const char *fmt, const char *uuid, int n)
{
    return mc_asprintf(fmt, uuid, n);
}

int paimon_write_plan_build(paimon_write_plan *out, const paimon_write_input *in, mc_err *err)
{
    memset(out, 0, sizeof *out);
    const paimon_schema *s = in->schema;
    layout l;
    group *gs = NULL;
    size_t ng = 0;
    paimon_manifest_entry *entries = NULL;
    size_t nentries = 0;
    int rc = -1;
    if (layout_init(&l, s, err))
        goto out;
    const char *format = paimon_schema_file_format(s);
    paimon_encode_fn encode = in->encode;
    if (!encode) {
        if (!strcmp(format, "avro")) {
            encode = paimon_encode_avro;
        } else if (!strcmp(format, "parquet")) {
            encode = paimon_encode_parquet;
        } else {
            mc_err_set(err, MC_ERR_UNSUPPORTED, "writing %s data files is not supported yet", format);
            goto out;
        }
    }
    for (size_t r = 0; r < in->nrows; r++) {
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
    char commit_uuid[37];
    paimon_uuid(commit_uuid);
    const char *compression = paimon_schema_option(s, "file.compression");
    int64_t created = in->now_ms + in->local_offset_ms;
    int64_t added_rows = 0, deleted_rows = 0;
    int32_t total_buckets = l.buckets > 0 ? l.buckets : -1;
    /* Overwrite: DELETE every live file of the overwritten scope (§6.5). */
    if (in->overwrite)
        for (size_t i = 0; i < in->nlive; i++)
            if (overwritten(in, gs, ng, l.npart, &in->live[i])) {
                entries = mc_realloc(entries, (nentries + 1) * sizeof *entries);
                paimon_manifest_entry_copy(&entries[nentries], &in->live[i]);
                entries[nentries].kind = PAIMON_FILE_DELETE;
                deleted_rows += in->live[i].file.row_count;
                nentries++;
            }
    for (size_t gi = 0; gi < ng; gi++) {
        group *g = &gs[gi];
        const paimon_datum **rows = mc_calloc(g->n, sizeof *rows);
        for (size_t k = 0; k < g->n; k++)
            rows[k] = in->rows[g->rows[k]];
        char file_uuid[37];
        paimon_uuid(file_uuid);
        char *name = mc_asprintf("data-%s-0%s", file_uuid, file_ext(format));
        mc_buf ppath = MC_BUF_INIT;
        paimon_datum *pvals = mc_calloc(l.npart ? l.npart : 1, sizeof *pvals);
        for (size_t i = 0; i < l.npart; i++)
            pvals[i] = g->first[l.part_idx[i]];
        paimon_partition_path(&ppath, s->partition_keys, l.part_types, pvals, l.npart,
                              paimon_schema_option(s, "partition.default-name"));
        free(pvals);
        mc_buf rel = MC_BUF_INIT;
        mc_buf_printf(&rel, "%sbucket-%d/%s", mc_buf_cstr(&ppath), g->bucket, name);
        mc_buf_free(&ppath);
        paimon_out_file *f = add_file(out, mc_buf_detach(&rel, NULL));
        int erc = encode(&f->data, s, rows, g->n, compression, err);
        free(rows);
        if (erc) {
            mc_err_prefix(err, "encoding %s", name);
            free(name);
            goto out;
        }
        entries = mc_realloc(entries, (nentries + 1) * sizeof *entries);
        paimon_manifest_entry *e = &entries[nentries++];
        memset(e, 0, sizeof *e);
        e->kind = PAIMON_FILE_ADD;
        e->partition.len = g->partition.len;
        e->partition.data = mc_malloc(g->partition.len);
        memcpy(e->partition.data, g->partition.data, g->partition.len);
        e->bucket = g->bucket;
        e->total_buckets = total_buckets;
        paimon_data_file_meta *m = &e->file;
        m->file_name = name;
        m->file_size = (int64_t)f->data.len;
        m->row_count = (int64_t)g->n;
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
        stats_build(&m->value_stats, s, in->rows, g->rows, g->n);
        int64_t seq = max_sequence(in, &g->partition, g->bucket) + 1;
        if (in->overwrite)
            seq = 0;
        m->min_sequence_number = seq;
        m->max_sequence_number = seq + (int64_t)g->n - 1;
        m->schema_id = s->id;
        m->level = 0;
        m->creation_time = (paimon_opt_long){true, created};
        m->delete_row_count = (paimon_opt_long){true, 0};
        m->file_source = (paimon_opt_long){true, 0};
        added_rows += (int64_t)g->n;
        add_partition_delta(out, &l, g, m);
    }
    /* Manifest, then manifest lists: base = the previous snapshot's base and
     * delta manifests; delta = the new manifest (§6.5). */
    char *manifest_name = dup_name("manifest-%s-%d", commit_uuid, 0);
    paimon_out_file *mf = add_file(out, mc_asprintf("manifest/%s", manifest_name));
    if (paimon_manifest_write(&mf->data, entries, nentries, NULL, err)) {
        free(manifest_name);
        goto out;
    }
    paimon_manifest_file_meta delta_meta;
    if (paimon_manifest_file_meta_build(&delta_meta, manifest_name, (int64_t)mf->data.len, entries, nentries,
                                        l.part_types, l.npart, err)) {
        free(manifest_name);
        goto out;
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
        goto out;
    }
    paimon_snapshot *sn = mc_calloc(1, sizeof *sn);
    out->snapshot = sn;
    char snap_uuid[37];
    paimon_uuid(snap_uuid);
    sn->version = 3;
    sn->uuid = mc_strdup(snap_uuid);
    sn->id = in->latest ? in->latest->id + 1 : 1;
    sn->schema_id = s->id;
    sn->base_manifest_list = base_name;
    sn->has_base_manifest_list_size = true;
    sn->base_manifest_list_size = (int64_t)bf->data.len;
    sn->delta_manifest_list = delta_name;
    sn->has_delta_manifest_list_size = true;
    sn->delta_manifest_list_size = (int64_t)df->data.len;
    sn->index_manifest = in->latest && in->latest->index_manifest ? mc_strdup(in->latest->index_manifest) : NULL;
    char user[37];
    if (!in->commit_user)
        paimon_uuid(user);
    sn->commit_user = mc_strdup(in->commit_user ? in->commit_user : user);
    sn->commit_identifier = INT64_MAX; /* batch writes (§2) */
    sn->commit_kind = mc_strdup(in->overwrite ? "OVERWRITE" : "APPEND");
    sn->time_millis = in->now_ms;
    sn->delta_record_count = added_rows - deleted_rows;
    sn->total_record_count = (in->latest ? in->latest->total_record_count : 0) + sn->delta_record_count;
    if (in->latest && in->latest->has_next_row_id) {
        sn->has_next_row_id = true;
        sn->next_row_id = in->latest->next_row_id;
    }
    rc = 0;
out:
    if (rc)
        paimon_write_plan_clear(out);
    paimon_manifest_entries_free(entries, nentries);
    for (size_t i = 0; i < ng; i++) {
        mc_buf_free(&gs[i].partition);
        free(gs[i].rows);
    }
    free(gs);
    layout_free(&l);
    return rc;
}
