#!/usr/bin/env bash
# The seed's control-plane troubleshooting rows (RAM console): a RAM user
# without AliyunMaxComputeFullAccess can create neither a data source nor a
# project; with it but without AliyunDLFReadOnlyAccess (List on the catalog)
# still no project; with both, both work. Name and uniqueness rules are
# refused with their rule in words; detaching a policy takes effect at once.
# Exact transcript, uid masked.
# With MCDLF_TEST_MODE=url the same transcript comes from a `mcdlf serve`
# process, through the control-plane OpenAPI (docs/control-plane-api.md):
# the owner acts with the profile's AccessKey, bob (`--as bob`) with his own.
set -uo pipefail
bin=${MCDLF_BIN:?}
state=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$state"' EXIT
admin() { echo "\$ mcdlf admin $*"; "$bin" admin --state "$state/s" "$@" 2>&1; echo "[exit $?]"; }
if [ "${MCDLF_TEST_MODE:-}" = url ]; then
  . "$(dirname "$0")/served.sh"
  serve_start "$state/s"
  pid=$serve_pid
  admin() {
    echo "\$ mcdlf admin $*"
    if [ "$1" = --as ]; then
      shift 2
      ALIBABA_CLOUD_ACCESS_KEY_ID=$(cat "$state/bob.id") ALIBABA_CLOUD_ACCESS_KEY_SECRET=$(cat "$state/bob.secret") \
        "$bin" admin "${served[@]}" "$@" 2>&1
    else
      "$bin" admin "${served[@]}" "$@" 2>&1
    fi
    local rc=$?
    if [ "$1 $2" = "ram create-user" ] && [ $rc = 0 ]; then
      key=$("$bin" admin "${served[@]}" ram create-access-key "$3" 2>&1)
      printf '%s\n' "$key" | sed -n 's/^AccessKeyId: //p' > "$state/$3.id"
      printf '%s\n' "$key" | sed -n 's/^AccessKeySecret: //p' > "$state/$3.secret"
    fi
    echo "[exit $rc]"
  }
fi
actual=$(
  # a fresh, provisioned state (`mcdlf serve` provisions its own)
  [ "${MCDLF_TEST_MODE:-}" = url ] || "$bin" --state "$state/s" -e "SHOW SCHEMAS;" >/dev/null 2>&1
  admin ram create-user bob
  admin --as bob mc create-data-source ds_bob
  admin --as bob mc create-project proj_bob --data-source mcdlf_ds --catalog mcdlf
  admin ram attach-policy bob AliyunMaxComputeFullAccess
  admin --as bob mc create-data-source ds_bob
  admin --as bob mc create-project proj_bob --data-source ds_bob --catalog mcdlf
  admin ram attach-policy bob AliyunDLFReadOnlyAccess
  admin ram list-policies bob
  admin --as bob mc create-project proj_bob --data-source ds_bob --catalog mcdlf
  admin mc create-project mcdlf_project --data-source ds_bob --catalog mcdlf
  admin mc create-project 9lives --data-source ds_bob --catalog mcdlf
  admin mc create-data-source Bad-Name
  admin mc create-project proj_x --data-source ds_bob --catalog no_such_catalog
  admin ram detach-policy bob AliyunMaxComputeFullAccess
  admin --as bob mc create-data-source ds_bob2
)
actual=$(printf '%s\n' "$actual" | sed -E -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g')
expected=$(cat <<'OUT'
$ mcdlf admin ram create-user bob
acs:ram::<uid>:user/bob
[exit 0]
$ mcdlf admin --as bob mc create-data-source ds_bob
FAILED: You are not authorized to perform this action
[exit 1]
$ mcdlf admin --as bob mc create-project proj_bob --data-source mcdlf_ds --catalog mcdlf
FAILED: You are not authorized to perform this action
[exit 1]
$ mcdlf admin ram attach-policy bob AliyunMaxComputeFullAccess
OK
[exit 0]
$ mcdlf admin --as bob mc create-data-source ds_bob
ds_bob Paimon_DLF cn-hangzhou-intranet.dlf.aliyuncs.com
[exit 0]
$ mcdlf admin --as bob mc create-project proj_bob --data-source ds_bob --catalog mcdlf
FAILED: You are not authorized to perform this action
[exit 1]
$ mcdlf admin ram attach-policy bob AliyunDLFReadOnlyAccess
OK
[exit 0]
$ mcdlf admin ram list-policies bob
AliyunMaxComputeFullAccess System
AliyunDLFReadOnlyAccess System
[exit 0]
$ mcdlf admin --as bob mc create-project proj_bob --data-source ds_bob --catalog mcdlf
proj_bob ds_bob mcdlf
[exit 0]
$ mcdlf admin mc create-project mcdlf_project --data-source ds_bob --catalog mcdlf
FAILED: project name mcdlf_project is already taken (project names are global)
[exit 1]
$ mcdlf admin mc create-project 9lives --data-source ds_bob --catalog mcdlf
FAILED: invalid project name '9lives': it must start with a letter and contain only letters, digits and underscores, 3 to 28 characters
[exit 1]
$ mcdlf admin mc create-data-source Bad-Name
FAILED: invalid data source name 'Bad-Name': it must start with a letter and contain only lowercase letters, digits and underscores, at most 128 characters
[exit 1]
$ mcdlf admin mc create-project proj_x --data-source ds_bob --catalog no_such_catalog
FAILED: DLF catalog no_such_catalog does not exist
[exit 1]
$ mcdlf admin ram detach-policy bob AliyunMaxComputeFullAccess
OK
[exit 0]
$ mcdlf admin --as bob mc create-data-source ds_bob2
FAILED: You are not authorized to perform this action
[exit 1]
OUT
)
if ! diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"); then
  echo "control plane: transcript differs"; exit 1
fi
echo "control plane: transcript matches"
