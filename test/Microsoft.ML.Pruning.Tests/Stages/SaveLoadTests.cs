using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// mlContext.Model.Save of every stage's pipeline, loaded back in a fresh process (test/ModelConsumer, which references
/// only what a consuming app would): the same predictions within 1e-5 and the same column types.
/// </summary>
[TestClass]
public sealed class SaveLoadTests
{
    [TestMethod]
    public void EveryStage_SavedWithModelSave_LoadsInAFreshProcessWithTheSamePredictionsAndColumnTypes()
    {
        using var folder = new TempDirectory();
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var test = ml.Data.LoadFromEnumerable(PipelineFixture.TestRows);
        var expected = new Dictionary<string, (string Types, float[][] Scores, string[] Labels)>();
        var models = new List<string>();
        int index = 0;
        foreach (string name in ContractStages.All().Select(c => (string)c[0]))
        {
            var model = ContractStages.Get(name).Pipeline(ml).Fit(train);
            // One pipeline without MapKeyToValue: PredictedLabel stays the scalar key.
            if (name == "APoZ")
            {
                var keyed = ml.Pruning().FromNetwork(PipelineFixture.Trained);
                var keyModel = PipelineFixture.Featurize(ml).Append(keyed).Fit(train);
                Add(ml, keyModel, test, train.Schema, folder.File("key.zip"), "key", expected, models);
            }

            Add(ml, model, test, train.Schema, folder.File($"stage{index}.zip"), $"stage{index}", expected, models);
            index++;
        }

        File.WriteAllLines(folder.File("rows.tsv"), PipelineFixture.TestRows.Select(r => string.Join("\t", r.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\t" + r.Kind));
        RunConsumer([folder.File("rows.tsv"), folder.Path, .. models]);

        foreach (var (model, (types, scores, labels)) in expected)
        {
            var lines = File.ReadAllLines(folder.File(model + ".out"));
            Assert.AreEqual(types, lines[0], $"{model}: the loaded model's Score and PredictedLabel types");
            Assert.AreEqual(scores.Length, lines.Length - 1, model);
            for (int i = 0; i < scores.Length; i++)
            {
                var parts = lines[i + 1].Split('\t');
                var loaded = parts[0].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                TensorAssert.AllClose(scores[i], loaded, 0, 1e-5, $"{model} row {i}");
                Assert.AreEqual(labels[i], parts[1], $"{model} row {i}: predicted label");
            }
        }

        Assert.AreEqual("Vector<Single, 3>\tKey<UInt32, 0-2>", expected["key"].Types, "a scalar key, as ML.NET's trainers give it");
    }

    [TestMethod]
    public void SaveAtomic_WhenTheModelCannotBeSaved_LeavesNoFileAndKeepsAnOldOne()
    {
        using var folder = new TempDirectory();
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        // A CustomMapping without a contract name cannot be saved: ML.NET throws partway through writing the zip.
        var model = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained))
            .Append(ml.Transforms.CustomMapping<KindRow, KindRow>((input, output) => output.Kind = input.Kind, contractName: null)).Fit(train);

        Assert.ThrowsException<InvalidOperationException>(() => ml.Model.SaveAtomic(model, train.Schema, folder.File("new.zip")));
        Assert.IsFalse(File.Exists(folder.File("new.zip")), "no partial file at the target");

        File.WriteAllText(folder.File("old.zip"), "previous model");
        Assert.ThrowsException<InvalidOperationException>(() => ml.Model.SaveAtomic(model, train.Schema, folder.File("old.zip")));
        Assert.AreEqual("previous model", File.ReadAllText(folder.File("old.zip")), "the previous file is untouched");
        CollectionAssert.AreEqual(new[] { folder.File("old.zip") }, Directory.GetFiles(folder.Path), "no temporary file is left beside it");
    }

    private static void Add(MLContext ml, ITransformer model, IDataView test, DataViewSchema schema, string path, string name,
        Dictionary<string, (string, float[][], string[])> expected, List<string> models)
    {
        var scored = model.Transform(test);
        var predicted = scored.Schema["PredictedLabel"];
        var labels = new List<string>();
        using (var cursor = scored.GetRowCursor([predicted]))
        {
            while (cursor.MoveNext())
            {
                if (predicted.Type is KeyDataViewType)
                {
                    uint key = 0;
                    cursor.GetGetter<uint>(predicted)(ref key);
                    labels.Add(key.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    ReadOnlyMemory<char> text = default;
                    cursor.GetGetter<ReadOnlyMemory<char>>(predicted)(ref text);
                    labels.Add(text.ToString());
                }
            }
        }

        expected[name] = ($"{scored.Schema["Score"].Type}\t{predicted.Type}", PipelineFixture.Scores(scored), [.. labels]);
        ml.Model.SaveAtomic(model, schema, path);
        models.Add(path);
    }

    private static void RunConsumer(string[] arguments)
    {
        // The consumer is built with the tests (a project reference that is not referenced as an assembly).
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string consumer = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../ModelConsumer/bin", configuration, "net10.0/ModelConsumer.dll"));
        Assert.IsTrue(File.Exists(consumer), $"{consumer} was built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(consumer);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "the consumer finishes");
        Assert.AreEqual(0, process.ExitCode, output);
    }

    /// <summary>A row for an unsaveable custom mapping.</summary>
    public sealed class KindRow
    {
        /// <summary>Gets or sets the class name.</summary>
        public string Kind { get; set; } = "";
    }
}
