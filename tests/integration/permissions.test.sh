#!/usr/bin/env bash
# The seed's permission lesson, end to end on the embedded emulator: a RAM
# user without a DLF data grant gets DLF's exact Forbidden text; each grant
# fixes one layer; a revoke takes effect at once; a SELECT-only user cannot
# write. The whole transcript must equal the expected one (uid and instance
# ids masked).
set -uo pipefail
bin=${MCDLF_BIN:?}
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
run() { echo "\$ mcdlf $*"; "$bin" "$@" --state "$state/s" 2>&1; echo "[exit $?]"; }
admin() { echo "\$ mcdlf admin $*"; "$bin" admin --state "$state/s" "$@" 2>&1; echo "[exit $?]"; }
actual=$(
  run -e "SET odps.namespace.schema=true; CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (101, 'Zhang San');"
  run --user alice -e "SHOW TABLES;"
  admin ram create-user alice
  run --user alice -e "SHOW TABLES;"
  admin dlf grant alice LIST on database default
  run --user alice -e "SHOW TABLES;"
  run --user alice -e "SELECT * FROM emp;"
  admin dlf grant alice DESCRIBE on table default.emp
  run --user alice -e "SELECT * FROM emp;"
  admin dlf grant alice SELECT on table default.emp
  run --user alice -e "SELECT * FROM emp;"
  run --user alice -e "CREATE TABLE t2 (a INT);"
  admin dlf grant alice SELECT on database default
  admin dlf list-grants alice
  admin dlf revoke alice LIST on database default
  run --user alice -e "SHOW TABLES;"
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g')
expected=$(cat <<'OUT'
$ mcdlf -e SET odps.namespace.schema=true; CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (101, 'Zhang San');
OK
ID = <instance-id>
OK
ID = <instance-id>
OK
[exit 0]
$ mcdlf --user alice -e SHOW TABLES;
mcdlf: RAM user alice does not exist (mcdlf admin ram create-user alice)
[exit 1]
$ mcdlf admin ram create-user alice
acs:ram::<uid>:user/alice
[exit 0]
$ mcdlf --user alice -e SHOW TABLES;
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege LIST on DATABASE default
[exit 1]
$ mcdlf admin dlf grant alice LIST on database default
OK
[exit 0]
$ mcdlf --user alice -e SHOW TABLES;
ID = <instance-id>
acs:ram::<uid>:root  emp


OK
[exit 0]
$ mcdlf --user alice -e SELECT * FROM emp;
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege DESCRIBE on TABLE default.emp
[exit 1]
$ mcdlf admin dlf grant alice DESCRIBE on table default.emp
OK
[exit 0]
$ mcdlf --user alice -e SELECT * FROM emp;
ID = <instance-id>
FAILED: data token of default.emp: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege SELECT on TABLE default.emp
[exit 1]
$ mcdlf admin dlf grant alice SELECT on table default.emp
OK
[exit 0]
$ mcdlf --user alice -e SELECT * FROM emp;
ID = <instance-id>
+------------+------------+
| id         | name       | 
+------------+------------+
| 101        | Zhang San  | 
+------------+------------+
[exit 0]
$ mcdlf --user alice -e CREATE TABLE t2 (a INT);
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege CREATE_TABLE on DATABASE default
[exit 1]
$ mcdlf admin dlf grant alice SELECT on database default
FAILED: privilege SELECT does not apply to a DATABASE
[exit 1]
$ mcdlf admin dlf list-grants alice
acs:ram::<uid>:user/alice LIST on DATABASE mcdlf.default
acs:ram::<uid>:user/alice DESCRIBE on TABLE mcdlf.default.emp
acs:ram::<uid>:user/alice SELECT on TABLE mcdlf.default.emp
[exit 0]
$ mcdlf admin dlf revoke alice LIST on database default
OK
[exit 0]
$ mcdlf --user alice -e SHOW TABLES;
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege LIST on DATABASE default
[exit 1]
OUT
)
if ! diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"); then
  echo "permissions: transcript differs"
  exit 1
fi
echo "permissions: transcript matches"
