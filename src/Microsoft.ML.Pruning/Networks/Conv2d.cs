using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// A 2-D convolution (cross-correlation, as in PyTorch and ONNX) on [batch, channels, height, width] inputs,
/// computed as im2col followed by GEMM over blocks of samples, or directly for a channel-wise (depthwise) convolution. Weight shape [outChannels, inChannels / groups, kernelHeight, kernelWidth].
/// </summary>
public sealed partial class Conv2d : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private FloatTensor? _input;
    private float[] _columns = [];
    private bool _parameterGradientsPrepared;
    private float[] _scratch = [];
    private float[] _blockOutput = [];
    private float[] _columnGradient = [];
    private float[] _channelsLastInput = [];
    private float[] _fewColumns = [];
    private bool _implicitColumns;
    private readonly Dictionary<(int Samples, int Group, bool Transposed), ConvolutionColumns> _sources = [];
    private WindowGeometry _sourcesGeometry;
    private float[] _channelsLastGradient = [];

    /// <summary>Creates a convolution with a square kernel and symmetric padding.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels (filters).</param>
    /// <param name="kernelSize">The kernel height and width.</param>
    /// <param name="stride">The step in both directions.</param>
    /// <param name="padding">The zero padding on every side.</param>
    /// <param name="groups">The number of channel groups; equal to <paramref name="inChannels"/> for a depthwise convolution.</param>
    /// <param name="useBias">Whether the layer adds a bias.</param>
    /// <param name="name">The layer's name.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int groups = 1, bool useBias = true, string? name = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding, padding, padding), groups, useBias, name)
    {
    }

    /// <summary>Creates a convolution with full control of its geometry.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels (filters).</param>
    /// <param name="kernel">The kernel height and width.</param>
    /// <param name="stride">The vertical and horizontal steps.</param>
    /// <param name="padding">The zero padding: top, left, bottom, right.</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="useBias">Whether the layer adds a bias.</param>
    /// <param name="name">The layer's name.</param>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernel, (int Height, int Width) stride,
        (int Top, int Left, int Bottom, int Right) padding, int groups = 1, bool useBias = true, string? name = null)
        : this(inChannels, outChannels, kernel, stride, padding, (1, 1), groups, useBias, name)
    {
    }

    /// <summary>Creates a dilated (atrous) convolution.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels (filters).</param>
    /// <param name="kernel">The kernel height and width.</param>
    /// <param name="stride">The vertical and horizontal steps.</param>
    /// <param name="padding">The zero padding: top, left, bottom, right.</param>
    /// <param name="dilation">The vertical and horizontal spacing of the kernel's taps; (1, 1) is an ordinary convolution.</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="useBias">Whether the layer adds a bias.</param>
    /// <param name="name">The layer's name.</param>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernel, (int Height, int Width) stride,
        (int Top, int Left, int Bottom, int Right) padding, (int Height, int Width) dilation, int groups = 1, bool useBias = true, string? name = null)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation.Height, 1, nameof(dilation));
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation.Width, 1, nameof(dilation));
        Dilation = dilation;
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernel.Height, 1, nameof(kernel));
        ArgumentOutOfRangeException.ThrowIfLessThan(kernel.Width, 1, nameof(kernel));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride.Height, 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride.Width, 1, nameof(stride));
        if (padding.Top < 0 || padding.Left < 0 || padding.Bottom < 0 || padding.Right < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must be non-negative.");
        }

        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must divide both inChannels ({inChannels}) and outChannels ({outChannels}).");
        }

        Groups = groups;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Weight = new Parameter("weight", new FloatTensor(outChannels, inChannels / groups, kernel.Height, kernel.Width));
        Bias = useBias ? new Parameter("bias", new FloatTensor(outChannels)) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    /// <summary>Gets the weight, shape [outChannels, inChannels / groups, kernelHeight, kernelWidth].</summary>
    public Parameter Weight { get; }

    /// <summary>Gets the bias, shape [outChannels], or <see langword="null"/>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Gets the input channels.</summary>
    public int InChannels => Weight.Value.Dim(1) * Groups;

    /// <summary>Gets the output channels.</summary>
    public int OutChannels => Weight.Value.Dim(0);

    /// <summary>Gets the number of channel groups.</summary>
    public int Groups { get; private set; }

    /// <summary>Gets the kernel size.</summary>
    public (int Height, int Width) Kernel { get; }

    /// <summary>Gets the strides.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Gets the zero padding.</summary>
    public (int Top, int Left, int Bottom, int Right) Padding { get; }

    /// <summary>Gets the spacing of the kernel's taps; (1, 1) for an ordinary convolution.</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>Gets whether every input channel has its own filters (groups equal to the input channels, more than one).</summary>
    public bool IsDepthwise => Groups > 1 && Groups == InChannels;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes, 3);
        if (shape[0] != InChannels)
        {
            throw ShapeError($"expects {InChannels} input channels, got {shape[0]}.");
        }

        var g = Geometry(shape[1], shape[2]);
        return [OutChannels, g.OutputHeight, g.OutputWidth];
    }

    /// <summary>
    /// Throws unless the kernel fits the padded input. Checked on the sizes themselves: the output-size formula's integer
    /// division rounds a negative remainder towards zero, so with a stride above 1 it gives 1 where the kernel does not fit.
    /// </summary>
    private void CheckKernelFits(int height, int width)
    {
        int extentHeight = (Kernel.Height - 1) * Dilation.Height + 1, extentWidth = (Kernel.Width - 1) * Dilation.Width + 1;
        if (height + Padding.Top + Padding.Bottom < extentHeight || width + Padding.Left + Padding.Right < extentWidth)
        {
            string dilated = Dilation == (1, 1) ? "" : $" (dilation {Dilation.Height}x{Dilation.Width}, spanning {extentHeight}x{extentWidth})";
            throw ShapeError($"the {Kernel.Height}x{Kernel.Width} kernel{dilated} does not fit the {height}x{width} input padded by {Padding.Top}, {Padding.Left}, {Padding.Bottom}, {Padding.Right} (top, left, bottom, right).");
        }
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes)
    {
        var output = GetOutputShape(inputShapes);
        return (long)output[0] * output[1] * output[2] * (InChannels / Groups) * Kernel.Height * Kernel.Width;
    }

    /// <inheritdoc/>
    public override void ResetParameters(Random random)
    {
        // PyTorch's nn.Conv2d default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
        float bound = 1f / MathF.Sqrt(Weight.Value.Length / OutChannels);
        Initializers.Uniform(Weight.Value.Span, bound, random);
        if (Bias is not null)
        {
            Initializers.Uniform(Bias.Value.Span, bound, random);
        }
    }

    /// <summary>
    /// Sets the number of groups after structural pruning replaced the weight of a channel-wise (depthwise) convolution,
    /// whose groups follow its channels.
    /// </summary>
    /// <param name="groups">The new group count; it must divide the output channels.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count does not divide the output channels.</exception>
    internal void SetGroups(int groups)
    {
        if (groups < 1 || OutChannels % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"Layer '{Name}': groups must divide the {OutChannels} output channels.");
        }

        Groups = groups;
    }

    // Every pass builds its geometry here, so the kernel-fit check (dilation included) guards them all.
    private WindowGeometry Geometry(int height, int width)
    {
        CheckKernelFits(height, width);
        return new WindowGeometry(InChannels, height, width, Kernel.Height, Kernel.Width, Stride.Height, Stride.Width, Padding.Top, Padding.Left, Padding.Bottom, Padding.Right, Dilation.Height, Dilation.Width);
    }
}
