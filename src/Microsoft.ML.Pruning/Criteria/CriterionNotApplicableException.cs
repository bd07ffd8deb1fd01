namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// A criterion cannot score a group of the network by its definition, for example APoZ on a group with no ReLU-family
/// activation. The message names the criterion and the group; restrict <see cref="StructuredPruningOptions.Layers"/> to
/// the groups it can score, or choose another criterion.
/// </summary>
public sealed class CriterionNotApplicableException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public CriterionNotApplicableException()
        : this("The criterion cannot score this group.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What cannot be scored and why.</param>
    public CriterionNotApplicableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What cannot be scored and why.</param>
    /// <param name="innerException">The cause.</param>
    public CriterionNotApplicableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one group.</summary>
    /// <param name="criterion">The criterion's name.</param>
    /// <param name="group">The group's name.</param>
    /// <param name="message">What cannot be scored and why.</param>
    public CriterionNotApplicableException(string criterion, string group, string message)
        : base(message, "groups")
    {
        Criterion = criterion;
        Group = group;
    }

    /// <summary>Gets the criterion's name, or <see langword="null"/> when not given.</summary>
    public string? Criterion { get; }

    /// <summary>Gets the group's name, or <see langword="null"/> when not given.</summary>
    public string? Group { get; }
}
