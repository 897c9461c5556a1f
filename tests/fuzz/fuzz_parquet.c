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
 * the reader converts, so the fixtures' columns are all read; then the
 * nested fields of unit_test_paimon_parquet_writer's nested.parquet (ids 1,
 * 2, 3, 6: ARRAY, MAP, ROW, ARRAY of ROW), so record assembly is fuzzed.
 * Property: no crash, no leak, no sanitizer report; errors are fine.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

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
    static paimon_field nested[4];
    if (!nested[0].type) {
        static const char *json[4] = {
            "{\"type\":\"ARRAY\",\"element\":\"INT\"}",
            "{\"type\":\"MAP\",\"key\":\"STRING NOT NULL\",\"value\":\"BIGINT\"}",
            "{\"type\":\"ROW\",\"fields\":[{\"id\":4,\"name\":\"x\",\"type\":\"INT\"},"
            "{\"id\":5,\"name\":\"y\",\"type\":\"STRING\"}]}",
            "{\"type\":\"ARRAY\",\"element\":{\"type\":\"ROW\",\"fields\":[{\"id\":7,\"name\":\"k\","
            "\"type\":\"STRING\"},{\"id\":8,\"name\":\"v\",\"type\":{\"type\":\"ARRAY\",\"element\":"
            "\"INT NOT NULL\"}}]}}"};
        static const int32_t ids[4] = {1, 2, 3, 6};
        static char *nnames[4] = {"a", "m", "r", "la"};
        for (int i = 0; i < 4; i++) {
            json_t *j = json_loads(json[i], 0, NULL);
            mc_err e;
            paimon_type_from_json(&nested[i].type, j, &e);
            json_decref(j);
            nested[i].id = ids[i];
            nested[i].name = nnames[i];
        }
    }
    mc_err err;
    paimon_parquet_reader *r;
    if (paimon_parquet_reader_open(&r, data, size, nested, 4, &err) == 0) {
        const paimon_datum *row;
        while (paimon_parquet_reader_next(r, &row, &err) == 1)
            ;
        paimon_parquet_reader_close(r);
    }
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
