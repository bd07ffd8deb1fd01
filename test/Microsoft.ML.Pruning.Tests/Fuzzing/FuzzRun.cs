using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Fuzzing;

/// <summary>
/// Runs seeded fuzz cases within a time budget: each case may succeed or throw the expected exception type; any other
/// exception, or a case that allocates more than a bound, fails the test naming the seed, the case and its mutations.
/// </summary>
internal static class FuzzRun
{
    /// <summary>The most bytes one case may allocate: inputs are kilobytes, so more means an unbounded read.</summary>
    public const long MaximumAllocatedBytes = 32L << 20;

    /// <summary>Runs up to <paramref name="cases"/> cases or until <paramref name="budget"/> has passed (at least 50 cases run).</summary>
    /// <returns>The number of cases run, accepted and rejected.</returns>
    public static (int Cases, int Accepted, int Rejected) Run<TExpected>(int seed, int cases, TimeSpan budget, Func<Random, (Action Case, string Description)> next)
        where TExpected : Exception
    {
        var random = new Random(seed);
        var watch = Stopwatch.StartNew();
        int run = 0, accepted = 0, rejected = 0;
        for (; run < cases && (run < 50 || watch.Elapsed < budget); run++)
        {
            var (action, description) = next(random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                action();
                accepted++;
            }
            catch (TExpected)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} case {run} ({description}) threw {e.GetType().Name}, not {typeof(TExpected).Name}: {e}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.IsTrue(allocated < MaximumAllocatedBytes, $"seed {seed} case {run} ({description}) allocated {allocated:N0} bytes");
        }

        return (run, accepted, rejected);
    }
}
