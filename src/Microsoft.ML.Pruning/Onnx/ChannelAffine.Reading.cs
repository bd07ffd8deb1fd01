using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>Recognizes a per-channel affine map in a network, as <see cref="OnnxModel.Load(string)"/> imports a preprocessing graph.</summary>
internal sealed partial class ChannelAffine
{
    /// <summary>
    /// Reads a network that is a per-channel affine map of images: channel slices and concatenations (a reorder such as
    /// ML.NET's Split-Concat from RGB to BGR), constant additions, subtractions, multiplications and divisions (one
    /// value, one per channel, or one per pixel for offsets), BatchNorm, and dropout (the identity at inference).
    /// </summary>
    /// <param name="network">The preprocessing network, of input [channels, height, width].</param>
    /// <returns>The preprocessing.</returns>
    /// <exception cref="ArgumentException">A layer is something else, or scales a channel by a value that differs between pixels; the message names the layer.</exception>
    public static ChannelAffine Read(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.InputShape.Length != 3)
        {
            throw new ArgumentException($"The preprocessing takes {FloatTensor.FormatShape(network.InputShape)}; images [channels, height, width] are needed.", nameof(network));
        }

        int channels = network.InputShape[0], plane = network.InputShape[1] * network.InputShape[2];
        var input = Enumerable.Range(0, channels).Select(c => new Channel(c, 1.0, new double[plane])).ToArray();
        var values = new Channel[network.Nodes.Count][];
        foreach (var node in network.Nodes)
        {
            var inputs = node.Inputs.Select(i => i == NetworkNode.NetworkInput ? input : values[i]).ToArray();
            values[node.Index] = node.Layer switch
            {
                ChannelSlice slice => inputs[0].AsSpan(slice.Start, slice.Count).ToArray().Select(c => c.Copy()).ToArray(),
                Concat => inputs.SelectMany(map => map.Select(c => c.Copy())).ToArray(),
                Networks.Dropout => inputs[0].Select(c => c.Copy()).ToArray(),
                ConstantOperation operation => Apply(operation, inputs[0], network.Nodes[node.Index].OutputShape),
                BatchNorm batchNorm => Apply(batchNorm, inputs[0]),
                _ => throw new ArgumentException($"Layer '{node.Layer.Name}' ({node.Layer.GetType().Name}) is not a per-channel affine map; only channel slices, concatenations, constant arithmetic and BatchNorm are.", nameof(network)),
            };
        }

        var result = network.Nodes.Count == 0 ? input : values[^1];
        bool perChannel = result.All(c => c.Offset.All(o => o == c.Offset[0]));
        var offsets = perChannel
            ? FloatTensor.FromValues(result.Select(c => (float)c.Offset[0]).ToArray(), result.Length, 1, 1)
            : FloatTensor.FromValues(result.SelectMany(c => c.Offset.Select(o => (float)o)).ToArray(), result.Length, network.InputShape[1], network.InputShape[2]);
        return new ChannelAffine(channels, result.Select(c => c.Source).ToArray(), result.Select(c => (float)c.Scale).ToArray(), offsets);
    }

    private static Channel[] Apply(ConstantOperation operation, Channel[] x, int[] outputShape)
    {
        var constant = operation.Constant.Value;
        if (outputShape.Length != 3 || outputShape[0] != x.Length || (outputShape[1] * outputShape[2]) != x[0].Offset.Length)
        {
            throw new ArgumentException($"Layer '{operation.Name}' broadcasts the images to {FloatTensor.FormatShape(outputShape)}; a per-channel map keeps their shape.", "network");
        }

        var result = new Channel[x.Length];
        for (int c = 0; c < x.Length; c++)
        {
            var values = ConstantPlane(constant, c, outputShape);
            var (source, scale, offset) = (x[c].Source, x[c].Scale, (double[])x[c].Offset.Clone());
            bool uniform = values.All(v => v == values[0]);
            switch (operation.Operation, operation.ConstantFirst)
            {
                case (BinaryOperation.Add, _):
                    Each(offset, values, (o, v) => o + v);
                    break;
                case (BinaryOperation.Subtract, false):
                    Each(offset, values, (o, v) => o - v);
                    break;
                case (BinaryOperation.Subtract, true):
                    scale = -scale;
                    Each(offset, values, (o, v) => v - o);
                    break;
                case (BinaryOperation.Multiply, _) when uniform:
                    scale *= values[0];
                    Each(offset, values, (o, v) => o * v);
                    break;
                case (BinaryOperation.Divide, false) when uniform && values[0] != 0:
                    scale /= values[0];
                    Each(offset, values, (o, v) => o / v);
                    break;
                default:
                    throw new ArgumentException($"Layer '{operation.Name}' ({operation.Operation}{(operation.ConstantFirst ? " of the constant by the input" : string.Empty)}) does not scale channel {c} by one non-zero value for every pixel; a per-channel affine map does.", "network");
            }

            result[c] = new Channel(source, scale, offset);
        }

        return result;
    }

    private static Channel[] Apply(BatchNorm batchNorm, Channel[] x)
    {
        var result = new Channel[x.Length];
        for (int c = 0; c < x.Length; c++)
        {
            double a = batchNorm.Scale.Value.Span[c] / Math.Sqrt(batchNorm.RunningVariance.Value.Span[c] + (double)batchNorm.Epsilon);
            double b = batchNorm.Shift.Value.Span[c] - (batchNorm.RunningMean.Value.Span[c] * a);
            var offset = x[c].Offset.Select(o => (o * a) + b).ToArray();
            result[c] = new Channel(x[c].Source, x[c].Scale * a, offset);
        }

        return result;
    }

    /// <summary>Returns the constant's values for channel <paramref name="channel"/> at every pixel, broadcast over [channels, height, width].</summary>
    private static double[] ConstantPlane(FloatTensor constant, int channel, int[] shape)
    {
        var dims = Enumerable.Repeat(1, 3 - constant.Rank).Concat(constant.Shape).ToArray();
        var values = new double[shape[1] * shape[2]];
        for (int h = 0; h < shape[1]; h++)
        {
            for (int w = 0; w < shape[2]; w++)
            {
                int index = (((dims[0] == 1 ? 0 : channel) * dims[1]) + (dims[1] == 1 ? 0 : h)) * dims[2] + (dims[2] == 1 ? 0 : w);
                values[(h * shape[2]) + w] = constant.Span[index];
            }
        }

        return values;
    }

    private static void Each(double[] offset, double[] values, Func<double, double, double> combine)
    {
        for (int p = 0; p < offset.Length; p++)
        {
            offset[p] = combine(offset[p], values[p]);
        }
    }

    /// <summary>One output channel: <c>Scale · input[Source] + Offset</c> (per pixel).</summary>
    private sealed record Channel(int Source, double Scale, double[] Offset)
    {
        public Channel Copy() => this with { Offset = (double[])Offset.Clone() };
    }
}
