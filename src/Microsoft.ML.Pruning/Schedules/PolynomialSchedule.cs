namespace Microsoft.ML.Pruning.Schedules;

/// <summary>
/// Automated gradual pruning: the cumulative sparsity follows a polynomial that rises fast at first and flattens out,
/// reaching a final sparsity after a fixed number of steps.
/// </summary>
/// <remarks>
/// <para>
/// Zhu and Gupta, "To prune, or not to prune: exploring the efficacy of pruning for model compression" (2017), as
/// TensorFlow Model Optimization's <c>PolynomialDecay</c>: after step t of n the target cumulative sparsity is
/// s_t = s_f + (s_i − s_f)·(1 − t/n)^power. A step's rate is the fraction of what remains that it removes,
/// 1 − (1 − s_t)/(1 − s_{t−1}) when every step removes exactly what it is asked, so the rates compound to s_f after
/// the n-th step.
/// </para>
/// <para>
/// The run is assumed to start from the model as given, counted as sparsity 0: the first step prunes straight to s_1
/// (which is at least s_i, the jump TensorFlow makes at its begin step). Each step's rate is planned from what
/// remains, 1 − (1 − s_t)/r with r the context's <see cref="PruningScheduleContext.RemainingFraction"/>, so a
/// structural method that removes whole units (and so rounds a step down) catches up at the next step and reaches
/// s_f after the n-th: half of 16 units in 5 steps ends at 8 units (13, 10, 9, 9, 8). Without a count (a method
/// whose <see cref="PruningMethod.CountPrunable"/> is <see langword="null"/>) r is the ideal 1 − s_{t−1}. A step that
/// removes nothing does not end the schedule. A rejected step ends it (the loop rolls it back).
/// </para>
/// </remarks>
internal sealed class PolynomialSchedule : IPruningSchedule
{
    // The largest rate a step may ask for: a rate must be below 1.
    private const double MaxRate = 1 - 1e-12;

    /// <summary>Creates the schedule.</summary>
    /// <param name="finalSparsity">The cumulative sparsity after the last step, in (0, 1).</param>
    /// <param name="steps">The number of steps n, at least 1.</param>
    /// <param name="initialSparsity">The curve's starting sparsity s_i, in [0, <paramref name="finalSparsity"/>). The default is 0.</param>
    /// <param name="power">The polynomial's exponent, positive. The default is 3, as in Zhu and Gupta.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it.</exception>
    public PolynomialSchedule(double finalSparsity, int steps, double initialSparsity = 0, double power = 3)
    {
        FinalSparsity = ScheduleArguments.OpenFraction(finalSparsity, nameof(finalSparsity));
        Steps = ScheduleArguments.AtLeastOne(steps, nameof(steps));
        if (!(initialSparsity >= 0 && initialSparsity < finalSparsity))
        {
            throw new ArgumentOutOfRangeException(nameof(initialSparsity), initialSparsity, $"initialSparsity must be at least 0 and less than finalSparsity ({finalSparsity}).");
        }

        if (!(power > 0) || !double.IsFinite(power))
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "power must be positive and finite.");
        }

        InitialSparsity = initialSparsity;
        Power = power;
    }

    /// <summary>Gets the cumulative sparsity after the last step.</summary>
    public double FinalSparsity { get; }

    /// <summary>Gets the number of steps.</summary>
    public int Steps { get; }

    /// <summary>Gets the curve's starting sparsity.</summary>
    public double InitialSparsity { get; }

    /// <summary>Gets the polynomial's exponent.</summary>
    public double Power { get; }

    /// <inheritdoc/>
    public string Name =>
        $"polynomial {ScheduleArguments.Format(InitialSparsity)} to {ScheduleArguments.Format(FinalSparsity)} in {Steps} steps, power {ScheduleArguments.Format(Power)}";

    /// <summary>Gets the target cumulative sparsity after <paramref name="step"/> steps: 0 before the first, s_t for t = 1..n.</summary>
    /// <param name="step">The number of steps taken, from 0 to <see cref="Steps"/>.</param>
    /// <returns>The fraction of the prunable units (or weights) removed by then.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is outside [0, <see cref="Steps"/>].</exception>
    public double CumulativeSparsity(int step)
    {
        if (step < 0 || step > Steps)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"step must be in [0, {Steps}].");
        }

        return step == 0 ? 0 : FinalSparsity + ((InitialSparsity - FinalSparsity) * Math.Pow(1 - ((double)step / Steps), Power));
    }

    /// <summary>Returns the rate of the next step, or <see langword="null"/> after <see cref="Steps"/> steps or a rejected step.</summary>
    /// <param name="context">The context; its history and <see cref="PruningScheduleContext.RemainingFraction"/> are read.</param>
    /// <returns>The rate, or <see langword="null"/> to stop.</returns>
    public double? NextRate(PruningScheduleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int step = context.History.Count + 1;
        if (step > Steps || ScheduleArguments.LastStepRejected(context))
        {
            return null;
        }

        // What remains as the method counts it; the ideal previous target only when it cannot count.
        double remaining = context.RemainingFraction ?? (1 - CumulativeSparsity(step - 1));
        double rate = remaining > 0 ? 1 - ((1 - CumulativeSparsity(step)) / remaining) : 0;

        // Already at this step's target (a step may remove more than it was asked): ask for a rate too small to remove
        // anything, so that the step is taken as empty and the next one aims at its own target.
        return rate > 0 ? Math.Min(rate, MaxRate) : double.Epsilon;
    }
}
