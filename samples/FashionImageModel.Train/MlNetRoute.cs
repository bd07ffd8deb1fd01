using System.Diagnostics;
using Microsoft.ML;

namespace FashionImageModel;

/// <summary>
/// ML.NET's own route for the same task, measured on the same images: LoadImages, ResizeImages(224, 224),
/// ExtractPixels, DnnFeaturizeImage with the same pretrained ResNet18 (frozen), then SdcaMaximumEntropy.
/// </summary>
internal static class MlNetRoute
{
    public static RunResult Run(MLContext ml, IDataView train, IDataView test, ModelInput[] testRows, string path)
    {
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", imageFolder: null, nameof(ModelInput.ImagePath)))
            .Append(ml.Transforms.ResizeImages("Image", 224, 224))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"))
            .AppendCacheCheckpoint(ml)
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        Console.WriteLine($"ML.NET's route fitted in {watch.Elapsed.TotalMinutes:F1} minutes");
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        ml.Model.Save(model, train.Schema, path);
        var result = new RunResult("ML.NET DnnFeaturizeImage(ResNet18, 224x224) + SdcaMaximumEntropy")
        {
            TestFinal = accuracy,
            PredictionMilliseconds = Measurements.PredictionLatency(ml, path, testRows),
            ZipBytes = new FileInfo(path).Length,
        };
        Console.WriteLine($"{result.Name}: test accuracy {accuracy:P2}");
        return result;
    }
}
