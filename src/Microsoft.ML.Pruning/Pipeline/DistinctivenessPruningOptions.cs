using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="DistinctivenessPruningEstimator"/>: units are removed when their angle to a partner is under <see cref="SimilarAngle"/> (or over <see cref="ComplementaryAngle"/>); the rate caps how many go per step.</summary>
public sealed class DistinctivenessPruningOptions : PruningEstimatorOptions
{
    /// <summary>Gets or sets the angle, in degrees, under which two units are near-duplicates.</summary>
    /// <value>The default is 15, as Gedeon and Harris; it must be in (0, 90).</value>
    public double SimilarAngle { get; set; } = 15;

    /// <summary>Gets or sets the angle, in degrees, over which two units are complementary.</summary>
    /// <value>The default is 165; it must be in (90, 180).</value>
    public double ComplementaryAngle { get; set; } = 165;

    /// <summary>Gets or sets the value subtracted from activations before the angles are measured (0.5 maps sigmoid outputs to [-0.5, 0.5]).</summary>
    /// <value>The default is 0.5; use 0 for tanh.</value>
    public double Centering { get; set; } = 0.5;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(SimilarAngle is > 0 and < 90, nameof(SimilarAngle), SimilarAngle, "must be in (0, 90) degrees");
        OptionChecks.Require(ComplementaryAngle is > 90 and < 180, nameof(ComplementaryAngle), ComplementaryAngle, "must be in (90, 180) degrees");
        OptionChecks.Require(double.IsFinite(Centering), nameof(Centering), Centering, "must be finite");
    }
}
