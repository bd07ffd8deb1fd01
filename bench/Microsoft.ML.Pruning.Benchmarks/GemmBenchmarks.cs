using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Square float32 products through <see cref="Gemm.Multiply"/>, against a plain vectorized row-times-matrix loop as
/// the baseline, with a GFLOP/s column.
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private int _savedDegreeOfParallelism;

    /// <summary>Gets or sets the size of the square matrices.</summary>
    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    /// <summary>Gets or sets the degree of parallelism of the packed kernel (the baseline is single-threaded).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Creates the operands and sets the degree of parallelism.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = Enumerable.Range(0, N * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _b = Enumerable.Range(0, N * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _c = new float[N * N];
        _savedDegreeOfParallelism = ComputeSettings.DegreeOfParallelism;
        ComputeSettings.DegreeOfParallelism = Threads;
    }

    /// <summary>Restores the degree of parallelism.</summary>
    [GlobalCleanup]
    public void Cleanup() => ComputeSettings.DegreeOfParallelism = _savedDegreeOfParallelism;

    /// <summary>The baseline: C row i = Σ_p A[i,p]·B row p, with <see cref="Vector{T}"/>, no blocking, one thread.</summary>
    [Benchmark(Baseline = true)]
    public void RowTimesMatrix()
    {
        int n = N;
        var a = _a.AsSpan();
        var b = _b.AsSpan();
        var c = _c.AsSpan();
        int width = Vector<float>.Count;
        for (int i = 0; i < n; i++)
        {
            var row = c.Slice(i * n, n);
            row.Clear();
            for (int p = 0; p < n; p++)
            {
                var scale = new Vector<float>(a[(i * n) + p]);
                var source = b.Slice(p * n, n);
                int j = 0;
                for (; j <= n - width; j += width)
                {
                    (new Vector<float>(source[j..]) * scale + new Vector<float>(row[j..])).CopyTo(row[j..]);
                }

                for (; j < n; j++)
                {
                    row[j] += a[(i * n) + p] * source[j];
                }
            }
        }
    }

    /// <summary>C = A·B (the layout of a Dense layer's input gradient).</summary>
    [Benchmark]
    public void MultiplyNN() => Gemm.Multiply(false, false, N, N, N, _a, N, _b, N, _c, N);

    /// <summary>C = A·Bᵀ (the layout of a Dense layer's forward pass).</summary>
    [Benchmark]
    public void MultiplyNT() => Gemm.Multiply(false, true, N, N, N, _a, N, _b, N, _c, N);

    /// <summary>C = Aᵀ·B (the layout of a Dense layer's weight gradient).</summary>
    [Benchmark]
    public void MultiplyTN() => Gemm.Multiply(true, false, N, N, N, _a, N, _b, N, _c, N);
}

/// <summary>A short job (the products are long enough to time in few iterations) plus the GFLOP/s column.</summary>
public sealed class GemmBenchmarkConfig : ManualConfig
{
    /// <summary>Initializes a new instance of the <see cref="GemmBenchmarkConfig"/> class.</summary>
    public GemmBenchmarkConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10));
        AddColumn(new GflopsColumn());
    }
}

/// <summary>Shows 2·N³ floating-point operations divided by the mean time, in GFLOP/s.</summary>
public sealed class GflopsColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc/>
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Floating-point operations per second (2·N³ per product), in billions";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        var size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(GemmBenchmarks.N))?.Value;
        if (statistics is null || size is not int n || statistics.Mean <= 0)
        {
            return "-";
        }

        return (2.0 * n * n * n / statistics.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;
}
