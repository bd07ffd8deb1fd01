using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary><c>mlprune --help</c> and each command's help: exit code 0, the commands and options listed.</summary>
[TestClass]
public sealed class HelpTests
{
    [TestMethod]
    public void Help_Root_ListsTheFourCommands()
    {
        var run = CliRun.Of("--help");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        foreach (string command in new[] { "prune", "sensitivity", "report <report>", "info <model>" })
        {
            StringAssert.Contains(run.Output, "  " + command + " ");
        }
    }

    [TestMethod]
    public void Help_Prune_ListsChoicesInLowerCaseWithTheirDefaults()
    {
        var run = CliRun.Of("prune", "--help");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "--method <apoz|magnitude|l1|l2|taylor|distinctiveness>");
        StringAssert.Contains(run.Output, "(default: apoz)");
        StringAssert.Contains(run.Output, "--schedule <oneshot|fixed|polynomial|adaptive>");
        StringAssert.Contains(run.Output, "--skip-lines");
        StringAssert.Contains(run.Output, "--no-header");
    }
}
