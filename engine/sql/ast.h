/*
 * sql AST: the typed tree the parser builds for a MaxCompute SQL script
 * (reference/maxcompute-sql.md §3 statements, §1 types and literals).
 *
 * Ownership: every node, list and string lives in the sql_arena given to
 * sql_parse; nothing here is freed individually. Every node carries the
 * 1-based [line,col] of its first token (`pos`), which is what MaxCompute
 * reports in errors, so the binder can say `ODPS-0130131:[1,15] ...` for the
 * table-name token.
 *
 * Names are kept as written (case preserved; back-quotes removed). The parser
 * does not resolve anything: `a.b.c` in an expression is a column path whose
 * meaning (table.column, column.field, ...) the binder decides.
 */
#ifndef SQL_AST_H
#define SQL_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "sql/arena.h"
#include "sql/lexer.h"

typedef struct {
    int line, col;
} sql_pos;

/* A growable array of pointers, storage in the arena. */
typedef struct {
    void **items;
    size_t n, cap;
} sql_list;

void sql_list_push(sql_arena *a, sql_list *l, void *item);

typedef struct sql_expr sql_expr;
typedef struct sql_query sql_query;
typedef struct sql_table_ref sql_table_ref;
typedef struct sql_type sql_type;
typedef struct sql_stmt sql_stmt;

/* project.schema.table, schema.table or table: parts[0..n) as written. */
typedef struct {
    sql_pos pos;
    int n;
    char *parts[3];
} sql_name;

/* ---- types ---- */
typedef enum {
    SQL_TYPE_TINYINT, SQL_TYPE_SMALLINT, SQL_TYPE_INT, SQL_TYPE_BIGINT,
    SQL_TYPE_FLOAT, SQL_TYPE_DOUBLE, SQL_TYPE_DECIMAL, SQL_TYPE_VARCHAR,
    SQL_TYPE_CHAR, SQL_TYPE_STRING, SQL_TYPE_BINARY, SQL_TYPE_BOOLEAN,
    SQL_TYPE_DATE, SQL_TYPE_DATETIME, SQL_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP_NTZ,
    SQL_TYPE_ARRAY, SQL_TYPE_MAP, SQL_TYPE_STRUCT
} sql_type_kind;

typedef struct {
    sql_pos pos;
    char *name;
    sql_type *type;
    char *comment;   /* NULL when absent */
} sql_struct_field;

struct sql_type {
    sql_type_kind kind;
    sql_pos pos;
    int nparams;        /* DECIMAL: 0, 1 or 2; VARCHAR/CHAR: 1 */
    int p, s;           /* DECIMAL(p,s); VARCHAR(p), CHAR(p) */
    sql_type *elem;     /* ARRAY<elem>, MAP<elem,value> (key) */
    sql_type *value;    /* MAP value */
    sql_list fields;    /* STRUCT: sql_struct_field* */
};

const char *sql_type_kind_name(sql_type_kind k); /* "BIGINT", "TIMESTAMP_NTZ", ... */

/* ---- expressions ---- */
typedef enum {
    SQL_LIT_NULL, SQL_LIT_BOOL, SQL_LIT_NUMBER, SQL_LIT_STRING, SQL_LIT_BINARY,
    SQL_LIT_DATE, SQL_LIT_DATETIME, SQL_LIT_TIMESTAMP, SQL_LIT_TIMESTAMP_NTZ
} sql_lit_kind;

typedef enum {
    SQL_EXPR_LITERAL,
    SQL_EXPR_COLUMN,    /* path: a, t.a, s.t.a, t.a.f (parts) */
    SQL_EXPR_STAR,      /* *, t.* (qualifier in parts) */
    SQL_EXPR_UNARY,     /* op: - + ~ NOT */
    SQL_EXPR_BINARY,
    SQL_EXPR_IS_NULL,   /* negated: IS NOT NULL */
    SQL_EXPR_IN_LIST,
    SQL_EXPR_IN_QUERY,
    SQL_EXPR_BETWEEN,
    SQL_EXPR_LIKE,      /* like_op: LIKE / RLIKE / REGEXP */
    SQL_EXPR_CASE,
    SQL_EXPR_CAST,
    SQL_EXPR_FUNC,
    SQL_EXPR_EXISTS,
    SQL_EXPR_SUBQUERY,  /* scalar subquery */
    SQL_EXPR_SUBSCRIPT, /* left[right] */
    SQL_EXPR_FIELD      /* left.name where left is not a plain path */
} sql_expr_kind;

typedef enum {
    SQL_OP_OR, SQL_OP_AND, SQL_OP_NOT,
    SQL_OP_EQ, SQL_OP_NSEQ, SQL_OP_NE, SQL_OP_LT, SQL_OP_LE, SQL_OP_GT, SQL_OP_GE,
    SQL_OP_BITOR, SQL_OP_BITAND, SQL_OP_BITXOR, SQL_OP_CONCAT,
    SQL_OP_ADD, SQL_OP_SUB, SQL_OP_MUL, SQL_OP_DIV, SQL_OP_MOD, SQL_OP_INTDIV,
    SQL_OP_NEG, SQL_OP_PLUS, SQL_OP_BITNOT,
    SQL_OP_LIKE, SQL_OP_RLIKE, SQL_OP_REGEXP
} sql_op;

const char *sql_op_name(sql_op op); /* "+", "AND", "DIV", ... */

typedef enum { SQL_FRAME_NONE, SQL_FRAME_ROWS, SQL_FRAME_RANGE } sql_frame_unit;
typedef enum {
    SQL_BOUND_UNBOUNDED_PRECEDING, SQL_BOUND_PRECEDING, SQL_BOUND_CURRENT_ROW,
    SQL_BOUND_FOLLOWING, SQL_BOUND_UNBOUNDED_FOLLOWING
} sql_bound_kind;

typedef struct {
    sql_bound_kind kind;
    sql_expr *offset;        /* for PRECEDING / FOLLOWING */
} sql_frame_bound;

typedef struct {
    sql_pos pos;
    bool asc_given, desc;    /* desc: DESC; asc_given: ASC written */
    int nulls;               /* 0 unspecified, 1 FIRST, 2 LAST */
    sql_expr *expr;
} sql_order_item;

typedef struct {
    sql_pos pos;
    char *ref_name;          /* OVER w / OVER (w ...): a WINDOW clause name */
    sql_list partition_by;   /* sql_expr* */
    sql_list order_by;       /* sql_order_item* */
    sql_frame_unit unit;
    sql_frame_bound start, end;
    bool between;            /* BETWEEN a AND b (else only start) */
} sql_window_spec;

typedef struct {
    sql_pos pos;
    sql_expr *when, *then;
} sql_when;

struct sql_expr {
    sql_expr_kind kind;
    sql_pos pos;             /* first token of the whole expression */
    sql_pos op_pos;          /* operators and predicates: the operator token
                              * (MaxCompute reports `0/0` at the '/', §1.5) */
    /* LITERAL */
    sql_lit_kind lit;
    sql_num_kind num;        /* SQL_LIT_NUMBER: which type the literal's form picks */
    char *text;              /* number digits; STRING/BINARY/typed: decoded bytes */
    size_t text_len;
    bool bval;
    /* COLUMN path, STAR qualifier, FUNC name (parts[0..n), FIELD name (parts[0]) */
    int nparts;
    char **parts;
    /* operators and general children */
    sql_op op;
    bool negated;            /* NOT IN, NOT BETWEEN, NOT LIKE, IS NOT NULL, NOT EXISTS */
    sql_expr *left, *right, *third;  /* BETWEEN: left BETWEEN right AND third */
    sql_list args;           /* FUNC args, IN list: sql_expr* */
    sql_query *query;        /* IN_QUERY, EXISTS, SUBQUERY */
    /* FUNC */
    bool distinct, count_star;
    sql_window_spec *over;   /* window call */
    /* CASE: left = operand (simple form) or NULL; whens: sql_when*; third = ELSE */
    sql_list whens;
    /* CAST */
    sql_type *type;
};

/* ---- queries ---- */
typedef enum { SQL_JOIN_INNER, SQL_JOIN_LEFT, SQL_JOIN_RIGHT, SQL_JOIN_FULL, SQL_JOIN_CROSS,
               SQL_JOIN_LEFT_SEMI, SQL_JOIN_LEFT_ANTI, SQL_JOIN_COMMA } sql_join_kind;

typedef enum { SQL_TREF_TABLE, SQL_TREF_SUBQUERY, SQL_TREF_JOIN, SQL_TREF_LATERAL,
               SQL_TREF_VALUES } sql_tref_kind;

/* FROM t TIMESTAMP | VERSION AS OF expr (time travel) or ... BETWEEN a AND b
 * (incremental query); docs/sql-grammar.md §Time travel. */
typedef enum { SQL_TRAVEL_NONE, SQL_TRAVEL_TIMESTAMP, SQL_TRAVEL_VERSION } sql_travel_kind;

struct sql_table_ref {
    sql_tref_kind kind;
    sql_pos pos;
    char *alias;             /* NULL when absent */
    sql_list col_aliases;    /* char*: VALUES t(c1,c2), LATERAL VIEW ... AS c1, c2 */
    sql_name name;           /* TABLE */
    sql_travel_kind travel;  /* TABLE: AS OF travel_at, or BETWEEN travel_at AND travel_end */
    sql_pos travel_pos;      /* of TIMESTAMP / VERSION */
    sql_expr *travel_at, *travel_end;
    sql_query *query;        /* SUBQUERY */
    /* JOIN */
    sql_join_kind join;
    sql_table_ref *left, *right;
    sql_expr *on;
    sql_list using_cols;     /* char* */
    /* LATERAL: left = source, func = the UDTF call */
    bool outer;
    sql_expr *func;
    /* VALUES: rows of sql_list* of sql_expr* */
    sql_list rows;
};

typedef struct {
    sql_pos pos;
    sql_expr *expr;
    char *alias;             /* AS a */
    sql_list aliases;        /* AS (a, b) for UDTFs: char* */
} sql_select_item;

typedef enum { SQL_GROUP_NONE, SQL_GROUP_PLAIN, SQL_GROUP_ROLLUP, SQL_GROUP_CUBE,
               SQL_GROUP_SETS } sql_group_kind;

typedef struct {
    sql_pos pos;
    char *name;
    sql_window_spec *spec;
} sql_window_def;

typedef struct {
    sql_pos pos;
    bool distinct, all;
    sql_list hints;          /* char*: raw hint text, e.g. "MAPJOIN(a)" */
    sql_list items;          /* sql_select_item* */
    sql_table_ref *from;     /* NULL: SELECT without FROM */
    sql_expr *where;
    sql_group_kind group_kind;
    sql_list group_by;       /* sql_expr* (PLAIN/ROLLUP/CUBE) */
    sql_list grouping_sets;  /* sql_list* of sql_expr* (SETS) */
    sql_expr *having;
    sql_list windows;        /* sql_window_def* */
} sql_select;

typedef enum { SQL_QUERY_SELECT, SQL_QUERY_SETOP } sql_query_kind;
typedef enum { SQL_SET_UNION, SQL_SET_INTERSECT, SQL_SET_EXCEPT } sql_setop;

typedef struct {
    sql_pos pos;
    char *name;
    sql_list columns;        /* char*: WITH a (x, y) AS (...) */
    sql_query *query;
} sql_cte;

struct sql_query {
    sql_query_kind kind;
    sql_pos pos;
    sql_list ctes;           /* sql_cte* */
    sql_select *select;      /* SELECT */
    sql_setop setop;         /* SETOP */
    bool all, distinct_given;/* UNION ALL / UNION DISTINCT; MINUS sets minus */
    bool minus;
    sql_query *left, *right;
    bool parens;             /* written as ( query ) */
    /* trailing clauses; on a set operation they apply to the whole result */
    sql_list order_by, sort_by;   /* sql_order_item* */
    sql_list distribute_by, cluster_by; /* sql_expr* */
    sql_expr *limit, *offset;
    sql_pos order_pos;       /* the ORDER keyword: "ORDER BY must be used with a
                              * LIMIT clause" is reported there (§3.6) */
};

/* ---- statements ---- */
typedef struct {
    sql_pos pos;
    char *key;               /* NULL for a filter item */
    sql_expr *value;         /* NULL: dynamic partition column */
    sql_expr *filter;        /* DROP PARTITION (pt > '2020') form (§3.2) */
} sql_part_item;

typedef struct {
    sql_pos pos;
    sql_list items;          /* sql_part_item* */
} sql_part_spec;

typedef struct {
    sql_pos pos;
    char *name;
    sql_type *type;
    bool not_null, primary_key;
    sql_expr *default_value;
    char *comment;
} sql_column_def;

typedef struct {
    sql_pos pos;
    char *key, *value;
} sql_property;

typedef struct {
    sql_pos pos;
    sql_expr *target;        /* column path */
    sql_expr *value;
} sql_assignment;

typedef enum {
    SQL_STMT_QUERY, SQL_STMT_SET, SQL_STMT_SHOW_SCHEMAS, SQL_STMT_SHOW_TABLES,
    SQL_STMT_SHOW_PARTITIONS, SQL_STMT_SHOW_CREATE_TABLE, SQL_STMT_USE_SCHEMA,
    SQL_STMT_CREATE_SCHEMA, SQL_STMT_DROP_SCHEMA, SQL_STMT_DESC_SCHEMA,
    SQL_STMT_CREATE_TABLE, SQL_STMT_DROP_TABLE, SQL_STMT_TRUNCATE_TABLE, SQL_STMT_DESC_TABLE,
    SQL_STMT_ALTER_TABLE, SQL_STMT_INSERT, SQL_STMT_MULTI_INSERT, SQL_STMT_UPDATE,
    SQL_STMT_DELETE, SQL_STMT_EXPLAIN, SQL_STMT_CREATE_VIEW, SQL_STMT_DROP_VIEW, SQL_STMT_MERGE
} sql_stmt_kind;

typedef enum { SQL_MERGE_UPDATE, SQL_MERGE_DELETE, SQL_MERGE_INSERT } sql_merge_action;

/* WHEN [NOT] MATCHED [AND cond] THEN UPDATE SET .. | DELETE | INSERT [(cols)] VALUES (..) */
typedef struct {
    sql_pos pos;
    bool matched;
    sql_expr *cond;
    sql_merge_action action;
    sql_list assignments;       /* sql_assignment* (UPDATE) */
    sql_list columns;           /* char* (INSERT) */
    sql_list values;            /* sql_expr* (INSERT) */
} sql_merge_clause;

typedef enum {
    SQL_ALTER_ADD_PARTITION, SQL_ALTER_DROP_PARTITION, SQL_ALTER_ADD_COLUMNS,
    SQL_ALTER_DROP_COLUMNS, SQL_ALTER_RENAME, SQL_ALTER_RENAME_COLUMN,
    SQL_ALTER_SET_TBLPROPERTIES, SQL_ALTER_SET_LIFECYCLE, SQL_ALTER_SET_COMMENT,
    SQL_ALTER_RENAME_PARTITION, SQL_ALTER_CHANGE_COLUMN, SQL_ALTER_TOUCH, SQL_ALTER_COMPACT,
    SQL_ALTER_OTHER
} sql_alter_kind;

typedef struct {
    sql_pos pos;
    bool overwrite, table_kw;
    sql_name table;
    sql_part_spec *partition;   /* NULL when absent */
    sql_list columns;           /* char* */
    sql_list values;            /* VALUES rows: sql_list* of sql_expr*; empty for a query */
    sql_query *query;           /* INSERT ... SELECT (or multi-insert branch select) */
} sql_insert;

struct sql_stmt {
    sql_stmt_kind kind;
    sql_pos pos;
    const char *text;           /* statement source (arena copy, without ';') */
    sql_query *query;           /* QUERY, CREATE TABLE AS */
    /* SET */
    char *key, *value;
    /* names */
    sql_name name;              /* table or schema; SHOW TABLES IN x */
    bool has_name;
    char *pattern;              /* SHOW TABLES LIKE */
    bool if_exists, if_not_exists, schema_kw, extended, external, or_replace;
    sql_list view_columns;      /* char*: CREATE VIEW v (a, b) */
    char *comment;
    /* CREATE TABLE */
    sql_list columns;           /* sql_column_def* */
    sql_list primary_key;       /* char* */
    sql_list partition_cols;    /* sql_column_def* */
    sql_list properties;        /* sql_property* */
    bool has_lifecycle;
    long long lifecycle;
    sql_name like;              /* CREATE TABLE t LIKE src */
    bool has_like;
    sql_list clustered_by;      /* char*: CLUSTERED BY (cols) */
    sql_list sorted_by;         /* sql_order_item*: SORTED BY (cols) */
    long long buckets;          /* INTO n BUCKETS; 0 when absent */
    char *stored_by, *stored_as, *location;
    sql_list serde_properties;  /* sql_property*: WITH SERDEPROPERTIES (...) */
    /* DESC / SHOW PARTITIONS / TRUNCATE / UPDATE / DELETE */
    sql_part_spec *partition;
    /* ALTER TABLE */
    sql_alter_kind alter;
    bool compact_major;         /* COMPACT MAJOR (else MINOR) */
    sql_list partitions;        /* sql_part_spec* */
    sql_name new_name;          /* RENAME TO */
    char *col_name, *new_col_name;
    /* INSERT / MULTI_INSERT */
    sql_insert *insert;
    sql_table_ref *from;        /* MULTI_INSERT source, UPDATE ... FROM */
    sql_list inserts;           /* MULTI_INSERT: sql_insert* */
    sql_list ctes;              /* WITH before INSERT */
    /* UPDATE / DELETE */
    sql_list assignments;       /* sql_assignment* */
    sql_expr *where;
    /* EXPLAIN */
    sql_stmt *inner;
    /* MERGE INTO name [alias] USING from ON on WHEN ... (§3.5) */
    char *alias;
    sql_expr *on;
    sql_list merge_clauses;     /* sql_merge_clause* */
};

typedef struct {
    sql_list stmts;             /* sql_stmt* */
} sql_script;

const char *sql_stmt_kind_name(sql_stmt_kind k); /* "CREATE TABLE", "SELECT", ... */

/* Canonical S-expression text of a node, for tests and debugging. */
void sql_stmt_print(mc_buf *out, const sql_stmt *s);
void sql_expr_print(mc_buf *out, const sql_expr *e);
void sql_query_print(mc_buf *out, const sql_query *q);
void sql_type_print(mc_buf *out, const sql_type *t);
/* All statements, one per line. */
void sql_script_print(mc_buf *out, const sql_script *s);

#endif
