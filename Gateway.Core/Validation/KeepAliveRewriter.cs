using System.Text.Json;

namespace OllamaGateway.Validation;

/// <summary>Rewrites an inference request's <c>keep_alive</c> within <see cref="RequestCaps.MaxKeepAlive"/>.</summary>
internal static class KeepAliveRewriter
{
    // keep_alive as Ollama's api.Duration reads it: a number of seconds or a Go duration string; negative means
    // for ever (security reference §1.1). Negative or longer than the cap becomes the cap, written as a whole
    // number of seconds, the plainest form both Ollama and a log reader understand. 0 ("0", 0, "0s") stays: it
    // unloads the model after the request, which is legitimate, though it also unloads it for other keys using it.
    public static GuardError? Write(ref Utf8JsonReader reader, Utf8JsonWriter writer, RequestCaps caps)
    {
        const string path = "keep_alive";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                // A null *Duration is absent: Ollama uses OLLAMA_KEEP_ALIVE, which the operator set.
                writer.WriteNullValue();
                return null;
            case JsonTokenType.Number:
                var error = JsonCopier.ReadFinite(ref reader, path, out var seconds);
                if (error is not null)
                {
                    return error;
                }

                if (seconds < 0 || seconds > caps.MaxKeepAlive.TotalSeconds)
                {
                    WriteCap(writer, caps);
                }
                else
                {
                    JsonCopier.WriteNumber(writer, ref reader);
                }

                return null;
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (!GoDuration.TryParse(text, out var nanoseconds))
                {
                    return GuardErrors.InvalidValue(path, "expected a duration such as \"5m\" or \"1h30m\", or a number of seconds.");
                }

                if (nanoseconds < 0 || nanoseconds / TimeSpan.NanosecondsPerTick > caps.MaxKeepAlive.Ticks)
                {
                    WriteCap(writer, caps);
                }
                else
                {
                    writer.WriteStringValue(text);
                }

                return null;
            default:
                return GuardErrors.InvalidType(path, "a duration string or a number of seconds");
        }
    }

    private static void WriteCap(Utf8JsonWriter writer, RequestCaps caps)
    {
        var ticks = caps.MaxKeepAlive.Ticks;
        if (ticks % TimeSpan.TicksPerSecond == 0)
        {
            writer.WriteNumberValue(ticks / TimeSpan.TicksPerSecond);
        }
        else
        {
            writer.WriteNumberValue(caps.MaxKeepAlive.TotalSeconds);
        }
    }

}
