using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>Imports the models exported from PyTorch by test/fixtures/onnx/generate.py and compares with PyTorch's outputs.</summary>
[TestClass]
public sealed class OnnxImportReferenceTests
{
    /// <summary>The combined tolerance |a - b| &lt;= 1e-5 · max(1, |b|) against PyTorch (float32 sums in another order).</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Gets the context, for logging the largest differences.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Each reference model imports and reproduces PyTorch's outputs.</summary>
    /// <param name="name">The model name.</param>
    [TestMethod]
    [DynamicData(nameof(ModelNames))]
    public void Load_PyTorchReferenceModel_MatchesPyTorchOutputs(string name)
    {
        var model = OnnxFixtures.Get(name);
        var network = OnnxModel.Load(model.ModelPath);

        var output = network.Forward(model.ReadInput());

        double worst = TensorAssert.AreClose(model.ReadOutput(), output, name, Tolerance);
        TestContext.WriteLine($"{name}: {network}; largest difference from PyTorch {worst:E3}");
    }

    /// <summary>The residual model keeps its Add layers fed by two nodes.</summary>
    [TestMethod]
    public void Load_ResidualModel_KeepsResidualAddsWithTwoInputs()
    {
        var network = OnnxModel.Load(OnnxFixtures.Get("residual_cnn_opset13").ModelPath);

        var adds = network.Nodes.Where(n => n.Layer is Add).ToList();

        Assert.AreEqual(2, adds.Count);
        Assert.IsTrue(adds.All(n => n.Inputs.Count == 2 && n.Inputs[0] != n.Inputs[1]));
    }

    /// <summary>BatchNormalization nodes become BatchNorm layers with the model's statistics, not folded away.</summary>
    [TestMethod]
    public void Load_BatchNormModel_ImportsBatchNormLayersUnfused()
    {
        var network = OnnxModel.Load(OnnxFixtures.Get("batchnorm_cnn_opset13").ModelPath);

        var norms = network.Nodes.Select(n => n.Layer).OfType<BatchNorm>().ToList();

        Assert.AreEqual(4, norms.Count);
        Assert.IsTrue(norms.All(n => n.RunningVariance.Value.Span.ToArray().Any(v => v != 1f)));
        Assert.AreEqual(1e-3f, norms[2].Epsilon, 1e-9f);
    }

    /// <summary>The MatMul + Add pair of the MLP folds into one Dense layer with a bias.</summary>
    [TestMethod]
    public void Load_MatMulFollowedByAddOfConstant_FoldsIntoDenseWithBias()
    {
        var network = OnnxModel.Load(OnnxFixtures.Get("mlp_opset13").ModelPath);

        var dense = network.Nodes.Select(n => n.Layer).OfType<Dense>().ToList();

        Assert.AreEqual(4, dense.Count);
        Assert.IsTrue(dense.All(d => d.Bias is not null));
        Assert.IsFalse(network.Nodes.Any(n => n.Layer is Add));
    }

    /// <summary>The depthwise and grouped convolutions keep their groups.</summary>
    [TestMethod]
    public void Load_GroupedConvolutions_KeepGroups()
    {
        var network = OnnxModel.Load(OnnxFixtures.Get("batchnorm_cnn_opset13").ModelPath);

        var convs = network.Nodes.Select(n => n.Layer).OfType<Conv2d>().ToList();

        CollectionAssert.AreEqual(new[] { 1, 8, 2 }, convs.Select(c => c.Groups).ToArray());
        Assert.IsTrue(convs[1].IsDepthwise);
    }

    /// <summary>A symbolic batch in the graph input accepts any batch size.</summary>
    [TestMethod]
    public void Load_SymbolicBatch_RunsAnyBatchSize()
    {
        var model = OnnxFixtures.Get("lenet5_opset13");
        var network = OnnxModel.Load(model.ModelPath);
        var input = model.ReadInput();

        var single = network.Forward(FloatTensor.FromValues(input.Span[..784], 1, 1, 28, 28)).Clone();
        var batch = network.Forward(input);

        TensorAssert.AreClose(FloatTensor.FromValues(batch.Span[..10], 1, 10), single, "first sample", 1e-6);
    }

    /// <summary>Gets the reference model names.</summary>
    public static IEnumerable<object[]> ModelNames => OnnxFixtures.ModelNames;
}
