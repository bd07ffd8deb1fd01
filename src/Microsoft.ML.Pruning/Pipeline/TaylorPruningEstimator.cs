using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>Removes the units with the smallest first-order Taylor estimate of their effect on the loss, mean |activation x gradient|: Molchanov et al. 2017.</summary>
public sealed class TaylorPruningEstimator : PruningEstimator
{
    internal TaylorPruningEstimator(PruningContext context, TaylorPruningOptions options)
        : base(context, options)
    {
        Options = options;
    }

    /// <summary>Gets the options the stage was built with.</summary>
    public new TaylorPruningOptions Options { get; }

    internal override PruningMethod CreateMethod() => new StructuredPruning(new TaylorImportance(Options.NormalizePerLayer), Options.StructuredOptions());
}
