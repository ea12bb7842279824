namespace OllamaGateway.Forwarding;

/// <summary>
/// One server's state for <c>/readyz</c> and metrics: a read-only snapshot, taken without locks.
/// </summary>
/// <param name="Name">The server's configured name.</param>
/// <param name="Healthy">Whether it is given requests.</param>
/// <param name="Models">How many models it has (and is used for); null when its lists are not read (one server only).</param>
/// <param name="Loaded">How many of them are loaded; null when not read.</param>
/// <param name="InFlight">Requests it is answering now.</param>
/// <param name="Weight">Its configured weight.</param>
internal readonly record struct UpstreamStatus(string Name, bool Healthy, int? Models, int? Loaded, int InFlight, double Weight);
