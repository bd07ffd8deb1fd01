using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// Batch normalization over channels ([batch, channels] or [batch, channels, height, width]) with the managed layer's
/// epsilon and momentum; a training pass updates the running statistics as the managed engine does (unbiased variance).
/// </summary>
internal sealed class BatchNormModule : TorchLayer
{
    private readonly Tensor _scale;
    private readonly Tensor _shift;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningVariance;
    private readonly double _epsilon;
    private readonly double _momentum;

    public BatchNormModule(BatchNorm layer, Device device)
        : base(layer)
    {
        _scale = AddParameter(layer.Scale, device);
        _shift = AddParameter(layer.Shift, device);
        _runningMean = AddBuffer(layer.RunningMean, device);
        _runningVariance = AddBuffer(layer.RunningVariance, device);
        _epsilon = layer.Epsilon;
        _momentum = layer.Momentum;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        nn.functional.batch_norm(inputs[0], _runningMean, _runningVariance, _scale, _shift, training, _momentum, _epsilon);
}
