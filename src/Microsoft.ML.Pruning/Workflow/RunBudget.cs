using System.Globalization;
using Microsoft.ML.Pruning.Loop;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// A pruning stage's share of the run's accuracy budget. The budget is measured from the run's baseline (the model as
/// it entered the first stage after the model stage, on the held-out rows), so a stage may lose only what the stages
/// before it left: its own allowed drop, from its own starting accuracy, is the run's allowed drop less the drop so far.
/// </summary>
/// <param name="StageDrop">The drop the stage's steps may cause from the stage's own starting accuracy.</param>
/// <param name="StageKind">How <paramref name="StageDrop"/> is meant (the stage's own kind for the run's first stage, else absolute).</param>
/// <param name="RunAllowedDrop">The run's allowed drop from its baseline, or <see langword="null"/> when this stage's own baseline is the run's (the pruning loop computes it).</param>
/// <param name="Spent">A message when the stages before this one already spent the budget, or <see langword="null"/>.</param>
internal sealed record RunBudget(double StageDrop, BudgetKind StageKind, double? RunAllowedDrop, string? Spent)
{
    /// <summary>Works out the budget of <paramref name="stage"/> after <paramref name="previous"/>.</summary>
    public static RunBudget For(PruningStage stage, StageResult previous)
    {
        // The run's baseline is the model as it entered the first stage after the model stage; until that stage has
        // run, this stage is that stage, and its own baseline is the run's.
        if (previous.StageReports.Count < 2 || previous.StageReports[1].Baseline.Accuracy is not { } baseline)
        {
            return new RunBudget(stage.MaximumAccuracyDrop, stage.BudgetKind, null, null);
        }

        double allowed = AccuracyBudget.AllowedDrop(stage.MaximumAccuracyDrop, stage.BudgetKind, baseline);
        double current = previous.Report.Final.Accuracy ?? baseline;
        double left = allowed - (baseline - current);
        string? spent = left >= -AccuracyBudget.Tolerance ? null : string.Create(CultureInfo.InvariantCulture,
            $"{stage.ReportMethod}: the run's budget is already spent: the model it was given is {(baseline - current) * 100:0.##} points below the run's baseline of {baseline * 100:0.00} %, and {allowed * 100:0.##} are allowed; it keeps only steps that lose no accuracy.");
        return new RunBudget(Math.Clamp(left, 0, 1), BudgetKind.Absolute, allowed, spent);
    }
}
