/*
 * console_format: renders statement results the way odpscmd prints them
 * (reference/maxcompute-sql.md §4), plus csv/tsv/json for scripting.
 *
 * A result is a plain table of already-rendered cell texts (NULL cell =
 * SQL NULL); value rendering (DOUBLE as Java prints it, TIMESTAMP fraction
 * rules ...) happens before, where types are known. The one exception is
 * the column kind, needed because odpscmd sizes BOOLEAN columns differently.
 */
#ifndef MC_SQL_CONSOLE_FORMAT_H
#define MC_SQL_CONSOLE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum { SQL_OUT_TABLE, SQL_OUT_CSV, SQL_OUT_TSV, SQL_OUT_JSON } sql_out_format;

typedef struct {
    size_t ncols;
    char **names;       /* ncols names */
    bool *is_boolean;   /* ncols flags (odpscmd width rule) */
    size_t nrows;
    size_t cap;
    char **cells;       /* nrows * ncols, row-major; NULL = SQL NULL */
} sql_result;

sql_result *sql_result_new(size_t ncols, const char *const *names);
void sql_result_free(sql_result *r);
/* Appends a row of ncols cells (copied; NULL entries are SQL NULL). */
void sql_result_add_row(sql_result *r, const char *const *cells);

/* Parses "table|csv|tsv|json"; returns 0 or -1. */
int sql_out_format_parse(const char *s, sql_out_format *out);

/* Renders a SELECT result in the chosen format into out (stdout text). */
void sql_result_render(mc_buf *out, const sql_result *r, sql_out_format fmt);

/* odpscmd's list layout for SHOW SCHEMAS / SHOW TABLES: one item per line,
 * then the blank lines odpscmd prints before OK (§4.3). */
void sql_render_lines(mc_buf *out, const char *const *lines, size_t n);

#endif
