using System.CommandLine;
using Microsoft.ML.Pruning.Networks;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune info MODEL</c>: the layers, shapes, parameters and multiply-adds of a model.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = ModelSource.Help };
        var command = new Command("info", "Show a model's layers, output shapes, parameters and multiply-adds.") { model };
        command.SetAction(parse => CommandRunner.Run(_ =>
        {
            var network = ModelSource.Load(parse.GetValue(model)!, seed: 0);
            Print(network);
            return 0;
        }));
        return command;
    }

    public static void Print(Network network)
    {
        var table = new Table().AddColumns("#", "layer", "type", "output", "parameters", "multiply-adds");
        foreach (var node in network.Nodes)
        {
            long parameters = node.Layer.Parameters.Sum(p => (long)p.Length);
            long macs = node.Layer.CountMultiplyAdds(network.InputShapes(node));
            table.AddRow(node.Index.ToString(), Markup.Escape(node.Layer.Name), node.Layer.GetType().Name,
                "[" + string.Join(", ", node.OutputShape) + "]", parameters.ToString("N0"), macs.ToString("N0"));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"input [[{string.Join(", ", network.InputShape)}]], {network.Nodes.Count} layers, [bold]{network.ParameterCount:N0}[/] parameters, [bold]{network.MultiplyAdds:N0}[/] multiply-adds per sample");
    }
}
