using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Routing;
using OllamaGateway.Translation;

namespace OllamaGateway.Usage;

/// <summary>
/// The facts of one request, gathered as it passes through the gateway: who (key name), what (route, model), where
/// (upstream), how it ended (status, outcome, reason), when (start, first byte to the client, end), how much (bytes,
/// tokens). <see cref="Pipeline.GatewayPipeline"/> creates it at the start and keeps it in <c>HttpContext.Features</c>; the
/// handlers fill in what they learn; the pipeline finishes it whatever happens. Accounting, the access log and metrics
/// read it, so nothing else has to pass these facts around.
/// </summary>
/// <remarks>
/// One small object per request and nothing more: every field is a value or a reference to something that exists
/// anyway (the route row, the key's name, the model string the translator or guard already made). Times are
/// <see cref="TimeProvider"/> timestamps, so a fake clock drives them in tests. Not thread-safe: one request, one task.
/// </remarks>
internal sealed class RequestRecord
{
    private readonly TimeProvider _time;

    /// <summary>Starts the record of a request arriving now.</summary>
    public RequestRecord(TimeProvider time)
    {
        _time = time;
        StartedAt = time.GetUtcNow();
        StartTimestamp = time.GetTimestamp();
    }

    /// <summary>When the request arrived (wall clock).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the request arrived, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long StartTimestamp { get; }

    /// <summary>The key that authenticated, or null before authentication or when it failed.</summary>
    public ApiKey? Key { get; set; }

    /// <summary>The name of the key that authenticated (never the key itself), or null.</summary>
    public string? KeyName => Key?.Name;

    /// <summary>The request's method.</summary>
    public string? Method { get; set; }

    /// <summary>The request's path, without its query string (a client value: only logged when the route is known).</summary>
    public string? Path { get; set; }

    /// <summary>The client's address, as the host saw it.</summary>
    public System.Net.IPAddress? ClientAddress { get; set; }

    /// <summary>The route row, or null for an unknown path.</summary>
    public GatewayRoute? Route { get; set; }

    /// <summary>The API the path belongs to.</summary>
    public ApiSurface Surface { get; set; }

    /// <summary>The model as the client named it.</summary>
    public string? RequestedModel { get; set; }

    /// <summary>The model as sent to Ollama (the same name today; a routing layer may resolve it).</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>The name of the Ollama server the request went to, once it went to one: the one that answered.</summary>
    public string? Upstream { get; set; }

    /// <summary>
    /// The name of the Ollama server the request was sent to first when it failed over (it failed before answering and
    /// <see cref="Upstream"/> answered instead); null when the request was not retried.
    /// </summary>
    public string? RetriedFrom { get; set; }

    /// <summary>The client's end-user id (OpenAI <c>user</c>), when it sent one.</summary>
    public string? EndUser { get; set; }

    /// <summary>The status answered; set when the record is finished.</summary>
    public int Status { get; private set; }

    /// <summary>How the request ended.</summary>
    public RequestOutcome Outcome { get; private set; }

    /// <summary>Why the gateway refused or failed the request; <see cref="GatewayError.None"/> otherwise.</summary>
    public GatewayError Reason { get; private set; }

    /// <summary>Bytes of the request body the gateway read or forwarded, when known.</summary>
    public long RequestBytes { get; set; }

    /// <summary>Bytes of the answer's body sent to the client, when known.</summary>
    public long ResponseBytes { get; set; }

    /// <summary>Prompt tokens, from Ollama's <c>prompt_eval_count</c>, once known.</summary>
    public long PromptTokens { get; private set; }

    /// <summary>Completion tokens, from Ollama's <c>eval_count</c>, or estimated from the chunks relayed.</summary>
    public long CompletionTokens { get; private set; }

    /// <summary>Whether <see cref="CompletionTokens"/> is an estimate (a stream that ended before Ollama's counts).</summary>
    public bool TokensEstimated { get; private set; }

    /// <summary>When the first byte of the answer went to the client, as a timestamp; 0 when none has.</summary>
    public long FirstByteTimestamp { get; private set; }

    /// <summary>When the record was finished, as a timestamp; 0 while the request is in progress.</summary>
    public long EndTimestamp { get; private set; }

    /// <summary>Whether <see cref="Finish"/> has run.</summary>
    public bool IsFinished => EndTimestamp != 0;

    /// <summary>Time from arrival to the end.</summary>
    public TimeSpan Duration => IsFinished ? _time.GetElapsedTime(StartTimestamp, EndTimestamp) : TimeSpan.Zero;

    /// <summary>Time from arrival to the first byte of the answer, or null when none was sent.</summary>
    public TimeSpan? TimeToFirstByte => FirstByteTimestamp == 0 ? null : _time.GetElapsedTime(StartTimestamp, FirstByteTimestamp);

    /// <summary>Notes that the answer's first byte goes to the client now (only the first call counts).</summary>
    public void MarkFirstByte()
    {
        if (FirstByteTimestamp == 0)
        {
            FirstByteTimestamp = _time.GetTimestamp();
        }
    }

    /// <summary>Notes Ollama's exact token counts.</summary>
    public void SetUsage(TokenUsage usage)
    {
        PromptTokens = usage.PromptTokens;
        CompletionTokens = usage.CompletionTokens;
        TokensEstimated = false;
    }

    /// <summary>Notes an estimate: a stream cut short, counted by the chunks relayed (about one token each).</summary>
    public void EstimateCompletion(long chunks)
    {
        CompletionTokens = chunks;
        TokensEstimated = true;
    }

    /// <summary>Notes why the gateway refused or failed the request, and the outcome that follows from it.</summary>
    public void Fail(GatewayError reason)
    {
        Reason = reason;
        Outcome = reason switch
        {
            GatewayError.UpstreamTimeout => RequestOutcome.Timeout,
            GatewayError.UpstreamUnavailable or GatewayError.UpstreamInvalidResponse or GatewayError.UpstreamRefused => RequestOutcome.UpstreamError,
            _ => RequestOutcome.Refused,
        };
    }

    /// <summary>Notes how a request ended when the handler knows better than the status (a stream that broke off).</summary>
    public void End(RequestOutcome outcome) => Outcome = outcome;

    /// <summary>
    /// Closes the record: the status answered, and the outcome when no handler set one — the client went away if the
    /// request was aborted, otherwise the answer was delivered.
    /// </summary>
    public void Finish(int status, bool clientAborted)
    {
        if (IsFinished)
        {
            return;
        }

        Status = status;
        if (clientAborted && Outcome is RequestOutcome.None or RequestOutcome.Completed)
        {
            Outcome = RequestOutcome.ClientClosed;
        }
        else if (Outcome == RequestOutcome.None)
        {
            Outcome = RequestOutcome.Completed;
        }

        EndTimestamp = _time.GetTimestamp();
    }
}
