using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tests.Onnx;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// ML.NET's image pipeline (LoadImages, ResizeImages, ExtractPixels) into ML.NET's pretrained ResNet18 with a new head,
/// pruned, saved and loaded back in a fresh process (test/ImageModelConsumer) on the fixture PNGs (issue 16, items 4 and 6).
/// </summary>
[TestClass]
public sealed class ImagePipelineTests
{
    private static readonly string Images = Path.Combine(AppContext.BaseDirectory, "fixtures", "images", "fashion-mnist-png");

    [TestMethod]
    public void ResNet18WithANewHead_PrunedAndSaved_PredictsImageFilesInAFreshProcessAsFitted()
    {
        using var folder = new TempDirectory();
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows("train"));
        var pipeline = ImagePipeline(ml, size: 32)
            .Append(ml.Pruning().LoadOnnxModel(DnnImageModels.ResNet18, new PretrainedNetworkOptions
            {
                Head = new ClassifierHead(),
                InputNormalization = ImageNormalization.FromOnnx(DnnImageModels.Preprocess),
                Epochs = 2,
                HeadOnlyEpochs = 1,
                BatchSize = 8,
                ValidationFraction = 0.2,
            }))
            .Append(ml.Pruning().FilterL1(new FilterL1PruningOptions { Rate = 0.25, MaximumAccuracyDrop = 1, Epochs = 0 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = pipeline.Fit(train);
        string path = folder.File("images.zip");
        ml.Model.Save(model, train.Schema, path);
        var test = Rows("test");
        var engine = ml.Model.CreatePredictionEngine<ImageRow, ImagePrediction>(model);
        var expected = test.Select(engine.Predict).ToArray();
        var loaded = RunConsumer(folder, path, test);

        var network = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkTransformer>().Last().Network;
        CollectionAssert.AreEqual(new[] { 3, 32, 32 }, network.InputShape, "the image shape from ResizeImages, stated once");
        CollectionAssert.AreEqual(new[] { 10 }, network.OutputShape, "a head for the label's 10 classes");
        Assert.AreEqual("preprocessing_offset", network.Nodes[0].Layer.Name, "the mean is subtracted in front; the BGR order is in the first convolution");
        Assert.IsTrue(((Conv2d)network.Nodes[1].Layer).OutChannels < 64, "pruned");
        for (int i = 0; i < test.Length; i++)
        {
            TensorAssert.AllClose(expected[i].Score, loaded[i].Scores, 0, 1e-5, $"image {test[i].ImagePath}");
            Assert.AreEqual(expected[i].PredictedLabel, loaded[i].Label, $"image {test[i].ImagePath}");
        }
    }

    [TestMethod]
    public void AFeaturizerWithoutAHead_ImagesOfAnotherSizeThanStated_AndInterleavedPixels_AreRefusedAtFitNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows("train"));
        var data = ImagePipeline(ml, size: 32).Fit(train).Transform(train);
        var interleaved = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", null, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: true)).Fit(train).Transform(train);

        var noHead = Assert.ThrowsExactly<ArgumentException>(() => ml.Pruning().LoadOnnxModel(DnnImageModels.ResNet18).Fit(data));
        var otherSize = Assert.ThrowsExactly<ArgumentException>(() => ml.Pruning().LoadOnnxModel(DnnImageModels.ResNet18, new PretrainedNetworkOptions { Head = new ClassifierHead(), InputShape = [3, 64, 64] }).Fit(data));
        var planes = Assert.ThrowsExactly<ArgumentException>(() => ml.Pruning().LoadOnnxModel(DnnImageModels.ResNet18, new PretrainedNetworkOptions { Head = new ClassifierHead() }).Fit(interleaved));
        var badCut = Assert.ThrowsExactly<ArgumentException>(() => ml.Pruning().LoadOnnxModel(DnnImageModels.ResNet18, new PretrainedNetworkOptions { Head = new ClassifierHead { CutAt = "Pooling999" } }));

        StringAssert.Contains(noHead.Message, "Column 'Label' is a key of 10 classes but the model scores 512");
        StringAssert.Contains(noHead.Message, "set PretrainedNetworkOptions.Head");
        StringAssert.Contains(otherSize.Message, "Column 'Features' holds images of [3, 32, 32] but InputShape states [3, 64, 64]");
        StringAssert.Contains(planes.Message, "interleaved");
        StringAssert.Contains(badCut.Message, "'Pooling999'");
        Assert.AreEqual("Head", badCut.ParamName);
    }

    /// <summary>Builds the image featurization: the label as a key, images loaded, resized and read as ExtractPixels gives them.</summary>
    internal static IEstimator<ITransformer> ImagePipeline(MLContext ml, int size) =>
        ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", null, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", size, size))
            .Append(ml.Transforms.ExtractPixels("Features", "Image"));

    private static ImageRow[] Rows(string split) =>
        Directory.GetDirectories(Path.Combine(Images, split)).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, "*.png").Order(StringComparer.Ordinal).Select(f => new ImageRow { ImagePath = f, Label = Path.GetFileName(d) }))
            .ToArray();

    private static (float[] Scores, string Label)[] RunConsumer(TempDirectory folder, string model, ImageRow[] rows)
    {
        string list = folder.File("images.tsv"), output = folder.File("predictions.tsv");
        File.WriteAllLines(list, rows.Select(r => r.ImagePath + "\t" + r.Label));
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string consumer = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../ImageModelConsumer/bin", configuration, "net10.0/ImageModelConsumer.dll"));
        Assert.IsTrue(File.Exists(consumer), $"{consumer} was built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { consumer, list, model, output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string printed = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "the consumer finishes");
        Assert.AreEqual(0, process.ExitCode, printed + error.Result);
        return File.ReadAllLines(output).Select(l => l.Split('\t'))
            .Select(f => (f[0].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(), f[1])).ToArray();
    }

    /// <summary>One image file and its class.</summary>
    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    /// <summary>What the model predicts for one image.</summary>
    public sealed class ImagePrediction
    {
        public float[] Score { get; set; } = [];

        public string PredictedLabel { get; set; } = "";
    }
}
