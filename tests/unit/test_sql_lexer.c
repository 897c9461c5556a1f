/* Unit tests for engine/sql lexer, arena and error rendering:
 * keywords, names, literals with MaxCompute suffixes and escapes (§1.2, §1.7),
 * comments, operators, [line,col] positions (§5.1). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sql/arena.h"
#include "sql/error.h"
#include "sql/lexer.h"

typedef struct {
    sql_arena *arena;
    sql_token toks[64];
    int n;
    sql_error err;
    int rc;
} lexed;

/* Lexes text up to EOF (inclusive) or the first error. */
static void lex(lexed *L, const char *text)
{
    memset(L, 0, sizeof *L);
    L->arena = sql_arena_new();
    sql_lexer lx;
    sql_lexer_init(&lx, L->arena, text, strlen(text));
    for (;;) {
        assert_true(L->n < 64);
        L->rc = sql_lexer_next(&L->toks[L->n], &lx, &L->err);
        if (L->rc != 0)
            return;
        if (L->toks[L->n++].kind == SQL_TOK_EOF)
            return;
    }
}

static void unlex(lexed *L)
{
    sql_arena_free(L->arena);
}

static char *err_text(const sql_error *e)
{
    static char out[1100];
    mc_buf b = MC_BUF_INIT;
    sql_error_format(&b, e);
    snprintf(out, sizeof out, "%s", mc_buf_cstr(&b));
    mc_buf_free(&b);
    return out;
}

static void test_keywords_are_case_insensitive_and_names_keep_case(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "SeLeCt MyCol frOM `select` schemas");
    assert_int_equal(L.rc, 0);
    assert_int_equal(L.n, 6);
    assert_int_equal(L.toks[0].kind, SQL_TOK_IDENT);
    assert_int_equal(L.toks[0].kw, SQL_KW_SELECT);
    assert_int_equal(L.toks[1].kw, SQL_KW_NONE);
    assert_string_equal(L.toks[1].str, "MyCol");
    assert_int_equal(L.toks[2].kw, SQL_KW_FROM);
    assert_int_equal(L.toks[3].kind, SQL_TOK_QIDENT);
    assert_int_equal(L.toks[3].kw, SQL_KW_NONE);
    assert_string_equal(L.toks[3].str, "select");
    assert_int_equal(L.toks[4].kw, SQL_KW_SCHEMAS);
    assert_false(sql_keyword_is_reserved(SQL_KW_SCHEMAS));
    assert_true(sql_keyword_is_reserved(SQL_KW_SELECT));
    assert_true(sql_keyword_is_reserved(SQL_KW_LIFECYCLE));
    assert_int_equal(L.toks[5].kind, SQL_TOK_EOF);
    unlex(&L);
}

static void test_keyword_table_is_sorted_for_lookup(void **state)
{
    (void)state;
    for (int k = SQL_KW_NONE + 1; k < SQL_KW__COUNT; k++) {
        const char *name = sql_keyword_name((sql_kw)k);
        assert_int_equal(sql_keyword_lookup(name, strlen(name)), k);
        if (k > 1)
            assert_true(strcmp(sql_keyword_name((sql_kw)(k - 1)), name) < 0);
    }
    assert_int_equal(sql_keyword_lookup("timestamp_ntz", 13), SQL_KW_TIMESTAMP_NTZ);
    assert_int_equal(sql_keyword_lookup("selects", 7), SQL_KW_NONE);
}

static void test_numeric_suffixes_pick_literal_types(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "1 1Y -127y 32767S 100000000000L 3.5BD 99.9bd 3.14 3.14D 1E+7 3.14159261E+7 3.14F 1e-3 .5 7");
    assert_int_equal(L.rc, 0);
    struct { sql_num_kind k; const char *digits; } want[] = {
        {SQL_NUM_INT, "1"}, {SQL_NUM_TINYINT, "1"}, {SQL_NUM_TINYINT, "127"}, {SQL_NUM_SMALLINT, "32767"},
        {SQL_NUM_BIGINT, "100000000000"}, {SQL_NUM_DECIMAL, "3.5"}, {SQL_NUM_DECIMAL, "99.9"},
        {SQL_NUM_DOUBLE, "3.14"}, {SQL_NUM_DOUBLE, "3.14"}, {SQL_NUM_DOUBLE, "1E+7"},
        {SQL_NUM_DOUBLE, "3.14159261E+7"}, {SQL_NUM_FLOAT, "3.14"}, {SQL_NUM_DOUBLE, "1e-3"},
        {SQL_NUM_DOUBLE, ".5"}, {SQL_NUM_INT, "7"},
    };
    int j = 0;
    for (int i = 0; i < L.n - 1; i++) {
        if (L.toks[i].kind == SQL_TOK_MINUS)
            continue;
        assert_int_equal(L.toks[i].kind, SQL_TOK_NUMBER);
        assert_int_equal(L.toks[i].num, want[j].k);
        assert_string_equal(L.toks[i].str, want[j].digits);
        j++;
    }
    assert_int_equal(j, 15);
    unlex(&L);
}

static void test_digit_led_words_are_names(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "20231101abc 1days 12");
    assert_int_equal(L.toks[0].kind, SQL_TOK_IDENT);
    assert_string_equal(L.toks[0].str, "20231101abc");
    assert_int_equal(L.toks[1].kind, SQL_TOK_IDENT);
    assert_int_equal(L.toks[2].kind, SQL_TOK_NUMBER);
    unlex(&L);
}

static void test_string_escapes_decode(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "'a\\'b' \"c\\\"d\" 'x\\ny\\tz' '\\001\\177' '\\\\d' '\\d' 'it''s' '\\u4e2d' 'a\\%b'");
    assert_int_equal(L.rc, 0);
    assert_int_equal(L.toks[0].kind, SQL_TOK_STRING);
    assert_string_equal(L.toks[0].str, "a'b");
    assert_string_equal(L.toks[1].str, "c\"d");
    assert_string_equal(L.toks[2].str, "x\ny\tz");
    assert_int_equal(L.toks[3].str_len, 2);
    assert_memory_equal(L.toks[3].str, "\001\177", 2);
    assert_string_equal(L.toks[4].str, "\\d");  /* regex needs doubled backslash (§1.7) */
    assert_string_equal(L.toks[5].str, "d");
    /* 'it''s' is two adjacent literals; the parser concatenates them */
    assert_string_equal(L.toks[6].str, "it");
    assert_string_equal(L.toks[7].str, "s");
    assert_string_equal(L.toks[8].str, "\xe4\xb8\xad");
    assert_string_equal(L.toks[9].str, "a\\%b"); /* kept for LIKE */
    unlex(&L);
}

static void test_nul_escape_keeps_length(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "'a\\000b'");
    assert_int_equal(L.rc, 0);
    assert_int_equal(L.toks[0].str_len, 3);
    assert_memory_equal(L.toks[0].str, "a\0b", 3);
    unlex(&L);
}

static void test_bad_escape_reports_documented_error(void **state)
{
    (void)state;
    lexed L;
    /* reference/maxcompute-sql.md §1.7: [1,19] is the literal's column */
    lex(&L, "select split(key, \"\\01\"), value like \"\\001\" from t;");
    assert_int_equal(L.rc, -1);
    assert_string_equal(err_text(&L.err), "ODPS-0130161:[1,19] Parse exception - unexpected escape sequence: 01");
    unlex(&L);
    lex(&L, "select '\\0001'");
    assert_string_equal(err_text(&L.err), "ODPS-0130161:[1,8] Parse exception - unexpected escape sequence: 0001");
    unlex(&L);
    lex(&L, "select '\\200'"); /* octal above 127 */
    assert_string_equal(err_text(&L.err), "ODPS-0130161:[1,8] Parse exception - unexpected escape sequence: 200");
    unlex(&L);
    lex(&L, "select '\\8'");
    assert_string_equal(err_text(&L.err), "ODPS-0130161:[1,8] Parse exception - unexpected escape sequence: 8");
    unlex(&L);
}

static void test_unterminated_literals_and_comments_fail(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "select 'abc");
    assert_string_equal(err_text(&L.err), "ODPS-0130161:[1,8] Parse exception - invalid token '''");
    unlex(&L);
    lex(&L, "select\n /* open");
    assert_string_equal(err_text(&L.err), "ODPS-0130161:[2,2] Parse exception - invalid token '/*'");
    unlex(&L);
    lex(&L, "select `abc");
    assert_string_equal(err_text(&L.err), "ODPS-0130161:[1,8] Parse exception - invalid token '`'");
    unlex(&L);
}

static void test_binary_literal_pads_odd_digits(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "X'616263' x'616'");
    assert_int_equal(L.toks[0].kind, SQL_TOK_BINARY);
    assert_int_equal(L.toks[0].str_len, 3);
    assert_memory_equal(L.toks[0].str, "abc", 3);
    assert_int_equal(L.toks[1].str_len, 2);
    assert_memory_equal(L.toks[1].str, "\x06\x16", 2);
    unlex(&L);
}

static void test_comments_are_skipped_and_hints_kept(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "-- line\nselect /* block\n comment */ /*+ MAPJOIN(a) */ 1 -- tail");
    assert_int_equal(L.rc, 0);
    assert_int_equal(L.n, 4);
    assert_int_equal(L.toks[0].kw, SQL_KW_SELECT);
    assert_int_equal(L.toks[0].line, 2);
    assert_int_equal(L.toks[1].kind, SQL_TOK_HINT);
    assert_string_equal(L.toks[1].str, "MAPJOIN(a)");
    assert_int_equal(L.toks[1].line, 3);
    assert_int_equal(L.toks[1].col, 13);
    assert_int_equal(L.toks[2].kind, SQL_TOK_NUMBER);
    unlex(&L);
}

static void test_operators(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "<=> != <> <= >= < > = == || | & ^ ~ % / * + - ( ) [ ] , ; . : && !");
    sql_tok_kind want[] = {
        SQL_TOK_NSEQ, SQL_TOK_NE, SQL_TOK_NE, SQL_TOK_LE, SQL_TOK_GE, SQL_TOK_LT, SQL_TOK_GT,
        SQL_TOK_EQ, SQL_TOK_EQ, SQL_TOK_CONCAT, SQL_TOK_PIPE, SQL_TOK_AMP, SQL_TOK_CARET,
        SQL_TOK_TILDE, SQL_TOK_PERCENT, SQL_TOK_SLASH, SQL_TOK_STAR, SQL_TOK_PLUS, SQL_TOK_MINUS,
        SQL_TOK_LPAREN, SQL_TOK_RPAREN, SQL_TOK_LBRACKET, SQL_TOK_RBRACKET, SQL_TOK_COMMA,
        SQL_TOK_SEMI, SQL_TOK_DOT, SQL_TOK_COLON, SQL_TOK_AMPAMP, SQL_TOK_BANG, SQL_TOK_EOF,
    };
    assert_int_equal(L.n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < L.n; i++)
        assert_string_equal(sql_token_kind_name(L.toks[i].kind), sql_token_kind_name(want[i]));
    unlex(&L);
}

static void test_positions_count_lines_and_characters(void **state)
{
    (void)state;
    lexed L;
    /* 中 is one column although three bytes; a tab is one column */
    lex(&L, "select '中文', x\n\tfrom t");
    assert_int_equal(L.toks[1].col, 8);
    assert_int_equal(L.toks[2].col, 12);
    assert_int_equal(L.toks[3].col, 14);
    assert_int_equal(L.toks[4].line, 2);
    assert_int_equal(L.toks[4].col, 2);
    assert_int_equal(L.toks[5].col, 7);
    unlex(&L);
}

static void test_unknown_characters_become_invalid_tokens(void **state)
{
    (void)state;
    lexed L;
    lex(&L, "${x} @ 中");
    assert_int_equal(L.rc, 0);
    assert_int_equal(L.toks[0].kind, SQL_TOK_INVALID);
    assert_int_equal(L.toks[0].len, 1);
    assert_int_equal(L.toks[4].kind, SQL_TOK_INVALID); /* @ */
    assert_int_equal(L.toks[5].kind, SQL_TOK_INVALID); /* 中, whole sequence */
    assert_int_equal(L.toks[5].len, 3);
    unlex(&L);
}

static void test_arena_zeroes_aligns_and_holds_big_blocks(void **state)
{
    (void)state;
    sql_arena *a = sql_arena_new();
    char *s = sql_arena_strdup(a, "hello");
    assert_string_equal(s, "hello");
    for (int i = 0; i < 1000; i++) {
        unsigned char *p = sql_arena_alloc(a, (size_t)(i % 37 + 1));
        assert_true(((uintptr_t)p % _Alignof(max_align_t)) == 0);
        for (int j = 0; j < i % 37 + 1; j++)
            assert_int_equal(p[j], 0);
        memset(p, 0xAB, (size_t)(i % 37 + 1));
    }
    unsigned char *big = sql_arena_alloc(a, 100000);
    assert_int_equal(big[99999], 0);
    assert_string_equal(s, "hello");
    assert_true(sql_arena_used(a) >= 100000);
    sql_arena_free(a);
    sql_arena_free(NULL);
}

static void test_error_format_with_and_without_position(void **state)
{
    (void)state;
    sql_error e;
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(sql_error_set(&e, SQL_ODPS_TABLE_NOT_FOUND, 1, 15,
                                   "table %s cannot be resolved", "test0517.dual"), -1);
    sql_error_format(&b, &e);
    assert_string_equal(b.data, "ODPS-0130131:[1,15] Table not found - table test0517.dual cannot be resolved");
    mc_buf_reset(&b);
    sql_error_set_nopos(&e, SQL_ODPS_DATA_OVERFLOW, NULL);
    sql_error_format(&b, &e);
    assert_string_equal(b.data, "ODPS-0121145:Data overflow");
    mc_buf_reset(&b);
    sql_error_set(&e, SQL_ODPS_SEMANTIC, 0, 0, "physical plan generation failed");
    sql_error_format(&b, &e);
    assert_string_equal(b.data, "ODPS-0130071:[0,0] Semantic analysis exception - physical plan generation failed");
    mc_err me;
    assert_int_equal(sql_error_to_mc(&me, &e), -1);
    assert_string_equal(me.remote_code, "ODPS-0130071");
    assert_string_equal(me.msg, b.data);
    assert_string_equal(sql_error_description("ODPS-0130211"), "Table or view already exists");
    assert_null(sql_error_description("ODPS-9999999"));
    sql_error_clear(&e);
    assert_string_equal(e.code, "");
    mc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords_are_case_insensitive_and_names_keep_case),
        cmocka_unit_test(test_keyword_table_is_sorted_for_lookup),
        cmocka_unit_test(test_numeric_suffixes_pick_literal_types),
        cmocka_unit_test(test_digit_led_words_are_names),
        cmocka_unit_test(test_string_escapes_decode),
        cmocka_unit_test(test_nul_escape_keeps_length),
        cmocka_unit_test(test_bad_escape_reports_documented_error),
        cmocka_unit_test(test_unterminated_literals_and_comments_fail),
        cmocka_unit_test(test_binary_literal_pads_odd_digits),
        cmocka_unit_test(test_comments_are_skipped_and_hints_kept),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_positions_count_lines_and_characters),
        cmocka_unit_test(test_unknown_characters_become_invalid_tokens),
        cmocka_unit_test(test_arena_zeroes_aligns_and_holds_big_blocks),
        cmocka_unit_test(test_error_format_with_and_without_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
