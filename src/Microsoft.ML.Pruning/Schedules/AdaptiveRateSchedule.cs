using Microsoft.ML.Pruning.Loop;

namespace Microsoft.ML.Pruning.Schedules;

/// <summary>
/// Searches each step's rate: starting from the initial rate (or, optionally, the previous step's rate), raises it while
/// a probe (prune a copy, evaluate without fine-tuning) stays within the accuracy budget, and takes the last rate that did.
/// </summary>
/// <remarks>
/// <para>
/// Algorithm 1 (adaptive pruning) of seeds/002: Esfandiarpoor, Hajabdollahi and Karimi, "Simplified Neural Network
/// Based on Auxiliary Layer and Adaptive Pruning Rate". With PR the rate (<c>initialRate</c> at every step by default;
/// with <c>restartEachStep: false</c>, the previous step's rate after the first):
/// </para>
/// <code>
/// loop { PR += step; if (ProbeAccuracyDrop(PR) &gt; AllowedDrop) break; }
/// PR -= step; return PR;
/// </code>
/// <para>
/// The rate never exceeds <c>maximumRate</c>: the last increment is cut to reach it exactly, and the search ends there.
/// The starting rate itself is not probed (as in the paper), so the first step may still fail after fine-tuning; the
/// loop then rolls it back. A rejected step, or a starting rate of 0 or less, ends the schedule. The schedule keeps no
/// state: the starting rate is read from the context's history.
/// </para>
/// <para>
/// The pseudo-code's "Go to while" re-enters "Adaptive pruning (PR=0.1, step = 0.05)", and the paper's Table II shows
/// the rate falling between steps (0.29, then 0.26), which a search that starts from the previous rate cannot produce;
/// hence the default restarts from <c>initialRate</c>. On seeds/002's 80-60-40 MLP (samples/SeedExperiments 002) the
/// restarting search also leaves fewer weights, because after fine-tuning every rate above the last one fails its
/// untuned probe.
/// </para>
/// </remarks>
internal sealed class AdaptiveRateSchedule : IPruningSchedule
{
    private const int Decimals = 10;

    /// <summary>Creates the schedule.</summary>
    /// <param name="initialRate">The rate the first step's search starts from, in (0, 1). The default is 0.1, as in the paper.</param>
    /// <param name="step">The increment of the search, in (0, 1). The default is 0.05, as in the paper.</param>
    /// <param name="maximumRate">The largest rate, in [<paramref name="initialRate"/>, 1). The default is 0.95.</param>
    /// <param name="restartEachStep">Whether every step's search starts from <paramref name="initialRate"/> (the default) or from the previous step's rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it.</exception>
    public AdaptiveRateSchedule(double initialRate = 0.1, double step = 0.05, double maximumRate = 0.95, bool restartEachStep = true)
    {
        RestartEachStep = restartEachStep;
        InitialRate = ScheduleArguments.OpenFraction(initialRate, nameof(initialRate));
        Step = ScheduleArguments.OpenFraction(step, nameof(step));
        if (!(maximumRate >= initialRate && maximumRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maximumRate), maximumRate, $"maximumRate must be at least initialRate ({initialRate}) and less than 1.");
        }

        MaximumRate = maximumRate;
    }

    /// <summary>Gets the rate the first step's search starts from.</summary>
    public double InitialRate { get; }

    /// <summary>Gets the increment of the search.</summary>
    public double Step { get; }

    /// <summary>Gets the largest rate.</summary>
    public double MaximumRate { get; }

    /// <summary>Gets whether every step's search starts from <see cref="InitialRate"/> rather than the previous step's rate.</summary>
    public bool RestartEachStep { get; }

    /// <inheritdoc/>
    public string Name =>
        $"adaptive from {ScheduleArguments.Format(InitialRate)}, step {ScheduleArguments.Format(Step)}, at most {ScheduleArguments.Format(MaximumRate)}{(RestartEachStep ? "" : ", continuing")}";

    /// <summary>Searches the next step's rate with <see cref="PruningScheduleContext.ProbeAccuracyDrop"/>.</summary>
    /// <param name="context">The context: the history gives the starting rate, the probe and the allowed drop drive the search.</param>
    /// <returns>The rate, or <see langword="null"/> when the last step was rejected or the starting rate is not positive.</returns>
    public double? NextRate(PruningScheduleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ScheduleArguments.LastStepRejected(context))
        {
            return null;
        }

        double rate = Math.Min(context.History.Count == 0 || RestartEachStep ? InitialRate : context.History[^1].Rate, MaximumRate);
        if (!(rate > 0))
        {
            return null;
        }

        while (rate < MaximumRate)
        {
            // Rounded so that 0.1 + 0.05 + 0.05 is 0.2, not 0.20000000000000004.
            double candidate = Math.Min(Math.Round(rate + Step, Decimals), MaximumRate);
            if (!AccuracyBudget.IsWithin(context.ProbeAccuracyDrop(candidate), context.AllowedDrop))
            {
                break;
            }

            rate = candidate;
        }

        return rate;
    }
}
