/* paimon/scan: see scan.h. Section numbers: reference/paimon-format.md. */
#include "paimon/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paimon/avro.h"
#include "paimon/avro_data.h"
#include "paimon/binrow.h"
#include "paimon/dv.h"
#include "paimon/kmerge.h"
#include "paimon/merge.h"
#include "paimon/parquet.h"
#include "paimon/partition.h"
#include "paimon/writer.h"
#include "strutil.h"

/* ---- planning ------------------------------------------------------------------- */

void paimon_table_state_clear(paimon_table_state *st)
{
    paimon_snapshot_free(st->snap);
    paimon_manifest_file_metas_free(st->metas, st->nmetas);
    paimon_manifest_entries_free(st->live, st->nlive);
    memset(st, 0, sizeof *st);
}

static int read_list(const paimon_fileio *io, const char *name, paimon_table_state *st, mc_err *err)
{
    char *rel = mc_asprintf("manifest/%s", name);
    mc_buf b = MC_BUF_INIT;
    paimon_manifest_file_meta *m = NULL;
    size_t n = 0;
    int rc = io->read(io->ud, rel, &b, err);
    if (rc == 0)
        rc = paimon_manifest_list_read(&m, &n, (const uint8_t *)b.data, b.len, err);
    if (rc == 0) {
        st->metas = mc_realloc(st->metas, (st->nmetas + n + 1) * sizeof *st->metas);
        if (n)
            memcpy(st->metas + st->nmetas, m, n * sizeof *m);
        st->nmetas += n;
        free(m);
    } else {
        mc_err_prefix(err, "manifest list %s", name);
    }
    mc_buf_free(&b);
    free(rel);
    return rc;
}

int paimon_table_state_load(paimon_table_state *st, const paimon_fileio *io, paimon_snapshot *snap, mc_err *err)
{
    return paimon_table_state_load_where(st, io, snap, NULL, NULL, NULL, err);
}

int paimon_table_state_load_where(paimon_table_state *st, const paimon_fileio *io, paimon_snapshot *snap,
                                  const paimon_schema *s, const paimon_pred *p, paimon_plan_stats *stats,
                                  mc_err *err)
{
    memset(st, 0, sizeof *st);
    paimon_plan_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    st->snap = snap;
    if (!snap)
        return 0;
    int rc = read_list(io, snap->base_manifest_list, st, err);
    if (rc == 0)
        rc = read_list(io, snap->delta_manifest_list, st, err);
    stats->manifests = st->nmetas;
    paimon_manifest_entry *all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < st->nmetas && rc == 0; i++) {
        bool may = true;
        if (p && (rc = paimon_pred_may_match_manifest(&may, p, &st->metas[i], err)) != 0)
            break;
        if (!may) {
            stats->manifests_skipped++;
            continue;
        }
        char *rel = mc_asprintf("manifest/%s", st->metas[i].file_name);
        mc_buf b = MC_BUF_INIT;
        paimon_manifest_entry *e = NULL;
        size_t n = 0;
        rc = io->read(io->ud, rel, &b, err);
        if (rc == 0)
            rc = paimon_manifest_read(&e, &n, (const uint8_t *)b.data, b.len, err);
        if (rc == 0) {
            all = mc_realloc(all, (nall + n + 1) * sizeof *all);
            if (n)
                memcpy(all + nall, e, n * sizeof *e);
            nall += n;
            free(e);
        } else {
            mc_err_prefix(err, "manifest %s", st->metas[i].file_name);
        }
        mc_buf_free(&b);
        free(rel);
    }
    if (rc == 0)
        rc = paimon_manifest_entries_merge(&st->live, &st->nlive, all, nall, err);
    paimon_manifest_entries_free(all, nall);
    stats->files = st->nlive;
    if (rc == 0 && p)
        rc = paimon_table_state_prune(st, s, p, &stats->files_dropped, err);
    if (rc)
        paimon_table_state_clear(st);
    return rc;
}

int paimon_table_state_prune(paimon_table_state *st, const paimon_schema *s, const paimon_pred *p,
                             size_t *dropped, mc_err *err)
{
    size_t keep = 0;
    *dropped = 0;
    for (size_t i = 0; i < st->nlive; i++) {
        bool may = true;
        if (paimon_pred_may_match(&may, p, &st->live[i], s->nprimary_keys == 0, err))
            return -1;
        if (may) {
            st->live[keep++] = st->live[i];
        } else {
            free(st->live[i].partition.data);
            paimon_data_file_meta_clear(&st->live[i].file);
            (*dropped)++;
        }
    }
    st->nlive = keep;
    return 0;
}

int paimon_partition_path_of(mc_buf *out, const paimon_schema *s, const paimon_bytes *partition, mc_err *err)
{
    size_t n = s->npartition_keys;
    if (n == 0)
        return 0;
    const paimon_type **types = mc_calloc(n, sizeof *types);
    paimon_datum *vals = mc_calloc(n, sizeof *vals);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int idx = paimon_schema_field_index(s, s->partition_keys[i]);
        if (idx < 0)
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "partition key %s is not a field", s->partition_keys[i]);
        else
            types[i] = s->fields[idx].type;
    }
    if (rc == 0)
        rc = paimon_binrow_read_serialized(vals, types, n, partition->data, partition->len, err);
    if (rc == 0)
        paimon_partition_path(out, s->partition_keys, types, vals, n,
                              paimon_schema_option(s, "partition.default-name"));
    free(types);
    free(vals);
    return rc;
}

/* ---- one data file's rows -------------------------------------------------------- */

/* Key-value files (§6.2) carry _SEQUENCE_NUMBER and _VALUE_KIND besides the
 * table's columns; a reader for them hands out nfields + 2 values. */
#define SEQ_FIELD_ID 2147483646
#define KIND_FIELD_ID 2147483645

/* What a ranged Parquet read fetches through (heap: stays put while the reader lives). */
typedef struct {
    paimon_read_range_fn read_range;
    void *ud;
    char *rel;
} range_src;

typedef struct {
    mc_buf data;
    range_src *src;         /* ranged Parquet reads */
    paimon_avro_file *avro;
    paimon_avro_value rec;
    bool has_rec;
    paimon_parquet_reader *parquet;
    paimon_field *fields;   /* requested columns under the file's names */
    size_t nfields;
    int *pos;               /* avro: requested column -> record field, -1 when absent */
    paimon_datum *row;
    int64_t position;       /* 0-based row number of the last row handed out */
} file_reader;

/* A sorted run being read: its files one after another. */
typedef struct {
    const paimon_sorted_run *run;
    size_t next_file;
    file_reader fr;
    bool open;
    paimon_dv dv; /* of the open file */
} run_reader;

static void fr_close(file_reader *r)
{
    if (r->has_rec)
        paimon_avro_value_clear(&r->rec);
    paimon_avro_file_close(r->avro);
    paimon_parquet_reader_close(r->parquet);
    mc_buf_free(&r->data);
    if (r->src)
        free(r->src->rel);
    free(r->src);
    free(r->fields);
    free(r->pos);
    free(r->row);
    memset(r, 0, sizeof *r);
}

struct paimon_scan {
    paimon_fileio io;
    const paimon_schema *schema;
    const paimon_table_state *st;
    paimon_schema **old;           /* schemas of older files, by id (cache) */
    size_t nold;
    size_t next_file;
    file_reader fr;
    bool open;
    bool *want;                    /* projection (paimon_scan_project); NULL: every field */
    paimon_read_range_fn read_range; /* NULL: files are read whole */
    /* primary-key tables */
    bool pk, raw_levels;           /* raw_levels: DV / first-row reads (skip level 0, no merge) */
    paimon_dv dv;                  /* deletion vector of the open file */
    paimon_index_manifest_entry *index;
    size_t nindex;
    int *key_idx;                  /* trimmed primary key as field indices */
    size_t nkey;
    paimon_merge *merge;           /* the table's merge engine (merge-on-read) */
    bool *group_done;              /* per live entry: its bucket is merged or being merged */
    /* merge-on-read of one (partition, bucket), a section at a time */
    bool in_bucket;
    int32_t bucket;                /* of the bucket being merged, for errors */
    size_t *bfiles;                /* the bucket's live entries */
    paimon_datum *keys;            /* per bucket file: min key, then max key (nkey datums each) */
    paimon_section *sections;
    size_t nsections, next_section;
    run_reader *runs;              /* of the open section */
    size_t nruns, open_files;
    paimon_kmerge *km;
    paimon_kv *kvs;                /* the versions being merged */
    size_t capkvs;
    paimon_datum *out;             /* the merged row handed out: fields, _SEQUENCE_NUMBER, _VALUE_KIND */
    bool retain;                   /* rows stay valid until close (paimon_scan_open_bucket) */
    paimon_datum **kept;
    size_t nkept, capkept;
    paimon_merge_stats stats;
};

/* The schema a file was written with (§9: map columns by field id). */
static int file_schema(paimon_scan *s, int64_t id, const paimon_schema **out, mc_err *err)
{
    if (id == s->schema->id) {
        *out = s->schema;
        return 0;
    }
    for (size_t i = 0; i < s->nold; i++)
        if (s->old[i]->id == id) {
            *out = s->old[i];
            return 0;
        }
    char *rel = mc_asprintf("schema/schema-%lld", (long long)id);
    mc_buf b = MC_BUF_INIT;
    paimon_schema *sc = NULL;
    int rc = s->io.read(s->io.ud, rel, &b, err);
    if (rc == 0)
        rc = paimon_schema_parse(&sc, b.data, b.len, err);
    if (rc)
        mc_err_prefix(err, "schema %lld", (long long)id);
    mc_buf_free(&b);
    free(rel);
    if (rc)
        return -1;
    s->old = mc_realloc(s->old, (s->nold + 1) * sizeof *s->old);
    s->old[s->nold++] = sc;
    *out = sc;
    return 0;
}

static const char *name_in(const paimon_schema *fs, int32_t field_id)
{
    for (size_t i = 0; i < fs->nfields; i++)
        if (fs->fields[i].id == field_id)
            return fs->fields[i].name;
    return NULL;
}

static paimon_type seq_type = {.id = PAIMON_BIGINT};
static paimon_type kind_type = {.id = PAIMON_TINYINT};

static int fetch_range(void *ud, uint64_t off, size_t len, mc_buf *out, mc_err *err)
{
    const range_src *src = ud;
    return src->read_range(src->ud, src->rel, off, len, out, err);
}

static int fr_open(paimon_scan *s, file_reader *r, const paimon_manifest_entry *e, bool kv, mc_err *err)
{
    memset(r, 0, sizeof *r);
    const paimon_data_file_meta *f = &e->file;
    mc_buf part = MC_BUF_INIT, path = MC_BUF_INIT;
    const paimon_schema *fs = NULL;
    int rc = paimon_partition_path_of(&part, s->schema, &e->partition, err);
    if (rc == 0 && f->external_path)
        rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "data files with an external path are not supported yet");
    if (rc == 0)
        paimon_data_file_path(&path, "", mc_buf_cstr(&part), e->bucket, f->file_name, NULL);
    const char *rel = mc_buf_cstr(&path);
    while (*rel == '/')
        rel++;
    bool avro = mc_str_ends_with(f->file_name, ".avro"), parquet = mc_str_ends_with(f->file_name, ".parquet");
    if (rc == 0 && !avro && !parquet)
        rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "reading %s data files is not supported yet",
                        mc_str_ends_with(f->file_name, ".orc") ? "ORC" : "these");
    if (rc == 0)
        rc = file_schema(s, f->schema_id, &fs, err);
    bool ranged = false;
    for (size_t i = 0; s->want && i < s->schema->nfields; i++)
        ranged |= !s->want[i] && name_in(fs, s->schema->fields[i].id);
    ranged = ranged && parquet && s->read_range;
    if (rc == 0 && !ranged)
        rc = s->io.read(s->io.ud, rel, &r->data, err);
    if (rc == 0) {
        /* The current columns under the names the file's schema used (§9), then the system columns. */
        size_t nf = s->schema->nfields;
        r->nfields = nf + (kv ? 2 : 0);
        r->fields = mc_calloc(r->nfields + 1, sizeof *r->fields);
        for (size_t i = 0; i < nf; i++) {
            r->fields[i] = s->schema->fields[i];
            const char *name = name_in(fs, s->schema->fields[i].id);
            if (s->want && !s->want[i])
                name = NULL; /* projected out: reads as NULL, never decoded */
            r->fields[i].name = (char *)(name ? name : "");
            if (!name)
                r->fields[i].id = -1; /* added after this file: reads as NULL */
        }
        if (kv) {
            r->fields[nf] = (paimon_field){SEQ_FIELD_ID, "_SEQUENCE_NUMBER", &seq_type, NULL, NULL};
            r->fields[nf + 1] = (paimon_field){KIND_FIELD_ID, "_VALUE_KIND", &kind_type, NULL, NULL};
        }
        r->row = mc_calloc(r->nfields + 1, sizeof *r->row);
        r->position = -1;
    }
    if (rc == 0 && avro) {
        rc = paimon_avro_file_open(&r->avro, (const uint8_t *)r->data.data, r->data.len, err);
        if (rc == 0) {
            const paimon_avro_node *root = paimon_avro_file_schema(r->avro)->root;
            r->pos = mc_calloc(r->nfields + 1, sizeof *r->pos);
            for (size_t i = 0; i < r->nfields; i++)
                r->pos[i] = r->fields[i].name[0] ? paimon_avro_node_field(root, r->fields[i].name) : -1;
        }
    } else if (rc == 0 && ranged) {
        r->src = mc_calloc(1, sizeof *r->src);
        r->src->read_range = s->read_range;
        r->src->ud = s->io.ud;
        r->src->rel = mc_strdup(rel);
        rc = paimon_parquet_reader_open_ranged(&r->parquet, (uint64_t)f->file_size, fetch_range, r->src, r->fields,
                                               r->nfields, err);
    } else if (rc == 0) {
        rc = paimon_parquet_reader_open(&r->parquet, (const uint8_t *)r->data.data, r->data.len, r->fields,
                                        r->nfields, err);
    }
    if (rc) {
        mc_err_prefix(err, "data file %s", f->file_name);
        fr_close(r);
    }
    mc_buf_free(&part);
    mc_buf_free(&path);
    return rc;
}

static int fr_next(file_reader *r, const paimon_datum **row, mc_err *err)
{
    if (r->parquet) {
        int rc = paimon_parquet_reader_next(r->parquet, row, err);
        if (rc > 0)
            r->position++;
        return rc;
    }
    if (r->has_rec) {
        paimon_avro_value_clear(&r->rec);
        r->has_rec = false;
    }
    memset(&r->rec, 0, sizeof r->rec);
    int rc = paimon_avro_file_next(r->avro, &r->rec, err);
    if (rc <= 0)
        return rc;
    r->has_rec = true;
    for (size_t i = 0; i < r->nfields; i++) {
        /* A column the file lacks reads as NULL (schema evolution, §9). */
        const paimon_avro_value *v = r->pos[i] >= 0 ? &r->rec.items[r->pos[i]] : NULL;
        if (!v || v->kind == PAIMON_AVRO_NULL)
            r->row[i] = paimon_datum_null();
        else if (paimon_avro_to_datum(&r->row[i], r->fields[i].type, v, err))
            return -1;
    }
    r->position++;
    *row = r->row;
    return 1;
}

/* ---- scans ---------------------------------------------------------------------- */

static bool option_true(const paimon_schema *s, const char *key)
{
    const char *v = paimon_schema_option(s, key);
    return v && !strcasecmp(v, "true");
}

/* Live deletion-vector index entries of the snapshot (§6.4). */
static int load_index(paimon_scan *s, mc_err *err)
{
    const paimon_snapshot *snap = s->st->snap;
    if (!snap || !snap->index_manifest)
        return 0;
    char *rel = mc_asprintf("manifest/%s", snap->index_manifest);
    mc_buf b = MC_BUF_INIT;
    paimon_index_manifest_entry *e = NULL;
    size_t n = 0;
    int rc = s->io.read(s->io.ud, rel, &b, err);
    if (rc == 0)
        rc = paimon_index_manifest_read(&e, &n, (const uint8_t *)b.data, b.len, err);
    mc_buf_free(&b);
    free(rel);
    if (rc)
        return mc_err_prefix(err, "index manifest %s", snap->index_manifest);
    s->index = e;
    s->nindex = n;
    return 0;
}

/* merge_all: merge every level of a primary-key table (a compaction's
 * read), whatever its engine or deletion vectors. */
static int scan_open(paimon_scan **out, const paimon_fileio *io, const paimon_schema *schema,
                     const paimon_table_state *st, bool merge_all, mc_err *err)
{
    *out = NULL;
    paimon_scan *s = mc_calloc(1, sizeof *s);
    s->io = *io;
    s->schema = schema;
    s->st = st;
    int rc = 0;
    if (schema->nprimary_keys) {
        s->pk = true;
        const char *engine = paimon_schema_option(schema, "merge-engine");
        bool first_row = engine && !strcasecmp(engine, "first-row");
        /* DV and first-row tables: batch reads skip level 0 and read raw (§6.3). */
        s->raw_levels = !merge_all && (first_row || (option_true(schema, "deletion-vectors.enabled") &&
                                                     !option_true(schema, "deletion-vectors.merge-on-read")));
        if (!s->raw_levels)
            rc = paimon_merge_new(&s->merge, schema, err);
        s->key_idx = mc_calloc(schema->nprimary_keys + 1, sizeof *s->key_idx);
        if (rc == 0)
            s->nkey = (size_t)paimon_schema_trimmed_pk(s->key_idx, schema);
        /* Deletion vectors apply to every read of the table's files: raw
         * reads, and merges over all levels (a compaction) too, where a
         * row a vector deletes was already folded into a newer row. */
        if (rc == 0 && option_true(schema, "deletion-vectors.enabled"))
            rc = load_index(s, err);
        s->group_done = mc_calloc(st->nlive + 1, sizeof *s->group_done);
    }
    if (rc) {
        paimon_scan_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

int paimon_scan_open(paimon_scan **out, const paimon_fileio *io, const paimon_schema *schema,
                     const paimon_table_state *st, mc_err *err)
{
    return scan_open(out, io, schema, st, false, err);
}

int paimon_scan_open_bucket(paimon_scan **out, const paimon_fileio *io, const paimon_schema *schema,
                            const paimon_table_state *st, const paimon_bytes *partition, int32_t bucket,
                            mc_err *err)
{
    if (!schema->nprimary_keys)
        return mc_err_set(err, MC_ERR_INVALID, "reading one bucket merged needs a primary-key table");
    if (scan_open(out, io, schema, st, true, err))
        return -1;
    (*out)->retain = true;
    for (size_t i = 0; i < st->nlive; i++) {
        const paimon_manifest_entry *e = &st->live[i];
        (*out)->group_done[i] = e->bucket != bucket || e->partition.len != partition->len ||
                                (partition->len && memcmp(e->partition.data, partition->data, partition->len));
    }
    return 0;
}

static void close_section(paimon_scan *s)
{
    paimon_kmerge_close(s->km);
    s->km = NULL;
    for (size_t i = 0; i < s->nruns; i++) {
        fr_close(&s->runs[i].fr);
        paimon_dv_clear(&s->runs[i].dv);
    }
    free(s->runs);
    s->runs = NULL;
    s->nruns = s->open_files = 0;
}

static void close_bucket(paimon_scan *s)
{
    close_section(s);
    paimon_sections_free(s->sections, s->nsections);
    s->sections = NULL;
    s->nsections = s->next_section = 0;
    free(s->bfiles);
    free(s->keys);
    s->bfiles = NULL;
    s->keys = NULL;
    s->in_bucket = false;
}

void paimon_scan_close(paimon_scan *s)
{
    if (!s)
        return;
    fr_close(&s->fr);
    paimon_dv_clear(&s->dv);
    close_bucket(s);
    for (size_t i = 0; i < s->nkept; i++)
        free(s->kept[i]);
    free(s->kept);
    free(s->out);
    free(s->kvs);
    paimon_index_manifest_entries_free(s->index, s->nindex);
    for (size_t i = 0; i < s->nold; i++)
        paimon_schema_free(s->old[i]);
    free(s->old);
    free(s->key_idx);
    free(s->want);
    free(s->group_done);
    paimon_merge_free(s->merge);
    free(s);
}

const paimon_merge_stats *paimon_scan_merge_stats(const paimon_scan *s) { return &s->stats; }
void paimon_scan_project(paimon_scan *s, const bool *want)
{
    size_t nf = s->schema->nfields;
    free(s->want);
    s->want = NULL;
    if (!want)
        return;
    s->want = mc_calloc(nf + 1, sizeof *s->want);
    memcpy(s->want, want, nf * sizeof *want);
    for (size_t k = 0; k < s->nkey; k++)
        s->want[s->key_idx[k]] = true;
    if (s->merge)
        paimon_merge_fields_needed(s->merge, s->want);
}

void paimon_scan_read_ranges(paimon_scan *s, paimon_read_range_fn read_range)
{
    s->read_range = read_range;
}

void paimon_scan_skip_files(paimon_scan *s, int64_t n, int64_t *skipped)
{
    *skipped = 0;
    if (s->pk || s->open || s->next_file)
        return;
    /* Append reads hand out every row of a file (no deletion vectors on
     * this path), so its manifest row count is its rows here. */
    while (s->next_file < s->st->nlive && s->st->live[s->next_file].file.row_count <= n - *skipped)
        *skipped += s->st->live[s->next_file++].file.row_count;
}

static bool same_bucket(const paimon_manifest_entry *a, const paimon_manifest_entry *b)
{
    return a->bucket == b->bucket && a->partition.len == b->partition.len &&
           (a->partition.len == 0 || !memcmp(a->partition.data, b->partition.data, a->partition.len));
}

/* The deletion vector of the file an entry names into *dv, if its bucket has one. */
static int load_dv(paimon_scan *s, paimon_dv *dv, const paimon_manifest_entry *e, mc_err *err)
{
    paimon_dv_clear(dv);
    for (size_t i = 0; i < s->nindex; i++) {
        const paimon_index_manifest_entry *ix = &s->index[i];
        if (ix->kind != PAIMON_FILE_ADD || strcmp(ix->index_type, "DELETION_VECTORS") != 0 ||
            ix->bucket != e->bucket || ix->partition.len != e->partition.len ||
            (ix->partition.len && memcmp(ix->partition.data, e->partition.data, ix->partition.len)))
            continue;
        for (size_t k = 0; k < ix->n_dv_ranges; k++) {
            const paimon_dv_range *r = &ix->dv_ranges[k];
            if (strcmp(r->data_file, e->file.file_name) != 0)
                continue;
            char *rel = mc_asprintf("index/%s", ix->file_name);
            mc_buf b = MC_BUF_INIT;
            int rc = s->io.read(s->io.ud, rel, &b, err);
            if (rc == 0)
                rc = paimon_dv_read(dv, (const uint8_t *)b.data, b.len, r->offset, r->length, err);
            mc_buf_free(&b);
            free(rel);
            return rc ? mc_err_prefix(err, "deletion vector of %s", e->file.file_name) : 0;
        }
    }
    return 0;
}

/* The trimmed primary keys of two rows, a's key fields at ia[], b's at ib[]. */
static int keys_compare(const paimon_scan *s, const paimon_datum *a, const int *ia, const paimon_datum *b,
                        const int *ib)
{
    for (size_t k = 0; k < s->nkey; k++) {
        const paimon_datum *x = &a[ia ? ia[k] : (int)k], *y = &b[ib ? ib[k] : (int)k];
        if (x->is_null != y->is_null)
            return x->is_null ? -1 : 1;
        if (!x->is_null) {
            int c = paimon_datum_compare(s->schema->fields[s->key_idx[k]].type, x, y);
            if (c)
                return c;
        }
    }
    return 0;
}

/* Rows (table fields, _SEQUENCE_NUMBER, _VALUE_KIND) by key. */
static int row_key_cmp(void *ctx, const paimon_datum *a, const paimon_datum *b)
{
    const paimon_scan *s = ctx;
    return keys_compare(s, a, s->key_idx, b, s->key_idx);
}

/* Files' min/max keys (nkey datums). */
static int file_key_cmp(void *ctx, const paimon_datum *a, const paimon_datum *b)
{
    return keys_compare(ctx, a, NULL, b, NULL);
}

/* A read row as a version. */
static paimon_kv kv_of(const paimon_scan *s, const paimon_datum *row)
{
    size_t nf = s->schema->nfields;
    return (paimon_kv){row, row[nf].i, (int)row[nf + 1].i};
}

static int row_version_cmp(void *ctx, const paimon_datum *a, const paimon_datum *b)
{
    const paimon_scan *s = ctx;
    paimon_kv x = kv_of(s, a), y = kv_of(s, b);
    return paimon_merge_version_cmp(s->merge, &x, &y);
}

/* paimon_run_next_fn over the open section's runs: a run's files in key
 * order, one open at a time, rows its deletion vector drops skipped. */
static int run_next(void *ud, size_t i, const paimon_datum **row, mc_err *err)
{
    paimon_scan *s = ud;
    run_reader *rr = &s->runs[i];
    for (;;) {
        if (rr->open) {
            int r;
            while ((r = fr_next(&rr->fr, row, err)) > 0)
                if (!rr->dv.n || !paimon_dv_contains(&rr->dv, (uint64_t)rr->fr.position))
                    return 1; /* else deleted by the file's deletion vector (§6.4) */
            if (r < 0)
                return -1;
            fr_close(&rr->fr);
            rr->open = false;
            s->open_files--;
        }
        if (rr->next_file == rr->run->n)
            return 0;
        const paimon_manifest_entry *e = &s->st->live[s->bfiles[rr->run->files[rr->next_file++]]];
        if (load_dv(s, &rr->dv, e, err) || fr_open(s, &rr->fr, e, true, err))
            return -1;
        rr->open = true;
        if (++s->open_files > s->stats.max_open_files)
            s->stats.max_open_files = s->open_files;
    }
}

/* Starts merge-on-read of the bucket of live entry `first` (§6.3): its
 * files are cut into sections of sorted runs by their key ranges (Java's
 * IntervalPartition, as MergeFileSplitRead reads), merged a section at a
 * time. */
static int open_bucket(paimon_scan *s, size_t first, mc_err *err)
{
    const paimon_manifest_entry *e0 = &s->st->live[first];
    size_t n = 0, nkey = s->nkey;
    s->bfiles = mc_calloc(s->st->nlive + 1, sizeof *s->bfiles);
    for (size_t i = first; i < s->st->nlive; i++)
        if (!s->group_done[i] && same_bucket(&s->st->live[i], e0)) {
            s->group_done[i] = true;
            s->bfiles[n++] = i;
        }
    s->in_bucket = true;
    s->bucket = e0->bucket;
    const paimon_type **types = mc_calloc(nkey + 1, sizeof *types);
    for (size_t k = 0; k < nkey; k++)
        types[k] = s->schema->fields[s->key_idx[k]].type;
    s->keys = mc_calloc(2 * n * nkey + 1, sizeof *s->keys);
    const paimon_datum **min = mc_calloc(n + 1, sizeof *min), **max = mc_calloc(n + 1, sizeof *max);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const paimon_data_file_meta *f = &s->st->live[s->bfiles[i]].file;
        paimon_datum *lo = s->keys + 2 * i * nkey, *hi = lo + nkey;
        min[i] = lo;
        max[i] = hi;
        /* Key datums point into the entry's bytes, which outlive the scan. */
        rc = paimon_binrow_read_serialized(lo, types, nkey, f->min_key.data, f->min_key.len, err);
        if (rc == 0)
            rc = paimon_binrow_read_serialized(hi, types, nkey, f->max_key.data, f->max_key.len, err);
        if (rc)
            mc_err_prefix(err, "key range of data file %s", f->file_name);
    }
    if (rc == 0) {
        paimon_interval_partition(&s->sections, &s->nsections, min, max, n, file_key_cmp, s);
        s->stats.sections += s->nsections;
    }
    free(types);
    free(min);
    free(max);
    return rc;
}

static int open_section(paimon_scan *s, const paimon_section *sec, mc_err *err)
{
    s->runs = mc_calloc(sec->nruns + 1, sizeof *s->runs);
    s->nruns = sec->nruns;
    for (size_t i = 0; i < sec->nruns; i++)
        s->runs[i].run = &sec->runs[i];
    if (sec->nruns > s->stats.max_runs)
        s->stats.max_runs = sec->nruns;
    paimon_kmerge_source src = {s->schema->nfields + 2, row_key_cmp, row_version_cmp, s, run_next, s};
    return paimon_kmerge_open(&s->km, &src, sec->nruns, err);
}

/* Merges the versions of one key with the table's merge engine into s->out;
 * 1 when the result is visible (+I/+U), 0 when the key is deleted (§6.3). */
static int merge_key(paimon_scan *s, const paimon_datum *const *versions, size_t n, mc_err *err)
{
    size_t nf = s->schema->nfields;
    if (n > s->capkvs) {
        s->capkvs = 2 * n;
        s->kvs = mc_realloc(s->kvs, s->capkvs * sizeof *s->kvs);
    }
    for (size_t k = 0; k < n; k++)
        s->kvs[k] = kv_of(s, versions[k]);
    if (!s->out)
        s->out = mc_calloc(nf + 2, sizeof *s->out);
    memset(s->out, 0, (nf + 2) * sizeof *s->out);
    /* Values the previous merge produced die with the row handed out before. */
    paimon_merge_release(s->merge);
    paimon_kv res;
    int r = paimon_merge_key(s->merge, &res, s->out, s->kvs, n, err);
    if (r < 0)
        return -1;
    if (r == 0 || (res.kind != PAIMON_ROWKIND_INSERT && res.kind != PAIMON_ROWKIND_UPDATE_AFTER))
        return 0;
    s->out[nf] = paimon_datum_int(res.seq);
    s->out[nf + 1] = paimon_datum_int(res.kind);
    return 1;
}

/* The next merged row of the open bucket; 0 when the bucket is done. */
static int bucket_next(paimon_scan *s, const paimon_datum **row, mc_err *err)
{
    for (;;) {
        if (!s->km) {
            if (s->next_section == s->nsections) {
                close_bucket(s);
                return 0;
            }
            if (open_section(s, &s->sections[s->next_section++], err))
                goto fail;
        }
        const paimon_datum *const *versions;
        size_t n;
        int r = paimon_kmerge_next(s->km, &versions, &n, err);
        if (r < 0)
            goto fail;
        size_t peak = paimon_kmerge_peak_rows(s->km);
        if (peak > s->stats.max_rows)
            s->stats.max_rows = peak;
        if (r == 0) {
            close_section(s);
            continue;
        }
        if ((r = merge_key(s, versions, n, err)) < 0)
            goto fail;
        if (r == 0)
            continue;
        *row = s->out;
        if (s->retain) {
            if (s->nkept == s->capkept) {
                s->capkept = s->capkept ? 2 * s->capkept : 64;
                s->kept = mc_realloc(s->kept, s->capkept * sizeof *s->kept);
            }
            *row = s->kept[s->nkept++] = paimon_row_dup(s->out, s->schema->nfields + 2);
        }
        return 1;
    }
fail:
    return mc_err_prefix(err, "merging bucket %d", s->bucket);
}

int paimon_scan_next(paimon_scan *s, const paimon_datum **row, mc_err *err)
{
    for (;;) {
        if (s->in_bucket) {
            int r = bucket_next(s, row, err);
            if (r)
                return r;
        }
        if (s->open) {
            int r;
            while ((r = fr_next(&s->fr, row, err)) > 0)
                if (!s->dv.n || !paimon_dv_contains(&s->dv, (uint64_t)s->fr.position))
                    return 1;
            if (r < 0)
                return -1;
            fr_close(&s->fr);
            s->open = false;
        }
        if (s->next_file >= s->st->nlive)
            return 0;
        size_t i = s->next_file++;
        const paimon_manifest_entry *e = &s->st->live[i];
        if (!s->pk) {
            if (fr_open(s, &s->fr, e, false, err))
                return -1;
            s->open = true;
        } else if (s->raw_levels) {
            if (e->file.level == 0)
                continue; /* not yet compacted: invisible to batch reads (§6.3) */
            if (load_dv(s, &s->dv, e, err) || fr_open(s, &s->fr, e, true, err))
                return -1;
            s->open = true;
        } else if (!s->group_done[i]) {
            if (open_bucket(s, i, err))
                return mc_err_prefix(err, "merging bucket %d", e->bucket);
        }
    }
}
