using Microsoft.ML.Pruning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>The libtorch counterparts of the managed losses and optimizers, with the same hyperparameters.</summary>
internal static class TorchObjective
{
    /// <summary>Returns the libtorch loss matching <paramref name="loss"/> (mean over the batch, as the managed losses).</summary>
    /// <param name="loss">The managed loss.</param>
    /// <param name="classes">The number of classes (for the one-hot targets of the squared error).</param>
    /// <returns>A function of (outputs, int64 labels) giving the scalar loss.</returns>
    /// <exception cref="NotSupportedException">The loss has no libtorch counterpart; the message names it.</exception>
    public static Func<Tensor, Tensor, Tensor> Loss(Loss loss, int classes) => loss switch
    {
        SoftmaxCrossEntropyLoss => (output, labels) => nn.functional.cross_entropy(output, labels),
        MeanSquaredErrorLoss => (output, labels) =>
        {
            using var target = nn.functional.one_hot(labels, classes).to(output.dtype);
            return nn.functional.mse_loss(output, target);
        },
        _ => throw new NotSupportedException($"The loss {loss.GetType().Name} has no TorchSharp counterpart; the TorchSharp backend supports SoftmaxCrossEntropyLoss and MeanSquaredErrorLoss."),
    };

    /// <summary>Creates the libtorch optimizer matching <paramref name="optimizer"/> over <paramref name="parameters"/>.</summary>
    /// <param name="optimizer">The managed optimizer (its learning rate, momentum, Nesterov flag, betas, epsilon and weight decay).</param>
    /// <param name="parameters">The libtorch parameters.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="NotSupportedException">The optimizer has no libtorch counterpart; the message names it.</exception>
    public static optim.Optimizer Optimizer(Training.Optimizer optimizer, IEnumerable<global::TorchSharp.Modules.Parameter> parameters) => optimizer switch
    {
        SgdOptimizer sgd => optim.SGD(parameters, sgd.LearningRate, sgd.Momentum, dampening: 0, weight_decay: sgd.WeightDecay, nesterov: sgd.Nesterov),
        AdamOptimizer adam => optim.Adam(parameters, adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay),
        _ => throw new NotSupportedException($"The optimizer {optimizer.GetType().Name} has no TorchSharp counterpart; the TorchSharp backend supports SgdOptimizer and AdamOptimizer."),
    };

    /// <summary>Sets the learning rate of every parameter group.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="rate">The rate.</param>
    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }
}
