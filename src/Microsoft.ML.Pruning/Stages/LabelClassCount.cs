using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>The number of classes a label column holds, to size a new classifier head.</summary>
internal static class LabelClassCount
{
    /// <summary>Returns a key label's count, or one more than the largest value of an integer label (read from the data).</summary>
    /// <param name="data">The data.</param>
    /// <param name="label">The label column's name.</param>
    /// <returns>The class count, at least 1.</returns>
    /// <exception cref="ArgumentException">The column is missing or neither a key nor an integer.</exception>
    public static int Of(IDataView data, string label)
    {
        var column = data.Schema.GetColumnOrNull(label)
            ?? throw new ArgumentException($"Column '{label}' was not found in the data (columns: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}).", "input");
        if (column.Type is KeyDataViewType key)
        {
            return (int)Math.Min(key.Count, int.MaxValue);
        }

        var asDouble = new MLContext(seed: 0).Transforms.Conversion.ConvertType("label", label, DataKind.Double).Fit(data).Transform(data);
        double largest = -1;
        foreach (double value in asDouble.GetColumn<double>("label"))
        {
            largest = Math.Max(largest, value);
        }

        return (int)Math.Max(1, largest + 1);
    }
}
