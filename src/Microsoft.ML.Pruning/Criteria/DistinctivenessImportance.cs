using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// Distinctiveness: units whose activation vectors over the calibration set point the same way (near-duplicates) or
/// opposite ways (complementary units) do the same job, and one of each such pair can go. The score is the angular
/// distance in degrees to the unit's nearest distinct partner.
/// </summary>
/// <remarks>
/// <para>
/// Gedeon and Harris, "Network reduction techniques" (1991) and "Progressive image compression" (1992), as used in
/// "The Pruning Methods for feed-forward network and Convolutional Neural Network" (seeds/001). The activation vector of
/// a unit holds its activation on every calibration sample (for a filter, the mean of its feature map per sample),
/// minus <see cref="Centering"/>: sigmoid outputs are shifted from [0, 1] to [−0.5, 0.5] so that angles span 0 to 180
/// degrees. Two units whose vectors are less than <see cref="SimilarAngle"/> apart are near-duplicates; two more than
/// <see cref="ComplementaryAngle"/> apart are complementary. Either way one of them is redundant.
/// </para>
/// <para>
/// The distance of a pair is min(angle, 180 − angle). Scores are assigned so that a threshold selection removes one
/// unit of each redundant pair, never both: the redundant pairs are taken in increasing distance (ties by unit
/// index), and when neither unit of a pair is marked yet, the unit with the smaller activation vector norm (on a tie,
/// the higher index) is marked redundant and scored with the pair's distance. Every unit left unmarked is scored with
/// its smallest distance to the other unmarked units (90 when there is none), which is at least
/// min(<see cref="SimilarAngle"/>, 180 − <see cref="ComplementaryAngle"/>); with the default symmetric thresholds a
/// unit is redundant exactly when its score is below 15. A unit whose activation vector is zero (root mean square
/// below 1e-6, such as a dead ReLU) has no direction: it is redundant with score 0 and is nobody's partner.
/// </para>
/// <para>
/// The Gram matrix of the activation vectors is accumulated batch by batch (a float product per batch, summed in
/// double), so memory does not grow with the data set; one pass over the data scores every group. The Gram matrix
/// costs about units² / 2 multiply-adds per sample and group, on top of the forward pass.
/// </para>
/// </remarks>
public sealed class DistinctivenessImportance : IImportance
{
    /// <summary>The root mean square under which an activation vector counts as zero.</summary>
    private const double ZeroActivity = 1e-6;

    /// <summary>Creates the criterion.</summary>
    /// <param name="centering">Subtracted from every activation before angles are taken. The default is 0.5 (sigmoid); use 0 for tanh or ReLU.</param>
    /// <param name="similarAngle">Pairs closer than this, in degrees, are near-duplicates. The default is 15; it must be in (0, 90].</param>
    /// <param name="complementaryAngle">Pairs further apart than this, in degrees, are complementary. The default is 165; it must be in [90, 180).</param>
    /// <param name="batchSize">The number of calibration samples per forward pass. The default is 256; it must be at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it.</exception>
    public DistinctivenessImportance(double centering = 0.5, double similarAngle = 15, double complementaryAngle = 165, int batchSize = ImportanceInputs.DefaultBatchSize)
    {
        if (!double.IsFinite(centering))
        {
            throw new ArgumentOutOfRangeException(nameof(centering), centering, "centering must be a finite number.");
        }

        if (!(similarAngle is > 0 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(similarAngle), similarAngle, "similarAngle must be in (0, 90] degrees.");
        }

        if (!(complementaryAngle is >= 90 and < 180))
        {
            throw new ArgumentOutOfRangeException(nameof(complementaryAngle), complementaryAngle, "complementaryAngle must be in [90, 180) degrees.");
        }

        Centering = centering;
        SimilarAngle = similarAngle;
        ComplementaryAngle = complementaryAngle;
        BatchSize = ImportanceInputs.CheckBatchSize(batchSize);
    }

    /// <inheritdoc/>
    public string Name => "distinctiveness";

    /// <inheritdoc/>
    public bool RequiresData => true;

    /// <summary>Gets the value subtracted from every activation (0.5 for sigmoid, 0 for tanh).</summary>
    public double Centering { get; }

    /// <summary>Gets the angle, in degrees, under which two units are near-duplicates.</summary>
    public double SimilarAngle { get; }

    /// <summary>Gets the angle, in degrees, over which two units are complementary.</summary>
    public double ComplementaryAngle { get; }

    /// <summary>Gets the number of calibration samples per forward pass.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument or a group is null, or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">A group does not fit the network (the message names it) or the data is empty or does not fit.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<float[]> Score(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        var (grams, count) = AccumulateGrams(network, groups, data, cancellationToken);
        var scores = new float[groups.Count][];
        for (int g = 0; g < groups.Count; g++)
        {
            var (angles, norms) = Angles(grams[g], groups[g].UnitCount, count);
            scores[g] = AssignScores(angles, norms);
        }

        return scores;
    }

    /// <summary>Computes the angle between the activation vectors of every pair of units of every group.</summary>
    /// <param name="network">The network; it is not modified.</param>
    /// <param name="groups">The groups.</param>
    /// <param name="data">The calibration data.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>
    /// For each group a [units, units] matrix of angles in degrees, in [0, 180], with 0 on the diagonal and NaN in the
    /// rows and columns of units whose activation vector is zero.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument or a group is null, or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">A group does not fit the network (the message names it) or the data is empty or does not fit.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<double[,]> ComputeAngles(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        var (grams, count) = AccumulateGrams(network, groups, data, cancellationToken);
        return grams.Select((gram, g) => Angles(gram, groups[g].UnitCount, count).Angles).ToArray();
    }

    /// <summary>Computes the angle between the activation vectors of every pair of units of one group.</summary>
    /// <param name="network">The network; it is not modified.</param>
    /// <param name="group">The group.</param>
    /// <param name="data">The calibration data.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>A [units, units] matrix of angles in degrees (see the overload for groups).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The group does not fit the network or the data is empty or does not fit.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public double[,] ComputeAngles(Network network, PruningGroup group, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        return ComputeAngles(network, [group], data, cancellationToken)[0];
    }

    private (double[][] Grams, long Rows) AccumulateGrams(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken)
    {
        ImportanceInputs.ValidateGroups(network, groups);
        var calibration = ImportanceInputs.RequireData(network, data, Name);
        if (groups.Count == 0)
        {
            return ([], 0);
        }

        var grams = groups.Select(g => new ActivationGram(g.UnitCount)).ToArray();
        using var batches = new CalibrationBatches(calibration, network, BatchSize);
        while (batches.MoveNext(cancellationToken))
        {
            network.Forward(batches.Features, training: false);
            for (int g = 0; g < groups.Count; g++)
            {
                grams[g].Add(ImportanceInputs.Activations(network, groups[g]), Centering);
            }
        }

        return (grams.Select(gram => gram.ToMatrix()).ToArray(), batches.Rows);
    }

    private static (double[,] Angles, double[] Norms) Angles(double[] gram, int units, long samples)
    {
        var norms = new double[units];
        for (int i = 0; i < units; i++)
        {
            double norm = Math.Sqrt(Math.Max(gram[(i * units) + i], 0));
            norms[i] = norm / Math.Sqrt(samples) < ZeroActivity ? 0 : norm;
        }

        var angles = new double[units, units];
        for (int i = 0; i < units; i++)
        {
            for (int j = 0; j < units; j++)
            {
                if (norms[i] == 0 || norms[j] == 0)
                {
                    angles[i, j] = double.NaN;
                }
                else if (i == j)
                {
                    angles[i, j] = 0;
                }
                else
                {
                    double cosine = Math.Clamp(gram[(i * units) + j] / (norms[i] * norms[j]), -1, 1);
                    angles[i, j] = Math.Acos(cosine) * 180 / Math.PI;
                }
            }
        }

        return (angles, norms);
    }

    private float[] AssignScores(double[,] angles, double[] norms)
    {
        int units = norms.Length;
        var scores = new float[units];
        var redundant = new bool[units];
        var pairs = new List<(double Distance, int First, int Second)>();
        for (int i = 0; i < units; i++)
        {
            if (norms[i] == 0)
            {
                redundant[i] = true;
                continue;
            }

            for (int j = i + 1; j < units; j++)
            {
                double angle = angles[i, j];
                if (norms[j] != 0 && (angle < SimilarAngle || angle > ComplementaryAngle))
                {
                    pairs.Add((Distance(angle), i, j));
                }
            }
        }

        // List.Sort is unstable; the tuple order (distance, first, second) makes the order total.
        pairs.Sort();
        foreach (var (distance, first, second) in pairs)
        {
            if (redundant[first] || redundant[second])
            {
                continue;
            }

            int victim = norms[first] < norms[second] ? first : second;
            redundant[victim] = true;
            scores[victim] = (float)distance;
        }

        for (int i = 0; i < units; i++)
        {
            if (redundant[i])
            {
                continue;
            }

            double nearest = 90;
            for (int j = 0; j < units; j++)
            {
                if (j != i && !redundant[j])
                {
                    nearest = Math.Min(nearest, Distance(angles[i, j]));
                }
            }

            scores[i] = (float)nearest;
        }

        return scores;
    }

    private static double Distance(double angle) => Math.Min(angle, 180 - angle);
}
