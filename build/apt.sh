#!/usr/bin/env bash
# Shared by the setup scripts (source it): run a command as root (directly or through sudo), and install Debian packages.
run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup: need root to run: $*" >&2
    return 1
  fi
}

# apt_install PACKAGE...: refreshes the package lists and installs the packages, quietly.
apt_install() {
  echo "setup: apt-get install $*"
  run_as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive run_as_root apt-get install -y -qq "$@" >/dev/null
}
