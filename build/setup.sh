#!/usr/bin/env bash
# Installs what the samples and tests need, idempotently: each step is skipped when already done.
#   - Debian's dataset-fashion-mnist (the Fashion-MNIST IDX files under /usr/share/datasets/fashion-mnist)
#   - the NuGet packages of the solution (dotnet restore)
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(dataset-fashion-mnist)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
source build/apt.sh
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi

for extra in build/setup.d/*.sh; do
  [ -e "$extra" ] && bash "$extra"
done

dotnet restore MLNetPruning.sln --verbosity quiet
