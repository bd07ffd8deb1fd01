using System.Globalization;

namespace FashionImageModel;

/// <summary>The sample's command line.</summary>
internal sealed record SampleOptions(string Data, string ModelPath, int Size, bool Compare, bool FromScratch)
{
    public static SampleOptions Parse(string[] args)
    {
        string Value(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var options = new SampleOptions(
            Value("--data", "build/data/fashion-mnist-png"),
            Value("--model", Path.Combine(Path.GetTempPath(), "fashion.model.zip")),
            int.Parse(Value("--size", "32"), CultureInfo.InvariantCulture),
            args.Contains("--compare"),
            args.Contains("--from-scratch"));
        if (!Directory.Exists(Path.Combine(options.Data, "train")))
        {
            throw new DirectoryNotFoundException($"{options.Data}/train does not exist: run bash build/setup.d/fashion-mnist-png.sh, or pass --data with train/ and test/ class folders.");
        }

        return options;
    }
}
