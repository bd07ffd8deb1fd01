using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>Removes the hidden units (neurons or filters) whose ReLU outputs are most often zero over calibration data: APoZ, Hu et al. 2016.</summary>
public sealed class ApozPruningEstimator : PruningEstimator
{
    internal ApozPruningEstimator(PruningContext context, ApozPruningOptions options)
        : base(context, options)
    {
        Options = options;
    }

    /// <summary>Gets the options the stage was built with.</summary>
    public new ApozPruningOptions Options { get; }

    internal override PruningMethod CreateMethod() => new StructuredPruning(new ApozImportance(), Options.StructuredOptions());
}
