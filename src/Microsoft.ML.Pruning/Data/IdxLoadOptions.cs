namespace Microsoft.ML.Pruning.Data;

/// <summary>Options of <see cref="IdxLoader"/>.</summary>
public sealed class IdxLoadOptions
{
    /// <summary>Gets or sets whether pixel bytes 0..255 are divided by 255 to lie in [0, 1].</summary>
    /// <value>The default is <see langword="true"/>; <see langword="false"/> keeps the raw values 0..255 as floats.</value>
    public bool ScaleToUnitRange { get; set; } = true;

    /// <summary>Gets or sets the largest number of samples to read, from the start of the files.</summary>
    /// <value>The default is <see langword="null"/>: read every sample. Allowed: 1 or more.</value>
    /// <remarks>The files are still checked whole: their sizes must match their headers.</remarks>
    public int? MaxCount { get; set; }

    /// <summary>Gets or sets the number of classes; a label at or above it is a format error.</summary>
    /// <value>
    /// The default is <see langword="null"/>: the largest label in the whole label file plus one (not only among the
    /// first <see cref="MaxCount"/> samples). Allowed: 1 to 256.
    /// </value>
    public int? ClassCount { get; set; }

    /// <summary>Gets or sets the most bytes a file may hold (after decompression); reading stops there with a format error naming the file.</summary>
    /// <value>The default is 1 GiB (1,073,741,824); it must be in [1, 2,147,483,591].</value>
    public long MaximumBytes { get; set; } = DataFile.DefaultMaximumBytes;

    /// <summary>Throws when an option is out of range.</summary>
    internal void Validate()
    {
        if (MaximumBytes < 1 || MaximumBytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumBytes), MaximumBytes, $"MaximumBytes must be in [1, {Array.MaxLength}].");
        }

        if (MaxCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCount), MaxCount, "MaxCount must be at least 1, or null to read every sample.");
        }

        if (ClassCount is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "ClassCount must be between 1 and 256 (IDX labels are bytes), or null to infer it.");
        }
    }
}
