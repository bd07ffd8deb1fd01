using BenchmarkDotNet.Running;
using Microsoft.ML.Pruning.Benchmarks;

// "--quick" prints GFLOP/s tables from a Stopwatch harness in about half a minute; anything else goes to BenchmarkDotNet,
// for example: dotnet run -c Release --project bench/Microsoft.ML.Pruning.Benchmarks -- --filter '*GemmBenchmarks*'
// "--throughput" measures training and inference throughput of the four side-by-side models (bench/compare.sh runs it);
// "--memory" measures the peak working set while fine-tuning the MLP 784-550-375x4-10; "--profile" times each layer;
// "--cnn" is the CNN benchmark (training and inference of resnet18, mobilenet_v2, efficientnet_b0, LeNet-5 and MLP-b against
//   raw TorchSharp, the TorchSharp backend, ONNX Runtime and PyTorch 1.13; bash bench/cnn.sh runs it);
// "--node-profile" times each node inside an inference pass of ours beside ONNX Runtime's per-node profile of the export;
// "--kernels" times single kernels (depthwise layouts, element-wise candidates against TensorPrimitives) by thread-CPU time;
// "--torchvision-families" prints the nine families' groups, sizes and batch-1 latencies before and after 50 % L1 pruning;
// "--mlnet" times ML.NET scoring: our Transform against ApplyOnnxModel and InferenceSession, and PredictionEngine latency;
// "--scoring" times APoZ and Taylor scoring over 10,000 test images against one forward (forward+backward) pass.
if (args.Contains("--quick"))
{
    return QuickBenchmark.Run(args);
}

if (args.Contains("--throughput"))
{
    return ModelBenchmark.Run(args);
}

if (args.Contains("--cnn"))
{
    return Microsoft.ML.Pruning.Benchmarks.Cnn.CnnBenchmark.Run(args);
}

if (args.Contains("--node-profile"))
{
    return Microsoft.ML.Pruning.Benchmarks.Cnn.NodeProfile.Run(args);
}

if (args.Contains("--kernels"))
{
    return KernelBenchmark.Run(args);
}

if (args.Contains("--profile"))
{
    return LayerProfile.Run(args);
}

if (args.Contains("--scoring"))
{
    return ScoringBenchmark.Run(args);
}

if (args.Contains("--torchvision-families"))
{
    return TorchvisionFamilyTable.Run(args);
}

if (args.Contains("--mlnet"))
{
    return MlNetScoringBenchmark.Run(args);
}

if (args.Contains("--memory"))
{
    return MemoryProbe.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
return 0;
