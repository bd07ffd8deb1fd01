using Microsoft.ML.Pruning.Networks;

// In ML.NET's namespace, beside mlContext.Model.Save.
namespace Microsoft.ML;

/// <summary>Saving on <c>mlContext.Model</c> that never leaves a partial file.</summary>
public static class PruningModelExtensions
{
    /// <summary>
    /// Saves a model as <c>mlContext.Model.Save</c> does, atomically: the zip is written beside <paramref name="filePath"/>
    /// and moved over it only once complete, so a failed save (a transformer that cannot be saved, ONNX Runtime missing,
    /// a full disk) leaves the target as it was. ML.NET's own <c>Save(model, schema, path)</c> writes straight to the path.
    /// </summary>
    /// <param name="catalog">ML.NET's model operations.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The schema of the data the model was fitted on.</param>
    /// <param name="filePath">The destination .zip file.</param>
    public static void SaveAtomic(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        AtomicFile.Write(filePath, stream => catalog.Save(model, inputSchema, new KeepOpenStream(stream)));
    }

    /// <summary>A stream that ignores being closed, so ML.NET's writer cannot close the file before it is flushed and moved.</summary>
    private sealed class KeepOpenStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The stream is write-only.");

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        protected override void Dispose(bool disposing) => inner.Flush();
    }
}
