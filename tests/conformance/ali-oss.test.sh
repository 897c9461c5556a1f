#!/usr/bin/env bash
# ctest entry: the ali-oss conformance suite (node's test runner).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/ali-oss ] || npm ci --no-audit --no-fund --loglevel=error
exec node --test ali-oss.test.js
