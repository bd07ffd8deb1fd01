#!/usr/bin/env bash
# Runs the whole test suite after installing what it needs (build/setup.sh), and ends with one plain
# "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test MLNetPruning.sln -c Release --no-restore --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# The console logger ends each test assembly's run with "Total tests: T", then "Passed: P", "Failed: F" and "Skipped: S"
# lines (zero counts omitted); the solution has several test assemblies, so the counts are summed.
count() { grep -E "^ +$1: +[0-9]+$" "$log" | grep -oE '[0-9]+' | awk '{ sum += $1 } END { print sum + 0 }'; }
if grep -qE '^Total tests: [0-9]+' "$log"; then
  echo "$(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
fi
exit "$status"
