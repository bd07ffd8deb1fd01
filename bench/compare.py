#!/usr/bin/python3
"""Merges the JSON files that bench/compare.sh writes into one ratio table (ours / PyTorch) and one JSON document.

    /usr/bin/python3 bench/compare.py --dir bench/results/run --json bench/results/latest.json

Inputs in --dir: ours.json (ModelBenchmark), ours_memory.json (MemoryProbe), ours_scoring.json (ScoringBenchmark),
ours_gemm.json (QuickBenchmark --json), onednn.json (gemm_onednn.py --json), torch-stock-<t>t.json and torch-openblas-<t>t.json (models_torch.py).
"""
import argparse
import glob
import json
import os

TASKS = ["train128", "infer1", "infer1024"]
TARGET = {"train128": 1.0, "infer1": 2.0, "infer1024": 1.0}
PRUNED_TARGET = 0.6
GEMM_TARGET = 0.7
SCALING_TARGET = 1.7
MEMORY_TARGET_MIB = 300
SCORING_TARGET = 1.2


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def index(rows):
    return {(r["model"], r["variant"], r["threads"], r["task"]): r for r in rows}


def time_ratio(full, other):
    """Inference time of `other` over `full`: the median of the per-round ratios when both took their samples in turn
    (ModelBenchmark interleaves the variants of a cell), else the ratio of the medians."""
    a, b = full.get("samples"), other.get("samples")
    if a and b and len(a) == len(b):
        ratios = sorted(x / y for x, y in zip(a, b))
        n = len(ratios)
        return ratios[n // 2] if n % 2 else (ratios[n // 2 - 1] + ratios[n // 2]) / 2
    return full["median"] / other["median"]


def cell(row):
    return f"{row['median']:>9.0f} [{row['min']:.0f}-{row['max']:.0f}]" if row else f"{'-':>9}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()

    ours = load(os.path.join(args.dir, "ours.json"))
    ours_rows = index(ours["results"])
    peers = {}
    for label in ("torch-stock", "torch-openblas"):
        rows = []
        for path in sorted(glob.glob(os.path.join(args.dir, f"{label}-*t.json"))):
            document = load(path)
            rows += document["results"]
            if "memory" in document:
                peers.setdefault("memory", {})[label] = document["memory"]
        peers[label] = index(rows)

    summary = {"models": [], "pruned": [], "gemm": [], "memory": {}, "targets": {}}
    models = list(dict.fromkeys(k[0] for k in ours_rows))
    threads = sorted({k[2] for k in ours_rows})

    print("\n== Throughput, images/s: median [min-max]; ratio = ours / PyTorch (higher is better) ==")
    print(f"{'model':<7} {'task':<10} {'thr':>3} {'ours':>24} {'torch+OpenBLAS':>24} {'torch stock':>24} "
          f"{'/OpenBLAS':>9} {'/stock':>7} {'target':>7}")
    misses = []
    for model in models:
        for task in TASKS:
            for t in threads:
                key = (model, "full", t, task)
                mine = ours_rows.get(key)
                fair = peers["torch-openblas"].get(key)
                stock = peers["torch-stock"].get(key)
                if mine is None:
                    continue
                fair_ratio = mine["median"] / fair["median"] if fair else None
                stock_ratio = mine["median"] / stock["median"] if stock else None
                met = fair_ratio is not None and fair_ratio >= TARGET[task]
                if fair_ratio is not None and not met:
                    misses.append(f"{model} {task} {t}t")
                print(f"{model:<7} {task:<10} {t:>3} {cell(mine):>24} {cell(fair):>24} {cell(stock):>24} "
                      f"{fair_ratio or 0:>8.2f}x {stock_ratio or 0:>6.2f}x {'>=' + str(TARGET[task]):>5} {'met' if met else 'MISS'}")
                summary["models"].append({"model": model, "task": task, "threads": t, "ours": mine, "torch_openblas": fair,
                                          "torch_stock": stock, "ratio_openblas": fair_ratio, "ratio_stock": stock_ratio,
                                          "target": TARGET[task], "met": met})
    summary["targets"]["throughput_misses"] = misses

    print("\n== Pruned to about half the multiply-adds: inference time pruned / full (lower is better; target <= 0.6) ==")
    print("   hand: the half variant built directly; structured: the full model pruned by StructuredPruning(WeightNormImportance)")
    print("   at the rate whose multiply-adds come nearest half (the target is judged on it when it was measured);")
    print("   ours: median of the per-round ratios (the variants take their samples in turn); torch: ratio of medians")
    print(f"{'model':<7} {'task':<10} {'thr':>3} {'MACs hand':>9} {'ours hand':>9} {'MACs str.':>9} {'ours str.':>9} "
          f"{'torch+OpenBLAS hand':>19}")
    pruned_misses = []
    for model in models:
        for task in ("infer1", "infer1024"):
            for t in threads:
                full = ours_rows.get((model, "full", t, task))
                half, real = ours_rows.get((model, "half", t, task)), ours_rows.get((model, "pruned", t, task))
                if not full or not (half or real):
                    continue
                mac_ratio = half["macs"] / full["macs"] if half else None
                ratio = time_ratio(full, half) if half else None
                real_mac_ratio = real["macs"] / full["macs"] if real else None
                real_ratio = time_ratio(full, real) if real else None
                pf = peers["torch-openblas"].get((model, "full", t, task))
                ph = peers["torch-openblas"].get((model, "half", t, task))
                peer_ratio = pf["median"] / ph["median"] if pf and ph else None
                judged = real_ratio if real_ratio is not None else ratio
                met = judged <= PRUNED_TARGET
                if not met:
                    pruned_misses.append(f"{model} {task} {t}t")

                def fmt(value, suffix="", width=9, digits=2):
                    return f"{'-':>{width}}" if value is None else f"{value:>{width - len(suffix)}.{digits}f}{suffix}"

                print(f"{model:<7} {task:<10} {t:>3} {fmt(mac_ratio, digits=3)} {fmt(ratio, 'x')} {fmt(real_mac_ratio, digits=3)} "
                      f"{fmt(real_ratio, 'x')} {fmt(peer_ratio, 'x', 19)}  {'met' if met else 'MISS'}")
                summary["pruned"].append({"model": model, "task": task, "threads": t, "mac_ratio": mac_ratio,
                                          "time_ratio": ratio, "structured_mac_ratio": real_mac_ratio,
                                          "structured_time_ratio": real_ratio,
                                          "structured_widths": real["widths"] if real else None,
                                          "structured_rate": real["rate"] if real else None,
                                          "torch_openblas_time_ratio": peer_ratio, "met": met})
    summary["targets"]["pruned_misses"] = pruned_misses

    gemm_path, onednn_path = os.path.join(args.dir, "ours_gemm.json"), os.path.join(args.dir, "onednn.json")
    if os.path.exists(gemm_path) and os.path.exists(onednn_path):
        mine = {(r["n"], r["threads"]): r for r in load(gemm_path)["results"]}
        peer = {(r["n"], r["threads"]): r["gflops"] for r in load(onednn_path)["results"]}
        print("\n== GEMM GFLOP/s: ours (NN, NT) vs oneDNN mkldnn_linear (an NT product); ratio = ours NT / oneDNN ==")
        print(f"{'n':>6} {'thr':>3} {'ours NN':>8} {'ours NT':>8} {'oneDNN':>8} {'ratio':>7} {'ours 2t/1t':>10}")
        gemm_misses = []
        for (n, t), row in sorted(mine.items()):
            other = peer.get((n, t))
            ratio = row["nt_gflops"] / other if other else None
            scale = mine[(n, 2)]["nt_gflops"] / mine[(n, 1)]["nt_gflops"] if t == 2 and (n, 1) in mine else None
            if t == 1 and n >= 512 and ratio is not None and ratio < GEMM_TARGET:
                gemm_misses.append(f"gemm n={n} 1t")
            if scale is not None and n >= 512 and scale < SCALING_TARGET:
                gemm_misses.append(f"gemm scaling n={n}")
            print(f"{n:>6} {t:>3} {row['nn_gflops']:>8.1f} {row['nt_gflops']:>8.1f} {other or 0:>8.1f} {ratio or 0:>6.2f}x "
                  f"{'' if scale is None else f'{scale:.2f}x':>10}")
            summary["gemm"].append({"n": n, "threads": t, "ours_nn": row["nn_gflops"], "ours_nt": row["nt_gflops"],
                                    "onednn": other, "ratio": ratio, "scaling": scale})
        summary["targets"]["gemm_misses"] = gemm_misses

    memory_path = os.path.join(args.dir, "ours_memory.json")
    if os.path.exists(memory_path):
        memory = load(memory_path)
        summary["memory"]["ours"] = memory
        print("\n== Peak working set fine-tuning MLP 784-550-375x4-10 at batch 128 (VmHWM minus the data set) ==")
        print(f"ours: {memory['beyond_dataset_mib']:.0f} MiB beyond the data set (peak {memory['peak_mib']:.0f} MiB, "
              f"data {memory['dataset_mib']:.0f} MiB) -> {'met' if memory['beyond_dataset_mib'] < MEMORY_TARGET_MIB else 'MISS'} (< {MEMORY_TARGET_MIB} MiB)")
        for label, other in peers.get("memory", {}).items():
            summary["memory"][label] = other
            print(f"{label}: {other['beyond_dataset_mib']:.0f} MiB beyond the data set (peak {other['peak_mib']:.0f} MiB)")

    scoring_path = os.path.join(args.dir, "ours_scoring.json")
    if os.path.exists(scoring_path):
        rows = load(scoring_path)["results"]
        summary["scoring"] = rows
        print(f"\n== Scoring cost over {rows[0]['images']} images, batch {rows[0]['batch']}: seconds, median [min-max] "
              f"(target: APoZ <= {SCORING_TARGET}x forward, Taylor <= {SCORING_TARGET}x forward+backward) ==")
        print(f"{'model':<7} {'thr':>3} {'forward':>20} {'APoZ':>20} {'ratio':>6} {'fwd+bwd':>20} {'Taylor':>20} {'ratio':>6}"
              f" {'CPU-time ratios':>16}")
        scoring_misses = []

        def seconds(s):
            return f"{s['median']:.3f} [{s['min']:.3f}-{s['max']:.3f}]"

        for row in rows:
            apoz_met, taylor_met = row["apoz_ratio"] <= SCORING_TARGET, row["taylor_ratio"] <= SCORING_TARGET
            if not apoz_met:
                scoring_misses.append(f"apoz {row['model']} {row['threads']}t")
            if not taylor_met:
                scoring_misses.append(f"taylor {row['model']} {row['threads']}t")
            print(f"{row['model']:<7} {row['threads']:>3} {seconds(row['forward_s']):>20} {seconds(row['apoz_s']):>20} "
                  f"{row['apoz_ratio']:>5.2f}x {seconds(row['forward_backward_s']):>20} {seconds(row['taylor_s']):>20} "
                  f"{row['taylor_ratio']:>5.2f}x {row['apoz_ratio_cpu']:>7.2f}x {row['taylor_ratio_cpu']:.2f}x  "
                  f"APoZ {'met' if apoz_met else 'MISS'}, Taylor {'met' if taylor_met else 'MISS'}")
        summary["targets"]["scoring_misses"] = scoring_misses

    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
