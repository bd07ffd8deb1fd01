using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// An element-wise operation between two feature maps with NumPy broadcasting of their per-sample shapes (such as
/// [C, H, W] · [C, 1, 1], a squeeze-excitation gate); both inputs carry the same batch.
/// </summary>
public abstract class ElementwiseLayer : Layer
{
    private readonly FloatTensor?[] _inputGradients = new FloatTensor?[2];
    private FloatTensor? _output;
    private FloatTensor? _gradientA;
    private FloatTensor? _gradientB;
    private FloatTensor? _inputA;
    private FloatTensor? _inputB;
    private BroadcastPlan? _plan;
    private int[] _planShapeA = [];
    private int[] _planShapeB = [];

    /// <summary>Initializes the layer.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="name">The layer's name.</param>
    private protected ElementwiseLayer(BinaryOperation operation, string? name)
        : base(name)
    {
        Operation = operation;
    }

    /// <summary>Gets the operation.</summary>
    public BinaryOperation Operation { get; }

    /// <inheritdoc/>
    public override int InputCount => 2;

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        if (inputShapes.Count != 2)
        {
            throw ShapeError($"expects 2 inputs, got {inputShapes.Count}.");
        }

        // Both inputs carry the batch in front, so broadcasting whole tensors (as ONNX Runtime does on the export) agrees
        // with broadcasting the per-sample shapes only when their ranks are equal.
        if (inputShapes[0].Length != inputShapes[1].Length)
        {
            throw ShapeError($"inputs {FloatTensor.FormatShape(inputShapes[0])} and {FloatTensor.FormatShape(inputShapes[1])} have different ranks; give both the same rank (a gate as [C, 1, 1], not [C]).");
        }

        return BroadcastPlan.Shape(inputShapes[0], inputShapes[1])
            ?? throw ShapeError($"inputs {FloatTensor.FormatShape(inputShapes[0])} and {FloatTensor.FormatShape(inputShapes[1])} do not broadcast.");
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes) => FloatTensor.ComputeLength(GetOutputShape(inputShapes));

    /// <inheritdoc/>
    public override FloatTensor Forward(IReadOnlyList<FloatTensor> inputs, bool training)
    {
        if (inputs.Count != 2 || inputs[0].Rank == 0 || inputs[1].Rank == 0 || inputs[0].Dim(0) != inputs[1].Dim(0))
        {
            throw ShapeError("expects 2 inputs with the same batch size.");
        }

        var a = inputs[0];
        var b = inputs[1];
        var plan = Plan(a.Shape, b.Shape);
        var shape = BroadcastPlan.Shape(a.Shape, b.Shape)!;
        if (_output is null)
        {
            _output = new FloatTensor(shape);
        }
        else if (!_output.HasShape(shape))
        {
            _output.Resize(shape);
        }

        plan.Apply(Operation, a.Span, b.Span, _output.Span);
        _inputA = training ? a : null;
        _inputB = training ? b : null;
        return _output;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<FloatTensor?> Backward(FloatTensor outputGradient)
    {
        if (_inputA is null || _inputB is null)
        {
            throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        }

        if (!ComputeInputGradient)
        {
            _inputGradients[0] = _inputGradients[1] = null;
            return _inputGradients;
        }

        var plan = Plan(_inputA.Shape, _inputB.Shape);
        _inputGradients[0] = Gradient(plan, true, ref _gradientA, _inputA, outputGradient);
        _inputGradients[1] = Gradient(plan, false, ref _gradientB, _inputB, outputGradient);
        return _inputGradients;
    }

    private FloatTensor Gradient(BroadcastPlan plan, bool first, ref FloatTensor? buffer, FloatTensor operand, FloatTensor outputGradient)
    {
        // Same shape and a gradient that passes unchanged: hand it on, as the network sums what several consumers send.
        bool passes = Operation == BinaryOperation.Add || (Operation == BinaryOperation.Subtract && first);
        if (passes && operand.HasShape(outputGradient.Shape))
        {
            return outputGradient;
        }

        buffer ??= new FloatTensor(operand.Shape);
        if (!buffer.HasShape(operand.Shape))
        {
            buffer.Resize(operand.Shape);
        }

        buffer.Clear();
        plan.AccumulateGradient(Operation, first, _inputA!.Span, _inputB!.Span, outputGradient.Span, buffer.Span);
        return buffer;
    }

    private BroadcastPlan Plan(int[] a, int[] b)
    {
        if (_plan is null || !a.AsSpan().SequenceEqual(_planShapeA) || !b.AsSpan().SequenceEqual(_planShapeB))
        {
            if (BroadcastPlan.Shape(a, b) is null)
            {
                throw ShapeError($"inputs {FloatTensor.FormatShape(a)} and {FloatTensor.FormatShape(b)} do not broadcast.");
            }

            _plan = BroadcastPlan.Create(a, b);
            _planShapeA = (int[])a.Clone();
            _planShapeB = (int[])b.Clone();
        }

        return _plan;
    }
}
