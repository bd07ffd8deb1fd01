namespace Microsoft.ML.Pruning.Loop;

/// <summary>
/// Passes reports straight to a delegate on the reporting thread (unlike <see cref="Progress{T}"/>, which posts them to
/// the synchronization context later).
/// </summary>
/// <typeparam name="T">The report type.</typeparam>
/// <param name="report">Receives each report.</param>
internal sealed class ProgressRelay<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
