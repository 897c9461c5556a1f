#!/usr/bin/env bash
# ctest entry: the DLF permission API conformance suite (@alicloud/openapi-client, ROA).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/@alicloud/openapi-client ] || npm ci --no-audit --no-fund --loglevel=error
exec node --test dlf_permissions.test.js
