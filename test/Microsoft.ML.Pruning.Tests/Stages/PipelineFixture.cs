using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>What the ML.NET pipeline tests share: Waveform rows as a user holds them, featurization, and a network trained once.</summary>
internal static class PipelineFixture
{
    private static readonly Lazy<Network> TrainedNetwork = new(Train);

    public static WaveformRow[] TrainRows { get; } = WaveformRow.Generate(480, seed: 1);

    public static WaveformRow[] TestRows { get; } = WaveformRow.Generate(200, seed: 2);

    /// <summary>Gets a network trained on <see cref="TrainRows"/> (a copy each time).</summary>
    public static Network Trained => NetworkSerializer.Clone(TrainedNetwork.Value);

    public static Network Architecture() => new NetworkBuilder(21).Dense(24).Relu().Dense(16).Relu().Dense(3).Build(seed: 11);

    /// <summary>ML.NET's own featurization: the Values vector as Features, standardized, and the class name as a key Label.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext ml) =>
        ml.Transforms.Concatenate("Features", "Values")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "Kind"));

    /// <summary>Returns ML.NET's schema shape of a schema (ML.NET keeps SchemaShape.Create internal).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(DataViewSchema)])!.Invoke(null, [schema])!;

    /// <summary>Returns the last of the library's transformers in a fitted pipeline.</summary>
    public static NeuralNetworkTransformer Fitted(ITransformer model) => Flatten(model).OfType<NeuralNetworkTransformer>().LastOrDefault()
        ?? throw new InvalidOperationException("no NeuralNetworkTransformer in " + string.Join(", ", Flatten(model).Select(t => t.GetType().Name)));

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];

    /// <summary>Reads a vector column of every row.</summary>
    public static float[][] Scores(IDataView data, string column = "Score")
    {
        var result = new List<float[]>();
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }

        return [.. result];
    }

    private static Network Train()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TrainRows);
        var pipeline = Featurize(ml).Append(ml.MulticlassClassification.Trainers.NeuralNetwork(Architecture(),
            new NeuralNetworkTrainerOptions { Epochs = 15, LearningRate = 0.01, BatchSize = 32 }));
        return ((NeuralNetworkTransformer)pipeline.Fit(data).LastTransformer).Network;
    }
}
