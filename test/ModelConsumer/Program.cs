// Loads saved ML.NET models in a fresh process and writes what they predict.
//
//   ModelConsumer <rows.tsv> <output folder> <model.zip>...
//
// rows.tsv: 21 floats and a class name per line (the Waveform rows the models were fitted on). For each model it
// writes <model>.out: the column types of Score and PredictedLabel on the first line, then one line per row with
// the scores and the predicted label (after MapKeyToValue, so the class name). The rows also carry the Values vector,
// unscaled, as Features, for a model that starts at Features (a stage saved on its own); a whole pipeline's own
// featurization replaces that column.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

var ml = new MLContext(seed: 0);
var rows = ml.Data.LoadFromTextFile(args[0], [new TextLoader.Column("Values", DataKind.Single, 0, 20), new TextLoader.Column("Kind", DataKind.String, 21)]);
var withFeatures = ml.Transforms.Concatenate("Features", "Values").Fit(rows).Transform(rows);
foreach (string modelPath in args.Skip(2))
{
    var model = ml.Model.Load(modelPath, out _);
    var scored = model.Transform(withFeatures);
    var score = scored.Schema["Score"];
    var predicted = scored.Schema["PredictedLabel"];
    using var writer = new StreamWriter(Path.Combine(args[1], Path.GetFileNameWithoutExtension(modelPath) + ".out"));
    writer.WriteLine($"{score.Type}\t{predicted.Type}");
    using var cursor = scored.GetRowCursor([score, predicted]);
    var getScore = cursor.GetGetter<VBuffer<float>>(score);
    Func<string> getPredicted = predicted.Type is KeyDataViewType ? Getter<uint>(cursor, predicted) : Getter<ReadOnlyMemory<char>>(cursor, predicted);
    VBuffer<float> values = default;
    while (cursor.MoveNext())
    {
        getScore(ref values);
        writer.WriteLine(string.Join(" ", values.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\t" + getPredicted());
    }
}

static Func<string> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
{
    var getter = cursor.GetGetter<T>(column);
    T value = default!;
    return () =>
    {
        getter(ref value);
        return value!.ToString()!;
    };
}
