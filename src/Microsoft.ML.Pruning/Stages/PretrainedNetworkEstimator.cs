using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// A model stage that starts from a trained network: an ONNX model (file or stream) or a <see cref="Network"/>. Its fit
/// checks the columns against the model and measures it on the held-out rows; it does not train. A shell over
/// <see cref="PretrainedStage"/>.
/// </summary>
public sealed class PretrainedNetworkEstimator : NetworkStageEstimator
{
    internal PretrainedNetworkEstimator(Network network, string source, PretrainedNetworkOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
        Stage = new PretrainedStage(network, source, Seed) { ValidationFraction = Settings.ValidationFraction, MeasureLatency = Settings.MeasureLatency };
    }

    internal override Stage Stage { get; }
}
