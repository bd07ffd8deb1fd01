namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>A uniquely named temporary folder, deleted with its contents on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "onnx-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>Gets the folder's path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
