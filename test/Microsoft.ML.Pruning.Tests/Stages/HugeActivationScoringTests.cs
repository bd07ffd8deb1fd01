using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// Issue 19 item 12's fault model through ML.NET's <c>Transform</c>: a 1-to-1 convolution with kernel 1 and padding
/// 2000 on a 28x28 image (16.2 million activations a sample). Scored in fixed batches of 1,024 rows, 140 rows asked for
/// a [140, 1, 4028, 4028] tensor, past the engine's 2^31 elements, and failed with a bare shape error; the scorer now
/// sizes its batches by the inference budget.
/// </summary>
[TestClass]
public sealed class HugeActivationScoringTests
{
    [TestMethod]
    [Timeout(120_000)]
    public void TransformOfAModelWithHugeActivations_ScoresInBatchesThatFit_AsTheNetworkDoesRowByRow()
    {
        var network = new NetworkBuilder(1, 28, 28).Conv2d(1, 1, padding: 2000).GlobalAvgPool().Flatten().Dense(10).Build(seed: 1);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 140).Select(i => new ImageRow
        {
            Features = [.. Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble())],
            Label = (uint)(i % 10) + 1,
        }).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Pruning().FromNetwork(network).Fit(ml.Data.TakeRows(data, 20));

        var scores = ml.Data.CreateEnumerable<ScoreRow>(model.Transform(data), reuseRowObject: false).Select(r => r.Score).ToArray();

        Assert.AreEqual(140, scores.Length);
        foreach (int i in new[] { 0, 139 })
        {
            var logits = network.Forward(FloatTensor.FromValues(rows[i].Features, [1, 1, 28, 28])).Span.ToArray();
            var expected = logits.Select(v => Math.Exp(v - logits.Max())).ToArray();
            double total = expected.Sum();
            for (int c = 0; c < 10; c++)
            {
                Assert.AreEqual(expected[c] / total, scores[i][c], 1e-5, $"row {i}, class {c}");
            }
        }
    }

    /// <summary>A 28x28 image and its class.</summary>
    public sealed class ImageRow
    {
        /// <summary>Gets or sets the pixels.</summary>
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        /// <summary>Gets or sets the 1-based class key.</summary>
        [KeyType(10)]
        public uint Label { get; set; }
    }

    /// <summary>The scores.</summary>
    public sealed class ScoreRow
    {
        /// <summary>Gets or sets the class probabilities.</summary>
        public float[] Score { get; set; } = [];
    }
}
