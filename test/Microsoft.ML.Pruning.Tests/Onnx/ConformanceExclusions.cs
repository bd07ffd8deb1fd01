namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// The selected ONNX node tests whose model cannot be expressed as a <see cref="Networks.Network"/> (one float32 input
/// with the batch first and at least one more dimension, static weights, 2-D windows), each with the reason. The
/// conformance test asserts that each of them fails to import with an <see cref="Pruning.Onnx.OnnxImportException"/>.
/// </summary>
internal static class ConformanceExclusions
{
    private const string NotFloat = "The input is uint8, int8, int64 or double; only float32 tensors are supported.";

    private const string UnsqueezedPooling = "PyTorch writes 1-D pooling as Unsqueeze, a 2-D pool and Squeeze of the feature map; Unsqueeze and Squeeze of feature maps are not imported (only of shape values).";

    private const string BatchNormOfSequence = "BatchNormalization of a [batch, channels, length] input; only [channels] and [channels, height, width] are supported.";

    private const string PixelShuffle = "PixelShuffle reshapes to rank 6 and transposes; only reshapes to [batch, features] and channel shuffles are supported.";

    private const string NotConstantPadding = "Reflect or edge padding; only constant padding is supported.";

    private const string PerSampleBias = "Gemm's bias C is a graph input that differs per sample; only a constant bias is supported.";

    private const string TransposeFeatures = "The Transpose permutes feature axes; only the identity and the channel shuffle are supported.";

    private const string TwoInputsPerSample = "Combines two graph inputs: a network has one input, and with the second made a constant it differs along the batch dimension, which a per-sample constant cannot express.";

    private const string ConcatTwoInputs = "Concatenates two graph inputs: a network has one input, and with the second made a constant there is no feature map to concatenate it with.";

    private const string ReduceNotSpatial = "ReduceMean over the axes of a 3-D input (or all axes, the batch included); only the mean over the spatial axes of [batch, channels, height, width] (a global average pool) is supported.";

    private const string SliceBatch = "Slices the batch dimension (axis 0) or a feature axis other than the channels; only slices of the channels are supported.";

    private const string SliceSteps = "Negative steps reverse the tensor; only steps of 1 are supported.";

    private const string SliceEmpty = "The slice keeps no element.";

    private const string NotTwoDimensional = "A 1-D or 3-D input; only 2-D convolution, pooling and batch normalization ([batch, channels, height, width]) are supported.";

    private const string Dilations = "Dilated pooling is not supported (dilated convolutions are).";

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
        ["pytorch-converted/test_AvgPool1d"] = UnsqueezedPooling,
        ["pytorch-converted/test_AvgPool1d_stride"] = UnsqueezedPooling,
        ["pytorch-converted/test_AvgPool3d"] = NotTwoDimensional,
        ["pytorch-converted/test_AvgPool3d_stride"] = NotTwoDimensional,
        ["pytorch-converted/test_AvgPool3d_stride1_pad0_gpu_input"] = NotTwoDimensional,
        ["pytorch-converted/test_BatchNorm1d_3d_input_eval"] = BatchNormOfSequence,
        ["pytorch-converted/test_BatchNorm3d_eval"] = NotTwoDimensional,
        ["pytorch-converted/test_BatchNorm3d_momentum_eval"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d_dilated"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d_groups"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d_pad1"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d_pad1size1"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d_pad2"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d_pad2size1"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv1d_stride"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv3d"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv3d_dilated"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv3d_dilated_strided"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv3d_groups"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv3d_no_bias"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv3d_stride"] = NotTwoDimensional,
        ["pytorch-converted/test_Conv3d_stride_padding"] = NotTwoDimensional,
        ["pytorch-converted/test_Embedding"] = NotFloat,
        ["pytorch-converted/test_Embedding_sparse"] = NotFloat,
        ["pytorch-converted/test_MaxPool1d"] = NotTwoDimensional,
        ["pytorch-converted/test_MaxPool1d_stride"] = NotTwoDimensional,
        ["pytorch-converted/test_MaxPool1d_stride_padding_dilation"] = NotTwoDimensional,
        ["pytorch-converted/test_MaxPool2d_stride_padding_dilation"] = Dilations,
        ["pytorch-converted/test_MaxPool3d"] = NotTwoDimensional,
        ["pytorch-converted/test_MaxPool3d_stride"] = NotTwoDimensional,
        ["pytorch-converted/test_MaxPool3d_stride_padding"] = NotTwoDimensional,
        ["pytorch-converted/test_PixelShuffle"] = PixelShuffle,
        ["pytorch-converted/test_ReflectionPad2d"] = NotConstantPadding,
        ["pytorch-converted/test_ReplicationPad2d"] = NotConstantPadding,
        ["pytorch-operator/test_operator_add_broadcast"] = NotFloat,
        ["pytorch-operator/test_operator_add_size1_broadcast"] = NotFloat,
        ["pytorch-operator/test_operator_add_size1_right_broadcast"] = NotFloat,
        ["pytorch-operator/test_operator_add_size1_singleton_broadcast"] = NotFloat,
        ["pytorch-operator/test_operator_addconstant"] = NotFloat,
        ["pytorch-operator/test_operator_addmm"] = PerSampleBias,
        ["pytorch-operator/test_operator_chunk"] = RankOne,
        ["pytorch-operator/test_operator_concat2"] = ConcatTwoInputs,
        ["pytorch-operator/test_operator_index"] = SliceBatch,
        ["pytorch-operator/test_operator_maxpool"] = NotTwoDimensional,
        ["pytorch-operator/test_operator_non_float_params"] = NotFloat,
        ["pytorch-operator/test_operator_pad"] = NotConstantPadding,
        ["pytorch-operator/test_operator_permute2"] = TransposeFeatures,
        ["pytorch-operator/test_operator_reduced_mean"] = ReduceNotSpatial,
        ["pytorch-operator/test_operator_reduced_mean_keepdim"] = ReduceNotSpatial,
        ["pytorch-operator/test_operator_view"] = RankOne,
        ["test_add"] = TwoInputsPerSample,
        ["test_add_uint8"] = NotFloat,
        ["test_averagepool_1d_default"] = NotTwoDimensional,
        ["test_averagepool_3d_default"] = NotTwoDimensional,
        ["test_batchnorm_epsilon_training_mode"] = ExtraOutputs,
        ["test_batchnorm_example_training_mode"] = ExtraOutputs,
        ["test_clip_default_inbounds"] = RankOne,
        ["test_clip_default_int8_inbounds"] = NotFloat,
        ["test_clip_default_int8_max"] = NotFloat,
        ["test_clip_default_int8_min"] = NotFloat,
        ["test_clip_example"] = RankOne,
        ["test_clip_inbounds"] = RankOne,
        ["test_clip_outbounds"] = RankOne,
        ["test_clip_splitbounds"] = RankOne,
        ["test_concat_1d_axis_0"] = RankOne,
        ["test_concat_1d_axis_negative_1"] = RankOne,
        ["test_concat_2d_axis_0"] = ConcatTwoInputs,
        ["test_concat_2d_axis_1"] = ConcatTwoInputs,
        ["test_concat_2d_axis_negative_1"] = ConcatTwoInputs,
        ["test_concat_2d_axis_negative_2"] = ConcatTwoInputs,
        ["test_concat_3d_axis_0"] = ConcatTwoInputs,
        ["test_concat_3d_axis_1"] = ConcatTwoInputs,
        ["test_concat_3d_axis_2"] = ConcatTwoInputs,
        ["test_concat_3d_axis_negative_1"] = ConcatTwoInputs,
        ["test_concat_3d_axis_negative_2"] = ConcatTwoInputs,
        ["test_concat_3d_axis_negative_3"] = ConcatTwoInputs,
        ["test_div"] = TwoInputsPerSample,
        ["test_div_example"] = RankOne,
        ["test_div_uint8"] = NotFloat,
        ["test_dropout_default_mask"] = ExtraOutputs,
        ["test_dropout_default_mask_ratio"] = ExtraOutputs,
        ["test_dropout_default_old"] = RankOne,
        ["test_elu_example"] = RankOne,
        ["test_flatten_axis0"] = FlattenAxis,
        ["test_flatten_axis2"] = FlattenAxis,
        ["test_flatten_axis3"] = FlattenAxis,
        ["test_flatten_negative_axis1"] = FlattenAxis,
        ["test_flatten_negative_axis2"] = FlattenAxis,
        ["test_flatten_negative_axis4"] = FlattenAxis,
        ["test_gemm_all_attributes"] = TransposeA,
        ["test_gemm_default_matrix_bias"] = MatrixBias,
        ["test_gemm_transposeA"] = TransposeA,
        ["test_hardsigmoid_example"] = RankOne,
        ["test_identity_opt"] = NotTensor,
        ["test_identity_sequence"] = NotTensor,
        ["test_leakyrelu_example"] = RankOne,
        ["test_maxpool_1d_default"] = NotTwoDimensional,
        ["test_maxpool_2d_dilations"] = Dilations,
        ["test_maxpool_2d_uint8"] = NotFloat,
        ["test_maxpool_3d_default"] = NotTwoDimensional,
        ["test_maxpool_with_argmax_2d_precomputed_pads"] = ExtraOutputs,
        ["test_maxpool_with_argmax_2d_precomputed_strides"] = ExtraOutputs,
        ["test_mul"] = TwoInputsPerSample,
        ["test_mul_example"] = RankOne,
        ["test_mul_uint8"] = NotFloat,
        ["test_reduce_mean_default_axes_keepdims_example"] = ReduceNotSpatial,
        ["test_reduce_mean_default_axes_keepdims_random"] = ReduceNotSpatial,
        ["test_reduce_mean_do_not_keepdims_example"] = ReduceNotSpatial,
        ["test_reduce_mean_do_not_keepdims_random"] = ReduceNotSpatial,
        ["test_reduce_mean_keepdims_example"] = ReduceNotSpatial,
        ["test_reduce_mean_keepdims_random"] = ReduceNotSpatial,
        ["test_reduce_mean_negative_axes_keepdims_example"] = ReduceNotSpatial,
        ["test_reduce_mean_negative_axes_keepdims_random"] = ReduceNotSpatial,
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
        ["test_slice"] = SliceBatch,
        ["test_slice_default_axes"] = SliceBatch,
        ["test_slice_default_steps"] = SliceBatch,
        ["test_slice_neg_steps"] = SliceSteps,
        ["test_slice_negative_axes"] = SliceBatch,
        ["test_slice_start_out_of_bounds"] = SliceEmpty,
        ["test_softmax_axis_0"] = SoftmaxAxis,
        ["test_softmax_axis_0_expanded"] = Expanded,
        ["test_softmax_axis_1"] = SoftmaxAxis,
        ["test_softmax_axis_1_expanded"] = Expanded,
        ["test_softmax_axis_2_expanded"] = Expanded,
        ["test_softmax_default_axis_expanded"] = Expanded,
        ["test_softmax_example_expanded"] = Expanded,
        ["test_softmax_large_number_expanded"] = Expanded,
        ["test_softmax_negative_axis_expanded"] = Expanded,
        ["test_split_equal_parts_1d"] = RankOne,
        ["test_split_equal_parts_2d"] = ExtraOutputs,
        ["test_split_equal_parts_default_axis"] = RankOne,
        ["test_split_variable_parts_1d"] = RankOne,
        ["test_split_variable_parts_2d"] = ExtraOutputs,
        ["test_split_variable_parts_default_axis"] = RankOne,
        ["test_split_zero_size_splits"] = RankOne,
        ["test_sub"] = TwoInputsPerSample,
        ["test_sub_example"] = RankOne,
        ["test_sub_uint8"] = NotFloat,
        ["test_tanh_example"] = RankOne,
        ["test_training_dropout"] = TrainingDropout,
        ["test_training_dropout_default"] = TrainingDropout,
        ["test_training_dropout_default_mask"] = ExtraOutputs,
        ["test_training_dropout_mask"] = ExtraOutputs,
        ["test_training_dropout_zero_ratio_mask"] = ExtraOutputs,
    };
}
