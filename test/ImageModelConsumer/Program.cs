// Loads a saved ML.NET image model in a fresh process and writes what it predicts for image files.
//
//   ImageModelConsumer <images.tsv> <model.zip> <output.tsv>
//
// images.tsv: an image path and its class name per line. output.tsv: one line per image with the scores and the
// predicted label (the class name), tab-separated; the scores come from a PredictionEngine, one image at a time.
using System.Globalization;
using Microsoft.ML;

var ml = new MLContext(seed: 0);
var model = ml.Model.Load(args[1], out _);
var engine = ml.Model.CreatePredictionEngine<ImageInput, ImageOutput>(model);
using var writer = new StreamWriter(args[2]);
foreach (string line in File.ReadLines(args[0]))
{
    var fields = line.Split('\t');
    var output = engine.Predict(new ImageInput { ImagePath = fields[0], Label = fields[1] });
    writer.WriteLine(string.Join(" ", output.Score.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\t" + output.PredictedLabel);
}

/// <summary>One image file and its class.</summary>
internal sealed class ImageInput
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";
}

/// <summary>The model's output.</summary>
internal sealed class ImageOutput
{
    public float[] Score { get; set; } = [];

    public string PredictedLabel { get; set; } = "";
}
