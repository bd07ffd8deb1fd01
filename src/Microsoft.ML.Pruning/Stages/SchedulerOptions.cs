namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options every scheduler shares; the wrapped pruning stage keeps its own options (budget, fine-tuning, columns).</summary>
public abstract class SchedulerOptions
{
    private protected SchedulerOptions()
    {
    }

    /// <summary>Gets or sets the most pruning steps the scheduler takes.</summary>
    /// <value>The default is 100; it must be at least 1.</value>
    public int MaximumSteps { get; set; } = 100;

    /// <summary>Checks the options; throws for the first bad one, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (its ParamName is the option).</exception>
    public virtual void Validate()
    {
        OptionChecks.Require(MaximumSteps >= 1, nameof(MaximumSteps), MaximumSteps, "must be at least 1");
    }

    internal SchedulerOptions Copy() => (SchedulerOptions)MemberwiseClone();

    /// <summary>Creates the schedule (a custom schedule is given beside its options instead).</summary>
    internal virtual IPruningSchedule CreateSchedule() => throw new InvalidOperationException($"{GetType().Name} needs a schedule of your own.");

    /// <summary>Returns the width of the auxiliary layer inserted once pruning converges, or <see langword="null"/>.</summary>
    internal virtual int? AuxiliaryUnits() => null;
}
