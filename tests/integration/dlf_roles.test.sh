#!/usr/bin/env bash
# DLF roles and grant templates on the embedded emulator (issue 6): custom
# roles and their members, grants to role:NAME reaching members, the system
# roles that cannot be dropped or recreated, the Data Reader and Data Editor
# templates (their expansion is mcdlf's, docs/dlf-catalog.md), grants to a
# RAM role (role/NAME, stored lower-cased), and every refusal's text. The
# whole transcript must equal the expected one (uid and instance ids masked).
# Role sessions (STS AssumeRole) are covered by integration/test_ram.c.
set -uo pipefail
bin=${MCDLF_BIN:?}
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
run() { echo "\$ mcdlf $*"; "$bin" "$@" --state "$state/s" 2>&1; echo "[exit $?]"; }
admin() { echo "\$ mcdlf admin $*"; "$bin" admin --state "$state/s" "$@" 2>&1; echo "[exit $?]"; }
# The DLF decision on SELECT and the grant that allowed it, from `mcdlf why`.
why_select() {
  echo "\$ mcdlf why $* | grep -A1 'SELECT on TABLE'"
  "$bin" why --state "$state/s" "$@" 2>&1 | grep -A1 'SELECT on TABLE'; echo "[exit $?]"
}
actual=$(
  run -e "CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (101, 'Zhang San');"
  admin ram create-user alice
  admin ram create-user bob
  admin ram attach-policy alice AliyunDLFFullAccess
  admin ram attach-policy bob AliyunDLFFullAccess
  admin dlf list-roles
  admin dlf create-role analysts
  admin dlf create-role analysts
  admin dlf create-role 2nd-team
  admin dlf create-role admin
  admin dlf add-role-member analysts alice
  admin dlf add-role-member nosuch alice
  admin dlf add-role-member analysts role:admin
  admin dlf grant role:nosuch LIST on database default
  run --user alice -e "SELECT * FROM emp;"
  admin dlf grant role:analysts "Data Reader" on database default
  admin dlf list-grants role:analysts
  run --user alice -e "SHOW TABLES;"
  run --user alice -e "SELECT * FROM emp;"
  why_select --user alice "SELECT * FROM emp;"
  run --user alice -e "CREATE TABLE t2 (a INT);"
  run --user bob -e "SHOW TABLES;"
  admin dlf grant bob "Data Editor" on table default.emp
  admin dlf grant bob "Data Owner" on table default.emp
  run --user bob -e "INSERT INTO emp VALUES (102, 'Li Si');"
  admin dlf revoke bob "Data Editor" on table default.emp
  admin dlf revoke bob "Data Editor" on table default.emp
  admin dlf grant role/AliyunServiceRoleForMaxComputeLakehouse SELECT on table default.emp
  admin dlf grant role/NoSuchRole SELECT on table default.emp
  admin dlf add-role-member analysts role/AliyunServiceRoleForMaxComputeLakehouse
  admin dlf list-roles
  admin dlf list-grants
  admin dlf remove-role-member analysts alice
  admin dlf remove-role-member analysts alice
  run --user alice -e "SHOW TABLES;"
  admin dlf drop-role super_administrator
  admin dlf drop-role analysts
  admin dlf drop-role analysts
  admin dlf list-grants
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g')
expected=$(cat <<'OUT'
$ mcdlf -e CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (101, 'Zhang San');
ID = <instance-id>
OK
ID = <instance-id>
OK
[exit 0]
$ mcdlf admin ram create-user alice
acs:ram::<uid>:user/alice
[exit 0]
$ mcdlf admin ram create-user bob
acs:ram::<uid>:user/bob
[exit 0]
$ mcdlf admin ram attach-policy alice AliyunDLFFullAccess
OK
[exit 0]
$ mcdlf admin ram attach-policy bob AliyunDLFFullAccess
OK
[exit 0]
$ mcdlf admin dlf list-roles
admin (system)
super_administrator (system)
[exit 0]
$ mcdlf admin dlf create-role analysts
OK
[exit 0]
$ mcdlf admin dlf create-role analysts
FAILED: DLF role analysts already exists
[exit 1]
$ mcdlf admin dlf create-role 2nd-team
FAILED: invalid DLF role name '2nd-team': use 1-64 letters, digits and '_', starting with a letter
[exit 1]
$ mcdlf admin dlf create-role admin
FAILED: DLF role admin already exists (a system role)
[exit 1]
$ mcdlf admin dlf add-role-member analysts alice
OK
[exit 0]
$ mcdlf admin dlf add-role-member nosuch alice
FAILED: DLF role nosuch does not exist (mcdlf admin dlf create-role nosuch)
[exit 1]
$ mcdlf admin dlf add-role-member analysts role:admin
FAILED: a DLF role cannot be a member of a DLF role (role:admin)
[exit 1]
$ mcdlf admin dlf grant role:nosuch LIST on database default
FAILED: DLF role nosuch does not exist (mcdlf admin dlf create-role nosuch)
[exit 1]
$ mcdlf --user alice -e SELECT * FROM emp;
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege DESCRIBE on TABLE default.emp
[exit 1]
$ mcdlf admin dlf grant role:analysts Data Reader on database default
granted DESCRIBE on DATABASE default
granted LIST on DATABASE default
granted SELECT on DATABASE default
[exit 0]
$ mcdlf admin dlf list-grants role:analysts
role:analysts DESCRIBE on DATABASE mcdlf.default
role:analysts LIST on DATABASE mcdlf.default
role:analysts SELECT on DATABASE mcdlf.default
[exit 0]
$ mcdlf --user alice -e SHOW TABLES;
ID = <instance-id>
acs:ram::<uid>:root  emp


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
$ mcdlf why --user alice SELECT * FROM emp; | grep -A1 'SELECT on TABLE'
  DLF data permission: SELECT on TABLE default.emp: allowed
    grant SELECT on DATABASE mcdlf.default to role:analysts, of which acs:ram::<uid>:user/alice is a member (rule 3/4/6)
[exit 0]
$ mcdlf --user alice -e CREATE TABLE t2 (a INT);
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege CREATE_TABLE on DATABASE default
[exit 1]
$ mcdlf --user bob -e SHOW TABLES;
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/bob doesn't have privilege LIST on DATABASE default
[exit 1]
$ mcdlf admin dlf grant bob Data Editor on table default.emp
granted DESCRIBE on TABLE default.emp
granted SELECT on TABLE default.emp
granted UPDATE on TABLE default.emp
[exit 0]
$ mcdlf admin dlf grant bob Data Owner on table default.emp
FAILED: unknown DLF privilege or permission template 'Data Owner'
[exit 1]
$ mcdlf --user bob -e INSERT INTO emp VALUES (102, 'Li Si');
ID = <instance-id>
OK
[exit 0]
$ mcdlf admin dlf revoke bob Data Editor on table default.emp
revoked DESCRIBE on TABLE default.emp
revoked SELECT on TABLE default.emp
revoked UPDATE on TABLE default.emp
[exit 0]
$ mcdlf admin dlf revoke bob Data Editor on table default.emp
FAILED: acs:ram::<uid>:user/bob holds none of the privileges of Data Editor on that TABLE
[exit 1]
$ mcdlf admin dlf grant role/AliyunServiceRoleForMaxComputeLakehouse SELECT on table default.emp
OK
[exit 0]
$ mcdlf admin dlf grant role/NoSuchRole SELECT on table default.emp
FAILED: The role not exists: NoSuchRole.
[exit 1]
$ mcdlf admin dlf add-role-member analysts role/AliyunServiceRoleForMaxComputeLakehouse
OK
[exit 0]
$ mcdlf admin dlf list-roles
admin (system)
super_administrator (system)
analysts (custom)
  member acs:ram::<uid>:role/aliyunserviceroleformaxcomputelakehouse
  member acs:ram::<uid>:user/alice
[exit 0]
$ mcdlf admin dlf list-grants
acs:ram::<uid>:role/aliyunserviceroleformaxcomputelakehouse SELECT on TABLE mcdlf.default.emp
role:analysts DESCRIBE on DATABASE mcdlf.default
role:analysts LIST on DATABASE mcdlf.default
role:analysts SELECT on DATABASE mcdlf.default
[exit 0]
$ mcdlf admin dlf remove-role-member analysts alice
OK
[exit 0]
$ mcdlf admin dlf remove-role-member analysts alice
FAILED: acs:ram::<uid>:user/alice is not a member of DLF role analysts
[exit 1]
$ mcdlf --user alice -e SHOW TABLES;
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege LIST on DATABASE default
[exit 1]
$ mcdlf admin dlf drop-role super_administrator
FAILED: DLF role super_administrator is a system role and cannot be dropped
[exit 1]
$ mcdlf admin dlf drop-role analysts
OK
[exit 0]
$ mcdlf admin dlf drop-role analysts
FAILED: DLF role analysts does not exist
[exit 1]
$ mcdlf admin dlf list-grants
acs:ram::<uid>:role/aliyunserviceroleformaxcomputelakehouse SELECT on TABLE mcdlf.default.emp
[exit 0]
OUT
)
if ! diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"); then
  echo "dlf_roles: transcript differs"; exit 1
fi
echo "dlf_roles: transcript matches"
