using System.Reflection;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>
/// Compares every layer and three small networks with PyTorch 1.13 (float32, CPU) through the fixtures that
/// <c>test/fixtures/generate.py</c> writes. Each element must satisfy |ours - torch| &lt;= 1e-4 · max(1, |torch|).
/// </summary>
[TestClass]
public sealed class PyTorchReferenceTests
{
    private const double Tolerance = 1e-4;

    /// <summary>Gets or sets the MSTest context, used to log the largest difference of each case.</summary>
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Fixtures_EveryCommittedCase_IsCheckedByATest()
    {
        var covered = typeof(PyTorchReferenceTests).GetMethods()
            .SelectMany(m => m.GetCustomAttributes<DataRowAttribute>())
            .Select(row => (string)row.Data[0]!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        CollectionAssert.AreEqual(TorchFixture.CaseNames().ToArray(), covered, "Every fixture file needs a DataRow, and every DataRow a fixture file.");
    }

    [TestMethod]
    [DataRow("linear_bias")]
    [DataRow("linear_nobias")]
    public void Dense_ForwardAndBackward_MatchPyTorchLinear(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        var layer = new Dense(f.Int("in_features"), f.Int("out_features"), f.Bool("bias"));
        Assert.AreEqual(f.Has("bias"), layer.Bias is not null);
        CheckUnary(f, layer, Named(layer.Weight, layer.Bias));
    }

    [TestMethod]
    [DataRow("conv2d_stride1_pad0")]
    [DataRow("conv2d_stride1_pad1")]
    [DataRow("conv2d_stride2_pad1")]
    [DataRow("conv2d_stride2_pad2_nobias")]
    [DataRow("conv2d_rectangular_kernel")]
    [DataRow("conv2d_asymmetric_padding")]
    [DataRow("conv2d_groups2")]
    [DataRow("conv2d_depthwise_stride2")]
    public void Conv2d_ForwardAndBackward_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        int[] kernel = f.Ints("kernel"), stride = f.Ints("stride"), padding = f.Ints("padding");
        var layer = new Conv2d(f.Int("in_channels"), f.Int("out_channels"), (kernel[0], kernel[1]), (stride[0], stride[1]),
            (padding[0], padding[1], padding[2], padding[3]), f.Int("groups"), f.Bool("bias"));
        CheckUnary(f, layer, Named(layer.Weight, layer.Bias));
    }

    [TestMethod]
    [DataRow("batchnorm1d_train")]
    [DataRow("batchnorm2d_train")]
    public void BatchNorm_TrainingMode_MatchesPyTorchIncludingRunningStatistics(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        var layer = new BatchNorm(f.Int("channels"), f.Float("eps"), f.Float("momentum"));
        SetValue(layer.RunningMean, f.FloatTensor("running_mean"));
        SetValue(layer.RunningVariance, f.FloatTensor("running_var"));
        double worst = CheckUnary(f, layer, Named(layer.Scale, layer.Shift), log: false);
        worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor("running_mean_after"), layer.RunningMean.Value, "running_mean", Tolerance));
        worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor("running_var_after"), layer.RunningVariance.Value, "running_var", Tolerance));
        Log(f, worst);
    }

    [TestMethod]
    [DataRow("batchnorm1d_eval")]
    [DataRow("batchnorm2d_eval")]
    public void BatchNorm_EvaluationMode_UsesRunningStatisticsLikePyTorch(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        var layer = new BatchNorm(f.Int("channels"), f.Float("eps"), f.Float("momentum"));
        SetValue(layer.Scale, f.FloatTensor("weight"));
        SetValue(layer.Shift, f.FloatTensor("bias"));
        SetValue(layer.RunningMean, f.FloatTensor("running_mean"));
        SetValue(layer.RunningVariance, f.FloatTensor("running_var"));
        double worst = TensorAssert.AreClose(f.FloatTensor("output"), layer.Forward(f.FloatTensor("input"), training: false), "output", Tolerance);
        CollectionAssert.AreEqual(f.FloatTensor("running_mean").Span.ToArray(), layer.RunningMean.Value.Span.ToArray(), "Evaluation must not update the running mean.");
        CollectionAssert.AreEqual(f.FloatTensor("running_var").Span.ToArray(), layer.RunningVariance.Value.Span.ToArray(), "Evaluation must not update the running variance.");
        Log(f, worst);
    }

    [TestMethod]
    [DataRow("relu")]
    [DataRow("leaky_relu")]
    [DataRow("sigmoid")]
    [DataRow("tanh")]
    [DataRow("softmax")]
    public void Activation_ForwardAndBackward_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        UnaryLayer layer = f.Kind switch
        {
            "relu" => new Relu(),
            "leaky_relu" => new LeakyRelu(f.Float("negative_slope")),
            "sigmoid" => new Sigmoid(),
            "tanh" => new Tanh(),
            "softmax" => new Softmax(),
            _ => throw new AssertFailedException($"Unknown activation '{f.Kind}'."),
        };
        CheckUnary(f, layer, []);
    }

    [TestMethod]
    [DataRow("maxpool2d_k2_s2")]
    [DataRow("maxpool2d_k3_s2_p1")]
    [DataRow("avgpool2d_k2_s2")]
    [DataRow("avgpool2d_k3_s2_p1_include_pad")]
    [DataRow("avgpool2d_k3_s2_p1_exclude_pad")]
    public void Pooling_ForwardAndBackward_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        int[] kernel = f.Ints("kernel"), stride = f.Ints("stride"), padding = f.Ints("padding");
        var geometry = ((kernel[0], kernel[1]), (stride[0], stride[1]), (padding[0], padding[1], padding[2], padding[3]));
        UnaryLayer layer = f.Kind == "maxpool2d"
            ? new MaxPool2d(geometry.Item1, geometry.Item2, geometry.Item3)
            : new AvgPool2d(geometry.Item1, geometry.Item2, geometry.Item3, f.Bool("count_include_pad"));
        CheckUnary(f, layer, []);
    }

    [TestMethod]
    [DataRow("global_avg_pool")]
    public void GlobalAvgPool_ForwardAndBackward_MatchAdaptiveAvgPool2dToOne(string fixture) =>
        CheckUnary(TorchFixture.Load(fixture), new GlobalAvgPool(), []);

    [TestMethod]
    [DataRow("flatten")]
    public void Flatten_ForwardAndBackward_MatchPyTorch(string fixture) =>
        CheckUnary(TorchFixture.Load(fixture), new Flatten(), []);

    [TestMethod]
    [DataRow("add")]
    public void Add_ForwardAndBackward_PassTheGradientToBothInputs(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        var layer = new Add();
        var output = layer.Forward([f.FloatTensor("input0"), f.FloatTensor("input1")], training: true);
        double worst = TensorAssert.AreClose(f.FloatTensor("output"), output, "output", Tolerance);
        var gradients = layer.Backward(f.FloatTensor("output_grad"));
        Assert.AreEqual(2, gradients.Count);
        worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor("input0_grad"), gradients[0], "input0_grad", Tolerance));
        worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor("input1_grad"), gradients[1], "input1_grad", Tolerance));
        Log(f, worst);
    }

    [TestMethod]
    [DataRow("network_mlp")]
    [DataRow("network_cnn")]
    [DataRow("network_residual")]
    public void Network_SoftmaxCrossEntropyGradients_MatchPyTorch(string fixture)
    {
        var f = TorchFixture.Load(fixture);
        var network = BuildNetwork(f.Name);
        CollectionAssert.AreEqual(f.Ints("input_shape"), network.InputShape);
        var parameters = network.Parameters.ToArray();
        Assert.AreEqual(f.ParameterOrder.Count, parameters.Length, "The network and the PyTorch model differ in parameter count.");
        for (int i = 0; i < parameters.Length; i++)
        {
            SetValue(parameters[i], f.FloatTensor(f.ParameterOrder[i]));
        }

        var input = f.FloatTensor("input");
        var logits = network.Forward(input, training: true);
        double worst = TensorAssert.AreClose(f.FloatTensor("output"), logits, "logits", Tolerance);

        // Mean-reduced softmax cross-entropy, computed here in double so that this test does not depend on the Training layer.
        int[] labels = f.FloatTensor("labels").Span.ToArray().Select(v => (int)v).ToArray();
        var (loss, logitsGradient) = SoftmaxCrossEntropy(logits, labels);
        worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor("loss"), FloatTensor.FromValues([(float)loss], 1), "loss", Tolerance));
        worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor("output_grad"), logitsGradient, "dloss/dlogits", Tolerance));

        network.Backward(f.FloatTensor("output_grad"));
        for (int i = 0; i < parameters.Length; i++)
        {
            string name = f.ParameterOrder[i] + "_grad";
            worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor(name), parameters[i].Gradient, name, Tolerance));
        }

        var runningStatistics = network.Nodes.Select(n => n.Layer).OfType<BatchNorm>()
            .SelectMany(bn => new[] { bn.RunningMean, bn.RunningVariance }).ToArray();
        Assert.AreEqual(f.BufferOrder.Count, runningStatistics.Length);
        for (int i = 0; i < runningStatistics.Length; i++)
        {
            string name = f.BufferOrder[i] + "_after";
            worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor(name), runningStatistics[i].Value, name, Tolerance));
        }

        Log(f, worst);
    }

    private static Network BuildNetwork(string fixture) => fixture switch
    {
        "network_mlp" => new NetworkBuilder(20).Dense(16).Relu().Dense(8).Relu().Dense(5).Build(),
        "network_cnn" => new NetworkBuilder(3, 8, 8)
            .Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2)
            .Conv2d(6, 3).Relu().Flatten().Dense(5).Build(),
        "network_residual" => new NetworkBuilder(3, 6, 6)
            .Conv2d(4, 3, padding: 1)
            .Residual(b => b.Conv2d(4, 3, padding: 1).BatchNorm().Relu().Conv2d(4, 3, padding: 1))
            .Relu().GlobalAvgPool().Flatten().Dense(5).Build(),
        _ => throw new AssertFailedException($"No network is defined for fixture '{fixture}'."),
    };

    private static (double Loss, FloatTensor LogitsGradient) SoftmaxCrossEntropy(FloatTensor logits, int[] labels)
    {
        int batch = logits.Dim(0), classes = logits.Dim(1);
        var gradient = new FloatTensor(batch, classes);
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            var row = logits.Span.Slice(n * classes, classes);
            double max = row.ToArray().Max(v => (double)v);
            double sum = 0;
            foreach (float v in row)
            {
                sum += Math.Exp(v - max);
            }

            loss += Math.Log(sum) + max - row[labels[n]];
            for (int c = 0; c < classes; c++)
            {
                double probability = Math.Exp(row[c] - max) / sum;
                gradient[n, c] = (float)((probability - (c == labels[n] ? 1 : 0)) / batch);
            }
        }

        return (loss / batch, gradient);
    }

    private static (string Name, Parameter Parameter)[] Named(Parameter weight, Parameter? bias) =>
        bias is null ? [("weight", weight)] : [("weight", weight), ("bias", bias)];

    private static void SetValue(Parameter parameter, FloatTensor value)
    {
        Assert.IsTrue(parameter.Value.HasShape(value.Shape), $"Parameter '{parameter.Name}' {FloatTensor.FormatShape(parameter.Value.Shape)} does not have the PyTorch shape {FloatTensor.FormatShape(value.Shape)}.");
        parameter.Value.CopyFrom(value);
    }

    /// <summary>Loads the parameters, runs a training forward and a backward pass and compares every stored result.</summary>
    private double CheckUnary(TorchFixture f, UnaryLayer layer, (string Name, Parameter Parameter)[] parameters, bool log = true)
    {
        foreach (var (name, parameter) in parameters)
        {
            SetValue(parameter, f.FloatTensor(name));
        }

        var output = layer.Forward(f.FloatTensor("input"), training: true);
        double worst = TensorAssert.AreClose(f.FloatTensor("output"), output, "output", Tolerance);
        var inputGradient = layer.Backward(f.FloatTensor("output_grad"));
        Assert.AreEqual(1, inputGradient.Count);
        worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor("input_grad"), inputGradient[0], "input_grad", Tolerance));
        foreach (var (name, parameter) in parameters)
        {
            worst = Math.Max(worst, TensorAssert.AreClose(f.FloatTensor(name + "_grad"), parameter.Gradient, name + "_grad", Tolerance));
        }

        if (log)
        {
            Log(f, worst);
        }

        return worst;
    }

    private void Log(TorchFixture f, double worst) =>
        TestContext.WriteLine($"{f.Name}: largest scaled difference from PyTorch {worst:E2}");
}
