using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// A model stage that starts from a trained network: an ONNX model (file or stream) or a <see cref="Network"/>. Its fit
/// checks the columns against the model and measures it on the held-out rows. With
/// <see cref="PretrainedNetworkOptions.Head"/> it gives the network a new classifier sized to the label's classes, and
/// with <see cref="StageOptions.Epochs"/> above 0 it trains it (the head alone for
/// <see cref="PretrainedNetworkOptions.HeadOnlyEpochs"/>, then every layer not frozen). A shell over <see cref="PretrainedStage"/>.
/// </summary>
public sealed class PretrainedNetworkEstimator : NetworkStageEstimator
{
    internal PretrainedNetworkEstimator(Network network, string source, PretrainedNetworkOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
        var settings = (PretrainedNetworkOptions)Settings;
        try
        {
            Stage = new PretrainedStage(network, source, Seed)
            {
                ValidationFraction = settings.ValidationFraction,
                MeasureLatency = settings.MeasureLatency,
                Head = settings.Head,
                InputShape = settings.InputShape,
                InputNormalization = settings.InputNormalization,
                Training = settings.Epochs == 0 ? null : settings.Training() with { HeadOnlyEpochs = settings.HeadOnlyEpochs },
            };
        }
        catch (ArgumentException ex) when (ex is not ArgumentOutOfRangeException)
        {
            throw new ArgumentException(ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal), ex.ParamName?.Split('.')[0], ex);
        }
    }

    internal override Stage Stage { get; }

    private PretrainedStage Pretrained => (PretrainedStage)Stage;

    /// <inheritdoc/>
    private protected override int? ClassesBeforeFit(ModelStage model) => Pretrained.Head is null ? Pretrained.OutputWidth : null;

    /// <summary>Returns the stage adapted to the data: the images' shape (stated or from the column) and, with a new head, the label's classes.</summary>
    private protected override (Stage Stage, int[] InputShape, int Classes) ForData(IDataView data)
    {
        var stage = Pretrained;
        var shape = ImageColumnShape.Resolve(data.Schema, Settings.FeatureColumnName, stage.InputShape, stage.Start.InputShape);
        if (shape is not null && (stage.InputShape is null || !stage.InputShape.SequenceEqual(shape)))
        {
            stage = stage with { InputShape = shape };
        }

        if (stage.Head is null)
        {
            if (data.Schema.GetColumnOrNull(Settings.LabelColumnName)?.Type is KeyDataViewType key && key.Count != (ulong)stage.OutputWidth)
            {
                throw new ArgumentException($"Column '{Settings.LabelColumnName}' is a key of {key.Count} classes but the model scores {stage.OutputWidth}. To train a new classifier for these {key.Count} classes, set PretrainedNetworkOptions.Head (for example Head = new ClassifierHead()), with Epochs to train it.", "input");
            }

            return (stage, stage.RunInputShape, stage.OutputWidth);
        }

        return (stage, stage.RunInputShape, LabelClassCount.Of(data, Settings.LabelColumnName));
    }
}
