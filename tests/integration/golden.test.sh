#!/usr/bin/env bash
# Golden console tests: each fixtures/sql/NAME.sql runs through `mcdlf -f` on
# a fresh embedded state directory; its stdout and stderr (interleaved in
# statement order) must equal fixtures/sql/NAME.out byte for byte, after
# masking what differs per run (instance ids, the account uid, DESC times,
# DESC EXTENDED's table uuid and the catalog's generated bucket name; these
# two masks keep the width, so the boxes stay aligned).
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
  actual=$(printf '%s\n' "$actual" | sed -E \
      -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
      -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g' \
      -e 's/(Time: +)[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/\1yyyy-MM-dd HH:mm:ss/' \
      -e 's/^(\| TableID +: )[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/\1xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/' \
      -e 's/clg-paimon-[0-9a-f]{16}/clg-paimon-xxxxxxxxxxxxxxxx/g')
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
