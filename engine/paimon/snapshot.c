/*
 * paimon/snapshot: parse and print snapshot JSON in Java's field order
 * (reference/paimon-format.md §2), hint files and local-directory lookup of
 * the latest/earliest snapshot (§1).
 */
#include "paimon/snapshot.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jackson.h"

void paimon_snapshot_free(paimon_snapshot *s)
{
    if (!s)
        return;
    free(s->uuid);
    free(s->base_manifest_list);
    free(s->delta_manifest_list);
    free(s->changelog_manifest_list);
    free(s->index_manifest);
    free(s->commit_user);
    free(s->writer_version);
    free(s->commit_kind);
    free(s->statistics);
    for (size_t i = 0; i < s->nproperties; i++) {
        free(s->properties[i].key);
        free(s->properties[i].value);
    }
    free(s->properties);
    free(s->operation);
    free(s);
}

static char *opt_str(json_t *root, const char *k)
{
    json_t *v = json_object_get(root, k);
    return json_is_string(v) ? mc_strdup(json_string_value(v)) : NULL;
}

static bool opt_int(json_t *root, const char *k, int64_t *out)
{
    json_t *v = json_object_get(root, k);
    if (!json_is_integer(v))
        return false;
    *out = json_integer_value(v);
    return true;
}

int paimon_snapshot_parse(paimon_snapshot **out, const char *json, size_t len, mc_err *err)
{
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (!root)
        return mc_err_set(err, MC_ERR_INVALID, "snapshot JSON: %s (line %d)", je.text, je.line);
    if (!json_is_object(root)) {
        json_decref(root);
        return mc_err_set(err, MC_ERR_INVALID, "snapshot JSON is not an object");
    }
    paimon_snapshot *s = mc_calloc(1, sizeof *s);
    int64_t v = 0;
    s->version = opt_int(root, "version", &v) ? (int32_t)v : 1;
    s->uuid = opt_str(root, "uuid");
    bool ok = opt_int(root, "id", &s->id);
    ok = ok && opt_int(root, "schemaId", &s->schema_id);
    s->base_manifest_list = opt_str(root, "baseManifestList");
    s->delta_manifest_list = opt_str(root, "deltaManifestList");
    s->commit_user = opt_str(root, "commitUser");
    s->commit_kind = opt_str(root, "commitKind");
    ok = ok && s->base_manifest_list && s->delta_manifest_list && s->commit_kind;
    ok = ok && opt_int(root, "commitIdentifier", &s->commit_identifier);
    ok = ok && opt_int(root, "timeMillis", &s->time_millis);
    if (!ok) {
        json_decref(root);
        paimon_snapshot_free(s);
        return mc_err_set(err, MC_ERR_INVALID,
                          "snapshot JSON lacks one of id, schemaId, baseManifestList, "
                          "deltaManifestList, commitIdentifier, commitKind, timeMillis");
    }
    if (!s->commit_user)
        s->commit_user = mc_strdup("");
    s->has_base_manifest_list_size = opt_int(root, "baseManifestListSize", &s->base_manifest_list_size);
    s->has_delta_manifest_list_size =
        opt_int(root, "deltaManifestListSize", &s->delta_manifest_list_size);
    s->changelog_manifest_list = opt_str(root, "changelogManifestList");
    s->has_changelog_manifest_list_size =
        opt_int(root, "changelogManifestListSize", &s->changelog_manifest_list_size);
    s->index_manifest = opt_str(root, "indexManifest");
    s->writer_version = opt_str(root, "writerVersion");
    s->legacy_layout = json_object_get(root, "logOffsets") != NULL;
    opt_int(root, "totalRecordCount", &s->total_record_count);
    opt_int(root, "deltaRecordCount", &s->delta_record_count);
    s->has_changelog_record_count = opt_int(root, "changelogRecordCount", &s->changelog_record_count);
    s->has_watermark = opt_int(root, "watermark", &s->watermark);
    s->statistics = opt_str(root, "statistics");
    json_t *props = json_object_get(root, "properties");
    if (json_is_object(props)) {
        s->has_properties = true;
        s->properties = mc_calloc(json_object_size(props) + 1, sizeof *s->properties);
        const char *k;
        json_t *pv;
        json_object_foreach(props, k, pv) {
            if (!json_is_string(pv))
                continue;
            s->properties[s->nproperties].key = mc_strdup(k);
            s->properties[s->nproperties].value = mc_strdup(json_string_value(pv));
            s->nproperties++;
        }
    }
    s->has_next_row_id = opt_int(root, "nextRowId", &s->next_row_id);
    s->operation = opt_str(root, "operation");
    json_decref(root);
    *out = s;
    return 0;
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

void paimon_snapshot_write(mc_buf *out, const paimon_snapshot *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(s->version));
    set_str(o, "uuid", s->uuid);
    json_object_set_new(o, "id", json_integer(s->id));
    json_object_set_new(o, "schemaId", json_integer(s->schema_id));
    set_str(o, "baseManifestList", s->base_manifest_list);
    if (s->has_base_manifest_list_size)
        json_object_set_new(o, "baseManifestListSize", json_integer(s->base_manifest_list_size));
    set_str(o, "deltaManifestList", s->delta_manifest_list);
    if (s->has_delta_manifest_list_size)
        json_object_set_new(o, "deltaManifestListSize", json_integer(s->delta_manifest_list_size));
    if (s->changelog_manifest_list)
        set_str(o, "changelogManifestList", s->changelog_manifest_list);
    else if (s->legacy_layout)
        json_object_set_new(o, "changelogManifestList", json_null());
    if (s->has_changelog_manifest_list_size)
        json_object_set_new(o, "changelogManifestListSize",
                            json_integer(s->changelog_manifest_list_size));
    set_str(o, "indexManifest", s->index_manifest);
    set_str(o, "commitUser", s->commit_user);
    set_str(o, "writerVersion", s->writer_version);
    json_object_set_new(o, "commitIdentifier", json_integer(s->commit_identifier));
    set_str(o, "commitKind", s->commit_kind);
    json_object_set_new(o, "timeMillis", json_integer(s->time_millis));
    if (s->legacy_layout)
        json_object_set_new(o, "logOffsets", json_object());
    json_object_set_new(o, "totalRecordCount", json_integer(s->total_record_count));
    json_object_set_new(o, "deltaRecordCount", json_integer(s->delta_record_count));
    if (s->has_changelog_record_count)
        json_object_set_new(o, "changelogRecordCount", json_integer(s->changelog_record_count));
    if (s->has_watermark)
        json_object_set_new(o, "watermark", json_integer(s->watermark));
    set_str(o, "statistics", s->statistics);
    if (s->has_properties) {
        json_t *p = json_object();
        for (size_t i = 0; i < s->nproperties; i++)
            json_object_set_new(p, s->properties[i].key, json_string(s->properties[i].value));
        json_object_set_new(o, "properties", p);
    }
    if (s->has_next_row_id)
        json_object_set_new(o, "nextRowId", json_integer(s->next_row_id));
    set_str(o, "operation", s->operation);
    mc_json_jackson_dump(out, o);
    json_decref(o);
}

int paimon_hint_parse(int64_t *out, const char *text, size_t len, mc_err *err)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    size_t start = i;
    int64_t v = 0;
    while (i < len && isdigit((unsigned char)text[i]) && i - start < 18)
        v = v * 10 + (text[i++] - '0');
    size_t end = i;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (end == start || i != len)
        return mc_err_set(err, MC_ERR_INVALID, "malformed snapshot hint '%.*s'",
                          (int)(len > 40 ? 40 : len), text);
    *out = v;
    return 0;
}

void paimon_hint_write(mc_buf *out, int64_t id)
{
    mc_buf_printf(out, "%lld", (long long)id);
}

static int read_file_at(mc_buf *b, const char *table_dir, const char *sub, const char *name,
                        int64_t id, mc_err *err)
{
    char *p = id >= 0 ? mc_asprintf("%s/%s/%s%lld", table_dir, sub, name, (long long)id)
                      : mc_asprintf("%s/%s/%s", table_dir, sub, name);
    int rc = mc_file_read_all(b, p, err);
    free(p);
    return rc;
}

int paimon_snapshot_load(paimon_snapshot **out, const char *table_dir, int64_t id, mc_err *err)
{
    mc_buf b = MC_BUF_INIT;
    int rc = read_file_at(&b, table_dir, "snapshot", "snapshot-", id, err);
    if (rc == 0)
        rc = paimon_snapshot_parse(out, b.data, b.len, err);
    mc_buf_free(&b);
    return rc;
}

int paimon_schema_load(paimon_schema **out, const char *table_dir, int64_t id, mc_err *err)
{
    mc_buf b = MC_BUF_INIT;
    int rc = read_file_at(&b, table_dir, "schema", "schema-", id, err);
    if (rc == 0)
        rc = paimon_schema_parse(out, b.data, b.len, err);
    mc_buf_free(&b);
    return rc;
}

static bool snapshot_exists(const char *table_dir, int64_t id)
{
    char *p = mc_asprintf("%s/snapshot/snapshot-%lld", table_dir, (long long)id);
    bool e = mc_path_exists(p);
    free(p);
    return e;
}

/* Lists snapshot/ for the min or max snapshot-N. */
static int list_snapshots(int64_t *out, const char *table_dir, bool want_max, mc_err *err)
{
    char *p = mc_asprintf("%s/snapshot", table_dir);
    DIR *d = opendir(p);
    free(p);
    *out = 0;
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "snapshot-", 9) != 0)
            continue;
        int64_t id = 0;
        mc_err tmp;
        if (paimon_hint_parse(&id, e->d_name + 9, strlen(e->d_name + 9), &tmp) != 0)
            continue;
        if (*out == 0 || (want_max ? id > *out : id < *out))
            *out = id;
    }
    closedir(d);
    (void)err;
    return 0;
}

static bool read_hint(int64_t *id, const char *table_dir, const char *name)
{
    mc_buf b = MC_BUF_INIT;
    mc_err e;
    bool ok = read_file_at(&b, table_dir, "snapshot", name, -1, &e) == 0 &&
              paimon_hint_parse(id, b.data, b.len, &e) == 0;
    mc_buf_free(&b);
    return ok;
}

int paimon_snapshot_latest_id(int64_t *out, const char *table_dir, mc_err *err)
{
    int64_t id = 0;
    if (read_hint(&id, table_dir, "LATEST") && snapshot_exists(table_dir, id)) {
        while (snapshot_exists(table_dir, id + 1))
            id++;
        *out = id;
        return 0;
    }
    return list_snapshots(out, table_dir, true, err);
}

int paimon_snapshot_earliest_id(int64_t *out, const char *table_dir, mc_err *err)
{
    int64_t id = 0;
    if (read_hint(&id, table_dir, "EARLIEST") && snapshot_exists(table_dir, id)) {
        *out = id;
        return 0;
    }
    return list_snapshots(out, table_dir, false, err);
}
