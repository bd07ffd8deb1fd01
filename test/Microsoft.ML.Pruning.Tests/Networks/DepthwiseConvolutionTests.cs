using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

[TestClass]
public sealed class DepthwiseConvolutionTests
{
    // kernel, stride, dilation, padding (top, left, bottom, right), width, channel multiplier.
    [TestMethod]
    [DataRow(3, 1, 1, 1, 1, 1, 1, 7, 1)]
    [DataRow(3, 1, 1, 1, 1, 1, 1, 33, 1)]
    [DataRow(3, 2, 1, 0, 1, 1, 0, 13, 1)]
    [DataRow(3, 2, 1, 1, 1, 1, 1, 33, 1)]
    [DataRow(5, 1, 1, 2, 2, 2, 2, 13, 1)]
    [DataRow(5, 2, 1, 1, 2, 2, 1, 33, 1)]
    [DataRow(3, 1, 2, 2, 2, 2, 2, 13, 1)]
    [DataRow(3, 1, 2, 0, 3, 1, 0, 33, 1)]
    [DataRow(5, 2, 2, 3, 1, 0, 4, 7, 1)]
    [DataRow(3, 1, 1, 0, 2, 1, 0, 13, 1)]
    [DataRow(3, 1, 1, 1, 1, 1, 1, 13, 2)]
    [DataRow(5, 2, 2, 1, 3, 2, 0, 33, 3)]
    public void InferenceForward_OfDepthwiseConvolution_MatchesTheIm2ColPath(int kernel, int stride, int dilation, int top, int left, int bottom, int right, int width, int multiplier)
    {
        var random = new Random(kernel + (7 * stride) + (13 * dilation) + width);
        const int channels = 5, batch = 3, height = 11;
        var conv = new Conv2d(channels, channels * multiplier, (kernel, kernel), (stride, stride), (top, left, bottom, right), (dilation, dilation), groups: channels);
        conv.ResetParameters(random);
        var input = Random(random, batch, channels, height, width);

        // The former path: im2col and one GEMM per group and sample.
        var fast = conv.Forward(input, training: false).Clone();
        var expected = ConvolutionReference.Im2ColPerSample(conv, input, new FloatTensor(fast.Shape)).Output;
        TensorAssert.AreClose(expected, fast, "inference output", 1e-5);
        TensorAssert.AreClose(Reference(conv, input), fast, "plain-loop output", 1e-5);

        conv.ComputeParameterGradients = false;
        TensorAssert.AreClose(expected, conv.Forward(input, training: true), "training output without parameter gradients", 1e-5);
    }

    [TestMethod]
    public void InferenceForward_OfDepthwiseConvolution_IsBitwiseTheSameOnOneAndTwoThreads()
    {
        int saved = ComputeSettings.DegreeOfParallelism;
        try
        {
            var random = new Random(3);
            var conv = new Conv2d(6, 6, 3, stride: 1, padding: 1, groups: 6);
            conv.ResetParameters(random);
            var input = Random(random, 3, 6, 9, 33);
            ComputeSettings.DegreeOfParallelism = 1;
            var one = conv.Forward(input, training: false).Clone();
            ComputeSettings.DegreeOfParallelism = 2;
            var two = conv.Forward(input, training: false);
            CollectionAssert.AreEqual(one.Span.ToArray(), two.Span.ToArray());
        }
        finally
        {
            ComputeSettings.DegreeOfParallelism = saved;
        }
    }

    // A plain six-deep loop over the definition of a depthwise cross-correlation, in double.
    private static FloatTensor Reference(Conv2d conv, FloatTensor input)
    {
        int batch = input.Dim(0), channels = input.Dim(1), h = input.Dim(2), w = input.Dim(3);
        int kh = conv.Kernel.Height, kw = conv.Kernel.Width, m = conv.OutChannels / channels;
        int outH = ((h + conv.Padding.Top + conv.Padding.Bottom - (((kh - 1) * conv.Dilation.Height) + 1)) / conv.Stride.Height) + 1;
        int outW = ((w + conv.Padding.Left + conv.Padding.Right - (((kw - 1) * conv.Dilation.Width) + 1)) / conv.Stride.Width) + 1;
        var output = new FloatTensor(batch, conv.OutChannels, outH, outW);
        var x = input.Span;
        var weight = conv.Weight.Value.Span;
        var y = output.Span;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < conv.OutChannels; o++)
            {
                int c = o / m;
                for (int oy = 0; oy < outH; oy++)
                {
                    for (int ox = 0; ox < outW; ox++)
                    {
                        double sum = conv.Bias!.Value.Span[o];
                        for (int ky = 0; ky < kh; ky++)
                        {
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = (oy * conv.Stride.Height) - conv.Padding.Top + (ky * conv.Dilation.Height);
                                int ix = (ox * conv.Stride.Width) - conv.Padding.Left + (kx * conv.Dilation.Width);
                                if ((uint)iy < (uint)h && (uint)ix < (uint)w)
                                {
                                    sum += weight[(((o * kh) + ky) * kw) + kx] * (double)x[(((((n * channels) + c) * h) + iy) * w) + ix];
                                }
                            }
                        }

                        y[(((((n * conv.OutChannels) + o) * outH) + oy) * outW) + ox] = (float)sum;
                    }
                }
            }
        }

        return output;
    }

    private static FloatTensor Random(Random random, params int[] shape)
    {
        var t = new FloatTensor(shape);
        foreach (ref float v in t.Span)
        {
            v = (float)((random.NextDouble() * 2) - 1);
        }

        return t;
    }
}
