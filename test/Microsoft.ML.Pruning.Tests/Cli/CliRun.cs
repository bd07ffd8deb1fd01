using System.Globalization;
using System.Text;
using Microsoft.ML.Pruning.Cli;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary>One in-process run of mlprune: its exit code and what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Gets the lines written to standard error.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Runs <c>mlprune ARGS</c> through <see cref="Program.Run"/>, with the output and error captured.</summary>
    public static CliRun Of(params string[] args) => Of(new StringWriter(CultureInfo.InvariantCulture), CancellationToken.None, args);

    public static CliRun Of(StringWriter output, CancellationToken cancellationToken, params string[] args)
    {
        var error = new StringWriter(CultureInfo.InvariantCulture);
        int exitCode = Program.Run(args, output, error, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Writes a CSV with a header, 4 features and 2 classes that a line separates (class 1 where the features sum above 0).</summary>
    public static string WriteSeparableCsv(TempDirectory directory, string name = "tiny.csv", int rows = 200) => directory.WriteText(name, SeparableCsvText(rows));

    /// <summary>The text of <see cref="WriteSeparableCsv"/>.</summary>
    public static string SeparableCsvText(int rows = 200)
    {
        var random = new Random(7);
        var text = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < rows; i++)
        {
            int label = i % 2;
            double shift = label == 0 ? -1.5 : 1.5;
            var features = Enumerable.Range(0, 4).Select(_ => (shift + (random.NextDouble() - 0.5)).ToString("0.###", CultureInfo.InvariantCulture));
            text.Append(string.Join(',', features)).Append(label == 0 ? ",no\n" : ",yes\n");
        }

        return text.ToString();
    }

    public override string ToString() => $"exit {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}
