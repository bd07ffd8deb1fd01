using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

/// <summary>The working set of a batch is bounded: a smaller batch that fits, said so, or a refusal naming the node (issue 19, item 12).</summary>
[TestClass]
public sealed class BatchMemoryTests
{
    /// <summary>The fault-injection model: a 1-to-1 convolution with kernel 1 and padding 2000 on a 28x28 image, then pooling and a classifier.</summary>
    private static Network PaddedConvolution(int padding) => new NetworkBuilder(1, 28, 28)
        .Conv2d(1, 1, padding: padding).GlobalAvgPool().Flatten().Dense(10).Build(seed: 1);

    [TestMethod]
    public void Choose_HugePerSampleActivations_GivesABatchThatFitsTheBudgetAndSaysWhy()
    {
        // Before: the trainer asked for [128, 1, 4028, 4028] and the evaluator for [1024, ...]: more than 10 GB, or
        // "Shape [1024, 1, 4028, 4028] has more than 2147483647 elements".
        var network = PaddedConvolution(2000);
        var training = BatchMemory.Choose(network, 128, 60000, training: true);
        var inference = BatchMemory.Choose(network, 1024, 60000, training: false);
        long perSample = 4028L * 4028 * sizeof(float);

        Assert.IsTrue(training.BatchSize is >= 1 and < 128, $"training batch {training.BatchSize}");
        Assert.IsTrue(training.BatchSize * perSample * 4 <= BatchMemory.DefaultBudget, "conv output, its gradient and cache, and the kept columns fit");
        Assert.IsTrue(inference.BatchSize is > 1 and < 1024 && inference.BatchSize * perSample <= BatchMemory.InferenceBudget, $"inference batch {inference.BatchSize} within the 256 MiB an inference pass may take");
        Assert.IsTrue((long)inference.BatchSize * 4028 * 4028 <= int.MaxValue, "every tensor fits a .NET array");
        StringAssert.Contains(training.Reason, $"batch size {training.BatchSize} instead of 128");
        StringAssert.Contains(training.Reason, "'conv1'");
        StringAssert.Contains(training.Reason, "[1, 4028, 4028]");
    }

    [TestMethod]
    public void Choose_OneSampleLargerThanTheBudget_IsRefusedNamingTheNodeAndTheBytes()
    {
        var network = PaddedConvolution(12000);
        var e = Assert.ThrowsException<ArgumentException>(() => BatchMemory.Choose(network, 32, null, training: false));
        Assert.AreEqual("network", e.ParamName);
        StringAssert.Contains(e.Message, "node 'conv1'");
        StringAssert.Contains(e.Message, "[1, 24028, 24028]");
        StringAssert.Contains(e.Message, "256.0 MiB");
    }

    [TestMethod]
    public void Choose_OrdinaryNetworks_KeepTheBatchAskedFor()
    {
        var mlp = new NetworkBuilder(784).Dense(550).Relu().Dense(375).Relu().Dense(10).Build(seed: 1);
        var cnn = new NetworkBuilder(3, 64, 64).Conv2d(64, 7, stride: 2, padding: 3).Relu().MaxPool2d(3, 2, 1)
            .Conv2d(64, 3, padding: 1).Relu().Conv2d(128, 3, stride: 2, padding: 1).Relu().GlobalAvgPool().Flatten().Dense(10).Build(seed: 1);
        Assert.AreEqual((128, (string?)null), BatchMemory.Choose(mlp, 128, 60000, training: true));
        Assert.AreEqual((32, (string?)null), BatchMemory.Choose(cnn, 32, 60000, training: true));
        Assert.AreEqual((10, (string?)null), BatchMemory.Choose(cnn, 32, 10, training: true), "no larger than the data");
        Assert.AreEqual((1024, (string?)null), BatchMemory.Choose(mlp, 1024, 60000, training: false), "an MLP evaluates 1,024 rows at once");
    }

    [TestMethod]
    public void Choose_AnEvaluationOfLargeImages_StaysWithinTheInferenceBudget()
    {
        // Issue 20: a 1,024-row evaluation batch of 3x224x224 images held about 1.7 GB beside the training batch.
        var cnn = new NetworkBuilder(3, 224, 224).Conv2d(64, 7, stride: 2, padding: 3).Relu().MaxPool2d(3, 2, 1)
            .Conv2d(64, 3, padding: 1).Relu().GlobalAvgPool().Flatten().Dense(10).Build(seed: 1);
        var (batch, reason) = BatchMemory.Choose(cnn, 1024, 20000, training: false);
        long perSample = BatchMemory.Estimate(cnn, training: false).Bytes;

        Assert.IsTrue(batch * perSample <= BatchMemory.InferenceBudget && (batch + 1) * perSample > BatchMemory.InferenceBudget, $"batch {batch} of {perSample:N0} bytes a sample");
        StringAssert.Contains(reason, "256.0 MiB budget");
    }

    [TestMethod]
    public void Fit_ABatchOverTheBudget_TrainsWithTheLargestThatFitsAndReportsIt()
    {
        var network = new NetworkBuilder(21).Dense(1000).Relu().Dense(3).Build(seed: 1);
        var options = new TrainerOptions { Epochs = 1, BatchSize = 100, BatchMemoryLimit = 1 << 20 };
        var notes = new List<string>();
        var result = new Trainer(options).Fit(network, WaveformGenerator.Generate(100, seed: 1), progress: new TrainerReuseAndLimitsTests.Recorder<TrainingProgress>(p =>
        {
            if (p.Note is { } note)
            {
                notes.Add(note);
            }
        }));

        // A sample: 21 inputs, and 1000 + 1000 + 3 outputs three times over (output, gradient, cache): 6,030 floats,
        // 24,120 bytes; 1 MiB holds 43 of them.
        Assert.AreEqual(43, result.BatchSize);
        Assert.AreEqual(1, notes.Count);
        StringAssert.Contains(notes[0], "batch size 43 instead of 100");
    }
}
