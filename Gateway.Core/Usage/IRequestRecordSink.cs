namespace OllamaGateway.Usage;

/// <summary>
/// Receives every finished <see cref="RequestRecord"/>: the access log, metrics, the usage ledger and token budgets.
/// The pipeline calls each sink once per request, on the request's own task, after the answer is complete: a sink
/// must be quick (hand slow work to a queue) and must not throw.
/// </summary>
internal interface IRequestRecordSink
{
    /// <summary>Takes note of a finished request.</summary>
    void OnFinished(RequestRecord record);
}
