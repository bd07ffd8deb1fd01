using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Reports;

namespace Microsoft.ML.Pruning;

/// <summary>The record of a pruning run: the model before and after, every step, and optionally a sensitivity sweep.</summary>
public sealed class PruningReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Gets or sets the pruning method's name.</summary>
    public string Method { get; set; } = "";

    /// <summary>Gets or sets the schedule's name.</summary>
    public string Schedule { get; set; } = "";

    /// <summary>
    /// Gets or sets the largest accuracy drop from <see cref="Baseline"/> that the budget allowed, absolute, in [0, 1],
    /// as every pruning step was checked against it; <see langword="null"/> when nothing checked a budget (training,
    /// fine-tuning, a model loaded as it is).
    /// </summary>
    public double? AllowedDrop { get; set; }

    /// <summary>Gets or sets the unpruned model.</summary>
    public ModelSnapshot Baseline { get; set; } = new();

    /// <summary>Gets or sets the model the run returned (the best within the budget).</summary>
    public ModelSnapshot Final { get; set; } = new();

    /// <summary>Gets or sets the steps, in order, rejected ones included.</summary>
    public IReadOnlyList<PruningStepReport> Steps { get; set; } = [];

    /// <summary>
    /// Gets or sets the coupled units structural pruning left alone, each with the reason (the output layer, units that
    /// reach a channel shuffle, ...); empty for element-wise pruning.
    /// </summary>
    public IReadOnlyList<SkippedGroup> SkippedGroups { get; set; } = [];

    /// <summary>Gets or sets the per-layer sensitivity sweep, empty when none was run.</summary>
    public IReadOnlyList<SensitivityPoint> Sensitivity { get; set; } = [];

    /// <summary>Gets the units (or weights) that the kept pruning steps removed: 0 when every step was rolled back.</summary>
    [JsonIgnore]
    public long Removed => Steps.Where(s => s.Accepted && s.Phase == "prune").Sum(s => (long)s.Removed);

    /// <summary>Gets or sets the run's wall-clock time in seconds.</summary>
    public double ElapsedSeconds { get; set; }

    /// <summary>Gets or sets whether the run was cancelled (the report then describes the best model so far).</summary>
    public bool Cancelled { get; set; }

    /// <summary>Serializes the report as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="FormatException">The text is not a pruning report.</exception>
    public static PruningReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var report = JsonSerializer.Deserialize<PruningReport>(json, JsonOptions) ?? throw new FormatException("The JSON text is null, not a pruning report.");
            return PruningReportReader.Check(report);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a pruning report: {e.Message}", e);
        }
    }

    /// <summary>Writes the report as JSON to a file, atomically (a crash leaves the old file or the new one, never half of one).</summary>
    /// <param name="path">The file path.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Encoding.UTF8.GetBytes(ToJson());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Loads a report saved by <see cref="Save"/>.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The report.</returns>
    /// <exception cref="FormatException">The file is not a pruning report, has a null part, or is larger than 64 MiB (read no further); the message names the file.</exception>
    /// <exception cref="IOException">The path is a FIFO or socket (which could block forever), or cannot be read.</exception>
    public static PruningReport Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return FromJson(PruningReportReader.ReadText(path));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Formats the report as a plain-text table: the method, schedule and budget, then what must not be missed (steps
    /// rolled back, nothing pruned, a final model over the budget), a before/after summary, the per-layer widths and the steps.
    /// </summary>
    /// <returns>The table.</returns>
    public string ToTable()
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        string budget = AllowedDrop is { } allowed ? string.Create(c, $"allowed drop {allowed * 100:0.##} points from the baseline") : "no accuracy budget";
        s.AppendLine(c, $"Pruning report: {Method}, schedule {Schedule}, {budget}{(Cancelled ? " (cancelled)" : "")}");
        foreach (string note in ReportNotes.Of(this))
        {
            s.AppendLine(c, $"note: {note}");
        }

        s.AppendLine(c, $"{"",-22}{"before",16}{"after",16}{"ratio",9}");
        Row("parameters", Baseline.Parameters, Final.Parameters);
        Row("nonzero weights", Baseline.NonzeroParameters, Final.NonzeroParameters);
        Row("multiply-adds", Baseline.MultiplyAdds, Final.MultiplyAdds);
        Row("model bytes", Baseline.ModelBytes, Final.ModelBytes);
        Optional("accuracy %", Baseline.Accuracy * 100, Final.Accuracy * 100, "0.00");
        Optional("loss", Baseline.Loss, Final.Loss, "0.0000");
        Optional("latency batch 1 ms", Baseline.LatencyBatch1Milliseconds, Final.LatencyBatch1Milliseconds, "0.000");
        Optional("latency batch 256 ms", Baseline.LatencyBatch256Milliseconds, Final.LatencyBatch256Milliseconds, "0.000");
        Optional("ORT latency b1 ms", Baseline.OnnxRuntimeLatencyBatch1Milliseconds, Final.OnnxRuntimeLatencyBatch1Milliseconds, "0.000");
        Optional("ORT latency b256 ms", Baseline.OnnxRuntimeLatencyBatch256Milliseconds, Final.OnnxRuntimeLatencyBatch256Milliseconds, "0.000");
        s.AppendLine();
        s.AppendLine(c, $"{"layer",-22}{"kind",-8}{"units before",14}{"units after",13}{"params after",14}");
        foreach (var before in Baseline.Layers)
        {
            var after = Final.Layers.FirstOrDefault(l => l.Layer == before.Layer);
            s.AppendLine(c, $"{before.Layer,-22}{before.Kind,-8}{before.Units,14:N0}{(after is null ? "removed" : after.Units.ToString("N0", c)),13}{after?.Parameters ?? 0,14:N0}");
        }

        foreach (var added in Final.Layers.Where(l => Baseline.Layers.All(b => b.Layer != l.Layer)))
        {
            s.AppendLine(c, $"{added.Layer,-22}{added.Kind,-8}{"added",14}{added.Units,13:N0}{added.Parameters,14:N0}");
        }

        if (SkippedGroups.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(c, $"skipped groups (cannot be pruned): {SkippedGroups.Count}");
            foreach (var skipped in SkippedGroups)
            {
                s.AppendLine(c, $"  {skipped}");
            }
        }

        if (Steps.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(c, $"{"step",5} {"phase",-10}{"rate",7}{"removed",9}{"parameters",12}{"nonzeros",12}{"accuracy %",12}  kept");
            foreach (var step in Steps)
            {
                s.AppendLine(c, $"{step.Step,5} {step.Phase,-10}{step.Rate,7:0.000}{step.Removed,9:N0}{step.Model.Parameters,12:N0}{step.Model.NonzeroParameters,12:N0}{step.Model.Accuracy * 100,12:0.00}  {(step.Accepted ? "yes" : "rolled back")}");
                foreach (string warning in step.Warnings ?? [])
                {
                    s.AppendLine(c, $"{"",5} warning: {warning}");
                }
            }
        }

        s.AppendLine(c, $"elapsed {ElapsedSeconds:0.0} s");
        return s.ToString();

        void Row(string label, long before, long after) =>
            s.AppendLine(c, $"{label,-22}{before,16:N0}{after,16:N0}{(before == 0 ? "" : ((double)after / before).ToString("0.000", c)),9}");

        void Optional(string label, double? before, double? after, string format)
        {
            if (before is null && after is null)
            {
                return;
            }

            string ratio = before is > 0 && after is not null ? (after.Value / before.Value).ToString("0.000", c) : "";
            s.AppendLine(c, $"{label,-22}{before?.ToString(format, c) ?? "-",16}{after?.ToString(format, c) ?? "-",16}{ratio,9}");
        }
    }

    /// <summary>Writes <see cref="SensitivityToCsv"/> to a file, atomically.</summary>
    /// <param name="path">The file path.</param>
    public void SaveSensitivityCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Encoding.UTF8.GetBytes(SensitivityToCsv());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Formats the sensitivity sweep as CSV (<c>layer,rate,accuracy,accuracy_drop</c>), invariant culture.</summary>
    /// <returns>The CSV text, header included.</returns>
    public string SensitivityToCsv()
    {
        var s = new StringBuilder("layer,rate,accuracy,accuracy_drop\n");
        foreach (var p in Sensitivity)
        {
            s.Append(CultureInfo.InvariantCulture, $"{p.Layer},{p.Rate:0.####},{p.Accuracy:0.######},{p.AccuracyDrop:0.######}\n");
        }

        return s.ToString();
    }
}
