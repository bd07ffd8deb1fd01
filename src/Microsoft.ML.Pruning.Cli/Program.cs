// mlprune: prune, sensitivity, report and info from the command line. Run `mlprune --help` for the commands.
using System.CommandLine;
using Microsoft.ML.Pruning.Cli;

var root = new RootCommand("Prune neural networks (ONNX or native models) with Microsoft.ML.Pruning.")
{
    PruneCommand.Create(),
    SensitivityCommand.Create(),
    ReportCommand.Create(),
    InfoCommand.Create(),
};
return root.Parse(args).Invoke();
