using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;
using ManagedTensor = Microsoft.ML.Pruning.Tensors.FloatTensor;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// One fit on libtorch: the converted network, the libtorch optimizer over the parameters of the layers that are not
/// frozen, the device copies of the masks, and one checkpoint kept on the device. Each batch runs in its own
/// <see cref="DisposeScope"/>; the session owns every tensor it creates and disposes them.
/// </summary>
internal sealed class TorchTrainingSession : ITrainingSession
{
    private readonly TorchNetwork _torch;
    private readonly optim.Optimizer _optimizer;
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly (Tensor Parameter, Tensor Mask)[] _masks;
    private readonly BatchBuffer _batch;
    private Tensor[]? _checkpoint;

    public TorchTrainingSession(Network network, TrainingSetup setup, Device device, bool unfoldConvolutions)
    {
        _loss = TorchObjective.Loss(setup.Loss, setup.ClassCount);
        _torch = new TorchNetwork(network, device, setup.Seed, setup.FrozenLayers, setup.OutputNode, unfoldConvolutions);
        try
        {
            _optimizer = TorchObjective.Optimizer(setup.Optimizer, _torch.Parameters.Select(p => (global::TorchSharp.Modules.Parameter)p.Torch));
            _masks = _torch.Parameters
                .Where(p => p.Managed.Mask is not null)
                .Select(p => (p.Torch, TensorCopy.ToTorch(p.Managed.Mask!, device).DetachFromDisposeScope()))
                .ToArray();
            _batch = new BatchBuffer(device);
        }
        catch
        {
            _torch.Dispose();
            throw;
        }

        ApplyMasks();
    }

    /// <inheritdoc/>
    public void SetLearningRate(float learningRate) => TorchObjective.SetLearningRate(_optimizer, learningRate);

    /// <inheritdoc/>
    public BatchOutcome TrainBatch(ManagedTensor features, ReadOnlySpan<int> labels)
    {
        using var scope = NewDisposeScope();
        var (x, y) = _batch.Load(features, labels);
        _optimizer.zero_grad();
        var output = _torch.Forward(x, training: true);
        var loss = _loss(output, y);
        loss.backward();
        if (_masks.Length > 0)
        {
            MaskGradients();
        }

        _optimizer.step();
        ApplyMasks();
        using var noGrad = no_grad();
        return new BatchOutcome(loss.item<float>(), (int)output.argmax(1).eq(y).sum().item<long>());
    }

    /// <inheritdoc/>
    public BatchOutcome EvaluateBatch(ManagedTensor features, ReadOnlySpan<int> labels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, y) = _batch.Load(features, labels);
        var output = _torch.Forward(x, training: false);
        return new BatchOutcome(_loss(output, y).item<float>(), (int)output.argmax(1).eq(y).sum().item<long>());
    }

    /// <inheritdoc/>
    public bool TrySaveCheckpoint()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = _torch.State;
        if (state.Count > 0 && !stack(state.Select(s => s.Torch.isfinite().all()).ToArray()).all().item<bool>())
        {
            return false;
        }

        if (_checkpoint is null)
        {
            _checkpoint = state.Select(s => s.Torch.detach().clone().DetachFromDisposeScope()).ToArray();
        }
        else
        {
            for (int i = 0; i < state.Count; i++)
            {
                _checkpoint[i].copy_(state[i].Torch);
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public void RestoreCheckpoint()
    {
        var checkpoint = _checkpoint ?? throw new InvalidOperationException("No checkpoint was saved.");
        using var noGrad = no_grad();
        for (int i = 0; i < checkpoint.Length; i++)
        {
            _torch.State[i].Torch.copy_(checkpoint[i]);
        }
    }

    /// <inheritdoc/>
    public void CopyToNetwork() => _torch.CopyTo();

    /// <inheritdoc/>
    public void Dispose()
    {
        _batch.Dispose();
        _optimizer.Dispose();
        foreach (var (_, mask) in _masks)
        {
            mask.Dispose();
        }

        foreach (var tensor in _checkpoint ?? [])
        {
            tensor.Dispose();
        }

        _torch.Dispose();
    }

    private void MaskGradients()
    {
        using var noGrad = no_grad();
        foreach (var (parameter, mask) in _masks)
        {
            parameter.grad?.mul_(mask);
        }
    }

    private void ApplyMasks()
    {
        if (_masks.Length == 0)
        {
            return;
        }

        using var noGrad = no_grad();
        foreach (var (parameter, mask) in _masks)
        {
            parameter.mul_(mask);
        }
    }
}
