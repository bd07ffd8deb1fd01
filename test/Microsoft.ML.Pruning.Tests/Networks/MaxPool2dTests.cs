using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

[TestClass]
public sealed class MaxPool2dTests
{
    [TestMethod]
    public void Forward_TwoByTwoStrideTwo_TiesGoToTheFirstMaximumAndNaNWins()
    {
        // One 3x5 plane: the 2x2 windows cover rows 0-1 and columns 0-3; row 2 and column 4 are left out (floor).
        float nan = float.NaN;
        float[] values =
        [
            1, 7, 4, nan, 99,
            7, 2, 4, 3, 99,
            99, 99, 99, 99, 99,
        ];
        var pool = new MaxPool2d(2);
        var output = pool.Forward(new FloatTensor(values, 1, 1, 3, 5), training: true);
        CollectionAssert.AreEqual(new[] { 1, 1, 1, 2 }, output.Shape);
        Assert.AreEqual(7f, output.Span[0]);
        Assert.IsTrue(float.IsNaN(output.Span[1]), "a NaN in the window wins, as in PyTorch");

        // The gradient of the tied window goes to the first 7 (row 0, column 1), not the second (row 1, column 0).
        var inputGradient = pool.Backward(new FloatTensor([10f, 20f], 1, 1, 1, 2))[0]!;
        float[] expected =
        [
            0, 10, 0, 20, 0,
            0, 0, 0, 0, 0,
            0, 0, 0, 0, 0,
        ];
        CollectionAssert.AreEqual(expected, inputGradient.Span.ToArray());
    }

    [TestMethod]
    public void Forward_TwoByTwoStrideTwoOnManyPlanes_MatchesEveryWindowsMaximum()
    {
        // 3 samples x 20 channels, so the planes split across parts; the expected maxima are computed here directly.
        var random = new Random(3);
        var input = new FloatTensor(3, 20, 6, 8);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (float)random.NextDouble();
        }

        var output = new MaxPool2d(2).Forward(input, training: false);
        for (int plane = 0; plane < 60; plane++)
        {
            for (int oy = 0; oy < 3; oy++)
            {
                for (int ox = 0; ox < 4; ox++)
                {
                    int top = (plane * 48) + (2 * oy * 8) + (2 * ox);
                    float expected = Math.Max(Math.Max(input.Span[top], input.Span[top + 1]), Math.Max(input.Span[top + 8], input.Span[top + 9]));
                    Assert.AreEqual(expected, output.Span[(plane * 12) + (oy * 4) + ox], $"plane {plane}, window ({oy}, {ox})");
                }
            }
        }
    }

    // kernel, stride, padding (top, left, bottom, right), ceil mode, height, width.
    [TestMethod]
    [DataRow(3, 2, 1, 1, 1, 1, false, 32, 32, DisplayName = "3x3 stride 2 padding 1 (resnet)")]
    [DataRow(3, 2, 1, 1, 1, 1, false, 7, 9, DisplayName = "3x3 stride 2 padding 1, odd plane")]
    [DataRow(3, 1, 1, 1, 1, 1, false, 5, 37, DisplayName = "3x3 stride 1 padding 1, 37 wide")]
    [DataRow(3, 2, 0, 0, 0, 0, true, 8, 8, DisplayName = "3x3 stride 2 ceil mode (googlenet)")]
    [DataRow(2, 1, 0, 1, 1, 0, false, 3, 2, DisplayName = "2x2 stride 1, asymmetric padding, 3x2 plane")]
    public void Forward_GeneralWindow_MatchesTheScalarLoop_ValuesAndArgMax_OnEveryPath(int kernel, int stride, int top, int left, int bottom, int right, bool ceil, int height, int width)
    {
        var random = new Random(height * width);
        var input = new FloatTensor(2, 3, height, width);
        var span = input.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = random.Next(8) == 0 ? float.NegativeInfinity : MathF.Round(random.NextSingle() * 4, 1);
        }

        span[5] = float.NaN;
        span[span.Length - 3] = float.NaN;
        var dy = new FloatTensor(1);
        try
        {
            foreach (var kernelPath in new[] { GemmKernel.Vector512, GemmKernel.Avx2, GemmKernel.Portable })
            {
                Gemm.KernelOverride = kernelPath;
                var pool = new MaxPool2d((kernel, kernel), (stride, stride), (top, left, bottom, right), ceil);
                var output = pool.Forward(input, training: true);
                // Ceil mode pads the end just enough for the last window, as the layer does.
                int Extra(int outputs, int size, int before, int after) => Math.Max(0, ((outputs - 1) * stride) + kernel - (size + before + after));
                var g = new WindowGeometry(3, height, width, kernel, kernel, stride, stride, top, left,
                    bottom + Extra(output.Dim(2), height, top, bottom), right + Extra(output.Dim(3), width, left, right));
                int inPlane = height * width, outPlane = output.Dim(2) * output.Dim(3);
                var expected = new float[outPlane];
                var expectedArg = new int[outPlane];
                for (int plane = 0; plane < 6; plane++)
                {
                    MaxPool2d.PoolPlaneScalar(g, input.Span.Slice(plane * inPlane, inPlane), expected, expectedArg, training: true);
                    CollectionAssert.AreEqual(expected, output.Span.Slice(plane * outPlane, outPlane).ToArray(), $"values of plane {plane} ({kernelPath})");

                    // The argmax shows in the backward pass: a one-hot output gradient lands on the winner.
                    for (int o = 0; o < outPlane; o++)
                    {
                        var gradient = new FloatTensor(output.Shape);
                        gradient.Span[(plane * outPlane) + o] = 1;
                        var dx = pool.Backward(gradient)[0]!;
                        Assert.AreEqual(1f, dx.Span[(plane * inPlane) + expectedArg[o]], $"argmax of output {o}, plane {plane} ({kernelPath})");
                    }
                }
            }
        }
        finally
        {
            Gemm.KernelOverride = null;
        }
    }
}
