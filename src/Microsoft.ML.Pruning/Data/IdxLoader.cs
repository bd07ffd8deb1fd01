using System.Buffers.Binary;
using System.Globalization;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Loads image data sets stored in the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
/// </summary>
/// <remarks>
/// An IDX file starts with a big-endian magic number 0x0000TTDD (TT = 0x08 for unsigned bytes, DD = the number of
/// dimensions), then DD big-endian 32-bit sizes, then the values row-major. Images are 0x00000803 [N, rows, cols]
/// and labels 0x00000801 [N]. Compression is recognised by the gzip magic bytes, not by the file name. Each file is
/// read whole into memory and converted in one pass. Byte offsets in errors count decompressed bytes.
/// See LeCun, Cortes and Burges, "The MNIST database of handwritten digits", and Xiao, Rasul and Vollgraf (2017),
/// "Fashion-MNIST: a novel image dataset for benchmarking machine learning algorithms", arXiv:1708.07747.
/// </remarks>
public static class IdxLoader
{
    /// <summary>The folder where Debian's <c>dataset-fashion-mnist</c> package installs the gzip files.</summary>
    public const string FashionMnistDefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private const int ImageMagic = 0x00000803;
    private const int LabelMagic = 0x00000801;

    /// <summary>Gets the names of the ten Fashion-MNIST classes, in label order.</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } = Array.AsReadOnly(
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    /// <summary>Loads an image file and its label file as a data set of samples [1, rows, cols].</summary>
    /// <param name="imagesPath">The IDX image file (magic 0x00000803), raw or gzip.</param>
    /// <param name="labelsPath">The IDX label file (magic 0x00000801), raw or gzip.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>A data set with features [N, 1, rows, cols].</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is malformed, or the files hold different numbers of samples.</exception>
    public static Dataset Load(string imagesPath, string labelsPath, IdxLoadOptions? options = null) =>
        Load(imagesPath, labelsPath, options, classNames: null);

    /// <summary>
    /// Loads the Fashion-MNIST training (60,000) and test (10,000) sets from the standard file names
    /// <c>{train,t10k}-{images-idx3,labels-idx1}-ubyte</c>, each raw or with a <c>.gz</c> suffix.
    /// </summary>
    /// <param name="directory">The folder holding the four files, for example <see cref="FashionMnistDefaultDirectory"/>.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; <see cref="IdxLoadOptions.ClassCount"/> defaults to 10 here.</param>
    /// <returns>The training and test sets, with <see cref="FashionMnistClassNames"/> as class names.</returns>
    /// <remarks>The original MNIST files use the same names and format, so this also loads MNIST (with Fashion-MNIST's class names).</remarks>
    public static (Dataset Train, Dataset Test) LoadFashionMnist(string directory, IdxLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new IdxLoadOptions();
        options.Validate();
        var withClasses = new IdxLoadOptions
        {
            ScaleToUnitRange = options.ScaleToUnitRange,
            MaxCount = options.MaxCount,
            ClassCount = options.ClassCount ?? FashionMnistClassNames.Count,
            MaximumBytes = options.MaximumBytes,
        };
        IReadOnlyList<string>? names = withClasses.ClassCount == FashionMnistClassNames.Count ? FashionMnistClassNames : null;
        Dataset train = Load(FindFile(directory, "train-images-idx3-ubyte"), FindFile(directory, "train-labels-idx1-ubyte"), withClasses, names);
        Dataset test = Load(FindFile(directory, "t10k-images-idx3-ubyte"), FindFile(directory, "t10k-labels-idx1-ubyte"), withClasses, names);
        return (train, test);
    }

    /// <summary>Reads an IDX image file.</summary>
    /// <param name="path">The IDX image file (magic 0x00000803), raw or gzip.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; <see cref="IdxLoadOptions.ClassCount"/> is not used.</param>
    /// <returns>The images as a tensor [N, 1, rows, cols].</returns>
    public static FloatTensor ReadImages(string path, IdxLoadOptions? options = null)
    {
        options ??= new IdxLoadOptions();
        options.Validate();
        return ReadImages(path, options, out _);
    }

    /// <summary>Reads an IDX label file.</summary>
    /// <param name="path">The IDX label file (magic 0x00000801), raw or gzip.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; labels at or above <see cref="IdxLoadOptions.ClassCount"/> are rejected.</param>
    /// <returns>The labels, at most <see cref="IdxLoadOptions.MaxCount"/> of them.</returns>
    public static int[] ReadLabels(string path, IdxLoadOptions? options = null)
    {
        options ??= new IdxLoadOptions();
        options.Validate();
        return ReadLabels(path, options, out _, out _);
    }

    private static Dataset Load(string imagesPath, string labelsPath, IdxLoadOptions? options, IReadOnlyList<string>? classNames)
    {
        options ??= new IdxLoadOptions();
        options.Validate();
        FloatTensor images = ReadImages(imagesPath, options, out int imageCount);
        int[] labels = ReadLabels(labelsPath, options, out int labelCount, out int inferredClassCount);
        if (imageCount != labelCount)
        {
            throw new DataFormatException(labelsPath, 4, string.Create(CultureInfo.InvariantCulture,
                $"The label file declares {labelCount} labels but the image file '{imagesPath}' declares {imageCount} images."));
        }

        return new Dataset(images, labels, options.ClassCount ?? inferredClassCount, classNames);
    }

    private static FloatTensor ReadImages(string path, IdxLoadOptions options, out int fileCount)
    {
        byte[] bytes = DataFile.ReadAllBytes(path, out bool compressed, options.MaximumBytes, Declared(path, ImageMagic, "image", options.MaximumBytes));
        int[] dims = ReadHeader(path, bytes, compressed, ImageMagic, "image");
        fileCount = dims[0];
        int rows = dims[1], columns = dims[2];
        if (rows < 1 || columns < 1)
        {
            throw new DataFormatException(path, rows < 1 ? 8 : 12, $"The images must be at least 1x1 pixels but the header declares {rows}x{columns}.");
        }

        int count = Math.Min(fileCount, options.MaxCount ?? int.MaxValue);
        var tensor = new FloatTensor(count, 1, rows, columns);
        ReadOnlySpan<byte> pixels = bytes.AsSpan(16, tensor.Length);
        Span<float> destination = tensor.Span;
        ReadOnlySpan<float> table = options.ScaleToUnitRange ? ByteTables.UnitRange : ByteTables.Raw;
        for (int i = 0; i < pixels.Length; i++)
        {
            destination[i] = table[pixels[i]];
        }

        return tensor;
    }

    private static int[] ReadLabels(string path, IdxLoadOptions options, out int fileCount, out int inferredClassCount)
    {
        byte[] bytes = DataFile.ReadAllBytes(path, out bool compressed, options.MaximumBytes, Declared(path, LabelMagic, "label", options.MaximumBytes));
        int[] dims = ReadHeader(path, bytes, compressed, LabelMagic, "label");
        fileCount = dims[0];
        ReadOnlySpan<byte> values = bytes.AsSpan(8, fileCount);
        int max = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (options.ClassCount is int classCount && values[i] >= classCount)
            {
                throw new DataFormatException(path, 8 + i, string.Create(CultureInfo.InvariantCulture,
                    $"Label {values[i]} of sample {i} is outside the class range [0, {classCount}).{CompressionNote(compressed)}"));
            }

            max = Math.Max(max, values[i]);
        }

        inferredClassCount = max + 1;
        int count = Math.Min(fileCount, options.MaxCount ?? int.MaxValue);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = values[i];
        }

        return labels;
    }

    /// <summary>
    /// Reads the header as the bytes arrive: a wrong magic number or dimension fails after its first bytes, a header
    /// that declares more than <paramref name="maximumBytes"/> fails before anything else is read (or inflated), and
    /// the read stops once it passes the size the header declares (/dev/zero, a gzip bomb).
    /// </summary>
    private static DataFile.Inspector Declared(string path, int magic, string what, long maximumBytes) => (content, _) =>
    {
        int headerLength = 4 + (4 * (magic & 0xff));
        if (content.Length >= 4 && BinaryPrimitives.ReadInt32BigEndian(content) != magic)
        {
            ReadHeader(path, content[..4].ToArray(), false, magic, what); // throws, naming the magic number found
        }

        if (content.Length < headerLength)
        {
            return null;
        }

        var dims = ReadDimensions(path, content, magic, string.Empty);
        Int128 expected = DeclaredBytes(dims, headerLength);
        if (expected > maximumBytes)
        {
            string sample = dims.Length == 1 ? "1 byte" : $"{string.Join("x", dims.Skip(1))} bytes";
            throw new DataFormatException(path, 4, string.Create(CultureInfo.InvariantCulture,
                $"The header declares {dims[0]} {what}s of {sample}: {expected - headerLength:N0} bytes after the {headerLength}-byte header, more than the {maximumBytes:N0} the loader reads (its options' MaximumBytes)."));
        }

        return (long)expected;
    };

    /// <summary>Reads the dimensions of a header whose magic number is right, failing on a negative size or no sample.</summary>
    private static int[] ReadDimensions(string path, ReadOnlySpan<byte> bytes, int magic, string note)
    {
        var dims = new int[magic & 0xff];
        for (int d = 0; d < dims.Length; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + (4 * d))..]);
            if (dims[d] < 0 || (d == 0 && dims[d] == 0))
            {
                throw new DataFormatException(path, 4 + (4 * d), $"Dimension {d} of the header is {dims[d]}; the sample count must be positive and sizes non-negative.{note}");
            }
        }

        return dims;
    }

    /// <summary>The file size a header declares: its length plus the product of the dimensions, in 128-bit arithmetic (three 31-bit sizes cannot overflow it).</summary>
    private static Int128 DeclaredBytes(int[] dims, int headerLength)
    {
        Int128 product = 1;
        foreach (int d in dims)
        {
            product *= d;
        }

        return product + headerLength;
    }

    /// <summary>Checks the magic number and the size of the file, and returns the dimensions.</summary>
    private static int[] ReadHeader(string path, byte[] bytes, bool compressed, int magic, string what)
    {
        string note = CompressionNote(compressed);
        int rank = magic & 0xff;
        if (bytes.Length == 0)
        {
            throw new DataFormatException(path, 0, $"The {what} file is empty.{note}");
        }

        int headerLength = 4 + (4 * rank);
        if (bytes.Length < 4)
        {
            throw new DataFormatException(path, bytes.Length, $"The file is truncated: it ends after {bytes.Length} bytes, inside the 4-byte IDX magic number.{note}");
        }

        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
        {
            string hint = found == (magic == ImageMagic ? LabelMagic : ImageMagic) ? $" It looks like an IDX {(magic == ImageMagic ? "label" : "image")} file." : string.Empty;
            throw new DataFormatException(path, 0, $"Expected the IDX {what} magic number 0x{magic:X8} (unsigned bytes, {rank} dimension{(rank == 1 ? string.Empty : "s")}) but found 0x{found:X8}.{hint}{note}");
        }

        if (bytes.Length < headerLength)
        {
            throw new DataFormatException(path, bytes.Length, $"The file is truncated: it ends after {bytes.Length} bytes, inside the {headerLength}-byte header.{note}");
        }

        var dims = ReadDimensions(path, bytes, magic, note);
        Int128 expected = DeclaredBytes(dims, headerLength);
        Int128 sampleBytes = (expected - headerLength) / dims[0];
        if (bytes.Length < expected)
        {
            Int128 complete = sampleBytes == 0 ? 0 : (bytes.Length - headerLength) / sampleBytes;
            throw new DataFormatException(path, bytes.Length, string.Create(CultureInfo.InvariantCulture,
                $"The file is truncated: its header declares {dims[0]} {what}s ({expected} bytes in all) but it ends after {bytes.Length} bytes, within {what} {complete}.{note}"));
        }

        if (bytes.Length > expected)
        {
            throw new DataFormatException(path, (long)expected, string.Create(CultureInfo.InvariantCulture,
                $"{bytes.Length - expected} unexpected bytes follow the {dims[0]} {what}s that the header declares.{note}"));
        }

        return dims;
    }

    private static string CompressionNote(bool compressed) => compressed ? " (The file is gzip; byte offsets count decompressed bytes.)" : string.Empty;

    private static string FindFile(string directory, string name)
    {
        string raw = Path.Combine(directory, name);
        string gzip = raw + ".gz";
        if (File.Exists(raw))
        {
            return raw;
        }

        if (File.Exists(gzip))
        {
            return gzip;
        }

        throw new FileNotFoundException($"Neither '{raw}' nor '{gzip}' exists. On Debian, 'apt-get install dataset-fashion-mnist' installs the files in {FashionMnistDefaultDirectory}.", gzip);
    }

    private static class ByteTables
    {
        public static readonly float[] Raw = Create(scale: false);
        public static readonly float[] UnitRange = Create(scale: true);

        private static float[] Create(bool scale)
        {
            var table = new float[256];
            for (int i = 0; i < table.Length; i++)
            {
                // i / 255f, as torchvision's ToTensor computes it, rather than i * (1 / 255f).
                table[i] = scale ? i / 255f : i;
            }

            return table;
        }
    }
}
