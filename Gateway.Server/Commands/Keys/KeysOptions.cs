using System.CommandLine;

namespace OllamaGateway.Server.Commands.Keys;

/// <summary>
/// The <c>keys</c> commands' options and argument. Each checks its value while the command line is parsed
/// (<see cref="KeyValueParsers"/>, <see cref="CommandOptions.WholeNumber"/>); <paramref name="time"/> is the clock
/// a relative <c>--expires 30d</c> counts from.
/// </summary>
internal sealed class KeysOptions(TimeProvider time)
{
    public Option<string> Name { get; } = CommandOptions.Valued("--name", "NAME",
        "1 to 64 letters, digits, '.', '_' or '-', not yet used (ignoring case).", KeyValueParsers.NewName, required: true);

    public Option<List<string>> Models { get; } = CommandOptions.Valued("--models", "PATTERNS",
        "Models the key may use: names or patterns such as llama3.2* or qwen3:*, comma-separated or repeated. "
        + "Default: every model except Ollama's cloud models, which only patterns naming them allow "
        + "(gpt-oss:120b-cloud, *-cloud).",
        KeyValueParsers.Models);

    public Option<bool> Admin { get; } = CommandOptions.Flag("--admin",
        "Allow model management (pull, push, create, copy, delete).");

    public Option<bool> Metrics { get; } = CommandOptions.Flag("--metrics",
        "Allow reading GET /metrics, as a Prometheus server scraping the gateway does (admin keys always may).");

    public Option<DateTimeOffset?> Expires { get; } = CommandOptions.Valued("--expires", "WHEN",
        "A time with a zone, such as 2027-06-30T00:00:00Z, or days from now, such as 30d.",
        result => KeyValueParsers.Expiry(result, time.GetUtcNow()));

    public Option<int?> RequestsPerMinute { get; } = CommandOptions.Valued("--rpm", "N",
        "At most N requests per minute.",
        result => (int?)CommandOptions.WholeNumber(result, "--rpm", 1, int.MaxValue));

    public Option<int?> ConcurrentRequests { get; } = CommandOptions.Valued("--concurrency", "N",
        "At most N requests at a time.",
        result => (int?)CommandOptions.WholeNumber(result, "--concurrency", 1, int.MaxValue));

    public Option<long?> TokensPerMinute { get; } = CommandOptions.Valued("--tpm", "N",
        "At most N tokens (prompt and completion) per minute of the clock.",
        result => CommandOptions.WholeNumber(result, "--tpm", 1, long.MaxValue));

    public Option<long?> TokensPerDay { get; } = CommandOptions.Valued("--tpd", "N",
        "At most N tokens (prompt and completion) per UTC day.",
        result => CommandOptions.WholeNumber(result, "--tpd", 1, long.MaxValue));

    public Option<string> File { get; } = CommandOptions.Valued("--file", "PATH",
        "The keys file. Default: the server's Gateway:KeysFile (appsettings.json, Gateway__KeysFile, "
        + "--Gateway:KeysFile=PATH), relative to the current directory; keys.json if unset.",
        result => result.Tokens[0].Value);

    /// <summary><c>revoke NAME</c>.</summary>
    public Argument<string> RevokedName { get; } = new("NAME")
    {
        Description = "The key's name. A bare key string is named by its position: 'keys[0]' (quoted).",
        CustomParser = KeyValueParsers.ExistingName,
    };
}
