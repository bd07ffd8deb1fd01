using System.Reflection;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>
/// Compares the layers of real CNN families (element-wise operations, Concat, Clip, HardSigmoid, HardSwish, SiLU, ELU,
/// GELU, Pad2d, ChannelShuffle, ChannelSlice, dilated Conv2d, ceil-mode pooling) with PyTorch 1.13 through the fixtures
/// that <c>test/fixtures/generate_cnn_layers.py</c> writes: forward output, and the gradient of every input and
/// parameter, each element within 1e-4 · max(1, |torch|).
/// </summary>
[TestClass]
public sealed class CnnLayerReferenceTests
{
    private const string Folder = "torch-cnn";
    private const double Tolerance = 1e-4;

    /// <summary>Gets or sets the MSTest context, used to log the largest difference of each case.</summary>
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Fixtures_EveryCommittedCase_IsCheckedByATest()
    {
        var covered = typeof(CnnLayerReferenceTests).GetMethods()
            .SelectMany(m => m.GetCustomAttributes<DataRowAttribute>())
            .Select(row => (string)row.Data[0]!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", Folder), "*.json")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(files, covered, "Every fixture file needs a DataRow, and every DataRow a fixture file.");
    }

    [TestMethod]
    [DataRow("clip_relu6")]
    [DataRow("clip_bounds")]
    [DataRow("hardsigmoid_onnx_default")]
    [DataRow("hardsigmoid_pytorch")]
    [DataRow("hardswish")]
    [DataRow("silu")]
    [DataRow("elu")]
    [DataRow("gelu_exact")]
    [DataRow("gelu_tanh")]
    public void Activation_ForwardAndBackward_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(Folder, fixture);
        Layer layer = f.Kind switch
        {
            "clip" => new Clip(f.Float("min"), f.Float("max")),
            "hardsigmoid" => new HardSigmoid(f.Float("alpha"), f.Float("beta")),
            "hardswish" => new HardSwish(),
            "silu" => new Silu(),
            "elu" => new Elu(f.Float("alpha")),
            "gelu" => new Gelu(f.Bool("tanh")),
            _ => throw new AssertFailedException($"Unknown kind '{f.Kind}'."),
        };
        Check(f, layer, []);
    }

    [TestMethod]
    [DataRow("multiply_gate")]
    [DataRow("add_broadcast")]
    [DataRow("subtract_broadcast")]
    [DataRow("divide_broadcast")]
    [DataRow("concat_three")]
    public void MultiInputLayer_ForwardAndBackwardOfEveryInput_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(Folder, fixture);
        Layer layer = f.Kind switch
        {
            "multiply" => new Multiply(),
            "add" => new Add(),
            "subtract" => new Subtract(),
            "divide" => new Divide(),
            "concat" => new Concat(3),
            _ => throw new AssertFailedException($"Unknown kind '{f.Kind}'."),
        };
        Check(f, layer, []);
    }

    [TestMethod]
    [DataRow("constant_multiply_channels")]
    [DataRow("constant_subtract_first")]
    [DataRow("constant_divide_by")]
    [DataRow("constant_divide_first")]
    public void ConstantOperation_ForwardAndInputGradient_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(Folder, fixture);
        var operation = Enum.Parse<BinaryOperation>(f.String("operation"));
        Check(f, new ConstantOperation(operation, f.FloatTensor("constant"), f.Bool("constant_first")), []);
    }

    [TestMethod]
    [DataRow("channel_shuffle_groups2")]
    [DataRow("channel_shuffle_groups3")]
    [DataRow("channel_slice")]
    [DataRow("pad2d_value")]
    public void ChannelLayer_ForwardAndBackward_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(Folder, fixture);
        Layer layer = f.Kind switch
        {
            "shuffle" => new ChannelShuffle(f.Int("groups")),
            "slice" => new ChannelSlice(f.Int("start"), f.Int("count")),
            "pad" => new Pad2d(Padding(f.Ints("padding")), f.Float("value")),
            _ => throw new AssertFailedException($"Unknown kind '{f.Kind}'."),
        };
        Check(f, layer, []);
    }

    [TestMethod]
    [DataRow("conv2d_dilation2")]
    [DataRow("conv2d_dilation_rectangular_stride2")]
    public void DilatedConv2d_ForwardAndBackward_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(Folder, fixture);
        int[] kernel = f.Ints("kernel"), stride = f.Ints("stride"), dilation = f.Ints("dilation");
        var layer = new Conv2d(f.Int("in_channels"), f.Int("out_channels"), (kernel[0], kernel[1]), (stride[0], stride[1]),
            Padding(f.Ints("padding")), (dilation[0], dilation[1]));
        Check(f, layer, [("weight", layer.Weight), ("bias", layer.Bias!)]);
    }

    [TestMethod]
    [DataRow("maxpool_ceil_k3s2")]
    [DataRow("maxpool_ceil_k3s2_pad1")]
    [DataRow("maxpool_ceil_k2s2")]
    [DataRow("avgpool_ceil_include_pad")]
    [DataRow("avgpool_ceil_exclude_pad")]
    [DataRow("avgpool_ceil_nopad")]
    public void CeilModePooling_ForwardAndBackward_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(Folder, fixture);
        int k = f.Int("kernel"), s = f.Int("stride"), p = f.Int("padding");
        Layer layer = f.Kind == "maxpool"
            ? new MaxPool2d((k, k), (s, s), (p, p, p, p), ceilMode: true)
            : new AvgPool2d((k, k), (s, s), (p, p, p, p), f.Bool("count_include_pad"), ceilMode: true);
        Check(f, layer, []);
    }

    private static (int, int, int, int) Padding(int[] v) => (v[0], v[1], v[2], v[3]);

    private void Check(TorchFixture f, Layer layer, (string Name, Parameter Parameter)[] parameters)
    {
        foreach (var (name, parameter) in parameters)
        {
            parameter.Value.CopyFrom(f.FloatTensor(name));
        }

        string[] inputNames = f.Has("input") ? ["input"] : Enumerable.Range(0, layer.InputCount).Select(k => $"input_{k}").ToArray();
        var inputs = inputNames.Select(f.FloatTensor).ToArray();
        var expectedShape = layer.GetOutputShape(inputs.Select(t => t.Shape[1..]).ToArray());
        var output = layer.Forward(inputs, training: true);
        CollectionAssert.AreEqual(expectedShape, output.Shape[1..], "GetOutputShape disagrees with the forward pass.");
        double worst = TensorAssert.AreClose(f.FloatTensor("output"), output, "output", Tolerance);
        var gradients = layer.Backward(f.FloatTensor("output_grad"));
        Assert.AreEqual(inputs.Length, gradients.Count);
        for (int k = 0; k < inputs.Length; k++)
        {
            worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor(inputNames[k] + "_grad"), gradients[k]!, inputNames[k] + "_grad", Tolerance));
        }

        foreach (var (name, parameter) in parameters)
        {
            worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor(name + "_grad"), parameter.Gradient, name + "_grad", Tolerance));
        }

        TestContext.WriteLine($"{f.Name}: largest scaled difference from PyTorch {worst:E2}");
    }
}
