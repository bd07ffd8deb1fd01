#!/usr/bin/python3
"""Measures oneDNN float32 GEMM throughput (GFLOP/s), the peer that Gemm.Multiply is compared against.

Debian's python3-torch links a generic reference BLAS, so torch.mm is not a fair peer; its oneDNN (MKL-DNN)
path is. This calls torch._C._nn.mkldnn_linear on mkldnn tensors, which computes y = x . w^T (an NT product)
with oneDNN's inner-product primitive, and times square problems at 1 and 2 threads.

Run with Debian's interpreter, which is the one that sees torch:
    /usr/bin/python3 bench/gemm_onednn.py [--sizes 256 512 1024 2048] [--threads 1 2] [--best] [--json out.json]
"""
import argparse
import json
import statistics
import time

import torch


def measure(n: int, threads: int, min_seconds: float, runs: int, best: bool) -> float:
    """Returns the median (or best) GFLOP/s of an n x n x n product at the given thread count."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.randn(n, n).to_mkldnn()
    w = torch.randn(n, n).to_mkldnn()
    flops = 2.0 * n * n * n

    def once() -> None:
        torch._C._nn.mkldnn_linear(x, w, None)

    # Warm up, then pick a repeat count so that one timed sample lasts about min_seconds / runs.
    for _ in range(3):
        once()
    start = time.perf_counter()
    once()
    single = max(time.perf_counter() - start, 1e-6)
    reps = max(1, int(min_seconds / runs / single))

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(reps):
            once()
        elapsed = time.perf_counter() - start
        samples.append(flops * reps / elapsed / 1e9)
    return max(samples) if best else statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024, 2048])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=2.0, help="approximate timed seconds per cell")
    parser.add_argument("--runs", type=int, default=7, help="timed samples per cell; the median is reported")
    parser.add_argument("--best", action="store_true",
                        help="report the fastest sample instead of the median (steadier on a shared machine)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()

    results = []
    print(f"oneDNN (torch {torch.__version__}, mkldnn_linear, float32) GFLOP/s, {'best' if args.best else 'median'} of {args.runs}")
    print("       n " + "".join(f"{f'{t} thr':>10}" for t in args.threads) +
          ("     scale" if len(args.threads) > 1 else ""))
    for n in args.sizes:
        row = {t: measure(n, t, args.seconds, args.runs, args.best) for t in args.threads}
        for t, g in row.items():
            results.append({"n": n, "threads": t, "gflops": round(g, 2)})
        line = f"{n:>8} " + "".join(f"{row[t]:>10.1f}" for t in args.threads)
        if len(args.threads) > 1:
            line += f"{row[args.threads[-1]] / row[args.threads[0]]:>9.2f}x"
        print(line, flush=True)

    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"peer": "oneDNN mkldnn_linear", "torch": torch.__version__, "results": results}, handle, indent=2)


if __name__ == "__main__":
    main()
