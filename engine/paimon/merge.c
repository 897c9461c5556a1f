/* paimon/merge: see merge.h. Engine semantics follow Java Paimon's merge
 * functions (DeduplicateMergeFunction, PartialUpdateMergeFunction,
 * aggregate/AggregateMergeFunction with the aggregate/Field*Agg classes,
 * FirstRowMergeFunction), option names and defaults its CoreOptions, and
 * the single-version pass-through its ReducerMergeFunctionWrapper. */
#include "paimon/merge.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paimon/binrow.h"
#include "paimon/writer.h"
#include "strutil.h"

typedef enum {
    AGG_PRIMARY_KEY, /* key columns keep the input (FieldPrimaryKeyAgg) */
    AGG_SUM,
    AGG_PRODUCT,
    AGG_MIN,
    AGG_MAX,
    AGG_LAST_VALUE,
    AGG_LAST_NON_NULL_VALUE,
    AGG_FIRST_VALUE,
    AGG_FIRST_NON_NULL_VALUE,
    AGG_BOOL_AND,
    AGG_BOOL_OR,
    AGG_LISTAGG
} agg_fn;

typedef struct {
    agg_fn fn;
    const char *name;      /* the function's identifier, for messages */
    bool ignore_retract;   /* fields.<f>.ignore-retract */
    const char *delimiter; /* listagg: fields.<f>.list-agg-delimiter (default ",") */
    bool distinct;         /* listagg: fields.<f>.distinct */
} agg;

typedef struct {
    int *fields; /* the group's sequence fields */
    size_t n;
} seq_group;

struct paimon_merge {
    const paimon_schema *s;
    paimon_merge_engine engine;
    bool ignore_delete;
    bool remove_record_on_delete; /* partial-update.* or aggregation.* */
    int *seq_idx;                 /* sequence.field columns */
    size_t nseq;
    bool seq_descending;
    agg *aggs;                    /* one per field (partial-update: where has_agg) */
    bool *has_agg;
    bool *initialized;            /* first_value / first_non_null_value state of the current key */
    /* partial-update sequence groups: fields.<s1,s2>.sequence-group = <protected fields> */
    seq_group *groups;
    size_t ngroups;
    int *group_of;                /* per field: the group ordering it (its sequence or protected field), or -1 */
    bool *group_seq;              /* per field: a sequence field of its group */
    bool *partial_delete;         /* per field: listed in partial-update.remove-record-on-sequence-group */
    bool *processed;              /* scratch, per field */
    char **owned;                 /* values produced by merges */
    size_t nowned;
};

/* ---- options ----------------------------------------------------------------------- */

static const char *field_option(const paimon_schema *s, const char *field, const char *suffix)
{
    char *key = mc_asprintf("fields.%s.%s", field, suffix);
    const char *v = paimon_schema_option(s, key);
    free(key);
    return v;
}

/* `ignore-delete` with its fallback keys (CoreOptions.IGNORE_DELETE). */
static int ignore_delete_option(bool *out, const paimon_schema *s, mc_err *err)
{
    static const char *const keys[] = {"ignore-delete", "first-row.ignore-delete", "deduplicate.ignore-delete",
                                       "partial-update.ignore-delete"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (paimon_schema_option(s, keys[i]))
            return paimon_schema_option_bool(out, s, keys[i], err);
    *out = false;
    return 0;
}

static bool listed(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

/* sequence.field: a comma list of columns (CoreOptions.sequenceField). */
static int sequence_fields(paimon_merge *m, mc_err *err)
{
    const char *v = paimon_schema_option(m->s, "sequence.field");
    if (!v)
        return 0;
    m->seq_idx = mc_calloc(m->s->nfields + 1, sizeof *m->seq_idx);
    char *copy = mc_strdup(v), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
        char *name = mc_str_trim_dup(tok, strlen(tok));
        int idx = paimon_schema_field_index(m->s, name);
        bool repeated = false;
        for (size_t k = 0; k < m->nseq && idx >= 0; k++)
            repeated |= m->seq_idx[k] == idx;
        /* SchemaValidation.validateSequenceField */
        if (idx < 0)
            rc = mc_err_set(err, MC_ERR_INVALID, "Sequence field: '%s' can not be found in table schema.", name);
        else if (field_option(m->s, name, "aggregate-function"))
            rc = mc_err_set(err, MC_ERR_INVALID, "Should not define aggregation on sequence field: '%s'.", name);
        else if (repeated || m->nseq >= m->s->nfields)
            rc = mc_err_set(err, MC_ERR_INVALID, "Sequence field '%s' is defined repeatedly.", name);
        else
            m->seq_idx[m->nseq++] = idx;
        free(name);
    }
    free(copy);
    if (rc == 0 && m->engine == PAIMON_MERGE_FIRST_ROW)
        rc = mc_err_set(err, MC_ERR_INVALID, "Do not support use sequence field on FIRST_ROW merge engine.");
    const char *order = paimon_schema_option(m->s, "sequence.field.sort-order");
    if (rc == 0 && order) {
        if (!strcasecmp(order, "descending"))
            m->seq_descending = true;
        else if (strcasecmp(order, "ascending") != 0)
            rc = mc_err_set(err, MC_ERR_INVALID, "Could not parse value '%s' for key 'sequence.field.sort-order'.",
                            order);
    }
    return rc;
}

static bool is_numeric(const paimon_type *t)
{
    return t->id >= PAIMON_TINYINT && t->id <= PAIMON_DECIMAL;
}

static bool is_comparable(const paimon_type *t)
{
    return t->id != PAIMON_ARRAY && t->id != PAIMON_MAP && t->id != PAIMON_MULTISET && t->id != PAIMON_ROW &&
           t->id != PAIMON_VARIANT && t->id != PAIMON_BLOB && t->id != PAIMON_VECTOR;
}

/* The aggregate functions of the aggregation engine, with the type each
 * accepts (aggregate/factory/Field*AggFactory). Functions Java has that we
 * do not implement are refused by name. */
static int agg_for(agg *a, const paimon_schema *s, const paimon_field *f, const char *fn, mc_err *err)
{
    static const struct {
        const char *name;
        agg_fn fn;
    } known[] = {{"sum", AGG_SUM},
                 {"product", AGG_PRODUCT},
                 {"min", AGG_MIN},
                 {"max", AGG_MAX},
                 {"last_value", AGG_LAST_VALUE},
                 {"last_non_null_value", AGG_LAST_NON_NULL_VALUE},
                 {"first_value", AGG_FIRST_VALUE},
                 {"first_non_null_value", AGG_FIRST_NON_NULL_VALUE},
                 {"first_not_null_value", AGG_FIRST_NON_NULL_VALUE}, /* legacy name */
                 {"bool_and", AGG_BOOL_AND},
                 {"bool_or", AGG_BOOL_OR},
                 {"listagg", AGG_LISTAGG}};
    static const char *const not_yet[] = {"collect",      "merge_map", "merge_map_with_keytime", "nested_update",
                                          "nested_partial_update", "rbm32", "rbm64", "hll_sketch",
                                          "theta_sketch"};
    memset(a, 0, sizeof *a);
    size_t i = 0;
    while (i < sizeof known / sizeof *known && strcmp(known[i].name, fn) != 0)
        i++;
    if (i == sizeof known / sizeof *known) {
        for (size_t k = 0; k < sizeof not_yet / sizeof *not_yet; k++)
            if (!strcmp(not_yet[k], fn))
                return mc_err_set(err, MC_ERR_UNSUPPORTED, "aggregate function '%s' (field %s) is not supported yet",
                                  fn, f->name);
        /* FactoryUtil.discoverFactory throws before FieldAggregatorFactory.create's own
         * "Use unsupported aggregation" text can; the list of available identifiers that
         * follows in Java (it depends on the classpath) is left out. */
        return mc_err_set(err, MC_ERR_INVALID,
                          "Could not find any factory for identifier '%s' that implements "
                          "'org.apache.paimon.mergetree.compact.aggregate.factory.FieldAggregatorFactory' in the "
                          "classpath.",
                          fn);
    }
    a->fn = known[i].fn;
    a->name = known[i].name;
    const paimon_type *t = f->type;
    const char *want = NULL;
    if ((a->fn == AGG_SUM || a->fn == AGG_PRODUCT) && !is_numeric(t))
        want = "a numeric type";
    else if ((a->fn == AGG_BOOL_AND || a->fn == AGG_BOOL_OR) && t->id != PAIMON_BOOLEAN)
        want = "BOOLEAN";
    else if ((a->fn == AGG_MIN || a->fn == AGG_MAX) && !is_comparable(t))
        want = "a comparable type";
    else if (a->fn == AGG_LISTAGG && (t->id != PAIMON_VARCHAR || t->length != PAIMON_MAX_LENGTH))
        want = "STRING";
    if (want) {
        mc_buf ts = MC_BUF_INIT;
        paimon_type_to_sql(&ts, t);
        mc_err_set(err, MC_ERR_INVALID, "aggregate function '%s' needs %s, but field %s is %s", fn, want, f->name,
                   mc_buf_cstr(&ts));
        mc_buf_free(&ts);
        return -1;
    }
    if (a->fn == AGG_PRODUCT && t->id == PAIMON_DECIMAL && t->precision > 18)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "product of DECIMAL(%d, %d) (field %s) is not supported yet",
                          t->precision, t->scale, f->name);
    a->delimiter = field_option(s, f->name, "list-agg-delimiter");
    if (!a->delimiter)
        a->delimiter = ","; /* CoreOptions.fieldListAggDelimiter default */
    const char *d = field_option(s, f->name, "distinct");
    a->distinct = d && !strcasecmp(d, "true");
    if (a->fn == AGG_LISTAGG && a->distinct && !a->delimiter[0])
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "listagg distinct with an empty delimiter (field %s)", f->name);
    const char *ir = field_option(s, f->name, "ignore-retract");
    a->ignore_retract = ir && !strcasecmp(ir, "true");
    return 0;
}

/* AggregateMergeFunction.getAggFuncName: sequence fields keep the last
 * value, key columns their input, others their function, the default
 * function, or last_non_null_value. */
static int aggregation_init(paimon_merge *m, mc_err *err)
{
    const paimon_schema *s = m->s;
    m->aggs = mc_calloc(s->nfields + 1, sizeof *m->aggs);
    m->initialized = mc_calloc(s->nfields + 1, sizeof *m->initialized);
    const char *dflt = paimon_schema_option(s, "fields.default-aggregate-function");
    for (size_t i = 0; i < s->nfields; i++) {
        const paimon_field *f = &s->fields[i];
        bool is_seq = false;
        for (size_t k = 0; k < m->nseq; k++)
            is_seq |= m->seq_idx[k] == (int)i;
        if (listed(s->primary_keys, s->nprimary_keys, f->name)) {
            m->aggs[i] = (agg){.fn = AGG_PRIMARY_KEY, .name = "primary-key"};
            continue;
        }
        const char *fn = is_seq ? "last_value" : field_option(s, f->name, "aggregate-function");
        if (!fn)
            fn = dflt ? dflt : "last_non_null_value";
        if (agg_for(&m->aggs[i], s, f, fn, err))
            return -1;
        if (m->remove_record_on_delete && m->aggs[i].ignore_retract)
            return mc_err_set(err, MC_ERR_INVALID,
                              "aggregation.remove-record-on-delete and fields.%s.ignore-retract have conflicting "
                              "behavior so should not be enabled at the same time.",
                              f->name);
    }
    return 0;
}

/* Field index by exact name (PartialUpdateMergeFunction.requireField). */
static int require_field(const paimon_schema *s, const char *name, mc_err *err)
{
    int i = paimon_schema_field_index(s, name);
    if (i < 0)
        mc_err_set(err, MC_ERR_INVALID, "Field %s can not be found in table schema", name);
    return i;
}

/* Splits a comma list into field indexes (no trimming, as Java's split). */
static int field_list(int **out, size_t *n, const paimon_schema *s, const char *list, mc_err *err)
{
    char *copy = mc_strdup(list);
    *out = mc_calloc(strlen(list) + 2, sizeof **out);
    *n = 0;
    int rc = 0;
    for (char *p = copy, *next; p && rc == 0; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        int i = require_field(s, p, err);
        if (i < 0)
            rc = -1;
        else
            (*out)[(*n)++] = i;
    }
    free(copy);
    return rc;
}

static int sequence_group_pk_error(mc_err *err, const char *key, const char *field)
{
    return mc_err_set(err, MC_ERR_INVALID,
                      "The sequence-group '%s' contains primary key field '%s', which is not allowed. Primary key "
                      "columns cannot be put in sequence-group.",
                      key, field);
}

/* One `fields.<s1,s2>.sequence-group` option (PartialUpdateMergeFunction.Factory). */
static int add_sequence_group(paimon_merge *m, const char *key, const char *value, bool *protected_, mc_err *err)
{
    const paimon_schema *s = m->s;
    size_t klen = strlen(key), plen = strlen("fields."), slen = strlen(".sequence-group");
    if (klen <= plen + slen)
        return mc_err_set(err, MC_ERR_INVALID, "Invalid sequence-group option: %s", key);
    char *names = mc_strndup(key + plen, klen - plen - slen);
    m->groups = mc_realloc(m->groups, (m->ngroups + 1) * sizeof *m->groups);
    seq_group *g = &m->groups[m->ngroups++];
    memset(g, 0, sizeof *g);
    int rc = field_list(&g->fields, &g->n, s, names, err);
    free(names);
    int *prot = NULL;
    size_t nprot = 0;
    if (rc == 0)
        rc = field_list(&prot, &nprot, s, value, err);
    for (size_t k = 0; k < nprot && rc == 0; k++) {
        const char *name = s->fields[prot[k]].name;
        if (listed(s->primary_keys, s->nprimary_keys, name))
            rc = sequence_group_pk_error(err, key, name);
        else if (m->group_of[prot[k]] >= 0)
            rc = mc_err_set(err, MC_ERR_INVALID, "Field %s is defined repeatedly by multiple groups: %s", name, key);
        else {
            m->group_of[prot[k]] = (int)m->ngroups - 1;
            protected_[prot[k]] = true;
        }
    }
    for (size_t k = 0; k < g->n && rc == 0; k++) {
        const char *name = s->fields[g->fields[k]].name;
        if (listed(s->primary_keys, s->nprimary_keys, name))
            rc = sequence_group_pk_error(err, key, name);
        m->group_of[g->fields[k]] = (int)m->ngroups - 1;
        m->group_seq[g->fields[k]] = true;
    }
    free(prot);
    return rc;
}

/* PartialUpdateMergeFunction.Factory: sequence groups, then the field
 * aggregators (getAggFuncName), then the option conflicts it checks. */
static int partial_update_init(paimon_merge *m, mc_err *err)
{
    const paimon_schema *s = m->s;
    size_t nf = s->nfields;
    m->group_of = mc_calloc(nf + 1, sizeof *m->group_of);
    m->group_seq = mc_calloc(nf + 1, sizeof *m->group_seq);
    m->partial_delete = mc_calloc(nf + 1, sizeof *m->partial_delete);
    m->processed = mc_calloc(nf + 1, sizeof *m->processed);
    m->aggs = mc_calloc(nf + 1, sizeof *m->aggs);
    m->has_agg = mc_calloc(nf + 1, sizeof *m->has_agg);
    m->initialized = mc_calloc(nf + 1, sizeof *m->initialized);
    bool *protected_ = mc_calloc(nf + 1, sizeof *protected_);
    int rc = 0;
    for (size_t i = 0; i < nf; i++)
        m->group_of[i] = -1;
    for (size_t i = 0; i < s->noptions && rc == 0; i++) {
        const char *k = s->options[i].key;
        if (!strncmp(k, "fields", 6) && mc_str_ends_with(k, "sequence-group"))
            rc = add_sequence_group(m, k, s->options[i].value, protected_, err);
    }
    const char *dflt = paimon_schema_option(s, "fields.default-aggregate-function");
    for (size_t i = 0; i < nf && rc == 0; i++) {
        const char *name = s->fields[i].name;
        if (m->group_seq[i])
            continue; /* no aggregation of sequence fields */
        if (listed(s->primary_keys, s->nprimary_keys, name)) {
            m->aggs[i] = (agg){.fn = AGG_PRIMARY_KEY, .name = "primary-key"};
            m->has_agg[i] = true;
            continue;
        }
        const char *fn = field_option(s, name, "aggregate-function");
        if (!fn)
            fn = dflt;
        if (!fn)
            continue;
        if (strcmp(fn, "last_non_null_value") != 0 && !protected_[i])
            rc = mc_err_set(err, MC_ERR_INVALID,
                            "Must use sequence group for aggregation functions but not found for field %s.", name);
        else if (agg_for(&m->aggs[i], s, &s->fields[i], fn, err) == 0)
            m->has_agg[i] = true;
        else
            rc = -1;
    }
    free(protected_);
    if (rc)
        return -1;
    const char *on_group = paimon_schema_option(s, "partial-update.remove-record-on-sequence-group");
    if (m->remove_record_on_delete && m->ignore_delete)
        return mc_err_set(err, MC_ERR_INVALID,
                          "ignore-delete and partial-update.remove-record-on-delete have conflicting behavior so "
                          "should not be enabled at the same time.");
    if (on_group && m->ignore_delete)
        return mc_err_set(err, MC_ERR_INVALID,
                          "ignore-delete and partial-update.remove-record-on-sequence-group have conflicting behavior "
                          "so should not be enabled at the same time.");
    if (m->remove_record_on_delete && m->ngroups)
        return mc_err_set(err, MC_ERR_INVALID,
                          "sequence-group and partial-update.remove-record-on-delete have conflicting behavior so "
                          "should not be enabled at the same time.");
    if (on_group) {
        char *copy = mc_strdup(on_group);
        for (char *p = copy, *next; p && rc == 0; p = next) {
            next = strchr(p, ',');
            if (next)
                *next++ = '\0';
            int i = paimon_schema_field_index(s, p);
            if (i < 0 || !m->group_seq[i])
                rc = mc_err_set(err, MC_ERR_INVALID,
                                "field '%s' defined in 'partial-update.remove-record-on-sequence-group' option must be "
                                "part of sequence groups",
                                on_group);
            else
                m->partial_delete[i] = true;
        }
        free(copy);
    }
    return rc;
}

int paimon_merge_engine_parse(paimon_merge_engine *out, const paimon_schema *s, mc_err *err)
{
    const char *engine = paimon_schema_option(s, "merge-engine");
    *out = PAIMON_MERGE_DEDUPLICATE;
    if (!engine || !strcasecmp(engine, "deduplicate"))
        return 0;
    if (!strcasecmp(engine, "partial-update"))
        *out = PAIMON_MERGE_PARTIAL_UPDATE;
    else if (!strcasecmp(engine, "aggregation"))
        *out = PAIMON_MERGE_AGGREGATION;
    else if (!strcasecmp(engine, "first-row"))
        *out = PAIMON_MERGE_FIRST_ROW;
    else
        return mc_err_set(err, MC_ERR_INVALID, "Could not parse value '%s' for key 'merge-engine'.", engine);
    return 0;
}

int paimon_merge_new(paimon_merge **out, const paimon_schema *schema, mc_err *err)
{
    *out = NULL;
    paimon_merge *m = mc_calloc(1, sizeof *m);
    m->s = schema;
    int rc = paimon_merge_engine_parse(&m->engine, schema, err);
    if (rc == 0)
        rc = ignore_delete_option(&m->ignore_delete, schema, err);
    if (rc == 0 && m->engine == PAIMON_MERGE_PARTIAL_UPDATE)
        rc = paimon_schema_option_bool(&m->remove_record_on_delete, schema, "partial-update.remove-record-on-delete", err);
    if (rc == 0 && m->engine == PAIMON_MERGE_AGGREGATION)
        rc = paimon_schema_option_bool(&m->remove_record_on_delete, schema, "aggregation.remove-record-on-delete", err);
    if (rc == 0)
        rc = sequence_fields(m, err);
    if (rc == 0 && m->engine == PAIMON_MERGE_PARTIAL_UPDATE)
        rc = partial_update_init(m, err);
    if (rc == 0 && m->engine == PAIMON_MERGE_AGGREGATION)
        rc = aggregation_init(m, err);
    if (rc) {
        paimon_merge_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

void paimon_merge_release(paimon_merge *m)
{
    for (size_t i = 0; i < m->nowned; i++)
        free(m->owned[i]);
    free(m->owned);
    m->owned = NULL;
    m->nowned = 0;
}

void paimon_merge_free(paimon_merge *m)
{
    if (!m)
        return;
    paimon_merge_release(m);
    free(m->seq_idx);
    free(m->aggs);
    free(m->has_agg);
    free(m->initialized);
    for (size_t i = 0; i < m->ngroups; i++)
        free(m->groups[i].fields);
    free(m->groups);
    free(m->group_of);
    free(m->group_seq);
    free(m->partial_delete);
    free(m->processed);
    free(m);
}

paimon_merge_engine paimon_merge_engine_of(const paimon_merge *m) { return m->engine; }

bool paimon_merge_has_sequence_field(const paimon_merge *m) { return m->nseq > 0; }

void paimon_merge_fields_needed(const paimon_merge *m, bool *need)
{
    if (m->engine == PAIMON_MERGE_PARTIAL_UPDATE || m->engine == PAIMON_MERGE_AGGREGATION) {
        for (size_t i = 0; i < m->s->nfields; i++)
            need[i] = true;
        return;
    }
    for (size_t k = 0; k < m->nseq; k++)
        need[m->seq_idx[k]] = true;
}

/* ---- ordering ---------------------------------------------------------------------- */

/* UserDefinedSeqComparator (nulls first whatever the order, as its
 * generated comparator does), then the sequence number
 * (SortMergeReaderWithMinHeap, SortBufferWriteBuffer). */
int paimon_merge_version_cmp(const paimon_merge *m, const paimon_kv *a, const paimon_kv *b)
{
    for (size_t k = 0; k < m->nseq; k++) {
        int i = m->seq_idx[k];
        const paimon_datum *x = &a->value[i], *y = &b->value[i];
        if (x->is_null || y->is_null) {
            if (x->is_null != y->is_null)
                return x->is_null ? -1 : 1;
            continue;
        }
        int c = paimon_datum_compare(m->s->fields[i].type, x, y);
        if (c)
            return m->seq_descending ? -c : c;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq ? 1 : 0;
}

/* ---- field aggregation ------------------------------------------------------------- */

static bool is_retract(int kind)
{
    return kind == PAIMON_ROWKIND_UPDATE_BEFORE || kind == PAIMON_ROWKIND_DELETE;
}

static const uint8_t *own(paimon_merge *m, size_t len)
{
    m->owned = mc_realloc(m->owned, (m->nowned + 1) * sizeof *m->owned);
    return (const uint8_t *)(m->owned[m->nowned++] = mc_malloc(len + 1));
}

/* FieldSumAgg / FieldProductAgg overflow messages; byte and short ones
 * carry the wide result. */
static int overflow(mc_err *err, const paimon_type *t, char op, int64_t a, int64_t b, int64_t wide)
{
    if (t->id == PAIMON_TINYINT || t->id == PAIMON_SMALLINT)
        return mc_err_set(err, MC_ERR_INVALID, "%s overflow: %lld %c %lld = %lld",
                          t->id == PAIMON_TINYINT ? "byte" : "short", (long long)a, op, (long long)b,
                          (long long)wide);
    return mc_err_set(err, MC_ERR_INVALID, "%s overflow: %lld %c %lld", t->id == PAIMON_INT ? "int" : "long",
                      (long long)a, op, (long long)b);
}

static int64_t int_min(const paimon_type *t)
{
    return t->id == PAIMON_TINYINT ? INT8_MIN : t->id == PAIMON_SMALLINT ? INT16_MIN : t->id == PAIMON_INT ? INT32_MIN
                                                                                                          : INT64_MIN;
}

static int64_t int_max(const paimon_type *t)
{
    return t->id == PAIMON_TINYINT ? INT8_MAX : t->id == PAIMON_SMALLINT ? INT16_MAX : t->id == PAIMON_INT ? INT32_MAX
                                                                                                          : INT64_MAX;
}

static paimon_i128 pow10_128(int n)
{
    paimon_i128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* A decimal result that does not fit its precision is NULL
 * (Decimal.fromBigDecimal, as DecimalUtils.add uses it). */
static paimon_datum decimal_fit(const paimon_type *t, paimon_i128 v)
{
    paimon_i128 lim = pow10_128(t->precision);
    return v >= lim || v <= -lim ? paimon_datum_null() : paimon_datum_decimal(v);
}

/* sum (op '+'), retract of sum ('-'), product ('*'), retract of product ('/')
 * over non-null a and b (FieldSumAgg, FieldProductAgg). */
static int arith(paimon_datum *out, const paimon_type *t, char op, const paimon_datum *a, const paimon_datum *b,
                 mc_err *err)
{
    switch (t->id) {
    case PAIMON_FLOAT: {
        float x = (float)a->d, y = (float)b->d;
        float r = op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : x / y;
        *out = paimon_datum_double(r);
        return 0;
    }
    case PAIMON_DOUBLE: {
        double x = a->d, y = b->d;
        *out = paimon_datum_double(op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : x / y);
        return 0;
    }
    case PAIMON_DECIMAL: {
        paimon_i128 r;
        if (op == '+' || op == '-') {
            bool ovf = op == '+' ? __builtin_add_overflow(a->dec, b->dec, &r) : __builtin_sub_overflow(a->dec, b->dec, &r);
            *out = ovf ? paimon_datum_null() : decimal_fit(t, r);
            return 0;
        }
        if (op == '/')
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "retracting a product of DECIMAL values is not supported yet");
        /* precision <= 18 (agg_for): the exact product fits; round half up to the scale. */
        paimon_i128 p = a->dec * b->dec, div = pow10_128(t->scale);
        paimon_i128 q = p / div, rem = p % div;
        if (rem < 0 ? -rem * 2 >= div : rem * 2 >= div)
            q += p < 0 ? -1 : 1;
        *out = decimal_fit(t, q);
        return 0;
    }
    default: {
        int64_t x = a->i, y = b->i, r;
        if (op == '/') {
            if (y == 0)
                return mc_err_set(err, MC_ERR_INVALID, "/ by zero");
            if (x == int_min(t) && y == -1)
                return overflow(err, t, '/', x, y, -x);
            *out = paimon_datum_int(x / y);
            return 0;
        }
        bool ovf = op == '+' ? __builtin_add_overflow(x, y, &r)
                   : op == '-' ? __builtin_sub_overflow(x, y, &r)
                               : __builtin_mul_overflow(x, y, &r);
        if (ovf || r < int_min(t) || r > int_max(t))
            return overflow(err, t, op, x, y, r);
        *out = paimon_datum_int(r);
        return 0;
    }
    }
}

/* Java's StringUtils.isBlank over the ASCII whitespace of Character.isWhitespace. */
static bool blank(const paimon_datum *d)
{
    for (size_t i = 0; i < d->len; i++) {
        uint8_t c = d->ptr[i];
        if (c != ' ' && !(c >= 0x09 && c <= 0x0D) && !(c >= 0x1C && c <= 0x1F))
            return false;
    }
    return true;
}

/* Splits s by the whole delimiter, keeping empty tokens
 * (splitByWholeSeparatorPreserveAllTokens). Returns the count; tokens are
 * (ptr, len) pairs in *toks (caller frees). */
static size_t split_tokens(const uint8_t *s, size_t n, const char *delim, const uint8_t ***starts, size_t **lens)
{
    size_t dl = strlen(delim), cap = 4, k = 0, from = 0;
    *starts = mc_calloc(cap, sizeof **starts);
    *lens = mc_calloc(cap, sizeof **lens);
    for (size_t i = 0;; i++) {
        bool end = i + dl > n;
        if (!end && memcmp(s + i, delim, dl) != 0)
            continue;
        if (k == cap) {
            cap *= 2;
            *starts = mc_realloc(*starts, cap * sizeof **starts);
            *lens = mc_realloc(*lens, cap * sizeof **lens);
        }
        size_t stop = end ? n : i;
        (*starts)[k] = s + from;
        (*lens)[k++] = stop - from;
        if (end)
            return k;
        from = i + dl;
        i += dl - 1;
    }
}

/* FieldListaggAgg.agg over non-blank acc and in. */
static paimon_datum listagg(paimon_merge *m, const agg *a, const paimon_datum *acc, const paimon_datum *in)
{
    size_t dl = strlen(a->delimiter);
    mc_buf b = MC_BUF_INIT;
    mc_buf_append(&b, acc->ptr, acc->len);
    if (!a->distinct) {
        mc_buf_append(&b, a->delimiter, dl);
        mc_buf_append(&b, in->ptr, in->len);
    } else {
        const uint8_t **as, **is;
        size_t *al, *il;
        size_t na = split_tokens(acc->ptr, acc->len, a->delimiter, &as, &al);
        size_t ni = split_tokens(in->ptr, in->len, a->delimiter, &is, &il);
        /* existing tokens: the accumulator's, then each appended one */
        const uint8_t **seen = mc_calloc(na + ni + 1, sizeof *seen);
        size_t *seenl = mc_calloc(na + ni + 1, sizeof *seenl), ns = 0;
        for (size_t i = 0; i < na; i++) {
            seen[ns] = as[i];
            seenl[ns++] = al[i];
        }
        for (size_t i = 0; i < ni; i++) {
            paimon_datum tok = paimon_datum_bytes(is[i], il[i]);
            bool dup = blank(&tok);
            for (size_t k = 0; k < ns && !dup; k++)
                dup = seenl[k] == il[i] && (il[i] == 0 || !memcmp(seen[k], is[i], il[i]));
            if (dup)
                continue;
            seen[ns] = is[i];
            seenl[ns++] = il[i];
            mc_buf_append(&b, a->delimiter, dl);
            mc_buf_append(&b, is[i], il[i]);
        }
        free(as);
        free(al);
        free(is);
        free(il);
        free(seen);
        free(seenl);
    }
    uint8_t *p = (uint8_t *)own(m, b.len);
    if (b.len)
        memcpy(p, b.data, b.len);
    paimon_datum r = paimon_datum_bytes(p, b.len);
    mc_buf_free(&b);
    return r;
}

/* acc <- agg(acc, in) for field i (FieldAggregator.agg). */
static int agg_add(paimon_merge *m, size_t i, paimon_datum *acc, const paimon_datum *in, mc_err *err)
{
    const agg *a = &m->aggs[i];
    const paimon_type *t = m->s->fields[i].type;
    switch (a->fn) {
    case AGG_PRIMARY_KEY:
    case AGG_LAST_VALUE:
        *acc = *in;
        return 0;
    case AGG_LAST_NON_NULL_VALUE:
        if (!in->is_null)
            *acc = *in;
        return 0;
    case AGG_FIRST_VALUE:
        if (!m->initialized[i]) {
            m->initialized[i] = true;
            *acc = *in;
        }
        return 0;
    case AGG_FIRST_NON_NULL_VALUE:
        if (!m->initialized[i] && !in->is_null) {
            m->initialized[i] = true;
            *acc = *in;
        }
        return 0;
    case AGG_LISTAGG:
        if (in->is_null || blank(in))
            return 0;
        if (acc->is_null || blank(acc))
            *acc = *in;
        else
            *acc = listagg(m, a, acc, in);
        return 0;
    default:
        break;
    }
    /* The rest keep the non-null side when either is null. */
    if (in->is_null)
        return 0;
    if (acc->is_null) {
        *acc = *in;
        return 0;
    }
    switch (a->fn) {
    case AGG_SUM:
        return arith(acc, t, '+', acc, in, err);
    case AGG_PRODUCT:
        return arith(acc, t, '*', acc, in, err);
    case AGG_MIN:
        if (paimon_datum_compare(t, acc, in) >= 0)
            *acc = *in;
        return 0;
    case AGG_MAX:
        if (paimon_datum_compare(t, acc, in) < 0)
            *acc = *in;
        return 0;
    case AGG_BOOL_AND:
        *acc = paimon_datum_int(acc->i && in->i);
        return 0;
    case AGG_BOOL_OR:
        *acc = paimon_datum_int(acc->i || in->i);
        return 0;
    default:
        assert(!"unreachable");
        return 0;
    }
}

/* acc <- retract(acc, in) for field i (FieldAggregator.retract and its overrides). */
static int agg_retract(paimon_merge *m, size_t i, paimon_datum *acc, const paimon_datum *in, mc_err *err)
{
    const agg *a = &m->aggs[i];
    const paimon_type *t = m->s->fields[i].type;
    if (a->ignore_retract)
        return 0;
    switch (a->fn) {
    case AGG_PRIMARY_KEY:
        *acc = *in;
        return 0;
    case AGG_LAST_VALUE:
        *acc = paimon_datum_null();
        return 0;
    case AGG_LAST_NON_NULL_VALUE:
        if (!in->is_null)
            *acc = paimon_datum_null();
        return 0;
    case AGG_SUM:
        if (in->is_null)
            return 0;
        if (acc->is_null) {
            paimon_datum zero = t->id == PAIMON_DECIMAL ? paimon_datum_decimal(0)
                                : t->id == PAIMON_FLOAT || t->id == PAIMON_DOUBLE ? paimon_datum_double(0)
                                                                                  : paimon_datum_int(0);
            return arith(acc, t, '-', &zero, in, err); /* negative(input) */
        }
        return arith(acc, t, '-', acc, in, err);
    case AGG_PRODUCT:
        if (acc->is_null || in->is_null)
            return 0;
        return arith(acc, t, '/', acc, in, err);
    default:
        return mc_err_set(err, MC_ERR_INVALID,
                          "Aggregate function '%s' does not support retraction, If you allow this function to ignore "
                          "retraction messages, you can configure 'fields.${field_name}.ignore-retract'='true'.",
                          a->name);
    }
}

/* ---- engines ----------------------------------------------------------------------- */

static int merge_deduplicate(paimon_merge *m, paimon_kv *out, paimon_datum *values, const paimon_kv *v, size_t n)
{
    const paimon_kv *last = NULL;
    for (size_t k = 0; k < n; k++)
        if (!(m->ignore_delete && is_retract(v[k].kind)))
            last = &v[k];
    if (!last)
        return 0;
    memcpy(values, last->value, m->s->nfields * sizeof *values);
    *out = (paimon_kv){values, last->seq, last->kind};
    return 1;
}

static int merge_first_row(paimon_merge *m, paimon_kv *out, paimon_datum *values, const paimon_kv *v, size_t n,
                           mc_err *err)
{
    for (size_t k = 0; k < n; k++) {
        if (is_retract(v[k].kind)) {
            if (m->ignore_delete)
                continue;
            return mc_err_set(err, MC_ERR_INVALID,
                              "By default, First row merge engine can not accept DELETE/UPDATE_BEFORE records.\n"
                              "You can config 'ignore-delete' to ignore the DELETE/UPDATE_BEFORE records.");
        }
        memcpy(values, v[k].value, m->s->nfields * sizeof *values);
        *out = (paimon_kv){values, v[k].seq, v[k].kind};
        return 1;
    }
    return 0;
}

static int not_null(const paimon_merge *m, const paimon_datum *row, mc_err *err)
{
    for (size_t i = 0; i < m->s->nfields; i++)
        if (row[i].is_null && !m->s->fields[i].type->nullable)
            return mc_err_set(err, MC_ERR_INVALID, "Field %zu can not be null", i);
    return 0;
}

/* A sequence group's order of a version against the merged row: its
 * sequence fields ascending, NULL first (UserDefinedSeqComparator). */
static int group_cmp(const paimon_merge *m, const seq_group *g, const paimon_datum *a, const paimon_datum *b)
{
    for (size_t k = 0; k < g->n; k++) {
        int i = g->fields[k];
        if (a[i].is_null || b[i].is_null) {
            if (a[i].is_null != b[i].is_null)
                return a[i].is_null ? -1 : 1;
            continue;
        }
        int c = paimon_datum_compare(m->s->fields[i].type, &a[i], &b[i]);
        if (c)
            return c;
    }
    return 0;
}

/* isEmptySequenceGroup: all the group's sequence fields are NULL in the
 * version; they are then marked processed. */
static bool empty_group(paimon_merge *m, const seq_group *g, const paimon_datum *v)
{
    for (size_t k = 0; k < g->n; k++)
        if (!v[g->fields[k]].is_null)
            return false;
    for (size_t k = 0; k < g->n; k++)
        m->processed[g->fields[k]] = true;
    return true;
}

static bool in_group(const seq_group *g, size_t i)
{
    for (size_t k = 0; k < g->n; k++)
        if (g->fields[k] == (int)i)
            return true;
    return false;
}

/* acc <- agg(in, acc) (FieldAggregator.aggReversed). */
static int agg_reversed(paimon_merge *m, size_t i, paimon_datum *acc, const paimon_datum *in, mc_err *err)
{
    paimon_datum r = *in, old = *acc;
    if (agg_add(m, i, &r, &old, err))
        return -1;
    *acc = r;
    return 0;
}

/* updateWithSequenceGroup: fields of a group take the version's values
 * (NULLs included) when it is not older than the row by the group's
 * sequence fields; aggregated fields fold it in either order. */
static int update_groups(paimon_merge *m, paimon_datum *row, const paimon_datum *v, mc_err *err)
{
    size_t nf = m->s->nfields;
    memset(m->processed, 0, nf * sizeof *m->processed);
    for (size_t i = 0; i < nf; i++) {
        int rc = 0;
        if (m->group_of[i] < 0) {
            if (m->has_agg[i])
                rc = agg_add(m, i, &row[i], &v[i], err);
            else if (!v[i].is_null)
                row[i] = v[i];
        } else {
            const seq_group *g = &m->groups[m->group_of[i]];
            if (m->processed[i] || empty_group(m, g, v))
                continue;
            if (group_cmp(m, g, v, row) >= 0) {
                if (in_group(g, i)) {
                    /* the group's sequence fields are updated at once */
                    for (size_t k = 0; k < g->n; k++) {
                        row[g->fields[k]] = v[g->fields[k]];
                        m->processed[g->fields[k]] = true;
                    }
                    continue;
                }
                if (m->has_agg[i])
                    rc = agg_add(m, i, &row[i], &v[i], err);
                else
                    row[i] = v[i];
            } else if (m->has_agg[i]) {
                rc = agg_reversed(m, i, &row[i], &v[i], err);
            }
        }
        if (rc)
            return mc_err_prefix(err, "field %s", m->s->fields[i].name);
    }
    return 0;
}

/* retractWithSequenceGroup. Returns 1 when the row is deleted (a -D of a
 * group listed in remove-record-on-sequence-group), 0, or -1. */
static int retract_groups(paimon_merge *m, paimon_datum *row, const paimon_kv *kv, mc_err *err)
{
    size_t nf = m->s->nfields;
    const paimon_datum *v = kv->value;
    memset(m->processed, 0, nf * sizeof *m->processed);
    for (size_t i = 0; i < nf; i++) {
        if (m->group_of[i] < 0 || m->processed[i])
            continue;
        const seq_group *g = &m->groups[m->group_of[i]];
        if (empty_group(m, g, v))
            continue;
        int rc = 0;
        if (group_cmp(m, g, v, row) >= 0) {
            if (in_group(g, i)) {
                for (size_t k = 0; k < g->n; k++) {
                    int f = g->fields[k];
                    if (!m->processed[f] && kv->kind == PAIMON_ROWKIND_DELETE && m->partial_delete[f]) {
                        memcpy(row, v, nf * sizeof *row);
                        return 1;
                    }
                    if (!m->processed[f])
                        row[f] = v[f];
                    m->processed[f] = true;
                }
                continue;
            }
            if (m->has_agg[i])
                rc = agg_retract(m, i, &row[i], &v[i], err);
            else
                row[i] = paimon_datum_null();
        } else if (m->has_agg[i]) {
            rc = agg_retract(m, i, &row[i], &v[i], err);
        }
        if (rc)
            return mc_err_prefix(err, "field %s", m->s->fields[i].name);
    }
    return 0;
}

/* PartialUpdateMergeFunction.add / getResult. */
static int merge_partial_update(paimon_merge *m, paimon_kv *out, paimon_datum *row, const paimon_kv *v, size_t n,
                                mc_err *err)
{
    size_t nf = m->s->nfields;
    for (size_t i = 0; i < nf; i++) {
        row[i] = paimon_datum_null();
        m->initialized[i] = false;
    }
    bool filled = false, meet_insert = false, delete_row = false;
    int64_t latest = 0;
    for (size_t k = 0; k < n; k++) {
        delete_row = false;
        if (is_retract(v[k].kind)) {
            if (!filled) {
                if (not_null(m, v[k].value, err))
                    return -1;
                memcpy(row, v[k].value, nf * sizeof *row);
                filled = true;
            }
            if (m->ignore_delete)
                continue;
            latest = v[k].seq;
            if (m->ngroups) {
                int r = retract_groups(m, row, &v[k], err);
                if (r < 0)
                    return -1;
                delete_row = r == 1;
                continue;
            }
            if (m->remove_record_on_delete) {
                if (v[k].kind == PAIMON_ROWKIND_DELETE) {
                    delete_row = true;
                    memcpy(row, v[k].value, nf * sizeof *row);
                }
                continue;
            }
            return mc_err_set(err, MC_ERR_INVALID,
                              "By default, Partial update can not accept delete records, you can choose one of the "
                              "following solutions:\n1. Configure 'ignore-delete' to ignore delete records.\n"
                              "2. Configure 'partial-update.remove-record-on-delete' to remove the whole row when "
                              "receiving delete records.\n3. Configure 'sequence-group's to retract partial "
                              "columns. Also configure 'partial-update.remove-record-on-sequence-group' to remove the "
                              "whole row when receiving deleted records of `specified sequence group`.");
        }
        latest = v[k].seq;
        if (m->ngroups) {
            if (update_groups(m, row, v[k].value, err))
                return -1;
        } else {
            for (size_t i = 0; i < nf; i++) {
                if (!v[k].value[i].is_null)
                    row[i] = v[k].value[i];
                else if (!m->s->fields[i].type->nullable)
                    return mc_err_set(err, MC_ERR_INVALID, "Field %zu can not be null", i);
            }
        }
        meet_insert = true;
        filled = true;
    }
    *out = (paimon_kv){row, latest, delete_row || !meet_insert ? PAIMON_ROWKIND_DELETE : PAIMON_ROWKIND_INSERT};
    return 1;
}

/* AggregateMergeFunction.add / getResult. */
static int merge_aggregation(paimon_merge *m, paimon_kv *out, paimon_datum *row, const paimon_kv *v, size_t n,
                             mc_err *err)
{
    size_t nf = m->s->nfields;
    for (size_t i = 0; i < nf; i++) {
        row[i] = paimon_datum_null();
        m->initialized[i] = false;
    }
    bool delete_row = false;
    for (size_t k = 0; k < n; k++) {
        delete_row = m->remove_record_on_delete && v[k].kind == PAIMON_ROWKIND_DELETE;
        if (delete_row) {
            if (not_null(m, v[k].value, err))
                return -1;
            memcpy(row, v[k].value, nf * sizeof *row);
            continue;
        }
        bool retract = is_retract(v[k].kind);
        for (size_t i = 0; i < nf; i++) {
            int rc = retract ? agg_retract(m, i, &row[i], &v[k].value[i], err)
                             : agg_add(m, i, &row[i], &v[k].value[i], err);
            if (rc)
                return mc_err_prefix(err, "field %s", m->s->fields[i].name);
        }
    }
    *out = (paimon_kv){row, v[n - 1].seq, delete_row ? PAIMON_ROWKIND_DELETE : PAIMON_ROWKIND_INSERT};
    return 1;
}

int paimon_merge_key(paimon_merge *m, paimon_kv *out, paimon_datum *values, const paimon_kv *versions, size_t n,
                     mc_err *err)
{
    assert(n > 0);
    if (n == 1) {
        /* A lone version passes through unmerged (ReducerMergeFunctionWrapper). */
        memcpy(values, versions[0].value, m->s->nfields * sizeof *values);
        *out = (paimon_kv){values, versions[0].seq, versions[0].kind};
        return 1;
    }
    switch (m->engine) {
    case PAIMON_MERGE_DEDUPLICATE:
        return merge_deduplicate(m, out, values, versions, n);
    case PAIMON_MERGE_FIRST_ROW:
        return merge_first_row(m, out, values, versions, n, err);
    case PAIMON_MERGE_PARTIAL_UPDATE:
        return merge_partial_update(m, out, values, versions, n, err);
    case PAIMON_MERGE_AGGREGATION:
        return merge_aggregation(m, out, values, versions, n, err);
    }
    return mc_err_set(err, MC_ERR_INTERNAL, "unknown merge engine");
}
