using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// First-order Taylor expansion of the loss: the change in loss when a unit's activation is set to zero is estimated
/// by |activation × gradient|, so units whose removal barely moves the loss matter little.
/// </summary>
/// <remarks>
/// <para>
/// Molchanov, Tyree, Karras, Aila and Kautz, "Pruning Convolutional Neural Networks for Resource Efficient Inference"
/// (ICLR 2017; arXiv 1611.06440), cited as [5] in the survey of seeds/004. For a feature map h with M spatial
/// positions, Θ(h) = |(1/M) Σₘ h·∂C/∂h| per sample, averaged over the calibration samples; for a neuron it is
/// |h·∂C/∂h| per sample. C is the softmax cross-entropy of the network's output against the labels, per sample, so
/// the scores do not depend on the batch size; for a network that ends in a Softmax
/// (<see cref="Network.OutputIsProbability"/>) C is computed on that Softmax's input, so the softmax is applied once. With <see cref="NormalizePerLayer"/> each group's scores are divided
/// by their L2 norm, which Molchanov et al. recommend before ranking across layers.
/// </para>
/// <para>
/// The gradients are those of the network as inference runs it: the forward passes keep BatchNorm on its running
/// statistics (which stay unchanged) and dropout off, while caching what the backward pass needs (the internal
/// <c>Layer.KeepInferenceBehaviour</c> switch). The backward passes compute only the gradients with respect to the
/// activations, never the parameters' (the internal <c>Layer.ComputeParameterGradients</c> switch is off for the pass),
/// which costs about a third less than a training backward pass and leaves the network exactly as it was found.
/// </para>
/// </remarks>
public sealed class TaylorImportance : IImportance
{
    /// <summary>Creates the criterion.</summary>
    /// <param name="normalizePerLayer">Whether to divide each group's scores by their L2 norm. The default is <see langword="false"/>.</param>
    /// <param name="batchSize">The number of calibration samples per forward and backward pass. The default is 256; it must be at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public TaylorImportance(bool normalizePerLayer = false, int batchSize = ImportanceInputs.DefaultBatchSize)
    {
        NormalizePerLayer = normalizePerLayer;
        BatchSize = ImportanceInputs.CheckBatchSize(batchSize);
    }

    /// <inheritdoc/>
    public string Name => "Taylor";

    /// <inheritdoc/>
    public bool RequiresData => true;

    /// <summary>Gets whether each group's scores are divided by their L2 norm.</summary>
    public bool NormalizePerLayer { get; }

    /// <summary>Gets the number of calibration samples per forward and backward pass.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument or a group is null, or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A group does not fit the network (the message names it), the data is empty or does not fit, or the network's
    /// output is not [batch, classes] with a class for every label.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<float[]> Score(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        ImportanceInputs.ValidateGroups(network, groups);
        var calibration = ImportanceInputs.RequireData(network, data, Name);
        if (groups.Count == 0)
        {
            return [];
        }

        var sums = groups.Select(g => new double[g.UnitCount]).ToArray();
        var layers = network.Nodes.Select(n => n.Layer).ToArray();
        var keptBehaviour = layers.Select(l => l.KeepInferenceBehaviour).ToArray();
        var keptParameterGradients = layers.Select(l => l.ComputeParameterGradients).ToArray();
        var loss = new SoftmaxCrossEntropyLoss();
        int scored = loss.ScoredNode(network);
        var outputGradient = new FloatTensor(1);
        long rows = 0;
        try
        {
            foreach (var layer in layers)
            {
                layer.KeepInferenceBehaviour = true;
                layer.ComputeParameterGradients = false;
            }

            using var batches = new CalibrationBatches(calibration, network, BatchSize, training: true);
            while (batches.MoveNext(cancellationToken))
            {
                network.Forward(batches.Features, training: true);
                loss.Compute(network.OutputOf(scored)!, batches.Labels.AsSpan(0, batches.Count), outputGradient);
                network.BackwardFrom(outputGradient, scored);
                for (int g = 0; g < groups.Count; g++)
                {
                    Accumulate(network, groups[g], batches.Count, sums[g]);
                }
            }

            rows = batches.Rows;
        }
        finally
        {
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i].KeepInferenceBehaviour = keptBehaviour[i];
                layers[i].ComputeParameterGradients = keptParameterGradients[i];
            }
        }

        var scores = new float[groups.Count][];
        for (int g = 0; g < groups.Count; g++)
        {
            var mean = sums[g].Select(sum => sum / rows).ToArray();
            double norm = NormalizePerLayer ? Math.Sqrt(mean.Sum(v => v * v)) : 1;
            scores[g] = mean.Select(v => (float)(norm > 0 ? v / norm : v)).ToArray();
        }

        return scores;
    }

    private static void Accumulate(Network network, PruningGroup group, int batch, double[] sums)
    {
        var activations = ImportanceInputs.Activations(network, group);
        var gradient = network.GradientOf(group.ActivationNode.Index);
        if (gradient is null || gradient.Length != activations.Length)
        {
            throw new InvalidOperationException($"Group '{group.Name}': no loss gradient reached node '{group.ActivationNode.Layer.Name}'.");
        }

        // The loss is the batch mean; × batch turns its gradient into each sample's own.
        int units = group.UnitCount, spatial = activations.Length / (batch * units);
        double scale = (double)batch / spatial;
        var a = activations.Span;
        var g = gradient.Span;
        for (int n = 0, offset = 0; n < batch; n++)
        {
            for (int unit = 0; unit < units; unit++, offset += spatial)
            {
                double sum = 0;
                for (int s = offset; s < offset + spatial; s++)
                {
                    sum += (double)a[s] * g[s];
                }

                sums[unit] += Math.Abs(sum) * scale;
            }
        }
    }
}
