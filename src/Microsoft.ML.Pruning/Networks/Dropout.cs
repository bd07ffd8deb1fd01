using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Inverted dropout: while training, zeroes each element with probability p and scales the rest by 1/(1-p); the identity otherwise.</summary>
public sealed class Dropout : UnaryLayer
{
    private Random _random;
    private FloatTensor? _output;
    private FloatTensor? _mask;
    private FloatTensor? _inputGradient;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="probability">The probability of zeroing an element, in [0, 1). The default is 0.5.</param>
    /// <param name="seed">The seed of the layer's mask generator. The default is 0.</param>
    /// <param name="name">The layer's name.</param>
    public Dropout(float probability = 0.5f, int seed = 0, string? name = null)
        : base(name)
    {
        if (!(probability is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "probability must be in [0, 1).");
        }

        Probability = probability;
        _random = new Random(seed);
    }

    /// <summary>Gets the probability of zeroing an element.</summary>
    public float Probability { get; }

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => (int[])SingleInput(inputShapes).Clone();

    /// <inheritdoc/>
    public override void ResetParameters(Random random) => _random = new Random(random.Next());

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if (!training || Probability == 0 || KeepInferenceBehaviour)
        {
            _mask = null;
            return input;
        }

        var mask = Ensure(ref _mask, input.Shape);
        var output = Ensure(ref _output, input.Shape);
        float keep = 1f / (1f - Probability);
        var m = mask.Span;
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = _random.NextSingle() < Probability ? 0f : keep;
        }

        VectorOps.Multiply(input.Span, m, output.Span);
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        if (!ComputeInputGradient || _mask is null)
        {
            return ComputeInputGradient ? outputGradient : null;
        }

        var inputGradient = Ensure(ref _inputGradient, outputGradient.Shape);
        VectorOps.Multiply(outputGradient.Span, _mask.Span, inputGradient.Span);
        return inputGradient;
    }
}
