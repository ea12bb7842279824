namespace OllamaGateway.Usage;

/// <summary>How an outcome is written in the access log, the ledger and reports.</summary>
public static class RequestOutcomeNames
{
    /// <summary>The outcome's stable lower-case name.</summary>
    internal static string Of(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Completed => Completed,
        RequestOutcome.ClientClosed => "client_closed",
        RequestOutcome.UpstreamError => "upstream_error",
        RequestOutcome.Timeout => "timeout",
        RequestOutcome.Refused => "refused",
        _ => "unknown",
    };

    /// <summary>A request whose answer was delivered whole; every other outcome counts as an error in reports.</summary>
    public const string Completed = "completed";
}
