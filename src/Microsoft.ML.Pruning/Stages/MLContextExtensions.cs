using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;

// In ML.NET's namespace, as ML.NET's own extension packages do, so that mlContext.Pruning() needs no extra using.
namespace Microsoft.ML;

/// <summary>The entry points of Microsoft.ML.Pruning on ML.NET's catalogs.</summary>
public static class PruningMLContextExtensions
{
    /// <summary>Gets the catalog of pruning stages, model sources, fine-tuning and schedulers.</summary>
    /// <param name="context">The ML.NET context; its seed seeds every stage created from the catalog.</param>
    /// <returns>The catalog.</returns>
    public static PruningCatalog Pruning(this MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PruningCatalog(context);
    }

    /// <summary>Trains a neural network of the given architecture as a multiclass classifier (a model stage).</summary>
    /// <param name="catalog">ML.NET's multiclass trainers.</param>
    /// <param name="architecture">The architecture, e.g. from <see cref="NetworkBuilder"/>; copied, never changed.</param>
    /// <param name="labelColumnName">The label column: a key, or an integer class index.</param>
    /// <param name="featureColumnName">The feature column: a float vector of the architecture's input size.</param>
    /// <param name="epochs">The epochs, at least 1.</param>
    /// <returns>The trainer.</returns>
    public static NeuralNetworkTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, Network architecture,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features, int epochs = 10) =>
        catalog.NeuralNetwork(architecture, new NeuralNetworkTrainerOptions { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Epochs = epochs });

    /// <summary>Trains a neural network of the given architecture as a multiclass classifier, with options.</summary>
    /// <param name="catalog">ML.NET's multiclass trainers.</param>
    /// <param name="architecture">The architecture; copied, never changed.</param>
    /// <param name="options">The options (copied and validated), including <see cref="StageOptions.Backend"/>.</param>
    /// <returns>The trainer.</returns>
    /// <remarks>
    /// Without <see cref="StageOptions.Seed"/>, the seed is drawn from the <see cref="MLContext"/>'s seed, which ML.NET
    /// keeps internal to its catalogs; it is read by reflection. Should a later ML.NET hide it, the seed is 0 and a
    /// warning says so on <see cref="System.Diagnostics.Trace"/>: set <see cref="StageOptions.Seed"/> (for example to the
    /// seed you give <c>new MLContext(seed: ...)</c>) to be independent of that.
    /// </remarks>
    public static NeuralNetworkTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, Network architecture, NeuralNetworkTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        var (seed, environment) = ContextSeed.FromCatalog(catalog, nameof(NeuralNetworkTrainer));
        return new NeuralNetworkTrainer(architecture, options, seed, environment);
    }
}
