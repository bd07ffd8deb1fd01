using System.Diagnostics;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>The trainer's seed comes from the MLContext behind ML.NET's catalog, and says so when it cannot.</summary>
[TestClass]
public sealed class ContextSeedTests
{
    [TestMethod]
    public void ACatalogWithoutAReadableContext_GivesSeedZero_AndAWarningThatSaysHowToSetTheSeed()
    {
        // Issue 19, Also: the seed was silently 0 when the MLContext could not be read.
        using var trace = new StringWriter();
        using var listener = new TextWriterTraceListener(trace);
        Trace.Listeners.Add(listener);
        try
        {
            var (seed, environment) = ContextSeed.FromCatalog(new object(), "NeuralNetworkTrainer");
            listener.Flush();

            Assert.AreEqual(0, seed);
            Assert.IsNull(environment);
            StringAssert.Contains(trace.ToString(), "NeuralNetworkTrainer: the MLContext behind Object could not be read");
            StringAssert.Contains(trace.ToString(), "Set the options' Seed");
        }
        finally
        {
            Trace.Listeners.Remove(listener);
        }
    }

    [TestMethod]
    public void MLNetsTrainerCatalog_GivesItsContextsSeedAndLog()
    {
        var one = ContextSeed.FromCatalog(new MLContext(seed: 5).MulticlassClassification.Trainers, "NeuralNetworkTrainer");
        var two = ContextSeed.FromCatalog(new MLContext(seed: 5).MulticlassClassification.Trainers, "NeuralNetworkTrainer");
        var other = ContextSeed.FromCatalog(new MLContext(seed: 6).MulticlassClassification.Trainers, "NeuralNetworkTrainer");

        Assert.IsNotNull(one.Environment, "found by reflection in this ML.NET");
        Assert.AreEqual(one.Seed, two.Seed, "the same context seed, the same stage seed");
        Assert.AreNotEqual(one.Seed, other.Seed);
    }
}
