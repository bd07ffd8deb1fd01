using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using FloatTensor = Microsoft.ML.Pruning.Tensors.FloatTensor;
using BinaryOperation = Microsoft.ML.Pruning.Tensors.BinaryOperation;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Networks made of every CNN-family layer, exported, run in ONNX Runtime (in-process, Microsoft.ML.OnnxRuntime) like
/// the engine within 1e-5, pass onnx.checker's full check, and import back to the same layer kinds.
/// </summary>
[TestClass]
public sealed class OnnxCnnExportTests
{
    /// <summary>Gets the context, for logging the differences.</summary>
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("every_layer", true)]
    [DataRow("gelu", false)]
    public void Save_CnnLayers_RunInOnnxRuntimeLikeTheEngineAndImportBack(string name, bool checker)
    {
        var network = name == "gelu" ? GeluNetwork() : EveryLayer();
        var random = new Random(5);
        foreach (var parameter in network.Parameters)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Value.Span[i] = (random.NextSingle() - 0.5f) * 0.6f;
            }
        }

        var input = new FloatTensor([3, .. network.InputShape]);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (random.NextSingle() * 4) - 2;
        }

        var expected = network.Forward(input).Clone();
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, name + ".onnx");
        OnnxModel.Save(network, path);

        using (var session = new InferenceSession(path))
        {
            var tensor = new DenseTensor<float>(input.Data.AsMemory(0, input.Length), input.Shape);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxModel.InputName, tensor)]);
            var actual = FloatTensor.FromValues(results.First().AsEnumerable<float>().ToArray(), expected.Shape);
            double worst = TensorAssert.AreClose(expected, actual, $"{name}: ONNX Runtime vs engine", 1e-5);
            TestContext.WriteLine($"{name}: largest difference ONNX Runtime vs engine {worst:E2}");
        }

        if (checker)
        {
            OnnxTools.AssertCheckerAccepts([path]);
        }

        var imported = OnnxModel.Load(path);
        CollectionAssert.AreEqual(network.Nodes.Select(n => n.Layer.GetType().Name).ToArray(), imported.Nodes.Select(n => n.Layer.GetType().Name).ToArray());
        TensorAssert.AreClose(expected, imported.Forward(input), $"{name}: imported again vs engine", 1e-6);
    }

    /// <summary>Builds a network holding every CNN-family layer kind (its parameters left at zero).</summary>
    /// <returns>The network.</returns>
    internal static Network EveryLayer()
    {
        var network = new Network(4, 9, 9);
        int pad = network.Add(new Pad2d((1, 0, 0, 1), 0.25f, "pad"), NetworkNode.NetworkInput);
        int conv = network.Add(new Conv2d(4, 4, (3, 3), (1, 1), (2, 1, 2, 1), (2, 1), name: "dilated"), pad);
        int max = network.Add(new MaxPool2d((3, 3), (2, 2), (0, 0, 0, 0), ceilMode: true, name: "ceil_max"), conv);
        int avg = network.Add(new AvgPool2d((3, 3), (2, 2), (1, 1, 1, 1), countIncludePad: false, ceilMode: true, name: "ceil_avg"), conv);
        int relu6 = network.Add(new Clip(0, 6, "relu6"), max);
        int hard = network.Add(new HardSigmoid(0.3f, 0.4f), relu6);
        int swish = network.Add(new HardSwish(), avg);
        int silu = network.Add(new Silu(), swish);
        int elu = network.Add(new Elu(0.5f), silu);
        int lower = network.Add(new Clip(-1f, float.PositiveInfinity, "lower_bound"), elu);
        int gate = network.Add(new GlobalAvgPool(), lower);
        int multiply = network.Add(new Multiply(), hard, gate);
        int subtract = network.Add(new Subtract(), multiply, hard);
        int shifted = network.Add(new ConstantOperation(BinaryOperation.Add, FloatTensor.FromValues([3f, 4f, 5f, 6f], 4, 1, 1)), gate);
        int divide = network.Add(new Divide(), subtract, shifted);
        int scale = network.Add(new ConstantOperation(BinaryOperation.Subtract, FloatTensor.FromValues([0.5f, 1.5f, 2.5f, 3.5f, 4.5f], 5), constantFirst: true), divide);
        int concat = network.Add(new Concat(3), scale, multiply, network.Add(new global::Microsoft.ML.Pruning.Networks.Add(), hard, hard));
        int shuffle = network.Add(new ChannelShuffle(3, "shuffle"), concat);
        int slice = network.Add(new ChannelSlice(1, 6, "slice"), shuffle);
        int conv2 = network.Add(new Conv2d(6, 4, 1), slice);
        int flat = network.Add(new global::Microsoft.ML.Pruning.Networks.Flatten(), network.Add(new GlobalAvgPool(), conv2));
        network.Add(new Dense(4, 3), flat);
        return network;
    }

    private static Network GeluNetwork() =>
        new NetworkBuilder(6).Dense(5).Build(seed: 1) is var network && network.Add(new Gelu()) >= 0 && network.Add(new Gelu(tanhApproximation: true)) >= 0
            ? network
            : throw new AssertFailedException("unreachable");
}
