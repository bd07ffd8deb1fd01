using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

[TestClass]
public sealed class ConversionTests
{
    public static IEnumerable<object[]> LayerKinds =>
    [
        ["Dense", (Func<Network>)(() => new NetworkBuilder(6).Dense(5).Build(seed: 1))],
        ["Dense without bias", () => new NetworkBuilder(6).Append(new Dense(6, 3, useBias: false)).Build(seed: 1)],
        ["Conv2d", () => new NetworkBuilder(3, 7, 7).Conv2d(4, 3, padding: 1).Build(seed: 1)],
        ["Conv2d strided with asymmetric padding", () => new NetworkBuilder(3, 7, 6).Append(new Conv2d(3, 4, (3, 2), (2, 1), (1, 0, 0, 1))).Build(seed: 1)],
        ["Conv2d grouped", () => new NetworkBuilder(4, 6, 6).Conv2d(6, 3, groups: 2).Build(seed: 1)],
        ["Conv2d depthwise", () => new NetworkBuilder(4, 6, 6).Conv2d(4, 3, padding: 1, groups: 4).Build(seed: 1)],
        ["BatchNorm 1d", () => new NetworkBuilder(6).Dense(5).BatchNorm().Build(seed: 1)],
        ["BatchNorm 2d", () => new NetworkBuilder(3, 5, 5).Conv2d(4, 3).BatchNorm().Build(seed: 1)],
        ["ReLU", () => new NetworkBuilder(6).Dense(8).Relu().Build(seed: 1)],
        ["LeakyReLU", () => new NetworkBuilder(6).Dense(8).Append(new LeakyRelu(0.2f)).Build(seed: 1)],
        ["Sigmoid", () => new NetworkBuilder(6).Dense(8).Sigmoid().Build(seed: 1)],
        ["Tanh", () => new NetworkBuilder(6).Dense(8).Tanh().Build(seed: 1)],
        ["Softmax", () => new NetworkBuilder(6).Dense(8).Append(new Softmax()).Build(seed: 1)],
        ["MaxPool2d", () => new NetworkBuilder(2, 6, 6).Conv2d(3, 3, padding: 1).MaxPool2d(2).Build(seed: 1)],
        ["MaxPool2d padded and overlapping", () => new NetworkBuilder(2, 7, 7).Conv2d(3, 3, padding: 1).MaxPool2d(3, 2, padding: 1).Build(seed: 1)],
        ["MaxPool2d with asymmetric padding", () => new NetworkBuilder(2, 6, 6).Conv2d(3, 3, padding: 1).Append(new MaxPool2d((2, 3), (2, 2), (0, 1, 1, 0))).Build(seed: 1)],
        ["AvgPool2d", () => new NetworkBuilder(2, 6, 6).Conv2d(3, 3, padding: 1).AvgPool2d(2).Build(seed: 1)],
        ["AvgPool2d padded, padding counted", () => new NetworkBuilder(2, 7, 7).Conv2d(3, 3, padding: 1).AvgPool2d(3, 2, padding: 1).Build(seed: 1)],
        ["AvgPool2d padded, padding not counted", () => new NetworkBuilder(2, 7, 7).Conv2d(3, 3, padding: 1).Append(new AvgPool2d(3, 2, 1, countIncludePad: false)).Build(seed: 1)],
        ["AvgPool2d with asymmetric padding", () => new NetworkBuilder(2, 6, 6).Conv2d(3, 3, padding: 1).Append(new AvgPool2d((3, 3), (2, 2), (1, 1, 0, 2), countIncludePad: false)).Build(seed: 1)],
        ["GlobalAvgPool and Flatten", () => new NetworkBuilder(2, 5, 5).Conv2d(3, 3).GlobalAvgPool().Flatten().Dense(4).Build(seed: 1)],
        ["Flatten", () => new NetworkBuilder(2, 5, 5).Conv2d(3, 3).Flatten().Dense(4).Build(seed: 1)],
        ["Add", () => new NetworkBuilder(6).Dense(6).Residual(b => b.Dense(6).Tanh()).Build(seed: 1)],
        ["Conv2d dilated", () => new NetworkBuilder(3, 8, 8).Append(new Conv2d(3, 4, (3, 3), (1, 1), (2, 1, 2, 1), (2, 2))).Build(seed: 1)],
        ["MaxPool2d in ceil mode", () => new NetworkBuilder(2, 8, 8).Conv2d(3, 3, padding: 1).Append(new MaxPool2d((3, 3), (2, 2), (0, 0, 0, 0), ceilMode: true)).Build(seed: 1)],
        ["AvgPool2d in ceil mode, padding counted", () => new NetworkBuilder(2, 8, 8).Conv2d(3, 3, padding: 1).Append(new AvgPool2d((3, 3), (2, 2), (1, 1, 1, 1), countIncludePad: true, ceilMode: true)).Build(seed: 1)],
        ["AvgPool2d in ceil mode, padding not counted", () => new NetworkBuilder(2, 8, 8).Conv2d(3, 3, padding: 1).Append(new AvgPool2d((3, 3), (2, 2), (1, 1, 1, 1), countIncludePad: false, ceilMode: true)).Build(seed: 1)],
        ["Concat", () => Graph([3, 6, 6], n => { int a = n.Add(new Conv2d(3, 4, 3, padding: 1), -1); int b = n.Add(new Conv2d(3, 2, 1), -1); n.Add(new Concat(2), a, b); n.Add(new Tanh()); })],
        ["Multiply by a channel gate", () => Graph([3, 5, 5], n => { int x = n.Add(new Conv2d(3, 4, 3, padding: 1), -1); n.Add(new GlobalAvgPool()); int g = n.Add(new Sigmoid()); n.Add(new Multiply(), x, g); })],
        ["Divide by a channel gate", () => Graph([3, 5, 5], n => { int x = n.Add(new Conv2d(3, 4, 3, padding: 1), -1); n.Add(new GlobalAvgPool()); int g = n.Add(new Sigmoid()); n.Add(new Divide(), x, g); })],
        ["Subtract", () => Graph([3, 5, 5], n => { int x = n.Add(new Conv2d(3, 4, 3, padding: 1), -1); n.Add(new GlobalAvgPool()); int g = n.Add(new Tanh()); n.Add(new Subtract(), g, x); })],
        ["ConstantOperation", () => new NetworkBuilder(3, 5, 5).Conv2d(4, 3).Append(new ConstantOperation(Tensors.BinaryOperation.Multiply, Tensors.FloatTensor.FromValues([0.5f, -1f, 2f, 3f], 4, 1, 1))).Build(seed: 1)],
        ["ConstantOperation with the constant first", () => new NetworkBuilder(3, 5, 5).Conv2d(4, 3).Append(new ConstantOperation(Tensors.BinaryOperation.Subtract, Tensors.FloatTensor.FromValues([0.5f, -1f, 2f], 3), constantFirst: true)).Build(seed: 1)],
        ["ChannelSlice", () => new NetworkBuilder(3, 5, 5).Conv2d(6, 3).Append(new ChannelSlice(1, 3)).Build(seed: 1)],
        ["ChannelShuffle", () => new NetworkBuilder(3, 5, 5).Conv2d(6, 3).Append(new ChannelShuffle(2)).Conv2d(4, 1, groups: 2).Build(seed: 1)],
        ["Pad2d", () => new NetworkBuilder(3, 5, 5).Conv2d(4, 3).Append(new Pad2d((1, 0, 2, 1), 0.5f)).Conv2d(2, 3).Build(seed: 1)],
        ["Clip", () => new NetworkBuilder(6).Dense(8).Append(new Clip(-0.3f, 0.4f)).Build(seed: 1)],
        ["HardSigmoid", () => new NetworkBuilder(6).Dense(8).Append(new HardSigmoid(0.9f, 0.5f)).Build(seed: 1)],
        ["HardSwish", () => new NetworkBuilder(6).Dense(8).Append(new HardSwish()).Build(seed: 1)],
        ["SiLU", () => new NetworkBuilder(6).Dense(8).Append(new Silu()).Build(seed: 1)],
        ["Elu", () => new NetworkBuilder(6).Dense(8).Append(new Elu(0.7f)).Build(seed: 1)],
        ["Gelu", () => new NetworkBuilder(6).Dense(8).Append(new Gelu()).Build(seed: 1)],
        ["Gelu with the tanh approximation", () => new NetworkBuilder(6).Dense(8).Append(new Gelu(tanhApproximation: true)).Build(seed: 1)],
    ];

    private static Network Graph(int[] inputShape, Action<Network> build)
    {
        var network = new Network(inputShape);
        build(network);
        var random = new Random(1);
        foreach (var node in network.Nodes)
        {
            node.Layer.ResetParameters(random);
        }

        return network;
    }

    public static IEnumerable<object[]> Networks =>
    [
        ["MLP", (Func<Network>)(() => new NetworkBuilder(20).Dense(16).Relu().Dense(12).Relu().Dense(5).Build(seed: 2))],
        ["CNN with BatchNorm", () => new NetworkBuilder(1, 12, 12).Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2)
            .Conv2d(6, 3).BatchNorm().Relu().Flatten().Dense(16).BatchNorm().Relu().Dense(5).Build(seed: 2)],
        ["residual network", () => new NetworkBuilder(3, 8, 8).Conv2d(4, 3, padding: 1).BatchNorm().Relu()
            .Residual(b => b.Conv2d(4, 3, padding: 1).BatchNorm().Relu().Conv2d(4, 3, padding: 1).BatchNorm())
            .Relu().Conv2d(6, 3, stride: 2, padding: 1).GlobalAvgPool().Flatten().Dense(5).Build(seed: 2)],
    ];

    [TestMethod]
    [DynamicData(nameof(LayerKinds))]
    public void TrainingForwardAndGradientsMatchTheManagedEngineForEachLayerKind(string kind, Func<Network> build)
    {
        var network = build();
        ConversionCheck.Randomize(network, seed: 3);
        ConversionCheck.AssertMatches(network);
    }

    [TestMethod]
    [DynamicData(nameof(LayerKinds))]
    public void InferenceForwardMatchesTheManagedEngineForEachLayerKind(string kind, Func<Network> build)
    {
        var network = build();
        ConversionCheck.Randomize(network, seed: 3);
        ConversionCheck.AssertMatches(network, training: false);
    }

    [TestMethod]
    [DynamicData(nameof(Networks))]
    public void ForwardAndGradientsOfWholeNetworksMatchTheManagedEngine(string name, Func<Network> build)
    {
        var network = build();
        ConversionCheck.Randomize(network, seed: 3);
        ConversionCheck.AssertMatches(network, batch: 8);
        ConversionCheck.AssertMatches(network, batch: 8, training: false);
    }

    [TestMethod]
    public void DropoutIsTheIdentityAtInferenceAndScalesKeptUnitsInTraining()
    {
        var network = new NetworkBuilder(1000).Dropout(0.25f).Build(seed: 1);
        using var twin = new TorchNetwork(network, global::TorchSharp.torch.CPU, seed: 5);
        using var scope = global::TorchSharp.torch.NewDisposeScope();
        var input = global::TorchSharp.torch.ones(8, 1000);
        CollectionAssert.AreEqual(ConversionCheck.ToArray(input), ConversionCheck.ToArray(twin.Forward(input, training: false)));
        var trained = ConversionCheck.ToArray(twin.Forward(input, training: true));
        int zeros = trained.Count(v => v == 0);
        Assert.IsTrue(trained.All(v => v == 0 || Math.Abs(v - (1 / 0.75f)) < 1e-6), "kept units are scaled by 1 / (1 - p)");
        Assert.AreEqual(0.25, zeros / 8000.0, 0.03, "the share of dropped units");
    }

    [TestMethod]
    public void AnUnsupportedLayerFailsNamingTheLayer()
    {
        var network = new NetworkBuilder(4).Dense(3).Append(new Doubling("twice")).Build(seed: 1);
        var error = Assert.ThrowsException<NotSupportedException>(() => new TorchNetwork(network, global::TorchSharp.torch.CPU, 0));
        StringAssert.Contains(error.Message, "'twice'");
        StringAssert.Contains(error.Message, nameof(Doubling));
    }

    private sealed class Doubling(string name) : ActivationLayer(name)
    {
        protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
        {
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = 2 * input[i];
            }
        }

        protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
        {
            for (int i = 0; i < input.Length; i++)
            {
                inputGradient[i] = 2 * outputGradient[i];
            }
        }
    }
}
