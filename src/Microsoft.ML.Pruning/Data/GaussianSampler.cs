namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Draws standard normal numbers from a seeded <see cref="Random"/> with the Box-Muller transform, so that a seed
/// gives the same sequence on every platform and runtime version.
/// </summary>
internal sealed class GaussianSampler
{
    private readonly Random _random;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Creates a sampler over <paramref name="random"/>, which it shares with the caller.</summary>
    /// <param name="random">The source of uniform numbers.</param>
    public GaussianSampler(Random random)
    {
        _random = random;
    }

    /// <summary>Draws one number from N(0, 1). Numbers come in pairs: every second call uses no uniform draw.</summary>
    /// <returns>The number.</returns>
    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - _random.NextDouble()));
        double angle = 2.0 * Math.PI * _random.NextDouble();
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }
}
