using System.Text.Json;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>
/// The six metrics of a final line, in nanoseconds. Like Ollama's <c>omitempty</c>, zero values are not written.
/// Durations are deterministic (1 ms load, 0.2 ms per prompt token, 1 ms per generated token) except
/// <c>total_duration</c>, which adds the real elapsed time.
/// </summary>
internal readonly record struct CompletionMetrics(
    long TotalDuration, long LoadDuration, int PromptEvalCount, long PromptEvalDuration, int EvalCount, long EvalDuration)
{
    public static CompletionMetrics Create(int promptTokens, int evalCount, TimeSpan elapsed)
    {
        const long load = 1_000_000;
        var promptDuration = promptTokens * 200_000L;
        var evalDuration = evalCount * 1_000_000L;
        return new(load + promptDuration + evalDuration + (elapsed.Ticks * 100), load, promptTokens, promptDuration, evalCount, evalDuration);
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        WriteIfNotZero(writer, "total_duration", TotalDuration);
        WriteIfNotZero(writer, "load_duration", LoadDuration);
        WriteIfNotZero(writer, "prompt_eval_count", PromptEvalCount);
        WriteIfNotZero(writer, "prompt_eval_duration", PromptEvalDuration);
        WriteIfNotZero(writer, "eval_count", EvalCount);
        WriteIfNotZero(writer, "eval_duration", EvalDuration);
    }

    private static void WriteIfNotZero(Utf8JsonWriter writer, string name, long value)
    {
        if (value != 0)
        {
            writer.WriteNumber(name, value);
        }
    }
}
