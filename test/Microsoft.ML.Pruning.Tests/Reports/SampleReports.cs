namespace Microsoft.ML.Pruning.Tests.Reports;

/// <summary>Pruning reports built by hand for the HTML report tests.</summary>
internal static class SampleReports
{
    /// <summary>
    /// A layer name that would run a script if it were not escaped; the script renames the page (rather than opening a
    /// dialog, which would block headless Chromium), so a browser test can see whether it ran.
    /// </summary>
    public const string HostileLayer = "fc<script>document.title='injected'</script>&\"more\"";

    /// <summary>
    /// A three-layer run: the baseline, four steps of which step 2 was rejected and rolled back, the final model (step 3's),
    /// and a sensitivity sweep of three rates over each of the three layers.
    /// </summary>
    public static PruningReport FourSteps() => new()
    {
        Method = "APoZ",
        Schedule = "fixed iterative",
        AllowedDrop = 0.02,
        ElapsedSeconds = 12.5,
        Baseline = Snapshot(100_000, 2_000_000, 401_234, 0.90, 0.3, 0.5, 20, conv1: 32, conv2: 64, fc1: 128),
        Final = Snapshot(50_000, 1_000_000, 201_234, 0.885, 0.35, 0.3, 11, conv1: 24, conv2: 40, fc1: 64),
        Steps =
        [
            Step(0, 0.25, 56, true, Snapshot(75_000, 1_500_000, 301_234, 0.895, 0.31, null, null, conv1: 28, conv2: 52, fc1: 100)),
            Step(1, 0.25, 42, true, Snapshot(56_250, 1_125_000, 226_234, 0.89, 0.33, null, null, conv1: 25, conv2: 44, fc1: 76)),
            Step(2, 0.25, 33, false, Snapshot(42_000, 850_000, 170_000, 0.86, 0.45, null, null, conv1: 22, conv2: 36, fc1: 54)),
            Step(3, 0.10, 17, true, Snapshot(50_000, 1_000_000, 201_234, 0.885, 0.35, null, null, conv1: 24, conv2: 40, fc1: 64)),
        ],
        Sensitivity = [.. new[] { ("conv1", 0.10), ("conv2", 0.04), ("fc1", 0.01) }.SelectMany(layer =>
            new[] { 0.25, 0.5, 0.75 }.Select(rate => new SensitivityPoint(layer.Item1, rate, 0.90 - layer.Item2 * rate * 4, layer.Item2 * rate * 4)))],
    };

    /// <summary>A snapshot with three layers, conv1, conv2 and fc1.</summary>
    public static ModelSnapshot Snapshot(long parameters, long multiplyAdds, long bytes, double? accuracy, double? loss, double? latency1, double? latency256, int conv1, int conv2, int fc1) => new()
    {
        Parameters = parameters,
        NonzeroParameters = parameters,
        MultiplyAdds = multiplyAdds,
        ModelBytes = bytes,
        Accuracy = accuracy,
        Loss = loss,
        LatencyBatch1Milliseconds = latency1,
        LatencyBatch256Milliseconds = latency256,
        Layers =
        [
            new LayerWidth("conv1", "Conv2d", conv1, conv1 * 10L, conv1 * 10L, conv1 * 7840L),
            new LayerWidth("conv2", "Conv2d", conv2, conv2 * conv1 * 9L, conv2 * conv1 * 9L, conv2 * conv1 * 1764L),
            new LayerWidth("fc1", "Dense", fc1, fc1 * conv2 * 49L, fc1 * conv2 * 49L, fc1 * conv2 * 49L),
        ],
    };

    /// <summary>A step record.</summary>
    public static PruningStepReport Step(int index, double rate, int removed, bool accepted, ModelSnapshot model) =>
        new() { Step = index, Rate = rate, Removed = removed, Accepted = accepted, Model = model };
}
