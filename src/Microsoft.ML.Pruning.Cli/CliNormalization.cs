namespace Microsoft.ML.Pruning.Cli;

/// <summary>How the tool scales features before training and pruning.</summary>
internal enum CliNormalization
{
    /// <summary>Standardize CSV features; leave IDX images in [0, 1].</summary>
    Auto,

    /// <summary>Use the features as they are.</summary>
    None,

    /// <summary>Subtract the training mean and divide by the deviation.</summary>
    Standardize,

    /// <summary>Map the training range of each feature to [0, 1].</summary>
    MinMax,
}
