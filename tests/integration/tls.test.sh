#!/usr/bin/env bash
# `mcdlf serve --tls-cert --tls-key` end to end (issue 8): every endpoint in
# endpoints.json is https://, and the console reaches them through a `url`
# profile whose ca_file holds the test CA, with libcurl verifying the server
# certificate as it does against the live services. A CA that did not sign the
# certificate is refused with curl's certificate error; plain HTTP sent to a
# TLS port gets a clear answer; `mcdlf doctor` checks the TLS server; bad
# --tls-* options stop serve with a message. Ports, ids and clock masked.
set -uo pipefail
bin=${MCDLF_BIN:?}
src=${MCDLF_SOURCE_DIR:?}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
command -v openssl >/dev/null || { echo "tls: the openssl command is needed"; exit 1; }

# A test CA, a server certificate it signs for 127.0.0.1 and localhost, and a
# second CA that signed nothing here.
ossl() { openssl "$@" 2>"$work/openssl.err" || { cat "$work/openssl.err"; exit 1; }; }
ossl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mcdlf test CA" -keyout "$work/ca.key" -out "$work/ca.pem"
ossl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$work/server.key" -out "$work/server.csr"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$work/ext.cnf"
ossl x509 -req -days 2 -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -extfile "$work/ext.cnf" -out "$work/server.pem"
ossl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" -keyout "$work/other.key" -out "$work/other.pem"

"$bin" serve --state "$work/served" --tls-cert "$work/server.pem" --tls-key "$work/server.key" \
  >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -f "$work/served/endpoints.json" ] && break; sleep 0.05; done
if [ ! -f "$work/served/endpoints.json" ]; then
  echo "tls: serve did not start"; cat "$work/serve.log"; exit 1
fi
endpoint() { sed -n "s/.*\"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$work/served/endpoints.json"; }
dlf=$(endpoint dlf); oss=$(endpoint oss)
{
  printf '[profile tls]\nkind = url\nendpoints_file = %s\nca_file = %s\n' "$work/served/endpoints.json" "$work/ca.pem"
  printf '[profile wrong_ca]\nkind = url\nendpoints_file = %s\nca_file = %s\n' "$work/served/endpoints.json" "$work/other.pem"
  printf '[profile plain]\nkind = url\nendpoints_file = %s\ndlf_endpoint = %s\noss_endpoint = %s\n' \
    "$work/served/endpoints.json" "${dlf/https:/http:}" "${oss/https:/http:}"
} > "$work/config"
console() { echo "\$ mcdlf --profile $1 -e \"$2\""; "$bin" --config "$work/config" --profile "$1" -e "$2" 2>&1; echo "[exit $?]"; }
actual=$(
  echo "\$ mcdlf serve --tls-cert server.pem --tls-key server.key: endpoints.json"
  sed -n '/"endpoints"/,/}/p' "$work/served/endpoints.json"
  console tls "SHOW SCHEMAS;"
  console tls "CREATE TABLE emp (id BIGINT, name STRING);"
  console tls "INSERT INTO emp VALUES (1, 'Zhang San'), (2, 'Li Si');"
  console tls "SELECT * FROM emp ORDER BY id LIMIT 10;"
  console wrong_ca "SHOW SCHEMAS;"
  console plain "SHOW SCHEMAS;"
  echo "\$ mcdlf doctor --profile tls"
  "$bin" doctor --config "$work/config" --profile tls 2>&1; echo "[exit $?]"
  echo "\$ mcdlf serve --tls-cert server.pem  (no key)"
  "$bin" serve --state "$work/other" --tls-cert "$work/server.pem" 2>&1; echo "[exit $?]"
  echo "\$ mcdlf serve --tls-cert server.pem --tls-key other.key  (the key of another certificate)"
  "$bin" serve --state "$work/other" --tls-cert "$work/server.pem" --tls-key "$work/other.key" 2>&1; echo "[exit $?]"
  echo "\$ mcdlf serve --tls-cert missing.pem --tls-key server.key"
  "$bin" serve --state "$work/other" --tls-cert "$work/missing.pem" --tls-key "$work/server.key" 2>&1; echo "[exit $?]"
)
kill "$pid"; wait "$pid" 2>/dev/null; pid=
actual=$(printf '%s\n' "$actual" | sed -E \
    -e 's#(https?)://127\.0\.0\.1:[0-9]+#\1://127.0.0.1:<port>#g' \
    -e 's/^ID = [0-9a-z]+$/ID = <instance-id>/' \
    -e 's/clg-paimon-[0-9a-f]{16}/clg-paimon-<id>/g' \
    -e 's/clock: [+-][0-9]+ s/clock: <skew> s/' \
    -e "s#$work#<work>#g")
# What the server logged about the refused connections (one line per try).
log=$(grep -E 'TLS handshake|HTTPS port' "$work/serve.log" | sort -u)
if [ "${MCDLF_UPDATE_GOLDEN:-}" = 1 ]; then
  printf '%s\n' "$actual" > "$src/tests/integration/tls.expected"; exit 0
fi
fail=0
if ! diff -u "$src/tests/integration/tls.expected" <(printf '%s\n' "$actual"); then
  echo "tls: transcript differs"; fail=1
fi
expected_log='mcdlf warn: dlf: 127.0.0.1 sent a plain HTTP request to the HTTPS port; refused
mcdlf warn: dlf: TLS handshake with 127.0.0.1 failed: tlsv1 alert unknown ca'
if [ "$log" != "$expected_log" ]; then
  echo "tls: serve log differs:"; printf '%s\n' "$log"; fail=1
fi
if ! grep -q '^mcdlf serve: stopped$' "$work/serve.log"; then
  echo "tls: serve did not stop cleanly:"; cat "$work/serve.log"; fail=1
fi
[ $fail -eq 0 ] && echo "tls: transcript matches"
exit $fail
