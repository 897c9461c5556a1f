#!/usr/bin/env bash
# ctest entry: Parquet files from engine/paimon/parquet_writer.c read back
# with two independent readers, hyparquet and DuckDB. The writer's unit test
# writes its sample files and the data files of whole table writes into a
# temporary directory (MCDLF_PARQUET_OUT); parquet_write.test.js (hyparquet)
# and parquet_duckdb.test.js (DuckDB's read_parquet) check them.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/hyparquet-compressors ] && [ -d node_modules/@duckdb/node-bindings-linux-x64 ] ||
  npm ci --no-audit --no-fund --loglevel=error
out=$(mktemp -d "${TMPDIR:-/tmp}/mcdlf-parquet.XXXXXX")
trap 'rm -rf "$out"' EXIT
MCDLF_PARQUET_OUT="$out" "${MCDLF_BINARY_DIR:?}/unit_test_paimon_parquet_writer" >/dev/null
MCDLF_PARQUET_OUT="$out" node --test parquet_write.test.js parquet_duckdb.test.js
