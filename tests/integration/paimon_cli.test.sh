#!/usr/bin/env bash
# `mcdlf paimon` (issue 4): cat with --where (rows, partition pruning and
# stats file skipping seen through `files --where`), files, snapshots,
# stats, manifest, time travel (--snapshot, --tag, --as-of, tags) and the error cases, over Java-written partitioned tables
# of shared/paimon-tables and over a table written by `mcdlf -e` on the
# embedded profile and read back as oss://bucket/path. Golden transcript
# (MCDLF_UPDATE_GOLDEN=1 rewrites it); the catalog's bucket id, uuids in
# file names and commit times are masked.
set -uo pipefail
bin=${MCDLF_BIN:?}
src=${MCDLF_SOURCE_DIR:?}
tables=${MCDLF_SHARED_DIR:?}/paimon-tables
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { echo "\$ mcdlf paimon $*"; "$bin" paimon "$@" 2>&1; echo "[exit $?]"; }
append=$tables/paimon-cpp__parquet_append_complex_data/table
pk=$tables/paimon-cpp__parquet_pk_table_scan_and_read_mor/table
evolved=$tables/paimon-cpp__parquet_pk_table_with_alter_table/table
"$bin" --state "$work/s" -e "
  CREATE TABLE sales (id BIGINT, name STRING, amount DECIMAL(10,2)) PARTITIONED BY (dt STRING);
  INSERT INTO sales PARTITION (dt='2024-01-01') VALUES (1, 'a', 1.50), (2, 'b', NULL);
  INSERT INTO sales PARTITION (dt='2024-01-02') VALUES (3, 'b', 30.00), (4, NULL, 4.25);
  CREATE TABLE events (id BIGINT) PARTITIONED BY (dt STRING);
  INSERT INTO events PARTITION (dt='2024-01-01') VALUES (1);
  INSERT INTO events PARTITION (dt='2024-01-02') VALUES (2);
  INSERT INTO events PARTITION (dt='2024-01-03') VALUES (3);" >"$work/sql.log" 2>&1 ||
  { cat "$work/sql.log"; exit 1; }
bucket=$(ls "$work/s/oss")
oss=oss://$bucket/default.db/sales
actual=$(
  echo "## Java-written append table, partition f1, bucket 2"
  run cat "$append" --where "f1 = 10 AND f5 > 12.299999" --format csv
  run cat "$append" --where "f3 IS NULL OR f6 = 'bad'" --columns f1,f3,f6
  run cat "$append" --where "f4 BETWEEN '2008-12-28' AND '2008-12-28 00:00:00.000123455'" --format csv --columns f4
  run cat "$append" --where "f1 NOT IN (10, NULL)" --format csv
  run files "$append"
  run files "$append" --where "f1 = 20"
  run files "$append" --where "f1 = 20 AND f3 > '1969-09-23'"
  run stats "$append"
  run manifest "$append/manifest/manifest-list-3f657391-04c4-4dc3-8a2c-1fb7b41dd807-3" --format csv
  run manifest "$append/manifest/manifest-59f4b612-1d6a-4acb-999c-f92ae2e6129f-1"
  echo "## Java-written primary-key table (merge on read), partition f1"
  run cat "$pk" --where "f1 = 10 AND f3 >= 21.0" --format csv
  run files "$pk" --where "f1 = 20"
  run stats "$pk" --format json
  echo "## Java-written primary-key table after schema evolution"
  run files "$evolved"
  run stats "$evolved"
  echo "## a table written by mcdlf -e, read through the embedded profile's OSS"
  run cat "$oss" --state "$work/s"
  run cat "$oss" --state "$work/s" --where "dt = '2024-01-02' AND amount > 4.2" --format json
  run files "$oss" --state "$work/s" --where "name = 'a'"
  run snapshots "$oss" --state "$work/s"
  run stats "$oss" --state "$work/s"
  list=$("$bin" paimon snapshots "$oss" --state "$work/s" | sed -n '3p' | cut -d, -f9)
  # a manifest's size varies with how well the uuids in it compress
  run manifest "$oss/manifest/$list" --state "$work/s" --format json | sed -E 's/"size": [0-9]+/"size": <bytes>/'
  manifest=$("$bin" paimon manifest "$oss/manifest/$list" --state "$work/s" --format csv | sed -n '2p' | cut -d, -f1)
  run manifest "$oss/manifest/$manifest" --state "$work/s"
  echo "## time travel over a copy of the Java-written primary-key table (snapshots 1..5)"
  # A tag as Java's TagManager writes one: the snapshot's JSON plus
  # tagCreateTime and tagTimeRetained; then snapshot 1 expires (file and
  # EARLIEST hint), which the tag outlives.
  cp -r "$pk" "$work/pk"
  mkdir -p "$work/pk/tag"
  tag() { head -n -1 "$work/pk/snapshot/snapshot-$1" | sed '$s/$/,/'
          printf '  "tagCreateTime" : [ 2025, 8, 27, 11, 58, 0, 0 ],\n  "tagTimeRetained" : null\n}'; }
  tag 1 > "$work/pk/tag/tag-first"
  tag 4 > "$work/pk/tag/tag-before-last"
  rm "$work/pk/snapshot/snapshot-1"; printf 2 > "$work/pk/snapshot/EARLIEST"
  run tags "$work/pk"
  run cat "$work/pk" --tag first --format csv
  run files "$work/pk" --tag first
  run cat "$work/pk" --snapshot 2 --format csv
  run cat "$work/pk" --as-of 1756266933919 --format csv --columns f0,f1,f2
  run cat "$work/pk" --as-of 1756267020525 --format csv --columns f0,f1,f2
  run cat "$work/pk" --as-of "2025-08-27 03:57:00.526" --format csv --columns f0,f1,f2
  run stats "$work/pk" --as-of "2025-08-27 03:57:00"
  run cat "$work/pk" --snapshot 1
  run cat "$work/pk" --snapshot 6
  run cat "$work/pk" --tag last
  run cat "$work/pk" --as-of "2025-08-27 03:55:33.918"
  run cat "$work/pk" --as-of "yesterday"
  run cat "$work/pk" --tag first --snapshot 2
  echo "## time travel through the embedded profile's OSS"
  t1=$("$bin" paimon snapshots "$oss" --state "$work/s" | sed -n '2p' | cut -d, -f4)
  at_t1() { sed -E -e "s/--as-of $1/--as-of <t1$2>/" -e 's/before [0-9-]+ [0-9:.]+:/before <t1 - 1>:/'; }
  run cat "$oss" --state "$work/s" --as-of "$t1" --format csv | at_t1 "$t1" ""
  run cat "$oss" --state "$work/s" --snapshot 2 --format csv --where "dt = '2024-01-02'"
  run cat "$oss" --state "$work/s" --as-of "$((t1 - 1))" | at_t1 "$((t1 - 1))" " - 1"
  run tags "$oss" --state "$work/s"
  echo "## manifest skipping: three commits, one manifest of one partition each"
  ev=oss://$bucket/default.db/events
  run files "$ev" --state "$work/s" --explain
  run files "$ev" --state "$work/s" --where "dt = '2024-01-02'" --explain
  run files "$ev" --state "$work/s" --where "dt >= '2024-01-02'" --explain
  run files "$ev" --state "$work/s" --where "dt IS NULL OR dt < '2024-01-01'" --explain
  run files "$ev" --state "$work/s" --where "id = 2" --explain
  run cat "$ev" --state "$work/s" --where "dt = '2024-01-02'" --format csv
  run cat "$ev" --state "$work/s" --where "dt >= '2024-01-02'" --format csv
  run files "$append" --where "f1 = 20" --explain
  run cat "$append" --where "f1 = 10" --explain
  echo "## errors"
  run cat "$append" --where "nope = 1"
  run cat "$append" --where "f1 = "
  run cat "$append" --where "f1 = 'x'"
  run cat "$append" --where "f1 + 1 = 2"
  run schema "$append" --where "f1 = 1"
  run cat "$append" --format xml
  run cat "$work/none"
  run cat "oss://$bucket/default.db/missing" --state "$work/s"
  run manifest "$append/snapshot/snapshot-1"
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e "s#$tables/##g" -e "s#$work/#<work>/#g" \
    -e 's/clg-paimon-[0-9a-f]{16}/clg-paimon-<id>/g' \
    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' \
    -e 's/^([0-9]+,[0-9]+,[A-Z]+,)[0-9]{13},/\1<time>,/' \
    -e 's/RequestId [0-9A-F]+/RequestId <id>/' \
    -e 's/(was committed at )[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{12}/\1<time>/')
if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$src/tests/integration/paimon_cli.expected"; exit 0
fi
if ! diff -u "$src/tests/integration/paimon_cli.expected" <(printf '%s\n' "$actual"); then
  echo "paimon_cli: transcript differs"; exit 1
fi
echo "paimon_cli: transcript matches"
