namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The two shapes a network leaves as ONNX in.</summary>
public enum OnnxExportFlavor
{
    /// <summary>
    /// The batch graph for ONNX Runtime: input <c>input</c> of shape [batch, ...sample], output <c>output</c> of shape
    /// [batch, classes] (the network's own outputs), with a symbolic batch dimension.
    /// </summary>
    Batch,

    /// <summary>
    /// The per-row graph for ML.NET's <c>ApplyOnnxModel</c>: input <c>Features</c> of shape [features], output
    /// <c>Score</c> of shape [classes] holding probabilities (a softmax is added unless the network ends in one), no
    /// batch dimension, so the columns bind without renaming and get ML.NET's standard vector types.
    /// </summary>
    PerRow,
}
