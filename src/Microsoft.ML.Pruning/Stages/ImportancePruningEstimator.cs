using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Structured pruning by a criterion of your own (<see cref="IImportance"/>), with the same budget, fine-tuning and schedulers as the built-in ones.</summary>
public sealed class ImportancePruningEstimator : PruningEstimator
{
    internal ImportancePruningEstimator(ImportancePruningOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
    }
}
