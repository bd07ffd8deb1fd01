using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// What a run of stages has left so far: the model, one report per stage, and what the next stage needs to continue
/// the run (the held-out rows and the run's budget). Pass it to <see cref="StageRunner.Run(Stage, StageResult?, Data.IBatchSource, IProgress{Loop.PruningProgress}?, IProgress{string}?, CancellationToken)"/> with the next stage.
/// </summary>
public sealed class StageResult
{
    internal StageResult(Network network, IReadOnlyList<PruningReport> stageReports, bool cancelled, HeldOutSplit split, double? allowedDrop)
    {
        Network = network;
        StageReports = stageReports;
        Cancelled = cancelled;
        Split = split;
        AllowedDrop = allowedDrop;
        Report = ReportChain.Combine(stageReports, allowedDrop);
    }

    /// <summary>Gets the model. The runner never changes it: the next stage works on a copy.</summary>
    public Network Network { get; }

    /// <summary>Gets one report per stage, in order, the model stage's first.</summary>
    public IReadOnlyList<PruningReport> StageReports { get; }

    /// <summary>
    /// Gets the run's report: its baseline is the model as it entered the first stage after the model stage, its final
    /// model this one, with every step between; with only a model stage, that stage's report.
    /// </summary>
    public PruningReport Report { get; }

    /// <summary>Gets whether a stage was cancelled; <see cref="Network"/> is then the best model found before the cancellation.</summary>
    public bool Cancelled { get; }

    /// <summary>Gets whether a pruning stage kept a step that removed something (every step may have been rolled back).</summary>
    public bool PrunedAnything => StageReports.Skip(1).Any(r => r.Removed > 0);

    /// <summary>Gets the rows the run holds out.</summary>
    internal HeldOutSplit Split { get; }

    /// <summary>Gets the accuracy drop from the run's baseline that its last pruning stage allowed, or <see langword="null"/> before any.</summary>
    internal double? AllowedDrop { get; }

    /// <summary>Gets what the model stage set up for the whole run: the normalisation folded into the network, the head, the frozen layers.</summary>
    internal TransferSetup Transfer { get; init; } = TransferSetup.None;

    /// <summary>Returns this result marked cancelled (a stage that was cancelled before it began adds nothing).</summary>
    internal StageResult AsCancelled() => Cancelled ? this : new StageResult(Network, StageReports, cancelled: true, Split, AllowedDrop) { Transfer = Transfer };
}
