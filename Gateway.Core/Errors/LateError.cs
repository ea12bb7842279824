namespace OllamaGateway.Errors;

/// <summary>
/// Catches an error answer that comes after the response has begun, when the exchange opened a stream before Ollama
/// answered (<see cref="Translation.IRouteTranslator.StreamKeepAlive"/>). Set as a request feature for that time:
/// <see cref="ErrorResponder"/> then notes the status and message here instead of trying to write them, and the exchange
/// turns them into the API's in-stream error event.
/// </summary>
internal sealed class LateError
{
    /// <summary>The status the error would have had; 0 until one came.</summary>
    public int Status { get; private set; }

    /// <summary>The error's message, or null until one came.</summary>
    public string? Message { get; private set; }

    /// <summary>Keeps the first error: later ones are consequences of it.</summary>
    public void Capture(int status, string message)
    {
        if (Message is null)
        {
            (Status, Message) = (status, message);
        }
    }
}
