/* split: see split.h. A small state machine over bytes; no allocation. */
#include "sql/split.h"

#include <ctype.h>

enum { S_CODE, S_SQUOTE, S_DQUOTE, S_BACKTICK, S_LINE_COMMENT, S_BLOCK_COMMENT };

size_t sql_split(sql_piece *out, size_t cap, const char *t, size_t n, size_t *total, bool *complete)
{
    size_t count = 0, written = 0, start = 0;
    int line = 1, col = 1, sline = 1, scol = 1, state = S_CODE;
    bool content = false; /* the current piece has something other than blanks/comments */
    for (size_t i = 0; i < n; i++) {
        char c = t[i], next = i + 1 < n ? t[i + 1] : '\0';
        /* A hint comment (slash-star-plus) is statement text, not a comment. */
        bool hint = c == '/' && next == '*' && i + 2 < n && t[i + 2] == '+';
        if (!content && state == S_CODE && !isspace((unsigned char)c) && !(c == '-' && next == '-') &&
            (!(c == '/' && next == '*') || hint) && c != ';') {
            content = true;
            start = i;
            sline = line;
            scol = col;
        }
        switch (state) {
        case S_CODE:
            if (c == '\'') state = S_SQUOTE;
            else if (c == '"') state = S_DQUOTE;
            else if (c == '`') state = S_BACKTICK;
            else if (c == '-' && next == '-') state = S_LINE_COMMENT;
            else if (c == '/' && next == '*') { state = S_BLOCK_COMMENT; i++; col++; }
            else if (c == ';') {
                if (content) {
                    if (written < cap)
                        out[written++] = (sql_piece){start, i - start, sline, scol};
                    count++;
                }
                content = false;
            }
            break;
        case S_SQUOTE:
        case S_DQUOTE:
            if (c == '\\' && i + 1 < n) { i++; col++; }
            else if ((state == S_SQUOTE && c == '\'') || (state == S_DQUOTE && c == '"')) state = S_CODE;
            break;
        case S_BACKTICK:
            if (c == '`') state = S_CODE;
            break;
        case S_LINE_COMMENT:
            if (c == '\n') state = S_CODE;
            break;
        case S_BLOCK_COMMENT:
            if (c == '*' && next == '/') { state = S_CODE; i++; col++; }
            break;
        }
        /* Columns count characters, as MaxCompute reports them: UTF-8
         * continuation bytes do not advance the column. */
        if (t[i] == '\n') { line++; col = 1; } else if (((unsigned char)t[i] & 0xC0) != 0x80) col++;
    }
    bool done = !content && (state == S_CODE || state == S_LINE_COMMENT);
    if (content) {
        if (written < cap)
            out[written++] = (sql_piece){start, n - start, sline, scol};
        count++;
    }
    *total = count;
    *complete = done;
    return written;
}
