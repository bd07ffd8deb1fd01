namespace Microsoft.ML.Pruning.Networks;

/// <summary>The per-kind configuration records of <see cref="NetworkSerializer"/>.</summary>
public static partial class NetworkSerializer
{
    private static string KindOf(Layer layer) => layer switch
    {
        Dense => "Dense",
        Conv2d => "Conv2d",
        BatchNorm => "BatchNorm",
        Relu => "Relu",
        LeakyRelu => "LeakyRelu",
        Sigmoid => "Sigmoid",
        Tanh => "Tanh",
        Softmax => "Softmax",
        MaxPool2d => "MaxPool2d",
        AvgPool2d => "AvgPool2d",
        GlobalAvgPool => "GlobalAvgPool",
        Flatten => "Flatten",
        Dropout => "Dropout",
        Add => "Add",
        _ => KindOfCnnLayer(layer) ?? throw new NotSupportedException($"Layer '{layer.Name}' of type {layer.GetType().Name} cannot be saved in the native format."),
    };

    private static void WriteConfiguration(BinaryWriter writer, Layer layer)
    {
        switch (layer)
        {
            case Dense dense:
                writer.Write(dense.Inputs);
                writer.Write(dense.Outputs);
                writer.Write(dense.Bias is not null);
                break;
            case Conv2d conv:
                writer.Write(conv.InChannels);
                writer.Write(conv.OutChannels);
                WriteWindow(writer, conv.Kernel, conv.Stride, conv.Padding);
                writer.Write(conv.Groups);
                writer.Write(conv.Bias is not null);
                writer.Write(conv.Dilation.Height);
                writer.Write(conv.Dilation.Width);
                break;
            case BatchNorm norm:
                writer.Write(norm.Channels);
                writer.Write(norm.Epsilon);
                writer.Write(norm.Momentum);
                break;
            case LeakyRelu leaky:
                writer.Write(leaky.Alpha);
                break;
            case AvgPool2d average:
                WriteWindow(writer, average.Kernel, average.Stride, average.Padding);
                writer.Write(average.CountIncludePad);
                writer.Write(average.CeilMode);
                break;
            case MaxPool2d max:
                WriteWindow(writer, max.Kernel, max.Stride, max.Padding);
                writer.Write(max.CeilMode);
                break;
            case Dropout dropout:
                writer.Write(dropout.Probability);
                break;
            default:
                WriteCnnConfiguration(writer, layer);
                break;
        }
    }

    private static Layer ReadConfiguration(BinaryReader reader, int version, string kind, string name, long remaining) => kind switch
    {
        "Dense" => ReadDense(reader, name, remaining),
        "Conv2d" => ReadConv(reader, version, name, remaining),
        "BatchNorm" => new BatchNorm(CheckSize(reader.ReadInt32(), 4, remaining, name), reader.ReadSingle(), reader.ReadSingle(), name),
        "Relu" => new Relu(name),
        "LeakyRelu" => new LeakyRelu(reader.ReadSingle(), name),
        "Sigmoid" => new Sigmoid(name),
        "Tanh" => new Tanh(name),
        "Softmax" => new Softmax(name),
        "MaxPool2d" => ReadMaxPool(reader, version, name),
        "AvgPool2d" => ReadAvgPool(reader, version, name),
        "GlobalAvgPool" => new GlobalAvgPool(name),
        "Flatten" => new Flatten(name),
        "Dropout" => new Dropout(reader.ReadSingle(), name: name),
        "Add" => new Add(name),
        _ when version >= 2 && ReadCnnConfiguration(reader, kind, name, remaining) is { } layer => layer,
        _ => throw new FormatException($"layer '{name}' has unknown kind '{kind}'."),
    };

    private static Dense ReadDense(BinaryReader reader, string name, long remaining)
    {
        int inputs = reader.ReadInt32(), outputs = reader.ReadInt32();
        CheckSize((long)inputs * outputs, 1, remaining, name);
        return new Dense(inputs, outputs, reader.ReadBoolean(), name);
    }

    private static Conv2d ReadConv(BinaryReader reader, int version, string name, long remaining)
    {
        int inChannels = reader.ReadInt32(), outChannels = reader.ReadInt32();
        var (kernel, stride, padding) = ReadWindow(reader);
        CheckSize((long)inChannels * outChannels * kernel.Item1 * kernel.Item2, 1, remaining, name);
        int groups = reader.ReadInt32();
        bool useBias = reader.ReadBoolean();
        var dilation = version >= 2 ? (reader.ReadInt32(), reader.ReadInt32()) : (1, 1);
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, groups, useBias, name);
    }

    // A corrupt size must fail before it allocates: the values that follow cannot be more than the bytes left.
    private static int CheckSize(long elements, int perElement, long remaining, string name)
    {
        if (elements < 0 || elements * perElement * sizeof(float) > remaining)
        {
            throw new FormatException($"layer '{name}' declares {elements * perElement} values but only {remaining} bytes remain.");
        }

        return (int)elements;
    }

    private static MaxPool2d ReadMaxPool(BinaryReader reader, int version, string name)
    {
        var (kernel, stride, padding) = ReadWindow(reader);
        return new MaxPool2d(kernel, stride, padding, version >= 2 && reader.ReadBoolean(), name);
    }

    private static AvgPool2d ReadAvgPool(BinaryReader reader, int version, string name)
    {
        var (kernel, stride, padding) = ReadWindow(reader);
        bool countIncludePad = reader.ReadBoolean();
        return new AvgPool2d(kernel, stride, padding, countIncludePad, version >= 2 && reader.ReadBoolean(), name);
    }

    private static void WriteWindow(BinaryWriter writer, (int Height, int Width) kernel, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding)
    {
        foreach (int v in new[] { kernel.Height, kernel.Width, stride.Height, stride.Width, padding.Top, padding.Left, padding.Bottom, padding.Right })
        {
            writer.Write(v);
        }
    }

    private static ((int, int) Kernel, (int, int) Stride, (int, int, int, int) Padding) ReadWindow(BinaryReader reader)
    {
        var v = new int[8];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = reader.ReadInt32();
        }

        return ((v[0], v[1]), (v[2], v[3]), (v[4], v[5], v[6], v[7]));
    }
}
