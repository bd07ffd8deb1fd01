using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The forward and backward passes of <see cref="Conv2d"/>.</summary>
public sealed partial class Conv2d
{
    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if (input.Rank != 4 || input.Dim(1) != InChannels)
        {
            throw ShapeError($"expects input [batch, {InChannels}, height, width], got {FloatTensor.FormatShape(input.Shape)}.");
        }

        int batch = input.Dim(0);
        var g = Geometry(input.Dim(2), input.Dim(3));

        var output = Ensure(ref _output, [batch, OutChannels, g.OutputHeight, g.OutputWidth]);

        // Training keeps every sample's columns for the weight gradient; otherwise one scratch matrix per part will do,
        // and a depthwise convolution needs none: it filters each plane directly.
        bool keepColumns = training && ComputeParameterGradients;
        if (!keepColumns && Groups == InChannels)
        {
            DepthwiseConvolution.Forward(g, batch, OutChannels / InChannels, input, Weight.Value, Bias?.Value, output);
            _input = training ? input : null;
            _columnsKept = false;
            return output;
        }

        int columnsLength = g.ColumnRows * g.ColumnCount;
        int parts = Math.Min(WorkerPool.Parts, batch);

        if (keepColumns)
        {
            EnsureLength(ref _columns, batch * columnsLength);
        }
        else
        {
            EnsureLength(ref _scratch, parts * columnsLength);
        }

        float[] columns = keepColumns ? _columns : _scratch;
        int inputLength = InChannels * g.Height * g.Width, outputLength = OutChannels * g.ColumnCount;
        bool nestedParallel = parts == 1;
        WorkerPool.Run(parts, part =>
        {
            var (first, end) = Partition(batch, parts, part);
            for (int n = first; n < end; n++)
            {
                var cols = columns.AsSpan((keepColumns ? n : part) * columnsLength, columnsLength);
                Im2Col.Unfold(g, input.Span.Slice(n * inputLength, inputLength), cols);
                MultiplyGroups(cols, output.Span.Slice(n * outputLength, outputLength), g.ColumnCount, nestedParallel);
            }
        });

        _input = training ? input : null;
        _columnsKept = keepColumns;
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        bool parameterGradients = ComputeParameterGradients;
        if (parameterGradients && !_columnsKept)
        {
            throw new InvalidOperationException($"Layer '{Name}': parameter gradients need a training Forward that computed them too; the switch changed in between.");
        }

        if (!parameterGradients && !ComputeInputGradient)
        {
            return null;
        }

        int batch = input.Dim(0);
        var g = Geometry(input.Dim(2), input.Dim(3));
        int p = g.ColumnCount, columnsLength = g.ColumnRows * p, outputLength = OutChannels * p;
        int inputLength = InChannels * g.Height * g.Width;
        int filtersPerGroup = OutChannels / Groups, rowsPerGroup = g.ColumnRows / Groups;
        int weightLength = parameterGradients ? Weight.Value.Length : 0, biasLength = Bias is null || !parameterGradients ? 0 : OutChannels;
        int parts = Math.Min(WorkerPool.Parts, batch);
        bool nestedParallel = parts == 1;

        // Each part sums its samples' weight and bias gradients into its own slice; slices are added in part order.
        EnsureLength(ref _partialGradients, parts * (weightLength + biasLength));
        EnsureLength(ref _scratch, parts * columnsLength);
        var inputGradient = ComputeInputGradient ? Ensure(ref _inputGradient, input.Shape) : null;
        WorkerPool.Run(parts, part =>
        {
            var dWeight = _partialGradients.AsSpan(part * (weightLength + biasLength), weightLength);
            var dBias = _partialGradients.AsSpan((part * (weightLength + biasLength)) + weightLength, biasLength);
            dWeight.Clear();
            dBias.Clear();
            var dColumns = _scratch.AsSpan(part * columnsLength, columnsLength);
            var (first, end) = Partition(batch, parts, part);
            var weight = Weight.Value.Span;
            for (int n = first; n < end; n++)
            {
                var dy = outputGradient.Span.Slice(n * outputLength, outputLength);
                for (int grp = 0; grp < Groups; grp++)
                {
                    var dyGroup = dy.Slice(grp * filtersPerGroup * p, filtersPerGroup * p);
                    if (parameterGradients)
                    {
                        var colsGroup = _columns.AsSpan((n * columnsLength) + (grp * rowsPerGroup * p), rowsPerGroup * p);
                        var dWeightGroup = dWeight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup);

                        // dW_g += dY_g · cols_gᵀ  ([filters, p] x [p, rows]).
                        Gemm.Multiply(false, true, filtersPerGroup, rowsPerGroup, p, dyGroup, p, colsGroup, p, dWeightGroup, rowsPerGroup, accumulate: true, parallel: nestedParallel);
                    }

                    if (inputGradient is not null)
                    {
                        // dcols_g = W_gᵀ · dY_g  ([rows, filters] x [filters, p]).
                        var weightGroup = weight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup);
                        Gemm.Multiply(true, false, rowsPerGroup, p, filtersPerGroup, weightGroup, rowsPerGroup, dyGroup, p, dColumns.Slice(grp * rowsPerGroup * p, rowsPerGroup * p), p, parallel: nestedParallel);
                    }
                }

                for (int f = 0; f < biasLength; f++)
                {
                    dBias[f] += (float)VectorOps.Sum(dy.Slice(f * p, p));
                }

                if (inputGradient is not null)
                {
                    Im2Col.Fold(g, dColumns, inputGradient.Span.Slice(n * inputLength, inputLength));
                }
            }
        });

        if (!parameterGradients)
        {
            return inputGradient;
        }

        Weight.Gradient.Clear();
        Bias?.Gradient.Clear();
        for (int part = 0; part < parts; part++)
        {
            int offset = part * (weightLength + biasLength);
            VectorOps.Add(Weight.Gradient.Span, _partialGradients.AsSpan(offset, weightLength));
            if (Bias is not null)
            {
                VectorOps.Add(Bias.Gradient.Span, _partialGradients.AsSpan(offset + weightLength, biasLength));
            }
        }

        return inputGradient;
    }

    private static (int First, int End) Partition(int count, int parts, int part) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    private static void EnsureLength(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }
    }

    private void MultiplyGroups(ReadOnlySpan<float> columns, Span<float> output, int p, bool parallel)
    {
        int filtersPerGroup = OutChannels / Groups, rowsPerGroup = columns.Length / p / Groups;
        var weight = Weight.Value.Span;
        for (int grp = 0; grp < Groups; grp++)
        {
            // Y_g = W_g · cols_g  ([filters, rows] x [rows, p]).
            Gemm.Multiply(false, false, filtersPerGroup, p, rowsPerGroup,
                weight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup), rowsPerGroup,
                columns.Slice(grp * rowsPerGroup * p, rowsPerGroup * p), p,
                output.Slice(grp * filtersPerGroup * p, filtersPerGroup * p), p, parallel: parallel);
        }

        if (Bias is not null)
        {
            var bias = Bias.Value.Span;
            for (int f = 0; f < OutChannels; f++)
            {
                VectorOps.AddScalar(output.Slice(f * p, p), bias[f]);
            }
        }
    }
}
