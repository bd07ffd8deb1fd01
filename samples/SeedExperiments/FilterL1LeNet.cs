using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Pruning;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>
/// Seeds/003 (Li et al., "Pruning Filters for Efficient ConvNets") and 004 (per-layer sensitivity, Fig. 12): L1-norm filter
/// pruning of LeNet-5 on Fashion-MNIST keeping multiples of 4 filters; one-shot versus iterative (polynomial); a
/// sensitivity sweep per layer; and one pipeline that prunes filters by L1, then dense units by APoZ, then fine-tunes.
/// </summary>
internal static class FilterL1LeNet
{
    public static void Run(SampleSettings settings)
    {
        // 1. Load Fashion-MNIST as 1x28x28 images.
        var context = new PruningContext(settings.Seed);
        var (train, test) = context.Data.LoadFashionMnist(settings.DataDirectory);

        // 2. Train LeNet-5 (conv 6 and 16 filters of 5x5, dense 120-84-10).
        var architecture = new NetworkBuilder(1, 28, 28)
            .Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2)
            .Conv2d(16, 5).Relu().MaxPool2d(2)
            .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(settings.Seed);
        var trained = context.Model.Train(architecture, settings.Epochs ?? 5).Fit(train).Network;
        double baseline = Evaluator.Evaluate(trained, test).Accuracy;
        Console.WriteLine($"trained LeNet-5: test accuracy {baseline:P2}");

        // 3. Sensitivity (004 Fig. 12): each layer alone loses a share of its units, no fine-tuning.
        double[] rates = [0.25, 0.5, 0.75];
        string[] layers = ["conv1", "conv2", "dense1", "dense2"];
        var calibration = train.Shuffle(settings.Seed).Take(2048);
        var sweep = Pruner.AnalyzeSensitivity(trained, calibration, test, layers,
            layer => new StructuredPruning(new WeightNormImportance(WeightNorm.L1), new StructuredPruningOptions { Layers = [layer] }), rates);
        new PruningReport { Sensitivity = sweep }.SaveSensitivityCsv(settings.File("003-sensitivity.csv"));
        Markdown.Table("Seeds/004-style sensitivity of LeNet-5 to L1 pruning of one layer, test accuracy drop in points, no fine-tuning",
            ["layer", .. rates.Select(r => $"{r:P0} removed")],
            sweep.GroupBy(p => p.Layer).Select(g => (object[])[g.Key, .. g.Select(p => (object)Markdown.Percent(p.AccuracyDrop))]));

        // 4. One-shot versus iterative L1 filter pruning of both convolutions, keeping multiples of 4 filters.
        FilterL1PruningOptions Filters() => new() { Rate = 0.5, RoundTo = 4, Layers = ["conv1", "conv2"], MaximumAccuracyDrop = 0.01, FineTuningEpochs = 1 };
        var oneShot = context.Pruning.FilterL1(Filters()).Fit(trained, train);
        var iterative = context.Pruning.Polynomial(context.Pruning.FilterL1(Filters()), finalSparsity: 0.5, steps: 3).Fit(trained, train);

        // 5. One pipeline: L1 on the convolutions, APoZ on the dense layers, then fine-tuning.
        var pipeline = context.Model.FromNetwork(trained)
            .Append(context.Pruning.FilterL1(Filters()))
            .Append(context.Pruning.Apoz(new ApozPruningOptions { Rate = 0.5, Layers = ["dense1", "dense2"], MaximumAccuracyDrop = 0.01, FineTuningEpochs = 1 }))
            .Append(context.Pruning.FineTune(epochs: 2));
        var both = pipeline.Fit(train);
        both.SaveOnnx(settings.File("003-lenet5-pruned.onnx"));
        HtmlReport.Save(both.Report, settings.File("003-lenet5.report.html"), "Seeds/003: L1 filters, then APoZ, then fine-tuning on LeNet-5");

        double speed = Speed.ImagesPerSecond(trained, test);
        var rows = new List<object[]> { Row("unpruned", trained, baseline, speed, speed) };
        foreach (var (name, model) in new[] { ("L1 one-shot 50 %", oneShot), ("L1 polynomial, 3 steps to 50 %", iterative), ("L1 convs + APoZ dense + fine-tune", both) })
        {
            rows.Add(Row(name, model.Network, Evaluator.Evaluate(model.Network, test).Accuracy, speed, Speed.ImagesPerSecond(model.Network, test)));
        }

        Markdown.Table("Seeds/003 on Fashion-MNIST: LeNet-5, L1 filter pruning keeping multiples of 4",
            ["model", "filters conv1-conv2", "dense widths", "parameters", "multiply-adds", "test accuracy %", "inference images/s", "time x"], rows);
    }

    private static object[] Row(string name, Network network, double accuracy, double baseSpeed, double speed)
    {
        var convs = network.Nodes.Select(n => n.Layer).OfType<Conv2d>().Select(c => c.OutChannels);
        var dense = network.Nodes.Select(n => n.Layer).OfType<Dense>().SkipLast(1).Select(d => d.Outputs);
        return [name, string.Join("-", convs), string.Join("-", dense), network.ParameterCount, network.MultiplyAdds, Markdown.Percent(accuracy), Math.Round(speed), (baseSpeed / speed).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)];
    }
}
