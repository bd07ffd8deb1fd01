using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Reports;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>
/// Seeds/000 (Akm et al., "Node Pruning for Improved Neural Network Design"): APoZ node pruning of a 784-550-375-375-375-375-10
/// ReLU MLP, here on Fashion-MNIST in place of MNIST. Half of every hidden layer's units go; the network is fine-tuned.
/// </summary>
internal static class ApozMlp
{
    public static void Run(SampleSettings settings)
    {
        // 1. Load the data: Fashion-MNIST, images flattened to 784 features in [0, 1].
        var ml = new MLContext(settings.Seed);
        var (train, test) = IdxLoader.LoadFashionMnist(settings.DataDirectory);
        train = train.Flatten();
        test = test.Flatten();
        IDataView trainView = ml.View(train), testView = ml.View(test);

        // 2. Describe and train the network of seeds/000 (5 hidden ReLU layers: 550, then 375 four times).
        var architecture = new NetworkBuilder(784).Dense(550).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(10).Build(settings.Seed);
        int epochs = settings.Epochs ?? 5;
        Console.WriteLine($"training {architecture} for {epochs} epochs");
        var trained = Pipelines.Train(ml, architecture, new NeuralNetworkTrainerOptions { Epochs = epochs, Progress = Progress.Console }, trainView).Network;

        // 3. Prune: APoZ over 10,000 training images, half of every hidden layer's units, 2 epochs of fine-tuning,
        //    within a budget of 0.5 accuracy points (a step that breaks it is rolled back).
        var pruning = ml.Pruning().Apoz(new ApozPruningOptions
        {
            Rate = 0.5,
            MaximumAccuracyDrop = 0.005,
            CalibrationSamples = 10_000,
            Epochs = 2,
            MeasureLatency = true,
            Progress = Progress.Console,
        });
        var model = Pipelines.Fit(ml, trained, trainView, pruning);

        // 4. Evaluate on the test set, and measure inference speed on it.
        Console.WriteLine(model.Report.ToTable());
        double before = Evaluator.Evaluate(trained, test).Accuracy;
        double after = Pipelines.Accuracy(ml, model, testView);
        var (speedBefore, speedAfter) = Speed.ImagesPerSecond(trained, model.Network, test);
        Markdown.Table("Seeds/000 on Fashion-MNIST: APoZ, 50% of hidden units, 2 epochs of fine-tuning",
            ["model", "hidden widths", "connections (weights)", "parameters", "multiply-adds", "test accuracy %", "test error %", "inference images/s"],
            [
                ["unpruned", DenseFigures.Widths(trained), DenseFigures.Weights(trained), trained.ParameterCount, trained.MultiplyAdds, Markdown.Percent(before), Markdown.Percent(1 - before), Math.Round(speedBefore)],
                ["APoZ 50%", DenseFigures.Widths(model.Network), DenseFigures.Weights(model.Network), model.Network.ParameterCount, model.Network.MultiplyAdds, Markdown.Percent(after), Markdown.Percent(1 - after), Math.Round(speedAfter)],
            ]);
        Console.WriteLine($"parameters x{(double)model.Network.ParameterCount / trained.ParameterCount:0.000}, multiply-adds x{(double)model.Network.MultiplyAdds / trained.MultiplyAdds:0.000}, " +
            $"inference time x{speedBefore / speedAfter:0.000}, test accuracy {(after - before) * 100:+0.00;-0.00} points");

        // 5. Save the smaller model as ONNX (for ML.NET's OnnxTransformer or ONNX Runtime) and the report.
        model.SaveOnnx(settings.File("000-apoz.onnx"));
        model.Report.Save(settings.File("000-apoz.report.json"));
        HtmlReport.Save(model.Report, settings.File("000-apoz.report.html"), "Seeds/000: APoZ on Fashion-MNIST");
        Console.WriteLine($"saved {settings.File("000-apoz.onnx")}, .report.json and .report.html");

        // 6. Consume it: load the ONNX model back and classify the first test images.
        var consumer = ml.Pruning().LoadOnnxModel(settings.File("000-apoz.onnx")).Fit(testView);
        var predicted = ml.Data.CreateEnumerable<Prediction>(consumer.Transform(ml.View(test.Take(5))), reuseRowObject: false).Select(p => p.PredictedLabel - 1);
        Console.WriteLine("first five test images: predicted " + string.Join(", ", predicted) + "; true " + string.Join(", ", test.Labels.Take(5)));
    }

    private sealed class Prediction
    {
        public uint PredictedLabel { get; set; }
    }
}
