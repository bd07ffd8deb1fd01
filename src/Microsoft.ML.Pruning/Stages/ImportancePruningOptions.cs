using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="ImportancePruningEstimator"/>: structured pruning by a criterion of your own.</summary>
public sealed class ImportancePruningOptions : PruningStageOptions
{
    /// <summary>Gets or sets the criterion: one score per unit of each prunable group; the lowest-scored units go.</summary>
    /// <value>The default is <see langword="null"/>; it must be set.</value>
    public IImportance? Importance { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (Importance is null)
        {
            throw new ArgumentNullException(nameof(Importance), "ImportancePruningOptions.Importance must be set to an IImportance (your criterion).");
        }
    }

    internal override PruningMethod CreateMethod() => new StructuredPruning(Importance!, StructuredOptions());
}
