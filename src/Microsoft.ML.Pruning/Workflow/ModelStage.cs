using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// A stage that starts a model (the first stage of a run): it also fixes the rows that every stage of the run holds out
/// to measure accuracy, so that the stages' accuracies, and the run's accuracy budget, compare.
/// </summary>
public abstract record ModelStage : Stage
{
    private protected ModelStage(Network start, int seed)
        : base(seed)
    {
        ArgumentNullException.ThrowIfNull(start);
        Start = NetworkSerializer.Clone(start);
    }

    /// <summary>
    /// Gets the share of the rows held out, shuffled with <see cref="Stage.Seed"/>, to measure accuracy on. Every later
    /// stage of the run holds out these same rows; training never learns from them, nor picks its best epoch on them.
    /// </summary>
    /// <value>The default is 0.1; it must be in (0, 0.5].</value>
    public double ValidationFraction
    {
        get;
        init => field = value is > 0 and <= 0.5 ? value : throw new ArgumentOutOfRangeException(nameof(ValidationFraction), value, $"ValidationFraction must be in (0, 0.5]; got {value}.");
    } = 0.1;

    /// <summary>Gets the network the stage starts from (the stage's own copy; the runner works on a copy of it).</summary>
    internal Network Start { get; }
}
