#!/usr/bin/python3
"""PyTorch 1.13 peer of the CNN benchmark (`Microsoft.ML.Pruning.Benchmarks --cnn`), driven over stdin/stdout so that the
C# program can alternate it round by round with the in-process runtimes.

The models are the graphs the engine runs: torchvision's resnet18, mobilenet_v2 and efficientnet_b0 with every
BatchNorm replaced by Identity and every convolution given a bias (the ONNX exports fold BatchNorm into the
convolutions, so the imported networks have none), dropout replaced by Identity, 1000 classes; and LeNet-5 and the
MLP 784-550-375x4-10 of models_torch.py. Training is forward, cross-entropy, backward and an SGD step on synthetic
data; inference is eval mode under no_grad.

Protocol: one JSON object per line in, one per line out.
  {"cmd": "setup", "task": "train"|"infer", "model": "resnet18", "size": 64, "batch": 32, "threads": 1}
  {"cmd": "round", "steps": 3}   -> {"wall": seconds, "cpu": seconds}  (thread CPU at 1 thread, process CPU above)
  {"cmd": "quit"}
Run with Debian's interpreter (/usr/bin/python3); bench/cnn.sh puts OpenBLAS-OpenMP first on LD_LIBRARY_PATH.
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models_torch  # noqa: E402  (LeNet-5 and the MLPs, shared with the Fashion-MNIST benchmark)

TORCHVISION = {"resnet18": torchvision.models.resnet18, "mobilenet_v2": torchvision.models.mobilenet_v2,
               "efficientnet_b0": torchvision.models.efficientnet_b0}


def without_batchnorm(model: nn.Module) -> nn.Module:
    """Replaces BatchNorm and Dropout by Identity and gives every bias-less convolution a zero bias."""
    for name, child in list(model.named_children()):
        if isinstance(child, (nn.BatchNorm2d, nn.Dropout)):
            setattr(model, name, nn.Identity())
        elif isinstance(child, nn.Conv2d) and child.bias is None:
            conv = nn.Conv2d(child.in_channels, child.out_channels, child.kernel_size, child.stride, child.padding,
                             child.dilation, child.groups, bias=True)
            with torch.no_grad():
                conv.weight.copy_(child.weight)
                conv.bias.zero_()
            setattr(model, name, conv)
        else:
            without_batchnorm(child)
    return model


def build(name: str):
    """Returns (model, per-sample input shape, classes)."""
    if name in TORCHVISION:
        return without_batchnorm(TORCHVISION[name]()), None, 1000
    return models_torch.build(name, False), [784] if name.startswith("mlp") else [1, 28, 28], 10


class Cell:
    def __init__(self, task, model, size, batch, threads):
        torch.set_num_threads(threads)
        self.threads = threads
        self.model, shape, classes = build(model)
        shape = shape or [3, size, size]
        generator = torch.Generator().manual_seed(1)
        self.x = torch.rand([batch] + shape, generator=generator) * 2 - 1
        self.y = torch.randint(0, classes, [batch], generator=generator)
        if task == "train":
            self.model.train()
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=1e-4)
            self.loss = nn.CrossEntropyLoss()
            self.step = self.train_step
        else:
            self.model.eval()
            self.step = self.infer_step

    def train_step(self):
        self.optimizer.zero_grad(set_to_none=True)
        self.loss(self.model(self.x), self.y).backward()
        self.optimizer.step()

    def infer_step(self):
        with torch.no_grad():
            self.model(self.x)

    def round(self, steps):
        clock = time.thread_time if self.threads == 1 else time.process_time
        wall, cpu = time.perf_counter(), clock()
        for _ in range(steps):
            self.step()
        return {"wall": time.perf_counter() - wall, "cpu": clock() - cpu}


def main():
    cell = None
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["cmd"] == "setup":
                cell = Cell(request["task"], request["model"], request["size"], request["batch"], request["threads"])
                reply = {"ok": True, "torch": torch.__version__}
            elif request["cmd"] == "round":
                reply = cell.round(request["steps"])
            else:
                break
        except Exception as error:  # reported to the driver, which prints it and goes on without this peer
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
