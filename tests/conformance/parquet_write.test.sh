#!/usr/bin/env bash
# ctest entry: Parquet files from engine/paimon/parquet_writer.c read back
# with hyparquet. The writer's unit test writes its sample files into a
# temporary directory (MCDLF_PARQUET_OUT); parquet_write.test.js checks them.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/hyparquet-compressors ] || npm ci --no-audit --no-fund --loglevel=error
out=$(mktemp -d "${TMPDIR:-/tmp}/mcdlf-parquet.XXXXXX")
trap 'rm -rf "$out"' EXIT
MCDLF_PARQUET_OUT="$out" "${MCDLF_BINARY_DIR:?}/unit_test_paimon_parquet_writer" >/dev/null
MCDLF_PARQUET_OUT="$out" node --test parquet_write.test.js
