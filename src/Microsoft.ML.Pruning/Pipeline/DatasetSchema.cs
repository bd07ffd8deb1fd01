using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning;

/// <summary>The columns of a data set as a pipeline sees them, used to check a pipeline before it runs.</summary>
public sealed class DatasetSchema
{
    /// <summary>Creates a schema.</summary>
    /// <param name="columns">The columns; names must be unique.</param>
    public DatasetSchema(IReadOnlyList<SchemaColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var duplicate = columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The schema has two columns named '{duplicate.Key}'.", nameof(columns));
        }

        Columns = columns;
    }

    /// <summary>Gets the columns.</summary>
    public IReadOnlyList<SchemaColumn> Columns { get; }

    /// <summary>Gets the column with the given name, or <see langword="null"/>.</summary>
    /// <param name="name">The column name.</param>
    public SchemaColumn? this[string name] => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>Describes a data set: its features and labels.</summary>
    /// <param name="data">The data set.</param>
    /// <returns>The schema with <see cref="ColumnNames.Features"/> and <see cref="ColumnNames.Label"/>.</returns>
    public static DatasetSchema Of(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DatasetSchema([new SchemaColumn(ColumnNames.Features, data.SampleShape, false), new SchemaColumn(ColumnNames.Label, [], true)]);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", Columns);
}
