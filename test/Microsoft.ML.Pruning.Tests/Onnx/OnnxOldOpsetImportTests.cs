using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Onnx.TestModels;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Operators in the versions that old exporters write (opsets 1 to 8): each attribute read with its meaning at the
/// model's opset, checked against values computed by hand; an operator or attribute that the opset does not have fails
/// naming the node, the operator, the opset and the attribute.
/// </summary>
[TestClass]
public sealed class OnnxOldOpsetImportTests
{
    /// <summary>Add-6 with broadcast=1 and axis=1 adds a [C] constant per channel, where NumPy would align it with the width.</summary>
    [TestMethod]
    public void Load_LegacyBroadcastAlongTheChannels_AddsOneValuePerChannel()
    {
        var add = Node("Add", ["x", "b"], "y", Int("broadcast", 1), Int("axis", 1));
        var network = OnnxModel.Load(Stream(TestModels.Model([2, 1, 2], [add], [Floats("b", [2], 10f, 20f)], opset: 6)));

        var output = network.Forward(FloatTensor.FromValues([1f, 2f, 3f, 4f], 1, 2, 1, 2));

        CollectionAssert.AreEqual(new[] { 11f, 12f, 23f, 24f }, output.Span.ToArray());
    }

    /// <summary>Without an axis, legacy broadcasting aligns B with A's trailing dimensions, as NumPy does.</summary>
    [TestMethod]
    public void Load_LegacyBroadcastWithoutAxis_AlignsTheTrailingDimensions()
    {
        var mul = Node("Mul", ["x", "b"], "y", Int("broadcast", 1));
        var network = OnnxModel.Load(Stream(TestModels.Model([2, 1, 2], [mul], [Floats("b", [2], 10f, 20f)], opset: 6)));

        var output = network.Forward(FloatTensor.FromValues([1f, 2f, 3f, 4f], 1, 2, 1, 2));

        CollectionAssert.AreEqual(new[] { 10f, 40f, 30f, 80f }, output.Span.ToArray());
    }

    /// <summary>A bias-free Conv followed by a legacy per-channel Add (Caffe2 and early PyTorch exports) folds the Add into the bias.</summary>
    [TestMethod]
    public void Load_ConvFollowedByLegacyBroadcastAdd_FoldsAPerChannelBias()
    {
        var nodes = new[]
        {
            Node("Conv", ["x", "w"], "c", Ints("kernel_shape", 1, 1)),
            Node("Add", ["c", "b"], "y", Int("broadcast", 1), Int("axis", 1)),
        };
        var model = TestModels.Model([1, 1, 2], nodes, [Floats("w", [2, 1, 1, 1], 1f, -1f), Floats("b", [2], 0.5f, 5f)], opset: 6);

        var network = OnnxModel.Load(Stream(model));
        var output = network.Forward(FloatTensor.FromValues([1f, 2f], 1, 1, 1, 2));

        Assert.AreEqual(1, network.Nodes.Count);
        CollectionAssert.AreEqual(new[] { 1.5f, 2.5f, 4f, 3f }, output.Span.ToArray());
    }

    /// <summary>An attribute the operator's version in force does not have is rejected naming node, operator, opset and attribute.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="attribute">The attribute it carries.</param>
    /// <param name="opset">The model's opset.</param>
    /// <param name="version">The operator's version in force there.</param>
    [TestMethod]
    [DataRow("Add", "broadcast", 7, 7)]
    [DataRow("BatchNormalization", "spatial", 9, 9)]
    [DataRow("BatchNormalization", "is_test", 7, 7)]
    [DataRow("MaxPool", "ceil_mode", 8, 8)]
    [DataRow("Dropout", "is_test", 8, 7)]
    [DataRow("Relu", "consumed_inputs", 6, 6)]
    public void Load_AttributeThatTheOpsetDoesNotHave_IsRejectedNamingNodeOperatorOpsetAndAttribute(string opType, string attribute, int opset, int version)
    {
        var node = Node(opType, ["x"], "y", Int(attribute, 1));
        node.Name = "old_node";

        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(TestModels.Model([2, 2, 2], [node], opset: opset)), "old.onnx"));

        Assert.AreEqual("old_node", error.NodeName);
        Assert.AreEqual(opType, error.OperatorType);
        Assert.AreEqual(opset, error.OperatorSetVersion);
        StringAssert.Contains(error.Message, $"old.onnx: node 'old_node' ({opType}, opset {opset}): attribute '{attribute}'");
        StringAssert.Contains(error.Reason, $"attribute '{attribute}'");
        StringAssert.Contains(error.Reason, $"at opset {opset}");
        StringAssert.Contains(error.Reason, $"version {version}");
    }

    /// <summary>An operator newer than the model's opset is rejected naming the opset that introduced it.</summary>
    [TestMethod]
    public void Load_OperatorNewerThanTheOpset_IsRejectedNamingBothOpsets()
    {
        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(TestModels.Model([3], [Node("HardSwish", ["x"], "y")], opset: 8))));

        Assert.AreEqual("HardSwish", error.OperatorType);
        StringAssert.Contains(error.Reason, "does not exist at opset 8");
        StringAssert.Contains(error.Reason, "introduced in opset 14");
    }

    /// <summary>BatchNormalization-6 without is_test (0 by default) normalizes with batch statistics: rejected naming is_test; with is_test=1 it imports.</summary>
    [TestMethod]
    public void Load_BatchNormalizationOfOpset6_NeedsIsTest()
    {
        TensorProto[] statistics = [Floats("s", [2], 2f, 1f), Floats("b", [2], 1f, 0f), Floats("m", [2], 1f, -1f), Floats("v", [2], 4f, 1f)];
        NodeProto Batch(params AttributeProto[] attributes) => Node("BatchNormalization", ["x", "s", "b", "m", "v"], "y", [Float("epsilon", 1e-6f), .. attributes]);

        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(TestModels.Model([2, 1, 1], [Batch()], statistics, opset: 6))));
        var network = OnnxModel.Load(Stream(TestModels.Model([2, 1, 1], [Batch(Int("is_test", 1), Int("spatial", 1))], statistics, opset: 6)));

        StringAssert.Contains(error.Reason, "is_test=0");
        StringAssert.Contains(error.Reason, "opset 6");

        // 2 · (5 − 1) / √(4 + 1e-6) + 1 ≈ 5 and 1 · (3 + 1) / √(1 + 1e-6) + 0 ≈ 4.
        var output = network.Forward(FloatTensor.FromValues([5f, 3f], 1, 2, 1, 1)).Span.ToArray();
        Assert.AreEqual(5f, output[0], 1e-5f);
        Assert.AreEqual(4f, output[1], 1e-5f);
    }

    /// <summary>BatchNormalization-7 with spatial=0 keeps statistics per activation: rejected on [C, H, W], imported when H = W = 1.</summary>
    [TestMethod]
    public void Load_SpatialZero_IsRejectedUnlessEachChannelHasOneActivation()
    {
        TensorProto[] statistics = [Floats("s", [2], 1f, 1f), Floats("b", [2], 0f, 0f), Floats("m", [2], 0f, 0f), Floats("v", [2], 1f, 1f)];
        var node = Node("BatchNormalization", ["x", "s", "b", "m", "v"], "y", Int("spatial", 0));

        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(TestModels.Model([2, 2, 2], [node], statistics, opset: 7))));
        var network = OnnxModel.Load(Stream(TestModels.Model([2, 1, 1], [node], statistics, opset: 7)));

        StringAssert.Contains(error.Reason, "spatial=0");
        Assert.IsInstanceOfType<BatchNorm>(network.Nodes[0].Layer);
    }

    /// <summary>Dropout-6 drops values unless is_test=1; with it, it is the identity at inference.</summary>
    [TestMethod]
    public void Load_DropoutOfOpset6_NeedsIsTest()
    {
        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(Stream(TestModels.Model([3], [Node("Dropout", ["x"], "y")], opset: 6))));
        var network = OnnxModel.Load(Stream(TestModels.Model([3], [Node("Dropout", ["x"], "y", Int("is_test", 1), Float("ratio", 0.3f))], opset: 6)));

        StringAssert.Contains(error.Reason, "is_test=0");
        Assert.AreEqual(0.3f, ((Dropout)network.Nodes[0].Layer).Probability, 1e-7f);
        CollectionAssert.AreEqual(new[] { 1f, -2f, 3f }, network.Forward(FloatTensor.FromValues([1f, -2f, 3f], 1, 3)).Span.ToArray());
    }

    /// <summary>Slice-1 takes starts, ends and axes as attributes.</summary>
    [TestMethod]
    public void Load_SliceOfOpset1_ReadsItsAttributes()
    {
        var node = Node("Slice", ["x"], "y", Ints("starts", 1), Ints("ends", 3), Ints("axes", 1));
        var network = OnnxModel.Load(Stream(TestModels.Model([4, 1, 1], [node], opset: 8)));

        CollectionAssert.AreEqual(new[] { 2f, 3f }, network.Forward(FloatTensor.FromValues([1f, 2f, 3f, 4f], 1, 4, 1, 1)).Span.ToArray());
    }

    /// <summary>Reshape-1 takes the shape as an attribute, Pad-1 its padding as paddings, Cast-1 its type as a name.</summary>
    [TestMethod]
    public void Load_ReshapePadAndCastOfOpset1_ReadTheirAttributes()
    {
        var nodes = new[]
        {
            Node("Pad", ["x"], "padded", Ints("paddings", 0, 0, 0, 1, 0, 0, 0, 0), Float("value", 7f)),
            Node("Cast", ["padded"], "cast", String("to", "FLOAT")),
            Node("Reshape", ["cast"], "y", Ints("shape", 0, -1)),
        };
        var network = OnnxModel.Load(Stream(TestModels.Model([1, 1, 2], nodes, opset: 1)));

        var output = network.Forward(FloatTensor.FromValues([1f, 2f], 1, 1, 1, 2));

        CollectionAssert.AreEqual(new[] { 3 }, network.OutputShape);
        CollectionAssert.AreEqual(new[] { 7f, 1f, 2f }, output.Span.ToArray());
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
