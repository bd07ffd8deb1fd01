using System.Diagnostics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>Measures inference throughput on a whole data set: the median of several timed passes after a warm-up.</summary>
internal static class Speed
{
    public static double ImagesPerSecond(Network network, Dataset data, int repetitions = 5)
    {
        Evaluator.Evaluate(network, data);
        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            Evaluator.Evaluate(network, data);
            times[i] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return data.Count / times[repetitions / 2];
    }
}
