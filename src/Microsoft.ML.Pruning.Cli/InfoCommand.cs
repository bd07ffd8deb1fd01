using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Pruning.Networks;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune info MODEL</c>: the layers, shapes, parameters and multiply-adds of a model.</summary>
internal static class InfoCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Argument<string>("model") { Description = ModelSource.Help };
        var command = new System.CommandLine.Command("info", "Show a model's layers, output shapes, parameters and multiply-adds (FLOPs = 2 x multiply-adds).") { model };
        CommandRunner.SetBody(command, (parse, console, _) =>
        {
            Print(console, ModelSource.Load(parse.GetValue(model)!, seed: 0, option: "model"));
            return 0;
        });
        return command;
    }

    public static void Print(CliConsole console, Network network)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("#", "layer", "type", "inputs", "output", "parameters", "nonzero", "multiply-adds");
        foreach (int column in new[] { 0, 5, 6, 7 })
        {
            table.Columns[column].RightAligned();
        }

        foreach (var node in network.Nodes)
        {
            long parameters = node.Layer.Parameters.Sum(p => (long)p.Length);
            long nonzero = NonzeroCount.Of(node.Layer);
            long macs = node.Layer.CountMultiplyAdds(network.InputShapes(node));
            string inputs = string.Join(", ", node.Inputs.Select(i => i == NetworkNode.NetworkInput ? "input" : network.Nodes[i].Layer.Name));
            table.AddRow(node.Index.ToString(c), Markup.Escape(node.Layer.Name), node.Layer.GetType().Name, Markup.Escape(inputs),
                Markup.Escape(Shape(node.OutputShape)), parameters.ToString("N0", c), nonzero.ToString("N0", c), macs.ToString("N0", c));
        }

        console.Write(table);
        long total = network.ParameterCount, totalNonzero = NonzeroCount.Of(network);
        console.Line(string.Create(c, $"input {Shape(network.InputShape)}, output {Shape(network.OutputShape)}, {network.Nodes.Count} layers, {total:N0} parameters ({totalNonzero:N0} nonzero), {network.MultiplyAdds:N0} multiply-adds per sample"));
    }

    private static string Shape(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
