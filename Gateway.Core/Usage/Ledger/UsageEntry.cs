namespace OllamaGateway.Usage.Ledger;

/// <summary>
/// One row of the usage ledger: what a finished request leaves behind. Never a key, a header or a prompt: the key's
/// name, the route's pattern and the model name (cut to <see cref="MaxTextLength"/>) are the only texts.
/// </summary>
internal readonly record struct UsageEntry(
    DateTimeOffset Time,
    string? Key,
    string? Route,
    string? Model,
    string? Upstream,
    int Status,
    RequestOutcome Outcome,
    string? Reason,
    long PromptTokens,
    long CompletionTokens,
    bool Estimated,
    double DurationMs,
    double? TimeToFirstByteMs)
{
    /// <summary>The longest text a row keeps: a client's model name can be megabytes long.</summary>
    public const int MaxTextLength = 256;

    /// <summary>The row of <paramref name="record"/>.</summary>
    public static UsageEntry From(RequestRecord record) => new(
        record.StartedAt,
        record.KeyName,
        record.Route?.Name,
        Cut(record.RequestedModel),
        record.Upstream,
        record.Status,
        record.Outcome,
        record.Reason == Errors.GatewayError.None ? null : record.Reason.ToString(),
        record.PromptTokens,
        record.CompletionTokens,
        record.TokensEstimated,
        record.Duration.TotalMilliseconds,
        record.TimeToFirstByte?.TotalMilliseconds);

    /// <summary>A client's text as usage records keep it: at most <see cref="MaxTextLength"/> characters.</summary>
    public static string? Cut(string? text) => text?[..Math.Min(text.Length, MaxTextLength)]; // a whole string's range is the string itself, no copy
}
