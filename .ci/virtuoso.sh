#!/usr/bin/env bash
# Install Debian's Virtuoso Open Source (7.2) for the external-store tests (tests/external/).
#   bash .ci/virtuoso.sh
# Idempotent and quick once installed. It only installs the binaries: the tests start a
# private instance on free loopback ports with their own virtuoso.ini, so the package's
# system service is kept from starting (a temporary policy-rc.d when none exists).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

have() { command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; }

if have; then
  version=$( (virtuoso-t -? 2>&1 || true) | grep -m1 -o 'Version [0-9.]*' || true)
  echo "virtuoso: already installed (${version:-version unknown})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "virtuoso: not installed and not root; the external tests will be skipped" >&2
  exit 0
fi

policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  made_policy=1
fi
cleanup() { if [ "$made_policy" -eq 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

# The package asks for a DBA password through debconf; noninteractive keeps its default.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends virtuoso-opensource >/dev/null

# If a service was started anyway (no policy-rc.d honoured), stop it: the tests run their own.
if command -v service >/dev/null 2>&1; then
  service virtuoso-opensource-7 stop >/dev/null 2>&1 || true
fi

have && echo "virtuoso: installed" || { echo "virtuoso: installation failed" >&2; exit 1; }
