#!/usr/bin/env bash
# ctest entry: ali-oss and the RAM SDK against `mcdlf serve --tls-cert
# --tls-key`, trusting a test CA made here (node reads NODE_EXTRA_CA_CERTS at
# start, so it is set before node runs). The certificate also names
# *.oss-cn-hangzhou.aliyuncs.com: ali-oss sends virtual-hosted requests to an
# IP endpoint with Host <bucket>.oss-cn-hangzhou.aliyuncs.com and verifies the
# certificate against that name.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/ali-oss ] && [ -d node_modules/@alicloud/ram20150501 ] || npm ci --no-audit --no-fund --loglevel=error
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mcdlf test CA" \
  -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.oss-cn-hangzhou.aliyuncs.com\nbasicConstraints=CA:FALSE\n' > "$dir/ext.cnf"
openssl x509 -req -days 2 -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -extfile "$dir/ext.cnf" -out "$dir/server.pem" 2>/dev/null
MCDLF_TLS_DIR=$dir NODE_EXTRA_CA_CERTS=$dir/ca.pem node --test tls.test.js
