namespace Microsoft.ML.Pruning.Cli;

/// <summary>How a CSV file is laid out, from the command line.</summary>
internal sealed record CsvSettings(string? LabelColumn, bool HasHeader, int SkipLines, char Separator);
