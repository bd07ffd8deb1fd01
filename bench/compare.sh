#!/usr/bin/env bash
# Side-by-side benchmark: our engine against PyTorch 1.13 (Debian's build with its generic BLAS, and the same torch
# with OpenBLAS-OpenMP) on the four Fashion-MNIST models, plus GEMM against oneDNN, the fine-tuning memory peak and
# the cost of APoZ and Taylor scoring against one forward (forward+backward) pass.
#
#   bash bench/compare.sh [--quick] [--runs N] [--seconds S] [--models mlp-a,mlp-b,lenet5,vgg] [--threads 1,2]
#
# Prints the ratio table and writes bench/results/latest.json (git-ignored; bench/NOTES.md keeps the record).
# The OpenBLAS peer is unpacked once into bench/.peer (git-ignored) with `apt-get download` and `dpkg -x`; the
# system BLAS is never changed. OPENBLAS_CORETYPE defaults to Haswell (AVX2+FMA; measured faster than Zen here,
# see NOTES.md); set PEER_CORETYPE to override.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
seconds=0.3
models="mlp-a,mlp-b,lenet5,vgg"
threads="1,2"
gemm_sizes="256,512,1024,2048"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) runs=3; seconds=0.15; gemm_sizes="256,512,1024"; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

python=/usr/bin/python3
peer="$root/bench/.peer"
openblas="$peer/usr/lib/x86_64-linux-gnu/openblas-openmp"
coretype="${PEER_CORETYPE:-Haswell}"
out="$root/bench/results/run"
mkdir -p "$out"
rm -f "$out"/*.json

# 1. The OpenBLAS-OpenMP peer (idempotent).
if [[ ! -f "$openblas/libblas.so.3" ]]; then
  echo "== unpacking libopenblas0-openmp into $peer"
  mkdir -p "$peer"
  (cd "$peer" && apt-get download libopenblas0-openmp >/dev/null 2>&1 && dpkg -x libopenblas0-openmp_*.deb .)
fi
if grep -qw avx512f /proc/cpuinfo && [[ -z "${PEER_CORETYPE:-}" ]]; then
  coretype=SkylakeX
fi
echo "== CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; OPENBLAS_CORETYPE=$coretype; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 2. Our side.
echo "== building the benchmarks (Release)"
dotnet build "$root/bench/Microsoft.ML.Pruning.Benchmarks" -c Release -nologo -v q 2>&1 | grep -E "error|warn" || true
bench=(dotnet "$root/bench/Microsoft.ML.Pruning.Benchmarks/bin/Release/net10.0/Microsoft.ML.Pruning.Benchmarks.dll")
"${bench[@]}" --throughput --models "$models" --threads "$threads" --runs "$runs" --seconds "$seconds" --json "$out/ours.json"
"${bench[@]}" --memory --threads 2 --json "$out/ours_memory.json"
# Scoring cost (APoZ and Taylor against one forward / forward+backward pass) on the two models the issue names.
scoring_models="$(tr ',' '\n' <<<"$models" | grep -xE 'mlp-b|lenet5' | paste -sd, || true)"
if [[ -n "$scoring_models" ]]; then
  "${bench[@]}" --scoring --models "$scoring_models" --threads "$threads" --runs "$runs" --json "$out/ours_scoring.json"
fi
"${bench[@]}" --quick --squares-only --sizes "$gemm_sizes" --threads 1,2 --runs "$runs" --json "$out/ours_gemm.json"

# 3. PyTorch: oneDNN GEMM, then the models with the stock BLAS and with OpenBLAS, one process per thread count.
"$python" "$root/bench/gemm_onednn.py" --sizes ${gemm_sizes//,/ } --threads 1 2 --runs "$runs" --seconds 1 --json "$out/onednn.json"
for t in ${threads//,/ }; do
  memory=()
  [[ "$t" == 2 ]] && memory=(--memory)
  OMP_NUM_THREADS=$t "$python" "$root/bench/models_torch.py" --models "$models" --threads "$t" --runs "$runs" \
    --seconds "$seconds" --label torch-stock --json "$out/torch-stock-${t}t.json"
  OMP_NUM_THREADS=$t OPENBLAS_CORETYPE=$coretype LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$python" "$root/bench/models_torch.py" --models "$models" --threads "$t" --runs "$runs" --seconds "$seconds" \
    --label torch-openblas "${memory[@]}" --json "$out/torch-openblas-${t}t.json"
done

# 4. The table. Other work on the machine skews the 2-thread cells most: the load average is printed for that reason.
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" "$root/bench/compare.py" --dir "$out" --json "$root/bench/results/latest.json"
