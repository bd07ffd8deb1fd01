using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Draws a stage's seed from an <see cref="MLContext"/>, so <c>new MLContext(seed: 1)</c> makes every stage reproducible.</summary>
internal static class ContextSeed
{
    /// <summary>Draws the next seed from the context's random source (deterministic for a seeded context).</summary>
    public static int Next(IHostEnvironment environment) => environment.Register(StageLog.Source).Rand.Next();

    /// <summary>
    /// Finds the context behind one of ML.NET's trainer catalogs, and draws the next seed from it. ML.NET keeps the
    /// catalog's environment internal (<c>IInternalCatalog.Environment</c>), so it is read by reflection. If a later
    /// ML.NET hides it otherwise, the seed is 0 and a warning says so (on <see cref="System.Diagnostics.Trace"/>: without
    /// the context there is no <c>MLContext.Log</c> to write to); set the options' <c>Seed</c> to choose one.
    /// </summary>
    /// <returns>The seed, and the context (for the stage's log), or <see langword="null"/> when it could not be found.</returns>
    public static (int Seed, IHostEnvironment? Environment) FromCatalog(object catalog, string stage)
    {
        if (Find(catalog) is { } environment)
        {
            return (Next(environment), environment);
        }

        new StageLog(null, stage).Warning(
            $"the MLContext behind {catalog.GetType().Name} could not be read (ML.NET keeps it internal), so the stage's seed is 0 rather than one drawn from the context's seed, and its warnings go to System.Diagnostics.Trace. Set the options' Seed for a seed of your own.");
        return (0, null);
    }

    /// <summary>Finds the environment of a catalog by reflection, or returns <see langword="null"/>.</summary>
    internal static IHostEnvironment? Find(object catalog)
    {
        for (var type = catalog.GetType(); type is not null; type = type.BaseType)
        {
            // The catalog implements ML.NET's internal IInternalCatalog.Environment explicitly.
            var property = type.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .FirstOrDefault(p => p.Name.EndsWith("Environment", StringComparison.Ordinal) && typeof(IHostEnvironment).IsAssignableFrom(p.PropertyType));
            if (property?.GetValue(catalog) is IHostEnvironment environment)
            {
                return environment;
            }
        }

        return null;
    }
}
