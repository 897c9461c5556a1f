/*
 * libFuzzer target for the Parquet reader (engine/paimon/parquet.c) and the
 * Thrift compact decoder under it (thrift.c). Not wired into CMake; build by
 * hand, e.g.:
 *   clang -g -fsanitize=fuzzer,address,undefined -Iengine -Icommon \
 *     tests/fuzz/fuzz_parquet.c engine/paimon/parquet.c engine/paimon/thrift.c \
 *     engine/paimon/types.c common/buf.c common/mc_err.c common/strutil.c \
 *     -ljansson -lzstd -lsnappy -llz4 -lz -o fuzz_parquet
 * Seed corpus: the *.parquet files under ../shared/paimon-tables, plus the
 * hand-built ones unit_test_paimon_parquet writes when MCDLF_PARQUET_SEED_DIR
 * names a directory (delta encodings, data page v2, every codec).
 * Fields requested: f0..f7 by name and ids 0..7 with one type of each kind
 * the reader converts, so the fixtures' columns are all read.
 * Property: no crash, no leak, no sanitizer report; errors are fine.
 */
#include <stddef.h>
#include <stdint.h>

#include "paimon/parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static paimon_field fields[8];
    static char names[8][3];
    if (!fields[0].type) {
        paimon_type *types[8] = {
            paimon_type_new_len(PAIMON_VARCHAR, PAIMON_MAX_LENGTH, true),
            paimon_type_new(PAIMON_INT, true),
            paimon_type_new(PAIMON_DATE, true),
            paimon_type_new_time(PAIMON_TIMESTAMP, 9, true),
            paimon_type_new_decimal(23, 5, true),
            paimon_type_new_len(PAIMON_VARBINARY, PAIMON_MAX_LENGTH, true),
            paimon_type_new(PAIMON_DOUBLE, true),
            paimon_type_new(PAIMON_BOOLEAN, true),
        };
        for (int i = 0; i < 8; i++) {
            names[i][0] = 'f';
            names[i][1] = (char)('0' + i);
            fields[i].id = i;
            fields[i].name = names[i];
            fields[i].type = types[i];
        }
    }
    mc_err err;
    paimon_parquet_reader *r;
    /* once asking for every column, once without f0 (positions shift) */
    for (size_t start = 0; start < 2; start++) {
        if (paimon_parquet_reader_open(&r, data, size, fields + start, 8 - start, &err) != 0)
            continue;
        const paimon_datum *row;
        while (paimon_parquet_reader_next(r, &row, &err) == 1)
            ;
        paimon_parquet_reader_close(r);
    }
    return 0;
}
