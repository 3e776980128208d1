#!/usr/bin/env bash
# Fails when a banned unsafe C function appears in src/ (curl-style check).
set -euo pipefail
cd "$(dirname "$0")/.."
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok|tmpnam|mktemp)[[:space:]]*\('
if grep -rnE "$banned" src tests/unit --include='*.c' --include='*.h'; then
  echo "check: banned functions above (use snprintf, strncat with bounds, text_int64, strtok_r)" >&2
  exit 1
fi
echo "check: no banned functions"
