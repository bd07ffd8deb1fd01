using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>Stochastic gradient descent with momentum and L2 weight decay, with PyTorch's update rule (dampening 0).</summary>
public sealed class SgdOptimizer : Optimizer
{
    private float[] _scratch = [];

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size.</param>
    /// <param name="momentum">The momentum factor in [0, 1). The default is 0 (plain SGD).</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient, at least 0. The default is 0.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum. The default is <see langword="false"/>.</param>
    public SgdOptimizer(float learningRate, float momentum = 0, float weightDecay = 0, bool nesterov = false)
        : base(learningRate, weightDecay)
    {
        Momentum = CheckFraction(momentum, nameof(momentum));
        Nesterov = nesterov;
    }

    /// <summary>Gets the momentum factor.</summary>
    public float Momentum { get; }


    /// <summary>Gets whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override int StateCount => 1;

    /// <inheritdoc/>
    private protected override void OnCopied() => _scratch = [];

    /// <inheritdoc/>
    protected override void Update(Span<float> values, ReadOnlySpan<float> gradient, float[][] state)
    {
        var velocity = state[0].AsSpan(0, values.Length);
        float rate = LearningRate;
        if (WeightDecay > 0)
        {
            // g += λ·w, in a scratch copy so the caller's gradient stays as the backward pass wrote it.
            if (_scratch.Length < values.Length)
            {
                _scratch = new float[values.Length];
            }

            var decayed = _scratch.AsSpan(0, values.Length);
            gradient.CopyTo(decayed);
            VectorOps.AddScaled(decayed, values, WeightDecay);
            gradient = decayed;
        }

        if (Momentum == 0)
        {
            VectorOps.AddScaled(values, gradient, -rate);
            return;
        }

        // v = μ·v + g; then w -= lr·v, or w -= lr·(g + μ·v) with Nesterov.
        VectorOps.Scale(velocity, Momentum);
        VectorOps.Add(velocity, gradient);
        if (Nesterov)
        {
            VectorOps.AddScaled(values, gradient, -rate);
            VectorOps.AddScaled(values, velocity, -rate * Momentum);
        }
        else
        {
            VectorOps.AddScaled(values, velocity, -rate);
        }
    }
}
