namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// The 2-D window of a Conv or pooling node (kernel, strides, explicit padding), read from its <c>kernel_shape</c>,
/// <c>strides</c>, <c>dilations</c>, <c>pads</c> and <c>auto_pad</c> attributes; <c>auto_pad</c> is resolved to explicit
/// padding for the static input size.
/// </summary>
/// <param name="Kernel">The kernel height and width.</param>
/// <param name="Stride">The vertical and horizontal steps.</param>
/// <param name="Padding">The padding: top, left, bottom, right (ONNX's order [y_begin, x_begin, y_end, x_end]).</param>
/// <param name="Dilation">The spacing of the kernel's taps.</param>
internal sealed record OnnxWindow((int Height, int Width) Kernel, (int Height, int Width) Stride, (int Top, int Left, int Bottom, int Right) Padding, (int Height, int Width) Dilation)
{
    /// <summary>The largest kernel size, stride or padding accepted (far beyond any real model; keeps the geometry in range).</summary>
    public const int MaxValue = 1 << 20;

    /// <summary>Reads and validates the window attributes.</summary>
    /// <param name="attributes">The node's attributes.</param>
    /// <param name="height">The input height.</param>
    /// <param name="width">The input width.</param>
    /// <param name="kernel">The kernel size given by the weight, or <see langword="null"/> to require <c>kernel_shape</c>.</param>
    /// <param name="fail">Builds the exception for a reason.</param>
    /// <param name="allowDilation">Whether dilations other than 1 are supported (convolutions: yes; pooling: no).</param>
    /// <param name="extraPadding">Padding to add to the node's own (a folded Pad node's).</param>
    /// <returns>The window.</returns>
    public static OnnxWindow Read(OnnxAttributes attributes, int height, int width, (int Height, int Width)? kernel, Func<string, OnnxImportException> fail,
        bool allowDilation = false, (int Top, int Left, int Bottom, int Right) extraPadding = default)
    {
        var kernelShape = attributes.GetInts("kernel_shape");
        if (kernelShape is not null)
        {
            Require2d("kernel_shape", kernelShape, minimum: 1, fail);
            if (kernel is { } k && (k.Height != kernelShape[0] || k.Width != kernelShape[1]))
            {
                throw fail($"kernel_shape [{kernelShape[0]}, {kernelShape[1]}] differs from the weight's kernel [{k.Height}, {k.Width}].");
            }
        }

        var (kernelHeight, kernelWidth) = kernel ?? (kernelShape is null ? throw fail("the kernel_shape attribute is missing.") : (kernelShape[0], kernelShape[1]));
        var strides = attributes.GetInts("strides") ?? [1, 1];
        Require2d("strides", strides, minimum: 1, fail);
        var dilations = attributes.GetInts("dilations") ?? [1, 1];
        Require2d("dilations", dilations, minimum: 1, fail);
        if (!allowDilation && (dilations[0] != 1 || dilations[1] != 1))
        {
            throw fail($"dilations [{dilations[0]}, {dilations[1]}] are not supported for pooling; only 1 is.");
        }

        if (dilations.Any(d => d > MaxValue))
        {
            throw fail($"dilations [{dilations[0]}, {dilations[1]}] must not exceed {MaxValue}.");
        }

        int effectiveHeight = (int)Math.Min(MaxValue + 1L, ((long)(kernelHeight - 1) * dilations[0]) + 1);
        int effectiveWidth = (int)Math.Min(MaxValue + 1L, ((long)(kernelWidth - 1) * dilations[1]) + 1);

        string autoPad = attributes.GetString("auto_pad", "NOTSET");
        (int Top, int Left, int Bottom, int Right) padding;
        switch (autoPad)
        {
            case "NOTSET" or "":
                var pads = attributes.GetInts("pads") ?? [0, 0, 0, 0];
                if (pads.Length != 4 || pads.Any(p => p < 0))
                {
                    throw fail($"pads [{string.Join(", ", pads)}] must be 4 non-negative values for a 2-D window.");
                }

                padding = (pads[0], pads[1], pads[2], pads[3]);
                break;
            case "VALID":
                padding = (0, 0, 0, 0);
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                bool lower = autoPad == "SAME_LOWER";
                var (top, bottom) = SamePadding(height, effectiveHeight, strides[0], lower);
                var (left, right) = SamePadding(width, effectiveWidth, strides[1], lower);
                padding = (top, left, bottom, right);
                break;
            default:
                throw fail($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER.");
        }

        if (extraPadding != default)
        {
            padding = ((int)Math.Min(MaxValue + 1L, (long)padding.Top + extraPadding.Top), (int)Math.Min(MaxValue + 1L, (long)padding.Left + extraPadding.Left),
                (int)Math.Min(MaxValue + 1L, (long)padding.Bottom + extraPadding.Bottom), (int)Math.Min(MaxValue + 1L, (long)padding.Right + extraPadding.Right));
        }

        var window = new OnnxWindow((kernelHeight, kernelWidth), (strides[0], strides[1]), padding, (dilations[0], dilations[1]));
        window.CheckFits(height, width, fail);
        return window;
    }

    /// <summary>Returns the output size along one axis with floor (or ceil) rounding.</summary>
    /// <param name="input">The input size.</param>
    /// <param name="kernel">The kernel size.</param>
    /// <param name="stride">The step.</param>
    /// <param name="padding">The total padding.</param>
    /// <param name="ceil">Whether to round up, as ONNX's <c>ceil_mode</c>.</param>
    /// <returns>The output size.</returns>
    public static long OutputSize(int input, int kernel, int stride, int padding, bool ceil)
    {
        long span = (long)input + padding - kernel;
        return span < 0 ? 0 : (ceil ? (span + stride - 1) / stride : span / stride) + 1;
    }

    /// <summary>Gets the extent of the dilated kernel: (kernel - 1) · dilation + 1.</summary>
    public (int Height, int Width) EffectiveKernel =>
        ((int)Math.Min(MaxValue + 1L, ((long)(Kernel.Height - 1) * Dilation.Height) + 1), (int)Math.Min(MaxValue + 1L, ((long)(Kernel.Width - 1) * Dilation.Width) + 1));

    /// <summary>Fails unless every value stays within <see cref="MaxValue"/> and the window yields at least one output.</summary>
    private void CheckFits(int height, int width, Func<string, OnnxImportException> fail)
    {
        int[] values = [Kernel.Height, Kernel.Width, Stride.Height, Stride.Width, Padding.Top, Padding.Left, Padding.Bottom, Padding.Right,
            EffectiveKernel.Height, EffectiveKernel.Width];
        if (values.Any(v => v > MaxValue))
        {
            throw fail($"kernel {Kernel}, strides {Stride} and pads {Padding} must not exceed {MaxValue}.");
        }

        if ((long)height + Padding.Top + Padding.Bottom > int.MaxValue || (long)width + Padding.Left + Padding.Right > int.MaxValue
            || OutputSize(height, EffectiveKernel.Height, Stride.Height, Padding.Top + Padding.Bottom, ceil: false) < 1
            || OutputSize(width, EffectiveKernel.Width, Stride.Width, Padding.Left + Padding.Right, ceil: false) < 1)
        {
            throw fail($"the {Kernel.Height}x{Kernel.Width} window with pads {Padding} does not fit the {height}x{width} input.");
        }
    }

    /// <summary>The padding that makes the output size ceil(input / stride); the odd unit goes at the end (upper) or the beginning (lower).</summary>
    private static (int Begin, int End) SamePadding(int input, int kernel, int stride, bool lower)
    {
        long output = ((long)input + stride - 1) / stride;
        long total = Math.Max(0, ((output - 1) * stride) + kernel - input);
        long small = total / 2, large = total - small;
        return lower ? ((int)large, (int)small) : ((int)small, (int)large);
    }

    private static void Require2d(string name, int[] values, int minimum, Func<string, OnnxImportException> fail)
    {
        if (values.Length != 2)
        {
            throw fail($"{name} has {values.Length} values; only 2-D windows are supported.");
        }

        if (values[0] < minimum || values[1] < minimum)
        {
            throw fail($"{name} [{values[0]}, {values[1]}] must be at least {minimum}.");
        }
    }
}
