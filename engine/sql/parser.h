/*
 * sql parser: MaxCompute SQL script text -> sql_script (ast.h).
 *
 * Hand-written recursive descent; binary operators by precedence climbing
 * (docs/sql-grammar.md lists the table). A script is `;`-separated
 * statements; empty statements are skipped. On the first syntax error the
 * parser stops and fills a sql_error with ODPS-0130161 and the [line,col] of
 * the offending token, e.g. `ODPS-0130161:[1,6] Parse exception - invalid token ';'`
 * for `DROP ;` (reference/maxcompute-sql.md §5.2).
 *
 * Everything the result points to lives in the caller's arena; on failure
 * the arena may hold partial nodes, which go away with sql_arena_free.
 */
#ifndef SQL_PARSER_H
#define SQL_PARSER_H

#include "sql/arena.h"
#include "sql/ast.h"
#include "sql/error.h"

/* Parses text (NUL-terminated) into *out. 0, or -1 with err filled. */
int sql_parse(sql_script **out, sql_arena *arena, const char *text, sql_error *err);
/* Same for a text of len bytes (may contain NUL bytes, which are invalid tokens). */
int sql_parse_n(sql_script **out, sql_arena *arena, const char *text, size_t len, sql_error *err);

/* Parses exactly one statement; a trailing ';' is allowed. Positions are
 * relative to text, which is what the service reports: odpscmd submits each
 * statement of a script on its own (see sql_script_split). */
int sql_parse_stmt(sql_stmt **out, sql_arena *arena, const char *text, sql_error *err);

/* One statement's text as odpscmd would submit it, and where it starts in the
 * script (1-based). */
typedef struct {
    char *text;       /* trimmed, without the ';' */
    int line, col;
} sql_stmt_text;

/* Splits a script at ';' outside quotes, back-quotes and comments into
 * sql_stmt_text* items (arena memory), skipping empty statements. Never
 * fails: an unterminated literal runs to the end of the script and its
 * statement then fails to parse with the position of the literal. */
void sql_script_split(sql_list *out, sql_arena *arena, const char *text);

/* Parses exactly one expression (tests, partition filters, default values). */
int sql_parse_expr(sql_expr **out, sql_arena *arena, const char *text, sql_error *err);

#endif
