#!/usr/bin/env bash
# ctest entry: the engine's signatures recomputed by the vendors' signers
# (ali-oss for OSS V1/V4 and presigned URLs, @alicloud/openapi-util for POP
# ACS3-HMAC-SHA256) on the same requests (issue 8).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/ali-oss ] && [ -d node_modules/@alicloud/openapi-util ] || npm ci --no-audit --no-fund --loglevel=error
exec node --test signers.test.js
