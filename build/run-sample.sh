#!/usr/bin/env bash
# Runs the flagship sample end to end after installing what it needs (build/setup.sh): seeds/000, APoZ pruning of
# the 784-550-375-375-375-375-10 MLP on Fashion-MNIST (train, prune half the hidden units, fine-tune, evaluate,
# export ONNX and an HTML report, load the ONNX model back). Other experiments: pass 000-cancer, 001, 002 or 003.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
dotnet run -c Release --no-restore --project samples/SeedExperiments -- "${@:-000}"
