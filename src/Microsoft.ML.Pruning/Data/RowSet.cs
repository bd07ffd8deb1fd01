namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// A set of row numbers of a source read in passes (one bit per row of the source, so an eighth of a byte a row): the
/// rows a streaming batch source gives, in the source's order. Subsets by the number of a row among the set's rows
/// (<see cref="Where"/>) are computed from the bits alone, without reading the data again.
/// </summary>
internal sealed class RowSet
{
    private readonly ulong[] _bits;

    private RowSet(ulong[] bits, long capacity, long count)
    {
        _bits = bits;
        Capacity = capacity;
        Count = count;
    }

    /// <summary>Gets the number of rows of the source (the set's numbers lie in [0, <see cref="Capacity"/>)).</summary>
    public long Capacity { get; }

    /// <summary>Gets the number of rows in the set.</summary>
    public long Count { get; }

    /// <summary>Returns whether the set holds row <paramref name="row"/> of the source.</summary>
    /// <param name="row">The row's number in the source.</param>
    /// <returns>Whether it is in the set; <see langword="false"/> outside [0, <see cref="Capacity"/>).</returns>
    public bool Contains(long row) => (ulong)row < (ulong)Capacity && (_bits[row >> 6] & (1UL << (int)(row & 63))) != 0;

    /// <summary>Returns the rows of this set whose position among its rows (0 for its first row) satisfies <paramref name="filter"/>.</summary>
    /// <param name="filter">Given a row's position among this set's rows, whether to keep it.</param>
    /// <returns>The subset.</returns>
    public RowSet Where(Func<long, bool> filter)
    {
        var builder = new Builder();
        long position = 0;
        for (long row = 0; row < Capacity; row++)
        {
            bool member = Contains(row);
            builder.Add(member && filter(position));
            if (member)
            {
                position++;
            }
        }

        return builder.Build();
    }

    /// <summary>Builds a set row by row, in the source's order.</summary>
    internal sealed class Builder
    {
        private ulong[] _bits = new ulong[16];
        private long _capacity;
        private long _count;

        /// <summary>Gets the number of rows added so far.</summary>
        public long Capacity => _capacity;

        /// <summary>Adds the next row of the source, in the set or not.</summary>
        /// <param name="member">Whether the row belongs to the set.</param>
        public void Add(bool member)
        {
            long word = _capacity >> 6;
            if (word >= _bits.Length)
            {
                Array.Resize(ref _bits, (int)Math.Min(Array.MaxLength, Math.Max(word + 1, (long)_bits.Length * 2)));
            }

            if (member)
            {
                _bits[word] |= 1UL << (int)(_capacity & 63);
                _count++;
            }

            _capacity++;
        }

        /// <summary>Returns the set.</summary>
        /// <returns>The rows added, with their membership.</returns>
        public RowSet Build()
        {
            var bits = _bits.AsSpan(0, (int)((_capacity + 63) >> 6)).ToArray();
            return new RowSet(bits, _capacity, _count);
        }
    }
}
