using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Fusion for inference passes: a convolution followed, as its only consumer, by a BatchNorm (running statistics) and a
/// ReLU or clip applies them to its output while it is still in cache (<see cref="ConvolutionEpilogue"/>), and any other
/// element-wise activation whose producer has no other consumer runs over the producer's buffer instead of its own.
/// Either way the fused nodes share the producer's output tensor, so fewer buffers pass through the caches.
/// </summary>
public sealed partial class Network
{
    private bool[] _fused = [];
    private bool[] _inPlace = [];

    /// <summary>
    /// Plans the fusion of one inference pass and hands each fused convolution its epilogue; returns the convolutions
    /// given one, for <see cref="EndFusion"/>.
    /// </summary>
    private List<Conv2d> BeginFusion()
    {
        int count = _nodes.Count;
        if (_fused.Length != count)
        {
            _fused = new bool[count];
            _inPlace = new bool[count];
        }

        Array.Clear(_fused);
        Array.Clear(_inPlace);
        var root = new int[count];
        var epilogues = new ConvolutionEpilogue?[count];
        var convolutions = new List<Conv2d>();
        for (int i = 0; i < count; i++)
        {
            var node = _nodes[i];
            root[i] = node.Layer is Conv2d ? i : -1;
            int source = node.Inputs.Count == 1 ? node.Inputs[0] : NetworkNode.NetworkInput;
            if (source == NetworkNode.NetworkInput || _consumers[source].Count != 1)
            {
                continue;
            }

            int r = root[source];
            var epilogue = r >= 0 ? epilogues[r] ?? new ConvolutionEpilogue(null, null, float.NegativeInfinity, float.PositiveInfinity) : null;
            switch (node.Layer)
            {
                case BatchNorm norm when epilogue is { Scale: null, Low: float.NegativeInfinity, High: float.PositiveInfinity }:
                    epilogues[r] = epilogue with { Scale = new float[norm.Channels], Shift = new float[norm.Channels] };
                    Fold(norm, epilogues[r]!);
                    break;
                case Relu when epilogue is not null:
                    epilogues[r] = epilogue.ThenClamp(0f, float.PositiveInfinity);
                    break;
                case Clip clip when epilogue is not null:
                    epilogues[r] = epilogue.ThenClamp(clip.Min, clip.Max);
                    break;
                case ActivationLayer { SupportsInPlace: true } when OwnsItsOutput(_nodes[source].Layer):
                    _inPlace[i] = true;
                    continue;
                default:
                    continue;
            }

            _fused[i] = true;
            root[i] = r;
        }

        for (int i = 0; i < count; i++)
        {
            if (epilogues[i] is { } epilogue && _nodes[i].Layer is Conv2d conv)
            {
                conv.Epilogue = epilogue;
                convolutions.Add(conv);
            }
        }

        return convolutions;
    }

    /// <summary>Takes the epilogues back from the convolutions <see cref="BeginFusion"/> gave one.</summary>
    private static void EndFusion(List<Conv2d> convolutions)
    {
        foreach (var conv in convolutions)
        {
            conv.Epilogue = null;
        }
    }

    /// <summary>Gets or sets whether inference passes run every layer on its own (tests compare the fused pass against it).</summary>
    internal bool FusionDisabled { get; set; }

    // BatchNorm with running statistics as y = x · scale + shift: scale = γ / sqrt(var + ε), shift = β - mean · scale.
    private static void Fold(BatchNorm norm, ConvolutionEpilogue epilogue)
    {
        for (int c = 0; c < norm.Channels; c++)
        {
            float inverseStd = 1f / MathF.Sqrt(norm.RunningVariance.Value.Span[c] + norm.Epsilon);
            float scale = norm.Scale.Value.Span[c] * inverseStd;
            epilogue.Scale![c] = scale;
            epilogue.Shift![c] = norm.Shift.Value.Span[c] - (norm.RunningMean.Value.Span[c] * scale);
        }
    }

    // Layers whose output is a buffer of their own (not a view of their input), which an in-place activation may overwrite.
    private static bool OwnsItsOutput(Layer layer) =>
        layer is Conv2d or Dense or BatchNorm or ElementwiseLayer or ActivationLayer or PoolingLayer or GlobalAvgPool;
}
