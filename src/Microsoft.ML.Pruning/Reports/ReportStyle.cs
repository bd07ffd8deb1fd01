namespace Microsoft.ML.Pruning.Reports;

/// <summary>The report page's inline style sheet: light, readable, printable, and independent of any script.</summary>
internal static class ReportStyle
{
    /// <summary>The CSS, placed in the page's <c>&lt;style&gt;</c> element.</summary>
    public const string Css = """
        :root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --rule: #e5e7eb; --accent: #2563eb; --bad: #dc2626; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f8fafc; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
        main { max-width: 960px; margin: 0 auto; padding: 28px 24px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; overflow-wrap: anywhere; }
        h2 { font-size: 18px; margin: 0 0 12px; }
        .meta { color: var(--muted); margin: 0 0 18px; overflow-wrap: anywhere; }
        .banner { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px; padding: 8px 12px; margin: 0 0 16px; }
        section { background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 18px 20px; margin: 0 0 20px; overflow-x: auto; }
        .figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 20px; }
        .figure { flex: 1 1 170px; background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 10px 14px; }
        .figure .value { display: block; font-size: 20px; white-space: nowrap; font-weight: 600; font-variant-numeric: tabular-nums; }
        .figure .label { color: var(--muted); font-size: 13px; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 14px; }
        th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
        th[scope="row"], td.text, th.text { text-align: left; }
        td.name { white-space: normal; overflow-wrap: anywhere; max-width: 260px; }
        thead th { color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--rule); white-space: normal; vertical-align: bottom; }
        tbody tr:nth-child(even) { background: #f9fafb; }
        tr.rejected td { color: var(--bad); }
        details { margin-top: 12px; }
        summary { cursor: pointer; color: var(--accent); }
        .note { color: var(--muted); font-style: italic; margin: 6px 0 0; }
        svg.chart { display: block; max-width: 100%; height: auto; font-size: 12px; }
        .chart text { fill: var(--ink); stroke: none; }
        .chart .grid { stroke: #eef0f3; }
        .chart .tick, .chart .axis-line { stroke: #9ca3af; }
        .chart .tick-label { fill: var(--muted); }
        .chart .axis-label { font-size: 13px; }
        .chart .empty { fill: var(--muted); font-size: 15px; }
        .chart circle.baseline { fill: #6b7280; stroke: #fff; stroke-width: 1.5; }
        .chart circle.accepted { fill: var(--accent); stroke: #fff; stroke-width: 1.5; }
        .chart circle.rejected { fill: #fff; stroke: var(--bad); stroke-width: 2; }
        .chart .trajectory { fill: none; stroke: var(--accent); stroke-width: 1.5; opacity: 0.6; }
        .chart .floor { stroke: #f59e0b; stroke-width: 1.5; stroke-dasharray: 6 4; }
        .chart .zero { stroke: #9ca3af; stroke-dasharray: 3 3; }
        .chart .point-label { fill: var(--muted); font-size: 11px; }
        .chart .bar.before { fill: #cbd5e1; }
        .chart .bar.after { fill: var(--accent); }
        .chart .bar-label { fill: var(--muted); font-size: 11px; }
        .chart .curve { fill: none; stroke-width: 2; stroke-dasharray: var(--dash, none); }
        .chart .series circle { stroke: #fff; stroke-width: 1; }
        @media print { body { background: #fff; } section, .figure { border: none; padding: 0; } main { max-width: none; } }
        """;
}
