// The README's ten lines: train an MLP on Fashion-MNIST, prune half its hidden units by APoZ, fine-tune, export ONNX.
using Microsoft.ML.Pruning;
using Microsoft.ML.Pruning.Networks;

var context = new PruningContext(seed: 1);
var (train, test) = context.Data.LoadFashionMnist();
var architecture = new NetworkBuilder(784).Dense(300).Relu().Dense(100).Relu().Dense(10).Build(seed: 1);
var pipeline = context.Model.Train(architecture, epochs: 3).Append(context.Pruning.Apoz(rate: 0.5, maximumAccuracyDrop: 0.01)).Append(context.Pruning.FineTune(epochs: 1));
var model = pipeline.Fit(train.Flatten());
Console.WriteLine(model.Report.ToTable());
Console.WriteLine($"test accuracy: {model.Transform(test.Flatten()).Accuracy():P2}");
model.SaveOnnx("mlp.pruned.onnx");
