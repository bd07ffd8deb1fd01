using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Pruning.TorchSharp;

// Usage: ConvolutionGradientProbe <threads> <repeats> [seed] [quick]
// "quick" checks the start-up check's shapes (at most 4 samples a batch) instead of the full ones.
// Prints "native" lines for libtorch's conv2d, "backend" lines for the backend's convolution (the path its start-up
// check chose), then "summary" and "cpu" lines; tab-separated.
int threads = int.Parse(args[0], CultureInfo.InvariantCulture);
int repeats = int.Parse(args[1], CultureInfo.InvariantCulture);
int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
var shapes = args.Length > 3 && args[3] == "quick" ? ConvolutionGradientCheck.QuickShapes : ConvolutionGradientCheck.Shapes;
TorchSharp.torch.set_num_threads(threads);
var watch = Stopwatch.StartNew();
bool nativeChosen = ConvolutionGradientCheck.NativeInputGradientIsRight;
double selfCheckSeconds = watch.Elapsed.TotalSeconds;
foreach (var (path, native) in new[] { ("native", true), ("backend", nativeChosen) })
{
    foreach (var r in ConvolutionGradientCheck.Run(shapes, repeats, seed, native))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}\t{r.Shape}\t{r.Repeats}\t{r.Faults}\t{r.WorstInputGradient:E2}\t{r.WorstWeightGradient:E2}\t{r.WorstOutput:E2}"));
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"summary\tthreads={TorchSharp.torch.get_num_threads()}\tATEN_CPU_CAPABILITY={Environment.GetEnvironmentVariable("ATEN_CPU_CAPABILITY") ?? "(unset)"}\tONEDNN_MAX_CPU_ISA={Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "(unset)"}\tself-check={(nativeChosen ? "libtorch conv2d" : "unfold")}\tself-check seconds={selfCheckSeconds:0.00}"));
string flags = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "" : "";
string model = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) ?? "" : "";
Console.WriteLine($"cpu\t{model.Split(':').Last().Trim()}\t{string.Join(' ', flags.Split(' ').Where(f => f.StartsWith("avx", StringComparison.Ordinal) || f == "fma"))}");
