namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// A new classifier for a pretrained network, sized to the label's classes when the model stage fits: the network is
/// cut at a feature output and a dense head is appended, initialised as PyTorch initialises <c>nn.Linear</c> (weights
/// and biases from U(-1/√fan_in, 1/√fan_in), Kaiming-uniform with a = √5), with the stage's seed.
/// </summary>
/// <remarks>
/// The head is <c>[Flatten] → [Dense(HiddenUnits) → ReLU] → [Dropout] → Dense(classes)</c>: the Flatten when the cut
/// gives a feature map [channels, height, width], the hidden layer when <see cref="HiddenUnits"/> is set, the dropout
/// when <see cref="DropoutProbability"/> is above 0. Its layers are named <c>head_flatten</c>, <c>head_hidden</c>,
/// <c>head_relu</c>, <c>head_dropout</c> and <c>head_output</c>.
/// </remarks>
public sealed record ClassifierHead
{
    /// <summary>The prefix of the head's layer names.</summary>
    public const string LayerPrefix = Networks.NetworkSurgery.HeadPrefix;

    /// <summary>
    /// Gets the name of the layer whose output the head reads; every layer after it that it does not need is dropped
    /// (an old classifier, for example), or <see langword="null"/> for the network's last feature output.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: the output of the last pooling layer (AvgPool2d, MaxPool2d or
    /// GlobalAvgPool), which for a featurizer such as ML.NET's ResNet18 is its output [512, 1, 1] and for a torchvision
    /// classifier the global pooling before its Flatten and Gemm; in a network without pooling, the input of the last
    /// Dense layer. The layer's output must be a feature vector [features] or a feature map [channels, height, width].
    /// </value>
    public string? CutAt
    {
        get;
        init => field = value is null || value.Length > 0 ? value : throw new ArgumentException("CutAt must be a layer name, or null for the last feature output; got an empty name.", nameof(CutAt));
    }

    /// <summary>Gets the width of a hidden Dense layer (with ReLU) before the output layer, or <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>; when set, at least 1.</value>
    public int? HiddenUnits
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(HiddenUnits), value, $"HiddenUnits must be at least 1 when set; got {value}.");
    }

    /// <summary>Gets the probability of the dropout before the output layer (0 for none).</summary>
    /// <value>The default is 0; in [0, 1).</value>
    public double DropoutProbability
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(DropoutProbability), value, $"DropoutProbability must be in [0, 1); got {value}.");
    }
}
