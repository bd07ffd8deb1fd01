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
