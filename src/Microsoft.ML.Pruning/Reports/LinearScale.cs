namespace Microsoft.ML.Pruning.Reports;

/// <summary>
/// Maps a data interval linearly onto a pixel interval, with "nice" ticks (1, 2 or 5 times a power of ten) whose
/// outermost ticks bound the domain.
/// </summary>
internal sealed class LinearScale
{
    private LinearScale(double domainMin, double domainMax, double rangeStart, double rangeEnd, IReadOnlyList<double> ticks)
    {
        DomainMin = domainMin;
        DomainMax = domainMax;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
        Ticks = ticks;
    }

    /// <summary>Gets the data value mapped to <see cref="RangeStart"/>.</summary>
    public double DomainMin { get; }

    /// <summary>Gets the data value mapped to <see cref="RangeEnd"/>.</summary>
    public double DomainMax { get; }

    /// <summary>Gets the pixel coordinate of <see cref="DomainMin"/>.</summary>
    public double RangeStart { get; }

    /// <summary>Gets the pixel coordinate of <see cref="DomainMax"/>.</summary>
    public double RangeEnd { get; }

    /// <summary>Gets the tick values, ascending, from <see cref="DomainMin"/> to <see cref="DomainMax"/>.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>
    /// Builds a scale covering <paramref name="values"/>, widened to nice ticks. No values, or values all equal, get a
    /// small interval around them instead of a zero-width one; non-negative data never gets a negative domain.
    /// </summary>
    /// <param name="values">The data values; NaN and infinities are ignored.</param>
    /// <param name="rangeStart">The pixel coordinate of the smallest value.</param>
    /// <param name="rangeEnd">The pixel coordinate of the largest value (smaller than the start for a y axis).</param>
    /// <param name="tickCount">The largest number of tick intervals wanted, at least 1.</param>
    /// <returns>The scale.</returns>
    public static LinearScale Create(IEnumerable<double> values, double rangeStart, double rangeEnd, int tickCount = 5)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (min > max)
        {
            (min, max) = (0, 1);
        }

        bool nonNegative = min >= 0;
        if (max - min <= 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.05;
            (min, max) = (min - pad, max + pad);
        }

        if (nonNegative)
        {
            min = Math.Max(min, 0);
        }

        double step = NiceStep((max - min) / Math.Max(1, tickCount));
        double first = Math.Floor(min / step + 1e-9) * step;
        double last = Math.Ceiling(max / step - 1e-9) * step;
        int count = (int)Math.Round((last - first) / step);
        var ticks = new double[count + 1];
        for (int i = 0; i <= count; i++)
        {
            ticks[i] = Clean(first + i * step, step);
        }

        return new LinearScale(ticks[0], ticks[^1], rangeStart, rangeEnd, ticks);
    }

    /// <summary>The smallest of 1, 2, 5 or 10 times a power of ten that is at least <paramref name="raw"/>.</summary>
    /// <param name="raw">The wanted step, positive.</param>
    /// <returns>The nice step.</returns>
    public static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10;
        return nice * power;
    }

    /// <summary>Maps a data value to its pixel coordinate.</summary>
    /// <param name="value">The data value.</param>
    /// <returns>The coordinate.</returns>
    public double Map(double value) =>
        RangeStart + (value - DomainMin) / (DomainMax - DomainMin) * (RangeEnd - RangeStart);

    // Removes the floating-point residue of first + i * step (0.30000000000000004 becomes 0.3).
    private static double Clean(double value, double step)
    {
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)) + 1, 0, 15);
        return Math.Round(value, decimals);
    }
}
