/* sql/exec: see exec.h. Section numbers: reference/maxcompute-sql.md. */
#include "sql/exec.h"

#include <ctype.h>
#include <fnmatch.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "paimon/partition.h"
#include "paimon/predicate.h"
#include "paimon/types.h"
#include "sql/error.h"
#include "sql/functions.h"
#include "sql/nested.h"
#include "sql/parser.h"
#include "strutil.h"
#include "timeutil.h"

struct sql_exec {
    lake *l;
    sqlite3 *db;
    int vtab_seq;
};

/* ---- small text helpers --------------------------------------------------------- */

static void put_ident(mc_buf *b, const char *s)
{
    mc_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            mc_buf_putc(b, '"');
        mc_buf_putc(b, *s);
    }
    mc_buf_putc(b, '"');
}

static void put_string(mc_buf *b, const char *s, size_t n)
{
    mc_buf_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'')
            mc_buf_putc(b, '\'');
        mc_buf_putc(b, s[i]);
    }
    mc_buf_putc(b, '\'');
}

static char *lower_dup(const char *s)
{
    return mc_str_lower(mc_strdup(s));
}

/* ---- types ---------------------------------------------------------------------- */

/* MaxCompute type of a column -> Paimon type (§2, reverse direction as inferred there). */
static paimon_type *paimon_of(const sql_type *t, sql_error *e)
{
    switch (t->kind) {
    case SQL_TYPE_TINYINT: return paimon_type_new(PAIMON_TINYINT, true);
    case SQL_TYPE_SMALLINT: return paimon_type_new(PAIMON_SMALLINT, true);
    case SQL_TYPE_INT: return paimon_type_new(PAIMON_INT, true);
    case SQL_TYPE_BIGINT: return paimon_type_new(PAIMON_BIGINT, true);
    case SQL_TYPE_FLOAT: return paimon_type_new(PAIMON_FLOAT, true);
    case SQL_TYPE_DOUBLE: return paimon_type_new(PAIMON_DOUBLE, true);
    case SQL_TYPE_BOOLEAN: return paimon_type_new(PAIMON_BOOLEAN, true);
    case SQL_TYPE_DATE: return paimon_type_new(PAIMON_DATE, true);
    case SQL_TYPE_STRING: return paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
    case SQL_TYPE_BINARY: return paimon_type_new_len(PAIMON_VARBINARY, PAIMON_MAX_LENGTH, true);
    case SQL_TYPE_VARCHAR: return paimon_type_new_len(PAIMON_VARCHAR, t->p, true);
    case SQL_TYPE_CHAR: return paimon_type_new_len(PAIMON_CHAR, t->p, true);
    case SQL_TYPE_DECIMAL:
        /* default decimal(38,18) (§2) */
        return paimon_type_new_decimal(t->nparams >= 1 ? t->p : 38, t->nparams >= 2 ? t->s : (t->nparams ? 0 : 18),
                                       true);
    case SQL_TYPE_TIMESTAMP: return paimon_type_new_time(PAIMON_TIMESTAMP_LTZ, 9, true);
    case SQL_TYPE_TIMESTAMP_NTZ: return paimon_type_new_time(PAIMON_TIMESTAMP, 9, true);
    case SQL_TYPE_DATETIME:
        sql_error_set(e, SQL_ODPS_SEMANTIC, t->pos.line, t->pos.col,
                      "DATETIME columns cannot be created in a Paimon table: use TIMESTAMP");
        return NULL;
    case SQL_TYPE_ARRAY:
    case SQL_TYPE_MAP: {
        /* ARRAY <-> ARRAY, MAP <-> MAP (§2). Field ids of nested ROWs: assign_field_ids. */
        paimon_type *a = paimon_type_new(t->kind == SQL_TYPE_ARRAY ? PAIMON_ARRAY : PAIMON_MAP, true);
        paimon_type *k = paimon_of(t->elem, e), *v = k && t->value ? paimon_of(t->value, e) : NULL;
        if (!k || (t->kind == SQL_TYPE_MAP && !v)) {
            paimon_type_free(k);
            paimon_type_free(a);
            return NULL;
        }
        if (t->kind == SQL_TYPE_ARRAY) {
            a->element = k;
        } else {
            k->nullable = false; /* a Paimon MAP key is NOT NULL (Java MapType) */
            a->key = k;
            a->value = v;
        }
        return a;
    }
    case SQL_TYPE_STRUCT: {
        /* STRUCT <-> ROW (§2); field names are case-insensitive, kept lower case as column names. */
        paimon_type *r = paimon_type_new(PAIMON_ROW, true);
        r->nfields = t->fields.n;
        r->fields = mc_calloc(t->fields.n + 1, sizeof *r->fields);
        for (size_t i = 0; i < t->fields.n; i++) {
            const sql_struct_field *f = t->fields.items[i];
            r->fields[i].name = lower_dup(f->name);
            r->fields[i].description = f->comment ? mc_strdup(f->comment) : NULL;
            for (size_t j = 0; j < i; j++)
                if (!strcmp(r->fields[j].name, r->fields[i].name)) {
                    sql_error_set(e, SQL_ODPS_SEMANTIC, f->pos.line, f->pos.col, "field repeated in struct: %s",
                                  r->fields[i].name);
                    paimon_type_free(r);
                    return NULL;
                }
            if (!(r->fields[i].type = paimon_of(f->type, e))) {
                paimon_type_free(r);
                return NULL;
            }
        }
        return r;
    }
    default:
        sql_error_set(e, SQL_ODPS_SEMANTIC, t->pos.line, t->pos.col,
                      "%s columns are not supported by mcdlf yet", sql_type_kind_name(t->kind));
        return NULL;
    }
}

/* Paimon type -> MaxCompute type name, lower case as DESC prints it (§2). */
static void mc_type_name(mc_buf *out, const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_BOOLEAN: mc_buf_puts(out, "boolean"); return;
    case PAIMON_TINYINT: mc_buf_puts(out, "tinyint"); return;
    case PAIMON_SMALLINT: mc_buf_puts(out, "smallint"); return;
    case PAIMON_INT: mc_buf_puts(out, "int"); return;
    case PAIMON_BIGINT: mc_buf_puts(out, "bigint"); return;
    case PAIMON_FLOAT: mc_buf_puts(out, "float"); return;
    case PAIMON_DOUBLE: mc_buf_puts(out, "double"); return;
    case PAIMON_DECIMAL: mc_buf_printf(out, "decimal(%d,%d)", t->precision, t->scale); return;
    case PAIMON_CHAR: mc_buf_printf(out, "char(%d)", t->length); return;
    case PAIMON_VARCHAR:
        if (t->length == PAIMON_MAX_LENGTH)
            mc_buf_puts(out, "string");
        else
            mc_buf_printf(out, "varchar(%d)", t->length);
        return;
    case PAIMON_BINARY:
    case PAIMON_VARBINARY: mc_buf_puts(out, "binary"); return;
    case PAIMON_DATE: mc_buf_puts(out, "date"); return;
    case PAIMON_TIMESTAMP: mc_buf_puts(out, "timestamp_ntz"); return;
    case PAIMON_TIMESTAMP_LTZ: mc_buf_puts(out, "timestamp"); return;
    case PAIMON_ARRAY:
        mc_buf_puts(out, "array<");
        mc_type_name(out, t->element);
        mc_buf_putc(out, '>');
        return;
    case PAIMON_MAP:
        mc_buf_puts(out, "map<");
        mc_type_name(out, t->key);
        mc_buf_putc(out, ',');
        mc_type_name(out, t->value);
        mc_buf_putc(out, '>');
        return;
    case PAIMON_ROW:
        /* struct<x:int,y:string>: MaxCompute's type-name form (§1.2), lower case as DESC prints types. */
        mc_buf_puts(out, "struct<");
        for (size_t i = 0; i < t->nfields; i++) {
            mc_buf_printf(out, "%s%s:", i ? "," : "", t->fields[i].name);
            mc_type_name(out, t->fields[i].type);
        }
        mc_buf_putc(out, '>');
        return;
    default: {
        mc_buf s = MC_BUF_INIT;
        paimon_type_to_sql(&s, t);
        mc_buf_puts(out, mc_str_lower(s.data));
        mc_buf_free(&s);
    }
    }
}

/* The type's name in error texts: upper case as MaxCompute writes types
 * there ("invalid type STRING of argument 1", §5.2), field names as declared. */
static void mc_type_upper(mc_buf *out, const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_ARRAY:
        mc_buf_puts(out, "ARRAY<");
        mc_type_upper(out, t->element);
        break;
    case PAIMON_MAP:
        mc_buf_puts(out, "MAP<");
        mc_type_upper(out, t->key);
        mc_buf_putc(out, ',');
        mc_type_upper(out, t->value);
        break;
    case PAIMON_ROW:
        mc_buf_puts(out, "STRUCT<");
        for (size_t i = 0; i < t->nfields; i++) {
            mc_buf_printf(out, "%s%s:", i ? "," : "", t->fields[i].name);
            mc_type_upper(out, t->fields[i].type);
        }
        break;
    default: {
        mc_buf n = MC_BUF_INIT;
        mc_type_name(&n, t);
        for (size_t i = 0; i < n.len; i++)
            mc_buf_putc(out, (char)toupper((unsigned char)n.data[i]));
        mc_buf_free(&n);
        return;
    }
    }
    mc_buf_putc(out, '>');
}

/* The declared type of a virtual-table column: drives result rendering. */
static const char *decl_type(const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_BOOLEAN: return "BOOLEAN";
    case PAIMON_FLOAT: return "FLOAT";
    case PAIMON_DOUBLE: return "DOUBLE";
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT: return "INTEGER";
    case PAIMON_VARBINARY:
    case PAIMON_BINARY: return "BLOB";
    default: return "TEXT";
    }
}

/* ---- the paimon virtual table ----------------------------------------------------- */

typedef struct {
    sqlite3_vtab base;
    lake_table *t;
} pvtab;

typedef struct {
    sqlite3_vtab_cursor base;
    lake_scan *scan;
    const paimon_datum *row;
    int64_t rowid;
    bool eof;
    sqlite3_uint64 used;   /* colUsed of the plan: the columns read (pv_best_index) */
    int64_t budget;        /* LIMIT + OFFSET rows at most; < 0: no limit */
    int64_t blanks;        /* rows of files skipped under OFFSET still to hand out */
    bool blank;            /* the current row is one of those: SQLite discards it unread */
} pcursor;

static void vtab_error(sqlite3_vtab *v, const mc_err *err)
{
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("%s", err->msg);
}

/* A put_ident argument without its quotes. */
static char *unquote(const char *s)
{
    size_t n = strlen(s);
    char *out = mc_calloc(n + 1, 1), *o = out;
    for (size_t i = 1; i + 1 < n; i++) {
        *o++ = s[i];
        if (s[i] == '"' && s[i + 1] == '"')
            i++;
    }
    return out;
}

/* The time-travel spec tr_table resolved: "snapshot:N", "version:NAME" or
 * "millis:MS"; the table then reads that snapshot (lake_table_travel). */
static int travel_from_spec(lake_table *t, const char *spec, mc_err *err)
{
    paimon_at at = {.zone_offset_ms = SQL_SESSION_OFFSET_MS};
    const char *v = strchr(spec, ':');
    long long num = 0;
    if (!v)
        return mc_err_set(err, MC_ERR_INTERNAL, "paimon: bad time-travel spec %s", spec);
    v++;
    if (mc_str_starts_with(spec, "version:")) {
        at.kind = PAIMON_AT_VERSION;
        at.name = v;
    } else if (mc_parse_i64(v, &num) == 0 && mc_str_starts_with(spec, "snapshot:")) {
        at.kind = PAIMON_AT_SNAPSHOT;
        at.id = num;
    } else if (mc_parse_i64(v, &num) == 0 && mc_str_starts_with(spec, "millis:")) {
        at.kind = PAIMON_AT_MILLIS;
        at.millis = num;
    } else {
        return mc_err_set(err, MC_ERR_INTERNAL, "paimon: bad time-travel spec %s", spec);
    }
    int64_t id;
    return lake_table_travel(t, &at, &id, err);
}

/* argv[3] = database, argv[4] = table, argv[5] = time-travel spec (optional; quoted). */
static int pv_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **errmsg)
{
    sql_exec *x = aux;
    if (argc < 5) {
        *errmsg = sqlite3_mprintf("paimon: expected (database, table[, time travel])");
        return SQLITE_ERROR;
    }
    char *dbn = unquote(argv[3]), *tn = unquote(argv[4]);
    mc_err err;
    lake_table *t;
    int rc = lake_table_load(x->l, dbn, tn, &t, &err);
    free(dbn);
    free(tn);
    if (rc == 0 && argc > 5) {
        char *spec = unquote(argv[5]);
        if ((rc = travel_from_spec(t, spec, &err)) != 0)
            lake_table_free(t);
        free(spec);
    }
    if (rc) {
        *errmsg = sqlite3_mprintf("%s", err.msg);
        return SQLITE_ERROR;
    }
    const paimon_schema *s = lake_table_schema(t);
    mc_buf ddl = MC_BUF_INIT;
    mc_buf_puts(&ddl, "CREATE TABLE x(");
    for (size_t i = 0; i < s->nfields; i++) {
        if (i)
            mc_buf_puts(&ddl, ", ");
        put_ident(&ddl, s->fields[i].name);
        mc_buf_printf(&ddl, " %s", decl_type(s->fields[i].type));
        /* DECIMAL stays exact text; it compares and sorts by value. */
        if (s->fields[i].type->id == PAIMON_DECIMAL)
            mc_buf_puts(&ddl, " COLLATE mc_decimal");
    }
    mc_buf_puts(&ddl, ")");
    rc = sqlite3_declare_vtab(db, ddl.data);
    mc_buf_free(&ddl);
    if (rc != SQLITE_OK) {
        lake_table_free(t);
        return rc;
    }
    pvtab *v = sqlite3_malloc(sizeof *v);
    memset(v, 0, sizeof *v);
    v->t = t;
    *out = &v->base;
    return SQLITE_OK;
}

static int pv_disconnect(sqlite3_vtab *vt)
{
    pvtab *v = (pvtab *)vt;
    lake_table_free(v->t);
    sqlite3_free(v);
    return SQLITE_OK;
}

/* Constraint pushdown (issue 5: partition pruning and statistics skipping).
 * SQLite hands over the WHERE terms on single columns; those whose meaning
 * is the same here and in paimon/predicate (integers compared with integers,
 * strings bytewise, dates in their canonical text) become a predicate the
 * scan plans with, dropping the files that cannot match. SQLite still tests
 * every row it gets (omit stays 0), so pushdown only ever saves reads. */
static bool pushable_type(const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
    case PAIMON_VARCHAR:
    case PAIMON_DATE: return true;
    default: return false;
    }
}

static const char *pushable_op(unsigned char op)
{
    switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ: return "=";
    case SQLITE_INDEX_CONSTRAINT_GT: return ">";
    case SQLITE_INDEX_CONSTRAINT_GE: return ">=";
    case SQLITE_INDEX_CONSTRAINT_LT: return "<";
    case SQLITE_INDEX_CONSTRAINT_LE: return "<=";
    case SQLITE_INDEX_CONSTRAINT_ISNULL: return "IS NULL";
    case SQLITE_INDEX_CONSTRAINT_ISNOTNULL: return "IS NOT NULL";
    default: return NULL;
    }
}

/* Projection and LIMIT pushdown. colUsed (bit i: column i, bit 63: any
 * column from 63 on) names the columns the statement reads; the scan
 * reads only those (lake_scan_project). SQLite passes LIMIT and OFFSET
 * (SQLITE_INDEX_CONSTRAINT_LIMIT/OFFSET, SQLite >= 3.38) only for a
 * query over this one table without aggregates, GROUP BY or DISTINCT
 * (sqlite3WhereAddLimit in SQLite's where.c). They are taken only when
 * they are the sole constraints and there is no ORDER BY, so each row the
 * scan hands out is one SQLite counts: the scan stops after LIMIT +
 * OFFSET rows, and under OFFSET passes over whole leading files of an
 * append table by their row counts, handing out blank rows in their
 * place (SQLite discards the OFFSET rows without reading their columns;
 * pv_column refuses to read a blank row rather than make one up). Both
 * values reach pv_filter as arguments, so any constant expression works;
 * SQLite still applies LIMIT and OFFSET itself (omit stays 0). */
static bool limit_op(unsigned char op)
{
    return op == SQLITE_INDEX_CONSTRAINT_LIMIT || op == SQLITE_INDEX_CONSTRAINT_OFFSET;
}

/* idxStr: "<colUsed hex>;<LIMIT argv>;<OFFSET argv>;" (0: none), then
 * "<column>:<op index>;" per pushed term, in argv order. */
static int pv_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    const paimon_schema *s = lake_table_schema(((pvtab *)vt)->t);
    mc_buf plan = MC_BUF_INIT;
    int argv = 0, terms = 0, limit_argv = 0, offset_argv = 0;
    bool only_limits = info->nOrderBy == 0;
    for (int i = 0; i < info->nConstraint; i++)
        only_limits &= info->aConstraint[i].usable && limit_op(info->aConstraint[i].op);
    for (int i = 0; i < info->nConstraint && only_limits; i++) {
        bool limit = info->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_LIMIT;
        info->aConstraintUsage[i].argvIndex = ++argv;
        *(limit ? &limit_argv : &offset_argv) = argv;
        sqlite3_value *v = NULL;
        /* A literal LIMIT is known here already: fewer rows to expect. */
        if (limit && sqlite3_vtab_rhs_value(info, i, &v) == SQLITE_OK && sqlite3_value_type(v) == SQLITE_INTEGER)
            info->estimatedRows = sqlite3_value_int64(v);
    }
    mc_buf_printf(&plan, "%llx;%d;%d;", (unsigned long long)info->colUsed, limit_argv, offset_argv);
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *k = &info->aConstraint[i];
        const char *op = pushable_op(k->op);
        if (!k->usable || k->iColumn < 0 || !op || only_limits || !pushable_type(s->fields[k->iColumn].type))
            continue;
        bool valued = k->op != SQLITE_INDEX_CONSTRAINT_ISNULL && k->op != SQLITE_INDEX_CONSTRAINT_ISNOTNULL;
        if (valued)
            info->aConstraintUsage[i].argvIndex = ++argv;
        mc_buf_printf(&plan, "%d:%d;", k->iColumn, (int)k->op);
        terms++;
    }
    info->idxNum = terms;
    info->idxStr = sqlite3_mprintf("%s", plan.data);
    info->needToFreeIdxStr = 1;
    /* Fewer rows to expect with terms to prune by. */
    info->estimatedCost = terms ? 1e5 : 1e6;
    mc_buf_free(&plan);
    return SQLITE_OK;
}

/* One pushed term as predicate text; false when the value's kind does not
 * keep SQLite's meaning (then the term is left to SQLite alone). */
static bool push_term(mc_buf *out, const paimon_field *f, const char *op, sqlite3_value *v)
{
    mc_buf t = MC_BUF_INIT;
    mc_buf_putc(&t, '`');
    mc_buf_puts(&t, f->name);
    mc_buf_puts(&t, "` ");
    mc_buf_puts(&t, op);
    bool ok = true;
    if (v) {
        int vt = sqlite3_value_type(v);
        const char *text = (const char *)sqlite3_value_text(v);
        if (f->type->id == PAIMON_VARCHAR && vt == SQLITE_TEXT) {
            mc_buf_puts(&t, " ");
            put_string(&t, text, (size_t)sqlite3_value_bytes(v));
        } else if (f->type->id == PAIMON_DATE && vt == SQLITE_TEXT && strlen(text) == 10 && text[4] == '-' &&
                   text[7] == '-') {
            mc_buf_puts(&t, " ");
            put_string(&t, text, 10);
        } else if (f->type->id != PAIMON_VARCHAR && f->type->id != PAIMON_DATE && vt == SQLITE_INTEGER) {
            mc_buf_printf(&t, " %lld", (long long)sqlite3_value_int64(v));
        } else {
            ok = false;
        }
    }
    if (ok) {
        if (out->len)
            mc_buf_puts(out, " AND ");
        mc_buf_append(out, t.data, t.len);
    }
    mc_buf_free(&t);
    return ok;
}

static int pv_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    (void)vt;
    pcursor *c = sqlite3_malloc(sizeof *c);
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int pv_close(sqlite3_vtab_cursor *cur)
{
    pcursor *c = (pcursor *)cur;
    lake_scan_close(c->scan);
    sqlite3_free(c);
    return SQLITE_OK;
}

static int pv_next(sqlite3_vtab_cursor *cur)
{
    pcursor *c = (pcursor *)cur;
    c->rowid++;
    c->blank = c->blanks > 0;
    if (c->blank) {
        c->blanks--;
        return SQLITE_OK;
    }
    if (c->budget >= 0 && c->rowid > c->budget) {
        c->eof = true; /* LIMIT + OFFSET rows handed out: no more files are read */
        return SQLITE_OK;
    }
    mc_err err;
    int r = lake_scan_next(c->scan, &c->row, &err);
    if (r < 0) {
        vtab_error(cur->pVtab, &err);
        return SQLITE_ERROR;
    }
    c->eof = r == 0;
    return SQLITE_OK;
}

/* An argument of pv_filter as a row count (LIMIT/OFFSET); -1 when it is not a non-negative integer. */
static int64_t count_arg(int argc, sqlite3_value **argv, int i)
{
    if (i < 1 || i > argc || sqlite3_value_type(argv[i - 1]) != SQLITE_INTEGER)
        return -1;
    sqlite3_int64 n = sqlite3_value_int64(argv[i - 1]);
    return n < 0 ? -1 : n;
}

static int pv_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv)
{
    pcursor *c = (pcursor *)cur;
    pvtab *v = (pvtab *)cur->pVtab;
    lake_scan_close(c->scan);
    c->scan = NULL;
    /* The projection and limits, then the pushed terms (pv_best_index) as one predicate. */
    const paimon_schema *s = lake_table_schema(v->t);
    unsigned long long used = ~0ULL;
    int limit_argv = 0, offset_argv = 0, n = 0;
    if (!idxs || sscanf(idxs, "%llx;%d;%d;%n", &used, &limit_argv, &offset_argv, &n) != 3 || n == 0) {
        sqlite3_free(cur->pVtab->zErrMsg);
        cur->pVtab->zErrMsg = sqlite3_mprintf("paimon: bad plan %s", idxs ? idxs : "(none)");
        return SQLITE_ERROR;
    }
    c->used = used;
    c->eof = false;
    int64_t limit = count_arg(argc, argv, limit_argv), offset = offset_argv ? count_arg(argc, argv, offset_argv) : 0;
    c->budget = limit >= 0 && offset >= 0 ? limit + offset : -1;
    c->blanks = 0;
    mc_buf text = MC_BUF_INIT;
    int next = limit_argv > offset_argv ? limit_argv : offset_argv;
    for (const char *p = idx ? idxs + n : NULL; p && *p;) {
        int col, op;
        if (sscanf(p, "%d:%d;", &col, &op) != 2 || col < 0 || (size_t)col >= s->nfields)
            break;
        bool valued = op != SQLITE_INDEX_CONSTRAINT_ISNULL && op != SQLITE_INDEX_CONSTRAINT_ISNOTNULL;
        sqlite3_value *val = valued && next < argc ? argv[next] : NULL;
        next += valued;
        if (!valued || val)
            push_term(&text, &s->fields[col], pushable_op((unsigned char)op), val);
        p = strchr(p, ';');
        p = p ? p + 1 : NULL;
    }
    mc_err err;
    paimon_pred *pred = NULL;
    if (text.len && paimon_pred_parse(&pred, s, text.data, &err))
        pred = NULL; /* a term the predicate cannot hold: read every file, SQLite filters */
    mc_buf_free(&text);
    int rc = lake_scan_open_pruned(v->t, pred, &c->scan, &err);
    paimon_pred_free(pred);
    if (rc) {
        vtab_error(cur->pVtab, &err);
        return SQLITE_ERROR;
    }
    bool *want = mc_calloc(s->nfields + 1, sizeof *want);
    for (size_t i = 0; i < s->nfields; i++)
        want[i] = (used >> (i < 63 ? i : 63)) & 1;
    lake_scan_project(c->scan, want);
    free(want);
    if (offset > 0 && c->budget >= 0)
        lake_scan_skip_files(c->scan, offset, &c->blanks);
    c->rowid = 0;
    return pv_next(cur);
}

static int pv_eof(sqlite3_vtab_cursor *cur)
{
    return ((pcursor *)cur)->eof;
}

static int pv_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i)
{
    pcursor *c = (pcursor *)cur;
    pvtab *v = (pvtab *)cur->pVtab;
    if (c->blank || !((c->used >> (i < 63 ? i : 63)) & 1)) {
        /* Never a made-up value: pv_best_index's plan did not read this. */
        sqlite3_result_error(ctx, c->blank ? "paimon: a row skipped under OFFSET was read"
                                           : "paimon: a column outside the plan's projection was read", -1);
        return SQLITE_OK;
    }
    const paimon_datum *d = &c->row[i];
    const paimon_type *t = lake_table_schema(v->t)->fields[i].type;
    if (d->is_null) {
        sqlite3_result_null(ctx);
        return SQLITE_OK;
    }
    mc_buf b = MC_BUF_INIT;
    switch (t->id) {
    case PAIMON_BOOLEAN:
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT: sqlite3_result_int64(ctx, d->i); break;
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE: sqlite3_result_double(ctx, d->d); break;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR: sqlite3_result_text(ctx, (const char *)d->ptr, (int)d->len, SQLITE_TRANSIENT); break;
    case PAIMON_BINARY:
    case PAIMON_VARBINARY: sqlite3_result_blob(ctx, d->ptr, (int)d->len, SQLITE_TRANSIENT); break;
    case PAIMON_DECIMAL:
        paimon_decimal_format(&b, d->dec, t->scale);
        sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
        break;
    case PAIMON_DATE:
        sql_date_format(&b, d->i);
        sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
        break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        sql_timestamp_format(&b, d->i, d->nanos);
        sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
        break;
    case PAIMON_ARRAY:
    case PAIMON_MAP:
    case PAIMON_ROW: {
        /* Nested values cross SQLite as their console JSON (sql/nested). */
        mc_err err;
        if (sql_nested_to_json(&b, t, d, &err))
            sqlite3_result_error(ctx, err.msg, -1);
        else
            sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
        break;
    }
    default: {
        mc_buf n = MC_BUF_INIT;
        paimon_type_to_sql(&n, t);
        sqlite3_result_error(ctx, "", -1);
        char *m = mc_asprintf("reading %s columns is not supported yet", n.data);
        sqlite3_result_error(ctx, m, -1);
        free(m);
        mc_buf_free(&n);
    }
    }
    mc_buf_free(&b);
    return SQLITE_OK;
}

static int pv_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    *out = ((pcursor *)cur)->rowid;
    return SQLITE_OK;
}

static const sqlite3_module paimon_module = {
    .iVersion = 0,
    .xCreate = pv_connect,
    .xConnect = pv_connect,
    .xBestIndex = pv_best_index,
    .xDisconnect = pv_disconnect,
    .xDestroy = pv_disconnect,
    .xOpen = pv_open,
    .xClose = pv_close,
    .xFilter = pv_filter,
    .xNext = pv_next,
    .xEof = pv_eof,
    .xColumn = pv_column,
    .xRowid = pv_rowid,
};

int sql_exec_new(sql_exec **out, lake *l, mc_err *err)
{
    sql_exec *x = mc_calloc(1, sizeof *x);
    x->l = l;
    if (sqlite3_open(":memory:", &x->db) != SQLITE_OK ||
        sqlite3_create_module(x->db, "paimon", &paimon_module, x) != SQLITE_OK ||
        /* A double-quoted name is always an identifier: an unknown column must
         * not turn into a string literal. */
        sqlite3_db_config(x->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL) != SQLITE_OK ||
        sqlite3_db_config(x->db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL) != SQLITE_OK ||
        /* MaxCompute's LIKE is case-sensitive. */
        sqlite3_exec(x->db, "PRAGMA case_sensitive_like = ON", NULL, NULL, NULL) != SQLITE_OK ||
        sql_functions_register(x->db, err)) {
        mc_err_set(err, MC_ERR_INTERNAL, "sqlite: %s", x->db ? sqlite3_errmsg(x->db) : "out of memory");
        sql_exec_free(x);
        return -1;
    }
    *out = x;
    return 0;
}

void sql_exec_free(sql_exec *x)
{
    if (!x)
        return;
    sqlite3_close(x->db);
    free(x);
}

/* ---- names ---------------------------------------------------------------------- */

typedef struct {
    char *schema;   /* DLF database */
    char *table;
    char *display;  /* project.schema.table as errors name it */
} qname;

static void qname_free(qname *q)
{
    free(q->schema);
    free(q->table);
    free(q->display);
}

/* a / s.a / p.s.a in schema mode; a / p.a otherwise (§3.1). */
static int resolve_name(const sql_exec_env *env, const sql_name *n, qname *q, sql_error *e)
{
    const char *project = env->project ? env->project : "";
    const char *schema = env->schema;
    const char *table = n->parts[n->n - 1];
    if (n->n == 3 || (n->n == 2 && !env->namespace_schema)) {
        if (strcasecmp(n->parts[0], project) != 0)
            return sql_error_set(e, SQL_ODPS_TABLE_NOT_FOUND, n->pos.line, n->pos.col,
                                 "table %s cannot be resolved: project %s is not the current project", table,
                                 n->parts[0]);
        if (n->n == 3)
            schema = n->parts[1];
        else
            schema = "default";
    } else if (n->n == 2) {
        schema = n->parts[0];
    }
    q->schema = lower_dup(schema);
    q->table = lower_dup(table);
    q->display = mc_asprintf("%s.%s.%s", project, q->schema, q->table);
    return 0;
}

/* A catalog error as the console shows it. */
static void catalog_failure(mc_buf *msg, const mc_err *err)
{
    mc_buf_puts(msg, err->msg);
}

/* Resolves a table name and loads the table from the catalog. On failure e
 * holds the ODPS error (a missing table is ODPS-0130131 at its name), or for
 * any other catalog failure *cerr is set and *catalog is true; q is freed. */
static int open_named(sql_exec *x, const sql_exec_env *env, const sql_name *n, qname *q, lake_table **t,
                      sql_error *e, mc_err *cerr, bool *catalog)
{
    *catalog = false;
    *t = NULL;
    if (resolve_name(env, n, q, e))
        return -1;
    if (lake_table_load(x->l, q->schema, q->table, t, cerr) == 0)
        return 0;
    if (cerr->code == MC_ERR_REMOTE && cerr->http_status == 404)
        sql_error_set(e, SQL_ODPS_TABLE_NOT_FOUND, n->pos.line, n->pos.col, "table %s cannot be resolved",
                      q->display);
    else
        *catalog = true;
    qname_free(q);
    return -1;
}

/* The FAILED text of an open_named / translation failure. */
static void failure_text(mc_buf *msg, const sql_error *e, const mc_err *cerr, bool catalog)
{
    if (catalog)
        catalog_failure(msg, cerr);
    else
        sql_error_format(msg, e);
}

/* open_named for a statement: on failure the FAILED text is in msg. */
static int open_for(sql_exec *x, const sql_exec_env *env, const sql_name *n, qname *q, lake_table **t, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    mc_err err;
    bool catalog;
    if (open_named(x, env, n, q, t, &e, &err, &catalog) == 0)
        return 0;
    failure_text(msg, &e, &err, catalog);
    return -1;
}

/* The values of a full partition spec (k=v, ...) in the table's
 * partition-key order, in *values (NULL-terminated, free() it; the strings
 * are the spec's). Every partition column must be named, with a constant. */
static int spec_values(const char ***values, const paimon_schema *s, const sql_part_spec *ps, sql_error *e)
{
    const char **v = mc_calloc(s->npartition_keys + 1, sizeof *v);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ps->items.n; i++) {
        const sql_part_item *pi = ps->items.items[i];
        char *k = lower_dup(pi->key ? pi->key : "");
        size_t j = 0;
        while (j < s->npartition_keys && strcmp(s->partition_keys[j], k) != 0)
            j++;
        if (j == s->npartition_keys)
            rc = sql_error_set(e, SQL_ODPS_SEMANTIC, pi->pos.line, pi->pos.col, "partition column %s does not exist",
                               k);
        else if (!pi->value || pi->value->kind != SQL_EXPR_LITERAL || pi->value->lit == SQL_LIT_NULL)
            rc = sql_error_set(e, SQL_ODPS_SEMANTIC, pi->pos.line, pi->pos.col,
                               "partition value of %s must be a constant", k);
        else
            v[j] = pi->value->text;
        free(k);
    }
    for (size_t j = 0; rc == 0 && j < s->npartition_keys; j++)
        if (!v[j])
            rc = sql_error_set(e, SQL_ODPS_SEMANTIC, ps->pos.line, ps->pos.col,
                               "the partition spec must name every partition column: %s is missing",
                               s->partition_keys[j]);
    if (rc) {
        free(v);
        v = NULL;
    }
    *values = v;
    return rc;
}

/* Collects the catalog's partition objects into a JSON array. */
static int partition_collect(void *ud, json_t *p, mc_err *err)
{
    (void)err;
    json_array_append(ud, p);
    return 0;
}

/* The table's partitions as the catalog lists them (Paimon REST Partition:
 * spec, recordCount, fileSizeInBytes, createdAt, updatedAt, ...). */
static int table_partitions(sql_exec *x, const qname *q, json_t **out, mc_err *err)
{
    const char *segs[] = {"databases", q->schema, "tables", q->table, "partitions"};
    *out = json_array();
    if (rest_catalog_each(lake_catalog(x->l), segs, 5, "partitions", partition_collect, *out, err) == 0)
        return 0;
    json_decref(*out);
    *out = NULL;
    return -1;
}

/* The partition whose spec has values[k] for each partition key; NULL if none. */
static json_t *partition_find(json_t *parts, const paimon_schema *s, const char *const *values)
{
    size_t i;
    json_t *p;
    json_array_foreach(parts, i, p) {
        bool same = true;
        for (size_t k = 0; same && k < s->npartition_keys; k++) {
            const char *v = json_string_value(json_object_get(json_object_get(p, "spec"), s->partition_keys[k]));
            same = v && !strcmp(v, values[k]);
        }
        if (same)
            return p;
    }
    return NULL;
}

/* ---- expression and query translation ------------------------------------------- */

typedef struct {
    sql_exec *x;
    const sql_exec_env *env;
    sql_error *e;
    mc_err *cerr;            /* catalog failures while binding */
    bool catalog_failed;
    char **vtabs;            /* temp virtual tables created for this statement */
    size_t nvtabs;
    bool bool_text;          /* render boolean select items as true/false (query results only) */
    int depth;               /* query nesting */
    bool *bool_cols;         /* top-level output columns that are BOOLEAN (no * before them) */
    size_t nbool_cols;
    lake_table **tables;     /* the Paimon tables the query reads, with their aliases (typing) */
    char **aliases;
    size_t ntables;
    mc_buf *semi;            /* the current SELECT's LEFT SEMI/ANTI JOIN conditions, ANDed into its WHERE */
    const sql_expr **gs_keys;/* GROUPING SETS being expanded: every grouping key, */
    size_t gs_nkeys;
    unsigned gs_mask;        /* the keys in the current set (bit i = gs_keys[i]), */
    int in_agg;              /* and whether we are inside an aggregate's arguments */
    struct lateral_col *lat; /* LATERAL VIEW columns in scope: what a reference to each becomes */
    size_t nlat;
    bool qualify;            /* name each table column's table: json_each's own columns (id, key, value,
                              * type, path, ...) sit beside them in a SELECT with a LATERAL VIEW */
    const sql_table_ref *from; /* the current SELECT's FROM (NULL: none) */
    size_t lat_base;         /* c->lat[lat_base..nlat) are the current SELECT's LATERAL VIEW columns */
} tr_ctx;

/* A column a LATERAL VIEW makes: `alias.name` or `name` reads as sql. */
typedef struct lateral_col {
    char *alias, *name, *sql;
    paimon_type *type; /* NULL when unknown */
} lateral_col;

static int tr_expr(tr_ctx *c, mc_buf *o, const sql_expr *ex);
static int tr_query(tr_ctx *c, mc_buf *o, const sql_query *q);

/* Whether an expression is BOOLEAN by its form (predicates, logic, TRUE/FALSE). */
static bool is_bool_expr(const sql_expr *e)
{
    switch (e->kind) {
    case SQL_EXPR_LITERAL: return e->lit == SQL_LIT_BOOL;
    case SQL_EXPR_UNARY: return e->op == SQL_OP_NOT;
    case SQL_EXPR_BINARY:
        return e->op == SQL_OP_OR || e->op == SQL_OP_AND || e->op == SQL_OP_EQ || e->op == SQL_OP_NSEQ ||
               e->op == SQL_OP_NE || e->op == SQL_OP_LT || e->op == SQL_OP_LE || e->op == SQL_OP_GT ||
               e->op == SQL_OP_GE;
    case SQL_EXPR_IS_NULL:
    case SQL_EXPR_IN_LIST:
    case SQL_EXPR_IN_QUERY:
    case SQL_EXPR_BETWEEN:
    case SQL_EXPR_LIKE:
    case SQL_EXPR_EXISTS: return true;
    case SQL_EXPR_CAST: return e->type && e->type->kind == SQL_TYPE_BOOLEAN;
    case SQL_EXPR_FUNC: {
        const sql_function *f = e->nparts == 1 && !e->over ? sql_function_lookup(e->parts[0]) : NULL;
        return sql_function_is_boolean(f) ||
               (e->nparts == 1 && (!strcasecmp(e->parts[0], "table_exists") ||
                                   !strcasecmp(e->parts[0], "partition_exists")));
    }
    default: return false;
    }
}

static int unsupported(tr_ctx *c, sql_pos p, const char *what)
{
    return sql_error_set(c->e, SQL_ODPS_SEMANTIC, p.line, p.col, "%s is not supported by mcdlf yet", what);
}

static int tr_list(tr_ctx *c, mc_buf *o, const sql_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            mc_buf_puts(o, ", ");
        if (tr_expr(c, o, l->items[i]))
            return -1;
    }
    return 0;
}

static int tr_func(tr_ctx *c, mc_buf *o, const sql_expr *ex);
static int gs_key_index(const tr_ctx *c, const sql_expr *ex);
static bool decimal_operand(const tr_ctx *c, const sql_expr *a, const sql_expr *b);
static paimon_type *expr_type(const tr_ctx *c, const sql_expr *e);
static const lateral_col *lateral_find(const tr_ctx *c, const sql_expr *ex);
static const char *column_owner(const tr_ctx *c, const char *name);
static bool has_lateral(const sql_table_ref *r);
static int tr_star_lateral(tr_ctx *c, mc_buf *o);

static int tr_bound(tr_ctx *c, mc_buf *o, const sql_frame_bound *b)
{
    switch (b->kind) {
    case SQL_BOUND_UNBOUNDED_PRECEDING: mc_buf_puts(o, "UNBOUNDED PRECEDING"); return 0;
    case SQL_BOUND_UNBOUNDED_FOLLOWING: mc_buf_puts(o, "UNBOUNDED FOLLOWING"); return 0;
    case SQL_BOUND_CURRENT_ROW: mc_buf_puts(o, "CURRENT ROW"); return 0;
    default:
        if (tr_expr(c, o, b->offset))
            return -1;
        mc_buf_puts(o, b->kind == SQL_BOUND_PRECEDING ? " PRECEDING" : " FOLLOWING");
        return 0;
    }
}

/* Window functions (§6.5) map onto SQLite's, which share their semantics:
 * ROW_NUMBER, RANK (gaps), DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG,
 * LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE, and aggregates over windows. */
static int tr_window(tr_ctx *c, mc_buf *o, const sql_expr *ex, const char *name)
{
    static const char *const WINDOW_ONLY[] = {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist",
                                              "ntile", "lag", "lead", "first_value", "last_value", "nth_value"};
    const sql_window_spec *w = ex->over;
    if (w->ref_name)
        return unsupported(c, ex->pos, "a named WINDOW");
    bool known = false;
    for (size_t i = 0; i < sizeof WINDOW_ONLY / sizeof *WINDOW_ONLY; i++)
        known |= ex->nparts == 1 && !strcasecmp(WINDOW_ONLY[i], name);
    if (known) {
        char *l = lower_dup(name);
        mc_buf_printf(o, "%s(", l);
        free(l);
        if (tr_list(c, o, &ex->args))
            return -1;
        mc_buf_putc(o, ')');
    } else {
        /* An aggregate (COUNT, SUM, AVG, MIN, MAX, ...) over the window. */
        const sql_function *f = ex->nparts == 1 ? sql_function_lookup(name) : NULL;
        if ((!f || !f->aggregate) && strcasecmp(name, "avg") != 0) {
            char *l = lower_dup(name);
            int rc = sql_error_set(c->e, SQL_ODPS_SEMANTIC, ex->pos.line, ex->pos.col,
                                   "function or view '%s' cannot be resolved", l);
            free(l);
            return rc;
        }
        sql_expr plain = *ex;
        plain.over = NULL;
        if (tr_func(c, o, &plain))
            return -1;
    }
    mc_buf_puts(o, " OVER (");
    if (w->partition_by.n) {
        mc_buf_puts(o, "PARTITION BY ");
        if (tr_list(c, o, &w->partition_by))
            return -1;
    }
    if (w->order_by.n) {
        mc_buf_puts(o, w->partition_by.n ? " ORDER BY " : "ORDER BY ");
        for (size_t i = 0; i < w->order_by.n; i++) {
            const sql_order_item *it = w->order_by.items[i];
            if (i)
                mc_buf_puts(o, ", ");
            if (tr_expr(c, o, it->expr))
                return -1;
            if (it->desc)
                mc_buf_puts(o, " DESC");
            if (it->nulls)
                mc_buf_puts(o, it->nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
        }
    }
    if (w->unit != SQL_FRAME_NONE) {
        mc_buf_puts(o, w->unit == SQL_FRAME_ROWS ? " ROWS " : " RANGE ");
        if (w->between)
            mc_buf_puts(o, "BETWEEN ");
        if (tr_bound(c, o, &w->start))
            return -1;
        if (w->between) {
            mc_buf_puts(o, " AND ");
            if (tr_bound(c, o, &w->end))
                return -1;
        }
    }
    mc_buf_putc(o, ')');
    return 0;
}

static int tr_func_call(tr_ctx *c, mc_buf *o, const sql_expr *ex);

/* GROUPING(k) is 1 where k is a placeholder of the current grouping set;
 * GROUPING_ID(k1, ..., kn) those bits with k1 the highest (§3.6 [GSETS]). */
static int tr_grouping(tr_ctx *c, mc_buf *o, const sql_expr *ex, const char *name)
{
    if (!c->gs_nkeys)
        return sql_error_set(c->e, SQL_ODPS_SEMANTIC, ex->pos.line, ex->pos.col,
                             "function %s needs GROUP BY with GROUPING SETS, CUBE or ROLLUP", name);
    bool one = !strcasecmp(name, "grouping");
    if (ex->args.n == 0 || (one && ex->args.n != 1))
        return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                             "function %s needs %s parameters, actually have %zu", one ? "grouping" : "grouping_id",
                             one ? "1" : "at least 1", ex->args.n);
    unsigned long v = 0;
    for (size_t i = 0; i < ex->args.n; i++) {
        const sql_expr *a = ex->args.items[i];
        int k = gs_key_index(c, a);
        if (k < 0)
            return sql_error_set(c->e, SQL_ODPS_SEMANTIC, a->pos.line, a->pos.col,
                                 "the argument of %s must be a GROUP BY key", one ? "grouping" : "grouping_id");
        v = v << 1 | !(c->gs_mask & (1u << k));
    }
    mc_buf_printf(o, "%lu", v);
    return 0;
}

/* Function calls; an aggregate's arguments see real key values, never the
 * NULL placeholders of a grouping set. */
static int tr_func(tr_ctx *c, mc_buf *o, const sql_expr *ex)
{
    const char *name = ex->parts[ex->nparts - 1];
    if (ex->nparts == 1 && !ex->over && (!strcasecmp(name, "grouping") || !strcasecmp(name, "grouping_id")))
        return tr_grouping(c, o, ex, name);
    const sql_function *f = ex->nparts == 1 ? sql_function_lookup(name) : NULL;
    bool agg = (f && f->aggregate) || (ex->nparts == 1 && !strcasecmp(name, "avg"));
    c->in_agg += agg;
    int rc = tr_func_call(c, o, ex);
    c->in_agg -= agg;
    return rc;
}

/* ---- ARRAY, MAP and STRUCT (sql/nested) ------------------------------------------- */

static const paimon_type *column_type(const tr_ctx *c, const char *qual, const char *name);
static bool nested_castable(const paimon_type *from, const paimon_type *to, bool explicit_);

/* ODPS-0130121 at the argument (its position is the documented [1,18] of
 * `select all_match(...`, reference §5.2). */
static int arg_type_error(tr_ctx *c, const sql_expr *arg, size_t i, const char *fn, const paimon_type *t,
                          const char *expect)
{
    mc_buf n = MC_BUF_INIT;
    mc_type_upper(&n, t);
    sql_error_set(c->e, SQL_ODPS_INVALID_ARG_TYPE, arg->pos.line, arg->pos.col,
                  "invalid type %s of argument %zu for function %s, expect %s", n.data, i + 1, fn, expect);
    mc_buf_free(&n);
    return -1;
}

static bool same_type(const paimon_type *a, const paimon_type *b)
{
    mc_buf x = MC_BUF_INIT, y = MC_BUF_INIT;
    mc_type_name(&x, a);
    mc_type_name(&y, b);
    bool eq = !strcmp(x.data, y.data);
    mc_buf_free(&x);
    mc_buf_free(&y);
    return eq;
}

static int int_rank(const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_TINYINT: return 1;
    case PAIMON_SMALLINT: return 2;
    case PAIMON_INT: return 3;
    case PAIMON_BIGINT: return 4;
    default: return 0;
    }
}

/* The type both a and b convert to implicitly (§1.3: integers widen, integers
 * and DOUBLE give DOUBLE, numbers with a STRING give STRING); NULL when none.
 * Takes a and b. */
static paimon_type *unify(paimon_type *a, paimon_type *b)
{
    if (!a || !b || same_type(a, b)) {
        paimon_type_free(b);
        return a;
    }
    paimon_type *keep = NULL;
    bool an = int_rank(a) || a->id == PAIMON_DOUBLE || a->id == PAIMON_FLOAT || a->id == PAIMON_DECIMAL;
    bool bn = int_rank(b) || b->id == PAIMON_DOUBLE || b->id == PAIMON_FLOAT || b->id == PAIMON_DECIMAL;
    bool as = a->id == PAIMON_VARCHAR || a->id == PAIMON_CHAR, bs = b->id == PAIMON_VARCHAR || b->id == PAIMON_CHAR;
    if (int_rank(a) && int_rank(b))
        keep = int_rank(a) >= int_rank(b) ? a : b;
    else if (an && bn && (a->id == PAIMON_DECIMAL) != (b->id == PAIMON_DECIMAL))
        keep = a->id == PAIMON_DECIMAL ? a : b;
    else if (an && bn && a->id != PAIMON_DECIMAL)
        keep = paimon_type_new(PAIMON_DOUBLE, true);
    else if ((as && (bn || bs)) || (bs && an))
        keep = paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
    if (keep != a)
        paimon_type_free(a);
    if (keep != b)
        paimon_type_free(b);
    return keep;
}

/* The common type of args[from], args[from + step], ... (NULL literals take
 * any type). *bad: the first argument that does not convert, else -1; the
 * result is also NULL when some argument's type is unknown. */
static paimon_type *common_type(const tr_ctx *c, const sql_list *args, size_t from, size_t step, long *bad)
{
    paimon_type *acc = NULL;
    bool unknown = false;
    *bad = -1;
    for (size_t i = from; i < args->n; i += step) {
        const sql_expr *a = args->items[i];
        if (a->kind == SQL_EXPR_LITERAL && a->lit == SQL_LIT_NULL)
            continue;
        paimon_type *t = expr_type(c, a);
        if (!t) {
            unknown = true;
            continue;
        }
        if (!acc) {
            acc = t;
        } else if (!(acc = unify(acc, t))) {
            *bad = (long)i;
            return NULL;
        }
    }
    if (unknown) {
        paimon_type_free(acc);
        return NULL;
    }
    return acc; /* NULL for ARRAY() or ARRAY(NULL): an element type only the destination gives */
}

/* The type of ARRAY(..), MAP(..), NAMED_STRUCT(..), STRUCT(..); NULL when
 * unknown or invalid (tr_constructor reports why). */
static paimon_type *constructor_type(const tr_ctx *c, const sql_expr *e, long *bad)
{
    const char *n = e->parts[0];
    *bad = -1;
    if (!strcasecmp(n, "array")) {
        paimon_type *el = common_type(c, &e->args, 0, 1, bad);
        if (!el)
            return NULL;
        paimon_type *a = paimon_type_new(PAIMON_ARRAY, true);
        a->element = el;
        return a;
    }
    if (!strcasecmp(n, "map")) {
        paimon_type *k = common_type(c, &e->args, 0, 2, bad), *v = k ? common_type(c, &e->args, 1, 2, bad) : NULL;
        if (!v) {
            paimon_type_free(k);
            return NULL;
        }
        paimon_type *m = paimon_type_new(PAIMON_MAP, true);
        k->nullable = false;
        m->key = k;
        m->value = v;
        return m;
    }
    bool named = !strcasecmp(n, "named_struct");
    size_t nf = named ? e->args.n / 2 : e->args.n;
    paimon_type *r = paimon_type_new(PAIMON_ROW, true);
    r->fields = mc_calloc(nf + 1, sizeof *r->fields);
    for (size_t i = 0; i < nf; i++) {
        const sql_expr *name = named ? e->args.items[2 * i] : NULL;
        paimon_field *f = &r->fields[r->nfields++];
        f->id = (int32_t)i;
        if (named && (name->kind != SQL_EXPR_LITERAL || name->lit != SQL_LIT_STRING)) {
            *bad = (long)(2 * i);
            paimon_type_free(r);
            return NULL;
        }
        /* STRUCT(a, b) names its fields col1, col2, ... (Hive's struct(), which MaxCompute follows). */
        f->name = named ? lower_dup(name->text) : mc_asprintf("col%zu", i + 1);
        f->type = expr_type(c, e->args.items[named ? 2 * i + 1 : i]);
        if (!f->type) {
            paimon_type_free(r);
            return NULL;
        }
    }
    return r;
}

/* mc_nested_convert(val, '<t as Paimon JSON>', mode) (sql/nested: CAST, FROM_JSON, TO_JSON). */
static int tr_convert(tr_ctx *c, mc_buf *o, const sql_expr *val, const paimon_type *t, char mode)
{
    mc_buf_puts(o, "mc_nested_convert(");
    if (tr_expr(c, o, val))
        return -1;
    json_t *j = paimon_type_to_json(t);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    mc_buf_puts(o, ", ");
    put_string(o, text, strlen(text));
    mc_buf_printf(o, ", '%c')", mode);
    free(text);
    return 0;
}

/* STRUCT field names as written (FROM_JSON matches JSON keys case-sensitively,
 * FROM_JSON page); paimon_of keeps them lower case like column names. */
static void keep_field_case(paimon_type *p, const sql_type *t)
{
    if (p->id == PAIMON_ARRAY || p->id == PAIMON_MAP) {
        keep_field_case(p->id == PAIMON_ARRAY ? p->element : p->key, t->elem);
        if (p->id == PAIMON_MAP)
            keep_field_case(p->value, t->value);
    }
    for (size_t i = 0; p->id == PAIMON_ROW && i < p->nfields; i++) {
        const sql_struct_field *f = t->fields.items[i];
        free(p->fields[i].name);
        p->fields[i].name = mc_strdup(f->name);
        keep_field_case(p->fields[i].type, f->type);
    }
}

/* The type FROM_JSON's schema argument names: a type as in CREATE TABLE
 * (ARRAY, MAP or STRUCT), or `a BIGINT, b DOUBLE` for STRUCT<a:BIGINT,
 * b:DOUBLE> (FROM_JSON page). NULL with e set. */
static paimon_type *from_json_schema(const sql_expr *arg, sql_error *e)
{
    if (arg->kind != SQL_EXPR_LITERAL || arg->lit != SQL_LIT_STRING) {
        sql_error_set(e, SQL_ODPS_INVALID_ARG_TYPE, arg->pos.line, arg->pos.col,
                      "argument 2 of function from_json must be a STRING constant (a schema)");
        return NULL;
    }
    mc_buf q = MC_BUF_INIT, fields = MC_BUF_INIT;
    mc_buf_printf(&q, "CAST(NULL AS %s)", arg->text);
    /* the short form: the first blank after each top-level field name becomes ':' */
    int depth = 0;
    bool named = false;
    for (const char *p = arg->text; *p; p++) {
        depth += *p == '<' ? 1 : *p == '>' ? -1 : 0;
        if (depth == 0 && *p == ',')
            named = false;
        if (depth == 0 && !named && *p == ' ' && fields.len && fields.data[fields.len - 1] != ',') {
            mc_buf_putc(&fields, ':');
            named = true;
            continue;
        }
        mc_buf_putc(&fields, *p);
    }
    sql_arena *a = sql_arena_new();
    sql_expr *ex = NULL;
    sql_error ignored = {0};
    paimon_type *t = NULL;
    if (sql_parse_expr(&ex, a, mc_buf_cstr(&q), &ignored)) {
        mc_buf_reset(&q);
        mc_buf_printf(&q, "CAST(NULL AS STRUCT<%s>)", mc_buf_cstr(&fields));
        if (sql_parse_expr(&ex, a, mc_buf_cstr(&q), &ignored))
            ex = NULL;
    }
    if (ex && ex->kind == SQL_EXPR_CAST && sql_nested_type(t = paimon_of(ex->type, &ignored))) {
        keep_field_case(t, ex->type);
    } else {
        paimon_type_free(t);
        t = NULL;
        sql_error_set(e, SQL_ODPS_INVALID_ARG_TYPE, arg->pos.line, arg->pos.col,
                      "invalid schema '%s' for function from_json, expect an ARRAY, MAP or STRUCT type", arg->text);
    }
    sql_arena_free(a);
    mc_buf_free(&q);
    mc_buf_free(&fields);
    return t;
}

/* TO_JSON(v) and FROM_JSON(json, schema) (MaxCompute TO_JSON and FROM_JSON pages). */
static int tr_json_func(tr_ctx *c, mc_buf *o, const sql_expr *ex, bool to)
{
    if (ex->args.n != (to ? 1u : 2u))
        return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                             "function %s needs %d parameters, actually have %zu", to ? "to_json" : "from_json",
                             to ? 1 : 2, ex->args.n);
    const sql_expr *a = ex->args.items[0];
    paimon_type *t = to ? expr_type(c, a) : from_json_schema(ex->args.items[1], c->e);
    int rc = -1;
    if (to && !t)
        rc = unsupported(c, a->pos, "TO_JSON of a value whose type mcdlf cannot tell");
    else if (to && !sql_nested_type(t))
        rc = arg_type_error(c, a, 0, "to_json", t, "ARRAY, MAP or STRUCT");
    else if (t)
        rc = tr_convert(c, o, a, t, to ? 't' : 'f');
    paimon_type_free(t);
    return rc;
}

/* CAST to or from ARRAY, MAP or STRUCT (§1.3: element types must be
 * explicitly castable, STRUCT fields by position with equal count). */
static int tr_nested_cast(tr_ctx *c, mc_buf *o, const sql_expr *ex, const paimon_type *to)
{
    if (ex->left->kind == SQL_EXPR_LITERAL && ex->left->lit == SQL_LIT_NULL) {
        mc_buf_puts(o, "NULL");
        return 0;
    }
    paimon_type *from = expr_type(c, ex->left);
    int rc;
    if (!from) {
        rc = unsupported(c, ex->pos, "CAST of a value whose type mcdlf cannot tell to or from a complex type");
    } else if (!nested_castable(from, to, true)) {
        mc_buf f = MC_BUF_INIT, t = MC_BUF_INIT;
        mc_type_upper(&f, from);
        mc_type_upper(&t, to);
        rc = sql_error_set(c->e, SQL_ODPS_SEMANTIC, ex->pos.line, ex->pos.col, "cannot cast %s to %s", f.data,
                           t.data);
        mc_buf_free(&f);
        mc_buf_free(&t);
    } else {
        rc = tr_convert(c, o, ex->left, to, 'c');
    }
    paimon_type_free(from);
    return rc;
}

/* ARRAY(..) -> mc_nested_array, MAP / NAMED_STRUCT / STRUCT -> mc_nested_object,
 * with one kind letter per argument from the binder's types (sql/nested). */
static int tr_constructor(tr_ctx *c, mc_buf *o, const sql_expr *ex, const char *fn)
{
    bool is_array = !strcasecmp(fn, "array"), is_struct = !strcasecmp(fn, "struct");
    size_t n = ex->args.n;
    if (!is_array && !is_struct && n % 2)
        return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                             "function %s needs an even number of parameters, actually have %zu", fn, n);
    long bad;
    paimon_type *t = constructor_type(c, ex, &bad);
    if (!t && bad >= 0) {
        const sql_expr *a = ex->args.items[bad];
        paimon_type *at = expr_type(c, a);
        int rc = at ? arg_type_error(c, a, (size_t)bad, fn, at, !strcasecmp(fn, "named_struct") && bad % 2 == 0
                                                                  ? "a STRING constant (a field name)"
                                                                  : "a type shared with the other arguments")
                    : unsupported(c, a->pos, "this argument of a constructor");
        paimon_type_free(at);
        return rc;
    }
    mc_buf kinds = MC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const paimon_type *want = NULL;
        paimon_type *own = NULL;
        if (t && is_array)
            want = t->element;
        else if (t && t->id == PAIMON_MAP)
            want = i % 2 ? t->value : t->key;
        else if (t && t->id == PAIMON_ROW)
            want = is_struct ? t->fields[i].type : i % 2 ? t->fields[i / 2].type : NULL;
        else
            want = own = expr_type(c, ex->args.items[i]);
        if (is_struct)
            mc_buf_putc(&kinds, 's');
        mc_buf_putc(&kinds, !t && !is_array && !is_struct && i % 2 == 0 ? 's' : sql_nested_kind(want));
        paimon_type_free(own);
    }
    paimon_type_free(t);
    mc_buf_printf(o, "%s('%s'", is_array ? "mc_nested_array" : "mc_nested_object", mc_buf_cstr(&kinds));
    mc_buf_free(&kinds);
    for (size_t i = 0; i < n; i++) {
        if (is_struct)
            mc_buf_printf(o, ", 'col%zu'", i + 1);
        mc_buf_puts(o, ", ");
        if (tr_expr(c, o, ex->args.items[i]))
            return -1;
    }
    mc_buf_putc(o, ')');
    return 0;
}

/* Functions over ARRAY and MAP values (§6.6): 0 translated, -1 error, 1 not
 * one of them (or one the function table implements once its argument type
 * has been checked). */
static int tr_nested_func(tr_ctx *c, mc_buf *o, const sql_expr *ex, const char *fn)
{
    static const struct {
        const char *name;
        int min, max;
        const char *expect; /* argument 1: "ARRAY", "MAP", "ARRAY or MAP" */
        const char *call;   /* NULL: the function table's */
    } FNS[] = {
        {"size", 1, 1, "ARRAY or MAP", "mc_nested_size"},  {"array_contains", 2, 2, "ARRAY", NULL},
        {"sort_array", 1, 1, "ARRAY", NULL},               {"map_keys", 1, 1, "MAP", "mc_map_keys"},
        {"map_values", 1, 1, "MAP", "mc_map_values"},      {"str_to_map", 1, 3, NULL, "mc_str_to_map"},
    };
    if (!strcasecmp(fn, "array") || !strcasecmp(fn, "map") || !strcasecmp(fn, "named_struct") ||
        !strcasecmp(fn, "struct")) {
        char *l = lower_dup(fn);
        int rc = tr_constructor(c, o, ex, l);
        free(l);
        return rc;
    }
    if (!strcasecmp(fn, "to_json") || !strcasecmp(fn, "from_json"))
        return tr_json_func(c, o, ex, !strcasecmp(fn, "to_json"));
    if (!strcasecmp(fn, "concat") && ex->args.n) {
        /* CONCAT of ARRAYs (§6.2), the same NULL rule as for strings. */
        paimon_type *t0 = expr_type(c, ex->args.items[0]);
        bool arrays = t0 && t0->id == PAIMON_ARRAY;
        paimon_type_free(t0);
        if (!arrays)
            return 1;
        for (size_t i = 1; i < ex->args.n; i++) {
            paimon_type *t = expr_type(c, ex->args.items[i]);
            if (t && t->id != PAIMON_ARRAY) {
                int rc = arg_type_error(c, ex->args.items[i], i, "concat", t, "ARRAY");
                paimon_type_free(t);
                return rc;
            }
            paimon_type_free(t);
        }
        mc_buf_puts(o, "mc_nested_concat(");
        if (tr_list(c, o, &ex->args))
            return -1;
        mc_buf_putc(o, ')');
        return 0;
    }
    for (size_t k = 0; k < sizeof FNS / sizeof *FNS; k++) {
        if (strcasecmp(fn, FNS[k].name))
            continue;
        int n = (int)ex->args.n;
        if (n < FNS[k].min || n > FNS[k].max)
            return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                                 "function %s needs %d parameters, actually have %d", FNS[k].name, FNS[k].min, n);
        paimon_type *t = FNS[k].expect ? expr_type(c, ex->args.items[0]) : NULL;
        if (t && !((t->id == PAIMON_ARRAY && strstr(FNS[k].expect, "ARRAY")) ||
                   (t->id == PAIMON_MAP && strstr(FNS[k].expect, "MAP")))) {
            int rc = arg_type_error(c, ex->args.items[0], 0, FNS[k].name, t, FNS[k].expect);
            paimon_type_free(t);
            return rc;
        }
        char kind = t && t->id == PAIMON_MAP ? sql_nested_kind(t->key) : 's';
        paimon_type_free(t);
        if (!FNS[k].call)
            return 1;
        mc_buf_printf(o, "%s(", FNS[k].call);
        if (tr_list(c, o, &ex->args))
            return -1;
        if (!strcasecmp(fn, "map_keys"))
            mc_buf_printf(o, ", '%c'", kind);
        mc_buf_putc(o, ')');
        return 0;
    }
    return 1;
}

/* The field of a ROW type named name (case-insensitive), or NULL. */
static const paimon_field *row_field(const paimon_type *t, const char *name)
{
    for (size_t i = 0; t && t->id == PAIMON_ROW && i < t->nfields; i++)
        if (!strcasecmp(t->fields[i].name, name))
            return &t->fields[i];
    return NULL;
}

/* s.f1.f2...: each step a field of the STRUCT before it; inner is the SQL of
 * the value (consumed). */
static int tr_fields(tr_ctx *c, mc_buf *o, mc_buf *inner, const paimon_type *t, char *const *names, int n,
                     sql_pos pos)
{
    for (int i = 0; i < n; i++) {
        const paimon_field *f = row_field(t, names[i]);
        if (!f) {
            mc_buf tn = MC_BUF_INIT;
            if (t)
                mc_type_upper(&tn, t);
            int rc = t ? sql_error_set(c->e, SQL_ODPS_SEMANTIC, pos.line, pos.col,
                                       "field %s cannot be resolved in a value of type %s", names[i], tn.data)
                       : unsupported(c, pos, "a field of a value whose type mcdlf cannot tell");
            mc_buf_free(&tn);
            mc_buf_free(inner);
            return rc;
        }
        mc_buf w = MC_BUF_INIT;
        mc_buf_printf(&w, "mc_nested_get(%s, ", mc_buf_cstr(inner));
        put_string(&w, f->name, strlen(f->name));
        mc_buf_printf(&w, ", '%s')", f->type->id == PAIMON_DECIMAL ? "or" : "o");
        mc_buf_free(inner);
        *inner = w;
        t = f->type;
    }
    mc_buf_append(o, inner->data, inner->len);
    mc_buf_free(inner);
    return 0;
}

/* In a.b[.c] or t.a.b[.c]: the number of parts that name a STRUCT column (1
 * or 2; *col its type), 0 when the path is table.column. */
static int struct_path(const tr_ctx *c, const sql_expr *ex, const paimon_type **col)
{
    bool alias = false;
    for (size_t i = 0; i < c->ntables; i++)
        alias |= !strcasecmp(c->aliases[i], ex->parts[0]);
    const paimon_type *t = ex->nparts >= 2 && !alias ? column_type(c, NULL, ex->parts[0]) : NULL;
    if (t && t->id == PAIMON_ROW) {
        *col = t;
        return 1;
    }
    t = ex->nparts >= 3 ? column_type(c, ex->parts[0], ex->parts[1]) : NULL;
    if (t && t->id == PAIMON_ROW) {
        *col = t;
        return 2;
    }
    return 0;
}

/* a[i] (0-based, §1.2) and m[k]; NULL when absent. */
static int tr_subscript(tr_ctx *c, mc_buf *o, const sql_expr *ex)
{
    paimon_type *t = expr_type(c, ex->left);
    if (!t || (t->id != PAIMON_ARRAY && t->id != PAIMON_MAP)) {
        int rc = t ? arg_type_error(c, ex->left, 0, "[]", t, "ARRAY or MAP")
                   : unsupported(c, ex->op_pos, "[] on a value whose type mcdlf cannot tell");
        paimon_type_free(t);
        return rc;
    }
    const paimon_type *el = t->id == PAIMON_ARRAY ? t->element : t->value;
    const char *mode = t->id == PAIMON_ARRAY ? (el->id == PAIMON_DECIMAL ? "ar" : "a")
                                             : (el->id == PAIMON_DECIMAL ? "or" : "o");
    paimon_type_free(t);
    mc_buf_puts(o, "mc_nested_get(");
    if (tr_expr(c, o, ex->left))
        return -1;
    mc_buf_puts(o, ", ");
    if (tr_expr(c, o, ex->right))
        return -1;
    mc_buf_printf(o, ", '%s')", mode);
    return 0;
}

/* MAX_PT, TABLE_EXISTS and PARTITION_EXISTS (§6.6) read the catalog; their
 * arguments are constants, so the translator answers them as literals. */
typedef enum { CF_NONE, CF_MAX_PT, CF_TABLE_EXISTS, CF_PARTITION_EXISTS } catalog_func;

static catalog_func catalog_func_kind(const char *name)
{
    return !strcasecmp(name, "max_pt")             ? CF_MAX_PT
           : !strcasecmp(name, "table_exists")     ? CF_TABLE_EXISTS
           : !strcasecmp(name, "partition_exists") ? CF_PARTITION_EXISTS
                                                   : CF_NONE;
}

/* The name in a string argument ('t', 'schema.t', 'project.t', as a FROM
 * clause would read it) resolved to schema and table; table loaded into *t,
 * or *t NULL when the catalog has no such table. */
static int catalog_func_table(tr_ctx *c, const sql_expr *arg, qname *q, lake_table **t)
{
    char *text = mc_strndup(arg->text, arg->text_len);
    sql_name n = {.pos = arg->pos};
    for (char *part = text, *dot; n.n < 3; part = dot + 1) {
        n.parts[n.n++] = part;
        if (!(dot = strchr(part, '.')))
            break;
        *dot = 0;
    }
    int rc = resolve_name(c->env, &n, q, c->e);
    free(text);
    *t = NULL;
    if (rc)
        return -1;
    if (lake_table_load(c->x->l, q->schema, q->table, t, c->cerr) == 0)
        return 0;
    if (c->cerr->code == MC_ERR_REMOTE && c->cerr->http_status == 404)
        return 0;
    c->catalog_failed = true;
    qname_free(q);
    return -1;
}

static int tr_catalog_func(tr_ctx *c, mc_buf *o, const sql_expr *ex, const char *name)
{
    catalog_func kind = catalog_func_kind(name);
    char *fn = lower_dup(name);
    size_t want = kind == CF_PARTITION_EXISTS ? 2 : 1;
    int rc = 0;
    if (ex->args.n < want || (kind != CF_PARTITION_EXISTS && ex->args.n != 1))
        rc = sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                           "function %s needs %s parameters, actually have %zu", fn,
                           kind == CF_PARTITION_EXISTS ? "at least 2" : "1", ex->args.n);
    for (size_t i = 0; rc == 0 && i < ex->args.n; i++) {
        const sql_expr *a = ex->args.items[i];
        if (a->kind != SQL_EXPR_LITERAL || a->lit != SQL_LIT_STRING)
            rc = sql_error_set(c->e, SQL_ODPS_SEMANTIC, a->pos.line, a->pos.col,
                               "the arguments of function %s must be constant strings", fn);
    }
    qname q;
    lake_table *t = NULL;
    if (rc == 0)
        rc = catalog_func_table(c, ex->args.items[0], &q, &t);
    if (rc) {
        free(fn);
        return -1;
    }
    const sql_expr *targ = ex->args.items[0];
    const paimon_schema *s = t ? lake_table_schema(t) : NULL;
    if (kind == CF_TABLE_EXISTS) {
        mc_buf_puts(o, t ? "1" : "0");
    } else if (!t) {
        rc = sql_error_set(c->e, SQL_ODPS_TABLE_NOT_FOUND, targ->pos.line, targ->pos.col,
                           "table %s cannot be resolved", q.display);
    } else if (!s->npartition_keys) {
        rc = sql_error_set(c->e, SQL_ODPS_SEMANTIC, targ->pos.line, targ->pos.col,
                           "function %s needs a partitioned table; %s is not partitioned", fn, q.display);
    } else if (kind == CF_PARTITION_EXISTS && ex->args.n - 1 != s->npartition_keys) {
        rc = sql_error_set(c->e, SQL_ODPS_SEMANTIC, ex->pos.line, ex->pos.col,
                           "function partition_exists needs one value for each of the %zu partition columns of %s, "
                           "actually have %zu",
                           s->npartition_keys, q.display, ex->args.n - 1);
    } else {
        json_t *parts;
        if (table_partitions(c->x, &q, &parts, c->cerr)) {
            c->catalog_failed = true;
            rc = -1;
        } else if (kind == CF_PARTITION_EXISTS) {
            const char **values = mc_calloc(s->npartition_keys, sizeof *values);
            for (size_t k = 0; k < s->npartition_keys; k++)
                values[k] = ((const sql_expr *)ex->args.items[k + 1])->text;
            mc_buf_puts(o, partition_find(parts, s, values) ? "1" : "0");
            free(values);
        } else {
            /* MAX_PT: the greatest first-level value, in string order, of
             * the partitions that hold data (alibabacloud.com/help/en/maxcompute/user-guide/max-pt);
             * NULL when none does. */
            const char *max = NULL;
            size_t i;
            json_t *p;
            json_array_foreach(parts, i, p) {
                const char *v = json_string_value(json_object_get(json_object_get(p, "spec"), s->partition_keys[0]));
                if (v && json_integer_value(json_object_get(p, "recordCount")) > 0 && (!max || strcmp(v, max) > 0))
                    max = v;
            }
            if (max)
                put_string(o, max, strlen(max));
            else
                mc_buf_puts(o, "NULL");
        }
        json_decref(parts);
    }
    lake_table_free(t);
    qname_free(&q);
    free(fn);
    return rc;
}

static int tr_func_call(tr_ctx *c, mc_buf *o, const sql_expr *ex)
{
    const char *name = ex->parts[ex->nparts - 1];
    if (ex->over)
        return tr_window(c, o, ex, name);
    int nested = ex->nparts == 1 ? tr_nested_func(c, o, ex, name) : 1;
    if (nested != 1)
        return nested;
    if (ex->nparts == 1 && !strcasecmp(name, "concat")) {
        /* CONCAT with a NULL argument is NULL (§ traps), as SQLite's || is. */
        if (ex->args.n == 0)
            return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                                 "function concat needs at least 1 parameters, actually have 0");
        mc_buf_putc(o, '(');
        for (size_t i = 0; i < ex->args.n; i++) {
            if (i)
                mc_buf_puts(o, " || ");
            if (tr_expr(c, o, ex->args.items[i]))
                return -1;
        }
        mc_buf_putc(o, ')');
        return 0;
    }
    if (ex->nparts == 1 && !strcasecmp(name, "if")) {
        if (ex->args.n != 3)
            return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                                 "function if needs 3 parameters, actually have %zu", ex->args.n);
        mc_buf_puts(o, "(CASE WHEN ");
        if (tr_expr(c, o, ex->args.items[0]))
            return -1;
        mc_buf_puts(o, " THEN ");
        if (tr_expr(c, o, ex->args.items[1]))
            return -1;
        mc_buf_puts(o, " ELSE ");
        if (tr_expr(c, o, ex->args.items[2]))
            return -1;
        mc_buf_puts(o, " END)");
        return 0;
    }
    if (ex->nparts == 1 && !strcasecmp(name, "to_char") && ex->args.n == 1 && is_bool_expr(ex->args.items[0])) {
        /* TO_CHAR(boolean) is 'TRUE'/'FALSE' (§6.1). */
        mc_buf_puts(o, "mc_to_char_bool(");
        if (tr_expr(c, o, ex->args.items[0]))
            return -1;
        mc_buf_putc(o, ')');
        return 0;
    }
    if (ex->nparts == 1 && !strcasecmp(name, "sum") && ex->args.n == 1 && !ex->distinct) {
        /* SUM of DECIMAL is exact and keeps the scale (§6.4). */
        paimon_type *t = expr_type(c, ex->args.items[0]);
        bool dec = t && t->id == PAIMON_DECIMAL;
        paimon_type_free(t);
        if (dec) {
            mc_buf_puts(o, "mc_dsum(");
            if (tr_expr(c, o, ex->args.items[0]))
                return -1;
            mc_buf_putc(o, ')');
            return 0;
        }
    }
    if (ex->nparts == 1 && (!strcasecmp(name, "min") || !strcasecmp(name, "max")) && ex->args.n == 1 &&
        decimal_operand(c, ex->args.items[0], NULL)) {
        /* DECIMAL text orders by value ('10.00' after '9.00'): the mc_decimal collation. */
        mc_buf_printf(o, "%s((", strcasecmp(name, "min") ? "max" : "min");
        if (tr_expr(c, o, ex->args.items[0]))
            return -1;
        mc_buf_puts(o, ") COLLATE mc_decimal)");
        return 0;
    }
    if (ex->nparts == 1 && catalog_func_kind(name) != CF_NONE)
        return tr_catalog_func(c, o, ex, name);
    if (ex->nparts == 1 && !strcasecmp(name, "percentile_approx") && ex->args.n >= 2) {
        const sql_expr *pa = ex->args.items[1];
        if (pa->kind == SQL_EXPR_FUNC && !strcasecmp(pa->parts[pa->nparts - 1], "array"))
            return unsupported(c, pa->pos, "PERCENTILE_APPROX with an ARRAY of percentiles");
    }
    const sql_function *f = ex->nparts == 1 ? sql_function_lookup(name) : NULL;
    if (f) {
        int n = (int)ex->args.n;
        if (!ex->count_star && (n < f->min_args || (f->max_args >= 0 && n > f->max_args)))
            return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                                 "function %s needs %d parameters, actually have %d", f->name, f->min_args, n);
        mc_buf_printf(o, "%s(", f->sqlite_name);
        if (ex->count_star) {
            mc_buf_putc(o, '*');
        } else {
            /* APPROX_DISTINCT (§6.4) counts exactly: within any error bound */
            if (ex->distinct || !strcmp(f->name, "approx_distinct"))
                mc_buf_puts(o, "DISTINCT ");
            if (tr_list(c, o, &ex->args))
                return -1;
        }
        mc_buf_putc(o, ')');
        return 0;
    }
    if (ex->nparts == 1 && !strcasecmp(name, "avg")) {
        /* AVG is DOUBLE (§6.4). */
        if (ex->args.n != 1)
            return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, ex->pos.line, ex->pos.col,
                                 "function avg needs 1 parameters, actually have %zu", ex->args.n);
        mc_buf_puts(o, ex->distinct ? "avg(DISTINCT CAST(" : "avg(CAST(");
        if (tr_expr(c, o, ex->args.items[0]))
            return -1;
        mc_buf_puts(o, " AS REAL))");
        return 0;
    }
    char *lname = lower_dup(name);
    int rc = sql_error_set(c->e, SQL_ODPS_SEMANTIC, ex->pos.line, ex->pos.col,
                           "function or view '%s' cannot be resolved", lname);
    free(lname);
    return rc;
}

static const char *cast_affinity(const sql_type *t)
{
    switch (t->kind) {
    case SQL_TYPE_TINYINT:
    case SQL_TYPE_SMALLINT:
    case SQL_TYPE_INT:
    case SQL_TYPE_BIGINT:
    case SQL_TYPE_BOOLEAN: return "INTEGER";
    case SQL_TYPE_FLOAT:
    case SQL_TYPE_DOUBLE: return "REAL";
    case SQL_TYPE_STRING:
    case SQL_TYPE_VARCHAR:
    case SQL_TYPE_CHAR:
    case SQL_TYPE_DATE:
    case SQL_TYPE_DATETIME:
    case SQL_TYPE_TIMESTAMP:
    case SQL_TYPE_TIMESTAMP_NTZ: return "TEXT";
    default: return NULL;
    }
}

/* The DECIMAL(p, s) an exact operand takes in DECIMAL arithmetic: integers
 * widen as in Hive (TINYINT 3, SMALLINT 5, INT 10, BIGINT 19 digits). */
static bool exact_type(const paimon_type *t, int *p, int *s)
{
    static const struct {
        paimon_type_id id;
        int digits;
    } INTS[] = {{PAIMON_TINYINT, 3}, {PAIMON_SMALLINT, 5}, {PAIMON_INT, 10}, {PAIMON_BIGINT, 19}};
    if (t && t->id == PAIMON_DECIMAL) {
        *p = t->precision;
        *s = t->scale;
        return true;
    }
    for (size_t i = 0; t && i < sizeof INTS / sizeof *INTS; i++)
        if (t->id == INTS[i].id) {
            *p = INTS[i].digits;
            *s = 0;
            return true;
        }
    return false;
}

static bool inexact_type(const paimon_type *t)
{
    return t && (t->id == PAIMON_FLOAT || t->id == PAIMON_DOUBLE || t->id == PAIMON_CHAR ||
                 t->id == PAIMON_VARCHAR);
}

typedef enum { DEC_NO, DEC_YES, DEC_MIXED } dec_kind;

/* Whether ex is DECIMAL arithmetic (+ - * / % with a DECIMAL operand) and
 * its result type. MaxCompute documents no rule (reference/maxcompute-sql.md
 * §1.5), so this is Hive's, MaxCompute's lineage: + - scale max(s1, s2),
 * precision max(p1 - s1, p2 - s2) + s + 1; * p1 + p2 + 1, s1 + s2; / scale
 * max(6, s1 + p2 + 1), precision p1 - s1 + s2 + s; % scale max(s1, s2),
 * precision min(p1 - s1, p2 - s2) + s; precision over 38 gives up scale
 * down to 6 first. The scale is then capped at 18 ("all computation results
 * are truncated to 18 decimal places", MaxCompute DECIMAL data type page).
 * An operand of unknown type counts as BIGINT and is checked at run time;
 * DOUBLE or STRING beside a DECIMAL is DEC_MIXED. */
static dec_kind decimal_arith(const tr_ctx *c, const sql_expr *ex, int *p, int *s)
{
    if (ex->kind != SQL_EXPR_BINARY || !(ex->op == SQL_OP_ADD || ex->op == SQL_OP_SUB || ex->op == SQL_OP_MUL ||
                                         ex->op == SQL_OP_DIV || ex->op == SQL_OP_MOD))
        return DEC_NO;
    paimon_type *l = expr_type(c, ex->left), *r = expr_type(c, ex->right);
    dec_kind k = (l && l->id == PAIMON_DECIMAL) || (r && r->id == PAIMON_DECIMAL) ? DEC_YES : DEC_NO;
    if (k == DEC_YES && (inexact_type(l) || inexact_type(r)))
        k = DEC_MIXED;
    int p1 = 19, s1 = 0, p2 = 19, s2 = 0;
    if (!exact_type(l, &p1, &s1))
        p1 = 19, s1 = 0;
    if (!exact_type(r, &p2, &s2))
        p2 = 19, s2 = 0;
    paimon_type_free(l);
    paimon_type_free(r);
    if (k != DEC_YES)
        return k;
    int w1 = p1 - s1, w2 = p2 - s2;
    switch (ex->op) {
    case SQL_OP_ADD:
    case SQL_OP_SUB:
        *s = s1 > s2 ? s1 : s2;
        *p = (w1 > w2 ? w1 : w2) + *s + 1;
        break;
    case SQL_OP_MUL:
        *p = p1 + p2 + 1;
        *s = s1 + s2;
        break;
    case SQL_OP_DIV:
        *s = s1 + p2 + 1 > 6 ? s1 + p2 + 1 : 6;
        *p = w1 + s2 + *s;
        break;
    default:
        *s = s1 > s2 ? s1 : s2;
        *p = (w1 < w2 ? w1 : w2) + *s;
        break;
    }
    if (*p > 38) {
        int whole = *p - *s, keep = *s < 6 ? *s : 6;
        *s = 38 - whole > keep ? 38 - whole : keep;
        *p = 38;
    }
    if (*s > 18)
        *s = 18;
    return DEC_YES;
}

static bool is_comparison(sql_op op)
{
    return op == SQL_OP_EQ || op == SQL_OP_NSEQ || op == SQL_OP_NE || op == SQL_OP_LT || op == SQL_OP_LE ||
           op == SQL_OP_GT || op == SQL_OP_GE;
}

/* Whether one of the operands is a DECIMAL. */
static bool decimal_operand(const tr_ctx *c, const sql_expr *a, const sql_expr *b)
{
    paimon_type *l = expr_type(c, a), *r = b ? expr_type(c, b) : NULL;
    bool dec = (l && l->id == PAIMON_DECIMAL) || (r && r->id == PAIMON_DECIMAL);
    paimon_type_free(l);
    paimon_type_free(r);
    return dec;
}

/* DECIMAL values are text in the executor, so '4.50' > '4.5' as strings:
 * comparisons with a DECIMAL side compare by value (§1.3: anything compared
 * with a DECIMAL is compared as DECIMAL). */
static int tr_decimal_compare(tr_ctx *c, mc_buf *o, const sql_expr *ex)
{
    mc_buf l = MC_BUF_INIT, r = MC_BUF_INIT;
    int rc = tr_expr(c, &l, ex->left) || tr_expr(c, &r, ex->right) ? -1 : 0;
    if (rc == 0 && ex->op == SQL_OP_NSEQ)
        /* <=>: NULL equals NULL. */
        mc_buf_printf(o, "(CASE WHEN (%s) IS NULL OR (%s) IS NULL THEN (%s) IS NULL AND (%s) IS NULL "
                         "ELSE mc_dec_cmp(%s, %s) = 0 END)",
                      mc_buf_cstr(&l), mc_buf_cstr(&r), mc_buf_cstr(&l), mc_buf_cstr(&r), mc_buf_cstr(&l),
                      mc_buf_cstr(&r));
    else if (rc == 0)
        mc_buf_printf(o, "(mc_dec_cmp(%s, %s) %s 0)", mc_buf_cstr(&l), mc_buf_cstr(&r),
                      ex->op == SQL_OP_NE ? "<>" : sql_op_name(ex->op));
    mc_buf_free(&l);
    mc_buf_free(&r);
    return rc;
}

static int tr_expr(tr_ctx *c, mc_buf *o, const sql_expr *ex)
{
    if (c->gs_nkeys && !c->in_agg) {
        /* A grouping key outside the current set is a NULL placeholder (§3.6 [GSETS]). */
        int k = gs_key_index(c, ex);
        if (k >= 0 && !(c->gs_mask & (1u << k))) {
            mc_buf_puts(o, "NULL");
            return 0;
        }
        if (ex->kind == SQL_EXPR_COLUMN && ex->nparts == 1 && !strcasecmp(ex->parts[0], "grouping__id")) {
            /* GROUPING__ID = GROUPING_ID(<the GROUP BY keys, in order>) [GSETS]. */
            unsigned long v = 0;
            for (size_t i = 0; i < c->gs_nkeys; i++)
                v = v << 1 | !(c->gs_mask & (1u << i));
            mc_buf_printf(o, "%lu", v);
            return 0;
        }
    }
    switch (ex->kind) {
    case SQL_EXPR_LITERAL:
        switch (ex->lit) {
        case SQL_LIT_NULL: mc_buf_puts(o, "NULL"); return 0;
        case SQL_LIT_BOOL: mc_buf_puts(o, ex->bval ? "1" : "0"); return 0;
        case SQL_LIT_NUMBER:
            if (ex->num == SQL_NUM_DECIMAL) {
                /* DECIMAL values are exact text in the executor (sql/functions). */
                put_string(o, ex->text, ex->text_len);
                return 0;
            }
            mc_buf_append(o, ex->text, ex->text_len);
            return 0;
        case SQL_LIT_BINARY: return unsupported(c, ex->pos, "a BINARY literal");
        default: put_string(o, ex->text, ex->text_len); return 0;
        }
    case SQL_EXPR_COLUMN: {
        const lateral_col *lc = lateral_find(c, ex);
        if (lc) {
            mc_buf_puts(o, lc->sql);
            return 0;
        }
        const paimon_type *st = NULL;
        int k = ex->nparts >= 2 ? struct_path(c, ex, &st) : 0;
        if (k) {
            /* s.x / t.s.x: fields of a STRUCT column. */
            sql_expr col = *ex;
            col.nparts = k;
            mc_buf inner = MC_BUF_INIT;
            if (tr_expr(c, &inner, &col)) {
                mc_buf_free(&inner);
                return -1;
            }
            return tr_fields(c, o, &inner, st, ex->parts + k, ex->nparts - k, ex->pos);
        }
        if (ex->nparts > 2)
            return unsupported(c, ex->pos, "a struct field reference");
        const char *owner = ex->nparts == 1 && c->qualify ? column_owner(c, ex->parts[0]) : NULL;
        if (owner) {
            put_ident(o, owner);
            mc_buf_putc(o, '.');
        }
        for (int i = 0; i < ex->nparts; i++) {
            if (i)
                mc_buf_putc(o, '.');
            char *l = lower_dup(ex->parts[i]);
            put_ident(o, l);
            free(l);
        }
        return 0;
    }
    case SQL_EXPR_STAR:
        if (!ex->nparts && c->from && has_lateral(c->from))
            return tr_star_lateral(c, o);
        if (ex->nparts) {
            char *l = lower_dup(ex->parts[0]);
            put_ident(o, l);
            free(l);
            mc_buf_puts(o, ".*");
        } else {
            mc_buf_putc(o, '*');
        }
        return 0;
    case SQL_EXPR_UNARY:
        if (ex->op == SQL_OP_NEG) {
            paimon_type *t = expr_type(c, ex->left);
            bool dec = t && t->id == PAIMON_DECIMAL;
            int p = dec ? t->precision : 0, sc = dec ? t->scale : 0;
            paimon_type_free(t);
            if (dec) {
                mc_buf_puts(o, "mc_dec_arith('-', 0, ");
                if (tr_expr(c, o, ex->left))
                    return -1;
                mc_buf_printf(o, ", %d, %d)", p, sc);
                return 0;
            }
        }
        mc_buf_puts(o, ex->op == SQL_OP_NOT ? "(NOT " : ex->op == SQL_OP_NEG ? "(-" : ex->op == SQL_OP_BITNOT ? "(~" : "(+");
        if (tr_expr(c, o, ex->left))
            return -1;
        mc_buf_putc(o, ')');
        return 0;
    case SQL_EXPR_BINARY: {
        if (is_comparison(ex->op) && decimal_operand(c, ex->left, ex->right))
            return tr_decimal_compare(c, o, ex);
        int dp, ds;
        dec_kind dk = decimal_arith(c, ex, &dp, &ds);
        if (dk == DEC_MIXED)
            return unsupported(c, ex->op_pos, "arithmetic between DECIMAL and DOUBLE or STRING (CAST one side)");
        if (dk == DEC_YES) {
            mc_buf_printf(o, "mc_dec_arith('%s', ", sql_op_name(ex->op));
            if (tr_expr(c, o, ex->left))
                return -1;
            mc_buf_puts(o, ", ");
            if (tr_expr(c, o, ex->right))
                return -1;
            mc_buf_printf(o, ", %d, %d)", dp, ds);
            return 0;
        }
        const char *op = NULL;
        switch (ex->op) {
        case SQL_OP_OR: op = " OR "; break;
        case SQL_OP_AND: op = " AND "; break;
        case SQL_OP_EQ: op = " = "; break;
        case SQL_OP_NSEQ: op = " IS "; break;
        case SQL_OP_NE: op = " <> "; break;
        case SQL_OP_LT: op = " < "; break;
        case SQL_OP_LE: op = " <= "; break;
        case SQL_OP_GT: op = " > "; break;
        case SQL_OP_GE: op = " >= "; break;
        case SQL_OP_BITOR: op = " | "; break;
        case SQL_OP_BITAND: op = " & "; break;
        case SQL_OP_CONCAT: op = " || "; break;
        case SQL_OP_ADD: op = " + "; break;
        case SQL_OP_SUB: op = " - "; break;
        case SQL_OP_MUL: op = " * "; break;
        case SQL_OP_MOD: op = " % "; break;
        case SQL_OP_DIV:
            /* `/` always gives DOUBLE in MaxCompute (§ traps). */
            mc_buf_puts(o, "(CAST(");
            if (tr_expr(c, o, ex->left))
                return -1;
            mc_buf_puts(o, " AS REAL) / ");
            if (tr_expr(c, o, ex->right))
                return -1;
            mc_buf_putc(o, ')');
            return 0;
        case SQL_OP_INTDIV:
            mc_buf_puts(o, "(CAST(");
            if (tr_expr(c, o, ex->left))
                return -1;
            mc_buf_puts(o, " AS INTEGER) / CAST(");
            if (tr_expr(c, o, ex->right))
                return -1;
            mc_buf_puts(o, " AS INTEGER))");
            return 0;
        default: return unsupported(c, ex->op_pos, sql_op_name(ex->op));
        }
        mc_buf_putc(o, '(');
        if (tr_expr(c, o, ex->left))
            return -1;
        mc_buf_puts(o, op);
        if (tr_expr(c, o, ex->right))
            return -1;
        mc_buf_putc(o, ')');
        return 0;
    }
    case SQL_EXPR_IS_NULL:
        mc_buf_putc(o, '(');
        if (tr_expr(c, o, ex->left))
            return -1;
        mc_buf_puts(o, ex->negated ? " IS NOT NULL)" : " IS NULL)");
        return 0;
    case SQL_EXPR_IN_LIST:
    case SQL_EXPR_IN_QUERY:
        mc_buf_putc(o, '(');
        if (tr_expr(c, o, ex->left))
            return -1;
        mc_buf_puts(o, ex->negated ? " NOT IN (" : " IN (");
        if (ex->kind == SQL_EXPR_IN_LIST ? tr_list(c, o, &ex->args) : tr_query(c, o, ex->query))
            return -1;
        mc_buf_puts(o, "))");
        return 0;
    case SQL_EXPR_BETWEEN:
        if (decimal_operand(c, ex->left, ex->right) || decimal_operand(c, ex->third, NULL)) {
            /* By value, as comparisons (above). */
            sql_expr lo = {.kind = SQL_EXPR_BINARY, .op = SQL_OP_GE, .left = ex->left, .right = ex->right};
            sql_expr hi = {.kind = SQL_EXPR_BINARY, .op = SQL_OP_LE, .left = ex->left, .right = ex->third};
            mc_buf_puts(o, ex->negated ? "(NOT (" : "((");
            if (tr_decimal_compare(c, o, &lo))
                return -1;
            mc_buf_puts(o, " AND ");
            if (tr_decimal_compare(c, o, &hi))
                return -1;
            mc_buf_puts(o, "))");
            return 0;
        }
        mc_buf_putc(o, '(');
        if (tr_expr(c, o, ex->left))
            return -1;
        mc_buf_puts(o, ex->negated ? " NOT BETWEEN " : " BETWEEN ");
        if (tr_expr(c, o, ex->right))
            return -1;
        mc_buf_puts(o, " AND ");
        if (tr_expr(c, o, ex->third))
            return -1;
        mc_buf_putc(o, ')');
        return 0;
    case SQL_EXPR_LIKE:
        if (ex->op != SQL_OP_LIKE) {
            /* RLIKE / REGEXP: POSIX regular expressions (sql/functions). */
            mc_buf_puts(o, ex->negated ? "(NOT mc_rlike(" : "(mc_rlike(");
            if (tr_expr(c, o, ex->left))
                return -1;
            mc_buf_puts(o, ", ");
            if (tr_expr(c, o, ex->right))
                return -1;
            mc_buf_puts(o, "))");
            return 0;
        }
        mc_buf_putc(o, '(');
        if (tr_expr(c, o, ex->left))
            return -1;
        mc_buf_puts(o, ex->negated ? " NOT LIKE " : " LIKE ");
        if (tr_expr(c, o, ex->right))
            return -1;
        mc_buf_putc(o, ')');
        return 0;
    case SQL_EXPR_CASE:
        mc_buf_puts(o, "(CASE");
        if (ex->left) {
            mc_buf_putc(o, ' ');
            if (tr_expr(c, o, ex->left))
                return -1;
        }
        for (size_t i = 0; i < ex->whens.n; i++) {
            const sql_when *w = ex->whens.items[i];
            mc_buf_puts(o, " WHEN ");
            if (tr_expr(c, o, w->when))
                return -1;
            mc_buf_puts(o, " THEN ");
            if (tr_expr(c, o, w->then))
                return -1;
        }
        if (ex->third) {
            mc_buf_puts(o, " ELSE ");
            if (tr_expr(c, o, ex->third))
                return -1;
        }
        mc_buf_puts(o, " END)");
        return 0;
    case SQL_EXPR_CAST: {
        const char *aff = cast_affinity(ex->type);
        if (ex->type->kind == SQL_TYPE_ARRAY || ex->type->kind == SQL_TYPE_MAP || ex->type->kind == SQL_TYPE_STRUCT) {
            sql_error ignored = {0};
            paimon_type *to = paimon_of(ex->type, &ignored);
            int rc = to ? tr_nested_cast(c, o, ex, to)
                        : unsupported(c, ex->pos, "CAST to a complex type holding DATETIME or BINARY");
            paimon_type_free(to);
            return rc;
        }
        paimon_type *from = aff ? expr_type(c, ex->left) : NULL;
        if (sql_nested_type(from)) {
            paimon_type_free(from);
            sql_error ignored = {0};
            paimon_type *to = paimon_of(ex->type, &ignored);
            int rc = to ? tr_nested_cast(c, o, ex, to) : unsupported(c, ex->pos, "CAST to this type");
            paimon_type_free(to);
            return rc;
        }
        paimon_type_free(from);
        if (!aff)
            return unsupported(c, ex->pos, "CAST to this type");
        mc_buf_puts(o, "CAST(");
        if (tr_expr(c, o, ex->left))
            return -1;
        mc_buf_printf(o, " AS %s)", aff);
        return 0;
    }
    case SQL_EXPR_FUNC: return tr_func(c, o, ex);
    case SQL_EXPR_SUBSCRIPT: return tr_subscript(c, o, ex);
    case SQL_EXPR_FIELD: {
        paimon_type *t = expr_type(c, ex->left);
        mc_buf inner = MC_BUF_INIT;
        int rc = tr_expr(c, &inner, ex->left) ? -1 : tr_fields(c, o, &inner, t, ex->parts, 1, ex->pos);
        mc_buf_free(&inner);
        paimon_type_free(t);
        return rc;
    }
    case SQL_EXPR_EXISTS:
    case SQL_EXPR_SUBQUERY:
        mc_buf_puts(o, ex->kind == SQL_EXPR_EXISTS ? (ex->negated ? "(NOT EXISTS (" : "(EXISTS (") : "((");
        if (tr_query(c, o, ex->query))
            return -1;
        mc_buf_puts(o, "))");
        return 0;
    default: return unsupported(c, ex->pos, "this expression");
    }
}

/* FROM t TIMESTAMP | VERSION AS OF constant (docs/sql-grammar.md §Time
 * travel): checks here that the snapshot exists, so a miss is an error at
 * the constant, and writes the spec the virtual table resolves again
 * (travel_from_spec). VERSION takes a snapshot id or, as a string, a tag
 * name (or digits: a snapshot id; Paimon's Spark VERSION AS OF); TIMESTAMP
 * a DATE/DATETIME/TIMESTAMP string read in the session zone. */
static int travel_spec(tr_ctx *c, const sql_table_ref *r, lake_table *t, mc_buf *spec)
{
    const sql_expr *v = r->travel_at;
    if (r->travel_end)
        return unsupported(c, r->travel_pos, "an incremental query (TIMESTAMP | VERSION BETWEEN ... AND ...)");
    paimon_at at = {.zone_offset_ms = SQL_SESSION_OFFSET_MS};
    bool lit = v->kind == SQL_EXPR_LITERAL;
    long long id;
    int64_t wall;
    if (r->travel == SQL_TRAVEL_VERSION) {
        if (lit && v->lit == SQL_LIT_NUMBER && mc_parse_i64(v->text, &id) == 0) {
            at.kind = PAIMON_AT_SNAPSHOT;
            at.id = id;
            mc_buf_printf(spec, "snapshot:%lld", id);
        } else if (lit && v->lit == SQL_LIT_STRING) {
            at.kind = PAIMON_AT_VERSION;
            at.name = v->text;
            mc_buf_printf(spec, "version:%s", v->text);
        } else {
            return sql_error_set(c->e, SQL_ODPS_SEMANTIC, v->pos.line, v->pos.col,
                                 "VERSION AS OF expects a snapshot id (an integer constant) or a tag name (a string "
                                 "constant)");
        }
    } else {
        if (!lit || !(v->lit == SQL_LIT_STRING || v->lit == SQL_LIT_DATE || v->lit == SQL_LIT_DATETIME ||
                      v->lit == SQL_LIT_TIMESTAMP))
            return unsupported(c, v->pos, "TIMESTAMP AS OF other than a DATE, DATETIME or TIMESTAMP constant");
        if (sql_datetime_text_ms(v->text, &wall))
            return sql_error_set(c->e, SQL_ODPS_SEMANTIC, v->pos.line, v->pos.col,
                                 "TIMESTAMP AS OF expects 'yyyy-mm-dd[ hh:mi:ss[.fff]]', not '%s'", v->text);
        at.kind = PAIMON_AT_MILLIS;
        at.millis = wall - SQL_SESSION_OFFSET_MS;
        mc_buf_printf(spec, "millis:%lld", (long long)at.millis);
    }
    int64_t sid;
    if (lake_table_travel(t, &at, &sid, c->cerr) == 0)
        return 0;
    if (c->cerr->code != MC_ERR_NOT_FOUND) {
        c->catalog_failed = true;
        return -1;
    }
    return sql_error_set(c->e, SQL_ODPS_SEMANTIC, v->pos.line, v->pos.col, "time travel on %s", c->cerr->msg);
}

/* A Paimon table as a temp virtual table named after it. */
static int tr_table(tr_ctx *c, mc_buf *o, const sql_table_ref *r)
{
    qname q;
    lake_table *t;
    /* Ask the catalog first so a missing table is ODPS-0130131 at its name. */
    if (open_named(c->x, c->env, &r->name, &q, &t, c->e, c->cerr, &c->catalog_failed))
        return -1;
    mc_buf spec = MC_BUF_INIT;
    if (r->travel != SQL_TRAVEL_NONE && travel_spec(c, r, t, &spec)) {
        mc_buf_free(&spec);
        lake_table_free(t);
        qname_free(&q);
        return -1;
    }
    c->tables = mc_realloc(c->tables, (c->ntables + 1) * sizeof *c->tables);
    c->aliases = mc_realloc(c->aliases, (c->ntables + 1) * sizeof *c->aliases);
    c->tables[c->ntables] = t;
    c->aliases[c->ntables++] = lower_dup(r->alias ? r->alias : q.table);
    char vt[64];
    snprintf(vt, sizeof vt, "pt_%d", ++c->x->vtab_seq);
    mc_buf ddl = MC_BUF_INIT;
    mc_buf_printf(&ddl, "CREATE VIRTUAL TABLE temp.%s USING paimon(", vt);
    put_ident(&ddl, q.schema);
    mc_buf_puts(&ddl, ", ");
    put_ident(&ddl, q.table);
    if (spec.len) {
        mc_buf_puts(&ddl, ", ");
        put_ident(&ddl, mc_buf_cstr(&spec));
    }
    mc_buf_free(&spec);
    mc_buf_puts(&ddl, ")");
    char *em = NULL;
    int rc = sqlite3_exec(c->x->db, ddl.data, NULL, NULL, &em);
    mc_buf_free(&ddl);
    if (rc != SQLITE_OK) {
        mc_err_set(c->cerr, MC_ERR_INTERNAL, "%s", em ? em : sqlite3_errmsg(c->x->db));
        c->catalog_failed = true;
        sqlite3_free(em);
        qname_free(&q);
        return -1;
    }
    c->vtabs = mc_realloc(c->vtabs, (c->nvtabs + 1) * sizeof *c->vtabs);
    c->vtabs[c->nvtabs++] = mc_strdup(vt);
    mc_buf_printf(o, "temp.%s AS ", vt);
    char *alias = lower_dup(r->alias ? r->alias : q.table);
    put_ident(o, alias);
    free(alias);
    qname_free(&q);
    return 0;
}

static int tr_from(tr_ctx *c, mc_buf *o, const sql_table_ref *r);

static bool has_semi_join(const sql_table_ref *r)
{
    return r->kind == SQL_TREF_JOIN &&
           (r->join == SQL_JOIN_LEFT_SEMI || r->join == SQL_JOIN_LEFT_ANTI || has_semi_join(r->left));
}

/* LEFT SEMI JOIN keeps the left rows that have a match on the right, LEFT
 * ANTI JOIN those that have none; the right side's columns are not visible
 * (§3.6 [SEMI]). Both become [NOT] EXISTS over the right side, ANDed into the
 * SELECT's WHERE. */
static int tr_semi_join(tr_ctx *c, mc_buf *o, const sql_table_ref *r)
{
    if (!r->on)
        return unsupported(c, r->pos, "LEFT SEMI/ANTI JOIN without ON");
    if (tr_from(c, o, r->left))
        return -1;
    mc_buf cond = MC_BUF_INIT;
    mc_buf_puts(&cond, r->join == SQL_JOIN_LEFT_ANTI ? "NOT EXISTS (SELECT 1 FROM " : "EXISTS (SELECT 1 FROM ");
    int rc = tr_from(c, &cond, r->right);
    if (rc == 0) {
        mc_buf_puts(&cond, " WHERE ");
        rc = tr_expr(c, &cond, r->on);
    }
    if (rc == 0) {
        if (c->semi->len)
            mc_buf_puts(c->semi, " AND ");
        mc_buf_append(c->semi, cond.data, cond.len);
        mc_buf_putc(c->semi, ')');
    }
    mc_buf_free(&cond);
    return rc;
}

static bool has_lateral(const sql_table_ref *r)
{
    return r->kind == SQL_TREF_LATERAL ||
           (r->kind == SQL_TREF_JOIN && (has_lateral(r->left) || has_lateral(r->right)));
}

/* The LATERAL VIEW column a reference names, if any. */
static const lateral_col *lateral_find(const tr_ctx *c, const sql_expr *ex)
{
    if (ex->kind != SQL_EXPR_COLUMN || ex->nparts > 2)
        return NULL;
    const char *name = ex->parts[ex->nparts - 1], *qual = ex->nparts == 2 ? ex->parts[0] : NULL;
    for (size_t i = c->nlat; i-- > 0;)
        if (!strcasecmp(c->lat[i].name, name) && (!qual || !strcasecmp(c->lat[i].alias, qual)))
            return &c->lat[i];
    return NULL;
}

static void lateral_add(tr_ctx *c, const char *alias, const char *name, char *sql, paimon_type *type)
{
    c->lat = mc_realloc(c->lat, (c->nlat + 1) * sizeof *c->lat);
    c->lat[c->nlat++] = (lateral_col){lower_dup(alias), lower_dup(name), sql, type};
}

static void lateral_truncate(tr_ctx *c, size_t n)
{
    while (c->nlat > n) {
        lateral_col *l = &c->lat[--c->nlat];
        free(l->alias);
        free(l->name);
        free(l->sql);
        paimon_type_free(l->type);
    }
}

/* `alias.*` for each table and subquery a FROM clause reads, left to right;
 * a LEFT SEMI/ANTI JOIN's right side is not visible (§3.6 [SEMI]). */
static void star_sources(mc_buf *o, const sql_table_ref *r, bool *first)
{
    const char *alias = NULL;
    switch (r->kind) {
    case SQL_TREF_TABLE: alias = r->alias ? r->alias : r->name.parts[r->name.n - 1]; break;
    case SQL_TREF_SUBQUERY: alias = r->alias; break;
    case SQL_TREF_JOIN:
        star_sources(o, r->left, first);
        if (r->join != SQL_JOIN_LEFT_SEMI && r->join != SQL_JOIN_LEFT_ANTI)
            star_sources(o, r->right, first);
        return;
    case SQL_TREF_LATERAL: star_sources(o, r->left, first); return;
    default: return;
    }
    if (!alias)
        return;
    if (!*first)
        mc_buf_puts(o, ", ");
    *first = false;
    char *a = lower_dup(alias);
    put_ident(o, a);
    free(a);
    mc_buf_puts(o, ".*");
}

/* SELECT * over FROM ... LATERAL VIEW: the sources' columns, then each
 * LATERAL VIEW's columns in the order written, as MaxCompute (and Hive)
 * list them; never json_each's own columns. */
static int tr_star_lateral(tr_ctx *c, mc_buf *o)
{
    bool first = true;
    star_sources(o, c->from, &first);
    for (size_t i = c->lat_base; i < c->nlat; i++) {
        mc_buf_printf(o, "%s%s AS ", first ? "" : ", ", c->lat[i].sql);
        put_ident(o, c->lat[i].name);
        first = false;
    }
    return 0;
}

/* FROM t LATERAL VIEW [OUTER] udtf(args) alias AS c1, ... (§3.6): explode
 * and posexplode of an ARRAY become SQLite's json_each over its JSON text
 * (one row per element, none for NULL or [] unless OUTER; posexplode's
 * position from 0), json_tuple(json, k1, ...) one column per key as
 * GET_JSON_OBJECT(json, '$.k') gives it. */
static int tr_lateral(tr_ctx *c, mc_buf *o, const sql_table_ref *r)
{
    const sql_expr *f = r->func;
    const char *fn = f->parts[f->nparts - 1];
    bool pos = !strcasecmp(fn, "posexplode"), tuple = !strcasecmp(fn, "json_tuple");
    if (f->nparts != 1 || !(pos || tuple || !strcasecmp(fn, "explode")))
        return unsupported(c, f->pos, "this function in LATERAL VIEW (explode, posexplode and json_tuple are)");
    if ((tuple && f->args.n < 2) || (!tuple && f->args.n != 1))
        return sql_error_set(c->e, SQL_ODPS_ARG_COUNT, f->pos.line, f->pos.col,
                             "function %s needs %s parameters, actually have %zu", tuple ? "json_tuple" : pos ? "posexplode" : "explode",
                             tuple ? "at least 2" : "1", f->args.n);
    /* The argument's type is known once the FROM's tables are. */
    mc_buf arg = MC_BUF_INIT;
    if (tr_from(c, o, r->left) || tr_expr(c, &arg, f->args.items[0])) {
        mc_buf_free(&arg);
        return -1;
    }
    /* explode(ARRAY) one column, explode(MAP) key and value, posexplode(ARRAY) position and element (§3.6). */
    paimon_type *at = tuple ? NULL : expr_type(c, f->args.items[0]);
    bool is_map = at && at->id == PAIMON_MAP;
    size_t want = tuple ? f->args.n - 1 : pos || is_map ? 2 : 1;
    int bad = 0;
    if (at && at->id != PAIMON_ARRAY && (pos || !is_map))
        bad = arg_type_error(c, f->args.items[0], 0, pos ? "posexplode" : "explode", at,
                             pos ? "ARRAY" : "ARRAY or MAP");
    else if (r->col_aliases.n != want)
        bad = sql_error_set(c->e, SQL_ODPS_SEMANTIC, r->pos.line, r->pos.col,
                            "LATERAL VIEW %s makes %zu column%s, not the %zu named", fn, want, want == 1 ? "" : "s",
                            r->col_aliases.n);
    if (bad) {
        paimon_type_free(at);
        mc_buf_free(&arg);
        return -1;
    }
    char *alias = lower_dup(r->alias);
    if (tuple) {
        for (size_t i = 1; i < f->args.n; i++) {
            mc_buf key = MC_BUF_INIT, sql = MC_BUF_INIT;
            const sql_expr *k = f->args.items[i];
            if (k->kind != SQL_EXPR_LITERAL || k->lit != SQL_LIT_STRING) {
                free(alias);
                mc_buf_free(&arg);
                return unsupported(c, k->pos, "a json_tuple key that is not a string constant");
            }
            mc_buf_puts(&key, "$.");
            mc_buf_append(&key, k->text, k->text_len);
            mc_buf_printf(&sql, "mc_get_json_object(%s, ", mc_buf_cstr(&arg));
            put_string(&sql, key.data, key.len);
            mc_buf_putc(&sql, ')');
            lateral_add(c, alias, r->col_aliases.items[i - 1], mc_buf_detach(&sql, NULL),
                        paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true));
            mc_buf_free(&key);
        }
    } else {
        mc_buf_puts(o, r->outer ? " LEFT JOIN json_each(" : ", json_each(");
        mc_buf_append(o, arg.data, arg.len);
        mc_buf_puts(o, ") AS ");
        put_ident(o, alias);
        if (r->outer)
            mc_buf_puts(o, " ON 1");
        mc_buf q = MC_BUF_INIT;
        put_ident(&q, alias);
        const paimon_type *vt = at ? (is_map ? at->value : at->element) : NULL;
        if (pos)
            lateral_add(c, alias, r->col_aliases.items[0], mc_asprintf("%s.\"key\"", mc_buf_cstr(&q)),
                        paimon_type_new(PAIMON_INT, true));
        if (is_map) {
            /* json_each gives an object's keys as text; numeric keys go back to numbers. */
            char k = sql_nested_kind(at->key);
            lateral_add(c, alias, r->col_aliases.items[0],
                        mc_asprintf(k == 'i' ? "CAST(%s.\"key\" AS INTEGER)" : k == 'd' || k == 'f' ? "CAST(%s.\"key\" AS REAL)" : "%s.\"key\"",
                                    mc_buf_cstr(&q)),
                        paimon_type_copy(at->key));
        }
        /* A DECIMAL element keeps its digits: read it again as text. */
        lateral_add(c, alias, r->col_aliases.items[pos || is_map ? 1 : 0],
                    vt && vt->id == PAIMON_DECIMAL
                        ? mc_asprintf("mc_nested_get(%s, %s.\"key\", '%s')", mc_buf_cstr(&arg), mc_buf_cstr(&q),
                                      is_map ? "or" : "ar")
                        : mc_asprintf("%s.\"value\"", mc_buf_cstr(&q)),
                    vt ? paimon_type_copy(vt) : NULL);
        mc_buf_free(&q);
    }
    paimon_type_free(at);
    free(alias);
    mc_buf_free(&arg);
    return 0;
}

static int tr_from(tr_ctx *c, mc_buf *o, const sql_table_ref *r)
{
    switch (r->kind) {
    case SQL_TREF_TABLE: return tr_table(c, o, r);
    case SQL_TREF_SUBQUERY:
        mc_buf_putc(o, '(');
        if (tr_query(c, o, r->query))
            return -1;
        mc_buf_puts(o, ")");
        if (r->alias) {
            mc_buf_puts(o, " AS ");
            char *a = lower_dup(r->alias);
            put_ident(o, a);
            free(a);
        }
        return 0;
    case SQL_TREF_JOIN: {
        if (r->join == SQL_JOIN_LEFT_SEMI || r->join == SQL_JOIN_LEFT_ANTI)
            return tr_semi_join(c, o, r);
        if ((r->join == SQL_JOIN_RIGHT || r->join == SQL_JOIN_FULL) && has_semi_join(r->left))
            return unsupported(c, r->pos, "a RIGHT or FULL JOIN after a LEFT SEMI/ANTI JOIN");
        const char *kw = NULL;
        switch (r->join) {
        case SQL_JOIN_INNER: kw = " JOIN "; break;
        case SQL_JOIN_LEFT: kw = " LEFT JOIN "; break;
        case SQL_JOIN_RIGHT: kw = " RIGHT JOIN "; break;
        case SQL_JOIN_FULL: kw = " FULL JOIN "; break;
        case SQL_JOIN_CROSS: kw = " CROSS JOIN "; break;
        case SQL_JOIN_COMMA: kw = ", "; break;
        default: return unsupported(c, r->pos, "this JOIN");
        }
        if (tr_from(c, o, r->left))
            return -1;
        mc_buf_puts(o, kw);
        if (tr_from(c, o, r->right))
            return -1;
        if (r->on) {
            mc_buf_puts(o, " ON ");
            if (tr_expr(c, o, r->on))
                return -1;
        } else if (r->using_cols.n) {
            mc_buf_puts(o, " USING (");
            for (size_t i = 0; i < r->using_cols.n; i++) {
                if (i)
                    mc_buf_puts(o, ", ");
                put_ident(o, r->using_cols.items[i]);
            }
            mc_buf_putc(o, ')');
        }
        return 0;
    }
    case SQL_TREF_LATERAL: return tr_lateral(c, o, r);
    default: return unsupported(c, r->pos, "this FROM clause");
    }
}

static int tr_select_rest(tr_ctx *c, mc_buf *o, const sql_select *s, const mc_buf *from, const mc_buf *semi);
static int tr_grouping_sets(tr_ctx *c, mc_buf *o, const sql_select *s, const mc_buf *from, const mc_buf *semi);

static int tr_select(tr_ctx *c, mc_buf *o, const sql_select *s)
{
    /* A nested SELECT has its own joins and grouping. */
    mc_buf *outer_semi = c->semi;
    const sql_expr **outer_keys = c->gs_keys;
    size_t outer_nkeys = c->gs_nkeys;
    unsigned outer_mask = c->gs_mask;
    int outer_agg = c->in_agg;
    c->gs_keys = NULL;
    c->gs_nkeys = 0;
    c->in_agg = 0;
    size_t outer_nlat = c->nlat;
    bool outer_qualify = c->qualify;
    const sql_table_ref *outer_from = c->from;
    size_t outer_lat_base = c->lat_base;
    c->qualify = s->from && has_lateral(s->from);
    c->from = s->from;
    c->lat_base = outer_nlat;
    /* FROM first: the select list's types come from the tables it reads. */
    mc_buf from = MC_BUF_INIT, semi = MC_BUF_INIT;
    c->semi = &semi;
    int rc = s->from ? tr_from(c, &from, s->from) : 0;
    c->semi = outer_semi;
    if (rc == 0)
        rc = s->group_kind == SQL_GROUP_NONE || s->group_kind == SQL_GROUP_PLAIN
                 ? tr_select_rest(c, o, s, &from, &semi)
                 : tr_grouping_sets(c, o, s, &from, &semi);
    mc_buf_free(&from);
    mc_buf_free(&semi);
    lateral_truncate(c, outer_nlat);
    c->qualify = outer_qualify;
    c->from = outer_from;
    c->lat_base = outer_lat_base;
    c->gs_keys = outer_keys;
    c->gs_nkeys = outer_nkeys;
    c->gs_mask = outer_mask;
    c->in_agg = outer_agg;
    return rc;
}

/* Two grouping keys are the same expression: columns by name (qualifier when
 * both give one), anything else by its printed form. */
static bool same_key(const sql_expr *a, const sql_expr *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == SQL_EXPR_COLUMN) {
        if (strcasecmp(a->parts[a->nparts - 1], b->parts[b->nparts - 1]))
            return false;
        return a->nparts == 1 || b->nparts == 1 || !strcasecmp(a->parts[0], b->parts[0]);
    }
    mc_buf x = MC_BUF_INIT, y = MC_BUF_INIT;
    sql_expr_print(&x, a);
    sql_expr_print(&y, b);
    bool same = x.len == y.len && !memcmp(x.data, y.data, x.len);
    mc_buf_free(&x);
    mc_buf_free(&y);
    return same;
}

static int gs_key_index(const tr_ctx *c, const sql_expr *ex)
{
    if (ex->kind == SQL_EXPR_LITERAL || ex->kind == SQL_EXPR_STAR)
        return -1;
    for (size_t i = 0; i < c->gs_nkeys; i++)
        if (same_key(ex, c->gs_keys[i]))
            return (int)i;
    return -1;
}

/* SQLite's limit on the arms of a compound SELECT (SQLITE_MAX_COMPOUND_SELECT). */
#define GS_MAX_SETS 500
#define GS_MAX_KEYS 16

/* GROUP BY ROLLUP / CUBE / GROUPING SETS (§3.6 [GSETS]): one aggregate query
 * per grouping set, combined with UNION ALL. ROLLUP(a, b, c) is the sets
 * (a,b,c), (a,b), (a), (); CUBE every subset, largest first, as the
 * documentation lists them. */
static int tr_grouping_sets(tr_ctx *c, mc_buf *o, const sql_select *s, const mc_buf *from, const mc_buf *semi)
{
    const sql_expr *keys[GS_MAX_KEYS];
    size_t nkeys = 0;
    const sql_list *listed = &s->group_by;
    for (size_t i = 0; i < listed->n; i++) {
        if (nkeys == GS_MAX_KEYS)
            return unsupported(c, s->pos, "GROUP BY with more than 16 grouping keys");
        keys[nkeys++] = listed->items[i];
    }
    if (s->group_kind == SQL_GROUP_SETS && !listed->n) {
        /* GROUPING SETS alone: the keys in order of first appearance. */
        for (size_t i = 0; i < s->grouping_sets.n; i++) {
            const sql_list *set = s->grouping_sets.items[i];
            for (size_t j = 0; j < set->n; j++) {
                bool seen = false;
                for (size_t k = 0; k < nkeys; k++)
                    seen |= same_key(set->items[j], keys[k]);
                if (seen)
                    continue;
                if (nkeys == GS_MAX_KEYS)
                    return unsupported(c, s->pos, "GROUP BY with more than 16 grouping keys");
                keys[nkeys++] = set->items[j];
            }
        }
    }
    unsigned *sets = mc_calloc(GS_MAX_SETS, sizeof *sets);
    size_t nsets = 0;
    int rc = 0;
    if (s->group_kind == SQL_GROUP_ROLLUP) {
        for (size_t k = nkeys + 1; k-- > 0;)
            sets[nsets++] = (1u << k) - 1;
    } else if (s->group_kind == SQL_GROUP_CUBE) {
        if (nkeys > 8)
            rc = unsupported(c, s->pos, "CUBE over more than 8 keys");
        /* Size by size; within a size in the documented (lexicographic) order:
         * with key i as bit n-1-i that is descending numeric order. */
        for (size_t size = nkeys + 1; rc == 0 && size-- > 0;)
            for (unsigned m = (1u << nkeys); m-- > 0;) {
                if ((size_t)__builtin_popcount(m) != size)
                    continue;
                unsigned set = 0;
                for (size_t i = 0; i < nkeys; i++)
                    if (m & (1u << (nkeys - 1 - i)))
                        set |= 1u << i;
                sets[nsets++] = set;
            }
    } else {
        if (s->grouping_sets.n > GS_MAX_SETS)
            rc = unsupported(c, s->pos, "more than 500 grouping sets");
        for (size_t i = 0; rc == 0 && i < s->grouping_sets.n; i++) {
            const sql_list *set = s->grouping_sets.items[i];
            unsigned m = 0;
            c->gs_keys = keys;
            c->gs_nkeys = nkeys;
            for (size_t j = 0; rc == 0 && j < set->n; j++) {
                const sql_expr *e = set->items[j];
                int k = gs_key_index(c, e);
                if (k < 0)
                    rc = sql_error_set(c->e, SQL_ODPS_SEMANTIC, e->pos.line, e->pos.col,
                                       "expression in GROUPING SETS is not a GROUP BY key");
                else
                    m |= 1u << k;
            }
            sets[nsets++] = m;
        }
    }
    if (rc == 0)
        mc_buf_puts(o, "SELECT * FROM (");
    for (size_t i = 0; rc == 0 && i < nsets; i++) {
        if (i)
            mc_buf_puts(o, " UNION ALL ");
        c->gs_keys = keys;
        c->gs_nkeys = nkeys;
        c->gs_mask = sets[i];
        rc = tr_select_rest(c, o, s, from, semi);
    }
    if (rc == 0)
        mc_buf_putc(o, ')');
    c->gs_keys = NULL;
    c->gs_nkeys = 0;
    free(sets);
    return rc;
}

/* A BOOLEAN taken out of a nested value (a[0], s.flag, an exploded element):
 * SQLite holds it as 0/1, so it prints like a predicate. */
static bool bool_element(const tr_ctx *c, const sql_expr *e)
{
    if (e->kind != SQL_EXPR_SUBSCRIPT && e->kind != SQL_EXPR_FIELD && e->kind != SQL_EXPR_COLUMN)
        return false;
    paimon_type *t = expr_type(c, e);
    bool b = t && t->id == PAIMON_BOOLEAN && (e->kind != SQL_EXPR_COLUMN || lateral_find(c, e) || e->nparts > 1);
    paimon_type_free(t);
    return b;
}

static int tr_select_rest(tr_ctx *c, mc_buf *o, const sql_select *s, const mc_buf *from, const mc_buf *semi)
{
    mc_buf_puts(o, s->distinct ? "SELECT DISTINCT " : "SELECT ");
    for (size_t i = 0; i < s->items.n; i++) {
        const sql_select_item *it = s->items.items[i];
        if (i)
            mc_buf_puts(o, ", ");
        if (c->bool_text && c->depth == 1 && (is_bool_expr(it->expr) || bool_element(c, it->expr))) {
            bool star_before = false;
            for (size_t k = 0; k < i; k++)
                star_before |= ((const sql_select_item *)s->items.items[k])->expr->kind == SQL_EXPR_STAR;
            if (!star_before && !c->bool_cols) {
                c->nbool_cols = s->items.n;
                c->bool_cols = mc_calloc(s->items.n + 1, sizeof *c->bool_cols);
            }
            if (!star_before && i < c->nbool_cols)
                c->bool_cols[i] = true;
            /* BOOLEAN results print as true/false (§4.2); SQLite has only 0/1. */
            mc_buf_puts(o, "(CASE (");
            if (tr_expr(c, o, it->expr))
                return -1;
            mc_buf_puts(o, ") WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)");
        } else if (tr_expr(c, o, it->expr)) {
            return -1;
        }
        if (it->expr->kind == SQL_EXPR_STAR)
            continue;
        /* Output names: the alias, the column, or _c<N> (§ traps). */
        mc_buf_puts(o, " AS ");
        if (it->alias) {
            char *a = lower_dup(it->alias);
            put_ident(o, a);
            free(a);
        } else if (it->expr->kind == SQL_EXPR_COLUMN) {
            char *a = lower_dup(it->expr->parts[it->expr->nparts - 1]);
            put_ident(o, a);
            free(a);
        } else {
            mc_buf_printf(o, "\"_c%zu\"", i);
        }
    }
    if (s->from) {
        mc_buf_puts(o, " FROM ");
        mc_buf_append(o, from->data, from->len);
    }
    if (s->where || semi->len) {
        mc_buf_puts(o, " WHERE ");
        if (s->where) {
            mc_buf_putc(o, '(');
            if (tr_expr(c, o, s->where))
                return -1;
            mc_buf_puts(o, semi->len ? ") AND " : ")");
        }
        mc_buf_append(o, semi->data, semi->len);
    }
    if (c->gs_nkeys) {
        /* The keys of the current grouping set (none: one grand-total row). */
        bool first = true;
        int agg = c->in_agg;
        c->in_agg = 1; /* the keys themselves are never placeholders */
        for (size_t i = 0; i < c->gs_nkeys; i++) {
            if (!(c->gs_mask & (1u << i)))
                continue;
            mc_buf_puts(o, first ? " GROUP BY " : ", ");
            first = false;
            if (tr_expr(c, o, c->gs_keys[i])) {
                c->in_agg = agg;
                return -1;
            }
        }
        c->in_agg = agg;
    } else if (s->group_kind != SQL_GROUP_NONE) {
        mc_buf_puts(o, " GROUP BY ");
        if (tr_list(c, o, &s->group_by))
            return -1;
    }
    if (s->having) {
        mc_buf_puts(o, " HAVING ");
        if (tr_expr(c, o, s->having))
            return -1;
    }
    return 0;
}

static int tr_query_inner(tr_ctx *c, mc_buf *o, const sql_query *q);

static int tr_query(tr_ctx *c, mc_buf *o, const sql_query *q)
{
    c->depth++;
    int rc = tr_query_inner(c, o, q);
    c->depth--;
    return rc;
}

/* Whether an ORDER BY key is DECIMAL: an expression of that type, or the
 * alias of a select item that is one. */
static bool order_is_decimal(const tr_ctx *c, const sql_query *q, const sql_expr *e)
{
    if (e->kind == SQL_EXPR_COLUMN && e->nparts == 1 && q->kind == SQL_QUERY_SELECT)
        for (size_t i = 0; i < q->select->items.n; i++) {
            const sql_select_item *it = q->select->items.items[i];
            if (it->alias && !strcasecmp(it->alias, e->parts[0]))
                return decimal_operand(c, it->expr, NULL);
        }
    return decimal_operand(c, e, NULL);
}

/* " ORDER BY ..." of order items, or (plain) of bare expressions ascending. */
static int tr_order(tr_ctx *c, mc_buf *o, const sql_query *q, const sql_list *keys, bool plain)
{
    mc_buf_puts(o, " ORDER BY ");
    for (size_t i = 0; i < keys->n; i++) {
        const sql_order_item *it = plain ? NULL : keys->items[i];
        const sql_expr *e = plain ? keys->items[i] : it->expr;
        if (i)
            mc_buf_puts(o, ", ");
        if (tr_expr(c, o, e))
            return -1;
        if (order_is_decimal(c, q, e))
            mc_buf_puts(o, " COLLATE mc_decimal");
        if (it && it->desc)
            mc_buf_puts(o, " DESC");
        /* MaxCompute sorts NULLs first ascending and last descending, as SQLite does. */
        if (it && it->nulls == 1)
            mc_buf_puts(o, " NULLS FIRST");
        else if (it && it->nulls == 2)
            mc_buf_puts(o, " NULLS LAST");
    }
    return 0;
}

static int tr_query_inner(tr_ctx *c, mc_buf *o, const sql_query *q)
{
    if (q->ctes.n) {
        mc_buf_puts(o, "WITH ");
        for (size_t i = 0; i < q->ctes.n; i++) {
            const sql_cte *cte = q->ctes.items[i];
            if (i)
                mc_buf_puts(o, ", ");
            char *n = lower_dup(cte->name);
            put_ident(o, n);
            free(n);
            mc_buf_puts(o, " AS (");
            if (tr_query(c, o, cte->query))
                return -1;
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ' ');
    }
    if (q->kind == SQL_QUERY_SELECT) {
        if (tr_select(c, o, q->select))
            return -1;
    } else {
        if (tr_query(c, o, q->left))
            return -1;
        mc_buf_puts(o, q->setop == SQL_SET_UNION ? (q->all ? " UNION ALL " : " UNION ")
                       : q->setop == SQL_SET_INTERSECT ? " INTERSECT "
                                                        : " EXCEPT ");
        if (q->right->kind == SQL_QUERY_SETOP || q->right->order_by.n || q->right->limit) {
            mc_buf_puts(o, "SELECT * FROM (");
            if (tr_query(c, o, q->right))
                return -1;
            mc_buf_putc(o, ')');
        } else if (tr_query(c, o, q->right)) {
            return -1;
        }
    }
    /* DISTRIBUTE BY sends rows to reducers by hash and SORT BY sorts within
     * each (§3.6 [SELECT]); mcdlf runs one reducer, so SORT BY orders the
     * whole result, DISTRIBUTE BY alone changes nothing, and CLUSTER BY k is
     * DISTRIBUTE BY k SORT BY k. Neither combines with ORDER BY, nor SORT BY
     * and DISTRIBUTE BY with GROUP BY (§3.6 [SELECT]; the texts are mcdlf's). */
    bool reducers = q->sort_by.n || q->distribute_by.n || q->cluster_by.n;
    if (reducers && q->order_by.n)
        return sql_error_set(c->e, SQL_ODPS_SEMANTIC, q->order_pos.line, q->order_pos.col,
                             "ORDER BY cannot be used together with DISTRIBUTE BY, SORT BY or CLUSTER BY");
    if (q->cluster_by.n && (q->sort_by.n || q->distribute_by.n))
        return sql_error_set(c->e, SQL_ODPS_SEMANTIC, q->pos.line, q->pos.col,
                             "CLUSTER BY cannot be used together with DISTRIBUTE BY or SORT BY");
    if (reducers && q->kind == SQL_QUERY_SELECT && q->select->group_kind != SQL_GROUP_NONE)
        return sql_error_set(c->e, SQL_ODPS_SEMANTIC, q->pos.line, q->pos.col,
                             "GROUP BY cannot be used together with DISTRIBUTE BY, SORT BY or CLUSTER BY");
    if (q->order_by.n) {
        if (!q->limit && c->env->orderby_needs_limit)
            return sql_error_set(c->e, SQL_ODPS_SEMANTIC, q->order_pos.line, q->order_pos.col,
                                 "ORDER BY must be used with a LIMIT clause, please set "
                                 "odps.sql.validate.orderby.limit=false to use it.");
        if (tr_order(c, o, q, &q->order_by, false))
            return -1;
    } else if (q->sort_by.n) {
        if (tr_order(c, o, q, &q->sort_by, false))
            return -1;
    } else if (q->cluster_by.n) {
        if (tr_order(c, o, q, &q->cluster_by, true))
            return -1;
    }
    if (q->limit) {
        mc_buf_puts(o, " LIMIT ");
        if (tr_expr(c, o, q->limit))
            return -1;
        if (q->offset) {
            mc_buf_puts(o, " OFFSET ");
            if (tr_expr(c, o, q->offset))
                return -1;
        }
    }
    return 0;
}

static void tr_cleanup(tr_ctx *c)
{
    lateral_truncate(c, 0);
    free(c->lat);
    c->lat = NULL;
    free(c->bool_cols);
    c->bool_cols = NULL;
    for (size_t i = 0; i < c->ntables; i++) {
        lake_table_free(c->tables[i]);
        free(c->aliases[i]);
    }
    free(c->tables);
    free(c->aliases);
    c->tables = NULL;
    c->aliases = NULL;
    c->ntables = 0;
    for (size_t i = 0; i < c->nvtabs; i++) {
        char *sql = mc_asprintf("DROP TABLE IF EXISTS temp.%s", c->vtabs[i]);
        sqlite3_exec(c->x->db, sql, NULL, NULL, NULL);
        free(sql);
        free(c->vtabs[i]);
    }
    free(c->vtabs);
    c->vtabs = NULL;
    c->nvtabs = 0;
}

/* The first column reference named `name` ("t.a" or "a") in a query, for
 * the [line,col] of an unresolved-column error. */
static const sql_expr *find_col_q(const sql_query *q, const char *name);

static const sql_expr *find_col(const sql_expr *e, const char *name)
{
    if (!e)
        return NULL;
    if (e->kind == SQL_EXPR_COLUMN) {
        mc_buf b = MC_BUF_INIT;
        for (int i = 0; i < e->nparts; i++)
            mc_buf_printf(&b, "%s%s", i ? "." : "", e->parts[i]);
        bool hit = !strcasecmp(mc_buf_cstr(&b), name);
        mc_buf_free(&b);
        if (hit)
            return e;
    }
    const sql_expr *r;
    if ((r = find_col(e->left, name)) || (r = find_col(e->right, name)) || (r = find_col(e->third, name)))
        return r;
    for (size_t i = 0; i < e->args.n; i++)
        if ((r = find_col(e->args.items[i], name)))
            return r;
    for (size_t i = 0; i < e->whens.n; i++) {
        const sql_when *w = e->whens.items[i];
        if ((r = find_col(w->when, name)) || (r = find_col(w->then, name)))
            return r;
    }
    return e->query ? find_col_q(e->query, name) : NULL;
}

static const sql_expr *find_col_ref(const sql_table_ref *t, const char *name)
{
    if (!t)
        return NULL;
    const sql_expr *r;
    if ((r = find_col_ref(t->left, name)) || (r = find_col_ref(t->right, name)) || (r = find_col(t->on, name)))
        return r;
    return t->query ? find_col_q(t->query, name) : NULL;
}

static const sql_expr *find_col_q(const sql_query *q, const char *name)
{
    if (!q)
        return NULL;
    const sql_expr *r;
    if (q->kind == SQL_QUERY_SETOP)
        return (r = find_col_q(q->left, name)) ? r : find_col_q(q->right, name);
    const sql_select *s = q->select;
    for (size_t i = 0; i < s->items.n; i++)
        if ((r = find_col(((const sql_select_item *)s->items.items[i])->expr, name)))
            return r;
    if ((r = find_col_ref(s->from, name)) || (r = find_col(s->where, name)))
        return r;
    for (size_t i = 0; i < s->group_by.n; i++)
        if ((r = find_col(s->group_by.items[i], name)))
            return r;
    if ((r = find_col(s->having, name)))
        return r;
    for (size_t i = 0; i < q->order_by.n; i++)
        if ((r = find_col(((const sql_order_item *)q->order_by.items[i])->expr, name)))
            return r;
    return NULL;
}

/* SQLite's complaint, in MaxCompute's words where we can (§5.2). */
static void sqlite_failure(sqlite3 *db, const sql_query *q, mc_buf *msg)
{
    const char *m = sqlite3_errmsg(db);
    if (mc_str_starts_with(m, "no such column: ")) {
        char *name = mc_strdup(m + 16);
        size_t w = 0;
        for (size_t r = 0; name[r]; r++)
            if (name[r] != '"')
                name[w++] = name[r];
        name[w] = '\0';
        const sql_expr *e = find_col_q(q, name);
        sql_error se;
        if (e)
            sql_error_set(&se, SQL_ODPS_SEMANTIC, e->pos.line, e->pos.col, "column %s cannot be resolved", name);
        else
            sql_error_set_nopos(&se, SQL_ODPS_SEMANTIC, "column %s cannot be resolved", name);
        sql_error_format(msg, &se);
        free(name);
    } else {
        mc_buf_printf(msg, "%s", m);
    }
}

/* ---- results -------------------------------------------------------------------- */

static void cell_text(mc_buf *b, sqlite3_stmt *st, int i)
{
    const char *decl = sqlite3_column_decltype(st, i);
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        if (decl && !strcmp(decl, "BOOLEAN"))
            mc_buf_puts(b, sqlite3_column_int64(st, i) ? "true" : "false");
        else if (decl && (!strcmp(decl, "DOUBLE") || !strcmp(decl, "FLOAT")))
            mc_java_double_text(b, (double)sqlite3_column_int64(st, i), !strcmp(decl, "FLOAT"));
        else
            mc_buf_printf(b, "%lld", (long long)sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT: mc_java_double_text(b, sqlite3_column_double(st, i), decl && !strcmp(decl, "FLOAT")); break;
    default:
        mc_buf_append(b, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i));
    }
}

/* ---- statements ----------------------------------------------------------------- */

static int run_query(sql_exec *x, const sql_exec_env *env, const sql_query *q, mc_buf *out, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    mc_err cerr;
    tr_ctx c = {.x = x, .env = env, .e = &e, .cerr = &cerr, .bool_text = true};
    mc_buf sql = MC_BUF_INIT;
    int rc = tr_query(&c, &sql, q);
    sqlite3_stmt *st = NULL;
    if (rc) {
        failure_text(msg, &e, &cerr, c.catalog_failed);
    } else if (sqlite3_prepare_v2(x->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        sqlite_failure(x->db, q, msg);
        rc = -1;
    } else {
        int n = sqlite3_column_count(st);
        const char **names = mc_calloc((size_t)n + 1, sizeof *names);
        for (int i = 0; i < n; i++)
            names[i] = sqlite3_column_name(st, i);
        sql_result *res = sql_result_new((size_t)n, names);
        for (int i = 0; i < n; i++) {
            const char *d = sqlite3_column_decltype(st, i);
            res->is_boolean[i] = (d && !strcmp(d, "BOOLEAN")) || ((size_t)i < c.nbool_cols && c.bool_cols[i]);
        }
        char **cells = mc_calloc((size_t)n + 1, sizeof *cells);
        mc_buf cell = MC_BUF_INIT;
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            for (int i = 0; i < n; i++) {
                if (sqlite3_column_type(st, i) == SQLITE_NULL) {
                    cells[i] = NULL;
                    continue;
                }
                mc_buf_reset(&cell);
                cell_text(&cell, st, i);
                cells[i] = mc_strdup(mc_buf_cstr(&cell));
            }
            sql_result_add_row(res, (const char *const *)cells);
            for (int i = 0; i < n; i++)
                free(cells[i]);
        }
        if (step != SQLITE_DONE) {
            sqlite_failure(x->db, q, msg);
            rc = -1;
        } else {
            sql_result_render(out, res, env->fmt);
        }
        mc_buf_free(&cell);
        free(cells);
        free(names);
        sql_result_free(res);
    }
    sqlite3_finalize(st);
    tr_cleanup(&c);
    mc_buf_free(&sql);
    return rc;
}

static int show_schemas(sql_exec *x, mc_buf *out, mc_buf *msg)
{
    char **names;
    size_t n;
    mc_err err;
    if (rest_list_databases(lake_catalog(x->l), &names, &n, &err)) {
        catalog_failure(msg, &err);
        return -1;
    }
    /* MaxCompute lists Paimon's client-side `system` database too (§3.1 sample). */
    bool has_system = false;
    for (size_t i = 0; i < n; i++)
        has_system |= !strcmp(names[i], "system");
    if (!has_system) {
        names = mc_realloc(names, (n + 1) * sizeof *names);
        size_t at = 0;
        while (at < n && strcmp(names[at], "system") < 0)
            at++;
        memmove(names + at + 1, names + at, (n - at) * sizeof *names);
        names[at] = mc_strdup("system");
        n++;
    }
    sql_render_lines(out, (const char *const *)names, n);
    rest_names_free(names, n);
    return 0;
}

/* Lines of SHOW TABLES / SHOW PARTITIONS gathered from a paged listing. */
typedef struct {
    char **lines;
    size_t n;
    const char *pattern;        /* SHOW TABLES LIKE (fnmatch form) or NULL */
    const paimon_schema *schema; /* SHOW PARTITIONS: the partition keys' order */
} line_list;

static void line_list_free(line_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->lines[i]);
    free(l->lines);
}

static void add_line(line_list *l, char *line)
{
    l->lines = mc_realloc(l->lines, (l->n + 1) * sizeof *l->lines);
    l->lines[l->n++] = line;
}

/* `<owner>  <table>` (§3.1, §4.3). */
static int table_line(void *ud, json_t *t, mc_err *err)
{
    (void)err;
    line_list *l = ud;
    const char *name = json_string_value(json_object_get(t, "name"));
    const char *owner = json_string_value(json_object_get(t, "owner"));
    if (name && (!l->pattern || fnmatch(l->pattern, name, 0) == 0))
        add_line(l, mc_asprintf("%s  %s", owner ? owner : "", name));
    return 0;
}

static int show_tables(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *out, mc_buf *msg)
{
    char *schema = lower_dup(st->has_name ? st->name.parts[st->name.n - 1] : env->schema);
    /* From the table-details listing: it needs LIST on the schema only, as SHOW TABLES does. */
    const char *segs[] = {"databases", schema, "table-details"};
    mc_buf pattern = MC_BUF_INIT;
    for (const char *c = st->pattern; c && *c; c++) /* LIKE 'prefix%' style patterns */
        mc_buf_putc(&pattern, *c == '%' ? '*' : *c == '_' ? '?' : *c);
    line_list l = {.pattern = st->pattern ? pattern.data : NULL};
    mc_err err;
    int rc = rest_catalog_each(lake_catalog(x->l), segs, 3, "tableDetails", table_line, &l, &err);
    if (rc)
        catalog_failure(msg, &err);
    else
        sql_render_lines(out, (const char *const *)l.lines, l.n);
    line_list_free(&l);
    mc_buf_free(&pattern);
    free(schema);
    return rc;
}

static int create_schema(sql_exec *x, const sql_stmt *st, mc_buf *msg)
{
    char *name = lower_dup(st->name.parts[st->name.n - 1]);
    mc_err err;
    int rc = rest_create_database(lake_catalog(x->l), name, NULL, &err);
    if (rc && err.code == MC_ERR_REMOTE && err.http_status == 409 && st->if_not_exists)
        rc = 0;
    else if (rc)
        catalog_failure(msg, &err);
    free(name);
    return rc;
}

static int drop_schema(sql_exec *x, const sql_stmt *st, mc_buf *msg)
{
    char *name = lower_dup(st->name.parts[st->name.n - 1]);
    mc_err err;
    char **tables;
    size_t n;
    int rc = rest_list_tables(lake_catalog(x->l), name, &tables, &n, &err);
    if (rc == 0) {
        rest_names_free(tables, n);
        /* As the Java catalog does without cascade: refuse a non-empty schema. */
        if (n) {
            mc_buf_printf(msg, "Database %s is not empty.", name);
            free(name);
            return -1;
        }
        rc = rest_drop_database(lake_catalog(x->l), name, &err);
    }
    if (rc && err.code == MC_ERR_REMOTE && err.http_status == 404 && st->if_exists)
        rc = 0;
    else if (rc)
        catalog_failure(msg, &err);
    free(name);
    return rc;
}

/* ---- CREATE TABLE ... AS SELECT ----------------------------------------------------- */

/* The type of a column the query reads: by qualifier and name among its tables. */
static const paimon_type *column_type(const tr_ctx *c, const char *qual, const char *name)
{
    for (size_t i = 0; i < c->ntables; i++) {
        if (qual && strcasecmp(qual, c->aliases[i]) != 0)
            continue;
        const paimon_schema *s = lake_table_schema(c->tables[i]);
        for (size_t f = 0; f < s->nfields; f++)
            if (!strcasecmp(s->fields[f].name, name))
                return s->fields[f].type;
    }
    return NULL;
}

/* The alias of the one table read by the query that has column name; NULL
 * when none or several do. */
static const char *column_owner(const tr_ctx *c, const char *name)
{
    const char *owner = NULL;
    for (size_t i = 0; i < c->ntables; i++) {
        const paimon_schema *s = lake_table_schema(c->tables[i]);
        for (size_t f = 0; f < s->nfields; f++)
            if (!strcasecmp(s->fields[f].name, name)) {
                if (owner)
                    return NULL;
                owner = c->aliases[i];
            }
    }
    return owner;
}

static bool int_type(const paimon_type *t)
{
    return t && (t->id == PAIMON_TINYINT || t->id == PAIMON_SMALLINT || t->id == PAIMON_INT || t->id == PAIMON_BIGINT);
}

/* ARRAY<element> (element may be NULL: unknown, then the array is unknown too). */
static paimon_type *array_of(paimon_type *element)
{
    if (!element)
        return NULL;
    paimon_type *a = paimon_type_new(PAIMON_ARRAY, true);
    a->element = element;
    return a;
}

/* MaxCompute's result type of an expression, as far as its form tells
 * (§1 types; aggregates §6.4); NULL when only the values can tell. */
static paimon_type *expr_type(const tr_ctx *c, const sql_expr *e)
{
    sql_error ignored;
    switch (e->kind) {
    case SQL_EXPR_COLUMN: {
        const lateral_col *lc = lateral_find(c, e);
        if (lc)
            return lc->type ? paimon_type_copy(lc->type) : NULL;
        const paimon_type *st = NULL;
        int k = e->nparts >= 2 ? struct_path(c, e, &st) : 0;
        for (int i = k; k && st && i < e->nparts; i++) {
            const paimon_field *f = row_field(st, e->parts[i]);
            st = f ? f->type : NULL;
        }
        if (k)
            return st ? paimon_type_copy(st) : NULL;
        const paimon_type *t = column_type(c, e->nparts > 1 ? e->parts[0] : NULL, e->parts[e->nparts - 1]);
        return t ? paimon_type_copy(t) : NULL;
    }
    case SQL_EXPR_SUBSCRIPT:
    case SQL_EXPR_FIELD: {
        paimon_type *t = expr_type(c, e->left), *r = NULL;
        const paimon_field *f = e->kind == SQL_EXPR_FIELD ? row_field(t, e->parts[0]) : NULL;
        if (f)
            r = paimon_type_copy(f->type);
        else if (e->kind == SQL_EXPR_SUBSCRIPT && t && (t->id == PAIMON_ARRAY || t->id == PAIMON_MAP))
            r = paimon_type_copy(t->id == PAIMON_ARRAY ? t->element : t->value);
        paimon_type_free(t);
        if (r)
            r->nullable = true;
        return r;
    }
    case SQL_EXPR_CAST: return paimon_of(e->type, &ignored);
    case SQL_EXPR_LITERAL:
        switch (e->lit) {
        case SQL_LIT_STRING: return paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
        case SQL_LIT_BOOL: return paimon_type_new(PAIMON_BOOLEAN, true);
        case SQL_LIT_DATE: return paimon_type_new(PAIMON_DATE, true);
        case SQL_LIT_NUMBER:
            if (e->num == SQL_NUM_DECIMAL) {
                /* 3.5BD is DECIMAL(2,1): its digits and those after the point. */
                int digits = 0, scale = 0;
                bool frac = false, lead = true;
                for (size_t i = 0; i < e->text_len; i++) {
                    char ch = e->text[i];
                    if (ch == '.') {
                        frac = true;
                        continue;
                    }
                    if (ch < '0' || ch > '9')
                        return NULL;
                    scale += frac;
                    lead = lead && ch == '0' && !frac;
                    digits += !lead;
                }
                if (digits < scale)
                    digits = scale;
                return digits > 38 ? NULL : paimon_type_new_decimal(digits ? digits : 1, scale, true);
            }
            return e->num == SQL_NUM_DOUBLE || e->num == SQL_NUM_FLOAT ? paimon_type_new(PAIMON_DOUBLE, true)
                   : e->num == SQL_NUM_INT ? paimon_type_new(PAIMON_INT, true)
                                           : paimon_type_new(PAIMON_BIGINT, true);
        default: return NULL;
        }
    case SQL_EXPR_UNARY:
        return e->op == SQL_OP_NEG || e->op == SQL_OP_PLUS ? expr_type(c, e->left) : NULL;
    case SQL_EXPR_BINARY: {
        int p, sc;
        if (decimal_arith(c, e, &p, &sc) == DEC_YES)
            return paimon_type_new_decimal(p, sc, true);
    }
        if (e->op == SQL_OP_DIV)
            return paimon_type_new(PAIMON_DOUBLE, true);
        if (e->op == SQL_OP_CONCAT)
            return paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
        if (e->op == SQL_OP_ADD || e->op == SQL_OP_SUB || e->op == SQL_OP_MUL || e->op == SQL_OP_MOD ||
            e->op == SQL_OP_INTDIV) {
            paimon_type *l = expr_type(c, e->left), *r = expr_type(c, e->right);
            bool ints = int_type(l) && int_type(r);
            paimon_type_free(l);
            paimon_type_free(r);
            return paimon_type_new(ints || e->op == SQL_OP_INTDIV ? PAIMON_BIGINT : PAIMON_DOUBLE, true);
        }
        break;
    case SQL_EXPR_FUNC: {
        const char *n = e->parts[e->nparts - 1];
        if (!strcasecmp(n, "count"))
            return paimon_type_new(PAIMON_BIGINT, true);
        if (!strcasecmp(n, "avg"))
            return paimon_type_new(PAIMON_DOUBLE, true);
        if ((!strcasecmp(n, "min") || !strcasecmp(n, "max") || !strcasecmp(n, "sum")) && e->args.n == 1) {
            paimon_type *t = expr_type(c, e->args.items[0]);
            if (t && !strcasecmp(n, "sum") && int_type(t))
                t->id = PAIMON_BIGINT; /* SUM of integers is BIGINT */
            return t;
        }
        if (!strcasecmp(n, "to_json") && e->nparts == 1)
            return paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
        if (!strcasecmp(n, "from_json") && e->nparts == 1 && e->args.n == 2) {
            sql_error ignored = {0};
            return from_json_schema(e->args.items[1], &ignored);
        }
        if (!strcasecmp(n, "split"))
            return array_of(paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true));
        if ((!strcasecmp(n, "collect_list") || !strcasecmp(n, "collect_set")) && e->args.n >= 1)
            return array_of(expr_type(c, e->args.items[0]));
        if (e->nparts == 1 && (!strcasecmp(n, "array") || !strcasecmp(n, "map") || !strcasecmp(n, "named_struct") ||
                               !strcasecmp(n, "struct"))) {
            long bad;
            return constructor_type(c, e, &bad);
        }
        if ((!strcasecmp(n, "map_keys") || !strcasecmp(n, "map_values")) && e->args.n == 1) {
            paimon_type *m = expr_type(c, e->args.items[0]), *r = NULL;
            if (m && m->id == PAIMON_MAP)
                r = array_of(paimon_type_copy(tolower((unsigned char)n[4]) == 'k' ? m->key : m->value));
            if (r)
                r->element->nullable = true;
            paimon_type_free(m);
            return r;
        }
        if (!strcasecmp(n, "str_to_map")) {
            paimon_type *m = paimon_type_new(PAIMON_MAP, true);
            m->key = paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, false);
            m->value = paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
            return m;
        }
        if (!strcasecmp(n, "concat") && e->args.n) {
            paimon_type *t0 = expr_type(c, e->args.items[0]);
            if (t0 && t0->id == PAIMON_ARRAY)
                return t0;
            paimon_type_free(t0);
        }
        if (!strcasecmp(n, "sort_array") && e->args.n == 1)
            return expr_type(c, e->args.items[0]);
        if (!strcasecmp(n, "size"))
            return paimon_type_new(PAIMON_INT, true);
        if (!strcasecmp(n, "concat") || !strcasecmp(n, "upper") || !strcasecmp(n, "lower") ||
            !strcasecmp(n, "substr") || !strcasecmp(n, "trim"))
            return paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
        break;
    }
    default: break;
    }
    return is_bool_expr(e) ? paimon_type_new(PAIMON_BOOLEAN, true) : NULL;
}

/* Field ids of the ROWs inside a column's type, after the column's own id, as
 * Java's Schema.Builder.column assigns them (ReassignFieldId over a counter):
 * for each ROW field its type's ids first, then its own (the visitor builds
 * the field's type before RowType.Builder.field takes the next id). *next is
 * the highest id given so far. */
static void assign_field_ids(paimon_type *t, int32_t *next)
{
    switch (t->id) {
    case PAIMON_ARRAY: assign_field_ids(t->element, next); return;
    case PAIMON_MAP:
        assign_field_ids(t->key, next);
        assign_field_ids(t->value, next);
        return;
    case PAIMON_ROW:
        for (size_t i = 0; i < t->nfields; i++) {
            assign_field_ids(t->fields[i].type, next);
            t->fields[i].id = ++*next;
        }
        return;
    default: return;
    }
}

/* Columns and types of a CTAS's query. Partitioning is not copied (§3.2). */
static int ctas_fields(sql_exec *x, tr_ctx *c, const sql_query *q, json_t *fields, mc_buf *msg)
{
    mc_buf sql = MC_BUF_INIT;
    int rc = tr_query(c, &sql, q);
    sqlite3_stmt *st = NULL;
    if (rc) {
        failure_text(msg, c->e, c->cerr, c->catalog_failed);
    } else if (sqlite3_prepare_v2(x->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        sqlite_failure(x->db, q, msg);
        rc = -1;
    }
    const sql_select *sel = rc == 0 && q->kind == SQL_QUERY_SELECT ? q->select : NULL;
    bool star = false;
    for (size_t i = 0; sel && i < sel->items.n; i++)
        star |= ((const sql_select_item *)sel->items.items[i])->expr->kind == SQL_EXPR_STAR;
    bool peeked = false;
    int32_t highest = -1; /* ids in Java's order: assign_field_ids */
    int nc = rc == 0 ? sqlite3_column_count(st) : 0;
    for (int i = 0; i < nc && rc == 0; i++) {
        char *name = lower_dup(sqlite3_column_name(st, i));
        paimon_type *t = NULL;
        if (sel && !star && (size_t)i < sel->items.n)
            t = expr_type(c, ((const sql_select_item *)sel->items.items[i])->expr);
        else if (column_type(c, NULL, name))
            t = paimon_type_copy(column_type(c, NULL, name));
        if (!t) {
            /* Only the values can tell: the first row's storage class. */
            if (!peeked && sqlite3_step(st) != SQLITE_ROW)
                sqlite3_reset(st);
            peeked = true;
            int k = sqlite3_column_type(st, i);
            t = k == SQLITE_INTEGER ? paimon_type_new(PAIMON_BIGINT, true)
                : k == SQLITE_FLOAT ? paimon_type_new(PAIMON_DOUBLE, true)
                : k == SQLITE_BLOB  ? paimon_type_new_len(PAIMON_VARBINARY, PAIMON_MAX_LENGTH, true)
                                    : paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true);
        }
        t->nullable = true;
        int32_t id = ++highest;
        assign_field_ids(t, &highest);
        for (size_t j = 0; j < json_array_size(fields) && rc == 0; j++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(fields, j), "name")), name)) {
                sql_error e;
                sql_error_set(&e, SQL_ODPS_SEMANTIC, q->pos.line, q->pos.col, "column repeated in creation: %s",
                              name);
                sql_error_format(msg, &e);
                rc = -1;
            }
        json_t *f = json_object();
        json_object_set_new(f, "id", json_integer(id));
        json_object_set_new(f, "name", json_string(name));
        json_object_set_new(f, "type", paimon_type_to_json(t));
        json_array_append_new(fields, f);
        paimon_type_free(t);
        free(name);
    }
    sqlite3_finalize(st);
    mc_buf_free(&sql);
    return rc;
}

static int run_insert(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg);

/* Creates the table in the catalog. 0 created; 1 it existed and the statement
 * said IF NOT EXISTS (left untouched, §3.2); -1 failed, FAILED text in msg. */
static int catalog_create(sql_exec *x, const sql_stmt *st, const qname *q, json_t *schema, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    mc_err err;
    if (lake_table_create(x->l, q->schema, q->table, schema, &err) == 0)
        return 0;
    if (err.code == MC_ERR_REMOTE && err.http_status == 409) {
        if (st->if_not_exists)
            return 1;
        sql_error_set(&e, SQL_ODPS_TABLE_EXISTS, st->name.pos.line, st->name.pos.col,
                      "table or view %s is already defined", q->display);
        sql_error_format(msg, &e);
    } else if (err.code == MC_ERR_REMOTE && err.http_status == 404) {
        sql_error_set(&e, SQL_ODPS_SEMANTIC, st->name.pos.line, st->name.pos.col, "schema %s does not exist",
                      q->schema);
        sql_error_format(msg, &e);
    } else {
        catalog_failure(msg, &err);
    }
    return -1;
}

/* CREATE TABLE t LIKE src copies the columns with their comments and the
 * partitioning, not the data nor LIFECYCLE (§3.2 [TABLEOPS]); for a Paimon
 * table the primary key and the table options (bucket, merge engine, ...)
 * are part of that structure and are copied too. */
static int create_table_like(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    qname src, q;
    lake_table *t;
    if (open_for(x, env, &st->like, &src, &t, msg))
        return -1;
    sql_error e;
    sql_error_clear(&e);
    int rc = -1;
    if (resolve_name(env, &st->name, &q, &e) == 0) {
        const json_t *from = json_object_get(lake_table_meta(t), "schema");
        json_t *schema = json_object();
        static const char *const COPIED[] = {"fields", "partitionKeys", "primaryKeys", "options", "comment"};
        for (size_t i = 0; i < sizeof COPIED / sizeof *COPIED; i++) {
            json_t *v = json_object_get(from, COPIED[i]);
            if (v)
                json_object_set_new(schema, COPIED[i], json_deep_copy(v));
        }
        /* The source's location is its own. */
        json_object_del(json_object_get(schema, "options"), "path");
        rc = catalog_create(x, st, &q, schema, msg) < 0 ? -1 : 0;
        json_decref(schema);
        qname_free(&q);
    } else {
        sql_error_format(msg, &e);
    }
    lake_table_free(t);
    qname_free(&src);
    return rc;
}

static int create_table_as(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    qname q;
    if (resolve_name(env, &st->name, &q, &e)) {
        sql_error_format(msg, &e);
        return -1;
    }
    mc_err cerr;
    tr_ctx c = {.x = x, .env = env, .e = &e, .cerr = &cerr};
    json_t *fields = json_array();
    int rc = ctas_fields(x, &c, st->query, fields, msg);
    tr_cleanup(&c);
    if (rc == 0) {
        json_t *schema = json_object();
        json_object_set_new(schema, "fields", fields);
        json_object_set_new(schema, "partitionKeys", json_array());
        json_object_set_new(schema, "primaryKeys", json_array());
        json_t *opts = json_object();
        for (size_t i = 0; i < st->properties.n; i++) {
            const sql_property *p = st->properties.items[i];
            json_object_set_new(opts, p->key, json_string(p->value));
        }
        json_object_set_new(schema, "options", opts);
        if (st->comment)
            json_object_set_new(schema, "comment", json_string(st->comment));
        fields = NULL;
        rc = catalog_create(x, st, &q, schema, msg);
        json_decref(schema);
        if (rc == 1) {
            qname_free(&q);
            return 0; /* an existing table is left untouched (§3.2) */
        }
    }
    json_decref(fields);
    if (rc == 0) {
        /* The data, as an INSERT INTO of the query. */
        sql_insert ins;
        memset(&ins, 0, sizeof ins);
        ins.pos = st->pos;
        ins.table = st->name;
        ins.query = st->query;
        sql_stmt is = *st;
        is.kind = SQL_STMT_INSERT;
        is.insert = &ins;
        rc = run_insert(x, env, &is, msg);
    }
    qname_free(&q);
    return rc;
}

static int create_table(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    if (st->query)
        return create_table_as(x, env, st, msg);
    if (st->has_like)
        return create_table_like(x, env, st, msg);
    qname q;
    if (resolve_name(env, &st->name, &q, &e)) {
        sql_error_format(msg, &e);
        return -1;
    }
    json_t *fields = json_array(), *pkeys = json_array(), *prim = json_array(), *opts = json_object();
    int rc = 0;
    int32_t highest = -1;
    size_t total = st->columns.n + st->partition_cols.n;
    for (size_t i = 0; i < total && rc == 0; i++) {
        const sql_column_def *cd = i < st->columns.n ? st->columns.items[i]
                                                     : st->partition_cols.items[i - st->columns.n];
        char *name = lower_dup(cd->name);
        for (size_t j = 0; j < i && rc == 0; j++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(fields, j), "name")), name))
                rc = sql_error_set(&e, SQL_ODPS_SEMANTIC, cd->pos.line, cd->pos.col,
                                   "column repeated in creation: %s", name);
        paimon_type *pt = rc ? NULL : paimon_of(cd->type, &e);
        if (!pt) {
            rc = -1;
            free(name);
            break;
        }
        if (sql_nested_type(pt) && (i >= st->columns.n || cd->primary_key)) {
            /* Partition types are STRING, VARCHAR, CHAR and integers (§1.2); Paimon keys are atomic too. */
            mc_buf tn = MC_BUF_INIT;
            mc_type_upper(&tn, pt);
            rc = sql_error_set(&e, SQL_ODPS_SEMANTIC, cd->pos.line, cd->pos.col, "%s column %s cannot be of type %s",
                               cd->primary_key ? "primary key" : "partition", name, tn.data);
            mc_buf_free(&tn);
            paimon_type_free(pt);
            free(name);
            break;
        }
        pt->nullable = !(cd->not_null || cd->primary_key);
        int32_t id = ++highest;
        assign_field_ids(pt, &highest);
        json_t *f = json_object();
        json_object_set_new(f, "id", json_integer(id));
        json_object_set_new(f, "name", json_string(name));
        json_object_set_new(f, "type", paimon_type_to_json(pt));
        if (cd->comment)
            json_object_set_new(f, "description", json_string(cd->comment));
        json_array_append_new(fields, f);
        if (i >= st->columns.n)
            json_array_append_new(pkeys, json_string(name));
        if (cd->primary_key)
            json_array_append_new(prim, json_string(name));
        paimon_type_free(pt);
        free(name);
    }
    for (size_t i = 0; i < st->primary_key.n; i++) {
        char *k = lower_dup(st->primary_key.items[i]);
        json_array_append_new(prim, json_string(k));
        free(k);
    }
    /* TBLPROPERTIES pass through as Paimon options. */
    for (size_t i = 0; i < st->properties.n; i++) {
        const sql_property *p = st->properties.items[i];
        json_object_set_new(opts, p->key, json_string(p->value));
    }
    if (rc == 0) {
        json_t *schema = json_object();
        json_object_set_new(schema, "fields", fields);
        json_object_set_new(schema, "partitionKeys", pkeys);
        json_object_set_new(schema, "primaryKeys", prim);
        json_object_set_new(schema, "options", opts);
        if (st->comment)
            json_object_set_new(schema, "comment", json_string(st->comment));
        fields = pkeys = prim = opts = NULL;
        rc = catalog_create(x, st, &q, schema, msg) < 0 ? -1 : 0;
        json_decref(schema);
    } else {
        sql_error_format(msg, &e);
    }
    json_decref(fields);
    json_decref(pkeys);
    json_decref(prim);
    json_decref(opts);
    qname_free(&q);
    return rc;
}

static int drop_table(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    qname q;
    if (resolve_name(env, &st->name, &q, &e)) {
        sql_error_format(msg, &e);
        return -1;
    }
    mc_err err;
    int rc = rest_drop_table(lake_catalog(x->l), q.schema, q.table, &err);
    if (rc && err.code == MC_ERR_REMOTE && err.http_status == 404) {
        if (st->if_exists)
            rc = 0;
        else {
            sql_error_set(&e, SQL_ODPS_TABLE_NOT_FOUND, st->name.pos.line, st->name.pos.col,
                          "table %s cannot be resolved", q.display);
            sql_error_format(msg, &e);
        }
    } else if (rc) {
        catalog_failure(msg, &err);
    }
    qname_free(&q);
    return rc;
}

/* DESC layout (§4.4). */
static void desc_line(mc_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void desc_line(mc_buf *out, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    mc_buf_puts(out, line);
    mc_buf_putc(out, '\n');
}

static void time_text(char *out, size_t cap, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm);
}

/* "[a, b]" as Java's Arrays.toString prints a list. */
static void java_list(mc_buf *out, char *const *items, const int *idx, size_t n)
{
    mc_buf_putc(out, '[');
    for (size_t i = 0; i < n; i++)
        mc_buf_printf(out, "%s%s", i ? ", " : "", items[idx ? idx[i] : (int)i]);
    mc_buf_putc(out, ']');
}

/* The `Extended Info` block of DESC EXTENDED (DescribeTableCommand.
 * getExtendedScreenDisplay). The table shows as `ExternalTable: YES`, so
 * TableID and Location take the external branch's `%-20s: %-60s` rows; the
 * storage figures, which that branch gets from the server's reserved JSON,
 * use the reserved rows (`key:` padded to 25, then %-56s), and a primary
 * key prints as an ACID table's (appendAcidInfo), bucketing otherwise as
 * appendClusterInfo. Mapping documented in docs/sql-grammar.md. */
static int desc_extended_info(mc_buf *out, lake_table *t, const char *frame, mc_buf *msg)
{
    const json_t *meta = lake_table_meta(t);
    const paimon_schema *s = lake_table_schema(t);
    int64_t files, bytes;
    mc_err err = {0};
    if (lake_table_storage(t, &files, &bytes, &err)) {
        catalog_failure(msg, &err);
        return -1;
    }
    desc_line(out, "| %-82s |", "Extended Info:");
    desc_line(out, "%s", frame);
    const char *id = json_string_value(json_object_get(meta, "id"));
    const char *path = json_string_value(json_object_get(meta, "path"));
    if (id && *id)
        desc_line(out, "| %-20s: %-60s |", "TableID", id);
    if (path && *path)
        desc_line(out, "| %-20s: %-60s |", "Location", path);
    desc_line(out, "| PhysicalSize:             %-56lld |", (long long)bytes);
    desc_line(out, "| FileNum:                  %-56lld |", (long long)files);
    int32_t buckets = paimon_schema_bucket(s);
    mc_buf v = MC_BUF_INIT;
    if (s->nprimary_keys) {
        java_list(&v, s->primary_keys, NULL, s->nprimary_keys);
        desc_line(out, "| Primarykey:               %-56s |", v.data);
        if (buckets != -1)
            desc_line(out, "| write.bucket.num:         %-56d |", buckets);
    } else if (buckets > 0) {
        int *idx = mc_calloc(s->nfields, sizeof *idx);
        char **names = mc_calloc(s->nfields, sizeof *names);
        for (size_t i = 0; i < s->nfields; i++)
            names[i] = s->fields[i].name;
        int n = paimon_schema_bucket_key(idx, s, &err);
        desc_line(out, "| ClusterType:              %-56s |", "hash");
        desc_line(out, "| BucketNum:                %-56d |", buckets);
        if (n > 0) {
            java_list(&v, names, idx, (size_t)n);
            desc_line(out, "| ClusterColumns:           %-56s |", v.data);
        }
        free(idx);
        free(names);
    }
    mc_buf_free(&v);
    desc_line(out, "%s", frame);
    return 0;
}

/* DESC t PARTITION (spec): the partition's box, as odpscmd prints it
 * (DescribeTableCommand.getScreenDisplay, partition branch, aliyun-odps-console):
 * PartitionSize (the catalog's fileSizeInBytes), then CreateTime, LastDDLTime
 * and LastModifiedTime (createdAt, and updatedAt for both, as DESC of the
 * table uses updatedAt). A spec naming no existing partition is
 * ODPS-0130071 "Partition not found" (§5.2). */
static int desc_partition(sql_exec *x, const sql_stmt *st, const qname *q, lake_table *t, mc_buf *out, mc_buf *msg)
{
    const paimon_schema *s = lake_table_schema(t);
    const sql_part_spec *ps = st->partition;
    sql_error e;
    sql_error_clear(&e);
    if (!s->npartition_keys) {
        sql_error_set(&e, SQL_ODPS_SEMANTIC, ps->pos.line, ps->pos.col, "table %s is not partitioned", q->display);
        sql_error_format(msg, &e);
        return -1;
    }
    const char **values;
    if (spec_values(&values, s, ps, &e)) {
        sql_error_format(msg, &e);
        return -1;
    }
    json_t *parts;
    mc_err err;
    if (table_partitions(x, q, &parts, &err)) {
        free(values);
        catalog_failure(msg, &err);
        return -1;
    }
    json_t *p = partition_find(parts, s, values);
    if (!p) {
        mc_buf spec = MC_BUF_INIT;
        for (size_t k = 0; k < s->npartition_keys; k++)
            mc_buf_printf(&spec, "%s%s='%s'", k ? "," : "", s->partition_keys[k], values[k]);
        sql_error_set(&e, SQL_ODPS_SEMANTIC, ps->pos.line, ps->pos.col,
                      "Partition not found - partition (%s) of table %s", spec.data, q->display);
        sql_error_format(msg, &e);
        mc_buf_free(&spec);
    } else {
        const char *frame = "+------------------------------------------------------------------------------------+";
        char created[32], updated[32];
        time_text(created, sizeof created, json_integer_value(json_object_get(p, "createdAt")));
        time_text(updated, sizeof updated, json_integer_value(json_object_get(p, "updatedAt")));
        desc_line(out, "%s", frame);
        desc_line(out, "| PartitionSize: %-67lld |", (long long)json_integer_value(json_object_get(p, "fileSizeInBytes")));
        desc_line(out, "%s", frame);
        desc_line(out, "| CreateTime:               %-56s |", created);
        desc_line(out, "| LastDDLTime:              %-56s |", updated);
        desc_line(out, "| LastModifiedTime:         %-56s |", updated);
        desc_line(out, "%s", frame);
        mc_buf_putc(out, '\n');
    }
    int rc = p ? 0 : -1;
    free(values);
    json_decref(parts);
    return rc;
}

static int desc_table(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *out, mc_buf *msg)
{
    qname q;
    lake_table *t;
    if (open_for(x, env, &st->name, &q, &t, msg))
        return -1;
    if (st->partition) {
        int rc = desc_partition(x, st, &q, t, out, msg);
        lake_table_free(t);
        qname_free(&q);
        return rc;
    }
    const json_t *meta = lake_table_meta(t);
    const paimon_schema *s = lake_table_schema(t);
    const char *frame = "+------------------------------------------------------------------------------------+";
    char created[32], updated[32];
    time_text(created, sizeof created, json_integer_value(json_object_get(meta, "createdAt")));
    time_text(updated, sizeof updated, json_integer_value(json_object_get(meta, "updatedAt")));
    desc_line(out, "%s", frame);
    desc_line(out, "| Owner:                    %-56s |", json_string_value(json_object_get(meta, "owner")));
    desc_line(out, "| Project:                  %-56s |", env->project ? env->project : "");
    desc_line(out, "| Schema:                   %-56s |", q.schema);
    desc_line(out, "| TableComment: %-68s |", s->comment ? s->comment : "");
    desc_line(out, "%s", frame);
    desc_line(out, "| CreateTime:               %-56s |", created);
    desc_line(out, "| LastDDLTime:              %-56s |", updated);
    desc_line(out, "| LastModifiedTime:         %-56s |", updated);
    desc_line(out, "%s", frame);
    desc_line(out, "| %-82s |", "ExternalTable: YES");
    desc_line(out, "%s", frame);
    desc_line(out, "| %-82s |", "Native Columns:");
    desc_line(out, "%s", frame);
    /* DESC EXTENDED columns: Field, Type, Label, ExtendedLabel, Nullable,
     * DefaultValue (NULL: Paimon has no column defaults we model), Comment
     * (DescribeTableCommand.getBasicScreenDisplay). */
    if (st->extended)
        desc_line(out, "| %-8s | %-6s | %-5s | %-13s | %-8s | %-12s | %-12s |", "Field", "Type", "Label",
                  "ExtendedLabel", "Nullable", "DefaultValue", "Comment");
    else
        desc_line(out, "| %-15s | %-10s | %-5s | %-43s |", "Field", "Type", "Label", "Comment");
    desc_line(out, "%s", frame);
    mc_buf ty = MC_BUF_INIT;
    for (size_t i = 0; i < s->nfields; i++) {
        bool part = false;
        for (size_t k = 0; k < s->npartition_keys; k++)
            part |= !strcmp(s->partition_keys[k], s->fields[i].name);
        if (part)
            continue;
        mc_buf_reset(&ty);
        mc_type_name(&ty, s->fields[i].type);
        const char *comment = s->fields[i].description ? s->fields[i].description : "";
        if (st->extended)
            desc_line(out, "| %-8s | %-6s | %-5s | %-13s | %-8s | %-12s | %-12s |", s->fields[i].name, ty.data, "",
                      "", s->fields[i].type->nullable ? "true" : "false", "NULL", comment);
        else
            desc_line(out, "| %-15s | %-10s | %-5s | %-43s |", s->fields[i].name, ty.data, "", comment);
    }
    desc_line(out, "%s", frame);
    if (s->npartition_keys) {
        desc_line(out, "| %-82s |", "Partition Columns:");
        desc_line(out, "%s", frame);
        for (size_t k = 0; k < s->npartition_keys; k++) {
            int idx = paimon_schema_field_index(s, s->partition_keys[k]);
            mc_buf_reset(&ty);
            mc_type_name(&ty, s->fields[idx].type);
            desc_line(out, "| %-15s | %-10s | %-51s |", s->fields[idx].name, ty.data,
                      s->fields[idx].description ? s->fields[idx].description : "");
        }
        desc_line(out, "%s", frame);
    }
    mc_buf_free(&ty);
    int rc = st->extended ? desc_extended_info(out, t, frame, msg) : 0;
    if (!rc)
        mc_buf_putc(out, '\n');
    lake_table_free(t);
    qname_free(&q);
    return rc;
}

/* ---- INSERT --------------------------------------------------------------------- */

/* Whether a value of type from goes into a column of type to without CAST
 * when either is nested (§1.3: element types must convert implicitly; a
 * STRUCT needs the same field count, names do not matter). Leaves: same
 * kind, integers widening, integers to DOUBLE/DECIMAL, numbers to STRING. */
static bool nested_castable(const paimon_type *from, const paimon_type *to, bool explicit_)
{
    if (sql_nested_type(from) || sql_nested_type(to)) {
        if (from->id != to->id)
            return false;
        if (from->id == PAIMON_ARRAY)
            return nested_castable(from->element, to->element, explicit_);
        if (from->id == PAIMON_MAP)
            return nested_castable(from->key, to->key, explicit_) && nested_castable(from->value, to->value, explicit_);
        if (from->nfields != to->nfields)
            return false;
        for (size_t i = 0; i < from->nfields; i++)
            if (!nested_castable(from->fields[i].type, to->fields[i].type, explicit_))
                return false;
        return true;
    }
    if (from->id == to->id || (int_rank(from) && int_rank(to) && int_rank(from) <= int_rank(to)))
        return true;
    bool num = int_rank(from) || from->id == PAIMON_FLOAT || from->id == PAIMON_DOUBLE || from->id == PAIMON_DECIMAL;
    if (explicit_) {
        /* §1.4: numbers convert among themselves and with STRING; DATE and
         * TIMESTAMP only with STRING; BOOLEAN only to itself. */
        bool to_num = int_rank(to) || to->id == PAIMON_FLOAT || to->id == PAIMON_DOUBLE || to->id == PAIMON_DECIMAL;
        bool from_str = from->id == PAIMON_VARCHAR || from->id == PAIMON_CHAR;
        bool to_str = to->id == PAIMON_VARCHAR || to->id == PAIMON_CHAR;
        bool from_time = from->id == PAIMON_DATE || from->id == PAIMON_TIMESTAMP || from->id == PAIMON_TIMESTAMP_LTZ;
        bool to_time = to->id == PAIMON_DATE || to->id == PAIMON_TIMESTAMP || to->id == PAIMON_TIMESTAMP_LTZ;
        return (num && (to_num || to_str)) || (from_str && (to_num || to_str || to_time)) || (from_time && to_str);
    }
    if (to->id == PAIMON_VARCHAR || to->id == PAIMON_CHAR)
        return num || from->id == PAIMON_VARCHAR || from->id == PAIMON_CHAR;
    if (to->id == PAIMON_DOUBLE || to->id == PAIMON_FLOAT)
        return int_rank(from) || from->id == PAIMON_FLOAT;
    return to->id == PAIMON_DECIMAL && int_rank(from);
}

/* SQLite value -> datum of the column's type; text and blobs are copied into keep. */
static int to_datum(paimon_datum *d, const paimon_type *t, sqlite3_stmt *st, int i, const char *col, mc_buf *keep,
                    mc_buf *msg)
{
    memset(d, 0, sizeof *d);
    int type = sqlite3_column_type(st, i);
    if (type == SQLITE_NULL) {
        if (!t->nullable) {
            mc_buf_printf(msg, "%s:Semantic analysis exception - column %s is NOT NULL and cannot take NULL",
                          SQL_ODPS_SEMANTIC, col);
            return -1;
        }
        *d = paimon_datum_null();
        return 0;
    }
    const char *text = (const char *)sqlite3_column_text(st, i);
    switch (t->id) {
    case PAIMON_BOOLEAN:
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT: {
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            mc_buf_printf(msg, "%s:Semantic analysis exception - column %s has incompatible type STRING with "
                               "destination column %s",
                          SQL_ODPS_SEMANTIC, col, col);
            return -1;
        }
        if (type == SQLITE_FLOAT) {
            mc_buf_printf(msg, "%s:Semantic analysis exception - column %s has incompatible type DOUBLE with "
                               "destination column %s, which is an integer type",
                          SQL_ODPS_SEMANTIC, col, col);
            return -1;
        }
        int64_t v = sqlite3_column_int64(st, i);
        int64_t lo = t->id == PAIMON_TINYINT ? -128 : t->id == PAIMON_SMALLINT ? -32768
                     : t->id == PAIMON_INT ? INT32_MIN : t->id == PAIMON_BOOLEAN ? 0 : INT64_MIN;
        int64_t hi = t->id == PAIMON_TINYINT ? 127 : t->id == PAIMON_SMALLINT ? 32767
                     : t->id == PAIMON_INT ? INT32_MAX : t->id == PAIMON_BOOLEAN ? 1 : INT64_MAX;
        if (v < lo || v > hi) {
            mc_buf_printf(msg, "%s:Data overflow - value %lld does not fit column %s", SQL_ODPS_DATA_OVERFLOW,
                          (long long)v, col);
            return -1;
        }
        d->i = v;
        return 0;
    }
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            mc_buf_printf(msg, "%s:Semantic analysis exception - column %s has incompatible type STRING with "
                               "destination column %s, which has type DOUBLE",
                          SQL_ODPS_SEMANTIC, col, col);
            return -1;
        }
        d->d = sqlite3_column_double(st, i);
        return 0;
    case PAIMON_DECIMAL: {
        mc_err err;
        if (paimon_decimal_parse(&d->dec, text, t->scale, &err)) {
            mc_buf_printf(msg, "%s:Illegal type cast - value '%s' cannot be casted to DECIMAL(%d,%d) for column %s",
                          SQL_ODPS_ILLEGAL_CAST, text, t->precision, t->scale, col);
            return -1;
        }
        return 0;
    }
    case PAIMON_CHAR:
    case PAIMON_VARCHAR: {
        size_t n = (size_t)sqlite3_column_bytes(st, i);
        if (type != SQLITE_TEXT && type != SQLITE_BLOB) {
            mc_buf_printf(msg, "%s:Semantic analysis exception - column %s has incompatible type %s with "
                               "destination column %s, which has type STRING",
                          SQL_ODPS_SEMANTIC, col, type == SQLITE_INTEGER ? "BIGINT" : "DOUBLE", col);
            return -1;
        }
        if (t->length != PAIMON_MAX_LENGTH && n > (size_t)t->length) {
            mc_buf_printf(msg, "%s:Data overflow - value of %zu bytes is longer than %s(%d) column %s",
                          SQL_ODPS_DATA_OVERFLOW, n, t->id == PAIMON_CHAR ? "CHAR" : "VARCHAR", t->length, col);
            return -1;
        }
        size_t at = keep->len;
        mc_buf_append(keep, text, n);
        d->ptr = (const uint8_t *)(uintptr_t)at; /* rebased once keep stops growing */
        d->len = n;
        return 1;
    }
    case PAIMON_BINARY:
    case PAIMON_VARBINARY: {
        size_t n = (size_t)sqlite3_column_bytes(st, i);
        size_t at = keep->len;
        mc_buf_append(keep, sqlite3_column_blob(st, i), n);
        d->ptr = (const uint8_t *)(uintptr_t)at;
        d->len = n;
        return 1;
    }
    case PAIMON_DATE:
        if (!text || sql_date_parse(text, &d->i)) {
            mc_buf_printf(msg, "%s:Illegal type cast - value '%s' cannot be casted to DATE for column %s",
                          SQL_ODPS_ILLEGAL_CAST, text ? text : "", col);
            return -1;
        }
        return 0;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: {
        int32_t nanos;
        if (!text || sql_timestamp_parse(text, &d->i, &nanos)) {
            mc_buf_printf(msg, "%s:Illegal type cast - value '%s' cannot be casted to TIMESTAMP for column %s",
                          SQL_ODPS_ILLEGAL_CAST, text ? text : "", col);
            return -1;
        }
        d->nanos = nanos;
        return 0;
    }
    case PAIMON_ARRAY:
    case PAIMON_MAP:
    case PAIMON_ROW: {
        /* The executor's JSON text back to BinaryArray / BinaryMap / BinaryRow bytes (sql/nested). */
        mc_err err;
        size_t at = keep->len;
        if (type != SQLITE_TEXT ||
            sql_nested_from_json(keep, t, text, (size_t)sqlite3_column_bytes(st, i), &err)) {
            keep->len = at;
            if (type != SQLITE_TEXT)
                mc_buf_printf(msg, "%s:Illegal type cast - a scalar value cannot be written to column %s",
                              SQL_ODPS_ILLEGAL_CAST, col);
            else
                mc_buf_printf(msg, "%s (column %s)", err.msg, col);
            return -1;
        }
        d->ptr = (const uint8_t *)(uintptr_t)at;
        d->len = keep->len - at;
        return 1;
    }
    default: {
        mc_buf n = MC_BUF_INIT;
        paimon_type_to_sql(&n, t);
        mc_buf_printf(msg, "writing %s columns is not supported by mcdlf yet (column %s)", n.data, col);
        mc_buf_free(&n);
        return -1;
    }
    }
}

/* Progress of one INSERT, reported through env->progress. */
typedef struct {
    const sql_exec_env *env;
    int64_t rows, files;
} insert_progress;

enum { PROGRESS_ROWS = 4096 };

/* A data file uploaded (manifests and index files are not counted). */
static void insert_uploaded(void *ud, const char *path)
{
    insert_progress *p = ud;
    if (!strncmp(path, "manifest/", 9) || !strncmp(path, "index/", 6))
        return;
    p->files++;
    p->env->progress(p->env->progress_ud, p->rows, p->files);
}

static int run_insert(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    const sql_insert *ins = st->insert;
    sql_error e;
    sql_error_clear(&e);
    qname q;
    lake_table *t;
    mc_err err;
    if (open_for(x, env, &ins->table, &q, &t, msg))
        return -1;
    const paimon_schema *s = lake_table_schema(t);
    /* Limits of Paimon_DLF external projects (§2 limits). */
    int32_t bucket = paimon_schema_bucket(s);
    int rc = 0;
    if (s->nprimary_keys && bucket == -1) {
        mc_buf_printf(msg, "writing to Dynamic Bucket table %s is not supported: MaxCompute does not write Paimon "
                           "Dynamic Bucket tables",
                      q.display);
        rc = -1;
    }
    /* Target columns: the listed (or all) data columns, then dynamic partition columns;
     * static partition values come from the PARTITION clause. */
    size_t nf = s->nfields;
    int *target = mc_calloc(nf + 1, sizeof *target); /* query column -> field index */
    const char **statics = mc_calloc(nf + 1, sizeof *statics);
    size_t nt = 0;
    for (size_t i = 0; rc == 0 && ins->partition && i < ins->partition->items.n; i++) {
        const sql_part_item *pi = ins->partition->items.items[i];
        char *k = lower_dup(pi->key ? pi->key : "");
        int idx = paimon_schema_field_index(s, k);
        bool is_part = false;
        for (size_t j = 0; j < s->npartition_keys; j++)
            is_part |= !strcmp(s->partition_keys[j], k);
        if (idx < 0 || !is_part) {
            sql_error_set(&e, SQL_ODPS_SEMANTIC, pi->pos.line, pi->pos.col, "partition column %s does not exist", k);
            sql_error_format(msg, &e);
            rc = -1;
        } else if (pi->value) {
            if (pi->value->kind != SQL_EXPR_LITERAL || pi->value->lit == SQL_LIT_NULL) {
                sql_error_set(&e, SQL_ODPS_SEMANTIC, pi->pos.line, pi->pos.col,
                              "partition value of %s must be a constant", k);
                sql_error_format(msg, &e);
                rc = -1;
            } else {
                statics[idx] = pi->value->text;
            }
        }
        free(k);
    }
    if (rc == 0 && ins->columns.n) {
        for (size_t i = 0; i < ins->columns.n && rc == 0; i++) {
            char *k = lower_dup(ins->columns.items[i]);
            int idx = paimon_schema_field_index(s, k);
            if (idx < 0) {
                sql_error_set(&e, SQL_ODPS_SEMANTIC, ins->pos.line, ins->pos.col, "column %s cannot be resolved", k);
                sql_error_format(msg, &e);
                rc = -1;
            } else {
                target[nt++] = idx;
            }
            free(k);
        }
    } else if (rc == 0) {
        for (size_t i = 0; i < nf; i++) {
            bool part = false;
            for (size_t j = 0; j < s->npartition_keys; j++)
                part |= !strcmp(s->partition_keys[j], s->fields[i].name);
            if (!part)
                target[nt++] = (int)i;
        }
        for (size_t j = 0; j < s->npartition_keys; j++) {
            int idx = paimon_schema_field_index(s, s->partition_keys[j]);
            if (!statics[idx])
                target[nt++] = idx;
        }
    }
    /* The source: VALUES rows or the query, evaluated by SQLite. */
    mc_err cerr;
    tr_ctx c = {.x = x, .env = env, .e = &e, .cerr = &cerr};
    mc_buf sql = MC_BUF_INIT;
    if (rc == 0 && ins->values.n) {
        mc_buf_puts(&sql, "VALUES ");
        for (size_t r = 0; r < ins->values.n && rc == 0; r++) {
            const sql_list *row = ins->values.items[r];
            if (row->n != nt) {
                sql_error_set(&e, SQL_ODPS_SEMANTIC, ins->pos.line, ins->pos.col,
                              "wrong columns count %zu in data source, requires %zu columns (includes dynamic "
                              "partitions if any)",
                              row->n, nt);
                rc = -1;
                break;
            }
            mc_buf_puts(&sql, r ? ", (" : "(");
            rc = tr_list(&c, &sql, row);
            mc_buf_putc(&sql, ')');
        }
    } else if (rc == 0) {
        rc = tr_query(&c, &sql, ins->query);
    }
    sqlite3_stmt *stmt = NULL;
    if (rc == 0 && sqlite3_prepare_v2(x->db, sql.data, -1, &stmt, NULL) != SQLITE_OK) {
        sqlite_failure(x->db, ins->query, msg);
        rc = -2;
    }
    if (rc == 0 && (size_t)sqlite3_column_count(stmt) != nt) {
        sql_error_set(&e, SQL_ODPS_SEMANTIC, ins->pos.line, ins->pos.col,
                      "wrong columns count %d in data source, requires %zu columns (includes dynamic partitions if "
                      "any)",
                      sqlite3_column_count(stmt), nt);
        rc = -1;
    }
    /* A complex value (ARRAY: JSON text here) goes only into a column of its kind. */
    const sql_list *items = rc == 0 && !ins->values.n && ins->query->kind == SQL_QUERY_SELECT
                                ? &ins->query->select->items
                            : rc == 0 && ins->values.n ? ins->values.items[0]
                                                       : NULL;
    for (size_t k = 0; items && k < items->n && k < nt && rc == 0; k++) {
        const sql_expr *ex = ins->values.n ? items->items[k] : ((const sql_select_item *)items->items[k])->expr;
        if (ex->kind == SQL_EXPR_STAR)
            break;
        paimon_type *t = expr_type(&c, ex);
        const paimon_type *ft = s->fields[target[k]].type;
        if (t && (sql_nested_type(t) || sql_nested_type(ft)) && !nested_castable(t, ft, false)) {
            mc_buf a = MC_BUF_INIT, b = MC_BUF_INIT;
            mc_type_upper(&a, t);
            mc_type_upper(&b, ft);
            sql_error_set(&e, SQL_ODPS_SEMANTIC, ex->pos.line, ex->pos.col,
                          "cannot insert a value of type %s into column %s of type %s", a.data,
                          s->fields[target[k]].name, b.data);
            mc_buf_free(&a);
            mc_buf_free(&b);
            rc = -1;
        }
        paimon_type_free(t);
    }
    if (rc == -1 && msg->len == 0)
        failure_text(msg, &e, &cerr, c.catalog_failed);
    /* Rows: datums in field order; string bytes kept in `keep` (offsets until rebased). */
    paimon_datum *cells = NULL;
    size_t nrows = 0;
    mc_buf keep = MC_BUF_INIT;
    bool *is_ref = NULL;
    size_t nref = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        cells = mc_realloc(cells, (nrows + 1) * nf * sizeof *cells);
        is_ref = mc_realloc(is_ref, (nrows + 1) * nf * sizeof *is_ref);
        paimon_datum *row = cells + nrows * nf;
        for (size_t f = 0; f < nf; f++) {
            row[f] = paimon_datum_null();
            is_ref[nrows * nf + f] = false;
        }
        for (size_t k = 0; k < nt && rc == 0; k++) {
            int f = target[k];
            int r = to_datum(&row[f], s->fields[f].type, stmt, (int)k, s->fields[f].name, &keep, msg);
            if (r < 0)
                rc = -1;
            else if (r == 1) {
                is_ref[nrows * nf + (size_t)f] = true;
                nref++;
            }
        }
        /* Static partition values parse from their text. */
        for (size_t f = 0; f < nf && rc == 0; f++) {
            if (!statics[f])
                continue;
            const paimon_type *ft = s->fields[f].type;
            if (ft->id == PAIMON_VARCHAR || ft->id == PAIMON_CHAR) {
                size_t at = keep.len;
                mc_buf_puts(&keep, statics[f]);
                row[f] = paimon_datum_bytes((const void *)(uintptr_t)at, strlen(statics[f]));
                is_ref[nrows * nf + f] = true;
            } else {
                mc_err perr;
                if (paimon_partition_value_parse(&row[f], ft, statics[f], NULL, &perr)) {
                    mc_buf_printf(msg, "%s:Partition exception - invalid partition value: %s=%s",
                                  SQL_ODPS_PARTITION_EXC, s->fields[f].name, statics[f]);
                    rc = -1;
                }
            }
        }
        nrows++;
        if (env->progress && nrows % PROGRESS_ROWS == 0)
            env->progress(env->progress_ud, (int64_t)nrows, 0);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        sqlite_failure(x->db, ins->query, msg);
        rc = -1;
    }
    sqlite3_finalize(stmt);
    tr_cleanup(&c);
    if (rc == 0) {
        /* Rebase string offsets now that keep no longer moves. */
        const paimon_datum **rows = mc_calloc(nrows + 1, sizeof *rows);
        for (size_t r = 0; r < nrows; r++) {
            for (size_t f = 0; f < nf; f++)
                if (is_ref[r * nf + f])
                    cells[r * nf + f].ptr = (const uint8_t *)keep.data + (uintptr_t)cells[r * nf + f].ptr;
            rows[r] = cells + r * nf;
        }
        insert_progress prog = {env, (int64_t)nrows, 0};
        if (env->progress) {
            env->progress(env->progress_ud, prog.rows, 0);
            lake_table_on_upload(t, insert_uploaded, &prog);
        }
        if (nrows && lake_write(t, (const paimon_datum *const *)rows, nrows, ins->overwrite, &err)) {
            catalog_failure(msg, &err);
            rc = -1;
        } else if (!nrows && ins->overwrite && lake_write(t, NULL, 0, true, &err)) {
            catalog_failure(msg, &err);
            rc = -1;
        }
        free(rows);
    }
    (void)nref;
    free(cells);
    free(is_ref);
    mc_buf_free(&keep);
    mc_buf_free(&sql);
    free(target);
    free(statics);
    lake_table_free(t);
    qname_free(&q);
    return rc ? -1 : 0;
}

/* `k=v/k2=v2` in the table's partition-key order. */
static int partition_line(void *ud, json_t *p, mc_err *err)
{
    (void)err;
    line_list *l = ud;
    mc_buf line = MC_BUF_INIT;
    for (size_t j = 0; j < l->schema->npartition_keys; j++) {
        const char *k = l->schema->partition_keys[j];
        const char *v = json_string_value(json_object_get(json_object_get(p, "spec"), k));
        mc_buf_printf(&line, "%s%s=%s", j ? "/" : "", k, v ? v : "");
    }
    add_line(l, mc_buf_detach(&line, NULL));
    return 0;
}

/* SHOW PARTITIONS t: one `k=v/k2=v2` line per partition (§3.3, §4.3), from the
 * catalog's partition list (statistics kept from commits). */
static int show_partitions(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *out, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    qname q;
    lake_table *t;
    mc_err err;
    if (open_for(x, env, &st->name, &q, &t, msg))
        return -1;
    int rc = 0;
    if (lake_table_schema(t)->npartition_keys == 0) {
        sql_error_set(&e, SQL_ODPS_SEMANTIC, st->name.pos.line, st->name.pos.col, "table %s is not partitioned",
                      q.display);
        sql_error_format(msg, &e);
        rc = -1;
    }
    if (st->partition && rc == 0) {
        mc_buf_puts(msg, "SHOW PARTITIONS with a partition filter is not supported by mcdlf yet");
        rc = -1;
    }
    const char *segs[] = {"databases", q.schema, "tables", q.table, "partitions"};
    line_list l = {.schema = lake_table_schema(t)};
    if (rc == 0 && (rc = rest_catalog_each(lake_catalog(x->l), segs, 5, "partitions", partition_line, &l, &err)) != 0)
        catalog_failure(msg, &err);
    if (rc == 0)
        sql_render_lines(out, (const char *const *)l.lines, l.n);
    line_list_free(&l);
    lake_table_free(t);
    qname_free(&q);
    return rc;
}

/* TRUNCATE TABLE t: an OVERWRITE commit with no rows (§3.2: not for partitioned tables). */
static int truncate_table(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    qname q;
    lake_table *t;
    mc_err err;
    if (open_for(x, env, &st->name, &q, &t, msg))
        return -1;
    int rc = 0;
    if (st->partition || lake_table_schema(t)->npartition_keys) {
        sql_error_set(&e, SQL_ODPS_SEMANTIC, st->name.pos.line, st->name.pos.col,
                      "TRUNCATE TABLE is for non-partitioned tables; use INSERT OVERWRITE ... PARTITION for %s",
                      q.display);
        sql_error_format(msg, &e);
        rc = -1;
    } else if (lake_write(t, NULL, 0, true, &err)) {
        catalog_failure(msg, &err);
        rc = -1;
    }
    lake_table_free(t);
    qname_free(&q);
    return rc;
}

/* ALTER TABLE t [PARTITION (spec)] COMPACT MAJOR|MINOR: a full compaction
 * of the primary-key table's buckets (of the partition), lake_compact. The
 * spec names every partition column with a constant. */
static int compact_table(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    sql_error e;
    sql_error_clear(&e);
    qname q;
    lake_table *t;
    if (open_for(x, env, &st->name, &q, &t, msg))
        return -1;
    const paimon_schema *s = lake_table_schema(t);
    const sql_part_spec *ps = st->partitions.n ? st->partitions.items[0] : NULL;
    const char **values = NULL;
    int rc = 0;
    if (!s->nprimary_keys)
        rc = sql_error_set(&e, SQL_ODPS_SEMANTIC, st->name.pos.line, st->name.pos.col,
                           "COMPACT is for primary-key (Delta) tables; %s is an append table", q.display);
    if (rc == 0 && ps)
        rc = spec_values(&values, s, ps, &e);
    mc_err err;
    if (rc)
        sql_error_format(msg, &e);
    else if (lake_compact(t, values, st->compact_major, &err)) {
        catalog_failure(msg, &err);
        rc = -1;
    }
    free(values);
    lake_table_free(t);
    qname_free(&q);
    return rc;
}

/* SHOW CREATE TABLE t: the DDL that recreates the table in this project. */
static int show_create_table(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *out, mc_buf *msg)
{
    qname q;
    lake_table *t;
    if (open_for(x, env, &st->name, &q, &t, msg))
        return -1;
    const paimon_schema *s = lake_table_schema(t);
    mc_buf ty = MC_BUF_INIT;
    mc_buf_printf(out, "CREATE TABLE IF NOT EXISTS %s.`%s` (\n", q.schema, q.table);
    bool first = true;
    for (size_t i = 0; i < s->nfields; i++) {
        bool part = false;
        for (size_t k = 0; k < s->npartition_keys; k++)
            part |= !strcmp(s->partition_keys[k], s->fields[i].name);
        if (part)
            continue;
        mc_buf_reset(&ty);
        mc_type_name(&ty, s->fields[i].type);
        mc_buf_printf(out, "%s  `%s` %s%s", first ? "" : ",\n", s->fields[i].name, mc_str_lower(ty.data),
                      s->fields[i].type->nullable ? "" : " NOT NULL");
        if (s->fields[i].description)
            mc_buf_printf(out, " COMMENT '%s'", s->fields[i].description);
        first = false;
    }
    if (s->nprimary_keys) {
        mc_buf_puts(out, ",\n  PRIMARY KEY (");
        for (size_t k = 0; k < s->nprimary_keys; k++)
            mc_buf_printf(out, "%s`%s`", k ? ", " : "", s->primary_keys[k]);
        mc_buf_putc(out, ')');
    }
    mc_buf_puts(out, "\n)");
    if (s->comment)
        mc_buf_printf(out, "\nCOMMENT '%s'", s->comment);
    if (s->npartition_keys) {
        mc_buf_puts(out, "\nPARTITIONED BY (");
        for (size_t k = 0; k < s->npartition_keys; k++) {
            int idx = paimon_schema_field_index(s, s->partition_keys[k]);
            mc_buf_reset(&ty);
            mc_type_name(&ty, s->fields[idx].type);
            mc_buf_printf(out, "%s`%s` %s", k ? ", " : "", s->partition_keys[k], ty.data);
        }
        mc_buf_putc(out, ')');
    }
    if (s->noptions) {
        mc_buf_puts(out, "\nTBLPROPERTIES (");
        for (size_t k = 0; k < s->noptions; k++)
            mc_buf_printf(out, "%s'%s'='%s'", k ? ", " : "", s->options[k].key, s->options[k].value);
        mc_buf_putc(out, ')');
    }
    mc_buf_puts(out, ";\n");
    mc_buf_free(&ty);
    lake_table_free(t);
    qname_free(&q);
    return 0;
}

/* FROM src INSERT ... SELECT ... INSERT ... (§3.4 multi-insert): each branch
 * reads the shared FROM. Branches commit one after the other (each atomic);
 * a failing branch stops the statement and says which. */
static int run_multi_insert(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    for (size_t i = 0; i < st->inserts.n; i++) {
        const sql_insert *branch = st->inserts.items[i];
        if (!branch->query || branch->query->kind != SQL_QUERY_SELECT) {
            mc_buf_puts(msg, "a multi-insert branch must be a SELECT");
            return -1;
        }
        sql_select sel = *branch->query->select;
        if (!sel.from)
            sel.from = st->from;
        sql_query q = *branch->query;
        q.select = &sel;
        sql_insert ins = *branch;
        ins.query = &q;
        sql_stmt one = *st;
        one.kind = SQL_STMT_INSERT;
        one.insert = &ins;
        if (run_insert(x, env, &one, msg)) {
            if (i) {
                mc_buf note = MC_BUF_INIT;
                mc_buf_printf(&note, " (insert branch %zu of %zu; the earlier branches were committed)", i + 1,
                              st->inserts.n);
                mc_buf_append(msg, note.data, note.len);
                mc_buf_free(&note);
            }
            return -1;
        }
    }
    return 0;
}

/* UPDATE, DELETE and MERGE INTO: MaxCompute runs them on transactional and
 * Delta tables only (§3.5); Paimon external tables refuse UPDATE and DELETE
 * ([PEXT] "UPDATE and DELETE are not supported") and the Paimon_DLF external
 * project docs list none of the three. The target is resolved first, so a
 * missing table is ODPS-0130131 as in SELECT; then the statement is refused
 * (docs/sql-grammar.md "UPDATE, DELETE and MERGE INTO"). */
static int refuse_row_dml(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *msg)
{
    qname q;
    lake_table *t;
    if (open_for(x, env, &st->name, &q, &t, msg))
        return -1;
    sql_error e;
    sql_error_clear(&e);
    sql_error_set(&e, SQL_ODPS_SEMANTIC, st->pos.line, st->pos.col,
                  "%s is not supported for Paimon tables in an external project: table %s is not a transactional "
                  "table",
                  st->kind == SQL_STMT_MERGE ? "MERGE INTO" : sql_stmt_kind_name(st->kind), q.display);
    sql_error_format(msg, &e);
    lake_table_free(t);
    qname_free(&q);
    return -1;
}

int sql_exec_run(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *out, mc_buf *msg,
                 bool *is_query)
{
    *is_query = false;
    switch (st->kind) {
    case SQL_STMT_QUERY: *is_query = true; return run_query(x, env, st->query, out, msg);
    case SQL_STMT_SHOW_SCHEMAS: return show_schemas(x, out, msg);
    case SQL_STMT_SHOW_TABLES: return show_tables(x, env, st, out, msg);
    case SQL_STMT_CREATE_SCHEMA: return create_schema(x, st, msg);
    case SQL_STMT_DROP_SCHEMA: return drop_schema(x, st, msg);
    case SQL_STMT_CREATE_TABLE: return create_table(x, env, st, msg);
    case SQL_STMT_DROP_TABLE: return drop_table(x, env, st, msg);
    case SQL_STMT_DESC_TABLE: return desc_table(x, env, st, out, msg);
    case SQL_STMT_SHOW_PARTITIONS: return show_partitions(x, env, st, out, msg);
    case SQL_STMT_SHOW_CREATE_TABLE: return show_create_table(x, env, st, out, msg);
    case SQL_STMT_TRUNCATE_TABLE: return truncate_table(x, env, st, msg);
    case SQL_STMT_INSERT: return run_insert(x, env, st, msg);
    case SQL_STMT_MULTI_INSERT: return run_multi_insert(x, env, st, msg);
    case SQL_STMT_ALTER_TABLE:
        if (st->alter == SQL_ALTER_COMPACT)
            return compact_table(x, env, st, msg);
        /* Schema evolution and partition DDL are not available through a
         * Paimon_DLF external project (maxcompute-control.md §3, §2 limits). */
        mc_buf_printf(msg, "%s:[%d,%d] Semantic analysis exception - ALTER TABLE is not supported for Paimon tables "
                           "in an external project",
                      SQL_ODPS_SEMANTIC, st->pos.line, st->pos.col);
        return -1;
    case SQL_STMT_UPDATE:
    case SQL_STMT_DELETE:
    case SQL_STMT_MERGE: return refuse_row_dml(x, env, st, msg);
    default:
        mc_buf_printf(msg, "mcdlf does not support this statement yet: %s", sql_stmt_kind_name(st->kind));
        return -1;
    }
}
