namespace Microsoft.ML.Pruning.Cli;

/// <summary>The pruning criteria the tool offers.</summary>
internal enum CliMethod
{
    /// <summary>Average percentage of zeros (Hu et al.), structured.</summary>
    Apoz,

    /// <summary>Element-wise weight magnitude (Han et al.), masks.</summary>
    Magnitude,

    /// <summary>L1 norm of each unit's weights (Li et al.), structured.</summary>
    L1,

    /// <summary>L2 norm of each unit's weights, structured.</summary>
    L2,

    /// <summary>First-order Taylor (Molchanov et al.), structured.</summary>
    Taylor,

    /// <summary>Distinctiveness (Gedeon and Harris), structured.</summary>
    Distinctiveness,
}

/// <summary>The schedules the tool offers.</summary>
internal enum CliSchedule
{
    /// <summary>Prune once.</summary>
    OneShot,

    /// <summary>Iterate at a fixed rate.</summary>
    Fixed,

    /// <summary>Polynomial (AGP) towards the rate as final sparsity.</summary>
    Polynomial,

    /// <summary>The adaptive rate of seeds/002.</summary>
    Adaptive,
}

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
