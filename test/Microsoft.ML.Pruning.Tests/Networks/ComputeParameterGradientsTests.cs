using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>
/// The internal switch that gradient-based pruning criteria use to skip parameter gradients: the backward pass must
/// give the same gradients with respect to every node's output as a full one, and must leave the parameters'
/// gradients untouched.
/// </summary>
[TestClass]
public sealed class ComputeParameterGradientsTests
{
    private const float Sentinel = 7.25f;

    private static Network Cnn() =>
        new NetworkBuilder(2, 8, 8)
            .Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2)
            .Conv2d(5, 3).Relu()
            .Flatten().Dense(6).Relu().Dense(3).Build(seed: 4);

    private static FloatTensor Input(int batch)
    {
        var random = new Random(11);
        var input = new FloatTensor(batch, 2, 8, 8);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return input;
    }

    private static FloatTensor OutputGradient(int batch)
    {
        var gradient = new FloatTensor(batch, 3);
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient.Span[i] = ((i % 5) - 2) * 0.1f;
        }

        return gradient;
    }

    private static void SetSwitch(Network network, bool on)
    {
        foreach (var node in network.Nodes)
        {
            node.Layer.ComputeParameterGradients = on;
        }
    }

    private static FloatTensor?[] NodeGradients(Network network) =>
        network.Nodes.Select(n => network.GradientOf(n.Index)?.Clone()).ToArray();

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Backward_WithoutParameterGradients_GivesTheSameNodeGradientsAndLeavesParameterGradients(int threads)
    {
        int saved = ComputeSettings.DegreeOfParallelism;
        try
        {
            ComputeSettings.DegreeOfParallelism = threads;
            var network = Cnn();
            var input = Input(6);
            var outputGradient = OutputGradient(6);

            // A mask whose zero entry a full backward pass clears in the gradient.
            var dense = (Dense)network.Nodes.First(n => n.Layer is Dense).Layer;
            var mask = new FloatTensor(dense.Weight.Value.Shape);
            mask.Fill(1);
            mask.Span[0] = 0;
            dense.Weight.Mask = mask;

            // The reference: a full backward pass.
            network.Forward(input, training: true);
            network.Backward(outputGradient);
            var expected = NodeGradients(network);
            var fullParameterGradients = network.Parameters.Select(p => p.Gradient.Clone()).ToArray();

            // Sentinel gradients; a full backward pass would clear the masked entry.
            foreach (var parameter in network.Parameters)
            {
                parameter.Gradient.Fill(Sentinel);
            }

            SetSwitch(network, on: false);
            network.Forward(input, training: true);
            network.Backward(outputGradient);
            var actual = NodeGradients(network);

            // The first convolution takes the network's input: with neither gradient to compute it gives nothing back.
            for (int i = 1; i < expected.Length; i++)
            {
                Assert.IsNotNull(actual[i], $"gradient of node {network.Nodes[i].Layer.Name}");
                TensorAssert.AreClose(expected[i]!, actual[i]!, $"gradient of node {network.Nodes[i].Layer.Name}", 0);
            }

            foreach (var parameter in network.Parameters)
            {
                Assert.IsTrue(parameter.Gradient.Span.ToArray().All(v => v == Sentinel), $"{parameter.Name}: its gradient was written.");
            }

            // Switched back on, a training pass computes the parameter gradients again (the convolutions keep columns again).
            SetSwitch(network, on: true);
            network.Forward(input, training: true);
            network.Backward(outputGradient);
            var parameters = network.Parameters.ToArray();
            for (int p = 0; p < parameters.Length; p++)
            {
                TensorAssert.AreClose(fullParameterGradients[p], parameters[p].Gradient, $"{parameters[p].Name} gradient after switching back", 0);
            }
        }
        finally
        {
            ComputeSettings.DegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void Conv2dBackward_SwitchTurnedOnAfterTheForwardPass_ThrowsNamingTheLayer()
    {
        var conv = new Conv2d(1, 2, 3, name: "conv-a") { ComputeParameterGradients = false };
        conv.ResetParameters(new Random(1));
        var input = new FloatTensor(1, 1, 5, 5);
        input.Fill(1);
        conv.Forward(input, training: true);
        conv.ComputeParameterGradients = true;
        var gradient = new FloatTensor(1, 2, 3, 3);
        var error = Assert.ThrowsException<InvalidOperationException>(() => conv.Backward(gradient));
        StringAssert.Contains(error.Message, "conv-a");
    }

    [TestMethod]
    public void DenseBackward_WithoutParameterGradients_ReturnsTheInputGradientOnly()
    {
        // y = W·x + b with W = [[1, 2], [3, 4]]: dx = Wᵀ·dy.
        var dense = new Dense(2, 2) { ComputeParameterGradients = false };
        float[] weight = [1, 2, 3, 4];
        weight.CopyTo(dense.Weight.Value.Span);
        dense.Weight.Gradient.Fill(Sentinel);
        dense.Bias!.Gradient.Fill(Sentinel);
        dense.Forward(FloatTensor.FromValues([1, -1], 1, 2), training: true);
        var dx = dense.Backward(FloatTensor.FromValues([0.5f, -2], 1, 2))[0]!;
        CollectionAssert.AreEqual(new[] { (0.5f * 1) + (-2f * 3), (0.5f * 2) + (-2f * 4) }, dx.Span.ToArray());
        Assert.IsTrue(dense.Weight.Gradient.Span.ToArray().All(v => v == Sentinel), "weight gradient written");
        Assert.IsTrue(dense.Bias.Gradient.Span.ToArray().All(v => v == Sentinel), "bias gradient written");
    }
}
