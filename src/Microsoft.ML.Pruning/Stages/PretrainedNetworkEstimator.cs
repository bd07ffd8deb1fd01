using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// A model stage that starts from a trained network: an ONNX model (file or stream) or a <see cref="Network"/>. Its fit
/// checks the columns against the model and measures it on the held-out rows; it does not train.
/// </summary>
public sealed class PretrainedNetworkEstimator : NetworkStageEstimator
{
    private readonly Network _network;
    private readonly string _source;

    internal PretrainedNetworkEstimator(Network network, string source, PretrainedNetworkOptions options, int contextSeed)
        : base(options, contextSeed)
    {
        _network = NetworkSerializer.Clone(network);
        _source = source;
    }

    private protected override bool StartsModel => true;

    private protected override Network StartingNetwork() => _network;

    private protected override (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation)
    {
        var measured = ModelMeasurement.Measure(network, validation, Settings.MeasureLatency, CancellationToken.None);
        return (network, new PruningReport { Method = _source, Schedule = "none", Baseline = measured, Final = measured }, false);
    }
}
