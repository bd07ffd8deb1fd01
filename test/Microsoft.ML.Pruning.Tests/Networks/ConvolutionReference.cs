using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>The output and gradients of a convolution's forward and backward passes.</summary>
/// <param name="Output">The output.</param>
/// <param name="InputGradient">The gradient with respect to the input.</param>
/// <param name="WeightGradient">The gradient with respect to the weight.</param>
/// <param name="BiasGradient">The gradient with respect to the bias.</param>
internal sealed record ConvolutionResult(FloatTensor Output, FloatTensor InputGradient, FloatTensor WeightGradient, FloatTensor BiasGradient);

/// <summary>
/// Two independent references for <see cref="Conv2d"/>: a plain seven-deep loop over the definition of a grouped,
/// strided, padded, dilated cross-correlation in double, and the engine's former path, one im2col and one GEMM per
/// sample and group (<see cref="Im2Col"/> and <see cref="Gemm"/> called directly).
/// </summary>
internal static class ConvolutionReference
{
    /// <summary>The plain loop: output, and the gradients for the output gradient <paramref name="dy"/>, in double.</summary>
    public static ConvolutionResult PlainLoop(Conv2d conv, FloatTensor input, FloatTensor dy)
    {
        int batch = input.Dim(0), channels = input.Dim(1), h = input.Dim(2), w = input.Dim(3);
        int kh = conv.Kernel.Height, kw = conv.Kernel.Width, groups = conv.Groups;
        int inPerGroup = channels / groups, outPerGroup = conv.OutChannels / groups;
        int outH = dy.Dim(2), outW = dy.Dim(3);
        var y = new double[batch * conv.OutChannels * outH * outW];
        var dx = new double[input.Length];
        var dWeight = new double[conv.Weight.Value.Length];
        var dBias = new double[conv.OutChannels];
        var x = input.Span;
        var weight = conv.Weight.Value.Span;
        var g = dy.Span;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < conv.OutChannels; o++)
            {
                int group = o / outPerGroup;
                for (int oy = 0; oy < outH; oy++)
                {
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int at = (((((n * conv.OutChannels) + o) * outH) + oy) * outW) + ox;
                        double sum = conv.Bias?.Value.Span[o] ?? 0;
                        dBias[o] += g[at];
                        for (int ci = 0; ci < inPerGroup; ci++)
                        {
                            int c = (group * inPerGroup) + ci;
                            for (int ky = 0; ky < kh; ky++)
                            {
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = (oy * conv.Stride.Height) - conv.Padding.Top + (ky * conv.Dilation.Height);
                                    int ix = (ox * conv.Stride.Width) - conv.Padding.Left + (kx * conv.Dilation.Width);
                                    if ((uint)iy >= (uint)h || (uint)ix >= (uint)w)
                                    {
                                        continue;
                                    }

                                    int wi = (((((o * inPerGroup) + ci) * kh) + ky) * kw) + kx;
                                    int xi = (((((n * channels) + c) * h) + iy) * w) + ix;
                                    sum += weight[wi] * (double)x[xi];
                                    dx[xi] += weight[wi] * (double)g[at];
                                    dWeight[wi] += x[xi] * (double)g[at];
                                }
                            }
                        }

                        y[at] = sum;
                    }
                }
            }
        }

        return new ConvolutionResult(Tensor(y, dy.Shape), Tensor(dx, input.Shape), Tensor(dWeight, conv.Weight.Value.Shape), Tensor(dBias, [conv.OutChannels]));
    }

    /// <summary>The former path: per sample, im2col, then per group Y = W·cols, dW += dY·colsᵀ and dcols = Wᵀ·dY, then col2im.</summary>
    public static ConvolutionResult Im2ColPerSample(Conv2d conv, FloatTensor input, FloatTensor dy)
    {
        int batch = input.Dim(0);
        var g = new WindowGeometry(input.Dim(1), input.Dim(2), input.Dim(3), conv.Kernel.Height, conv.Kernel.Width, conv.Stride.Height, conv.Stride.Width,
            conv.Padding.Top, conv.Padding.Left, conv.Padding.Bottom, conv.Padding.Right, conv.Dilation.Height, conv.Dilation.Width);
        int p = g.ColumnCount, rows = g.ColumnRows, groups = conv.Groups;
        int filters = conv.OutChannels / groups, rowsPerGroup = rows / groups, inputLength = input.Length / batch;
        var output = new FloatTensor(dy.Shape);
        var dx = new FloatTensor(input.Shape);
        var dWeight = new FloatTensor(conv.Weight.Value.Shape);
        var dBias = new double[conv.OutChannels];
        var columns = new float[rows * p];
        var dColumns = new float[rows * p];
        var weight = conv.Weight.Value.Span;
        for (int n = 0; n < batch; n++)
        {
            Im2Col.Unfold(g, input.Span.Slice(n * inputLength, inputLength), columns);
            var y = output.Span.Slice(n * conv.OutChannels * p, conv.OutChannels * p);
            var gradient = dy.Span.Slice(n * conv.OutChannels * p, conv.OutChannels * p);
            for (int grp = 0; grp < groups; grp++)
            {
                var w = weight.Slice(grp * filters * rowsPerGroup, filters * rowsPerGroup);
                var cols = columns.AsSpan(grp * rowsPerGroup * p, rowsPerGroup * p);
                var dyGroup = gradient.Slice(grp * filters * p, filters * p);
                Gemm.Multiply(false, false, filters, p, rowsPerGroup, w, rowsPerGroup, cols, p, y.Slice(grp * filters * p, filters * p), p, parallel: false);
                Gemm.Multiply(false, true, filters, rowsPerGroup, p, dyGroup, p, cols, p, dWeight.Span.Slice(grp * filters * rowsPerGroup, filters * rowsPerGroup), rowsPerGroup, accumulate: true, parallel: false);
                Gemm.Multiply(true, false, rowsPerGroup, p, filters, w, rowsPerGroup, dyGroup, p, dColumns.AsSpan(grp * rowsPerGroup * p, rowsPerGroup * p), p, parallel: false);
            }

            for (int o = 0; o < conv.OutChannels; o++)
            {
                float bias = conv.Bias?.Value.Span[o] ?? 0;
                for (int i = 0; i < p; i++)
                {
                    y[(o * p) + i] += bias;
                    dBias[o] += gradient[(o * p) + i];
                }
            }

            Im2Col.Fold(g, dColumns, dx.Span.Slice(n * inputLength, inputLength));
        }

        return new ConvolutionResult(output, dx, dWeight, Tensor(dBias, [conv.OutChannels]));
    }

    /// <summary>Runs the layer's training forward and backward passes and copies what they produce.</summary>
    public static ConvolutionResult Layer(Conv2d conv, FloatTensor input, FloatTensor dy)
    {
        var output = conv.Forward(input, training: true).Clone();
        var dx = conv.Backward(dy)[0]!.Clone();
        return new ConvolutionResult(output, dx, conv.Weight.Gradient.Clone(), conv.Bias!.Gradient.Clone());
    }

    private static FloatTensor Tensor(double[] values, int[] shape) => FloatTensor.FromValues(values.Select(v => (float)v).ToArray(), shape);
}
