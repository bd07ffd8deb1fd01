using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>A fitted transformer scores, saves and exports one network; the one it hands out is a copy.</summary>
[TestClass]
public sealed class TransformerNetworkTests
{
    [TestMethod]
    public void ZeroingTheNetworkItHandsOut_ChangesNeitherItsScoresNorTheOnnxItExports()
    {
        // Issue 19 item 6: Transform scored a private copy while Network and SaveOnnx used the live network, so after
        // zeroing transformer.Network's weights Transform still gave the trained scores and SaveOnnx wrote zeros.
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var featurizer = PipelineFixture.Featurize(ml).Fit(train);
        var test = featurizer.Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TestRows));
        var fitted = ml.Pruning().FromNetwork(PipelineFixture.Trained).Fit(featurizer.Transform(train));
        var before = PipelineFixture.Scores(fitted.Transform(test));

        foreach (var parameter in fitted.Network.Parameters)
        {
            parameter.Value.Span.Clear();
        }

        var after = PipelineFixture.Scores(fitted.Transform(test));
        using var exported = new MemoryStream();
        fitted.SaveOnnx(exported);
        exported.Position = 0;
        var saved = OnnxModel.Load(exported, "exported");

        for (int i = 0; i < before.Length; i++)
        {
            CollectionAssert.AreEqual(before[i], after[i], $"row {i}");
        }

        CollectionAssert.AreEqual(Weights(PipelineFixture.Trained), Weights(saved), "the exported network is the one that scores");
        CollectionAssert.AreEqual(Weights(PipelineFixture.Trained), Weights(fitted.Network), "a fresh copy has the weights that score");
    }

    private static float[] Weights(Network network) => network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
}
