using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.Pruning.TorchSharp.Benchmarks;

/// <summary>The benchmark architectures written as a TorchSharp user would write them: nn.Sequential of stock modules.</summary>
internal static class PeerModels
{
    public static Module<Tensor, Tensor> Build(string name) => name switch
    {
        "mlp-a" => Sequential(Linear(784, 300), ReLU(), Linear(300, 100), ReLU(), Linear(100, 10)),
        "mlp-b" => Sequential(Linear(784, 550), ReLU(), Linear(550, 375), ReLU(), Linear(375, 375), ReLU(), Linear(375, 375), ReLU(),
            Linear(375, 375), ReLU(), Linear(375, 10)),
        "lenet5" => Sequential(Conv2d(1, 6, 5, padding: 2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2),
            Flatten(), Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)),
        "vgg" => Sequential(Conv2d(1, 32, 3, padding: 1), ReLU(), Conv2d(32, 64, 3, padding: 1), ReLU(), MaxPool2d(2),
            Conv2d(64, 128, 3, padding: 1), ReLU(), MaxPool2d(2), Flatten(), Linear(6272, 256), ReLU(), Linear(256, 10)),
        _ => throw new ArgumentException($"Unknown model '{name}'.", nameof(name)),
    };
}
