namespace OllamaGateway.Emulator.Requests;

/// <summary>
/// The request-time <c>options</c> the emulator acts on. <see cref="Error"/> holds a typed-option error,
/// which Ollama reports with status 500 only after it has found the model.
/// </summary>
internal sealed record SamplingOptions(long? NumPredict, IReadOnlyList<string> Stop, string? Error)
{
    public static SamplingOptions None { get; } = new(null, [], null);
}
