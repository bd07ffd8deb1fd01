#!/usr/bin/env bash
# Runs the whole test suite after installing what it needs (build/setup.sh), then the consumer's path
# (build/consumer-test.sh: the packages from a local feed in a new app, and the mlprune tool) and the API reference
# (build/docs.sh: docfx, broken cross-references fail), each counted as one test; ends with one plain
# "N passed, N failed, N skipped" line. Arguments go to dotnet test; with any, or with MLNET_PRUNING_SKIP_PACKAGES=1,
# the two packaging checks are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test MLNetPruning.sln -c Release --no-restore --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
extra_passed=0
extra_failed=0
if [ $# -eq 0 ] && [ "${MLNET_PRUNING_SKIP_PACKAGES:-}" != 1 ]; then
  # Both use the Release build dotnet test just made.
  for check in "consumer-test.sh --no-build" "docs.sh"; do
    started=$SECONDS
    if bash build/$check; then
      extra_passed=$((extra_passed + 1)); echo "  Passed build/${check%% *} [$((SECONDS - started)) s]"
    else
      extra_failed=$((extra_failed + 1)); status=1; echo "  Failed build/${check%% *} [$((SECONDS - started)) s]"
    fi
  done
fi
# The console logger ends each test assembly's run with "Total tests: T", then "Passed: P", "Failed: F" and
# "Skipped: S" lines (zero counts omitted); the summary adds them up over the assemblies.
count() { grep -E "^ +$1: +[0-9]+$" "$log" | grep -oE '[0-9]+' | awk '{ n += $1 } END { print n + 0 }'; }
if grep -qE '^Total tests: [0-9]+' "$log"; then
  echo "$(($(count Passed) + extra_passed)) passed, $(($(count Failed) + extra_failed)) failed, $(count Skipped) skipped"
fi
exit "$status"
