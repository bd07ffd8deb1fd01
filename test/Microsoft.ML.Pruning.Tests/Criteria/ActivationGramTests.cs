using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Criteria;

[TestClass]
public sealed class ActivationGramTests
{
    [TestMethod]
    [DataRow(150, 1)]
    [DataRow(70, 6)]
    [DataRow(3, 4)]
    public void ToMatrix_SeveralBatchesAndBlocks_EqualsTheDirectSumOfOuterProducts(int units, int spatial)
    {
        // 150 and 70 units span several 64-row blocks; batches of 13 and 5 samples.
        var random = new Random(units + spatial);
        var gram = new ActivationGram(units);
        var expected = new double[units * units];
        const double centering = 0.25;
        foreach (int batch in new[] { 13, 5 })
        {
            var activations = spatial == 1 ? new FloatTensor(batch, units) : new FloatTensor(batch, units, 2, spatial / 2);
            var values = activations.Span;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)random.NextDouble() - 0.3f;
            }

            gram.Add(activations, centering);
            for (int n = 0; n < batch; n++)
            {
                var vector = new double[units];
                for (int u = 0; u < units; u++)
                {
                    double sum = 0;
                    for (int s = 0; s < spatial; s++)
                    {
                        sum += values[(((n * units) + u) * spatial) + s];
                    }

                    vector[u] = (sum / spatial) - centering;
                }

                for (int i = 0; i < units; i++)
                {
                    for (int j = 0; j < units; j++)
                    {
                        expected[(i * units) + j] += vector[i] * vector[j];
                    }
                }
            }
        }

        var actual = gram.ToMatrix();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"element ({i / units}, {i % units})");
        }
    }
}
