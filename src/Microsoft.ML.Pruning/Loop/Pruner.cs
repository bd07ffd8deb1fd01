using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>Runs pruning: the iterative prune, fine-tune, evaluate and roll-back loop, and per-layer sensitivity sweeps.</summary>
public static class Pruner
{
    /// <summary>
    /// Prunes a copy of <paramref name="network"/> step by step under <see cref="PrunerOptions.Schedule"/>, keeping each
    /// step whose fine-tuned accuracy stays within the budget and rolling back the first that does not.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The run evaluates the baseline on <paramref name="validation"/>, then repeats: ask the schedule for a rate (the
    /// schedule may probe rates on copies of the current model, pruned and evaluated without fine-tuning); prune a copy
    /// of the current model at that rate with <see cref="PrunerOptions.Method"/>, giving it a calibration sample of
    /// <paramref name="training"/>; fine-tune it on <paramref name="training"/>; evaluate it on <paramref name="validation"/>.
    /// The validation data only judges the budget: a fine-tuning that picks its best epoch (or stops early) picks on a
    /// seeded tenth of <paramref name="training"/> held out from its training, never on <paramref name="validation"/>,
    /// so that the accuracy the budget sees is not the maximum of several looks at the same data. A step within the budget becomes the
    /// current model; a step outside it is rolled back (the current model stays as it was, bit for bit) and ends the run,
    /// unless <see cref="PrunerOptions.AuxiliaryLayerUnits"/> is set: the auxiliary layer is then inserted once, the model
    /// retrained and, if still within the budget, the schedule starts again on it (its context's history then holds only
    /// the steps after the insertion); the next rejection ends the run. The run also ends when the schedule stops, or
    /// after <see cref="PrunerOptions.MaximumSteps"/> steps. A step that removes nothing is recorded, changes nothing and
    /// does not end the run; the next step ends it if it asks for no larger rate (it would remove nothing either). Each
    /// step scores the current model once, for the schedule's probes and the step itself. When an auxiliary layer was
    /// inserted, the run returns whichever of the models before the insertion and at the end has fewer nonzero weights.
    /// </para>
    /// <para>
    /// Cancellation never throws out of this method: the run stops at the next check (between batches, steps and probes)
    /// and returns the best model accepted so far (the unpruned copy if none was) with <see cref="PruningResult.Cancelled"/> set.
    /// </para>
    /// </remarks>
    /// <param name="network">The trained network; it is not modified (the run works on a copy).</param>
    /// <param name="training">The data to fine-tune on and to draw the calibration sample from.</param>
    /// <param name="validation">The data the accuracy budget is measured on.</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="progress">Receives a report at each phase of each step and after each fine-tuning epoch.</param>
    /// <param name="cancellationToken">Stops the run early; the best model so far is returned.</param>
    /// <returns>The pruned network and the report.</returns>
    /// <exception cref="ArgumentNullException">An argument, <see cref="PrunerOptions.Method"/> or <see cref="PrunerOptions.Schedule"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException">The data are empty or do not fit the network, or the auxiliary layer cannot be inserted into it; the message names the argument.</exception>
    /// <exception cref="InvalidOperationException">The schedule returned a rate outside (0, 1).</exception>
    public static PruningResult Run(Network network, IBatchSource training, IBatchSource validation, PrunerOptions options, IProgress<PruningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RunCore(network, training, validation, options, progress, cancellationToken, hooks: null);
    }

    /// <summary>
    /// Prunes each layer alone at each rate, without fine-tuning, and records the accuracy drop (seeds/004, Fig. 12:
    /// which layers are sensitive to pruning). Assign the points to <see cref="PruningReport.Sensitivity"/> to save them
    /// or to format them with <see cref="PruningReport.SensitivityToCsv"/>.
    /// </summary>
    /// <param name="network">The trained network; it is not modified (each point prunes a copy).</param>
    /// <param name="calibration">Calibration data for methods that need it, or <see langword="null"/>.</param>
    /// <param name="validation">The data the accuracy is measured on.</param>
    /// <param name="layers">The producer layers (Dense or Conv2d) to sweep, by name.</param>
    /// <param name="methodForLayer">
    /// Returns the method that prunes only the named layer, for example
    /// <c>name =&gt; new StructuredPruning(importance, new StructuredPruningOptions { Layers = [name] })</c>.
    /// </param>
    /// <param name="rates">The rates to prune each layer at, each in (0, 1).</param>
    /// <param name="progress">Receives a report after each point.</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    /// <returns>One point per layer and rate, layer by layer, rates in the given order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null, or a method needs calibration data and none was given.</exception>
    /// <exception cref="ArgumentException">The data are empty or do not fit the network, or a layer is not a Dense or Conv2d layer of the network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate is outside (0, 1).</exception>
    /// <exception cref="InvalidOperationException"><paramref name="methodForLayer"/> returned null.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static IReadOnlyList<SensitivityPoint> AnalyzeSensitivity(
        Network network,
        IBatchSource? calibration,
        IBatchSource validation,
        IReadOnlyList<string> layers,
        Func<string, PruningMethod> methodForLayer,
        IReadOnlyList<double> rates,
        IProgress<PruningProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(validation);
        CheckData(network, validation, nameof(validation));
        return SensitivityAnalysis.Run(network, calibration, layers, methodForLayer, rates,
            (n, ct) => Evaluator.Evaluate(n, validation, new SoftmaxCrossEntropyLoss(), cancellationToken: ct), progress, cancellationToken);
    }

    /// <summary>Runs the loop with scripted hooks, or with the real evaluator and trainer when <paramref name="hooks"/> is null.</summary>
    internal static PruningResult RunCore(Network network, IBatchSource training, IBatchSource validation, PrunerOptions options, IProgress<PruningProgress>? progress, CancellationToken cancellationToken, PruningHooks? hooks)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckData(network, training, nameof(training));
        CheckData(network, validation, nameof(validation));
        if (options.AuxiliaryLayerUnits is not null)
        {
            try
            {
                AuxiliaryLayer.EnsureSupported(network);
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException($"{e.Message} Set PrunerOptions.AuxiliaryLayerUnits to null for this network.", nameof(options), e);
            }
        }

        hooks ??= new PruningHooks(
            (n, ct) => Evaluator.Evaluate(n, validation, new SoftmaxCrossEntropyLoss(), options.FineTuning?.EvaluationBatchSize ?? 1024, ct),
            options.FineTuning is null ? null : FineTuner(options.FineTuning, training, options.Seed));
        var calibration = CalibrationSampler.Draw(training, options.CalibrationSamples, options.Seed);
        return new PruningLoop(options, hooks, calibration, validation, progress).Run(network, cancellationToken);
    }

    /// <summary>
    /// Splits the training data for the loop's fine-tuning: when the fine-tuning picks an epoch (it keeps the best of
    /// several, or stops early), a seeded <see cref="SelectionFraction"/> of it, at least one sample, is held out to pick
    /// on and the rest is trained on; otherwise all of it is trained on and nothing is held out.
    /// </summary>
    /// <param name="training">The training data.</param>
    /// <param name="options">The fine-tuning options.</param>
    /// <param name="seed">The seed of the split.</param>
    /// <returns>The data to train on and the data to pick the epoch on, or <see langword="null"/> for none.</returns>
    internal static (IBatchSource Training, IBatchSource? Selection) SelectionSplit(IBatchSource training, TrainerOptions options, int seed)
    {
        bool picks = options.Patience > 0 || (options.KeepBestCheckpoint && options.Epochs > 1);
        if (!picks)
        {
            return (training, null);
        }

        if (training is not Dataset data)
        {
            // Without random access: a row is held out when a hash of its number and the seed falls in the fraction.
            ulong salt = (ulong)(uint)(seed ^ SelectionSalt);
            bool Held(long row) => RowHash.Selects(salt, row, SelectionFraction);
            return (training.Where(row => !Held(row)), training.Where(Held));
        }

        int held = Math.Max(1, (int)Math.Round(data.Count * SelectionFraction));
        if (data.Count - held < 1)
        {
            return (training, null);
        }

        var order = Enumerable.Range(0, data.Count).ToArray();
        // Not HashCode.Combine: it is randomized per process, which made the split, and every fit, differ between runs.
        new Random(seed ^ SelectionSalt).Shuffle(order);
        return (data.Select(order.AsSpan(held)), data.Select(order.AsSpan(0, held)));
    }

    /// <summary>The fraction of the training data that the loop's fine-tuning holds out to pick its epoch on.</summary>
    internal const double SelectionFraction = 0.1;

    // Keeps the selection split's shuffle apart from the calibration sample's, which uses the same seed.
    private const int SelectionSalt = 0x5E1EC7;

    private static Action<Network, IProgress<TrainingProgress>?, CancellationToken> FineTuner(TrainerOptions options, IBatchSource training, int seed)
    {
        var (fit, selection) = SelectionSplit(training, options, seed);
        // Each step is a fresh fine-tuning: a fit starts from the configured learning rate with no optimizer state.
        var trainer = new Trainer(options);
        return (network, progress, cancellationToken) =>
        {
            if (trainer.Fit(network, fit, selection, progress, cancellationToken).Cancelled)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        };
    }

    private static void CheckData(Network network, IBatchSource data, string name)
    {
        if (data.RowCount == 0)
        {
            throw new ArgumentException($"The {name} data is empty.", name);
        }

        Evaluator.CheckCompatible(network, data, name);
    }
}
