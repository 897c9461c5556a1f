/*
 * sql lexer implementation. One pass over the source; the only state between
 * calls is the cursor (p, line, col) and the kind of the previous token.
 * Escapes follow reference/maxcompute-sql.md §1.7: a backslash followed by
 * digits must be exactly three octal digits with a value of at most 0177,
 * otherwise "unexpected escape sequence: <digits>" at the literal's position
 * (documented example: [1,19] for the literal starting at column 19).
 */
#include "sql/lexer.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    bool reserved;
} kw_table[] = {
    {"", false},
#define SQL_KW_ROW(name, reserved) {#name, reserved},
    SQL_KEYWORDS(SQL_KW_ROW)
#undef SQL_KW_ROW
};

sql_kw sql_keyword_lookup(const char *word, size_t len)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return SQL_KW_NONE;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)toupper((unsigned char)word[i]);
    buf[len] = '\0';
    int lo = 1, hi = SQL_KW__COUNT - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(buf, kw_table[mid].name);
        if (c == 0)
            return (sql_kw)mid;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return SQL_KW_NONE;
}

bool sql_keyword_is_reserved(sql_kw kw)
{
    return kw > SQL_KW_NONE && kw < SQL_KW__COUNT && kw_table[kw].reserved;
}

const char *sql_keyword_name(sql_kw kw)
{
    return (kw > SQL_KW_NONE && kw < SQL_KW__COUNT) ? kw_table[kw].name : "";
}

const char *sql_token_kind_name(sql_tok_kind k)
{
    static const char *names[] = {
        "EOF", "IDENT", "QIDENT", "STRING", "BINARY", "NUMBER", "HINT",
        "(", ")", "[", "]", ",", ";", ".", ":", "?", "*", "+", "-", "/", "%",
        "=", "<=>", "<>", "<", "<=", ">", ">=", "||", "&", "|", "^", "~", "&&", "!",
        "INVALID",
    };
    _Static_assert(sizeof names / sizeof names[0] == SQL_TOK_INVALID + 1, "token names");
    return (unsigned)k <= SQL_TOK_INVALID ? names[k] : "?";
}

void sql_lexer_init(sql_lexer *lx, sql_arena *arena, const char *text, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->arena = arena;
    lx->src = lx->p = text;
    lx->end = text + len;
    lx->line = lx->col = 1;
    lx->prev = SQL_TOK_EOF;
}

/* Advances one byte, keeping line/col in characters. */
static void adv(sql_lexer *lx)
{
    unsigned char c = (unsigned char)*lx->p++;
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

static int peek(const sql_lexer *lx, size_t off)
{
    return lx->p + off < lx->end ? (unsigned char)lx->p[off] : -1;
}

static bool is_ident_start(int c)
{
    return c == '_' || (c >= 0 && c < 0x80 && isalpha(c));
}

static bool is_ident_char(int c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Skips blanks and comments; fails on an unterminated block comment. */
static int skip_space(sql_lexer *lx, sql_error *err)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            adv(lx);
        } else if (c == '-' && peek(lx, 1) == '-') {
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                adv(lx);
        } else if (c == '/' && peek(lx, 1) == '*' && peek(lx, 2) != '+') {
            int line = lx->line, col = lx->col;
            adv(lx);
            adv(lx);
            while (!(peek(lx, 0) == '*' && peek(lx, 1) == '/')) {
                if (peek(lx, 0) == -1)
                    return sql_error_set(err, SQL_ODPS_PARSE, line, col, "invalid token '/*'");
                adv(lx);
            }
            adv(lx);
            adv(lx);
        } else {
            return 0;
        }
    }
}

static void put_utf8(mc_buf *b, unsigned cp)
{
    if (cp < 0x80) {
        mc_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        mc_buf_putc(b, (char)(0xC0 | (cp >> 6)));
        mc_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        mc_buf_putc(b, (char)(0xE0 | (cp >> 12)));
        mc_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        mc_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* Decodes one escape; p points after the backslash, *pp is advanced. */
static int decode_escape(mc_buf *b, sql_lexer *lx, sql_token *t, sql_error *err)
{
    int c = peek(lx, 0);
    if (c >= '0' && c <= '9') {
        size_t n = 0;
        while (peek(lx, n) >= '0' && peek(lx, n) <= '9')
            n++;
        const char *d = lx->p;
        bool ok = n == 3;
        unsigned v = 0;
        for (size_t i = 0; ok && i < 3; i++) {
            if (d[i] > '7')
                ok = false;
            v = v * 8 + (unsigned)(d[i] - '0');
        }
        if (!ok || v > 0177)
            return sql_error_set(err, SQL_ODPS_PARSE, t->line, t->col,
                                 "unexpected escape sequence: %.*s", (int)n, d);
        mc_buf_putc(b, (char)v);
        for (size_t i = 0; i < n; i++)
            adv(lx);
        return 0;
    }
    if (c == 'u') {
        unsigned v = 0;
        for (int i = 1; i <= 4; i++) {
            int h = peek(lx, (size_t)i);
            if (h < 0 || !isxdigit(h))
                return sql_error_set(err, SQL_ODPS_PARSE, t->line, t->col,
                                     "unexpected escape sequence: u");
            v = v * 16 + (unsigned)(isdigit(h) ? h - '0' : (tolower(h) - 'a' + 10));
        }
        for (int i = 0; i < 5; i++)
            adv(lx);
        put_utf8(b, v);
        return 0;
    }
    adv(lx);
    switch (c) {
    case 'n': mc_buf_putc(b, '\n'); break;
    case 't': mc_buf_putc(b, '\t'); break;
    case 'r': mc_buf_putc(b, '\r'); break;
    case 'b': mc_buf_putc(b, '\b'); break;
    case 'f': mc_buf_putc(b, '\f'); break;
    case 'Z': mc_buf_putc(b, '\032'); break;
    case '%': mc_buf_puts(b, "\\%"); break; /* kept for LIKE, as Hive does */
    case '_': mc_buf_puts(b, "\\_"); break;
    default: mc_buf_putc(b, (char)c); break; /* \\ \' \" and unknown: the char itself */
    }
    return 0;
}

static int lex_string(sql_token *t, sql_lexer *lx, sql_error *err)
{
    int q = peek(lx, 0);
    mc_buf b = MC_BUF_INIT;
    adv(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c == -1) {
            mc_buf_free(&b);
            return sql_error_set(err, SQL_ODPS_PARSE, t->line, t->col, "invalid token '%c'", q);
        }
        if (c == q) {
            adv(lx);
            break;
        }
        if (c == '\\') {
            adv(lx);
            if (peek(lx, 0) == -1)
                continue; /* reported as unterminated above */
            if (decode_escape(&b, lx, t, err) != 0) {
                mc_buf_free(&b);
                return -1;
            }
            continue;
        }
        mc_buf_putc(&b, (char)c);
        adv(lx);
    }
    t->kind = SQL_TOK_STRING;
    t->str = sql_arena_strndup(lx->arena, mc_buf_cstr(&b), b.len);
    t->str_len = b.len;
    mc_buf_free(&b);
    return 0;
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* X'616263': odd digit counts get a leading 0 (§1.2). */
static int lex_binary(sql_token *t, sql_lexer *lx, sql_error *err)
{
    adv(lx); /* X */
    adv(lx); /* ' */
    const char *d = lx->p;
    size_t n = 0;
    while (peek(lx, n) != -1 && peek(lx, n) != '\'') {
        if (!isxdigit(peek(lx, n)))
            return sql_error_set(err, SQL_ODPS_PARSE, t->line, t->col, "invalid token '%.*s'",
                                 (int)(n + 2), t->start);
        n++;
    }
    if (peek(lx, n) == -1)
        return sql_error_set(err, SQL_ODPS_PARSE, t->line, t->col, "invalid token '''");
    size_t out_len = (n + 1) / 2;
    unsigned char *out = sql_arena_alloc(lx->arena, out_len + 1);
    size_t i = 0, o = 0;
    if (n % 2) {
        out[o++] = (unsigned char)hexval((unsigned char)d[0]);
        i = 1;
    }
    for (; i < n; i += 2)
        out[o++] = (unsigned char)(hexval((unsigned char)d[i]) * 16 + hexval((unsigned char)d[i + 1]));
    for (size_t k = 0; k <= n; k++)
        adv(lx);
    t->kind = SQL_TOK_BINARY;
    t->str = (char *)out;
    t->str_len = out_len;
    return 0;
}

/* Numbers: digits [. digits] [E [+-] digits] [Y|S|L|BD|D|F]. A digit run that
 * continues into letters (20231101abc) is a name, as in Hive's lexer. */
static void lex_number(sql_token *t, sql_lexer *lx)
{
    size_t n = 0;
    bool frac = false, expo = false;
    while (isdigit(peek(lx, n)))
        n++;
    if (peek(lx, n) == '.' && isdigit(peek(lx, n + 1))) {
        frac = true;
        n++;
        while (isdigit(peek(lx, n)))
            n++;
    } else if (peek(lx, n) == '.' && n > 0 && !is_ident_start(peek(lx, n + 1))) {
        frac = true; /* "1." */
        n++;
    }
    if (n > 0 && (peek(lx, n) == 'e' || peek(lx, n) == 'E')) {
        size_t m = n + 1;
        if (peek(lx, m) == '+' || peek(lx, m) == '-')
            m++;
        if (isdigit(peek(lx, m))) {
            expo = true;
            while (isdigit(peek(lx, m)))
                m++;
            n = m;
        }
    }
    size_t digits = n;
    sql_num_kind k = (frac || expo) ? SQL_NUM_DOUBLE : SQL_NUM_INT;
    int s0 = peek(lx, n) >= 0 ? toupper(peek(lx, n)) : -1;
    int s1 = peek(lx, n + 1) >= 0 ? toupper(peek(lx, n + 1)) : -1;
    if (s0 == 'B' && s1 == 'D') {
        k = SQL_NUM_DECIMAL;
        n += 2;
    } else if (s0 == 'Y' && !frac && !expo) {
        k = SQL_NUM_TINYINT;
        n++;
    } else if (s0 == 'S' && !frac && !expo) {
        k = SQL_NUM_SMALLINT;
        n++;
    } else if (s0 == 'L' && !frac && !expo) {
        k = SQL_NUM_BIGINT;
        n++;
    } else if (s0 == 'D') {
        k = SQL_NUM_DOUBLE;
        n++;
    } else if (s0 == 'F') {
        k = SQL_NUM_FLOAT;
        n++;
    }
    if (!frac && !expo && is_ident_char(peek(lx, n)) && isdigit((unsigned char)lx->p[0])) {
        /* a name that starts with digits */
        while (is_ident_char(peek(lx, n)))
            n++;
        t->kind = SQL_TOK_IDENT;
        t->kw = SQL_KW_NONE;
        t->str = sql_arena_strndup(lx->arena, lx->p, n);
        t->str_len = n;
    } else {
        t->kind = SQL_TOK_NUMBER;
        t->num = k;
        t->str = sql_arena_strndup(lx->arena, lx->p, digits);
        t->str_len = digits;
    }
    for (size_t i = 0; i < n; i++)
        adv(lx);
}

static void op(sql_token *t, sql_lexer *lx, sql_tok_kind k, int n)
{
    t->kind = k;
    for (int i = 0; i < n; i++)
        adv(lx);
}

int sql_lexer_next(sql_token *t, sql_lexer *lx, sql_error *err)
{
    memset(t, 0, sizeof *t);
    if (skip_space(lx, err) != 0)
        return -1;
    t->start = lx->p;
    t->line = lx->line;
    t->col = lx->col;
    int c = peek(lx, 0), c1 = peek(lx, 1);
    int rc = 0;
    if (c == -1) {
        t->kind = SQL_TOK_EOF;
    } else if ((c == 'x' || c == 'X') && c1 == '\'') {
        rc = lex_binary(t, lx, err);
    } else if (is_ident_start(c)) {
        size_t n = 0;
        while (is_ident_char(peek(lx, n)))
            n++;
        t->kind = SQL_TOK_IDENT;
        t->kw = sql_keyword_lookup(lx->p, n);
        t->str = sql_arena_strndup(lx->arena, lx->p, n);
        t->str_len = n;
        for (size_t i = 0; i < n; i++)
            adv(lx);
    } else if (isdigit(c) || (c == '.' && c1 >= 0 && isdigit(c1) && lx->prev != SQL_TOK_IDENT &&
                              lx->prev != SQL_TOK_QIDENT && lx->prev != SQL_TOK_RPAREN &&
                              lx->prev != SQL_TOK_RBRACKET)) {
        lex_number(t, lx);
    } else if (c == '\'' || c == '"') {
        rc = lex_string(t, lx, err);
    } else if (c == '`') {
        mc_buf b = MC_BUF_INIT;
        adv(lx);
        for (;;) {
            int d = peek(lx, 0);
            if (d == -1) {
                mc_buf_free(&b);
                return sql_error_set(err, SQL_ODPS_PARSE, t->line, t->col, "invalid token '`'");
            }
            adv(lx);
            if (d == '`') {
                if (peek(lx, 0) != '`')
                    break;
                adv(lx); /* `` inside a quoted name is one back-quote */
            }
            mc_buf_putc(&b, (char)d);
        }
        t->kind = SQL_TOK_QIDENT;
        t->str = sql_arena_strndup(lx->arena, mc_buf_cstr(&b), b.len);
        t->str_len = b.len;
        mc_buf_free(&b);
    } else if (c == '/' && c1 == '*' && peek(lx, 2) == '+') {
        adv(lx);
        adv(lx);
        adv(lx);
        const char *s = lx->p;
        while (!(peek(lx, 0) == '*' && peek(lx, 1) == '/')) {
            if (peek(lx, 0) == -1)
                return sql_error_set(err, SQL_ODPS_PARSE, t->line, t->col, "invalid token '/*+'");
            adv(lx);
        }
        const char *e = lx->p;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        t->kind = SQL_TOK_HINT;
        t->str = sql_arena_strndup(lx->arena, s, (size_t)(e - s));
        t->str_len = (size_t)(e - s);
        adv(lx);
        adv(lx);
    } else {
        switch (c) {
        case '(': op(t, lx, SQL_TOK_LPAREN, 1); break;
        case ')': op(t, lx, SQL_TOK_RPAREN, 1); break;
        case '[': op(t, lx, SQL_TOK_LBRACKET, 1); break;
        case ']': op(t, lx, SQL_TOK_RBRACKET, 1); break;
        case ',': op(t, lx, SQL_TOK_COMMA, 1); break;
        case ';': op(t, lx, SQL_TOK_SEMI, 1); break;
        case '.': op(t, lx, SQL_TOK_DOT, 1); break;
        case ':': op(t, lx, SQL_TOK_COLON, 1); break;
        case '?': op(t, lx, SQL_TOK_QUESTION, 1); break;
        case '*': op(t, lx, SQL_TOK_STAR, 1); break;
        case '+': op(t, lx, SQL_TOK_PLUS, 1); break;
        case '-': op(t, lx, SQL_TOK_MINUS, 1); break;
        case '/': op(t, lx, SQL_TOK_SLASH, 1); break;
        case '%': op(t, lx, SQL_TOK_PERCENT, 1); break;
        case '^': op(t, lx, SQL_TOK_CARET, 1); break;
        case '~': op(t, lx, SQL_TOK_TILDE, 1); break;
        case '=': op(t, lx, SQL_TOK_EQ, c1 == '=' ? 2 : 1); break;
        case '!': op(t, lx, c1 == '=' ? SQL_TOK_NE : SQL_TOK_BANG, c1 == '=' ? 2 : 1); break;
        case '|': op(t, lx, c1 == '|' ? SQL_TOK_CONCAT : SQL_TOK_PIPE, c1 == '|' ? 2 : 1); break;
        case '&': op(t, lx, c1 == '&' ? SQL_TOK_AMPAMP : SQL_TOK_AMP, c1 == '&' ? 2 : 1); break;
        case '>': op(t, lx, c1 == '=' ? SQL_TOK_GE : SQL_TOK_GT, c1 == '=' ? 2 : 1); break;
        case '<':
            if (c1 == '=' && peek(lx, 2) == '>')
                op(t, lx, SQL_TOK_NSEQ, 3);
            else if (c1 == '=')
                op(t, lx, SQL_TOK_LE, 2);
            else if (c1 == '>')
                op(t, lx, SQL_TOK_NE, 2);
            else
                op(t, lx, SQL_TOK_LT, 1);
            break;
        default: {
            /* one character (a whole UTF-8 sequence) that starts no token */
            adv(lx);
            while (lx->p < lx->end && ((unsigned char)*lx->p & 0xC0) == 0x80)
                adv(lx);
            t->kind = SQL_TOK_INVALID;
            break;
        }
        }
    }
    if (rc != 0)
        return -1;
    t->len = (size_t)(lx->p - t->start);
    lx->prev = t->kind;
    return 0;
}
