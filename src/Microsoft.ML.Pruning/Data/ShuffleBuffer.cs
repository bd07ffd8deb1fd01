namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// A bounded shuffle of rows read in order: a pool of at most <see cref="Capacity"/> rows; once it is full, each new row
/// takes the place of a row drawn at random from the pool, which leaves; at the end of the pass the rows still in the
/// pool leave in a random order. Seeded, so the same seed and rows give the same order; it holds
/// <see cref="Capacity"/> rows whatever the number of rows.
/// </summary>
/// <remarks>
/// A row leaves the pool at most <see cref="Capacity"/> places earlier than it came in, and on average about
/// <see cref="Capacity"/> places later: rows far apart in the source rarely meet in a batch. That is harmless for data
/// in random order and costly for data sorted by class (see the README's section on streaming).
/// </remarks>
internal sealed class ShuffleBuffer
{
    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly int _width;
    private readonly Random _random;
    private int[]? _drain;
    private int _drained;

    /// <summary>Creates an empty pool.</summary>
    /// <param name="capacity">The most rows held, at least 1.</param>
    /// <param name="width">The values of one row.</param>
    /// <param name="seed">The seed of the draws.</param>
    public ShuffleBuffer(int capacity, int width, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _width = width;
        _features = new float[(long)capacity * width];
        _labels = new int[capacity];
        _random = new Random(seed);
    }

    /// <summary>Gets the most rows the pool holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets the rows in the pool.</summary>
    public int Count { get; private set; }

    /// <summary>Gets whether the next row must take the place of one that leaves (<see cref="Replace"/>) rather than fill a free slot (<see cref="Fill"/>).</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Returns a free slot for a row, while the pool is not full.</summary>
    /// <param name="label">The row's label.</param>
    /// <returns>The slot's features, to fill.</returns>
    public Span<float> Fill(int label)
    {
        int slot = Count++;
        _labels[slot] = label;
        return _features.AsSpan(slot * _width, _width);
    }

    /// <summary>Draws the row that leaves and gives its slot to the next row.</summary>
    /// <param name="leaving">Receives the leaving row's features.</param>
    /// <param name="label">The next row's label.</param>
    /// <param name="leavingLabel">Receives the leaving row's label.</param>
    /// <returns>The slot's features, to fill with the next row.</returns>
    public Span<float> Replace(Span<float> leaving, int label, out int leavingLabel)
    {
        int slot = _random.Next(Capacity);
        var features = _features.AsSpan(slot * _width, _width);
        features.CopyTo(leaving);
        leavingLabel = _labels[slot];
        _labels[slot] = label;
        return features;
    }

    /// <summary>Takes the rows still in the pool, in a random order, at the end of a pass.</summary>
    /// <param name="leaving">Receives the features of the row that leaves.</param>
    /// <param name="label">Receives its label.</param>
    /// <returns>Whether a row left; <see langword="false"/> once the pool is empty.</returns>
    public bool TryDrain(Span<float> leaving, out int label)
    {
        if (_drain is null)
        {
            _drain = new int[Count];
            for (int i = 0; i < _drain.Length; i++)
            {
                _drain[i] = i;
            }

            _random.Shuffle(_drain);
        }

        if (_drained == _drain.Length)
        {
            label = 0;
            return false;
        }

        int slot = _drain[_drained++];
        _features.AsSpan(slot * _width, _width).CopyTo(leaving);
        label = _labels[slot];
        Count--;
        return true;
    }
}
