using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// Imports ONNX models (IR versions 3 to 10, default operator set 1 to 21) as <see cref="Network"/>s and exports networks
/// as ONNX (IR version 8, operator set 13), for example to deploy a pruned network with ML.NET's OnnxTransformer or
/// ONNX Runtime.
/// </summary>
/// <remarks>
/// <para>
/// Exported models have one float32 input named <c>input</c> (<see cref="InputName"/>) of shape
/// [batch, ...<see cref="Network.InputShape"/>] and one float32 output named <c>output</c> (<see cref="OutputName"/>)
/// of shape [batch, ...<see cref="Network.OutputShape"/>]; the batch dimension is symbolic (<c>dim_param</c>
/// <c>batch</c>) and every other dimension is fixed, so ML.NET can bind the columns by these names.
/// </para>
/// <para>
/// Import supports the operators listed in <see cref="SupportedOperators"/> with static weights (initializers or
/// Constant nodes): Gemm and MatMul (+ Add of a constant) become <see cref="Dense"/>, Conv becomes <see cref="Conv2d"/>
/// (grouped and depthwise included; auto_pad resolved to explicit pads), and so on. The graph must have a single
/// float32 input whose dimensions other than the batch are static. Each operator is read in the version in force at the
/// model's opset, with that version's attributes: older exporters (CNTK, such as ML.NET's ResNet18, and PyTorch at opsets
/// 6 to 8) write BatchNormalization with <c>spatial</c> and <c>is_test</c>, Pad, Clip, Slice, Split, Squeeze and
/// ReduceMean with attributes instead of inputs, and Add, Sub, Mul and Div with the <c>broadcast</c> and <c>axis</c>
/// attributes of legacy broadcasting. Anything else fails with an <see cref="OnnxImportException"/> that names the node,
/// its operator and the reason (an operator or attribute that the opset does not have names the opset and the attribute).
/// </para>
/// </remarks>
public static class OnnxModel
{
    /// <summary>The name of the input of exported models.</summary>
    public const string InputName = "input";

    /// <summary>The name of the output of exported models.</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic name (<c>dim_param</c>) of the batch dimension of exported models.</summary>
    public const string BatchDimensionName = "batch";

    /// <summary>The IR version of exported models.</summary>
    public const int IrVersion = 8;

    /// <summary>The default operator set version of exported models.</summary>
    public const int OpsetVersion = 13;

    /// <summary>Gets the ONNX operators that <see cref="Load(string)"/> understands.</summary>
    public static IReadOnlyList<string> SupportedOperators { get; } =
    [
        "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant", "ConstantOfShape", "Conv", "Div", "Dropout", "Elu", "Flatten",
        "Gather", "Gelu", "Gemm", "GlobalAveragePool", "HardSigmoid", "HardSwish", "Identity", "LeakyRelu", "MatMul", "MaxPool", "Mul",
        "Pad", "ReduceMean", "Relu", "Reshape", "Shape", "Sigmoid", "Slice", "Softmax", "Split", "Squeeze", "Sub", "Tanh", "Transpose",
        "Unsqueeze",
    ];

    /// <summary>
    /// Loads an ONNX model file as a network. Weights kept in external data files are read from the model's folder (or
    /// below it; a location outside it is rejected); float16 initializers are converted to float32.
    /// </summary>
    /// <param name="path">The .onnx file.</param>
    /// <returns>The network, with the model's weights.</returns>
    /// <exception cref="OnnxImportException">
    /// The file is not a valid ONNX model, uses what a network cannot express, has a NaN or infinite weight, or is not a
    /// regular file (a FIFO, socket or device such as /dev/zero, checked before it is opened);
    /// <see cref="OnnxImportException.SourceName"/> is <paramref name="path"/>.
    /// </exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Network Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            FileKind.EnsureRegularFile(path);
        }
        catch (IOException ex)
        {
            throw new OnnxImportException(path, null, null, ex.Message, ex);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var model = OnnxModelReader.Read(stream, path);
        return OnnxImporter.Import(model, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Loads an ONNX model from a stream as a network (a model with external data needs <see cref="Load(string)"/>).</summary>
    /// <param name="stream">The stream, read from its position to its end; left open.</param>
    /// <param name="sourceName">A name for the source in error messages, such as a file path; optional.</param>
    /// <returns>The network, with the model's weights.</returns>
    /// <exception cref="OnnxImportException">The bytes are not a valid ONNX model, use what a network cannot express, or hold a NaN or infinite weight.</exception>
    public static Network Load(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var model = OnnxModelReader.Read(stream, sourceName);
        return OnnxImporter.Import(model, sourceName);
    }

    /// <summary>Saves a network as an ONNX model file, atomically: the model is written beside the target and moved over it once complete.</summary>
    /// <param name="network">The network, such as a pruned one.</param>
    /// <param name="path">The destination .onnx file; replaced only once the new file is complete.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent (a custom <see cref="Layer"/> type).</exception>
    /// <exception cref="ArgumentException">A weight or statistic is NaN or infinite; the message names the layer.</exception>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        FiniteWeights.Ensure(network);
        var model = OnnxExporter.Export(network);
        AtomicFile.Write(path, stream => OnnxExporter.Write(model, stream));
    }

    /// <summary>Writes a network as an ONNX model to a stream.</summary>
    /// <param name="network">The network, such as a pruned one.</param>
    /// <param name="stream">The writable stream; left open.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent (a custom <see cref="Layer"/> type).</exception>
    /// <exception cref="ArgumentException">A weight or statistic is NaN or infinite; the message names the layer.</exception>
    public static void Save(Network network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        FiniteWeights.Ensure(network);
        OnnxExporter.Write(OnnxExporter.Export(network), stream);
    }
}
