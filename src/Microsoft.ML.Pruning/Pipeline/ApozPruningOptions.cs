namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="ApozPruningEstimator"/>: those every pruning stage has (rate, budget, calibration, layers).</summary>
public sealed class ApozPruningOptions : PruningEstimatorOptions
{
}
