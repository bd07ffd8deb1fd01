using System.Globalization;
using System.Text;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tests.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Fuzzing;

/// <summary>
/// Issue 13, fuzzing: seeded mutations of valid CSV, IDX, native-model and report-JSON inputs. Every failure is the
/// library's typed exception (DataFormatException, ModelFormatException, FormatException), no case allocates more than
/// <see cref="FuzzRun.MaximumAllocatedBytes"/>, and each loop stops within its time budget.
/// </summary>
[TestClass]
public sealed class ReaderFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private TempDirectory _temp = null!;

    /// <summary>Gets the context, for logging the counts.</summary>
    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Initialize() => _temp = new TempDirectory();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    [Timeout(30_000)]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "gzip")]
    public void CsvLoad_MutatedFiles_FailOnlyWithDataFormatException(bool gzip)
    {
        var text = new StringBuilder("a,b,\"c\",label\n");
        for (int i = 0; i < 24; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i * 0.5},-{i}e-1,{i % 7},{(i % 3 == 0 ? "cat" : i % 3 == 1 ? "dog" : "\"emu, large\"")}\n");
        }

        byte[] original = Encoding.UTF8.GetBytes(text.ToString());
        var tokens = Mutator.Tokens(",", "\"", "\n", "\r\n", "\0", "-1", "1e999", "NaN", "", " ", "20000000", "\"\"", ",,,,");
        string path = _temp.File(gzip ? "fuzz.csv.gz" : "fuzz.csv");
        var result = FuzzRun.Run<DataFormatException>(1301 + (gzip ? 1 : 0), 600, Budget, random =>
        {
            var (bytes, description) = Mutator.Mutate(original, random, tokens);
            File.WriteAllBytes(path, gzip ? Gzip(bytes, random) : bytes);
            return (() => CheckDataset(CsvLoader.Load(path)), description);
        });

        Report("CSV", result);
    }

    [TestMethod]
    [Timeout(30_000)]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "gzip")]
    public void IdxRead_MutatedFiles_FailOnlyWithDataFormatException(bool gzip)
    {
        byte[] images = IdxTestFiles.Images(3, 2, 3, [0, 51, 102, 153, 204, 255, 1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]);
        byte[] labels = IdxTestFiles.Labels(7, 0, 3);
        var tokens = new[] { new byte[] { 0 }, [0xff, 0xff, 0xff, 0xff], [0x7f, 0xff, 0xff, 0xff], [0, 0, 8, 3], [0, 0, 8, 1], [0x1f, 0x8b] };
        string path = _temp.File(gzip ? "fuzz.idx.gz" : "fuzz.idx");
        var result = FuzzRun.Run<DataFormatException>(1401 + (gzip ? 1 : 0), 800, Budget, random =>
        {
            bool image = random.Next(2) == 0;
            var (bytes, description) = Mutator.Mutate(image ? images : labels, random, tokens);
            File.WriteAllBytes(path, gzip ? Gzip(bytes, random) : bytes);
            return (image ? () => IdxLoader.ReadImages(path) : () => IdxLoader.ReadLabels(path, new IdxLoadOptions { ClassCount = 10 }), $"{(image ? "images" : "labels")}: {description}");
        });

        Report("IDX", result);
    }

    [TestMethod]
    [Timeout(30_000)]
    public void NativeLoad_MutatedModels_FailOnlyWithModelFormatException()
    {
        var models = new[]
        {
            Save(new NetworkBuilder(4).Dense(5).Relu().Dense(3).Build(seed: 1)),
            Save(new NetworkBuilder(1, 6, 6).Conv2d(2, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2).Flatten().Dense(2).Build(seed: 2)),
        };
        var tokens = new[] { new byte[] { 0 }, [0xff, 0xff, 0xff, 0x7f], [0xff, 0xff, 0xff, 0xff], [0, 0, 0xc0, 0x7f], [0x80, 0x80, 0x80, 0x80, 0x08], "Dense"u8.ToArray() };
        var result = FuzzRun.Run<ModelFormatException>(1501, 1500, Budget, random =>
        {
            var (bytes, description) = Mutator.Mutate(models[random.Next(models.Length)], random, tokens);
            return (() =>
            {
                var network = NetworkSerializer.Load(new MemoryStream(bytes, writable: false), "fuzz.mlnp");
                FiniteWeights.Ensure(network); // a model that loads holds finite weights only
            }, description);
        });

        Report("native", result);
    }

    [TestMethod]
    [Timeout(30_000)]
    public void ReportFromJson_MutatedReports_FailOnlyWithFormatExceptionAndLoadedOnesPrint()
    {
        var after = new ModelSnapshot { Parameters = 40, NonzeroParameters = 40, MultiplyAdds = 39, ModelBytes = 170, Accuracy = 0.88, Layers = [new LayerWidth("dense1", "Dense", 4, 40, 40, 39)] };
        byte[] original = Encoding.UTF8.GetBytes(new PruningReport
        {
            Method = "APoZ",
            Schedule = "fixed rate 0.2",
            AllowedDrop = 0.02,
            Baseline = new ModelSnapshot { Parameters = 100, NonzeroParameters = 100, MultiplyAdds = 99, ModelBytes = 410, Accuracy = 0.9, Layers = [new LayerWidth("dense1", "Dense", 10, 100, 100, 99)] },
            Final = after,
            Steps = [new PruningStepReport { Step = 0, Phase = "prune", Rate = 0.6, Removed = 6, Accepted = true, Model = after }],
            Sensitivity = [new SensitivityPoint("dense1", 0.5, 0.8, 0.1)],
        }.ToJson());
        var tokens = Mutator.Tokens("null", "\"\"", "[]", "{}", "[null]", "1e999", "-", "\"", ",", ":", "true", "\"steps\": null,", "\\u0000");
        var result = FuzzRun.Run<FormatException>(1601, 1500, Budget, random =>
        {
            var (bytes, description) = Mutator.Mutate(original, random, tokens);
            return (() =>
            {
                var report = PruningReport.FromJson(Encoding.UTF8.GetString(bytes));
                Assert.IsNotNull(report.ToTable()); // a report that loads also prints
            }, description);
        });

        Report("report JSON", result);
    }

    private static void CheckDataset(Dataset data)
    {
        Assert.IsTrue(data.Count > 0 && data.ClassCount > 0 && data.Labels.All(l => l >= 0 && l < data.ClassCount));
        Assert.IsTrue(data.Features.Span.ToArray().All(float.IsFinite));
    }

    private static byte[] Save(Network network)
    {
        using var memory = new MemoryStream();
        NetworkSerializer.Save(network, memory);
        return memory.ToArray();
    }

    /// <summary>Gzips the bytes; one case in four then corrupts a byte of the compressed stream.</summary>
    private static byte[] Gzip(byte[] bytes, Random random)
    {
        byte[] compressed = IdxTestFiles.Gzip(bytes);
        if (random.Next(4) == 0 && compressed.Length > 10)
        {
            compressed[random.Next(10, compressed.Length)] ^= (byte)(1 << random.Next(8));
        }

        return compressed;
    }

    private void Report(string what, (int Cases, int Accepted, int Rejected) result)
    {
        TestContext.WriteLine($"{what}: {result.Cases} mutated inputs, {result.Accepted} loaded, {result.Rejected} rejected with the typed exception.");
        Assert.IsTrue(result.Rejected > result.Cases / 10, $"only {result.Rejected} of {result.Cases} mutations were rejected: the mutations miss the format.");
    }
}
