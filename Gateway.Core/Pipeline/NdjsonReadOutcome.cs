namespace OllamaGateway.Pipeline;

/// <summary>What one <see cref="NdjsonLineReader.ReadAsync"/> call ended with.</summary>
internal enum NdjsonReadOutcome
{
    /// <summary>All complete lines were handled; more may come.</summary>
    More,

    /// <summary>The line handler said the stream is finished.</summary>
    Finished,

    /// <summary>Ollama closed the stream.</summary>
    EndOfStream,

    /// <summary>A line grew past the cap without ending.</summary>
    LineTooLong,
}
