using BenchmarkDotNet.Running;
using Microsoft.ML.Pruning.Benchmarks;

// "--quick" prints GFLOP/s tables from a Stopwatch harness in about half a minute; anything else goes to BenchmarkDotNet,
// for example: dotnet run -c Release --project bench/Microsoft.ML.Pruning.Benchmarks -- --filter '*GemmBenchmarks*'
if (args.Contains("--quick"))
{
    return QuickBenchmark.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
return 0;
