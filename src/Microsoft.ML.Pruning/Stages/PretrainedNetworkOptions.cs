using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Options of <see cref="PretrainedNetworkEstimator"/>: columns, the held-out share it measures on, threads and seed;
/// for transfer learning, a new classifier head, the images' shape and normalisation, and training (the head alone
/// first, then the whole network). With the defaults the stage only measures the network.
/// </summary>
public sealed class PretrainedNetworkOptions : StageOptions
{
    /// <summary>Creates the options (no training: <see cref="StageOptions.Epochs"/> is 0).</summary>
    public PretrainedNetworkOptions()
        : base(epochs: 0)
    {
    }

    /// <summary>
    /// Gets or sets a new classifier head, sized at <c>Fit</c> to the label column's classes (its key count), or
    /// <see langword="null"/> to keep the model's output (whose width must then be the number of classes).
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ClassifierHead? Head { get; set; }

    /// <summary>
    /// Gets or sets the per-sample shape [channels, height, width] of the images in the feature column, or
    /// <see langword="null"/> to take it from the column (ML.NET's <c>ExtractPixels</c> gives its vector the dimensions
    /// [3, height, width] of <c>ResizeImages</c>), else the model's own input.
    /// </summary>
    /// <value>The default is <see langword="null"/>. When set, a column whose dimensions differ is refused at <c>Fit</c>, naming both.</value>
    public IReadOnlyList<int>? InputShape { get; set; }

    /// <summary>
    /// Gets or sets the per-channel normalisation the model expects (<see cref="ImageNormalization.ImageNet"/>, or
    /// <see cref="ImageNormalization.FromOnnx"/> with ML.NET's <c>ResNetPreprocess.onnx</c>), applied by the stage and
    /// folded into the model, so that the fitted and saved model take pixels as <c>ExtractPixels</c> gives them; or
    /// <see langword="null"/> for none.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ImageNormalization? InputNormalization { get; set; }

    /// <summary>
    /// Gets or sets how many of the first <see cref="StageOptions.Epochs"/> train only the new <see cref="Head"/>, with
    /// the pretrained layers frozen, before the remaining epochs train every layer not in <see cref="StageOptions.FrozenLayers"/>.
    /// </summary>
    /// <value>The default is 0; in [0, <see cref="StageOptions.Epochs"/>], and 0 without a <see cref="Head"/>.</value>
    public int HeadOnlyEpochs { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(HeadOnlyEpochs >= 0 && HeadOnlyEpochs <= Epochs, nameof(HeadOnlyEpochs), HeadOnlyEpochs, $"must be in [0, Epochs] = [0, {Epochs}]");
        if (HeadOnlyEpochs > 0 && Head is null)
        {
            throw new ArgumentException($"HeadOnlyEpochs is {HeadOnlyEpochs}, but there is no new head to train alone: set Head (for example new ClassifierHead()).", nameof(HeadOnlyEpochs));
        }

        if (InputShape is not null && (InputShape.Count != 3 || InputShape.Any(d => d < 1)))
        {
            throw new ArgumentOutOfRangeException(nameof(InputShape), $"[{string.Join(", ", InputShape)}]", "InputShape must be [channels, height, width], each at least 1.");
        }
    }

    /// <inheritdoc/>
    private protected override void CopyCollections() => InputShape = InputShape?.ToArray();
}
