namespace Microsoft.ML.Pruning.Cli;

/// <summary>A mistake in the command line or its inputs: printed as one line, exit code 1, no stack trace. The message names the option or file.</summary>
internal sealed class UserException(string message) : Exception(message);
