#!/usr/bin/env bash
# ctest entry: crash consistency of the OSS store under SIGKILL.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/ali-oss ] || npm ci --no-audit --no-fund --loglevel=error
exec node --test crash.test.js
