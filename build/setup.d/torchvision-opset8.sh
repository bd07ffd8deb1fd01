#!/usr/bin/env bash
# The torchvision CNN families exported at ONNX opset 8 (the operator versions of older exporters) with inputs and
# PyTorch's outputs, for test/Microsoft.ML.Pruning.Tests/Onnx/OnnxOpset8FamilyTests.cs. About 180 MB, so generated
# here rather than committed: test/fixtures/torchvision/generate_opset8.py runs with Debian's python3-torch,
# python3-torchvision and python3-onnx (installed when missing) and writes to the git-ignored
# build/data/torchvision-opset8. Skipped when that folder was made by the same version of the scripts.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=test/fixtures/torchvision/generate_opset8.py
target=build/data/torchvision-opset8
stamp="$target/generator.sha256"
digest=$(cat "$script" test/fixtures/torchvision/generate.py | sha256sum | cut -d' ' -f1)
[ -s "$target/manifest.json" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && exit 0
source build/apt.sh
if ! /usr/bin/python3 -c "import torch, torchvision, onnx" >/dev/null 2>&1; then
  apt_install python3-torch python3-torchvision python3-onnx
fi
work="$target.tmp"
rm -rf "$work"
echo "setup: exporting the torchvision families at opset 8 to $target (about a minute)"
/usr/bin/python3 -W ignore "$script" "$work" >/dev/null
echo "$digest" > "$work/generator.sha256"
rm -rf "$target"
mv "$work" "$target"
