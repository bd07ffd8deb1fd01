using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// The per-channel normalisation a pretrained network expects of its images, applied by the model stage and folded into
/// the network it returns, so that the trained, pruned and saved model takes pixels exactly as ML.NET's
/// <c>ExtractPixels</c> gives them (planar [channels, height, width], red, green, blue, values 0 to 255, with its defaults).
/// </summary>
/// <remarks>
/// Training sees the normalisation as fixed layers in front of the network; between stages it is folded into the first
/// convolution (the channel order and scales into its weights, the offsets as one addition in front), exactly.
/// </remarks>
public sealed class ImageNormalization
{
    private ImageNormalization(ChannelAffine affine, string description)
    {
        Affine = affine;
        Description = description;
    }

    /// <summary>
    /// Gets ImageNet's normalisation, as torchvision's pretrained models expect it: pixels 0 to 255 scaled to [0, 1],
    /// minus the mean (0.485, 0.456, 0.406), divided by the standard deviation (0.229, 0.224, 0.225), in RGB order.
    /// </summary>
    public static ImageNormalization ImageNet { get; } = FromMeanAndStandardDeviation([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], 1f / 255);

    /// <summary>Gets a description, as reports and messages give it.</summary>
    public string Description { get; }

    /// <summary>Gets the map itself.</summary>
    internal ChannelAffine Affine { get; }

    /// <summary>Creates the normalisation (pixel · <paramref name="pixelScale"/> − mean) / standard deviation of each channel.</summary>
    /// <param name="mean">The mean of each channel, after <paramref name="pixelScale"/>.</param>
    /// <param name="standardDeviation">The standard deviation of each channel; positive.</param>
    /// <param name="pixelScale">The factor applied to the pixels first: 1/255 for a mean and deviation of pixels in [0, 1].</param>
    /// <returns>The normalisation.</returns>
    /// <exception cref="ArgumentException">The arrays are empty or of different lengths, or a value is not finite or a deviation not positive.</exception>
    public static ImageNormalization FromMeanAndStandardDeviation(float[] mean, float[] standardDeviation, float pixelScale = 1f) =>
        new(ChannelAffine.FromMeanAndStandardDeviation(mean, standardDeviation, pixelScale), $"mean and standard deviation per channel (pixel scale {pixelScale:G4})");

    /// <summary>
    /// Reads a preprocessing ONNX model that is a per-channel affine map of its input: a channel reorder, constant
    /// additions, subtractions, multiplications and divisions (per channel, or per pixel for a mean image), BatchNorm.
    /// ML.NET's <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>, shipped beside its ResNet18, is one: RGB to BGR, minus a
    /// 224x224 mean image; for images of another size its per-channel mean is used.
    /// </summary>
    /// <param name="path">The .onnx file.</param>
    /// <returns>The normalisation.</returns>
    /// <exception cref="OnnxImportException">The file does not import or is not such a map (the message names the layer).</exception>
    public static ImageNormalization FromOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ImageNormalization(ChannelAffine.Load(path), "ONNX preprocessing " + Path.GetFileName(path));
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
