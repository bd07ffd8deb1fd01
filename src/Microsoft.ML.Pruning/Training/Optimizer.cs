using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Training;

/// <summary>Updates parameters from their gradients. Masked parameters are re-masked after every step.</summary>
/// <remarks>
/// Given to a <see cref="Trainer"/> (<see cref="TrainerOptions.Optimizer"/>), an optimizer is a description: each fit
/// steps with its own copy (a member-wise copy without per-parameter state), so that a fit neither reads nor changes
/// this instance's <see cref="LearningRate"/> or state, and every fit starts with fresh momentum and moments. A subclass
/// that keeps mutable state of its own in reference-type fields should keep it per parameter in the state arrays that
/// <see cref="Update"/> receives, which each copy gets afresh.
/// </remarks>
public abstract class Optimizer
{
    private Dictionary<Parameter, float[][]> _state = new(ReferenceEqualityComparer.Instance);
    private float _learningRate;

    /// <summary>Initializes the optimizer.</summary>
    /// <param name="learningRate">The step size; must be positive and finite.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient; must be finite and at least 0.</param>
    protected Optimizer(float learningRate, float weightDecay)
    {
        LearningRate = learningRate;
        if (!(weightDecay >= 0) || !float.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be finite and at least 0.");
        }

        WeightDecay = weightDecay;
    }

    /// <summary>Gets the L2 penalty added to the gradient (λ·w).</summary>
    public float WeightDecay { get; }

    /// <summary>Gets or sets the step size (a learning-rate schedule changes it between epochs).</summary>
    /// <value>Must be positive and finite.</value>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0) || !float.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "LearningRate must be positive and finite.");
            }

            _learningRate = value;
        }
    }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    /// <param name="parameters">The parameters to update.</param>
    public void Step(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters)
        {
            if (!_state.TryGetValue(parameter, out var state) || state[0].Length != parameter.Length)
            {
                // New parameter, or one whose shape changed under structural pruning: start its state afresh.
                state = new float[StateCount][];
                for (int i = 0; i < StateCount; i++)
                {
                    state[i] = new float[parameter.Length];
                }

                _state[parameter] = state;
            }

            Update(parameter.Value.Span, parameter.Gradient.Span, state);
            parameter.ApplyMask();
        }
    }

    /// <summary>Forgets all per-parameter state (momentum, moments, step counts).</summary>
    public virtual void Reset() => _state.Clear();

    /// <summary>Returns a copy with the same hyperparameters and no per-parameter state, for one fit to step with.</summary>
    /// <returns>The copy; changing its learning rate or stepping it leaves this instance unchanged.</returns>
    internal Optimizer CopyWithoutState()
    {
        var copy = (Optimizer)MemberwiseClone();
        copy._state = new(ReferenceEqualityComparer.Instance);
        copy.OnCopied();
        return copy;
    }

    /// <summary>Gives a member-wise copy its own mutable fields (called on the copy by <see cref="CopyWithoutState"/>).</summary>
    private protected virtual void OnCopied()
    {
    }

    /// <summary>Checks that a decay factor lies in [0, 1).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The option's name, for the message.</param>
    /// <returns>The value.</returns>
    protected static float CheckFraction(float value, string name) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");

    /// <summary>Gets the number of per-element state arrays each parameter needs (at least 1).</summary>
    protected abstract int StateCount { get; }

    /// <summary>Updates one parameter.</summary>
    /// <param name="values">The values to update in place.</param>
    /// <param name="gradient">The gradient.</param>
    /// <param name="state">The per-element state arrays of this parameter.</param>
    protected abstract void Update(Span<float> values, ReadOnlySpan<float> gradient, float[][] state);
}
