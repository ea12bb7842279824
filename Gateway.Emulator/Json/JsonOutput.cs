using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OllamaGateway.Emulator.Json;

/// <summary>
/// Writes responses with <see cref="Utf8JsonWriter"/> in Ollama's key order (no reflection).
/// Like Go's <c>c.JSON</c>, a single object has no trailing newline; NDJSON lines end in <c>\n</c>.
/// </summary>
internal static class JsonOutput
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string NdjsonContentType = "application/x-ndjson";
    public const string TextContentType = "text/plain; charset=utf-8";

    // Go leaves non-ASCII text raw and writes quotes as \"; the relaxed encoder does the same
    // (it does not escape <, > and & as Go does, which is equally valid JSON).
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteJsonAsync(HttpResponse response, int statusCode, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        response.StatusCode = statusCode;
        response.ContentType = JsonContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    public static Task WriteErrorAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken) =>
        WriteJsonAsync(response, statusCode, w => WriteErrorObject(w, message), cancellationToken);

    public static void WriteErrorObject(Utf8JsonWriter writer, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("error", message);
        writer.WriteEndObject();
    }

    public static void StartNdjson(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = NdjsonContentType;
    }

    public static async Task WriteLineAsync(HttpResponse response, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        buffer.Write("\n"u8);
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteTextAsync(HttpResponse response, int statusCode, string text, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        response.StatusCode = statusCode;
        response.ContentType = TextContentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Go's <c>time.RFC3339Nano</c>: fractional seconds without trailing zeros.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.Offset == TimeSpan.Zero
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
