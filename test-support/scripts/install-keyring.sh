#!/usr/bin/env bash
# Installs what dirconn's keychain integration tests need on Debian/Ubuntu: a D-Bus session bus
# (dbus-run-session), the GNOME Keyring daemon (a Secret Service provider) and libsecret.
# Idempotent and non-interactive. Nothing is started here: test-support/scripts/with-keyring.sh
# starts a private session bus and an unlocked keyring for one command.
set -euo pipefail

log() { printf 'install-keyring: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "must run as root (or with sudo available)"; exit 1
  fi
fi

have_all() {
  command -v dbus-run-session >/dev/null 2>&1 &&
  command -v gnome-keyring-daemon >/dev/null 2>&1 &&
  dpkg-query -W -f='${Status}' libsecret-1-0 2>/dev/null | grep -q 'install ok installed' &&
  dpkg-query -W -f='${Status}' dbus-x11 2>/dev/null | grep -q 'install ok installed'
}

if have_all; then
  log "gnome-keyring, dbus and libsecret already installed"
  exit 0
fi

apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@"; }

packages=(gnome-keyring dbus-x11 libsecret-1-0)
if ! apt_get install --no-install-recommends "${packages[@]}"; then
  log "install failed; refreshing package lists and retrying"
  apt_get update
  apt_get install --no-install-recommends "${packages[@]}"
fi

if ! have_all; then
  log "installation finished but required binaries are missing"; exit 1
fi
log "installed: $(gnome-keyring-daemon --version 2>&1 | head -n1)"
