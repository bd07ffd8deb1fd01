namespace Microsoft.ML.Pruning.Data;

/// <summary>How <see cref="CsvLoader"/> turns the text of the label column into class indices.</summary>
internal enum CsvLabelEncoding
{
    /// <summary>
    /// Use <see cref="ClassIndex"/> when every label is a number, so that a negative or fractional one among them is a
    /// format error naming its line, and <see cref="Category"/> when some label is not a number.
    /// </summary>
    Automatic,

    /// <summary>
    /// Every label is a class index, a non-negative integer (written <c>3</c> or <c>3.0</c>) used as it is; anything
    /// else is a format error.
    /// </summary>
    ClassIndex,

    /// <summary>
    /// Every distinct label text is a class name. Classes are numbered in the order of
    /// <see cref="CsvLoadOptions.ClassNames"/> when given; otherwise the names are sorted (numerically when every name
    /// is a number, else by ordinal string order) and become <see cref="Dataset.ClassNames"/>.
    /// </summary>
    Category,
}
