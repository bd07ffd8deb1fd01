using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes units whose activation vectors are near-duplicates or complements of another's (Gedeon and Harris 1991, Network reduction techniques).</summary>
public sealed class DistinctivenessPruningEstimator : PruningEstimator
{
    internal DistinctivenessPruningEstimator(DistinctivenessPruningOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
    }
}
