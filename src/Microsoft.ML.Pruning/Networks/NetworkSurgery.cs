using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Changes to a trained network's structure for transfer learning: another input size, a cut at a feature output, a
/// new classifier head, and the removal of layers in front. Each returns a new network and leaves its argument alone.
/// </summary>
internal static class NetworkSurgery
{
    /// <summary>The prefix of the layers <see cref="AppendHead"/> adds.</summary>
    public const string HeadPrefix = "head_";

    /// <summary>
    /// Returns a copy of <paramref name="network"/> that takes images of another size. Convolutions, BatchNorm,
    /// activations and pooling windows work at any size; an average pooling whose window covered its whole input,
    /// without padding (a CNTK or Caffe export's global pooling, such as ResNet18's 7x7 AveragePool), becomes a
    /// <see cref="GlobalAvgPool"/> of the same name, which computes the same at the original size.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="inputShape">The new per-sample input shape [channels, height, width], with the network's channels.</param>
    /// <returns>The network for the new size (a clone even when the size is the same).</returns>
    /// <exception cref="ArgumentException">The network does not take images, the channels differ, or a layer does not work at the new size (the message names the layer and both sizes).</exception>
    public static Network WithInputShape(Network network, int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputShape);
        var shape = network.InputShape;
        if (shape.Length != 3 || inputShape.Length != 3 || inputShape[0] != shape[0] || inputShape.Any(d => d < 1))
        {
            throw new ArgumentException($"The network takes {FloatTensor.FormatShape(shape)}; it can be given images [channels, height, width] of another height and width, with its {(shape.Length == 3 ? shape[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")} channels, not {FloatTensor.FormatShape(inputShape)}.", nameof(inputShape));
        }

        var copy = NetworkSerializer.Clone(network);
        if (shape.SequenceEqual(inputShape))
        {
            return copy;
        }

        var result = new Network(inputShape);
        foreach (var node in copy.Nodes)
        {
            var layer = node.Layer;
            var inputShapes = copy.InputShapes(node);
            if (layer is AvgPool2d pool && inputShapes[0] is [_, int h, int w] && pool.Kernel == (h, w) && pool.Padding == (0, 0, 0, 0))
            {
                layer = new GlobalAvgPool(pool.Name);
            }

            try
            {
                result.Add(layer, [.. node.Inputs]);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The network does not work on images of {FloatTensor.FormatShape(inputShape)} (it was made for {FloatTensor.FormatShape(shape)}): at layer '{node.Layer.Name}', {ex.Message}", nameof(inputShape), ex);
            }
        }

        return result;
    }

    /// <summary>Finds the node a new head reads: the named layer, else the last pooling layer, else the input of the last Dense layer.</summary>
    /// <param name="network">The network.</param>
    /// <param name="cutAt">The layer name, or <see langword="null"/> for the last feature output.</param>
    /// <param name="option">The option that named the layer, for the messages.</param>
    /// <returns>The node's index (<see cref="NetworkNode.NetworkInput"/> when the head reads the network's input).</returns>
    /// <exception cref="ArgumentException">The layer does not exist, or its output is not a feature vector or map (the message names it, its shape and the candidates).</exception>
    public static int FindCut(Network network, string? cutAt, string option)
    {
        ArgumentNullException.ThrowIfNull(network);
        int index;
        if (cutAt is not null)
        {
            var node = network.Nodes.FirstOrDefault(n => n.Layer.Name == cutAt)
                ?? throw new ArgumentException($"{option} names layer '{cutAt}', which the network does not have; feature outputs it has: {Candidates(network)}.", option);
            index = node.Index;
        }
        else if (network.Nodes.LastOrDefault(n => n.Layer is PoolingLayer or GlobalAvgPool) is { } pooling)
        {
            index = pooling.Index;
        }
        else if (network.Nodes.LastOrDefault(n => n.Layer is Dense) is { } dense)
        {
            index = dense.Inputs[0];
        }
        else
        {
            throw new ArgumentException($"The network has no pooling and no Dense layer, so there is no feature output to put a head on: set {option} to a layer whose output is a feature vector or map ({Candidates(network)}).", option);
        }

        var outputShape = index == NetworkNode.NetworkInput ? network.InputShape : network.Nodes[index].OutputShape;
        if (outputShape.Length is not (1 or 3))
        {
            string name = index == NetworkNode.NetworkInput ? "the network's input" : $"layer '{network.Nodes[index].Layer.Name}'";
            throw new ArgumentException($"A head reads a feature vector [features] or a feature map [channels, height, width], but {name} gives {FloatTensor.FormatShape(outputShape)}; set {option} to another layer ({Candidates(network)}).", option);
        }

        return index;
    }

    /// <summary>Returns the network up to node <paramref name="index"/>: that node and the nodes it depends on, in order.</summary>
    /// <param name="network">The network.</param>
    /// <param name="index">The node that becomes the output.</param>
    /// <returns>A new network whose last node is a copy of node <paramref name="index"/>.</returns>
    public static Network Cut(Network network, int index)
    {
        ArgumentNullException.ThrowIfNull(network);
        var copy = NetworkSerializer.Clone(network);
        var result = new Network(copy.InputShape);
        if (index == NetworkNode.NetworkInput)
        {
            return result;
        }

        var needed = new bool[copy.Nodes.Count];
        needed[index] = true;
        for (int i = index; i >= 0; i--)
        {
            if (needed[i])
            {
                foreach (int input in copy.Nodes[i].Inputs.Where(j => j != NetworkNode.NetworkInput))
                {
                    needed[input] = true;
                }
            }
        }

        var map = new int[copy.Nodes.Count];
        for (int i = 0; i <= index; i++)
        {
            if (needed[i])
            {
                map[i] = result.Add(copy.Nodes[i].Layer, copy.Nodes[i].Inputs.Select(j => j == NetworkNode.NetworkInput ? j : map[j]).ToArray());
            }
        }

        return result;
    }

    /// <summary>
    /// Appends a classifier head in place: [Flatten] → [Dense(hidden) → ReLU] → [Dropout] → Dense(classes), each Dense
    /// initialised as PyTorch's <c>nn.Linear</c> (see <see cref="Dense.ResetParameters"/>).
    /// </summary>
    /// <param name="network">The network, whose output is a feature vector or map.</param>
    /// <param name="classes">The classes, at least 1.</param>
    /// <param name="hiddenUnits">The hidden layer's width, or <see langword="null"/> for none.</param>
    /// <param name="dropoutProbability">The dropout before the output layer, in [0, 1); 0 for none.</param>
    /// <param name="seed">The seed of the new weights and of the dropout masks.</param>
    /// <returns>The names of the head's layers, in order.</returns>
    public static IReadOnlyList<string> AppendHead(Network network, int classes, int? hiddenUnits, double dropoutProbability, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var random = new Random(seed);
        var added = new List<Layer>();
        int Append(Layer layer)
        {
            added.Add(layer);
            return network.Add(layer, network.Nodes.Count - 1);
        }

        if (network.OutputShape.Length != 1)
        {
            Append(new Flatten(HeadPrefix + "flatten"));
        }

        if (hiddenUnits is { } hidden)
        {
            Append(new Dense(network.OutputShape[0], hidden, name: HeadPrefix + "hidden"));
            Append(new Relu(HeadPrefix + "relu"));
        }

        if (dropoutProbability > 0)
        {
            Append(new Dropout((float)dropoutProbability, random.Next(), HeadPrefix + "dropout"));
        }

        Append(new Dense(network.OutputShape[0], classes, name: HeadPrefix + "output"));
        foreach (var layer in added.OfType<Dense>())
        {
            layer.ResetParameters(random);
        }

        return added.Select(l => l.Name).ToArray();
    }

    /// <summary>Returns a copy of <paramref name="network"/> without its first <paramref name="count"/> nodes; the nodes that read them read the network's input instead.</summary>
    /// <param name="network">The network.</param>
    /// <param name="count">How many nodes to drop from the front; node <paramref name="count"/> - 1 must be the only one of them that later nodes read.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ArgumentException">A later node reads one of the dropped nodes other than the last, or the input shape does not fit.</exception>
    public static Network RemoveFront(Network network, int count)
    {
        ArgumentNullException.ThrowIfNull(network);
        var copy = NetworkSerializer.Clone(network);
        if (count == 0)
        {
            return copy;
        }

        var inputShape = copy.Nodes[count - 1].OutputShape;
        var result = new Network(inputShape);
        foreach (var node in copy.Nodes.Skip(count))
        {
            var inputs = node.Inputs.Select(i => i == count - 1 ? NetworkNode.NetworkInput
                : i >= count ? i - count
                : throw new ArgumentException($"Layer '{node.Layer.Name}' reads '{(i < 0 ? "the network's input" : copy.Nodes[i].Layer.Name)}', one of the {count} layers in front being removed.", nameof(count))).ToArray();
            result.Add(node.Layer, inputs);
        }

        return result;
    }

    private static string Candidates(Network network)
    {
        var outputs = network.Nodes.Where(n => n.Layer is PoolingLayer or GlobalAvgPool or Flatten || (n.OutputShape.Length == 1 && n.Layer is not Softmax))
            .TakeLast(6).Select(n => $"'{n.Layer.Name}' {FloatTensor.FormatShape(n.OutputShape)}").ToArray();
        return outputs.Length == 0 ? "none found" : string.Join(", ", outputs);
    }
}
