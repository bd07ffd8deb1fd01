using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>Measures a network's size, cost, quality and speed as a <see cref="ModelSnapshot"/>.</summary>
internal static class ModelMeasurement
{
    private const int LargeBatch = 256;
    private const int SmallBatchWarmUps = 3;
    private const int SmallBatchRepetitions = 21;
    private const int LargeBatchWarmUps = 1;
    private const int LargeBatchRepetitions = 5;

    /// <summary>Measures <paramref name="network"/>.</summary>
    /// <param name="network">The network; only forward passes in inference mode are run on it.</param>
    /// <param name="validation">Data to measure accuracy and loss (softmax cross-entropy) on, and to draw the latency batches from; <see langword="null"/> for neither (latency then runs on zeros).</param>
    /// <param name="measureLatency">
    /// Whether to time the forward pass: the median of 21 runs of one sample and of 5 runs of 256 samples, after warm-up
    /// runs, in milliseconds, in this engine and in ONNX Runtime on the exported model (when its native library is
    /// available). Timings depend on the machine and its load; compare them only within one run.
    /// </param>
    /// <param name="cancellationToken">Cancels the evaluation and the timing.</param>
    /// <returns>The snapshot: parameters, nonzeros, multiply-adds, ONNX bytes, per-layer widths, and accuracy, loss and latency when asked for.</returns>
    /// <exception cref="ArgumentException"><paramref name="validation"/> is empty or does not fit the network.</exception>
    /// <exception cref="NotSupportedException">A layer cannot be saved as ONNX (its size in bytes cannot be measured).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ModelSnapshot Measure(Network network, IBatchSource? validation, bool measureLatency, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        EvaluationResult? evaluation = null;
        if (validation is not null)
        {
            if (validation.RowCount == 0)
            {
                throw new ArgumentException("The validation data is empty; pass null to measure without accuracy.", nameof(validation));
            }

            Evaluator.CheckCompatible(network, validation, nameof(validation));
            evaluation = Evaluator.Evaluate(network, validation, new SoftmaxCrossEntropyLoss(), cancellationToken: cancellationToken);
        }

        return Measure(network, evaluation, validation, measureLatency, cancellationToken);
    }

    /// <summary>Measures <paramref name="network"/> with an evaluation already made.</summary>
    /// <param name="network">The network.</param>
    /// <param name="evaluation">The accuracy and loss to record, or <see langword="null"/>.</param>
    /// <param name="samples">Where the latency batches come from, or <see langword="null"/> for zeros.</param>
    /// <param name="measureLatency">Whether to time the forward pass.</param>
    /// <param name="cancellationToken">Cancels the timing.</param>
    /// <returns>The snapshot.</returns>
    internal static ModelSnapshot Measure(Network network, EvaluationResult? evaluation, IBatchSource? samples, bool measureLatency, CancellationToken cancellationToken)
    {
        byte[] onnx = OnnxBytes(network);
        var snapshot = new ModelSnapshot
        {
            Parameters = network.ParameterCount,
            NonzeroParameters = NonzeroCount.Of(network),
            MultiplyAdds = network.MultiplyAdds,
            ModelBytes = onnx.Length,
            Accuracy = evaluation?.Accuracy,
            Loss = evaluation?.Loss,
            Layers = LayerWidths(network),
        };

        if (measureLatency)
        {
            // A batch of 256 whose activations would not fit in memory is not timed. The samples are read once: the batch
            // of 1 is the first row of the batch of 256.
            var large = BatchMemory.Choose(network, LargeBatch, null, training: false, BatchMemory.DefaultBudget).BatchSize == LargeBatch
                ? SampleBatch(network, samples, LargeBatch)
                : null;
            var small = large is null ? SampleBatch(network, samples, 1) : FirstRow(large);
            snapshot.LatencyBatch1Milliseconds = MedianMilliseconds(() => network.Forward(small, training: false), SmallBatchWarmUps, SmallBatchRepetitions, cancellationToken);
            if (large is not null)
            {
                snapshot.LatencyBatch256Milliseconds = MedianMilliseconds(() => network.Forward(large, training: false), LargeBatchWarmUps, LargeBatchRepetitions, cancellationToken);
            }

            (snapshot.OnnxRuntimeLatencyBatch1Milliseconds, snapshot.OnnxRuntimeLatencyBatch256Milliseconds) = OnnxRuntimeLatency(onnx, small, large, cancellationToken);
        }

        return snapshot;
    }

    /// <summary>Returns a copy of a snapshot that shares nothing mutable with it.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The copy.</returns>
    internal static ModelSnapshot Copy(ModelSnapshot snapshot) => new()
    {
        Parameters = snapshot.Parameters,
        NonzeroParameters = snapshot.NonzeroParameters,
        MultiplyAdds = snapshot.MultiplyAdds,
        ModelBytes = snapshot.ModelBytes,
        Accuracy = snapshot.Accuracy,
        Loss = snapshot.Loss,
        LatencyBatch1Milliseconds = snapshot.LatencyBatch1Milliseconds,
        LatencyBatch256Milliseconds = snapshot.LatencyBatch256Milliseconds,
        OnnxRuntimeLatencyBatch1Milliseconds = snapshot.OnnxRuntimeLatencyBatch1Milliseconds,
        OnnxRuntimeLatencyBatch256Milliseconds = snapshot.OnnxRuntimeLatencyBatch256Milliseconds,
        Layers = [.. snapshot.Layers],
    };

    /// <summary>Lists the Dense and Conv2d layers' sizes in network order.</summary>
    /// <param name="network">The network.</param>
    /// <returns>One entry per Dense or Conv2d layer.</returns>
    internal static IReadOnlyList<LayerWidth> LayerWidths(Network network)
    {
        var widths = new List<LayerWidth>();
        foreach (var node in network.Nodes)
        {
            int units = node.Layer switch
            {
                Dense dense => dense.Outputs,
                Conv2d convolution => convolution.OutChannels,
                _ => -1,
            };

            if (units >= 0)
            {
                widths.Add(new LayerWidth(
                    node.Layer.Name,
                    node.Layer.GetType().Name,
                    units,
                    node.Layer.Parameters.Sum(p => (long)p.Length),
                    NonzeroCount.Of(node.Layer),
                    node.Layer.CountMultiplyAdds(network.InputShapes(node))));
            }
        }

        return widths;
    }

    private static byte[] OnnxBytes(Network network)
    {
        using var stream = new MemoryStream();
        OnnxModel.Save(network, stream);
        return stream.ToArray();
    }

    // The same batches through an InferenceSession on the exported model, with the engine's thread count; (null, null)
    // when ONNX Runtime's native library is not there (the library references only its managed part).
    private static (double?, double?) OnnxRuntimeLatency(byte[] model, FloatTensor small, FloatTensor? large, CancellationToken cancellationToken)
    {
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = ComputeSettings.DegreeOfParallelism, InterOpNumThreads = 1 };
            using var session = new InferenceSession(model, options);
            double Time(FloatTensor batch, int warmUps, int repetitions)
            {
                var inputs = new[] { NamedOnnxValue.CreateFromTensor(OnnxModel.InputName, new DenseTensor<float>(batch.Span.ToArray(), batch.Shape)) };
                return MedianMilliseconds(() => session.Run(inputs).Dispose(), warmUps, repetitions, cancellationToken);
            }

            return (Time(small, SmallBatchWarmUps, SmallBatchRepetitions), large is null ? null : Time(large, LargeBatchWarmUps, LargeBatchRepetitions));
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or OnnxRuntimeException)
        {
            return (null, null);
        }
    }

    /// <summary>The first sample of <paramref name="batch"/>, as a batch of one.</summary>
    private static FloatTensor FirstRow(FloatTensor batch)
    {
        var row = new FloatTensor([1, .. batch.Shape[1..]]);
        batch.Span[..row.Length].CopyTo(row.Span);
        return row;
    }

    /// <summary>The first <paramref name="size"/> samples of <paramref name="samples"/>, repeated when there are fewer; zeros without samples.</summary>
    private static FloatTensor SampleBatch(Network network, IBatchSource? samples, int size)
    {
        var batch = new FloatTensor([size, .. network.InputShape]);
        if (samples is null || !samples.SampleShape.SequenceEqual(network.InputShape))
        {
            return batch;
        }

        int sampleLength = FloatTensor.ComputeLength(network.InputShape);
        var part = new FloatTensor([size, .. network.InputShape]);
        var labels = new int[size];
        int filled = 0;
        while (filled < size)
        {
            using var reader = samples.OpenReader(BatchOrder.Sequential);
            int read;
            while (filled < size && (read = reader.Read(part, labels.AsSpan(0, size - filled))) > 0)
            {
                part.Span.CopyTo(batch.Span.Slice(filled * sampleLength));
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }
        }

        return batch;
    }

    private static double MedianMilliseconds(Action run, int warmUps, int repetitions, CancellationToken cancellationToken)
    {
        for (int i = 0; i < warmUps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            run();
        }

        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[repetitions / 2];
    }
}
