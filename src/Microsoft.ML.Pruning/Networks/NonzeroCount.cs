namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Counts the nonzero weights of a network, a parameter or a span: what magnitude pruning (masks) shrinks while the
/// parameter count stays the same. Zero and negative zero count as zero; NaN counts as nonzero.
/// </summary>
internal static class NonzeroCount
{
    /// <summary>Counts the nonzero values of every parameter of <paramref name="network"/>.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The number of parameter values that are not zero.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    public static long Of(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Parameters.Sum(Of);
    }

    /// <summary>Counts the nonzero values of the parameters of one layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The number of its parameter values that are not zero.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    public static long Of(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.Parameters.Sum(Of);
    }

    /// <summary>Counts the nonzero values of one parameter.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <returns>The number of its values that are not zero.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameter"/> is null.</exception>
    public static long Of(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Of(parameter.Value.Span);
    }

    /// <summary>Counts the values of <paramref name="values"/> that are not zero.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The count.</returns>
    public static long Of(ReadOnlySpan<float> values) => values.Length - values.Count(0f);
}
