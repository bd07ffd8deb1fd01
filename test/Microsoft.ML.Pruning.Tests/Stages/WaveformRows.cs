using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Waveform rows as an ML.NET user holds them: 21 raw floats and a text class.</summary>
public sealed class WaveformRow
{
    /// <summary>Gets or sets the 21 measurements.</summary>
    [VectorType(21)]
    public float[] Values { get; set; } = [];

    /// <summary>Gets or sets the class name.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Generates rows from the Waveform generator (classes named wave0..wave2).</summary>
    public static WaveformRow[] Generate(int count, int seed)
    {
        var data = WaveformGenerator.Generate(count, seed);
        return Enumerable.Range(0, data.Count).Select(i => new WaveformRow { Values = data.GetSample(i).ToArray(), Kind = "wave" + data.Labels[i] }).ToArray();
    }
}

/// <summary>What a prediction engine returns.</summary>
public sealed class WavePrediction
{
    /// <summary>Gets or sets the class probabilities.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>Gets or sets the predicted class (after MapKeyToValue).</summary>
    public string PredictedLabel { get; set; } = "";
}

/// <summary>A row one measurement short of what the models expect.</summary>
public sealed class NarrowRow
{
    /// <summary>Gets or sets 20 measurements.</summary>
    [VectorType(20)]
    public float[] Values { get; set; } = [];

    /// <summary>Gets or sets the class name.</summary>
    public string Kind { get; set; } = "";
}
