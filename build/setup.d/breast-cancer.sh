#!/usr/bin/env bash
# The Wisconsin breast cancer data (569 rows, 30 features) that Debian's python3-sklearn ships, for the 000-cancer
# sample. Only the CSV is taken from the package (apt-get download + dpkg -x), so scikit-learn and its dependencies
# are not installed. Skipped when build/data/breast_cancer.csv exists.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=build/data/breast_cancer.csv
[ -s "$target" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source build/apt.sh
# apt-get download needs current package lists; refresh them only when the first try fails.
(cd "$work" && apt-get download -qq python3-sklearn >/dev/null 2>&1) || { run_as_root apt-get update -qq; (cd "$work" && apt-get download -qq python3-sklearn >/dev/null); }
dpkg -x "$work"/python3-sklearn_*.deb "$work/root"
mkdir -p build/data
cp "$work/root/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv" "$target.tmp"
mv "$target.tmp" "$target"
echo "setup: extracted $target from python3-sklearn"
