using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="TaylorPruningEstimator"/>.</summary>
public sealed class TaylorPruningOptions : PruningStageOptions
{
    /// <summary>Gets or sets whether each layer's scores are divided by their L2 norm before global ranking.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool NormalizePerLayer { get; set; }

    internal override PruningMethod CreateMethod() => new StructuredPruning(new TaylorImportance(NormalizePerLayer), StructuredOptions());
}
