namespace Microsoft.ML.Pruning;

/// <summary>
/// The pruning, fine-tuning and scheduling stages: <see cref="PruningContext.Pruning"/>. Each stage has a simple
/// overload with the defaults and one taking an options object; options are validated when the stage is built.
/// </summary>
public sealed class PruningCatalog
{
    private readonly PruningContext _context;

    internal PruningCatalog(PruningContext context)
    {
        _context = context;
    }

    /// <summary>APoZ pruning of hidden units (Hu et al. 2016), once, at a rate.</summary>
    /// <param name="rate">The fraction of each hidden layer's units to remove.</param>
    /// <param name="maximumAccuracyDrop">The largest accuracy drop allowed (0.005 is half a point).</param>
    /// <returns>The stage.</returns>
    public ApozPruningEstimator Apoz(double rate = 0.5, double maximumAccuracyDrop = 0.005) =>
        Apoz(new ApozPruningOptions { Rate = rate, MaximumAccuracyDrop = maximumAccuracyDrop });

    /// <summary>APoZ pruning of hidden units with every option.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The stage.</returns>
    public ApozPruningEstimator Apoz(ApozPruningOptions options) => new(_context, Checked(options));

    /// <summary>Element-wise magnitude pruning (Han et al. 2015), once, at a rate of the weights.</summary>
    /// <param name="rate">The fraction of the nonzero weights to mask.</param>
    /// <returns>The stage.</returns>
    public MagnitudePruningEstimator Magnitude(double rate = 0.5) => Magnitude(new MagnitudePruningOptions { Rate = rate });

    /// <summary>Magnitude pruning with every option (structured or element-wise, rate or mean threshold).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The stage.</returns>
    public MagnitudePruningEstimator Magnitude(MagnitudePruningOptions options) => new(_context, Checked(options));

    /// <summary>L1-norm filter pruning (Li et al. 2016), once, at a rate, keeping a multiple of <paramref name="roundTo"/> filters per layer.</summary>
    /// <param name="rate">The fraction of each layer's filters to remove.</param>
    /// <param name="roundTo">The multiple the number of filters kept is rounded up to.</param>
    /// <returns>The stage.</returns>
    public FilterL1PruningEstimator FilterL1(double rate = 0.5, int roundTo = 1) => FilterL1(new FilterL1PruningOptions { Rate = rate, RoundTo = roundTo });

    /// <summary>Filter-norm pruning with every option.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The stage.</returns>
    public FilterL1PruningEstimator FilterL1(FilterL1PruningOptions options) => new(_context, Checked(options));

    /// <summary>First-order Taylor pruning (Molchanov et al. 2017), once, at a rate.</summary>
    /// <param name="rate">The fraction of each hidden layer's units to remove.</param>
    /// <returns>The stage.</returns>
    public TaylorPruningEstimator Taylor(double rate = 0.5) => Taylor(new TaylorPruningOptions { Rate = rate });

    /// <summary>First-order Taylor pruning with every option.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The stage.</returns>
    public TaylorPruningEstimator Taylor(TaylorPruningOptions options) => new(_context, Checked(options));

    /// <summary>Distinctiveness pruning (Gedeon and Harris): removes one unit of each pair under <paramref name="similarAngle"/> degrees (or over 180 minus it).</summary>
    /// <param name="similarAngle">The angle in degrees under which two units are near-duplicates.</param>
    /// <returns>The stage.</returns>
    public DistinctivenessPruningEstimator Distinctiveness(double similarAngle = 15) =>
        Distinctiveness(new DistinctivenessPruningOptions { SimilarAngle = similarAngle, ComplementaryAngle = 180 - similarAngle });

    /// <summary>Distinctiveness pruning with every option.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The stage.</returns>
    public DistinctivenessPruningEstimator Distinctiveness(DistinctivenessPruningOptions options) => new(_context, Checked(options));

    /// <summary>Fine-tuning with Adam for a number of epochs.</summary>
    /// <param name="epochs">The number of epochs.</param>
    /// <returns>The stage.</returns>
    public FineTuningEstimator FineTune(int epochs = 2) => FineTune(new FineTuningOptions { FineTuningEpochs = epochs });

    /// <summary>Fine-tuning with every option.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The stage.</returns>
    public FineTuningEstimator FineTune(FineTuningOptions options) => new(_context, Checked(options));

    /// <summary>Wraps a pruning stage in the adaptive pruning rate of seeds/002 (start 0.1, step 0.05).</summary>
    /// <param name="stage">The pruning stage whose criterion, budget and fine-tuning are used.</param>
    /// <param name="auxiliaryLayerUnits">The width of an auxiliary layer to insert once pruning converges, or <see langword="null"/>.</param>
    /// <returns>The scheduled stage.</returns>
    public AdaptiveRateScheduler AdaptiveRate(PruningEstimator stage, int? auxiliaryLayerUnits = null) =>
        AdaptiveRate(stage, new AdaptiveRateSchedulerOptions { AuxiliaryLayerUnits = auxiliaryLayerUnits });

    /// <summary>Wraps a pruning stage in the adaptive pruning rate with every option.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="options">The options.</param>
    /// <returns>The scheduled stage.</returns>
    public AdaptiveRateScheduler AdaptiveRate(PruningEstimator stage, AdaptiveRateSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new(_context, stage, options);
    }

    /// <summary>Wraps a pruning stage in iterative pruning at a fixed rate.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="rate">The fraction of what remains removed at each step.</param>
    /// <returns>The scheduled stage.</returns>
    public FixedRateScheduler FixedRate(PruningEstimator stage, double rate = 0.2) => FixedRate(stage, new FixedRateSchedulerOptions { Rate = rate });

    /// <summary>Wraps a pruning stage in iterative pruning at a fixed rate with every option.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="options">The options.</param>
    /// <returns>The scheduled stage.</returns>
    public FixedRateScheduler FixedRate(PruningEstimator stage, FixedRateSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new(_context, stage, options);
    }

    /// <summary>Wraps a pruning stage in the polynomial (AGP, cubic) schedule towards a final sparsity.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="finalSparsity">The fraction of the original units (or weights) removed at the end.</param>
    /// <param name="steps">The number of steps.</param>
    /// <returns>The scheduled stage.</returns>
    public PolynomialScheduler Polynomial(PruningEstimator stage, double finalSparsity = 0.5, int steps = 5) =>
        Polynomial(stage, new PolynomialSchedulerOptions { FinalSparsity = finalSparsity, Steps = steps });

    /// <summary>Wraps a pruning stage in the polynomial schedule with every option.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="options">The options.</param>
    /// <returns>The scheduled stage.</returns>
    public PolynomialScheduler Polynomial(PruningEstimator stage, PolynomialSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(options);
        return new(_context, stage, options);
    }

    /// <summary>Rejects null options; the stage's constructor validates their values.</summary>
    private static T Checked<T>(T options)
        where T : StageOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        return options;
    }
}
