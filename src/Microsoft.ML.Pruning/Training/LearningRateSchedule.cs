namespace Microsoft.ML.Pruning.Training;

/// <summary>Sets the learning rate at the start of each epoch.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>Returns the learning rate of an epoch.</summary>
    /// <param name="baseRate">The optimizer's initial rate.</param>
    /// <param name="epoch">The zero-based epoch.</param>
    /// <param name="totalEpochs">The number of epochs of the run.</param>
    /// <returns>The rate, positive.</returns>
    public abstract float GetRate(float baseRate, int epoch, int totalEpochs);
}
