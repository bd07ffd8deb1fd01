namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// The selected ONNX node tests whose model cannot be expressed as a <see cref="Networks.Network"/> (one float32 input
/// with the batch first and at least one more dimension, static weights, 2-D windows), each with the reason. The
/// conformance test asserts that each of them fails to import with an <see cref="Pruning.Onnx.OnnxImportException"/>.
/// </summary>
internal static class ConformanceExclusions
{
    private const string TwoInputs = "Adds two graph inputs: a network has one input, and with the second made a constant the Add is not a bias after MatMul/Gemm/Conv.";

    private const string NotFloat = "The input is uint8; only float32 tensors are supported.";

    private const string NotTwoDimensional = "A 1-D or 3-D window; only 2-D convolution and pooling ([batch, channels, height, width]) are supported.";

    private const string CeilMode = "ceil_mode=1 changes the output size here; only floor rounding is supported.";

    private const string Dilations = "Dilations other than 1 are not supported.";

    private const string ExtraOutputs = "The graph has several outputs (training statistics, a dropout mask or argmax indices); a network has one.";

    private const string RankOne = "The input has rank 1: after the batch dimension nothing is left for a per-sample shape.";

    private const string FlattenAxis = "Flatten at an axis other than 1 merges or splits the batch dimension.";

    private const string TransposeA = "transA=1 transposes input A, the batch of samples.";

    private const string MatrixBias = "Bias C is a [3, 4] matrix that differs per sample; only a per-unit bias is supported.";

    private const string NotTensor = "The input is an optional or a sequence, not a tensor.";

    private const string ZeroBatch = "The input has an empty (0) batch dimension and allowzero=1.";

    private const string NotFlattening = "The reshape does not keep the batch and flatten the rest; only [batch, features] targets are supported.";

    private const string SoftmaxAxis = "Softmax over an axis other than the last (axis 0 is the batch); only the last dimension is supported.";

    private const string Expanded = "The function-expanded softmax uses ReduceMax, Sub, Exp, ReduceSum and Div, which are not imported.";

    private const string TrainingDropout = "training_mode=true with a non-zero ratio drops values at random; dropout is imported for inference.";

    /// <summary>Gets the reason for each excluded node test.</summary>
    public static IReadOnlyDictionary<string, string> Reasons { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["test_add"] = TwoInputs,
        ["test_add_bcast"] = TwoInputs,
        ["test_add_uint8"] = NotFloat,
        ["test_averagepool_1d_default"] = NotTwoDimensional,
        ["test_averagepool_2d_ceil"] = CeilMode,
        ["test_averagepool_3d_default"] = NotTwoDimensional,
        ["test_batchnorm_epsilon_training_mode"] = ExtraOutputs,
        ["test_batchnorm_example_training_mode"] = ExtraOutputs,
        ["test_dropout_default_mask"] = ExtraOutputs,
        ["test_dropout_default_mask_ratio"] = ExtraOutputs,
        ["test_dropout_default_old"] = RankOne,
        ["test_flatten_axis0"] = FlattenAxis,
        ["test_flatten_axis2"] = FlattenAxis,
        ["test_flatten_axis3"] = FlattenAxis,
        ["test_flatten_negative_axis1"] = FlattenAxis,
        ["test_flatten_negative_axis2"] = FlattenAxis,
        ["test_flatten_negative_axis4"] = FlattenAxis,
        ["test_gemm_all_attributes"] = TransposeA,
        ["test_gemm_default_matrix_bias"] = MatrixBias,
        ["test_gemm_transposeA"] = TransposeA,
        ["test_identity_opt"] = NotTensor,
        ["test_identity_sequence"] = NotTensor,
        ["test_leakyrelu_example"] = RankOne,
        ["test_maxpool_1d_default"] = NotTwoDimensional,
        ["test_maxpool_2d_ceil"] = CeilMode,
        ["test_maxpool_2d_dilations"] = Dilations,
        ["test_maxpool_2d_uint8"] = NotFloat,
        ["test_maxpool_3d_default"] = NotTwoDimensional,
        ["test_maxpool_with_argmax_2d_precomputed_pads"] = ExtraOutputs,
        ["test_maxpool_with_argmax_2d_precomputed_strides"] = ExtraOutputs,
        ["test_reshape_allowzero_reordered"] = ZeroBatch,
        ["test_reshape_extended_dims"] = NotFlattening,
        ["test_reshape_negative_dim"] = NotFlattening,
        ["test_reshape_negative_extended_dims"] = NotFlattening,
        ["test_reshape_one_dim"] = NotFlattening,
        ["test_reshape_reordered_all_dims"] = NotFlattening,
        ["test_reshape_reordered_last_dims"] = NotFlattening,
        ["test_reshape_zero_and_negative_dim"] = NotFlattening,
        ["test_reshape_zero_dim"] = NotFlattening,
        ["test_sigmoid_example"] = RankOne,
        ["test_softmax_axis_0"] = SoftmaxAxis,
        ["test_softmax_axis_0_expanded"] = Expanded,
        ["test_softmax_axis_1"] = SoftmaxAxis,
        ["test_softmax_axis_1_expanded"] = Expanded,
        ["test_softmax_axis_2_expanded"] = Expanded,
        ["test_softmax_default_axis_expanded"] = Expanded,
        ["test_softmax_example_expanded"] = Expanded,
        ["test_softmax_large_number_expanded"] = Expanded,
        ["test_softmax_negative_axis_expanded"] = Expanded,
        ["test_tanh_example"] = RankOne,
        ["test_training_dropout"] = TrainingDropout,
        ["test_training_dropout_default"] = TrainingDropout,
        ["test_training_dropout_default_mask"] = ExtraOutputs,
        ["test_training_dropout_mask"] = ExtraOutputs,
        ["test_training_dropout_zero_ratio_mask"] = ExtraOutputs,
    };
}
