#!/usr/bin/env bash
# mcdlf admin dlf grant|revoke|list-grants on a url profile: the commands call
# DLF's permission API (docs/dlf-permissions-api.md) on a separately started
# `mcdlf serve`, as the profile's AccessKey. A grant made so is what alice's
# console sees through the same serve; list-grants prints the lines the
# embedded profile prints for the same state.
set -uo pipefail
bin=${MCDLF_BIN:?}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$bin" admin --state "$work/s" ram create-user alice >/dev/null 2>&1
"$bin" admin --state "$work/s" ram attach-policy alice AliyunDLFReadOnlyAccess >/dev/null 2>&1
key=$("$bin" admin --state "$work/s" ram create-access-key alice 2>&1)
alice_id=$(printf '%s\n' "$key" | sed -n 's/^AccessKeyId: //p')
alice_secret=$(printf '%s\n' "$key" | sed -n 's/^AccessKeySecret: //p')
"$bin" serve --state "$work/s" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -f "$work/s/endpoints.json" ] && break; sleep 0.05; done
printf '[profile served]\nkind = url\nendpoints_file = %s\n' "$work/s/endpoints.json" > "$work/config"
admin() { echo "\$ mcdlf admin --profile served $*"; "$bin" admin --config "$work/config" --profile served "$@" 2>&1; echo "[exit $?]"; }
alice() {
  echo "\$ mcdlf --profile served -e \"$1\"  (as alice)"
  ALIBABA_CLOUD_ACCESS_KEY_ID=$alice_id ALIBABA_CLOUD_ACCESS_KEY_SECRET=$alice_secret \
    "$bin" --config "$work/config" --profile served -e "$1" 2>&1; echo "[exit $?]"
}
actual=$(
  admin dlf list-grants
  alice "SHOW TABLES;"
  admin dlf grant alice LIST on database default
  admin dlf grant alice DESCRIBE on database mcdlf.default
  admin dlf grant alice CREATE_DATABASE on catalog mcdlf
  admin dlf list-grants alice
  alice "SHOW TABLES;"
  admin dlf grant alice SELECT on table default.nope
  admin dlf grant alice READ on database default
  admin dlf grant alice LIST on database other.default
  admin dlf revoke alice LIST on database default
  admin dlf revoke alice LIST on database default
  alice "SHOW TABLES;"
  admin dlf list-grants
  admin ram create-user bob
  admin --as alice dlf list-grants
  kill "$pid"; wait "$pid" 2>/dev/null; pid=
  echo "\$ mcdlf admin --state S dlf list-grants  (embedded, the same state)"
  "$bin" admin --state "$work/s" dlf list-grants 2>&1; echo "[exit $?]"
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g')
expected=$(cat <<'OUT'
$ mcdlf admin --profile served dlf list-grants
[exit 0]
$ mcdlf --profile served -e "SHOW TABLES;"  (as alice)
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege LIST on DATABASE default
[exit 1]
$ mcdlf admin --profile served dlf grant alice LIST on database default
OK
[exit 0]
$ mcdlf admin --profile served dlf grant alice DESCRIBE on database mcdlf.default
OK
[exit 0]
$ mcdlf admin --profile served dlf grant alice CREATE_DATABASE on catalog mcdlf
OK
[exit 0]
$ mcdlf admin --profile served dlf list-grants alice
acs:ram::<uid>:user/alice CREATE_DATABASE on CATALOG mcdlf
acs:ram::<uid>:user/alice DESCRIBE on DATABASE mcdlf.default
acs:ram::<uid>:user/alice LIST on DATABASE mcdlf.default
[exit 0]
$ mcdlf --profile served -e "SHOW TABLES;"  (as alice)
ID = <instance-id>


OK
[exit 0]
$ mcdlf admin --profile served dlf grant alice SELECT on table default.nope
FAILED: NotFound: Table default.nope does not exist.
[exit 1]
$ mcdlf admin --profile served dlf grant alice READ on database default
FAILED: InvalidParameter: permissions[0]: access READ is not valid for a DATABASE permission (valid: ALL, ALTER, DROP, GRANT, DESCRIBE, CREATE_TABLE, CREATE_FUNCTION, LIST).
[exit 1]
$ mcdlf admin --profile served dlf grant alice LIST on database other.default
FAILED: only the profile's catalog mcdlf is reachable here, not other
[exit 1]
$ mcdlf admin --profile served dlf revoke alice LIST on database default
OK
[exit 0]
$ mcdlf admin --profile served dlf revoke alice LIST on database default
FAILED: NotFound: acs:ram::<uid>:user/alice has no grant LIST on that DATABASE
[exit 1]
$ mcdlf --profile served -e "SHOW TABLES;"  (as alice)
ID = <instance-id>
FAILED: Forbidden: User acs:ram::<uid>:user/alice doesn't have privilege LIST on DATABASE default
[exit 1]
$ mcdlf admin --profile served dlf list-grants
acs:ram::<uid>:user/alice CREATE_DATABASE on CATALOG mcdlf
acs:ram::<uid>:user/alice DESCRIBE on DATABASE mcdlf.default
[exit 0]
$ mcdlf admin --profile served ram create-user bob
mcdlf admin: on a url profile only dlf grant, revoke and list-grants are supported yet (without --as)
[exit 1]
$ mcdlf admin --profile served --as alice dlf list-grants
mcdlf admin: on a url profile only dlf grant, revoke and list-grants are supported yet (without --as)
[exit 1]
$ mcdlf admin --state S dlf list-grants  (embedded, the same state)
acs:ram::<uid>:user/alice CREATE_DATABASE on CATALOG mcdlf
acs:ram::<uid>:user/alice DESCRIBE on DATABASE mcdlf.default
[exit 0]
OUT
)
if [ "$actual" != "$expected" ]; then
  diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual")
  exit 1
fi
