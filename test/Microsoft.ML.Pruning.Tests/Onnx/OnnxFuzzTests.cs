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
        foreach (var model in OnnxFixtures.Models)
        {
            var original = File.ReadAllBytes(model.ModelPath);
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
        Assert.AreEqual(OnnxFixtures.Models.Count * CasesPerModel, cases);
        Assert.IsTrue(rejected > cases / 4, $"only {rejected} of {cases} mutations were rejected; the mutations miss the model structure.");
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
