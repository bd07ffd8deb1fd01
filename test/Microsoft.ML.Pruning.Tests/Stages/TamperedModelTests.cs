using System.IO.Compression;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>A saved model whose network was swapped for one of another output width does not load.</summary>
[TestClass]
public sealed class TamperedModelTests
{
    [TestMethod]
    public void ASavedModelWhoseNetworkWasSwappedForOneWith20Outputs_FailsToLoadNamingBothWidths()
    {
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var model = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained)).Fit(train);
        using var zip = new MemoryStream();
        ml.Model.Save(model, train.Schema, zip);

        // Another valid per-row model with 20 outputs, written as OnnxTransformer stores its model (a length, then the bytes).
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.Entries.Single(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal));
            string name = entry.FullName;
            entry.Delete();
            byte[] other = OnnxRowModel.PerRowBytes(new NetworkBuilder(21).Dense(20).Build(seed: 5), "Features");
            using var writer = new BinaryWriter(archive.CreateEntry(name).Open());
            writer.Write(other.Length);
            writer.Write(other);
        }

        zip.Position = 0;
        var error = Assert.ThrowsException<InvalidOperationException>(() => ml.Model.Load(zip, out _));

        string message = error.GetBaseException().Message;
        StringAssert.Contains(message, "3");
        StringAssert.Contains(message, "20");
    }
}
