namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="ApozPruningEstimator"/>: the shared pruning options; APoZ has no settings of its own.</summary>
public sealed class ApozPruningOptions : PruningStageOptions
{
}
