using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="DistinctivenessPruningEstimator"/>.</summary>
public sealed class DistinctivenessPruningOptions : PruningStageOptions
{
    /// <summary>Gets or sets the angle, in degrees, under which two units' activation vectors count as similar (one is merged into the other).</summary>
    /// <value>The default is 15; it must be in (0, 90).</value>
    public double SimilarAngle { get; set; } = 15;

    /// <summary>Gets or sets the angle, in degrees, over which two units count as complementary (both are removed).</summary>
    /// <value>The default is 165; it must be in (90, 180).</value>
    public double ComplementaryAngle { get; set; } = 165;

    /// <summary>Gets or sets the value subtracted from activations before angles are measured (0.5 for sigmoid units).</summary>
    /// <value>The default is 0.5; it must be finite.</value>
    public double Centering { get; set; } = 0.5;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(SimilarAngle is > 0 and < 90, nameof(SimilarAngle), SimilarAngle, "must be in (0, 90) degrees");
        OptionChecks.Require(ComplementaryAngle is > 90 and < 180, nameof(ComplementaryAngle), ComplementaryAngle, "must be in (90, 180) degrees");
        OptionChecks.Require(double.IsFinite(Centering), nameof(Centering), Centering, "must be finite");
    }

    internal override PruningMethod CreateMethod() =>
        new StructuredPruning(new DistinctivenessImportance(Centering, SimilarAngle, ComplementaryAngle), StructuredOptions(SimilarAngle));
}
