namespace OllamaGateway.Pipeline;

/// <summary>What <see cref="RequestFraming.Check"/> found.</summary>
internal enum FramingResult
{
    /// <summary>The request may go on.</summary>
    Ok,

    /// <summary>The body is larger than the route allows: 413.</summary>
    TooLarge,

    /// <summary>Both Content-Length and Transfer-Encoding: 400, connection closed.</summary>
    Ambiguous,
}
