#!/usr/bin/env bash
# WHERE terms reach the Paimon scan (issue 5: partition pruning, statistics
# skipping): with the data file of partition ds='b' gone from the emulator's
# disk, every query whose terms exclude that file still answers, and a query
# that needs it fails. Without pushdown each of them would read every file.
set -uo pipefail
bin=${MCDLF_BIN:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
st="$work/s"
q() { echo "\$ $1"; "$bin" --state "$st" -e "$1" 2>&1 | grep -v '^ID = '; echo "[exit ${PIPESTATUS[0]}]"; }
"$bin" --state "$st" -e "CREATE TABLE p (v INT, s STRING, d DATE) PARTITIONED BY (ds STRING);
  INSERT INTO p PARTITION (ds='a') VALUES (1, 'x', DATE '2024-01-01');
  INSERT INTO p PARTITION (ds='b') VALUES (2, 'y', DATE '2024-02-01');
  INSERT INTO p PARTITION (ds='c') VALUES (3, 'z', DATE '2024-03-01');" >/dev/null 2>&1 || { echo "setup failed"; exit 1; }
# The object's bytes live under oss/<bucket>/<file_id> (emulator/oss/store.c).
id=$(sqlite3 "$st/state.db" "SELECT file_id FROM oss_objects WHERE CAST(key AS TEXT) LIKE '%/ds=b/%.parquet'")
file=$(find "$st/oss" -name "$id")
[ -n "$id" ] && [ -f "$file" ] || { echo "cannot find the ds=b data file"; exit 1; }
rm "$file"
actual=$(
  q "SELECT v, s FROM p WHERE ds = 'a';"
  q "SELECT v FROM p WHERE ds >= 'c';"
  q "SELECT v FROM p WHERE ds = 'a' OR ds = 'c';"
  q "SELECT v FROM p WHERE v = 3;"
  q "SELECT v FROM p WHERE v < 2 AND s = 'x';"
  q "SELECT v FROM p WHERE d = '2024-03-01';"
  q "SELECT COUNT(*) FROM p WHERE ds IS NULL;"
  q "SELECT COUNT(*) FROM p WHERE v + 0 = 3;" | sed -E 's/(FAILED: data file data-)[0-9a-f-]+/\1<uuid>/; s/: (reading|GET) .*$//'
)
expected=$(cat <<'OUT'
$ SELECT v, s FROM p WHERE ds = 'a';
+------------+------------+
| v          | s          | 
+------------+------------+
| 1          | x          | 
+------------+------------+
[exit 0]
$ SELECT v FROM p WHERE ds >= 'c';
+------------+
| v          | 
+------------+
| 3          | 
+------------+
[exit 0]
$ SELECT v FROM p WHERE ds = 'a' OR ds = 'c';
+------------+
| v          | 
+------------+
| 1          | 
| 3          | 
+------------+
[exit 0]
$ SELECT v FROM p WHERE v = 3;
+------------+
| v          | 
+------------+
| 3          | 
+------------+
[exit 0]
$ SELECT v FROM p WHERE v < 2 AND s = 'x';
+------------+
| v          | 
+------------+
| 1          | 
+------------+
[exit 0]
$ SELECT v FROM p WHERE d = '2024-03-01';
+------------+
| v          | 
+------------+
| 3          | 
+------------+
[exit 0]
$ SELECT COUNT(*) FROM p WHERE ds IS NULL;
+------------+
| _c0        | 
+------------+
| 0          | 
+------------+
[exit 0]
$ SELECT COUNT(*) FROM p WHERE v + 0 = 3;
FAILED: data file data-<uuid>.parquet
[exit 1]
OUT
)
if ! diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"); then
  echo "pushdown: transcript differs"; exit 1
fi
echo "pushdown: transcript matches"
