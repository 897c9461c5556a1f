#!/usr/bin/env bash
# Golden console tests: each fixtures/sql/NAME.sql runs through `mcdlf -f` on
# a fresh embedded state directory; its stdout and stderr (interleaved in
# statement order) must equal fixtures/sql/NAME.out byte for byte, after
# masking what differs per run (golden.sed).
# MCDLF_UPDATE_GOLDEN=1 rewrites the .out files instead.
set -uo pipefail
src=${MCDLF_SOURCE_DIR:?}
bin=${MCDLF_BIN:?}
fail=0; n=0
for sql in "$src"/fixtures/sql/*.sql; do
  name=$(basename "$sql" .sql)
  state=$(mktemp -d)
  actual=$( cd "$state" && "$bin" --state "$state/.mcdlf" -f "$sql" 2>&1; echo "[exit $?]" )
  rm -rf "$state"
  actual=$(printf '%s\n' "$actual" | sed -E -f "$src/tests/integration/golden.sed")
  n=$((n+1))
  if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
    printf '%s\n' "$actual" > "$src/fixtures/sql/$name.out"
    continue
  fi
  if ! diff -u "$src/fixtures/sql/$name.out" <(printf '%s\n' "$actual"); then
    echo "golden: $name differs"; fail=$((fail+1))
  fi
done
echo "$((n-fail)) passed, $fail failed"
[ $fail -eq 0 ]
