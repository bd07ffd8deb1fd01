namespace Microsoft.ML.Pruning.Training;

/// <summary>Cosine annealing from the base rate to <see cref="MinimumRate"/> over the run (PyTorch's CosineAnnealingLR with T_max = epochs).</summary>
public sealed class CosineLearningRate : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="minimumRate">The rate reached at the end, at least 0. The default is 0.</param>
    public CosineLearningRate(float minimumRate = 0)
    {
        if (!(minimumRate >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, "minimumRate must be at least 0.");
        }

        MinimumRate = minimumRate;
    }

    /// <summary>Gets the final rate.</summary>
    public float MinimumRate { get; }

    /// <inheritdoc/>
    public override float GetRate(float baseRate, int epoch, int totalEpochs)
    {
        float rate = MinimumRate + ((baseRate - MinimumRate) * (1 + MathF.Cos(MathF.PI * epoch / Math.Max(totalEpochs, 1))) / 2);
        return Math.Max(rate, float.Epsilon);
    }
}
