using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// Accumulates, batch by batch, the Gram matrix G = Σₙ vₙ vₙᵀ of a group's centred activation vectors (for filters,
/// the per-sample spatial means), so that memory does not grow with the data set.
/// </summary>
/// <remarks>
/// Each batch's vectors are laid out as [units, batch] and multiplied block row by block row, computing only the blocks
/// on and above the diagonal (about half of the products), in float through <see cref="Gemm"/>; the blocks are summed
/// in double across batches.
/// </remarks>
internal sealed class ActivationGram
{
    private const int BlockRows = 64;
    private readonly double[] _gram;
    private float[] _vectors = [];
    private float[] _product = [];

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="units">The number of units.</param>
    public ActivationGram(int units)
    {
        Units = units;
        _gram = new double[units * units];
    }

    /// <summary>Gets the number of units.</summary>
    public int Units { get; }

    /// <summary>Adds a batch of activations.</summary>
    /// <param name="activations">The activations, [batch, units] or [batch, units, height, width].</param>
    /// <param name="centering">Subtracted from every per-sample (mean) activation.</param>
    public void Add(FloatTensor activations, double centering)
    {
        int batch = activations.Dim(0), units = Units, spatial = activations.Length / (batch * units);
        if (_vectors.Length < units * batch)
        {
            _vectors = new float[units * batch];
        }

        if (_product.Length < Math.Min(BlockRows, units) * units)
        {
            _product = new float[Math.Min(BlockRows, units) * units];
        }

        var a = activations.Span;
        var v = _vectors.AsSpan(0, units * batch);
        // Unit-major, so that the writes are sequential and the strided reads of neighbouring units share cache lines.
        float shift = (float)centering;
        for (int unit = 0; unit < units; unit++)
        {
            var row = v.Slice(unit * batch, batch);
            for (int n = 0; n < batch; n++)
            {
                int offset = ((n * units) + unit) * spatial;
                row[n] = spatial == 1 ? a[offset] - shift : (float)((VectorOps.Sum(a.Slice(offset, spatial)) / spatial) - centering);
            }
        }

        for (int first = 0; first < units; first += BlockRows)
        {
            int rows = Math.Min(BlockRows, units - first), columns = units - first;
            var product = _product.AsSpan(0, rows * columns);

            // P = V[first..first+rows] · V[first..]ᵀ  ([rows, batch] x [batch, columns]): the blocks right of the diagonal.
            var block = v.Slice(first * batch);
            Gemm.Multiply(false, true, rows, columns, batch, block, batch, block, batch, product, columns);
            for (int i = 0; i < rows; i++)
            {
                var target = _gram.AsSpan(((first + i) * units) + first, columns);
                var source = product.Slice(i * columns, columns);
                for (int j = i; j < columns; j++)
                {
                    target[j] += source[j];
                }
            }
        }
    }

    /// <summary>Returns the full symmetric Gram matrix, row-major [units, units].</summary>
    /// <returns>The matrix; it is this accumulator's own array.</returns>
    public double[] ToMatrix()
    {
        int units = Units;
        for (int i = 0; i < units; i++)
        {
            for (int j = 0; j < i; j++)
            {
                _gram[(i * units) + j] = _gram[(j * units) + i];
            }
        }

        return _gram;
    }
}
