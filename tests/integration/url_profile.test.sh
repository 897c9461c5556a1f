#!/usr/bin/env bash
# The same console flows through the `url` profile: a separately started
# `mcdlf serve` process (its own ports), reached only through its
# endpoints.json. Every golden fixture must give the same output as on the
# embedded profile (issue 8: switching by configuration alone).
set -uo pipefail
src=${MCDLF_SOURCE_DIR:?}
bin=${MCDLF_BIN:?}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail=0; n=0
for sql in "$src"/fixtures/sql/*.sql; do
  name=$(basename "$sql" .sql)
  state="$work/$name"
  mkdir -p "$state"
  "$bin" serve --state "$state/serve" >"$state/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do [ -f "$state/serve/endpoints.json" ] && break; sleep 0.05; done
  if [ ! -f "$state/serve/endpoints.json" ]; then
    echo "url: serve did not start"; cat "$state/serve.log"; exit 1
  fi
  printf '[profile served]\nkind = url\nendpoints_file = %s\n' "$state/serve/endpoints.json" > "$state/config"
  actual=$( cd "$state" && "$bin" --config "$state/config" --profile served -f "$sql" 2>&1; echo "[exit $?]" )
  kill "$pid"; wait "$pid" 2>/dev/null; pid=
  actual=$(printf '%s\n' "$actual" | sed -E -f "$src/tests/integration/golden.sed")
  n=$((n+1))
  if ! diff -u "$src/fixtures/sql/$name.out" <(printf '%s\n' "$actual"); then
    echo "url: $name differs"; fail=$((fail+1))
  fi
done
echo "url profile: $((n-fail)) passed, $fail failed"
[ $fail -eq 0 ]
