namespace Microsoft.ML.Pruning.Networks;

/// <summary>A layer placed in a <see cref="Network"/>, with the nodes that feed it.</summary>
public sealed class NetworkNode
{
    internal NetworkNode(int index, Layer layer, int[] inputs, int[] outputShape)
    {
        Index = index;
        Layer = layer;
        Inputs = inputs;
        OutputShape = outputShape;
    }

    /// <summary>The index that stands for the network's input in <see cref="Inputs"/>.</summary>
    public const int NetworkInput = -1;

    /// <summary>Gets the node's position in the network's topological order.</summary>
    public int Index { get; }

    /// <summary>Gets the layer.</summary>
    public Layer Layer { get; }

    /// <summary>Gets the indices of the nodes feeding this one, in input order; <see cref="NetworkInput"/> is the network's input.</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>Gets the per-sample output shape (recomputed by the network after structural pruning).</summary>
    public int[] OutputShape { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"#{Index} {Layer} <- [{string.Join(", ", Inputs)}]";
}
