#!/usr/bin/env bash
# The main job on the bundled sample directory, from a fresh clone:
#   1. install + build (scripts/setup.sh),
#   2. `dirconn test` and `dirconn sync --dry-run` on the sample source (no server needed),
#   3. against a local stand-in for a Bitwarden server (the fake server from the test tree, on
#      127.0.0.1): login, plan, sync, and a second sync that has nothing to send.
# Uses a throw-away data directory; your real dirconn settings are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export DIRCONN_DATA_DIR
DIRCONN_DATA_DIR=$(mktemp -d -t dirconn-demo-XXXXXX)
FAKE_PID=""
cleanup() {
  if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null || true; fi
  rm -rf "$DIRCONN_DATA_DIR"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }
dirconn() { step "dirconn $*"; npx --no-install dirconn "$@"; }

dirconn config directory sample
dirconn config sync.users true
dirconn config sync.groups true
dirconn config sync.removeDisabled true
dirconn test
dirconn sync --dry-run

printf '\n\033[1m== Against a local stand-in for a Bitwarden server (test double on 127.0.0.1) ==\033[0m\n' >&2
INFO=$(mktemp)
npx --no-install node test-support/dist/fake-bitwarden/main.js --port 0 >"$INFO" &
FAKE_PID=$!
for _ in $(seq 1 50); do [ -s "$INFO" ] && break; sleep 0.1; done
read -r URL CLIENT_ID API_KEY < <(npx --no-install node -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(i.url,i.clientId,i.apiKey)' "$INFO")
rm -f "$INFO"

# A throw-away data directory without a desktop keychain: keep the demo's secret in the data file.
export DIRCONN_PLAINTEXT_SECRETS=true
dirconn config server "$URL"
step "BW_CLIENTID=… BW_CLIENTSECRET=… dirconn login"
BW_CLIENTID="$CLIENT_ID" BW_CLIENTSECRET="$API_KEY" npx --no-install dirconn login
dirconn plan
dirconn sync
dirconn sync
dirconn report --last
