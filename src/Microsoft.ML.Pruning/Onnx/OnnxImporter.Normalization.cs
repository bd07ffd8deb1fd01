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

        var x = Data(node, 0, "input X");
        if (x.Shape.Length is not (1 or 3))
        {
            throw Fail($"input X has per-sample shape [{string.Join(", ", x.Shape)}]; only [channels] and [channels, height, width] are supported.");
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
