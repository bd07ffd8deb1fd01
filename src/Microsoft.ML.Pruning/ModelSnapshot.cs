namespace Microsoft.ML.Pruning;

/// <summary>The size, cost and quality of a model at one point of a pruning run.</summary>
public sealed class ModelSnapshot
{
    /// <summary>Gets or sets the number of trainable values.</summary>
    public long Parameters { get; set; }

    /// <summary>Gets or sets the number of trainable values that are not zero.</summary>
    public long NonzeroParameters { get; set; }

    /// <summary>Gets or sets the multiply-adds (FLOPs as multiply-accumulates) of one sample's forward pass.</summary>
    public long MultiplyAdds { get; set; }

    /// <summary>Gets or sets the size in bytes of the model saved as ONNX (float32 weights).</summary>
    public long ModelBytes { get; set; }

    /// <summary>Gets or sets the validation accuracy in [0, 1], or <see langword="null"/> when not evaluated.</summary>
    public double? Accuracy { get; set; }

    /// <summary>Gets or sets the validation loss, or <see langword="null"/> when not evaluated.</summary>
    public double? Loss { get; set; }

    /// <summary>Gets or sets the median inference time of one sample, in milliseconds, or <see langword="null"/> when not measured.</summary>
    public double? LatencyBatch1Milliseconds { get; set; }

    /// <summary>Gets or sets the median inference time of a batch of 256 samples, in milliseconds, or <see langword="null"/> when not measured.</summary>
    public double? LatencyBatch256Milliseconds { get; set; }

    /// <summary>
    /// Gets or sets the median time of one sample in ONNX Runtime on the model exported as ONNX (where an ML.NET user
    /// deploys it, through <c>ApplyOnnxModel</c>), in milliseconds, with as many intra-op threads as the engine uses; or
    /// <see langword="null"/> when not measured or when ONNX Runtime's native library is not available.
    /// </summary>
    public double? OnnxRuntimeLatencyBatch1Milliseconds { get; set; }

    /// <summary>Gets or sets the median time of a batch of 256 samples in ONNX Runtime, in milliseconds, or <see langword="null"/>, as <see cref="OnnxRuntimeLatencyBatch1Milliseconds"/>.</summary>
    public double? OnnxRuntimeLatencyBatch256Milliseconds { get; set; }

    /// <summary>Gets or sets the Dense and Conv2d layers' sizes, in network order.</summary>
    public IReadOnlyList<LayerWidth> Layers { get; set; } = [];
}
