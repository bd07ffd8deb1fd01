using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning;

/// <summary>Loaders for the data a pipeline trains, calibrates and validates on: <see cref="PruningContext.Data"/>.</summary>
public sealed class DataCatalog
{
    private readonly PruningContext _context;

    internal DataCatalog(PruningContext context)
    {
        _context = context;
    }

    /// <summary>Loads an IDX image file and its label file (MNIST, Fashion-MNIST; raw or gzip).</summary>
    /// <param name="imagesPath">The images file.</param>
    /// <param name="labelsPath">The labels file.</param>
    /// <returns>The data set, images as [count, 1, rows, columns] scaled to [0, 1].</returns>
    public Dataset LoadIdx(string imagesPath, string labelsPath) => IdxLoader.Load(imagesPath, labelsPath);

    /// <summary>Loads Fashion-MNIST's training and test sets from a folder.</summary>
    /// <param name="directory">The folder; Debian's dataset-fashion-mnist installs it in /usr/share/datasets/fashion-mnist.</param>
    /// <returns>The training and test sets.</returns>
    public (Dataset Train, Dataset Test) LoadFashionMnist(string directory = "/usr/share/datasets/fashion-mnist") => IdxLoader.LoadFashionMnist(directory);

    /// <summary>Loads a CSV file of numeric features and a label column.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Header, separator and label column; <see langword="null"/> for the defaults (header, comma, last column).</param>
    /// <returns>The data set, features as [count, columns].</returns>
    public Dataset LoadCsv(string path, CsvLoadOptions? options = null) => CsvLoader.Load(path, options ?? new CsvLoadOptions());

    /// <summary>Generates Breiman's waveform data (3 classes; 21 attributes, or 40 with 19 noise attributes), seeded by the context.</summary>
    /// <param name="count">The number of rows.</param>
    /// <param name="withNoiseAttributes">Whether to add the 19 noise attributes.</param>
    /// <returns>The data set.</returns>
    public Dataset GenerateWaveform(int count, bool withNoiseAttributes = false) => WaveformGenerator.Generate(count, _context.Seed, withNoiseAttributes);

    /// <summary>Splits a data set into training and test parts with the context's seed.</summary>
    /// <param name="data">The data.</param>
    /// <param name="testFraction">The share that goes to the test part.</param>
    /// <returns>The two parts.</returns>
    public (Dataset Train, Dataset Test) TrainTestSplit(Dataset data, double testFraction = 0.2)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Split(1 - testFraction, _context.Seed);
    }
}
