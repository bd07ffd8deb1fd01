using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>Removes one unit of each pair whose activation vectors are nearly parallel (under SimilarAngle degrees) or opposite (over ComplementaryAngle): Gedeon and Harris 1991.</summary>
public sealed class DistinctivenessPruningEstimator : PruningEstimator
{
    internal DistinctivenessPruningEstimator(PruningContext context, DistinctivenessPruningOptions options)
        : base(context, options)
    {
        Options = options;
    }

    /// <summary>Gets the options the stage was built with.</summary>
    public new DistinctivenessPruningOptions Options { get; }

    internal override PruningMethod CreateMethod() => new StructuredPruning(new DistinctivenessImportance(Options.Centering, Options.SimilarAngle, Options.ComplementaryAngle), Options.StructuredOptions(Options.SimilarAngle));
}
