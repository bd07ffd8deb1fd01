using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning;

/// <summary>Where a pipeline's model comes from: <see cref="PruningContext.Model"/>.</summary>
public sealed class ModelCatalog
{
    private readonly PruningContext _context;

    internal ModelCatalog(PruningContext context)
    {
        _context = context;
    }

    /// <summary>Starts a pipeline from an ONNX model trained elsewhere (PyTorch, Keras, ...).</summary>
    /// <param name="path">The .onnx file.</param>
    /// <returns>An estimator whose fit yields the loaded model.</returns>
    /// <exception cref="OnnxImportException">The model uses an unsupported operator or shape; the message names the node.</exception>
    public ModelEstimator LoadOnnx(string path) => new(_context, OnnxModel.Load(path), "ONNX model " + Path.GetFileName(path), null);

    /// <summary>Starts a pipeline from a model saved in the native format (<see cref="NetworkTransformer.Save"/>).</summary>
    /// <param name="path">The file.</param>
    /// <returns>An estimator whose fit yields the loaded model.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid model; the message names the file and offset.</exception>
    public ModelEstimator Load(string path) => new(_context, NetworkSerializer.Load(path), "model " + Path.GetFileName(path), null);

    /// <summary>Starts a pipeline from a network in memory; the fit works on a copy.</summary>
    /// <param name="network">The network.</param>
    /// <returns>An estimator whose fit yields a copy of the network.</returns>
    public ModelEstimator FromNetwork(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new(_context, network, "network", null);
    }

    /// <summary>Starts a pipeline by training an architecture (for example one built with <see cref="NetworkBuilder"/>) for 10 epochs with Adam.</summary>
    /// <param name="architecture">The network to train; the fit trains a copy.</param>
    /// <param name="epochs">The number of epochs.</param>
    /// <returns>An estimator whose fit trains the network.</returns>
    public ModelEstimator Train(Network architecture, int epochs = 10) => Train(architecture, new ModelTrainingOptions { Epochs = epochs });

    /// <summary>Starts a pipeline by training an architecture with the given options.</summary>
    /// <param name="architecture">The network to train; the fit trains a copy.</param>
    /// <param name="options">The training options.</param>
    /// <returns>An estimator whose fit trains the network.</returns>
    public ModelEstimator Train(Network architecture, ModelTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new(_context, architecture, "training", options);
    }
}
