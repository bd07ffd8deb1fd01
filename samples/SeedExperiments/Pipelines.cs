using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>The experiments' ML.NET pipelines: a model stage, then the stages under study, fitted on a data view.</summary>
internal static class Pipelines
{
    /// <summary>Trains an architecture in a one-stage pipeline.</summary>
    public static NeuralNetworkTransformer Train(MLContext ml, Network architecture, NeuralNetworkTrainerOptions options, IDataView train) =>
        ml.MulticlassClassification.Trainers.NeuralNetwork(architecture, options).Fit(train);

    /// <summary>Fits <c>FromNetwork(start)</c> followed by <paramref name="stages"/>, and returns the last stage's transformer.</summary>
    public static NeuralNetworkTransformer Fit(MLContext ml, Network start, IDataView train, params NetworkStageEstimator[] stages)
    {
        IEstimator<ITransformer> pipeline = ml.Pruning().FromNetwork(start);
        foreach (var stage in stages)
        {
            pipeline = pipeline.Append(stage);
        }

        var model = pipeline.Fit(train);
        return (NeuralNetworkTransformer)(model is IEnumerable<ITransformer> chain ? chain.Last() : model);
    }

    /// <summary>Returns a model's test accuracy through ML.NET's evaluator.</summary>
    public static double Accuracy(MLContext ml, ITransformer model, IDataView test) =>
        ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;

    /// <summary>Presents a data set as a data view (<c>Features</c>, key <c>Label</c>).</summary>
    public static IDataView View(this MLContext ml, Dataset data) => ml.Data.LoadFromDataset(data);
}
