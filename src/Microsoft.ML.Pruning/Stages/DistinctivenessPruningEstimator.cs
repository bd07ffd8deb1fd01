using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes units whose activation vectors are near-duplicates or complements of another's (Gedeon and Harris 1991, Network reduction techniques).</summary>
public sealed class DistinctivenessPruningEstimator : PruningEstimator
{
    internal DistinctivenessPruningEstimator(DistinctivenessPruningOptions options, int contextSeed)
        : base(options, contextSeed)
    {
    }

    private DistinctivenessPruningOptions Options => (DistinctivenessPruningOptions)Settings;

    internal override PruningMethod CreateMethod() => new StructuredPruning(new DistinctivenessImportance(Options.Centering, Options.SimilarAngle, Options.ComplementaryAngle), Options.StructuredOptions(Options.SimilarAngle));
}
