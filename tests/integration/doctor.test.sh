#!/usr/bin/env bash
# `mcdlf doctor` checks a profile layer by layer. Golden transcript over a
# healthy owner, a RAM user without a DLF RAM policy (the RAM layer refuses
# the catalog handshake), then without the DLF grant SHOW TABLES needs, a user
# whose grant lacks SELECT (data token refused), a url profile with a wrong
# AccessKey secret, and a server whose clock is 20 minutes ahead
# (`serve --clock-skew`). Ports, ids, prefixes and clock readings masked
# (the skewed server's reading may land a second either side of 1200).
set -uo pipefail
bin=${MCDLF_BIN:?}
src=${MCDLF_SOURCE_DIR:?}
work=$(mktemp -d)
pid=; skewed=
cleanup() { kill $pid $skewed 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
doctor() { echo "\$ mcdlf doctor $*"; "$bin" doctor "$@" 2>&1; echo "[exit $?]"; }
"$bin" --state "$work/s" -e "CREATE TABLE emp (id INT, name STRING); INSERT INTO emp VALUES (1, 'a');" >/dev/null 2>&1
"$bin" admin --state "$work/s" ram create-user alice >/dev/null 2>&1
"$bin" serve --state "$work/served" >"$work/serve.log" 2>&1 &
pid=$!
"$bin" serve --state "$work/skewed" --clock-skew 1200 >"$work/skewed.log" 2>&1 &
skewed=$!
for _ in $(seq 100); do [ -f "$work/served/endpoints.json" ] && [ -f "$work/skewed/endpoints.json" ] && break; sleep 0.05; done
printf '[profile served]\nkind = url\nendpoints_file = %s\n[profile skewed]\nkind = url\nendpoints_file = %s\n' \
  "$work/served/endpoints.json" "$work/skewed/endpoints.json" > "$work/config"
actual=$(
  doctor --state "$work/s"
  doctor --state "$work/s" --user alice
  "$bin" admin --state "$work/s" ram attach-policy alice AliyunDLFReadOnlyAccess >/dev/null 2>&1
  doctor --state "$work/s" --user alice
  "$bin" admin --state "$work/s" dlf grant alice LIST on database default >/dev/null 2>&1
  doctor --state "$work/s" --user alice
  echo "\$ mcdlf doctor --profile served  (with a wrong AccessKey secret in the environment)"
  ALIBABA_CLOUD_ACCESS_KEY_ID=$(sed -n 's/.*"access_key_id": "\([^"]*\)".*/\1/p' "$work/served/endpoints.json") \
  ALIBABA_CLOUD_ACCESS_KEY_SECRET=wrong "$bin" doctor --config "$work/config" --profile served 2>&1; echo "[exit $?]"
  echo "\$ mcdlf doctor --profile skewed  (mcdlf serve --clock-skew 1200)"
  "$bin" doctor --config "$work/config" --profile skewed 2>&1; echo "[exit $?]"
)
actual=$(printf '%s\n' "$actual" | sed -E \
    -e 's#http://127\.0\.0\.1:[0-9]+#http://127.0.0.1:<port>#g' \
    -e 's/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g' \
    -e 's/clg-paimon-[0-9a-f]{16}/clg-paimon-<id>/g' \
    -e 's/clock: \+(1199|1200|1201) s /clock: +1200 s /' \
    -e 's/clock: [+-][0-9]+ s against the (DLF|OSS) server$/clock: <skew> s against the \1 server/' \
    -e 's/request time [0-9]{8}T[0-9]{6}Z/request time <yyyyMMddTHHmmssZ>/' \
    -e 's/signature [0-9a-f]{64} not match/signature <sig> not match/' \
    -e "s#$work#<work>#g")
if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$src/tests/integration/doctor.expected"; exit 0
fi
if ! diff -u "$src/tests/integration/doctor.expected" <(printf '%s\n' "$actual"); then
  echo "doctor: transcript differs"; exit 1
fi
echo "doctor: transcript matches"
