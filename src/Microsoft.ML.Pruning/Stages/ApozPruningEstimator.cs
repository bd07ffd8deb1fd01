using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes the units whose activations are most often zero: Average Percentage of Zeros (Hu et al. 2016, Network Trimming).</summary>
public sealed class ApozPruningEstimator : PruningEstimator
{
    internal ApozPruningEstimator(ApozPruningOptions options, int contextSeed)
        : base(options, contextSeed)
    {
    }

    private ApozPruningOptions Options => (ApozPruningOptions)Settings;

    internal override PruningMethod CreateMethod() => new StructuredPruning(new ApozImportance(), Options.StructuredOptions());
}
