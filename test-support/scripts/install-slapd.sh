#!/usr/bin/env bash
# Installs OpenLDAP (slapd + ldap-utils) and openssl for dirconn's integration
# tests and benchmarks. Idempotent and non-interactive. The distribution's
# system slapd service is never left running: the test harness starts its own
# slapd instances on loopback with a generated configuration.
set -euo pipefail

log() { printf 'install-slapd: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "must run as root (or with sudo available)"; exit 1
  fi
fi

have_all() {
  command -v slapadd >/dev/null 2>&1 &&
  command -v ldapsearch >/dev/null 2>&1 &&
  command -v openssl >/dev/null 2>&1 &&
  [ -x /usr/sbin/slapd ] &&
  [ -f /etc/ldap/schema/nis.schema ]
}

stop_system_slapd() {
  # The package's init script starts a slapd on port 389 with its own database.
  # We never want it: stop it and keep it from coming back at boot.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop slapd >/dev/null 2>&1 || true
    $SUDO systemctl disable slapd >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/slapd ]; then
    $SUDO /etc/init.d/slapd stop >/dev/null 2>&1 || true
  fi
  # Debian's init script refuses to start slapd while this sentinel file exists.
  if [ -d /etc/ldap ] && [ ! -e /etc/ldap/noslapd ]; then
    $SUDO touch /etc/ldap/noslapd || true
  fi
  # Only the system instance's pidfile is used (never a process-name match), so
  # test instances of other sessions on this machine are left alone.
  # Anything still running from the system configuration (not our test instances,
  # which are started with -f/-F pointing into a temp dir).
  if [ -f /run/slapd/slapd.pid ]; then
    pid="$(cat /run/slapd/slapd.pid 2>/dev/null || true)"
    if [ -n "${pid}" ] && kill -0 "${pid}" 2>/dev/null; then
      $SUDO kill "${pid}" 2>/dev/null || true
    fi
  fi
}

if have_all; then
  log "slapd, ldap-utils and openssl already installed"
  stop_system_slapd
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive

# Keep maintainer scripts from starting services while we install
# (restored afterwards if we created it).
POLICY=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "${POLICY}" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "${POLICY}" >/dev/null
  $SUDO chmod 0755 "${POLICY}"
  created_policy=1
fi
cleanup() {
  if [ "${created_policy}" -eq 1 ]; then $SUDO rm -f "${POLICY}"; fi
}
trap cleanup EXIT

# Preseed debconf so the slapd postinst does not prompt. "Omit OpenLDAP server
# configuration" = true: no system database or admin password is created at all;
# the harness (test-support/src/slapd.ts) writes its own config per instance.
$SUDO debconf-set-selections <<'DEBCONF'
slapd slapd/no_configuration boolean true
slapd slapd/dump_database select when needed
DEBCONF

apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"; }

# A fresh machine may have no package lists yet.
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  apt_get update
fi
if ! apt_get install --no-install-recommends slapd ldap-utils openssl; then
  log "install failed; refreshing package lists and retrying"
  apt_get update
  apt_get install --no-install-recommends slapd ldap-utils openssl
fi

stop_system_slapd

if ! have_all; then
  log "installation finished but required binaries are missing"; exit 1
fi
log "installed: $(/usr/sbin/slapd -VV 2>&1 | head -n1)"
