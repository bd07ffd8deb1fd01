using Microsoft.ML.Pruning.Streaming.Benchmarks;

// Streaming benchmarks (issue 20): peak working set and rows per second of a stage fit that streams its IDataView,
// with and without AppendCacheCheckpoint, against the in-memory path. Run one configuration per process (the peak
// working set is the process's); bench/streaming.sh runs them all. Generated data go to build/data/streaming.
//   images --count 2000 --size 224 --mode stream|cache|memory   one epoch of a small CNN over PNG files
//   decode --count 2000 --size 224 [--cnn resnet18]              decoding cost per image, beside a ResNet18 training step
//   csv --megabytes 2048 --mode stream|cache|memory               one epoch of an MLP over a CSV file (LoadFromTextFile)
//   shuffle                                                        accuracy and speed of the shuffles, over seeds
return args.FirstOrDefault() switch
{
    "images" => ImageBenchmark.Run(args),
    "decode" => ImageBenchmark.Decode(args),
    "csv" => CsvBenchmark.Run(args),
    "shuffle" => ShuffleBenchmark.Run(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: images|decode|csv|shuffle [options] (see Program.cs)");
    return 2;
}

/// <summary>Where the benchmarks keep generated data.</summary>
internal static partial class Program
{
    /// <summary>Gets build/data/streaming under the repository (git-ignored).</summary>
    public static string DataFolder { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "build", "data", "streaming"));
}
