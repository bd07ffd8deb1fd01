using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// What an inference pass of a <see cref="Conv2d"/> applies to its output while it is still in cache, on behalf of the
/// layers that follow it (<see cref="Network"/>'s fusion): a BatchNorm with running statistics folded into a per-channel
/// y · scale + shift, then a clamp (ReLU: [0, ∞); ReLU6: [0, 6]).
/// </summary>
/// <param name="Scale">The per-channel scale, or <see langword="null"/> for none.</param>
/// <param name="Shift">The per-channel shift (with <paramref name="Scale"/>).</param>
/// <param name="Low">The clamp's lower bound (<see cref="float.NegativeInfinity"/> for none).</param>
/// <param name="High">The clamp's upper bound (<see cref="float.PositiveInfinity"/> for none).</param>
internal sealed record ConvolutionEpilogue(float[]? Scale, float[]? Shift, float Low, float High)
{
    /// <summary>Applies the epilogue to samples [<paramref name="first"/>, first + <paramref name="samples"/>) of a [batch, channels, plane] output.</summary>
    public void Apply(Span<float> output, int first, int samples, int channels, int plane)
    {
        for (int n = first; n < first + samples; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                ActivationKernels.ScaleShiftClip(output.Slice(((n * channels) + c) * plane, plane), Scale?[c] ?? float.NaN, Shift?[c] ?? 0f, Low, High);
            }
        }
    }

    /// <summary>Returns this epilogue followed by a clamp to [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public ConvolutionEpilogue ThenClamp(float low, float high) => this with { Low = Math.Max(Low, low), High = Math.Min(High, high) };
}
