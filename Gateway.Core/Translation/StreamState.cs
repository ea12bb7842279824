namespace OllamaGateway.Translation;

/// <summary>Where an <see cref="IStreamTranslator"/> is in its stream.</summary>
internal enum StreamState
{
    /// <summary>Lines are still expected.</summary>
    Open = 0,

    /// <summary>The <c>done:true</c> line was handled: finish (and usage) chunks written; <c>[DONE]</c> may follow.</summary>
    Completed,

    /// <summary>An error event was written; the stream ends without <c>[DONE]</c>.</summary>
    Failed,
}
