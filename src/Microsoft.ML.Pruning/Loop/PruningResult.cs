using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>The outcome of <see cref="Pruner.Run"/>: the pruned network and the report of the run.</summary>
public sealed class PruningResult
{
    internal PruningResult(Network network, PruningReport report)
    {
        Network = network;
        Report = report;
        Cancelled = report.Cancelled;
    }

    /// <summary>Gets the pruned network: the last model within the accuracy budget (a copy; the input network is untouched).</summary>
    public Network Network { get; }

    /// <summary>Gets the report: the baseline, every step (rejected ones included) and the final model.</summary>
    public PruningReport Report { get; }

    /// <summary>Gets whether the run was cancelled; <see cref="Network"/> is then the best model accepted before cancellation.</summary>
    public bool Cancelled { get; }
}
