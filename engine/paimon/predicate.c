/* paimon/predicate: see predicate.h. Section numbers: reference/paimon-format.md. */
#include "paimon/predicate.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paimon/binrow.h"
#include "paimon/partition.h"
#include "paimon/writer.h"
#include "sql/parser.h"
#include "strutil.h"
#include "timeutil.h"

typedef enum { P_AND, P_OR, P_CMP, P_NULL } p_kind;
typedef enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE } cmp_op;

typedef struct p_node p_node;
struct p_node {
    p_kind kind;
    p_node *kids[2];   /* AND, OR */
    int col;           /* CMP, NULL: field index in the schema */
    cmp_op op;         /* CMP */
    bool not_null;     /* NULL: IS NOT NULL */
    paimon_datum lit;  /* CMP: the literal as a value of the column's type */
    int shift;         /* CMP on DECIMAL(p, s): lit has s + shift fraction digits */
    char *owned;       /* bytes lit points at */
};

struct paimon_pred {
    const paimon_schema *s;
    p_node *root;
};

static void node_free(p_node *n)
{
    if (!n)
        return;
    node_free(n->kids[0]);
    node_free(n->kids[1]);
    free(n->owned);
    free(n);
}

void paimon_pred_free(paimon_pred *p)
{
    if (!p)
        return;
    node_free(p->root);
    free(p);
}

/* ---- compiling ------------------------------------------------------------------ */

static int unsupported(const sql_expr *e, const char *what, mc_err *err)
{
    return mc_err_set(err, MC_ERR_UNSUPPORTED,
                      "[%d,%d] %s is not supported (a column compared with a literal, IS [NOT] NULL, "
                      "[NOT] IN, [NOT] BETWEEN, AND, OR, NOT)",
                      e->pos.line, e->pos.col, what);
}

/* The field a plain column reference names, or -1 with err set. */
static int column_of(const paimon_schema *s, const sql_expr *e, mc_err *err)
{
    if (e->kind != SQL_EXPR_COLUMN || e->nparts != 1)
        return -1;
    int i = paimon_schema_field_index(s, e->parts[0]);
    for (size_t k = 0; i < 0 && k < s->nfields; k++)
        if (!strcasecmp(s->fields[k].name, e->parts[0]))
            i = (int)k;
    if (i < 0)
        mc_err_set(err, MC_ERR_INVALID, "[%d,%d] the table has no column %s", e->pos.line, e->pos.col,
                   e->parts[0]);
    return i;
}

static bool is_literal(const sql_expr *e)
{
    while (e->kind == SQL_EXPR_UNARY && (e->op == SQL_OP_NEG || e->op == SQL_OP_PLUS) && e->left)
        e = e->left;
    return e->kind == SQL_EXPR_LITERAL;
}

static int bad_value(const sql_expr *e, const char *text, const paimon_field *f, mc_err *err)
{
    mc_buf t = MC_BUF_INIT;
    paimon_type_to_sql(&t, f->type);
    mc_err_set(err, MC_ERR_INVALID, "[%d,%d] %s is not a valid %s value for column %s", e->pos.line, e->pos.col,
               text, mc_buf_cstr(&t), f->name);
    mc_buf_free(&t);
    return -1;
}

static bool int_fits(int64_t v, paimon_type_id id)
{
    switch (id) {
    case PAIMON_TINYINT: return v >= -128 && v <= 127;
    case PAIMON_SMALLINT: return v >= -32768 && v <= 32767;
    case PAIMON_INT: return v >= INT32_MIN && v <= INT32_MAX;
    default: return true;
    }
}

/* 10^p: the bound a DECIMAL(p, s) unscaled value stays below. */
static paimon_i128 pow10_i128(int p)
{
    paimon_i128 v = 1;
    for (int i = 0; i < p; i++)
        v *= 10;
    return v;
}

/* Timestamp literal text as the partition parser reads it: 'YYYY-MM-DDTHH:MM[:SS[.f]]'. */
static char *timestamp_text(const char *text)
{
    char *t = strchr(text, 'T') || strchr(text, ' ') ? mc_strdup(text) : mc_asprintf("%sT00:00", text);
    char *sp = strchr(t, ' ');
    if (sp)
        *sp = 'T';
    return t;
}

/* n->lit := the literal e converted to field f's type (see predicate.h). */
static int literal_value(p_node *n, const sql_expr *e, const paimon_field *f, mc_err *err)
{
    bool neg = false;
    const sql_expr *l = e;
    while (l->kind == SQL_EXPR_UNARY && (l->op == SQL_OP_NEG || l->op == SQL_OP_PLUS) && l->left) {
        neg ^= l->op == SQL_OP_NEG;
        l = l->left;
    }
    assert(l->kind == SQL_EXPR_LITERAL);
    if (l->lit == SQL_LIT_NULL) {
        n->lit = paimon_datum_null();
        return 0;
    }
    if (neg && l->lit != SQL_LIT_NUMBER)
        return unsupported(e, "a sign before a non-numeric literal", err);
    size_t len = l->text_len, off = neg ? 1 : 0;
    n->owned = mc_malloc(len + off + 1);
    if (neg)
        n->owned[0] = '-';
    if (len)
        memcpy(n->owned + off, l->text, len);
    n->owned[len + off] = '\0';
    const char *text = n->owned;
    bool num = l->lit == SQL_LIT_NUMBER, str = l->lit == SQL_LIT_STRING;
    const paimon_type *t = f->type;
    paimon_datum *d = &n->lit;
    long long iv;
    char *end;
    switch (t->id) {
    case PAIMON_BOOLEAN:
        if (l->lit != SQL_LIT_BOOL)
            return bad_value(e, text[0] ? text : "''", f, err);
        d->i = l->bval;
        return 0;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
        if ((!num && !str) || mc_parse_i64(text, &iv) || !int_fits(iv, t->id))
            return bad_value(e, text, f, err);
        d->i = iv;
        return 0;
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
        d->d = strtod(text, &end);
        if ((!num && !str) || end == text || *end)
            return bad_value(e, text, f, err);
        if (t->id == PAIMON_FLOAT)
            d->d = (float)d->d; /* stored FLOAT values are exact floats (types.h) */
        return 0;
    case PAIMON_DECIMAL: {
        /* More fraction digits than the column's scale: compare at the
         * literal's scale (column values scaled up), still exactly. */
        const char *dot = strchr(text, '.');
        int frac = dot ? (int)strspn(dot + 1, "0123456789") : 0;
        n->shift = frac > t->scale ? frac - t->scale : 0;
        mc_err ignored;
        paimon_i128 lim = pow10_i128(t->precision + n->shift);
        if ((!num && !str) || t->precision + n->shift > 38 ||
            paimon_decimal_parse(&d->dec, text, t->scale + n->shift, &ignored) || d->dec >= lim || d->dec <= -lim)
            return bad_value(e, text, f, err);
        return 0;
    }
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
        if (!str)
            return bad_value(e, text, f, err);
        *d = paimon_datum_bytes(n->owned, len);
        return 0;
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
        if (!str && l->lit != SQL_LIT_BINARY)
            return bad_value(e, text, f, err);
        *d = paimon_datum_bytes(n->owned, len);
        return 0;
    case PAIMON_DATE: {
        int y, m, dd, used = 0;
        if ((!str && l->lit != SQL_LIT_DATE) || sscanf(text, "%d-%d-%d%n", &y, &m, &dd, &used) != 3 ||
            text[used] || m < 1 || m > 12 || dd < 1 || dd > 31)
            return bad_value(e, text, f, err);
        d->i = mc_days_from_civil(y, m, dd);
        return 0;
    }
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: {
        /* LTZ literals are UTC instants: `cat` renders LTZ in UTC (reference/paimon-cat-csv.md). */
        if (num || l->lit == SQL_LIT_BOOL || l->lit == SQL_LIT_BINARY || !text[0])
            return bad_value(e, text[0] ? text : "''", f, err);
        char *ts = timestamp_text(text);
        mc_err ignored;
        int rc = paimon_partition_value_parse(d, t, ts, PAIMON_DEFAULT_PARTITION_NAME, &ignored);
        free(ts);
        return rc || d->is_null ? bad_value(e, text, f, err) : 0;
    }
    default: {
        mc_buf ty = MC_BUF_INIT;
        paimon_type_to_sql(&ty, t);
        mc_err_set(err, MC_ERR_UNSUPPORTED, "[%d,%d] comparing the %s column %s is not supported", e->pos.line,
                   e->pos.col, mc_buf_cstr(&ty), f->name);
        mc_buf_free(&ty);
        return -1;
    }
    }
}

static p_node *node_new(p_kind k)
{
    p_node *n = mc_calloc(1, sizeof *n);
    n->kind = k;
    return n;
}

static p_node *join(p_kind k, p_node *a, p_node *b)
{
    if (!a || !b) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    p_node *n = node_new(k);
    n->kids[0] = a;
    n->kids[1] = b;
    return n;
}

static cmp_op negate_op(cmp_op op)
{
    static const cmp_op neg[] = {[C_EQ] = C_NE, [C_NE] = C_EQ, [C_LT] = C_GE,
                                 [C_LE] = C_GT, [C_GT] = C_LE, [C_GE] = C_LT};
    return neg[op];
}

static cmp_op flip_op(cmp_op op)
{
    static const cmp_op flip[] = {[C_EQ] = C_EQ, [C_NE] = C_NE, [C_LT] = C_GT,
                                  [C_LE] = C_GE, [C_GT] = C_LT, [C_GE] = C_LE};
    return flip[op];
}

/* column op literal (col and lit already told apart). */
static p_node *cmp_node(const paimon_schema *s, int col, cmp_op op, const sql_expr *lit, mc_err *err)
{
    p_node *n = node_new(P_CMP);
    n->col = col;
    n->op = op;
    if (literal_value(n, lit, &s->fields[col], err)) {
        node_free(n);
        return NULL;
    }
    return n;
}

static bool cmp_of(sql_op op, cmp_op *out)
{
    switch (op) {
    case SQL_OP_EQ: *out = C_EQ; return true;
    case SQL_OP_NE: *out = C_NE; return true;
    case SQL_OP_LT: *out = C_LT; return true;
    case SQL_OP_LE: *out = C_LE; return true;
    case SQL_OP_GT: *out = C_GT; return true;
    case SQL_OP_GE: *out = C_GE; return true;
    default: return false;
    }
}

/* A column operand, -1 with err set when e is none. */
static int operand_column(const paimon_schema *s, const sql_expr *e, mc_err *err)
{
    if (e->kind != SQL_EXPR_COLUMN || e->nparts != 1) {
        unsupported(e, "an operand that is not a column", err);
        return -1;
    }
    return column_of(s, e, err);
}

/* Compiles e, negated when neg (NOT pushed down, see predicate.h). */
static p_node *compile(const paimon_schema *s, const sql_expr *e, bool neg, mc_err *err)
{
    cmp_op op;
    switch (e->kind) {
    case SQL_EXPR_UNARY:
        if (e->op == SQL_OP_NOT)
            return compile(s, e->left, !neg, err);
        break;
    case SQL_EXPR_BINARY:
        if (e->op == SQL_OP_AND || e->op == SQL_OP_OR) {
            p_kind k = (e->op == SQL_OP_AND) != neg ? P_AND : P_OR;
            p_node *a = compile(s, e->left, neg, err);
            return join(k, a, a ? compile(s, e->right, neg, err) : NULL);
        }
        if (cmp_of(e->op, &op)) {
            const sql_expr *c = e->left, *lit = e->right;
            if (is_literal(c) && !is_literal(lit)) {
                c = e->right;
                lit = e->left;
                op = flip_op(op);
            }
            if (!is_literal(lit)) {
                unsupported(lit, "comparing with something other than a literal", err);
                return NULL;
            }
            int col = operand_column(s, c, err);
            return col < 0 ? NULL : cmp_node(s, col, neg ? negate_op(op) : op, lit, err);
        }
        break;
    case SQL_EXPR_IS_NULL: {
        int col = operand_column(s, e->left, err);
        if (col < 0)
            return NULL;
        p_node *n = node_new(P_NULL);
        n->col = col;
        n->not_null = e->negated != neg;
        return n;
    }
    case SQL_EXPR_IN_LIST: {
        /* x IN (a, b) is x = a OR x = b; NOT IN is x <> a AND x <> b. */
        int col = operand_column(s, e->left, err);
        bool out = e->negated != neg;
        p_node *acc = NULL;
        for (size_t i = 0; col >= 0 && i < e->args.n; i++) {
            const sql_expr *v = e->args.items[i];
            if (!is_literal(v)) {
                node_free(acc);
                unsupported(v, "an IN list item that is not a literal", err);
                return NULL;
            }
            p_node *c = cmp_node(s, col, out ? C_NE : C_EQ, v, err);
            if (!c) {
                node_free(acc);
                return NULL;
            }
            acc = acc ? join(out ? P_AND : P_OR, acc, c) : c;
        }
        return acc;
    }
    case SQL_EXPR_BETWEEN: {
        /* x BETWEEN a AND b is x >= a AND x <= b; NOT BETWEEN is x < a OR x > b. */
        int col = operand_column(s, e->left, err);
        if (col < 0)
            return NULL;
        if (!is_literal(e->right) || !is_literal(e->third)) {
            unsupported(e, "BETWEEN bounds that are not literals", err);
            return NULL;
        }
        bool out = e->negated != neg;
        p_node *lo = cmp_node(s, col, out ? C_LT : C_GE, e->right, err);
        return join(out ? P_OR : P_AND, lo, lo ? cmp_node(s, col, out ? C_GT : C_LE, e->third, err) : NULL);
    }
    case SQL_EXPR_COLUMN:
        unsupported(e, "a column on its own (compare it: x = true)", err);
        return NULL;
    default:
        break;
    }
    if (e->kind == SQL_EXPR_FUNC && e->nparts > 0)
        unsupported(e, e->parts[e->nparts - 1], err);
    else if (e->kind == SQL_EXPR_BINARY || e->kind == SQL_EXPR_UNARY || e->kind == SQL_EXPR_LIKE)
        unsupported(e, e->kind == SQL_EXPR_LIKE ? "LIKE" : sql_op_name(e->op), err);
    else
        unsupported(e, "this expression", err);
    return NULL;
}

int paimon_pred_parse(paimon_pred **out, const paimon_schema *s, const char *text, mc_err *err)
{
    *out = NULL;
    sql_arena *a = sql_arena_new();
    sql_expr *e = NULL;
    sql_error se;
    p_node *root = NULL;
    if (sql_parse_expr(&e, a, text, &se)) {
        mc_buf msg = MC_BUF_INIT;
        sql_error_format(&msg, &se);
        mc_err_set(err, MC_ERR_INVALID, "%s", mc_buf_cstr(&msg));
        mc_buf_free(&msg);
    } else {
        root = compile(s, e, false, err);
    }
    sql_arena_free(a);
    if (!root)
        return -1;
    paimon_pred *p = mc_calloc(1, sizeof *p);
    p->s = s;
    p->root = root;
    *out = p;
    return 0;
}

/* ---- rows ----------------------------------------------------------------------- */

static bool op_holds(cmp_op op, int c)
{
    switch (op) {
    case C_EQ: return c == 0;
    case C_NE: return c != 0;
    case C_LT: return c < 0;
    case C_LE: return c <= 0;
    case C_GT: return c > 0;
    case C_GE: return c >= 0;
    }
    return false;
}

/* v (non-null, of n's column) against n's literal. */
static int compare_lit(const paimon_schema *s, const p_node *n, const paimon_datum *v)
{
    if (n->shift) {
        paimon_i128 x = v->dec * pow10_i128(n->shift);
        return x < n->lit.dec ? -1 : x > n->lit.dec;
    }
    return paimon_datum_compare(s->fields[n->col].type, v, &n->lit);
}

/* Three-valued: 1 TRUE, 0 FALSE, -1 NULL. */
static int eval(const paimon_schema *s, const p_node *n, const paimon_datum *row)
{
    const paimon_datum *v = n->kind == P_CMP || n->kind == P_NULL ? &row[n->col] : NULL;
    switch (n->kind) {
    case P_NULL:
        return v->is_null != n->not_null;
    case P_CMP:
        if (v->is_null || n->lit.is_null)
            return -1;
        return op_holds(n->op, compare_lit(s, n, v));
    case P_AND:
    case P_OR: {
        int a = eval(s, n->kids[0], row), b = eval(s, n->kids[1], row);
        int stop = n->kind == P_AND ? 0 : 1; /* the value that decides alone */
        if (a == stop || b == stop)
            return stop;
        return a < 0 || b < 0 ? -1 : !stop;
    }
    }
    return -1;
}

bool paimon_pred_eval(const paimon_pred *p, const paimon_datum *row)
{
    return eval(p->s, p->root, row) == 1;
}

/* ---- files ---------------------------------------------------------------------- */

/* What an entry tells of one column over its file's rows. */
typedef struct {
    bool bounded;          /* min/max known */
    paimon_datum min, max;
    bool counted;          /* null count known */
    int64_t nulls;
} col_range;

static bool may(const paimon_schema *s, const p_node *n, const col_range *r, int64_t rows)
{
    switch (n->kind) {
    case P_AND:
        return may(s, n->kids[0], r, rows) && may(s, n->kids[1], r, rows);
    case P_OR:
        return may(s, n->kids[0], r, rows) || may(s, n->kids[1], r, rows);
    case P_NULL:
        if (!r[n->col].counted)
            return true;
        return n->not_null ? r[n->col].nulls < rows : r[n->col].nulls > 0;
    case P_CMP: {
        const col_range *c = &r[n->col];
        if (n->lit.is_null || (c->counted && c->nulls >= rows))
            return false; /* a comparison with NULL is never TRUE */
        if (!c->bounded)
            return true;
        int lo = compare_lit(s, n, &c->min), hi = compare_lit(s, n, &c->max);
        switch (n->op) {
        case C_EQ: return lo <= 0 && hi >= 0;
        case C_NE: return !(lo == 0 && hi == 0);
        case C_LT: return lo < 0;
        case C_LE: return lo <= 0;
        case C_GT: return hi > 0;
        case C_GE: return hi >= 0;
        }
        return true;
    }
    }
    return true;
}

/* The partition columns: their field indexes and types (capacity npartition_keys). */
static int partition_columns(int *idx, const paimon_type **types, const paimon_schema *s, mc_err *err)
{
    for (size_t i = 0; i < s->npartition_keys; i++) {
        idx[i] = paimon_schema_field_index(s, s->partition_keys[i]);
        if (idx[i] < 0)
            return mc_err_set(err, MC_ERR_PROTOCOL, "partition key %s is not a field", s->partition_keys[i]);
        types[i] = s->fields[idx[i]].type;
    }
    return 0;
}

/* Partition values are exact bounds of their columns (§4.3 _PARTITION). */
static int partition_ranges(col_range *r, const paimon_schema *s, const paimon_manifest_entry *e, mc_err *err)
{
    size_t n = s->npartition_keys;
    if (!n)
        return 0;
    const paimon_type **types = mc_calloc(n, sizeof *types);
    int *idx = mc_calloc(n, sizeof *idx);
    paimon_datum *vals = mc_calloc(n, sizeof *vals);
    int rc = partition_columns(idx, types, s, err);
    if (rc == 0)
        rc = paimon_binrow_read_serialized(vals, types, n, e->partition.data, e->partition.len, err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        col_range *c = &r[idx[i]];
        c->bounded = !vals[i].is_null;
        c->min = c->max = vals[i];
        c->counted = true;
        c->nulls = vals[i].is_null ? e->file.row_count : 0;
    }
    free(types);
    free(idx);
    free(vals);
    return rc;
}

int paimon_pred_may_match_manifest(bool *out, const paimon_pred *p, const paimon_manifest_file_meta *m,
                                   mc_err *err)
{
    const paimon_schema *s = p->s;
    size_t n = s->npartition_keys;
    *out = true;
    if (!n)
        return 0;
    col_range *r = mc_calloc(s->nfields + 1, sizeof *r);
    const paimon_type **types = mc_calloc(n, sizeof *types);
    int *idx = mc_calloc(n, sizeof *idx);
    paimon_datum *mins = mc_calloc(n, sizeof *mins), *maxs = mc_calloc(n, sizeof *maxs);
    const paimon_simple_stats *st = &m->partition_stats;
    int rc = partition_columns(idx, types, s, err);
    mc_err ignored;
    bool decoded = rc == 0 && st->min_values.len && st->max_values.len &&
                   !paimon_binrow_read_serialized(mins, types, n, st->min_values.data, st->min_values.len, &ignored) &&
                   !paimon_binrow_read_serialized(maxs, types, n, st->max_values.data, st->max_values.len, &ignored);
    for (size_t i = 0; i < n && decoded; i++) {
        col_range *c = &r[idx[i]];
        c->bounded = !mins[i].is_null && !maxs[i].is_null;
        c->min = mins[i];
        c->max = maxs[i];
        c->counted = st->has_null_counts && i < st->n_null_counts && st->null_counts[i].set;
        c->nulls = c->counted ? st->null_counts[i].v : 0;
    }
    /* Each entry is one "row" of the statistics: a file in a partition. */
    if (decoded)
        *out = may(s, p->root, r, m->num_added_files + m->num_deleted_files);
    free(r);
    free(types);
    free(idx);
    free(mins);
    free(maxs);
    return rc;
}

/* Value statistics (§4.3 _VALUE_STATS, §8): min/max rows over the columns
 * _VALUE_STATS_COLS names (all columns when unset), null counts beside.
 * A null min or max (stats-mode none/counts, or a max truncate(n) cannot
 * round up) leaves the column unbounded. Stats that do not decode bound
 * nothing: skipping less is always safe. */
static void stats_ranges(col_range *r, const paimon_schema *s, const paimon_data_file_meta *f, paimon_datum *mins,
                         paimon_datum *maxs)
{
    const paimon_simple_stats *st = &f->value_stats;
    size_t n = f->value_stats_cols.set ? f->value_stats_cols.n : s->nfields;
    const paimon_type **types = mc_calloc(n + 1, sizeof *types);
    int *idx = mc_calloc(n + 1, sizeof *idx);
    bool ok = st->min_values.len && st->max_values.len && n <= s->nfields;
    for (size_t i = 0; i < n && ok; i++) {
        idx[i] = f->value_stats_cols.set ? paimon_schema_field_index(s, f->value_stats_cols.items[i]) : (int)i;
        ok = idx[i] >= 0;
        if (ok)
            types[i] = s->fields[idx[i]].type;
    }
    mc_err ignored;
    ok = ok && !paimon_binrow_read_serialized(mins, types, n, st->min_values.data, st->min_values.len, &ignored) &&
         !paimon_binrow_read_serialized(maxs, types, n, st->max_values.data, st->max_values.len, &ignored);
    for (size_t i = 0; i < n && ok; i++) {
        col_range *c = &r[idx[i]];
        if (!mins[i].is_null && !maxs[i].is_null && !c->bounded) {
            c->bounded = true;
            c->min = mins[i];
            c->max = maxs[i];
        }
        if (st->has_null_counts && i < st->n_null_counts && st->null_counts[i].set && !c->counted) {
            c->counted = true;
            c->nulls = st->null_counts[i].v;
        }
    }
    free(types);
    free(idx);
}

int paimon_pred_may_match(bool *out, const paimon_pred *p, const paimon_manifest_entry *e, bool use_stats,
                          mc_err *err)
{
    const paimon_schema *s = p->s;
    col_range *r = mc_calloc(s->nfields + 1, sizeof *r);
    paimon_datum *mins = mc_calloc(s->nfields + 1, sizeof *mins), *maxs = mc_calloc(s->nfields + 1, sizeof *maxs);
    int rc = partition_ranges(r, s, e, err);
    /* Stats columns are named by the file's schema: only files of this schema are bounded by them. */
    if (rc == 0 && use_stats && e->file.schema_id == s->id)
        stats_ranges(r, s, &e->file, mins, maxs);
    *out = rc != 0 || may(s, p->root, r, e->file.row_count);
    free(r);
    free(mins);
    free(maxs);
    return rc;
}
