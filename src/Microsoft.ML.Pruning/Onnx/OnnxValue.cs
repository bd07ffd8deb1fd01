namespace Microsoft.ML.Pruning.Onnx;

/// <summary>What an ONNX tensor name stands for while a graph is imported: a computed value or a constant.</summary>
internal abstract record OnnxValue;

/// <summary>The output of a network node, or the network's input.</summary>
/// <param name="Node">The node index, or <see cref="Networks.NetworkNode.NetworkInput"/> for the network's input.</param>
/// <param name="Shape">The per-sample shape (without the batch dimension).</param>
internal sealed record NodeOutputValue(int Node, int[] Shape) : OnnxValue;

/// <summary>A constant: an initializer or the output of a <c>Constant</c> node.</summary>
/// <param name="Tensor">The tensor.</param>
internal sealed record ConstantValue(OnnxTensor Tensor) : OnnxValue;
