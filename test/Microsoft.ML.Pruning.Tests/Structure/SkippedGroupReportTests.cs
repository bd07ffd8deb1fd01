using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Reports;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tests.Loop;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>The pruning report names the groups structural pruning skipped, with the reason, in its table and its JSON.</summary>
[TestClass]
public sealed class SkippedGroupReportTests
{
    [TestMethod]
    public void Run_StructuredPruning_ReportsTheSkippedGroupsWithTheirReasons()
    {
        // dense1's units are added to the network's input; dense2 is the output; dense3 is prunable.
        var network = new Network(4);
        network.Add(new Dense(4, 4, name: "dense1"), NetworkNode.NetworkInput);
        network.Add(new Relu());
        network.Add(new Add("add1"), NetworkNode.NetworkInput, 1);
        network.Add(new Dense(4, 3, name: "dense3"));
        network.Add(new Relu());
        network.Add(new Dense(3, 2, name: "dense2"));
        var random = new Random(1);
        foreach (var node in network.Nodes)
        {
            node.Layer.ResetParameters(random);
        }

        var options = ScriptedPruning.Options(new StructuredPruning(new WeightNormImportance()), new OneShotSchedule(0.5));
        var values = Enumerable.Range(0, 6 * 4).Select(i => MathF.Sin(i)).ToArray();
        var data = Dataset.FromArray(values, [4], [0, 1, 0, 1, 0, 1], 2);
        var report = Pruner.RunCore(network, data, data, options, null, CancellationToken.None, ScriptedPruning.Hooks(_ => 0.9)).Report;

        CollectionAssert.AreEqual(new[] { "dense1", "dense2" }, report.SkippedGroups.Select(s => s.Name).ToArray());
        Assert.AreEqual("its units are added at 'add1' to the network's input, whose units cannot be removed", report.SkippedGroups[0].Reason);
        Assert.AreEqual(new SkippedGroup("dense2", 2, "its units are the network's output"), report.SkippedGroups[1]);
        StringAssert.Contains(report.ToTable(), "skipped groups (cannot be pruned): 2");
        StringAssert.Contains(report.ToTable(), "  dense2 (2 units): its units are the network's output");
        CollectionAssert.AreEqual(report.SkippedGroups.ToArray(), PruningReport.FromJson(report.ToJson()).SkippedGroups.ToArray());
        string html = HtmlReport.Render(report);
        StringAssert.Contains(html, "<tr><td class=\"text name\">dense1</td><td>4</td><td class=\"text\">its units are added at &#39;add1&#39; to the network&#39;s input, whose units cannot be removed</td></tr>");
    }
}
