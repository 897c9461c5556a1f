/*
 * sql parser implementation. The whole script is lexed first into a token
 * array (hints kept only right after SELECT), then statements are parsed by
 * recursive descent. Every parse function returns NULL (or -1) after setting
 * the one error; p->failed guards against overwriting the first error.
 *
 * Invariants: p->i < p->n always, and toks[n-1] is SQL_TOK_EOF, so cur() is
 * always valid; nesting is bounded by MAX_DEPTH so hostile input cannot
 * exhaust the stack.
 */
#include "sql/parser.h"
#include "sql/split.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 256

typedef struct {
    sql_arena *a;
    const char *src;
    sql_token *toks;
    size_t n, i;
    sql_error *err;
    bool failed;
    int depth;
} parser;

/* ---------- token helpers ---------- */

static sql_token *cur(parser *p) { return &p->toks[p->i]; }
static sql_token *ahead(parser *p, size_t k)
{
    size_t j = p->i + k;
    return &p->toks[j < p->n ? j : p->n - 1];
}
static void next(parser *p)
{
    if (p->i + 1 < p->n)
        p->i++;
}
static sql_pos pos_of(const sql_token *t) { return (sql_pos){t->line, t->col}; }
static sql_pos here(parser *p) { return pos_of(cur(p)); }

static bool tok_is_kw(const sql_token *t, sql_kw kw) { return t->kind == SQL_TOK_IDENT && t->kw == kw; }
static bool is_kw(parser *p, sql_kw kw) { return tok_is_kw(cur(p), kw); }
static bool is_tok(parser *p, sql_tok_kind k) { return cur(p)->kind == k; }

/* Reports an error at token t: "invalid token '<text>'" (§5.2). */
static void *fail_at(parser *p, const sql_token *t)
{
    if (!p->failed) {
        p->failed = true;
        if (t->kind == SQL_TOK_EOF)
            sql_error_set(p->err, SQL_ODPS_PARSE, t->line, t->col, "invalid token '<EOF>'");
        else
            sql_error_set(p->err, SQL_ODPS_PARSE, t->line, t->col, "invalid token '%.*s'",
                          (int)(t->len > 200 ? 200 : t->len), t->start);
    }
    return NULL;
}
static void *fail(parser *p) { return fail_at(p, cur(p)); }

static bool accept_kw(parser *p, sql_kw kw)
{
    if (!is_kw(p, kw))
        return false;
    next(p);
    return true;
}
static bool accept(parser *p, sql_tok_kind k)
{
    if (!is_tok(p, k))
        return false;
    next(p);
    return true;
}
static bool expect_kw(parser *p, sql_kw kw)
{
    if (accept_kw(p, kw))
        return true;
    fail(p);
    return false;
}
static bool expect(parser *p, sql_tok_kind k)
{
    if (accept(p, k))
        return true;
    fail(p);
    return false;
}

static bool enter(parser *p)
{
    if (++p->depth > MAX_DEPTH) {
        if (!p->failed) {
            p->failed = true;
            sql_error_set(p->err, SQL_ODPS_PARSE, cur(p)->line, cur(p)->col,
                          "max depth of nested expression exceeds limit of %d", MAX_DEPTH);
        }
        return false;
    }
    return true;
}
static void leave(parser *p) { p->depth--; }

/* A name token: unreserved word or back-quoted name. */
static bool tok_is_ident(const sql_token *t)
{
    if (t->kind == SQL_TOK_QIDENT)
        return true;
    return t->kind == SQL_TOK_IDENT && !sql_keyword_is_reserved(t->kw);
}
static bool is_ident(parser *p) { return tok_is_ident(cur(p)); }

/* A contextual word that is not in the keyword table (STORED, LOCATION...). */
static bool tok_is_word(const sql_token *t, const char *w)
{
    return t->kind == SQL_TOK_IDENT && t->str_len == strlen(w) && strncasecmp(t->str, w, t->str_len) == 0;
}

static bool accept_word(parser *p, const char *w)
{
    if (!tok_is_word(cur(p), w))
        return false;
    next(p);
    return true;
}

static char *ident(parser *p)
{
    if (!is_ident(p))
        return fail(p);
    char *s = cur(p)->str;
    next(p);
    return s;
}

/* Contextual keywords that end a clause, so they are not taken as implicit aliases. */
static bool is_alias_stop(const sql_token *t)
{
    if (t->kind != SQL_TOK_IDENT)
        return false;
    switch (t->kw) {
    case SQL_KW_LATERAL: case SQL_KW_INNER: case SQL_KW_CROSS: case SQL_KW_UNION:
    case SQL_KW_INTERSECT: case SQL_KW_EXCEPT: case SQL_KW_MINUS: case SQL_KW_HAVING:
    case SQL_KW_WINDOW: case SQL_KW_CLUSTER: case SQL_KW_USING: case SQL_KW_OFFSET:
    case SQL_KW_OVER: case SQL_KW_SEMI: case SQL_KW_ANTI:
        return true;
    default:
        return false;
    }
}

/* [AS] alias; returns NULL without error when there is none. */
static char *opt_alias(parser *p)
{
    if (accept_kw(p, SQL_KW_AS))
        return ident(p);
    if (is_ident(p) && !is_alias_stop(cur(p)))
        return ident(p);
    return NULL;
}

static void *node(parser *p, size_t size) { return sql_arena_alloc(p->a, size); }

/* ---------- forward declarations ---------- */
static sql_expr *expr(parser *p);
static sql_query *query(parser *p);
static sql_type *type(parser *p);
static sql_table_ref *table_refs(parser *p);

/* ---------- names ---------- */

/* [a.[b.]]c as a table name; at most three parts. */
static bool qualified_name(parser *p, sql_name *out)
{
    memset(out, 0, sizeof *out);
    out->pos = here(p);
    for (;;) {
        if (out->n == 3)
            return fail(p) != NULL;
        char *s = ident(p);
        if (!s)
            return false;
        out->parts[out->n++] = s;
        if (!is_tok(p, SQL_TOK_DOT))
            return true;
        next(p);
    }
}

static bool ident_list(parser *p, sql_list *out)
{
    do {
        char *s = ident(p);
        if (!s)
            return false;
        sql_list_push(p->a, out, s);
    } while (accept(p, SQL_TOK_COMMA));
    return true;
}

static bool paren_ident_list(parser *p, sql_list *out)
{
    return expect(p, SQL_TOK_LPAREN) && ident_list(p, out) && expect(p, SQL_TOK_RPAREN);
}

static char *string_lit(parser *p)
{
    if (!is_tok(p, SQL_TOK_STRING))
        return fail(p);
    mc_buf b = MC_BUF_INIT;
    while (is_tok(p, SQL_TOK_STRING)) {
        mc_buf_append(&b, cur(p)->str, cur(p)->str_len);
        next(p);
    }
    char *s = sql_arena_strndup(p->a, mc_buf_cstr(&b), b.len);
    mc_buf_free(&b);
    return s;
}

static bool opt_comment(parser *p, char **out)
{
    *out = NULL;
    if (!accept_kw(p, SQL_KW_COMMENT))
        return true;
    *out = string_lit(p);
    return *out != NULL;
}

/* ---------- types ---------- */

static bool type_int_param(parser *p, int *out)
{
    if (!is_tok(p, SQL_TOK_NUMBER) || cur(p)->num != SQL_NUM_INT)
        return fail(p) != NULL;
    long v = strtol(cur(p)->str, NULL, 10);
    *out = v > 1000000000L ? 1000000000 : (int)v;
    next(p);
    return true;
}

/* `>>` does not exist as a token, so nested ARRAY<ARRAY<INT>> closes with two '>'. */
static sql_type *type(parser *p)
{
    if (!enter(p))
        return NULL;
    sql_type *t = node(p, sizeof *t);
    t->pos = here(p);
    sql_token *tk = cur(p);
    if (tk->kind != SQL_TOK_IDENT) {
        leave(p);
        return fail(p);
    }
    bool ok = true;
    switch (tk->kw) {
    case SQL_KW_TINYINT: t->kind = SQL_TYPE_TINYINT; next(p); break;
    case SQL_KW_SMALLINT: t->kind = SQL_TYPE_SMALLINT; next(p); break;
    case SQL_KW_INT: case SQL_KW_INTEGER: t->kind = SQL_TYPE_INT; next(p); break;
    case SQL_KW_BIGINT: t->kind = SQL_TYPE_BIGINT; next(p); break;
    case SQL_KW_FLOAT: t->kind = SQL_TYPE_FLOAT; next(p); break;
    case SQL_KW_DOUBLE: t->kind = SQL_TYPE_DOUBLE; next(p); break;
    case SQL_KW_STRING: t->kind = SQL_TYPE_STRING; next(p); break;
    case SQL_KW_BINARY: t->kind = SQL_TYPE_BINARY; next(p); break;
    case SQL_KW_BOOLEAN: t->kind = SQL_TYPE_BOOLEAN; next(p); break;
    case SQL_KW_DATE: t->kind = SQL_TYPE_DATE; next(p); break;
    case SQL_KW_DATETIME: t->kind = SQL_TYPE_DATETIME; next(p); break;
    case SQL_KW_TIMESTAMP: t->kind = SQL_TYPE_TIMESTAMP; next(p); break;
    case SQL_KW_TIMESTAMP_NTZ: t->kind = SQL_TYPE_TIMESTAMP_NTZ; next(p); break;
    case SQL_KW_DECIMAL:
        t->kind = SQL_TYPE_DECIMAL;
        next(p);
        if (accept(p, SQL_TOK_LPAREN)) {
            ok = type_int_param(p, &t->p);
            t->nparams = 1;
            if (ok && accept(p, SQL_TOK_COMMA)) {
                ok = type_int_param(p, &t->s);
                t->nparams = 2;
            }
            ok = ok && expect(p, SQL_TOK_RPAREN);
        }
        break;
    case SQL_KW_VARCHAR: case SQL_KW_CHAR:
        t->kind = tk->kw == SQL_KW_VARCHAR ? SQL_TYPE_VARCHAR : SQL_TYPE_CHAR;
        next(p);
        t->nparams = 1;
        ok = expect(p, SQL_TOK_LPAREN) && type_int_param(p, &t->p) && expect(p, SQL_TOK_RPAREN);
        break;
    case SQL_KW_ARRAY:
        t->kind = SQL_TYPE_ARRAY;
        next(p);
        ok = expect(p, SQL_TOK_LT) && (t->elem = type(p)) && expect(p, SQL_TOK_GT);
        break;
    case SQL_KW_MAP:
        t->kind = SQL_TYPE_MAP;
        next(p);
        ok = expect(p, SQL_TOK_LT) && (t->elem = type(p)) && expect(p, SQL_TOK_COMMA) &&
             (t->value = type(p)) && expect(p, SQL_TOK_GT);
        break;
    case SQL_KW_STRUCT:
        t->kind = SQL_TYPE_STRUCT;
        next(p);
        ok = expect(p, SQL_TOK_LT);
        while (ok) {
            sql_struct_field *f = node(p, sizeof *f);
            f->pos = here(p);
            /* field names may be any word, reserved or not */
            if (cur(p)->kind == SQL_TOK_IDENT || cur(p)->kind == SQL_TOK_QIDENT) {
                f->name = cur(p)->str;
                next(p);
            } else {
                ok = fail(p) != NULL;
                break;
            }
            ok = expect(p, SQL_TOK_COLON) && (f->type = type(p)) && opt_comment(p, &f->comment);
            if (!ok)
                break;
            sql_list_push(p->a, &t->fields, f);
            if (!accept(p, SQL_TOK_COMMA))
                break;
        }
        ok = ok && expect(p, SQL_TOK_GT);
        break;
    default:
        ok = fail(p) != NULL;
        break;
    }
    leave(p);
    return ok ? t : NULL;
}

/* ---------- expressions ---------- */

static sql_expr *new_expr(parser *p, sql_expr_kind k, sql_pos pos)
{
    sql_expr *e = node(p, sizeof *e);
    e->kind = k;
    e->pos = pos;
    return e;
}

static sql_expr *binary(parser *p, sql_op op, sql_expr *l, sql_expr *r, sql_pos op_pos)
{
    sql_expr *e = new_expr(p, SQL_EXPR_BINARY, l->pos);
    e->op = op;
    e->op_pos = op_pos;
    e->left = l;
    e->right = r;
    return e;
}

static bool expr_list(parser *p, sql_list *out)
{
    do {
        sql_expr *e = expr(p);
        if (!e)
            return false;
        sql_list_push(p->a, out, e);
    } while (accept(p, SQL_TOK_COMMA));
    return true;
}

static bool order_list(parser *p, sql_list *out)
{
    do {
        sql_order_item *o = node(p, sizeof *o);
        o->pos = here(p);
        if (!(o->expr = expr(p)))
            return false;
        if (accept_kw(p, SQL_KW_ASC))
            o->asc_given = true;
        else if (accept_kw(p, SQL_KW_DESC))
            o->desc = true;
        if (accept_kw(p, SQL_KW_NULLS)) {
            if (accept_kw(p, SQL_KW_FIRST))
                o->nulls = 1;
            else if (expect_kw(p, SQL_KW_LAST))
                o->nulls = 2;
            else
                return false;
        }
        sql_list_push(p->a, out, o);
    } while (accept(p, SQL_TOK_COMMA));
    return true;
}

static bool frame_bound(parser *p, sql_frame_bound *b)
{
    if (accept_kw(p, SQL_KW_UNBOUNDED)) {
        if (accept_kw(p, SQL_KW_PRECEDING))
            b->kind = SQL_BOUND_UNBOUNDED_PRECEDING;
        else if (expect_kw(p, SQL_KW_FOLLOWING))
            b->kind = SQL_BOUND_UNBOUNDED_FOLLOWING;
        else
            return false;
        return true;
    }
    if (accept_kw(p, SQL_KW_CURRENT)) {
        b->kind = SQL_BOUND_CURRENT_ROW;
        return expect_kw(p, SQL_KW_ROW);
    }
    if (!(b->offset = expr(p)))
        return false;
    if (accept_kw(p, SQL_KW_PRECEDING))
        b->kind = SQL_BOUND_PRECEDING;
    else if (expect_kw(p, SQL_KW_FOLLOWING))
        b->kind = SQL_BOUND_FOLLOWING;
    else
        return false;
    return true;
}

/* Body of a window specification, after '(' up to and including ')'. */
static sql_window_spec *window_spec_body(parser *p, sql_pos pos)
{
    sql_window_spec *w = node(p, sizeof *w);
    w->pos = pos;
    if (is_ident(p) && !is_kw(p, SQL_KW_ROWS) && !is_kw(p, SQL_KW_RANGE) &&
        !(cur(p)->kind == SQL_TOK_IDENT && (cur(p)->kw == SQL_KW_CLUSTER)))
        w->ref_name = ident(p);
    if (accept_kw(p, SQL_KW_PARTITION) || accept_kw(p, SQL_KW_DISTRIBUTE)) {
        if (!expect_kw(p, SQL_KW_BY) || !expr_list(p, &w->partition_by))
            return NULL;
    }
    if (accept_kw(p, SQL_KW_ORDER) || accept_kw(p, SQL_KW_SORT)) {
        if (!expect_kw(p, SQL_KW_BY) || !order_list(p, &w->order_by))
            return NULL;
    }
    if (is_kw(p, SQL_KW_ROWS) || is_kw(p, SQL_KW_RANGE)) {
        w->unit = is_kw(p, SQL_KW_ROWS) ? SQL_FRAME_ROWS : SQL_FRAME_RANGE;
        next(p);
        if (accept_kw(p, SQL_KW_BETWEEN)) {
            w->between = true;
            if (!frame_bound(p, &w->start) || !expect_kw(p, SQL_KW_AND) || !frame_bound(p, &w->end))
                return NULL;
        } else if (!frame_bound(p, &w->start)) {
            return NULL;
        }
    }
    if (!expect(p, SQL_TOK_RPAREN))
        return NULL;
    return w;
}

static sql_window_spec *over_clause(parser *p)
{
    sql_pos pos = here(p);
    if (accept(p, SQL_TOK_LPAREN))
        return window_spec_body(p, pos);
    sql_window_spec *w = node(p, sizeof *w);
    w->pos = pos;
    w->ref_name = ident(p);
    return w->ref_name ? w : NULL;
}

static sql_expr *literal(parser *p, sql_lit_kind k);

/* name ( [DISTINCT|ALL] args | * ) [OVER ...]; name parts already read. */
static sql_expr *func_call(parser *p, sql_pos pos, char **parts, int nparts)
{
    sql_expr *e = new_expr(p, SQL_EXPR_FUNC, pos);
    e->parts = parts;
    e->nparts = nparts;
    if (!expect(p, SQL_TOK_LPAREN))
        return NULL;
    if (nparts == 1 && !strcasecmp(parts[0], "extract") && (is_tok(p, SQL_TOK_IDENT) || is_tok(p, SQL_TOK_QIDENT)) &&
        ahead(p, 1)->kw == SQL_KW_FROM) {
        /* EXTRACT(unit FROM x) (§6.1): the call extract('unit', x), which
         * sql/functions evaluates and where an unknown unit fails. */
        sql_expr *unit = literal(p, SQL_LIT_STRING);
        unit->text = cur(p)->str;
        unit->text_len = strlen(cur(p)->str);
        next(p);
        next(p); /* FROM */
        sql_expr *x = expr(p);
        if (!x)
            return NULL;
        sql_list_push(p->a, &e->args, unit);
        sql_list_push(p->a, &e->args, x);
    } else if (accept(p, SQL_TOK_STAR)) {
        e->count_star = true;
    } else if (!is_tok(p, SQL_TOK_RPAREN)) {
        if (accept_kw(p, SQL_KW_DISTINCT))
            e->distinct = true;
        else
            accept_kw(p, SQL_KW_ALL);
        if (!expr_list(p, &e->args))
            return NULL;
    }
    if (!expect(p, SQL_TOK_RPAREN))
        return NULL;
    if (accept_kw(p, SQL_KW_OVER) && !(e->over = over_clause(p)))
        return NULL;
    return e;
}

static sql_expr *case_expr(parser *p)
{
    sql_expr *e = new_expr(p, SQL_EXPR_CASE, here(p));
    next(p); /* CASE */
    if (!is_kw(p, SQL_KW_WHEN) && !(e->left = expr(p)))
        return NULL;
    if (!is_kw(p, SQL_KW_WHEN))
        return fail(p);
    while (is_kw(p, SQL_KW_WHEN)) {
        sql_when *w = node(p, sizeof *w);
        w->pos = here(p);
        next(p);
        if (!(w->when = expr(p)) || !expect_kw(p, SQL_KW_THEN) || !(w->then = expr(p)))
            return NULL;
        sql_list_push(p->a, &e->whens, w);
    }
    if (accept_kw(p, SQL_KW_ELSE) && !(e->third = expr(p)))
        return NULL;
    if (!expect_kw(p, SQL_KW_END))
        return NULL;
    return e;
}

static bool starts_query(parser *p)
{
    return is_kw(p, SQL_KW_SELECT) || is_kw(p, SQL_KW_WITH) || is_kw(p, SQL_KW_FROM);
}

/* Words that may name a function even though they are reserved or typed. */
static bool is_func_keyword(const sql_token *t)
{
    switch (t->kw) {
    case SQL_KW_IF: case SQL_KW_REPLACE: case SQL_KW_MAP: case SQL_KW_ARRAY: case SQL_KW_STRUCT:
    case SQL_KW_DATE: case SQL_KW_TIMESTAMP: case SQL_KW_LEFT: case SQL_KW_RIGHT:
        return true;
    default:
        return false;
    }
}

static sql_expr *literal(parser *p, sql_lit_kind k)
{
    sql_expr *e = new_expr(p, SQL_EXPR_LITERAL, here(p));
    e->lit = k;
    return e;
}

static sql_expr *primary(parser *p)
{
    sql_token *t = cur(p);
    sql_pos pos = pos_of(t);
    switch (t->kind) {
    case SQL_TOK_NUMBER: {
        sql_expr *e = literal(p, SQL_LIT_NUMBER);
        e->num = t->num;
        e->text = t->str;
        e->text_len = t->str_len;
        next(p);
        return e;
    }
    case SQL_TOK_STRING: {
        sql_expr *e = literal(p, SQL_LIT_STRING);
        mc_buf b = MC_BUF_INIT;
        while (is_tok(p, SQL_TOK_STRING)) { /* 'abc' 'xyz' = 'abcxyz' (§1.2) */
            mc_buf_append(&b, cur(p)->str, cur(p)->str_len);
            next(p);
        }
        e->text_len = b.len;
        e->text = sql_arena_strndup(p->a, mc_buf_cstr(&b), b.len);
        mc_buf_free(&b);
        return e;
    }
    case SQL_TOK_BINARY: {
        sql_expr *e = literal(p, SQL_LIT_BINARY);
        e->text = t->str;
        e->text_len = t->str_len;
        next(p);
        return e;
    }
    case SQL_TOK_LPAREN: {
        next(p);
        if (starts_query(p)) {
            sql_expr *e = new_expr(p, SQL_EXPR_SUBQUERY, pos);
            if (!(e->query = query(p)) || !expect(p, SQL_TOK_RPAREN))
                return NULL;
            return e;
        }
        sql_expr *e = expr(p);
        if (!e || !expect(p, SQL_TOK_RPAREN))
            return NULL;
        return e;
    }
    case SQL_TOK_QIDENT:
    case SQL_TOK_IDENT:
        break;
    default:
        return fail(p);
    }
    /* words */
    if (t->kind == SQL_TOK_IDENT) {
        switch (t->kw) {
        case SQL_KW_NULL: {
            sql_expr *e = literal(p, SQL_LIT_NULL);
            next(p);
            return e;
        }
        case SQL_KW_TRUE: case SQL_KW_FALSE: {
            sql_expr *e = literal(p, SQL_LIT_BOOL);
            e->bval = t->kw == SQL_KW_TRUE;
            next(p);
            return e;
        }
        case SQL_KW_DATE: case SQL_KW_DATETIME: case SQL_KW_TIMESTAMP: case SQL_KW_TIMESTAMP_NTZ:
            if (ahead(p, 1)->kind == SQL_TOK_STRING) {
                sql_lit_kind k = t->kw == SQL_KW_DATE ? SQL_LIT_DATE
                               : t->kw == SQL_KW_DATETIME ? SQL_LIT_DATETIME
                               : t->kw == SQL_KW_TIMESTAMP ? SQL_LIT_TIMESTAMP : SQL_LIT_TIMESTAMP_NTZ;
                sql_expr *e = literal(p, k);
                next(p);
                e->text = cur(p)->str;
                e->text_len = cur(p)->str_len;
                next(p);
                return e;
            }
            break;
        case SQL_KW_CASE:
            return case_expr(p);
        case SQL_KW_CAST: {
            sql_expr *e = new_expr(p, SQL_EXPR_CAST, pos);
            next(p);
            if (!expect(p, SQL_TOK_LPAREN) || !(e->left = expr(p)) || !expect_kw(p, SQL_KW_AS) ||
                !(e->type = type(p)) || !expect(p, SQL_TOK_RPAREN))
                return NULL;
            return e;
        }
        case SQL_KW_EXISTS:
            if (ahead(p, 1)->kind == SQL_TOK_LPAREN) {
                sql_expr *e = new_expr(p, SQL_EXPR_EXISTS, pos);
                next(p);
                next(p);
                if (!(e->query = query(p)) || !expect(p, SQL_TOK_RPAREN))
                    return NULL;
                return e;
            }
            break;
        default:
            break;
        }
        if (sql_keyword_is_reserved(t->kw) && !(is_func_keyword(t) && ahead(p, 1)->kind == SQL_TOK_LPAREN))
            return fail(p);
        if (t->kw == SQL_KW_END) /* never a value: `case end` fails at END, as in Hive */
            return fail(p);
    }
    /* a path a.b.c, a function call f(...) / p.f(...), or t.* */
    char **parts = NULL;
    int n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            char **np = sql_arena_alloc(p->a, sizeof(char *) * (size_t)cap);
            if (n)
                memcpy(np, parts, sizeof(char *) * (size_t)n);
            parts = np;
        }
        parts[n++] = cur(p)->str;
        next(p);
        if (is_tok(p, SQL_TOK_LPAREN))
            return func_call(p, pos, parts, n);
        if (!is_tok(p, SQL_TOK_DOT))
            break;
        sql_token *after = ahead(p, 1);
        if (after->kind == SQL_TOK_STAR) {
            next(p);
            next(p);
            sql_expr *e = new_expr(p, SQL_EXPR_STAR, pos);
            e->parts = parts;
            e->nparts = n;
            return e;
        }
        if (after->kind != SQL_TOK_IDENT && after->kind != SQL_TOK_QIDENT) {
            next(p);
            return fail(p);
        }
        next(p); /* '.'; any word may follow (field names are not reserved) */
    }
    sql_expr *e = new_expr(p, SQL_EXPR_COLUMN, pos);
    e->parts = parts;
    e->nparts = n;
    return e;
}

/* primary followed by [index] and .field */
static sql_expr *postfix(parser *p)
{
    bool paren = is_tok(p, SQL_TOK_LPAREN); /* (s).f: a field of a parenthesised value */
    sql_expr *e = primary(p);
    while (e) {
        if (is_tok(p, SQL_TOK_LBRACKET)) {
            sql_expr *s = new_expr(p, SQL_EXPR_SUBSCRIPT, e->pos);
            s->op_pos = here(p);
            next(p);
            s->left = e;
            if (!(s->right = expr(p)) || !expect(p, SQL_TOK_RBRACKET))
                return NULL;
            e = s;
        } else if (is_tok(p, SQL_TOK_DOT) && (paren || (e->kind != SQL_EXPR_COLUMN && e->kind != SQL_EXPR_STAR))) {
            next(p);
            if (cur(p)->kind != SQL_TOK_IDENT && cur(p)->kind != SQL_TOK_QIDENT)
                return fail(p);
            sql_expr *f = new_expr(p, SQL_EXPR_FIELD, e->pos);
            f->left = e;
            f->parts = sql_arena_alloc(p->a, sizeof(char *));
            f->parts[0] = cur(p)->str;
            f->nparts = 1;
            next(p);
            e = f;
        } else {
            break;
        }
    }
    return e;
}

static sql_expr *unary(parser *p)
{
    sql_op op;
    if (is_tok(p, SQL_TOK_MINUS))
        op = SQL_OP_NEG;
    else if (is_tok(p, SQL_TOK_PLUS))
        op = SQL_OP_PLUS;
    else if (is_tok(p, SQL_TOK_TILDE))
        op = SQL_OP_BITNOT;
    else
        return postfix(p);
    sql_pos pos = here(p);
    next(p);
    if (!enter(p))
        return NULL;
    sql_expr *operand = unary(p);
    leave(p);
    if (!operand)
        return NULL;
    sql_expr *e = new_expr(p, SQL_EXPR_UNARY, pos);
    e->op = op;
    e->op_pos = pos;
    e->left = operand;
    return e;
}

/* Binary arithmetic/bitwise levels, loosest first (Hive's order, docs/sql-grammar.md). */
enum { LVL_BITOR, LVL_BITAND, LVL_CONCAT, LVL_ADD, LVL_MUL, LVL_XOR, LVL_UNARY };

static bool binop_at(parser *p, int lvl, sql_op *op)
{
    sql_token *t = cur(p);
    switch (lvl) {
    case LVL_BITOR: if (t->kind == SQL_TOK_PIPE) { *op = SQL_OP_BITOR; return true; } break;
    case LVL_BITAND: if (t->kind == SQL_TOK_AMP) { *op = SQL_OP_BITAND; return true; } break;
    case LVL_CONCAT: if (t->kind == SQL_TOK_CONCAT) { *op = SQL_OP_CONCAT; return true; } break;
    case LVL_ADD:
        if (t->kind == SQL_TOK_PLUS) { *op = SQL_OP_ADD; return true; }
        if (t->kind == SQL_TOK_MINUS) { *op = SQL_OP_SUB; return true; }
        break;
    case LVL_MUL:
        if (t->kind == SQL_TOK_STAR) { *op = SQL_OP_MUL; return true; }
        if (t->kind == SQL_TOK_SLASH) { *op = SQL_OP_DIV; return true; }
        if (t->kind == SQL_TOK_PERCENT) { *op = SQL_OP_MOD; return true; }
        if (tok_is_kw(t, SQL_KW_DIV)) { *op = SQL_OP_INTDIV; return true; }
        break;
    case LVL_XOR: if (t->kind == SQL_TOK_CARET) { *op = SQL_OP_BITXOR; return true; } break;
    }
    return false;
}

/* Precedence climbing over the left-associative binary levels. */
static sql_expr *arith(parser *p, int lvl)
{
    if (lvl == LVL_UNARY)
        return unary(p);
    sql_expr *l = arith(p, lvl + 1);
    sql_op op;
    while (l && binop_at(p, lvl, &op)) {
        sql_pos op_pos = here(p);
        next(p);
        sql_expr *r = arith(p, lvl + 1);
        if (!r)
            return NULL;
        l = binary(p, op, l, r, op_pos);
    }
    return l;
}

static bool comparison_op(parser *p, sql_op *op)
{
    switch (cur(p)->kind) {
    case SQL_TOK_EQ: *op = SQL_OP_EQ; return true;
    case SQL_TOK_NSEQ: *op = SQL_OP_NSEQ; return true;
    case SQL_TOK_NE: *op = SQL_OP_NE; return true;
    case SQL_TOK_LT: *op = SQL_OP_LT; return true;
    case SQL_TOK_LE: *op = SQL_OP_LE; return true;
    case SQL_TOK_GT: *op = SQL_OP_GT; return true;
    case SQL_TOK_GE: *op = SQL_OP_GE; return true;
    default: return false;
    }
}

/* comparison and predicates: = <=> <> < ..., IS [NOT] NULL, IS [NOT] DISTINCT FROM,
 * [NOT] IN, [NOT] BETWEEN, [NOT] LIKE|RLIKE|REGEXP. Left-associative. */
static sql_expr *predicate(parser *p)
{
    sql_expr *l = arith(p, LVL_BITOR);
    while (l) {
        sql_op op;
        sql_pos op_pos = here(p); /* the operator keyword or symbol */
        if (comparison_op(p, &op)) {
            next(p);
            sql_expr *r = arith(p, LVL_BITOR);
            if (!r)
                return NULL;
            l = binary(p, op, l, r, op_pos);
            continue;
        }
        if (is_kw(p, SQL_KW_IS)) {
            next(p);
            bool neg = accept_kw(p, SQL_KW_NOT);
            if (accept_kw(p, SQL_KW_NULL)) {
                sql_expr *e = new_expr(p, SQL_EXPR_IS_NULL, l->pos);
                e->left = l;
                e->negated = neg;
                e->op_pos = op_pos;
                l = e;
                continue;
            }
            if (tok_is_kw(cur(p), SQL_KW_DISTINCT) && tok_is_kw(ahead(p, 1), SQL_KW_FROM)) {
                /* a IS DISTINCT FROM b == NOT (a <=> b) */
                next(p);
                next(p);
                sql_expr *r = arith(p, LVL_BITOR);
                if (!r)
                    return NULL;
                sql_expr *e = binary(p, SQL_OP_NSEQ, l, r, op_pos);
                if (!neg) {
                    sql_expr *n = new_expr(p, SQL_EXPR_UNARY, l->pos);
                    n->op = SQL_OP_NOT;
                    n->op_pos = op_pos;
                    n->left = e;
                    e = n;
                }
                l = e;
                continue;
            }
            return fail(p);
        }
        bool neg = false;
        if (is_kw(p, SQL_KW_NOT) || is_tok(p, SQL_TOK_BANG)) {
            sql_token *a = ahead(p, 1);
            if (!(tok_is_kw(a, SQL_KW_IN) || tok_is_kw(a, SQL_KW_BETWEEN) || tok_is_kw(a, SQL_KW_LIKE) ||
                  tok_is_kw(a, SQL_KW_RLIKE) || tok_is_kw(a, SQL_KW_REGEXP)))
                break;
            next(p);
            neg = true;
        }
        if (accept_kw(p, SQL_KW_IN)) {
            if (!expect(p, SQL_TOK_LPAREN))
                return NULL;
            sql_expr *e;
            if (starts_query(p)) {
                e = new_expr(p, SQL_EXPR_IN_QUERY, l->pos);
                if (!(e->query = query(p)))
                    return NULL;
            } else {
                e = new_expr(p, SQL_EXPR_IN_LIST, l->pos);
                if (!expr_list(p, &e->args))
                    return NULL;
            }
            if (!expect(p, SQL_TOK_RPAREN))
                return NULL;
            e->left = l;
            e->negated = neg;
            e->op_pos = op_pos;
            l = e;
            continue;
        }
        if (accept_kw(p, SQL_KW_BETWEEN)) {
            sql_expr *e = new_expr(p, SQL_EXPR_BETWEEN, l->pos);
            e->op_pos = op_pos;
            e->left = l;
            e->negated = neg;
            if (!(e->right = arith(p, LVL_BITOR)) || !expect_kw(p, SQL_KW_AND) ||
                !(e->third = arith(p, LVL_BITOR)))
                return NULL;
            l = e;
            continue;
        }
        if (is_kw(p, SQL_KW_LIKE) || is_kw(p, SQL_KW_RLIKE) || is_kw(p, SQL_KW_REGEXP)) {
            sql_expr *e = new_expr(p, SQL_EXPR_LIKE, l->pos);
            e->op_pos = op_pos;
            e->op = is_kw(p, SQL_KW_LIKE) ? SQL_OP_LIKE : is_kw(p, SQL_KW_RLIKE) ? SQL_OP_RLIKE : SQL_OP_REGEXP;
            next(p);
            e->left = l;
            e->negated = neg;
            if (!(e->right = arith(p, LVL_BITOR)))
                return NULL;
            l = e;
            continue;
        }
        if (neg)
            return fail(p);
        break;
    }
    return l;
}

static sql_expr *not_expr(parser *p)
{
    if (is_kw(p, SQL_KW_NOT) || is_tok(p, SQL_TOK_BANG)) {
        sql_pos pos = here(p);
        next(p);
        if (!enter(p))
            return NULL;
        sql_expr *operand = not_expr(p);
        leave(p);
        if (!operand)
            return NULL;
        sql_expr *e = new_expr(p, SQL_EXPR_UNARY, pos);
        e->op = SQL_OP_NOT;
        e->op_pos = pos;
        e->left = operand;
        return e;
    }
    return predicate(p);
}

static sql_expr *and_expr(parser *p)
{
    sql_expr *l = not_expr(p);
    while (l && (is_kw(p, SQL_KW_AND) || is_tok(p, SQL_TOK_AMPAMP))) {
        sql_pos op_pos = here(p);
        next(p);
        sql_expr *r = not_expr(p);
        if (!r)
            return NULL;
        l = binary(p, SQL_OP_AND, l, r, op_pos);
    }
    return l;
}

static sql_expr *expr(parser *p)
{
    if (!enter(p))
        return NULL;
    sql_expr *l = and_expr(p);
    while (l && is_kw(p, SQL_KW_OR)) {
        sql_pos op_pos = here(p);
        next(p);
        sql_expr *r = and_expr(p);
        if (!r) {
            l = NULL;
            break;
        }
        l = binary(p, SQL_OP_OR, l, r, op_pos);
    }
    leave(p);
    return l;
}

/* ---------- queries ---------- */

static bool values_rows(parser *p, sql_list *rows)
{
    do {
        sql_list *row = node(p, sizeof *row);
        if (!expect(p, SQL_TOK_LPAREN) || !expr_list(p, row) || !expect(p, SQL_TOK_RPAREN))
            return false;
        sql_list_push(p->a, rows, row);
    } while (accept(p, SQL_TOK_COMMA));
    return true;
}

/* [TIMESTAMP | VERSION] AS OF expr | BETWEEN a AND b after a table name
 * (MaxCompute's time travel / incremental query, docs/sql-grammar.md). Both
 * words are contextual: "t timestamp" alone still makes an alias. */
static bool time_travel(parser *p, sql_table_ref *r)
{
    const sql_token *t = cur(p), *a = ahead(p, 1);
    sql_travel_kind k = tok_is_kw(t, SQL_KW_TIMESTAMP) ? SQL_TRAVEL_TIMESTAMP
                        : tok_is_word(t, "VERSION")    ? SQL_TRAVEL_VERSION
                                                       : SQL_TRAVEL_NONE;
    bool as_of = tok_is_kw(a, SQL_KW_AS) && tok_is_word(ahead(p, 2), "OF");
    if (k == SQL_TRAVEL_NONE || r->travel != SQL_TRAVEL_NONE || !(as_of || tok_is_kw(a, SQL_KW_BETWEEN)))
        return true;
    r->travel = k;
    r->travel_pos = here(p);
    next(p);
    if (as_of) {
        next(p);
        next(p);
        return (r->travel_at = arith(p, LVL_BITOR)) != NULL;
    }
    next(p);
    return (r->travel_at = arith(p, LVL_BITOR)) && expect_kw(p, SQL_KW_AND) &&
           (r->travel_end = arith(p, LVL_BITOR));
}

/* r followed by LATERAL VIEW [OUTER] udtf(args) alias [AS c1, ...] clauses,
 * each wrapping what precedes it; r itself when there are none. */
static sql_table_ref *lateral_views(parser *p, sql_table_ref *r)
{
    while (is_kw(p, SQL_KW_LATERAL)) {
        sql_table_ref *lv = node(p, sizeof *lv);
        lv->kind = SQL_TREF_LATERAL;
        lv->pos = here(p);
        next(p);
        if (!tok_is_word(cur(p), "VIEW"))
            return fail(p);
        next(p);
        if (accept_kw(p, SQL_KW_OUTER))
            lv->outer = true;
        lv->left = r;
        if (!(lv->func = postfix(p)) || lv->func->kind != SQL_EXPR_FUNC)
            return lv->func ? fail(p) : NULL;
        if (!(lv->alias = ident(p)))
            return NULL;
        if (accept_kw(p, SQL_KW_AS) && !ident_list(p, &lv->col_aliases))
            return NULL;
        r = lv;
    }
    return r;
}

/* table | (query) alias | (table refs) | VALUES (...) t(c..), then LATERAL VIEWs */
static sql_table_ref *table_primary(parser *p)
{
    if (!enter(p))
        return NULL;
    sql_table_ref *r = node(p, sizeof *r);
    r->pos = here(p);
    if (is_tok(p, SQL_TOK_LPAREN)) {
        next(p);
        if (starts_query(p) || is_tok(p, SQL_TOK_LPAREN)) {
            /* "((select ...))" is a query; "((a join b))" a nested join */
            size_t save = p->i;
            while (is_tok(p, SQL_TOK_LPAREN))
                next(p);
            bool q = starts_query(p);
            p->i = save;
            if (q) {
                r->kind = SQL_TREF_SUBQUERY;
                if (!(r->query = query(p)) || !expect(p, SQL_TOK_RPAREN))
                    goto fail;
                r->alias = opt_alias(p);
                if (p->failed)
                    goto fail;
                goto lateral;
            }
        }
        sql_table_ref *inner = table_refs(p);
        if (!inner || !expect(p, SQL_TOK_RPAREN))
            goto fail;
        r = inner;
    } else if (is_kw(p, SQL_KW_VALUES)) {
        next(p);
        r->kind = SQL_TREF_VALUES;
        if (!values_rows(p, &r->rows))
            goto fail;
        accept_kw(p, SQL_KW_AS);
        if (!(r->alias = ident(p)))
            goto fail;
        if (is_tok(p, SQL_TOK_LPAREN) && !paren_ident_list(p, &r->col_aliases))
            goto fail;
    } else {
        r->kind = SQL_TREF_TABLE;
        if (!qualified_name(p, &r->name) || !time_travel(p, r))
            goto fail;
        r->alias = opt_alias(p);
        if (p->failed || !time_travel(p, r))
            goto fail;
    }
lateral:
    r = lateral_views(p, r);
    leave(p);
    return r;
fail:
    leave(p);
    return NULL;
}

static bool join_kind(parser *p, sql_join_kind *k)
{
    if (accept(p, SQL_TOK_COMMA)) {
        *k = SQL_JOIN_COMMA;
        return true;
    }
    if (accept_kw(p, SQL_KW_JOIN)) {
        *k = SQL_JOIN_INNER;
        return true;
    }
    if (accept_kw(p, SQL_KW_INNER)) {
        *k = SQL_JOIN_INNER;
        return expect_kw(p, SQL_KW_JOIN);
    }
    if (accept_kw(p, SQL_KW_CROSS)) {
        *k = SQL_JOIN_CROSS;
        return expect_kw(p, SQL_KW_JOIN);
    }
    if (accept_kw(p, SQL_KW_LEFT)) {
        if (accept_kw(p, SQL_KW_SEMI))
            *k = SQL_JOIN_LEFT_SEMI;
        else if (accept_kw(p, SQL_KW_ANTI))
            *k = SQL_JOIN_LEFT_ANTI;
        else {
            accept_kw(p, SQL_KW_OUTER);
            *k = SQL_JOIN_LEFT;
        }
        return expect_kw(p, SQL_KW_JOIN);
    }
    if (accept_kw(p, SQL_KW_RIGHT) || accept_kw(p, SQL_KW_FULL)) {
        *k = tok_is_kw(&p->toks[p->i - 1], SQL_KW_RIGHT) ? SQL_JOIN_RIGHT : SQL_JOIN_FULL;
        accept_kw(p, SQL_KW_OUTER);
        return expect_kw(p, SQL_KW_JOIN);
    }
    return false;
}

static bool at_join(parser *p)
{
    sql_token *t = cur(p);
    return t->kind == SQL_TOK_COMMA || tok_is_kw(t, SQL_KW_JOIN) || tok_is_kw(t, SQL_KW_INNER) ||
           tok_is_kw(t, SQL_KW_CROSS) || tok_is_kw(t, SQL_KW_LEFT) || tok_is_kw(t, SQL_KW_RIGHT) ||
           tok_is_kw(t, SQL_KW_FULL);
}

/* Joins are left-associative: a JOIN b ON .. JOIN c ON .. = ((a b) c). */
static sql_table_ref *table_refs(parser *p)
{
    sql_table_ref *l = table_primary(p);
    while (l && at_join(p)) {
        sql_table_ref *j = node(p, sizeof *j);
        j->kind = SQL_TREF_JOIN;
        j->pos = l->pos;
        j->left = l;
        if (!join_kind(p, &j->join))
            return NULL;
        if (!(j->right = table_primary(p)))
            return NULL;
        if (j->join != SQL_JOIN_COMMA && j->join != SQL_JOIN_CROSS) {
            if (accept_kw(p, SQL_KW_ON)) {
                if (!(j->on = expr(p)))
                    return NULL;
            } else if (accept_kw(p, SQL_KW_USING)) {
                if (!paren_ident_list(p, &j->using_cols))
                    return NULL;
            }
        }
        /* `a JOIN b ON .. LATERAL VIEW explode(..) t AS c`: the view applies
         * to the join so far (Hive's lateralView after a joinSource). */
        l = lateral_views(p, j);
    }
    return l;
}

static sql_select_item *select_item(parser *p)
{
    sql_select_item *it = node(p, sizeof *it);
    it->pos = here(p);
    if (is_tok(p, SQL_TOK_STAR)) { /* a bare * is a select item, not an expression */
        it->expr = new_expr(p, SQL_EXPR_STAR, it->pos);
        next(p);
        return it;
    }
    if (!(it->expr = expr(p)))
        return NULL;
    if (it->expr->kind == SQL_EXPR_STAR)
        return it; /* `select * as a` -> invalid token 'as' (§3.6) */
    if (accept_kw(p, SQL_KW_AS)) {
        if (is_tok(p, SQL_TOK_LPAREN)) {
            if (!paren_ident_list(p, &it->aliases))
                return NULL;
        } else if (!(it->alias = ident(p))) {
            return NULL;
        }
    } else if (is_ident(p) && !is_alias_stop(cur(p))) {
        it->alias = ident(p);
    }
    return it;
}

static bool grouping_sets(parser *p, sql_select *s);

static bool group_by(parser *p, sql_select *s)
{
    if (is_kw(p, SQL_KW_ROLLUP) || is_kw(p, SQL_KW_CUBE)) {
        if (ahead(p, 1)->kind == SQL_TOK_LPAREN) {
            s->group_kind = is_kw(p, SQL_KW_ROLLUP) ? SQL_GROUP_ROLLUP : SQL_GROUP_CUBE;
            next(p);
            next(p);
            return expr_list(p, &s->group_by) && expect(p, SQL_TOK_RPAREN);
        }
    }
    if (is_kw(p, SQL_KW_GROUPING) && tok_is_kw(ahead(p, 1), SQL_KW_SETS))
        return grouping_sets(p, s);
    s->group_kind = SQL_GROUP_PLAIN;
    if (!expr_list(p, &s->group_by))
        return false;
    /* Hive form used in the MaxCompute docs: GROUP BY a, b GROUPING SETS ((a), (b)) */
    if (is_kw(p, SQL_KW_GROUPING) && tok_is_kw(ahead(p, 1), SQL_KW_SETS))
        return grouping_sets(p, s);
    /* Hive's trailing form: GROUP BY a, b WITH ROLLUP|CUBE */
    if (is_kw(p, SQL_KW_WITH) && (tok_is_kw(ahead(p, 1), SQL_KW_ROLLUP) || tok_is_kw(ahead(p, 1), SQL_KW_CUBE))) {
        next(p);
        s->group_kind = is_kw(p, SQL_KW_ROLLUP) ? SQL_GROUP_ROLLUP : SQL_GROUP_CUBE;
        next(p);
    }
    return true;
}

/* GROUPING SETS ((a, b), c, ()); group_by keeps any keys listed before it. */
static bool grouping_sets(parser *p, sql_select *s)
{
    s->group_kind = SQL_GROUP_SETS;
    next(p); /* GROUPING */
    next(p); /* SETS */
    if (!expect(p, SQL_TOK_LPAREN))
        return false;
    do {
        sql_list *set = node(p, sizeof *set);
        if (accept(p, SQL_TOK_LPAREN)) {
            if (!is_tok(p, SQL_TOK_RPAREN) && !expr_list(p, set))
                return false;
            if (!expect(p, SQL_TOK_RPAREN))
                return false;
        } else {
            sql_expr *e = expr(p);
            if (!e)
                return false;
            sql_list_push(p->a, set, e);
        }
        sql_list_push(p->a, &s->grouping_sets, set);
    } while (accept(p, SQL_TOK_COMMA));
    return expect(p, SQL_TOK_RPAREN);
}

/* FROM-first form: FROM t [WHERE ..] SELECT ... is handled by the caller passing from. */
static sql_select *select_core(parser *p, sql_table_ref *from_first, sql_expr *where_first)
{
    sql_select *s = node(p, sizeof *s);
    s->pos = here(p);
    if (!expect_kw(p, SQL_KW_SELECT))
        return NULL;
    while (is_tok(p, SQL_TOK_HINT)) {
        sql_list_push(p->a, &s->hints, cur(p)->str);
        next(p);
    }
    if (accept_kw(p, SQL_KW_DISTINCT))
        s->distinct = true;
    else if (accept_kw(p, SQL_KW_ALL))
        s->all = true;
    do {
        sql_select_item *it = select_item(p);
        if (!it)
            return NULL;
        sql_list_push(p->a, &s->items, it);
    } while (accept(p, SQL_TOK_COMMA));
    s->from = from_first;
    if (!from_first && accept_kw(p, SQL_KW_FROM) && !(s->from = table_refs(p)))
        return NULL;
    s->where = where_first;
    if (!where_first && accept_kw(p, SQL_KW_WHERE) && !(s->where = expr(p)))
        return NULL;
    if (accept_kw(p, SQL_KW_GROUP)) {
        if (!expect_kw(p, SQL_KW_BY) || !group_by(p, s))
            return NULL;
    }
    if (accept_kw(p, SQL_KW_HAVING) && !(s->having = expr(p)))
        return NULL;
    if (accept_kw(p, SQL_KW_WINDOW)) {
        do {
            sql_window_def *w = node(p, sizeof *w);
            w->pos = here(p);
            if (!(w->name = ident(p)) || !expect_kw(p, SQL_KW_AS))
                return NULL;
            sql_pos pos = here(p);
            if (!expect(p, SQL_TOK_LPAREN) || !(w->spec = window_spec_body(p, pos)))
                return NULL;
            sql_list_push(p->a, &s->windows, w);
        } while (accept(p, SQL_TOK_COMMA));
    }
    return s;
}

static sql_query *query_term(parser *p);

/* Set operations: INTERSECT binds tighter than UNION / EXCEPT / MINUS, which
 * are left-associative among themselves (standard SQL; docs/sql-grammar.md). */
static bool setop_at(parser *p, bool intersect_level, sql_setop *op, bool *minus)
{
    *minus = false;
    if (intersect_level) {
        if (is_kw(p, SQL_KW_INTERSECT)) {
            *op = SQL_SET_INTERSECT;
            return true;
        }
        return false;
    }
    if (is_kw(p, SQL_KW_UNION)) {
        *op = SQL_SET_UNION;
        return true;
    }
    if (is_kw(p, SQL_KW_EXCEPT) || is_kw(p, SQL_KW_MINUS)) {
        *op = SQL_SET_EXCEPT;
        *minus = is_kw(p, SQL_KW_MINUS);
        return true;
    }
    return false;
}

static sql_query *setop_level(parser *p, bool intersect_level)
{
    sql_query *l = intersect_level ? query_term(p) : setop_level(p, true);
    sql_setop op;
    bool minus;
    while (l && setop_at(p, intersect_level, &op, &minus)) {
        sql_query *q = node(p, sizeof *q);
        q->kind = SQL_QUERY_SETOP;
        q->pos = here(p);
        q->setop = op;
        q->minus = minus;
        next(p);
        if (accept_kw(p, SQL_KW_ALL))
            q->all = true;
        else if (accept_kw(p, SQL_KW_DISTINCT))
            q->distinct_given = true;
        q->left = l;
        if (!(q->right = intersect_level ? query_term(p) : setop_level(p, true)))
            return NULL;
        l = q;
    }
    return l;
}

static bool trailing_clauses(parser *p, sql_query *q)
{
    if (is_kw(p, SQL_KW_ORDER)) {
        q->order_pos = here(p);
        next(p);
        if (!expect_kw(p, SQL_KW_BY) || !order_list(p, &q->order_by))
            return false;
    }
    if (accept_kw(p, SQL_KW_CLUSTER)) {
        if (!expect_kw(p, SQL_KW_BY) || !expr_list(p, &q->cluster_by))
            return false;
    }
    if (accept_kw(p, SQL_KW_DISTRIBUTE)) {
        if (!expect_kw(p, SQL_KW_BY) || !expr_list(p, &q->distribute_by))
            return false;
    }
    if (accept_kw(p, SQL_KW_SORT)) {
        if (!expect_kw(p, SQL_KW_BY) || !order_list(p, &q->sort_by))
            return false;
    }
    if (accept_kw(p, SQL_KW_LIMIT)) {
        if (!(q->limit = expr(p)))
            return false;
        if (accept(p, SQL_TOK_COMMA)) { /* LIMIT m, n = LIMIT n OFFSET m */
            q->offset = q->limit;
            if (!(q->limit = expr(p)))
                return false;
        } else if (accept_kw(p, SQL_KW_OFFSET) && !(q->offset = expr(p))) {
            return false;
        }
    }
    return true;
}

/* A SELECT, FROM-first SELECT or ( query ). */
static sql_query *query_term(parser *p)
{
    if (!enter(p))
        return NULL;
    sql_query *q = NULL;
    if (is_tok(p, SQL_TOK_LPAREN)) {
        next(p);
        q = query(p);
        if (q && expect(p, SQL_TOK_RPAREN))
            q->parens = true;
        else
            q = NULL;
    } else {
        sql_table_ref *from = NULL;
        sql_expr *where = NULL;
        sql_pos pos = here(p);
        /* FROM t [WHERE c] SELECT ... (§3.6) */
        if (accept_kw(p, SQL_KW_FROM) &&
            (!(from = table_refs(p)) || (accept_kw(p, SQL_KW_WHERE) && !(where = expr(p))))) {
            leave(p);
            return NULL;
        }
        sql_select *s = select_core(p, from, where);
        if (s) {
            q = node(p, sizeof *q);
            q->kind = SQL_QUERY_SELECT;
            q->pos = pos;
            q->select = s;
        }
    }
    leave(p);
    return q;
}

static bool with_clause(parser *p, sql_list *ctes)
{
    if (!accept_kw(p, SQL_KW_WITH))
        return true;
    do {
        sql_cte *c = node(p, sizeof *c);
        c->pos = here(p);
        if (!(c->name = ident(p)))
            return false;
        if (is_tok(p, SQL_TOK_LPAREN) && !paren_ident_list(p, &c->columns))
            return false;
        if (!expect_kw(p, SQL_KW_AS) || !expect(p, SQL_TOK_LPAREN) || !(c->query = query(p)) ||
            !expect(p, SQL_TOK_RPAREN))
            return false;
        sql_list_push(p->a, ctes, c);
    } while (accept(p, SQL_TOK_COMMA));
    return true;
}

/* [WITH ...] set-operation tree [ORDER BY ...] [LIMIT ...]. The trailing
 * clauses bind to the whole set operation (2.0 rule, §3.6). */
static sql_query *query(parser *p)
{
    if (!enter(p))
        return NULL;
    sql_pos pos = here(p);
    sql_list ctes = {0};
    sql_query *q = NULL;
    if (with_clause(p, &ctes) && (q = setop_level(p, false))) {
        if (ctes.n) {
            for (size_t k = 0; k < q->ctes.n; k++) /* ( WITH b ... ) inside WITH a ... */
                sql_list_push(p->a, &ctes, q->ctes.items[k]);
            q->ctes = ctes;
            q->pos = pos;
        }
        if (!trailing_clauses(p, q))
            q = NULL;
    }
    leave(p);
    return q;
}

/* ---------- statements ---------- */

static sql_stmt *new_stmt(parser *p, sql_stmt_kind k, sql_pos pos)
{
    sql_stmt *s = node(p, sizeof *s);
    s->kind = k;
    s->pos = pos;
    return s;
}

/* PARTITION (k='v', k2) -- the PARTITION keyword already consumed. */
static sql_part_spec *part_spec(parser *p)
{
    sql_part_spec *ps = node(p, sizeof *ps);
    ps->pos = here(p);
    if (!expect(p, SQL_TOK_LPAREN))
        return NULL;
    do {
        sql_part_item *it = node(p, sizeof *it);
        it->pos = here(p);
        size_t save = p->i;
        if (!(it->key = ident(p)))
            return NULL;
        if (accept(p, SQL_TOK_EQ)) {
            if (!(it->value = arith(p, LVL_BITOR)))
                return NULL;
        } else if (!is_tok(p, SQL_TOK_COMMA) && !is_tok(p, SQL_TOK_RPAREN)) {
            /* filter form: pt > '2020', pt like '2020%' ... */
            p->i = save;
            it->key = NULL;
            if (!(it->filter = expr(p)))
                return NULL;
        }
        if (it->value && !is_tok(p, SQL_TOK_COMMA) && !is_tok(p, SQL_TOK_RPAREN)) {
            /* pt = '1' and ... : the whole item is a filter */
            p->i = save;
            it->key = NULL;
            it->value = NULL;
            if (!(it->filter = expr(p)))
                return NULL;
        }
        sql_list_push(p->a, &ps->items, it);
    } while (accept(p, SQL_TOK_COMMA));
    if (!expect(p, SQL_TOK_RPAREN))
        return NULL;
    return ps;
}

static bool opt_partition(parser *p, sql_part_spec **out)
{
    *out = NULL;
    if (!accept_kw(p, SQL_KW_PARTITION))
        return true;
    return (*out = part_spec(p)) != NULL;
}

static bool if_not_exists(parser *p, bool *out)
{
    if (!is_kw(p, SQL_KW_IF))
        return true;
    next(p);
    *out = true;
    return expect_kw(p, SQL_KW_NOT) && expect_kw(p, SQL_KW_EXISTS);
}

static bool if_exists(parser *p, bool *out)
{
    if (!is_kw(p, SQL_KW_IF))
        return true;
    next(p);
    *out = true;
    return expect_kw(p, SQL_KW_EXISTS);
}

static sql_column_def *column_def(parser *p, bool allow_constraints)
{
    sql_column_def *c = node(p, sizeof *c);
    c->pos = here(p);
    if (!(c->name = ident(p)) || !(c->type = type(p)))
        return NULL;
    for (;;) {
        if (allow_constraints && is_kw(p, SQL_KW_NOT)) {
            next(p);
            if (!expect_kw(p, SQL_KW_NULL))
                return NULL;
            c->not_null = true;
        } else if (allow_constraints && tok_is_word(cur(p), "DEFAULT")) {
            next(p);
            if (!(c->default_value = arith(p, LVL_BITOR)))
                return NULL;
        } else if (allow_constraints && is_kw(p, SQL_KW_PRIMARY)) {
            next(p);
            if (!expect_kw(p, SQL_KW_KEY))
                return NULL;
            c->primary_key = true;
        } else if (is_kw(p, SQL_KW_COMMENT)) {
            if (!opt_comment(p, &c->comment))
                return NULL;
        } else {
            return c;
        }
    }
}

static bool column_defs(parser *p, sql_list *cols, sql_list *pk, bool allow_constraints)
{
    if (!expect(p, SQL_TOK_LPAREN))
        return false;
    do {
        if (pk && is_kw(p, SQL_KW_PRIMARY)) {
            next(p);
            if (!expect_kw(p, SQL_KW_KEY) || !paren_ident_list(p, pk))
                return false;
            continue;
        }
        sql_column_def *c = column_def(p, allow_constraints);
        if (!c)
            return false;
        sql_list_push(p->a, cols, c);
    } while (accept(p, SQL_TOK_COMMA));
    return expect(p, SQL_TOK_RPAREN);
}

static bool properties(parser *p, sql_list *out)
{
    if (!expect(p, SQL_TOK_LPAREN))
        return false;
    do {
        sql_property *pr = node(p, sizeof *pr);
        pr->pos = here(p);
        if (!(pr->key = string_lit(p)) || !expect(p, SQL_TOK_EQ) || !(pr->value = string_lit(p)))
            return false;
        sql_list_push(p->a, out, pr);
    } while (accept(p, SQL_TOK_COMMA));
    return expect(p, SQL_TOK_RPAREN);
}

static bool lifecycle(parser *p, sql_stmt *s)
{
    if (!is_tok(p, SQL_TOK_NUMBER) || cur(p)->num != SQL_NUM_INT)
        return fail(p) != NULL;
    s->lifecycle = strtoll(cur(p)->str, NULL, 10);
    s->has_lifecycle = true;
    next(p);
    return true;
}

static sql_stmt *create_table(parser *p, sql_pos pos, bool external)
{
    sql_stmt *s = new_stmt(p, SQL_STMT_CREATE_TABLE, pos);
    s->external = external;
    if (!if_not_exists(p, &s->if_not_exists) || !qualified_name(p, &s->name))
        return NULL;
    s->has_name = true;
    if (accept_kw(p, SQL_KW_LIKE)) {
        s->has_like = true;
        if (!qualified_name(p, &s->like))
            return NULL;
    } else if (is_tok(p, SQL_TOK_LPAREN)) {
        if (!column_defs(p, &s->columns, &s->primary_key, true))
            return NULL;
    }
    /* table options, in the documented order but accepted in any (§3.2) */
    for (;;) {
        if (is_kw(p, SQL_KW_COMMENT)) {
            if (!opt_comment(p, &s->comment))
                return NULL;
        } else if (accept_kw(p, SQL_KW_PARTITIONED)) {
            if (!expect_kw(p, SQL_KW_BY) || !column_defs(p, &s->partition_cols, NULL, false))
                return NULL;
        } else if (accept_word(p, "CLUSTERED")) {
            if (!expect_kw(p, SQL_KW_BY) || !paren_ident_list(p, &s->clustered_by))
                return NULL;
            if (accept_word(p, "SORTED")) {
                if (!expect_kw(p, SQL_KW_BY) || !expect(p, SQL_TOK_LPAREN) || !order_list(p, &s->sorted_by) ||
                    !expect(p, SQL_TOK_RPAREN))
                    return NULL;
            }
            if (!expect_kw(p, SQL_KW_INTO))
                return NULL;
            if (!is_tok(p, SQL_TOK_NUMBER) || cur(p)->num != SQL_NUM_INT)
                return fail(p);
            s->buckets = strtoll(cur(p)->str, NULL, 10);
            next(p);
            if (!accept_word(p, "BUCKETS"))
                return fail(p);
        } else if (accept_word(p, "STORED")) {
            if (accept_kw(p, SQL_KW_BY)) {
                if (!(s->stored_by = string_lit(p)))
                    return NULL;
            } else if (accept_kw(p, SQL_KW_AS)) {
                if (!(s->stored_as = ident(p)))
                    return NULL;
            } else {
                return fail(p);
            }
        } else if (is_kw(p, SQL_KW_WITH) && tok_is_word(ahead(p, 1), "SERDEPROPERTIES")) {
            next(p);
            next(p);
            if (!properties(p, &s->serde_properties))
                return NULL;
        } else if (accept_word(p, "LOCATION")) {
            if (!(s->location = string_lit(p)))
                return NULL;
        } else if (accept_kw(p, SQL_KW_TBLPROPERTIES)) {
            if (!properties(p, &s->properties))
                return NULL;
        } else if (accept_kw(p, SQL_KW_LIFECYCLE)) {
            if (!lifecycle(p, s))
                return NULL;
        } else {
            break;
        }
    }
    if (accept_kw(p, SQL_KW_AS)) {
        if (!(s->query = query(p)))
            return NULL;
    }
    return s;
}

/* ALTER TABLE t [PARTITION (spec)] COMPACT MAJOR|MINOR (maxcompute-sql.md;
 * MaxCompute's COMPACTION topic for Delta/transactional tables). */
static sql_stmt *compact_kind(parser *p, sql_stmt *s)
{
    s->alter = SQL_ALTER_COMPACT;
    if (accept_word(p, "MAJOR"))
        s->compact_major = true;
    else if (!accept_word(p, "MINOR"))
        return fail(p);
    return s;
}

static sql_stmt *alter_table(parser *p, sql_pos pos)
{
    sql_stmt *s = new_stmt(p, SQL_STMT_ALTER_TABLE, pos);
    if (!expect_kw(p, SQL_KW_TABLE) || !qualified_name(p, &s->name))
        return NULL;
    s->has_name = true;
    if (accept_kw(p, SQL_KW_ADD)) {
        if (accept_kw(p, SQL_KW_COLUMNS)) {
            s->alter = SQL_ALTER_ADD_COLUMNS;
            return column_defs(p, &s->columns, NULL, true) ? s : NULL;
        }
        s->alter = SQL_ALTER_ADD_PARTITION;
        if (!if_not_exists(p, &s->if_not_exists) || !expect_kw(p, SQL_KW_PARTITION))
            return NULL;
        do {
            sql_part_spec *ps = part_spec(p);
            if (!ps)
                return NULL;
            sql_list_push(p->a, &s->partitions, ps);
        } while (accept_kw(p, SQL_KW_PARTITION));
        return s;
    }
    if (accept_kw(p, SQL_KW_DROP)) {
        if (accept_kw(p, SQL_KW_COLUMNS)) {
            s->alter = SQL_ALTER_DROP_COLUMNS;
            sql_list names = {0};
            if (!ident_list(p, &names))
                return NULL;
            for (size_t i = 0; i < names.n; i++) {
                sql_column_def *c = node(p, sizeof *c);
                c->name = names.items[i];
                sql_list_push(p->a, &s->columns, c);
            }
            return s;
        }
        s->alter = SQL_ALTER_DROP_PARTITION;
        if (!if_exists(p, &s->if_exists) || !expect_kw(p, SQL_KW_PARTITION))
            return NULL;
        do {
            sql_part_spec *ps = part_spec(p);
            if (!ps)
                return NULL;
            sql_list_push(p->a, &s->partitions, ps);
        } while (accept(p, SQL_TOK_COMMA) && expect_kw(p, SQL_KW_PARTITION));
        return p->failed ? NULL : s;
    }
    if (accept_kw(p, SQL_KW_RENAME)) {
        s->alter = SQL_ALTER_RENAME;
        return expect_kw(p, SQL_KW_TO) && qualified_name(p, &s->new_name) ? s : NULL;
    }
    if (accept_kw(p, SQL_KW_CHANGE)) {
        accept_kw(p, SQL_KW_COLUMN);
        if (!(s->col_name = ident(p)))
            return NULL;
        if (accept_kw(p, SQL_KW_RENAME)) {
            s->alter = SQL_ALTER_RENAME_COLUMN;
            return expect_kw(p, SQL_KW_TO) && (s->new_col_name = ident(p)) ? s : NULL;
        }
        s->alter = SQL_ALTER_CHANGE_COLUMN;
        sql_column_def *c = column_def(p, false);
        if (!c)
            return NULL;
        s->new_col_name = c->name;
        sql_list_push(p->a, &s->columns, c);
        return s;
    }
    if (accept_kw(p, SQL_KW_SET)) {
        if (accept_kw(p, SQL_KW_TBLPROPERTIES)) {
            s->alter = SQL_ALTER_SET_TBLPROPERTIES;
            return properties(p, &s->properties) ? s : NULL;
        }
        if (accept_kw(p, SQL_KW_LIFECYCLE)) {
            s->alter = SQL_ALTER_SET_LIFECYCLE;
            return lifecycle(p, s) ? s : NULL;
        }
        if (accept_kw(p, SQL_KW_COMMENT)) {
            s->alter = SQL_ALTER_SET_COMMENT;
            return (s->comment = string_lit(p)) ? s : NULL;
        }
        return fail(p);
    }
    if (accept_kw(p, SQL_KW_TOUCH)) {
        s->alter = SQL_ALTER_TOUCH;
        sql_part_spec *ps;
        if (!opt_partition(p, &ps))
            return NULL;
        if (ps)
            sql_list_push(p->a, &s->partitions, ps);
        return s;
    }
    if (accept_word(p, "COMPACT"))
        return compact_kind(p, s);
    if (accept_kw(p, SQL_KW_PARTITION)) {
        sql_part_spec *from = part_spec(p);
        if (!from)
            return NULL;
        sql_list_push(p->a, &s->partitions, from);
        if (accept_word(p, "COMPACT"))
            return compact_kind(p, s);
        if (accept_kw(p, SQL_KW_RENAME)) {
            s->alter = SQL_ALTER_RENAME_PARTITION;
            sql_part_spec *to;
            if (!expect_kw(p, SQL_KW_TO) || !expect_kw(p, SQL_KW_PARTITION) || !(to = part_spec(p)))
                return NULL;
            sql_list_push(p->a, &s->partitions, to);
            return s;
        }
    }
    /* other ALTER forms (CLUSTERED BY, MERGE SMALLFILES, ...): kept so execution can refuse */
    s->alter = SQL_ALTER_OTHER;
    while (!is_tok(p, SQL_TOK_SEMI) && !is_tok(p, SQL_TOK_EOF))
        next(p);
    return s;
}

/* INSERT INTO|OVERWRITE [TABLE] t [PARTITION (..)] [(cols)] (VALUES ... | query);
 * branch: a multi-insert branch, whose SELECT reads the statement's FROM. */
static sql_insert *insert_body(parser *p, bool branch)
{
    sql_insert *ins = node(p, sizeof *ins);
    ins->pos = here(p);
    if (!expect_kw(p, SQL_KW_INSERT))
        return NULL;
    if (accept_kw(p, SQL_KW_OVERWRITE)) {
        ins->overwrite = true;
        if (!expect_kw(p, SQL_KW_TABLE)) /* INSERT OVERWRITE needs TABLE (§3.4) */
            return NULL;
        ins->table_kw = true;
    } else {
        if (!expect_kw(p, SQL_KW_INTO))
            return NULL;
        ins->table_kw = accept_kw(p, SQL_KW_TABLE);
    }
    if (!qualified_name(p, &ins->table) || !opt_partition(p, &ins->partition))
        return NULL;
    if (is_tok(p, SQL_TOK_LPAREN)) {
        sql_token *a = ahead(p, 1);
        bool is_query = tok_is_kw(a, SQL_KW_SELECT) || tok_is_kw(a, SQL_KW_WITH) ||
                        tok_is_kw(a, SQL_KW_FROM) || a->kind == SQL_TOK_LPAREN;
        if (!is_query && !paren_ident_list(p, &ins->columns))
            return NULL;
    }
    if (!branch && accept_kw(p, SQL_KW_VALUES))
        return values_rows(p, &ins->values) ? ins : NULL;
    if (branch) {
        sql_query *q = node(p, sizeof *q);
        q->kind = SQL_QUERY_SELECT;
        q->pos = here(p);
        if (!(q->select = select_core(p, NULL, NULL)) || !trailing_clauses(p, q))
            return NULL;
        ins->query = q;
        return ins;
    }
    return (ins->query = query(p)) ? ins : NULL;
}

static sql_stmt *show(parser *p, sql_pos pos)
{
    if (accept_kw(p, SQL_KW_SCHEMAS)) {
        sql_stmt *s = new_stmt(p, SQL_STMT_SHOW_SCHEMAS, pos);
        if (accept_kw(p, SQL_KW_IN)) {
            s->has_name = true;
            if (!qualified_name(p, &s->name))
                return NULL;
        }
        return s;
    }
    if (accept_kw(p, SQL_KW_TABLES)) {
        sql_stmt *s = new_stmt(p, SQL_STMT_SHOW_TABLES, pos);
        if (accept_kw(p, SQL_KW_IN) || accept_kw(p, SQL_KW_FROM)) {
            s->has_name = true;
            if (!qualified_name(p, &s->name))
                return NULL;
        }
        if (accept_kw(p, SQL_KW_LIKE) && !(s->pattern = string_lit(p)))
            return NULL;
        return s;
    }
    if (accept_kw(p, SQL_KW_PARTITIONS)) {
        sql_stmt *s = new_stmt(p, SQL_STMT_SHOW_PARTITIONS, pos);
        s->has_name = true;
        if (!qualified_name(p, &s->name) || !opt_partition(p, &s->partition))
            return NULL;
        return s;
    }
    if (accept_kw(p, SQL_KW_CREATE)) {
        sql_stmt *s = new_stmt(p, SQL_STMT_SHOW_CREATE_TABLE, pos);
        s->has_name = true;
        if (!expect_kw(p, SQL_KW_TABLE) || !qualified_name(p, &s->name))
            return NULL;
        return s;
    }
    return fail(p);
}

/* SET key=value: both raw source text, trimmed; the value runs to ';'. */
static sql_stmt *set_stmt(parser *p, sql_pos pos)
{
    sql_stmt *s = new_stmt(p, SQL_STMT_SET, pos);
    if (is_tok(p, SQL_TOK_SEMI) || is_tok(p, SQL_TOK_EOF) || is_tok(p, SQL_TOK_EQ))
        return fail(p);
    const char *k0 = cur(p)->start;
    while (!is_tok(p, SQL_TOK_EQ)) {
        if (is_tok(p, SQL_TOK_SEMI) || is_tok(p, SQL_TOK_EOF))
            return fail(p);
        next(p);
    }
    const char *k1 = cur(p)->start;
    while (k1 > k0 && (k1[-1] == ' ' || k1[-1] == '\t' || k1[-1] == '\n' || k1[-1] == '\r'))
        k1--;
    s->key = sql_arena_strndup(p->a, k0, (size_t)(k1 - k0));
    const char *v0 = cur(p)->start + cur(p)->len;
    next(p);
    while (!is_tok(p, SQL_TOK_SEMI) && !is_tok(p, SQL_TOK_EOF))
        next(p);
    const char *v1 = cur(p)->start;
    while (v0 < v1 && (*v0 == ' ' || *v0 == '\t' || *v0 == '\n' || *v0 == '\r'))
        v0++;
    while (v1 > v0 && (v1[-1] == ' ' || v1[-1] == '\t' || v1[-1] == '\n' || v1[-1] == '\r'))
        v1--;
    s->value = sql_arena_strndup(p->a, v0, (size_t)(v1 - v0));
    return s;
}

static sql_stmt *statement(parser *p);

static bool assignments(parser *p, sql_list *out)
{
    do {
        sql_assignment *a = node(p, sizeof *a);
        a->pos = here(p);
        /* the target is a column path: c or t.c */
        sql_name path;
        if (!qualified_name(p, &path))
            return false;
        a->target = new_expr(p, SQL_EXPR_COLUMN, path.pos);
        a->target->nparts = path.n;
        a->target->parts = sql_arena_alloc(p->a, sizeof(char *) * (size_t)path.n);
        memcpy(a->target->parts, path.parts, sizeof(char *) * (size_t)path.n);
        if (!expect(p, SQL_TOK_EQ) || !(a->value = expr(p)))
            return false;
        sql_list_push(p->a, out, a);
    } while (accept(p, SQL_TOK_COMMA));
    return true;
}

static sql_stmt *merge_stmt(parser *p, sql_pos pos)
{
    sql_stmt *s = new_stmt(p, SQL_STMT_MERGE, pos);
    s->has_name = true;
    if (!expect_kw(p, SQL_KW_INTO) || !qualified_name(p, &s->name))
        return NULL;
    s->alias = opt_alias(p);
    if (p->failed || !expect_kw(p, SQL_KW_USING) || !(s->from = table_primary(p)) ||
        !expect_kw(p, SQL_KW_ON) || !(s->on = expr(p)))
        return NULL;
    if (!is_kw(p, SQL_KW_WHEN))
        return fail(p);
    while (accept_kw(p, SQL_KW_WHEN)) {
        sql_merge_clause *c = node(p, sizeof *c);
        c->pos = here(p);
        c->matched = !accept_kw(p, SQL_KW_NOT);
        if (!accept_word(p, "MATCHED"))
            return fail(p);
        if (accept_kw(p, SQL_KW_AND) && !(c->cond = expr(p)))
            return NULL;
        if (!expect_kw(p, SQL_KW_THEN))
            return NULL;
        if (c->matched && accept_kw(p, SQL_KW_UPDATE)) {
            c->action = SQL_MERGE_UPDATE;
            if (!expect_kw(p, SQL_KW_SET) || !assignments(p, &c->assignments))
                return NULL;
        } else if (c->matched && accept_kw(p, SQL_KW_DELETE)) {
            c->action = SQL_MERGE_DELETE;
        } else if (!c->matched && accept_kw(p, SQL_KW_INSERT)) {
            c->action = SQL_MERGE_INSERT;
            if (is_tok(p, SQL_TOK_LPAREN) && !paren_ident_list(p, &c->columns))
                return NULL;
            if (!expect_kw(p, SQL_KW_VALUES) || !expect(p, SQL_TOK_LPAREN) || !expr_list(p, &c->values) ||
                !expect(p, SQL_TOK_RPAREN))
                return NULL;
        } else {
            return fail(p);
        }
        sql_list_push(p->a, &s->merge_clauses, c);
    }
    return s;
}

static sql_stmt *statement_body(parser *p)
{
    sql_token *t = cur(p);
    sql_pos pos = pos_of(t);
    if (t->kind == SQL_TOK_LPAREN) {
        sql_stmt *s = new_stmt(p, SQL_STMT_QUERY, pos);
        return (s->query = query(p)) ? s : NULL;
    }
    if (t->kind != SQL_TOK_IDENT)
        return fail(p);
    switch (t->kw) {
    case SQL_KW_SELECT: {
        sql_stmt *s = new_stmt(p, SQL_STMT_QUERY, pos);
        return (s->query = query(p)) ? s : NULL;
    }
    case SQL_KW_WITH: case SQL_KW_FROM: {
        /* WITH ... INSERT and FROM src INSERT ... (multi-insert) versus a query
         * that starts the same way: look past the prefix, rewind for a query */
        size_t save = p->i;
        sql_list ctes = {0};
        sql_table_ref *from = NULL;
        bool ok;
        if (t->kw == SQL_KW_WITH) {
            ok = with_clause(p, &ctes);
        } else {
            next(p);
            ok = (from = table_refs(p)) != NULL;
        }
        if (ok && is_kw(p, SQL_KW_INSERT)) {
            if (from) {
                sql_stmt *s = new_stmt(p, SQL_STMT_MULTI_INSERT, pos);
                s->from = from;
                while (is_kw(p, SQL_KW_INSERT)) {
                    sql_insert *ins = insert_body(p, true);
                    if (!ins)
                        return NULL;
                    sql_list_push(p->a, &s->inserts, ins);
                }
                return s;
            }
            sql_stmt *s = new_stmt(p, SQL_STMT_INSERT, pos);
            s->ctes = ctes;
            return (s->insert = insert_body(p, false)) ? s : NULL;
        }
        if (!ok)
            return NULL;
        p->i = save;
        sql_stmt *s = new_stmt(p, SQL_STMT_QUERY, pos);
        return (s->query = query(p)) ? s : NULL;
    }
    case SQL_KW_INSERT: {
        sql_stmt *s = new_stmt(p, SQL_STMT_INSERT, pos);
        return (s->insert = insert_body(p, false)) ? s : NULL;
    }
    case SQL_KW_SET:
        next(p);
        return set_stmt(p, pos);
    case SQL_KW_SHOW:
        next(p);
        return show(p, pos);
    case SQL_KW_USE: {
        next(p);
        sql_stmt *s = new_stmt(p, SQL_STMT_USE_SCHEMA, pos);
        if (is_kw(p, SQL_KW_SCHEMA) && ahead(p, 1)->kind != SQL_TOK_SEMI && ahead(p, 1)->kind != SQL_TOK_EOF) {
            next(p);
            s->schema_kw = true;
        }
        s->has_name = true;
        return qualified_name(p, &s->name) ? s : NULL;
    }
    case SQL_KW_CREATE: {
        next(p);
        if (accept_kw(p, SQL_KW_SCHEMA)) {
            sql_stmt *s = new_stmt(p, SQL_STMT_CREATE_SCHEMA, pos);
            s->has_name = true;
            if (!if_not_exists(p, &s->if_not_exists) || !qualified_name(p, &s->name))
                return NULL;
            if (is_kw(p, SQL_KW_COMMENT) && !opt_comment(p, &s->comment))
                return NULL;
            return s;
        }
        bool or_replace = false;
        if (is_kw(p, SQL_KW_OR)) {
            next(p);
            if (!expect_kw(p, SQL_KW_REPLACE))
                return NULL;
            or_replace = true;
        }
        if (or_replace || is_kw(p, SQL_KW_VIEW)) {
            /* CREATE [OR REPLACE] VIEW [IF NOT EXISTS] v [(cols)] [COMMENT '..'] AS query */
            sql_stmt *s = new_stmt(p, SQL_STMT_CREATE_VIEW, pos);
            s->or_replace = or_replace;
            s->has_name = true;
            if (!expect_kw(p, SQL_KW_VIEW) || !if_not_exists(p, &s->if_not_exists) ||
                !qualified_name(p, &s->name))
                return NULL;
            if (is_tok(p, SQL_TOK_LPAREN) && !paren_ident_list(p, &s->view_columns))
                return NULL;
            if (is_kw(p, SQL_KW_COMMENT) && !opt_comment(p, &s->comment))
                return NULL;
            if (!expect_kw(p, SQL_KW_AS))
                return NULL;
            return (s->query = query(p)) ? s : NULL;
        }
        bool external = accept_kw(p, SQL_KW_EXTERNAL);
        if (!expect_kw(p, SQL_KW_TABLE))
            return NULL;
        return create_table(p, pos, external);
    }
    case SQL_KW_DROP: {
        next(p);
        sql_stmt *s;
        if (accept_kw(p, SQL_KW_SCHEMA))
            s = new_stmt(p, SQL_STMT_DROP_SCHEMA, pos);
        else if (accept_kw(p, SQL_KW_TABLE))
            s = new_stmt(p, SQL_STMT_DROP_TABLE, pos);
        else if (accept_kw(p, SQL_KW_VIEW))
            s = new_stmt(p, SQL_STMT_DROP_VIEW, pos);
        else
            return fail(p);
        s->has_name = true;
        return if_exists(p, &s->if_exists) && qualified_name(p, &s->name) ? s : NULL;
    }
    case SQL_KW_TRUNCATE: {
        next(p);
        sql_stmt *s = new_stmt(p, SQL_STMT_TRUNCATE_TABLE, pos);
        s->has_name = true;
        return expect_kw(p, SQL_KW_TABLE) && qualified_name(p, &s->name) &&
               opt_partition(p, &s->partition) ? s : NULL;
    }
    case SQL_KW_DESC: case SQL_KW_DESCRIBE: {
        next(p);
        if (accept_kw(p, SQL_KW_SCHEMA)) {
            sql_stmt *s = new_stmt(p, SQL_STMT_DESC_SCHEMA, pos);
            s->has_name = true;
            return qualified_name(p, &s->name) ? s : NULL;
        }
        sql_stmt *s = new_stmt(p, SQL_STMT_DESC_TABLE, pos);
        if (is_kw(p, SQL_KW_EXTENDED) && tok_is_ident(ahead(p, 1))) {
            next(p);
            s->extended = true;
        }
        s->has_name = true;
        return qualified_name(p, &s->name) && opt_partition(p, &s->partition) ? s : NULL;
    }
    case SQL_KW_ALTER:
        next(p);
        return alter_table(p, pos);
    case SQL_KW_UPDATE: {
        next(p);
        sql_stmt *s = new_stmt(p, SQL_STMT_UPDATE, pos);
        s->has_name = true;
        if (!qualified_name(p, &s->name) || !opt_partition(p, &s->partition) || !expect_kw(p, SQL_KW_SET) ||
            !assignments(p, &s->assignments))
            return NULL;
        if (accept_kw(p, SQL_KW_FROM) && !(s->from = table_refs(p)))
            return NULL;
        if (accept_kw(p, SQL_KW_WHERE) && !(s->where = expr(p)))
            return NULL;
        return s;
    }
    case SQL_KW_DELETE: {
        next(p);
        sql_stmt *s = new_stmt(p, SQL_STMT_DELETE, pos);
        s->has_name = true;
        if (!expect_kw(p, SQL_KW_FROM) || !qualified_name(p, &s->name) || !opt_partition(p, &s->partition))
            return NULL;
        if (accept_kw(p, SQL_KW_WHERE) && !(s->where = expr(p)))
            return NULL;
        return s;
    }
    case SQL_KW_NONE:
        if (tok_is_word(t, "MERGE") && tok_is_kw(ahead(p, 1), SQL_KW_INTO)) {
            next(p);
            return merge_stmt(p, pos);
        }
        return fail(p);
    case SQL_KW_EXPLAIN: {
        next(p);
        sql_stmt *s = new_stmt(p, SQL_STMT_EXPLAIN, pos);
        return (s->inner = statement(p)) ? s : NULL;
    }
    default:
        return fail(p);
    }
}

static sql_stmt *statement(parser *p)
{
    if (!enter(p))
        return NULL;
    const char *start = cur(p)->start;
    sql_stmt *s = statement_body(p);
    leave(p);
    if (!s)
        return NULL;
    const sql_token *last = p->i > 0 ? &p->toks[p->i - 1] : cur(p);
    const char *end = last->start + last->len;
    s->text = sql_arena_strndup(p->a, start, end > start ? (size_t)(end - start) : 0);
    return s;
}

/* ---------- entry points ---------- */

static int tokenize(parser *p, const char *text, size_t len)
{
    sql_lexer lx;
    sql_lexer_init(&lx, p->a, text, len);
    size_t cap = 64;
    p->toks = mc_malloc(cap * sizeof(sql_token));
    p->n = 0;
    for (;;) {
        sql_token t;
        if (sql_lexer_next(&t, &lx, p->err) != 0) {
            p->failed = true;
            return -1;
        }
        /* hints mean something only right after SELECT; elsewhere they are comments */
        if (t.kind == SQL_TOK_HINT && !(p->n > 0 && tok_is_kw(&p->toks[p->n - 1], SQL_KW_SELECT)) &&
            !(p->n > 0 && p->toks[p->n - 1].kind == SQL_TOK_HINT))
            continue;
        if (p->n == cap) {
            cap *= 2;
            p->toks = mc_realloc(p->toks, cap * sizeof(sql_token));
        }
        p->toks[p->n++] = t;
        if (t.kind == SQL_TOK_EOF)
            return 0;
    }
}

int sql_parse_n(sql_script **out, sql_arena *arena, const char *text, size_t len, sql_error *err)
{
    assert(out && arena && text);
    *out = NULL;
    sql_error_clear(err);
    parser p = {.a = arena, .src = text, .err = err};
    if (tokenize(&p, text, len) != 0) {
        free(p.toks);
        return -1;
    }
    sql_script *sc = sql_arena_alloc(arena, sizeof *sc);
    while (!is_tok(&p, SQL_TOK_EOF)) {
        if (accept(&p, SQL_TOK_SEMI))
            continue;
        sql_stmt *s = statement(&p);
        if (!s)
            break;
        if (!is_tok(&p, SQL_TOK_SEMI) && !is_tok(&p, SQL_TOK_EOF)) {
            fail(&p);
            break;
        }
        sql_list_push(arena, &sc->stmts, s);
    }
    free(p.toks);
    if (p.failed) {
        if (err && !err->code[0]) /* a path that returned NULL without a message */
            sql_error_set(err, SQL_ODPS_PARSE, 1, 1, "invalid token");
        return -1;
    }
    *out = sc;
    return 0;
}

int sql_parse(sql_script **out, sql_arena *arena, const char *text, sql_error *err)
{
    return sql_parse_n(out, arena, text, strlen(text), err);
}

int sql_parse_expr(sql_expr **out, sql_arena *arena, const char *text, sql_error *err)
{
    *out = NULL;
    sql_error_clear(err);
    parser p = {.a = arena, .src = text, .err = err};
    if (tokenize(&p, text, strlen(text)) != 0) {
        free(p.toks);
        return -1;
    }
    sql_expr *e = expr(&p);
    if (e && !is_tok(&p, SQL_TOK_EOF))
        e = fail(&p);
    free(p.toks);
    if (!e) {
        if (err && !err->code[0])
            sql_error_set(err, SQL_ODPS_PARSE, 1, 1, "invalid token");
        return -1;
    }
    *out = e;
    return 0;
}

int sql_parse_stmt(sql_stmt **out, sql_arena *arena, const char *text, sql_error *err)
{
    *out = NULL;
    sql_error_clear(err);
    parser p = {.a = arena, .src = text, .err = err};
    if (tokenize(&p, text, strlen(text)) != 0) {
        free(p.toks);
        return -1;
    }
    sql_stmt *s = statement(&p);
    if (s) {
        accept(&p, SQL_TOK_SEMI);
        if (!is_tok(&p, SQL_TOK_EOF))
            s = fail(&p);
    }
    free(p.toks);
    if (!s) {
        if (err && !err->code[0])
            sql_error_set(err, SQL_ODPS_PARSE, 1, 1, "invalid token");
        return -1;
    }
    *out = s;
    return 0;
}

/* ---------- script splitting ---------- */

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void split_emit(sql_list *out, sql_arena *a, const char *s, const char *e, int line, int col)
{
    while (e > s && is_blank(e[-1]))
        e--;
    if (e == s)
        return;
    sql_stmt_text *st = sql_arena_alloc(a, sizeof *st);
    st->text = sql_arena_strndup(a, s, (size_t)(e - s));
    st->line = line;
    st->col = col;
    sql_list_push(a, out, st);
}

void sql_script_split(sql_list *out, sql_arena *a, const char *text)
{
    size_t n = strlen(text), total;
    bool complete;
    sql_split(NULL, 0, text, n, &total, &complete);
    sql_piece *pieces = calloc(total ? total : 1, sizeof *pieces);
    if (!pieces)
        abort();
    sql_split(pieces, total, text, n, &total, &complete);
    for (size_t i = 0; i < total; i++)
        split_emit(out, a, text + pieces[i].start, text + pieces[i].start + pieces[i].len, pieces[i].line,
                   pieces[i].col);
    free(pieces);
}
