namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// What an inference pass of a convolution applies to its output while it is still in cache, on behalf of the
/// layers that follow it (the network's fusion): a BatchNorm with running statistics folded into a per-channel
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
        if (plane < 16)
        {
            // Planes shorter than a vector (late layers at batch 1): one scalar loop, not a kernel call per plane.
            ApplySmall(output.Slice(first * channels * plane, samples * channels * plane), channels, plane);
            return;
        }

        for (int n = first; n < first + samples; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                ActivationKernels.ScaleShiftClip(output.Slice(((n * channels) + c) * plane, plane), Scale?[c] ?? float.NaN, Shift?[c] ?? 0f, Low, High);
            }
        }
    }

    /// <summary>Applies the epilogue to one plane of output channel <paramref name="channel"/>.</summary>
    public void ApplyPlane(Span<float> plane, int channel)
    {
        if (plane.Length < 16)
        {
            ApplySmall(plane, 1, plane.Length, channel);
            return;
        }

        ActivationKernels.ScaleShiftClip(plane, Scale?[channel] ?? float.NaN, Shift?[channel] ?? 0f, Low, High);
    }

    // The scalar form of ActivationKernels.ScaleShiftClip (its tail) over [samples, channels, plane] values, channel
    // `firstChannel` first.
    private void ApplySmall(Span<float> values, int channels, int plane, int firstChannel = 0)
    {
        float low = Low, high = High;
        for (int start = 0, c = 0; start < values.Length; start += plane, c = c + 1 == channels ? 0 : c + 1)
        {
            var span = values.Slice(start, plane);
            float scale = Scale?[firstChannel + c] ?? 1f, shift = Shift?[firstChannel + c] ?? 0f;
            for (int i = 0; i < span.Length; i++)
            {
                float v = Scale is null ? span[i] : MathF.FusedMultiplyAdd(span[i], scale, shift);
                span[i] = v < low ? low : v > high ? high : v;
            }
        }
    }

    /// <summary>Returns this epilogue followed by a clamp to [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public ConvolutionEpilogue ThenClamp(float low, float high) => this with { Low = Math.Max(Low, low), High = Math.Min(High, high) };
}
