using Google.Protobuf;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Onnx.TestModels;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Import paths of real CNN exports: PyTorch's <c>x.view(x.size(0), -1)</c> shape subgraph, SiLU and channel-shuffle
/// fusion, Pad folding, float16 initializers and external data files (with their path checks).
/// </summary>
[TestClass]
public sealed class OnnxCnnImportTests
{
    [TestMethod]
    public void Load_ViewOfSizeZeroAndMinusOne_FoldsTheShapeSubgraphIntoOneFlatten()
    {
        var nodes = new[]
        {
            Node("Shape", ["x"], "shape"),
            Node("Gather", ["shape", "zero"], "batch"),
            Node("Unsqueeze", ["batch", "axes"], "batch1"),
            Node("Concat", ["batch1", "minus_one"], "target", Int("axis", 0)),
            Node("Reshape", ["x", "target"], "y"),
        };
        var model = TestModels.Model([2, 3, 3], nodes, [Integers("zero", []), Integers("axes", [1], 0), Integers("minus_one", [1], -1)]);

        var network = OnnxModel.Load(Stream(model));

        Assert.AreEqual(1, network.Nodes.Count);
        Assert.IsInstanceOfType<global::Microsoft.ML.Pruning.Networks.Flatten>(network.Nodes[0].Layer);
        CollectionAssert.AreEqual(new[] { 18 }, network.OutputShape);
    }

    [TestMethod]
    [DataRow(3L, 1)]
    [DataRow(10L, 21)]
    public void Load_IrAndOpsetVersionsAtTheEndsOfTheRange_Import(long irVersion, int opset)
    {
        var model = TestModels.Model([3], [Node("Relu", ["x"], "y")], opset: opset);
        model.IrVersion = irVersion;

        Assert.IsInstanceOfType<Relu>(OnnxModel.Load(Stream(model)).Nodes[0].Layer);
    }

    [TestMethod]
    [DataRow(2L)]
    [DataRow(-2L)]
    public void Load_FlattenAtALaterAxisAfterDimensionsOfOne_KeepsTheBatch(long axis)
    {
        var model = TestModels.Model([1, 2, 3], [Node("Flatten", ["x"], "y", Int("axis", axis))]);

        var network = OnnxModel.Load(Stream(model));

        CollectionAssert.AreEqual(new[] { 6 }, network.OutputShape);
    }

    [TestMethod]
    public void Load_FlattenThatMergesTheBatch_IsRejectedNamingTheAxis()
    {
        var model = TestModels.Model([2, 3], [Node("Flatten", ["x"], "y", Int("axis", 2))]);

        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(model)));

        StringAssert.Contains(error.Reason, "axis 2");
    }

    [TestMethod]
    public void Load_SigmoidTimesInput_BecomesOneSiluLayer()
    {
        var model = TestModels.Model([3], [Node("Sigmoid", ["x"], "s"), Node("Mul", ["x", "s"], "y")]);

        var network = OnnxModel.Load(Stream(model));

        Assert.AreEqual(1, network.Nodes.Count);
        Assert.IsInstanceOfType<Silu>(network.Nodes[0].Layer);
        var output = network.Forward(FloatTensor.FromValues([-1f, 0f, 2f], 1, 3));
        TensorAssert.AreClose(FloatTensor.FromValues([-1f / (1 + MathF.E), 0f, 2f / (1 + MathF.Exp(-2))], 1, 3), output, "SiLU", 1e-6);
    }

    [TestMethod]
    public void Load_PyTorchsErfGelu_BecomesOneGeluLayer()
    {
        var nodes = new[]
        {
            Node("Div", ["x", "sqrt2"], "d"),
            Node("Erf", ["d"], "e"),
            Node("Add", ["e", "one"], "a"),
            Node("Mul", ["x", "a"], "m"),
            Node("Mul", ["m", "half"], "y"),
        };
        var model = TestModels.Model([3], nodes, [Floats("sqrt2", [], 1.4142135381698608f), Floats("one", [], 1f), Floats("half", [], 0.5f)]);

        var network = OnnxModel.Load(Stream(model));

        Assert.AreEqual(1, network.Nodes.Count);
        Assert.IsInstanceOfType<Gelu>(network.Nodes[0].Layer);

        // PyTorch 1.13: F.gelu(torch.tensor([-1.5, 0.3, 2.0])).
        TensorAssert.AreClose(FloatTensor.FromValues([-0.10021086f, 0.18537343f, 1.95449996f], 1, 3), network.Forward(FloatTensor.FromValues([-1.5f, 0.3f, 2f], 1, 3)), "GELU", 1e-6);
    }

    [TestMethod]
    public void Load_ZeroPadBeforeConv_FoldsIntoTheConvolutionsPadding()
    {
        var pads = Integers("pads", [8], 0, 0, 1, 2, 0, 0, 3, 0);
        var model = TestModels.Model([1, 4, 4], [Node("Pad", ["x", "pads"], "p"), Node("Conv", ["p", "w"], "y", Ints("pads", 1, 1, 1, 1))],
            [pads, Floats("w", [1, 1, 3, 3], 1, 2, 3, 4, 5, 6, 7, 8, 9)]);

        var network = OnnxModel.Load(Stream(model));

        Assert.AreEqual(1, network.Nodes.Count);
        Assert.AreEqual((2, 3, 4, 1), ((Conv2d)network.Nodes[0].Layer).Padding);
    }

    [TestMethod]
    public void Load_NonZeroPad_BecomesAPad2dLayer()
    {
        var pads = Integers("pads", [8], 0, 0, 1, 0, 0, 0, 0, 1);
        var model = TestModels.Model([1, 2, 2], [Node("Pad", ["x", "pads", "value"], "y")], [pads, Floats("value", [], 0.5f)]);

        var network = OnnxModel.Load(Stream(model));
        var output = network.Forward(FloatTensor.FromValues([1f, 2f, 3f, 4f], 1, 1, 2, 2));

        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f, 0.5f, 1f, 2f, 0.5f, 3f, 4f, 0.5f }, output.Span.ToArray());
    }

    [TestMethod]
    [DataRow(13, 1L)]
    [DataRow(18, 0L)]
    public void Load_ReduceMeanOverSpatialAxes_BecomesAGlobalAveragePool(int opset, long keepdims)
    {
        var node = Node("ReduceMean", opset >= 18 ? ["x", "axes"] : ["x"], "y", Int("keepdims", keepdims));
        if (opset < 18)
        {
            node.Attribute.Add(Ints("axes", -1, 2));
        }

        var model = TestModels.Model([2, 2, 2], [node], opset >= 18 ? [Integers("axes", [2], 2, 3)] : [], opset);
        var network = OnnxModel.Load(Stream(model));
        var output = network.Forward(FloatTensor.FromValues([1f, 2f, 3f, 4f, -1f, -1f, 1f, 5f], 1, 2, 2, 2));

        CollectionAssert.AreEqual(keepdims == 1 ? new[] { 2, 1, 1 } : new[] { 2 }, network.OutputShape);
        CollectionAssert.AreEqual(new[] { 2.5f, 1f }, output.Span.ToArray());
    }

    [TestMethod]
    public void Load_ClipBeforeOpset11_ReadsItsBoundsFromAttributes()
    {
        var node = Node("Clip", ["x"], "y", new AttributeProto { Name = "min", Type = AttributeProto.Types.AttributeType.Float, F = -1f },
            new AttributeProto { Name = "max", Type = AttributeProto.Types.AttributeType.Float, F = 2f });
        var network = OnnxModel.Load(Stream(TestModels.Model([3], [node], opset: 10)));

        CollectionAssert.AreEqual(new[] { -1f, 0.5f, 2f }, network.Forward(FloatTensor.FromValues([-3f, 0.5f, 7f], 1, 3)).Span.ToArray());
    }

    [TestMethod]
    public void Load_Float16Initializers_AreConvertedToFloat32()
    {
        float[] values = [0.5f, -1.25f, 3f, 0.099975586f, -2f, 1024f];
        var half = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float16 };
        half.Dims.AddRange([3, 2]);
        half.RawData = ByteString.CopyFrom(values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray());
        var model = TestModels.Model([3], [Node("MatMul", ["x", "w"], "y")], [half]);

        var dense = (Dense)OnnxModel.Load(Stream(model)).Nodes[0].Layer;

        // Dense stores [units, inputs]; MatMul's B is [inputs, units].
        CollectionAssert.AreEqual(new[] { 0.5f, 3f, -2f, -1.25f, 0.099975586f, 1024f }, dense.Weight.Value.Span.ToArray());
    }

    [TestMethod]
    public void Load_ExternalDataNextToTheModel_ReadsTheWeights()
    {
        using var folder = new TempDirectory();
        float[] values = [1f, 2f, 3f, 4f, 5f, 6f];
        File.WriteAllBytes(Path.Combine(folder.Path, "prefix.bin"), [9, 9, 9, 9, .. values.SelectMany(BitConverter.GetBytes)]);
        string path = Path.Combine(folder.Path, "model.onnx");
        File.WriteAllBytes(path, TestModels.Model([3], [Node("MatMul", ["x", "w"], "y")], [External("w", "prefix.bin", offset: 4)]).ToByteArray());

        var dense = (Dense)OnnxModel.Load(path).Nodes[0].Layer;

        CollectionAssert.AreEqual(new[] { 1f, 3f, 5f, 2f, 4f, 6f }, dense.Weight.Value.Span.ToArray());
    }

    [TestMethod]
    [DataRow("../outside.bin", "outside the model's folder")]
    [DataRow("/etc/passwd", "relative path")]
    [DataRow("missing.bin", "does not exist")]
    [DataRow("short.bin", "needs 24 bytes")]
    public void Load_ExternalDataOutsideOrInvalid_IsRejectedNamingTheTensor(string location, string reason)
    {
        using var folder = new TempDirectory();
        string models = Directory.CreateDirectory(Path.Combine(folder.Path, "models")).FullName;
        File.WriteAllBytes(Path.Combine(folder.Path, "outside.bin"), new byte[24]);
        File.WriteAllBytes(Path.Combine(models, "short.bin"), new byte[8]);
        string path = Path.Combine(models, "model.onnx");
        File.WriteAllBytes(path, TestModels.Model([3], [Node("MatMul", ["x", "w"], "y")], [External("w", location, offset: 0)]).ToByteArray());

        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(path));

        StringAssert.Contains(error.Message, "tensor 'w'");
        StringAssert.Contains(error.Message, reason);
    }

    [TestMethod]
    public void Load_ExternalDataFromAStream_AsksForTheFilePath()
    {
        var model = TestModels.Model([3], [Node("MatMul", ["x", "w"], "y")], [External("w", "w.bin", offset: 0)]);

        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(model)));

        StringAssert.Contains(error.Message, "OnnxModel.Load(path)");
    }

    private static TensorProto External(string name, string location, long offset)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        tensor.Dims.AddRange([3, 2]);
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return tensor;
    }

    private static TensorProto Integers(string name, long[] dims, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values.Length == 0 ? [0] : values);
        return tensor;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
}
