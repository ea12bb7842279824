namespace OllamaGateway.Tests.Deployment;

/// <summary>How a finished command ended: its exit code and everything it wrote to stdout and stderr, interleaved.</summary>
internal sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>The end of the output, enough to see why a command failed without flooding the test log.</summary>
    public string Tail(int characters = 6000) => Output.Length <= characters ? Output : "..." + Output[^characters..];
}
