using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// The networks of the CNN benchmark: torchvision's resnet18, mobilenet_v2 and efficientnet_b0 as exported by
/// build/setup.d/torchvision.sh (random weights, eval mode, so BatchNorm is folded into the convolutions), at any
/// square input size, and the small models of <see cref="BenchmarkModels"/>.
/// </summary>
internal static class CnnModels
{
    /// <summary>The torchvision families the benchmark covers.</summary>
    public static readonly string[] Torchvision = ["resnet18", "mobilenet_v2", "efficientnet_b0"];

    /// <summary>Gets the folder of the torchvision exports.</summary>
    public static string Folder => Path.Combine(Root, "build", "data", "torchvision");

    /// <summary>Gets the repository's root folder (the first folder above the program that holds build/data).</summary>
    public static string Root => RepositoryRoot();

    /// <summary>Gets whether <paramref name="name"/> is a torchvision family.</summary>
    /// <param name="name">The model key.</param>
    /// <returns><see langword="true"/> for the imported families.</returns>
    public static bool IsTorchvision(string name) => Torchvision.Contains(name);

    /// <summary>Loads a model: a torchvision family at 3 x <paramref name="size"/> x <paramref name="size"/>, or a <see cref="BenchmarkModels"/> key.</summary>
    /// <param name="name">The model key.</param>
    /// <param name="size">The input height and width of a torchvision family (the export's is 64).</param>
    /// <returns>The network.</returns>
    public static Network Load(string name, int size = 64)
    {
        if (!IsTorchvision(name))
        {
            return BenchmarkModels.Build(name, half: false);
        }

        string path = Path.Combine(Folder, $"{name}_opset13.onnx");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing; run bash build/setup.d/torchvision.sh.", path);
        }

        return WithInputSize(OnnxModel.Load(path), size);
    }

    /// <summary>
    /// Rebuilds <paramref name="network"/> for a square input of another size: the same layers in the same graph. The
    /// families end in global average pooling, so every layer fits any size the strides allow.
    /// </summary>
    /// <param name="network">The network; its layers move to the result.</param>
    /// <param name="size">The new input height and width.</param>
    /// <returns>The network for [channels, size, size] inputs.</returns>
    public static Network WithInputSize(Network network, int size)
    {
        if (network.InputShape[1] == size && network.InputShape[2] == size)
        {
            return network;
        }

        var resized = new Network(network.InputShape[0], size, size);
        foreach (var node in network.Nodes)
        {
            resized.Add(node.Layer, [.. node.Inputs]);
        }

        return resized;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, "build", "data")))
            {
                return folder.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
