using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Batch normalization over the channel dimension (dimension 1) of [batch, channels] or [batch, channels, height, width]
/// inputs, as PyTorch's BatchNorm1d and BatchNorm2d: batch statistics while training (biased variance for normalizing,
/// unbiased for the running estimate), running statistics otherwise.
/// </summary>
public sealed class BatchNorm : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private readonly Parameter[] _buffers;
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private float[] _normalized = [];
    private float[] _inverseStd = [];
    private int _batch;
    private int _spatial;
    private bool _hasTrainingForward;
    private bool _usedRunningStatistics;

    /// <summary>Creates a batch normalization layer with scale 1, shift 0, running mean 0 and running variance 1.</summary>
    /// <param name="channels">The number of channels.</param>
    /// <param name="epsilon">Added to the variance. The default is 1e-5.</param>
    /// <param name="momentum">The weight of a new batch in the running statistics. The default is 0.1, as in PyTorch.</param>
    /// <param name="name">The layer's name.</param>
    public BatchNorm(int channels, float epsilon = 1e-5f, float momentum = 0.1f, string? name = null)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        if (!(momentum is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be between 0 and 1.");
        }

        Epsilon = epsilon;
        Momentum = momentum;
        Scale = new Parameter("weight", new FloatTensor(channels));
        Scale.Value.Fill(1);
        Shift = new Parameter("bias", new FloatTensor(channels));
        RunningMean = new Parameter("running_mean", new FloatTensor(channels));
        RunningVariance = new Parameter("running_var", new FloatTensor(channels));
        RunningVariance.Value.Fill(1);
        _parameters = [Scale, Shift];
        _buffers = [RunningMean, RunningVariance];
    }

    /// <summary>Gets the per-channel scale (gamma).</summary>
    public Parameter Scale { get; }

    /// <summary>Gets the per-channel shift (beta).</summary>
    public Parameter Shift { get; }

    /// <summary>Gets the running mean.</summary>
    public Parameter RunningMean { get; }

    /// <summary>Gets the running variance.</summary>
    public Parameter RunningVariance { get; }

    /// <summary>Gets the number of channels.</summary>
    public int Channels => Scale.Value.Length;

    /// <summary>Gets the value added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>Gets the weight of a new batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Buffers => _buffers;

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes);
        if (shape.Length is not (1 or 3) || shape[0] != Channels)
        {
            throw ShapeError($"expects a per-sample input [{Channels}] or [{Channels}, height, width], got {FloatTensor.FormatShape(shape)}.");
        }

        return (int[])shape.Clone();
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes) => FloatTensor.ComputeLength(GetOutputShape(inputShapes));

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if ((input.Rank is not (2 or 4)) || input.Dim(1) != Channels)
        {
            throw ShapeError($"expects input [batch, {Channels}] or [batch, {Channels}, height, width], got {FloatTensor.FormatShape(input.Shape)}.");
        }

        var output = Ensure(ref _output, input.Shape);
        _batch = input.Dim(0);
        _spatial = input.Rank == 4 ? input.Dim(2) * input.Dim(3) : 1;
        if (training)
        {
            if (_normalized.Length < input.Length)
            {
                _normalized = new float[input.Length];
            }

            if (_inverseStd.Length < Channels)
            {
                _inverseStd = new float[Channels];
            }
        }

        _hasTrainingForward = training;
        bool batchStatistics = training && !KeepInferenceBehaviour;
        _usedRunningStatistics = !batchStatistics;
        var x = input.Span;
        var y = output.Span;
        int count = _batch * _spatial;
        for (int c = 0; c < Channels; c++)
        {
            float mean, inverseStd;
            if (batchStatistics)
            {
                double sum = 0, sumSquares = 0;
                for (int n = 0; n < _batch; n++)
                {
                    sum += VectorOps.Sum(x.Slice(((n * Channels) + c) * _spatial, _spatial));
                }

                mean = (float)(sum / count);
                for (int n = 0; n < _batch; n++)
                {
                    foreach (float v in x.Slice(((n * Channels) + c) * _spatial, _spatial))
                    {
                        double d = v - mean;
                        sumSquares += d * d;
                    }
                }

                float variance = (float)(sumSquares / count);
                inverseStd = 1f / MathF.Sqrt(variance + Epsilon);
                _inverseStd[c] = inverseStd;
                float unbiased = count > 1 ? (float)(sumSquares / (count - 1)) : variance;
                RunningMean.Value.Span[c] = ((1 - Momentum) * RunningMean.Value.Span[c]) + (Momentum * mean);
                RunningVariance.Value.Span[c] = ((1 - Momentum) * RunningVariance.Value.Span[c]) + (Momentum * unbiased);
            }
            else
            {
                mean = RunningMean.Value.Span[c];
                inverseStd = 1f / MathF.Sqrt(RunningVariance.Value.Span[c] + Epsilon);
                if (training)
                {
                    _inverseStd[c] = inverseStd;
                }
            }

            float gamma = Scale.Value.Span[c], beta = Shift.Value.Span[c];
            for (int n = 0; n < _batch; n++)
            {
                int offset = ((n * Channels) + c) * _spatial;
                for (int i = offset; i < offset + _spatial; i++)
                {
                    float normalized = (x[i] - mean) * inverseStd;
                    if (training)
                    {
                        _normalized[i] = normalized;
                    }

                    y[i] = (normalized * gamma) + beta;
                }
            }
        }

        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        if (!_hasTrainingForward)
        {
            throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        }

        var dy = outputGradient.Span;
        var inputGradient = ComputeInputGradient ? Ensure(ref _inputGradient, outputGradient.Shape) : null;
        int count = _batch * _spatial;
        // With the running statistics, the input gradient needs neither sum: they are only the parameters' gradients.
        bool sums = ComputeParameterGradients || !_usedRunningStatistics;
        for (int c = 0; c < Channels; c++)
        {
            double sumDy = 0, sumDyXhat = 0;
            for (int n = 0; n < _batch && sums; n++)
            {
                int offset = ((n * Channels) + c) * _spatial;
                for (int i = offset; i < offset + _spatial; i++)
                {
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * _normalized[i];
                }
            }

            if (ComputeParameterGradients)
            {
                Scale.Gradient.Span[c] = (float)sumDyXhat;
                Shift.Gradient.Span[c] = (float)sumDy;
            }

            if (inputGradient is null)
            {
                continue;
            }

            float factor = Scale.Value.Span[c] * _inverseStd[c];
            var dx = inputGradient.Span;
            if (_usedRunningStatistics)
            {
                // The running statistics are constants of the pass: dx = gamma / std · dy.
                for (int n = 0; n < _batch; n++)
                {
                    int offset = ((n * Channels) + c) * _spatial;
                    for (int i = offset; i < offset + _spatial; i++)
                    {
                        dx[i] = factor * dy[i];
                    }
                }

                continue;
            }

            // dx = gamma / std · (dy - mean(dy) - xhat · mean(dy · xhat)).
            float meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);
            for (int n = 0; n < _batch; n++)
            {
                int offset = ((n * Channels) + c) * _spatial;
                for (int i = offset; i < offset + _spatial; i++)
                {
                    dx[i] = factor * (dy[i] - meanDy - (_normalized[i] * meanDyXhat));
                }
            }
        }

        return inputGradient;
    }
}
