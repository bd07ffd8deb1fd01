namespace Microsoft.ML.Pruning.TorchSharp.Tests;

[TestClass]
public sealed class DeviceTests
{
    [TestMethod]
    public void WithoutAGpuDeviceIdTheBackendTrainsOnTheCpu()
    {
        var backend = new TorchSharpBackend(new MLContext(seed: 1));
        Assert.AreEqual("cpu", backend.DeviceName);
        Assert.AreEqual("TorchSharp (cpu)", backend.Name);
    }

    [TestMethod]
    public void AskingForCudaWithoutItFailsNamingThePackagesToAdd()
    {
        var context = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = false };
        var error = Assert.ThrowsException<InvalidOperationException>(() => new TorchSharpBackend(context));
        StringAssert.Contains(error.Message, "TorchSharp-cuda-windows");
        StringAssert.Contains(error.Message, "TorchSharp-cuda-linux");
        StringAssert.Contains(error.Message, "FallbackToCpu");
    }

    [TestMethod]
    public void AskingForCudaWithoutItFallsBackToTheCpuWhenAllowed()
    {
        var context = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = true };
        Assert.AreEqual("cpu", new TorchSharpBackend(context).DeviceName);
    }

    [TestMethod]
    public void APresentCudaDeviceIsChosenAndAMissingOneIsReported()
    {
        Assert.AreEqual("cuda:1", DeviceSelection.Resolve(1, fallbackToCpu: false, cudaDeviceCount: 2).ToString());
        var error = Assert.ThrowsException<InvalidOperationException>(() => DeviceSelection.Resolve(2, fallbackToCpu: false, cudaDeviceCount: 2));
        StringAssert.Contains(error.Message, "only 2 CUDA device(s)");
    }

    [TestMethod]
    public void ANegativeGpuDeviceIdIsRejectedNamingTheOption()
    {
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => new TorchSharpBackend(new TorchSharpBackendOptions { GpuDeviceId = -1 }));
        Assert.AreEqual(nameof(TorchSharpBackendOptions.GpuDeviceId), error.ParamName);
    }
}
