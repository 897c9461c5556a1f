#!/usr/bin/env bash
# mcdlf admin dlf grant|revoke|list-grants and ram create-user|create-access-key|
# attach-policy|detach-policy|create-policy|list-policies on a url profile: the
# commands call DLF's permission API (docs/dlf-permissions-api.md) and the RAM
# API on a separately started `mcdlf serve`, as the profile's AccessKey; a
# user made so acts with its own AccessKey, both permission layers deciding. A grant made so is what alice's
# console sees through the same serve; list-grants prints the lines the
# embedded profile prints for the same state. Golden: admin_url.expected.
set -uo pipefail
bin=${MCDLF_BIN:?}
src=${MCDLF_SOURCE_DIR:?}
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
# bob is made over the RAM API; his AccessKey comes from create-access-key.
bob_key() {
  echo "\$ mcdlf admin --profile served ram create-access-key bob"
  key=$("$bin" admin --config "$work/config" --profile served ram create-access-key bob 2>&1); echo "[exit $?]"
  bob_id=$(printf '%s\n' "$key" | sed -n 's/^AccessKeyId: //p')
  bob_secret=$(printf '%s\n' "$key" | sed -n 's/^AccessKeySecret: //p')
  [ -n "$bob_id" ] && [ -n "$bob_secret" ] && echo "(an AccessKey pair)"
}
bob() {
  echo "\$ mcdlf --profile served -e \"$1\"  (as bob)"
  ALIBABA_CLOUD_ACCESS_KEY_ID=$bob_id ALIBABA_CLOUD_ACCESS_KEY_SECRET=$bob_secret \
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
  admin ram create-user bob
  bob_key
  bob "SHOW TABLES;"
  admin ram attach-policy bob AliyunDLFReadOnlyAccess
  admin ram attach-policy bob NoSuchPolicy
  echo '{"Version":"1","Statement":[{"Effect":"Allow","Action":"dlf:CreateTable","Resource":"*"}]}' > "$work/p.json"
  admin ram create-policy TableCreator "$work/p.json"
  admin ram attach-policy bob TableCreator
  admin ram list-policies bob
  bob "SHOW TABLES;"
  admin ram detach-policy bob AliyunDLFReadOnlyAccess
  bob "SHOW TABLES;"
  admin --as alice dlf list-grants
  kill "$pid"; wait "$pid" 2>/dev/null; pid=
  echo "\$ mcdlf admin --state S dlf list-grants  (embedded, the same state)"
  "$bin" admin --state "$work/s" dlf list-grants 2>&1; echo "[exit $?]"
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e "s#$work#<work>#g" \
    -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g')
if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$src/tests/integration/admin_url.expected"; exit 0
fi
if ! diff -u "$src/tests/integration/admin_url.expected" <(printf '%s\n' "$actual"); then
  echo "admin_url: transcript differs"
  exit 1
fi
echo "admin_url: transcript matches"
