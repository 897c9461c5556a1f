#!/usr/bin/env bash
# `mcdlf why` for each troubleshooting case of the seed's permission tables:
# a RAM user without a DLF RAM policy (the RAM layer refuses), with
# AliyunDLFReadOnlyAccess (writes refused by RAM), then with
# AliyunDLFFullAccess but without DLF data grants runs SHOW TABLES, SELECT, INSERT,
# CREATE TABLE and CREATE SCHEMA; why names the layer, the missing privilege
# and the exact fix; after the fix, why says which grant allows it. The whole
# transcript is golden (tests/integration/why.expected), uid and ids masked.
set -uo pipefail
bin=${MCDLF_BIN:?}
src=${MCDLF_SOURCE_DIR:?}
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
why() { echo "\$ mcdlf why $*"; "$bin" why --state "$state/s" "$@" 2>&1; echo "[exit $?]"; }
admin() { echo "\$ mcdlf admin $*"; "$bin" admin --state "$state/s" "$@" >/dev/null 2>&1; echo "[exit $?]"; }
actual=$(
  "$bin" --state "$state/s" -e "CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (101, 'Zhang San');" >/dev/null 2>&1
  admin ram create-user alice
  why --user alice "SHOW TABLES;"
  admin ram attach-policy alice AliyunDLFReadOnlyAccess
  why --user alice "CREATE TABLE t2 (a INT);"
  admin ram attach-policy alice AliyunDLFFullAccess
  why --user alice "SHOW TABLES;"
  why --user alice "SELECT * FROM emp;"
  why --user alice "INSERT INTO emp VALUES (1, 'x');"
  why --user alice "CREATE TABLE t2 (a INT);"
  why --user alice "CREATE SCHEMA s2;"
  admin dlf grant alice LIST on database default
  why --user alice "SHOW TABLES;"
  admin dlf grant alice DESCRIBE on table default.emp
  admin dlf grant alice SELECT on table default.emp
  why --user alice "SELECT * FROM emp;"
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g')
if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$src/tests/integration/why.expected"; exit 0
fi
if ! diff -u "$src/tests/integration/why.expected" <(printf '%s\n' "$actual"); then
  echo "why: transcript differs"; exit 1
fi
echo "why: transcript matches"
