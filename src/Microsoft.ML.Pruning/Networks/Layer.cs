using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// A node's computation in a <see cref="Network"/>: a forward pass, a backward pass, and the parameters it trains.
/// </summary>
/// <remarks>
/// Shapes passed to <see cref="GetOutputShape"/> are per-sample (without the batch dimension); tensors passed to
/// <see cref="Forward"/> and <see cref="Backward"/> carry the batch as their first dimension. A layer owns the tensors
/// it returns and reuses them on its next call.
/// </remarks>
public abstract class Layer
{
    private string _name;

    /// <summary>Initializes the layer with a name.</summary>
    /// <param name="name">The layer's name; a default derived from the type is used when null or empty.</param>
    protected Layer(string? name)
    {
        _name = string.IsNullOrEmpty(name) ? GetType().Name : name;
    }

    /// <summary>Gets or sets the layer's name, unique within its network once added.</summary>
    public string Name
    {
        get => _name;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _name = value;
        }
    }

    /// <summary>Gets the number of inputs the layer takes.</summary>
    public virtual int InputCount => 1;

    /// <summary>Gets the trainable parameters.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Gets the non-trainable state saved with the layer (such as BatchNorm's running statistics).</summary>
    public virtual IReadOnlyList<Parameter> Buffers => [];

    /// <summary>
    /// Gets or sets whether <see cref="Backward"/> computes gradients with respect to the inputs. The network clears it
    /// for layers fed only by the network's input, where that gradient is never used.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>
    /// Gets or sets whether a training forward pass keeps the inference behaviour (BatchNorm normalizes with its running
    /// statistics and leaves them unchanged, dropout is the identity) while still caching what <see cref="Backward"/>
    /// needs, so that <see cref="Backward"/> differentiates the inference function. Gradient-based pruning criteria set
    /// it for the duration of a scoring pass so that scoring leaves the network as it found it.
    /// </summary>
    internal bool KeepInferenceBehaviour { get; set; }

    /// <summary>
    /// Gets or sets whether <see cref="Backward"/> writes the parameters' gradients. Gradient-based pruning criteria,
    /// which need only the gradients with respect to activations, clear it for the duration of a scoring pass: the
    /// backward pass then skips the weight-gradient products (and a convolution's training forward keeps no im2col
    /// columns for them), and the parameters' gradients are left as they were. It must have the same value at the
    /// training forward pass and at the backward pass that follows it.
    /// </summary>
    internal bool ComputeParameterGradients { get; set; } = true;

    /// <summary>Computes the per-sample output shape, validating the input shapes.</summary>
    /// <param name="inputShapes">The per-sample shape of each input.</param>
    /// <returns>The per-sample output shape.</returns>
    /// <exception cref="ArgumentException">The inputs do not fit the layer; the message names the layer.</exception>
    public abstract int[] GetOutputShape(IReadOnlyList<int[]> inputShapes);

    /// <summary>Runs the forward pass.</summary>
    /// <param name="inputs">One batch tensor per input.</param>
    /// <param name="training">Whether the pass is for training (batch statistics, dropout, caching for backward).</param>
    /// <returns>The output, owned by the layer and valid until its next forward pass.</returns>
    public abstract FloatTensor Forward(IReadOnlyList<FloatTensor> inputs, bool training);

    /// <summary>
    /// Runs the backward pass of the last training forward pass: writes the parameters' gradients and returns the
    /// gradient with respect to each input (entries are <see langword="null"/> when <see cref="ComputeInputGradient"/> is off).
    /// </summary>
    /// <param name="outputGradient">The gradient of the loss with respect to the output.</param>
    /// <returns>One gradient per input.</returns>
    public abstract IReadOnlyList<FloatTensor?> Backward(FloatTensor outputGradient);

    /// <summary>Re-initializes the parameters from a seeded generator.</summary>
    /// <param name="random">The random source.</param>
    public virtual void ResetParameters(Random random)
    {
    }

    /// <summary>Returns the number of multiply-adds of one sample's forward pass.</summary>
    /// <param name="inputShapes">The per-sample shape of each input.</param>
    /// <returns>The multiply-add count.</returns>
    public virtual long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes) => 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({GetType().Name})";

    /// <summary>Builds the exception thrown when an input shape does not fit.</summary>
    /// <param name="detail">What is wrong.</param>
    /// <returns>The exception naming the layer.</returns>
    protected ArgumentException ShapeError(string detail) =>
        new($"Layer '{Name}' ({GetType().Name}): {detail}");

    /// <summary>Ensures a single input and returns its shape.</summary>
    /// <param name="inputShapes">The input shapes.</param>
    /// <param name="rank">The required rank, or 0 for any.</param>
    /// <returns>The single input's shape.</returns>
    protected int[] SingleInput(IReadOnlyList<int[]> inputShapes, int rank = 0)
    {
        if (inputShapes.Count != 1)
        {
            throw ShapeError($"expects 1 input, got {inputShapes.Count}.");
        }

        if (rank != 0 && inputShapes[0].Length != rank)
        {
            throw ShapeError($"expects a per-sample input of rank {rank}, got {FloatTensor.FormatShape(inputShapes[0])}.");
        }

        return inputShapes[0];
    }
}
