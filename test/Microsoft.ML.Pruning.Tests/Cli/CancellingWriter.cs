using System.Globalization;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary>A writer that cancels a token once the text written so far contains a trigger.</summary>
internal sealed class CancellingWriter(string trigger, CancellationTokenSource cancellation) : StringWriter(CultureInfo.InvariantCulture)
{
    public override void Write(char value)
    {
        base.Write(value);
        Check();
    }

    public override void Write(string? value)
    {
        base.Write(value);
        Check();
    }

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        Check();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        base.Write(buffer, index, count);
        Check();
    }

    private void Check()
    {
        if (!cancellation.IsCancellationRequested && GetStringBuilder().ToString().Contains(trigger, StringComparison.Ordinal))
        {
            cancellation.Cancel();
        }
    }
}
