using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>A trainable tensor of a layer together with its gradient and an optional element-wise mask.</summary>
public sealed class Parameter
{
    private FloatTensor? _mask;

    /// <summary>Creates a parameter holding <paramref name="value"/>.</summary>
    /// <param name="name">The parameter's name within its layer, such as <c>weight</c> or <c>bias</c>.</param>
    /// <param name="value">The values; the parameter takes ownership.</param>
    public Parameter(string name, FloatTensor value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = new FloatTensor(value.Shape);
    }

    /// <summary>Gets the parameter's name within its layer.</summary>
    public string Name { get; }

    /// <summary>Gets the values.</summary>
    public FloatTensor Value { get; private set; }

    /// <summary>Gets the gradient of the loss with respect to <see cref="Value"/>, written by the last backward pass.</summary>
    public FloatTensor Gradient { get; private set; }

    /// <summary>
    /// Gets or sets an element-wise mask of ones and zeros with the shape of <see cref="Value"/>, or <see langword="null"/>
    /// for none. Masked elements are zeroed when the mask is set and after every optimizer step, and their gradients are zeroed.
    /// </summary>
    public FloatTensor? Mask
    {
        get => _mask;
        set
        {
            if (value is not null && !value.HasShape(Value.Shape))
            {
                throw new ArgumentException($"The mask's shape {FloatTensor.FormatShape(value.Shape)} differs from parameter '{Name}' {FloatTensor.FormatShape(Value.Shape)}.", nameof(value));
            }

            _mask = value;
            ApplyMask();
        }
    }

    /// <summary>Gets the number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>Replaces the values with a tensor of a possibly different shape (used by structural pruning); clears the mask.</summary>
    /// <param name="value">The new values.</param>
    public void Replace(FloatTensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        Gradient = new FloatTensor(value.Shape);
        _mask = null;
    }

    /// <summary>Multiplies the values by the mask, if any.</summary>
    public void ApplyMask()
    {
        if (_mask is null)
        {
            return;
        }

        VectorOps.Multiply(Value.Span, _mask.Span, Value.Span);
    }

    /// <summary>Multiplies the gradient by the mask, if any.</summary>
    public void MaskGradient()
    {
        if (_mask is null)
        {
            return;
        }

        VectorOps.Multiply(Gradient.Span, _mask.Span, Gradient.Span);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {FloatTensor.FormatShape(Value.Shape)}";
}
