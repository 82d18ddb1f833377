#!/usr/bin/env bash
# The browser the console's tests drive (test/console/*.browser.spec.ts): Debian's chromium,
# through playwright-core (which downloads no browser of its own). Installs it when missing;
# needs root for apt-get (CI runs as root). Says what it does, and does nothing when present.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: chromium is missing; install it as root: apt-get install -y chromium" >&2
  exit 1
fi
echo "install-browser: chromium is missing; installing Debian's chromium package (apt-get install -y chromium)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
echo "install-browser: installed $(chromium --version 2>/dev/null || echo chromium)"
