using Microsoft.ML;

namespace FashionImageModel;

/// <summary>The saved model, as Model Builder's generated consumption code presents one: input, output and a cached engine.</summary>
public static class FashionImageModel
{
    private static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets or sets the saved model's path (set it before the first prediction).</summary>
    public static string ModelPath { get; set; } = Path.Combine(Path.GetTempPath(), "fashion.model.zip");

    /// <summary>Predicts the class of one image file. PredictionEngine is not thread-safe: use it from one thread, or one engine per thread.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var ml = new MLContext();
        var model = ml.Model.Load(ModelPath, out _);
        return ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    }

    /// <summary>The model's input: the path of an image file (the label is not needed to predict).</summary>
    public sealed class ModelInput
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    /// <summary>The model's output: the probability of each class and the predicted class name.</summary>
    public sealed class ModelOutput
    {
        public float[] Score { get; set; } = [];

        public string PredictedLabel { get; set; } = "";
    }
}
