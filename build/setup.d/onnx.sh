#!/usr/bin/env bash
# ONNX test tools: python3-onnx, libonnx-testdata and onnxruntime-node (see build/install-onnx-tools.sh).
set -euo pipefail
bash "$(dirname "$0")/../install-onnx-tools.sh"
