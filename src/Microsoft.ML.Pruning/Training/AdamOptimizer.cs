using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Training;

/// <summary>Adam (Kingma and Ba, 2015) with bias correction and optional L2 weight decay, as PyTorch's torch.optim.Adam.</summary>
public sealed class AdamOptimizer : Optimizer
{
    private Dictionary<float[], int> _steps = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. The default is 0.001.</param>
    /// <param name="beta1">The decay of the first moment, in [0, 1). The default is 0.9.</param>
    /// <param name="beta2">The decay of the second moment, in [0, 1). The default is 0.999.</param>
    /// <param name="epsilon">Added to the denominator, positive. The default is 1e-8.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient, at least 0. The default is 0.</param>
    public AdamOptimizer(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0)
        : base(learningRate, weightDecay)
    {
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        Beta1 = CheckFraction(beta1, nameof(beta1));
        Beta2 = CheckFraction(beta2, nameof(beta2));
        Epsilon = epsilon;
    }

    /// <summary>Gets the decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Gets the decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Gets the denominator's epsilon.</summary>
    public float Epsilon { get; }


    /// <inheritdoc/>
    protected override int StateCount => 2;

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _steps.Clear();
    }

    /// <inheritdoc/>
    private protected override void OnCopied() => _steps = new(ReferenceEqualityComparer.Instance);

    /// <inheritdoc/>
    protected override void Update(Span<float> values, ReadOnlySpan<float> gradient, float[][] state)
    {
        float[] m = state[0], v = state[1];
        int step = _steps[m] = _steps.GetValueOrDefault(m) + 1;
        float correction1 = 1f - MathF.Pow(Beta1, step);
        float correction2 = 1f - MathF.Pow(Beta2, step);
        float stepSize = LearningRate / correction1;
        float inverseSqrtCorrection2 = 1f / MathF.Sqrt(correction2);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var beta1 = new Vector<float>(Beta1);
            var beta2 = new Vector<float>(Beta2);
            var oneMinusBeta1 = new Vector<float>(1 - Beta1);
            var oneMinusBeta2 = new Vector<float>(1 - Beta2);
            var decay = new Vector<float>(WeightDecay);
            var size = new Vector<float>(stepSize);
            var correction = new Vector<float>(inverseSqrtCorrection2);
            var epsilon = new Vector<float>(Epsilon);
            ref float pv = ref MemoryMarshal.GetReference(values);
            ref float pg = ref MemoryMarshal.GetReference(gradient);
            ref float pm = ref MemoryMarshal.GetArrayDataReference(m);
            ref float ps = ref MemoryMarshal.GetArrayDataReference(v);
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var w = Vector.LoadUnsafe(ref pv, (nuint)i);
                var g = Vector.LoadUnsafe(ref pg, (nuint)i) + (decay * w);
                var mi = (beta1 * Vector.LoadUnsafe(ref pm, (nuint)i)) + (oneMinusBeta1 * g);
                var vi = (beta2 * Vector.LoadUnsafe(ref ps, (nuint)i)) + (oneMinusBeta2 * g * g);
                mi.StoreUnsafe(ref pm, (nuint)i);
                vi.StoreUnsafe(ref ps, (nuint)i);
                (w - (size * mi / ((Vector.SquareRoot(vi) * correction) + epsilon))).StoreUnsafe(ref pv, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            float g = gradient[i] + (WeightDecay * values[i]);
            m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g);
            v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g * g);
            values[i] -= stepSize * m[i] / ((MathF.Sqrt(v[i]) * inverseSqrtCorrection2) + Epsilon);
        }
    }
}
