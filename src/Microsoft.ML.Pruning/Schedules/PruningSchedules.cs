namespace Microsoft.ML.Pruning.Schedules;

/// <summary>
/// The built-in pruning schedules of the engine (<see cref="Loop.PrunerOptions.Schedule"/>,
/// <see cref="Workflow.PruningStage"/>): one-shot, fixed rate, polynomial (automated gradual pruning) and adaptive rate.
/// </summary>
/// <remarks>
/// In an ML.NET pipeline the same schedules are the estimators <see cref="Stages.FixedRateScheduler"/>,
/// <see cref="Stages.PolynomialScheduler"/> and <see cref="Stages.AdaptiveRateScheduler"/> (a pruning estimator alone
/// prunes once); <see cref="Stages.CustomScheduleOptions"/> runs any <see cref="IPruningSchedule"/>, including the ones
/// made here. A schedule of your own implements <see cref="IPruningSchedule"/>.
/// </remarks>
public static class PruningSchedules
{
    /// <summary>Prunes once at a fixed rate, then stops.</summary>
    /// <param name="rate">The fraction of the prunable units (or weights) to remove, greater than 0 and less than 1.</param>
    /// <returns>The schedule, named <c>one-shot {rate}</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in (0, 1).</exception>
    /// <remarks>
    /// The direct (one-shot) pruning that seeds/004 (Fig. 11) compares with iterative pruning: all the pruning happens in
    /// one step, followed by one fine-tuning. The step is still checked against the accuracy budget and rolled back when
    /// it breaks it.
    /// </remarks>
    public static IPruningSchedule OneShot(double rate) => new OneShotSchedule(rate);

    /// <summary>Prunes iteratively at one fixed rate until a step breaks the accuracy budget or a step limit is reached.</summary>
    /// <param name="rate">The fraction of the remaining units (or weights) each step removes, in (0, 1). The default is 0.2, as in seeds/002 Table I.</param>
    /// <param name="maximumSteps">The most steps to take, at least 1. The default is 100.</param>
    /// <returns>The schedule, named <c>fixed rate {rate}</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it.</exception>
    /// <remarks>
    /// The static pruning rate of seeds/002 (Esfandiarpoor et al., "Simplified Neural Network Based on Auxiliary Layer and
    /// Adaptive Pruning Rate", section A.1 and Table I): every step removes the same fraction of what remains, and the run
    /// ends at the first step whose fine-tuned accuracy falls outside the budget (that step is rolled back).
    /// </remarks>
    public static IPruningSchedule FixedRate(double rate = 0.2, int maximumSteps = 100) => new FixedRateSchedule(rate, maximumSteps);

    /// <summary>
    /// Automated gradual pruning: the cumulative sparsity follows a polynomial that rises fast at first and flattens out,
    /// reaching <paramref name="finalSparsity"/> after <paramref name="steps"/> steps.
    /// </summary>
    /// <param name="finalSparsity">The cumulative sparsity after the last step, in (0, 1).</param>
    /// <param name="steps">The number of steps n, at least 1.</param>
    /// <param name="initialSparsity">The curve's starting sparsity s_i, in [0, <paramref name="finalSparsity"/>). The default is 0.</param>
    /// <param name="power">The polynomial's exponent, positive. The default is 3, as in Zhu and Gupta.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it.</exception>
    /// <remarks>
    /// Zhu and Gupta, "To prune, or not to prune: exploring the efficacy of pruning for model compression" (2017), as
    /// TensorFlow Model Optimization's <c>PolynomialDecay</c>: after step t of n the target cumulative sparsity is
    /// s_t = s_f + (s_i − s_f)·(1 − t/n)^power. Each step's rate is planned from what remains
    /// (<see cref="PruningScheduleContext.RemainingFraction"/>), so a structural method that rounds a step down catches up
    /// at the next one and reaches s_f after the n-th step. A rejected step ends the schedule.
    /// </remarks>
    public static IPruningSchedule Polynomial(double finalSparsity, int steps, double initialSparsity = 0, double power = 3) =>
        new PolynomialSchedule(finalSparsity, steps, initialSparsity, power);

    /// <summary>
    /// Searches each step's rate: starting from <paramref name="initialRate"/> (or, optionally, the previous step's rate),
    /// raises it by <paramref name="step"/> while a probe (prune a copy, evaluate without fine-tuning) stays within the
    /// accuracy budget, and takes the last rate that did.
    /// </summary>
    /// <param name="initialRate">The rate the first step's search starts from, in (0, 1). The default is 0.1, as in the paper.</param>
    /// <param name="step">The increment of the search, in (0, 1). The default is 0.05, as in the paper.</param>
    /// <param name="maximumRate">The largest rate, in [<paramref name="initialRate"/>, 1). The default is 0.95.</param>
    /// <param name="restartEachStep">Whether every step's search starts from <paramref name="initialRate"/> (the default) or from the previous step's rate.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it.</exception>
    /// <remarks>
    /// Algorithm 1 (adaptive pruning) of seeds/002: Esfandiarpoor, Hajabdollahi and Karimi, "Simplified Neural Network
    /// Based on Auxiliary Layer and Adaptive Pruning Rate". The starting rate itself is not probed (as in the paper), so a
    /// step may still fail after fine-tuning; the loop then rolls it back. A rejected step, or a starting rate of 0 or
    /// less, ends the schedule.
    /// </remarks>
    public static IPruningSchedule AdaptiveRate(double initialRate = 0.1, double step = 0.05, double maximumRate = 0.95, bool restartEachStep = true) =>
        new AdaptiveRateSchedule(initialRate, step, maximumRate, restartEachStep);
}
