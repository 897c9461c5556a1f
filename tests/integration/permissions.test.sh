#!/usr/bin/env bash
# The seed's permission lesson, end to end on the embedded emulator: DLF's
# RAM layer first (no DLF policy: every call refused; AliyunDLFReadOnlyAccess:
# reads pass on, writes do not), then a RAM user without a DLF data grant
# gets DLF's exact Forbidden text; each grant fixes one layer; a revoke
# takes effect at once. The whole transcript must equal the expected one
# (uid and instance ids masked): tests/integration/permissions.expected.
set -uo pipefail
bin=${MCDLF_BIN:?}
src=${MCDLF_SOURCE_DIR:?}
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
run() { echo "\$ mcdlf $*"; "$bin" "$@" --state "$state/s" 2>&1; echo "[exit $?]"; }
admin() { echo "\$ mcdlf admin $*"; "$bin" admin --state "$state/s" "$@" 2>&1; echo "[exit $?]"; }
actual=$(
  run -e "SET odps.namespace.schema=true; CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (101, 'Zhang San');"
  run --user alice -e "SHOW TABLES;"
  admin ram create-user alice
  run --user alice -e "SHOW TABLES;"
  admin ram attach-policy alice AliyunDLFReadOnlyAccess
  run --user alice -e "SHOW TABLES;"
  admin dlf grant alice LIST on database default
  run --user alice -e "SHOW TABLES;"
  run --user alice -e "SELECT * FROM emp;"
  admin dlf grant alice DESCRIBE on table default.emp
  run --user alice -e "SELECT * FROM emp;"
  admin dlf grant alice SELECT on table default.emp
  run --user alice -e "SELECT * FROM emp;"
  run --user alice -e "CREATE TABLE t2 (a INT);"
  admin ram attach-policy alice AliyunDLFFullAccess
  run --user alice -e "CREATE TABLE t2 (a INT);"
  admin dlf grant alice SELECT on database default
  admin dlf list-grants alice
  admin dlf revoke alice LIST on database default
  run --user alice -e "SHOW TABLES;"
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g')
if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$src/tests/integration/permissions.expected"; exit 0
fi
if ! diff -u "$src/tests/integration/permissions.expected" <(printf '%s\n' "$actual"); then
  echo "permissions: transcript differs"
  exit 1
fi
echo "permissions: transcript matches"
