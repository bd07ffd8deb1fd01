using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

[TestClass]
public sealed class PrunerAuxiliaryAndCancellationTests
{
    private static Network Mlp() => new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 4);

    private static bool HasAuxiliaryLayer(Network network) => network.Nodes.Any(n => n.Layer.Name == AuxiliaryLayer.DenseName);

    [TestMethod]
    public void Run_AuxiliaryLayerThatPaysOff_IsInsertedAtTheFirstRejectionAndKept()
    {
        // Without the auxiliary layer the model holds its accuracy down to 200 weights, with it down to 100. At rate
        // 0.5: 488 -> 244 (kept) -> 122 (rejected); insertion (kept); then halving until below 100 (rejected).
        var options = ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.5));
        options.AuxiliaryLayerUnits = 16;
        var result = ScriptedPruning.Run(Mlp(), options,
            ScriptedPruning.Hooks(n => ScriptedPruning.NonzeroWeights(n) >= (HasAuxiliaryLayer(n) ? 100 : 200) ? 0.9 : 0.8));

        var steps = result.Report.Steps;
        Assert.AreEqual("prune prune auxiliary", string.Join(" ", steps.Take(3).Select(s => s.Phase)));
        CollectionAssert.AreEqual(new[] { true, false, true }, steps.Take(3).Select(s => s.Accepted).ToArray());
        Assert.IsTrue(steps.Skip(3).All(s => s.Phase == "prune"));
        Assert.IsFalse(steps[^1].Accepted, "the second rejection ends the run");
        Assert.IsTrue(steps.Skip(3).SkipLast(1).All(s => s.Accepted) && steps.Count >= 5, $"{steps.Count} steps");
        Assert.AreEqual(0.5, steps[3].Rate, "the schedule starts again after the insertion");

        Assert.IsTrue(HasAuxiliaryLayer(result.Network));
        Assert.AreEqual(steps[^2].Model.NonzeroParameters, result.Report.Final.NonzeroParameters, "the last kept step is returned");
        Assert.IsTrue(result.Report.Final.NonzeroParameters < steps[0].Model.NonzeroParameters, "fewer nonzeros than before the insertion");
        Assert.IsTrue(steps[2].Model.Parameters > steps[0].Model.Parameters, "the insertion adds 16 x 16 + 16 parameters");
        Assert.AreEqual(steps[0].Model.Parameters + (16 * 16) + 16, steps[2].Model.Parameters);
        StringAssert.Contains(result.Report.ToTable(), "auxiliary_dense");
    }

    [TestMethod]
    public void Run_AuxiliaryLayerThatDoesNotPayOff_ReturnsTheModelFromBeforeTheInsertion()
    {
        // The insertion does not help: the threshold stays at 200 weights, and the new layer's weights count too.
        var options = ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.5));
        options.AuxiliaryLayerUnits = 16;
        var result = ScriptedPruning.Run(Mlp(), options, ScriptedPruning.Hooks(n => ScriptedPruning.NonzeroWeights(n) >= 200 ? 0.9 : 0.8));

        Assert.AreEqual("auxiliary", result.Report.Steps[2].Phase);
        Assert.IsFalse(HasAuxiliaryLayer(result.Network));
        Assert.AreEqual(244, ScriptedPruning.NonzeroWeights(result.Network));
        Assert.AreEqual(result.Report.Steps[0].Model.NonzeroParameters, result.Report.Final.NonzeroParameters);
    }

    [TestMethod]
    public void Run_AuxiliaryLayerOnANetworkWithoutHiddenDense_ThrowsNamingTheOption()
    {
        var options = ScriptedPruning.Options(new MaskingMethod(), new OneShotSchedule(0.5));
        options.AuxiliaryLayerUnits = 8;
        var e = Assert.ThrowsException<ArgumentException>(() =>
            ScriptedPruning.Run(new NetworkBuilder(21).Dense(3).Build(), options, ScriptedPruning.Hooks(_ => 0.9)));
        Assert.AreEqual("options", e.ParamName);
        StringAssert.Contains(e.Message, "AuxiliaryLayerUnits");
        StringAssert.Contains(e.Message, "dense1 (Dense)");
    }

    [TestMethod]
    public void Run_CancelledDuringAStep_ReturnsTheBestModelSoFarWithoutThrowing()
    {
        using var cancellation = new CancellationTokenSource();
        int fineTunings = 0;
        void FineTune(Network network, CancellationToken token)
        {
            if (++fineTunings == 2)
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
            }
        }

        var original = Mlp();
        var expected = NetworkSerializer.Clone(original);
        new MaskingMethod().Apply(expected, 0.2, null);

        var result = ScriptedPruning.Run(original, ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.2)),
            ScriptedPruning.Hooks(_ => 0.9, FineTune), cancellationToken: cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.IsTrue(result.Report.Cancelled);
        Assert.AreEqual(1, result.Report.Steps.Count, "the interrupted step is not recorded");
        ScriptedPruning.AssertSameState(expected, result.Network);
        Assert.AreEqual(result.Report.Steps[0].Model.NonzeroParameters, result.Report.Final.NonzeroParameters);
        StringAssert.Contains(result.Report.ToTable(), "(cancelled)");
    }

    [TestMethod]
    public void Run_CancelledBeforeTheStart_ReturnsTheUnprunedCopy()
    {
        var original = Mlp();
        var result = ScriptedPruning.Run(original, ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.2)),
            ScriptedPruning.Hooks(_ => 0.9), cancellationToken: new CancellationToken(canceled: true));

        Assert.IsTrue(result.Cancelled);
        Assert.AreNotSame(original, result.Network);
        ScriptedPruning.AssertSameState(original, result.Network);
        Assert.AreEqual(0, result.Report.Steps.Count);
        Assert.AreEqual(original.ParameterCount, result.Report.Final.Parameters);
    }

    [TestMethod]
    public void Run_CancelledDuringAProbe_ReturnsTheBestModelSoFar()
    {
        using var cancellation = new CancellationTokenSource();
        var method = new MaskingMethod();
        var progress = new ProgressRelay<PruningProgress>(p =>
        {
            if (p.Phase == PruningPhase.Probing && p.Step == 1)
            {
                cancellation.Cancel();
            }
        });

        // Step 0 probes up to 0.4 (293 weights left: too few) and prunes at 0.35 (317 left); step 1's first probe cancels.
        var result = ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(method, new AdaptiveRateSchedule(), maximumDrop: 0.1),
            ScriptedPruning.Hooks(n => ScriptedPruning.NonzeroWeights(n) >= 300 ? 0.9 : 0.5), progress, cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(1, result.Report.Steps.Count);
        Assert.AreEqual(0.35, result.Report.Steps[0].Rate);
        Assert.AreEqual(317, ScriptedPruning.NonzeroWeights(result.Network));
        CollectionAssert.AreEqual(new[] { 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.35, 0.15 }, method.Rates, "the step after the cancelled probe never pruned");
    }
}
