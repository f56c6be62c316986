#!/usr/bin/env bash
# Installs Debian's chromium for the UI end-to-end tests (apps/cli/src/e2e/ui.integration.spec.ts,
# driven by playwright-core with executablePath /usr/bin/chromium; no browser is downloaded from
# anywhere but the distribution). Idempotent and non-interactive.
set -euo pipefail

log() { printf 'install-chromium: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "must run as root (or with sudo available)"; exit 1
  fi
fi

if [ -x /usr/bin/chromium ]; then
  log "chromium already installed"
  exit 0
fi

apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"; }

# A fresh machine may have no package lists yet.
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  apt_get update
fi
if ! apt_get install --no-install-recommends chromium fonts-dejavu-core; then
  log "install failed; refreshing package lists and retrying"
  apt_get update
  apt_get install --no-install-recommends chromium fonts-dejavu-core
fi

if [ ! -x /usr/bin/chromium ]; then
  log "installation finished but /usr/bin/chromium is missing"; exit 1
fi
log "installed: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
