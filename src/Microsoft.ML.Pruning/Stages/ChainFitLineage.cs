using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Decides what <c>mlContext.Model.Save</c> writes for a fitted stage: its whole network, or a pass-through because a
/// later stage of the same fitted pipeline replaces its <c>Score</c> and <c>PredictedLabel</c> anyway.
/// </summary>
/// <remarks>
/// <para>ML.NET saves a <see cref="TransformerChain{TLastTransformer}"/> by calling each element's <c>Save</c> in order, and
/// gives an element nothing public about the chain (<see cref="ModelSaveContext"/> has no public member): when an earlier
/// stage saves, it cannot look ahead. So the decision rests on two facts, each established by ML.NET's own code paths:</para>
/// <list type="number">
/// <item><b>Superseded in its fitted chain.</b> <c>EstimatorChain.Fit</c> fits estimator <c>i</c>, calls
/// <c>Transform</c> on the result and hands that view (through a cache checkpoint, which keeps the schema object) to
/// estimator <c>i + 1</c>, then calls <c>Transform</c> of the result on the same view; the view never leaves the fit, and
/// the chain it returns holds both transformers in that order. A stage whose <c>Transform</c> is called by
/// <c>EstimatorChain.Fit</c> on a view whose schema is the one an earlier stage's <c>Transform</c> made in that same way
/// therefore follows it directly in the returned chain and replaces both of its output columns (nothing between them
/// could read them: any transform between would have made a new schema). A stage fitted later on a model's output in
/// any other way (<c>Fit</c> on <c>model.Transform(data)</c>, another pipeline) supersedes nothing, so the model it was
/// fitted on keeps saving its network.</item>
/// <item><b>Saved as an element of a chain.</b> The superseded stage saves as a pass-through only when the caller of its
/// <c>Save</c> (past ML.NET's <see cref="ModelSaveContext"/> plumbing) is a <c>TransformerChain</c>'s <c>Save</c>.
/// Saved on its own (<c>mlContext.Model.Save(stage, ...)</c>) it writes its network.</item>
/// </list>
/// <para>The pass-through is an empty chain (the identity), so the loaded model's visible columns are the fitted
/// model's. What this cannot see is a chain built by hand from a fitted chain's elements that drops the superseding
/// stage: its saved form then has no <c>Score</c> from that stage, so using it fails loudly ("Score" not found) rather
/// than scoring wrong. Saving such a stage alone, or the fitted chain, is always complete.</para>
/// <para>Either check falls back to the whole network when ML.NET's call path is not the one expected (a future
/// version, a frame the JIT inlined): the saved model is then larger, never wrong.</para>
/// </remarks>
internal static class ChainFitLineage
{
    /// <summary>The output schemas made by a stage's <c>Transform</c> inside <c>EstimatorChain.Fit</c>, and their stage.</summary>
    private static readonly ConditionalWeakTable<DataViewSchema, NeuralNetworkTransformer> ChainFitOutputs = new();

    /// <summary>The stages that the next transformer of their fitted chain supersedes.</summary>
    private static readonly ConditionalWeakTable<NeuralNetworkTransformer, object> Superseded = new();

    /// <summary>Records a stage's <c>Transform</c>: called with its input and output on every call, it acts only inside <c>EstimatorChain.Fit</c>.</summary>
    public static void Observe(NeuralNetworkTransformer model, IDataView input, IDataView output)
    {
        if (!CalledFrom(typeof(EstimatorChain<>), nameof(EstimatorChain<ITransformer>.Fit)))
        {
            return;
        }

        if (ChainFitOutputs.TryGetValue(input.Schema, out var previous) && !ReferenceEquals(previous, model))
        {
            Superseded.AddOrUpdate(previous, model);
        }

        ChainFitOutputs.AddOrUpdate(output.Schema, model);
    }

    /// <summary>Returns whether <paramref name="model"/>'s save in progress may write a pass-through (see the remarks).</summary>
    public static bool SavesAsPassThrough(NeuralNetworkTransformer model) =>
        Superseded.TryGetValue(model, out _) && CalledFrom(typeof(TransformerChain<>), "Save");

    /// <summary>
    /// Returns whether the first caller outside this assembly and ML.NET's <see cref="ModelSaveContext"/> plumbing is a
    /// method of <paramref name="genericType"/> whose name ends with <paramref name="methodName"/> (explicit interface
    /// implementations carry the interface's name as a prefix).
    /// </summary>
    private static bool CalledFrom(Type genericType, string methodName)
    {
        var own = typeof(ChainFitLineage).Assembly;
        foreach (var frame in new StackTrace(1, false).GetFrames())
        {
            var method = frame.GetMethod();
            var type = method?.DeclaringType;
            if (type is null || type.Assembly == own || type == typeof(ModelSaveContext))
            {
                continue;
            }

            return type.IsGenericType && type.GetGenericTypeDefinition() == genericType && method!.Name.EndsWith(methodName, StringComparison.Ordinal);
        }

        return false;
    }
}
