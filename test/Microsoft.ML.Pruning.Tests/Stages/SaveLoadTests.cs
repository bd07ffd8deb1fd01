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

        var loaded = ModelConsumerProcess.Run(folder, models);
        foreach (var (model, (types, scores, labels)) in expected)
        {
            var actual = loaded[model];
            Assert.AreEqual(types, actual.Types, $"{model}: the loaded model's Score and PredictedLabel types");
            Assert.AreEqual(scores.Length, actual.Scores.Length, model);
            for (int i = 0; i < scores.Length; i++)
            {
                TensorAssert.AllClose(scores[i], actual.Scores[i], 0, 1e-5, $"{model} row {i}");
                Assert.AreEqual(labels[i], actual.Labels[i], $"{model} row {i}: predicted label");
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

    [TestMethod]
    public void ModelSaveAndSaveAtomic_ToAPathThatCannotBeWritten_FailBeforeWritingAndNameThePath()
    {
        using var folder = new TempDirectory();
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var model = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained)).Fit(train);
        string file = folder.WriteText("a-file", "not a folder");
        // Under a file, and in a folder that does not exist (the tests run as root, so permissions cannot stop a write).
        foreach (string target in new[] { Path.Combine(file, "model.zip"), folder.File("missing/model.zip") })
        {
            foreach (var (name, save) in new (string, Action)[]
            {
                ("Model.Save", () => ml.Model.Save(model, train.Schema, target)),
                ("Model.SaveAtomic", () => ml.Model.SaveAtomic(model, train.Schema, target)),
            })
            {
                var error = Thrown(save);
                Assert.IsInstanceOfType<IOException>(error, $"{name} to {target}: {error}");
                StringAssert.Contains(error.Message, target, $"{name}: the message names the path");
                CollectionAssert.AreEqual(new[] { file }, Directory.GetFileSystemEntries(folder.Path), $"{name}: nothing was written");
            }
        }
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            return e;
        }

        throw new AssertFailedException("no exception was thrown");
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

    /// <summary>A row for an unsaveable custom mapping.</summary>
    public sealed class KindRow
    {
        /// <summary>Gets or sets the class name.</summary>
        public string Kind { get; set; } = "";
    }
}
