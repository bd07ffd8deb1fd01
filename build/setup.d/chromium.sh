#!/usr/bin/env bash
# Headless Chromium (Debian's chromium package), which the HTML report test uses to load a rendered report
# and read back its DOM. Idempotent: a no-op when chromium is already on the PATH.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup chromium: need root to run: $*" >&2
    return 1
  fi
}

echo "setup chromium: apt-get install chromium"
run_as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive run_as_root apt-get install -y -qq chromium
chromium --version
