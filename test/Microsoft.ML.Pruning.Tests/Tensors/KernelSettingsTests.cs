using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Tensors;

/// <summary>
/// The base of test classes that force a GEMM kernel (<see cref="Gemm.KernelOverride"/>) or a thread count: both are
/// process-wide, so each test gets them back as they were before it ran.
/// </summary>
public abstract class KernelSettingsTests
{
    private int _savedThreads;

    /// <summary>Remembers the thread count.</summary>
    [TestInitialize]
    public void SaveKernelSettings() => _savedThreads = ComputeSettings.DegreeOfParallelism;

    /// <summary>Restores the thread count and the automatic kernel choice.</summary>
    [TestCleanup]
    public void RestoreKernelSettings()
    {
        ComputeSettings.DegreeOfParallelism = _savedThreads;
        Gemm.KernelOverride = null;
        RestoreMore();
    }

    /// <summary>Restores what a derived class changes besides the thread count and kernel.</summary>
    protected virtual void RestoreMore()
    {
    }
}
