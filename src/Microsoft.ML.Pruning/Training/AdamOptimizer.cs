namespace Microsoft.ML.Pruning.Training;

/// <summary>Adam (Kingma and Ba, 2015) with bias correction and optional L2 weight decay, as PyTorch's torch.optim.Adam.</summary>
public sealed class AdamOptimizer : Optimizer
{
    private readonly Dictionary<float[], int> _steps = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. The default is 0.001.</param>
    /// <param name="beta1">The decay of the first moment, in [0, 1). The default is 0.9.</param>
    /// <param name="beta2">The decay of the second moment, in [0, 1). The default is 0.999.</param>
    /// <param name="epsilon">Added to the denominator, positive. The default is 1e-8.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient, at least 0. The default is 0.</param>
    public AdamOptimizer(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0)
        : base(learningRate)
    {
        if (!(beta1 is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        if (!(weightDecay >= 0) || !float.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be finite and at least 0.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>Gets the decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Gets the decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Gets the denominator's epsilon.</summary>
    public float Epsilon { get; }

    /// <summary>Gets the L2 penalty.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override int StateCount => 2;

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _steps.Clear();
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> values, ReadOnlySpan<float> gradient, float[][] state)
    {
        float[] m = state[0], v = state[1];
        int step = _steps[m] = _steps.GetValueOrDefault(m) + 1;
        float correction1 = 1f - MathF.Pow(Beta1, step);
        float correction2 = 1f - MathF.Pow(Beta2, step);
        float stepSize = LearningRate / correction1;
        float inverseSqrtCorrection2 = 1f / MathF.Sqrt(correction2);
        for (int i = 0; i < values.Length; i++)
        {
            float g = gradient[i] + (WeightDecay * values[i]);
            m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g);
            v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g * g);
            values[i] -= stepSize * m[i] / ((MathF.Sqrt(v[i]) * inverseSqrtCorrection2) + Epsilon);
        }
    }
}
