namespace Microsoft.ML.Pruning.Data;

/// <summary>Options of <see cref="CsvLoader"/>.</summary>
internal sealed class CsvLoadOptions
{
    /// <summary>Gets or sets whether the first line after <see cref="SkipLines"/> holds column names.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool HasHeader { get; set; } = true;

    /// <summary>Gets or sets the character between fields.</summary>
    /// <value>The default is <c>','</c>. Not allowed: the double quote, carriage return and line feed.</value>
    public char Separator { get; set; } = ',';

    /// <summary>Gets or sets the number of lines skipped, unread, before the header or the first data row.</summary>
    /// <value>The default is 0. Allowed: 0 or more.</value>
    /// <remarks>
    /// scikit-learn's <c>breast_cancer.csv</c> starts with a line of counts (<c>569,30,malignant,benign</c>); load it
    /// with <c>SkipLines = 1</c> and <c>HasHeader = false</c>.
    /// </remarks>
    public int SkipLines { get; set; }

    /// <summary>Gets or sets the zero-based index of the label column; every other column is a feature.</summary>
    /// <value>The default is <see langword="null"/>: the column named <see cref="LabelColumnName"/> if set, else the last column. Allowed: 0 or more.</value>
    public int? LabelColumn { get; set; }

    /// <summary>Gets or sets the header name of the label column (compared ordinally, after trimming).</summary>
    /// <value>The default is <see langword="null"/>. Needs <see cref="HasHeader"/>, and excludes <see cref="LabelColumn"/>.</value>
    public string? LabelColumnName { get; set; }

    /// <summary>Gets or sets how label text becomes class indices.</summary>
    /// <value>The default is <see cref="CsvLabelEncoding.Automatic"/>.</value>
    public CsvLabelEncoding LabelEncoding { get; set; } = CsvLabelEncoding.Automatic;

    /// <summary>Gets or sets the class names, which fix the set of classes.</summary>
    /// <value>
    /// The default is <see langword="null"/>: class indices give max + 1 unnamed classes, and category labels give
    /// their sorted distinct texts. When set, category labels are numbered by their position in this list (an unknown
    /// label is a format error), and class-index labels must be below its count. Names must be distinct and non-empty.
    /// </value>
    /// <remarks>Set it when loading a training and a test file separately, so that both number their classes alike.</remarks>
    public IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>Gets or sets the number of classes, for example the output width of the model the data are for.</summary>
    /// <value>
    /// The default is <see langword="null"/>: the classes come from the labels. When set, a class-index label must be below
    /// it and category labels may not name more classes (either is a format error naming the line), and
    /// <see cref="Dataset.ClassCount"/> is this count. With <see cref="ClassNames"/> it must equal their count. At least 1.
    /// </value>
    public int? ClassCount { get; set; }

    /// <summary>Gets or sets the largest number of classes that class-index labels may make when <see cref="ClassCount"/> and <see cref="ClassNames"/> are not set.</summary>
    /// <value>The default is 65,536: one outlier label such as 20000000 is a format error naming its line, not twenty million classes. At least 1.</value>
    public int MaximumClassCount { get; set; } = 65536;

    /// <summary>Gets or sets the most bytes a file may hold (after decompression); reading stops there with a format error naming the file.</summary>
    /// <value>The default is 1 GiB (1,073,741,824); it must be in [1, 2,147,483,591].</value>
    public long MaximumBytes { get; set; } = DataFile.DefaultMaximumBytes;

    /// <summary>Throws when an option is out of range or options contradict each other.</summary>
    internal void Validate()
    {
        if (MaximumBytes < 1 || MaximumBytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumBytes), MaximumBytes, $"MaximumBytes must be in [1, {Array.MaxLength}].");
        }

        if (Separator is '"' or '\r' or '\n')
        {
            throw new ArgumentException("Separator must not be a double quote, carriage return or line feed.", nameof(Separator));
        }

        if (SkipLines < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SkipLines), SkipLines, "SkipLines must be 0 or more.");
        }

        if (LabelColumn is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LabelColumn), LabelColumn, "LabelColumn must be 0 or more, or null for the last column.");
        }

        if (LabelColumnName is not null)
        {
            if (LabelColumn is not null)
            {
                throw new ArgumentException("Set either LabelColumn or LabelColumnName, not both.", nameof(LabelColumnName));
            }

            if (!HasHeader)
            {
                throw new ArgumentException("LabelColumnName needs HasHeader to be true.", nameof(LabelColumnName));
            }
        }

        if (!Enum.IsDefined(LabelEncoding))
        {
            throw new ArgumentOutOfRangeException(nameof(LabelEncoding), LabelEncoding, "LabelEncoding must be Automatic, ClassIndex or Category.");
        }

        if (ClassCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "ClassCount must be at least 1, or null to take the classes from the labels.");
        }

        if (MaximumClassCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumClassCount), MaximumClassCount, "MaximumClassCount must be at least 1.");
        }

        if (ClassNames is not null && ClassCount is { } classes && classes != ClassNames.Count)
        {
            throw new ArgumentException($"ClassCount ({classes}) must equal the number of ClassNames ({ClassNames.Count}).", nameof(ClassCount));
        }

        if (ClassNames is not null)
        {
            if (ClassNames.Count == 0 || ClassNames.Any(string.IsNullOrEmpty) || ClassNames.Distinct(StringComparer.Ordinal).Count() != ClassNames.Count)
            {
                throw new ArgumentException("ClassNames must hold at least one name, and its names must be distinct and non-empty.", nameof(ClassNames));
            }
        }
    }
}
