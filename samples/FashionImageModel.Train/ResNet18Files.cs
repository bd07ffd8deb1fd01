using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace FashionImageModel;

/// <summary>ML.NET's pretrained ResNet18 and its preprocessing, as the NuGet package copies them to the output folder.</summary>
internal static class ResNet18Files
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>Gets the backbone: CNTK's ImageNet ResNet18 at ONNX opset 8, input [3, 224, 224], output [512, 1, 1].</summary>
    public static string Model => Path.Combine(Folder, "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>Gets the preprocessing graph beside it: RGB to BGR, minus the ImageNet mean image.</summary>
    public static string Preprocess => Path.Combine(Folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    /// <summary>Returns the names of the backbone's BatchNorm layers.</summary>
    public static string[] BatchNormLayers() => OnnxModel.Load(Model).Nodes.Where(n => n.Layer is BatchNorm).Select(n => n.Layer.Name).ToArray();

    /// <summary>Returns the same network with random weights, as PyTorch initialises its layers, and fresh BatchNorm statistics.</summary>
    public static Network RandomlyInitialized(int seed)
    {
        var network = OnnxModel.Load(Model);
        var random = new Random(seed);
        foreach (var node in network.Nodes)
        {
            node.Layer.ResetParameters(random);
            if (node.Layer is BatchNorm batchNorm)
            {
                batchNorm.Scale.Value.Span.Fill(1);
                batchNorm.Shift.Value.Span.Fill(0);
                batchNorm.RunningMean.Value.Span.Fill(0);
                batchNorm.RunningVariance.Value.Span.Fill(1);
            }
        }

        return network;
    }
}
