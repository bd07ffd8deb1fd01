using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Tensors;

[TestClass]
public sealed class TensorTests
{
    [TestMethod]
    public void Indexer_RowMajorLayout_MatchesHandComputedOffsets()
    {
        var t = FloatTensor.FromValues([0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 2, 3, 2);
        Assert.AreEqual(9f, t[1, 1, 1]);
        Assert.AreEqual(4f, t[0, 2, 0]);
        Assert.ThrowsException<IndexOutOfRangeException>(() => t[0, 3, 0]);
    }

    [TestMethod]
    public void Resize_ToSmallerShape_KeepsBackingArray()
    {
        var t = new FloatTensor(4, 5);
        var data = t.Data;
        t.Resize(2, 5);
        Assert.AreSame(data, t.Data);
        Assert.AreEqual(10, t.Length);
        t.Resize(5, 5);
        Assert.AreEqual(25, t.Length);
    }

    [TestMethod]
    public void Reshape_InfersOneDimensionAndSharesData()
    {
        var t = new FloatTensor(2, 3, 4);
        var view = t.Reshape(2, -1);
        CollectionAssert.AreEqual(new[] { 2, 12 }, view.Shape);
        view.Span[5] = 3f;
        Assert.AreEqual(3f, t.Span[5]);
        Assert.ThrowsException<ArgumentException>(() => t.Reshape(5, -1));
    }

    [TestMethod]
    public void Constructor_NegativeDimension_Throws() =>
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => new FloatTensor(2, -1));

    [TestMethod]
    public void WorkerPool_ManyQuickCallsWithBusyCores_RunEveryPartExactlyOnce()
    {
        int saved = ComputeSettings.DegreeOfParallelism;
        using var stop = new CancellationTokenSource();
        var hog = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Thread.SpinWait(100);
            }
        });
        try
        {
            ComputeSettings.DegreeOfParallelism = 3;
            hog.Start();
            var hits = new int[3];
            for (int call = 0; call < 5000; call++)
            {
                WorkerPool.Run(3, part => Interlocked.Increment(ref hits[part]));
                CollectionAssert.AreEqual(new[] { call + 1, call + 1, call + 1 }, hits, $"call {call}");
            }
        }
        finally
        {
            stop.Cancel();
            hog.Join();
            ComputeSettings.DegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void WorkerPool_RunsEveryPartOnceAndPropagatesFailures()
    {
        int saved = ComputeSettings.DegreeOfParallelism;
        try
        {
            ComputeSettings.DegreeOfParallelism = 2;
            var hits = new int[4];
            WorkerPool.Run(4, part => Interlocked.Increment(ref hits[part]));
            CollectionAssert.AreEqual(new[] { 1, 1, 1, 1 }, hits);
            var error = Assert.ThrowsException<InvalidOperationException>(() => WorkerPool.Run(2, part =>
            {
                if (part == 1)
                {
                    throw new InvalidOperationException("part 1 failed");
                }
            }));
            Assert.AreEqual("part 1 failed", error.Message);
            WorkerPool.Run(2, _ => Assert.AreEqual(1, WorkerPool.Parts, "nested kernels run inline"));
        }
        finally
        {
            ComputeSettings.DegreeOfParallelism = saved;
        }
    }
}
