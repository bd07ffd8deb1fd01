using System.Globalization;
using System.Text;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>
/// The chart of accuracy (%) against the remaining parameters over a run's steps: the baseline as a grey point, accepted
/// steps as filled points joined in order, rejected (rolled back) steps as hollow points, and the budget's floor as a
/// dashed line.
/// </summary>
internal static class AccuracyChart
{
    /// <summary>The SVG element id.</summary>
    public const string Id = "chart-accuracy-vs-parameters";

    /// <summary>The chart width in pixels.</summary>
    public const double Width = 760;

    /// <summary>The chart height in pixels.</summary>
    public const double Height = 400;

    /// <summary>The plot's left pixel column.</summary>
    public const double Left = 76;

    /// <summary>The plot's right pixel column.</summary>
    public const double Right = Width - 28;

    /// <summary>The plot's top pixel row.</summary>
    public const double Top = 48;

    /// <summary>The plot's bottom pixel row.</summary>
    public const double Bottom = Height - 56;

    /// <summary>The largest number of steps whose points get a step-number label.</summary>
    private const int MaxLabelledSteps = 15;

    /// <summary>Renders the chart, followed by a note when some steps have no accuracy.</summary>
    /// <param name="s">The output.</param>
    /// <param name="report">The report.</param>
    public static void Render(StringBuilder s, PruningReport report)
    {
        // Structural pruning shrinks the parameter count; masking keeps it and zeroes weights, so plot nonzeros then.
        var snapshots = report.Steps.Select(step => step.Model).Prepend(report.Baseline).ToList();
        bool byNonzeros = snapshots.All(m => m.Parameters == report.Baseline.Parameters)
            && snapshots.Any(m => m.NonzeroParameters != report.Baseline.NonzeroParameters);
        string xName = byNonzeros ? "nonzero parameters" : "parameters";
        double XValue(ModelSnapshot m) => byNonzeros ? m.NonzeroParameters : m.Parameters;

        var points = new List<(ModelSnapshot Model, PruningStepReport? Step)>();
        if (Html.IsFinite(report.Baseline.Accuracy))
        {
            points.Add((report.Baseline, null));
        }

        points.AddRange(report.Steps.Where(step => Html.IsFinite(step.Model.Accuracy)).Select(step => (step.Model, (PruningStepReport?)step)));
        int unplotted = report.Steps.Count(step => !Html.IsFinite(step.Model.Accuracy));

        double? floor = Html.IsFinite(report.Baseline.Accuracy) && report.AllowedDrop is > 0 and var allowed
            ? (report.Baseline.Accuracy!.Value - allowed) * 100
            : null;
        var x = LinearScale.Create(points.Select(p => XValue(p.Model)), Left, Right, 6);
        var yValues = points.Select(p => p.Model.Accuracy!.Value * 100).ToList();
        if (floor is { } f)
        {
            yValues.Add(f);
        }

        var y = LinearScale.Create(yValues, Bottom, Top, 5);

        Svg.Open(s, Id, $"Accuracy versus remaining {xName}",
            $"Validation accuracy in percent against the number of {xName} at the baseline and after each of {report.Steps.Count} pruning steps; rejected steps were rolled back.",
            Width, Height);
        Svg.XAxis(s, x, Bottom, Top, $"remaining {xName}", Html.Compact);
        Svg.YAxis(s, y, Left, Right, "accuracy (%)", Html.Compact);
        Svg.LegendRow(s, Left - 8, 18,
        [
            ("baseline", "<circle class=\"baseline\" r=\"6\"/>"),
            ("accepted step", "<circle class=\"accepted\" r=\"5\"/>"),
            ("rejected step (rolled back)", "<circle class=\"rejected\" r=\"5\"/>"),
            ("allowed-drop floor", "<line class=\"floor\" x1=\"-9\" y1=\"0\" x2=\"9\" y2=\"0\"/>"),
        ]);

        if (floor is { } level)
        {
            string py = Html.Coordinate(y.Map(level));
            s.Append($"<line class=\"floor\" x1=\"{Html.Coordinate(Left)}\" y1=\"{py}\" x2=\"{Html.Coordinate(Right)}\" y2=\"{py}\"><title>allowed-drop floor: {Html.Format(level, "0.##")}%</title></line>\n");
        }

        var trajectory = points.Where(p => p.Step is null || p.Step.Accepted)
            .Select(p => $"{Html.Coordinate(x.Map(XValue(p.Model)))},{Html.Coordinate(y.Map(p.Model.Accuracy!.Value * 100))}");
        s.Append($"<polyline class=\"trajectory\" points=\"{string.Join(' ', trajectory)}\"/>\n");

        s.Append("<g class=\"points\">\n");
        bool labelled = report.Steps.Count <= MaxLabelledSteps;
        foreach (var (model, step) in points)
        {
            double value = XValue(model), accuracy = model.Accuracy!.Value * 100;
            string cx = Html.Coordinate(x.Map(value)), cy = Html.Coordinate(y.Map(accuracy));
            string kind = step is null ? "baseline" : step.Accepted ? "accepted" : "rejected";
            string name = step is null ? "baseline" : $"step {step.Step} ({(step.Accepted ? "accepted" : "rejected, rolled back")}), rate {Html.Format(step.Rate, "0.###")}";
            s.Append($"<circle class=\"point {kind}\" data-step=\"{(step is null ? "baseline" : step.Step.ToString(CultureInfo.InvariantCulture))}\" cx=\"{cx}\" cy=\"{cy}\" r=\"{(step is null ? 6 : 5)}\">");
            s.Append($"<title>{Html.Escape(name)}: {Html.Count((long)value)} {xName}, accuracy {Html.Format(accuracy, "0.00")}%</title></circle>\n");
            if (step is null)
            {
                s.Append($"<text class=\"point-label\" x=\"{cx}\" y=\"{cy}\" dx=\"-9\" dy=\"-9\" text-anchor=\"end\">baseline</text>\n");
            }
            else if (labelled)
            {
                s.Append($"<text class=\"point-label\" x=\"{cx}\" y=\"{cy}\" dy=\"-10\" text-anchor=\"middle\">{step.Step}</text>\n");
            }
        }

        s.Append("</g>\n");
        if (points.Count == 0)
        {
            Svg.EmptyMessage(s, (Left + Right) / 2, (Top + Bottom) / 2, "No accuracy was recorded.");
        }

        Svg.Close(s);
        if (unplotted > 0)
        {
            s.Append($"<p class=\"note\">{unplotted} step{(unplotted == 1 ? " has" : "s have")} no accuracy and {(unplotted == 1 ? "is" : "are")} not plotted.</p>\n");
        }
    }
}
