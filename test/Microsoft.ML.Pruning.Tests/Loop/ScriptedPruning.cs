using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

/// <summary>
/// A pruning method written for the tests: masks the given fraction of the still-nonzero weights of the chosen Dense
/// layers (all of them when none are named), smallest magnitude first, and records every rate it is called with.
/// </summary>
internal sealed class MaskingMethod(params string[] layers) : PruningMethod
{
    public List<double> Rates { get; } = [];

    public List<IBatchSource?> Calibrations { get; } = [];

    public override string Name => "scripted masking";

    public override bool RequiresData => false;

    public override int Apply(Network network, double rate, IBatchSource? calibration, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Rates.Add(rate);
        Calibrations.Add(calibration);
        var weights = ScriptedPruning.DenseWeights(network, layers);
        var live = weights
            .SelectMany((p, k) => Enumerable.Range(0, p.Length).Where(i => p.Value.Span[i] != 0).Select(i => (Parameter: k, Index: i, Magnitude: Math.Abs(p.Value.Span[i]))))
            .OrderBy(w => w.Magnitude).ThenBy(w => w.Parameter).ThenBy(w => w.Index)
            .ToArray();
        int count = (int)Math.Round(rate * live.Length, MidpointRounding.AwayFromZero);
        var masks = weights.Select(p => p.Mask?.Clone() ?? Ones(p.Value.Shape)).ToArray();
        foreach (var (parameter, index, _) in live.Take(count))
        {
            masks[parameter].Span[index] = 0;
        }

        for (int k = 0; k < weights.Length; k++)
        {
            weights[k].Mask = masks[k];
        }

        return count;
    }

    private static FloatTensor Ones(int[] shape)
    {
        var tensor = new FloatTensor(shape);
        tensor.Span.Fill(1);
        return tensor;
    }
}

/// <summary>Scripted accuracy curves, fine-tuning and data for driving the pruning loop along known numbers.</summary>
internal static class ScriptedPruning
{
    public static Parameter[] DenseWeights(Network network, params string[] layers) =>
        network.Nodes.Where(n => n.Layer is Dense && (layers.Length == 0 || layers.Contains(n.Layer.Name)))
            .Select(n => ((Dense)n.Layer).Weight).ToArray();

    /// <summary>The number of nonzero Dense weights (biases excluded) of the named layers, or of all Dense layers.</summary>
    public static int NonzeroWeights(Network network, params string[] layers) =>
        DenseWeights(network, layers).Sum(p => p.Value.Span.ToArray().Count(v => v != 0));

    /// <summary>Hooks whose evaluation returns <paramref name="accuracy"/> of the network and which do not fine-tune.</summary>
    public static PruningHooks Hooks(Func<Network, double> accuracy, Action<Network, CancellationToken>? fineTune = null) =>
        new((network, _) => new EvaluationResult((float)accuracy(network), 0.5f, 100),
            fineTune is null ? null : (network, _, cancellationToken) => fineTune(network, cancellationToken));

    /// <summary>Random features with the given width and labels in three classes.</summary>
    public static Dataset RandomData(int count, int features, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * features];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return Dataset.FromArray(values, [features], Enumerable.Range(0, count).Select(i => i % 3).ToArray(), 3);
    }

    public static PrunerOptions Options(PruningMethod method, IPruningSchedule schedule, double maximumDrop = 0.005) => new()
    {
        Method = method,
        Schedule = schedule,
        MaximumAccuracyDrop = maximumDrop,
        FineTuning = null,
        MeasureLatency = false,
    };

    public static PruningResult Run(Network network, PrunerOptions options, PruningHooks hooks, IProgress<PruningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var data = RandomData(30, network.InputShape[0], seed: 1);
        return Pruner.RunCore(network, data, data, options, progress, cancellationToken, hooks);
    }

    /// <summary>Asserts that two networks hold bit-identical parameters and buffers.</summary>
    public static void AssertSameState(Network expected, Network actual)
    {
        var e = expected.State.ToArray();
        var a = actual.State.ToArray();
        Assert.AreEqual(e.Length, a.Length, "parameter count");
        for (int i = 0; i < e.Length; i++)
        {
            CollectionAssert.AreEqual(e[i].Value.Shape, a[i].Value.Shape, $"shape of state {i}");
            CollectionAssert.AreEqual(e[i].Value.Span.ToArray(), a[i].Value.Span.ToArray(), $"values of state {i} ({e[i].Name})");
        }
    }
}
