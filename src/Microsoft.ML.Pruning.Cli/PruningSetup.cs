using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>What the command line asks of one pruning run, turned into the engine's <see cref="PruningStage"/>.</summary>
/// <param name="Method">The criterion.</param>
/// <param name="Schedule">The schedule.</param>
/// <param name="Rate">One-shot and fixed: the rate of each step; polynomial: the final sparsity.</param>
/// <param name="Steps">Polynomial: the number of steps; fixed and adaptive: the most steps.</param>
/// <param name="MaximumAccuracyDrop">The budget in accuracy units (0.005 is half a point).</param>
/// <param name="FineTuningEpochs">Fine-tuning epochs after each step; 0 skips fine-tuning.</param>
/// <param name="LearningRate">Adam's learning rate of fine-tuning.</param>
/// <param name="RoundTo">The multiple of units each layer keeps.</param>
/// <param name="Layers">The layers to prune, or null for every hidden one.</param>
/// <param name="AuxiliaryUnits">Adaptive only: the auxiliary layer's width, or null.</param>
/// <param name="MeasureLatency">Whether the report measures latency.</param>
/// <param name="Seed">The seed of the calibration sample, fine-tuning and new weights.</param>
internal sealed record PruningSetup(CliMethod Method, CliSchedule Schedule, double Rate, int Steps, double MaximumAccuracyDrop, int FineTuningEpochs,
    double LearningRate, int RoundTo, IReadOnlyList<string>? Layers, int? AuxiliaryUnits, bool MeasureLatency, int Seed)
{
    /// <summary>The mini-batch size of training and fine-tuning.</summary>
    public const int BatchSize = 128;

    /// <summary>The step limit of a one-shot run (it stops after its one step anyway).</summary>
    private const int OneShotSteps = 100;

    /// <summary>Builds the engine's pruning stage, which <see cref="StageRunner"/> runs after the model stage.</summary>
    public PruningStage ToStage() => new(CreateMethod(), Schedule switch
    {
        CliSchedule.Fixed => PruningSchedules.FixedRate(Rate, Steps),
        CliSchedule.Polynomial => PruningSchedules.Polynomial(Rate, Steps),
        CliSchedule.Adaptive => PruningSchedules.AdaptiveRate(),
        _ => PruningSchedules.OneShot(Rate),
    }, Seed)
    {
        MaximumAccuracyDrop = MaximumAccuracyDrop,
        // No fine-tuning: the loop takes no trainer (a trainer needs at least one epoch).
        FineTuning = FineTuningEpochs == 0 ? null : Training(FineTuningEpochs, LearningRate),
        CalibrationSamples = CalibrationSampler.DefaultCount,
        MaximumSteps = Schedule == CliSchedule.OneShot ? OneShotSteps : Steps,
        AuxiliaryLayerUnits = AuxiliaryUnits,
        MeasureLatency = MeasureLatency,
    };

    /// <summary>Adam with the given rate, batches of <see cref="BatchSize"/>, keeping the best epoch.</summary>
    public static StageTrainingOptions Training(int epochs, double learningRate) => new(epochs) { BatchSize = BatchSize, LearningRate = learningRate };

    /// <summary>The unit criterion of a structured method, for <see cref="StructuredPruning"/>.</summary>
    public static IImportance CreateImportance(CliMethod method) => method switch
    {
        CliMethod.Apoz => new ApozImportance(),
        CliMethod.L1 => new WeightNormImportance(WeightNorm.L1),
        CliMethod.L2 => new WeightNormImportance(WeightNorm.L2),
        CliMethod.Taylor => new TaylorImportance(),
        CliMethod.Distinctiveness => new DistinctivenessImportance(),
        _ => throw new UserException($"--method {method.ToString().ToLowerInvariant()} masks single weights and has no unit criterion."),
    };

    private PruningMethod CreateMethod()
    {
        if (Method == CliMethod.Magnitude)
        {
            return new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions { Mode = MagnitudeThreshold.Rate, Layers = Layers, IncludeOutputLayer = true });
        }

        var importance = CreateImportance(Method);
        var structured = new StructuredPruningOptions { Layers = Layers, RoundTo = RoundTo };
        if (importance is DistinctivenessImportance distinctiveness)
        {
            // Distinctiveness removes the units under its similarity angle; the rate caps how many go per step.
            structured.ScoreThreshold = distinctiveness.SimilarAngle;
        }

        return new StructuredPruning(importance, structured);
    }
}
