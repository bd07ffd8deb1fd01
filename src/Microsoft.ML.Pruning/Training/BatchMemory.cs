using System.Globalization;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// Bounds the working set of one batch: estimates what a sample costs in a training or an inference pass (every
/// node's output, in training also its gradient and cache and a convolution's kept im2col columns), and gives the
/// largest batch, up to the one asked for, whose activations fit a budget (<see cref="TrainerOptions.BatchMemoryLimit"/>,
/// <see cref="DefaultBudget"/> where no options say) and whose largest tensor stays within a .NET array. The budget is
/// per batch of one network; a pruning run holds a few networks (the model, its candidate, their evaluation buffers), so
/// the default leaves room for them within about 10 GB.
/// </summary>
internal static class BatchMemory
{
    /// <summary>The activation bytes one training batch may take by default: 2 GiB.</summary>
    public const long DefaultBudget = 2L << 30;

    /// <summary>
    /// The activation bytes one inference batch (evaluation, calibration statistics) may take by default: 256 MiB. An
    /// inference pass gains nothing from a larger batch once its products are wide, and a 1,024-row evaluation batch of
    /// 3x224x224 images would otherwise hold about 1.7 GB beside the training batch.
    /// </summary>
    public const long InferenceBudget = 256L << 20;

    /// <summary>Chooses the batch size for a pass.</summary>
    /// <param name="network">The network.</param>
    /// <param name="requested">The batch size asked for, at least 1.</param>
    /// <param name="rows">The number of rows the pass reads, when known: no batch needs to be larger.</param>
    /// <param name="training">Whether the pass trains (keeps gradients and im2col columns).</param>
    /// <param name="budget">The bytes a batch may take; <see langword="null"/>: <see cref="DefaultBudget"/> for training, <see cref="InferenceBudget"/> for inference.</param>
    /// <returns>The batch size, and a sentence saying why it is smaller than asked (<see langword="null"/> when it is not, or only because the data have fewer rows).</returns>
    /// <exception cref="ArgumentException">Even one sample needs more than the budget; the message names the largest node and the bytes.</exception>
    public static (int BatchSize, string? Reason) Choose(Network network, int requested, long? rows, bool training, long? budget = null)
    {
        long limit = budget ?? (training ? DefaultBudget : InferenceBudget);
        int size = rows is { } count ? (int)Math.Clamp(count, 1, requested) : requested;
        var cost = Estimate(network, training);
        string pass = training ? "training" : "inference";
        if (cost.Bytes > limit)
        {
            throw new ArgumentException(Invariant(
                $"One sample needs {Format(cost.Bytes)} in a {pass} pass, more than the {Format(limit)} a batch may take: node '{cost.LargestNode}' alone produces {FloatTensor.FormatShape(cost.LargestShape)} per sample ({Format(cost.LargestElements * 4L)}). The network's per-sample activations are too large; check its padding and input size."),
                nameof(network));
        }

        long byBudget = limit / Math.Max(cost.Bytes, 1);
        long byArray = int.MaxValue / Math.Max(cost.LargestElements, 1);
        long fits = Math.Min(byBudget, byArray);
        if (size <= fits)
        {
            return (size, null);
        }

        int chosen = (int)Math.Max(fits, 1);
        string why = byBudget <= byArray
            ? Invariant($"a batch of {size} would need {Format(cost.Bytes * size)} of activations in a {pass} pass, more than the {Format(limit)} budget ({Format(cost.Bytes)} per sample; the largest node is '{cost.LargestNode}', {FloatTensor.FormatShape(cost.LargestShape)} per sample)")
            : Invariant($"node '{cost.LargestNode}' holds {cost.LargestElements:N0} values per sample ({FloatTensor.FormatShape(cost.LargestShape)}), so a batch of {size} would exceed the largest tensor (2,147,483,647 values)");
        return (chosen, Invariant($"batch size {chosen} instead of {size}: {why}"));
    }

    /// <summary>Estimates the bytes one sample takes in a pass, and its largest tensor.</summary>
    /// <param name="network">The network.</param>
    /// <param name="training">Whether the pass trains.</param>
    /// <returns>The estimate.</returns>
    public static Cost Estimate(Network network, bool training)
    {
        long input = FloatTensor.ComputeLength(network.InputShape);
        long elements = input, largest = input;
        string largestNode = "input";
        int[] largestShape = network.InputShape;
        foreach (var node in network.Nodes)
        {
            long output = 1;
            foreach (int d in node.OutputShape)
            {
                output *= d;
            }

            // An output, and in training its gradient and the layer's cache (a mask, normalized values).
            elements += output * (training ? 3 : 1);
            if (output > largest)
            {
                (largest, largestNode, largestShape) = (output, node.Layer.Name, node.OutputShape);
            }

            if (training && node.Layer is Conv2d convolution && node.OutputShape.Length == 3)
            {
                // The im2col columns a training pass keeps for the weight gradient: in/groups·kh·kw rows per group, one column per output position.
                long columns = (long)convolution.InChannels * convolution.Kernel.Height * convolution.Kernel.Width * node.OutputShape[1] * node.OutputShape[2];
                elements += columns;
                if (columns > largest)
                {
                    (largest, largestNode, largestShape) = (columns, node.Layer.Name, node.OutputShape);
                }
            }
        }

        return new Cost(elements * sizeof(float), largest, largestNode, largestShape);
    }

    private static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => Invariant($"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => Invariant($"{bytes / (double)(1L << 20):0.0} MiB"),
        _ => Invariant($"{bytes / 1024.0:0.0} KiB"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>What one sample costs.</summary>
    /// <param name="Bytes">The bytes of one sample's activations in the pass.</param>
    /// <param name="LargestElements">The values of the largest per-sample tensor.</param>
    /// <param name="LargestNode">The node that holds it.</param>
    /// <param name="LargestShape">Its per-sample shape.</param>
    internal readonly record struct Cost(long Bytes, long LargestElements, string LargestNode, int[] LargestShape);
}
