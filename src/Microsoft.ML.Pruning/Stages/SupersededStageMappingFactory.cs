using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// What a fitted stage saves as when the next transformer of its fitted chain replaces its output (see
/// <see cref="ChainFitLineage"/>): a stateless <c>CustomMapping</c>, saved as this contract name only, that reads no
/// column and adds <c>Score</c> and <c>PredictedLabel</c> placeholders. The next stage's columns hide them, so they are
/// never computed; read in a model that lacks that stage, they throw an error that says why.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SupersededStageMappingFactory : CustomMappingFactory<SupersededStageMappingFactory.NoColumns, SupersededStageMappingFactory.Placeholders>
{
    /// <summary>The contract name saved with the mapping.</summary>
    public const string ContractName = "Microsoft.ML.Pruning.SupersededStage";

    /// <summary>The error a placeholder read gives.</summary>
    public const string Message =
        "This ML.NET model holds a pruning stage that was saved without its network, because the next stage of the pipeline it " +
        "was fitted in replaces its Score and PredictedLabel; that next stage is not in this model. Save the fitted pipeline " +
        "whole, or this stage on its own (mlContext.Model.Save(stage, schema, path)), to get a model that scores with it.";

    /// <inheritdoc/>
    public override Action<NoColumns, Placeholders> GetMapping() => (_, _) => throw new InvalidOperationException(Message);

    /// <summary>The mapping's input: no column.</summary>
    public sealed class NoColumns
    {
    }

    /// <summary>The mapping's output: the placeholders.</summary>
    public sealed class Placeholders
    {
        /// <summary>Gets or sets the placeholder of the class probabilities.</summary>
        [ColumnName(DefaultColumnNames.Score)]
        public float Score { get; set; }

        /// <summary>Gets or sets the placeholder of the predicted class.</summary>
        [ColumnName(DefaultColumnNames.PredictedLabel)]
        public float PredictedLabel { get; set; }
    }
}
