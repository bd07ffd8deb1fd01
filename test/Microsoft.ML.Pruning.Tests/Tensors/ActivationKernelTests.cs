using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Tensors;

/// <summary>
/// The vectorized activations and backward masks against their scalar definitions, in double, on the Vector512, AVX2
/// and portable paths, over values that cover the kinks (exactly at the bounds, just inside and outside) and a length
/// that leaves a scalar tail; and the layers, split over two threads, bit for bit the same as on one.
/// </summary>
[TestClass]
public sealed class ActivationKernelTests : KernelSettingsTests
{
    [TestMethod]
    [DataRow("clip")]
    [DataRow("relu6")]
    [DataRow("hard_swish")]
    [DataRow("sigmoid")]
    [DataRow("silu")]
    public void ForwardAndBackward_MatchTheScalarDefinition_OnEveryPath(string activation)
    {
        var x = Values(1000 + 37);
        var dy = Values(x.Length, seed: 2);
        var (forward, derivative) = Definition(activation);
        foreach (var kernel in new[] { GemmKernel.Vector512, GemmKernel.Avx2, GemmKernel.Portable })
        {
            Gemm.KernelOverride = kernel;
            var layer = Layer(activation);
            var input = FloatTensor.FromValues(x, [1, x.Length]);
            var y = layer.Forward(input, training: true).Clone();
            var dx = layer.Backward(FloatTensor.FromValues(dy, [1, x.Length]))[0]!;
            for (int i = 0; i < x.Length; i++)
            {
                Assert.AreEqual(forward(x[i]), y.Span[i], 2e-6 * Math.Max(1, Math.Abs(forward(x[i]))), $"{activation} forward at x = {x[i]} ({kernel})");
                Assert.AreEqual(derivative(x[i]) * dy[i], dx.Span[i], 2e-6 * Math.Max(1, Math.Abs(derivative(x[i]) * dy[i])), $"{activation} backward at x = {x[i]} ({kernel})");
            }
        }
    }

    [TestMethod]
    [DataRow("relu6")]
    [DataRow("hard_swish")]
    [DataRow("silu")]
    public void ForwardAndBackward_OfALargeTensor_AreBitwiseTheSame_OnOneAndTwoThreads(string activation)
    {
        var x = Values((3 * 16384) + 101);
        var dy = FloatTensor.FromValues(Values(x.Length, seed: 3), [1, x.Length]);
        var input = FloatTensor.FromValues(x, [1, x.Length]);
        ComputeSettings.DegreeOfParallelism = 1;
        var one = Layer(activation);
        var y1 = one.Forward(input, training: true).Span.ToArray();
        var dx1 = one.Backward(dy)[0]!.Span.ToArray();
        ComputeSettings.DegreeOfParallelism = 2;
        var two = Layer(activation);
        CollectionAssert.AreEqual(y1, two.Forward(input, training: true).Span.ToArray(), "forward");
        CollectionAssert.AreEqual(dx1, two.Backward(dy)[0]!.Span.ToArray(), "backward");
    }

    private static ActivationLayer Layer(string activation) => activation switch
    {
        "clip" => new Clip(-1.5f, 2.25f),
        "relu6" => new Clip(0f, 6f),
        "hard_swish" => new HardSwish(),
        "sigmoid" => new Sigmoid(),
        _ => new Silu(),
    };

    private static (Func<double, double> Forward, Func<double, double> Derivative) Definition(string activation)
    {
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        return activation switch
        {
            "clip" => (v => Math.Clamp(v, -1.5, 2.25), v => v > -1.5 && v < 2.25 ? 1 : 0),
            "relu6" => (v => Math.Clamp(v, 0, 6), v => v > 0 && v < 6 ? 1 : 0),
            "hard_swish" => (v => v * Math.Clamp((v / 6) + 0.5, 0, 1), v => v <= -3 ? 0 : v >= 3 ? 1 : (v / 3) + 0.5),
            "sigmoid" => (Sigmoid, v => Sigmoid(v) * (1 - Sigmoid(v))),
            _ => (v => v * Sigmoid(v), v => Sigmoid(v) * (1 + (v * (1 - Sigmoid(v))))),
        };
    }

    // Uniform values in [-8, 8], with the kinks of every activation placed exactly and a hair away on either side.
    private static float[] Values(int length, int seed = 1)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (random.NextSingle() * 16) - 8;
        }

        float[] kinks = [-3f, 3f, 0f, 6f, -1.5f, 2.25f];
        for (int k = 0; k < kinks.Length; k++)
        {
            values[(7 * k) + 1] = kinks[k];
            values[(7 * k) + 2] = MathF.BitDecrement(kinks[k]);
            values[(7 * k) + 3] = MathF.BitIncrement(kinks[k]);
        }

        return values;
    }
}
