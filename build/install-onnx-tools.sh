#!/usr/bin/env bash
# Installs the tools that the ONNX tests use, idempotently (a no-op taking well under a second when all are present):
#   - ONNX Runtime for Node.js (npm onnxruntime-node@1.30.0) in build/onnx/node_modules (git-ignored),
#     which build/onnx/ort-run.js calls to run exported models;
#   - Debian's python3-onnx (onnx.checker for exported models);
#   - Debian's libonnx-testdata (the ONNX node conformance tests under /usr/share/libonnx-testdata).
# Usage: build/install-onnx-tools.sh
set -euo pipefail

ORT_VERSION="1.30.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
onnx_dir="$here/onnx"

source "$here/apt.sh"

apt_packages=()
if ! /usr/bin/python3 -c "import onnx" >/dev/null 2>&1; then
  apt_packages+=(python3-onnx)
fi
if [ ! -d /usr/share/libonnx-testdata/data/node ]; then
  apt_packages+=(libonnx-testdata)
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_packages+=(nodejs npm)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  apt_install "${apt_packages[@]}"
fi

package_json="$onnx_dir/node_modules/onnxruntime-node/package.json"
installed=""
if [ -f "$package_json" ]; then
  installed="$(node -p "require('$package_json').version" 2>/dev/null || true)"
fi
if [ "$installed" != "$ORT_VERSION" ]; then
  echo "install-onnx-tools: npm install onnxruntime-node@$ORT_VERSION into $onnx_dir"
  (cd "$onnx_dir" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --no-save "onnxruntime-node@$ORT_VERSION")
fi

# Smoke check: the native binding loads.
(cd "$onnx_dir" && node -e "require('onnxruntime-node')") || {
  echo "install-onnx-tools: onnxruntime-node is installed but does not load" >&2
  exit 1
}
echo "install-onnx-tools: ready (onnxruntime-node $ORT_VERSION, python3-onnx, libonnx-testdata)"
