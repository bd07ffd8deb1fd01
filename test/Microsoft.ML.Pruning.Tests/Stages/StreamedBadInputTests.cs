using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Stages.DataViewBatchSourceTests;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Issue 20, bad input: rows a streamed fit cannot use are named by column and by the row of the user's view.</summary>
[TestClass]
public sealed class StreamedBadInputTests
{
    private static readonly TrainerOptions ThreeEpochs = new() { Epochs = 3, BatchSize = 16, Seed = 2, Optimizer = new AdamOptimizer(0.01f) };

    [TestMethod]
    [DataRow(0L)]
    [DataRow(1L << 30)]
    public void ANonFiniteFeature_IsNamedByColumnAndRow_StreamedOrInMemory(long memoryLimit)
    {
        var (features, labels) = Rows(200);
        features[57][3] = float.NaN;
        var view = new ScriptedDataView(features, labels, 3);

        var error = Assert.ThrowsExactly<DataRowException>(() => Train(Open(view, memoryLimit), NewNetwork()));

        Assert.AreEqual("Features", error.ColumnName);
        Assert.AreEqual(57L, error.Row);
        StringAssert.Contains(error.Message, "Column 'Features', row 57: feature 3 (of 21) is NaN");
    }

    [TestMethod]
    public void AFeatureVectorOfTheWrongSize_IsNamedByColumnAndRow_CountingRowsWithoutALabel()
    {
        var (features, labels) = Rows(200);
        labels[10] = -1;
        features[120] = features[120][..20];
        var view = new ScriptedDataView(features, labels, 3);

        var error = Assert.ThrowsExactly<DataRowException>(() => Train(Open(view, 0), NewNetwork()));

        Assert.AreEqual(120L, error.Row, "the row of the view, not of the labelled rows or of a shuffle");
        StringAssert.Contains(error.Message, "has 20 values but the model takes 21");
    }

    [TestMethod]
    public void ACursorThatThrowsMidEpoch_IsNamedByRow_AndTheNetworkKeepsTheLastGoodEpoch()
    {
        var (features, labels) = Rows(300);
        var view = new ScriptedDataView(features, labels, 3) { ThrowAt = (Pass: 2, Row: 140) };
        var source = Open(view, 0);
        var network = NewNetwork();

        var error = Assert.ThrowsExactly<DataRowException>(() => Train(source, network));

        Assert.AreEqual(140L, error.Row);
        Assert.IsInstanceOfType<IOException>(error.InnerException);
        StringAssert.Contains(error.Message, "The disk went away at row 140");
        Assert.AreEqual(0, view.OpenCursors);
        view.ThrowAt = null;
        CollectionAssert.AreEqual(Weights(OneEpoch(source)), Weights(network), "the pass after the first pass over the labels is epoch 2");
    }

    [TestMethod]
    [DataRow(299)]
    [DataRow(301)]
    public void ASourceWhoseRowCountChangesBetweenPasses_IsRefused_AndTheNetworkKeepsTheLastGoodEpoch(int rowsLater)
    {
        var (features, labels) = Rows(301);
        var view = new ScriptedDataView(features, labels, 3) { RowsOfPass = pass => pass < 2 ? 300 : rowsLater };
        var source = Open(view, 0);
        var network = NewNetwork();

        var error = Assert.ThrowsExactly<DataRowException>(() => Train(source, network));

        Assert.AreEqual(rowsLater == 299 ? 299L : 300L, error.Row);
        StringAssert.Contains(error.Message, "The data changed while the stage was reading it");
        view.RowsOfPass = _ => 300;
        CollectionAssert.AreEqual(Weights(OneEpoch(source)), Weights(network));
    }

    private static (float[][] Features, int[] Labels) Rows(int count)
    {
        var data = WaveformGenerator.Generate(count, seed: 3);
        return (Enumerable.Range(0, count).Select(i => data.GetSample(i).ToArray()).ToArray(), data.Labels.ToArray());
    }

    private static IBatchSource Open(IDataView view, long memoryLimit)
    {
        var columns = StageColumns.Check(view.Schema, "Features", "Label", [21], 3);
        return DataViewReader.Open(view, columns, [21], memoryLimit);
    }

    private static Network NewNetwork() => new NetworkBuilder(21).Dense(12).Relu().Dense(3).Build(seed: 6);

    private static void Train(IBatchSource source, Network network) => new Trainer(ThreeEpochs).Fit(network, source);

    private static Network OneEpoch(IBatchSource source)
    {
        var network = NewNetwork();
        new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 2, Optimizer = new AdamOptimizer(0.01f) }).Fit(network, source);
        return network;
    }
}
