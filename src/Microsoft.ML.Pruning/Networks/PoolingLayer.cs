using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The shared geometry of 2-D pooling layers on [batch, channels, height, width] inputs.</summary>
public abstract class PoolingLayer : UnaryLayer
{
    // The fewest planes worth a thread of their own.
    private const int PlanesPerPart = 16;

    private FloatTensor? _output;
    private FloatTensor? _inputGradient;

    /// <summary>Initializes the pooling geometry.</summary>
    /// <param name="kernel">The window height and width.</param>
    /// <param name="stride">The vertical and horizontal steps.</param>
    /// <param name="padding">The padding: top, left, bottom, right.</param>
    /// <param name="ceilMode">Whether the output size rounds up (a last, partial window), as ONNX's and PyTorch's ceil_mode.</param>
    /// <param name="name">The layer's name.</param>
    protected PoolingLayer((int Height, int Width) kernel, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding, bool ceilMode, string? name)
        : base(name)
    {
        if (kernel.Height < 1 || kernel.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "kernel sizes must be at least 1.");
        }

        if (stride.Height < 1 || stride.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "strides must be at least 1.");
        }

        if (padding.Top < 0 || padding.Left < 0 || padding.Bottom < 0 || padding.Right < 0
            || padding.Top >= kernel.Height || padding.Bottom >= kernel.Height || padding.Left >= kernel.Width || padding.Right >= kernel.Width)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must be non-negative and smaller than the kernel.");
        }

        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        CeilMode = ceilMode;
    }

    /// <summary>Gets the window size.</summary>
    public (int Height, int Width) Kernel { get; }

    /// <summary>Gets the strides.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Gets the padding.</summary>
    public (int Top, int Left, int Bottom, int Right) Padding { get; }

    /// <summary>
    /// Gets whether the output size rounds up: a last window that starts inside the input (or its leading padding) but
    /// runs past the trailing padding still gives an output, computed over the positions it covers.
    /// </summary>
    public bool CeilMode { get; }

    /// <summary>Gets the shape of the last input.</summary>
    protected int[] InputShape { get; private set; } = [];

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes, 3);
        var g = Geometry(shape[0], shape[1], shape[2]);
        if (g.OutputHeight < 1 || g.OutputWidth < 1)
        {
            throw ShapeError($"the {Kernel.Height}x{Kernel.Width} window does not fit input {FloatTensor.FormatShape(shape)}.");
        }

        return [shape[0], g.OutputHeight, g.OutputWidth];
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes)
    {
        var output = GetOutputShape(inputShapes);
        return (long)output[0] * output[1] * output[2] * Kernel.Height * Kernel.Width;
    }

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if (input.Rank != 4)
        {
            throw ShapeError($"expects input [batch, channels, height, width], got {FloatTensor.FormatShape(input.Shape)}.");
        }

        var g = Geometry(input.Dim(1), input.Dim(2), input.Dim(3));
        var output = Ensure(ref _output, [input.Dim(0), input.Dim(1), g.OutputHeight, g.OutputWidth]);
        InputShape = input.Shape;
        int planes = input.Dim(0) * input.Dim(1), inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth;
        Prepare(planes * outPlane, training);
        WorkerPool.ForEach(planes, plane =>
            PoolPlane(g, plane, input.Span.Slice(plane * inPlane, inPlane), output.Span.Slice(plane * outPlane, outPlane), training), PlanesPerPart);
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        if (!ComputeInputGradient)
        {
            return null;
        }

        var inputGradient = Ensure(ref _inputGradient, InputShape);
        var g = Geometry(InputShape[1], InputShape[2], InputShape[3]);
        int planes = InputShape[0] * InputShape[1], inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth;
        WorkerPool.ForEach(planes, plane =>
        {
            var planeGradient = inputGradient.Span.Slice(plane * inPlane, inPlane);
            planeGradient.Clear();
            UnpoolPlane(g, plane, outputGradient.Span.Slice(plane * outPlane, outPlane), planeGradient);
        }, PlanesPerPart);
        return inputGradient;
    }

    /// <summary>Makes room for what a training pass remembers, before the planes are pooled in parallel.</summary>
    /// <param name="outputLength">The number of output values of the batch.</param>
    /// <param name="training">Whether the pass is for training.</param>
    private protected virtual void Prepare(int outputLength, bool training)
    {
    }

    /// <summary>Pools one [height, width] plane.</summary>
    /// <param name="g">The window geometry.</param>
    /// <param name="plane">The plane's index within the batch (sample × channel).</param>
    /// <param name="input">The input plane.</param>
    /// <param name="output">The output plane.</param>
    /// <param name="training">Whether to remember what the backward pass needs.</param>
    private protected abstract void PoolPlane(in WindowGeometry g, int plane, ReadOnlySpan<float> input, Span<float> output, bool training);

    /// <summary>Adds one plane's output gradient into its (cleared) input gradient.</summary>
    /// <param name="g">The window geometry.</param>
    /// <param name="plane">The plane's index within the batch.</param>
    /// <param name="outputGradient">The output gradient plane.</param>
    /// <param name="inputGradient">The input gradient plane.</param>
    private protected abstract void UnpoolPlane(in WindowGeometry g, int plane, ReadOnlySpan<float> outputGradient, Span<float> inputGradient);

    // Ceil mode is floor mode with enough extra trailing padding for the last window; padded positions never win a
    // max pool, and an average pool divides by the positions inside the declared padding only.
    private WindowGeometry Geometry(int channels, int height, int width) =>
        new(channels, height, width, Kernel.Height, Kernel.Width, Stride.Height, Stride.Width, Padding.Top, Padding.Left,
            Padding.Bottom + CeilExtra(height, Kernel.Height, Stride.Height, Padding.Top, Padding.Bottom),
            Padding.Right + CeilExtra(width, Kernel.Width, Stride.Width, Padding.Left, Padding.Right));

    private int CeilExtra(int size, int kernel, int stride, int before, int after)
    {
        int span = size + before + after - kernel;
        if (!CeilMode || span < 0)
        {
            return 0;
        }

        int outputs = ((span + stride - 1) / stride) + 1;

        // As PyTorch: the last window must start inside the input or the leading padding.
        if ((outputs - 1) * stride >= size + before)
        {
            outputs--;
        }

        return Math.Max(0, ((outputs - 1) * stride) + kernel - (size + before + after));
    }
}
