namespace Microsoft.ML.Pruning;

/// <summary>One step of a pruning run in a <see cref="PruningReport"/>.</summary>
public sealed class PruningStepReport
{
    /// <summary>Gets or sets the step's index, from 0.</summary>
    public int Step { get; set; }

    /// <summary>Gets or sets what the step did: <c>prune</c>, or <c>auxiliary</c> for the insertion of an auxiliary layer.</summary>
    public string Phase { get; set; } = "prune";

    /// <summary>Gets or sets the rate pruned at (the fraction of the remaining units or weights removed).</summary>
    public double Rate { get; set; }

    /// <summary>Gets or sets the number of units or weights removed.</summary>
    public int Removed { get; set; }

    /// <summary>Gets or sets whether the step stayed within the budget; a rejected step was rolled back.</summary>
    public bool Accepted { get; set; }

    /// <summary>
    /// Gets or sets what the step's scoring found worth a warning, such as a group whose units the criterion scored all
    /// the same (they then go by index), or <see langword="null"/> when there was nothing.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IReadOnlyList<string>? Warnings { get; set; }

    /// <summary>Gets or sets the model after the step's fine-tuning (before any rollback).</summary>
    public ModelSnapshot Model { get; set; } = new();
}
