/*
 * bench_local: a Paimon table on the local disk written and read with the
 * engine's own writer and scan (paimon/writer, paimon/scan), no catalog and
 * no OSS: what bench/scan and bench/pk measure. Files are written without
 * fsync (as DuckDB's COPY writes). A table's state (latest snapshot and
 * manifests) is kept in a paimon_table_state between commits.
 */
#ifndef MC_BENCH_LOCAL_H
#define MC_BENCH_LOCAL_H

#include "mc_err.h"
#include "paimon/scan.h"
#include "paimon/schema.h"

/* The schema file of the benchmarks' columns (id BIGINT NOT NULL, k INT,
 * x DOUBLE, s STRING): primary_keys a JSON array, options an object. */
#define BENCH_SCHEMA(primary_keys, options)                                                                     \
    "{\"version\":3,\"id\":0,\"fields\":["                                                                      \
    "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT NOT NULL\"},"                                                  \
    "{\"id\":1,\"name\":\"k\",\"type\":\"INT\"},"                                                                \
    "{\"id\":2,\"name\":\"x\",\"type\":\"DOUBLE\"},"                                                             \
    "{\"id\":3,\"name\":\"s\",\"type\":\"STRING\"}],"                                                            \
    "\"highestFieldId\":3,\"partitionKeys\":[],\"primaryKeys\":" primary_keys ",\"options\":" options            \
    ",\"timeMillis\":0}"

/* paimon_fileio's read over the table directory ud (a const char *). */
int bench_local_read(void *ud, const char *rel, mc_buf *out, mc_err *err);
/* Writes dir/rel, making parent directories. */
int bench_local_put(const char *dir, const char *rel, const void *data, size_t n, mc_err *err);
/* Writes schema/schema-0 of s. */
int bench_local_create(const char *dir, const paimon_schema *s, mc_err *err);
/* One commit of n rows on top of st (updated to the new snapshot). */
int bench_local_commit(const char *dir, const paimon_schema *s, const paimon_datum *const *rows, size_t n,
                       paimon_table_state *st, mc_err *err);
/* Opens a scan of the latest snapshot, read from the directory as a reader
 * would; st receives the state the scan reads (clear it after the scan). */
int bench_local_scan_open(paimon_scan **out, paimon_table_state *st, const char *dir, const paimon_schema *s,
                          mc_err *err);

#endif
