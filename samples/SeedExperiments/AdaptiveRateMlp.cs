using Microsoft.ML.Pruning.Pruning;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>
/// Seeds/002 ("Simplified Neural Network Based on Auxiliary Layer and Adaptive Pruning Rate"): magnitude pruning of the
/// weights of a 100-80-60-40-10 MLP on 10x10 images (Fashion-MNIST here, MNIST there), at static rates 0.2, 0.3 and 0.4
/// versus the adaptive rate, under accuracy-drop budgets of 0.46 and 1.0 points (Table III); then adaptive pruning with
/// an auxiliary layer of 20, 40 or 60 units inserted once pruning converges (Table IV).
/// </summary>
internal static class AdaptiveRateMlp
{
    public static void Run(SampleSettings settings)
    {
        // 1. Load the data and downsample the images to 10x10 (exact area averaging), flattened to 100 features.
        var context = new PruningContext(settings.Seed);
        var (train, test) = context.Data.LoadFashionMnist(settings.DataDirectory);
        train = train.Downsample(10, 10).Flatten();
        test = test.Downsample(10, 10).Flatten();

        // 2. Train the 80-60-40 network (the paper's base accuracy is 96.46 % on MNIST).
        var architecture = new NetworkBuilder(100).Dense(80).Relu().Dense(60).Relu().Dense(40).Relu().Dense(10).Build(settings.Seed);
        var trained = context.Model.Train(architecture, settings.Epochs ?? 10).Fit(train).Network;
        double baseline = Evaluator.Evaluate(trained, test).Accuracy;
        long weights = Weights(trained);
        Console.WriteLine($"trained: test accuracy {baseline:P2}, {weights:N0} weights");

        // 3. Table III: static rates and the adaptive rate, each under two budgets.
        var rows = new List<object[]>();
        foreach (object rate in new object[] { 0.2, 0.3, 0.4, "adaptive" })
        {
            var remaining = new List<object>();
            foreach (double budget in new[] { 0.0046, 0.01 })
            {
                var stage = context.Pruning.Magnitude(new MagnitudePruningOptions { MaximumAccuracyDrop = budget, FineTuningEpochs = 1, MeasureLatency = false });
                PruningEstimator scheduled = rate is double r
                    ? context.Pruning.FixedRate(stage, new FixedRateSchedulerOptions { Rate = r, MaximumSteps = 40 })
                    : context.Pruning.AdaptiveRate(stage, new AdaptiveRateSchedulerOptions { MaximumSteps = 40 });
                var model = scheduled.Fit(trained, train);
                int accepted = model.Report.Steps.Count(s => s.Accepted);
                remaining.Add(accepted == 0 ? "failed" : $"{NonzeroWeights(model.Network):N0} ({accepted} steps, {Markdown.Percent(Evaluator.Evaluate(model.Network, test).Accuracy)} %)");
                Console.WriteLine($"  rate {rate}, budget {budget * 100:0.##} points: {remaining[^1]}");
            }

            rows.Add([rate, .. remaining]);
        }

        Markdown.Table($"Seeds/002 Table III on 10x10 Fashion-MNIST: remaining weights of {weights:N0} (steps kept, test accuracy); base test accuracy {Markdown.Percent(baseline)} %",
            ["pruning rate", "budget 0.46 points", "budget 1.0 point"], rows);

        // 4. Table IV: adaptive pruning, then an auxiliary layer, then adaptive pruning again (budget 0.46 points).
        var auxiliaryRows = new List<object[]>();
        foreach (int units in new[] { 20, 40, 60 })
        {
            var stage = context.Pruning.Magnitude(new MagnitudePruningOptions { MaximumAccuracyDrop = 0.0046, FineTuningEpochs = 1, MeasureLatency = false });
            var model = context.Pruning.AdaptiveRate(stage, new AdaptiveRateSchedulerOptions { MaximumSteps = 40, AuxiliaryLayerUnits = units }).Fit(trained, train);
            auxiliaryRows.Add([units, NonzeroWeights(model.Network), Markdown.Percent(Evaluator.Evaluate(model.Network, test).Accuracy)]);
            Console.WriteLine($"  auxiliary layer of {units}: {auxiliaryRows[^1][1]:N0} weights");
            if (units == 40)
            {
                HtmlReport.Save(model.Report, settings.File("002-adaptive-aux40.report.html"), "Seeds/002: adaptive rate with an auxiliary layer of 40");
            }
        }

        Markdown.Table("Seeds/002 Table IV: remaining weights after adaptive pruning with an auxiliary layer (budget 0.46 points)",
            ["auxiliary units", "remaining weights", "test accuracy %"], auxiliaryRows);
    }

    private static long Weights(Network network) => network.Nodes.Select(n => n.Layer).OfType<Dense>().Sum(d => (long)d.Weight.Length);

    internal static long NonzeroWeights(Network network) =>
        network.Nodes.Select(n => n.Layer).OfType<Dense>().Sum(d => (long)d.Weight.Value.Span.ToArray().Count(v => v != 0));
}
