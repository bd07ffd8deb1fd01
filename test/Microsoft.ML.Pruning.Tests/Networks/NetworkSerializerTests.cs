using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

[TestClass]
public sealed class NetworkSerializerTests
{
    public static IEnumerable<object[]> Networks =>
    [
        ["mlp", new NetworkBuilder(10).Dense(8).Relu().Dropout(0.3f).Dense(6).Sigmoid().Dense(4, useBias: false).Tanh().Dense(3).Build(seed: 1)],
        ["cnn", new NetworkBuilder(2, 9, 9).Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2).Conv2d(4, 3, groups: 4).AvgPool2d(2, 1, 1).Flatten().Dense(5).Build(seed: 2)],
        ["residual", new NetworkBuilder(3, 6, 6).Conv2d(4, 3, padding: 1).Residual(b => b.Conv2d(4, 3, padding: 1).BatchNorm().Relu()).GlobalAvgPool().Flatten().Dense(2).Build(seed: 3)],
    ];

    [TestMethod]
    [DynamicData(nameof(Networks))]
    public void SaveThenLoad_AnyNetwork_GivesIdenticalOutputs(string name, Network network)
    {
        var random = new Random(5);
        foreach (var buffer in network.Nodes.SelectMany(n => n.Layer.Buffers))
        {
            foreach (ref float v in buffer.Value.Span)
            {
                v = 0.5f + random.NextSingle();
            }
        }

        var input = new FloatTensor([3, .. network.InputShape]);
        foreach (ref float v in input.Span)
        {
            v = random.NextSingle();
        }

        using var directory = new TempDirectory();
        string path = directory.File($"{name}.mlnp");
        NetworkSerializer.Save(network, path);
        var loaded = NetworkSerializer.Load(path);
        CollectionAssert.AreEqual(network.Forward(input).Span.ToArray(), loaded.Forward(input).Span.ToArray());
        CollectionAssert.AreEqual(network.Nodes.Select(n => n.Layer.Name).ToArray(), loaded.Nodes.Select(n => n.Layer.Name).ToArray());
    }

    [TestMethod]
    public void Load_EveryTruncation_ThrowsModelFormatException()
    {
        var bytes = Serialize(new NetworkBuilder(3).Dense(2).Relu().Dense(2).Build(seed: 1));
        for (int length = 0; length < bytes.Length; length++)
        {
            using var stream = new MemoryStream(bytes, 0, length);
            var error = Assert.ThrowsException<ModelFormatException>(() => NetworkSerializer.Load(stream, "model.mlnp"), $"length {length}");
            StringAssert.StartsWith(error.Message, "model.mlnp at byte ");
        }
    }

    [TestMethod]
    public void Load_WrongMagicOrVersion_ThrowsModelFormatExceptionSayingWhy()
    {
        var bytes = Serialize(new NetworkBuilder(3).Dense(2).Build());
        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => NetworkSerializer.Load(new MemoryStream(wrongMagic))).Message, "wrong magic");
        var newerVersion = (byte[])bytes.Clone();
        newerVersion[8] = 99;
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => NetworkSerializer.Load(new MemoryStream(newerVersion))).Message, "version 99");
    }

    [TestMethod]
    public void Load_HugeDeclaredLayer_FailsWithoutAllocating()
    {
        var bytes = Serialize(new NetworkBuilder(3).Dense(2).Build());

        // The Dense configuration follows the header: magic 8, version 4, shape 8, count 4, kind "Dense" 6, name "dense1" 7, inputs 8.
        int offset = 8 + 4 + 8 + 4 + 6 + 7 + 8;
        BitConverter.GetBytes(40_000).CopyTo(bytes, offset);
        BitConverter.GetBytes(40_000).CopyTo(bytes, offset + 4);
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => NetworkSerializer.Load(new MemoryStream(bytes))).Message, "1600000000 values");
    }

    [TestMethod]
    public void Save_OverExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        using var directory = new TempDirectory();
        string path = directory.WriteText("model.mlnp", "old");
        NetworkSerializer.Save(new NetworkBuilder(3).Dense(2).Build(), path);
        Assert.AreEqual(2 * 3 + 2, NetworkSerializer.Load(path).ParameterCount);
        CollectionAssert.AreEqual(new[] { "model.mlnp" }, Directory.GetFiles(directory.Path).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void Save_FailingMidway_KeepsThePreviousFile()
    {
        using var directory = new TempDirectory();
        string path = directory.WriteText("model.mlnp", "previous");
        var network = new Network(3);
        network.Add(new Dense(3, 2));
        network.Add(new UnsavableLayer());
        Assert.ThrowsException<NotSupportedException>(() => NetworkSerializer.Save(network, path));
        Assert.AreEqual("previous", File.ReadAllText(path));
        Assert.AreEqual(1, Directory.GetFiles(directory.Path).Length);
    }

    [TestMethod]
    public void Clone_CopiesMasksAndSharesNothing()
    {
        var network = new NetworkBuilder(2).Dense(2).Build(seed: 1);
        var weight = ((Dense)network.Nodes[0].Layer).Weight;
        weight.Mask = FloatTensor.FromValues([1f, 0f, 0f, 1f], 2, 2);
        var copy = NetworkSerializer.Clone(network);
        var copiedWeight = ((Dense)copy.Nodes[0].Layer).Weight;
        CollectionAssert.AreEqual(weight.Mask.Span.ToArray(), copiedWeight.Mask!.Span.ToArray());
        copiedWeight.Value.Span[0] = 42f;
        Assert.AreNotEqual(42f, weight.Value.Span[0]);
    }

    private static byte[] Serialize(Network network)
    {
        using var memory = new MemoryStream();
        NetworkSerializer.Save(network, memory);
        return memory.ToArray();
    }

    private sealed class UnsavableLayer() : UnaryLayer("custom")
    {
        public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => inputShapes[0];

        public override FloatTensor Forward(FloatTensor input, bool training) => input;

        protected override FloatTensor? BackwardCore(FloatTensor outputGradient) => outputGradient;
    }

    [TestMethod]
    public void Load_NaNWeightInTheFile_ThrowsModelFormatExceptionNamingTheLayer()
    {
        // Issue 13 item 17: before, a NaN model loaded and scored NaN everywhere.
        var network = new NetworkBuilder(3).Dense(2).Relu().Dense(2).Build(seed: 1);
        ((Dense)network.Nodes[2].Layer).Weight.Value.Span[3] = 1234.5f;
        using var memory = new MemoryStream();
        NetworkSerializer.Save(network, memory);
        byte[] bytes = memory.ToArray();
        int at = IndexOf(bytes, BitConverter.GetBytes(1234.5f));
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, at);

        var e = Assert.ThrowsException<ModelFormatException>(() => NetworkSerializer.Load(new MemoryStream(bytes), "nan.mlnp"));

        StringAssert.Contains(e.Message, "nan.mlnp");
        StringAssert.Contains(e.Message, "layer 'dense2': weight[3] is NaN");
    }

    [TestMethod]
    [DataRow(float.PositiveInfinity, "+infinity")]
    [DataRow(float.NaN, "NaN")]
    public void Save_NonFiniteWeight_IsRefusedNamingTheLayerAndWritesNothing(float value, string named)
    {
        using var directory = new TempDirectory();
        var network = new NetworkBuilder(3).Dense(2).Relu().Dense(2).Build(seed: 1);
        ((Dense)network.Nodes[0].Layer).Bias!.Value.Span[1] = value;

        var e = Assert.ThrowsException<ArgumentException>(() => NetworkSerializer.Save(network, directory.File("bad.mlnp")));

        StringAssert.Contains(e.Message, $"layer 'dense1': bias[1] is {named}");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(directory.Path).Length);
    }

    [TestMethod]
    public void Clone_NaNWeight_IsCopiedAsItIs()
    {
        var network = new NetworkBuilder(3).Dense(2).Build(seed: 1);
        ((Dense)network.Nodes[0].Layer).Weight.Value.Span[0] = float.NaN;

        Assert.IsTrue(float.IsNaN(((Dense)NetworkSerializer.Clone(network).Nodes[0].Layer).Weight.Value.Span[0]));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new AssertFailedException("the marker value is not in the file");
    }
}
