using Google.Protobuf;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Hostile files: a tiny model that declares huge activations is rejected before anything large is allocated, and a
/// very long chain of nodes imports in time linear in its length (the test's timeout bounds a quadratic step).
/// </summary>
[TestClass]
public sealed class OnnxHostileModelTests
{
    /// <summary>Gets the context, for logging the figures.</summary>
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(1, 2000)]
    [DataRow(64, 2000)]
    [DataRow(1, 100_000)]
    public void Load_TinyConvDeclaringHugeActivation_FailsNamingTheNodeWithoutAllocatingIt(int filters, int pads)
    {
        var weight = TestModels.Floats("w", [filters, 1, 3, 3], new float[filters * 9]);
        var model = TestModels.Model([1, 4, 4], [TestModels.Node("Conv", ["x", "w"], "y", TestModels.Ints("pads", pads, pads, pads, pads))], [weight]);
        byte[] bytes = model.ToByteArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(new MemoryStream(bytes), "huge.onnx"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.WriteLine($"{bytes.Length}-byte model, {filters} filters, pads {pads}: rejected after allocating {allocated / 1024} KiB: {error.Message}");
        Assert.AreEqual("conv_node", error.NodeName);
        StringAssert.Contains(error.Message, "limit on activations");
        Assert.IsTrue(allocated < 16L << 20, $"The import allocated {allocated} bytes before rejecting the model.");
    }

    [TestMethod]
    public void Load_PadDeclaringHugeActivation_FailsNamingTheNode()
    {
        var pads = new TensorProto { Name = "pads", DataType = (int)TensorProto.Types.DataType.Int64 };
        pads.Dims.Add(8);
        pads.Int64Data.AddRange([0, 0, 100_000, 100_000, 0, 0, 100_000, 100_000]);
        var model = TestModels.Model([1, 4, 4], [TestModels.Node("Pad", ["x", "pads"], "y")], [pads]);
        var error = Assert.ThrowsException<OnnxImportException>(() => OnnxModel.Load(TestModels.Stream(model), "pad.onnx"));
        Assert.AreEqual("pad_node", error.NodeName);
        StringAssert.Contains(error.Message, "limit on activations");
    }

    /// <summary>
    /// 200,000 Relu nodes with one name: the duplicate-layer check and the unique-name search were linear per node
    /// (83 s in all); both are constant-time now. The timeout (generous for a loaded 2-core machine) bounds any
    /// quadratic step that comes back.
    /// </summary>
    [TestMethod]
    [Timeout(120_000)]
    public void Load_ChainOf200000IdenticallyNamedRelus_ImportsEveryNode()
    {
        const int count = 200_000;
        var nodes = new NodeProto[count];
        for (int i = 0; i < count; i++)
        {
            nodes[i] = TestModels.Node("Relu", [i == 0 ? "x" : $"t{i - 1}"], i == count - 1 ? "y" : $"t{i}");
        }

        var model = TestModels.Model([4], nodes);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var network = OnnxModel.Load(TestModels.Stream(model), "chain.onnx");
        TestContext.WriteLine($"{count} Relu nodes imported in {watch.Elapsed.TotalSeconds:F2} s");
        Assert.AreEqual(count, network.Nodes.Count);
        Assert.AreEqual($"relu_node_{count}", network.Nodes[^1].Layer.Name);
    }
}
