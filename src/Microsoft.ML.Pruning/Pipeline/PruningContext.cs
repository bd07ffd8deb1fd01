namespace Microsoft.ML.Pruning;

/// <summary>
/// The entry point of the pipeline API, like ML.NET's <c>MLContext</c>: a seed and the catalogs that create every stage.
/// </summary>
/// <example>
/// <code>
/// var context = new PruningContext(seed: 1);
/// var (train, test) = context.Data.LoadFashionMnist();
/// var pipeline = context.Model.LoadOnnx("model.onnx")
///     .Append(context.Pruning.Apoz(rate: 0.5))
///     .Append(context.Pruning.FineTune(epochs: 2));
/// var model = pipeline.Fit(train.Flatten());
/// Console.WriteLine(model.Report.ToTable());
/// model.SaveOnnx("model.pruned.onnx");
/// </code>
/// </example>
public sealed class PruningContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="seed">The seed of every random choice (splits, shuffles, calibration samples, new weights); the same seed and thread count give the same results.</param>
    public PruningContext(int seed = 0)
    {
        Seed = seed;
        Data = new DataCatalog(this);
        Model = new ModelCatalog(this);
        Pruning = new PruningCatalog(this);
    }

    /// <summary>Gets the seed.</summary>
    public int Seed { get; }

    /// <summary>Gets the data loaders.</summary>
    public DataCatalog Data { get; }

    /// <summary>Gets the model sources: load ONNX or native models, or train an architecture.</summary>
    public ModelCatalog Model { get; }

    /// <summary>Gets the pruning, fine-tuning and scheduling stages.</summary>
    public PruningCatalog Pruning { get; }
}
