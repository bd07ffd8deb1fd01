namespace Microsoft.ML.Pruning.TorchSharp; internal static class Placeholder {}
