using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using SkiaSharp;

namespace Microsoft.ML.Pruning.Streaming.Benchmarks;

/// <summary>
/// The image pipeline of a transfer-learning user: a folder of PNG files listed in a TSV file, LoadImages, ResizeImages
/// and ExtractPixels, optionally AppendCacheCheckpoint, then the library's trainer for one epoch.
/// </summary>
internal static class ImageBenchmark
{
    private const int Classes = 4;

    /// <summary>
    /// <c>images --count 2000 --size 224 [--mode stream|cache|memory] [--threads 2]</c>: one fit, in a process of its own.
    /// stream: DataMemoryLimit 0, no cache (each pass decodes the PNG files again); cache: AppendCacheCheckpoint before
    /// the stage, DataMemoryLimit 0 (the rows stream from ML.NET's cache); memory: the stage reads the rows into memory
    /// (DataMemoryLimit 16 GiB), today's in-memory path.
    /// </summary>
    public static int Run(string[] args)
    {
        int count = Measure.Integer(args, "--count", 2000), size = Measure.Integer(args, "--size", 224), threads = Measure.Integer(args, "--threads", 2);
        string mode = Measure.Option(args, "--mode") ?? "stream";
        string folder = EnsureImages(count, size);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromTextFile(Path.Combine(folder, "labels.tsv"), [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Class", DataKind.String, 1)], separatorChar: '\t');
        IEstimator<ITransformer> featurize = ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Append(ml.Transforms.LoadImages("Image", folder, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", size, size))
            .Append(ml.Transforms.ExtractPixels("Features", "Image"));
        if (mode == "cache")
        {
            featurize = featurize.AppendCacheCheckpoint(ml);
        }

        var network = new NetworkBuilder(3, size, size).Conv2d(8, 5, stride: 4, padding: 2).Relu().MaxPool2d(2).Conv2d(16, 3, padding: 1).Relu().GlobalAvgPool().Flatten().Dense(Classes).Build(seed: 1);
        var options = new NeuralNetworkTrainerOptions { Epochs = 1, BatchSize = 32, NumberOfThreads = threads, DataMemoryLimit = mode == "memory" ? 16L << 30 : 0 };
        var pipeline = featurize.Append(ml.MulticlassClassification.Trainers.NeuralNetwork(network, options));
        Measure.Run($"images {count} x 3x{size}x{size}, {mode}, {threads} threads, one epoch (CNN {network.ParameterCount:N0} parameters)", count, () => pipeline.Fit(data));
        return 0;
    }

    /// <summary>
    /// <c>decode --count 2000 --size 224</c>: the cost of reading and decoding the images alone (one thread, ML.NET's
    /// cursor, as the stage's reading thread runs it), and <c>--cnn resnet18</c>: a training step of ResNet18 per image
    /// at 3x224x224 in the engine, to put the first beside.
    /// </summary>
    public static int Decode(string[] args)
    {
        int count = Measure.Integer(args, "--count", 2000), size = Measure.Integer(args, "--size", 224), threads = Measure.Integer(args, "--threads", 2);
        string folder = EnsureImages(count, size);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromTextFile(Path.Combine(folder, "labels.tsv"), [new TextLoader.Column("ImagePath", DataKind.String, 0)], separatorChar: '\t');
        var pixels = ml.Transforms.LoadImages("Image", folder, "ImagePath").Append(ml.Transforms.ResizeImages("Image", size, size))
            .Append(ml.Transforms.ExtractPixels("Features", "Image")).Fit(data).Transform(data);
        var cpu = Thread.CurrentThread;
        var watch = Stopwatch.StartNew();
        var start = Process.GetCurrentProcess().TotalProcessorTime;
        using (var cursor = pixels.GetRowCursor([pixels.Schema["Features"]]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(pixels.Schema["Features"]);
            VBuffer<float> row = default;
            while (cursor.MoveNext())
            {
                getter(ref row);
            }
        }

        double decodeSeconds = watch.Elapsed.TotalSeconds, decodeCpu = (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decode {count} PNG files at 3x{size}x{size} (LoadImages, ResizeImages, ExtractPixels, one cursor): {decodeSeconds * 1000 / count:F2} ms/image wall, {decodeCpu * 1000 / count:F2} ms/image process CPU"));
        if (Measure.Option(args, "--cnn") is { } model)
        {
            string path = Path.Combine(Program.DataFolder, "..", "torchvision", model + "_opset13.onnx");
            var network = OnnxModel.Load(path);
            ComputeSettings.DegreeOfParallelism = threads;
            const int Images = 16, Batch = 8;
            var random = new Random(1);
            var features = new FloatTensor([Images, .. network.InputShape]);
            for (int i = 0; i < features.Length; i++)
            {
                features.Span[i] = (float)random.NextDouble();
            }

            var batch = new Dataset(features, Enumerable.Range(0, Images).Select(i => i % 10).ToArray(), network.OutputShape[^1]);
            var trainer = new Trainer(new TrainerOptions { Epochs = 1, BatchSize = Batch, Seed = 1, KeepBestCheckpoint = false });
            trainer.Fit(NetworkSerializer.Clone(network), batch.Take(Batch));
            watch.Restart();
            start = Process.GetCurrentProcess().TotalProcessorTime;
            trainer.Fit(network, batch);
            double trainSeconds = watch.Elapsed.TotalSeconds, trainCpu = (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{model} training at {string.Join("x", network.InputShape)}, batch {Batch}, {threads} threads: {trainSeconds * 1000 / Images:F1} ms/image wall, {trainCpu * 1000 / Images:F1} ms/image process CPU; decoding is {decodeCpu / count / (trainCpu / Images):P1} of its CPU"));
        }

        return 0;
    }

    /// <summary>Writes <paramref name="count"/> PNG files of 3x<paramref name="size"/>x<paramref name="size"/> (a class colour plus noise) and their TSV list, once.</summary>
    private static string EnsureImages(int count, int size)
    {
        string folder = Path.Combine(Program.DataFolder, string.Create(CultureInfo.InvariantCulture, $"png-{size}-{count}"));
        string list = Path.Combine(folder, "labels.tsv");
        if (File.Exists(list))
        {
            return folder;
        }

        Directory.CreateDirectory(folder);
        var watch = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var random = new Random(i);
            int label = i % Classes;
            var pixels = new byte[size * size * 4];
            for (int p = 0; p < size * size; p++)
            {
                pixels[(p * 4) + 0] = (byte)Math.Clamp((label == 0 ? 170 : 80) + random.Next(-48, 48), 0, 255);
                pixels[(p * 4) + 1] = (byte)Math.Clamp((label == 1 ? 170 : 80) + random.Next(-48, 48), 0, 255);
                pixels[(p * 4) + 2] = (byte)Math.Clamp((label == 2 ? 170 : 80) + random.Next(-48, 48), 0, 255);
                pixels[(p * 4) + 3] = 255;
            }

            using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
            Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{i:D6}.png")), png.ToArray());
        });
        File.WriteAllLines(list, Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i:D6}.png\tclass{i % Classes}")));
        long bytes = Directory.EnumerateFiles(folder, "*.png").Sum(f => new FileInfo(f).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {count} PNG files of 3x{size}x{size} ({bytes / 1048576.0:F0} MiB) to {folder} in {watch.Elapsed.TotalSeconds:F0} s"));
        return folder;
    }
}
