// The consuming half of a Model Builder-style pair: loads the model samples/WaveformModel.Train saved and predicts
// rows through ModelInput/ModelOutput and a cached PredictionEngine.
//
//   dotnet run -c Release --project samples/WaveformModel.Consume -- [waveform.model.zip] [waveform.csv]
using System.Globalization;
using static WaveformModel.WaveformModel;

if (args.Length > 0)
{
    ModelPath = args[0];
}

string dataPath = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "waveform.csv");
foreach (string line in File.ReadLines(dataPath).Take(5))
{
    var fields = line.Split(',');
    var input = new ModelInput { Values = fields[..21].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(), Kind = fields[21] };
    var output = Predict(input);
    Console.WriteLine($"true {input.Kind}, predicted {output.PredictedLabel} (scores {string.Join(" ", output.Score.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))})");
}
