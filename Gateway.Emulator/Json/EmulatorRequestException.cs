namespace OllamaGateway.Emulator.Json;

/// <summary>A request Ollama would refuse: carries the status code and the <c>error</c> text to answer with.</summary>
internal sealed class EmulatorRequestException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
