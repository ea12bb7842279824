namespace OllamaGateway.Tests.Cli;

/// <summary>What one <c>keys</c> command returned and printed.</summary>
internal sealed record KeysResult(int ExitCode, string Output, string Error);
