using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// An element-wise operation between the input and a constant tensor (saved as a buffer, never trained), with NumPy
/// broadcasting of the constant against the per-sample shape: x + c, x - c, x · c, x / c, or with the constant first
/// c - x and c / x. It is what an imported Add, Sub, Mul or Div with one constant operand becomes when it is not a
/// bias after a Conv or Gemm.
/// </summary>
public sealed class ConstantOperation : UnaryLayer
{
    private readonly Parameter[] _buffers;
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private FloatTensor? _input;
    private BroadcastPlan? _plan;
    private int[] _planShape = [];
    private int[] _planConstantShape = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="constant">The per-sample constant; copied.</param>
    /// <param name="constantFirst">Whether the constant is the first operand (c - x, c / x).</param>
    /// <param name="name">The layer's name.</param>
    /// <exception cref="ArgumentException">The constant is empty or has a non-finite value.</exception>
    public ConstantOperation(BinaryOperation operation, FloatTensor constant, bool constantFirst = false, string? name = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(constant);
        if (constant.Length == 0 || constant.Rank == 0)
        {
            throw new ArgumentException("The constant needs at least one value.", nameof(constant));
        }

        foreach (float v in constant.Span)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"The constant holds the non-finite value {v}.", nameof(constant));
            }
        }

        Operation = operation;
        ConstantFirst = constantFirst;
        Constant = new Parameter("constant", constant.Clone());
        _buffers = [Constant];
    }

    /// <summary>Gets the operation.</summary>
    public BinaryOperation Operation { get; }

    /// <summary>Gets whether the constant is the first operand.</summary>
    public bool ConstantFirst { get; }

    /// <summary>Gets the per-sample constant.</summary>
    public Parameter Constant { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Buffers => _buffers;

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes);
        if (Constant.Value.Rank > shape.Length)
        {
            throw ShapeError($"the constant {FloatTensor.FormatShape(Constant.Value.Shape)} has a higher rank than the per-sample input {FloatTensor.FormatShape(shape)}.");
        }

        return BroadcastPlan.Shape(shape, Constant.Value.Shape)
            ?? throw ShapeError($"input {FloatTensor.FormatShape(shape)} and constant {FloatTensor.FormatShape(Constant.Value.Shape)} do not broadcast.");
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes) => FloatTensor.ComputeLength(GetOutputShape(inputShapes));

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if (input.Rank < 1 || Constant.Value.Rank >= input.Rank)
        {
            throw ShapeError($"the constant {FloatTensor.FormatShape(Constant.Value.Shape)} does not fit input {FloatTensor.FormatShape(input.Shape)}.");
        }

        var constantShape = WithBatch(1, Constant.Value.Shape);
        var perSample = BroadcastPlan.Shape(input.Shape.AsSpan(1), Constant.Value.Shape)
            ?? throw ShapeError($"input {FloatTensor.FormatShape(input.Shape)} and constant {FloatTensor.FormatShape(Constant.Value.Shape)} do not broadcast.");
        var output = Ensure(ref _output, WithBatch(input.Dim(0), perSample));
        var plan = Plan(input.Shape, constantShape);
        if (ConstantFirst)
        {
            plan.Apply(Operation, Constant.Value.Span, input.Span, output.Span);
        }
        else
        {
            plan.Apply(Operation, input.Span, Constant.Value.Span, output.Span);
        }

        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        if (!ComputeInputGradient)
        {
            return null;
        }

        var gradient = Ensure(ref _inputGradient, input.Shape);
        gradient.Clear();
        var plan = Plan(input.Shape, WithBatch(1, Constant.Value.Shape));
        if (ConstantFirst)
        {
            plan.AccumulateGradient(Operation, false, Constant.Value.Span, input.Span, outputGradient.Span, gradient.Span);
        }
        else
        {
            plan.AccumulateGradient(Operation, true, input.Span, Constant.Value.Span, outputGradient.Span, gradient.Span);
        }

        return gradient;
    }

    // The plan's operands are in operation order: the constant first when ConstantFirst.
    private BroadcastPlan Plan(int[] inputShape, int[] constantShape)
    {
        // Keyed by both shapes: structural pruning may replace the constant (Parameter.Replace) with a smaller one.
        if (_plan is null || !inputShape.AsSpan().SequenceEqual(_planShape) || !constantShape.AsSpan().SequenceEqual(_planConstantShape))
        {
            _plan = ConstantFirst ? BroadcastPlan.Create(constantShape, inputShape) : BroadcastPlan.Create(inputShape, constantShape);
            _planShape = (int[])inputShape.Clone();
            _planConstantShape = (int[])constantShape.Clone();
        }

        return _plan;
    }
}
