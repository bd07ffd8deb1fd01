using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// A model stage that starts from a trained network (an ONNX model, a native file, a network in memory): it measures the
/// network on the held-out rows and does not train it.
/// </summary>
public sealed record PretrainedStage : ModelStage
{
    /// <summary>Creates the stage.</summary>
    /// <param name="network">The trained network; copied, never changed.</param>
    /// <param name="source">Where it came from, as the report names it (for example <c>ONNX model resnet18.onnx</c>).</param>
    /// <param name="seed">The seed of the held-out split.</param>
    public PretrainedStage(Network network, string source, int seed)
        : base(network, seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        Source = source;
    }

    /// <summary>Gets where the network came from.</summary>
    public string Source { get; }

    internal override string ReportMethod => Source;

    internal override string ReportSchedule => "none";
}
