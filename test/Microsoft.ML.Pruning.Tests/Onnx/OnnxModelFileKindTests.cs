using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Onnx.TestModels;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Issue 19 item 13: a model path that names a device (a link to /dev/zero) or a FIFO fails at once, naming the file,
/// through <see cref="OnnxModel.Load(string)"/>, <c>LoadOnnxModel</c>, external data and native .mlnp files, instead of
/// reading gigabytes or waiting forever for a writer. Each FIFO case runs under a guard that unblocks the reader and
/// fails the test when the load blocks.
/// </summary>
[TestClass]
public sealed class OnnxModelFileKindTests
{
    /// <summary>The most bytes a refused load may allocate: far below the 2 GiB that reading /dev/zero took.</summary>
    private const long MaximumAllocatedBytes = 64L << 20;

    private static readonly TimeSpan BlockedAfter = TimeSpan.FromSeconds(15);

    private TempDirectory _temp = null!;

    [TestInitialize]
    public void Initialize() => _temp = new TempDirectory();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    /// <summary>A .onnx link to /dev/zero fails naming the file, without reading it.</summary>
    [TestMethod]
    public void Load_OnnxLinkToDevZero_FailsNamingTheFileWithoutReadingIt()
    {
        string path = LinkToDevZero("model.onnx");

        var (error, allocated) = Measure(() => OnnxModel.Load(path));

        var import = AssertImportError(error, path);
        StringAssert.Contains(import.Reason, "not a regular file");
        Assert.IsTrue(allocated < MaximumAllocatedBytes, $"allocated {allocated:N0} bytes");
    }

    /// <summary>Through ML.NET's catalog, the same link fails the same way.</summary>
    [TestMethod]
    public void LoadOnnxModel_LinkToDevZero_FailsNamingTheFileWithoutReadingIt()
    {
        string path = LinkToDevZero("model.onnx");

        var (error, allocated) = Measure(() => new MLContext(seed: 1).Pruning().LoadOnnxModel(path));

        AssertImportError(error, path);
        Assert.IsTrue(allocated < MaximumAllocatedBytes, $"allocated {allocated:N0} bytes");
    }

    /// <summary>A FIFO given as an ONNX model fails instead of waiting for a writer.</summary>
    [TestMethod]
    public void Load_OnnxFifo_FailsInsteadOfBlocking()
    {
        string fifo = Fifo("model.onnx");

        AssertImportError(FailsWithoutBlocking(fifo, () => OnnxModel.Load(fifo)), fifo);
    }

    /// <summary>Through ML.NET's catalog, a FIFO fails instead of waiting for a writer.</summary>
    [TestMethod]
    public void LoadOnnxModel_Fifo_FailsInsteadOfBlocking()
    {
        string fifo = Fifo("model.onnx");

        AssertImportError(FailsWithoutBlocking(fifo, () => new MLContext(seed: 1).Pruning().LoadOnnxModel(fifo)), fifo);
    }

    /// <summary>A FIFO named as a tensor's external data file fails naming the tensor instead of blocking.</summary>
    [TestMethod]
    public void Load_ExternalDataInAFifo_FailsNamingTheTensorInsteadOfBlocking()
    {
        string fifo = Fifo("weights.bin");
        var weight = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        weight.Dims.AddRange([3, 2]);
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        string path = _temp.File("external.onnx");
        File.WriteAllBytes(path, Stream(TestModels.Model([3], [Node("MatMul", ["x", "w"], "y")], [weight])).ToArray());

        var error = AssertImportError(FailsWithoutBlocking(fifo, () => OnnxModel.Load(path)), path);

        StringAssert.Contains(error.Reason, "tensor 'w'");
        StringAssert.Contains(error.Reason, "not a regular file");
    }

    /// <summary>A native .mlnp link to /dev/zero fails naming the file, without reading it.</summary>
    [TestMethod]
    public void NetworkSerializerLoad_LinkToDevZero_FailsNamingTheFileWithoutReadingIt()
    {
        string path = LinkToDevZero("model.mlnp");

        var (error, allocated) = Measure(() => NetworkSerializer.Load(path));

        Assert.IsInstanceOfType<IOException>(error);
        StringAssert.Contains(error!.Message, path);
        Assert.IsTrue(allocated < MaximumAllocatedBytes, $"allocated {allocated:N0} bytes");
    }

    private static OnnxImportException AssertImportError(Exception? error, string path)
    {
        Assert.IsInstanceOfType<OnnxImportException>(error, $"got {error}");
        var import = (OnnxImportException)error!;
        Assert.AreEqual(path, import.SourceName);
        StringAssert.Contains(import.Message, path);
        return import;
    }

    /// <summary>Runs <paramref name="load"/>, returning what it threw and how many bytes it allocated.</summary>
    private static (Exception? Error, long Allocated) Measure(Action load)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = null;
        try
        {
            load();
        }
        catch (Exception ex)
        {
            error = ex;
        }

        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Runs <paramref name="load"/> on another thread; when it blocks, opens the FIFO as a writer so that it ends, and fails.</summary>
    private static Exception? FailsWithoutBlocking(string fifo, Action load)
    {
        var task = Task.Run(() => Measure(load).Error);
        if (!task.Wait(BlockedAfter))
        {
            // Opening a FIFO for reading and writing never blocks on Linux; closing it gives the blocked reader end of file.
            using (new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite))
            {
            }

            task.Wait(BlockedAfter);
            Assert.Fail($"loading the FIFO {fifo} blocked for {BlockedAfter.TotalSeconds} s waiting for a writer.");
        }

        return task.Result;
    }

    private string LinkToDevZero(string name)
    {
        string path = _temp.File(name);
        File.CreateSymbolicLink(path, "/dev/zero");
        return path;
    }

    private string Fifo(string name)
    {
        string path = _temp.File(name);
        FileSystemFixtures.MakeFifo(path);
        return path;
    }
}
