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
}
