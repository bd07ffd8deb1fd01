namespace Microsoft.ML.Pruning.TorchSharp.Tests;

[TestClass]
public static class TestSetup
{
    /// <summary>The tests' models are tiny: one libtorch thread avoids contending with the managed engine's workers on a small machine.</summary>
    [AssemblyInitialize]
    public static void UseOneLibTorchThread(TestContext context) => global::TorchSharp.torch.set_num_threads(1);
}
