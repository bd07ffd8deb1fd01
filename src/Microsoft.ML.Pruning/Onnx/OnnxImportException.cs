namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// An ONNX model could not be imported as a <see cref="Networks.Network"/>: the file is not a valid ONNX protobuf, or it
/// uses an operator, attribute, shape or tensor type that the importer does not support.
/// </summary>
/// <remarks>
/// <see cref="NodeName"/> and <see cref="OperatorType"/> name the node that failed, when the failure belongs to one, and
/// <see cref="OperatorSetVersion"/> the model's default opset, which decides the operator's version and attributes;
/// <see cref="Reason"/> says what is wrong without the location, and <see cref="Exception.Message"/> combines them all.
/// </remarks>
public sealed class OnnxImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sourceName">The file path or stream name the model came from, or <see langword="null"/> when unknown.</param>
    /// <param name="nodeName">The name of the failing node, or <see langword="null"/> when the failure is not a node's.</param>
    /// <param name="operatorType">The failing node's operator type (such as <c>Conv</c>), or <see langword="null"/>.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public OnnxImportException(string? sourceName, string? nodeName, string? operatorType, string reason, Exception? inner = null)
        : this(sourceName, nodeName, operatorType, null, reason, inner)
    {
    }

    /// <summary>Creates the exception for a node of a model of a known default opset.</summary>
    internal OnnxImportException(string? sourceName, string? nodeName, string? operatorType, int? operatorSetVersion, string reason, Exception? inner = null)
        : base(FormatMessage(sourceName, nodeName, operatorType, operatorSetVersion, reason), inner)
    {
        SourceName = sourceName;
        NodeName = nodeName;
        OperatorType = operatorType;
        OperatorSetVersion = operatorSetVersion;
        Reason = reason;
    }

    /// <summary>Gets the file path or stream name the model came from, or <see langword="null"/> when unknown.</summary>
    public string? SourceName { get; }

    /// <summary>Gets the name of the failing node (empty when the node has no name), or <see langword="null"/> when the failure is not a node's.</summary>
    public string? NodeName { get; }

    /// <summary>Gets the failing node's operator type, such as <c>Conv</c>, or <see langword="null"/> when the failure is not a node's.</summary>
    public string? OperatorType { get; }

    /// <summary>
    /// Gets the model's default operator set version when the failure is a node's (it decides which version of the
    /// operator, with which attributes, the node is read as), or <see langword="null"/> otherwise.
    /// </summary>
    public int? OperatorSetVersion { get; }

    /// <summary>Gets what is wrong, without the location.</summary>
    public string Reason { get; }

    private static string FormatMessage(string? sourceName, string? nodeName, string? operatorType, int? operatorSetVersion, string reason)
    {
        string source = sourceName ?? "<stream>";
        string opset = operatorSetVersion is { } version ? $", opset {version}" : string.Empty;
        return operatorType is null && nodeName is null
            ? $"{source}: {reason}"
            : $"{source}: node '{nodeName}' ({operatorType}{opset}): {reason}";
    }
}
