#!/usr/bin/env bash
# The seed's permission lesson, end to end on the embedded emulator: DLF's
# RAM layer first (no DLF policy: every call refused; AliyunDLFReadOnlyAccess:
# reads pass on, writes do not), then a RAM user without a DLF data grant
# gets DLF's exact Forbidden text; each grant fixes one layer; a revoke
# takes effect at once. The whole transcript must equal the expected one
# (uid and instance ids masked): tests/integration/permissions.expected.
# With MCDLF_TEST_MODE=url the lesson runs against a `mcdlf serve` process.
set -uo pipefail
bin=${MCDLF_BIN:?}
src=${MCDLF_SOURCE_DIR:?}
state=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$state"; }
trap cleanup EXIT
if [ "${MCDLF_TEST_MODE:-}" = url ]; then
  # The same lesson against a separate `mcdlf serve`: admin actions over the
  # RAM API and DLF's permission API, alice acting with her own AccessKey
  # (from create-access-key), statements through a url profile.
  . "$(dirname "$0")/served.sh"
  serve_start "$state/s"
  pid=$serve_pid
  run() {
    echo "\$ mcdlf $*"
    if [ "$1" = --user ]; then
      shift 2
      ALIBABA_CLOUD_ACCESS_KEY_ID=$(cat "$state/alice.id") ALIBABA_CLOUD_ACCESS_KEY_SECRET=$(cat "$state/alice.secret") \
        "$bin" "${served[@]}" "$@" 2>&1
    else
      "$bin" "${served[@]}" "$@" 2>&1
    fi
    echo "[exit $?]"
  }
  admin() {
    echo "\$ mcdlf admin $*"; "$bin" admin "${served[@]}" "$@" 2>&1; local rc=$?
    if [ "$1 $2" = "ram create-user" ] && [ $rc = 0 ]; then
      key=$("$bin" admin "${served[@]}" ram create-access-key "$3" 2>&1)
      printf '%s\n' "$key" | sed -n 's/^AccessKeyId: //p' > "$state/$3.id"
      printf '%s\n' "$key" | sed -n 's/^AccessKeySecret: //p' > "$state/$3.secret"
    fi
    echo "[exit $rc]"
  }
else
  run() { echo "\$ mcdlf $*"; "$bin" "$@" --state "$state/s" 2>&1; echo "[exit $?]"; }
  admin() { echo "\$ mcdlf admin $*"; "$bin" admin --state "$state/s" "$@" 2>&1; echo "[exit $?]"; }
fi
actual=$(
  run -e "SET odps.namespace.schema=true; CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (101, 'Zhang San');"
  # `--user` names a RAM user of the embedded emulator; over a url profile a
  # user acts with its AccessKey, which exists only once the user does.
  [ "${MCDLF_TEST_MODE:-}" = url ] || run --user alice -e "SHOW TABLES;"
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
expected=$src/tests/integration/permissions.expected
if [ "${MCDLF_TEST_MODE:-}" = url ]; then
  # Everything but the embedded-only first `--user alice` (3 lines); a
  # refused grant prints the permission API's code and message.
  expected=$state/expected
  sed -e '/^\$ mcdlf --user alice -e SHOW TABLES;$/{N;N;/does not exist/d}' \
      -e 's/^FAILED: privilege SELECT does not apply to a DATABASE$/FAILED: InvalidParameter: permissions[0]: access SELECT is not valid for a DATABASE permission (valid: ALL, ALTER, DROP, GRANT, DESCRIBE, CREATE_TABLE, CREATE_FUNCTION, LIST)./' \
      "$src/tests/integration/permissions.expected" > "$expected"
elif [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$expected"; exit 0
fi
if ! diff -u "$expected" <(printf '%s\n' "$actual"); then
  echo "permissions: transcript differs"
  exit 1
fi
echo "permissions: transcript matches"
