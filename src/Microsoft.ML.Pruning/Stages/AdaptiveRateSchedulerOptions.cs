using Microsoft.ML.Pruning.Schedules;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="AdaptiveRateScheduler"/>.</summary>
public sealed class AdaptiveRateSchedulerOptions : SchedulerOptions
{
    /// <summary>Gets or sets the rate of the first attempt of each step.</summary>
    /// <value>The default is 0.1; it must be in (0, 1).</value>
    public double InitialRate { get; set; } = 0.1;

    /// <summary>Gets or sets how much the rate grows after an accepted attempt (and shrinks after a rejected one).</summary>
    /// <value>The default is 0.05; it must be in (0, 1).</value>
    public double Step { get; set; } = 0.05;

    /// <summary>Gets or sets the highest rate tried.</summary>
    /// <value>The default is 0.95; it must be in [InitialRate, 1).</value>
    public double MaximumRate { get; set; } = 0.95;

    /// <summary>Gets or sets whether every step's search restarts at <see cref="InitialRate"/> (or continues from the previous rate).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RestartEachStep { get; set; } = true;

    /// <summary>Gets or sets the width of the auxiliary layer inserted once pruning converges, or <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>; when set, at least 1.</value>
    public int? AuxiliaryLayerUnits { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(InitialRate is > 0 and < 1, nameof(InitialRate), InitialRate, "must be in (0, 1)");
        OptionChecks.Require(Step is > 0 and < 1, nameof(Step), Step, "must be in (0, 1)");
        OptionChecks.Require(MaximumRate is > 0 and < 1 && MaximumRate >= InitialRate, nameof(MaximumRate), MaximumRate, "must be in [InitialRate, 1)");
        OptionChecks.Require(AuxiliaryLayerUnits is null or >= 1, nameof(AuxiliaryLayerUnits), AuxiliaryLayerUnits, "must be at least 1 when set");
        _ = CreateSchedule();
    }

    internal override int? AuxiliaryUnits() => AuxiliaryLayerUnits;

    internal override IPruningSchedule CreateSchedule() => new AdaptiveRateSchedule(InitialRate, Step, MaximumRate, RestartEachStep);
}
