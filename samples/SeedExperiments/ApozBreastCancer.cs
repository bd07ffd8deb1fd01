using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>
/// Seeds/000's second data set: the Wisconsin breast cancer data (569 rows, 30 features, 2 classes), from Debian's
/// python3-sklearn (build/setup.sh extracts the CSV to build/data). The same five hidden layers, APoZ at 50 %.
/// </summary>
internal static class ApozBreastCancer
{
    public static void Run(SampleSettings settings)
    {
        // 1. Load the CSV (its first line is "569,30,malignant,benign"; the label is the last column), split 80/20
        //    and standardize with the training part's statistics.
        var ml = new MLContext(settings.Seed);
        const string path = "build/data/breast_cancer.csv";
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{Path.GetFullPath(path)} is missing: run 'bash build/setup.d/breast-cancer.sh' from the repository root, and run the sample from there.", path);
        }

        var all = ReadCsv(path);
        var (train, test) = all.Split(0.8, settings.Seed);
        train = train.Normalize(NormalizationKind.Standardize, out var normalizer);
        test = test.Normalize(normalizer);

        // 2. Train 30-550-375-375-375-375-2.
        var architecture = new NetworkBuilder(30).Dense(550).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(2).Build(settings.Seed);
        int epochs = settings.Epochs ?? 30;
        Console.WriteLine($"breast cancer data: {all.Count} rows, {all.FeatureCount} features; {train.Count} to train (15 % of them held out for validation), {test.Count} to test (one row is {100.0 / test.Count:0.00} points)");
        Console.WriteLine($"training {epochs} epochs, then APoZ removes half of every hidden layer's units and fine-tunes 10 epochs");
        var trainView = ml.View(train);
        var trained = Pipelines.Train(ml, architecture, new NeuralNetworkTrainerOptions { Epochs = epochs, BatchSize = 32, ValidationFraction = 0.15 }, trainView).Network;
        double before = Evaluator.Evaluate(trained, test).Accuracy;

        // 3. APoZ, half the hidden units, fine-tune; budget 3 points: the budget is judged on the 68 held-out validation rows,
        //    where one row is 1.47 points, so a 1-point budget would allow no row at all (the test set's row is 0.88 points).
        var model = Pipelines.Fit(ml, trained, trainView, ml.Pruning().Apoz(new ApozPruningOptions
        {
            Rate = 0.5,
            MaximumAccuracyDrop = 0.03,
            Epochs = 10,
            BatchSize = 32,
            ValidationFraction = 0.15,
        }));
        double after = Evaluator.Evaluate(model.Network, test).Accuracy;

        Markdown.Table("Seeds/000 on the breast cancer data: APoZ, 50 % of hidden units",
            ["model", "hidden widths", "connections (weights)", "test accuracy %", "test error %"],
            [
                ["unpruned", DenseFigures.Widths(trained), DenseFigures.Weights(trained), Markdown.Percent(before), Markdown.Percent(1 - before)],
                ["APoZ 50%", DenseFigures.Widths(model.Network), DenseFigures.Weights(model.Network), Markdown.Percent(after), Markdown.Percent(1 - after)],
            ]);
        model.SaveOnnx(settings.File("000-cancer-apoz.onnx"));
    }

    /// <summary>Reads the CSV after its line of counts: 30 numbers, then the class index (0 malignant, 1 benign).</summary>
    private static Dataset ReadCsv(string path)
    {
        var rows = File.ReadLines(path).Skip(1).Where(line => line.Length > 0)
            .Select(line => line.Split(',').Select(cell => float.Parse(cell, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return Dataset.FromArrays(rows.Select(row => row[..^1]).ToArray(), rows.Select(row => (int)row[^1]).ToArray(), classCount: 2);
    }
}
