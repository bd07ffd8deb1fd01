using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The BatchNormalization operator of <see cref="OnnxImporter"/> (inference mode, running statistics).</summary>
internal sealed partial class OnnxImporter
{
    private void ImportBatchNormalization(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        if (attributes.GetInt64("training_mode", 0) != 0)
        {
            throw Fail("training_mode=1 is not supported; only inference with the running statistics is.");
        }

        // Before opset 7, is_test=0 (the default) asks for training: the batch's own statistics. consumed_inputs (before
        // opset 6) is an in-place hint for optimizers that changes nothing.
        if (_opset < 7 && attributes.GetInt64("is_test", 0) == 0)
        {
            throw Fail($"is_test=0 (opset {_opset}; 0 is its default) normalizes with the batch's statistics (training); only inference with the running statistics (is_test=1) is supported.");
        }

        var x = Data(node, 0, "input X");
        if (x.Shape.Length is not (1 or 3))
        {
            throw Fail($"input X has per-sample shape [{string.Join(", ", x.Shape)}]; only [channels] and [channels, height, width] are supported.");
        }

        // Before opset 9, spatial=0 keeps statistics per activation ([C, H, W]); they are per channel when H = W = 1.
        if (attributes.GetInt64("spatial", 1) == 0 && x.Shape.Skip(1).Any(d => d != 1))
        {
            throw Fail($"spatial=0 (opset {_opset}) normalizes each activation of [{string.Join(", ", x.Shape)}] with its own statistics; only per-channel statistics (spatial=1) are supported.");
        }

        int channels = x.Shape[0];
        var scale = ChannelConstant(node, 1, "scale", channels);
        var shift = ChannelConstant(node, 2, "bias B", channels);
        var mean = ChannelConstant(node, 3, "mean", channels);
        var variance = ChannelConstant(node, 4, "var", channels);
        float epsilon = attributes.GetFloat("epsilon", 1e-5f);

        // ONNX's momentum weighs the old running statistic, PyTorch's (and ours) the new batch; it does not affect inference.
        float momentum = 1f - attributes.GetFloat("momentum", 0.9f);
        momentum = float.IsNaN(momentum) ? 0.1f : Math.Clamp(momentum, 0f, 1f);
        var batchNorm = new BatchNorm(channels, epsilon, momentum, LayerName(node));
        scale.CopyTo(batchNorm.Scale.Value.Span);
        shift.CopyTo(batchNorm.Shift.Value.Span);
        mean.CopyTo(batchNorm.RunningMean.Value.Span);
        variance.CopyTo(batchNorm.RunningVariance.Value.Span);
        AddLayer(node, batchNorm, x.Node);
    }

    /// <summary>Returns input <paramref name="index"/> as a constant float32 vector of one value per channel.</summary>
    private float[] ChannelConstant(NodeProto node, int index, string role, int channels)
    {
        var tensor = Constant(node, index, role);
        if (tensor.Dims.Length != 1 || tensor.Dims[0] != channels)
        {
            throw Fail($"{role} has shape {tensor.FormatDims()}; expected [{channels}].");
        }

        return tensor.Floats(role, r => Fail(r));
    }
}
