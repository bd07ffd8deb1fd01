namespace Microsoft.ML.Pruning.Loop;

/// <summary>What a pruning run is doing when it reports <see cref="PruningProgress"/>.</summary>
public enum PruningPhase
{
    /// <summary>Training a model from scratch before any pruning (a pipeline's <c>Model.Train</c> stage).</summary>
    Training,

    /// <summary>Evaluating and measuring the unpruned model.</summary>
    Baseline,

    /// <summary>Probing a rate for the schedule: pruning a copy and evaluating it without fine-tuning.</summary>
    Probing,

    /// <summary>Pruning the candidate model at the step's rate.</summary>
    Pruning,

    /// <summary>Fine-tuning the candidate model.</summary>
    FineTuning,

    /// <summary>Evaluating the candidate model and keeping or rolling it back.</summary>
    Evaluating,

    /// <summary>Inserting and training an auxiliary layer.</summary>
    AuxiliaryLayer,

    /// <summary>Pruning one layer alone for a sensitivity sweep.</summary>
    Sensitivity,

    /// <summary>The run has ended (completed, stopped by the schedule or the budget, or cancelled).</summary>
    Completed,
}
