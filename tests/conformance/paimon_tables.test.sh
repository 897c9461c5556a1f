#!/usr/bin/env bash
# Read conformance against tables written by Java Paimon (../shared/paimon-tables):
# `mcdlf paimon cat --format csv` must give exactly expected.csv (header line
# exact, rows as a multiset, reference/paimon-cat-csv.md). Tables whose
# format or kind mcdlf cannot read yet must be refused with a clear
# "not supported" error, never read wrongly. Each fixture is listed here
# with what is expected of it; a fixture missing from the list fails.
set -uo pipefail
bin=${MCDLF_BIN:?}
tables=${MCDLF_SHARED_DIR:?}/paimon-tables
declare -A expect=(
  [paimon-cpp__avro_append_with_multiple_ts_precision_and_timezone]=rows
  [paimon-cpp__parquet_append_complex_data]=rows
  [paimon-cpp__parquet_append_with_bitmap]=rows
  [paimon-cpp__parquet_pk_table_scan_and_read_dv]=rows
  [paimon-cpp__parquet_pk_table_scan_and_read_mor]=rows
  [paimon-cpp__parquet_pk_table_with_alter_table]=rows
  [paimon__pypaimon_pk_full_text_golden]=rows
  [paimon-cpp__orc_append_09]=refused
  [paimon-cpp__orc_pk_table_scan_and_read_mor]=refused
  [paimon-cpp__parquet_append_with_empty_partition]=refused
)
pass=0; fail=0
for dir in "$tables"/*/; do
  name=$(basename "$dir")
  want=${expect[$name]:-}
  if [ -z "$want" ]; then
    echo "FAIL $name: not listed in this test"; fail=$((fail+1)); continue
  fi
  out=$("$bin" paimon cat "$dir/table" --format csv 2>/tmp/paimon_cat_err.$$); rc=$?
  err=$(cat /tmp/paimon_cat_err.$$); rm -f /tmp/paimon_cat_err.$$
  if [ "$want" = rows ]; then
    if [ $rc -ne 0 ]; then
      echo "FAIL $name: exit $rc: $err"; fail=$((fail+1)); continue
    fi
    exp_head=$(head -n1 "$dir/expected.csv"); got_head=$(printf '%s\n' "$out" | head -n1)
    exp_rows=$(tail -n +2 "$dir/expected.csv" | LC_ALL=C sort)
    got_rows=$(printf '%s\n' "$out" | tail -n +2 | LC_ALL=C sort)
    if [ "$exp_head" != "$got_head" ] || [ "$exp_rows" != "$got_rows" ]; then
      echo "FAIL $name: rows differ"
      diff <(printf '%s\n%s\n' "$exp_head" "$exp_rows") <(printf '%s\n%s\n' "$got_head" "$got_rows") | head -20
      fail=$((fail+1)); continue
    fi
    echo "ok   $name: $(printf '%s\n' "$exp_rows" | grep -c '') rows"
  else
    if [ $rc -eq 0 ] || ! printf '%s' "$err" | grep -q 'not supported'; then
      echo "FAIL $name: expected a clear 'not supported' refusal, got exit $rc: $err"; fail=$((fail+1)); continue
    fi
    echo "ok   $name: refused: ${err#mcdlf paimon cat: }"
  fi
  pass=$((pass+1))
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
