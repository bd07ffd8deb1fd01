using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Resolves the <c>--data</c> argument into training and test sets shaped for the model.</summary>
internal static class DataSource
{
    public const string Help = "a folder of IDX files in the Fashion-MNIST layout ('fashion-mnist' means /usr/share/datasets/fashion-mnist), or a .csv file (.csv.gz too): numeric features, the label in the last column unless --label-column";

    public static (Dataset Train, Dataset Test) Load(string data, CsvSettings csv, double testFraction, int? maxSamples, int seed, int? classCount)
    {
        if (data == "fashion-mnist")
        {
            data = IdxLoader.FashionMnistDefaultDirectory;
        }

        if (Directory.Exists(data))
        {
            try
            {
                return IdxLoader.LoadFashionMnist(data, new IdxLoadOptions { MaxCount = maxSamples });
            }
            catch (Exception e) when (e is DataFormatException or IOException)
            {
                throw new UserException($"--data: {e.Message}");
            }
        }

        if (!File.Exists(data))
        {
            throw new UserException($"--data: '{data}' is neither a folder nor a file.");
        }

        string name = data.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? data[..^3] : data;
        if (!Path.GetExtension(name).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserException($"--data: '{data}' is neither a .csv file nor a folder of IDX files.");
        }

        // A model file fixes the classes: a label outside them is an error naming its line.
        var options = new CsvLoadOptions { HasHeader = csv.HasHeader, SkipLines = csv.SkipLines, Separator = csv.Separator, ClassCount = classCount };
        if (csv.LabelColumn is { } label)
        {
            if (int.TryParse(label, out int index))
            {
                options.LabelColumn = index >= 0 ? index : throw new UserException($"--label-column must be a column index (0 or more) or a header name; got {index}.");
            }
            else if (!csv.HasHeader)
            {
                throw new UserException($"--label-column: '{label}' is a header name, but --no-header says the file has none; give the column's index.");
            }
            else
            {
                options.LabelColumnName = label;
            }
        }

        Dataset all;
        try
        {
            all = CsvLoader.Load(data, options);
        }
        catch (DataFormatException e) when (csv.SkipLines == 0 && csv.HasHeader && e.Message.Contains("fields but the header has", StringComparison.Ordinal))
        {
            throw new UserException($"--data: {e.Message} If the first line is not the header, add --skip-lines 1 (and --no-header when no line names the columns).");
        }
        catch (Exception e) when (e is DataFormatException or IOException)
        {
            throw new UserException($"--data: {e.Message}");
        }
        catch (ArgumentException e) when (e.ParamName == "options")
        {
            // The loader names its own options (LabelColumn, LabelColumnName); the user knows --label-column.
            int suffix = e.Message.IndexOf(" (Parameter", StringComparison.Ordinal);
            throw new UserException("--label-column: " + (suffix < 0 ? e.Message : e.Message[..suffix]).Replace("LabelColumnName ", string.Empty, StringComparison.Ordinal).Replace("LabelColumn ", "column ", StringComparison.Ordinal));
        }

        if (all.Count < 2)
        {
            throw new UserException($"--data: '{data}' holds {all.Count} row; at least 2 are needed to split training and test data.");
        }

        var (train, test) = all.Split(1 - testFraction, seed);
        if (train.Count == 0 || test.Count == 0)
        {
            throw new UserException($"--test-fraction {testFraction} leaves {train.Count} training and {test.Count} test rows of the {all.Count} in '{data}'; both need at least one.");
        }

        return maxSamples is { } max ? (train.Take(Math.Min(max, train.Count)), test.Take(Math.Min(max, test.Count))) : (train, test);
    }

    /// <summary>Reshapes the data to the model's input when only the layout differs (images into vectors and back).</summary>
    public static Dataset Fit(Dataset data, int[] modelInput, int modelClasses)
    {
        if (data.ClassCount > modelClasses)
        {
            throw new UserException($"--data: the data have {data.ClassCount} classes but the model scores only {modelClasses}.");
        }

        if (data.SampleShape.SequenceEqual(modelInput))
        {
            return data;
        }

        if (data.FeatureCount == modelInput.Aggregate(1, (a, b) => a * b))
        {
            return data.Reshape(modelInput);
        }

        throw new UserException($"--data: each sample has shape [{string.Join(", ", data.SampleShape)}] ({data.FeatureCount} features) but the model expects [{string.Join(", ", modelInput)}].");
    }
}
