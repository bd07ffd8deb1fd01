using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>The per-layer sensitivity sweep behind <see cref="Pruner.AnalyzeSensitivity"/>, with the evaluation as a seam.</summary>
internal static class SensitivityAnalysis
{
    /// <summary>Prunes each layer alone at each rate on a copy of <paramref name="network"/> and records the accuracy drop.</summary>
    /// <param name="network">The network; not modified.</param>
    /// <param name="calibration">Calibration data, or <see langword="null"/>.</param>
    /// <param name="layers">The layers to sweep.</param>
    /// <param name="methodForLayer">The method restricted to one layer.</param>
    /// <param name="rates">The rates.</param>
    /// <param name="evaluate">Evaluates a model on the validation data.</param>
    /// <param name="progress">Receives a report after each point.</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    /// <returns>The points, layer by layer.</returns>
    public static IReadOnlyList<SensitivityPoint> Run(
        Network network,
        IBatchSource? calibration,
        IReadOnlyList<string> layers,
        Func<string, PruningMethod> methodForLayer,
        IReadOnlyList<double> rates,
        Func<Network, CancellationToken, EvaluationResult> evaluate,
        IProgress<PruningProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(methodForLayer);
        ArgumentNullException.ThrowIfNull(rates);
        CheckArguments(network, calibration, layers, rates);

        double baseline = evaluate(network, cancellationToken).Accuracy;
        var points = new List<SensitivityPoint>(layers.Count * rates.Count);
        foreach (string layer in layers)
        {
            var method = methodForLayer(layer) ?? throw new InvalidOperationException($"methodForLayer returned null for layer '{layer}'.");
            if (method.RequiresData && calibration is null)
            {
                throw new ArgumentNullException(nameof(calibration), $"The method '{method.Name}' for layer '{layer}' needs calibration data, but calibration is null.");
            }

            foreach (double rate in rates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var copy = NetworkSerializer.Clone(network);
                method.Apply(copy, rate, calibration, cancellationToken);
                double accuracy = evaluate(copy, cancellationToken).Accuracy;
                var point = new SensitivityPoint(layer, rate, accuracy, baseline - accuracy);
                points.Add(point);
                progress?.Report(new PruningProgress(points.Count - 1, PruningPhase.Sensitivity, rate, accuracy,
                    string.Create(CultureInfo.InvariantCulture, $"{layer} at rate {rate:0.####}: accuracy {accuracy:0.0000} (drop {point.AccuracyDrop:0.0000})")));
            }
        }

        return points;
    }

    private static void CheckArguments(Network network, IBatchSource? calibration, IReadOnlyList<string> layers, IReadOnlyList<double> rates)
    {
        if (calibration is not null)
        {
            if (calibration.RowCount == 0)
            {
                throw new ArgumentException("The calibration data is empty; pass null for methods that need none.", nameof(calibration));
            }

            Evaluator.CheckCompatible(network, calibration, nameof(calibration));
        }

        if (layers.Count == 0)
        {
            throw new ArgumentException("At least one layer is needed.", nameof(layers));
        }

        foreach (string layer in layers)
        {
            if (!network.Nodes.Any(n => n.Layer.Name == layer && n.Layer is Dense or Conv2d))
            {
                throw new ArgumentException(
                    $"The network has no Dense or Conv2d layer named '{layer}'. Its Dense and Conv2d layers: {string.Join(", ", network.Nodes.Where(n => n.Layer is Dense or Conv2d).Select(n => n.Layer.Name))}.",
                    nameof(layers));
            }
        }

        if (rates.Count == 0)
        {
            throw new ArgumentException("At least one rate is needed.", nameof(rates));
        }

        for (int i = 0; i < rates.Count; i++)
        {
            if (!(rates[i] is > 0 and < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(rates), rates[i], $"rates[{i}] must be greater than 0 and less than 1.");
            }
        }
    }
}
