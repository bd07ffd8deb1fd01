namespace FashionImageModel;

/// <summary>One image file and its class (the name of the folder it is in).</summary>
public sealed class ModelInput
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";

    /// <summary>Reads a folder of class folders of PNG files, in a fixed order.</summary>
    public static ModelInput[] ReadFolder(string folder) =>
        Directory.GetDirectories(folder).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, "*.png").Order(StringComparer.Ordinal).Select(f => new ModelInput { ImagePath = f, Label = Path.GetFileName(d) }))
            .ToArray();
}

/// <summary>What a model predicts for one image.</summary>
public sealed class ModelOutput
{
    public float[] Score { get; set; } = [];

    public string PredictedLabel { get; set; } = "";
}
