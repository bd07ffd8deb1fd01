namespace Microsoft.ML.Pruning.Tensors;

/// <summary>An element-wise operation between two operands.</summary>
public enum BinaryOperation
{
    /// <summary>a + b.</summary>
    Add,

    /// <summary>a - b.</summary>
    Subtract,

    /// <summary>a · b.</summary>
    Multiply,

    /// <summary>a / b.</summary>
    Divide,
}
