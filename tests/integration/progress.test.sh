#!/usr/bin/env bash
# The progress line of a writing statement: on a terminal (a pty made by
# util-linux `script`) stderr shows "\rWriting: N rows, F files, S.Ts",
# updated in place and erased before OK; when stderr is not a terminal
# (a pipe, as in every golden) nothing of it is written.
set -uo pipefail
bin=${MCDLF_BIN:?}
command -v script >/dev/null || { echo "progress: util-linux script is missing"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
sql="CREATE TABLE t (a INT) PARTITIONED BY (p STRING);
INSERT INTO t PARTITION (p) SELECT x, CAST(x % 2 AS STRING) FROM (SELECT 1 AS one) s LATERAL VIEW POSEXPLODE(SPLIT(REPEAT(' ', 9999), ' ')) v AS x, e;
SELECT COUNT(*) AS n FROM t;"
printf '%s\n' "$sql" > "$work/in.sql"

# On a pty: 10000 rows in 2 partitions (one data file each).
script -q -e -c "'$bin' --state '$work/tty' -f '$work/in.sql'" /dev/null > "$work/tty.out" 2>&1
tr '\r' '\n' < "$work/tty.out" > "$work/tty.lines"
# The first update always shows; later row counts only every 100 ms, a
# finished file always.
for want in 'Writing: 4096 rows, 0 files, ' 'Writing: 10000 rows, 1 file, ' 'Writing: 10000 rows, 2 files, '; do
  if ! grep -q "^$want[0-9]*\.[0-9]s *\$" "$work/tty.lines"; then
    echo "progress: no '$want' line on the terminal"; fail=1
  fi
done
# Erased (spaces, then \r) right before OK, and the result is intact.
if ! grep -q $'\r *\rOK\r$' "$work/tty.out"; then
  echo "progress: the line is not erased before OK"; fail=1
fi
if ! grep -q '^| 10000      | ' "$work/tty.lines"; then
  echo "progress: the count is missing"; fail=1
fi

# Not a terminal: no progress at all, byte for byte the plain framing.
"$bin" --state "$work/pipe" -f "$work/in.sql" > "$work/pipe.out" 2>&1
if grep -q 'Writing:' "$work/pipe.out" || grep -q $'\r' "$work/pipe.out"; then
  echo "progress: progress written to a pipe"; fail=1
fi
if [ "$(grep -c '^OK$' "$work/pipe.out")" != 2 ]; then
  echo "progress: the pipe output lacks its OK lines"; cat "$work/pipe.out"; fail=1
fi
[ $fail -eq 0 ] && echo "progress: ok"
exit $fail
