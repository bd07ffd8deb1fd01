using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>
/// Checks every layer's backward pass, and a small residual network's, against central finite differences of the
/// scalar loss L = Σ output · R for a fixed random R. Every input element and every parameter element is perturbed by
/// ±<see cref="Epsilon"/> (the float32 step actually taken is used as the divisor) and L is accumulated in double.
/// An element passes when |numeric - analytic| &lt;= <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> · |numeric|.
/// Inputs of kinked layers (ReLU, LeakyReLU, MaxPool) stay further than <see cref="Epsilon"/> from their kinks and ties.
/// The largest errors seen are 1e-4 for the residual network (the curvature through training-mode BatchNorm
/// dominates), 5e-5 for BatchNorm and 2e-5 elsewhere: at most an eighth of the tolerance.
/// </summary>
[TestClass]
public sealed class GradientCheckTests
{
    private const float Epsilon = 5e-3f;
    private const double AbsoluteTolerance = 3e-4;
    private const double RelativeTolerance = 3e-3;

    private int _savedDegreeOfParallelism;

    /// <summary>Gets or sets the MSTest context, used to log the largest error of each check.</summary>
    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void SaveSettings() => _savedDegreeOfParallelism = ComputeSettings.DegreeOfParallelism;

    [TestCleanup]
    public void RestoreSettings() => ComputeSettings.DegreeOfParallelism = _savedDegreeOfParallelism;

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Dense_InputAndParameterGradients_MatchFiniteDifferences(bool useBias)
    {
        var random = new Random(1);
        var layer = new Dense(5, 4, useBias);
        layer.ResetParameters(random);
        CheckLayer(layer, [Values(random, [3, 5])]);
    }

    [TestMethod]
    [DataRow("stride1_padding1")]
    [DataRow("stride2_padding0")]
    [DataRow("rectangular_kernel_asymmetric_padding")]
    [DataRow("groups2")]
    [DataRow("depthwise_stride2")]
    [DataRow("without_bias")]
    [DataRow("pointwise_plane1x1_batch33")]
    [DataRow("pointwise_plane2x2_two_blocks")]
    [DataRow("kernel3_plane2x2_stride2_batch33")]
    [DataRow("kernel3_plane3x3_dilation2")]
    [DataRow("depthwise_multiplier2_dilation2")]
    [DataRow("single_input_channel")]
    public void Conv2d_InputAndParameterGradients_MatchFiniteDifferences(string variant)
    {
        var random = new Random(2);
        var (layer, inputShape) = variant switch
        {
            "stride1_padding1" => (new Conv2d(2, 3, 3, stride: 1, padding: 1), new[] { 2, 2, 5, 5 }),
            "stride2_padding0" => (new Conv2d(2, 3, 3, stride: 2), new[] { 2, 2, 7, 7 }),
            "rectangular_kernel_asymmetric_padding" => (new Conv2d(2, 3, (2, 3), (2, 1), (1, 0, 0, 2)), new[] { 2, 2, 5, 4 }),
            "groups2" => (new Conv2d(4, 4, 3, padding: 1, groups: 2), new[] { 2, 4, 4, 4 }),
            "depthwise_stride2" => (new Conv2d(3, 3, 3, stride: 2, padding: 1, groups: 3), new[] { 2, 3, 5, 5 }),
            "without_bias" => (new Conv2d(2, 2, 3, useBias: false), new[] { 2, 2, 4, 5 }),
            "pointwise_plane1x1_batch33" => (new Conv2d(3, 2, 1), new[] { 33, 3, 1, 1 }),
            "pointwise_plane2x2_two_blocks" => (new Conv2d(2, 3, 1), new[] { 260, 2, 2, 2 }),
            "kernel3_plane2x2_stride2_batch33" => (new Conv2d(2, 3, 3, stride: 2, padding: 1), new[] { 33, 2, 2, 2 }),
            "kernel3_plane3x3_dilation2" => (new Conv2d(2, 2, (3, 3), (1, 1), (2, 1, 2, 1), (2, 2)), new[] { 2, 2, 3, 3 }),
            "depthwise_multiplier2_dilation2" => (new Conv2d(2, 4, (3, 3), (1, 1), (2, 2, 2, 2), (2, 2), groups: 2), new[] { 2, 2, 4, 5 }),
            "single_input_channel" => (new Conv2d(1, 3, 3, padding: 1), new[] { 2, 1, 4, 4 }),
            _ => throw new AssertFailedException($"Unknown variant '{variant}'."),
        };
        layer.ResetParameters(random);
        CheckLayer(layer, [Values(random, inputShape)]);
    }

    [TestMethod]
    [DataRow(new[] { 6, 3 })]
    [DataRow(new[] { 2, 3, 3, 4 })]
    public void BatchNorm_TrainingModeGradients_MatchFiniteDifferences(int[] inputShape)
    {
        var random = new Random(3);
        var layer = new BatchNorm(3);
        layer.Scale.Value.CopyFrom(Values(random, [3], 0.5f, 1.5f));
        layer.Shift.Value.CopyFrom(Values(random, [3]));
        CheckLayer(layer, [Values(random, inputShape)]);
    }

    [TestMethod]
    [DataRow("relu")]
    [DataRow("leaky_relu")]
    [DataRow("sigmoid")]
    [DataRow("tanh")]
    [DataRow("softmax")]
    public void Activation_InputGradient_MatchesFiniteDifferences(string activation)
    {
        UnaryLayer layer = activation switch
        {
            "relu" => new Relu(),
            "leaky_relu" => new LeakyRelu(0.1f),
            "sigmoid" => new Sigmoid(),
            "tanh" => new Tanh(),
            "softmax" => new Softmax(),
            _ => throw new AssertFailedException($"Unknown activation '{activation}'."),
        };

        // Magnitudes of at least 0.1 keep ReLU's and LeakyReLU's kink out of every ±epsilon step.
        CheckLayer(layer, [Values(new Random(4), [3, 6], 0.1f, 2f)]);
    }

    [TestMethod]
    [DataRow(2, 2, 0, new[] { 2, 2, 4, 4 })]
    [DataRow(3, 2, 1, new[] { 2, 2, 5, 5 })]
    public void MaxPool2d_InputGradient_MatchesFiniteDifferences(int kernel, int stride, int padding, int[] inputShape)
    {
        // Distinct values 0.05 apart: a ±0.01 step never changes which element wins a window.
        CheckLayer(new MaxPool2d(kernel, stride, padding), [Distinct(new Random(5), inputShape, 0.05f)]);
    }

    [TestMethod]
    [DataRow(2, 2, 0, true)]
    [DataRow(3, 2, 1, true)]
    [DataRow(3, 2, 1, false)]
    public void AvgPool2d_InputGradient_MatchesFiniteDifferences(int kernel, int stride, int padding, bool countIncludePad) =>
        CheckLayer(new AvgPool2d(kernel, stride, padding, countIncludePad), [Values(new Random(6), [2, 2, 5, 5])]);

    [TestMethod]
    public void GlobalAvgPool_InputGradient_MatchesFiniteDifferences() =>
        CheckLayer(new GlobalAvgPool(), [Values(new Random(7), [2, 3, 3, 4])]);

    [TestMethod]
    public void Flatten_InputGradient_MatchesFiniteDifferences() =>
        CheckLayer(new Flatten(), [Values(new Random(8), [2, 2, 3, 2])]);

    [TestMethod]
    public void Add_GradientsOfBothInputs_MatchFiniteDifferences()
    {
        var random = new Random(9);
        CheckLayer(new Add(), [Values(random, [2, 3, 4]), Values(random, [2, 3, 4])]);
    }

    [TestMethod]
    [DataRow("clip")]
    [DataRow("hard_sigmoid")]
    [DataRow("hard_swish")]
    [DataRow("silu")]
    [DataRow("elu")]
    [DataRow("gelu")]
    [DataRow("gelu_tanh")]
    public void CnnActivation_InputGradient_MatchesFiniteDifferences(string activation)
    {
        UnaryLayer layer = activation switch
        {
            "clip" => new Clip(-1.5f, 2.5f),
            "hard_sigmoid" => new HardSigmoid(0.4f, 0.5f),
            "hard_swish" => new HardSwish(),
            "silu" => new Silu(),
            "elu" => new Elu(0.7f),
            "gelu" => new Gelu(),
            "gelu_tanh" => new Gelu(tanhApproximation: true),
            _ => throw new AssertFailedException($"Unknown activation '{activation}'."),
        };

        // Values 0.0125 off a 0.05 grid, over [-4, 4]: every kink (0, ±1.25, -1.5, 2.5, ±3) stays out of each ±epsilon step.
        var input = Distinct(new Random(14), [2, 80], 0.05f);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] += 0.0125f;
        }

        CheckLayer(layer, [input]);
    }

    [TestMethod]
    [DataRow("multiply_gate")]
    [DataRow("add_broadcast")]
    [DataRow("subtract_broadcast")]
    [DataRow("divide")]
    [DataRow("concat")]
    public void CnnMultiInputLayer_GradientsOfEveryInput_MatchFiniteDifferences(string variant)
    {
        var random = new Random(15);
        var (layer, inputs) = variant switch
        {
            "multiply_gate" => ((Layer)new Multiply(), new[] { Values(random, [2, 3, 2, 3]), Values(random, [2, 3, 1, 1]) }),
            "add_broadcast" => (new Add(), new[] { Values(random, [2, 1, 2, 3]), Values(random, [2, 3, 2, 3]) }),
            "subtract_broadcast" => (new Subtract(), new[] { Values(random, [2, 3, 2, 3]), Values(random, [2, 1, 1, 3]) }),
            "divide" => (new Divide(), new[] { Values(random, [2, 3, 2, 3]), Values(random, [2, 3, 1, 3], 0.5f, 1.5f) }),
            "concat" => (new Concat(3), new[] { Values(random, [2, 2, 2, 2]), Values(random, [2, 1, 2, 2]), Values(random, [2, 3, 2, 2]) }),
            _ => throw new AssertFailedException($"Unknown variant '{variant}'."),
        };
        CheckLayer(layer, inputs);
    }

    [TestMethod]
    [DataRow("constant_multiply")]
    [DataRow("constant_divide_first")]
    [DataRow("pad2d")]
    [DataRow("channel_shuffle")]
    [DataRow("channel_slice")]
    [DataRow("dilated_conv")]
    [DataRow("dilated_depthwise_conv_stride2")]
    public void CnnUnaryLayer_Gradients_MatchFiniteDifferences(string variant)
    {
        var random = new Random(16);
        var (layer, input) = variant switch
        {
            "constant_multiply" => ((Layer)new ConstantOperation(BinaryOperation.Multiply, Values(random, [3, 1, 1])), Values(random, [2, 3, 2, 3])),
            "constant_divide_first" => (new ConstantOperation(BinaryOperation.Divide, Values(random, [3]), constantFirst: true), Values(random, [2, 2, 3], 0.5f, 1.5f)),
            "pad2d" => (new Pad2d((1, 0, 2, 1), 0.5f), Values(random, [2, 2, 3, 3])),
            "channel_shuffle" => (new ChannelShuffle(2), Values(random, [2, 6, 2, 2])),
            "channel_slice" => (new ChannelSlice(1, 2), Values(random, [2, 4, 2, 2])),
            "dilated_conv" => (new Conv2d(2, 3, (3, 3), (1, 1), (2, 2, 2, 2), (2, 2)), Values(random, [2, 2, 5, 5])),
            "dilated_depthwise_conv_stride2" => (new Conv2d(3, 3, (3, 2), (2, 2), (1, 0, 1, 1), (1, 2), groups: 3), Values(random, [2, 3, 6, 6])),
            _ => throw new AssertFailedException($"Unknown variant '{variant}'."),
        };
        layer.ResetParameters(random);
        CheckLayer(layer, [input]);
    }

    [TestMethod]
    [DataRow(3, 2, 0, true)]
    [DataRow(3, 2, 1, false)]
    public void CeilModePooling_InputGradient_MatchesFiniteDifferences(int kernel, int stride, int padding, bool max)
    {
        Layer layer = max
            ? new MaxPool2d((kernel, kernel), (stride, stride), (padding, padding, padding, padding), ceilMode: true)
            : new AvgPool2d((kernel, kernel), (stride, stride), (padding, padding, padding, padding), countIncludePad: true, ceilMode: true);
        var floor = new MaxPool2d((kernel, kernel), (stride, stride), (padding, padding, padding, padding));
        Assert.AreEqual(floor.GetOutputShape([[2, 6, 6]])[1] + 1, layer.GetOutputShape([[2, 6, 6]])[1], "ceil mode must add the last, partial window.");
        CheckLayer(layer, [Distinct(new Random(17), [2, 2, 6, 6], 0.05f)]);
    }

    [TestMethod]
    [DataRow(0.5f)]
    [DataRow(0f)]
    public void Dropout_TrainingModeWithReseededMask_MatchesFiniteDifferences(float probability)
    {
        var input = Values(new Random(10), [4, 8], 0.1f, 1f);
        var layer = new Dropout(probability);

        // The mask is drawn on every forward pass: re-seeding before each pass gives every finite-difference
        // evaluation the mask of the analytic pass.
        FloatTensor Forward()
        {
            layer.ResetParameters(new Random(11));
            return layer.Forward(input, training: true);
        }

        var output = Forward().Clone();
        int dropped = 0, kept = 0;
        for (int i = 0; i < output.Length; i++)
        {
            if (output.Span[i] == 0)
            {
                dropped++;
            }
            else
            {
                Assert.AreEqual(input.Span[i] / (1 - probability), output.Span[i], 1e-6f, $"Kept element {i} is not scaled by 1/(1-p).");
                kept++;
            }
        }

        Assert.IsTrue(kept > 0, "Dropout dropped every element.");
        Assert.AreEqual(probability > 0, dropped > 0, $"Dropout with p={probability} dropped {dropped} of {output.Length} elements.");
        Check($"Dropout(p={probability})", Forward, layer.Backward, [input], layer.Parameters);
    }

    [TestMethod]
    public void Network_WithResidualAddAndFlatten_ParameterGradientsMatchFiniteDifferences()
    {
        // Smooth activations (Tanh) keep the finite differences free of kinks; the skip connection makes the first
        // Tanh feed two consumers, so its gradient is the sum of both branches.
        var network = new NetworkBuilder(2, 6, 6)
            .Conv2d(3, 3, padding: 1).Tanh()
            .Residual(b => b.Conv2d(3, 3, padding: 1).BatchNorm().Tanh().Conv2d(3, 3, padding: 1))
            .Conv2d(2, 3, stride: 2).Flatten().Dense(4).Build(seed: 12);
        int tanh = network["tanh1"].Index;
        Assert.AreEqual(2, network.ConsumersOf(tanh).Count, "The first Tanh must feed the residual branch and the Add.");
        Assert.IsInstanceOfType<Flatten>(network.Nodes[network["dense1"].Index - 1].Layer);
        Assert.IsInstanceOfType<Conv2d>(network.Nodes[network["flatten1"].Index - 1].Layer);

        var input = Values(new Random(13), [3, 2, 6, 6]);
        Check("Network", () => network.Forward(input, training: true), gradient =>
        {
            network.Backward(gradient);
            return [];
        }, [], network.Parameters.ToArray());
    }

    private static FloatTensor Values(Random random, int[] shape, float minMagnitude = 0f, float maxMagnitude = 1f)
    {
        var tensor = new FloatTensor(shape);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++)
        {
            float magnitude = minMagnitude + ((maxMagnitude - minMagnitude) * random.NextSingle());
            span[i] = random.Next(2) == 0 ? -magnitude : magnitude;
        }

        return tensor;
    }

    private static FloatTensor Distinct(Random random, int[] shape, float spacing)
    {
        var tensor = new FloatTensor(shape);
        int[] order = Enumerable.Range(0, tensor.Length).ToArray();
        random.Shuffle(order);
        for (int i = 0; i < order.Length; i++)
        {
            tensor.Span[i] = (order[i] - (order.Length / 2)) * spacing;
        }

        return tensor;
    }

    private void CheckLayer(Layer layer, FloatTensor[] inputs) =>
        Check(layer.GetType().Name, () => layer.Forward(inputs, training: true), layer.Backward, inputs, layer.Parameters);

    /// <summary>
    /// Runs one analytic forward and backward pass with upstream gradient R, then compares the gradient of every
    /// input and parameter element with central finite differences of Σ forward() · R.
    /// </summary>
    private void Check(string label, Func<FloatTensor> forward, Func<FloatTensor, IReadOnlyList<FloatTensor?>> backward,
        IReadOnlyList<FloatTensor> inputs, IReadOnlyList<Parameter> parameters)
    {
        // The analytic pass splits the batch over two parts (Conv2d then sums per-part weight gradients); the many
        // tiny finite-difference passes run on one thread, where no hand-off to the worker pool costs time.
        ComputeSettings.DegreeOfParallelism = 2;
        var weights = Values(new Random(99), forward().Shape);
        var analyticInputs = backward(weights).Select(g => g?.Clone()).ToArray();
        var analyticParameters = parameters.Select(p => p.Gradient.Clone()).ToArray();
        Assert.AreEqual(inputs.Count, analyticInputs.Length, $"{label}: one gradient per input expected.");
        ComputeSettings.DegreeOfParallelism = 1;

        double worstRatio = 0, worstError = 0;
        int checkedElements = 0;
        for (int k = 0; k < inputs.Count; k++)
        {
            Compare($"input {k}", inputs[k], analyticInputs[k]);
        }

        for (int j = 0; j < parameters.Count; j++)
        {
            Compare($"parameter {j} ({parameters[j].Name})", parameters[j].Value, analyticParameters[j]);
        }

        Assert.IsTrue(checkedElements > 0, $"{label}: nothing was checked.");
        TestContext.WriteLine($"{label}: {checkedElements} elements, largest |numeric - analytic| {worstError:E2}, largest error / tolerance {worstRatio:F3}");

        double Loss()
        {
            var output = forward();
            var y = output.Span;
            var r = weights.Span;
            Assert.AreEqual(r.Length, y.Length, $"{label}: the output changed size.");
            double sum = 0;
            for (int i = 0; i < y.Length; i++)
            {
                sum += (double)y[i] * r[i];
            }

            return sum;
        }

        void Compare(string what, FloatTensor values, FloatTensor? analytic)
        {
            Assert.IsNotNull(analytic, $"{label}: no gradient for {what}.");
            Assert.IsTrue(analytic.HasShape(values.Shape), $"{label}: the gradient of {what} has shape {FloatTensor.FormatShape(analytic.Shape)}, expected {FloatTensor.FormatShape(values.Shape)}.");
            var v = values.Span;
            for (int i = 0; i < v.Length; i++)
            {
                float original = v[i];
                float up = original + Epsilon, down = original - Epsilon;
                v[i] = up;
                double plus = Loss();
                v[i] = down;
                double minus = Loss();
                v[i] = original;
                double numeric = (plus - minus) / ((double)up - down);
                double error = Math.Abs(numeric - analytic.Span[i]);
                double ratio = error / (AbsoluteTolerance + (RelativeTolerance * Math.Abs(numeric)));
                worstError = Math.Max(worstError, error);
                worstRatio = Math.Max(worstRatio, ratio);
                checkedElements++;
                Assert.IsTrue(ratio <= 1, $"{label}: gradient of {what} element {i} is {analytic.Span[i]}, finite differences give {numeric}.");
            }
        }
    }
}
