#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what the tests need (npm packages; Debian slapd,
# Samba AD DC, gnome-keyring, dbus via apt-get), builds, lints, runs unit and integration tests.
# The servers are started by the tests themselves on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ "$(id -u)" = "0" ]; then
  export DEBIAN_FRONTEND=noninteractive
  echo "==> apt-get update" >&2
  apt-get update -qq >/dev/null || echo "apt-get update failed; trying with the cached package lists" >&2
  for script in test-support/scripts/install-slapd.sh test-support/scripts/install-samba.sh test-support/scripts/install-keyring.sh test-support/scripts/install-chromium.sh; do
    [ -f "$script" ] && bash "$script"
  done
else
  echo "Not root: skipping apt-get installs (slapd, samba, gnome-keyring, chromium must already be installed)." >&2
fi

bash scripts/setup.sh

echo "==> lint (nx project graph first, so module-boundary rules run)" >&2
npm run --silent lint

RESULTS=$(mktemp -d)
status=0
echo "==> unit tests" >&2
npx node --experimental-vm-modules node_modules/jest/bin/jest.js --config jest.unit.config.js --json --outputFile="$RESULTS/unit.json" || status=1

echo "==> integration tests (real slapd, Samba AD DC, keyring, fake Bitwarden server)" >&2
export DIRCONN_REQUIRE_KEYRING=1 DIRCONN_REQUIRE_SERVERS=1
bash test-support/scripts/with-keyring.sh npx node --experimental-vm-modules node_modules/jest/bin/jest.js \
  --config jest.integration.config.js --runInBand --json --outputFile="$RESULTS/integration.json" || status=1

# One closing line that any CI reads: "N passed, N failed, N skipped".
npx node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of ["unit.json", "integration.json"]) {
    const p = process.argv[1] + "/" + f;
    if (!fs.existsSync(p)) { failed++; console.error("missing results: " + f); continue; }
    const r = JSON.parse(fs.readFileSync(p, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0) process.exitCode = 1;
' "$RESULTS" || status=1
exit $status
