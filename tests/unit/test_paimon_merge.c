/*
 * Unit tests for paimon/merge: each merge engine (deduplicate,
 * partial-update, aggregation with every supported field function,
 * first-row) over crafted runs of versions of one key, sequence.field
 * ordering, and the clear refusal of options and functions we do not
 * implement. Expected values follow Java Paimon's merge functions.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/binrow.h"
#include "paimon/merge.h"
#include "paimon/schema.h"

/* k INT NOT NULL (the key), a BIGINT, s STRING, d DOUBLE, b BOOLEAN, m DECIMAL(10, 2), t TINYINT. */
#define NF 7
enum { K, A, S, D, B, M, T };

static paimon_schema *schema_with(const char *options)
{
    char *json = mc_asprintf("{\"version\":3,\"id\":0,\"fields\":["
                             "{\"id\":0,\"name\":\"k\",\"type\":\"INT NOT NULL\"},"
                             "{\"id\":1,\"name\":\"a\",\"type\":\"BIGINT\"},"
                             "{\"id\":2,\"name\":\"s\",\"type\":\"STRING\"},"
                             "{\"id\":3,\"name\":\"d\",\"type\":\"DOUBLE\"},"
                             "{\"id\":4,\"name\":\"b\",\"type\":\"BOOLEAN\"},"
                             "{\"id\":5,\"name\":\"m\",\"type\":\"DECIMAL(10, 2)\"},"
                             "{\"id\":6,\"name\":\"t\",\"type\":\"TINYINT\"}],"
                             "\"highestFieldId\":6,\"partitionKeys\":[],\"primaryKeys\":[\"k\"],"
                             "\"options\":{\"bucket\":\"1\"%s%s},\"timeMillis\":0}",
                             options[0] ? "," : "", options);
    paimon_schema *s = NULL;
    mc_err err;
    if (paimon_schema_parse(&s, json, strlen(json), &err))
        fail_msg("%s", err.msg);
    free(json);
    return s;
}

typedef struct {
    paimon_datum v[NF];
} row;

/* A row from a compact spec: a, s, d, b, m (unscaled), t; NULLs where has_* is false. */
static row mk(int64_t a, bool has_a, const char *s, double d, bool has_d, int b, int64_t m, bool has_m)
{
    row r;
    r.v[K] = paimon_datum_int(1);
    r.v[A] = has_a ? paimon_datum_int(a) : paimon_datum_null();
    r.v[S] = s ? paimon_datum_bytes(s, strlen(s)) : paimon_datum_null();
    r.v[D] = has_d ? paimon_datum_double(d) : paimon_datum_null();
    r.v[B] = b < 0 ? paimon_datum_null() : paimon_datum_int(b);
    r.v[M] = has_m ? paimon_datum_decimal(m) : paimon_datum_null();
    r.v[T] = paimon_datum_null();
    return r;
}

#define NUL 0, false

typedef struct {
    paimon_merge *m;
    paimon_schema *s;
    paimon_datum out[NF];
    paimon_kv res;
    mc_err err;
} fx;

static void open_fx(fx *f, const char *options)
{
    memset(f, 0, sizeof *f);
    f->s = schema_with(options);
    if (paimon_merge_new(&f->m, f->s, &f->err))
        fail_msg("%s", f->err.msg);
}

static void close_fx(fx *f)
{
    paimon_merge_free(f->m);
    paimon_schema_free(f->s);
}

/* Merges rows[0..n) with kinds (NULL: all +I) and sequence numbers 0..n-1. */
static int merge(fx *f, const row *rows, const int *kinds, size_t n)
{
    paimon_kv v[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++)
        v[i] = (paimon_kv){rows[i].v, (int64_t)i, kinds ? kinds[i] : PAIMON_ROWKIND_INSERT};
    return paimon_merge_key(f->m, &f->res, f->out, v, n, &f->err);
}

static void assert_str(const paimon_datum *d, const char *want)
{
    if (!want) {
        assert_true(d->is_null);
        return;
    }
    assert_false(d->is_null);
    assert_int_equal(d->len, strlen(want));
    assert_memory_equal(d->ptr, want, d->len);
}

static void assert_refused(const char *options, int code, const char *msg)
{
    paimon_schema *s = schema_with(options);
    paimon_merge *m = NULL;
    mc_err err;
    assert_int_equal(paimon_merge_new(&m, s, &err), -1);
    assert_null(m);
    assert_int_equal(err.code, code);
    assert_string_equal(err.msg, msg);
    paimon_schema_free(s);
}

/* ---- deduplicate ----------------------------------------------------------------- */

static void test_deduplicate_keeps_the_last_version_and_its_kind(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "");
    assert_int_equal(paimon_merge_engine_of(f.m), PAIMON_MERGE_DEDUPLICATE);
    row r[3] = {mk(1, true, "x", 0, false, 1, NUL), mk(2, true, NULL, NUL, -1, NUL), mk(3, true, "z", NUL, 0, NUL)};
    assert_int_equal(merge(&f, r, NULL, 3), 1);
    assert_int_equal(f.res.seq, 2);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.out[A].i, 3);
    assert_str(&f.out[S], "z");
    int kinds[3] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_DELETE};
    assert_int_equal(merge(&f, r, kinds, 3), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_DELETE);
    close_fx(&f);
}

static void test_deduplicate_with_ignore_delete_skips_retractions(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"ignore-delete\":\"true\"");
    row r[3] = {mk(1, true, "x", NUL, -1, NUL), mk(2, true, "y", NUL, -1, NUL), mk(3, true, "z", NUL, -1, NUL)};
    int kinds[3] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_UPDATE_AFTER, PAIMON_ROWKIND_DELETE};
    assert_int_equal(merge(&f, r, kinds, 3), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_UPDATE_AFTER);
    assert_int_equal(f.res.seq, 1);
    assert_int_equal(f.out[A].i, 2);
    int dels[2] = {PAIMON_ROWKIND_DELETE, PAIMON_ROWKIND_UPDATE_BEFORE};
    assert_int_equal(merge(&f, r, dels, 2), 0); /* nothing left */
    close_fx(&f);
}

static void test_a_single_version_passes_through_unmerged(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"partial-update\"");
    row r[1] = {mk(1, true, "x", NUL, -1, NUL)};
    int kinds[1] = {PAIMON_ROWKIND_DELETE};
    /* Partial update refuses deletes, but a lone version is not merged at all. */
    assert_int_equal(merge(&f, r, kinds, 1), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_DELETE);
    assert_int_equal(f.out[A].i, 1);
    close_fx(&f);
}

/* ---- sequence.field ---------------------------------------------------------------- */

static void test_sequence_field_orders_before_the_sequence_number(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"sequence.field\":\"a\"");
    assert_true(paimon_merge_has_sequence_field(f.m));
    row r[3] = {mk(5, true, "x", NUL, -1, NUL), mk(3, true, "y", NUL, -1, NUL), mk(0, false, "n", NUL, -1, NUL)};
    paimon_kv x = {r[0].v, 0, 0}, y = {r[1].v, 1, 0}, n = {r[2].v, 2, 0};
    assert_true(paimon_merge_version_cmp(f.m, &x, &y) > 0); /* a=5 beats a=3 despite the older sequence number */
    assert_true(paimon_merge_version_cmp(f.m, &n, &y) < 0); /* NULL is smallest */
    paimon_kv x2 = {r[0].v, 7, 0};
    assert_true(paimon_merge_version_cmp(f.m, &x, &x2) < 0); /* ties fall back to the sequence number */
    close_fx(&f);

    open_fx(&f, "\"sequence.field\":\"a\",\"sequence.field.sort-order\":\"descending\"");
    assert_true(paimon_merge_version_cmp(f.m, &x, &y) < 0);
    assert_true(paimon_merge_version_cmp(f.m, &n, &y) < 0); /* NULL stays smallest */
    close_fx(&f);
    assert_refused("\"sequence.field\":\"nope\"", MC_ERR_INVALID,
                   "Sequence field: 'nope' can not be found in table schema.");
    assert_refused("\"sequence.field\":\"a, t, a\"", MC_ERR_INVALID, "Sequence field 'a' is defined repeatedly.");
    assert_refused("\"merge-engine\":\"aggregation\",\"sequence.field\":\"a\",\"fields.a.aggregate-function\":\"sum\"",
                   MC_ERR_INVALID, "Should not define aggregation on sequence field: 'a'.");
    assert_refused("\"merge-engine\":\"first-row\",\"sequence.field\":\"a\"", MC_ERR_INVALID,
                   "Do not support use sequence field on FIRST_ROW merge engine.");
}

/* ---- partial-update ---------------------------------------------------------------- */

static void test_partial_update_overwrites_with_non_null_fields(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"partial-update\"");
    assert_int_equal(paimon_merge_engine_of(f.m), PAIMON_MERGE_PARTIAL_UPDATE);
    row r[3] = {mk(1, true, "x", NUL, -1, NUL), mk(0, false, "y", 2.5, true, -1, NUL),
                mk(0, false, NULL, NUL, 1, 1234, true)};
    assert_int_equal(merge(&f, r, NULL, 3), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.res.seq, 2);
    assert_int_equal(f.out[K].i, 1);
    assert_int_equal(f.out[A].i, 1);
    assert_str(&f.out[S], "y");
    assert_true(f.out[D].d == 2.5);
    assert_int_equal(f.out[B].i, 1);
    assert_true(f.out[M].dec == 1234);
    assert_true(f.out[T].is_null);
    close_fx(&f);
}

static void test_partial_update_refuses_deletes_unless_configured(void **state)
{
    (void)state;
    fx f;
    row r[3] = {mk(1, true, "x", NUL, -1, NUL), mk(2, true, "gone", NUL, -1, NUL), mk(0, false, "y", NUL, -1, NUL)};
    int kinds[3] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_DELETE, PAIMON_ROWKIND_INSERT};
    open_fx(&f, "\"merge-engine\":\"partial-update\"");
    assert_int_equal(merge(&f, r, kinds, 3), -1);
    assert_int_equal(f.err.code, MC_ERR_INVALID);
    assert_non_null(strstr(f.err.msg, "By default, Partial update can not accept delete records"));
    close_fx(&f);

    /* ignore-delete: the -D is skipped; the later insert fills s. */
    open_fx(&f, "\"merge-engine\":\"partial-update\",\"ignore-delete\":\"true\"");
    assert_int_equal(merge(&f, r, kinds, 3), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.out[A].i, 1);
    assert_str(&f.out[S], "y");
    /* A first version that is a delete still seeds the row (initRow). */
    int first_del[2] = {PAIMON_ROWKIND_DELETE, PAIMON_ROWKIND_INSERT};
    assert_int_equal(merge(&f, r + 1, first_del, 2), 1);
    assert_int_equal(f.out[A].i, 2);
    assert_str(&f.out[S], "y");
    /* Only deletes: no insert met, the key is deleted. */
    int dels[2] = {PAIMON_ROWKIND_DELETE, PAIMON_ROWKIND_DELETE};
    assert_int_equal(merge(&f, r, dels, 2), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_DELETE);
    close_fx(&f);

    /* remove-record-on-delete: a final -D removes the row; an insert after it revives it. */
    open_fx(&f, "\"merge-engine\":\"partial-update\",\"partial-update.remove-record-on-delete\":\"true\"");
    assert_int_equal(merge(&f, r, kinds, 2), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_DELETE);
    assert_int_equal(merge(&f, r, kinds, 3), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.out[A].i, 2);
    assert_str(&f.out[S], "y");
    close_fx(&f);
}

static void test_partial_update_invalid_options_are_refused(void **state)
{
    (void)state;
    assert_refused("\"merge-engine\":\"partial-update\",\"fields.k.sequence-group\":\"s\"", MC_ERR_INVALID,
                   "The sequence-group 'fields.k.sequence-group' contains primary key field 'k', which is not "
                   "allowed. Primary key columns cannot be put in sequence-group.");
    assert_refused("\"merge-engine\":\"partial-update\",\"fields.a.sequence-group\":\"s\","
                   "\"fields.t.sequence-group\":\"s,d\"",
                   MC_ERR_INVALID, "Field s is defined repeatedly by multiple groups: fields.t.sequence-group");
    assert_refused("\"merge-engine\":\"partial-update\",\"fields.a.sequence-group\":\"zz\"", MC_ERR_INVALID,
                   "Field zz can not be found in table schema");
    assert_refused("\"merge-engine\":\"partial-update\",\"fields.a.sequence-group\":\"s\","
                   "\"partial-update.remove-record-on-sequence-group\":\"s\"",
                   MC_ERR_INVALID,
                   "field 's' defined in 'partial-update.remove-record-on-sequence-group' option must be part of "
                   "sequence groups");
    assert_refused("\"merge-engine\":\"partial-update\",\"fields.a.aggregate-function\":\"sum\"", MC_ERR_INVALID,
                   "Must use sequence group for aggregation functions but not found for field a.");
    assert_refused("\"merge-engine\":\"partial-update\",\"ignore-delete\":\"true\","
                   "\"partial-update.remove-record-on-delete\":\"true\"",
                   MC_ERR_INVALID,
                   "ignore-delete and partial-update.remove-record-on-delete have conflicting behavior so should "
                   "not be enabled at the same time.");
    assert_refused("\"merge-engine\":\"lsm\"", MC_ERR_INVALID, "Could not parse value 'lsm' for key 'merge-engine'.");
}

static void test_partial_update_sequence_groups_order_their_fields(void **state)
{
    (void)state;
    fx f;
    /* a orders s and d (d summed); t orders b and m. */
    open_fx(&f, "\"merge-engine\":\"partial-update\",\"fields.a.sequence-group\":\"s,d\","
                "\"fields.t.sequence-group\":\"b,m\",\"fields.d.aggregate-function\":\"sum\"");
    row r[3] = {mk(5, true, "s1", 1, true, 1, 100, true), mk(4, true, "s2", 2, true, 0, NUL),
                mk(NUL, "s3", NUL, -1, NUL)};
    r[0].v[T] = paimon_datum_int(1);
    r[1].v[T] = paimon_datum_int(2);
    assert_int_equal(merge(&f, r, NULL, 3), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.res.seq, 2);
    assert_int_equal(f.out[A].i, 5);   /* the older a=4 lost its group */
    assert_str(&f.out[S], "s1");       /* ... and so did its s; r[2] has an empty group: skipped */
    assert_true(f.out[D].d == 3);      /* but the sum still takes it (aggReversed) */
    assert_int_equal(f.out[T].i, 2);   /* t=2 wins its group: b and m follow, NULL included */
    assert_int_equal(f.out[B].i, 0);
    assert_true(f.out[M].is_null);
    close_fx(&f);
}

static void test_partial_update_sequence_group_retractions(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"partial-update\",\"fields.a.sequence-group\":\"s\","
                "\"partial-update.remove-record-on-sequence-group\":\"a\"");
    row r[3] = {mk(1, true, "x", NUL, -1, NUL), mk(2, true, "x", NUL, -1, NUL), mk(0, true, "old", NUL, -1, NUL)};
    int del[2] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_DELETE};
    assert_int_equal(merge(&f, r, del, 2), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_DELETE); /* a -D of group a removes the row */
    int old_del[3] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_DELETE, PAIMON_ROWKIND_DELETE};
    row r2[2] = {r[0], r[2]};
    assert_int_equal(merge(&f, r2, old_del, 2), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT); /* an older -D does not touch the group */
    assert_str(&f.out[S], "x");
    int ub[2] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_UPDATE_BEFORE};
    assert_int_equal(merge(&f, r, ub, 2), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.out[A].i, 2); /* a newer -U takes the group's sequence and clears its fields */
    assert_true(f.out[S].is_null);
    close_fx(&f);
}

/* ---- aggregation ------------------------------------------------------------------- */

static void test_aggregation_applies_each_field_function(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"sum\","
                "\"fields.s.aggregate-function\":\"listagg\",\"fields.s.list-agg-delimiter\":\"|\","
                "\"fields.d.aggregate-function\":\"max\",\"fields.b.aggregate-function\":\"bool_and\","
                "\"fields.m.aggregate-function\":\"sum\"");
    assert_int_equal(paimon_merge_engine_of(f.m), PAIMON_MERGE_AGGREGATION);
    row r[4] = {mk(10, true, "a", 1.5, true, 1, 150, true), mk(0, false, "b", -3, true, 1, NUL),
                mk(-4, true, "  ", NUL, 0, 25, true), mk(7, true, "c", 9.25, true, -1, 1, true)};
    assert_int_equal(merge(&f, r, NULL, 4), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.res.seq, 3);
    assert_int_equal(f.out[K].i, 1);
    assert_int_equal(f.out[A].i, 13);
    assert_str(&f.out[S], "a|b|c"); /* blank inputs are skipped */
    assert_true(f.out[D].d == 9.25);
    assert_int_equal(f.out[B].i, 0);
    assert_true(f.out[M].dec == 176);
    assert_true(f.out[T].is_null); /* default last_non_null_value over NULLs */
    close_fx(&f);
}

static void test_aggregation_min_product_first_last_and_bool_or(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"product\","
                "\"fields.s.aggregate-function\":\"min\",\"fields.d.aggregate-function\":\"first_value\","
                "\"fields.b.aggregate-function\":\"bool_or\",\"fields.m.aggregate-function\":\"product\","
                "\"fields.default-aggregate-function\":\"first_non_null_value\"");
    row r[3] = {mk(3, true, "pear", NUL, 0, 150, true), mk(-2, true, "apple", 4, true, 0, 250, true),
                mk(0, false, "zoo", 8, true, 1, 3, true)};
    r[1].v[T] = paimon_datum_int(5);
    r[2].v[T] = paimon_datum_int(6);
    assert_int_equal(merge(&f, r, NULL, 3), 1);
    assert_int_equal(f.out[A].i, -6);
    assert_str(&f.out[S], "apple");
    assert_true(f.out[D].is_null); /* first_value keeps the first, NULL included */
    assert_int_equal(f.out[B].i, 1);
    /* 1.50 * 2.50 = 3.75; * 0.03 = 0.1125 -> 0.11 (half up at scale 2) */
    assert_true(f.out[M].dec == 11);
    assert_int_equal(f.out[T].i, 5); /* the default function: first non-null */
    close_fx(&f);

    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"last_value\","
                "\"fields.s.aggregate-function\":\"last_non_null_value\"");
    assert_int_equal(merge(&f, r, NULL, 3), 1);
    assert_true(f.out[A].is_null);
    assert_str(&f.out[S], "zoo");
    close_fx(&f);
}

static void test_aggregation_listagg_distinct(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.s.aggregate-function\":\"listagg\","
                "\"fields.s.distinct\":\"true\"");
    row r[3] = {mk(NUL, "a,b", NUL, -1, NUL), mk(NUL, "b,c,a", NUL, -1, NUL), mk(NUL, "d,,c", NUL, -1, NUL)};
    assert_int_equal(merge(&f, r, NULL, 3), 1);
    assert_str(&f.out[S], "a,b,c,d");
    close_fx(&f);
}

static void test_aggregation_retractions(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"sum\","
                "\"fields.s.aggregate-function\":\"last_non_null_value\"");
    row r[3] = {mk(10, true, "x", NUL, -1, NUL), mk(4, true, "x", NUL, -1, NUL), mk(1, true, NULL, NUL, -1, NUL)};
    int kinds[3] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_UPDATE_BEFORE, PAIMON_ROWKIND_UPDATE_AFTER};
    assert_int_equal(merge(&f, r, kinds, 3), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_INSERT);
    assert_int_equal(f.out[A].i, 7);
    assert_true(f.out[S].is_null); /* retracting a non-null value clears last_non_null_value */
    int del_first[2] = {PAIMON_ROWKIND_DELETE, PAIMON_ROWKIND_INSERT};
    assert_int_equal(merge(&f, r + 1, del_first, 2), 1);
    assert_int_equal(f.out[A].i, -3); /* -4 + 1 */
    close_fx(&f);

    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"max\"");
    assert_int_equal(merge(&f, r, kinds, 3), -1);
    assert_string_equal(f.err.msg, "field a: Aggregate function 'max' does not support retraction, If you allow "
                                   "this function to ignore retraction messages, you can configure "
                                   "'fields.${field_name}.ignore-retract'='true'.");
    close_fx(&f);

    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"max\","
                "\"fields.a.ignore-retract\":\"true\"");
    assert_int_equal(merge(&f, r, kinds, 3), 1);
    assert_int_equal(f.out[A].i, 10);
    close_fx(&f);

    open_fx(&f, "\"merge-engine\":\"aggregation\",\"aggregation.remove-record-on-delete\":\"true\"");
    int del_last[2] = {PAIMON_ROWKIND_INSERT, PAIMON_ROWKIND_DELETE};
    assert_int_equal(merge(&f, r, del_last, 2), 1);
    assert_int_equal(f.res.kind, PAIMON_ROWKIND_DELETE);
    close_fx(&f);
}

static void test_aggregation_sum_overflow_fails_like_java(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"aggregation\",\"fields.t.aggregate-function\":\"sum\","
                "\"fields.m.aggregate-function\":\"sum\"");
    row r[2] = {mk(NUL, NULL, NUL, -1, 9999999999, true), mk(NUL, NULL, NUL, -1, 1, true)};
    /* DECIMAL(10, 2) overflows its precision: NULL, as Decimal.fromBigDecimal gives. */
    assert_int_equal(merge(&f, r, NULL, 2), 1);
    assert_true(f.out[M].is_null);
    r[0].v[T] = paimon_datum_int(100);
    r[1].v[T] = paimon_datum_int(28);
    assert_int_equal(merge(&f, r, NULL, 2), -1);
    assert_string_equal(f.err.msg, "field t: byte overflow: 100 + 28 = 128");
    close_fx(&f);
}

static void test_aggregation_refuses_unknown_and_unsupported_functions(void **state)
{
    (void)state;
    assert_refused("\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"count\"", MC_ERR_INVALID,
                   "Could not find any factory for identifier 'count' that implements "
                   "'org.apache.paimon.mergetree.compact.aggregate.factory.FieldAggregatorFactory' in the classpath.");
    assert_refused("\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"collect\"", MC_ERR_UNSUPPORTED,
                   "aggregate function 'collect' (field a) is not supported yet");
    assert_refused("\"merge-engine\":\"aggregation\",\"fields.default-aggregate-function\":\"hll_sketch\"",
                   MC_ERR_UNSUPPORTED, "aggregate function 'hll_sketch' (field a) is not supported yet");
    assert_refused("\"merge-engine\":\"aggregation\",\"fields.s.aggregate-function\":\"sum\"", MC_ERR_INVALID,
                   "aggregate function 'sum' needs a numeric type, but field s is STRING");
    assert_refused("\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"listagg\"", MC_ERR_INVALID,
                   "aggregate function 'listagg' needs STRING, but field a is BIGINT");
    assert_refused("\"merge-engine\":\"aggregation\",\"fields.a.aggregate-function\":\"bool_or\"", MC_ERR_INVALID,
                   "aggregate function 'bool_or' needs BOOLEAN, but field a is BIGINT");
}

static void test_aggregation_sequence_field_takes_the_last_value(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"aggregation\",\"sequence.field\":\"a\",\"fields.default-aggregate-function\":\"max\","
                "\"fields.d.aggregate-function\":\"sum\",\"fields.s.aggregate-function\":\"listagg\"");
    row r[2] = {mk(9, true, "p", 1, true, -1, NUL), mk(0, false, "q", 2, true, -1, NUL)};
    r[0].v[B] = paimon_datum_null();
    assert_int_equal(merge(&f, r, NULL, 2), 1);
    assert_true(f.out[A].is_null); /* the sequence field is last_value, not the default max */
    assert_true(f.out[D].d == 3);
    assert_str(&f.out[S], "p,q");
    close_fx(&f);
}

/* ---- first-row --------------------------------------------------------------------- */

static void test_first_row_keeps_the_first_version(void **state)
{
    (void)state;
    fx f;
    open_fx(&f, "\"merge-engine\":\"first-row\"");
    row r[2] = {mk(1, true, "first", NUL, -1, NUL), mk(2, true, "second", NUL, -1, NUL)};
    assert_int_equal(merge(&f, r, NULL, 2), 1);
    assert_int_equal(f.res.seq, 0);
    assert_str(&f.out[S], "first");
    int kinds[2] = {PAIMON_ROWKIND_DELETE, PAIMON_ROWKIND_INSERT};
    assert_int_equal(merge(&f, r, kinds, 2), -1);
    assert_non_null(strstr(f.err.msg, "First row merge engine can not accept DELETE/UPDATE_BEFORE records"));
    close_fx(&f);
    open_fx(&f, "\"merge-engine\":\"first-row\",\"first-row.ignore-delete\":\"true\"");
    assert_int_equal(merge(&f, r, kinds, 2), 1);
    assert_str(&f.out[S], "second");
    close_fx(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deduplicate_keeps_the_last_version_and_its_kind),
        cmocka_unit_test(test_deduplicate_with_ignore_delete_skips_retractions),
        cmocka_unit_test(test_a_single_version_passes_through_unmerged),
        cmocka_unit_test(test_sequence_field_orders_before_the_sequence_number),
        cmocka_unit_test(test_partial_update_overwrites_with_non_null_fields),
        cmocka_unit_test(test_partial_update_refuses_deletes_unless_configured),
        cmocka_unit_test(test_partial_update_invalid_options_are_refused),
        cmocka_unit_test(test_partial_update_sequence_groups_order_their_fields),
        cmocka_unit_test(test_partial_update_sequence_group_retractions),
        cmocka_unit_test(test_aggregation_applies_each_field_function),
        cmocka_unit_test(test_aggregation_min_product_first_last_and_bool_or),
        cmocka_unit_test(test_aggregation_listagg_distinct),
        cmocka_unit_test(test_aggregation_retractions),
        cmocka_unit_test(test_aggregation_sum_overflow_fails_like_java),
        cmocka_unit_test(test_aggregation_refuses_unknown_and_unsupported_functions),
        cmocka_unit_test(test_aggregation_sequence_field_takes_the_last_value),
        cmocka_unit_test(test_first_row_keeps_the_first_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
