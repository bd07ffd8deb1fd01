using Microsoft.ML.Data;

namespace WaveformModel;

/// <summary>One row of waveform.csv: 21 measurements and the wave's class.</summary>
public sealed class ModelInput
{
    [LoadColumn(0, 20)]
    [VectorType(21)]
    public float[] Values { get; set; } = [];

    [LoadColumn(21)]
    public string Kind { get; set; } = "";
}
