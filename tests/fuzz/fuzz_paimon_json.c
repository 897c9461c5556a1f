/*
 * libFuzzer target for the Paimon JSON parsers: schema files, snapshot files,
 * type strings, hint files (engine/paimon/{schema,snapshot,types}.c). Built
 * and run by ci/fuzz (seed corpus: tests/fuzz/corpus/paimon_json).
 * Property: no crash or sanitizer report; anything that parses also prints.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paimon/schema.h"
#include "paimon/snapshot.h"
#include "paimon/types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mc_err err;
    mc_buf out = MC_BUF_INIT;
    paimon_schema *s;
    if (paimon_schema_parse(&s, (const char *)data, size, &err) == 0) {
        paimon_schema_write(&out, s);
        paimon_schema_free(s);
    }
    paimon_snapshot *snap;
    if (paimon_snapshot_parse(&snap, (const char *)data, size, &err) == 0) {
        paimon_snapshot_write(&out, snap);
        paimon_snapshot_free(snap);
    }
    int64_t id;
    paimon_hint_parse(&id, (const char *)data, size, &err);
    char *str = malloc(size + 1);
    memcpy(str, data, size);
    str[size] = 0;
    paimon_type *t;
    if (paimon_type_parse(&t, str, &err) == 0) {
        paimon_type_to_sql(&out, t);
        paimon_type_free(t);
    }
    free(str);
    mc_buf_free(&out);
    return 0;
}
