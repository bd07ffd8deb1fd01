#!/usr/bin/env bash
# The CNN benchmark in one run: training and inference of torchvision's resnet18, mobilenet_v2 and efficientnet_b0
# (3x64x64 and 3x224x224), LeNet-5 and MLP 784-550-375x4-10, in this library's engine against raw TorchSharp, the
# library's TorchSharp backend, ONNX Runtime and PyTorch 1.13, at 1 and 2 threads, the runtimes alternating round by
# round. Each table prints the CPU, its vector extensions, the thread count and the load average.
#
#   bash bench/cnn.sh [--quick] [any option of `--cnn`: --tasks train,infer --models ... --sizes 64,224 --threads 1,2
#                      --rounds 3 --round-seconds 1.5 --no-pytorch --no-torchsharp --no-backend]
#
# --quick: 3x64x64 only, 2 rounds of 0.5 s. Samples go to bench/results/cnn.json (git-ignored). The PyTorch peer gets
# OpenBLAS-OpenMP (unpacked once into bench/.peer with apt-get download + dpkg -x, as bench/compare.sh does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
args=()
for a in "$@"; do
  if [[ "$a" == "--quick" ]]; then args+=(--sizes 64 --rounds 2 --round-seconds 0.5); else args+=("$a"); fi
done

peer="$root/bench/.peer"
if [[ ! -f "$peer/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3" ]]; then
  mkdir -p "$peer"
  (cd "$peer" && apt-get download libopenblas0-openmp >/dev/null 2>&1 && dpkg -x libopenblas0-openmp_*.deb .) || echo "OpenBLAS peer not available; PyTorch runs with Debian's reference BLAS"
fi
[[ -f "$root/build/data/torchvision/manifest.json" ]] || bash "$root/build/setup.d/torchvision.sh"

dotnet build "$root/bench/Microsoft.ML.Pruning.Benchmarks" -c Release -nologo -v q 2>&1 | grep -E " error |warn" || true
exec dotnet "$root/bench/Microsoft.ML.Pruning.Benchmarks/bin/Release/net10.0/Microsoft.ML.Pruning.Benchmarks.dll" --cnn --json "$root/bench/results/cnn.json" "${args[@]}"
