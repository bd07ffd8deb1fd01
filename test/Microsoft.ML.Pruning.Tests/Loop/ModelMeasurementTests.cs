using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

[TestClass]
public sealed class ModelMeasurementTests
{
    [TestMethod]
    public void Measure_DenseNetwork_CountsByHand()
    {
        // 2 -> 2 with identity weights and zero bias: 4 weights (2 nonzero) and 2 biases (0 nonzero).
        var network = new NetworkBuilder(2).Dense(2).Build();
        var weight = ((Dense)network["dense1"].Layer).Weight.Value.Span;
        weight.Clear();
        weight[0] = 1;
        weight[3] = 1;
        ((Dense)network["dense1"].Layer).Bias!.Value.Span.Clear();

        // Logits equal the inputs. [1, 0] labelled 0 and [0, 1] labelled 1 are right, [1, 0] labelled 1 is wrong:
        // accuracy 2/3; loss (2 ln(1 + 1/e) + ln(1 + e)) / 3.
        var data = Dataset.FromArray([1, 0, 0, 1, 1, 0], [2], [0, 1, 1], 2);
        var snapshot = ModelMeasurement.Measure(network, data, measureLatency: false);

        Assert.AreEqual(6, snapshot.Parameters);
        Assert.AreEqual(2, snapshot.NonzeroParameters);
        Assert.AreEqual(4, snapshot.MultiplyAdds);
        Assert.AreEqual(2.0 / 3, snapshot.Accuracy!.Value, 1e-6);
        Assert.AreEqual(((2 * Math.Log(1 + Math.Exp(-1))) + Math.Log(1 + Math.E)) / 3, snapshot.Loss!.Value, 1e-6);
        Assert.IsNull(snapshot.LatencyBatch1Milliseconds);
        Assert.IsNull(snapshot.LatencyBatch256Milliseconds);
        Assert.IsNull(snapshot.OnnxRuntimeLatencyBatch1Milliseconds);
        Assert.AreEqual(new LayerWidth("dense1", "Dense", 2, 6, 2, 4), snapshot.Layers.Single());
        Assert.IsTrue(snapshot.ModelBytes > 6 * sizeof(float), $"{snapshot.ModelBytes} bytes");
    }

    [TestMethod]
    public void Measure_ConvolutionalNetwork_ListsEachProducerLayer()
    {
        // conv 1 -> 2 filters 3x3 on 5x5: 18 + 2 parameters, 2 x 9 x 3 x 3 = 162 multiply-adds; dense 18 -> 4: 72 + 4, 72.
        var network = new NetworkBuilder(1, 5, 5).Conv2d(2, 3).Relu().Flatten().Dense(4).Build(seed: 1);
        var snapshot = ModelMeasurement.Measure(network, null, measureLatency: false);

        CollectionAssert.AreEqual(
            new[] { new LayerWidth("conv1", "Conv2d", 2, 20, 20, 162), new LayerWidth("dense1", "Dense", 4, 76, 76, 72) },
            snapshot.Layers.ToArray());
        Assert.AreEqual(96, snapshot.Parameters);
        Assert.AreEqual(234, snapshot.MultiplyAdds);
        Assert.IsNull(snapshot.Accuracy);
        Assert.IsNull(snapshot.Loss);
    }

    [TestMethod]
    public void Measure_WithLatency_GivesPositiveTimes_InTheEngineAndInOnnxRuntime()
    {
        // The test project references ONNX Runtime's native library, so the exported model is timed there too.
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        var withData = ModelMeasurement.Measure(network, WaveformGenerator.Generate(10, seed: 1), measureLatency: true);
        var withZeros = ModelMeasurement.Measure(network, null, measureLatency: true);
        foreach (var snapshot in new[] { withData, withZeros })
        {
            Assert.IsTrue(snapshot.LatencyBatch1Milliseconds > 0);
            Assert.IsTrue(snapshot.LatencyBatch256Milliseconds > 0);
            Assert.IsTrue(snapshot.OnnxRuntimeLatencyBatch1Milliseconds > 0);
            Assert.IsTrue(snapshot.OnnxRuntimeLatencyBatch256Milliseconds > 0);
        }

        var report = ModelMeasurement.Copy(withData);
        Assert.AreEqual(withData.OnnxRuntimeLatencyBatch256Milliseconds, report.OnnxRuntimeLatencyBatch256Milliseconds);
    }

    [TestMethod]
    public void Measure_BadValidationData_ThrowsNamingIt()
    {
        var network = new NetworkBuilder(21).Dense(3).Build();
        Assert.AreEqual("validation", Assert.ThrowsException<ArgumentException>(() => ModelMeasurement.Measure(network, WaveformGenerator.Generate(5, 1).Take(0), false)).ParamName);
        Assert.AreEqual("validation", Assert.ThrowsException<ArgumentException>(() => ModelMeasurement.Measure(network, WaveformGenerator.Generate(5, 1, true), false)).ParamName);
        Assert.ThrowsException<OperationCanceledException>(() => ModelMeasurement.Measure(network, null, true, new CancellationToken(true)));
    }
}
