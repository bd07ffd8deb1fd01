#!/usr/bin/python3
"""PyTorch side of the side-by-side benchmark: the same four models, data, batch sizes and timing scheme as
`Microsoft.ML.Pruning.Benchmarks --throughput` (ModelBenchmark.cs, BenchmarkModels.cs).

Training: Adam (lr 1e-3), batches of 128 drawn in a random order from the Fashion-MNIST training set; each step
gathers the batch, runs forward, cross-entropy, backward, the optimizer step and zero_grad. Inference: consecutive
test batches of 1 or 1024 in eval mode under torch.no_grad(). Each cell warms up, then times `--runs` samples of a
fixed number of steps (about `--seconds` each) and reports the median, minimum and maximum images/s.

Threads: run one process per thread count with OMP_NUM_THREADS set (bench/compare.sh does); the script also calls
torch.set_num_threads. Run with Debian's interpreter: /usr/bin/python3 bench/models_torch.py --threads 1 --json out.json
"""
import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn

NAMES = ["mlp-a", "mlp-b", "lenet5", "vgg"]


def read_idx(path: str) -> np.ndarray:
    """Reads a gzip (or raw) IDX file into a numpy array."""
    with open(path, "rb") as handle:
        raw = handle.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion_mnist(directory: str):
    """Returns (train_x, train_y, test_x, test_y) as float32 [N, 1, 28, 28] in [0, 1] and int64 labels."""
    def part(prefix):
        images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"))
        labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))
        x = torch.from_numpy(images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
        return x, torch.from_numpy(labels.astype(np.int64))
    train_x, train_y = part("train")
    test_x, test_y = part("t10k")
    return train_x, train_y, test_x, test_y


def mlp(hidden):
    layers, width = [nn.Flatten()], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


def lenet(c1, c2, f1, f2):
    return nn.Sequential(
        nn.Conv2d(1, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * 25, f1), nn.ReLU(), nn.Linear(f1, f2), nn.ReLU(), nn.Linear(f2, 10))


def vgg(c1, c2, c3, f):
    return nn.Sequential(
        nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(),
        nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c3 * 49, f), nn.ReLU(), nn.Linear(f, 10))


def build(name: str, half: bool) -> nn.Module:
    """The same shapes as BenchmarkModels.Build."""
    if name == "mlp-a":
        return mlp([157, 52] if half else [300, 100])
    if name == "mlp-b":
        return mlp([349, 238, 238, 238, 238] if half else [550, 375, 375, 375, 375])
    if name == "lenet5":
        return lenet(*((4, 10, 84, 60) if half else (6, 16, 120, 84)))
    if name == "vgg":
        return vgg(*((23, 45, 90, 180) if half else (32, 64, 128, 256)))
    raise ValueError(f"unknown model {name!r}; use one of {NAMES}")


def sample(step, images_per_step: int, runs: int, seconds: float):
    """Warms up, picks a step count per sample, returns `runs` images/s samples (the scheme of ModelBenchmark.Sample)."""
    start = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - start < max(0.2, seconds):
        step()
        calls += 1
    steps = max(2, int(np.ceil(seconds * calls / (time.perf_counter() - start))))
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        samples.append(steps * images_per_step / (time.perf_counter() - start))
    return samples


def train_cell(model, x, y, runs, seconds):
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    order = torch.randperm(x.shape[0], generator=generator)
    cursor = [0]

    def step():
        if cursor[0] + 128 > order.numel():
            cursor[0] = 0
        index = order[cursor[0]:cursor[0] + 128]
        cursor[0] += 128
        xb, yb = x[index], y[index]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()

    return sample(step, 128, runs, seconds)


def infer_cell(model, x, batch, runs, seconds):
    model.eval()
    cursor = [0]

    def step():
        if cursor[0] + batch > x.shape[0]:
            cursor[0] = 0
        xb = x[cursor[0]:cursor[0] + batch].clone()
        cursor[0] += batch
        with torch.no_grad():
            model(xb)

    return sample(step, batch, runs, seconds)


def memory_probe(train_x, train_y, test_x, test_y, threads):
    """Peak RSS while fine-tuning MLP-b one epoch at batch 128, beyond the data set (the scheme of MemoryProbe.cs)."""
    torch.set_num_threads(threads)
    data_bytes = sum(t.numel() * t.element_size() for t in (train_x, train_y, test_x, test_y))
    reset = True
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        reset = False
    torch.manual_seed(1)
    model = build("mlp-b", False)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(train_x.shape[0])
    for start in range(0, order.numel(), 128):
        index = order[start:start + 128]
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(train_x[index]), train_y[index]).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for start in range(0, test_x.shape[0], 1024):
            model(test_x[start:start + 1024])
    peak = 0
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    mib = 1024.0 * 1024.0
    return {"peak_mib": peak / mib, "dataset_mib": data_bytes / mib, "beyond_dataset_mib": (peak - data_bytes) / mib,
            "peak_reset": reset}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=",".join(NAMES))
    parser.add_argument("--variants", default="full,half")
    parser.add_argument("--tasks", default="train128,infer1,infer1024")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.3)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--label", default="torch", help="the side's name in the JSON")
    parser.add_argument("--memory", action="store_true", help="also measure the peak working set while fine-tuning MLP-b")
    parser.add_argument("--json")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    train_x, train_y, test_x, test_y = load_fashion_mnist(args.data)
    rows = []
    print(f"{args.label}: torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')}, median of {args.runs} samples of about {args.seconds:.2f} s",
          flush=True)
    for name in args.models.split(","):
        for variant in args.variants.split(","):
            for task in args.tasks.split(","):
                torch.manual_seed(1)
                model = build(name, variant == "half")
                if task == "train128":
                    samples = train_cell(model, train_x, train_y, args.runs, args.seconds)
                elif task == "infer1":
                    samples = infer_cell(model, test_x, 1, args.runs, args.seconds)
                elif task == "infer1024":
                    samples = infer_cell(model, test_x, 1024, args.runs, args.seconds)
                else:
                    raise ValueError(f"unknown task {task!r}")
                median = statistics.median(samples)
                print(f"{name:<7} {variant:<5} {args.threads}t {task:<10} {median:12.0f} images/s  [{min(samples):.0f} .. {max(samples):.0f}]",
                      flush=True)
                rows.append({"model": name, "variant": variant, "threads": args.threads, "task": task,
                             "median": median, "min": min(samples), "max": max(samples), "samples": samples})
    document = {"side": args.label, "torch": torch.__version__, "unit": "images/s", "runs": args.runs,
                "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"), "results": rows}
    if args.memory:
        document["memory"] = memory_probe(train_x, train_y, test_x, test_y, args.threads)
        m = document["memory"]
        print(f"{args.label}: peak working set fine-tuning MLP-b {m['peak_mib']:.0f} MiB, beyond the data set {m['beyond_dataset_mib']:.0f} MiB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)


if __name__ == "__main__":
    main()
