using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

/// <summary>Small seeded classification data: each class is a random prototype plus noise.</summary>
internal static class SyntheticData
{
    public static Dataset Classes(int[] sampleShape, int count, int classes, int seed)
    {
        var random = new Random(seed);
        int width = sampleShape.Aggregate(1, (a, b) => a * b);
        var prototypes = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, width).Select(_ => (random.NextSingle() * 2) - 1).ToArray()).ToArray();
        var features = new float[count * width];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % classes;
            for (int i = 0; i < width; i++)
            {
                features[(n * width) + i] = prototypes[labels[n]][i] + (0.8f * ((random.NextSingle() * 2) - 1));
            }
        }

        return Dataset.FromArray(features, sampleShape, labels, classes);
    }
}
