using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

[TestClass]
public sealed class Conv2dBatchTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ForwardAndBackward_BatchOnTwoThreads_MatchSampleBySamplePasses(int groups)
    {
        // 40 samples on 2 threads: each part sums the weight gradients of its 20 samples, and the parts are added in order.
        int saved = ComputeSettings.DegreeOfParallelism;
        try
        {
            ComputeSettings.DegreeOfParallelism = 2;
            var random = new Random(9);
            var conv = new Conv2d(4, 6, 3, padding: 1, groups: groups);
            conv.ResetParameters(random);
            var input = Random(random, 40, 4, 16, 16);
            var outputGradient = Random(random, 40, 6, 16, 16);

            var batchOutput = conv.Forward(input, training: true).Clone();
            var batchInputGradient = conv.Backward(outputGradient)[0]!.Clone();
            var batchWeightGradient = conv.Weight.Gradient.Clone();
            var batchBiasGradient = conv.Bias!.Gradient.Clone();

            var weightGradient = new double[batchWeightGradient.Length];
            var biasGradient = new double[batchBiasGradient.Length];
            for (int n = 0; n < 40; n++)
            {
                var sample = Slice(input, n);
                var output = conv.Forward(sample, training: true);
                TensorAssert.AreClose(Slice(batchOutput, n), output, $"output of sample {n}", 1e-4);
                var inputGradient = conv.Backward(Slice(outputGradient, n))[0]!;
                TensorAssert.AreClose(Slice(batchInputGradient, n), inputGradient, $"input gradient of sample {n}", 1e-4);
                for (int i = 0; i < weightGradient.Length; i++)
                {
                    weightGradient[i] += conv.Weight.Gradient.Span[i];
                }

                for (int i = 0; i < biasGradient.Length; i++)
                {
                    biasGradient[i] += conv.Bias.Gradient.Span[i];
                }
            }

            TensorAssert.AreClose(FloatTensor.FromValues(weightGradient.Select(v => (float)v).ToArray(), batchWeightGradient.Shape), batchWeightGradient, "weight gradient", 1e-4);
            TensorAssert.AreClose(FloatTensor.FromValues(biasGradient.Select(v => (float)v).ToArray(), batchBiasGradient.Shape), batchBiasGradient, "bias gradient", 1e-4);
        }
        finally
        {
            ComputeSettings.DegreeOfParallelism = saved;
        }
    }

    private static FloatTensor Random(Random random, params int[] shape)
    {
        var t = new FloatTensor(shape);
        foreach (ref float v in t.Span)
        {
            v = (float)((random.NextDouble() * 2) - 1);
        }

        return t;
    }

    private static FloatTensor Slice(FloatTensor batch, int n)
    {
        int length = batch.Length / batch.Dim(0);
        return FloatTensor.FromValues(batch.Span.Slice(n * length, length), [1, .. batch.Shape.AsSpan(1)]);
    }
}
