using Microsoft.ML.Pruning.Workflow;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Trains the model the stage before it produced for more epochs (Adam, the best epoch kept, picked on a seeded tenth of
/// the training rows). A shell over <see cref="FineTuningStage"/>.
/// </summary>
public sealed class FineTuningEstimator : NetworkStageEstimator
{
    internal FineTuningEstimator(FineTuningOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
        Stage = new FineTuningStage(Settings.Training(), Seed) { MeasureLatency = Settings.MeasureLatency };
    }

    internal override Stage Stage { get; }
}
