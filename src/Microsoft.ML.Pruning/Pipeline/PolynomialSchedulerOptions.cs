namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="PolynomialScheduler"/>; the schedule itself validates them.</summary>
public sealed class PolynomialSchedulerOptions
{
    /// <summary>Gets or sets the fraction of the original units (or weights) removed after the last step.</summary>
    /// <value>The default is 0.5; it must be in (InitialSparsity, 1).</value>
    public double FinalSparsity { get; set; } = 0.5;

    /// <summary>Gets or sets the number of pruning steps.</summary>
    /// <value>The default is 5; it must be at least 1.</value>
    public int Steps { get; set; } = 5;

    /// <summary>Gets or sets the sparsity the curve starts from.</summary>
    /// <value>The default is 0; it must be in [0, FinalSparsity).</value>
    public double InitialSparsity { get; set; }

    /// <summary>Gets or sets the curve's exponent.</summary>
    /// <value>The default is 3 (cubic), as Zhu and Gupta.</value>
    public double Power { get; set; } = 3;
}
