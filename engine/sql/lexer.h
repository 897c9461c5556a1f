/*
 * sql lexer: MaxCompute SQL text -> tokens with 1-based [line,col] positions
 * (reference/maxcompute-sql.md §1.2 literals, §1.7 escapes, §5.1 positions).
 *
 * Columns count characters (UTF-8 code points), not bytes; a tab is one
 * column. Keywords are matched case-insensitively; back-quoted names are
 * never keywords. String literals are decoded into arena memory (they may
 * contain NUL bytes, hence str_len). Tokens point into the source text
 * (start/len), which must outlive them.
 *
 * Characters that start no token become SQL_TOK_INVALID tokens rather than
 * lexer errors, so the parser reports them as MaxCompute does:
 * "Parse exception - invalid token '$'". The only lexer errors are malformed
 * escapes and unterminated literals/comments.
 */
#ifndef SQL_LEXER_H
#define SQL_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "sql/arena.h"
#include "sql/error.h"
#include "sql/keywords.h"

typedef enum {
    SQL_KW_NONE = 0,
#define SQL_KW_ENUM(name, reserved) SQL_KW_##name,
    SQL_KEYWORDS(SQL_KW_ENUM)
#undef SQL_KW_ENUM
    SQL_KW__COUNT
} sql_kw;

typedef enum {
    SQL_TOK_EOF = 0,
    SQL_TOK_IDENT,    /* word; kw != SQL_KW_NONE when it is a keyword */
    SQL_TOK_QIDENT,   /* `back quoted`; str holds the name */
    SQL_TOK_STRING,   /* 'x' or "x"; str/str_len hold the decoded bytes */
    SQL_TOK_BINARY,   /* X'616263'; str/str_len hold the bytes */
    SQL_TOK_NUMBER,   /* num says which literal type the suffix picks */
    SQL_TOK_HINT,     /* / *+ ... * /; str holds the text between the markers */
    SQL_TOK_LPAREN, SQL_TOK_RPAREN, SQL_TOK_LBRACKET, SQL_TOK_RBRACKET,
    SQL_TOK_COMMA, SQL_TOK_SEMI, SQL_TOK_DOT, SQL_TOK_COLON, SQL_TOK_QUESTION,
    SQL_TOK_STAR, SQL_TOK_PLUS, SQL_TOK_MINUS, SQL_TOK_SLASH, SQL_TOK_PERCENT,
    SQL_TOK_EQ,       /* = or == */
    SQL_TOK_NSEQ,     /* <=> */
    SQL_TOK_NE,       /* != or <> (text keeps which) */
    SQL_TOK_LT, SQL_TOK_LE, SQL_TOK_GT, SQL_TOK_GE,
    SQL_TOK_CONCAT,   /* || */
    SQL_TOK_AMP, SQL_TOK_PIPE, SQL_TOK_CARET, SQL_TOK_TILDE,
    SQL_TOK_AMPAMP,   /* && (AND) */
    SQL_TOK_BANG,     /* ! (NOT) */
    SQL_TOK_INVALID
} sql_tok_kind;

/* Literal type chosen by a numeric literal's form (§1.2). */
typedef enum {
    SQL_NUM_INT = 0,  /* plain integer: INT, widened by the binder by magnitude */
    SQL_NUM_TINYINT,  /* 1Y */
    SQL_NUM_SMALLINT, /* 1S */
    SQL_NUM_BIGINT,   /* 1L */
    SQL_NUM_DECIMAL,  /* 1BD, 1.5BD */
    SQL_NUM_DOUBLE,   /* 1.5, 1E7, 1D */
    SQL_NUM_FLOAT     /* 1.5F */
} sql_num_kind;

typedef struct {
    sql_tok_kind kind;
    sql_kw kw;
    const char *start;   /* raw text in the source */
    size_t len;
    int line, col;       /* 1-based position of the first character */
    char *str;           /* decoded text (STRING, QIDENT, BINARY, HINT, NUMBER digits) */
    size_t str_len;
    sql_num_kind num;
} sql_token;

typedef struct {
    sql_arena *arena;
    const char *src, *end, *p;
    int line, col;
    sql_tok_kind prev;   /* kind of the previous token (for ".5" vs "t.5") */
} sql_lexer;

void sql_lexer_init(sql_lexer *lx, sql_arena *arena, const char *text, size_t len);
/* Next token into *out (SQL_TOK_EOF at the end, repeatedly). 0 or -1 with err. */
int sql_lexer_next(sql_token *out, sql_lexer *lx, sql_error *err);

/* Keyword for a word (case-insensitive), SQL_KW_NONE if it is none. */
sql_kw sql_keyword_lookup(const char *word, size_t len);
bool sql_keyword_is_reserved(sql_kw kw);
const char *sql_keyword_name(sql_kw kw);         /* upper case, "" for NONE */
const char *sql_token_kind_name(sql_tok_kind k); /* for tests and messages */

#endif
