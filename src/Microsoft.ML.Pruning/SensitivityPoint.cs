namespace Microsoft.ML.Pruning;

/// <summary>One point of a per-layer sensitivity sweep: one layer pruned alone at one rate, without fine-tuning.</summary>
/// <param name="Layer">The pruned group's name.</param>
/// <param name="Rate">The fraction of the layer's units removed.</param>
/// <param name="Accuracy">The validation accuracy after pruning, in [0, 1].</param>
/// <param name="AccuracyDrop">The drop from the unpruned accuracy, absolute (positive when worse).</param>
public sealed record SensitivityPoint(string Layer, double Rate, double Accuracy, double AccuracyDrop);
