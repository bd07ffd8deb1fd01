using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>Typed, validated access to a node's attributes; a wrong type or an out-of-range value fails naming the attribute.</summary>
internal sealed class OnnxAttributes
{
    private readonly Dictionary<string, AttributeProto> _attributes = new(StringComparer.Ordinal);
    private readonly Func<string, OnnxImportException> _fail;

    /// <summary>Indexes a node's attributes.</summary>
    /// <param name="node">The node.</param>
    /// <param name="fail">Builds the exception for a reason (it names the node).</param>
    public OnnxAttributes(NodeProto node, Func<string, OnnxImportException> fail)
    {
        _fail = fail;
        foreach (var attribute in node.Attribute)
        {
            if (!string.IsNullOrEmpty(attribute.RefAttrName))
            {
                throw fail($"attribute '{attribute.Name}' refers to a function attribute ('{attribute.RefAttrName}'), which is not supported outside functions.");
            }

            if (!_attributes.TryAdd(attribute.Name, attribute))
            {
                throw fail($"attribute '{attribute.Name}' appears twice.");
            }
        }
    }

    /// <summary>Returns whether the attribute is present.</summary>
    /// <param name="name">The attribute name.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Has(string name) => _attributes.ContainsKey(name);

    /// <summary>Gets an INT attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    public long GetInt64(string name, long defaultValue) =>
        Find(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : defaultValue;

    /// <summary>Gets an INT attribute that must fit an <see cref="int"/>.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    public int GetInt(string name, int defaultValue) => ToInt(name, GetInt64(name, defaultValue));

    /// <summary>Gets a FLOAT attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    public float GetFloat(string name, float defaultValue) =>
        Find(name, AttributeProto.Types.AttributeType.Float) is { } a ? a.F : defaultValue;

    /// <summary>Gets a STRING attribute decoded as UTF-8.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    public string GetString(string name, string defaultValue) =>
        Find(name, AttributeProto.Types.AttributeType.String) is { } a ? a.S.ToStringUtf8() : defaultValue;

    /// <summary>Gets an INTS attribute whose values must fit an <see cref="int"/>.</summary>
    /// <param name="name">The attribute name.</param>
    /// <returns>The values, or <see langword="null"/> when absent.</returns>
    public int[]? GetInts(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Ints) is { } a ? a.Ints.Select(v => ToInt(name, v)).ToArray() : null;

    /// <summary>Gets a FLOATS attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <returns>The values, or <see langword="null"/> when absent.</returns>
    public float[]? GetFloats(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Floats) is { } a ? [.. a.Floats] : null;

    /// <summary>Gets an INTS attribute as 64-bit values.</summary>
    /// <param name="name">The attribute name.</param>
    /// <returns>The values, or <see langword="null"/> when absent.</returns>
    public long[]? GetInt64s(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Ints) is { } a ? [.. a.Ints] : null;

    /// <summary>Gets a TENSOR attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <returns>The tensor, or <see langword="null"/> when absent.</returns>
    public TensorProto? GetTensor(string name) =>
        Find(name, AttributeProto.Types.AttributeType.FloatTensor) is { } a
            ? a.T ?? throw _fail($"attribute '{name}' has no tensor.")
            : null;

    private AttributeProto? Find(string name, AttributeProto.Types.AttributeType type)
    {
        if (!_attributes.TryGetValue(name, out var attribute))
        {
            return null;
        }

        if (attribute.HasType && attribute.Type != AttributeProto.Types.AttributeType.Undefined && attribute.Type != type)
        {
            throw _fail($"attribute '{name}' must be of type {type.ToString().ToUpperInvariant()}, got {attribute.Type.ToString().ToUpperInvariant()}.");
        }

        return attribute;
    }

    private int ToInt(string name, long value) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw _fail($"attribute '{name}' value {value} is out of range.");
}
