using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Resolves the <c>--model</c> argument: an ONNX or native file, or a built-in architecture to train.</summary>
internal static class ModelSource
{
    public const string Help = "an .onnx file, a native .mlnp file, or an architecture to train: mlp (784-300-100-10), mlp-seed (784-550-375x4-10), lenet5, or mlp:IN-H1-...-OUT";

    /// <summary>Gets whether the argument names an architecture that must be trained first.</summary>
    public static bool IsArchitecture(string model) => !File.Exists(model) && (model is "mlp" or "mlp-seed" or "lenet5" || model.StartsWith("mlp:", StringComparison.Ordinal));

    public static Network Load(string model, int seed)
    {
        if (File.Exists(model))
        {
            return Path.GetExtension(model).Equals(".onnx", StringComparison.OrdinalIgnoreCase) ? OnnxModel.Load(model) : NetworkSerializer.Load(model);
        }

        return model switch
        {
            "mlp" => Mlp([784, 300, 100, 10], seed),
            "mlp-seed" => Mlp([784, 550, 375, 375, 375, 375, 10], seed),
            "lenet5" => new NetworkBuilder(1, 28, 28)
                .Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2)
                .Conv2d(16, 5).Relu().MaxPool2d(2)
                .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(seed),
            _ when model.StartsWith("mlp:", StringComparison.Ordinal) => Mlp(ParseWidths(model), seed),
            _ when Path.HasExtension(model) => throw new UserException($"--model: file '{model}' does not exist."),
            _ => throw new UserException($"--model: '{model}' is neither a file nor a known architecture ({Help})."),
        };
    }

    private static int[] ParseWidths(string model)
    {
        var parts = model["mlp:".Length..].Split('-');
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out widths[i]) || widths[i] < 1)
            {
                throw new UserException($"--model: '{model}' must list positive layer widths, such as mlp:784-300-100-10; '{parts[i]}' is not one.");
            }
        }

        if (widths.Length < 2)
        {
            throw new UserException($"--model: '{model}' needs at least an input and an output width.");
        }

        return widths;
    }

    private static Network Mlp(int[] widths, int seed)
    {
        var builder = new NetworkBuilder(widths[0]);
        for (int i = 1; i < widths.Length - 1; i++)
        {
            builder.Dense(widths[i]).Relu();
        }

        return builder.Dense(widths[^1]).Build(seed);
    }
}
