#!/usr/bin/env bash
# Runs the whole test suite after installing what it needs (build/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
dotnet test MLNetPruning.sln -c Release --no-restore --logger "console;verbosity=normal" "$@"
