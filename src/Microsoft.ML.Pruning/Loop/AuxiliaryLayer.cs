using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>
/// Inserts an auxiliary fully connected layer into the middle of a multilayer perceptron, giving connections that
/// pruning removed a new chance (seeds/002, section B, Figs. 2 and 3).
/// </summary>
/// <remarks>
/// <para>
/// With hidden Dense layers d_1..d_k (every Dense layer but the last), the new Dense layer and an activation of the
/// same kind as d_m's (ReLU when d_m has none), m = ⌈k/2⌉, go right after d_m's activation, so the layer links one half
/// of the network to the other.
/// </para>
/// <para>
/// The network starts from what it computed. seeds/002 says where the layer goes and that it gives removed connections
/// a new chance, not how it starts; starting it at random (as this class once did, replacing the next Dense layer's
/// weights) throws away what the pruned network had learnt, so that retraining starts far from the budget. Here, with
/// w the width of d_m's output and u the new layer's units: the first min(u, w) units copy one input each (weight 1,
/// bias 0), and the next Dense layer keeps its weights (and mask) for the inputs they copy. When u ≥ w every input is
/// copied; the other u − w units start like PyTorch's <c>nn.Linear</c> (uniform in ±1/√w) and the next layer gives them
/// weight 0, so they change nothing until training moves them, and can learn. When u &lt; w the u inputs with the
/// largest next-layer weight columns (L2 norm) are copied and the others dropped: the network then computes nearly,
/// not exactly, what it did. The copy is exact after a ReLU (its outputs are non-negative, which the new ReLU passes
/// unchanged); after a Sigmoid, Tanh or LeakyReLU the new activation bends the copy. Every other layer keeps its
/// parameters and masks.
/// </para>
/// </remarks>
internal static class AuxiliaryLayer
{
    /// <summary>The name of the inserted Dense layer.</summary>
    public const string DenseName = "auxiliary_dense";

    /// <summary>Inserts the layer into a copy of <paramref name="network"/>.</summary>
    /// <param name="network">The network; it is not modified.</param>
    /// <param name="units">The new layer's width, at least 1.</param>
    /// <param name="seed">The seed of the new weights.</param>
    /// <returns>A new network that shares nothing with <paramref name="network"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The network is not a sequential MLP with a hidden Dense layer; the message lists its layers.</exception>
    public static Network Insert(Network network, int units, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (units < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "The auxiliary layer needs at least 1 unit.");
        }

        var site = FindSite(network);
        var copy = NetworkSerializer.Clone(network);
        var random = new Random(seed);
        int width = copy.Nodes[site.After].OutputShape[0];
        var next = (Dense)copy.Nodes[site.NextDense].Layer;
        var copied = CopiedInputs(next, width, units);
        var dense = new Dense(width, units, useBias: true, DenseName);
        dense.ResetParameters(random);
        StartAsCopy(dense, next, copied);
        var activation = site.Activation switch
        {
            Sigmoid => (Layer)new Sigmoid("auxiliary_sigmoid"),
            Tanh => new Tanh("auxiliary_tanh"),
            LeakyRelu leaky => new LeakyRelu(leaky.Alpha, "auxiliary_leakyrelu"),
            _ => new Relu("auxiliary_relu"),
        };
        var result = new Network(copy.InputShape);
        foreach (var node in copy.Nodes)
        {
            result.Add(node.Layer);
            if (node.Index == site.After)
            {
                result.Add(dense);
                result.Add(activation);
            }
        }

        return result;
    }

    /// <summary>The inputs the new units copy: all of them in order when there are enough units, else those the next layer weighs most.</summary>
    private static int[] CopiedInputs(Dense next, int width, int units)
    {
        if (units >= width)
        {
            return Enumerable.Range(0, width).ToArray();
        }

        var weight = next.Weight.Value.Span;
        var norms = new double[width];
        for (int o = 0; o < next.Outputs; o++)
        {
            for (int i = 0; i < width; i++)
            {
                double w = weight[(o * width) + i];
                norms[i] += w * w;
            }
        }

        return Enumerable.Range(0, width).OrderByDescending(i => norms[i]).ThenBy(i => i).Take(units).Order().ToArray();
    }

    /// <summary>
    /// Makes unit k of <paramref name="dense"/> copy input <paramref name="copied"/>[k], and gives <paramref name="next"/>
    /// a weight of [outputs, units] that reads unit k as it read that input (mask included) and the other units with 0.
    /// </summary>
    private static void StartAsCopy(Dense dense, Dense next, int[] copied)
    {
        int width = dense.Inputs, units = dense.Outputs, outputs = next.Outputs;
        var auxiliary = dense.Weight.Value.Span;
        for (int k = 0; k < copied.Length; k++)
        {
            auxiliary.Slice(k * width, width).Clear();
            auxiliary[(k * width) + copied[k]] = 1;
            dense.Bias!.Value.Span[k] = 0;
        }

        var old = next.Weight.Value.Span;
        var oldMask = next.Weight.Mask;
        var weight = new FloatTensor(outputs, units);
        var mask = oldMask is null ? null : new FloatTensor(outputs, units);
        mask?.Fill(1);
        for (int o = 0; o < outputs; o++)
        {
            for (int k = 0; k < copied.Length; k++)
            {
                weight.Span[(o * units) + k] = old[(o * width) + copied[k]];
                if (mask is not null)
                {
                    mask.Span[(o * units) + k] = oldMask!.Span[(o * width) + copied[k]];
                }
            }
        }

        next.Weight.Replace(weight);
        next.Weight.Mask = mask;
    }

    /// <summary>Checks that a layer can be inserted into <paramref name="network"/>, without changing it.</summary>
    /// <param name="network">The network.</param>
    /// <exception cref="InvalidOperationException">It cannot; the message says why and lists the layers.</exception>
    public static void EnsureSupported(Network network) => FindSite(network);

    private static Site FindSite(Network network)
    {
        var nodes = network.Nodes;
        foreach (var node in nodes)
        {
            if (node.Inputs.Count != 1 || node.Inputs[0] != node.Index - 1)
            {
                throw Unsupported(network, $"it needs a sequential network, but layer '{node.Layer.Name}' ({node.Layer.GetType().Name}) is fed by node(s) [{string.Join(", ", node.Inputs)}]");
            }
        }

        var denseNodes = nodes.Where(n => n.Layer is Dense).Select(n => n.Index).ToArray();
        int hidden = denseNodes.Length - 1;
        if (hidden < 1)
        {
            throw Unsupported(network, "it needs at least one hidden Dense layer (a Dense layer followed by another Dense layer)");
        }

        int middle = denseNodes[((hidden + 1) / 2) - 1];
        int after = middle, index = middle + 1;
        Layer? activation = null;
        // A hidden Dense layer has a Dense layer after it, and Dense is not element-wise, so the scan stops in range.
        for (; IsElementWise(nodes[index].Layer); index++)
        {
            if (activation is null && nodes[index].Layer is ActivationLayer and not Softmax)
            {
                activation = nodes[index].Layer;
                after = index;
            }
        }

        if (nodes[index].Layer is not Dense)
        {
            var between = nodes[index].Layer;
            throw Unsupported(network, $"only BatchNorm, activations and Dropout may lie between the middle hidden Dense layer '{nodes[middle].Layer.Name}' and the next Dense layer, but '{between.Name}' ({between.GetType().Name}) does");
        }

        return new Site(activation is null ? index - 1 : after, index, activation);
    }

    private static bool IsElementWise(Layer layer) => layer is BatchNorm or Dropout or (ActivationLayer and not Softmax);

    private static InvalidOperationException Unsupported(Network network, string reason) =>
        new($"Cannot insert an auxiliary layer: {reason}. The network's layers: {string.Join(", ", network.Nodes.Select(n => $"{n.Layer.Name} ({n.Layer.GetType().Name})"))}.");

    private readonly record struct Site(int After, int NextDense, Layer? Activation);
}
