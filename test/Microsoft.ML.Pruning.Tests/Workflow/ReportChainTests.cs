using Microsoft.ML.Pruning.Workflow;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Workflow;

/// <summary>The report of a pipeline with several stages keeps what each stage's report says.</summary>
[TestClass]
public sealed class ReportChainTests
{
    [TestMethod]
    public void Combine_TwoPruningStages_KeepsEveryStepsWarningsAndEachSkippedGroupOnce()
    {
        var model = new PruningReport { Method = "train" };
        var first = Stage("L1", new PruningStepReport { Warnings = ["all 8 scores of 'conv1' tie"] }, new SkippedGroup("shuffle1", 24, "a channel shuffle"));
        var second = Stage("APoZ", new PruningStepReport(), new SkippedGroup("shuffle1", 24, "a channel shuffle"), new SkippedGroup("fc", 10, "the network's output"));

        var combined = ReportChain.Combine([model, first, second], allowedDrop: null);

        Assert.AreEqual("L1 -> APoZ", combined.Method);
        CollectionAssert.AreEqual(new[] { "all 8 scores of 'conv1' tie" }, combined.Steps[0].Warnings!.ToArray());
        Assert.IsNull(combined.Steps[1].Warnings);
        CollectionAssert.AreEqual(new[] { "shuffle1", "fc" }, combined.SkippedGroups.Select(g => g.Name).ToArray());
    }

    private static PruningReport Stage(string method, PruningStepReport step, params SkippedGroup[] skipped) =>
        new() { Method = method, Schedule = "one-shot", Steps = [step], SkippedGroups = skipped };
}
