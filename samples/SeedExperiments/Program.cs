// Reproduces the experiments of the papers in the design's seeds folder with the pipeline API, and prints tables
// shaped like theirs (Markdown, ready for RESULTS.md).
//
//   dotnet run -c Release --project samples/SeedExperiments -- <experiment> [--epochs N] [--seed S] [--out DIR]
//
//   000         APoZ on the 784-550-375-375-375-375-10 MLP, Fashion-MNIST (the flagship; build/run-sample.sh)
//   000-cancer  APoZ on the same hidden layers, Wisconsin breast cancer data (Debian's python3-sklearn)
//   001         distinctiveness versus mean-threshold pruning, Waveform 21 and 40 attributes, 50 sigmoid units
//   002         static versus adaptive pruning rate and auxiliary layers, 80-60-40 MLP on 10x10 Fashion-MNIST
//   003         L1 filter pruning of LeNet-5 in multiples of 4: one-shot versus iterative, sensitivity, speed-up
using Microsoft.ML.Pruning.Samples;

SampleSettings settings;
try
{
    settings = SampleSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}

Directory.CreateDirectory(settings.OutputDirectory);
try
{
    switch (settings.Experiment)
    {
        case "000": ApozMlp.Run(settings); break;
        case "000-cancer": ApozBreastCancer.Run(settings); break;
        case "001": DistinctivenessWaveform.Run(settings); break;
        case "002": AdaptiveRateMlp.Run(settings); break;
        case "003": FilterL1LeNet.Run(settings); break;
        default:
            Console.Error.WriteLine($"error: unknown experiment '{settings.Experiment}'; use 000, 000-cancer, 001, 002 or 003.");
            return 2;
    }
}
catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
{
    // A missing data set is a setup step left out, not a bug: say which file and how to get it, without a stack trace.
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}

return 0;
