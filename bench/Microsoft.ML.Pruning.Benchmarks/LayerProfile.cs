using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Where the time goes: per-layer forward and backward microseconds of one model (any graph: the layers are driven
/// node by node as <see cref="Network"/> does), then the totals by kind of layer.
/// </summary>
/// <remarks>
/// Options: <c>--model resnet18</c> (a torchvision family or a <see cref="BenchmarkModels"/> key), <c>--size 64</c>
/// (torchvision input size), <c>--half</c> / <c>--pruned</c> (small models only), <c>--batch 32</c>, <c>--threads 1</c>,
/// <c>--training</c> (also the backward pass and an SGD step), <c>--no-parameter-gradients</c>, <c>--iterations 20</c>,
/// <c>--layers</c> (one line per layer, not only the totals). Each figure is the fastest of the iterations after 30
/// warm-up passes: on a machine shared with other work the fastest is the steadiest estimate of the uncontended time.
/// </remarks>
internal static class LayerProfile
{
    /// <summary>Runs the profile.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        string model = ModelBenchmark.Option(args, "--model") ?? "resnet18";
        int size = int.Parse(ModelBenchmark.Option(args, "--size") ?? "64", CultureInfo.InvariantCulture);
        int batch = int.Parse(ModelBenchmark.Option(args, "--batch") ?? "32", CultureInfo.InvariantCulture);
        int iterations = int.Parse(ModelBenchmark.Option(args, "--iterations") ?? "20", CultureInfo.InvariantCulture);
        bool training = args.Contains("--training");
        ComputeSettings.DegreeOfParallelism = int.Parse(ModelBenchmark.Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        var network = args.Contains("--pruned") ? BenchmarkModels.Prune(model).Network
            : args.Contains("--half") ? BenchmarkModels.Build(model, half: true)
            : CnnModels.Load(model, size);
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
            input.Span[i] = random.NextSingle() - 0.5f;
        }

        var gradient = new FloatTensor([batch, .. network.OutputShape]);
        gradient.Fill(1e-3f);
        var forward = new double[nodes.Count];
        var backward = new double[nodes.Count];
        Array.Fill(forward, double.MaxValue);
        Array.Fill(backward, double.MaxValue);
        double step = double.MaxValue;
        var optimizer = new SgdOptimizer(1e-4f);
        var outputs = new FloatTensor[nodes.Count];
        var gradients = new FloatTensor?[nodes.Count];
        var owned = new FloatTensor?[nodes.Count];
        var watch = new Stopwatch();
        for (int it = -30; it < iterations; it++)
        {
            for (int i = 0; i < nodes.Count; i++)
            {
                var args1 = nodes[i].Inputs.Select(s => s == NetworkNode.NetworkInput ? input : outputs[s]).ToArray();
                watch.Restart();
                outputs[i] = nodes[i].Layer.Forward(args1, training);
                forward[i] = it >= 0 ? Math.Min(forward[i], watch.Elapsed.TotalMicroseconds) : forward[i];
            }

            if (!training)
            {
                continue;
            }

            Array.Clear(gradients);
            gradients[^1] = gradient;
            for (int i = nodes.Count - 1; i >= 0; i--)
            {
                if (gradients[i] is not { } g)
                {
                    continue;
                }

                watch.Restart();
                var result = nodes[i].Layer.Backward(g);
                backward[i] = it >= 0 ? Math.Min(backward[i], watch.Elapsed.TotalMicroseconds) : backward[i];
                for (int j = 0; j < nodes[i].Inputs.Count; j++)
                {
                    int source = nodes[i].Inputs[j];
                    if (source == NetworkNode.NetworkInput || result[j] is not { } contribution)
                    {
                        continue;
                    }

                    if (gradients[source] is null)
                    {
                        gradients[source] = contribution;
                        continue;
                    }

                    var sum = owned[source] ??= new FloatTensor(contribution.Shape);
                    if (!ReferenceEquals(sum, gradients[source]))
                    {
                        sum.CopyFrom(gradients[source]!);
                        gradients[source] = sum;
                    }

                    VectorOps.Add(sum.Span, contribution.Span);
                }
            }

            if (parameterGradients)
            {
                watch.Restart();
                optimizer.Step(network.Parameters);
                step = it >= 0 ? Math.Min(step, watch.Elapsed.TotalMicroseconds) : step;
            }
        }

        Console.WriteLine($"{Machine.Describe()}");
        Console.WriteLine($"{model} {FloatTensor.FormatShape(network.InputShape)}, batch {batch}, {ComputeSettings.DegreeOfParallelism} thread(s), fastest µs of {iterations} after 30 warm-up passes" +
            (training && !parameterGradients ? ", no parameter gradients" : ""));
        var rows = nodes.Select(n => (Node: n, Kind: Kind(n.Layer), Macs: n.Layer.CountMultiplyAdds(network.InputShapes(n)))).ToList();
        if (args.Contains("--layers"))
        {
            Console.WriteLine($"{"layer",-28} {"kind",-14} {"output",-16} {"MACs/img",12} {"forward",10} {"GFLOP/s",8} {"backward",10} {"GFLOP/s",8}");
            foreach (var (node, kind, macs) in rows)
            {
                double f = forward[node.Index], b = training ? backward[node.Index] : 0;
                Console.WriteLine($"{node.Layer.Name,-28} {kind,-14} {FloatTensor.FormatShape(node.OutputShape),-16} {macs,12:N0} {f,10:F1} {Rate(macs, f, batch, 1),8} {(training ? b.ToString("F1", CultureInfo.InvariantCulture) : "-"),10} {(training ? Rate(macs, b, batch, 2) : ""),8}");
            }

            Console.WriteLine();
        }

        double totalForward = forward.Sum(), totalBackward = training ? backward.Where(b => b != double.MaxValue).Sum() : 0;
        double stepTime = training && parameterGradients ? step : 0;
        double total = totalForward + totalBackward + stepTime;
        Console.WriteLine($"{"kind",-14} {"count",5} {"MACs/img",14} {"forward",10} {"GFLOP/s",8} {"backward",10} {"GFLOP/s",8} {"share",6}");
        foreach (var group in rows.GroupBy(r => r.Kind).OrderByDescending(g => g.Sum(r => forward[r.Node.Index] + (training ? Backward(backward[r.Node.Index]) : 0))))
        {
            long macs = group.Sum(r => r.Macs);
            double f = group.Sum(r => forward[r.Node.Index]), b = training ? group.Sum(r => Backward(backward[r.Node.Index])) : 0;
            Console.WriteLine($"{group.Key,-14} {group.Count(),5} {macs,14:N0} {f,10:F1} {Rate(macs, f, batch, 1),8} {(training ? b.ToString("F1", CultureInfo.InvariantCulture) : "-"),10} {(training ? Rate(macs, b, batch, 2) : ""),8} {100 * (f + b) / total,5:F1}%");
        }

        if (stepTime > 0)
        {
            Console.WriteLine($"{"SGD step",-14} {"",5} {"",14} {"",10} {"",8} {stepTime,10:F1} {"",8} {100 * stepTime / total,5:F1}%");
        }

        Console.WriteLine($"{"total",-14} {nodes.Count,5} {network.MultiplyAdds,14:N0} {totalForward,10:F1} {Rate(network.MultiplyAdds, totalForward, batch, 1),8} {totalBackward,10:F1} {(training ? Rate(network.MultiplyAdds, totalBackward, batch, 2) : ""),8}");
        Console.WriteLine($"images/s: inference {batch / totalForward * 1e6:F1}" + (training ? $", training step {batch / total * 1e6:F1}" : ""));
        return 0;
    }

    private static double Backward(double value) => value == double.MaxValue ? 0 : value;

    private static string Rate(long macs, double microseconds, int batch, int passes) =>
        macs == 0 || microseconds <= 0 || microseconds == double.MaxValue ? "" : $"{2.0 * passes * macs * batch / microseconds / 1e3,8:F1}";

    /// <summary>The kind of a layer for the totals: convolutions by shape, everything else by type.</summary>
    private static string Kind(Layer layer) => layer switch
    {
        Conv2d { IsDepthwise: true } => "conv depthwise",
        Conv2d { Kernel: (1, 1) } => "conv 1x1",
        Conv2d c => $"conv {c.Kernel.Height}x{c.Kernel.Width}",
        _ => layer.GetType().Name,
    };
}
