using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>How a pruning stage's <see cref="StageOptions.Epochs"/> reaches the pruning loop.</summary>
[TestClass]
public sealed class PruningEstimatorFineTuningTests
{
    [TestMethod]
    public void Fit_ZeroFineTuningEpochs_PrunesWithoutTraining()
    {
        // Epochs = 0 on a pruning stage is documented as "skips fine-tuning": the stage must prune and leave the surviving
        // weights exactly as they were (any training step would move them).
        var data = WaveformGenerator.Generate(200, seed: 5);
        var network = new NetworkBuilder(21).Dense(16).Relu().Dense(3).Build(seed: 11);
        var before = Weights(network);
        var ml = new MLContext(seed: 3);

        var pipeline = ml.Pruning().FromNetwork(network).Append(ml.Pruning().Magnitude(new MagnitudePruningOptions
        {
            Rate = 0.5,
            MaximumAccuracyDrop = 1,
            Epochs = 0,
        }));
        var model = (NeuralNetworkTransformer)pipeline.Fit(ml.Data.LoadFromDataset(data)).LastTransformer;

        var after = Weights(model.Network);
        Assert.AreEqual(before.Length, after.Length);
        int zeros = 0;
        for (int i = 0; i < after.Length; i++)
        {
            if (after[i] == 0)
            {
                zeros++;
            }
            else
            {
                Assert.AreEqual(before[i], after[i], $"weight {i} moved, so the stage trained");
            }
        }

        // Half of each layer's weights, rounded: 336 x 0.5 = 168 and 48 x 0.5 = 24.
        Assert.AreEqual(168 + 24, zeros);
    }

    private static float[] Weights(Network network) =>
        network.Nodes.Select(n => n.Layer).OfType<Dense>().SelectMany(d => d.Weight.Value.Span.ToArray()).ToArray();
}
