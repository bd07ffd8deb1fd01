#!/usr/bin/env bash
# The torchvision CNN families exported to ONNX with inputs and PyTorch's outputs, generated here rather than committed
# (too large) into git-ignored folders, each skipped when it was made by the same version of its scripts:
# - build/data/torchvision: the nine families at opsets 13 and 17 (about 360 MB; test/fixtures/torchvision/generate.py)
#   for the family tests (test/Microsoft.ML.Pruning.Tests/Structure/TorchvisionFamilyTests.cs), the PruneTorchvision
#   sample and bench/cnn.sh;
# - build/data/torchvision-opset8: eight families at opset 8, the operator versions of older exporters (about 180 MB;
#   generate_opset8.py) for test/Microsoft.ML.Pruning.Tests/Onnx/OnnxOpset8FamilyTests.cs.
# Both run with Debian's python3-torch, python3-torchvision and python3-onnx, installed when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
fixtures=test/fixtures/torchvision

# export TARGET DESCRIPTION SCRIPT [SCRIPTS THE DIGEST ALSO COVERS...]
export_families() {
  local target=$1 description=$2 script=$3
  local stamp="$target/generator.sha256" digest
  digest=$(cat "${@:3}" | sha256sum | cut -d' ' -f1)
  [ -s "$target/manifest.json" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && return 0
  source build/apt.sh
  if ! /usr/bin/python3 -c "import torch, torchvision, onnx" >/dev/null 2>&1; then
    apt_install python3-torch python3-torchvision python3-onnx
  fi
  local work="$target.tmp"
  rm -rf "$work"
  echo "setup: exporting the torchvision families $description to $target (about a minute)"
  /usr/bin/python3 -W ignore "$script" "$work" >/dev/null
  echo "$digest" > "$work/generator.sha256"
  rm -rf "$target"
  mv "$work" "$target"
}

export_families build/data/torchvision "at opsets 13 and 17" "$fixtures/generate.py"
export_families build/data/torchvision-opset8 "at opset 8" "$fixtures/generate_opset8.py" "$fixtures/generate.py"
