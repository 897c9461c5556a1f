#!/usr/bin/env bash
# `mcdlf apply`: each fixtures/scenarios/NAME.json is applied on a fresh
# embedded state; its transcript (stdout and stderr, then the exit status)
# must equal fixtures/scenarios/NAME.out after masking what differs per run
# (account uid, AccessKeyIds, catalog bucket ids, data file names, OSS
# request ids). team_setup is applied a second time on the same state: every
# step exists already or is idempotent. Malformed files are refused with the
# file, the step and the problem, before anything is applied.
# MCDLF_UPDATE_GOLDEN=1 rewrites the .out files instead.
# With MCDLF_TEST_MODE=url each fixture is applied to a fresh `mcdlf serve`
# through a url profile instead (the control-plane, RAM and DLF APIs; users
# act with their own AccessKeys) and must give the same transcript; the
# embedded-only checks after that are not repeated.
set -uo pipefail
src=${MCDLF_SOURCE_DIR:?}
bin=${MCDLF_BIN:?}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
mask() {
  sed -E \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g' \
    -e 's/AccessKeyId: [A-Za-z0-9]+/AccessKeyId: <key-id>/' \
    -e 's/clg-paimon-[0-9a-f]+/clg-paimon-<id>/g' \
    -e 's/data-[0-9a-f-]+\.parquet/data-<uuid>.parquet/g' \
    -e 's/RequestId [0-9A-F]+/RequestId <request-id>/g'
}
apply() { # state file: run in the file's directory, so the transcript names it as given there
  ( cd "$(dirname "$2")" && "$bin" apply --state "$1" "$(basename "$2")" 2>&1; echo "[exit $?]" ) | mask
}
if [ "${MCDLF_TEST_MODE:-}" = url ]; then
  apply() { # state file: the same, on a `mcdlf serve` of that state
    "$bin" serve --state "$1" >"$1.log" 2>&1 &
    pid=$!
    for _ in $(seq 200); do [ -f "$1/endpoints.json" ] && break; sleep 0.05; done
    printf '[profile served]\nkind = url\nendpoints_file = %s\n' "$1/endpoints.json" > "$1.config"
    ( cd "$(dirname "$2")" && "$bin" apply --config "$1.config" --profile served "$(basename "$2")" 2>&1
      echo "[exit $?]" ) | mask
    kill "$pid"; wait "$pid" 2>/dev/null; pid=
  }
fi
fail=0; n=0
check() { # name expected actual
  n=$((n+1))
  if ! diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3"); then
    echo "scenarios: $1 differs"; fail=$((fail+1))
  fi
}

for json in "$src"/fixtures/scenarios/*.json; do
  name=$(basename "$json" .json)
  actual=$(apply "$work/$name" "$json")
  if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
    printf '%s\n' "$actual" > "$src/fixtures/scenarios/$name.out"
    continue
  fi
  check "$name" "$(cat "$src/fixtures/scenarios/$name.out")" "$actual"
done
if [ "${MCDLF_TEST_MODE:-}" = url ]; then
  echo "scenarios (url): $((n-fail)) of $n transcripts match"
  [ $fail -eq 0 ]; exit
fi

# Idempotence: the same file again on the state it made.
json=$src/fixtures/scenarios/team_setup.json
check "team_setup applied twice" "$(cat <<'OUT'
ok   dlf authorize
ok   dlf activate
exists ram service-linked-role AliyunServiceRoleForMaxComputeLakehouse
exists dlf catalog sales
exists ram user dana
exists ram policy LakehouseProjectCreator
exists ram attach-policy LakehouseProjectCreator to dana
exists mc data-source ds_sales as dana
exists mc project sales_project on sales (data source ds_sales) as dana
ok   sql: SET odps.namespace.schema=true; CREATE TABLE IF NOT EXISTS orders (id BIGINT, amount DOUBLE); INSERT OVERWRITE TABLE orders VALUES (1, 9.5), (2, 20.25)
exists ram user erin
     AccessKeyId: <key-id>
exists ram attach-policy AliyunDLFReadOnlyAccess to erin
exists dlf grant LIST on database sales.default to erin
exists dlf grant DESCRIBE on table sales.default.orders to erin
exists dlf grant SELECT on table sales.default.orders to erin
ok   sql as erin: SELECT COUNT(*) AS n, SUM(amount) AS total FROM orders
     +------------+------------+
     | n          | total      | 
     +------------+------------+
     | 2          | 29.75      | 
     +------------+------------+
applied team_setup.json: 16 steps, 4 ok, 12 existed already
[exit 0]
OUT
)" "$(apply "$work/team_setup" "$json")"

# Malformed scenarios: refused before anything is applied, naming the file,
# where in it, and the problem.
bad() { # name content
  printf '%s' "$2" > "$work/$1.json"
  apply "$work/bad" "$work/$1.json"
}
actual=$(
  bad bad_json '{"steps": [
  {"step": "ram_user", "name": "a"}
  {"step": "ram_user", "name": "b"}
]}'
  bad truncated '{"steps": [{"step": "ram_user", "name": "a"}]'
  bad not_object '["ram_user"]'
  bad no_steps '{"name": "x", "steps": []}'
  bad top_level '{"steps": [{"step": "dlf_authorize"}], "stepz": []}'
  bad unknown_kind '{"steps": [{"step": "ram_user", "name": "a"}, {"step": "ram_usr", "name": "b"}]}'
  bad no_kind '{"steps": [{"name": "b"}]}'
  bad missing_field '{"steps": [{"step": "dlf_grant", "user": "a", "database": "default"}]}'
  bad unknown_field '{"steps": [{"step": "ram_user", "name": "a", "acces_key": true}]}'
  bad wrong_type '{"steps": [{"step": "ram_user", "name": "a", "access_key": "yes"}]}'
  bad as_owner '{"steps": [{"step": "ram_user", "name": "a", "as": "bob"}]}'
  bad two_levels '{"steps": [{"step": "dlf_grant", "user": "a", "privilege": "LIST", "database": "default", "table": "default.emp"}]}'
  bad bad_resource '{"steps": [{"step": "dlf_revoke", "user": "a", "privilege": "LIST", "table": "emp"}]}'
  bad bad_expect '{"steps": [{"step": "sql", "statements": "SHOW TABLES;", "expect": {"eror": "x"}}]}'
  bad no_statement '{"steps": [{"step": "sql", "as": "a", "statements": " ; -- nothing\n"}]}'
  bad output_not_sql '{"steps": [{"step": "dlf_catalog", "name": "c", "expect": {"output": "x"}}]}'
  apply "$work/bad" "$work/missing.json"
  # Nothing of the above was applied: the state has no user a.
  "$bin" admin --state "$work/bad" dlf list-grants a 2>&1
  "$bin" admin --state "$work/bad" ram create-user a 2>&1 | mask
)
check "malformed scenarios" "$(cat <<'OUT'
mcdlf apply: bad_json.json: line 3, column 3: invalid JSON: ']' expected near '{' (nothing was applied)
[exit 1]
mcdlf apply: truncated.json: line 1, column 45: invalid JSON: '}' expected near end of file (nothing was applied)
[exit 1]
mcdlf apply: not_object.json: a scenario is a JSON object with "steps" (nothing was applied)
[exit 1]
mcdlf apply: no_steps.json: field "steps" must be a non-empty array of steps (nothing was applied)
[exit 1]
mcdlf apply: top_level.json: unknown top-level field "stepz" (name, description, steps) (nothing was applied)
[exit 1]
mcdlf apply: unknown_kind.json: steps[1]: unknown step kind "ram_usr" (known: ram_user, ram_policy, ram_attach_policy, ram_detach_policy, ram_service_linked_role, dlf_authorize, dlf_activate, dlf_catalog, dlf_grant, dlf_revoke, mc_data_source, mc_project, sql) (nothing was applied)
[exit 1]
mcdlf apply: no_kind.json: steps[0]: missing field "step" (the step kind, e.g. "ram_user") (nothing was applied)
[exit 1]
mcdlf apply: missing_field.json: steps[0] (dlf_grant): missing field "privilege" (nothing was applied)
[exit 1]
mcdlf apply: unknown_field.json: steps[0] (ram_user): unknown field "acces_key" (nothing was applied)
[exit 1]
mcdlf apply: wrong_type.json: steps[0] (ram_user): field "access_key" must be true or false (nothing was applied)
[exit 1]
mcdlf apply: as_owner.json: steps[0] (ram_user): field "as" does not apply: ram_user is the account owner's action (nothing was applied)
[exit 1]
mcdlf apply: two_levels.json: steps[0] (dlf_grant): needs exactly one of "catalog", "database", "table" (nothing was applied)
[exit 1]
mcdlf apply: bad_resource.json: steps[0] (dlf_revoke): field "table": expected: on catalog C | database [C.]D | table [C.]D.T, got: on table emp (nothing was applied)
[exit 1]
mcdlf apply: bad_expect.json: steps[0] (sql): field "expect" must be "ok", {"error": "TEXT"} or {"output": "TEXT"} (nothing was applied)
[exit 1]
mcdlf apply: no_statement.json: steps[0] (sql): field "statements" holds no statement (nothing was applied)
[exit 1]
mcdlf apply: output_not_sql.json: steps[0] (dlf_catalog): field "expect" must be "ok", {"error": "TEXT"} (nothing was applied)
[exit 1]
mcdlf apply: missing.json: unable to open missing.json: No such file or directory (nothing was applied)
[exit 1]
acs:ram::<uid>:user/a
OUT
)" "$actual"

# A step that fails stops the run and says what is in place; a step whose
# expected refusal does not come fails too; a url profile whose `mcdlf serve`
# is not there is refused before anything is applied.
printf '[profile served]\nkind = url\nendpoints_file = %s\n' "$work/none.json" > "$work/config"
actual=$(
  bad stops '{"steps": [{"step": "ram_user", "name": "zed"}, {"step": "dlf_grant", "user": "zed", "privilege": "SELECT", "database": "default"}, {"step": "ram_user", "name": "yan"}]}'
  bad not_refused '{"steps": [{"step": "dlf_authorize"}, {"step": "dlf_authorize"}, {"step": "dlf_grant", "user": "zed", "privilege": "LIST", "database": "default", "expect": {"error": "Forbidden"}}]}'
  bad other_error '{"steps": [{"step": "ram_user", "name": "zed", "expect": {"error": "no such user"}}]}'
  bad no_output '{"steps": [{"step": "ram_attach_policy", "user": "zed", "policy": "AliyunDLFReadOnlyAccess"}, {"step": "sql", "as": "zed", "statements": "SHOW TABLES;", "expect": {"output": "emp"}}]}'
  bad bad_policy '{"steps": [{"step": "ram_policy", "name": "P", "document": "{\"Statement\": []}"}]}'
  ( cd "$work" && "$bin" apply --config "$work/config" --profile served stops.json 2>&1; echo "[exit $?]" ) |
    sed "s#$work#<work>#g"
)
check "failing steps" "$(cat <<'OUT'
ok   ram user zed
     acs:ram::<uid>:user/zed
FAIL dlf grant SELECT on database default to zed: privilege SELECT does not apply to a DATABASE
mcdlf apply: stops.json: stopped at steps[1] (dlf_grant), which failed; steps[0] was applied, the 1 step(s) after it were not
[exit 1]
ok   dlf authorize
ok   dlf authorize
FAIL dlf grant LIST on database default to zed: it succeeded; expected an error containing: Forbidden
mcdlf apply: not_refused.json: stopped at steps[2] (dlf_grant), which failed; steps[0] to steps[1] were applied, the 0 step(s) after it were not
[exit 1]
FAIL ram user zed: RAM user zed already exists
     expected an error containing: no such user
mcdlf apply: other_error.json: stopped at steps[0] (ram_user), which failed; nothing before it was applied, the 0 step(s) after it were not
[exit 1]
ok   ram attach-policy AliyunDLFReadOnlyAccess to zed
FAIL sql as zed: SHOW TABLES: the output does not contain: emp
mcdlf apply: no_output.json: stopped at steps[1] (sql), which failed; steps[0] was applied, the 0 step(s) after it were not
[exit 1]
FAIL ram policy P: The policy document is malformed: Version is missing.
mcdlf apply: bad_policy.json: stopped at steps[0] (ram_policy), which failed; nothing before it was applied, the 0 step(s) after it were not
[exit 1]
mcdlf apply: unable to open <work>/none.json: No such file or directory (nothing was applied)
[exit 1]
OUT
)" "$actual"

echo "scenarios: $((n-fail)) of $n transcripts match"
[ $fail -eq 0 ]
