using Microsoft.ML.Pruning.Data;

// In ML.NET's namespace, as ML.NET's own extension packages do, so that mlContext.Data.LoadFashionMnist() needs no extra using.
namespace Microsoft.ML;

/// <summary>Data sources ML.NET lacks, on <c>mlContext.Data</c>: IDX files (Fashion-MNIST, MNIST) and the engine's data sets.</summary>
public static class PruningDataExtensions
{
    /// <summary>
    /// Loads the Fashion-MNIST training (60,000) and test (10,000) sets as data views: <c>Features</c> (784 floats in
    /// [0, 1], the 1x28x28 image row by row) and <c>Label</c> (a key whose values are the class names).
    /// </summary>
    /// <param name="catalog">ML.NET's data catalog.</param>
    /// <param name="directory">The folder with the four IDX files (raw or .gz).</param>
    /// <param name="options">The loading options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The training and test data.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static (IDataView Train, IDataView Test) LoadFashionMnist(this DataOperationsCatalog catalog, string directory = IdxLoader.FashionMnistDefaultDirectory, IdxLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var (train, test) = IdxLoader.LoadFashionMnist(directory, options);
        return (catalog.LoadFromDataset(train), catalog.LoadFromDataset(test));
    }

    /// <summary>Loads an IDX image file and its label file as a data view (<c>Features</c> and a key <c>Label</c>).</summary>
    /// <param name="catalog">ML.NET's data catalog.</param>
    /// <param name="imagesPath">The IDX image file.</param>
    /// <param name="labelsPath">The IDX label file.</param>
    /// <param name="options">The loading options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The data.</returns>
    public static IDataView LoadFromIdx(this DataOperationsCatalog catalog, string imagesPath, string labelsPath, IdxLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.LoadFromDataset(IdxLoader.Load(imagesPath, labelsPath, options));
    }

    /// <summary>Presents one of the engine's data sets as a data view: <c>Features</c> (each sample flattened) and a key <c>Label</c>.</summary>
    /// <param name="catalog">ML.NET's data catalog.</param>
    /// <param name="data">The data set; read, not copied, so do not change it while the view is in use.</param>
    /// <param name="featureColumnName">The feature column's name.</param>
    /// <param name="labelColumnName">The label column's name.</param>
    /// <returns>The data view.</returns>
    public static IDataView LoadFromDataset(this DataOperationsCatalog catalog, Dataset data, string featureColumnName = "Features", string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        return new DatasetDataView(data, featureColumnName, labelColumnName);
    }
}
