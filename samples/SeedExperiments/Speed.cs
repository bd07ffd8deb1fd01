using System.Diagnostics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>
/// Measures inference throughput on a whole data set. Two networks are timed in alternation (after a warm-up of each),
/// so that load from other processes falls on both alike, and the median pass of each is kept.
/// </summary>
internal static class Speed
{
    public static (double Baseline, double Pruned) ImagesPerSecond(Network baseline, Network pruned, Dataset data, int repetitions = 7)
    {
        Evaluator.Evaluate(baseline, data);
        Evaluator.Evaluate(pruned, data);
        var baseTimes = new double[repetitions];
        var prunedTimes = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            baseTimes[i] = Time(baseline, data);
            prunedTimes[i] = Time(pruned, data);
        }

        return (data.Count / Median(baseTimes), data.Count / Median(prunedTimes));
    }

    private static double Time(Network network, Dataset data)
    {
        var watch = Stopwatch.StartNew();
        Evaluator.Evaluate(network, data);
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
