#!/usr/bin/env bash
# Runs a command inside a private D-Bus session bus with an unlocked GNOME Keyring (a Secret
# Service provider), e.g.:
#   test-support/scripts/with-keyring.sh npm run test:integration -- libs/storage
# The keyring files live in a temporary directory (never the user's ~/.local/share/keyrings) and are
# removed afterwards. Starting the daemon with a password on stdin creates and unlocks the default
# "login" collection, so no prompt is ever needed. The daemon runs in the foreground of this script
# and is stopped when the command ends (a daemonized one can outlive a short session).
# Needs test-support/scripts/install-keyring.sh once.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  printf 'usage: %s <command> [args...]\n' "$0" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    printf 'with-keyring: %s not found; run test-support/scripts/install-keyring.sh first\n' "$tool" >&2
    exit 127
  fi
done

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/dirconn-keyring.XXXXXX")"
trap 'rm -rf "$keyring_home"' EXIT

# Not `exec`: the daemon must be stopped and the throw-away keyring removed after the command.
dbus-run-session -- bash -c '
  set -u
  keyring_home="$1"; shift
  printf pw | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
  daemon=$!
  stop_daemon() { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; }
  trap stop_daemon EXIT
  # Wait (up to 10 s) until the Secret Service name is owned on the bus.
  ready=0
  for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
         org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
      ready=1; break
    fi
    if ! kill -0 "$daemon" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ "$ready" -ne 1 ]; then
    echo "with-keyring: gnome-keyring-daemon did not start" >&2
    exit 1
  fi
  "$@"
' with-keyring "$keyring_home" "$@"
