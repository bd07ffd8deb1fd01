using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// ShuffleNet's channel shuffle: the C channels, seen as a [groups, C / groups] grid, are read out column by column, so
/// output channel i·groups + j is input channel j·(C / groups) + i. ONNX writes it as Reshape [N, groups, C/groups, H, W],
/// Transpose [0, 2, 1, 3, 4], Reshape [N, C, H, W].
/// </summary>
public sealed class ChannelShuffle : UnaryLayer
{
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;

    /// <summary>Creates the layer.</summary>
    /// <param name="groups">The number of groups, at least 1.</param>
    /// <param name="name">The layer's name.</param>
    public ChannelShuffle(int groups, string? name = null)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        Groups = groups;
    }

    /// <summary>Gets the number of groups.</summary>
    public int Groups { get; }

    /// <summary>Returns the input channel that output channel <paramref name="outputChannel"/> reads.</summary>
    /// <param name="outputChannel">The output channel.</param>
    /// <param name="channels">The channel count.</param>
    /// <returns>The input channel.</returns>
    public int SourceChannel(int outputChannel, int channels)
    {
        int perGroup = channels / Groups;
        return ((outputChannel % Groups) * perGroup) + (outputChannel / Groups);
    }

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes);
        if (shape[0] % Groups != 0)
        {
            throw ShapeError($"{Groups} groups do not divide the {shape[0]} channels.");
        }

        return (int[])shape.Clone();
    }

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        GetOutputShape([input.Shape[1..]]);
        var output = Ensure(ref _output, input.Shape);
        Permute(input, output, inverse: false);
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        if (!ComputeInputGradient)
        {
            return null;
        }

        var gradient = Ensure(ref _inputGradient, outputGradient.Shape);
        Permute(outputGradient, gradient, inverse: true);
        return gradient;
    }

    private void Permute(FloatTensor source, FloatTensor destination, bool inverse)
    {
        int batch = source.Dim(0), channels = source.Dim(1), plane = FloatTensor.ComputeLength(source.Shape.AsSpan(2));
        for (int n = 0; n < batch; n++)
        {
            int sample = n * channels * plane;
            for (int c = 0; c < channels; c++)
            {
                int from = SourceChannel(c, channels);
                var (read, write) = inverse ? (c, from) : (from, c);
                source.Span.Slice(sample + (read * plane), plane).CopyTo(destination.Span.Slice(sample + (write * plane), plane));
            }
        }
    }
}
