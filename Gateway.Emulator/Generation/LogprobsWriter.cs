using System.Text;
using System.Text.Json;

namespace OllamaGateway.Emulator.Generation;

/// <summary>
/// Writes Ollama's top-level <c>logprobs</c> array (since v0.12.11) for reply pieces, one entry per piece since each
/// piece is one token: <c>[{token, logprob, bytes, top_logprobs:[{token, logprob, bytes}]}]</c>, with Go's
/// <c>omitempty</c> (no <c>bytes</c> for an empty token, no <c>top_logprobs</c> when none were asked for). The values
/// are made up but deterministic from the token text, so tests can compare a stream with its non-streamed twin.
/// </summary>
internal static class LogprobsWriter
{
    /// <summary>Writes <c>"logprobs":[...]</c> for <paramref name="pieces"/>; nothing when there are none (omitempty).</summary>
    /// <param name="writer">The writer, inside the line's object.</param>
    /// <param name="pieces">The pieces (tokens) this line carries.</param>
    /// <param name="topLogprobs">How many alternatives per token (0–20).</param>
    public static void Write(Utf8JsonWriter writer, IEnumerable<ReplyPiece> pieces, int topLogprobs)
    {
        var tokens = pieces.Select(TokenOf).ToList();
        if (tokens.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("logprobs");
        foreach (var token in tokens)
        {
            var logprob = LogprobOf(token);
            writer.WriteStartObject();
            WriteToken(writer, token, logprob);
            if (topLogprobs > 0)
            {
                // The sampled token is the most likely one here, followed by ever less likely variants.
                writer.WriteStartArray("top_logprobs");
                for (var k = 0; k < topLogprobs; k++)
                {
                    writer.WriteStartObject();
                    WriteToken(writer, k == 0 ? token : $"{token}~{k}", logprob - k);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The text the model generated for a piece: its content, its thinking, or the called function's name.</summary>
    private static string TokenOf(ReplyPiece piece) =>
        piece.Content.Length > 0 ? piece.Content : piece.Thinking ?? piece.ToolCall?.Name ?? "";

    /// <summary>A stable value in (-2, 0], from the token's characters (not <c>GetHashCode</c>, which varies per run).</summary>
    private static double LogprobOf(string token) => -(token.Sum(c => (int)c) % 32) / 16.0;

    private static void WriteToken(Utf8JsonWriter writer, string token, double logprob)
    {
        writer.WriteString("token", token);
        writer.WriteNumber("logprob", logprob);
        var bytes = Encoding.UTF8.GetBytes(token);
        if (bytes.Length > 0)
        {
            writer.WriteStartArray("bytes");
            foreach (var b in bytes)
            {
                writer.WriteNumberValue(b);
            }

            writer.WriteEndArray();
        }
    }
}
