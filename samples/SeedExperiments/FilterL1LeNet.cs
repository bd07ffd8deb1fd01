using System.Globalization;
using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Reports;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>
/// Seeds/003 (Babel, "Pruning Deep Neural Nets": L1-norm filter pruning in multiples of 4, retraining after it) and
/// 004 (direct versus iterative pruning, per-layer sensitivity, computation time) on LeNet-5 and Fashion-MNIST:
/// a per-layer sensitivity sweep; then both convolutions cut to half their filters, rounded up to multiples of 4
/// (conv1 6 to 4, conv2 16 to 8), one-shot or step by step, with the same 3 epochs of retraining in total; and the
/// measured inference speed of the physically smaller networks.
/// </summary>
internal static class FilterL1LeNet
{
    private static readonly string[] Convolutions = ["conv1", "conv2"];

    public static void Run(SampleSettings settings)
    {
        // 1. Load Fashion-MNIST as 1x28x28 images.
        var ml = new MLContext(settings.Seed);
        var (train, test) = IdxLoader.LoadFashionMnist(settings.DataDirectory);
        var trainView = ml.View(train);

        // 2. Train LeNet-5 (conv 6 and 16 filters of 5x5, dense 120-84-10).
        var architecture = new NetworkBuilder(1, 28, 28)
            .Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2)
            .Conv2d(16, 5).Relu().MaxPool2d(2)
            .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(settings.Seed);
        int epochs = settings.Epochs ?? 5;
        var trained = Pipelines.Train(ml, architecture, new NeuralNetworkTrainerOptions { Epochs = epochs }, trainView).Network;
        double baseline = Evaluator.Evaluate(trained, test).Accuracy;
        Console.WriteLine($"trained LeNet-5 for {epochs} epochs: test accuracy {baseline:P2}");

        // 3. Sensitivity (004, Fig. 12): each layer alone loses a share of its units by L1 norm, no retraining.
        double[] rates = [0.25, 0.5, 0.75];
        string[] layers = ["conv1", "conv2", "dense1", "dense2"];
        var calibration = train.Shuffle(settings.Seed).Take(2048);
        var sweep = Pruner.AnalyzeSensitivity(trained, calibration, test, layers,
            layer => new StructuredPruning(new WeightNormImportance(WeightNorm.L1), new StructuredPruningOptions { Layers = [layer] }), rates);
        new PruningReport { Sensitivity = sweep }.SaveSensitivityCsv(settings.File("003-sensitivity.csv"));
        Markdown.Table("Seeds/004-style sensitivity: test accuracy drop in points when one layer of LeNet-5 loses a share of its units (smallest L1 norm), no retraining",
            ["layer (units)", .. rates.Select(r => $"{r:P0} removed")],
            sweep.GroupBy(p => p.Layer).Select(g => (object[])[$"{g.Key} ({Units(trained, g.Key)})", .. g.Select(p => (object)Markdown.Percent(p.AccuracyDrop))]));

        // 4. Both convolutions to half their filters, kept in multiples of 4, with no accuracy budget (every step is kept,
        //    as in the papers, which report the drop). Each variant retrains 3 epochs in all.
        var pruning = ml.Pruning();
        var oneShotRaw = Pipelines.Fit(ml, trained, trainView, pruning.FilterL1(Filters(0.5, fineTuningEpochs: 0)));
        var oneShot = Pipelines.Fit(ml, trained, trainView, pruning.FilterL1(Filters(0.5, fineTuningEpochs: 3)));

        // Iterative: 4 filters at a time. Step 1 (rate 1/4) takes conv2 from 16 to 12 (conv1's 6 would round back up to
        // 6); step 2 (rate 1/3) takes conv2 to 8 and conv1 to 4. One epoch after each step, one more at the end.
        var iterative = Pipelines.Fit(ml, trained, trainView,
            pruning.FilterL1(Filters(0.25, fineTuningEpochs: 1)),
            pruning.FilterL1(Filters(1 / 3.0, fineTuningEpochs: 1)),
            pruning.FineTune(epochs: 1));

        // Layer by layer, as seeds/003 does it: conv1 to 4, retrain; conv2 to 8, retrain; then retrain once more.
        var layerByLayer = Pipelines.Fit(ml, trained, trainView,
            pruning.FilterL1(Filters(0.5, fineTuningEpochs: 1, "conv1")),
            pruning.FilterL1(Filters(0.5, fineTuningEpochs: 1, "conv2")),
            pruning.FineTune(epochs: 1));

        // 5. One pipeline: L1 on the convolutions, APoZ on the dense layers, then fine-tuning.
        var both = Pipelines.Fit(ml, trained, trainView,
            pruning.FilterL1(Filters(0.5, fineTuningEpochs: 1)),
            pruning.Apoz(new ApozPruningOptions { Rate = 0.5, Layers = ["dense1", "dense2"], MaximumAccuracyDrop = 1, Epochs = 1 }),
            pruning.FineTune(epochs: 1));
        both.SaveOnnx(settings.File("003-lenet5-pruned.onnx"));

        // 004's contrast: half of the convolution weights masked (smallest |w|, element-wise) keeps every shape, so
        // it saves no time; 004 (Fig. 14) found its masked network no faster either.
        var masked = Pipelines.Fit(ml, trained, trainView, pruning.Magnitude(new MagnitudePruningOptions { Rate = 0.5, Layers = Convolutions, MaximumAccuracyDrop = 1, Epochs = 3 }));
        HtmlReport.Save(both.Report, settings.File("003-lenet5.report.html"), "Seeds/003: L1 filters, then APoZ, then fine-tuning on LeNet-5");

        // 6. Accuracy, size and measured inference speed (each pruned network timed in alternation with the unpruned one).
        var rows = new List<object[]>();
        var baseSpeeds = new List<double>();
        foreach (var (name, model) in new[]
        {
            ("L1 one-shot, no retraining", oneShotRaw),
            ("L1 one-shot + 3 epochs", oneShot),
            ("L1 iterative, 2 steps of 4 filters + 1 epoch each + 1", iterative),
            ("L1 layer by layer (003), conv1 then conv2 + 1 epoch each + 1", layerByLayer),
            ("L1 convs + APoZ 50 % dense + 1 epoch each + 1", both),
            ("50 % of conv weights masked (magnitude, 004) + 3 epochs", masked),
        })
        {
            var (baseSpeed, speed) = Speed.ImagesPerSecond(trained, model.Network, test);
            baseSpeeds.Add(baseSpeed);
            rows.Add(Row(name, model.Network, trained, Evaluator.Evaluate(model.Network, test).Accuracy, speed, baseSpeed));
        }

        // The unpruned network was timed beside each of the others: its row shows the median of those timings.
        rows.Insert(0, Row("unpruned", trained, trained, baseline, baseSpeeds.Order().ElementAt(baseSpeeds.Count / 2), null));
        Markdown.Table("Seeds/003 on Fashion-MNIST: LeNet-5, L1 filter pruning of both convolutions to half, in multiples of 4; inference on the 10,000 test images, batch 1,024",
            ["model", "filters conv1-conv2", "dense widths", "parameters (% of unpruned)", "nonzero parameters (%)", "multiply-adds (%)", "test accuracy %", "images/s", "speed-up vs unpruned"], rows);
    }

    private static FilterL1PruningOptions Filters(double rate, int fineTuningEpochs, params string[] layers) => new()
    {
        Rate = rate,
        RoundTo = 4,
        Layers = layers.Length > 0 ? layers : Convolutions,
        MaximumAccuracyDrop = 1,
        Epochs = fineTuningEpochs,
    };

    private static int Units(Network network, string layer) => network[layer].Layer switch
    {
        Conv2d conv => conv.OutChannels,
        Dense dense => dense.Outputs,
        _ => 0,
    };

    private static long Nonzeros(Network network) => network.Parameters.Sum(p => (long)p.Value.Span.ToArray().Count(v => v != 0));

    private static object[] Row(string name, Network network, Network unpruned, double accuracy, double speed, double? baseSpeed)
    {
        var convs = network.Nodes.Select(n => n.Layer).OfType<Conv2d>().Select(c => c.OutChannels);
        var dense = network.Nodes.Select(n => n.Layer).OfType<Dense>().SkipLast(1).Select(d => d.Outputs);
        string Share(long part, long whole) => $"{part.ToString("N0", CultureInfo.InvariantCulture)} ({(100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture)})";
        return [name, string.Join("-", convs), string.Join("-", dense), Share(network.ParameterCount, unpruned.ParameterCount), Share(Nonzeros(network), unpruned.ParameterCount), Share(network.MultiplyAdds, unpruned.MultiplyAdds),
            Markdown.Percent(accuracy), Math.Round(speed), baseSpeed is { } b ? $"x{(speed / b).ToString("0.00", CultureInfo.InvariantCulture)}" : "x1.00"];
    }
}
