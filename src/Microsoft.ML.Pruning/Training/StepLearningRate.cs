namespace Microsoft.ML.Pruning.Training;

/// <summary>Multiplies the rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs (PyTorch's StepLR).</summary>
public sealed class StepLearningRate : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">The epochs between decays, at least 1.</param>
    /// <param name="gamma">The decay factor, in (0, 1]. The default is 0.1.</param>
    public StepLearningRate(int stepSize, float gamma = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!(gamma is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in (0, 1].");
        }

        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Gets the epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Gets the decay factor.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override float GetRate(float baseRate, int epoch, int totalEpochs) => baseRate * MathF.Pow(Gamma, epoch / StepSize);
}
