using System.Diagnostics;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Mutates and truncates the reference models (seeded) and asserts that every import either succeeds or fails with an
/// <see cref="OnnxImportException"/>: no other exception, no crash, no hang.
/// </summary>
[TestClass]
public sealed class OnnxFuzzTests
{
    /// <summary>The number of mutated models per reference model.</summary>
    public const int CasesPerModel = 600;

    private const int Seed = 20240601;

    /// <summary>Gets the context, for logging the counts.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Thousands of mutated models (byte flips, insertions, deletions, truncations) fail only with OnnxImportException.</summary>
    [TestMethod]
    [Timeout(20_000)]
    public void Load_MutatedOrTruncatedModels_FailsOnlyWithOnnxImportException()
    {
        var random = new Random(Seed);
        int cases = 0, imported = 0, rejected = 0;
        var watch = Stopwatch.StartNew();
        var seeds = Seeds();
        foreach (var model in seeds)
        {
            var original = model.Bytes;
            for (int i = 0; i < CasesPerModel; i++)
            {
                var (bytes, mutation) = Mutate(original, random);
                cases++;
                try
                {
                    using var stream = new MemoryStream(bytes, writable: false);
                    OnnxModel.Load(stream, $"{model.Name} case {i}");
                    imported++;
                }
                catch (OnnxImportException)
                {
                    rejected++;
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{model.Name} case {i} ({mutation}, seed {Seed}) threw {ex.GetType().Name} instead of OnnxImportException: {ex}");
                }
            }
        }

        TestContext.WriteLine($"{cases} mutated models in {watch.Elapsed.TotalSeconds:F1} s: {imported} imported, {rejected} rejected with OnnxImportException.");
        Assert.AreEqual(seeds.Count * CasesPerModel, cases);
        Assert.IsTrue(rejected > cases / 4, $"only {rejected} of {cases} mutations were rejected; the mutations miss the model structure.");
    }

    /// <summary>Every seed imports before it is mutated, so that the mutations start from models that exercise the importer.</summary>
    [TestMethod]
    public void Seeds_BeforeMutation_AllImport()
    {
        foreach (var (name, bytes) in Seeds())
        {
            var network = OnnxModel.Load(new MemoryStream(bytes, writable: false), name);
            Assert.IsTrue(network.Nodes.Count > 0, $"{name} imported no layer.");
        }
    }

    /// <summary>
    /// The seed models: the PyTorch reference fixtures, a network with every CNN-family layer exported (Concat,
    /// element-wise and constant operations, Clip, HardSigmoid, HardSwish, SiLU, Elu, Pad, channel shuffle and slice,
    /// dilated Conv, ceil-mode pools), and a hand-built one with Split, Squeeze, Unsqueeze, Gelu and a Reshape of a
    /// shape subgraph.
    /// </summary>
    private static List<(string Name, byte[] Bytes)> Seeds()
    {
        var seeds = OnnxFixtures.Models.Select(m => (m.Name, File.ReadAllBytes(m.ModelPath))).ToList();
        using (var exported = new MemoryStream())
        {
            OnnxModel.Save(OnnxCnnExportTests.EveryLayer(), exported);
            seeds.Add(("every_cnn_layer", exported.ToArray()));
        }

        var axes = new Microsoft.ML.Pruning.Onnx.Proto.TensorProto { Name = "axes", DataType = 7 };
        axes.Dims.Add(1);
        axes.Int64Data.Add(0);
        var nodes = new[]
        {
            TestModels.Node("Split", ["x"], "a", new Microsoft.ML.Pruning.Onnx.Proto.AttributeProto { Name = "axis", Type = Microsoft.ML.Pruning.Onnx.Proto.AttributeProto.Types.AttributeType.Int, I = 1 }),
            TestModels.Node("Gelu", ["a"], "g"),
            TestModels.Node("Concat", ["g", "b"], "c", new Microsoft.ML.Pruning.Onnx.Proto.AttributeProto { Name = "axis", Type = Microsoft.ML.Pruning.Onnx.Proto.AttributeProto.Types.AttributeType.Int, I = 1 }),
            TestModels.Node("Shape", ["c"], "s"),
            TestModels.Node("Squeeze", ["s"], "s1"),
            TestModels.Node("Unsqueeze", ["s1", "axes"], "s2"),
            TestModels.Node("Reshape", ["c", "s2"], "y"),
        };
        nodes[0].Output.Add("b");
        var model = TestModels.Model([4, 3, 3], nodes, [axes], opset: 20);
        seeds.Add(("split_gelu_shapes", Google.Protobuf.MessageExtensions.ToByteArray(model)));
        return seeds;
    }

    /// <summary>Applies one random mutation; positions favour the graph's structure (the nodes come first, inputs and outputs last) over weight bytes.</summary>
    private static (byte[] Bytes, string Mutation) Mutate(byte[] original, Random random)
    {
        int Position(int length) => random.Next(3) switch
        {
            0 => random.Next(length),
            1 => random.Next(Math.Min(length, 4096)),
            _ => Math.Max(0, length - 1 - random.Next(Math.Min(length, 1024))),
        };

        var bytes = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0:
                int flips = random.Next(1, 9);
                for (int i = 0; i < flips; i++)
                {
                    bytes[Position(bytes.Length)] ^= (byte)random.Next(1, 256);
                }

                return (bytes, $"{flips} byte flips");
            case 1:
                int at = Position(bytes.Length);
                bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x80;
                return (bytes, $"varint continuation byte at {at}");
            case 2:
                int insertAt = Position(bytes.Length);
                var inserted = new byte[random.Next(1, 17)];
                random.NextBytes(inserted);
                return ([.. bytes.AsSpan(0, insertAt), .. inserted, .. bytes.AsSpan(insertAt)], $"{inserted.Length} bytes inserted at {insertAt}");
            case 3:
                int deleteAt = Position(bytes.Length);
                int count = Math.Min(random.Next(1, 65), bytes.Length - deleteAt);
                return ([.. bytes.AsSpan(0, deleteAt), .. bytes.AsSpan(deleteAt + count)], $"{count} bytes deleted at {deleteAt}");
            case 4:
                int length = Position(bytes.Length);
                return (bytes[..length], $"truncated to {length} bytes");
            default:
                int from = Position(bytes.Length), to = Position(bytes.Length);
                int size = Math.Min(random.Next(1, 257), bytes.Length - from);
                return ([.. bytes.AsSpan(0, to), .. bytes.AsSpan(from, size), .. bytes.AsSpan(to)], $"{size} bytes from {from} copied to {to}");
        }
    }
}
