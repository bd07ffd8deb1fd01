using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>An estimator followed by a stage: fits the first, then the stage on the first's network.</summary>
internal sealed class EstimatorChain : NetworkEstimator
{
    private readonly NetworkEstimator _first;
    private readonly StageEstimator _next;

    public EstimatorChain(PruningContext context, NetworkEstimator first, StageEstimator next)
        : base(context)
    {
        _first = first;
        _next = next;
    }

    private protected override NetworkTransformer FitCore(FitContext context)
    {
        var before = _first.FitInternal(context);
        if (before.Cancelled)
        {
            return before;
        }

        var after = _next.FitOn(before.Network, context);
        var reports = before.StageReports.Concat(after.StageReports).ToArray();
        return new NetworkTransformer(after.Network, StageEstimator.Combine(reports), reports, after.Cancelled);
    }

    private protected override (int[] Input, int[] Output) ModelShapes() => _first.ModelShapesInternal();
}
