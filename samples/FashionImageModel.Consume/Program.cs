// The consuming half of a Model Builder-style image pair: loads the model samples/FashionImageModel.Train saved and
// predicts image files through ModelInput { ImagePath } / ModelOutput and a cached PredictionEngine. The saved model
// decodes, resizes and reads the pixels itself (its LoadImages, ResizeImages and ExtractPixels), and its network
// applies ResNet18's normalisation, folded into its first layers.
//
//   dotnet run -c Release --project samples/FashionImageModel.Consume -- [fashion.model.zip] [image.png ...]
using System.Diagnostics;
using System.Globalization;
using static FashionImageModel.FashionImageModel;

if (args.Length > 0)
{
    ModelPath = args[0];
}

var images = args.Length > 1 ? args[1..] : Directory.GetDirectories("build/data/fashion-mnist-png/test").Order(StringComparer.Ordinal).Select(d => Directory.GetFiles(d, "*.png").Order(StringComparer.Ordinal).First()).ToArray();
foreach (string image in images)
{
    var watch = Stopwatch.StartNew();
    var output = Predict(new ModelInput { ImagePath = image });
    Console.WriteLine($"{image}: {output.PredictedLabel} ({output.Score.Max().ToString("P1", CultureInfo.InvariantCulture)}, {watch.Elapsed.TotalMilliseconds:F1} ms)");
}
