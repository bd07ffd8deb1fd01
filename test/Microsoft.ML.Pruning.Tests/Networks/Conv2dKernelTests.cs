using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.ML.Pruning.Tests.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>
/// The convolution kernels (block GEMM over several samples' columns, 1x1 without im2col, direct depthwise forward and
/// both gradients) against a plain loop in double and against the former im2col-per-sample path, over odd geometries
/// (1x1, 2x2 and 3x3 planes, strides, padding, groups, dilation, batch 1 and 33) on the Vector512, AVX2 and portable
/// kernels; and bit for bit the same on one and two threads.
/// </summary>
[TestClass]
public sealed class Conv2dKernelTests : KernelSettingsTests
{
    private const double Tolerance = 2e-5;

    /// <inheritdoc/>
    protected override void RestoreMore() => Conv2d.ImplicitColumnsEnabled = true;

    // in, out, kernel h x w, stride h x w, padding top left bottom right, dilation h x w, groups, batch, height x width.
    [TestMethod]
    [DataRow("5 7 3x3 1x1 1,1,1,1 1x1 1 33 3x3", DisplayName = "3x3 on a 3x3 plane, padding 1, batch 33")]
    [DataRow("4 6 3x3 2x2 1,1,1,1 1x1 1 33 2x2", DisplayName = "3x3 stride 2 on a 2x2 plane, batch 33")]
    [DataRow("6 5 3x3 1x1 1,1,1,1 1x1 1 1 1x1", DisplayName = "3x3 on a 1x1 plane, batch 1")]
    [DataRow("9 11 1x1 1x1 0,0,0,0 1x1 1 33 1x1", DisplayName = "pointwise on a 1x1 plane, batch 33")]
    [DataRow("9 11 1x1 1x1 0,0,0,0 1x1 1 1 3x3", DisplayName = "pointwise on a 3x3 plane, batch 1")]
    [DataRow("8 6 1x1 1x1 0,0,0,0 1x1 2 33 2x2", DisplayName = "pointwise with 2 groups, batch 33")]
    [DataRow("5 4 1x1 2x2 0,0,0,0 1x1 1 33 3x3", DisplayName = "1x1 stride 2 (not pointwise), batch 33")]
    [DataRow("6 9 3x3 1x1 1,1,1,1 1x1 3 33 3x3", DisplayName = "3 groups, batch 33")]
    [DataRow("3 4 3x3 1x1 2,2,2,2 2x2 1 33 3x3", DisplayName = "dilation 2 on a 3x3 plane")]
    [DataRow("3 5 2x3 2x1 1,0,0,2 1x1 1 33 3x2", DisplayName = "rectangular kernel, asymmetric padding")]
    [DataRow("4 8 3x3 1x1 1,1,1,1 1x1 1 33 8x8", DisplayName = "8x8 plane: three blocks of samples")]
    [DataRow("3 8 7x7 2x2 3,3,3,3 1x1 1 2 19x21", DisplayName = "7x7 stride 2 stem, one sample per block")]
    [DataRow("6 6 3x3 1x1 1,1,1,1 1x1 6 33 3x3", DisplayName = "depthwise 3x3 on a 3x3 plane, batch 33")]
    [DataRow("6 6 3x3 2x2 1,1,1,1 1x1 6 33 2x2", DisplayName = "depthwise stride 2 on a 2x2 plane")]
    [DataRow("5 5 3x3 1x1 1,1,1,1 1x1 5 1 1x1", DisplayName = "depthwise on a 1x1 plane, batch 1")]
    [DataRow("4 8 5x5 1x1 2,2,2,2 1x1 4 3 7x37", DisplayName = "depthwise 5x5, multiplier 2, 37 wide")]
    [DataRow("3 6 3x3 2x2 1,0,2,1 2x2 3 3 9x33", DisplayName = "depthwise stride 2, dilation 2, multiplier 2, asymmetric padding")]
    [DataRow("1 6 5x5 1x1 2,2,2,2 1x1 1 3 28x28", DisplayName = "single input channel (LeNet-5's first layer)")]
    [DataRow("6 9 3x3 1x1 1,1,1,1 1x1 3 2 2x2", DisplayName = "3 groups, 8 columns in all (transposed few-column product)")]
    [DataRow("16 20 3x3 1x1 1,1,1,1 1x1 1 1 4x4", DisplayName = "16 columns at batch 1 (few-columns product)")]
    [DataRow("9 13 1x1 1x1 0,0,0,0 1x1 1 1 5x7", DisplayName = "pointwise, 35 columns and 13 filters at batch 1 (few-columns product, overlapping vector)")]
    [DataRow("6 10 3x3 1x1 1,1,1,1 1x1 2 1 3x3", DisplayName = "2 groups, 9 columns at batch 1 (few-columns product)")]
    [DataRow("5 17 3x3 1x1 1,1,1,1 1x1 1 1 8x8", DisplayName = "64 columns at batch 1 (few-columns product)")]
    [DataRow("5 17 3x3 1x1 1,1,1,1 1x1 1 1 3x11", DisplayName = "33 columns at batch 1 (few-columns product)")]
    [DataRow("7 15 3x3 1x1 1,1,1,1 1x1 1 1 7x7", DisplayName = "49 columns at batch 1 (few-columns product, 3 vectors and an overlapping one)")]
    [DataRow("5 5 3x3 1x1 1,1,1,1 1x1 5 3 17x19", DisplayName = "depthwise on a 17x19 plane (row-phase path)")]
    [DataRow("4 4 3x3 2x2 1,1,1,1 1x1 4 2 33x35", DisplayName = "depthwise stride 2 on a 33x35 plane (row-phase path)")]
    [DataRow("20 20 5x5 2x2 2,2,2,2 1x1 20 33 7x7", DisplayName = "depthwise 5x5 stride 2, 20 channels (channel-last, padded lanes)")]
    public void ForwardAndBothGradients_MatchThePlainLoopAndTheIm2ColPath_OnEveryKernel(string geometry)
    {
        var (conv, input, dy) = Build(geometry, seed: geometry.Length);
        var loop = ConvolutionReference.PlainLoop(conv, input, dy);
        var im2col = ConvolutionReference.Im2ColPerSample(conv, input, dy);
        foreach (var kernel in Kernels())
        {
            Gemm.KernelOverride = kernel;
            foreach (int threads in new[] { 1, 2 })
            {
                ComputeSettings.DegreeOfParallelism = threads;
                var actual = ConvolutionReference.Layer(conv, input, dy);
                string where = $"{kernel}, {threads} thread(s)";
                foreach (var (expected, name) in new[] { (loop, "plain loop"), (im2col, "im2col path") })
                {
                    TensorAssert.AreClose(expected.Output, actual.Output, $"output against the {name} ({where})", Tolerance);
                    TensorAssert.AreClose(expected.InputGradient, actual.InputGradient, $"input gradient against the {name} ({where})", Tolerance);
                    TensorAssert.AreClose(expected.WeightGradient, actual.WeightGradient, $"weight gradient against the {name} ({where})", 1e-4);
                    TensorAssert.AreClose(expected.BiasGradient, actual.BiasGradient, $"bias gradient against the {name} ({where})", 1e-4);
                }
            }
        }
    }

    [TestMethod]
    [DataRow("5 7 3x3 1x1 1,1,1,1 1x1 1 33 3x3")]
    [DataRow("9 11 1x1 1x1 0,0,0,0 1x1 1 33 2x2")]
    [DataRow("4 8 3x3 1x1 1,1,1,1 1x1 1 33 8x8")]
    [DataRow("6 12 3x3 2x2 1,1,1,1 1x1 6 33 9x9")]
    [DataRow("24 24 3x3 1x1 1,1,1,1 1x1 24 33 5x5")]
    [DataRow("4 4 3x3 1x1 1,1,1,1 1x1 4 3 17x19")]
    [DataRow("128 136 1x1 1x1 0,0,0,0 1x1 1 1 4x4")]
    [DataRow("40 44 3x3 1x1 1,1,1,1 1x1 1 1 6x6")]
    public void ForwardAndBothGradients_AreBitwiseTheSame_OnOneAndTwoThreads(string geometry)
    {
        var (conv, input, dy) = Build(geometry, seed: 5);
        ComputeSettings.DegreeOfParallelism = 1;
        var one = ConvolutionReference.Layer(conv, input, dy);
        ComputeSettings.DegreeOfParallelism = 2;
        var two = ConvolutionReference.Layer(conv, input, dy);
        var again = ConvolutionReference.Layer(conv, input, dy);
        foreach (var other in new[] { two, again })
        {
            CollectionAssert.AreEqual(one.Output.Span.ToArray(), other.Output.Span.ToArray(), "output");
            CollectionAssert.AreEqual(one.InputGradient.Span.ToArray(), other.InputGradient.Span.ToArray(), "input gradient");
            CollectionAssert.AreEqual(one.WeightGradient.Span.ToArray(), other.WeightGradient.Span.ToArray(), "weight gradient");
            CollectionAssert.AreEqual(one.BiasGradient.Span.ToArray(), other.BiasGradient.Span.ToArray(), "bias gradient");
        }
    }

    [TestMethod]
    [DataRow("5 7 3x3 1x1 1,1,1,1 1x1 1 33 3x3")]
    [DataRow("4 8 3x3 1x1 1,1,1,1 1x1 1 33 8x8")]
    [DataRow("3 4 3x3 2x2 2,1,0,2 2x2 1 5 9x7")]
    [DataRow("6 9 3x3 1x1 1,1,1,1 1x1 3 33 3x3")]
    [DataRow("8 6 1x1 1x1 0,0,0,0 1x1 2 33 2x2")]
    [DataRow("3 8 7x7 2x2 3,3,3,3 1x1 1 2 19x21")]
    public void ImplicitColumns_GiveTheSameBitsAsTheStoredIm2Col_OnEveryKernel(string geometry)
    {
        var (conv, input, dy) = Build(geometry, seed: 11);
        foreach (var kernel in Kernels())
        {
            Gemm.KernelOverride = kernel;
            Conv2d.ImplicitColumnsEnabled = false;
            var stored = ConvolutionReference.Layer(conv, input, dy);
            Conv2d.ImplicitColumnsEnabled = true;
            var gathered = ConvolutionReference.Layer(conv, input, dy);
            CollectionAssert.AreEqual(stored.Output.Span.ToArray(), gathered.Output.Span.ToArray(), $"output ({kernel})");
            CollectionAssert.AreEqual(stored.InputGradient.Span.ToArray(), gathered.InputGradient.Span.ToArray(), $"input gradient ({kernel})");
            if (conv.OutChannels / conv.Groups > Gemm.MaxSmallRows)
            {
                CollectionAssert.AreEqual(stored.WeightGradient.Span.ToArray(), gathered.WeightGradient.Span.ToArray(), $"weight gradient ({kernel})");
            }
            else
            {
                // With at most four filters per group the stored columns' weight gradient takes the dot-product route.
                TensorAssert.AreClose(stored.WeightGradient, gathered.WeightGradient, $"weight gradient ({kernel})", 1e-5);
            }
        }
    }

    [TestMethod]
    public void InferenceForward_MatchesTheTrainingForward_ForEveryPath()
    {
        foreach (string geometry in new[] { "5 7 3x3 1x1 1,1,1,1 1x1 1 33 3x3", "9 11 1x1 1x1 0,0,0,0 1x1 1 33 2x2", "6 6 3x3 2x2 1,1,1,1 1x1 6 5 9x9" })
        {
            var (conv, input, _) = Build(geometry, seed: 7);
            var training = conv.Forward(input, training: true).Clone();
            CollectionAssert.AreEqual(training.Span.ToArray(), conv.Forward(input, training: false).Span.ToArray(), geometry);
        }
    }

    private static GemmKernel[] Kernels() =>
        System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported
            ? [GemmKernel.Vector512, GemmKernel.Avx2, GemmKernel.Portable]
            : [GemmKernel.Vector512, GemmKernel.Portable];

    private static (Conv2d Conv, FloatTensor Input, FloatTensor OutputGradient) Build(string geometry, int seed)
    {
        var parts = geometry.Split(' ');
        static (int, int) Pair(string text) => (int.Parse(text.Split('x')[0]), int.Parse(text.Split('x')[1]));
        var padding = parts[4].Split(',').Select(int.Parse).ToArray();
        var (height, width) = Pair(parts[8]);
        var conv = new Conv2d(int.Parse(parts[0]), int.Parse(parts[1]), Pair(parts[2]), Pair(parts[3]), (padding[0], padding[1], padding[2], padding[3]), Pair(parts[5]), int.Parse(parts[6]));
        var random = new Random(seed);
        conv.ResetParameters(random);
        int batch = int.Parse(parts[7]);
        var input = Random(random, batch, conv.InChannels, height, width);
        var shape = conv.GetOutputShape([[conv.InChannels, height, width]]);
        return (conv, input, Random(random, batch, shape[0], shape[1], shape[2]));
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
