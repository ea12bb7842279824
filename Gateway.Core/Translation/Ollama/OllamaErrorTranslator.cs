using System.Text;
using System.Text.Json;

namespace OllamaGateway.Translation.Ollama;

/// <summary>Reads the message out of an Ollama error body, to be wrapped in an OpenAI error object.</summary>
internal static class OllamaErrorTranslator
{
    /// <summary>Longest message returned, in UTF-8 bytes for raw text and in characters for JSON messages.</summary>
    public const int MaxMessageLength = 1024;

    private const string EmptyBodyMessage = "The upstream server returned an error without a message.";

    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    /// <summary>
    /// Returns the message of <c>{"error":"msg"}</c>; for anything else (Ollama's plain-text <c>404 page not found</c>,
    /// a proxy's HTML page) the body itself, trimmed. Either is capped at <see cref="MaxMessageLength"/> so an
    /// upstream cannot make the gateway echo megabytes.
    /// </summary>
    public static string ReadMessage(ReadOnlySpan<byte> ollamaErrorBody)
    {
        ReadOnlySpan<byte> body = ollamaErrorBody.Trim(Whitespace);
        if (body.IsEmpty)
        {
            return EmptyBodyMessage;
        }

        if (body[0] == (byte)'{' && TryReadErrorString(body) is { } message)
        {
            return string.IsNullOrWhiteSpace(message) ? EmptyBodyMessage : Cap(message.Trim());
        }

        return DecodeCapped(body);
    }

    private static string? TryReadErrorString(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError && reader.TokenType == JsonTokenType.String)
                {
                    message = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            // Only a complete, valid object counts; otherwise the raw text is the better message.
            return reader.Read() ? null : message;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null; // Invalid UTF-8 or an escaped lone surrogate in the string.
        }
    }

    private static string Cap(string message)
    {
        if (message.Length <= MaxMessageLength)
        {
            return message;
        }

        int length = char.IsHighSurrogate(message[MaxMessageLength - 1]) ? MaxMessageLength - 1 : MaxMessageLength;
        return string.Concat(message.AsSpan(0, length), "...");
    }

    private static string DecodeCapped(ReadOnlySpan<byte> body)
    {
        if (body.Length <= MaxMessageLength)
        {
            return Encoding.UTF8.GetString(body);
        }

        // Back up to the start of a UTF-8 sequence so the cut does not leave half a character.
        int length = MaxMessageLength;
        while (length > 0 && (body[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return string.Concat(Encoding.UTF8.GetString(body[..length]), "...");
    }
}
