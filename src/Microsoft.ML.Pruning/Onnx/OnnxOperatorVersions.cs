namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// The versions of the operators the importer reads (the opset that introduced each version) with the attributes each
/// version defines, after ONNX's operator changelog (docs/Changelog.md), from opset 1 to 21. A model declares an opset;
/// the version of an operator in force is its newest version not newer than that opset. A node whose operator did not
/// exist yet, or that carries an attribute its version does not define (an old exporter's <c>broadcast</c> in a model
/// that declares opset 7, say), is rejected, as ONNX's checker and ONNX Runtime reject it.
/// </summary>
internal static class OnnxOperatorVersions
{
    private static readonly string[] None = [];
    private static readonly string[] LegacyBroadcast = ["axis", "broadcast", "consumed_inputs"];
    private static readonly string[] Window = ["auto_pad", "kernel_shape", "pads", "strides"];

    private static readonly Dictionary<string, (int Since, string[] Attributes)[]> Versions = new(StringComparer.Ordinal)
    {
        ["Add"] = Binary(),
        ["Sub"] = Binary(),
        ["Mul"] = Binary(),
        ["Div"] = Binary(),
        ["AveragePool"] =
        [
            (1, Window), (7, [.. Window, "count_include_pad"]), (10, [.. Window, "ceil_mode", "count_include_pad"]),
            (19, [.. Window, "ceil_mode", "count_include_pad", "dilations"]),
        ],
        ["MaxPool"] =
        [
            (1, Window), (8, [.. Window, "storage_order"]), (10, [.. Window, "ceil_mode", "dilations", "storage_order"]),
        ],
        ["BatchNormalization"] =
        [
            (1, ["consumed_inputs", "epsilon", "is_test", "momentum", "spatial"]), (6, ["epsilon", "is_test", "momentum", "spatial"]),
            (7, ["epsilon", "momentum", "spatial"]), (9, ["epsilon", "momentum"]), (14, ["epsilon", "momentum", "training_mode"]),
        ],
        ["Cast"] = [(1, ["to"]), (19, ["saturate", "to"])],
        ["Clip"] = [(1, ["consumed_inputs", "max", "min"]), (6, ["max", "min"]), (11, None)],
        ["Concat"] = [(1, ["axis"])],
        ["Constant"] =
        [
            (1, ["value"]), (11, ["sparse_value", "value"]),
            (12, ["sparse_value", "value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings"]),
        ],
        ["ConstantOfShape"] = [(9, ["value"])],
        ["Conv"] = [(1, ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"])],
        ["Dropout"] = [(1, ["consumed_inputs", "is_test", "ratio"]), (6, ["is_test", "ratio"]), (7, ["ratio"]), (12, ["seed"])],
        ["Elu"] = Activation("alpha"),
        ["Erf"] = [(9, None)],
        ["Flatten"] = [(1, ["axis"])],
        ["Gather"] = [(1, ["axis"])],
        ["Gelu"] = [(20, ["approximate"])],
        ["Gemm"] = [(1, ["alpha", "beta", "broadcast", "transA", "transB"]), (7, ["alpha", "beta", "transA", "transB"])],
        ["GlobalAveragePool"] = [(1, None)],
        ["HardSigmoid"] = Activation("alpha", "beta"),
        ["HardSwish"] = [(14, None)],
        ["Identity"] = [(1, None)],
        ["LeakyRelu"] = Activation("alpha"),
        ["MatMul"] = [(1, None)],
        ["Pad"] = [(1, ["mode", "paddings", "value"]), (2, ["mode", "pads", "value"]), (11, ["mode"])],
        ["ReduceMean"] = [(1, ["axes", "keepdims"]), (18, ["keepdims", "noop_with_empty_axes"])],
        ["Relu"] = Activation(),
        ["Reshape"] = [(1, ["consumed_inputs", "shape"]), (5, None), (14, ["allowzero"])],
        ["Shape"] = [(1, None), (15, ["end", "start"])],
        ["Sigmoid"] = Activation(),
        ["Slice"] = [(1, ["axes", "ends", "starts"]), (10, None)],
        ["Softmax"] = [(1, ["axis"])],
        ["Split"] = [(1, ["axis", "split"]), (13, ["axis"]), (18, ["axis", "num_outputs"])],
        ["Squeeze"] = [(1, ["axes"]), (13, None)],
        ["Tanh"] = Activation(),
        ["Transpose"] = [(1, ["perm"])],
        ["Unsqueeze"] = [(1, ["axes"]), (13, None)],
    };

    /// <summary>Gets whether the importer knows the versions of an operator.</summary>
    /// <param name="operatorType">The operator, such as <c>Conv</c>.</param>
    /// <returns><see langword="true"/> when it is in the table.</returns>
    public static bool IsKnown(string operatorType) => Versions.ContainsKey(operatorType);

    /// <summary>Gets the version of an operator in force at an opset, and its attributes.</summary>
    /// <param name="operatorType">The operator.</param>
    /// <param name="opset">The model's default opset.</param>
    /// <returns>The version (the opset that introduced it) and its attributes, or <see langword="null"/> when the operator did not exist yet.</returns>
    public static (int Since, IReadOnlyList<string> Attributes)? InForce(string operatorType, int opset)
    {
        (int Since, IReadOnlyList<string> Attributes)? found = null;
        foreach (var (since, attributes) in Versions[operatorType])
        {
            if (since <= opset)
            {
                found = (since, attributes);
            }
        }

        return found;
    }

    /// <summary>Gets the opset that introduced an operator.</summary>
    /// <param name="operatorType">The operator.</param>
    /// <returns>Its first version.</returns>
    public static int Introduced(string operatorType) => Versions[operatorType][0].Since;

    /// <summary>Add, Sub, Mul and Div: legacy broadcasting by attribute before opset 7, NumPy broadcasting from it.</summary>
    private static (int, string[])[] Binary() => [(1, LegacyBroadcast), (6, ["axis", "broadcast"]), (7, None)];

    /// <summary>An activation whose version 1 had <c>consumed_inputs</c>, dropped at opset 6.</summary>
    private static (int, string[])[] Activation(params string[] attributes) => [(1, [.. attributes, "consumed_inputs"]), (6, attributes)];
}
