/* paimon/validate: see validate.h. Each check names the Java method it
 * follows; messages are Java's texts, lists printed as Java's List.toString
 * ("[a, b]"). Checks run in Java's order: the client's
 * CatalogUtils.validateCreateTable, the TableSchema constructor (trimmed
 * primary key, bucket keys), then SchemaValidation.validateTableSchema. */
#include "paimon/validate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paimon/merge.h"
#include "strutil.h"

typedef struct {
    char **v;
    size_t n;
} name_list;

/* Java's String.split(","): empty pieces kept, trailing empty ones dropped. */
static name_list split_commas(const char *text)
{
    name_list l = {mc_calloc(strlen(text) + 2, sizeof *l.v), 0};
    for (const char *p = text;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        l.v[l.n++] = mc_strndup(p, len);
        if (!c)
            break;
        p = c + 1;
    }
    while (l.n > 1 && !l.v[l.n - 1][0])
        free(l.v[--l.n]);
    return l;
}

static void name_list_free(name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* StringUtils.isNullOrWhitespaceOnly, for a non-NULL string. */
static bool blank(const char *s)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    return !*s;
}

static bool listed(char *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], name))
            return true;
    return false;
}

static bool contains_all(char *const *all, size_t nall, char *const *sub, size_t nsub)
{
    for (size_t i = 0; i < nsub; i++)
        if (!listed(all, nall, sub[i]))
            return false;
    return true;
}

/* Appends List.toString of v. */
static const char *java_list(mc_buf *b, char *const *v, size_t n)
{
    mc_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++)
        mc_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
    mc_buf_putc(b, ']');
    return mc_buf_cstr(b);
}

static char **field_names(const paimon_schema *s)
{
    char **v = mc_calloc(s->nfields + 1, sizeof *v);
    for (size_t i = 0; i < s->nfields; i++)
        v[i] = s->fields[i].name;
    return v;
}

/* "Primary keys [a] should contains all bucket keys [b]." and the like. */
static int lists_error(mc_err *err, const char *fmt, char *const *a, size_t na, char *const *b, size_t nb)
{
    mc_buf x = MC_BUF_INIT, y = MC_BUF_INIT;
    java_list(&x, a, na);
    java_list(&y, b, nb);
    char *msg = mc_asprintf(fmt, x.data, y.data);
    mc_err_set(err, MC_ERR_INVALID, "%s", msg);
    free(msg);
    mc_buf_free(&x);
    mc_buf_free(&y);
    return -1;
}

/* CatalogUtils.validateCreateTable, the checks that concern tables mcdlf makes. */
static int validate_create_request(const paimon_schema *s, mc_err *err)
{
    bool auto_create;
    if (paimon_schema_option_bool(&auto_create, s, "auto-create", err))
        return -1;
    if (auto_create)
        return mc_err_set(err, MC_ERR_INVALID, "The value of auto-create property should be false.");
    const char *rows = paimon_schema_option(s, "target-file-row-num");
    long long n;
    if (rows && mc_parse_i64(rows, &n))
        return mc_err_set(err, MC_ERR_INVALID, "Could not parse value '%s' for key 'target-file-row-num'.", rows);
    if (rows && n <= 0)
        return mc_err_set(err, MC_ERR_INVALID, "target-file-row-num should be at least 1.");
    return 0;
}

/* TableSchema.trimmedPrimaryKeys and originalBucketKeys. */
static int validate_keys(const paimon_schema *s, mc_err *err)
{
    if (s->nprimary_keys && contains_all(s->partition_keys, s->npartition_keys, s->primary_keys, s->nprimary_keys))
        return lists_error(err,
                           "Primary key constraint %s should not be same with partition fields %s, this will result "
                           "in only one record in a partition",
                           s->primary_keys, s->nprimary_keys, s->partition_keys, s->npartition_keys);
    const char *key = paimon_schema_option(s, "bucket-key");
    if (!key || blank(key))
        return 0;
    name_list b = split_commas(key);
    char **names = field_names(s);
    int rc = 0;
    if (!contains_all(names, s->nfields, b.v, b.n))
        rc = lists_error(err, "Field names %s should contains all bucket keys %s.", names, s->nfields, b.v, b.n);
    for (size_t i = 0; i < b.n && rc == 0; i++)
        if (listed(s->partition_keys, s->npartition_keys, b.v[i]))
            rc = lists_error(err, "Bucket keys %s should not in partition keys %s.", b.v, b.n, s->partition_keys,
                             s->npartition_keys);
    if (rc == 0 && s->nprimary_keys && !contains_all(s->primary_keys, s->nprimary_keys, b.v, b.n))
        rc = lists_error(err, "Primary keys %s should contains all bucket keys %s.", s->primary_keys,
                         s->nprimary_keys, b.v, b.n);
    free(names);
    name_list_free(&b);
    return rc;
}

/* SchemaValidation.validateOnlyContainPrimitiveType: PRIMARY_KEY_UNSUPPORTED_LOGICAL_TYPES by class name. */
static int validate_primitive(const paimon_schema *s, char *const *keys, size_t n, const char *intro, mc_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int k = paimon_schema_field_index(s, keys[i]);
        if (k < 0)
            return mc_err_set(err, MC_ERR_INVALID, "Cannot find field: %s", keys[i]);
        const char *cls = NULL;
        switch (s->fields[k].type->id) {
        case PAIMON_MAP: cls = "MapType"; break;
        case PAIMON_ARRAY: cls = "ArrayType"; break;
        case PAIMON_ROW: cls = "RowType"; break;
        case PAIMON_MULTISET: cls = "MultisetType"; break;
        case PAIMON_VECTOR: cls = "VectorType"; break;
        case PAIMON_VARIANT: cls = "VariantType"; break;
        default: break;
        }
        if (cls)
            return mc_err_set(err, MC_ERR_INVALID, "The type %s in %s field %s is unsupported", cls, intro, keys[i]);
    }
    return 0;
}

static bool nested(const paimon_type *t)
{
    return t->id == PAIMON_ARRAY || t->id == PAIMON_MULTISET || t->id == PAIMON_MAP || t->id == PAIMON_ROW;
}

/* SchemaValidation.validateBucket. A new schema has version 3, so a bucketed
 * append table always needs a bucket-key (the PAIMON_07_VERSION exception
 * does not apply). */
static int validate_bucket(const paimon_schema *s, mc_err *err)
{
    int32_t bucket = paimon_schema_bucket(s);
    const char *key = paimon_schema_option(s, "bucket-key");
    if (bucket == -1) {
        if (key)
            return mc_err_set(err, MC_ERR_INVALID,
                              "Cannot define 'bucket-key' with bucket = -1, please remove the 'bucket-key' setting "
                              "or specify a bucket number.");
        if (!s->nprimary_keys && paimon_schema_option(s, "full-compaction.delta-commits"))
            return mc_err_set(err, MC_ERR_INVALID,
                              "AppendOnlyTable of unaware or dynamic bucket does not support "
                              "'full-compaction.delta-commits'");
        return 0;
    }
    if (bucket < 1 && !(bucket == -2 && s->nprimary_keys)) /* -2: a postpone-bucket primary-key table */
        return mc_err_set(err, MC_ERR_INVALID, "The number of buckets needs to be greater than 0.");
    bool has_key = key && !blank(key);
    if (!s->nprimary_keys && !has_key && (bucket != 1 || s->version != 1))
        return mc_err_set(err, MC_ERR_INVALID, "You should define a 'bucket-key' for bucketed append mode.");
    if (!has_key)
        return 0; /* the trimmed primary key: validate_primitive checked its types */
    name_list b = split_commas(key);
    name_list bad = {mc_calloc(s->nfields + 1, sizeof *bad.v), 0};
    for (size_t i = 0; i < s->nfields; i++)
        if (listed(b.v, b.n, s->fields[i].name) && nested(s->fields[i].type))
            bad.v[bad.n++] = s->fields[i].name;
    int rc = 0;
    if (bad.n) {
        mc_buf l = MC_BUF_INIT;
        rc = mc_err_set(err, MC_ERR_INVALID, "nested type can not in bucket-key, in your table these key are %s",
                        java_list(&l, bad.v, bad.n));
        mc_buf_free(&l);
    }
    free(bad.v);
    name_list_free(&b);
    return rc;
}

/* SchemaValidation.validateFieldsPrefix: every fields.<f1,f2>.* option names columns. */
static int validate_fields_prefix(const paimon_schema *s, mc_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < s->noptions && rc == 0; i++) {
        const char *k = s->options[i].key;
        if (strncmp(k, "fields.", 7) != 0)
            continue;
        const char *end = strchr(k + 7, '.');
        char *seg = end ? mc_strndup(k + 7, (size_t)(end - k - 7)) : mc_strdup(k + 7);
        name_list f = split_commas(seg);
        for (size_t j = 0; j < f.n && rc == 0; j++)
            if (strcmp(f.v[j], "default-aggregate-function") != 0 && paimon_schema_field_index(s, f.v[j]) < 0)
                rc = mc_err_set(err, MC_ERR_INVALID, "Field %s can not be found in table schema.", f.v[j]);
        /* PAIMON-6471: fields.<row>.<member>.<option> paths into ROW columns are refused. */
        int parent = f.n == 1 ? paimon_schema_field_index(s, f.v[0]) : -1;
        if (rc == 0 && end && strchr(end + 1, '.') && parent >= 0 && s->fields[parent].type->id == PAIMON_ROW)
            rc = mc_err_set(err, MC_ERR_INVALID, "Nested-field path is not supported on ROW field '%s': %s", f.v[0],
                            k);
        name_list_free(&f);
        free(seg);
    }
    return rc;
}

typedef enum { CP_NONE, CP_INPUT, CP_FULL_COMPACTION, CP_LOOKUP } changelog_producer;

/* CoreOptions.CHANGELOG_PRODUCER. */
static int changelog_producer_of(changelog_producer *out, const paimon_schema *s, mc_err *err)
{
    static const char *const names[] = {"none", "input", "full-compaction", "lookup"};
    const char *v = paimon_schema_option(s, "changelog-producer");
    *out = CP_NONE;
    if (!v)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcasecmp(v, names[i])) {
            *out = (changelog_producer)i;
            return 0;
        }
    return mc_err_set(err, MC_ERR_INVALID, "Could not parse value '%s' for key 'changelog-producer'.", v);
}

/* SchemaValidation.validateSequenceField's cross-partition rule (its other
 * rules are paimon/merge's, run through paimon_merge_new). */
static int validate_sequence_cross_partition(const paimon_schema *s, mc_err *err)
{
    if (!paimon_schema_option(s, "sequence.field") || !s->nprimary_keys || !s->npartition_keys ||
        contains_all(s->primary_keys, s->nprimary_keys, s->partition_keys, s->npartition_keys))
        return 0;
    return lists_error(err,
                       "You can not use sequence.field in cross partition update case (Primary key constraint '%s' "
                       "not include all partition fields '%s').",
                       s->primary_keys, s->nprimary_keys, s->partition_keys, s->npartition_keys);
}

/* SpecialFields.SYSTEM_FIELD_NAMES is a HashSet: Java prints it in its hash
 * order, which for these five names is the order below. */
static int validate_field_names(const paimon_schema *s, mc_err *err)
{
    static const char *const system[] = {"_VALUE_KIND", "_ROW_ID", "rowkind", "_LEVEL", "_SEQUENCE_NUMBER"};
    for (size_t i = 0; i < s->nfields; i++) {
        const char *f = s->fields[i].name;
        for (size_t k = 0; k < sizeof system / sizeof *system; k++)
            if (!strcmp(f, system[k]))
                return mc_err_set(err, MC_ERR_INVALID,
                                  "Field name[%s] in schema cannot be exist in [_VALUE_KIND, _ROW_ID, rowkind, "
                                  "_LEVEL, _SEQUENCE_NUMBER]",
                                  f);
        if (!strncmp(f, "_KEY_", 5))
            return mc_err_set(err, MC_ERR_INVALID, "Field name[%s] in schema cannot start with [_KEY_]", f);
    }
    return 0;
}

/* The option checks of validateTableSchema after the merge function. */
static int validate_options(const paimon_schema *s, paimon_merge_engine engine, changelog_producer cp, mc_err *err)
{
    if (validate_field_names(s, err))
        return -1;
    if (engine == PAIMON_MERGE_FIRST_ROW && cp != CP_NONE && cp != CP_LOOKUP)
        return mc_err_set(err, MC_ERR_INVALID,
                          "Only support 'none' and 'lookup' changelog-producer on FIRST_ROW merge engine");
    const char *rowkind = paimon_schema_option(s, "rowkind.field");
    if (rowkind && paimon_schema_field_index(s, rowkind) < 0)
        return mc_err_set(err, MC_ERR_INVALID, "Rowkind field: '%s' can not be found in table schema.", rowkind);
    bool dv, override;
    if (paimon_schema_option_bool(&dv, s, "deletion-vectors.enabled", err) ||
        paimon_schema_option_bool(&override, s, "pk-clustering-override", err))
        return -1;
    if (!dv)
        return 0; /* validateForDeletionVectors */
    if (cp == CP_FULL_COMPACTION)
        return mc_err_set(err, MC_ERR_INVALID,
                          "Deletion vectors mode is only supported for NONE/INPUT/LOOKUP changelog producer now.");
    if (!override && engine == PAIMON_MERGE_FIRST_ROW)
        return mc_err_set(err, MC_ERR_INVALID,
                          "First row merge engine does not need deletion vectors because there is no deletion of old "
                          "data in this merge engine.");
    return 0;
}

int paimon_schema_validate(const paimon_schema *s, mc_err *err)
{
    if (validate_create_request(s, err) || validate_keys(s, err) ||
        validate_primitive(s, s->primary_keys, s->nprimary_keys, "primary key", err) ||
        validate_primitive(s, s->partition_keys, s->npartition_keys, "partition", err) || validate_bucket(s, err) ||
        validate_fields_prefix(s, err))
        return -1;
    paimon_merge_engine engine;
    changelog_producer cp;
    if (paimon_merge_engine_parse(&engine, s, err))
        return -1;
    if (s->nprimary_keys) {
        /* validateSequenceField, validateMergeFunction and validateMergeFunctionFactory:
         * building the merge runs the merge functions' factory checks. */
        paimon_merge *m;
        if (paimon_merge_new(&m, s, err))
            return -1;
        paimon_merge_free(m);
    }
    if (validate_sequence_cross_partition(s, err) || changelog_producer_of(&cp, s, err))
        return -1;
    if (!s->nprimary_keys && cp != CP_NONE)
        return mc_err_set(err, MC_ERR_INVALID,
                          "Can not set changelog-producer on table without primary keys, please define primary keys.");
    return validate_options(s, engine, cp, err);
}
