using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// A model stage that starts from a trained network (an ONNX model, a native file, a network in memory). By default it
/// measures the network on the held-out rows and does not train it. For transfer learning it can also take images of
/// another size (<see cref="InputShape"/>), replace the classifier with a new head sized to the label's classes
/// (<see cref="Head"/>), apply the normalisation the network expects (<see cref="InputNormalization"/>), and train:
/// the head alone first, then every layer that is not frozen (<see cref="Training"/>).
/// </summary>
/// <remarks>
/// The returned network takes what the data hold (with <see cref="InputNormalization"/>, raw pixels as ML.NET's
/// <c>ExtractPixels</c> gives them) and scores the label's classes.
/// </remarks>
public sealed record PretrainedStage : ModelStage
{
    /// <summary>Creates the stage.</summary>
    /// <param name="network">The trained network; copied, never changed.</param>
    /// <param name="source">Where it came from, as the report names it (for example <c>ONNX model resnet18.onnx</c>).</param>
    /// <param name="seed">The seed of the held-out split, of the new head's weights and of the mini-batch order.</param>
    public PretrainedStage(Network network, string source, int seed)
        : base(network, seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        Source = source;
    }

    /// <summary>Gets where the network came from.</summary>
    public string Source { get; }

    /// <summary>
    /// Gets a new classifier head, sized when the stage runs to the data's classes, or <see langword="null"/> to keep the
    /// network's output (its width must then be the number of classes).
    /// </summary>
    /// <value>The default is <see langword="null"/>. When set, the cut point must be a layer of the network whose output is a feature vector or map.</value>
    /// <exception cref="ArgumentException">The cut point does not exist or does not give features (the message names it and the candidates).</exception>
    public ClassifierHead? Head
    {
        get;
        init
        {
            if (value is not null)
            {
                NetworkSurgery.FindCut(Start, value.CutAt, $"{nameof(Head)}.{nameof(ClassifierHead.CutAt)}");
            }

            field = value;
        }
    }

    /// <summary>
    /// Gets the per-sample shape of the images the data hold, [channels, height, width], when it differs from the
    /// network's input (a smaller size trains faster), or <see langword="null"/> for the network's own.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>. The channels must be the network's; every layer must work at the new
    /// size (an average pooling over the whole 7x7 map of a CNTK ResNet becomes a global average pooling).
    /// </value>
    public IReadOnlyList<int>? InputShape
    {
        get;
        init
        {
            if (value is not null)
            {
                NetworkSurgery.WithInputShape(Start, [.. value]);
            }

            field = value?.ToArray();
        }
    }

    /// <summary>Gets the normalisation the network expects of its images, applied by the stage and folded into its result, or <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ImageNormalization? InputNormalization { get; init; }

    /// <summary>Gets how the stage trains the network, or <see langword="null"/> not to train it (it is only measured).</summary>
    /// <value>The default is <see langword="null"/>. A <see cref="Head"/> with no training is allowed: its weights stay as initialised.</value>
    public StageTrainingOptions? Training { get; init; }

    internal override string ReportMethod => Head is null ? Source : $"{Source}, new head";

    internal override string ReportSchedule => Training is null ? "none" : Training.HeadOnlyEpochs > 0 ? $"{Training.HeadOnlyEpochs} head-only + {Training.Epochs - Training.HeadOnlyEpochs} epochs" : $"{Training.Epochs} epochs";

    /// <summary>Gets the per-sample input shape of the network the stage runs.</summary>
    internal int[] RunInputShape => InputShape?.ToArray() ?? Start.InputShape;

    /// <summary>
    /// Returns the network the stage trains: at <see cref="InputShape"/>, cut and given a new head of
    /// <paramref name="classes"/> outputs when <see cref="Head"/> is set (seeded with <see cref="Stage.Seed"/>), without
    /// the normalisation (which takes preprocessed images).
    /// </summary>
    /// <param name="classes">The number of classes of the data.</param>
    /// <returns>The network and its head's layer names (none without a head).</returns>
    internal (Network Network, IReadOnlyList<string> HeadLayers) Adapt(int classes)
    {
        var network = InputShape is null ? NetworkSerializer.Clone(Start) : NetworkSurgery.WithInputShape(Start, [.. InputShape]);
        if (Head is null)
        {
            return (network, []);
        }

        var cut = NetworkSurgery.Cut(network, NetworkSurgery.FindCut(network, Head.CutAt, $"{nameof(Head)}.{nameof(ClassifierHead.CutAt)}"));
        var head = NetworkSurgery.AppendHead(cut, classes, Head.HiddenUnits, Head.DropoutProbability, Seed);
        return (cut, head);
    }

    /// <summary>Returns the width of the network's output (the classes it scores without a new head).</summary>
    internal int OutputWidth => FloatTensor.ComputeLength(Start.OutputShape);
}
