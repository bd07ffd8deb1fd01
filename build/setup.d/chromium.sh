#!/usr/bin/env bash
# Headless Chromium (Debian's chromium package), which the HTML report test uses to load a rendered report
# and read back its DOM. Idempotent: a no-op when chromium is already on the PATH.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

source "$(dirname "$0")/../apt.sh"
apt_install chromium
chromium --version
