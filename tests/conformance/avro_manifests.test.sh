#!/usr/bin/env bash
# ctest entry: the Avro files the engine writes — manifest lists, manifests,
# index manifests and Avro data files — read by an independent Avro reader
# (avsc from npm, zstandard through fzstd), and the snapshot and schema JSON
# parsed strictly and checked field by field against
# reference/paimon-format.md §2-§4 (avro_manifests.test.js).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/avsc ] && [ -d node_modules/fzstd ] && [ -d node_modules/ali-oss ] ||
  npm ci --no-audit --no-fund --loglevel=error
node --test avro_manifests.test.js
