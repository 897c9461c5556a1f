/*
 * sql AST helpers and the canonical printer. The printed form is an
 * S-expression that names every node kind and keeps every syntactic choice
 * (e.g. `1L` vs `1`, INTO vs OVERWRITE), so a test can assert a whole tree
 * with one string comparison. It is a test and debugging aid, not SQL.
 */
#include "sql/ast.h"

#include <string.h>

void sql_list_push(sql_arena *a, sql_list *l, void *item)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        void **items = sql_arena_alloc(a, cap * sizeof(void *));
        if (l->n)
            memcpy(items, l->items, l->n * sizeof(void *));
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = item;
}

const char *sql_type_kind_name(sql_type_kind k)
{
    static const char *names[] = {
        "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL", "VARCHAR",
        "CHAR", "STRING", "BINARY", "BOOLEAN", "DATE", "DATETIME", "TIMESTAMP", "TIMESTAMP_NTZ",
        "ARRAY", "MAP", "STRUCT",
    };
    _Static_assert(sizeof names / sizeof names[0] == SQL_TYPE_STRUCT + 1, "type names");
    return (unsigned)k <= SQL_TYPE_STRUCT ? names[k] : "?";
}

const char *sql_stmt_kind_name(sql_stmt_kind k)
{
    static const char *names[] = {
        [SQL_STMT_QUERY] = "SELECT", [SQL_STMT_SET] = "SET", [SQL_STMT_SHOW_SCHEMAS] = "SHOW SCHEMAS",
        [SQL_STMT_SHOW_TABLES] = "SHOW TABLES", [SQL_STMT_SHOW_PARTITIONS] = "SHOW PARTITIONS",
        [SQL_STMT_SHOW_CREATE_TABLE] = "SHOW CREATE TABLE", [SQL_STMT_USE_SCHEMA] = "USE",
        [SQL_STMT_CREATE_SCHEMA] = "CREATE SCHEMA", [SQL_STMT_DROP_SCHEMA] = "DROP SCHEMA",
        [SQL_STMT_DESC_SCHEMA] = "DESC SCHEMA", [SQL_STMT_CREATE_TABLE] = "CREATE TABLE",
        [SQL_STMT_DROP_TABLE] = "DROP TABLE", [SQL_STMT_TRUNCATE_TABLE] = "TRUNCATE TABLE",
        [SQL_STMT_DESC_TABLE] = "DESC", [SQL_STMT_ALTER_TABLE] = "ALTER TABLE", [SQL_STMT_INSERT] = "INSERT",
        [SQL_STMT_MULTI_INSERT] = "INSERT", [SQL_STMT_UPDATE] = "UPDATE", [SQL_STMT_DELETE] = "DELETE",
        [SQL_STMT_EXPLAIN] = "EXPLAIN", [SQL_STMT_CREATE_VIEW] = "CREATE VIEW", [SQL_STMT_DROP_VIEW] = "DROP VIEW",
        [SQL_STMT_MERGE] = "MERGE",
    };
    _Static_assert(sizeof names / sizeof names[0] == SQL_STMT_MERGE + 1, "statement names");
    return (unsigned)k <= SQL_STMT_MERGE ? names[k] : "?";
}

const char *sql_op_name(sql_op op)
{
    static const char *names[] = {
        "or", "and", "not", "=", "<=>", "<>", "<", "<=", ">", ">=",
        "|", "&", "^", "||", "+", "-", "*", "/", "%", "div",
        "neg", "pos", "~", "like", "rlike", "regexp",
    };
    _Static_assert(sizeof names / sizeof names[0] == SQL_OP_REGEXP + 1, "op names");
    return (unsigned)op <= SQL_OP_REGEXP ? names[op] : "?";
}

/* ---------- printer ---------- */

static void put_quoted(mc_buf *o, const char *s, size_t n)
{
    mc_buf_putc(o, '\'');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'' || c == '\\')
            mc_buf_printf(o, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            mc_buf_printf(o, "\\x%02x", c);
        else
            mc_buf_putc(o, (char)c);
    }
    mc_buf_putc(o, '\'');
}

static void put_str(mc_buf *o, const char *s)
{
    put_quoted(o, s, strlen(s));
}

/* A name as written, back-quoted when it is not a plain word (`a b`). */
static void put_ident(mc_buf *o, const char *s)
{
    bool plain = *s != '\0';
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
            plain = false;
    if (plain) {
        mc_buf_puts(o, s);
        return;
    }
    mc_buf_putc(o, '`');
    for (const char *c = s; *c; c++) {
        if (*c == '`')
            mc_buf_putc(o, '`');
        mc_buf_putc(o, *c);
    }
    mc_buf_putc(o, '`');
}

static void put_parts(mc_buf *o, char *const *parts, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            mc_buf_putc(o, '.');
        put_ident(o, parts[i]);
    }
}

static void put_name(mc_buf *o, const sql_name *n)
{
    put_parts(o, n->parts, n->n);
}

static void put_idents(mc_buf *o, const sql_list *l)
{
    mc_buf_putc(o, '(');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            mc_buf_putc(o, ' ');
        put_ident(o, (const char *)l->items[i]);
    }
    mc_buf_putc(o, ')');
}

static void put_exprs(mc_buf *o, const sql_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        mc_buf_putc(o, ' ');
        sql_expr_print(o, l->items[i]);
    }
}

void sql_type_print(mc_buf *o, const sql_type *t)
{
    mc_buf_puts(o, sql_type_kind_name(t->kind));
    switch (t->kind) {
    case SQL_TYPE_DECIMAL:
        if (t->nparams == 1)
            mc_buf_printf(o, "(%d)", t->p);
        else if (t->nparams == 2)
            mc_buf_printf(o, "(%d,%d)", t->p, t->s);
        break;
    case SQL_TYPE_VARCHAR: case SQL_TYPE_CHAR:
        mc_buf_printf(o, "(%d)", t->p);
        break;
    case SQL_TYPE_ARRAY:
        mc_buf_putc(o, '<');
        sql_type_print(o, t->elem);
        mc_buf_putc(o, '>');
        break;
    case SQL_TYPE_MAP:
        mc_buf_putc(o, '<');
        sql_type_print(o, t->elem);
        mc_buf_putc(o, ',');
        sql_type_print(o, t->value);
        mc_buf_putc(o, '>');
        break;
    case SQL_TYPE_STRUCT:
        mc_buf_putc(o, '<');
        for (size_t i = 0; i < t->fields.n; i++) {
            const sql_struct_field *f = t->fields.items[i];
            if (i)
                mc_buf_putc(o, ',');
            put_ident(o, f->name);
            mc_buf_puts(o, ":");
            sql_type_print(o, f->type);
            if (f->comment) {
                mc_buf_puts(o, " COMMENT ");
                put_str(o, f->comment);
            }
        }
        mc_buf_putc(o, '>');
        break;
    default:
        break;
    }
}

static void put_order(mc_buf *o, const char *head, const sql_list *l)
{
    mc_buf_printf(o, " (%s", head);
    for (size_t i = 0; i < l->n; i++) {
        const sql_order_item *it = l->items[i];
        mc_buf_putc(o, ' ');
        bool wrap = it->desc || it->asc_given || it->nulls;
        if (wrap)
            mc_buf_printf(o, "(%s ", it->desc ? "desc" : "asc");
        sql_expr_print(o, it->expr);
        if (it->nulls)
            mc_buf_puts(o, it->nulls == 1 ? " nulls-first" : " nulls-last");
        if (wrap)
            mc_buf_putc(o, ')');
    }
    mc_buf_putc(o, ')');
}

static void put_bound(mc_buf *o, const sql_frame_bound *b)
{
    switch (b->kind) {
    case SQL_BOUND_UNBOUNDED_PRECEDING: mc_buf_puts(o, "unbounded-preceding"); break;
    case SQL_BOUND_UNBOUNDED_FOLLOWING: mc_buf_puts(o, "unbounded-following"); break;
    case SQL_BOUND_CURRENT_ROW: mc_buf_puts(o, "current-row"); break;
    case SQL_BOUND_PRECEDING: case SQL_BOUND_FOLLOWING:
        mc_buf_printf(o, "(%s ", b->kind == SQL_BOUND_PRECEDING ? "preceding" : "following");
        sql_expr_print(o, b->offset);
        mc_buf_putc(o, ')');
        break;
    }
}

static void put_window(mc_buf *o, const sql_window_spec *w)
{
    mc_buf_puts(o, "(window");
    if (w->ref_name) {
        mc_buf_puts(o, " ");
        put_ident(o, w->ref_name);
    }
    if (w->partition_by.n) {
        mc_buf_puts(o, " (partition-by");
        put_exprs(o, &w->partition_by);
        mc_buf_putc(o, ')');
    }
    if (w->order_by.n)
        put_order(o, "order-by", &w->order_by);
    if (w->unit != SQL_FRAME_NONE) {
        mc_buf_printf(o, " (%s ", w->unit == SQL_FRAME_ROWS ? "rows" : "range");
        put_bound(o, &w->start);
        if (w->between) {
            mc_buf_putc(o, ' ');
            put_bound(o, &w->end);
        }
        mc_buf_putc(o, ')');
    }
    mc_buf_putc(o, ')');
}

static const char *num_suffix(sql_num_kind k)
{
    switch (k) {
    case SQL_NUM_INT: return "";
    case SQL_NUM_TINYINT: return "Y";
    case SQL_NUM_SMALLINT: return "S";
    case SQL_NUM_BIGINT: return "L";
    case SQL_NUM_DECIMAL: return "BD";
    case SQL_NUM_DOUBLE: return "D";
    case SQL_NUM_FLOAT: return "F";
    }
    return "?";
}

void sql_expr_print(mc_buf *o, const sql_expr *e)
{
    if (!e) {
        mc_buf_puts(o, "<null>");
        return;
    }
    switch (e->kind) {
    case SQL_EXPR_LITERAL:
        switch (e->lit) {
        case SQL_LIT_NULL: mc_buf_puts(o, "NULL"); break;
        case SQL_LIT_BOOL: mc_buf_puts(o, e->bval ? "TRUE" : "FALSE"); break;
        case SQL_LIT_NUMBER: mc_buf_printf(o, "%s%s", e->text, num_suffix(e->num)); break;
        case SQL_LIT_STRING: put_quoted(o, e->text, e->text_len); break;
        case SQL_LIT_BINARY:
            mc_buf_puts(o, "X'");
            for (size_t i = 0; i < e->text_len; i++)
                mc_buf_printf(o, "%02X", (unsigned char)e->text[i]);
            mc_buf_putc(o, '\'');
            break;
        case SQL_LIT_DATE: case SQL_LIT_DATETIME: case SQL_LIT_TIMESTAMP: case SQL_LIT_TIMESTAMP_NTZ:
            mc_buf_puts(o, e->lit == SQL_LIT_DATE ? "(date " : e->lit == SQL_LIT_DATETIME ? "(datetime "
                           : e->lit == SQL_LIT_TIMESTAMP ? "(timestamp " : "(timestamp_ntz ");
            put_quoted(o, e->text, e->text_len);
            mc_buf_putc(o, ')');
            break;
        }
        break;
    case SQL_EXPR_COLUMN:
        put_parts(o, e->parts, e->nparts);
        break;
    case SQL_EXPR_STAR:
        if (e->nparts) {
            put_parts(o, e->parts, e->nparts);
            mc_buf_putc(o, '.');
        }
        mc_buf_putc(o, '*');
        break;
    case SQL_EXPR_UNARY:
    case SQL_EXPR_BINARY:
        mc_buf_printf(o, "(%s ", sql_op_name(e->op));
        sql_expr_print(o, e->left);
        if (e->kind == SQL_EXPR_BINARY) {
            mc_buf_putc(o, ' ');
            sql_expr_print(o, e->right);
        }
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_IS_NULL:
        mc_buf_puts(o, e->negated ? "(is-not-null " : "(is-null ");
        sql_expr_print(o, e->left);
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_IN_LIST:
    case SQL_EXPR_IN_QUERY:
        mc_buf_puts(o, e->negated ? "(not-in " : "(in ");
        sql_expr_print(o, e->left);
        if (e->kind == SQL_EXPR_IN_LIST) {
            put_exprs(o, &e->args);
        } else {
            mc_buf_putc(o, ' ');
            sql_query_print(o, e->query);
        }
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_BETWEEN:
        mc_buf_puts(o, e->negated ? "(not-between " : "(between ");
        sql_expr_print(o, e->left);
        mc_buf_putc(o, ' ');
        sql_expr_print(o, e->right);
        mc_buf_putc(o, ' ');
        sql_expr_print(o, e->third);
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_LIKE:
        mc_buf_printf(o, "(%s%s ", e->negated ? "not-" : "", sql_op_name(e->op));
        sql_expr_print(o, e->left);
        mc_buf_putc(o, ' ');
        sql_expr_print(o, e->right);
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_CASE:
        mc_buf_puts(o, "(case");
        if (e->left) {
            mc_buf_putc(o, ' ');
            sql_expr_print(o, e->left);
        }
        for (size_t i = 0; i < e->whens.n; i++) {
            const sql_when *w = e->whens.items[i];
            mc_buf_puts(o, " (when ");
            sql_expr_print(o, w->when);
            mc_buf_putc(o, ' ');
            sql_expr_print(o, w->then);
            mc_buf_putc(o, ')');
        }
        if (e->third) {
            mc_buf_puts(o, " (else ");
            sql_expr_print(o, e->third);
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_CAST:
        mc_buf_puts(o, "(cast ");
        sql_expr_print(o, e->left);
        mc_buf_putc(o, ' ');
        sql_type_print(o, e->type);
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_FUNC:
        mc_buf_puts(o, "(call ");
        put_parts(o, e->parts, e->nparts);
        if (e->count_star)
            mc_buf_puts(o, " *");
        if (e->distinct)
            mc_buf_puts(o, " distinct");
        put_exprs(o, &e->args);
        if (e->over) {
            mc_buf_puts(o, " (over ");
            put_window(o, e->over);
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_EXISTS:
    case SQL_EXPR_SUBQUERY:
        mc_buf_puts(o, e->kind == SQL_EXPR_EXISTS ? "(exists " : "(subquery ");
        sql_query_print(o, e->query);
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_SUBSCRIPT:
        mc_buf_puts(o, "([] ");
        sql_expr_print(o, e->left);
        mc_buf_putc(o, ' ');
        sql_expr_print(o, e->right);
        mc_buf_putc(o, ')');
        break;
    case SQL_EXPR_FIELD:
        mc_buf_puts(o, "(. ");
        sql_expr_print(o, e->left);
        mc_buf_puts(o, " ");
        put_ident(o, e->parts[0]);
        mc_buf_puts(o, ")");
        break;
    }
}

static const char *join_name(sql_join_kind k)
{
    switch (k) {
    case SQL_JOIN_INNER: return "join";
    case SQL_JOIN_LEFT: return "left-join";
    case SQL_JOIN_RIGHT: return "right-join";
    case SQL_JOIN_FULL: return "full-join";
    case SQL_JOIN_CROSS: return "cross-join";
    case SQL_JOIN_LEFT_SEMI: return "left-semi-join";
    case SQL_JOIN_LEFT_ANTI: return "left-anti-join";
    case SQL_JOIN_COMMA: return "comma-join";
    }
    return "?";
}

static void put_rows(mc_buf *o, const sql_list *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        mc_buf_puts(o, " (row");
        put_exprs(o, rows->items[i]);
        mc_buf_putc(o, ')');
    }
}

static void put_tref(mc_buf *o, const sql_table_ref *r)
{
    switch (r->kind) {
    case SQL_TREF_TABLE:
        if (r->alias)
            mc_buf_puts(o, "(as ");
        if (r->travel != SQL_TRAVEL_NONE)
            mc_buf_printf(o, "(%s-%s ", r->travel == SQL_TRAVEL_TIMESTAMP ? "timestamp" : "version",
                          r->travel_end ? "between" : "as-of");
        put_name(o, &r->name);
        if (r->travel != SQL_TRAVEL_NONE) {
            mc_buf_putc(o, ' ');
            sql_expr_print(o, r->travel_at);
            if (r->travel_end) {
                mc_buf_putc(o, ' ');
                sql_expr_print(o, r->travel_end);
            }
            mc_buf_putc(o, ')');
        }
        if (r->alias) {
            mc_buf_puts(o, " ");
            put_ident(o, r->alias);
            mc_buf_puts(o, ")");
        }
        break;
    case SQL_TREF_SUBQUERY:
        if (r->alias)
            mc_buf_puts(o, "(as ");
        sql_query_print(o, r->query);
        if (r->alias) {
            mc_buf_puts(o, " ");
            put_ident(o, r->alias);
            mc_buf_puts(o, ")");
        }
        break;
    case SQL_TREF_JOIN:
        mc_buf_printf(o, "(%s ", join_name(r->join));
        put_tref(o, r->left);
        mc_buf_putc(o, ' ');
        put_tref(o, r->right);
        if (r->on) {
            mc_buf_puts(o, " (on ");
            sql_expr_print(o, r->on);
            mc_buf_putc(o, ')');
        }
        if (r->using_cols.n) {
            mc_buf_puts(o, " (using ");
            put_idents(o, &r->using_cols);
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ')');
        break;
    case SQL_TREF_LATERAL:
        mc_buf_puts(o, r->outer ? "(lateral-view-outer " : "(lateral-view ");
        put_tref(o, r->left);
        mc_buf_putc(o, ' ');
        sql_expr_print(o, r->func);
        mc_buf_puts(o, " ");
        put_ident(o, r->alias);
        mc_buf_puts(o, " ");
        put_idents(o, &r->col_aliases);
        mc_buf_putc(o, ')');
        break;
    case SQL_TREF_VALUES:
        mc_buf_puts(o, "(values");
        put_rows(o, &r->rows);
        mc_buf_puts(o, " ");
        put_ident(o, r->alias);
        mc_buf_puts(o, " ");
        put_idents(o, &r->col_aliases);
        mc_buf_putc(o, ')');
        break;
    }
}

static void put_select(mc_buf *o, const sql_select *s)
{
    mc_buf_puts(o, "(select");
    if (s->distinct)
        mc_buf_puts(o, " distinct");
    if (s->all)
        mc_buf_puts(o, " all");
    for (size_t i = 0; i < s->hints.n; i++) {
        mc_buf_puts(o, " (hint ");
        put_str(o, s->hints.items[i]);
        mc_buf_putc(o, ')');
    }
    for (size_t i = 0; i < s->items.n; i++) {
        const sql_select_item *it = s->items.items[i];
        mc_buf_putc(o, ' ');
        if (it->alias || it->aliases.n)
            mc_buf_puts(o, "(as ");
        sql_expr_print(o, it->expr);
        if (it->alias) {
            mc_buf_puts(o, " ");
            put_ident(o, it->alias);
            mc_buf_puts(o, ")");
        }
        else if (it->aliases.n) {
            mc_buf_putc(o, ' ');
            put_idents(o, &it->aliases);
            mc_buf_putc(o, ')');
        }
    }
    if (s->from) {
        mc_buf_puts(o, " (from ");
        put_tref(o, s->from);
        mc_buf_putc(o, ')');
    }
    if (s->where) {
        mc_buf_puts(o, " (where ");
        sql_expr_print(o, s->where);
        mc_buf_putc(o, ')');
    }
    switch (s->group_kind) {
    case SQL_GROUP_NONE: break;
    case SQL_GROUP_PLAIN: case SQL_GROUP_ROLLUP: case SQL_GROUP_CUBE:
        mc_buf_puts(o, s->group_kind == SQL_GROUP_PLAIN ? " (group-by"
                       : s->group_kind == SQL_GROUP_ROLLUP ? " (group-by-rollup" : " (group-by-cube");
        put_exprs(o, &s->group_by);
        mc_buf_putc(o, ')');
        break;
    case SQL_GROUP_SETS:
        if (s->group_by.n) {
            mc_buf_puts(o, " (group-by");
            put_exprs(o, &s->group_by);
            mc_buf_putc(o, ')');
        }
        mc_buf_puts(o, " (grouping-sets");
        for (size_t i = 0; i < s->grouping_sets.n; i++) {
            mc_buf_puts(o, " (");
            const sql_list *set = s->grouping_sets.items[i];
            for (size_t j = 0; j < set->n; j++) {
                if (j)
                    mc_buf_putc(o, ' ');
                sql_expr_print(o, set->items[j]);
            }
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ')');
        break;
    }
    if (s->having) {
        mc_buf_puts(o, " (having ");
        sql_expr_print(o, s->having);
        mc_buf_putc(o, ')');
    }
    for (size_t i = 0; i < s->windows.n; i++) {
        const sql_window_def *w = s->windows.items[i];
        mc_buf_puts(o, " (window-def ");
        put_ident(o, w->name);
        mc_buf_puts(o, " ");
        put_window(o, w->spec);
        mc_buf_putc(o, ')');
    }
}

void sql_query_print(mc_buf *o, const sql_query *q)
{
    if (q->ctes.n) {
        mc_buf_puts(o, "(with");
        for (size_t i = 0; i < q->ctes.n; i++) {
            const sql_cte *c = q->ctes.items[i];
            mc_buf_puts(o, " (cte ");
            put_ident(o, c->name);
            mc_buf_puts(o, " ");
            if (c->columns.n) {
                put_idents(o, &c->columns);
                mc_buf_putc(o, ' ');
            }
            sql_query_print(o, c->query);
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ' ');
    }
    if (q->kind == SQL_QUERY_SELECT) {
        put_select(o, q->select);
    } else {
        const char *op = q->setop == SQL_SET_UNION ? "union" : q->setop == SQL_SET_INTERSECT ? "intersect"
                         : q->minus ? "minus" : "except";
        mc_buf_printf(o, "(%s%s ", op, q->all ? "-all" : q->distinct_given ? "-distinct" : "");
        sql_query_print(o, q->left);
        mc_buf_putc(o, ' ');
        sql_query_print(o, q->right);
    }
    if (q->order_by.n)
        put_order(o, "order-by", &q->order_by);
    if (q->cluster_by.n) {
        mc_buf_puts(o, " (cluster-by");
        put_exprs(o, &q->cluster_by);
        mc_buf_putc(o, ')');
    }
    if (q->distribute_by.n) {
        mc_buf_puts(o, " (distribute-by");
        put_exprs(o, &q->distribute_by);
        mc_buf_putc(o, ')');
    }
    if (q->sort_by.n)
        put_order(o, "sort-by", &q->sort_by);
    if (q->limit) {
        mc_buf_puts(o, " (limit ");
        sql_expr_print(o, q->limit);
        if (q->offset) {
            mc_buf_puts(o, " (offset ");
            sql_expr_print(o, q->offset);
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ')');
    }
    mc_buf_putc(o, ')');
    if (q->ctes.n)
        mc_buf_putc(o, ')');
}

static void put_part_spec(mc_buf *o, const sql_part_spec *ps)
{
    mc_buf_puts(o, "(partition");
    for (size_t i = 0; i < ps->items.n; i++) {
        const sql_part_item *it = ps->items.items[i];
        if (it->filter) {
            mc_buf_puts(o, " (filter ");
            sql_expr_print(o, it->filter);
            mc_buf_putc(o, ')');
        } else if (it->value) {
            mc_buf_puts(o, " (= ");
            put_ident(o, it->key);
            mc_buf_puts(o, " ");
            sql_expr_print(o, it->value);
            mc_buf_putc(o, ')');
        } else {
            mc_buf_puts(o, " ");
            put_ident(o, it->key);
        }
    }
    mc_buf_putc(o, ')');
}

static void put_columns(mc_buf *o, const char *head, const sql_list *cols)
{
    mc_buf_printf(o, " (%s", head);
    for (size_t i = 0; i < cols->n; i++) {
        const sql_column_def *c = cols->items[i];
        mc_buf_puts(o, " (");
        put_ident(o, c->name);
        if (c->type) {
            mc_buf_putc(o, ' ');
            sql_type_print(o, c->type);
        }
        if (c->not_null)
            mc_buf_puts(o, " not-null");
        if (c->primary_key)
            mc_buf_puts(o, " primary-key");
        if (c->default_value) {
            mc_buf_puts(o, " (default ");
            sql_expr_print(o, c->default_value);
            mc_buf_putc(o, ')');
        }
        if (c->comment) {
            mc_buf_puts(o, " (comment ");
            put_str(o, c->comment);
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ')');
    }
    mc_buf_putc(o, ')');
}

static void put_props(mc_buf *o, const char *head, const sql_list *props)
{
    mc_buf_printf(o, " (%s", head);
    for (size_t i = 0; i < props->n; i++) {
        const sql_property *pr = props->items[i];
        mc_buf_puts(o, " (");
        put_str(o, pr->key);
        mc_buf_putc(o, ' ');
        put_str(o, pr->value);
        mc_buf_putc(o, ')');
    }
    mc_buf_putc(o, ')');
}

static void put_insert(mc_buf *o, const sql_insert *ins)
{
    mc_buf_printf(o, "(insert-%s%s ", ins->overwrite ? "overwrite" : "into", ins->table_kw ? "-table" : "");
    put_name(o, &ins->table);
    if (ins->partition) {
        mc_buf_putc(o, ' ');
        put_part_spec(o, ins->partition);
    }
    if (ins->columns.n) {
        mc_buf_puts(o, " (columns ");
        put_idents(o, &ins->columns);
        mc_buf_putc(o, ')');
    }
    if (ins->values.n) {
        mc_buf_puts(o, " (values");
        put_rows(o, &ins->values);
        mc_buf_putc(o, ')');
    }
    if (ins->query) {
        mc_buf_putc(o, ' ');
        sql_query_print(o, ins->query);
    }
    mc_buf_putc(o, ')');
}

static void put_assignments(mc_buf *o, const sql_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const sql_assignment *a = l->items[i];
        mc_buf_puts(o, " (set ");
        sql_expr_print(o, a->target);
        mc_buf_putc(o, ' ');
        sql_expr_print(o, a->value);
        mc_buf_putc(o, ')');
    }
}

static void put_merge_clause(mc_buf *o, const sql_merge_clause *c)
{
    mc_buf_puts(o, c->matched ? " (when-matched" : " (when-not-matched");
    if (c->cond) {
        mc_buf_puts(o, " (and ");
        sql_expr_print(o, c->cond);
        mc_buf_putc(o, ')');
    }
    switch (c->action) {
    case SQL_MERGE_UPDATE:
        mc_buf_puts(o, " update");
        put_assignments(o, &c->assignments);
        break;
    case SQL_MERGE_DELETE:
        mc_buf_puts(o, " delete");
        break;
    case SQL_MERGE_INSERT:
        mc_buf_puts(o, " insert");
        if (c->columns.n) {
            mc_buf_putc(o, ' ');
            put_idents(o, &c->columns);
        }
        mc_buf_puts(o, " (values");
        put_exprs(o, &c->values);
        mc_buf_putc(o, ')');
        break;
    }
    mc_buf_putc(o, ')');
}

static const char *alter_name(sql_alter_kind k)
{
    switch (k) {
    case SQL_ALTER_ADD_PARTITION: return "add-partition";
    case SQL_ALTER_DROP_PARTITION: return "drop-partition";
    case SQL_ALTER_ADD_COLUMNS: return "add-columns";
    case SQL_ALTER_DROP_COLUMNS: return "drop-columns";
    case SQL_ALTER_RENAME: return "rename";
    case SQL_ALTER_RENAME_COLUMN: return "rename-column";
    case SQL_ALTER_SET_TBLPROPERTIES: return "set-tblproperties";
    case SQL_ALTER_SET_LIFECYCLE: return "set-lifecycle";
    case SQL_ALTER_SET_COMMENT: return "set-comment";
    case SQL_ALTER_RENAME_PARTITION: return "rename-partition";
    case SQL_ALTER_CHANGE_COLUMN: return "change-column";
    case SQL_ALTER_TOUCH: return "touch";
    case SQL_ALTER_COMPACT: return "compact";
    case SQL_ALTER_OTHER: return "other";
    }
    return "?";
}

void sql_stmt_print(mc_buf *o, const sql_stmt *s)
{
    switch (s->kind) {
    case SQL_STMT_QUERY:
        sql_query_print(o, s->query);
        return;
    case SQL_STMT_SET:
        mc_buf_puts(o, "(set ");
        put_str(o, s->key);
        mc_buf_putc(o, ' ');
        put_str(o, s->value);
        mc_buf_putc(o, ')');
        return;
    case SQL_STMT_SHOW_SCHEMAS:
    case SQL_STMT_SHOW_TABLES:
        mc_buf_puts(o, s->kind == SQL_STMT_SHOW_SCHEMAS ? "(show-schemas" : "(show-tables");
        if (s->has_name) {
            mc_buf_puts(o, " (in ");
            put_name(o, &s->name);
            mc_buf_putc(o, ')');
        }
        if (s->pattern) {
            mc_buf_puts(o, " (like ");
            put_str(o, s->pattern);
            mc_buf_putc(o, ')');
        }
        mc_buf_putc(o, ')');
        return;
    case SQL_STMT_EXPLAIN:
        mc_buf_puts(o, "(explain ");
        sql_stmt_print(o, s->inner);
        mc_buf_putc(o, ')');
        return;
    case SQL_STMT_INSERT:
        if (s->ctes.n) {
            mc_buf_puts(o, "(with");
            for (size_t i = 0; i < s->ctes.n; i++) {
                const sql_cte *c = s->ctes.items[i];
                mc_buf_puts(o, " (cte ");
                put_ident(o, c->name);
                mc_buf_puts(o, " ");
                sql_query_print(o, c->query);
                mc_buf_putc(o, ')');
            }
            mc_buf_putc(o, ' ');
        }
        put_insert(o, s->insert);
        if (s->ctes.n)
            mc_buf_putc(o, ')');
        return;
    case SQL_STMT_MULTI_INSERT:
        mc_buf_puts(o, "(multi-insert (from ");
        put_tref(o, s->from);
        mc_buf_putc(o, ')');
        for (size_t i = 0; i < s->inserts.n; i++) {
            mc_buf_putc(o, ' ');
            put_insert(o, s->inserts.items[i]);
        }
        mc_buf_putc(o, ')');
        return;
    default:
        break;
    }
    static const char *heads[] = {
        [SQL_STMT_SHOW_PARTITIONS] = "show-partitions", [SQL_STMT_SHOW_CREATE_TABLE] = "show-create-table",
        [SQL_STMT_USE_SCHEMA] = "use", [SQL_STMT_CREATE_SCHEMA] = "create-schema",
        [SQL_STMT_DROP_SCHEMA] = "drop-schema", [SQL_STMT_DESC_SCHEMA] = "desc-schema",
        [SQL_STMT_CREATE_TABLE] = "create-table", [SQL_STMT_DROP_TABLE] = "drop-table",
        [SQL_STMT_TRUNCATE_TABLE] = "truncate-table", [SQL_STMT_DESC_TABLE] = "desc",
        [SQL_STMT_ALTER_TABLE] = "alter-table", [SQL_STMT_UPDATE] = "update", [SQL_STMT_DELETE] = "delete",
        [SQL_STMT_CREATE_VIEW] = "create-view", [SQL_STMT_DROP_VIEW] = "drop-view", [SQL_STMT_MERGE] = "merge",
    };
    mc_buf_printf(o, "(%s", heads[s->kind]);
    if (s->kind == SQL_STMT_USE_SCHEMA && s->schema_kw)
        mc_buf_puts(o, "-schema");
    if (s->kind == SQL_STMT_CREATE_TABLE && s->external)
        mc_buf_puts(o, " external");
    if (s->or_replace)
        mc_buf_puts(o, " or-replace");
    if (s->kind == SQL_STMT_DESC_TABLE && s->extended)
        mc_buf_puts(o, " extended");
    if (s->if_not_exists)
        mc_buf_puts(o, " if-not-exists");
    if (s->if_exists)
        mc_buf_puts(o, " if-exists");
    if (s->has_name) {
        mc_buf_putc(o, ' ');
        put_name(o, &s->name);
    }
    if (s->kind == SQL_STMT_ALTER_TABLE) {
        mc_buf_printf(o, " %s", alter_name(s->alter));
        for (size_t i = 0; i < s->partitions.n; i++) {
            mc_buf_putc(o, ' ');
            put_part_spec(o, s->partitions.items[i]);
        }
        if (s->new_name.n) {
            mc_buf_puts(o, " (to ");
            put_name(o, &s->new_name);
            mc_buf_putc(o, ')');
        }
        if (s->col_name) {
            mc_buf_puts(o, " (column ");
            put_ident(o, s->col_name);
            mc_buf_puts(o, ")");
        }
        if (s->new_col_name && s->alter == SQL_ALTER_RENAME_COLUMN) {
            mc_buf_puts(o, " (to ");
            put_ident(o, s->new_col_name);
            mc_buf_puts(o, ")");
        }
    }
    if (s->view_columns.n) {
        mc_buf_putc(o, ' ');
        put_idents(o, &s->view_columns);
    }
    if (s->has_like) {
        mc_buf_puts(o, " (like ");
        put_name(o, &s->like);
        mc_buf_putc(o, ')');
    }
    if (s->columns.n)
        put_columns(o, "columns", &s->columns);
    if (s->primary_key.n) {
        mc_buf_puts(o, " (primary-key ");
        put_idents(o, &s->primary_key);
        mc_buf_putc(o, ')');
    }
    if (s->comment) {
        mc_buf_puts(o, " (comment ");
        put_str(o, s->comment);
        mc_buf_putc(o, ')');
    }
    if (s->partition_cols.n)
        put_columns(o, "partitioned-by", &s->partition_cols);
    if (s->clustered_by.n) {
        mc_buf_puts(o, " (clustered-by ");
        put_idents(o, &s->clustered_by);
        if (s->sorted_by.n)
            put_order(o, "sorted-by", &s->sorted_by);
        mc_buf_printf(o, " (buckets %lld))", s->buckets);
    }
    if (s->stored_by) {
        mc_buf_puts(o, " (stored-by ");
        put_str(o, s->stored_by);
        mc_buf_putc(o, ')');
    }
    if (s->serde_properties.n) {
        put_props(o, "serdeproperties", &s->serde_properties);
    }
    if (s->stored_as) {
        mc_buf_puts(o, " (stored-as ");
        put_ident(o, s->stored_as);
        mc_buf_puts(o, ")");
    }
    if (s->location) {
        mc_buf_puts(o, " (location ");
        put_str(o, s->location);
        mc_buf_putc(o, ')');
    }
    if (s->properties.n)
        put_props(o, "tblproperties", &s->properties);
    if (s->has_lifecycle)
        mc_buf_printf(o, " (lifecycle %lld)", s->lifecycle);
    if (s->partition) {
        mc_buf_putc(o, ' ');
        put_part_spec(o, s->partition);
    }
    put_assignments(o, &s->assignments);
    if (s->alias) {
        mc_buf_puts(o, " (alias ");
        put_ident(o, s->alias);
        mc_buf_puts(o, ")");
    }
    if (s->from) {
        mc_buf_puts(o, s->kind == SQL_STMT_MERGE ? " (using " : " (from ");
        put_tref(o, s->from);
        mc_buf_putc(o, ')');
    }
    if (s->on) {
        mc_buf_puts(o, " (on ");
        sql_expr_print(o, s->on);
        mc_buf_putc(o, ')');
    }
    for (size_t i = 0; i < s->merge_clauses.n; i++)
        put_merge_clause(o, s->merge_clauses.items[i]);
    if (s->where) {
        mc_buf_puts(o, " (where ");
        sql_expr_print(o, s->where);
        mc_buf_putc(o, ')');
    }
    if (s->query) {
        mc_buf_puts(o, " (as ");
        sql_query_print(o, s->query);
        mc_buf_putc(o, ')');
    }
    mc_buf_putc(o, ')');
}

void sql_script_print(mc_buf *o, const sql_script *sc)
{
    for (size_t i = 0; i < sc->stmts.n; i++) {
        sql_stmt_print(o, sc->stmts.items[i]);
        mc_buf_putc(o, '\n');
    }
}
