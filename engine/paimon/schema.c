/*
 * paimon/schema: parse and print schema files (reference/paimon-format.md §3).
 *
 * Field order on output is Java's TableSchema order: version, id, fields,
 * highestFieldId, partitionKeys, primaryKeys, options, comment (only when
 * set), timeMillis. Unknown members are ignored on input.
 */
#include "paimon/schema.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jackson.h"
#include "strutil.h"

static int strings_from_json(char ***out, size_t *n, const json_t *arr, const char *what,
                             mc_err *err)
{
    *out = NULL;
    *n = 0;
    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr))
        return mc_err_set(err, MC_ERR_INVALID, "schema '%s' is not an array", what);
    size_t cnt = json_array_size(arr);
    char **v = mc_calloc(cnt ? cnt : 1, sizeof *v);
    for (size_t i = 0; i < cnt; i++) {
        const json_t *e = json_array_get(arr, i);
        if (!json_is_string(e)) {
            for (size_t k = 0; k < i; k++)
                free(v[k]);
            free(v);
            return mc_err_set(err, MC_ERR_INVALID, "schema '%s' holds a non-string", what);
        }
        v[i] = mc_strdup(json_string_value(e));
    }
    *out = v;
    *n = cnt;
    return 0;
}

static void strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void paimon_schema_free(paimon_schema *s)
{
    if (!s)
        return;
    paimon_fields_free(s->fields, s->nfields);
    strings_free(s->partition_keys, s->npartition_keys);
    strings_free(s->primary_keys, s->nprimary_keys);
    for (size_t i = 0; i < s->noptions; i++) {
        free(s->options[i].key);
        free(s->options[i].value);
    }
    free(s->options);
    free(s->comment);
    free(s);
}

int paimon_schema_parse(paimon_schema **out, const char *json, size_t len, mc_err *err)
{
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (!root)
        return mc_err_set(err, MC_ERR_INVALID, "schema JSON: %s (line %d)", je.text, je.line);
    paimon_schema *s = mc_calloc(1, sizeof *s);
    int rc = -1;
    if (!json_is_object(root)) {
        mc_err_set(err, MC_ERR_INVALID, "schema JSON is not an object");
        goto done;
    }
    json_t *v = json_object_get(root, "version");
    s->version = json_is_integer(v) ? (int32_t)json_integer_value(v) : 1;
    v = json_object_get(root, "id");
    if (!json_is_integer(v)) {
        mc_err_set(err, MC_ERR_INVALID, "schema JSON lacks an integer 'id'");
        goto done;
    }
    s->id = json_integer_value(v);
    if (paimon_fields_from_json(&s->fields, &s->nfields, json_object_get(root, "fields"), err) != 0)
        goto done;
    v = json_object_get(root, "highestFieldId");
    s->highest_field_id = json_is_integer(v) ? (int32_t)json_integer_value(v) : -1;
    if (strings_from_json(&s->partition_keys, &s->npartition_keys,
                          json_object_get(root, "partitionKeys"), "partitionKeys", err) != 0 ||
        strings_from_json(&s->primary_keys, &s->nprimary_keys, json_object_get(root, "primaryKeys"),
                          "primaryKeys", err) != 0)
        goto done;
    json_t *opts = json_object_get(root, "options");
    if (json_is_object(opts)) {
        const char *k;
        json_t *ov;
        s->options = mc_calloc(json_object_size(opts) + 1, sizeof *s->options);
        json_object_foreach(opts, k, ov) {
            if (!json_is_string(ov)) {
                mc_err_set(err, MC_ERR_INVALID, "schema option '%s' is not a string", k);
                goto done;
            }
            s->options[s->noptions].key = mc_strdup(k);
            s->options[s->noptions].value = mc_strdup(json_string_value(ov));
            s->noptions++;
        }
    }
    v = json_object_get(root, "comment");
    if (json_is_string(v))
        s->comment = mc_strdup(json_string_value(v));
    v = json_object_get(root, "timeMillis");
    s->time_millis = json_is_integer(v) ? json_integer_value(v) : 0;
    rc = 0;
done:
    json_decref(root);
    if (rc != 0) {
        paimon_schema_free(s);
        return mc_err_prefix(err, "schema");
    }
    *out = s;
    return 0;
}

static json_t *strings_to_json(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

void paimon_schema_write(mc_buf *out, const paimon_schema *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(s->version));
    json_object_set_new(o, "id", json_integer(s->id));
    json_object_set_new(o, "fields", paimon_fields_to_json(s->fields, s->nfields));
    json_object_set_new(o, "highestFieldId", json_integer(s->highest_field_id));
    json_object_set_new(o, "partitionKeys", strings_to_json(s->partition_keys, s->npartition_keys));
    json_object_set_new(o, "primaryKeys", strings_to_json(s->primary_keys, s->nprimary_keys));
    json_t *opts = json_object();
    for (size_t i = 0; i < s->noptions; i++)
        json_object_set_new(opts, s->options[i].key, json_string(s->options[i].value));
    json_object_set_new(o, "options", opts);
    if (s->comment)
        json_object_set_new(o, "comment", json_string(s->comment));
    json_object_set_new(o, "timeMillis", json_integer(s->time_millis));
    mc_json_jackson_dump(out, o);
    json_decref(o);
}

const char *paimon_schema_option(const paimon_schema *s, const char *key)
{
    for (size_t i = 0; i < s->noptions; i++)
        if (strcmp(s->options[i].key, key) == 0)
            return s->options[i].value;
    return NULL;
}

int paimon_schema_option_bool(bool *out, const paimon_schema *s, const char *key, mc_err *err)
{
    const char *v = paimon_schema_option(s, key);
    *out = false;
    if (!v)
        return 0;
    if (!strcasecmp(v, "true"))
        *out = true;
    else if (strcasecmp(v, "false") != 0)
        return mc_err_set(err, MC_ERR_INVALID, "Could not parse value '%s' for key '%s'.", v, key);
    return 0;
}

void paimon_schema_set_option(paimon_schema *s, const char *key, const char *value)
{
    for (size_t i = 0; i < s->noptions; i++) {
        if (strcmp(s->options[i].key, key) == 0) {
            free(s->options[i].value);
            s->options[i].value = mc_strdup(value);
            return;
        }
    }
    s->options = mc_realloc(s->options, (s->noptions + 1) * sizeof *s->options);
    s->options[s->noptions].key = mc_strdup(key);
    s->options[s->noptions].value = mc_strdup(value);
    s->noptions++;
}

int32_t paimon_schema_bucket(const paimon_schema *s)
{
    const char *b = paimon_schema_option(s, "bucket");
    if (b)
        return (int32_t)strtol(b, NULL, 10);
    return s->version <= 1 ? 1 : -1;
}

const char *paimon_schema_file_format(const paimon_schema *s)
{
    const char *f = paimon_schema_option(s, "file.format");
    if (f)
        return f;
    return s->version <= 2 ? "orc" : "parquet";
}

/* Units of paimon-api options/MemorySize.MemoryUnit, in its order. */
static const struct {
    const char *names[3];
    int64_t multiplier;
} memory_units[] = {
    {{"b", "bytes", NULL}, 1},
    {{"k", "kb", "kibibytes"}, 1LL << 10},
    {{"m", "mb", "mebibytes"}, 1LL << 20},
    {{"g", "gb", "gibibytes"}, 1LL << 30},
    {{"t", "tb", "tebibytes"}, 1LL << 40},
};

int paimon_memory_size_parse(int64_t *out, const char *text, mc_err *err)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    const char *digits = p;
    int64_t value = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (value > (INT64_MAX - (*p - '0')) / 10)
            return mc_err_set(err, MC_ERR_INVALID, "The value '%s' cannot be re represented as 64bit number "
                                                   "(numeric overflow).", text);
        value = value * 10 + (*p - '0');
    }
    if (p == digits)
        return mc_err_set(err, MC_ERR_INVALID, "memory size '%s' does not start with a number", text);
    while (isspace((unsigned char)*p))
        p++;
    size_t ulen = strlen(p);
    while (ulen && isspace((unsigned char)p[ulen - 1]))
        ulen--;
    int64_t multiplier = 1;
    if (ulen) {
        bool found = false;
        for (size_t u = 0; u < sizeof memory_units / sizeof *memory_units && !found; u++)
            for (size_t k = 0; k < 3 && memory_units[u].names[k] && !found; k++)
                if (strlen(memory_units[u].names[k]) == ulen && !strncasecmp(p, memory_units[u].names[k], ulen)) {
                    found = true;
                    multiplier = memory_units[u].multiplier;
                }
        if (!found)
            return mc_err_set(err, MC_ERR_INVALID,
                              "Memory size unit '%.*s' does not match any of the recognized units: (b | bytes) / "
                              "(k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | "
                              "tebibytes)",
                              (int)ulen, p);
    }
    if (value > INT64_MAX / multiplier)
        return mc_err_set(err, MC_ERR_INVALID,
                          "The value '%s' cannot be re represented as 64bit number of bytes (numeric overflow).",
                          text);
    *out = value * multiplier;
    return 0;
}

int paimon_schema_target_file_size(int64_t *out, const paimon_schema *s, mc_err *err)
{
    const char *v = paimon_schema_option(s, "target-file-size");
    if (!v) {
        *out = s->nprimary_keys ? 128LL << 20 : 256LL << 20;
        return 0;
    }
    if (paimon_memory_size_parse(out, v, err))
        return mc_err_prefix(err, "option target-file-size");
    if (*out <= 0)
        return mc_err_set(err, MC_ERR_INVALID, "option target-file-size: '%s' must be positive", v);
    return 0;
}

int paimon_schema_target_file_row_num(int64_t *out, const paimon_schema *s, mc_err *err)
{
    const char *v = paimon_schema_option(s, "target-file-row-num");
    *out = INT64_MAX;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    /* RollingFileWriterImpl: "targetFileRowNum must be positive" */
    if (errno || end == v || *end || n <= 0)
        return mc_err_set(err, MC_ERR_INVALID, "option target-file-row-num: '%s' is not a positive whole number", v);
    *out = n;
    return 0;
}

int paimon_schema_field_index(const paimon_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

static bool in_list(char **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], name) == 0)
            return true;
    return false;
}

int paimon_schema_trimmed_pk(int *idx, const paimon_schema *s)
{
    int n = 0;
    for (size_t i = 0; i < s->nprimary_keys; i++) {
        if (in_list(s->partition_keys, s->npartition_keys, s->primary_keys[i]))
            continue;
        int f = paimon_schema_field_index(s, s->primary_keys[i]);
        if (f >= 0)
            idx[n++] = f;
    }
    return n;
}

int paimon_schema_bucket_key(int *idx, const paimon_schema *s, mc_err *err)
{
    const char *bk = paimon_schema_option(s, "bucket-key");
    if (!bk || !*bk)
        return paimon_schema_trimmed_pk(idx, s);
    int n = 0;
    const char *p = bk;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *name = mc_str_trim_dup(p, len);
        int f = paimon_schema_field_index(s, name);
        if (f < 0) {
            mc_err_set(err, MC_ERR_INVALID, "bucket-key column '%s' is not in the schema", name);
            free(name);
            return -1;
        }
        free(name);
        if ((size_t)n >= s->nfields)
            return mc_err_set(err, MC_ERR_INVALID, "bucket-key lists too many columns");
        idx[n++] = f;
        if (!e)
            break;
        p = e + 1;
    }
    return n;
}
