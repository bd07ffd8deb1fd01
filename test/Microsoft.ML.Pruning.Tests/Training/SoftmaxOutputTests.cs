using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

/// <summary>
/// A network that ends in a Softmax is trained, evaluated and Taylor-scored on its logits: exactly as its twin without
/// the Softmax, which the softmax cross-entropy reads directly (issue 13, item 2).
/// </summary>
[TestClass]
public sealed class SoftmaxOutputTests
{
    private static Network Logits() => new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 2);

    /// <summary>The same layers (cloned, so the same weights) followed by a Softmax.</summary>
    private static Network WithSoftmax(Network logits)
    {
        var network = new Network(21);
        foreach (var node in NetworkSerializer.Clone(logits).Nodes)
        {
            network.Add(node.Layer);
        }

        network.Add(new Softmax("softmax"));
        return network;
    }

    private static float[] Weights(Network network) => network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    [TestMethod]
    public void OutputIsProbability_IsTrueOnlyWhenTheLastLayerIsASoftmax()
    {
        var logits = Logits();
        Assert.IsFalse(logits.OutputIsProbability);
        Assert.IsTrue(WithSoftmax(logits).OutputIsProbability);
    }

    [TestMethod]
    public void Fit_NetworkEndingInSoftmax_TrainsBitForBitLikeItsLogitTwin()
    {
        // Before: the loss applied a second softmax to the probabilities, its gradient was squashed, and the weights differed.
        var train = WaveformGenerator.Generate(300, seed: 11);
        var validation = WaveformGenerator.Generate(100, seed: 12);
        var logits = Logits();
        var probabilities = WithSoftmax(logits);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 25, Seed = 3 };

        var twin = new Trainer(options).Fit(logits, train, validation);
        var result = new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 25, Seed = 3 }).Fit(probabilities, train, validation);

        CollectionAssert.AreEqual(Weights(logits), Weights(probabilities));
        Assert.AreEqual(twin.History[^1].TrainingLoss, result.History[^1].TrainingLoss);
        Assert.AreEqual(twin.History[^1].ValidationLoss, result.History[^1].ValidationLoss);
    }

    [TestMethod]
    public void Evaluate_NetworkEndingInSoftmax_ReportsTheCrossEntropyOfItsOwnProbabilities()
    {
        var data = WaveformGenerator.Generate(200, seed: 5);
        var logits = Logits();
        var probabilities = WithSoftmax(logits);
        var expected = Evaluator.Evaluate(logits, data);
        var actual = Evaluator.Evaluate(probabilities, data);
        Assert.AreEqual(expected.Loss, actual.Loss, "before: the cross-entropy of softmax(p), 1.17 here against 1.35");
        Assert.AreEqual(expected.Accuracy, actual.Accuracy);

        // Independent check: the mean of −ln p(label) from the network's own output.
        var features = new Microsoft.ML.Pruning.Tensors.FloatTensor([data.Count, 21]);
        var labels = new int[data.Count];
        data.CopyBatch(Enumerable.Range(0, data.Count).ToArray(), features, labels);
        var output = probabilities.Forward(features).Span.ToArray();
        double nll = Enumerable.Range(0, data.Count).Average(n => -Math.Log(output[(n * 3) + labels[n]]));
        Assert.AreEqual(nll, actual.Loss, 1e-4);
    }

    [TestMethod]
    public void TaylorScore_NetworkEndingInSoftmax_EqualsTheScoresOfItsLogitTwin()
    {
        var data = WaveformGenerator.Generate(120, seed: 7);
        var logits = Logits();
        var probabilities = WithSoftmax(logits);
        var expected = new TaylorImportance().Score(logits, PruningGroups.Find(logits), data);
        var actual = new TaylorImportance().Score(probabilities, PruningGroups.Find(probabilities), data);
        CollectionAssert.AreEqual(expected[0], actual[0], "before: 3 to 10 times smaller, in a different order");
    }
}
