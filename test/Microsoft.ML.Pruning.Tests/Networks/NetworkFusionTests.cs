using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>
/// Inference fusion (a convolution's BatchNorm and ReLU/clip applied in its epilogue, other activations in place)
/// against the same network run layer by layer: same outputs at every activation node, same final output; training
/// passes untouched; a convolution with two consumers keeps its own output.
/// </summary>
[TestClass]
public sealed class NetworkFusionTests
{
    // Batch 5 on 9x9 (blocks of samples); batch 1 on 17x17 (depthwise by rows), on 4x4 (few-columns products, depthwise
    // channel-last) and on 2x2 (dot products, epilogues on planes shorter than a vector).
    [TestMethod]
    [DataRow(5, 9)]
    [DataRow(1, 17)]
    [DataRow(1, 4)]
    [DataRow(1, 2)]
    public void InferencePass_WithFusion_MatchesTheLayerByLayerPass_AtEveryActivation(int batch, int size)
    {
        var network = Build(size);
        var input = Random(new Random(3), batch, 3, size, size);
        network.FusionDisabled = true;
        network.Forward(input);
        var expected = network.Nodes.Select(n => network.OutputOf(n.Index)!.Clone()).ToArray();
        network.FusionDisabled = false;
        foreach (var kernel in new[] { GemmKernel.Vector512, GemmKernel.Avx2, GemmKernel.Portable })
        {
            Gemm.KernelOverride = kernel;
            try
            {
                var output = network.Forward(input);
                TensorAssert.AreClose(expected[^1], output, $"network output ({kernel})", 1e-5);
                foreach (var node in network.Nodes.Where(n => n.Layer is ActivationLayer || n.Index == network.Nodes.Count - 1))
                {
                    TensorAssert.AreClose(expected[node.Index], network.OutputOf(node.Index), $"output of {node.Layer.Name} ({kernel})", 1e-5);
                }

                // The convolution with two consumers is not fused: its output is its own.
                TensorAssert.AreClose(expected[Index(network, "shared")], network.OutputOf(Index(network, "shared")), $"shared convolution ({kernel})", 1e-6);
            }
            finally
            {
                Gemm.KernelOverride = null;
            }
        }
    }

    [TestMethod]
    public void TrainingPass_AfterAFusedInferencePass_KeepsEveryNodesOwnOutput()
    {
        var network = Build(9);
        var input = Random(new Random(4), 2, 3, 9, 9);
        network.Forward(input);
        network.Forward(input, training: true);
        var conv = network.OutputOf(Index(network, "conv-a"))!;
        Assert.IsTrue(conv.Span.ToArray().Any(v => v < 0), "the training pass's convolution output is its own, not the activated one.");
        var gradient = new FloatTensor(network.OutputOf(network.Nodes.Count - 1)!.Shape);
        gradient.Fill(1e-2f);
        network.Backward(gradient);
    }

    // conv-a → bn → relu6 (epilogue), depthwise → bn → relu6 (epilogue), conv-b → hardswish (in place), shared conv
    // feeding relu and an add (not fused), add → relu (in place), global pooling, dense → relu (in place), dense.
    private static Network Build(int size)
    {
        var random = new Random(7);
        var network = new Network(3, size, size);
        int a = network.Add(new Conv2d(3, 8, 3, padding: 1, name: "conv-a"));
        var norm = new BatchNorm(8, name: "bn");
        int bn = network.Add(norm);
        int relu6 = network.Add(new Clip(0, 6, "relu6"));
        network.Add(new Conv2d(8, 8, 3, padding: 1, groups: 8, name: "depthwise"), relu6);
        var depthwiseNorm = new BatchNorm(8, name: "bn-depthwise");
        network.Add(depthwiseNorm);
        int clip = network.Add(new Clip(0, 6, "relu6-depthwise"));
        int b = network.Add(new Conv2d(8, 8, 3, padding: 1, groups: 8, name: "conv-b"), clip);
        int swish = network.Add(new HardSwish("swish"), b);
        int shared = network.Add(new Conv2d(8, 8, 1, name: "shared"), swish);
        int relu = network.Add(new Relu("relu"), shared);
        int add = network.Add(new Add("add"), relu, shared);
        int after = network.Add(new Relu("relu-after-add"), add);
        network.Add(new GlobalAvgPool("pool"), after);
        network.Add(new Flatten("flatten"));
        network.Add(new Dense(8, 6, name: "dense"));
        network.Add(new Relu("relu-dense"));
        network.Add(new Dense(6, 4, name: "logits"));
        foreach (var node in network.Nodes)
        {
            node.Layer.ResetParameters(random);
        }

        foreach (var batchNorm in new[] { norm, depthwiseNorm })
        {
            for (int c = 0; c < 8; c++)
            {
                batchNorm.RunningMean.Value.Span[c] = (random.NextSingle() * 2) - 1;
                batchNorm.RunningVariance.Value.Span[c] = 0.5f + random.NextSingle();
                batchNorm.Scale.Value.Span[c] = 0.5f + random.NextSingle();
                batchNorm.Shift.Value.Span[c] = random.NextSingle() - 0.5f;
            }
        }

        return network;
    }

    private static int Index(Network network, string name) => network.Nodes.Single(n => n.Layer.Name == name).Index;

    private static FloatTensor Random(Random random, params int[] shape)
    {
        var t = new FloatTensor(shape);
        foreach (ref float v in t.Span)
        {
            v = (random.NextSingle() * 4) - 2;
        }

        return t;
    }
}
