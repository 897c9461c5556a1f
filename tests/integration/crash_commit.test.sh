#!/usr/bin/env bash
# Crash consistency of commits: `mcdlf serve` killed with SIGKILL while a
# console client inserts into a table through it, then restarted on the same
# state, MCDLF_CRASH_ROUNDS times (default 20; e.g. 200 for a long run).
# After every restart:
#   - PRAGMA integrity_check of the state store (emulator/state/state.c:
#     <state>/state.db) answers "ok";
#   - SELECT count(*) and SELECT * work through the console (the latest
#     snapshot's manifests and data files are all readable);
#   - the table holds exactly the inserts the console reported OK, each with
#     all its ROWS rows, plus possibly the one insert in flight at the kill,
#     whole or not at all; never part of an insert, never one twice.
# Loopback only: the server and the clients are local processes.
# MCDLF_CRASH_KEEP=1 keeps the work directory (state, server log, each
# round's writer log) for a post-mortem.
set -uo pipefail
export LC_ALL=C # sort and awk agree on order
bin=${MCDLF_BIN:?}
rounds=${MCDLF_CRASH_ROUNDS:-20}
ROWS=4 # rows per INSERT
work=$(mktemp -d)
state=$work/state
spid= wpid=
cleanup() {
  [ -n "$wpid" ] && kill "$wpid" 2>/dev/null
  [ -n "$spid" ] && kill -9 "$spid" 2>/dev/null
  wait 2>/dev/null
  if [ -n "${MCDLF_CRASH_KEEP:-}" ]; then echo "crash_commit: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
die() { echo "crash_commit: round ${round:-0}: $*" >&2; tail -n 20 "$work/serve.log" >&2 2>/dev/null; exit 1; }

# The integrity check: the sqlite3 CLI when installed (Debian package sqlite3,
# not in ci/deps), else a few lines of C against libsqlite3 (libsqlite3-dev
# is in ci/deps).
if command -v sqlite3 >/dev/null; then
  integrity() { sqlite3 -cmd '.timeout 10000' "$1" 'PRAGMA integrity_check;' 2>&1; }
else
  cat >"$work/integrity.c" <<'EOF'
#include <sqlite3.h>
#include <stdio.h>
static int row(void *u, int n, char **v, char **c) { (void)u; (void)c; for (int i = 0; i < n; i++) puts(v[i] ? v[i] : "NULL"); return 0; }
int main(int argc, char **argv)
{
    sqlite3 *db;
    char *msg = NULL;
    if (argc != 2 || sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) { puts("cannot open"); return 1; }
    sqlite3_busy_timeout(db, 10000);
    int rc = sqlite3_exec(db, "PRAGMA integrity_check;", row, NULL, &msg);
    if (rc != SQLITE_OK) printf("error: %s\n", msg ? msg : sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc != SQLITE_OK;
}
EOF
  ${CC:-cc} -o "$work/integrity" "$work/integrity.c" -lsqlite3 || die "cannot build the integrity checker"
  integrity() { "$work/integrity" "$1" 2>&1; }
fi

printf '[profile served]\nkind = url\nendpoints_file = %s\n' "$state/endpoints.json" >"$work/config"
sql() { "$bin" --config "$work/config" --profile served -e "$1" 2>&1; }

start_server() {
  rm -f "$state/endpoints.json" # the killed server's ports are stale
  "$bin" serve --state "$state" >>"$work/serve.log" 2>&1 &
  spid=$!
  for _ in $(seq 200); do [ -f "$state/endpoints.json" ] && return 0; sleep 0.025; done
  die "serve did not start"
}

# One insert: ROWS rows (id, j, 'id-j'). Logs "begin id" before and "ok id"
# only when the console reported it committed; stops at the first failure
# (the server is gone), so at most one insert is in flight at the kill.
writer() {
  local id=$1 log=$2 out values j
  while :; do
    values=
    for ((j = 0; j < ROWS; j++)); do values+="${values:+, }($id, $j, '$id-$j')"; done
    echo "begin $id" >>"$log"
    if ! out=$(sql "INSERT INTO t VALUES $values") || [[ $out == *FAILED* ]]; then
      echo "fail $id ${out//$'\n'/ }" >>"$log"
      break
    fi
    echo "ok $id" >>"$log"
    id=$((id + 1))
  done
}

mkdir -p "$state"
start_server
out=$(sql "CREATE TABLE t (id BIGINT, j BIGINT, v STRING)") || die "CREATE TABLE: $out"

committed=$work/committed # ids present in the table, sorted
: >"$committed"
kills=0 rows_checked=0 inflight_present=0 inflight_absent=0
for ((round = 1; round <= rounds; round++)); do
  log=$work/writer.$round
  : >"$log"
  writer $((round * 100000)) "$log" &
  wpid=$!
  sleep "$(printf '0.%03d' $((50 + RANDOM % 351)))"
  kill -9 "$spid" || die "server exited before the kill"
  wait "$spid" 2>/dev/null
  spid=
  kills=$((kills + 1))
  for _ in $(seq 400); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.025; done
  kill -0 "$wpid" 2>/dev/null && die "a console client still runs 10 s after the server died"
  wait "$wpid" 2>/dev/null
  wpid=
  start_server

  check=$(integrity "$state/state.db")
  [ "$check" = ok ] || die "PRAGMA integrity_check: $check"

  count=$(sql "SELECT count(*) FROM t") || die "SELECT count(*): $count"
  count=$(printf '%s\n' "$count" | awk -F'|' '/^\|/ && h++ { gsub(/ /, "", $2); print $2; exit }')
  all=$(sql "SELECT * FROM t") || die "SELECT *: $all"
  # Rows "| id | j | v |" -> one line per id with its row count; an insert
  # is whole when it has ROWS rows, j = 0..ROWS-1 and v = 'id-j'.
  ids=$(printf '%s\n' "$all" | awk -F'|' -v rows=$ROWS '
      /^\|/ && h++ {
        id = $2; j = $3; v = $4; gsub(/ /, "", id); gsub(/ /, "", j); gsub(/ /, "", v)
        if (v != id "-" j || j < 0 || j >= rows || seen[id, j]++) { print "bad row " id " " j " " v; next }
        n[id]++; total++
      }
      END { for (id in n) if (n[id] != rows) print "partial " id " " n[id]; else print id; print "total " total + 0 }')
  printf '%s\n' "$ids" | grep -E '^(bad|partial)' && die "a partial or corrupt insert is visible"
  total=$(printf '%s\n' "$ids" | awk '$1 == "total" { print $2 }')
  [ "$count" = "$total" ] || die "count(*) says $count, SELECT * returned $total rows"

  # Expected: everything before, this round's OKs, maybe the in-flight one.
  inflight=$(awk '$1 == "begin" { b = $2 } $1 == "ok" && $2 == b { b = "" } END { print b }' "$log")
  awk '$1 == "ok" { print $2 }' "$log" >>"$committed"
  sort -o "$committed" "$committed"
  printf '%s\n' "$ids" | grep -Ev '^total' | grep . | sort >"$work/present"
  if [ -n "$inflight" ] && grep -qx "$inflight" "$work/present"; then
    echo "$inflight" >>"$committed"
    sort -o "$committed" "$committed"
    inflight_present=$((inflight_present + 1))
  elif [ -n "$inflight" ]; then
    inflight_absent=$((inflight_absent + 1))
  fi
  if ! diff -u "$committed" "$work/present" >"$work/diff"; then
    cat "$work/diff" >&2
    die "the table does not hold exactly the committed inserts (- lost, + never reported OK)"
  fi
  [ "$total" -eq $(($(wc -l <"$committed") * ROWS)) ] || die "$total rows for $(wc -l <"$committed") inserts"
  rows_checked=$((rows_checked + total))
done

during_commit=$(cat "$work"/writer.* | grep -c '^fail .*/commit: ')
echo "crash_commit: $kills kills survived ($during_commit during a commit request); $(wc -l <"$committed") inserts committed ($total rows in the table," \
  "$rows_checked rows checked over all rounds); in-flight insert at the kill: present $inflight_present," \
  "absent $inflight_absent, none at $((kills - inflight_present - inflight_absent))"
