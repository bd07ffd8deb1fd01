using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Reports;
using Microsoft.ML.Pruning.Stages;
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
    /// <summary>Epochs of retraining after each pruning step (and after the auxiliary layer goes in).</summary>
    private const int FineTuningEpochs = 3;

    private const double StrictBudget = 0.0046;

    public static void Run(SampleSettings settings)
    {
        // 1. Load the data and downsample the images to 10x10 (exact area averaging), flattened to 100 features.
        var ml = new MLContext(settings.Seed);
        var (train, test) = IdxLoader.LoadFashionMnist(settings.DataDirectory);
        train = train.Downsample(10, 10).Flatten();
        test = test.Downsample(10, 10).Flatten();

        // 2. Train the 80-60-40 network (the paper's base accuracy is 96.46 % on MNIST).
        var architecture = new NetworkBuilder(100).Dense(80).Relu().Dense(60).Relu().Dense(40).Relu().Dense(10).Build(settings.Seed);
        int epochs = settings.Epochs ?? 10;
        var trainView = ml.View(train);
        var trained = Pipelines.Train(ml, architecture, new NeuralNetworkTrainerOptions { Epochs = epochs }, trainView).Network;
        double baseline = Evaluator.Evaluate(trained, test).Accuracy;
        long weights = DenseFigures.Weights(trained);
        Console.WriteLine($"trained {epochs} epochs: test accuracy {baseline:P2}, {weights:N0} weights");

        // 3. Table III: static rates and the adaptive rate, each under two budgets. Each step masks that share of the
        //    remaining weights (smallest |w| per layer), retrains, and is kept only if validation accuracy stays within
        //    the budget; the first step that breaks it is rolled back and ends the run.
        Console.WriteLine($"each step: magnitude pruning, then {FineTuningEpochs} epochs of retraining (Adam 0.001); the accuracy budget is judged on a 10 % validation split");
        var rows = new List<object[]>();
        Outcome? adaptive = null;
        foreach (object rate in new object[] { 0.2, 0.3, 0.4, "adaptive" })
        {
            var outcomes = new List<Outcome>();
            foreach (double budget in new[] { StrictBudget, 0.01 })
            {
                var stage = Magnitude(ml, budget);
                PruningEstimator scheduled = rate is double r
                    ? ml.Pruning().FixedRate(stage, new FixedRateSchedulerOptions { Rate = r, MaximumSteps = 40 })
                    : ml.Pruning().AdaptiveRate(stage, new AdaptiveRateSchedulerOptions { MaximumSteps = 40 });
                var model = Pipelines.Fit(ml, trained, trainView, scheduled);
                var outcome = new Outcome(DenseFigures.NonzeroWeights(model.Network), model.Report.Steps.Count(s => s.Accepted), Evaluator.Evaluate(model.Network, test).Accuracy);
                outcomes.Add(outcome);
                Console.WriteLine($"  rate {rate}, budget {budget * 100:0.##} points: {outcome}");
            }

            adaptive ??= rate is string ? outcomes[0] : null;
            rows.Add([rate, .. outcomes.Select(o => (object)o.ToString()),
                outcomes.All(o => !o.Failed) ? outcomes.Average(o => o.Weights).ToString("N0", CultureInfo.InvariantCulture) : "#"]);
        }

        Markdown.Table($"Seeds/002 Table III on 10x10 Fashion-MNIST: remaining weights of {weights:N0} (steps kept, test accuracy); base test accuracy {Markdown.Percent(baseline)} %",
            ["pruning rate", "accuracy drop 0.46", "accuracy drop 1.0", "average"], rows);

        // 4. Table IV: adaptive pruning until a step fails, then an auxiliary Dense layer after the middle hidden layer
        //    (retrained; rolled back if over budget), then adaptive pruning again; budget 0.46 points. The auxiliary
        //    layer's own weights count among the remaining ones.
        var auxiliaryRows = new List<object[]> { new object[] { "none (adaptive, Table III)", adaptive!.Weights, Markdown.Percent(adaptive.Accuracy) } };
        foreach (int units in new[] { 20, 40, 60 })
        {
            var model = Pipelines.Fit(ml, trained, trainView, ml.Pruning().AdaptiveRate(Magnitude(ml, StrictBudget), new AdaptiveRateSchedulerOptions { MaximumSteps = 40, AuxiliaryLayerUnits = units }));
            var insertion = model.Report.Steps.FirstOrDefault(s => s.Phase == "auxiliary");
            string label = insertion is null ? $"{units} (never inserted)"
                : !insertion.Accepted ? $"{units} (insertion rolled back: over budget after retraining)"
                : model.Network.Nodes.Any(n => n.Layer.Name == "auxiliary_dense") ? units.ToString(CultureInfo.InvariantCulture)
                : $"{units} (rolled back at the end: no smaller than without it)";
            auxiliaryRows.Add([label, DenseFigures.NonzeroWeights(model.Network), Markdown.Percent(Evaluator.Evaluate(model.Network, test).Accuracy)]);
            Console.WriteLine($"  auxiliary layer of {units}: {auxiliaryRows[^1][1]:N0} weights");
            if (units == 40)
            {
                HtmlReport.Save(model.Report, settings.File("002-adaptive-aux40.report.html"), "Seeds/002: adaptive rate with an auxiliary layer of 40");
            }
        }

        Markdown.Table("Seeds/002 Table IV: remaining weights after adaptive pruning with an auxiliary layer (accuracy drop 0.46)",
            ["number of neurons", "remaining weights", "test accuracy %"], auxiliaryRows);
    }

    private static MagnitudePruningEstimator Magnitude(MLContext ml, double budget) =>
        ml.Pruning().Magnitude(new MagnitudePruningOptions { MaximumAccuracyDrop = budget, Epochs = FineTuningEpochs });

    /// <summary>One pruning run: the weights left, the steps kept (0 means the first step already broke the budget) and the test accuracy.</summary>
    private sealed record Outcome(long Weights, int Steps, double Accuracy)
    {
        public bool Failed => Steps == 0;

        public override string ToString() =>
            Failed ? "failed" : $"{Weights.ToString("N0", CultureInfo.InvariantCulture)} ({Steps} steps, {Markdown.Percent(Accuracy)} %)";
    }
}
