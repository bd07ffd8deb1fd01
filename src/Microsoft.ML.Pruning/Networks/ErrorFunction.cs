namespace Microsoft.ML.Pruning.Networks;

/// <summary>The error function, which .NET's Math lacks.</summary>
internal static class ErrorFunction
{
    /// <summary>
    /// Returns erf(x) with an absolute error below 1.2e-7 (Numerical Recipes' erfc through a Chebyshev-fitted
    /// exponential, W. H. Press et al., 3rd ed., §6.2), ample for float32 results.
    /// </summary>
    /// <param name="x">The argument.</param>
    /// <returns>erf(x).</returns>
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        double polynomial = -z * z - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double complement = t * Math.Exp(polynomial);
        return x >= 0 ? 1 - complement : complement - 1;
    }
}
