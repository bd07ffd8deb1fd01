using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The forward and backward passes of <see cref="Conv2d"/>.</summary>
/// <remarks>
/// A channel-wise convolution (groups equal to the input channels) filters each plane directly
/// (<see cref="DepthwiseConvolution"/>). Every other convolution is im2col plus one GEMM per group over the columns of a
/// block of samples (<see cref="SampleBlocks"/>), so a 2x2 plane still gives the GEMM a thousand columns; a 1x1 stride-1
/// convolution without padding reads its input as the columns. Blocks run in order and each GEMM uses every thread; a
/// GEMM's result does not depend on its split, so the passes give the same bits at any thread count.
/// </remarks>
public sealed partial class Conv2d
{
    /// <summary>Gets whether the columns of a sample are its input: a 1x1 kernel, stride 1, no padding.</summary>
    private bool IsPointwise => Kernel == (1, 1) && Stride == (1, 1) && Padding == (0, 0, 0, 0);

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
        _input = training ? input : null;
        _parameterGradientsPrepared = training && ComputeParameterGradients;
        if (UseChannelsLast(g))
        {
            int length = batch * g.Height * g.Width * DepthwiseChannelsLast.PaddedChannels(InChannels);
            EnsureLength(ref _channelsLastInput, _parameterGradientsPrepared ? length : 0);
            DepthwiseChannelsLast.Forward(g, batch, input, Weight.Value, Bias?.Value, output, _parameterGradientsPrepared ? _channelsLastInput : null, training ? null : Epilogue);
            return output;
        }

        if (Groups == InChannels)
        {
            DepthwiseConvolution.Forward(g, batch, OutChannels / InChannels, input, Weight.Value, Bias?.Value, output, training ? null : Epilogue);
            return output;
        }

        // The columns are gathered straight into the GEMM's panels (implicit im2col), unless a block is a few columns
        // wide; then training keeps every block's columns for the weight gradient, unless they are the input itself.
        int p = g.ColumnCount, rows = g.ColumnRows, inputLength = InChannels * g.Height * g.Width;
        var blocks = SampleBlocks.Plan(batch, p, rows);
        bool fewColumns = UseFewColumns(blocks, p);
        _implicitColumns = !fewColumns && UseImplicitColumns(blocks, p);
        bool keepColumns = _parameterGradientsPrepared && !IsPointwise && !_implicitColumns;
        EnsureLength(ref _columns, keepColumns ? batch * rows * p : 0);
        EnsureLength(ref _scratch, keepColumns || _implicitColumns ? 0 : rows * blocks.PerBlock * p);
        EnsureLength(ref _blockOutput, blocks.PerBlock > 1 ? OutChannels * blocks.PerBlock * p : 0);
        var bias = Bias is null ? default : Bias.Value.Span;
        for (int b = 0; b < blocks.Count; b++)
        {
            var (first, samples) = blocks[b];
            int width = samples * p;
            if (_implicitColumns)
            {
                var y = samples == 1 ? output.Span.Slice(first * OutChannels * p, OutChannels * p) : _blockOutput.AsSpan(0, OutChannels * width);
                MultiplyImplicit(g, input, first, samples, y);
                if (samples == 1)
                {
                    AddBias(y, p, bias);
                }
                else
                {
                    Scatter(_blockOutput, first, samples, OutChannels, p, output);
                }

                ApplyEpilogue(training, output, first, samples, p);
                continue;
            }

            ReadOnlySpan<float> columns;
            if (IsPointwise && samples == 1)
            {
                columns = input.Span.Slice(first * inputLength, inputLength);
            }
            else
            {
                float[] target = keepColumns ? _columns : _scratch;
                int offset = keepColumns ? first * rows * p : 0;
                Unfold(g, input, first, samples, target, offset);
                columns = target.AsSpan(offset, rows * width);
            }

            if (fewColumns)
            {
                MultiplyFewColumns(columns, output.Span.Slice(first * OutChannels * p, OutChannels * p), p, training ? null : Epilogue);
                continue;
            }

            if (samples == 1)
            {
                var y = output.Span.Slice(first * OutChannels * p, OutChannels * p);
                MultiplyGroups(columns, y, width);
                AddBias(y, p, bias);
            }
            else
            {
                MultiplyGroups(columns, _blockOutput.AsSpan(0, OutChannels * width), width);
                Scatter(_blockOutput, first, samples, OutChannels, p, output);
            }

            ApplyEpilogue(training, output, first, samples, p);
        }

        return output;
    }

    /// <summary>
    /// Gets or sets what an inference pass applies to the output on behalf of the layers that follow (set by
    /// <see cref="Network"/> around one pass); ignored by training passes.
    /// </summary>
    internal ConvolutionEpilogue? Epilogue { get; set; }

    private void ApplyEpilogue(bool training, FloatTensor output, int first, int samples, int plane)
    {
        if (!training && Epilogue is { } epilogue)
        {
            epilogue.Apply(output.Span, first, samples, OutChannels, plane);
        }
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        bool parameterGradients = ComputeParameterGradients;
        bool depthwise = Groups == InChannels;
        if (parameterGradients && !_parameterGradientsPrepared)
        {
            throw new InvalidOperationException($"Layer '{Name}': parameter gradients need a training Forward that computed them too; the switch changed in between.");
        }

        if (!parameterGradients && !ComputeInputGradient)
        {
            return null;
        }

        int batch = input.Dim(0);
        var g = Geometry(input.Dim(2), input.Dim(3));
        var inputGradient = ComputeInputGradient ? Ensure(ref _inputGradient, input.Shape) : null;
        if (UseChannelsLast(g))
        {
            EnsureLength(ref _channelsLastGradient, batch * g.ColumnCount * DepthwiseChannelsLast.PaddedChannels(InChannels));
            DepthwiseChannelsLast.TransposeGradient(g, batch, outputGradient, _channelsLastGradient);
            if (inputGradient is not null)
            {
                DepthwiseChannelsLast.InputGradient(g, batch, _channelsLastGradient, Weight.Value, inputGradient);
            }

            if (parameterGradients)
            {
                DepthwiseChannelsLast.ParameterGradients(g, batch, _channelsLastInput, _channelsLastGradient, Weight.Gradient, Bias?.Gradient);
            }

            return inputGradient;
        }

        if (depthwise)
        {
            int multiplier = OutChannels / InChannels;
            if (inputGradient is not null)
            {
                DepthwiseConvolution.InputGradient(g, batch, multiplier, outputGradient, Weight.Value, inputGradient);
            }

            if (parameterGradients)
            {
                DepthwiseConvolution.ParameterGradients(g, batch, multiplier, input, outputGradient, Weight.Gradient, Bias?.Gradient);
            }

            return inputGradient;
        }

        int p = g.ColumnCount, rows = g.ColumnRows, inputLength = InChannels * g.Height * g.Width;
        int filtersPerGroup = OutChannels / Groups, rowsPerGroup = rows / Groups;
        var blocks = SampleBlocks.Plan(batch, p, rows);
        bool gatherInput = parameterGradients && IsPointwise && blocks.PerBlock > 1 && !_implicitColumns;
        EnsureLength(ref _scratch, gatherInput ? rows * blocks.PerBlock * p : 0);
        EnsureLength(ref _columnGradient, inputGradient is not null && !(IsPointwise && blocks.PerBlock == 1) ? rows * blocks.PerBlock * p : 0);
        EnsureLength(ref _blockOutput, blocks.PerBlock > 1 ? OutChannels * blocks.PerBlock * p : 0);
        if (parameterGradients)
        {
            Weight.Gradient.Clear();
            Bias?.Gradient.Clear();
        }

        var weight = Weight.Value.Span;
        for (int b = 0; b < blocks.Count; b++)
        {
            var (first, samples) = blocks[b];
            int width = samples * p;
            ReadOnlySpan<float> dy = outputGradient.Span.Slice(first * OutChannels * p, OutChannels * width);
            if (samples > 1)
            {
                Gather(outputGradient, first, samples, OutChannels, p, _blockOutput);
                dy = _blockOutput.AsSpan(0, OutChannels * width);
            }

            if (parameterGradients && _implicitColumns)
            {
                WeightGradientImplicit(g, input, first, samples, dy);
            }
            else if (parameterGradients)
            {
                ReadOnlySpan<float> columns;
                if (!IsPointwise)
                {
                    columns = _columns.AsSpan(first * rows * p, rows * width);
                }
                else if (samples > 1)
                {
                    Gather(input, first, samples, InChannels, p, _scratch);
                    columns = _scratch.AsSpan(0, rows * width);
                }
                else
                {
                    columns = input.Span.Slice(first * inputLength, inputLength);
                }

                var dWeight = Weight.Gradient.Span;
                for (int grp = 0; grp < Groups; grp++)
                {
                    // dW_g += dY_g · cols_gᵀ  ([filters, width] x [width, rows]).
                    Gemm.Multiply(false, true, filtersPerGroup, rowsPerGroup, width,
                        dy.Slice(grp * filtersPerGroup * width, filtersPerGroup * width), width,
                        columns.Slice(grp * rowsPerGroup * width, rowsPerGroup * width), width,
                        dWeight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup), rowsPerGroup, accumulate: true);
                }

            }

            if (parameterGradients)
            {
                if (Bias is not null)
                {
                    var dBias = Bias.Gradient.Span;
                    int lanes = RowKernels.Width;
                    for (int f = 0; f < OutChannels; f++)
                    {
                        dBias[f] += RowKernels.Sum(dy.Slice(f * width, width), lanes);
                    }
                }
            }

            if (inputGradient is null)
            {
                continue;
            }

            // dcols_g = W_gᵀ · dY_g  ([rows, filters] x [filters, width]); a pointwise sample's are its input gradient.
            bool direct = IsPointwise && samples == 1;
            var dColumns = direct ? inputGradient.Span.Slice(first * inputLength, inputLength) : _columnGradient.AsSpan(0, rows * width);
            for (int grp = 0; grp < Groups; grp++)
            {
                var weightGroup = weight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup);
                Gemm.Multiply(true, false, rowsPerGroup, width, filtersPerGroup, weightGroup, rowsPerGroup,
                    dy.Slice(grp * filtersPerGroup * width, filtersPerGroup * width), width,
                    dColumns.Slice(grp * rowsPerGroup * width, rowsPerGroup * width), width);
            }

            if (!direct)
            {
                Fold(g, _columnGradient, first, samples, inputGradient);
            }
        }

        return inputGradient;
    }

    // Small planes of a one-kernel-per-channel convolution run channel-last, vectorized across channels.
    private bool UseChannelsLast(in WindowGeometry g) =>
        Groups == InChannels && OutChannels == InChannels && g.ColumnCount <= DepthwiseChannelsLast.MaxPlane;

    private static void EnsureLength(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }
    }

    private static void AddBias(Span<float> output, int p, ReadOnlySpan<float> bias)
    {
        for (int f = 0; f < bias.Length; f++)
        {
            VectorOps.AddScalar(output.Slice(f * p, p), bias[f]);
        }
    }

    // Y_g = W_g · cols_g + bias, then the epilogue, for every group of one sample of few columns (Gemm.MultiplyFewColumns).
    private void MultiplyFewColumns(ReadOnlySpan<float> columns, Span<float> output, int width, ConvolutionEpilogue? epilogue)
    {
        int filtersPerGroup = OutChannels / Groups, rowsPerGroup = columns.Length / width / Groups;
        var weight = Weight.Value.Span;
        var bias = Bias is null ? default : Bias.Value.Span;
        for (int grp = 0; grp < Groups; grp++)
        {
            Gemm.MultiplyFewColumns(filtersPerGroup, width, rowsPerGroup, weight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup), rowsPerGroup,
                columns.Slice(grp * rowsPerGroup * width, rowsPerGroup * width), width, output.Slice(grp * filtersPerGroup * width, filtersPerGroup * width), width,
                bias.IsEmpty ? bias : bias.Slice(grp * filtersPerGroup, filtersPerGroup), epilogue, grp * filtersPerGroup);
        }
    }

    // Y_g = W_g · cols_g  ([filters, rows] x [rows, width]) for every group. A block of at most a few columns (a
    // late-stage plane at batch 1) is computed transposed, Yᵀ = colsᵀ · Wᵀ, as dot products that read each weight row
    // once: packing the weights would cost more than the product.
    private void MultiplyGroups(ReadOnlySpan<float> columns, Span<float> output, int width)
    {
        int filtersPerGroup = OutChannels / Groups, rows = columns.Length / width, rowsPerGroup = rows / Groups;
        var weight = Weight.Value.Span;
        if (width <= Gemm.MaxFewRows)
        {
            EnsureLength(ref _fewColumns, (rows + OutChannels) * width);
            var columnsT = _fewColumns.AsSpan(0, rows * width);
            var outputT = _fewColumns.AsSpan(rows * width, OutChannels * width);
            Transposition.Transpose(columns, rows, width, width, columnsT, rows);
            for (int grp = 0; grp < Groups; grp++)
            {
                Gemm.MultiplyFewRows(width, filtersPerGroup, rowsPerGroup, columnsT[(grp * rowsPerGroup)..], rows,
                    weight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup), rowsPerGroup,
                    outputT[(grp * filtersPerGroup)..], OutChannels);
            }

            Transposition.Transpose(outputT, width, OutChannels, OutChannels, output, width);
            return;
        }

        for (int grp = 0; grp < Groups; grp++)
        {
            Gemm.Multiply(false, false, filtersPerGroup, width, rowsPerGroup,
                weight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup), rowsPerGroup,
                columns.Slice(grp * rowsPerGroup * width, rowsPerGroup * width), width,
                output.Slice(grp * filtersPerGroup * width, filtersPerGroup * width), width);
        }
    }
}
