#!/usr/bin/env bash
# Installs what the Samba AD test harness (test-support/src/samba.ts) needs on Debian 12:
# the Samba AD DC binaries and provisioning data, the ldb and OpenLDAP command-line tools and openssl.
#
# Idempotent: does nothing when everything is already installed. Non-interactive. Leaves no Samba
# service running: the harness starts its own `samba` process on a throw-away domain, and a system
# smbd/nmbd/samba-ad-dc would otherwise hold ports 139/445 (and 389/636 for samba-ad-dc).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"  # samba lives in /usr/sbin, which non-root PATHs lack

PACKAGES=(
  samba               # the `samba` AD DC daemon and `samba-tool`
  samba-ad-provision  # provisioning templates (setup/*.ldif) used by `samba-tool domain provision`
  samba-dsdb-modules  # the ldb modules behind sam.ldb (without them provision fails)
  samba-vfs-modules   # acl_xattr: provision sets the sysvol ACLs through it and fails without it
  ldb-tools           # ldbsearch/ldbmodify, for inspecting the DC's databases
  ldap-utils          # ldapsearch/ldapmodify/ldapadd, used by the harness over LDAPS
  openssl             # generates the test CA and the DC's TLS certificate
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-samba.sh: must run as root (apt-get install)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-samba.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep maintainer scripts from starting smbd/nmbd/samba-ad-dc. If the machine already has a
  # policy-rc.d (containers often do) it is left as it is.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup_policy() {
    if [ "$created_policy" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  }
  trap cleanup_policy EXIT
  # Install first; fall back to refreshing the package lists only when apt cannot find something.
  if ! apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef \
      -o Dpkg::Options::=--force-confold "${missing[@]}"; then
    apt-get -o DPkg::Lock::Timeout=600 update
    apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef \
      -o Dpkg::Options::=--force-confold "${missing[@]}"
  fi
fi

# Whatever happened during the install (or on an earlier run), make sure no system Samba service
# is running or enabled. Errors are ignored: services that do not exist are no-ops.
for svc in samba-ad-dc smbd nmbd winbind; do
  if command -v systemctl >/dev/null 2>&1; then
    # `disable` also works offline (no systemd running): it just removes the .wants symlinks.
    systemctl disable --quiet "$svc" >/dev/null 2>&1 || true
    if [ -d /run/systemd/system ]; then systemctl stop "$svc" >/dev/null 2>&1 || true; fi
  fi
  if [ ! -d /run/systemd/system ] && [ -x "/etc/init.d/$svc" ]; then
    "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
  fi
done
# Daemons started outside an init system (unlikely, but cheap to check): stop them by pid file.
for pidfile in /run/samba/smbd.pid /run/samba/nmbd.pid /run/samba/samba.pid /run/samba/winbindd.pid; do
  if [ -s "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  fi
done

for tool in samba samba-tool ldapsearch ldapmodify ldbsearch openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-samba.sh: $tool missing after install" >&2; exit 1; }
done
echo "install-samba.sh: ok ($(samba --version))"
