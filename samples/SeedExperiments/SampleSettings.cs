using System.Globalization;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>The command line of the samples.</summary>
internal sealed record SampleSettings(string Experiment, int? Epochs, int Seed, string OutputDirectory, string DataDirectory)
{
    public static SampleSettings Parse(string[] args)
    {
        var settings = new SampleSettings(args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "000", null, 1,
            Path.Combine(Path.GetTempPath(), "mlprune-samples"), "/usr/share/datasets/fashion-mnist");
        for (int i = settings.Experiment == (args.Length > 0 ? args[0] : null) ? 1 : 0; i + 1 < args.Length; i += 2)
        {
            settings = args[i] switch
            {
                "--epochs" => settings with { Epochs = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--seed" => settings with { Seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--out" => settings with { OutputDirectory = args[i + 1] },
                "--data" => settings with { DataDirectory = args[i + 1] },
                "--threads" => Threads(settings, args[i + 1]),
                _ => throw new ArgumentException($"Unknown option '{args[i]}'; use --epochs, --seed, --out, --data or --threads."),
            };
        }

        return settings;
    }

    public string File(string name) => Path.Combine(OutputDirectory, name);

    private static SampleSettings Threads(SampleSettings settings, string value)
    {
        ComputeSettings.DegreeOfParallelism = int.Parse(value, CultureInfo.InvariantCulture);
        return settings;
    }
}
