// The README's ten lines: one ML.NET pipeline trains an MLP on Fashion-MNIST, prunes half its hidden units by APoZ
// within a 3-point budget, fine-tunes, evaluates, saves the ML.NET model and exports the pruned network as ONNX.
using Microsoft.ML;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;

var ml = new MLContext(seed: 1);
var (train, test) = ml.Data.LoadFashionMnist();
var architecture = new NetworkBuilder(784).Dense(300).Relu().Dense(100).Relu().Dense(10).Build(seed: 1);
var pipeline = ml.MulticlassClassification.Trainers.NeuralNetwork(architecture, epochs: 3)
    .Append(ml.Pruning().Apoz(rate: 0.5, maximumAccuracyDrop: 0.03))
    .Append(ml.Pruning().FineTune(epochs: 1));
var model = pipeline.Fit(train);
var pruned = (NeuralNetworkTransformer)model.LastTransformer;
Console.WriteLine(pruned.Report.ToTable());
Console.WriteLine($"test accuracy: {ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy:P2}");
ml.Model.Save(model, train.Schema, "mlp.pruned.zip");
pruned.SaveOnnx("mlp.pruned.onnx");
