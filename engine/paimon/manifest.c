/*
 * paimon/manifest: read and write manifest lists, manifest files and index
 * manifests (reference/paimon-format.md §4) on top of paimon/avro.
 *
 * Reading: each record is decoded generically with the file's own writer
 * schema and fields are looked up by name; a required field that is missing
 * or of the wrong Avro type is an MC_ERR_PROTOCOL error naming it.
 * Writing: records are encoded field by field in the order of the schema
 * strings below, which are Java Paimon 2.x's record schemas byte for byte
 * (copied from the Avro headers of the Java-written 2.x fixture
 * paimon__pypaimon_pk_full_text_golden). Nullable fields are unions
 * ["null", T]: union index 0 = null, 1 = value.
 */
#include "paimon/manifest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/avro.h"
#include "paimon/binrow.h"

static const char MANIFEST_LIST_SCHEMA[] =
    "{\"type\":\"record\",\"name\":\"record\",\"namespace\":\"org.apache.paimon.avro.generated\",\"fields\":[{\"name\":\"_VERSION\",\"type\":\"int\"},"
    "{\"name\":\"_FILE_NAME\",\"type\":\"string\"},"
    "{\"name\":\"_FILE_SIZE\",\"type\":\"long\"},"
    "{\"name\":\"_NUM_ADDED_FILES\",\"type\":\"long\"},"
    "{\"name\":\"_NUM_DELETED_FILES\",\"type\":\"long\"},"
    "{\"name\":\"_PARTITION_STATS\",\"type\":{\"type\":\"record\",\"name\":\"record__PARTITION_STATS\",\"fields\":[{\"name\":\"_MIN_VALUES\",\"type\":\"bytes\"},"
    "{\"name\":\"_MAX_VALUES\",\"type\":\"bytes\"},"
    "{\"name\":\"_NULL_COUNTS\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"long\"]}],\"default\":null}]}},"
    "{\"name\":\"_SCHEMA_ID\",\"type\":\"long\"},"
    "{\"name\":\"_MIN_BUCKET\",\"type\":[\"null\",\"int\"],\"default\":null},"
    "{\"name\":\"_MAX_BUCKET\",\"type\":[\"null\",\"int\"],\"default\":null},"
    "{\"name\":\"_MIN_LEVEL\",\"type\":[\"null\",\"int\"],\"default\":null},"
    "{\"name\":\"_MAX_LEVEL\",\"type\":[\"null\",\"int\"],\"default\":null},"
    "{\"name\":\"_MIN_ROW_ID\",\"type\":[\"null\",\"long\"],\"default\":null},"
    "{\"name\":\"_MAX_ROW_ID\",\"type\":[\"null\",\"long\"],\"default\":null}]}"
    ;

static const char MANIFEST_SCHEMA[] =
    "{\"type\":\"record\",\"name\":\"record\",\"namespace\":\"org.apache.paimon.avro.generated\",\"fields\":[{\"name\":\"_VERSION\",\"type\":\"int\"},"
    "{\"name\":\"_KIND\",\"type\":\"int\"},"
    "{\"name\":\"_PARTITION\",\"type\":\"bytes\"},"
    "{\"name\":\"_BUCKET\",\"type\":\"int\"},"
    "{\"name\":\"_TOTAL_BUCKETS\",\"type\":\"int\"},"
    "{\"name\":\"_FILE\",\"type\":{\"type\":\"record\",\"name\":\"record__FILE\",\"fields\":[{\"name\":\"_FILE_NAME\",\"type\":\"string\"},"
    "{\"name\":\"_FILE_SIZE\",\"type\":\"long\"},"
    "{\"name\":\"_ROW_COUNT\",\"type\":\"long\"},"
    "{\"name\":\"_MIN_KEY\",\"type\":\"bytes\"},"
    "{\"name\":\"_MAX_KEY\",\"type\":\"bytes\"},"
    "{\"name\":\"_KEY_STATS\",\"type\":{\"type\":\"record\",\"name\":\"record__FILE__KEY_STATS\",\"fields\":[{\"name\":\"_MIN_VALUES\",\"type\":\"bytes\"},"
    "{\"name\":\"_MAX_VALUES\",\"type\":\"bytes\"},"
    "{\"name\":\"_NULL_COUNTS\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"long\"]}],\"default\":null}]}},"
    "{\"name\":\"_VALUE_STATS\",\"type\":{\"type\":\"record\",\"name\":\"record__FILE__VALUE_STATS\",\"fields\":[{\"name\":\"_MIN_VALUES\",\"type\":\"bytes\"},"
    "{\"name\":\"_MAX_VALUES\",\"type\":\"bytes\"},"
    "{\"name\":\"_NULL_COUNTS\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"long\"]}],\"default\":null}]}},"
    "{\"name\":\"_MIN_SEQUENCE_NUMBER\",\"type\":\"long\"},"
    "{\"name\":\"_MAX_SEQUENCE_NUMBER\",\"type\":\"long\"},"
    "{\"name\":\"_SCHEMA_ID\",\"type\":\"long\"},"
    "{\"name\":\"_LEVEL\",\"type\":\"int\"},"
    "{\"name\":\"_EXTRA_FILES\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
    "{\"name\":\"_CREATION_TIME\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},"
    "{\"name\":\"_DELETE_ROW_COUNT\",\"type\":[\"null\",\"long\"],\"default\":null},"
    "{\"name\":\"_EMBEDDED_FILE_INDEX\",\"type\":[\"null\",\"bytes\"],\"default\":null},"
    "{\"name\":\"_FILE_SOURCE\",\"type\":[\"null\",\"int\"],\"default\":null},"
    "{\"name\":\"_VALUE_STATS_COLS\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"string\"}],\"default\":null},"
    "{\"name\":\"_EXTERNAL_PATH\",\"type\":[\"null\",\"string\"],\"default\":null},"
    "{\"name\":\"_FIRST_ROW_ID\",\"type\":[\"null\",\"long\"],\"default\":null},"
    "{\"name\":\"_WRITE_COLS\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"string\"}],\"default\":null}]}}]}"
    ;

static const char INDEX_MANIFEST_SCHEMA[] =
    "{\"type\":\"record\",\"name\":\"record\",\"namespace\":\"org.apache.paimon.avro.generated\",\"fields\":[{\"name\":\"_VERSION\",\"type\":\"int\"},"
    "{\"name\":\"_KIND\",\"type\":\"int\"},"
    "{\"name\":\"_PARTITION\",\"type\":\"bytes\"},"
    "{\"name\":\"_BUCKET\",\"type\":\"int\"},"
    "{\"name\":\"_INDEX_TYPE\",\"type\":\"string\"},"
    "{\"name\":\"_FILE_NAME\",\"type\":\"string\"},"
    "{\"name\":\"_FILE_SIZE\",\"type\":\"long\"},"
    "{\"name\":\"_ROW_COUNT\",\"type\":\"long\"},"
    "{\"name\":\"_DELETIONS_VECTORS_RANGES\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",{\"type\":\"record\",\"name\":\"record__DELETIONS_VECTORS_RANGES\",\"fields\":[{\"name\":\"f0\",\"type\":\"string\"},"
    "{\"name\":\"f1\",\"type\":\"int\"},"
    "{\"name\":\"f2\",\"type\":\"int\"},"
    "{\"name\":\"_CARDINALITY\",\"type\":[\"null\",\"long\"],\"default\":null}]}]}],\"default\":null},"
    "{\"name\":\"_EXTERNAL_PATH\",\"type\":[\"null\",\"string\"],\"default\":null},"
    "{\"name\":\"_GLOBAL_INDEX\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"record__GLOBAL_INDEX\",\"fields\":[{\"name\":\"_ROW_RANGE_START\",\"type\":\"long\"},"
    "{\"name\":\"_ROW_RANGE_END\",\"type\":\"long\"},"
    "{\"name\":\"_INDEX_FIELD_ID\",\"type\":\"int\"},"
    "{\"name\":\"_EXTRA_FIELD_IDS\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\"}],\"default\":null},"
    "{\"name\":\"_INDEX_META\",\"type\":[\"null\",\"bytes\"],\"default\":null},"
    "{\"name\":\"_SOURCE_META\",\"type\":[\"null\",\"bytes\"],\"default\":null}]}],\"default\":null}]}"
    ;

#define MANIFEST_VERSION 2       /* §4.2, §4.3 */
#define INDEX_MANIFEST_VERSION 1 /* §4.3 */

/* ---- freeing -------------------------------------------------------------- */

static void bytes_free(paimon_bytes *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static void strs_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void stats_clear(paimon_simple_stats *s)
{
    bytes_free(&s->min_values);
    bytes_free(&s->max_values);
    free(s->null_counts);
    memset(s, 0, sizeof *s);
}

void paimon_data_file_meta_clear(paimon_data_file_meta *f)
{
    free(f->file_name);
    bytes_free(&f->min_key);
    bytes_free(&f->max_key);
    stats_clear(&f->key_stats);
    stats_clear(&f->value_stats);
    strs_free(f->extra_files, f->n_extra_files);
    bytes_free(&f->embedded_index);
    strs_free(f->value_stats_cols.items, f->value_stats_cols.n);
    free(f->external_path);
    strs_free(f->write_cols.items, f->write_cols.n);
    free(f->write_cols_sequences);
    memset(f, 0, sizeof *f);
}

void paimon_manifest_file_metas_free(paimon_manifest_file_meta *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        free(m[i].file_name);
        stats_clear(&m[i].partition_stats);
    }
    free(m);
}

void paimon_manifest_entries_free(paimon_manifest_entry *e, size_t n)
{
    for (size_t i = 0; e && i < n; i++) {
        bytes_free(&e[i].partition);
        paimon_data_file_meta_clear(&e[i].file);
    }
    free(e);
}

void paimon_index_manifest_entries_free(paimon_index_manifest_entry *e, size_t n)
{
    for (size_t i = 0; e && i < n; i++) {
        bytes_free(&e[i].partition);
        free(e[i].index_type);
        free(e[i].file_name);
        for (size_t k = 0; k < e[i].n_dv_ranges; k++)
            free(e[i].dv_ranges[k].data_file);
        free(e[i].dv_ranges);
        free(e[i].external_path);
    }
    free(e);
}

/* ---- copying -------------------------------------------------------------- */

static paimon_bytes bytes_dup(paimon_bytes b)
{
    paimon_bytes c = {NULL, b.len};
    if (b.data) {
        c.data = mc_malloc(b.len ? b.len : 1);
        memcpy(c.data, b.data, b.len);
    }
    return c;
}

static char **strs_dup(char **v, size_t n)
{
    if (!v)
        return NULL;
    char **c = mc_calloc(n ? n : 1, sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i] = mc_strdup(v[i]);
    return c;
}

static void stats_copy(paimon_simple_stats *d, const paimon_simple_stats *s)
{
    *d = *s;
    d->min_values = bytes_dup(s->min_values);
    d->max_values = bytes_dup(s->max_values);
    if (s->null_counts) {
        d->null_counts = mc_calloc(s->n_null_counts ? s->n_null_counts : 1, sizeof *d->null_counts);
        memcpy(d->null_counts, s->null_counts, s->n_null_counts * sizeof *d->null_counts);
    }
}

void paimon_manifest_entry_copy(paimon_manifest_entry *dst, const paimon_manifest_entry *src)
{
    *dst = *src;
    dst->partition = bytes_dup(src->partition);
    paimon_data_file_meta *d = &dst->file;
    const paimon_data_file_meta *s = &src->file;
    d->file_name = mc_strdup(s->file_name);
    d->min_key = bytes_dup(s->min_key);
    d->max_key = bytes_dup(s->max_key);
    stats_copy(&d->key_stats, &s->key_stats);
    stats_copy(&d->value_stats, &s->value_stats);
    d->extra_files = strs_dup(s->extra_files, s->n_extra_files);
    d->embedded_index = bytes_dup(s->embedded_index);
    d->value_stats_cols.items = strs_dup(s->value_stats_cols.items, s->value_stats_cols.n);
    d->external_path = s->external_path ? mc_strdup(s->external_path) : NULL;
    d->write_cols.items = strs_dup(s->write_cols.items, s->write_cols.n);
    if (s->write_cols_sequences) {
        size_t n = s->n_write_cols_sequences;
        d->write_cols_sequences = mc_calloc(n ? n : 1, sizeof(int64_t));
        memcpy(d->write_cols_sequences, s->write_cols_sequences, n * sizeof(int64_t));
    }
}

/* ---- field access by name ------------------------------------------------ */

static int missing(mc_err *err, const char *name)
{
    return mc_err_set(err, MC_ERR_PROTOCOL, "manifest record lacks required field %s", name);
}

static int wrong(mc_err *err, const char *name)
{
    return mc_err_set(err, MC_ERR_PROTOCOL, "manifest field %s has an unexpected Avro type", name);
}

static int req_long(int64_t *out, const paimon_avro_value *rec, const char *name, mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, name);
    if (paimon_avro_is_null(v))
        return missing(err, name);
    if (v->kind != PAIMON_AVRO_INT && v->kind != PAIMON_AVRO_LONG)
        return wrong(err, name);
    *out = v->l;
    return 0;
}

static int req_int(int32_t *out, const paimon_avro_value *rec, const char *name, mc_err *err)
{
    int64_t l = 0;
    if (req_long(&l, rec, name, err) != 0)
        return -1;
    if (l < INT32_MIN || l > INT32_MAX)
        return wrong(err, name);
    *out = (int32_t)l;
    return 0;
}

static int opt_long(paimon_opt_long *out, const paimon_avro_value *rec, const char *name, mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, name);
    out->set = false;
    out->v = 0;
    if (paimon_avro_is_null(v))
        return 0;
    if (v->kind != PAIMON_AVRO_INT && v->kind != PAIMON_AVRO_LONG)
        return wrong(err, name);
    out->set = true;
    out->v = v->l;
    return 0;
}

static int req_string(char **out, const paimon_avro_value *rec, const char *name, mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, name);
    if (paimon_avro_is_null(v))
        return missing(err, name);
    if (v->kind != PAIMON_AVRO_STRING && v->kind != PAIMON_AVRO_BYTES)
        return wrong(err, name);
    *out = mc_strndup((const char *)v->bytes, v->len);
    return 0;
}

static int opt_string(char **out, const paimon_avro_value *rec, const char *name, mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, name);
    *out = NULL;
    if (paimon_avro_is_null(v))
        return 0;
    return req_string(out, rec, name, err);
}

static int req_bytes(paimon_bytes *out, const paimon_avro_value *rec, const char *name, mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, name);
    if (paimon_avro_is_null(v))
        return missing(err, name);
    if (v->kind != PAIMON_AVRO_BYTES && v->kind != PAIMON_AVRO_STRING && v->kind != PAIMON_AVRO_FIXED)
        return wrong(err, name);
    out->data = mc_malloc(v->len ? v->len : 1);
    memcpy(out->data, v->bytes, v->len);
    out->len = v->len;
    return 0;
}

static int str_list(char ***items, size_t *n, const paimon_avro_value *v, const char *name,
                    mc_err *err)
{
    if (v->kind != PAIMON_AVRO_ARRAY)
        return wrong(err, name);
    *items = mc_calloc(v->n ? v->n : 1, sizeof **items);
    *n = v->n;
    for (size_t i = 0; i < v->n; i++) {
        const paimon_avro_value *e = &v->items[i];
        if (e->kind != PAIMON_AVRO_STRING)
            return wrong(err, name);
        (*items)[i] = mc_strndup((const char *)e->bytes, e->len);
    }
    return 0;
}

static int opt_str_list(paimon_str_list *out, const paimon_avro_value *rec, const char *name,
                        mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, name);
    memset(out, 0, sizeof *out);
    if (paimon_avro_is_null(v))
        return 0;
    out->set = true;
    return str_list(&out->items, &out->n, v, name, err);
}

static const paimon_avro_value *req_record(const paimon_avro_value *rec, const char *name, mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, name);
    if (paimon_avro_is_null(v)) {
        missing(err, name);
        return NULL;
    }
    if (v->kind != PAIMON_AVRO_RECORD) {
        wrong(err, name);
        return NULL;
    }
    return v;
}

static int read_stats(paimon_simple_stats *s, const paimon_avro_value *rec, const char *name,
                      mc_err *err)
{
    const paimon_avro_value *r = req_record(rec, name, err);
    if (!r)
        return -1;
    if (req_bytes(&s->min_values, r, "_MIN_VALUES", err) != 0 ||
        req_bytes(&s->max_values, r, "_MAX_VALUES", err) != 0)
        return mc_err_prefix(err, "%s", name);
    const paimon_avro_value *nc = paimon_avro_get(r, "_NULL_COUNTS");
    if (paimon_avro_is_null(nc))
        return 0;
    if (nc->kind != PAIMON_AVRO_ARRAY)
        return wrong(err, "_NULL_COUNTS");
    s->has_null_counts = true;
    s->n_null_counts = nc->n;
    s->null_counts = mc_calloc(nc->n ? nc->n : 1, sizeof *s->null_counts);
    for (size_t i = 0; i < nc->n; i++) {
        const paimon_avro_value *e = &nc->items[i];
        if (e->kind == PAIMON_AVRO_NULL)
            continue;
        if (e->kind != PAIMON_AVRO_LONG && e->kind != PAIMON_AVRO_INT)
            return wrong(err, "_NULL_COUNTS");
        s->null_counts[i].set = true;
        s->null_counts[i].v = e->l;
    }
    return 0;
}

static int check_version(const paimon_avro_value *rec, int32_t want, mc_err *err)
{
    const paimon_avro_value *v = paimon_avro_get(rec, "_VERSION");
    if (paimon_avro_is_null(v))
        return 0; /* very old files have no version column */
    if (v->kind != PAIMON_AVRO_INT && v->kind != PAIMON_AVRO_LONG)
        return wrong(err, "_VERSION");
    if (v->l != want)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "manifest record version %lld is not supported (expected %d)",
                          (long long)v->l, want);
    return 0;
}

/* ---- generic read loop ---------------------------------------------------- */

typedef int (*record_fn)(void *dst, const paimon_avro_value *rec, mc_err *err);

static int sniff_format(const uint8_t *data, size_t len, const char *what, mc_err *err)
{
    if (len >= 3 && memcmp(data, "ORC", 3) == 0)
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "%s is an ORC file: ORC manifests (manifest.format=orc) are not supported",
                          what);
    if (len >= 4 && memcmp(data, "PAR1", 4) == 0)
        return mc_err_set(err, MC_ERR_UNSUPPORTED,
                          "%s is a Parquet file: Parquet manifests (manifest.format=parquet) are not supported",
                          what);
    return 0;
}

static int read_all(void **out, size_t *n, size_t elem, record_fn fn, const uint8_t *data, size_t len,
                    const char *what, mc_err *err)
{
    *out = NULL;
    *n = 0;
    if (sniff_format(data, len, what, err) != 0)
        return -1;
    paimon_avro_file *f;
    if (paimon_avro_file_open(&f, data, len, err) != 0)
        return mc_err_prefix(err, "%s", what);
    const paimon_avro_node *root = paimon_avro_file_schema(f)->root;
    const paimon_avro_node *rec_node = root;
    if (root->kind == PAIMON_AVRO_UNION) /* old writers: ["null", record] (§4.1) */
        for (size_t i = 0; i < root->n; i++)
            if (root->children[i]->kind == PAIMON_AVRO_RECORD)
                rec_node = root->children[i];
    if (rec_node->kind != PAIMON_AVRO_RECORD) {
        paimon_avro_file_close(f);
        return mc_err_set(err, MC_ERR_PROTOCOL, "%s: writer schema is not a record", what);
    }
    size_t cap = 0;
    char *items = NULL;
    int rc = 0;
    for (;;) {
        paimon_avro_value v;
        memset(&v, 0, sizeof v);
        int r = paimon_avro_file_next(f, &v, err);
        if (r == 0)
            break;
        if (r < 0) {
            rc = -1;
            break;
        }
        if (v.kind != PAIMON_AVRO_RECORD) {
            paimon_avro_value_clear(&v);
            rc = mc_err_set(err, MC_ERR_PROTOCOL, "null record");
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            items = mc_realloc(items, cap * elem);
        }
        memset(items + *n * elem, 0, elem);
        (*n)++;
        r = fn(items + (*n - 1) * elem, &v, err);
        paimon_avro_value_clear(&v);
        if (r != 0) {
            rc = -1;
            break;
        }
    }
    paimon_avro_file_close(f);
    *out = items;
    if (rc != 0)
        return mc_err_prefix(err, "%s record %zu", what, *n);
    return 0;
}

static int file_meta_record(void *dst, const paimon_avro_value *rec, mc_err *err)
{
    paimon_manifest_file_meta *m = dst;
    if (check_version(rec, MANIFEST_VERSION, err) != 0 ||
        req_string(&m->file_name, rec, "_FILE_NAME", err) != 0 ||
        req_long(&m->file_size, rec, "_FILE_SIZE", err) != 0 ||
        req_long(&m->num_added_files, rec, "_NUM_ADDED_FILES", err) != 0 ||
        req_long(&m->num_deleted_files, rec, "_NUM_DELETED_FILES", err) != 0 ||
        read_stats(&m->partition_stats, rec, "_PARTITION_STATS", err) != 0 ||
        req_long(&m->schema_id, rec, "_SCHEMA_ID", err) != 0 ||
        opt_long(&m->min_bucket, rec, "_MIN_BUCKET", err) != 0 ||
        opt_long(&m->max_bucket, rec, "_MAX_BUCKET", err) != 0 ||
        opt_long(&m->min_level, rec, "_MIN_LEVEL", err) != 0 ||
        opt_long(&m->max_level, rec, "_MAX_LEVEL", err) != 0 ||
        opt_long(&m->min_row_id, rec, "_MIN_ROW_ID", err) != 0 ||
        opt_long(&m->max_row_id, rec, "_MAX_ROW_ID", err) != 0)
        return -1;
    return 0;
}

int paimon_manifest_list_read(paimon_manifest_file_meta **out, size_t *n, const uint8_t *data,
                              size_t len, mc_err *err)
{
    void *items;
    int rc = read_all(&items, n, sizeof **out, file_meta_record, data, len, "manifest list", err);
    if (rc != 0) {
        paimon_manifest_file_metas_free(items, *n);
        *n = 0;
        *out = NULL;
        return -1;
    }
    *out = items;
    return 0;
}

static int data_file_record(paimon_data_file_meta *f, const paimon_avro_value *rec, mc_err *err)
{
    if (req_string(&f->file_name, rec, "_FILE_NAME", err) != 0 ||
        req_long(&f->file_size, rec, "_FILE_SIZE", err) != 0 ||
        req_long(&f->row_count, rec, "_ROW_COUNT", err) != 0 ||
        req_bytes(&f->min_key, rec, "_MIN_KEY", err) != 0 ||
        req_bytes(&f->max_key, rec, "_MAX_KEY", err) != 0 ||
        read_stats(&f->key_stats, rec, "_KEY_STATS", err) != 0 ||
        read_stats(&f->value_stats, rec, "_VALUE_STATS", err) != 0 ||
        req_long(&f->min_sequence_number, rec, "_MIN_SEQUENCE_NUMBER", err) != 0 ||
        req_long(&f->max_sequence_number, rec, "_MAX_SEQUENCE_NUMBER", err) != 0 ||
        req_long(&f->schema_id, rec, "_SCHEMA_ID", err) != 0 ||
        req_int(&f->level, rec, "_LEVEL", err) != 0)
        return -1;
    const paimon_avro_value *ef = paimon_avro_get(rec, "_EXTRA_FILES");
    if (!paimon_avro_is_null(ef) && str_list(&f->extra_files, &f->n_extra_files, ef, "_EXTRA_FILES", err) != 0)
        return -1;
    if (opt_long(&f->creation_time, rec, "_CREATION_TIME", err) != 0 ||
        opt_long(&f->delete_row_count, rec, "_DELETE_ROW_COUNT", err) != 0 ||
        opt_long(&f->file_source, rec, "_FILE_SOURCE", err) != 0 ||
        opt_str_list(&f->value_stats_cols, rec, "_VALUE_STATS_COLS", err) != 0 ||
        opt_string(&f->external_path, rec, "_EXTERNAL_PATH", err) != 0 ||
        opt_long(&f->first_row_id, rec, "_FIRST_ROW_ID", err) != 0 ||
        opt_str_list(&f->write_cols, rec, "_WRITE_COLS", err) != 0)
        return -1;
    const paimon_avro_value *ei = paimon_avro_get(rec, "_EMBEDDED_FILE_INDEX");
    if (!paimon_avro_is_null(ei)) {
        if (req_bytes(&f->embedded_index, rec, "_EMBEDDED_FILE_INDEX", err) != 0)
            return -1;
        f->has_embedded_index = true;
    }
    const paimon_avro_value *ws = paimon_avro_get(rec, "_WRITE_COLS_SEQUENCES");
    if (!paimon_avro_is_null(ws)) {
        if (ws->kind != PAIMON_AVRO_ARRAY)
            return wrong(err, "_WRITE_COLS_SEQUENCES");
        f->has_write_cols_sequences = true;
        f->n_write_cols_sequences = ws->n;
        f->write_cols_sequences = mc_calloc(ws->n ? ws->n : 1, sizeof(int64_t));
        for (size_t i = 0; i < ws->n; i++)
            f->write_cols_sequences[i] = ws->items[i].l;
    }
    return 0;
}

static int entry_record(void *dst, const paimon_avro_value *rec, mc_err *err)
{
    paimon_manifest_entry *e = dst;
    if (check_version(rec, MANIFEST_VERSION, err) != 0 || req_int(&e->kind, rec, "_KIND", err) != 0 ||
        req_bytes(&e->partition, rec, "_PARTITION", err) != 0 ||
        req_int(&e->bucket, rec, "_BUCKET", err) != 0 ||
        req_int(&e->total_buckets, rec, "_TOTAL_BUCKETS", err) != 0)
        return -1;
    if (e->kind != PAIMON_FILE_ADD && e->kind != PAIMON_FILE_DELETE)
        return mc_err_set(err, MC_ERR_PROTOCOL, "manifest entry kind %d is neither ADD nor DELETE", e->kind);
    const paimon_avro_value *f = req_record(rec, "_FILE", err);
    if (!f)
        return -1;
    if (data_file_record(&e->file, f, err) != 0)
        return mc_err_prefix(err, "_FILE");
    return 0;
}

int paimon_manifest_read(paimon_manifest_entry **out, size_t *n, const uint8_t *data, size_t len,
                         mc_err *err)
{
    void *items;
    if (read_all(&items, n, sizeof **out, entry_record, data, len, "manifest", err) != 0) {
        paimon_manifest_entries_free(items, *n);
        *n = 0;
        *out = NULL;
        return -1;
    }
    *out = items;
    return 0;
}

static int index_entry_record(void *dst, const paimon_avro_value *rec, mc_err *err)
{
    paimon_index_manifest_entry *e = dst;
    if (check_version(rec, INDEX_MANIFEST_VERSION, err) != 0 ||
        req_int(&e->kind, rec, "_KIND", err) != 0 ||
        req_bytes(&e->partition, rec, "_PARTITION", err) != 0 ||
        req_int(&e->bucket, rec, "_BUCKET", err) != 0 ||
        req_string(&e->index_type, rec, "_INDEX_TYPE", err) != 0 ||
        req_string(&e->file_name, rec, "_FILE_NAME", err) != 0 ||
        req_long(&e->file_size, rec, "_FILE_SIZE", err) != 0 ||
        req_long(&e->row_count, rec, "_ROW_COUNT", err) != 0 ||
        opt_string(&e->external_path, rec, "_EXTERNAL_PATH", err) != 0)
        return -1;
    e->has_global_index = !paimon_avro_is_null(paimon_avro_get(rec, "_GLOBAL_INDEX"));
    const paimon_avro_value *r = paimon_avro_get(rec, "_DELETIONS_VECTORS_RANGES");
    if (paimon_avro_is_null(r))
        return 0;
    if (r->kind != PAIMON_AVRO_ARRAY)
        return wrong(err, "_DELETIONS_VECTORS_RANGES");
    e->has_dv_ranges = true;
    e->dv_ranges = mc_calloc(r->n ? r->n : 1, sizeof *e->dv_ranges);
    for (size_t i = 0; i < r->n; i++) {
        const paimon_avro_value *x = &r->items[i];
        if (x->kind != PAIMON_AVRO_RECORD)
            return wrong(err, "_DELETIONS_VECTORS_RANGES");
        paimon_dv_range *d = &e->dv_ranges[i];
        e->n_dv_ranges = i + 1;
        if (req_string(&d->data_file, x, "f0", err) != 0 || req_int(&d->offset, x, "f1", err) != 0 ||
            req_int(&d->length, x, "f2", err) != 0 ||
            opt_long(&d->cardinality, x, "_CARDINALITY", err) != 0)
            return mc_err_prefix(err, "_DELETIONS_VECTORS_RANGES");
    }
    return 0;
}

int paimon_index_manifest_read(paimon_index_manifest_entry **out, size_t *n, const uint8_t *data,
                               size_t len, mc_err *err)
{
    void *items;
    if (read_all(&items, n, sizeof **out, index_entry_record, data, len, "index manifest", err) != 0) {
        paimon_index_manifest_entries_free(items, *n);
        *n = 0;
        *out = NULL;
        return -1;
    }
    *out = items;
    return 0;
}

/* ---- writing ---------------------------------------------------------------- */

static void put_opt_long(mc_buf *b, paimon_opt_long v)
{
    paimon_avro_put_long(b, v.set ? 1 : 0);
    if (v.set)
        paimon_avro_put_long(b, v.v);
}

static void put_opt_string(mc_buf *b, const char *s)
{
    paimon_avro_put_long(b, s ? 1 : 0);
    if (s)
        paimon_avro_put_string(b, s);
}

static void put_strings(mc_buf *b, char **v, size_t n)
{
    if (n) {
        paimon_avro_put_long(b, (int64_t)n);
        for (size_t i = 0; i < n; i++)
            paimon_avro_put_string(b, v[i]);
    }
    paimon_avro_put_long(b, 0);
}

static void put_opt_strings(mc_buf *b, const paimon_str_list *l)
{
    paimon_avro_put_long(b, l->set ? 1 : 0);
    if (l->set)
        put_strings(b, l->items, l->n);
}

static void put_stats(mc_buf *b, const paimon_simple_stats *s)
{
    paimon_avro_put_bytes(b, s->min_values.data, s->min_values.len);
    paimon_avro_put_bytes(b, s->max_values.data, s->max_values.len);
    paimon_avro_put_long(b, s->has_null_counts ? 1 : 0);
    if (!s->has_null_counts)
        return;
    if (s->n_null_counts) {
        paimon_avro_put_long(b, (int64_t)s->n_null_counts);
        for (size_t i = 0; i < s->n_null_counts; i++)
            put_opt_long(b, s->null_counts[i]);
    }
    paimon_avro_put_long(b, 0);
}

static int write_all(mc_buf *out, const char *schema, const char *codec, const void *items,
                     size_t n, size_t elem, void (*enc)(mc_buf *, const void *), mc_err *err)
{
    paimon_avro_writer *w;
    if (paimon_avro_writer_new(&w, schema, codec ? codec : "zstandard", err) != 0)
        return -1;
    mc_buf rec = MC_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        mc_buf_reset(&rec);
        enc(&rec, (const char *)items + i * elem);
        rc = paimon_avro_writer_add(w, rec.data, rec.len, err);
    }
    if (rc == 0)
        rc = paimon_avro_writer_finish(w, out, err);
    mc_buf_free(&rec);
    paimon_avro_writer_free(w);
    return rc;
}

static void enc_file_meta(mc_buf *b, const void *p)
{
    const paimon_manifest_file_meta *m = p;
    paimon_avro_put_long(b, MANIFEST_VERSION);
    paimon_avro_put_string(b, m->file_name);
    paimon_avro_put_long(b, m->file_size);
    paimon_avro_put_long(b, m->num_added_files);
    paimon_avro_put_long(b, m->num_deleted_files);
    put_stats(b, &m->partition_stats);
    paimon_avro_put_long(b, m->schema_id);
    put_opt_long(b, m->min_bucket);
    put_opt_long(b, m->max_bucket);
    put_opt_long(b, m->min_level);
    put_opt_long(b, m->max_level);
    put_opt_long(b, m->min_row_id);
    put_opt_long(b, m->max_row_id);
}

int paimon_manifest_list_write(mc_buf *out, const paimon_manifest_file_meta *m, size_t n,
                               const char *codec, mc_err *err)
{
    return write_all(out, MANIFEST_LIST_SCHEMA, codec, m, n, sizeof *m, enc_file_meta, err);
}

static void enc_entry(mc_buf *b, const void *p)
{
    const paimon_manifest_entry *e = p;
    const paimon_data_file_meta *f = &e->file;
    paimon_avro_put_long(b, MANIFEST_VERSION);
    paimon_avro_put_long(b, e->kind);
    paimon_avro_put_bytes(b, e->partition.data, e->partition.len);
    paimon_avro_put_long(b, e->bucket);
    paimon_avro_put_long(b, e->total_buckets);
    paimon_avro_put_string(b, f->file_name);
    paimon_avro_put_long(b, f->file_size);
    paimon_avro_put_long(b, f->row_count);
    paimon_avro_put_bytes(b, f->min_key.data, f->min_key.len);
    paimon_avro_put_bytes(b, f->max_key.data, f->max_key.len);
    put_stats(b, &f->key_stats);
    put_stats(b, &f->value_stats);
    paimon_avro_put_long(b, f->min_sequence_number);
    paimon_avro_put_long(b, f->max_sequence_number);
    paimon_avro_put_long(b, f->schema_id);
    paimon_avro_put_long(b, f->level);
    put_strings(b, f->extra_files, f->n_extra_files);
    put_opt_long(b, f->creation_time);
    put_opt_long(b, f->delete_row_count);
    paimon_avro_put_long(b, f->has_embedded_index ? 1 : 0);
    if (f->has_embedded_index)
        paimon_avro_put_bytes(b, f->embedded_index.data, f->embedded_index.len);
    put_opt_long(b, f->file_source);
    put_opt_strings(b, &f->value_stats_cols);
    put_opt_string(b, f->external_path);
    put_opt_long(b, f->first_row_id);
    put_opt_strings(b, &f->write_cols);
}

int paimon_manifest_write(mc_buf *out, const paimon_manifest_entry *e, size_t n, const char *codec,
                          mc_err *err)
{
    return write_all(out, MANIFEST_SCHEMA, codec, e, n, sizeof *e, enc_entry, err);
}

static void enc_index_entry(mc_buf *b, const void *p)
{
    const paimon_index_manifest_entry *e = p;
    paimon_avro_put_long(b, INDEX_MANIFEST_VERSION);
    paimon_avro_put_long(b, e->kind);
    paimon_avro_put_bytes(b, e->partition.data, e->partition.len);
    paimon_avro_put_long(b, e->bucket);
    paimon_avro_put_string(b, e->index_type);
    paimon_avro_put_string(b, e->file_name);
    paimon_avro_put_long(b, e->file_size);
    paimon_avro_put_long(b, e->row_count);
    paimon_avro_put_long(b, e->has_dv_ranges ? 1 : 0);
    if (e->has_dv_ranges) {
        if (e->n_dv_ranges) {
            paimon_avro_put_long(b, (int64_t)e->n_dv_ranges);
            for (size_t i = 0; i < e->n_dv_ranges; i++) {
                const paimon_dv_range *d = &e->dv_ranges[i];
                paimon_avro_put_long(b, 1); /* items are ["null", record] */
                paimon_avro_put_string(b, d->data_file);
                paimon_avro_put_long(b, d->offset);
                paimon_avro_put_long(b, d->length);
                put_opt_long(b, d->cardinality);
            }
        }
        paimon_avro_put_long(b, 0);
    }
    put_opt_string(b, e->external_path);
    paimon_avro_put_long(b, 0); /* _GLOBAL_INDEX: not written by us */
}

int paimon_index_manifest_write(mc_buf *out, const paimon_index_manifest_entry *e, size_t n,
                                const char *codec, mc_err *err)
{
    return write_all(out, INDEX_MANIFEST_SCHEMA, codec, e, n, sizeof *e, enc_index_entry, err);
}

/* ---- reconciliation (§4.4) --------------------------------------------------- */

static bool bytes_eq(const paimon_bytes *a, const paimon_bytes *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool same_identifier(const paimon_manifest_entry *a, const paimon_manifest_entry *b)
{
    const paimon_data_file_meta *x = &a->file, *y = &b->file;
    if (a->bucket != b->bucket || x->level != y->level || strcmp(x->file_name, y->file_name) != 0 ||
        !bytes_eq(&a->partition, &b->partition))
        return false;
    if (x->n_extra_files != y->n_extra_files)
        return false;
    for (size_t i = 0; i < x->n_extra_files; i++)
        if (strcmp(x->extra_files[i], y->extra_files[i]) != 0)
            return false;
    if (x->has_embedded_index != y->has_embedded_index ||
        (x->has_embedded_index && !bytes_eq(&x->embedded_index, &y->embedded_index)))
        return false;
    if ((x->external_path == NULL) != (y->external_path == NULL) ||
        (x->external_path && strcmp(x->external_path, y->external_path) != 0))
        return false;
    return true;
}

static uint64_t identifier_hash(const paimon_manifest_entry *e)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = e->file.file_name; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ULL;
    h = (h ^ (uint32_t)e->bucket) * 1099511628211ULL;
    return h;
}

int paimon_manifest_entries_merge(paimon_manifest_entry **out, size_t *nout,
                                  const paimon_manifest_entry *in, size_t n, mc_err *err)
{
    (void)err;
    /* open-addressing table of indexes into `in` for live ADDs */
    size_t cap = 16;
    while (cap < n * 2 + 1)
        cap *= 2;
    size_t *slots = mc_malloc(cap * sizeof *slots);
    for (size_t i = 0; i < cap; i++)
        slots[i] = SIZE_MAX;
    bool *live = mc_calloc(n ? n : 1, sizeof *live);
    for (size_t i = 0; i < n; i++) {
        size_t s = identifier_hash(&in[i]) & (cap - 1);
        size_t found = SIZE_MAX, tomb = SIZE_MAX;
        while (slots[s] != SIZE_MAX) {
            if (slots[s] == SIZE_MAX - 1) {
                if (tomb == SIZE_MAX)
                    tomb = s;
            } else if (same_identifier(&in[slots[s]], &in[i])) {
                found = s;
                break;
            }
            s = (s + 1) & (cap - 1);
        }
        if (in[i].kind == PAIMON_FILE_ADD) {
            if (found != SIZE_MAX)
                continue; /* duplicate ADD: Java fails; keep the first */
            size_t put = tomb != SIZE_MAX ? tomb : s;
            slots[put] = i;
            live[i] = true;
        } else if (found != SIZE_MAX) {
            live[slots[found]] = false;
            slots[found] = SIZE_MAX - 1; /* tombstone */
        }
    }
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++)
        cnt += live[i];
    paimon_manifest_entry *res = mc_calloc(cnt ? cnt : 1, sizeof *res);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (live[i])
            paimon_manifest_entry_copy(&res[k++], &in[i]);
    free(slots);
    free(live);
    *out = res;
    *nout = cnt;
    return 0;
}

/* ---- manifest-list record from entries (§4.2) ------------------------------- */

/* Orders two non-null datums of type t; Java compares strings and binary as
 * unsigned bytes (BinaryString.compareTo). */
static int datum_cmp(const paimon_type *t, const paimon_datum *a, const paimon_datum *b)
{
    switch (t->id) {
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE: return a->d < b->d ? -1 : a->d > b->d;
    case PAIMON_DECIMAL: return a->dec < b->dec ? -1 : a->dec > b->dec;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (a->i != b->i)
            return a->i < b->i ? -1 : 1;
        return a->nanos < b->nanos ? -1 : a->nanos > b->nanos;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY: {
        size_t m = a->len < b->len ? a->len : b->len;
        int c = m ? memcmp(a->ptr, b->ptr, m) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len;
    }
    default: return a->i < b->i ? -1 : a->i > b->i;
    }
}

static void set_min(paimon_opt_long *o, int64_t v)
{
    if (!o->set || v < o->v)
        *o = (paimon_opt_long){true, v};
}

static void set_max(paimon_opt_long *o, int64_t v)
{
    if (!o->set || v > o->v)
        *o = (paimon_opt_long){true, v};
}

int paimon_manifest_file_meta_build(paimon_manifest_file_meta *out, const char *file_name,
                                    int64_t file_size, const paimon_manifest_entry *entries,
                                    size_t n, const paimon_type *const *partition_types,
                                    size_t npart, mc_err *err)
{
    memset(out, 0, sizeof *out);
    paimon_datum *min = mc_calloc(npart + 1, sizeof *min), *max = mc_calloc(npart + 1, sizeof *max);
    paimon_datum *cur = mc_calloc(npart + 1, sizeof *cur);
    bool *seen = mc_calloc(npart + 1, sizeof *seen);
    paimon_opt_long *nulls = mc_calloc(npart + 1, sizeof *nulls);
    bool all_row_ids = n > 0;
    int rc = 0;
    for (size_t i = 0; i < npart; i++)
        nulls[i] = (paimon_opt_long){true, 0};
    for (size_t k = 0; k < n && rc == 0; k++) {
        const paimon_manifest_entry *e = &entries[k];
        if (e->kind == PAIMON_FILE_ADD)
            out->num_added_files++;
        else
            out->num_deleted_files++;
        if (e->file.schema_id > out->schema_id)
            out->schema_id = e->file.schema_id;
        set_min(&out->min_bucket, e->bucket);
        set_max(&out->max_bucket, e->bucket);
        set_min(&out->min_level, e->file.level);
        set_max(&out->max_level, e->file.level);
        if (e->file.first_row_id.set) {
            set_min(&out->min_row_id, e->file.first_row_id.v);
            set_max(&out->max_row_id, e->file.first_row_id.v + e->file.row_count - 1);
        } else {
            all_row_ids = false;
        }
        /* datums borrow the entry's partition bytes, which outlive this loop */
        rc = paimon_binrow_read_serialized(cur, partition_types, npart, e->partition.data,
                                           e->partition.len, err);
        for (size_t i = 0; rc == 0 && i < npart; i++) {
            if (cur[i].is_null) {
                nulls[i].v++;
                continue;
            }
            if (!seen[i] || datum_cmp(partition_types[i], &cur[i], &min[i]) < 0)
                min[i] = cur[i];
            if (!seen[i] || datum_cmp(partition_types[i], &cur[i], &max[i]) > 0)
                max[i] = cur[i];
            seen[i] = true;
        }
    }
    if (rc == 0) {
        for (size_t i = 0; i < npart; i++)
            if (!seen[i])
                min[i] = max[i] = paimon_datum_null();
        /* stats rows are written with all fields nullable (§5.2) */
        paimon_type **nt = mc_calloc(npart + 1, sizeof *nt);
        for (size_t i = 0; i < npart; i++) {
            nt[i] = paimon_type_copy(partition_types[i]);
            nt[i]->nullable = true;
        }
        mc_buf b = MC_BUF_INIT;
        paimon_binrow_write_serialized(&b, (const paimon_type *const *)nt, min, npart);
        out->partition_stats.min_values.data = (uint8_t *)mc_buf_detach(&b, &out->partition_stats.min_values.len);
        paimon_binrow_write_serialized(&b, (const paimon_type *const *)nt, max, npart);
        out->partition_stats.max_values.data = (uint8_t *)mc_buf_detach(&b, &out->partition_stats.max_values.len);
        for (size_t i = 0; i < npart; i++)
            paimon_type_free(nt[i]);
        free(nt);
        out->partition_stats.has_null_counts = true;
        out->partition_stats.null_counts = nulls;
        out->partition_stats.n_null_counts = npart;
        nulls = NULL;
        out->file_name = mc_strdup(file_name);
        out->file_size = file_size;
        if (!all_row_ids)
            out->min_row_id = out->max_row_id = (paimon_opt_long){false, 0};
    }
    free(min);
    free(max);
    free(cur);
    free(seen);
    free(nulls);
    if (rc != 0) {
        memset(out, 0, sizeof *out);
        return mc_err_prefix(err, "manifest partition stats");
    }
    return 0;
}
