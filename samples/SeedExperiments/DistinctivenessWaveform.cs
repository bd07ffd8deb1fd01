using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>
/// Seeds/001: a 50-unit sigmoid hidden layer on Breiman's Waveform data (40 attributes with noise, and 21 without),
/// pruned by distinctiveness (Gedeon and Harris: one unit of each pair whose activation vectors are under 15 or over
/// 165 degrees apart) versus the mean-weight threshold (Han et al.: weights under the layer's mean |w| are masked).
/// Pre-train, prune, fine-tune; prints tables shaped like the paper's Tables 1 and 2.
/// </summary>
internal static class DistinctivenessWaveform
{
    public static void Run(SampleSettings settings)
    {
        // The paper pre-trains "until the rate of its performance increasing starts reducing"; on this generated data
        // validation accuracy levels off after about 2 epochs (the best checkpoint is kept), so 2 is the default.
        int epochs = settings.Epochs ?? 2;
        Console.WriteLine($"Waveform, 5,000 generated rows split 4,000/1,000; pre-training {epochs} epochs (Adam 0.003, batch 32), then prune and fine-tune 10 epochs");
        var accuracyRows = new List<object[]>();
        var removedRows = new List<object[]>();
        foreach (bool noise in new[] { true, false })
        {
            // 1. Generate the data (5,000 rows as in the UCI set) and split 80/20.
            var ml = new MLContext(settings.Seed);
            var (train, test) = WaveformGenerator.Generate(5000, settings.Seed, withNoiseAttributes: noise).Split(0.8, settings.Seed);
            int attributes = train.FeatureCount;
            var trainView = ml.View(train);

            // 2. Pre-train an attributes-50-3 network with sigmoid hidden units, "not too well".
            var architecture = new NetworkBuilder(attributes).Dense(50).Sigmoid().Dense(3).Build(settings.Seed);
            var pretrained = Pipelines.Train(ml, architecture, new NeuralNetworkTrainerOptions { Epochs = epochs, LearningRate = 3e-3, BatchSize = 32 }, trainView).Network;
            double pretrainAccuracy = Evaluator.Evaluate(pretrained, test).Accuracy;

            // 3a. Distinctiveness: remove one unit of each near-duplicate or complementary pair, then fine-tune.
            var distinct = Pipelines.Fit(ml, pretrained, trainView, ml.Pruning().Distinctiveness(new DistinctivenessPruningOptions
            {
                SimilarAngle = 15,
                ComplementaryAngle = 165,
                Centering = 0.5,
                Rate = 0.99,
                MaximumAccuracyDrop = 1,
                Epochs = 10,
                BatchSize = 32,
                CalibrationSamples = train.Count,
            }));

            // 3b. Mean threshold: mask the hidden layer's weights under its mean |w|, then fine-tune.
            var threshold = Pipelines.Fit(ml, pretrained, trainView, ml.Pruning().Magnitude(new MagnitudePruningOptions
            {
                Mode = MagnitudeThreshold.MeanThreshold,
                Rate = 0.99, // the rate caps the share masked; the mean threshold alone decides here
                Layers = ["dense1"],
                MaximumAccuracyDrop = 1,
                Epochs = 10,
                BatchSize = 32,
            }));

            // 4. Evaluate.
            double distinctAccuracy = Evaluator.Evaluate(distinct.Network, test).Accuracy;
            double thresholdAccuracy = Evaluator.Evaluate(threshold.Network, test).Accuracy;
            accuracyRows.Add([attributes, "pre-train", Markdown.Percent(pretrainAccuracy), Markdown.Percent(1 - pretrainAccuracy), Markdown.Percent(pretrainAccuracy), Markdown.Percent(1 - pretrainAccuracy)]);
            accuracyRows.Add([attributes, "fine-tune", Markdown.Percent(distinctAccuracy), Markdown.Percent(1 - distinctAccuracy), Markdown.Percent(thresholdAccuracy), Markdown.Percent(1 - thresholdAccuracy)]);
            int unitsLeft = ((Dense)distinct.Network["dense1"].Layer).Outputs;
            var hidden = ((Dense)threshold.Network["dense1"].Layer).Weight.Value.Span.ToArray();
            removedRows.Add([attributes, $"{Markdown.Percent((50 - unitsLeft) / 50.0)} % ({50 - unitsLeft} of 50 hidden units)", $"{Markdown.Percent(hidden.Count(v => v == 0) / (double)hidden.Length)} % ({hidden.Count(v => v == 0):N0} of {hidden.Length:N0} input-to-hidden weights)"]);
        }

        Markdown.Table("Seeds/001 Table 1 on generated Waveform data: test accuracy and error, % (both models start from the same pre-trained network)",
            ["Attr.", "stage", "Dist. model acc.", "Dist. model error", "Threshold model acc.", "Threshold model error"], accuracyRows);
        Markdown.Table("Seeds/001 Table 2: share removed (distinctiveness removes units; the mean threshold masks connections)",
            ["Attr.", "Dist. model removed", "Threshold model removed"], removedRows);
    }
}
