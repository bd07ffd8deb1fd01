using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>Element-wise layers between feature maps broadcast per sample, as the ONNX operators they export to do on whole tensors.</summary>
[TestClass]
public sealed class ElementwiseBroadcastTests
{
    [TestMethod]
    public void Multiply_GateOfTheSameRank_ScalesEachChannelOfEachSample()
    {
        var map = new FloatTensor([3, 2, 1, 2]);
        var gate = new FloatTensor([3, 2, 1, 1]);
        for (int i = 0; i < map.Length; i++)
        {
            map.Span[i] = i + 1;
        }

        for (int i = 0; i < gate.Length; i++)
        {
            gate.Span[i] = 10 * (i + 1);
        }

        var output = new Multiply().Forward([map, gate], training: false);

        // Sample n, channel c, position p: map[n, c, 0, p] · gate[n, c], computed by hand.
        float[] expected = [10, 20, 60, 80, 150, 180, 280, 320, 450, 500, 660, 720];
        CollectionAssert.AreEqual(expected, output.Span.ToArray());
    }

    [TestMethod]
    public void GetOutputShape_PerSampleRanksDiffer_IsRefusedNamingBothShapes()
    {
        // [4, 5, 5] · [5] is a valid NumPy broadcast per sample, but the exported Mul broadcasts whole tensors, where the
        // batch of the second input would meet the first input's rows: refused rather than computed two ways.
        var error = Assert.ThrowsException<ArgumentException>(() => new Multiply("gate").GetOutputShape([[4, 5, 5], [5]]));

        StringAssert.Contains(error.Message, "gate");
        StringAssert.Contains(error.Message, "different ranks");
    }
}
