#!/usr/bin/env bash
# Regenerates src/Microsoft.ML.Pruning/Onnx/Proto/Onnx.g.cs from onnx.proto beside it, with protoc from Debian's
# protobuf-compiler (installed here when missing). The generated types are internal; the output is committed.
# Usage: build/onnx/generate-proto.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
proto_dir="$root/src/Microsoft.ML.Pruning/Onnx/Proto"

if ! command -v protoc >/dev/null 2>&1; then
  echo "generate-proto: installing protobuf-compiler"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq protobuf-compiler
fi

echo "generate-proto: $(protoc --version)"
protoc --proto_path="$proto_dir" --csharp_out="$proto_dir" \
  --csharp_opt=file_extension=.g.cs,internal_access "$proto_dir/onnx.proto"
echo "generate-proto: wrote $proto_dir/Onnx.g.cs"
