using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Pruning;

/// <summary>
/// Inserts an auxiliary fully connected layer into the middle of a multilayer perceptron, giving connections that
/// pruning removed a new chance (seeds/002, section B, Figs. 2 and 3).
/// </summary>
/// <remarks>
/// With hidden Dense layers d_1..d_k (every Dense layer but the last), the new Dense layer and an activation of the
/// same kind as d_m's (ReLU when d_m has none), m = ⌈k/2⌉, go right after d_m's activation, so the layer links one half
/// of the network to the other. The Dense layer that followed gets a fresh weight of [outputs, units], initialized like
/// PyTorch's <c>nn.Linear</c> (uniform in ±1/√units) and without a mask; it keeps its bias. Every other layer keeps its
/// parameters and masks.
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
        var dense = new Dense(copy.Nodes[site.After].OutputShape[0], units, useBias: true, DenseName);
        dense.ResetParameters(random);
        var activation = site.Activation switch
        {
            Sigmoid => (Layer)new Sigmoid("auxiliary_sigmoid"),
            Tanh => new Tanh("auxiliary_tanh"),
            LeakyRelu leaky => new LeakyRelu(leaky.Alpha, "auxiliary_leakyrelu"),
            _ => new Relu("auxiliary_relu"),
        };

        var next = (Dense)copy.Nodes[site.NextDense].Layer;
        var weight = new Tensor(next.Outputs, units);
        Initializers.Uniform(weight.Span, 1f / MathF.Sqrt(units), random);
        next.Weight.Replace(weight);

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
