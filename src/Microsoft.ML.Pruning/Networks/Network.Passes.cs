using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The forward and backward passes of <see cref="Network"/>.</summary>
public sealed partial class Network
{
    private readonly FloatTensor[] _oneArgument = new FloatTensor[1];

    /// <summary>Runs the network on a batch.</summary>
    /// <param name="input">A tensor of shape [batch, ...<see cref="InputShape"/>].</param>
    /// <param name="training">Whether the pass is for training (batch statistics, dropout, and caches for <see cref="Backward"/>).</param>
    /// <returns>The output [batch, ...<see cref="OutputShape"/>], owned by the last layer and valid until the next pass.</returns>
    /// <exception cref="ArgumentException">The input's shape does not match.</exception>
    public FloatTensor Forward(FloatTensor input, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != InputShape.Length + 1 || !input.Shape.AsSpan(1).SequenceEqual(InputShape))
        {
            throw new ArgumentException($"The network expects input [batch, {string.Join(", ", InputShape)}], got {FloatTensor.FormatShape(input.Shape)}.", nameof(input));
        }

        if (_nodes.Count == 0)
        {
            return input;
        }

        if (_outputs.Length != _nodes.Count)
        {
            _outputs = new FloatTensor?[_nodes.Count];
        }

        var fused = training || FusionDisabled ? null : BeginFusion();
        try
        {
            var ticks = NodeTicks is { } t && t.Length == _nodes.Count ? t : null;
            long start = ticks is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var node in _nodes)
            {
                var args = node.Inputs.Count == 1 ? _oneArgument : new FloatTensor[node.Inputs.Count];
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    int source = node.Inputs[i];
                    args[i] = source == NetworkNode.NetworkInput ? input : _outputs[source]!;
                }

                _outputs[node.Index] = fused is null ? node.Layer.Forward(args, training)
                    : _fused[node.Index] ? args[0]
                    : _inPlace[node.Index] ? ((ActivationLayer)node.Layer).ForwardInPlace(args[0])
                    : node.Layer.Forward(args, training);
                if (ticks is not null)
                {
                    long now = System.Diagnostics.Stopwatch.GetTimestamp();
                    ticks[node.Index] += now - start;
                    start = now;
                }
            }
        }
        finally
        {
            if (fused is not null)
            {
                EndFusion(fused);
            }
        }

        return _outputs[^1]!;
    }

    /// <summary>Gets or sets, for profiling, per-node Stopwatch ticks that forward passes add to (one entry per node), or null.</summary>
    internal long[]? NodeTicks { get; set; }

    /// <summary>
    /// Gets the output of node <paramref name="index"/> from the last forward pass. After an inference pass, a node whose
    /// only consumer is an element-wise activation (or, for a convolution, an inference BatchNorm and activation) shares
    /// its buffer with that consumer, so it reads as the consumer's output; training passes keep every node's own.
    /// </summary>
    /// <param name="index">The node index.</param>
    /// <returns>The tensor, or <see langword="null"/> before the first pass.</returns>
    public FloatTensor? OutputOf(int index) => index < _outputs.Length ? _outputs[index] : null;

    /// <summary>Gets the gradient of the loss with respect to node <paramref name="index"/>'s output from the last <see cref="Backward"/>.</summary>
    /// <param name="index">The node index.</param>
    /// <returns>The tensor (valid until the next pass), or <see langword="null"/> when no gradient reached the node.</returns>
    internal FloatTensor? GradientOf(int index) => index < _gradients.Length ? _gradients[index] : null;

    /// <summary>
    /// Back-propagates the gradient of the loss with respect to the output of the last training forward pass, writing
    /// every parameter's <see cref="Parameter.Gradient"/> (except those of layers whose internal
    /// <c>ComputeParameterGradients</c> switch is off).
    /// </summary>
    /// <param name="outputGradient">The gradient with respect to the network's output.</param>
    public void Backward(FloatTensor outputGradient) => BackwardFrom(outputGradient, _nodes.Count - 1);

    /// <summary>
    /// Back-propagates the gradient of the loss with respect to the output of node <paramref name="from"/> (for example
    /// the logits before a final Softmax, <see cref="LogitsNode"/>); the nodes after it take no part.
    /// </summary>
    /// <param name="outputGradient">The gradient with respect to that node's output.</param>
    /// <param name="from">The node index.</param>
    internal void BackwardFrom(FloatTensor outputGradient, int from)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, _nodes.Count);
        int count = _nodes.Count;
        if (_gradients.Length != count)
        {
            _gradients = new FloatTensor?[count];
            _gradientSums = new FloatTensor?[count];
            _ownsGradient = new bool[count];
        }

        Array.Clear(_gradients);
        Array.Clear(_ownsGradient);
        _gradients[from] = outputGradient;
        for (int index = from; index >= 0; index--)
        {
            var node = _nodes[index];
            var gradient = _gradients[index];
            if (gradient is null)
            {
                continue;
            }

            var inputGradients = node.Layer.Backward(gradient);
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                int source = node.Inputs[i];
                if (source != NetworkNode.NetworkInput && inputGradients[i] is { } contribution)
                {
                    Accumulate(source, contribution);
                }
            }
        }

        foreach (var node in _nodes)
        {
            if (!node.Layer.ComputeParameterGradients)
            {
                continue;
            }

            foreach (var parameter in node.Layer.Parameters)
            {
                parameter.MaskGradient();
            }
        }
    }

    private void Accumulate(int node, FloatTensor contribution)
    {
        var existing = _gradients[node];
        if (existing is null)
        {
            _gradients[node] = contribution;
            return;
        }

        // A second consumer: sum into a buffer the network owns, never into a layer's tensor.
        if (!_ownsGradient[node])
        {
            var sum = _gradientSums[node] ??= new FloatTensor(existing.Shape);
            if (!sum.HasShape(existing.Shape))
            {
                sum.Resize(existing.Shape);
            }

            sum.CopyFrom(existing);
            _gradients[node] = sum;
            _ownsGradient[node] = true;
        }

        VectorOps.Add(_gradients[node]!.Span, contribution.Span);
    }
}
