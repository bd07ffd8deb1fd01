using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Draws a stage's seed from an <see cref="MLContext"/>, so <c>new MLContext(seed: 1)</c> makes every stage reproducible.</summary>
internal static class ContextSeed
{
    /// <summary>Draws the next seed from the context's random source (deterministic for a seeded context).</summary>
    public static int Next(IHostEnvironment environment) => environment.Register("Microsoft.ML.Pruning").Rand.Next();

    /// <summary>
    /// Draws the next seed from the context behind one of ML.NET's trainer catalogs. ML.NET keeps the catalog's
    /// environment internal, so it is read by reflection; when that fails the seed is 0 (set the options' <c>Seed</c> instead).
    /// </summary>
    public static int FromCatalog(object catalog)
    {
        for (var type = catalog.GetType(); type is not null; type = type.BaseType)
        {
            // The catalog implements ML.NET's internal IInternalCatalog.Environment explicitly.
            var property = type.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .FirstOrDefault(p => p.Name.EndsWith("Environment", StringComparison.Ordinal) && typeof(IHostEnvironment).IsAssignableFrom(p.PropertyType));
            if (property?.GetValue(catalog) is IHostEnvironment environment)
            {
                return Next(environment);
            }
        }

        return 0;
    }
}
