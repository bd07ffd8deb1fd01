using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;

namespace Microsoft.ML.Pruning.Streaming.Benchmarks;

/// <summary>A large CSV file (a class column and 784 digit features a line) through LoadFromTextFile into the library's trainer.</summary>
internal static class CsvBenchmark
{
    private const int Width = 784, Classes = 10;

    /// <summary><c>csv --megabytes 2048 --mode stream|cache|memory [--threads 2]</c>: one epoch of an MLP 784-64-10, in a process of its own.</summary>
    public static int Run(string[] args)
    {
        int megabytes = Measure.Integer(args, "--megabytes", 2048), threads = Measure.Integer(args, "--threads", 2);
        string mode = Measure.Option(args, "--mode") ?? "stream";
        var (path, rows) = EnsureFile(megabytes);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromTextFile(path, [new TextLoader.Column("Class", DataKind.Single, 0), new TextLoader.Column("Features", DataKind.Single, 1, Width)], separatorChar: ',');
        IEstimator<ITransformer> featurize = ml.Transforms.Conversion.MapValueToKey("Label", "Class");
        if (mode == "cache")
        {
            featurize = featurize.AppendCacheCheckpoint(ml);
        }

        var network = new NetworkBuilder(Width).Dense(64).Relu().Dense(Classes).Build(seed: 1);
        var options = new NeuralNetworkTrainerOptions { Epochs = 1, BatchSize = 128, NumberOfThreads = threads, DataMemoryLimit = mode == "memory" ? 16L << 30 : 0 };
        var pipeline = featurize.Append(ml.MulticlassClassification.Trainers.NeuralNetwork(network, options));
        Measure.Run($"csv {new FileInfo(path).Length / 1048576.0:F0} MiB ({rows:N0} rows x {Width} features), {mode}, {threads} threads, one epoch (MLP 784-64-10)", rows, () => pipeline.Fit(data));
        return 0;
    }

    /// <summary>Writes the CSV file once: about <paramref name="megabytes"/> MiB of lines "class,d,d,...,d" with class-dependent digits.</summary>
    private static (string Path, long Rows) EnsureFile(int megabytes)
    {
        Directory.CreateDirectory(Program.DataFolder);
        string path = Path.Combine(Program.DataFolder, string.Create(CultureInfo.InvariantCulture, $"digits-{megabytes}mb.csv"));
        long lineBytes = 2 + (Width * 2);
        long rows = (long)megabytes * 1048576 / lineBytes;
        if (File.Exists(path))
        {
            return (path, rows);
        }

        var watch = Stopwatch.StartNew();
        string partial = path + ".partial";
        using (var writer = new StreamWriter(partial, false, new UTF8Encoding(false), 1 << 20))
        {
            var random = new Random(1);
            var line = new StringBuilder((int)lineBytes + 2);
            for (long r = 0; r < rows; r++)
            {
                int label = random.Next(Classes);
                line.Clear().Append((char)('0' + label));
                for (int f = 0; f < Width; f++)
                {
                    // A tenth of the features lean towards the class: learnable, not trivial.
                    int digit = f % Classes == label && random.Next(3) > 0 ? 5 + random.Next(5) : random.Next(6);
                    line.Append(',').Append((char)('0' + digit));
                }

                writer.WriteLine(line);
            }
        }

        File.Move(partial, path);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({new FileInfo(path).Length / 1048576.0:F0} MiB, {rows:N0} rows) in {watch.Elapsed.TotalSeconds:F0} s"));
        return (path, rows);
    }
}
