namespace OllamaGateway.Server.Commands.Keys;

/// <summary>What a <c>keys</c> command line asked for, already checked by <see cref="KeysArgumentParser"/>.</summary>
internal sealed class KeysArguments
{
    public KeysArguments(string command) => Command = command;

    /// <summary>create, list, revoke or hash.</summary>
    public string Command { get; }

    /// <summary>The key's name: <c>--name</c> for create, the positional argument for revoke.</summary>
    public string? Name { get; set; }

    /// <summary>Model patterns for create; empty means every model.</summary>
    public List<string> Models { get; } = [];

    public bool Admin { get; set; }

    public DateTimeOffset? Expires { get; set; }

    public int? RequestsPerMinute { get; set; }

    public int? ConcurrentRequests { get; set; }

    /// <summary><c>--file</c>: overrides the configured keys file.</summary>
    public string? File { get; set; }

    /// <summary><c>--Section:Name=value</c> arguments, handed to configuration as the server's command line would be.</summary>
    public List<string> ConfigurationArguments { get; } = [];
}
