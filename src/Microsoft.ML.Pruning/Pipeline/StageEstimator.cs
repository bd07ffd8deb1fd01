using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>
/// A stage that works on a model: pruning, fine-tuning, or a scheduler around a pruning stage. Put it after a model with
/// <see cref="NetworkEstimator.Append"/>, or fit it on a network directly with
/// <see cref="Fit(Network, Dataset, Dataset?, IProgress{PruningProgress}?, CancellationToken)"/>.
/// </summary>
public abstract class StageEstimator : NetworkEstimator
{
    private protected StageEstimator(PruningContext context, StageOptions options)
        : base(context)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        StageOptions = options;
    }

    private protected StageOptions StageOptions { get; }

    /// <summary>Fits the stage on a given network, which is not modified.</summary>
    /// <param name="model">The network to start from.</param>
    /// <param name="training">The training data.</param>
    /// <param name="validation">Validation data, or <see langword="null"/> to hold out a share of <paramref name="training"/>.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the fit; the transformer then holds the best model so far.</param>
    /// <returns>The fitted transformer.</returns>
    public NetworkTransformer Fit(Network model, Dataset training, Dataset? validation = null, IProgress<PruningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var chain = Context.Model.FromNetwork(model).Append(this);
        return validation is null ? chain.Fit(training, progress, cancellationToken) : chain.Fit(training, validation, progress, cancellationToken);
    }

    internal NetworkTransformer FitOn(Network network, FitContext context)
    {
        var (training, validation) = context.Resolve(StageOptions.ValidationFraction, Context.Seed);
        var (result, report, cancelled) = Run(network, training, validation, context);
        return new NetworkTransformer(result, report, [report], cancelled);
    }

    /// <summary>Runs the stage on a copy of <paramref name="network"/>.</summary>
    private protected abstract (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation, FitContext context);

    private protected override NetworkTransformer FitCore(FitContext context) => throw NoModel();

    private protected override (int[] Input, int[] Output) ModelShapes() => throw NoModel();

    private InvalidOperationException NoModel() =>
        new($"{GetType().Name} has no model to work on: start the pipeline with context.Model (LoadOnnx, Load, FromNetwork or Train) and Append this stage, or call Fit(model, data).");

    internal static PruningReport Combine(IReadOnlyList<PruningReport> reports)
    {
        // A loaded model's report has no steps and was measured without validation data; the first stage that ran
        // measured the same model on its validation data, so the combined baseline comes from that stage.
        reports = reports.SkipWhile((r, i) => r.Steps.Count == 0 && i < reports.Count - 1).ToArray();
        if (reports.Count == 1)
        {
            return reports[0];
        }

        var steps = new List<PruningStepReport>();
        foreach (var report in reports)
        {
            foreach (var step in report.Steps)
            {
                steps.Add(new PruningStepReport { Step = steps.Count, Phase = step.Phase, Rate = step.Rate, Removed = step.Removed, Accepted = step.Accepted, Model = step.Model });
            }
        }

        return new PruningReport
        {
            Method = string.Join(" -> ", reports.Select(r => r.Method)),
            Schedule = string.Join(" -> ", reports.Select(r => r.Schedule)),
            AllowedDrop = reports.Max(r => r.AllowedDrop),
            Baseline = reports[0].Baseline,
            Final = reports[^1].Final,
            Steps = steps,
            Sensitivity = reports.SelectMany(r => r.Sensitivity).ToArray(),
            ElapsedSeconds = reports.Sum(r => r.ElapsedSeconds),
            Cancelled = reports.Any(r => r.Cancelled),
        };
    }
}
