#!/usr/bin/env bash
# Installs the npm dependencies (Node 22 comes with them as the node@22 devDependency) and builds
# every package. Idempotent; used by the demo and the test suite.
set -euo pipefail
# The Electron binary is not downloaded (CI reaches only the npm registry); main and preload are
# type-checked against its types, and `npm run desktop` says so when the binary is missing.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "==> build (tsc -b, Node $(npx node --version))" >&2
npx tsc -b tsconfig.check.json
echo "==> build the UI (vite → apps/desktop/dist/renderer/)" >&2
npm run --silent build:ui
