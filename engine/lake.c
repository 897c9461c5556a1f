/* lake: see lake.h. Section numbers: reference/paimon-format.md unless noted. */
#include "lake.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "client/oss_client.h"
#include "paimon/binrow.h"
#include "paimon/manifest.h"
#include "paimon/partition.h"
#include "paimon/scan.h"
#include "paimon/snapshot.h"
#include "paimon/validate.h"
#include "paimon/writer.h"
#include "timeutil.h"

#define TOKEN_REFRESH_MS (3600 * 1000LL) /* refresh when under an hour remains (paimon-rest.md §8) */
#define COMMIT_ATTEMPTS 12 /* with jittered backoff: 8 concurrent writers commit without giving up */

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
    mc_buf pinned;               /* the time-travel snapshot's JSON; empty: read the latest */
    lake_upload_fn on_upload;    /* NULL: none */
    void *on_upload_ud;
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
/* A REST Schema object (paimon-rest.md §3) as the schema file of id schema_id. */
static int schema_from_rest(paimon_schema **out, const json_t *rs, json_int_t schema_id, mc_err *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(3));
    json_object_set_new(o, "id", json_integer(schema_id));
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
    if (schema_from_rest(&t->schema, json_object_get(meta, "schema"),
                         json_integer_value(json_object_get(meta, "schemaId")), err)) {
        lake_table_free(t);
        return mc_err_prefix(err, "table %s.%s", db, name);
    }
    *out = t;
    return 0;
}

int lake_table_create(lake *l, const char *db, const char *name, const json_t *schema, mc_err *err)
{
    paimon_schema *s;
    if (schema_from_rest(&s, schema, 0, err))
        return mc_err_prefix(err, "%s.%s", db, name);
    int rc = paimon_schema_validate(s, err);
    paimon_schema_free(s);
    if (rc)
        return mc_err_prefix(err, "%s.%s", db, name);
    return rest_create_table(l->cat, db, name, schema, err);
}

void lake_table_free(lake_table *t)
{
    if (!t)
        return;
    oss_client_free(t->io);
    rest_data_token_clear(&t->token);
    mc_buf_free(&t->pinned);
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

void lake_table_on_upload(lake_table *t, lake_upload_fn fn, void *ud)
{
    t->on_upload = fn;
    t->on_upload_ud = ud;
}
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

/* GetObject of a file, whole (len < 0) or a range. Each one is traced at
 * debug level (MCDLF_LOG=debug): what a read fetched, for tests and users
 * checking that a projection or a filter reads less. */
static int get_file(lake_table *t, const char *rel, int64_t off, int64_t len, mc_buf *out, mc_err *err)
{
    oss_client *io;
    if (fileio(t, &io, err))
        return -1;
    char *key = mc_asprintf("%s/%s", t->root, rel);
    int rc = oss_client_get(io, t->bucket, key, off, len, out, err);
    if (rc)
        mc_err_prefix(err, "reading oss://%s/%s", t->bucket, key);
    else if (len < 0)
        MC_LOGD("oss GET %s: %zu bytes", rel, out->len);
    else
        MC_LOGD("oss GET %s bytes=%lld-%lld: %zu bytes", rel, (long long)off, (long long)(off + len - 1), out->len);
    free(key);
    return rc;
}

static int read_file(lake_table *t, const char *rel, mc_buf *out, mc_err *err)
{
    return get_file(t, rel, 0, -1, out, err);
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

/* ---- reading -------------------------------------------------------------------- */

static int io_read(void *ud, const char *rel, mc_buf *out, mc_err *err)
{
    return read_file(ud, rel, out, err);
}

static int io_read_range(void *ud, const char *rel, uint64_t off, size_t len, mc_buf *out, mc_err *err)
{
    return get_file(ud, rel, (int64_t)off, (int64_t)len, out, err);
}

/* paimon_list_fn over the token FileIO: the names under <root>/<dir>/. */
static int io_list(void *ud, const char *dir, char ***names, size_t *n, mc_err *err)
{
    lake_table *t = ud;
    oss_client *io;
    *names = NULL;
    *n = 0;
    if (fileio(t, &io, err))
        return -1;
    char *prefix = mc_asprintf("%s/%s/", t->root, dir);
    oss_client_listing l;
    memset(&l, 0, sizeof l);
    int rc = oss_client_list(io, t->bucket, prefix, "/", &l, err);
    if (rc == 0) {
        size_t plen = strlen(prefix);
        *names = mc_calloc(l.nkeys + 1, sizeof **names);
        for (size_t i = 0; i < l.nkeys; i++)
            (*names)[(*n)++] = mc_strdup(l.keys[i] + plen);
    } else {
        mc_err_prefix(err, "listing oss://%s/%s", t->bucket, prefix);
    }
    oss_client_listing_clear(&l);
    free(prefix);
    return rc;
}

int lake_table_travel(lake_table *t, const paimon_at *at, int64_t *id, mc_err *err)
{
    paimon_store store = {{io_read, t}, io_list};
    paimon_snapshot *snap;
    if (paimon_snapshot_at(&snap, &store, at, err))
        return mc_err_prefix(err, "%s.%s", t->db, t->name);
    mc_buf_reset(&t->pinned);
    *id = 0;
    if (snap) {
        paimon_snapshot_write(&t->pinned, snap);
        *id = snap->id;
    }
    paimon_snapshot_free(snap);
    return 0;
}

/* The pinned snapshot (time travel), else the latest (from the catalog, §6
 * of paimon-rest.md), with its manifests; with a filter p, only what may
 * match it (a read's plan). */
static int load_state_where(lake_table *t, paimon_table_state *st, const paimon_pred *p, mc_err *err)
{
    memset(st, 0, sizeof *st);
    paimon_fileio io = {io_read, t};
    if (t->pinned.len) {
        paimon_snapshot *snap;
        if (paimon_snapshot_parse(&snap, t->pinned.data, t->pinned.len, err))
            return -1;
        return paimon_table_state_load_where(st, &io, snap, t->schema, p, NULL, err);
    }
    json_t *ts;
    if (rest_latest_snapshot(t->l->cat, t->db, t->name, &ts, err))
        return -1;
    paimon_snapshot *snap = NULL;
    if (ts) {
        char *text = json_dumps(json_object_get(ts, "snapshot"), JSON_COMPACT);
        json_decref(ts);
        int rc = text ? paimon_snapshot_parse(&snap, text, strlen(text), err)
                      : mc_err_set(err, MC_ERR_PROTOCOL, "latest snapshot of %s.%s is missing", t->db, t->name);
        free(text);
        if (rc)
            return -1;
    }
    return paimon_table_state_load_where(st, &io, snap, t->schema, p, NULL, err);
}

static int load_state(lake_table *t, paimon_table_state *st, mc_err *err)
{
    return load_state_where(t, st, NULL, err);
}

int lake_table_storage(lake_table *t, int64_t *files, int64_t *bytes, mc_err *err)
{
    *files = *bytes = 0;
    paimon_table_state st;
    if (load_state(t, &st, err))
        return mc_err_prefix(err, "%s.%s", t->db, t->name);
    for (size_t i = 0; i < st.nlive; i++)
        *bytes += st.live[i].file.file_size;
    *files = (int64_t)st.nlive;
    paimon_table_state_clear(&st);
    return 0;
}

struct lake_scan {
    paimon_table_state st;
    paimon_scan *scan;
};

int lake_scan_open(lake_table *t, lake_scan **out, mc_err *err)
{
    return lake_scan_open_pruned(t, NULL, out, err);
}

int lake_scan_open_pruned(lake_table *t, const paimon_pred *p, lake_scan **out, mc_err *err)
{
    *out = NULL;
    /* The data token first: a refusal reads as the catalog's own answer. */
    oss_client *oss;
    if (fileio(t, &oss, err))
        return -1;
    lake_scan *s = mc_calloc(1, sizeof *s);
    paimon_fileio io = {io_read, t};
    if (load_state_where(t, &s->st, p, err) || paimon_scan_open(&s->scan, &io, t->schema, &s->st, err)) {
        lake_scan_close(s);
        return mc_err_prefix(err, "%s.%s", t->db, t->name);
    }
    paimon_scan_read_ranges(s->scan, io_read_range);
    *out = s;
    return 0;
}

void lake_scan_project(lake_scan *s, const bool *want)
{
    paimon_scan_project(s->scan, want);
}

void lake_scan_skip_files(lake_scan *s, int64_t n, int64_t *skipped)
{
    paimon_scan_skip_files(s->scan, n, skipped);
}

int lake_scan_next(lake_scan *s, const paimon_datum **row, mc_err *err)
{
    return paimon_scan_next(s->scan, row, err);
}

void lake_scan_close(lake_scan *s)
{
    if (!s)
        return;
    paimon_scan_close(s->scan);
    paimon_table_state_clear(&s->st);
    free(s);
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

static void write_input(paimon_write_input *in, lake_table *t, const paimon_table_state *st)
{
    memset(in, 0, sizeof *in);
    in->schema = t->schema;
    in->latest = st->snap;
    in->prev_manifests = st->metas;
    in->nprev = st->nmetas;
    in->live = st->live;
    in->nlive = st->nlive;
    in->now_ms = mc_now_ms();
    in->local_offset_ms = local_offset_ms();
}

/* Uploads a plan's files and commits its snapshot on top of st's. *ok is
 * false when another commit won. The attempt's files are removed (best
 * effort) whenever the table certainly stays at its previous snapshot: an
 * upload failed (e.g. a full disk), the commit lost, or the catalog refused
 * it with a 4xx answer. When the commit's outcome is unknown (no answer, a
 * 5xx, an unreadable one) they are kept: the snapshot may have landed, and
 * removing its files would corrupt the table — Java's FileStoreCommitImpl
 * likewise "cannot clean up because we can't determine the success". */
static int commit_plan(lake_table *t, const paimon_table_state *st, const paimon_write_plan *plan, bool *ok,
                       mc_err *err)
{
    *ok = false;
    int rc = 0;
    for (size_t i = 0; i < plan->nfiles && rc == 0; i++) {
        rc = write_file(t, plan->files[i].path, &plan->files[i].data, err);
        if (rc == 0 && t->on_upload)
            t->on_upload(t->on_upload_ud, plan->files[i].path);
    }
    if (rc) {
        remove_files(t, plan);
        return rc;
    }
    mc_buf snap = MC_BUF_INIT;
    paimon_snapshot_write(&snap, plan->snapshot);
    json_error_t je;
    json_t *sj = json_loadb(snap.data, snap.len, JSON_DECODE_ANY, &je);
    json_t *stats = statistics_json(plan);
    rc = rest_commit(t->l->cat, t->db, t->name, t->id, st->snap ? st->snap->uuid : NULL, sj, stats, ok, err);
    json_decref(sj);
    json_decref(stats);
    mc_buf_free(&snap);
    bool refused = rc && err->code == MC_ERR_REMOTE && err->http_status >= 400 && err->http_status < 500;
    if ((rc == 0 && !*ok) || refused)
        remove_files(t, plan);
    else if (rc)
        mc_err_prefix(err, "commit of snapshot %lld: outcome unknown, its files are kept",
                      (long long)plan->snapshot->id);
    return rc;
}

/* After losing a commit: a jittered pause so that contending writers
 * spread out (20 ms * 2^n, capped). */
static void backoff(int attempt)
{
    uint8_t r;
    mc_random_bytes(&r, 1);
    long ms = (20L << (attempt < 5 ? attempt : 5)) * (25 + r % 101) / 100;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A COMPACT commit of the buckets scope picks (paimon_compact_plan_build),
 * planned again from a fresh read when another commit wins. */
static int compact(lake_table *t, const paimon_compact_scope *scope, mc_err *err)
{
    paimon_fileio io = {io_read, t};
    for (int attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        paimon_table_state st;
        if (load_state(t, &st, err))
            return -1;
        paimon_write_input in;
        write_input(&in, t, &st);
        paimon_write_plan plan;
        bool ok = false;
        int rc = paimon_compact_plan_build(&plan, &in, scope, &io, err);
        if (rc == 0 && plan.snapshot)
            rc = commit_plan(t, &st, &plan, &ok, err);
        else if (rc == 0)
            ok = true; /* nothing left to compact */
        paimon_write_plan_clear(&plan);
        paimon_table_state_clear(&st);
        if (rc)
            return -1;
        if (ok)
            return 0;
        backoff(attempt);
    }
    return mc_err_set(err, MC_ERR_CONFLICT, "compaction of %s.%s failed: %d attempts lost to concurrent commits",
                      t->db, t->name, COMMIT_ATTEMPTS);
}

/* The compaction Java's writer runs after writing unless `write-only` is
 * true: level 0 for tables whose batch reads skip it (first-row, deletion
 * vectors: Java compacts them at every commit), else the buckets written
 * whose sorted runs reach the trigger (§6.3). */
static int compact_after_write(lake_table *t, const paimon_write_input *in, const paimon_write_plan *written,
                               mc_err *err)
{
    const paimon_schema *s = t->schema;
    const char *wo = paimon_schema_option(s, "write-only");
    if (!wo)
        wo = paimon_schema_option(s, "write.compaction-skip"); /* its fallback key (CoreOptions.WRITE_ONLY) */
    bool needed = paimon_write_needs_compaction(s);
    if (!s->nprimary_keys || written->nbuckets == 0 || (wo && !strcasecmp(wo, "true")))
        return 0; /* write-only: compaction is left to a dedicated job (CoreOptions.WRITE_ONLY) */
    if (!needed && !paimon_write_reaches_trigger(in, written))
        return 0;
    /* Level 0 anywhere in the table: a bucket an earlier failed compaction
     * left invisible is picked up too. */
    paimon_compact_scope scope = {.pick = needed ? PAIMON_COMPACT_LEVEL0 : PAIMON_COMPACT_TRIGGER,
                                  .only = needed ? NULL : written->buckets,
                                  .nonly = needed ? 0 : written->nbuckets};
    mc_err cerr;
    if (compact(t, &scope, &cerr) == 0)
        return 0;
    /* A trigger compaction that keeps losing to concurrent commits is left
     * to the next write to the bucket, which finds it over the trigger
     * still: the rows are visible either way. */
    if (!needed && cerr.code == MC_ERR_CONFLICT)
        return 0;
    *err = cerr;
    return -1;
}

int lake_write(lake_table *t, const paimon_datum *const *rows, size_t n, bool overwrite, mc_err *err)
{
    /* A commit builds on the latest snapshot, never on a time-travel one. */
    assert(t->pinned.len == 0);
    for (int attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        paimon_table_state st;
        if (load_state(t, &st, err))
            return -1;
        paimon_write_input in;
        write_input(&in, t, &st);
        paimon_fileio io = {io_read, t};
        in.io = &io;
        in.rows = rows;
        in.nrows = n;
        in.overwrite = overwrite;
        paimon_write_plan plan;
        bool ok = false;
        int rc = paimon_write_plan_build(&plan, &in, err);
        if (rc) {
            paimon_table_state_clear(&st);
            return mc_err_prefix(err, "%s.%s", t->db, t->name);
        }
        rc = commit_plan(t, &st, &plan, &ok, err);
        if (rc == 0 && ok && compact_after_write(t, &in, &plan, err)) {
            mc_err_prefix(err, "%s.%s: snapshot %lld is committed, but its compaction failed%s", t->db, t->name,
                          (long long)plan.snapshot->id,
                          paimon_write_needs_compaction(t->schema)
                              ? " (its rows stay invisible to batch reads until a compaction)"
                              : "");
            rc = -1;
        }
        paimon_table_state_clear(&st);
        paimon_write_plan_clear(&plan);
        if (rc)
            return -1;
        if (ok)
            return 0;
        backoff(attempt);
    }
    return mc_err_set(err, MC_ERR_CONFLICT, "commit to %s.%s failed: %d attempts lost to concurrent commits", t->db,
                      t->name, COMMIT_ATTEMPTS);
}

int lake_compact(lake_table *t, const char *const *partition_values, bool major, mc_err *err)
{
    (void)major; /* MINOR compacts as MAJOR does: docs/paimon-format-notes.md, compaction */
    const paimon_schema *s = t->schema;
    if (!s->nprimary_keys)
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "compaction of append tables (no primary key) is not supported: %s.%s has no level-0 "
                          "files to merge",
                          t->db, t->name);
    paimon_compact_scope scope = {.pick = PAIMON_COMPACT_FULL};
    mc_buf part = MC_BUF_INIT;
    int rc = 0;
    if (partition_values) {
        size_t np = s->npartition_keys;
        const paimon_type **types = mc_calloc(np + 1, sizeof *types);
        paimon_datum *vals = mc_calloc(np + 1, sizeof *vals);
        for (size_t i = 0; i < np && rc == 0; i++) {
            types[i] = s->fields[paimon_schema_field_index(s, s->partition_keys[i])].type;
            if (!partition_values[i])
                rc = mc_err_set(err, MC_ERR_INVALID, "the partition spec must name every partition column (%s is "
                                                     "missing)",
                                s->partition_keys[i]);
            else
                rc = paimon_partition_value_parse(&vals[i], types[i], partition_values[i],
                                                  paimon_schema_option(s, "partition.default-name"), err);
        }
        if (rc == 0)
            paimon_binrow_write_serialized(&part, types, vals, np);
        free(types);
        free(vals);
    }
    paimon_bytes pb = {(uint8_t *)part.data, part.len};
    if (partition_values)
        scope.partition = &pb;
    if (rc == 0)
        rc = compact(t, &scope, err);
    mc_buf_free(&part);
    return rc;
}

int lake_table_files(lake_table *t, paimon_manifest_entry **out, size_t *n, mc_err *err)
{
    *out = NULL;
    *n = 0;
    paimon_table_state st;
    if (load_state(t, &st, err))
        return -1;
    *out = st.live;
    *n = st.nlive;
    st.live = NULL;
    st.nlive = 0;
    paimon_table_state_clear(&st);
    return 0;
}
