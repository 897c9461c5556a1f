#!/usr/bin/env bash
# ctest entry: the DLF catalog's traffic against the Paimon REST OpenAPI
# document. Runs the integration suite (test_dlf, the golden console tests,
# the permissions transcript) with MCDLF_DLF_TRAFFIC naming a fresh file, so
# the emulator logs every request it handles, then validates that log
# (openapi.test.js).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/ajv ] && [ -d node_modules/yaml ] || npm ci --no-audit --no-fund --loglevel=error
: "${MCDLF_BIN:?}" "${MCDLF_BINARY_DIR:?}" "${MCDLF_SOURCE_DIR:?}" "${MCDLF_SHARED_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MCDLF_DLF_TRAFFIC=$work/traffic.jsonl
: > "$MCDLF_DLF_TRAFFIC"
# The suites' own verdicts are theirs to report; here they only make traffic.
# Their output is kept for when a run logs nothing useful.
status=0
"$MCDLF_BINARY_DIR/integration_test_dlf" > "$work/test_dlf.out" 2>&1 || status=$?
bash "$MCDLF_SOURCE_DIR/tests/integration/golden.test.sh" > "$work/golden.out" 2>&1 || status=$?
bash "$MCDLF_SOURCE_DIR/tests/integration/permissions.test.sh" > "$work/permissions.out" 2>&1 || status=$?
[ $status -eq 0 ] || { echo "note: a traffic-producing suite failed (exit $status):"; tail -n 5 "$work"/*.out; }
exec node --test openapi.test.js
