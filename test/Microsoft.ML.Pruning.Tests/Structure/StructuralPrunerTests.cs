using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>
/// The table-driven test over every structural pruner and coupling (<see cref="StructureCases"/>): sizes against
/// hand-computed numbers, outputs against the masked equivalent, training, and saving in both formats.
/// </summary>
[TestClass]
public sealed class StructuralPrunerTests
{
    private const double Tolerance = 1e-5;

    public static IEnumerable<object[]> Cases => StructureCases.Names;

    /// <summary>
    /// Removing units gives the hand-computed shapes, parameter count and multiply-adds, and the same outputs as the
    /// unpruned network whose readers of those units (next Dense or Conv2d inputs, Flatten blocks included) are zeroed.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Remove_EveryCoupling_MatchesSizesAndMaskedEquivalent(string name)
    {
        var c = StructureCases.Get(name);
        var network = c.Build();
        var reference = NetworkSerializer.Clone(network);
        Assert.AreEqual(c.ParametersBefore, network.ParameterCount, $"{name}: parameters before");
        Assert.AreEqual(c.MultiplyAddsBefore, network.MultiplyAdds, $"{name}: multiply-adds before");
        var shapesBefore = ShapesOf(network);

        var groups = PruningGroups.Find(network);
        CollectionAssert.AreEquivalent(c.Remove.Keys.ToArray(), groups.Select(g => g.Name).ToArray(), $"{name}: groups found");
        foreach (var group in groups)
        {
            PruningGroups.Remove(network, group, c.Remove[group.Name]);
        }

        foreach (var (key, shape) in ShapesOf(network))
        {
            var expected = c.Shapes.TryGetValue(key, out var changed) ? changed : shapesBefore[key];
            CollectionAssert.AreEqual(expected, shape, $"{name}: shape of {key} is {FloatTensor.FormatShape(shape)}");
        }

        Assert.AreEqual(c.ParametersAfter, network.ParameterCount, $"{name}: parameters after");
        Assert.AreEqual(c.MultiplyAddsAfter, network.MultiplyAdds, $"{name}: multiply-adds after");
        CollectionAssert.AreEqual(reference.OutputShape, network.OutputShape, $"{name}: the output shape stays");

        MaskReaders(reference, c);
        var input = StructureCases.Input(network);
        var expectedOutput = reference.Forward(input).Clone();
        TensorAssert.AreClose(expectedOutput, network.Forward(input), $"{name}: pruned vs masked output", Tolerance);
    }

    /// <summary>
    /// A pruned network trains: an Adam optimizer that already stepped on the unpruned network keeps going (the shrunk
    /// parameters restart their moments), the loss on a fixed batch falls, and the outputs stay finite.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Remove_ThenTrain_LossDecreases(string name)
    {
        var c = StructureCases.Get(name);
        var network = c.Build();
        var input = StructureCases.Input(network, seed: 12);
        var target = StructureCases.Batch(network.OutputShape, seed: 13);
        var adam = new AdamOptimizer(0.01f);
        Step(network, input, target, adam);

        foreach (var group in PruningGroups.Find(network))
        {
            PruningGroups.Remove(network, group, c.Remove[group.Name]);
        }

        float first = Step(network, input, target, adam);
        float last = first;
        for (int i = 0; i < 15; i++)
        {
            last = Step(network, input, target, adam);
        }

        Assert.IsTrue(float.IsFinite(last) && last < first, $"{name}: loss went from {first} to {last}.");
    }

    /// <summary>A pruned network saved in the native format and as ONNX loads back with the same outputs.</summary>
    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Remove_ThenSaveAndLoad_GivesSameOutputs(string name)
    {
        var c = StructureCases.Get(name);
        var network = c.Build();
        foreach (var group in PruningGroups.Find(network))
        {
            PruningGroups.Remove(network, group, c.Remove[group.Name]);
        }

        using var folder = new TempDirectory();
        var input = StructureCases.Input(network);
        var expected = network.Forward(input).Clone();
        NetworkSerializer.Save(network, folder.File("pruned.bin"));
        var native = NetworkSerializer.Load(folder.File("pruned.bin"));
        Assert.AreEqual(c.ParametersAfter, native.ParameterCount, $"{name}: native parameters");
        TensorAssert.AreClose(expected, native.Forward(input), $"{name}: native round trip", 0);

        OnnxModel.Save(network, folder.File("pruned.onnx"));
        var onnx = OnnxModel.Load(folder.File("pruned.onnx"));
        Assert.AreEqual(c.ParametersAfter, onnx.ParameterCount, $"{name}: ONNX parameters");
        TensorAssert.AreClose(expected, onnx.Forward(input), $"{name}: ONNX round trip", 1e-6);
    }

    // Zeroes, in the unpruned network, every input through which a removed unit reaches the rest of the network.
    private static void MaskReaders(Network reference, StructureCase c)
    {
        foreach (var (group, units) in c.Remove)
        {
            foreach (var (layerName, block) in c.Readers[group])
            {
                switch (reference[layerName].Layer)
                {
                    case Dense dense:
                        var w = dense.Weight.Value;
                        for (int row = 0; row < w.Dim(0); row++)
                        {
                            foreach (int unit in units)
                            {
                                for (int j = unit * block; j < (unit + 1) * block; j++)
                                {
                                    w[row, j] = 0;
                                }
                            }
                        }

                        break;
                    case Conv2d conv:
                        Assert.AreEqual(1, block, "A convolution reads whole channels.");
                        var k = conv.Weight.Value;
                        for (int f = 0; f < k.Dim(0); f++)
                        {
                            foreach (int unit in units)
                            {
                                k.Span.Slice(((f * k.Dim(1)) + unit) * k.Dim(2) * k.Dim(3), k.Dim(2) * k.Dim(3)).Clear();
                            }
                        }

                        break;
                    default:
                        Assert.Fail($"{c.Name}: reader '{layerName}' is not a Dense or Conv2d.");
                        break;
                }
            }
        }
    }

    private static Dictionary<string, int[]> ShapesOf(Network network) =>
        network.Nodes.SelectMany(n => n.Layer.Parameters.Concat(n.Layer.Buffers).Select(p => ($"{n.Layer.Name}.{p.Name}", (int[])p.Value.Shape.Clone())))
            .ToDictionary(p => p.Item1, p => p.Item2);

    // One training step on the mean squared error against a fixed target; returns the loss before the step.
    private static float Step(Network network, FloatTensor input, FloatTensor target, Optimizer optimizer)
    {
        var output = network.Forward(input, training: true);
        var gradient = new FloatTensor(output.Shape);
        double loss = 0;
        for (int i = 0; i < output.Length; i++)
        {
            float difference = output.Span[i] - target.Span[i];
            loss += difference * difference;
            gradient.Span[i] = 2 * difference / output.Length;
        }

        network.Backward(gradient);
        optimizer.Step(network.Parameters);
        return (float)(loss / output.Length);
    }
}
