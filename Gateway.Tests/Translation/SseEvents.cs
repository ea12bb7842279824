using System.Text;
using System.Text.Json;

namespace OllamaGateway.Tests.Translation;

/// <summary>Splits SSE output into its <c>data:</c> payloads, asserting the framing on the way.</summary>
internal static class SseEvents
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The payload of every <c>data: ...\n\n</c> event, in order. Fails on any other framing.</summary>
    public static List<string> Payloads(ReadOnlySpan<byte> output)
    {
        string text = StrictUtf8.GetString(output);
        var payloads = new List<string>();
        int position = 0;
        while (position < text.Length)
        {
            int end = text.IndexOf("\n\n", position, StringComparison.Ordinal);
            Assert.True(end >= 0, $"Unterminated SSE event: {text[position..]}");
            string frame = text[position..end];
            Assert.StartsWith("data: ", frame, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', frame);
            payloads.Add(frame["data: ".Length..]);
            position = end + 2;
        }

        return payloads;
    }

    /// <summary>Every payload parsed as JSON; fails if any payload (including [DONE]) is not JSON.</summary>
    public static List<JsonElement> Json(ReadOnlySpan<byte> output) =>
        Payloads(output).Select(p => JsonDocument.Parse(p).RootElement.Clone()).ToList();
}
