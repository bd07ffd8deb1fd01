using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// What <c>mlContext.Model.Save</c> writes for a fitted stage. ML.NET cannot save a transformer type defined outside its
/// own assemblies, so the stage forwards the save to a chain of ML.NET's transformers that computes the same columns:
/// <c>ApplyOnnxModel</c> over the per-row graph (<c>Features</c> in, <c>Score</c> out), the arg-max of <c>Score</c>
/// (<see cref="ArgMaxMappingFactory"/>), and <c>MapValue</c> to the label's key values as the scalar key <c>PredictedLabel</c>.
/// </summary>
internal static class SavedChain
{
    private const string IndexColumn = "Microsoft.ML.Pruning.PredictedIndex";

    /// <summary>
    /// Gets what a stage saves as when the next stage of its fitted chain replaces its output (<see cref="ChainFitLineage"/>):
    /// an empty <see cref="TransformerChain{TLastTransformer}"/>, which ML.NET saves and loads as the identity. The
    /// loaded model's visible columns are the fitted model's; only the superseded stage's hidden columns are absent.
    /// </summary>
    public static ITransformer PassThrough { get; } = new TransformerChain<ITransformer>();

    /// <summary>Builds (fits, on an empty view of the input's shape) the chain equivalent to <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">ONNX Runtime's native library does not load; the message names the package.</exception>
    public static ITransformer Build(NeuralNetworkTransformer model)
    {
        try
        {
            return Fit(model);
        }
        catch (Exception e) when (IsNativeRuntimeMissing(e))
        {
            throw new InvalidOperationException(
                "Saving a pruning stage through mlContext.Model.Save needs ONNX Runtime's native library, which did not load. " +
                "Add the package Microsoft.ML.OnnxRuntime to the application (MLNet.Pruning brings it; it is missing when its " +
                "native assets are excluded or the platform has none), or Microsoft.ML.OnnxRuntime.Gpu for CUDA.", e);
        }
    }

    private static ITransformer Fit(NeuralNetworkTransformer model)
    {
        var ml = new MLContext(seed: 0);
        var columns = model.Columns;
        var bytes = OnnxRowModel.PerRowBytes(model.Network, columns.Features);
        var empty = EmptyView(ml, columns.Features, columns.FeatureCount);
        var mapToKey = columns.ClassValues is { } values
            ? values.MapIndexToKey(ml, DefaultColumnNames.PredictedLabel, IndexColumn)
            : ClassValues.MapIndexToKey(ml, columns.ClassCount, DefaultColumnNames.PredictedLabel, IndexColumn);
        // Score's shape is recorded in the saved transformer, so that ML.NET's Load refuses a zip whose network was swapped
        // for one of another output width ("The specified shape 3 is not compatible with the shape 20 ...").
        var shapes = new Dictionary<string, int[]> { [DefaultColumnNames.Score] = [columns.ClassCount] };
        var chain = ml.Transforms.ApplyOnnxModel([DefaultColumnNames.Score], [columns.Features], new MemoryStream(bytes), shapes, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100)
            .Append(ml.Transforms.CustomMapping(new ArgMaxMappingFactory().GetMapping(), ArgMaxMappingFactory.ContractName))
            .Append(mapToKey)
            .Append(ml.Transforms.DropColumns(IndexColumn));
        return chain.Fit(empty);
    }

    /// <summary>Returns whether <paramref name="e"/> (or an exception inside it) says ONNX Runtime's native library could not be loaded.</summary>
    internal static bool IsNativeRuntimeMissing(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is DllNotFoundException || current is EntryPointNotFoundException
                || (current is TypeInitializationException && current.Message.Contains("OnnxRuntime", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static IDataView EmptyView(MLContext ml, string features, int width)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnName = features;
        definition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), definition);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
