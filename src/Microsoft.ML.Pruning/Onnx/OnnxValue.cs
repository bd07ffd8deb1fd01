namespace Microsoft.ML.Pruning.Onnx;

/// <summary>What an ONNX tensor name stands for while a graph is imported: a computed value or a constant.</summary>
internal abstract record OnnxValue;

/// <summary>The output of a network node, or the network's input.</summary>
/// <param name="Node">The node index, or <see cref="Networks.NetworkNode.NetworkInput"/> for the network's input.</param>
/// <param name="Shape">The per-sample shape (without the batch dimension).</param>
internal sealed record NodeOutputValue(int Node, int[] Shape) : OnnxValue;

/// <summary>A constant: an initializer or the output of a <c>Constant</c> node.</summary>
/// <param name="FloatTensor">The tensor.</param>
internal sealed record ConstantValue(OnnxTensor FloatTensor) : OnnxValue;

/// <summary>
/// An int64 vector (or scalar) of shape arithmetic that holds the symbolic batch size at some positions, as
/// <c>Shape(x)</c> of a computed value gives; folded at import, it may only end as a Reshape target's first entry.
/// </summary>
/// <param name="Values">The values; those at batch positions are meaningless.</param>
/// <param name="Batch">Whether each position holds the batch size.</param>
/// <param name="Dims">The dimensions: [n] for a vector, [] for a scalar.</param>
internal sealed record ShapeValue(long[] Values, bool[] Batch, int[] Dims) : OnnxValue;

/// <summary>A feature map whose zero padding is folded into the Conv that reads it (the only reader).</summary>
/// <param name="Source">The unpadded value.</param>
/// <param name="Padding">The padding to add to the Conv's: top, left, bottom, right.</param>
internal sealed record PaddedValue(NodeOutputValue Source, (int Top, int Left, int Bottom, int Right) Padding) : OnnxValue;
