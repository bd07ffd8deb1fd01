using Microsoft.ML.Pruning.Schedules;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="PolynomialScheduler"/> (Zhu and Gupta's gradual schedule).</summary>
public sealed class PolynomialSchedulerOptions : SchedulerOptions
{
    /// <summary>Creates options with 5 steps.</summary>
    public PolynomialSchedulerOptions()
    {
        MaximumSteps = 5;
    }

    /// <summary>Gets or sets the sparsity reached after the last step.</summary>
    /// <value>The default is 0.5; it must be in (0, 1).</value>
    public double FinalSparsity { get; set; } = 0.5;

    /// <summary>Gets or sets the sparsity the schedule starts from.</summary>
    /// <value>The default is 0; it must be in [0, FinalSparsity).</value>
    public double InitialSparsity { get; set; }

    /// <summary>Gets or sets the exponent of the schedule (3 in the paper).</summary>
    /// <value>The default is 3; it must be positive.</value>
    public double Power { get; set; } = 3;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(FinalSparsity is > 0 and < 1, nameof(FinalSparsity), FinalSparsity, "must be in (0, 1)");
        OptionChecks.Require(InitialSparsity >= 0 && InitialSparsity < FinalSparsity, nameof(InitialSparsity), InitialSparsity, "must be in [0, FinalSparsity)");
        OptionChecks.Require(Power > 0 && double.IsFinite(Power), nameof(Power), Power, "must be positive and finite");
        _ = CreateSchedule();
    }

    internal override IPruningSchedule CreateSchedule() => new PolynomialSchedule(FinalSparsity, MaximumSteps, InitialSparsity, Power);
}
