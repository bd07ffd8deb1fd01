using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Exports networks (the imported PyTorch models and pruned-like ones) and runs them in ONNX Runtime and through
/// onnx.checker; compares with the engine's outputs.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    /// <summary>The combined tolerance |a - b| &lt;= 1e-5 · max(1, |b|) between the engine and ONNX Runtime.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Gets the context, for logging the largest differences.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Every imported reference model, exported again, runs in ONNX Runtime like the engine and like PyTorch.</summary>
    [TestMethod]
    public void Save_ImportedReferenceModels_RunInOnnxRuntimeLikeEngineAndPyTorch()
    {
        using var folder = new TempDirectory();
        var cases = OnnxFixtures.Models.Select(model =>
        {
            var network = OnnxModel.Load(model.ModelPath);
            string path = Path.Combine(folder.Path, model.Name + ".onnx");
            OnnxModel.Save(network, path);
            return (model, path, engine: network.Forward(model.ReadInput()).Clone());
        }).ToList();

        var runtime = OnnxTools.RunOnnxRuntime(cases.Select(c => (c.path, c.model.ReadInput())).ToList());

        for (int i = 0; i < cases.Count; i++)
        {
            var (model, _, engine) = cases[i];
            double fromEngine = TensorAssert.AreClose(engine, runtime[i], $"{model.Name}: ONNX Runtime vs engine", Tolerance);
            double fromPyTorch = TensorAssert.AreClose(model.ReadOutput(), runtime[i], $"{model.Name}: ONNX Runtime vs PyTorch", Tolerance);
            TestContext.WriteLine($"{model.Name}: largest difference ONNX Runtime vs engine {fromEngine:E3}, vs PyTorch {fromPyTorch:E3}");
        }

        OnnxTools.AssertCheckerAccepts(cases.Select(c => c.path));
    }

    /// <summary>Pruned-like networks, exported, run in ONNX Runtime like the engine and pass onnx.checker.</summary>
    [TestMethod]
    public void Save_PrunedLikeNetworks_RunInOnnxRuntimeLikeEngineAndPassChecker()
    {
        using var folder = new TempDirectory();
        var names = ExportNetworks.Names.Select(row => (string)row[0]).ToList();
        var cases = names.Select(name =>
        {
            var network = ExportNetworks.Create(name);
            var input = ExportNetworks.Input(network);
            string path = Path.Combine(folder.Path, name + ".onnx");
            OnnxModel.Save(network, path);
            return (name, path, input, engine: network.Forward(input).Clone());
        }).ToList();

        var runtime = OnnxTools.RunOnnxRuntime(cases.Select(c => (c.path, c.input)).ToList());

        for (int i = 0; i < cases.Count; i++)
        {
            double worst = TensorAssert.AreClose(cases[i].engine, runtime[i], $"{cases[i].name}: ONNX Runtime vs engine", Tolerance);
            TestContext.WriteLine($"{cases[i].name}: largest difference ONNX Runtime vs engine {worst:E3}");
        }

        OnnxTools.AssertCheckerAccepts(cases.Select(c => c.path));
    }

    /// <summary>Export then import gives the same layers (less Dropout) and bit-identical outputs.</summary>
    /// <param name="name">The network name.</param>
    [TestMethod]
    [DynamicData(nameof(NetworkNames))]
    public void Save_ThenLoad_GivesIdenticalOutputs(string name)
    {
        var network = ExportNetworks.Create(name);
        var input = ExportNetworks.Input(network);
        using var stream = new MemoryStream();

        OnnxModel.Save(network, stream);
        stream.Position = 0;
        var reloaded = OnnxModel.Load(stream, name);

        CollectionAssert.AreEqual(
            network.Nodes.Select(n => n.Layer.GetType().Name).Where(t => t != nameof(Dropout)).ToArray(),
            reloaded.Nodes.Select(n => n.Layer.GetType().Name).ToArray());
        CollectionAssert.AreEqual(network.Forward(input).Span.ToArray(), reloaded.Forward(input).Span.ToArray());
    }

    /// <summary>The exported graph has IR 8, opset 13, input 'input' and output 'output' with a symbolic batch, and shapes for every value.</summary>
    /// <summary>A NaN weight is refused before anything is written, naming the layer (issue 13, item 17).</summary>
    [TestMethod]
    public void Save_NetworkWithNaNWeight_IsRefusedNamingTheLayerAndWritesNothing()
    {
        using var folder = new TempDirectory();
        var network = new NetworkBuilder(3).Dense(2).Relu().Dense(2).Build(seed: 1);
        var hidden = network.Nodes.First(n => n.Layer.Parameters.Count > 0).Layer;
        hidden.Parameters[0].Value.Span[1] = float.NaN;
        string path = Path.Combine(folder.Path, "nan.onnx");

        var error = Assert.ThrowsException<ArgumentException>(() => OnnxModel.Save(network, path));
        var streamError = Assert.ThrowsException<ArgumentException>(() => OnnxModel.Save(network, new MemoryStream()));

        StringAssert.Contains(error.Message, $"'{hidden.Name}'");
        StringAssert.Contains(streamError.Message, "NaN");
        Assert.IsFalse(File.Exists(path), "nothing is written");
    }

    [TestMethod]
    public void Save_Network_WritesNamedInputOutputSymbolicBatchAndShapes()
    {
        var network = ExportNetworks.Create("pruned_cnn");
        using var stream = new MemoryStream();

        OnnxModel.Save(network, stream);
        var model = ModelProto.Parser.ParseFrom(stream.ToArray());

        Assert.AreEqual(8L, model.IrVersion);
        Assert.AreEqual(13L, model.OpsetImport.Single(o => o.Domain == "").Version);
        var input = model.Graph.Input.Single();
        var output = model.Graph.Output.Single();
        Assert.AreEqual("input", input.Name);
        Assert.AreEqual("output", output.Name);
        Assert.AreEqual("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.AreEqual("batch", output.Type.TensorType.Shape.Dim[0].DimParam);
        CollectionAssert.AreEqual(new long[] { 3, 11, 9 }, input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray());
        CollectionAssert.AreEqual(network.OutputShape.Select(d => (long)d).ToArray(), output.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray());
        Assert.AreEqual(network.Nodes.Count - 1, model.Graph.ValueInfo.Count);
        Assert.IsTrue(model.Graph.Node.Where(n => n.OpType == "Gemm").All(n => n.Attribute.Any(a => a.Name == "transB" && a.I == 1)));
    }

    /// <summary>Saving over an existing file replaces it and leaves no temporary file behind.</summary>
    [TestMethod]
    public void Save_OverExistingFile_ReplacesItAtomically()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "model.onnx");
        File.WriteAllText(path, "old contents");
        var network = ExportNetworks.Create("pruned_mlp");

        OnnxModel.Save(network, path);

        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder.Path));
        Assert.AreEqual(network.ParameterCount, OnnxModel.Load(path).ParameterCount);
    }

    /// <summary>A layer type with no ONNX equivalent is refused, naming the layer.</summary>
    [TestMethod]
    public void Save_CustomLayer_ThrowsNotSupportedNamingTheLayer()
    {
        var network = new Network(4);
        network.Add(new CustomLayer());

        var error = Assert.ThrowsException<NotSupportedException>(() => OnnxModel.Save(network, Stream.Null));

        StringAssert.Contains(error.Message, "custom");
    }

    /// <summary>Gets the export network names.</summary>
    public static IEnumerable<object[]> NetworkNames => ExportNetworks.Names;

    private sealed class CustomLayer() : UnaryLayer("custom")
    {
        public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => inputShapes[0];

        public override FloatTensor Forward(FloatTensor input, bool training) => input;

        protected override FloatTensor? BackwardCore(FloatTensor outputGradient) => outputGradient;
    }
}
