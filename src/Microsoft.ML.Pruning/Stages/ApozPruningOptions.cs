using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="ApozPruningEstimator"/>: the shared pruning options; APoZ has no settings of its own.</summary>
public sealed class ApozPruningOptions : PruningStageOptions
{
    internal override PruningMethod CreateMethod() => new StructuredPruning(new ApozImportance(), StructuredOptions());
}
