using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

[TestClass]
public sealed class DatasetDownsampleTests
{
    private static Dataset Images(int count, int channels, int height, int width, Func<int, int, int, int, float> value)
    {
        var features = new FloatTensor(count, channels, height, width);
        for (int n = 0; n < count; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        features[n, c, y, x] = value(n, c, y, x);
                    }
                }
            }
        }

        return new Dataset(features, new int[count], classCount: 1);
    }

    /// <summary>
    /// An independent reference for exact area averaging: replicate every input pixel k times along each axis so that
    /// the output cells become whole blocks (k = out / gcd(in, out)), then average each block plainly.
    /// </summary>
    private static float[,] SupersampledBlockMean(Func<int, int, float> pixel, int inSize, int outSize)
    {
        int k = outSize / Gcd(inSize, outSize);
        int fine = inSize * k, block = fine / outSize;
        var result = new float[outSize, outSize];
        for (int oy = 0; oy < outSize; oy++)
        {
            for (int ox = 0; ox < outSize; ox++)
            {
                double sum = 0;
                for (int fy = oy * block; fy < (oy + 1) * block; fy++)
                {
                    for (int fx = ox * block; fx < (ox + 1) * block; fx++)
                    {
                        sum += pixel(fy / k, fx / k);
                    }
                }

                result[oy, ox] = (float)(sum / (block * block));
            }
        }

        return result;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    [TestMethod]
    public void Downsample_WholeRatio_AveragesBlocks()
    {
        // One 4x4 plane 0..15 to 2x2: each output is the mean of a 2x2 block.
        Dataset data = Images(1, 1, 4, 4, (_, _, y, x) => (y * 4) + x);

        Dataset small = data.Downsample(2, 2);

        CollectionAssert.AreEqual(new[] { 1, 2, 2 }, small.SampleShape);
        CollectionAssert.AreEqual(new[] { 2.5f, 4.5f, 10.5f, 12.5f }, small.Features.Span.ToArray());
    }

    [TestMethod]
    public void Downsample_ThreeToTwo_WeightsPartialPixels()
    {
        // A row 0, 3, 6 to 2 pixels: [0, 1.5) -> (0 * 1 + 3 * 0.5) / 1.5 = 1 and [1.5, 3) -> (3 * 0.5 + 6 * 1) / 1.5 = 5.
        Dataset data = Images(1, 1, 1, 3, (_, _, _, x) => 3 * x);

        CollectionAssert.AreEqual(new[] { 1f, 5f }, data.Downsample(1, 2).Features.Span.ToArray());
    }

    [TestMethod]
    public void Downsample_TwentyEightToTen_MatchesSupersampledReference()
    {
        Func<int, int, float> pixel = (y, x) => (float)(Math.Sin(y * 0.7) + (0.01 * x * x) + (y == x ? 1 : 0));
        Dataset data = Images(2, 2, 28, 28, (n, c, y, x) => pixel(y, x) * (1 + n + (2 * c)));

        Dataset small = data.Downsample(10, 10);

        float[,] reference = SupersampledBlockMean(pixel, 28, 10);
        CollectionAssert.AreEqual(new[] { 2, 2, 10, 10 }, small.Features.Shape);
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < 2; c++)
            {
                for (int y = 0; y < 10; y++)
                {
                    for (int x = 0; x < 10; x++)
                    {
                        Assert.AreEqual(reference[y, x] * (1 + n + (2 * c)), small.Features[n, c, y, x], 1e-5f, $"sample {n}, channel {c}, pixel ({y}, {x})");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Downsample_NonWholeRatio_DiffersFromAdaptiveAveragePooling()
    {
        // The row 0..27 to 10 pixels. Exact area: the first output covers [0, 2.8), (0 + 1 + 0.8 * 2) / 2.8 = 0.92857.
        // PyTorch 1.13 F.adaptive_avg_pool2d (and F.interpolate(mode='area')) averages whole pixels 0..2 instead:
        // [1.0, 3.5, 6.5, 9.5, 12.0, 15.0, 17.5, 20.5, 23.5, 26.0].
        Dataset data = Images(1, 1, 1, 28, (_, _, _, x) => x);

        float[] values = data.Downsample(1, 10).Features.Span.ToArray();

        Assert.AreEqual(2.6f / 2.8f, values[0], 1e-6f);
        Assert.AreNotEqual(1.0f, values[0], 1e-3f);

        // The second output covers [2.8, 5.6): (2 * 0.2 + 3 + 4 + 5 * 0.6) / 2.8.
        Assert.AreEqual(10.4f / 2.8f, values[1], 1e-5f);
        Assert.AreNotEqual(3.5f, values[1], 1e-3f);
    }

    [TestMethod]
    public void Downsample_ConstantImage_StaysConstantAndKeepsLabels()
    {
        var features = new FloatTensor(3, 1, 28, 28);
        features.Fill(0.75f);
        var data = new Dataset(features, [2, 0, 1], classCount: 3, classNames: ["a", "b", "c"]);

        Dataset small = data.Downsample(9, 13);

        foreach (float value in small.Features.Span)
        {
            Assert.AreEqual(0.75f, value, 1e-6f);
        }

        CollectionAssert.AreEqual(new[] { 2, 0, 1 }, small.Labels);
        Assert.AreSame(data.ClassNames, small.ClassNames);
    }

    [TestMethod]
    public void Downsample_InvalidShapeOrSize_Throws()
    {
        Dataset images = Images(1, 1, 4, 4, (_, _, _, _) => 0);

        Assert.AreEqual("height", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => images.Downsample(5, 2)).ParamName);
        Assert.AreEqual("width", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => images.Downsample(2, 0)).ParamName);
        Assert.ThrowsExactly<InvalidOperationException>(() => images.Flatten().Downsample(2, 2));
    }
}
