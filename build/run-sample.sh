#!/usr/bin/env bash
# Runs the flagship sample end to end after installing what it needs (build/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
dotnet run -c Release --no-restore --project samples/TrainFashionMnist -- "$@"
