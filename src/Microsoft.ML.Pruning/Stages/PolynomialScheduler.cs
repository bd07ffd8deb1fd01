using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Raises the sparsity along Zhu and Gupta's polynomial curve (2017, To prune, or not to prune) over a fixed number of steps.</summary>
public sealed class PolynomialScheduler : SchedulerEstimator
{
    internal PolynomialScheduler(PruningEstimator stage, PolynomialSchedulerOptions options, IHostEnvironment? environment)
        : base(stage, options, null, environment)
    {
    }
}
