/* paimon/scan: see scan.h. Section numbers: reference/paimon-format.md. */
#include "paimon/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/avro.h"
#include "paimon/avro_data.h"
#include "paimon/binrow.h"
#include "paimon/parquet.h"
#include "paimon/partition.h"
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
    memset(st, 0, sizeof *st);
    st->snap = snap;
    if (!snap)
        return 0;
    int rc = read_list(io, snap->base_manifest_list, st, err);
    if (rc == 0)
        rc = read_list(io, snap->delta_manifest_list, st, err);
    paimon_manifest_entry *all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < st->nmetas && rc == 0; i++) {
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
    if (rc)
        paimon_table_state_clear(st);
    return rc;
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

/* ---- rows ----------------------------------------------------------------------- */

struct paimon_scan {
    paimon_fileio io;
    const paimon_schema *schema;
    const paimon_table_state *st;
    size_t next_file;
    paimon_schema **old;           /* schemas of older files, by id (cache) */
    size_t nold;
    /* the current file */
    mc_buf data;
    paimon_avro_file *avro;
    paimon_parquet_reader *parquet;
    paimon_field *pq_fields;       /* current fields under the file's names (parquet) */
    paimon_avro_value rec;
    bool has_rec;
    int *pos;                      /* current field -> record field, -1 when the file lacks it */
    paimon_datum *row;
};

int paimon_scan_open(paimon_scan **out, const paimon_fileio *io, const paimon_schema *schema,
                     const paimon_table_state *st, mc_err *err)
{
    *out = NULL;
    if (schema->nprimary_keys)
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "reading primary-key tables is not supported yet (merge-on-read is not implemented)");
    paimon_scan *s = mc_calloc(1, sizeof *s);
    s->io = *io;
    s->schema = schema;
    s->st = st;
    s->pos = mc_calloc(schema->nfields + 1, sizeof *s->pos);
    s->row = mc_calloc(schema->nfields + 1, sizeof *s->row);
    *out = s;
    return 0;
}

static void release_file(paimon_scan *s)
{
    if (s->has_rec)
        paimon_avro_value_clear(&s->rec);
    s->has_rec = false;
    paimon_avro_file_close(s->avro);
    s->avro = NULL;
    paimon_parquet_reader_close(s->parquet);
    s->parquet = NULL;
    free(s->pq_fields);
    s->pq_fields = NULL;
    mc_buf_free(&s->data);
}

void paimon_scan_close(paimon_scan *s)
{
    if (!s)
        return;
    release_file(s);
    for (size_t i = 0; i < s->nold; i++)
        paimon_schema_free(s->old[i]);
    free(s->old);
    free(s->pos);
    free(s->row);
    free(s);
}

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

static int open_next_file(paimon_scan *s, mc_err *err)
{
    const paimon_manifest_entry *e = &s->st->live[s->next_file++];
    const paimon_data_file_meta *f = &e->file;
    mc_buf part = MC_BUF_INIT, path = MC_BUF_INIT;
    const paimon_schema *fs = NULL;
    int rc = paimon_partition_path_of(&part, s->schema, &e->partition, err);
    if (rc == 0 && f->external_path)
        rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "data file %s has an external path, which is not supported yet",
                        f->file_name);
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
    if (rc == 0)
        rc = s->io.read(s->io.ud, rel, &s->data, err);
    if (rc == 0 && avro) {
        rc = paimon_avro_file_open(&s->avro, (const uint8_t *)s->data.data, s->data.len, err);
        if (rc == 0) {
            const paimon_avro_node *root = paimon_avro_file_schema(s->avro)->root;
            for (size_t i = 0; i < s->schema->nfields; i++) {
                const char *name = name_in(fs, s->schema->fields[i].id);
                s->pos[i] = name ? paimon_avro_node_field(root, name) : -1;
            }
        }
    } else if (rc == 0) {
        /* Parquet matches by field id, else by the name the file's schema used (§9). */
        s->pq_fields = mc_calloc(s->schema->nfields + 1, sizeof *s->pq_fields);
        for (size_t i = 0; i < s->schema->nfields; i++) {
            s->pq_fields[i] = s->schema->fields[i];
            const char *name = name_in(fs, s->schema->fields[i].id);
            s->pq_fields[i].name = (char *)(name ? name : s->schema->fields[i].name);
        }
        rc = paimon_parquet_reader_open(&s->parquet, (const uint8_t *)s->data.data, s->data.len, s->pq_fields,
                                        s->schema->nfields, err);
    }
    if (rc)
        mc_err_prefix(err, "data file %s", f->file_name);
    mc_buf_free(&part);
    mc_buf_free(&path);
    return rc;
}

int paimon_scan_next(paimon_scan *s, const paimon_datum **row, mc_err *err)
{
    for (;;) {
        if (s->has_rec) {
            paimon_avro_value_clear(&s->rec);
            s->has_rec = false;
        }
        if (s->avro) {
            memset(&s->rec, 0, sizeof s->rec);
            int r = paimon_avro_file_next(s->avro, &s->rec, err);
            if (r < 0)
                return -1;
            if (r > 0) {
                s->has_rec = true;
                const paimon_schema *sc = s->schema;
                for (size_t i = 0; i < sc->nfields; i++) {
                    /* A column the file lacks reads as NULL (schema evolution, §9). */
                    const paimon_avro_value *v = s->pos[i] >= 0 ? &s->rec.items[s->pos[i]] : NULL;
                    if (!v || v->kind == PAIMON_AVRO_NULL)
                        s->row[i] = paimon_datum_null();
                    else if (paimon_avro_to_datum(&s->row[i], sc->fields[i].type, v, err))
                        return -1;
                }
                *row = s->row;
                return 1;
            }
            release_file(s);
        }
        if (s->parquet) {
            int r = paimon_parquet_reader_next(s->parquet, row, err);
            if (r != 0)
                return r;
            release_file(s);
        }
        if (s->next_file >= s->st->nlive)
            return 0;
        if (open_next_file(s, err))
            return -1;
    }
}
