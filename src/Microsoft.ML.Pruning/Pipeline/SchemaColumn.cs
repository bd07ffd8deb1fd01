using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning;

/// <summary>One column of a <see cref="DatasetSchema"/>: a name and the per-row shape of its values.</summary>
/// <param name="Name">The column name, one of <see cref="ColumnNames"/>.</param>
/// <param name="Shape">The per-row shape: the sample shape for features, [] for a label, [classes] for scores.</param>
/// <param name="IsInteger">Whether the values are class indices rather than floats.</param>
public sealed record SchemaColumn(string Name, IReadOnlyList<int> Shape, bool IsInteger)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {(IsInteger ? "int" : "float")}{Tensor.FormatShape(Shape.ToArray())}";
}
