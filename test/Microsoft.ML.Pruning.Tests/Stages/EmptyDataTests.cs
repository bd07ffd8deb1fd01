using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Empty training data are called empty, whatever else about them does not fit.</summary>
[TestClass]
public sealed class EmptyDataTests
{
    [TestMethod]
    public void APipelineFittedOnNoRows_SaysTheDataAreEmpty()
    {
        // Issue 19 item 20: MapValueToKey fitted on no rows makes a key of one class, and the trainer said "Column 'Label'
        // is a key of 1 classes but the model scores 3".
        var ml = new MLContext(seed: 3);
        var pipeline = PipelineFixture.Featurize(ml).Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), epochs: 1));

        var error = Assert.ThrowsExactly<ArgumentException>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(Array.Empty<WaveformRow>())));

        StringAssert.StartsWith(error.Message, "The data are empty (no rows)");
    }
}
