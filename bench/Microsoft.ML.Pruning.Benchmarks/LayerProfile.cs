using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Where the time goes: per-layer forward and backward microseconds of one benchmark model, with Stopwatch
/// instrumentation around each layer call (the models are chains, so the layers are driven one by one here).
/// </summary>
/// <remarks>
/// Options: <c>--model vgg</c>, <c>--half</c> (the variant built with half the multiply-adds), <c>--pruned</c> (the full
/// model pruned structurally to about half, <see cref="BenchmarkModels.Prune"/>), <c>--batch 128</c>, <c>--threads 1</c>, <c>--training</c> (also time the
/// backward pass), <c>--iterations 50</c>. Each figure is the fastest of the iterations, after warm-up: on a machine
/// shared with other work the fastest is the steadiest estimate of the uncontended time.
/// </remarks>
internal static class LayerProfile
{
    /// <summary>Runs the profile and prints one line per layer.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        string model = ModelBenchmark.Option(args, "--model") ?? "vgg";
        int batch = int.Parse(ModelBenchmark.Option(args, "--batch") ?? "128", CultureInfo.InvariantCulture);
        int iterations = int.Parse(ModelBenchmark.Option(args, "--iterations") ?? "50", CultureInfo.InvariantCulture);
        bool training = args.Contains("--training");
        ComputeSettings.DegreeOfParallelism = int.Parse(ModelBenchmark.Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        var network = args.Contains("--pruned") ? BenchmarkModels.Prune(model).Network : BenchmarkModels.Build(model, args.Contains("--half"));
        var nodes = network.Nodes;
        bool parameterGradients = !args.Contains("--no-parameter-gradients");
        foreach (var node in nodes)
        {
            node.Layer.ComputeParameterGradients = parameterGradients;
        }

        var input = new FloatTensor([batch, .. network.InputShape]);
        var random = new Random(1);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (float)random.NextDouble();
        }

        var gradient = new FloatTensor([batch, .. network.OutputShape]);
        gradient.Fill(1e-3f);
        var forward = new double[nodes.Count][];
        var backward = new double[nodes.Count][];
        for (int i = 0; i < nodes.Count; i++)
        {
            forward[i] = new double[iterations];
            backward[i] = new double[iterations];
        }

        var one = new FloatTensor[1];
        var watch = new Stopwatch();
        for (int it = -5; it < iterations; it++)
        {
            var x = input;
            for (int i = 0; i < nodes.Count; i++)
            {
                one[0] = x;
                watch.Restart();
                x = nodes[i].Layer.Forward(one, training);
                if (it >= 0)
                {
                    forward[i][it] = watch.Elapsed.TotalMicroseconds;
                }
            }

            if (!training)
            {
                continue;
            }

            var g = gradient;
            for (int i = nodes.Count - 1; i >= 0; i--)
            {
                watch.Restart();
                var result = nodes[i].Layer.Backward(g);
                if (it >= 0)
                {
                    backward[i][it] = watch.Elapsed.TotalMicroseconds;
                }

                g = result[0] ?? g;
            }
        }

        Console.WriteLine($"{model}{(args.Contains("--half") ? " (half)" : args.Contains("--pruned") ? " (pruned)" : "")} {BenchmarkModels.Widths(network)}, batch {batch}, {ComputeSettings.DegreeOfParallelism} thread(s), fastest µs of {iterations}" +
            (training && !parameterGradients ? ", no parameter gradients" : ""));
        Console.WriteLine($"{"layer",-12} {"type",-10} {"output",-16} {"MACs/img",10} {"forward",10} {"GFLOP/s",8} {"backward",10}");
        double totalForward = 0, totalBackward = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            long macs = node.Layer.CountMultiplyAdds(network.InputShapes(node));
            double f = Fastest(forward[i]), b = training ? Fastest(backward[i]) : 0;
            totalForward += f;
            totalBackward += b;
            string rate = node.Layer is Dense or Conv2d ? $"{2.0 * macs * batch / f / 1e3,8:F1}" : $"{"",8}";
            Console.WriteLine($"{node.Layer.Name,-12} {node.Layer.GetType().Name,-10} {FloatTensor.FormatShape(node.OutputShape),-16} {macs,10:N0} {f,10:F1} {rate} {(training ? b.ToString("F1", CultureInfo.InvariantCulture) : "-"),10}");
        }

        Console.WriteLine($"{"total",-12} {"",-10} {"",-16} {network.MultiplyAdds,10:N0} {totalForward,10:F1} {2.0 * network.MultiplyAdds * batch / totalForward / 1e3,8:F1} {totalBackward,10:F1}");
        Console.WriteLine($"images/s: inference {batch / totalForward * 1e6:F0}" + (training ? $", forward+backward {batch / (totalForward + totalBackward) * 1e6:F0}" : ""));
        return 0;
    }

    private static double Fastest(double[] values) => values.Min();
}
