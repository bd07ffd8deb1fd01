#!/usr/bin/env bash
# The nine torchvision CNN families exported to ONNX (opsets 13 and 17) with inputs and PyTorch's outputs, for the
# family tests (test/Microsoft.ML.Pruning.Tests/Structure/TorchvisionFamilyTests.cs) and the PruneTorchvision
# sample. About 360 MB in all, so they are generated here rather than committed: test/fixtures/torchvision/generate.py
# runs with Debian's python3-torch, python3-torchvision and python3-onnx (installed when missing) and writes to the
# git-ignored build/data/torchvision. Skipped when that folder was made by the same version of the script.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=test/fixtures/torchvision/generate.py
target=build/data/torchvision
stamp="$target/generator.sha256"
digest=$(sha256sum "$script" | cut -d' ' -f1)
[ -s "$target/manifest.json" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && exit 0
source build/apt.sh
if ! /usr/bin/python3 -c "import torch, torchvision, onnx" >/dev/null 2>&1; then
  apt_install python3-torch python3-torchvision python3-onnx
fi
work="$target.tmp"
rm -rf "$work"
echo "setup: exporting the torchvision families to $target (about a minute)"
/usr/bin/python3 -W ignore "$script" "$work" >/dev/null
echo "$digest" > "$work/generator.sha256"
rm -rf "$target"
mv "$work" "$target"
