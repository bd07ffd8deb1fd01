using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Resolves the <c>--model</c> argument: an ONNX or native file, or a built-in architecture to train.</summary>
internal static class ModelSource
{
    public const string Help = "an .onnx file, a native .mlnp file, or an architecture to train: mlp (hidden layers 300-100), mlp-seed (550-375-375-375-375), lenet5 (1x28x28 images), or mlp:IN-H1-...-OUT; mlp and mlp-seed take their input and output widths from the data";

    /// <summary>Gets whether the argument names an architecture that must be trained first.</summary>
    public static bool IsArchitecture(string model) => !File.Exists(model) && (model is "mlp" or "mlp-seed" or "lenet5" || model.StartsWith("mlp:", StringComparison.Ordinal));

    /// <summary>Loads a model file or builds an architecture.</summary>
    /// <param name="model">The argument.</param>
    /// <param name="seed">The seed of a built architecture's initial weights.</param>
    /// <param name="features">The data's feature count, the input width of mlp and mlp-seed; 784 when null.</param>
    /// <param name="classes">The data's class count, the output width of mlp and mlp-seed; 10 when null.</param>
    /// <param name="option">The option or argument that errors name.</param>
    public static Network Load(string model, int seed, int? features = null, int? classes = null, string option = "--model")
    {
        if (File.Exists(model))
        {
            try
            {
                var network = Path.GetExtension(model).Equals(".onnx", StringComparison.OrdinalIgnoreCase) ? OnnxModel.Load(model) : NetworkSerializer.Load(model);
                FiniteWeights.Ensure(network);
                return network;
            }
            catch (Exception e) when (e is OnnxImportException or ModelFormatException or IOException or UnauthorizedAccessException)
            {
                throw new UserException($"{option}: {e.Message}");
            }
            catch (ArgumentException e) when (e.ParamName == "network")
            {
                throw new UserException($"{option}: '{model}', {CommandRunner.WithoutParameter(e)}");
            }
        }

        int input = features ?? 784, output = Math.Max(classes ?? 10, 2);
        return model switch
        {
            "mlp" => Mlp([input, 300, 100, output], seed),
            "mlp-seed" => Mlp([input, 550, 375, 375, 375, 375, output], seed),
            "lenet5" => new NetworkBuilder(1, 28, 28)
                .Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2)
                .Conv2d(16, 5).Relu().MaxPool2d(2)
                .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(seed),
            _ when model.StartsWith("mlp:", StringComparison.Ordinal) => Mlp(ParseWidths(model, option), seed),
            _ when Path.HasExtension(model) || model.Contains('/') => throw new UserException($"{option}: file '{model}' does not exist."),
            _ => throw new UserException($"{option}: '{model}' is neither a file nor a known architecture (mlp, mlp-seed, lenet5, mlp:IN-H1-...-OUT)."),
        };
    }

    private static int[] ParseWidths(string model, string option)
    {
        var parts = model["mlp:".Length..].Split('-');
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out widths[i]) || widths[i] < 1)
            {
                throw new UserException($"{option}: '{model}' must list positive layer widths, such as mlp:784-300-100-10; '{parts[i]}' is not one.");
            }
        }

        if (widths.Length < 2)
        {
            throw new UserException($"{option}: '{model}' needs at least an input and an output width.");
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
