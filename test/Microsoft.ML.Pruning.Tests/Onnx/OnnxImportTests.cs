using Google.Protobuf;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Onnx.TestModels;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>Import paths that the reference models do not cover: typed weight fields, auto_pad, Gemm attributes, folding, the schema.</summary>
[TestClass]
public sealed class OnnxImportTests
{
    /// <summary>Weights in float_data (rather than raw_data) import, and Gemm's alpha, beta and transB=0 are applied.</summary>
    [TestMethod]
    public void Load_GemmWithFloatDataAlphaBetaAndUntransposedB_ComputesAlphaXBPlusBetaC()
    {
        var b = Floats("b", [2, 3], 1, 2, 3, 4, 5, 6);
        var c = Floats("c", [3], 10, 20, 30);
        var model = TestModels.Model([2], [Node("Gemm", ["x", "b", "c"], "y", Float("alpha", 2), Float("beta", 0.5f))], [b, c]);

        var network = OnnxModel.Load(Stream(model));
        var output = network.Forward(FloatTensor.FromValues([1, 1], 1, 2));

        // 2 · [1, 1] · [[1, 2, 3], [4, 5, 6]] + 0.5 · [10, 20, 30] = [15, 24, 33].
        CollectionAssert.AreEqual(new[] { 15f, 24f, 33f }, output.Span.ToArray());
    }

    /// <summary>SAME_UPPER and SAME_LOWER put the odd padding unit at the end or the beginning.</summary>
    /// <param name="autoPad">The auto_pad value.</param>
    /// <param name="top">The expected top padding.</param>
    /// <param name="bottom">The expected bottom padding.</param>
    [TestMethod]
    [DataRow("SAME_UPPER", 0, 1)]
    [DataRow("SAME_LOWER", 1, 0)]
    [DataRow("VALID", 0, 0)]
    public void Load_ConvWithAutoPad_ResolvesExplicitPadding(string autoPad, int top, int bottom)
    {
        var model = TestModels.Model([1, 5, 5], [Node("Conv", ["x", "w"], "y", String("auto_pad", autoPad), Ints("strides", 2, 2))], [Floats("w", [1, 1, 2, 2], 1, 1, 1, 1)]);

        var conv = (Conv2d)OnnxModel.Load(Stream(model)).Nodes.Single().Layer;

        Assert.AreEqual((top, top, bottom, bottom), conv.Padding);
    }

    /// <summary>An Add of a per-channel constant after a Conv without bias folds into the convolution's bias.</summary>
    [TestMethod]
    public void Load_ConvWithoutBiasFollowedByAddOfConstant_FoldsTheBias()
    {
        var model = TestModels.Model([1, 3, 3], [Node("Conv", ["x", "w"], "t"), Node("Add", ["c", "t"], "y")],
            [Floats("w", [2, 1, 1, 1], 1, 2), Floats("c", [1, 2, 1, 1], 0.5f, -1)]);

        var network = OnnxModel.Load(Stream(model));
        var output = network.Forward(FloatTensor.FromValues(Enumerable.Repeat(1f, 9).ToArray(), 1, 1, 3, 3));

        Assert.AreEqual(1, network.Nodes.Count);
        CollectionAssert.AreEqual(new[] { 1.5f, 1f }, new[] { output[0, 0, 0, 0], output[0, 1, 2, 2] });
    }

    /// <summary>A MatMul's bias from a Constant node that comes later in the file still folds into the Dense layer.</summary>
    [TestMethod]
    public void Load_MatMulWithBiasFromLaterConstantNode_FoldsIntoDense()
    {
        var constant = Node("Constant", [], "c");
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.FloatTensor, T = Floats("", [2], 0.25f, -0.5f) });
        var model = TestModels.Model([3], [Node("MatMul", ["x", "w"], "t"), constant, Node("Add", ["t", "c"], "y")], [Floats("w", [3, 2], 1, 0, 0, 1, 1, 1)]);

        var network = OnnxModel.Load(Stream(model));
        var output = network.Forward(FloatTensor.FromValues([1, 2, 3], 1, 3));

        var dense = (Dense)network.Nodes.Single().Layer;
        CollectionAssert.AreEqual(new[] { 1f, 0f, 1f, 0f, 1f, 1f }, dense.Weight.Value.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 4.25f, 4.5f }, output.Span.ToArray());
    }

    /// <summary>Nodes that the output does not depend on are left out.</summary>
    [TestMethod]
    public void Load_DeadBranch_IsLeftOut()
    {
        var model = TestModels.Model([4], [Node("Sigmoid", ["x"], "unused"), Node("Relu", ["x"], "y")]);

        var network = OnnxModel.Load(Stream(model));

        Assert.IsInstanceOfType<Relu>(network.Nodes.Single().Layer);
    }

    /// <summary>A fixed batch dimension is accepted, and a Reshape to [that batch, -1] is a flattening.</summary>
    [TestMethod]
    public void Load_FixedBatchWithReshapeToBatchAndMinusOne_Flattens()
    {
        var shape = new TensorProto { Name = "s", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.AddRange([5, -1]);
        var model = TestModels.Model([2, 3], [Node("Reshape", ["x", "s"], "y")], [shape]);
        model.Graph.Input[0] = Value("x", [5, 2, 3]);

        var network = OnnxModel.Load(Stream(model));

        CollectionAssert.AreEqual(new[] { 6 }, network.OutputShape);
    }

    /// <summary>Softmax at opset 11 with the default axis 1 equals the last-dimension softmax when the dimensions between are 1.</summary>
    [TestMethod]
    public void Load_Opset11SoftmaxOverTrailingUnitDimensions_IsImported()
    {
        var model = TestModels.Model([1, 5], [Node("Softmax", ["x"], "y")], opset: 11);

        var network = OnnxModel.Load(Stream(model));

        Assert.IsInstanceOfType<Softmax>(network.Nodes.Single().Layer);
    }

    /// <summary>Fields the minimal schema does not define are kept as unknown fields and written back unchanged.</summary>
    [TestMethod]
    public void Parse_UnknownFields_SurviveReadWriteRoundTrip()
    {
        var model = TestModels.Model([4], [Node("Relu", ["x"], "y")]);
        var known = model.ToByteArray();

        // ModelProto.training_info (20) and functions (25) are not in our schema; a GraphProto field 15 (sparse_initializer) neither.
        var unknown = new MemoryStream();
        var output = new CodedOutputStream(unknown);
        output.WriteTag(20, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFromUtf8("training info"));
        output.WriteTag(25, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(1, 2, 3));
        output.WriteTag(999, WireFormat.WireType.Varint);
        output.WriteInt64(123456789);
        output.Flush();
        byte[] original = [.. known, .. unknown.ToArray()];

        var parsed = ModelProto.Parser.ParseFrom(original);
        var written = parsed.ToByteArray();

        CollectionAssert.AreEqual(original, written);
        Assert.IsInstanceOfType<Relu>(OnnxModel.Load(new MemoryStream(original)).Nodes.Single().Layer);
    }

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
