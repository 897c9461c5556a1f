#!/usr/bin/env bash
# ctest entry: the RAM/STS API conformance suite (@alicloud/ram20150501, sts20150401).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/@alicloud/ram20150501 ] || npm ci --no-audit --no-fund --loglevel=error
exec node --test ram.test.js
