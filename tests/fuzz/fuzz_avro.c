/*
 * libFuzzer target for the Avro container reader and the manifest readers
 * built on it (engine/paimon/avro.c, manifest.c). Built and run by ci/fuzz;
 * seed corpus in tests/fuzz/corpus/avro (Java-written manifests and a data file).
 * Property: no crash, no leak, no sanitizer report; errors are fine.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "paimon/avro.h"
#include "paimon/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mc_err err;
    paimon_avro_file *f;
    if (paimon_avro_file_open(&f, data, size, &err) == 0) {
        paimon_avro_value v;
        memset(&v, 0, sizeof v);
        while (paimon_avro_file_next(f, &v, &err) == 1)
            paimon_avro_value_clear(&v);
        paimon_avro_file_close(f);
    }
    paimon_manifest_file_meta *m;
    size_t n;
    if (paimon_manifest_list_read(&m, &n, data, size, &err) == 0)
        paimon_manifest_file_metas_free(m, n);
    paimon_manifest_entry *e;
    if (paimon_manifest_read(&e, &n, data, size, &err) == 0)
        paimon_manifest_entries_free(e, n);
    paimon_index_manifest_entry *ie;
    if (paimon_index_manifest_read(&ie, &n, data, size, &err) == 0)
        paimon_index_manifest_entries_free(ie, n);
    return 0;
}
