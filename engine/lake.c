/* lake: see lake.h. Section numbers: reference/paimon-format.md unless noted. */
#include "lake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "client/oss_client.h"
#include "paimon/avro.h"
#include "paimon/avro_data.h"
#include "paimon/binrow.h"
#include "paimon/manifest.h"
#include "paimon/partition.h"
#include "paimon/snapshot.h"
#include "paimon/writer.h"
#include "timeutil.h"

#define TOKEN_REFRESH_MS (3600 * 1000LL) /* refresh when under an hour remains (paimon-rest.md §8) */
#define COMMIT_ATTEMPTS 5

struct lake {
    rest_catalog *cat;
    char *region, *oss_endpoint, *ca_file;
};

struct lake_table {
    lake *l;
    char *db, *name, *id, *path; /* path: oss://bucket/prefix */
    char *bucket, *root;         /* root: the key prefix of the table, no trailing '/' */
    json_t *meta;
    paimon_schema *schema;
    rest_data_token token;
    oss_client *io;
};

int lake_open(lake **out, const lake_config *cfg, mc_err *err)
{
    *out = NULL;
    rest_catalog_config rc = {
        .uri = cfg->dlf_endpoint,
        .warehouse = cfg->catalog,
        .region = cfg->region,
        .access_key_id = cfg->access_key_id,
        .access_key_secret = cfg->access_key_secret,
        .security_token = cfg->security_token,
        .ca_file = cfg->ca_file,
    };
    lake *l = mc_calloc(1, sizeof *l);
    if (rest_catalog_open(&l->cat, &rc, err)) {
        free(l);
        return -1;
    }
    l->region = mc_strdup(cfg->region && *cfg->region ? cfg->region : "cn-hangzhou");
    l->oss_endpoint = cfg->oss_endpoint && *cfg->oss_endpoint ? mc_strdup(cfg->oss_endpoint) : NULL;
    l->ca_file = cfg->ca_file ? mc_strdup(cfg->ca_file) : NULL;
    *out = l;
    return 0;
}

void lake_close(lake *l)
{
    if (!l)
        return;
    rest_catalog_close(l->cat);
    free(l->region);
    free(l->oss_endpoint);
    free(l->ca_file);
    free(l);
}

rest_catalog *lake_catalog(lake *l) { return l->cat; }

/* The REST Schema of a GetTableResponse as a schema file (§3) for the parser. */
static int schema_from_meta(paimon_schema **out, const json_t *meta, mc_err *err)
{
    const json_t *rs = json_object_get(meta, "schema");
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(3));
    json_object_set_new(o, "id", json_integer(json_integer_value(json_object_get(meta, "schemaId"))));
    json_object_set(o, "fields", json_object_get(rs, "fields"));
    json_int_t hi = -1;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(rs, "fields"), i, f) {
        if (json_integer_value(json_object_get(f, "id")) > hi)
            hi = json_integer_value(json_object_get(f, "id"));
    }
    json_object_set_new(o, "highestFieldId", json_integer(hi));
    json_object_set(o, "partitionKeys", json_object_get(rs, "partitionKeys"));
    json_object_set(o, "primaryKeys", json_object_get(rs, "primaryKeys"));
    json_object_set(o, "options", json_object_get(rs, "options"));
    if (json_is_string(json_object_get(rs, "comment")))
        json_object_set(o, "comment", json_object_get(rs, "comment"));
    json_object_set_new(o, "timeMillis", json_integer(0));
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    int rc = paimon_schema_parse(out, text, strlen(text), err);
    free(text);
    return rc;
}

int lake_table_load(lake *l, const char *db, const char *name, lake_table **out, mc_err *err)
{
    *out = NULL;
    json_t *meta;
    if (rest_get_table(l->cat, db, name, &meta, err))
        return -1;
    const char *path = json_string_value(json_object_get(meta, "path"));
    const char *id = json_string_value(json_object_get(meta, "id"));
    if (!path || !id || strncmp(path, "oss://", 6) != 0 || !strchr(path + 6, '/')) {
        json_decref(meta);
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "table %s.%s is not stored in OSS (path %s): only Paimon tables on DLF-managed OSS are "
                          "supported",
                          db, name, path ? path : "(none)");
    }
    lake_table *t = mc_calloc(1, sizeof *t);
    t->l = l;
    t->db = mc_strdup(db);
    t->name = mc_strdup(name);
    t->id = mc_strdup(id);
    t->path = mc_strdup(path);
    const char *slash = strchr(path + 6, '/');
    t->bucket = mc_strndup(path + 6, (size_t)(slash - path - 6));
    t->root = mc_strdup(slash + 1);
    size_t n = strlen(t->root);
    while (n && t->root[n - 1] == '/')
        t->root[--n] = '\0';
    t->meta = meta;
    if (schema_from_meta(&t->schema, meta, err)) {
        lake_table_free(t);
        return mc_err_prefix(err, "table %s.%s", db, name);
    }
    *out = t;
    return 0;
}

void lake_table_free(lake_table *t)
{
    if (!t)
        return;
    oss_client_free(t->io);
    rest_data_token_clear(&t->token);
    paimon_schema_free(t->schema);
    json_decref(t->meta);
    free(t->db);
    free(t->name);
    free(t->id);
    free(t->path);
    free(t->bucket);
    free(t->root);
    free(t);
}

const paimon_schema *lake_table_schema(const lake_table *t) { return t->schema; }
const json_t *lake_table_meta(const lake_table *t) { return t->meta; }

/* ---- token FileIO --------------------------------------------------------------- */

static int fileio(lake_table *t, oss_client **out, mc_err *err)
{
    if (t->io && t->token.expires_at_ms - mc_now_ms() > TOKEN_REFRESH_MS) {
        *out = t->io;
        return 0;
    }
    oss_client_free(t->io);
    t->io = NULL;
    rest_data_token_clear(&t->token);
    if (rest_table_token(t->l->cat, t->db, t->name, &t->token, err))
        return mc_err_prefix(err, "data token of %s.%s", t->db, t->name);
    oss_client_config c = {
        .endpoint = t->l->oss_endpoint ? t->l->oss_endpoint : t->token.endpoint,
        .region = t->token.region ? t->token.region : t->l->region,
        .access_key_id = t->token.access_key_id,
        .access_key_secret = t->token.access_key_secret,
        .security_token = t->token.security_token,
        .path_style = -1,
        .ca_file = t->l->ca_file,
    };
    if (oss_client_new(&t->io, &c, err))
        return mc_err_prefix(err, "data token of %s.%s", t->db, t->name);
    *out = t->io;
    return 0;
}

static int read_file(lake_table *t, const char *rel, mc_buf *out, mc_err *err)
{
    oss_client *io;
    if (fileio(t, &io, err))
        return -1;
    char *key = mc_asprintf("%s/%s", t->root, rel);
    int rc = oss_client_get(io, t->bucket, key, 0, -1, out, err);
    if (rc)
        mc_err_prefix(err, "reading oss://%s/%s", t->bucket, key);
    free(key);
    return rc;
}

static int write_file(lake_table *t, const char *rel, const mc_buf *data, mc_err *err)
{
    oss_client *io;
    if (fileio(t, &io, err))
        return -1;
    char *key = mc_asprintf("%s/%s", t->root, rel);
    int rc = oss_client_put(io, t->bucket, key, data->data ? data->data : "", data->len, NULL, NULL, err);
    if (rc)
        mc_err_prefix(err, "writing oss://%s/%s", t->bucket, key);
    free(key);
    return rc;
}

/* ---- snapshot state ------------------------------------------------------------- */

typedef struct {
    paimon_snapshot *snap;              /* NULL: empty table */
    paimon_manifest_file_meta *metas;   /* base + delta manifest-list records */
    size_t nmetas;
    paimon_manifest_entry *live;        /* reconciled entries */
    size_t nlive;
} table_state;

static void state_clear(table_state *s)
{
    paimon_snapshot_free(s->snap);
    paimon_manifest_file_metas_free(s->metas, s->nmetas);
    paimon_manifest_entries_free(s->live, s->nlive);
    memset(s, 0, sizeof *s);
}

static int read_list(lake_table *t, const char *name, table_state *s, mc_err *err)
{
    char *rel = mc_asprintf("manifest/%s", name);
    mc_buf b = MC_BUF_INIT;
    paimon_manifest_file_meta *m = NULL;
    size_t n = 0;
    int rc = read_file(t, rel, &b, err);
    if (rc == 0)
        rc = paimon_manifest_list_read(&m, &n, (const uint8_t *)b.data, b.len, err);
    if (rc == 0) {
        s->metas = mc_realloc(s->metas, (s->nmetas + n + 1) * sizeof *s->metas);
        if (n)
            memcpy(s->metas + s->nmetas, m, n * sizeof *m);
        s->nmetas += n;
        free(m);
    }
    mc_buf_free(&b);
    free(rel);
    return rc;
}

/* The latest snapshot with its manifests read and reconciled (§4.4). */
static int load_state(lake_table *t, table_state *s, mc_err *err)
{
    memset(s, 0, sizeof *s);
    json_t *ts;
    if (rest_latest_snapshot(t->l->cat, t->db, t->name, &ts, err))
        return -1;
    if (!ts)
        return 0;
    char *text = json_dumps(json_object_get(ts, "snapshot"), JSON_COMPACT);
    json_decref(ts);
    int rc = text ? paimon_snapshot_parse(&s->snap, text, strlen(text), err)
                  : mc_err_set(err, MC_ERR_PROTOCOL, "latest snapshot of %s.%s is missing", t->db, t->name);
    free(text);
    if (rc == 0)
        rc = read_list(t, s->snap->base_manifest_list, s, err);
    if (rc == 0)
        rc = read_list(t, s->snap->delta_manifest_list, s, err);
    paimon_manifest_entry *all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < s->nmetas && rc == 0; i++) {
        char *rel = mc_asprintf("manifest/%s", s->metas[i].file_name);
        mc_buf b = MC_BUF_INIT;
        paimon_manifest_entry *e = NULL;
        size_t n = 0;
        rc = read_file(t, rel, &b, err);
        if (rc == 0)
            rc = paimon_manifest_read(&e, &n, (const uint8_t *)b.data, b.len, err);
        if (rc == 0) {
            all = mc_realloc(all, (nall + n + 1) * sizeof *all);
            if (n)
                memcpy(all + nall, e, n * sizeof *e);
            nall += n;
            free(e);
        }
        mc_buf_free(&b);
        free(rel);
    }
    if (rc == 0)
        rc = paimon_manifest_entries_merge(&s->live, &s->nlive, all, nall, err);
    paimon_manifest_entries_free(all, nall);
    if (rc)
        state_clear(s);
    return rc;
}

/* ---- scan ----------------------------------------------------------------------- */

struct lake_scan {
    lake_table *t;
    table_state st;
    size_t next_file;
    mc_buf data;                 /* the current data file */
    paimon_avro_file *file;
    paimon_avro_value rec;
    bool has_rec;
    paimon_datum *row;
    int *pos;                    /* table field -> file record field, -1 when absent */
};

int lake_scan_open(lake_table *t, lake_scan **out, mc_err *err)
{
    *out = NULL;
    if (t->schema->nprimary_keys)
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "reading primary-key table %s.%s is not supported yet (merge-on-read is not implemented)",
                          t->db, t->name);
    lake_scan *s = mc_calloc(1, sizeof *s);
    s->t = t;
    if (load_state(t, &s->st, err)) {
        free(s);
        return -1;
    }
    s->row = mc_calloc(t->schema->nfields + 1, sizeof *s->row);
    s->pos = mc_calloc(t->schema->nfields + 1, sizeof *s->pos);
    *out = s;
    return 0;
}

static void scan_release_file(lake_scan *s)
{
    if (s->has_rec)
        paimon_avro_value_clear(&s->rec);
    s->has_rec = false;
    paimon_avro_file_close(s->file);
    s->file = NULL;
    mc_buf_free(&s->data);
}

void lake_scan_close(lake_scan *s)
{
    if (!s)
        return;
    scan_release_file(s);
    state_clear(&s->st);
    free(s->row);
    free(s->pos);
    free(s);
}

static int partition_path(const lake_table *t, const paimon_bytes *part, mc_buf *out, mc_err *err)
{
    size_t n = t->schema->npartition_keys;
    if (n == 0)
        return 0;
    const paimon_type **types = mc_calloc(n, sizeof *types);
    paimon_datum *vals = mc_calloc(n, sizeof *vals);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int idx = paimon_schema_field_index(t->schema, t->schema->partition_keys[i]);
        if (idx < 0)
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "partition key %s is not a field", t->schema->partition_keys[i]);
        else
            types[i] = t->schema->fields[idx].type;
    }
    if (rc == 0)
        rc = paimon_binrow_read_serialized(vals, types, n, part->data, part->len, err);
    if (rc == 0)
        paimon_partition_path(out, t->schema->partition_keys, types, vals, n,
                              paimon_schema_option(t->schema, "partition.default-name"));
    free(types);
    free(vals);
    return rc;
}

static int open_next_file(lake_scan *s, mc_err *err)
{
    lake_table *t = s->t;
    const paimon_manifest_entry *e = &s->st.live[s->next_file++];
    mc_buf part = MC_BUF_INIT, path = MC_BUF_INIT;
    int rc = partition_path(t, &e->partition, &part, err);
    if (rc == 0)
        paimon_data_file_path(&path, "", mc_buf_cstr(&part), e->bucket, e->file.file_name, NULL);
    const char *rel = mc_buf_cstr(&path);
    while (*rel == '/')
        rel++;
    if (rc == 0 && e->file.external_path)
        rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "data file %s has an external path, which is not supported yet",
                        e->file.file_name);
    else if (rc == 0 && !mc_str_ends_with(e->file.file_name, ".avro"))
        rc = mc_err_set(err, MC_ERR_UNSUPPORTED,
                        "reading data file %s of %s.%s is not supported yet: only Avro data files are readable",
                        e->file.file_name, t->db, t->name);
    if (rc == 0)
        rc = read_file(t, rel, &s->data, err);
    if (rc == 0)
        rc = paimon_avro_file_open(&s->file, (const uint8_t *)s->data.data, s->data.len, err);
    if (rc == 0) {
        const paimon_avro_node *root = paimon_avro_file_schema(s->file)->root;
        for (size_t i = 0; i < t->schema->nfields; i++)
            s->pos[i] = paimon_avro_node_field(root, t->schema->fields[i].name);
    }
    if (rc)
        mc_err_prefix(err, "%s.%s", t->db, t->name);
    mc_buf_free(&part);
    mc_buf_free(&path);
    return rc;
}

int lake_scan_next(lake_scan *s, const paimon_datum **row, mc_err *err)
{
    for (;;) {
        if (s->has_rec) {
            paimon_avro_value_clear(&s->rec);
            s->has_rec = false;
        }
        if (s->file) {
            memset(&s->rec, 0, sizeof s->rec);
            int r = paimon_avro_file_next(s->file, &s->rec, err);
            if (r < 0)
                return -1;
            if (r > 0) {
                s->has_rec = true;
                const paimon_schema *sc = s->t->schema;
                for (size_t i = 0; i < sc->nfields; i++) {
                    /* A column the file lacks reads as NULL (schema evolution). */
                    const paimon_avro_value *v = s->pos[i] >= 0 ? &s->rec.items[s->pos[i]] : NULL;
                    if (!v || v->kind == PAIMON_AVRO_NULL)
                        s->row[i] = paimon_datum_null();
                    else if (paimon_avro_to_datum(&s->row[i], sc->fields[i].type, v, err))
                        return -1;
                }
                *row = s->row;
                return 1;
            }
            scan_release_file(s);
        }
        if (s->next_file >= s->st.nlive)
            return 0;
        if (open_next_file(s, err))
            return -1;
    }
}

/* ---- write ---------------------------------------------------------------------- */

static int64_t local_offset_ms(void)
{
    time_t now = time(NULL);
    struct tm lt;
    localtime_r(&now, &lt);
    return (int64_t)lt.tm_gmtoff * 1000;
}

static json_t *statistics_json(const paimon_write_plan *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->npartitions; i++) {
        const paimon_partition_delta *d = &p->partitions[i];
        json_t *o = json_object(), *spec = json_object();
        for (size_t k = 0; k < d->nspec; k++)
            json_object_set_new(spec, d->spec[k].key, json_string(d->spec[k].value));
        json_object_set_new(o, "spec", spec);
        json_object_set_new(o, "recordCount", json_integer(d->record_count));
        json_object_set_new(o, "fileSizeInBytes", json_integer(d->file_size));
        json_object_set_new(o, "fileCount", json_integer(d->file_count));
        json_object_set_new(o, "lastFileCreationTime", json_integer(d->last_file_creation_time));
        json_array_append_new(a, o);
    }
    return a;
}

/* Best effort: files of a plan that lost its commit are removed. */
static void remove_files(lake_table *t, const paimon_write_plan *p)
{
    oss_client *io;
    mc_err ignored;
    if (fileio(t, &io, &ignored))
        return;
    for (size_t i = 0; i < p->nfiles; i++) {
        char *key = mc_asprintf("%s/%s", t->root, p->files[i].path);
        oss_client_delete(io, t->bucket, key, &ignored);
        free(key);
    }
}

int lake_write(lake_table *t, const paimon_datum *const *rows, size_t n, bool overwrite, mc_err *err)
{
    for (int attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        table_state st;
        if (load_state(t, &st, err))
            return -1;
        paimon_write_input in;
        memset(&in, 0, sizeof in);
        in.schema = t->schema;
        in.rows = rows;
        in.nrows = n;
        in.overwrite = overwrite;
        in.latest = st.snap;
        in.prev_manifests = st.metas;
        in.nprev = st.nmetas;
        in.live = st.live;
        in.nlive = st.nlive;
        in.now_ms = mc_now_ms();
        in.local_offset_ms = local_offset_ms();
        paimon_write_plan plan;
        int rc = paimon_write_plan_build(&plan, &in, err);
        if (rc) {
            state_clear(&st);
            return mc_err_prefix(err, "%s.%s", t->db, t->name);
        }
        for (size_t i = 0; i < plan.nfiles && rc == 0; i++)
            rc = write_file(t, plan.files[i].path, &plan.files[i].data, err);
        bool ok = false;
        if (rc == 0) {
            mc_buf snap = MC_BUF_INIT;
            paimon_snapshot_write(&snap, plan.snapshot);
            json_error_t je;
            json_t *sj = json_loadb(snap.data, snap.len, JSON_DECODE_ANY, &je);
            json_t *stats = statistics_json(&plan);
            rc = rest_commit(t->l->cat, t->db, t->name, t->id, st.snap ? st.snap->uuid : NULL, sj, stats, &ok, err);
            json_decref(sj);
            json_decref(stats);
            mc_buf_free(&snap);
        }
        if (rc || !ok)
            remove_files(t, &plan);
        paimon_write_plan_clear(&plan);
        state_clear(&st);
        if (rc)
            return -1;
        if (ok)
            return 0;
        /* Another writer committed first: plan again on its snapshot. */
    }
    return mc_err_set(err, MC_ERR_CONFLICT, "commit to %s.%s failed: %d attempts lost to concurrent commits", t->db,
                      t->name, COMMIT_ATTEMPTS);
}
