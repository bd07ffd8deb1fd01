#!/usr/bin/env bash
# Streaming benchmarks (issue 20): peak working set and rows/s of one-epoch fits that stream an IDataView, with and
# without AppendCacheCheckpoint, against the in-memory path; each configuration in a process of its own (the peak
# working set is the process's). Generated PNG and CSV files go to build/data/streaming (git-ignored); delete them with
#   rm -rf build/data/streaming
# Usage: bash bench/streaming.sh [threads]   (the default is 2)
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"
dotnet build bench/Microsoft.ML.Pruning.Streaming.Benchmarks -c Release -v q -nologo >/dev/null
run() { dotnet bench/Microsoft.ML.Pruning.Streaming.Benchmarks/bin/Release/net10.0/Microsoft.ML.Pruning.Streaming.Benchmarks.dll "$@" --threads "$threads"; }
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, AVX-512: $(grep -q avx512f /proc/cpuinfo && echo yes || echo no); threads $threads"
for size in 64 224; do
  for count in 2000 20000; do
    for mode in stream cache memory; do
      # 20,000 images of 3x224x224 are 12 GB as floats: only the streamed fit runs there.
      if [[ $size == 224 && $count == 20000 && $mode != stream ]]; then continue; fi
      run images --count "$count" --size "$size" --mode "$mode" | tail -1
    done
  done
done
run decode --count 2000 --size 224 --cnn resnet18 | tail -2
for mode in stream cache memory; do
  run csv --megabytes 2048 --mode "$mode" | tail -1
done
run shuffle | tail -11
