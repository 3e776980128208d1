#!/usr/bin/env bash
# Builds the browser interface (web/) into build/web-dist with Vite, running
# `npm ci` first when web/node_modules is missing or older than
# web/package-lock.json. Without npm (or with GUILD_NO_WEB=1) it leaves
# build/web-dist empty and says so: guild is then built without the
# interface and serves the API alone. Usage: scripts/web_build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/web-dist
rm -rf "$out"
mkdir -p "$out"
if [ -n "${GUILD_NO_WEB:-}" ]; then
  echo "web_build.sh: GUILD_NO_WEB is set: building guild without the web interface" >&2
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "web_build.sh: npm not found: building guild without the web interface (the API alone)" >&2
  exit 0
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # the tests drive Debian's chromium; never download one
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "  NPM     ci (web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "  VITE    build/web-dist"
(cd web && npx --no-install vite build --logLevel warn --outDir ../"$out" --emptyOutDir)
