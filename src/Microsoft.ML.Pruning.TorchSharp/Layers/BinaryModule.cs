using Microsoft.ML.Pruning.Networks;
using BinaryOperation = Microsoft.ML.Pruning.Tensors.BinaryOperation;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// An element-wise binary operation (Add, Subtract, Multiply, Divide) of two inputs, or of the input and a constant,
/// broadcasting the per-sample shapes as NumPy does: an operand of lower per-sample rank gets unit axes after the batch
/// axis, so that its trailing axes line up as in the managed engine.
/// </summary>
internal sealed class BinaryModule : TorchLayer
{
    private readonly BinaryOperation _operation;
    private readonly Tensor? _constant;
    private readonly bool _constantFirst;

    public BinaryModule(ElementwiseLayer layer)
        : base(layer) => _operation = layer.Operation;

    public BinaryModule(ConstantOperation layer, Device device)
        : base(layer)
    {
        _operation = layer.Operation;
        _constant = AddBuffer(layer.Constant, device);
        _constantFirst = layer.ConstantFirst;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (_constant is not null)
        {
            // The constant is per-sample with a rank at most the input's: trailing alignment already holds.
            return _constantFirst ? Apply(_constant, inputs[0]) : Apply(inputs[0], _constant);
        }

        long rank = Math.Max(inputs[0].dim(), inputs[1].dim());
        return Apply(Align(inputs[0], rank), Align(inputs[1], rank));
    }

    private static Tensor Align(Tensor batch, long rank)
    {
        if (batch.dim() == rank)
        {
            return batch;
        }

        long[] shape = [batch.shape[0], .. Enumerable.Repeat(1L, (int)(rank - batch.dim())), .. batch.shape[1..]];
        return batch.view(shape);
    }

    private Tensor Apply(Tensor a, Tensor b) => _operation switch
    {
        BinaryOperation.Add => a + b,
        BinaryOperation.Subtract => a - b,
        BinaryOperation.Multiply => a * b,
        BinaryOperation.Divide => a / b,
        _ => throw new NotSupportedException($"Layer '{Layer.Name}': the operation {_operation} has no TorchSharp conversion."),
    };
}
