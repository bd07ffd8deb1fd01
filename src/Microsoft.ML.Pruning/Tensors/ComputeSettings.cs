namespace Microsoft.ML.Pruning.Tensors;

/// <summary>Process-wide settings of the CPU engine.</summary>
public static class ComputeSettings
{
    private static int _degreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets the maximum number of threads a kernel uses.
    /// </summary>
    /// <value>The default is <see cref="Environment.ProcessorCount"/>. Allowed: 1 to 256.</value>
    /// <remarks>
    /// Results are bit-identical for a given value: work is split into the same static parts every time, and
    /// partial sums are combined in a fixed order.
    /// </remarks>
    public static int DegreeOfParallelism
    {
        get => _degreeOfParallelism;
        set
        {
            if (value is < 1 or > 256)
            {
                throw new ArgumentOutOfRangeException(nameof(DegreeOfParallelism), value, "DegreeOfParallelism must be between 1 and 256.");
            }

            _degreeOfParallelism = value;
        }
    }
}
