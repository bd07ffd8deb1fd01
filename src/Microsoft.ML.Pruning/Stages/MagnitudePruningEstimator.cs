using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Zeroes the smallest weights (element-wise, masked so they stay zero through fine-tuning), or with
/// <see cref="MagnitudePruningOptions.Structured"/> removes the units with the smallest L2 norm (Han et al. 2015, Learning
/// both Weights and Connections for Efficient Neural Networks).
/// </summary>
public sealed class MagnitudePruningEstimator : PruningEstimator
{
    internal MagnitudePruningEstimator(MagnitudePruningOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
    }
}
