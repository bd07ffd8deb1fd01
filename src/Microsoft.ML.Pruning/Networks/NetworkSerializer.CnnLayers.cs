using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The configuration records of the layer kinds that format version 2 added (real CNN families).</summary>
public static partial class NetworkSerializer
{
    private static string? KindOfCnnLayer(Layer layer) => layer switch
    {
        Concat => "Concat",
        Subtract => "Subtract",
        Multiply => "Multiply",
        Divide => "Divide",
        ConstantOperation => "ConstantOperation",
        Clip => "Clip",
        HardSigmoid => "HardSigmoid",
        HardSwish => "HardSwish",
        Silu => "Silu",
        Elu => "Elu",
        Gelu => "Gelu",
        Pad2d => "Pad2d",
        ChannelShuffle => "ChannelShuffle",
        ChannelSlice => "ChannelSlice",
        _ => null,
    };

    private static void WriteCnnConfiguration(BinaryWriter writer, Layer layer)
    {
        switch (layer)
        {
            case Concat concat:
                writer.Write(concat.InputCount);
                break;
            case ConstantOperation constant:
                writer.Write((int)constant.Operation);
                writer.Write(constant.ConstantFirst);
                WriteInts(writer, constant.Constant.Value.Shape);
                break;
            case Clip clip:
                writer.Write(clip.Min);
                writer.Write(clip.Max);
                break;
            case HardSigmoid hard:
                writer.Write(hard.Alpha);
                writer.Write(hard.Beta);
                break;
            case Elu elu:
                writer.Write(elu.Alpha);
                break;
            case Gelu gelu:
                writer.Write(gelu.TanhApproximation);
                break;
            case Pad2d pad:
                foreach (int v in new[] { pad.Padding.Top, pad.Padding.Left, pad.Padding.Bottom, pad.Padding.Right })
                {
                    writer.Write(v);
                }

                writer.Write(pad.Value);
                break;
            case ChannelShuffle shuffle:
                writer.Write(shuffle.Groups);
                break;
            case ChannelSlice slice:
                writer.Write(slice.Start);
                writer.Write(slice.Count);
                break;
        }
    }

    private static Layer? ReadCnnConfiguration(BinaryReader reader, string kind, string name, long remaining) => kind switch
    {
        "Concat" => new Concat(ReadCount(reader, 4096, "concat input count"), name),
        "Subtract" => new Subtract(name),
        "Multiply" => new Multiply(name),
        "Divide" => new Divide(name),
        "ConstantOperation" => ReadConstantOperation(reader, name, remaining),
        "Clip" => new Clip(reader.ReadSingle(), reader.ReadSingle(), name),
        "HardSigmoid" => new HardSigmoid(reader.ReadSingle(), reader.ReadSingle(), name),
        "HardSwish" => new HardSwish(name),
        "Silu" => new Silu(name),
        "Elu" => new Elu(reader.ReadSingle(), name),
        "Gelu" => new Gelu(reader.ReadBoolean(), name),
        "Pad2d" => new Pad2d((reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32()), reader.ReadSingle(), name),
        "ChannelShuffle" => new ChannelShuffle(reader.ReadInt32(), name),
        "ChannelSlice" => new ChannelSlice(reader.ReadInt32(), reader.ReadInt32(), name),
        _ => null,
    };

    private static ConstantOperation ReadConstantOperation(BinaryReader reader, string name, long remaining)
    {
        int operation = reader.ReadInt32();
        if (!Enum.IsDefined((BinaryOperation)operation))
        {
            throw new FormatException($"layer '{name}' has unknown operation {operation}.");
        }

        bool constantFirst = reader.ReadBoolean();
        var shape = ReadShape(reader);
        long length = 1;
        foreach (int d in shape)
        {
            length *= d;
        }

        CheckSize(length, 1, remaining, name);

        // The values follow as the layer's buffer; a placeholder of ones (never a division by zero) is overwritten.
        var placeholder = new FloatTensor(shape);
        placeholder.Fill(1f);
        return new ConstantOperation((BinaryOperation)operation, placeholder, constantFirst, name);
    }
}
