using TorchSharp;
using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// Inverted dropout: the identity at inference; in training each element is kept with probability 1 - p and scaled by
/// 1 / (1 - p). The masks come from a generator seeded by the training run, so they differ from the managed engine's.
/// </summary>
internal sealed class DropoutModule(Dropout layer, Generator generator) : TorchLayer(layer)
{
    private readonly double _probability = layer.Probability;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var input = inputs[0];
        if (!training || _probability == 0)
        {
            return input;
        }

        using var mask = torch.empty_like(input).bernoulli_(1 - _probability, generator);
        return input * mask / (1 - _probability);
    }
}
