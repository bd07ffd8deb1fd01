using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Resolves the <c>--data</c> argument into training and test sets shaped for the model.</summary>
internal static class DataSource
{
    public const string Help = "a folder of IDX files (Fashion-MNIST layout; 'fashion-mnist' means /usr/share/datasets/fashion-mnist) or a .csv file (label in the last column unless --label-column)";

    public static (Dataset Train, Dataset Test) Load(string data, string? labelColumn, double testFraction, int seed)
    {
        if (data == "fashion-mnist")
        {
            data = "/usr/share/datasets/fashion-mnist";
        }

        if (Directory.Exists(data))
        {
            return IdxLoader.LoadFashionMnist(data);
        }

        if (!File.Exists(data))
        {
            throw new UserException($"--data: '{data}' is neither a folder nor a file.");
        }

        if (!Path.GetExtension(data).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserException($"--data: '{data}' is not a .csv file or a folder of IDX files.");
        }

        var options = new CsvLoadOptions();
        if (labelColumn is not null)
        {
            if (int.TryParse(labelColumn, out int index))
            {
                options.LabelColumn = index;
            }
            else
            {
                options.LabelColumnName = labelColumn;
            }
        }

        var all = CsvLoader.Load(data, options);
        return all.Split(1 - testFraction, seed);
    }

    /// <summary>Reshapes the data to the model's input when only the layout differs (images into vectors and back).</summary>
    public static Dataset Fit(Dataset data, int[] modelInput, string what)
    {
        if (data.SampleShape.SequenceEqual(modelInput))
        {
            return data;
        }

        if (data.FeatureCount == modelInput.Aggregate(1, (a, b) => a * b))
        {
            return data.Reshape(modelInput);
        }

        throw new UserException($"--data: the {what} rows have shape [{string.Join(", ", data.SampleShape)}] but the model expects [{string.Join(", ", modelInput)}].");
    }
}
