using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="FilterL1PruningEstimator"/>.</summary>
public sealed class FilterL1PruningOptions : PruningStageOptions
{
    /// <summary>Gets or sets the norm of each filter's weights that ranks the filters.</summary>
    /// <value>The default is <see cref="WeightNorm.L1"/>.</value>
    public WeightNorm Norm { get; set; } = WeightNorm.L1;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(Enum.IsDefined(Norm), nameof(Norm), Norm, "must be L1 or L2");
    }

    internal override PruningMethod CreateMethod() => new StructuredPruning(new WeightNormImportance(Norm), StructuredOptions());
}
