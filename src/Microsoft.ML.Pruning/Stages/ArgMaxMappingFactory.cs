using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The stateless arg-max of a saved model's <c>Score</c> column (0-based class index). ML.NET's <c>CustomMapping</c>
/// saves only this contract name; <c>mlContext.Model.Load</c> finds this factory by it in this assembly.
/// </summary>
/// <remarks>
/// Internal, with its row types: ML.NET finds and creates the factory by reflection whatever its visibility (a saved
/// zip loads and scores <c>PredictedLabel</c> in a fresh process: SaveLoadTests through test/ModelConsumer, and
/// build/consumer-test.sh through the packed packages).
/// </remarks>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ArgMaxMappingFactory : CustomMappingFactory<ArgMaxMappingFactory.ScoreRow, ArgMaxMappingFactory.IndexRow>
{
    /// <summary>The contract name saved with the mapping.</summary>
    public const string ContractName = "Microsoft.ML.Pruning.ArgMax";

    /// <summary>The index of a row with no prediction (a score that is not finite): no class has it.</summary>
    private const uint NoClass = uint.MaxValue;

    /// <inheritdoc/>
    /// <remarks>A row whose scores are not finite gets an index no class has, which the saved chain's <c>MapValue</c> turns into the missing key (0).</remarks>
    public override Action<ScoreRow, IndexRow> GetMapping() => (input, output) => output.Index = RowScores.PredictedIndex(input.Score) is { } index ? (uint)index : NoClass;

    /// <summary>The mapping's input: the score vector.</summary>
    public sealed class ScoreRow
    {
        /// <summary>Gets or sets the class probabilities.</summary>
        [VectorType]
        [ColumnName(DefaultColumnNames.Score)]
        public float[] Score { get; set; } = [];
    }

    /// <summary>The mapping's output: the 0-based index of the highest score.</summary>
    public sealed class IndexRow
    {
        /// <summary>Gets or sets the index.</summary>
        [ColumnName("Microsoft.ML.Pruning.PredictedIndex")]
        public uint Index { get; set; }
    }
}
