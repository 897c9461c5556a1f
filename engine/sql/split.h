/*
 * split: finds statement boundaries in console input without parsing it:
 * a `;` ends a statement unless it is inside a quoted string ('...' or
 * "..." with backslash escapes), a back-quoted identifier, a `--` line
 * comment or a block comment. The console uses it to know when a
 * multi-line statement is complete and to run `-e "a; b"` one statement at
 * a time, each with its own line/column origin for error positions.
 */
#ifndef MC_SQL_SPLIT_H
#define MC_SQL_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    size_t start;   /* byte offset of the statement's first byte in the input */
    size_t len;     /* up to, not including, the ';' */
    int line;       /* 1-based line of start */
    int col;        /* 1-based column of start */
} sql_piece;

/* Splits text into statements. Text after the last ';' that is not only
 * whitespace/comments is returned as a final piece with *complete = false
 * (the console keeps reading). Whitespace-only pieces are skipped. Returns
 * the number of pieces written (at most cap); *total gets the number found. */
size_t sql_split(sql_piece *out, size_t cap, const char *text, size_t n, size_t *total, bool *complete);

#endif
