#!/usr/bin/env bash
# A full disk (issue 9): `mcdlf serve` with MCDLF_FAULT_DISK_BYTES lets the
# OSS store write that many bytes, then fails every write as ENOSPC would.
# The OSS write answers 500 InternalError, the INSERT fails with it, the table
# stays at its last snapshot with its rows intact, and after a restart with
# space again writes work and nothing earlier is lost. One INSERT here writes
# about 6 KB (data file, manifest, manifest list), so 8500 bytes let exactly one through.
# The failed INSERTs leave no object behind: whatever of theirs was uploaded
# is removed again (engine/lake.c commit_plan).
set -uo pipefail
bin=${MCDLF_BIN:?}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
serve() {
  env "$@" "$bin" serve --state "$work/s" >>"$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do [ -f "$work/s/endpoints.json" ] && return 0; sleep 0.05; done
  echo "serve did not start"; cat "$work/serve.log"; exit 1
}
# Every object file of the store (objects are kept by id; the only table is t).
objects() { (cd "$work/s/oss" && find . -type f | sort); }
stop() { kill "$pid"; wait "$pid" 2>/dev/null; pid=; rm -f "$work/s/endpoints.json"; }
printf '[profile served]\nkind = url\nendpoints_file = %s\n' "$work/s/endpoints.json" > "$work/config"
q() {
  echo "\$ $1"
  "$bin" --config "$work/config" --profile served -e "$1" 2>&1 | grep -v '^ID = ' | sed -E \
    -e 's#^FAILED: writing oss://[^:]+: #FAILED: writing <object>: #' \
    -e 's#, PUT oss://[^,]+, RequestId [0-9A-F]+\)#, PUT <object>, RequestId <id>)#'
  echo "[exit ${PIPESTATUS[0]}]"
}
actual=$(
  serve MCDLF_FAULT_DISK_BYTES=8500
  q "CREATE TABLE t (id INT, s STRING); INSERT INTO t VALUES (1, 'one');"
  before=$(objects)
  q "INSERT INTO t VALUES (2, 'two');"
  q "INSERT INTO t VALUES (3, 'three');"
  # the failed INSERTs' uploaded files were removed: the table's objects are those of snapshot 1
  if [ "$before" = "$(objects)" ]; then echo "no new objects: $(echo "$before" | wc -l) as before"; else
    diff <(echo "$before") <(objects); fi
  q "SELECT * FROM t;"
  stop
  serve MCDLF_FAULT_DISK_BYTES=
  q "SELECT * FROM t;"
  q "INSERT INTO t VALUES (4, 'four'); SELECT * FROM t ORDER BY id LIMIT 10;"
  stop
)
expected=$(cat <<'OUT'
$ CREATE TABLE t (id INT, s STRING); INSERT INTO t VALUES (1, 'one');
OK
OK
[exit 0]
$ INSERT INTO t VALUES (2, 'two');
FAILED: writing <object>: InternalError: We encountered an internal error. Please try again. (HTTP 500, PUT <object>, RequestId <id>)
[exit 1]
$ INSERT INTO t VALUES (3, 'three');
FAILED: writing <object>: InternalError: We encountered an internal error. Please try again. (HTTP 500, PUT <object>, RequestId <id>)
[exit 1]
no new objects: 7 as before
$ SELECT * FROM t;
+------------+------------+
| id         | s          | 
+------------+------------+
| 1          | one        | 
+------------+------------+
[exit 0]
$ SELECT * FROM t;
+------------+------------+
| id         | s          | 
+------------+------------+
| 1          | one        | 
+------------+------------+
[exit 0]
$ INSERT INTO t VALUES (4, 'four'); SELECT * FROM t ORDER BY id LIMIT 10;
OK
+------------+------------+
| id         | s          | 
+------------+------------+
| 1          | one        | 
| 4          | four       | 
+------------+------------+
[exit 0]
OUT
)
if ! diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"); then
  echo "disk_full: transcript differs"; tail -20 "$work/serve.log"; exit 1
fi
echo "disk_full: transcript matches"
