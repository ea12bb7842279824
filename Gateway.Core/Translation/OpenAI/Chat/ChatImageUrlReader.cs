using OllamaGateway.Json;
using System.Buffers.Text;
using System.Text.Json;
using static OllamaGateway.Translation.OpenAI.OpenAIJsonReading;
using OllamaGateway.Translation.OpenAI;
using OllamaGateway.Errors;

namespace OllamaGateway.Translation.OpenAI.Chat;

/// <summary>
/// Reads the <c>image_url</c> of a content part and returns the bare base64 that native <c>images</c> takes
/// (reference §1.3: no <c>data:</c> prefix, or Ollama answers 400 <c>illegal base64 data</c>).
/// </summary>
/// <remarks>
/// Only <c>data:image/{png|jpeg|gif|webp};base64,</c> URIs are accepted. Remote <c>http(s)</c> URLs are refused, as
/// Ollama's own layer refuses them (reference §3.3): fetching client-chosen URLs from the gateway's network would be a
/// server-side request forgery hole. <c>image/jpg</c> is taken as jpeg because Ollama's layer accepts it too.
/// </remarks>
internal static class ChatImageUrlReader
{
    private static readonly string[] MediaTypes = ["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"];

    /// <summary>
    /// Reads the value at <paramref name="path"/>: the object <c>{"url","detail"?}</c>, or a bare URL string, which some
    /// clients send and Ollama's layer accepts. Only the structure is checked here; <see cref="ToBase64"/> checks the
    /// URL once the part's <c>type</c> is known, so a stray <c>image_url</c> on a text part is refused as a stray key.
    /// </summary>
    /// <param name="reader">On the value.</param>
    /// <param name="path">Path of the <c>image_url</c> value.</param>
    /// <param name="url">The URL; null when the value was null or had no <c>url</c>.</param>
    /// <param name="urlPath">Path of the URL, for errors: <paramref name="path"/> or <paramref name="path"/><c>.url</c>.</param>
    public static TranslationError? ReadImageUrl(ref Utf8JsonReader reader, string path, out string? url, out string urlPath)
    {
        url = null;
        urlPath = path;
        if (reader.TokenType == JsonTokenType.String)
        {
            url = reader.GetString();
            urlPath = path;
        }
        else
        {
            TranslationError? error = ExpectObject(ref reader, path, out bool present);
            if (error is not null || !present)
            {
                return error;
            }

            error = ReadImageUrlObject(ref reader, path, out url);
            if (error is not null)
            {
                return error;
            }

            urlPath = $"{path}.url";
        }

        return null;
    }

    private static TranslationError? ReadImageUrlObject(ref Utf8JsonReader reader, string path, out string? url)
    {
        url = null;
        var keys = new JsonKeyTracker(ChatRequestFields.ImageUrl);
        while (ReadProperty(ref reader, out string name))
        {
            string param = $"{path}.{name}";
            TranslationError? error = RequestErrors.ForKey(keys.Add(name), param);
            error ??= name switch
            {
                "url" => ReadString(ref reader, param, out url),
                "detail" => ReadDetail(ref reader, param),
                _ => RequestErrors.Unsupported(param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary><c>detail</c> picks OpenAI's image tiling; Ollama's projectors have no such knob, so it is checked and dropped.</summary>
    private static TranslationError? ReadDetail(ref Utf8JsonReader reader, string param)
    {
        TranslationError? error = ReadString(ref reader, param, out string? detail);
        if (error is null && detail is not null and not ("auto" or "low" or "high"))
        {
            return RequestErrors.InvalidValue(param, $"'{ClientText.Quote(detail)}' is not one of 'auto', 'low', 'high'.");
        }

        return error;
    }

    /// <summary>Checks the URL and returns its bare base64 payload.</summary>
    public static TranslationError? ToBase64(string url, string param, out string? base64)
    {
        base64 = null;
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return RequestErrors.InvalidValue(
                param, "image URLs are not supported: this gateway never fetches URLs. Send the image inline as a data URL (data:image/png;base64,...).");
        }

        const string Scheme = "data:";
        const string Base64Marker = ";base64,";
        int marker = url.IndexOf(Base64Marker, StringComparison.OrdinalIgnoreCase);
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || marker < 0)
        {
            return RequestErrors.InvalidValue(param, "the image must be a base64 data URL (data:image/png;base64,...).");
        }

        // Media types are case-insensitive (RFC 2045 §5.1); parameters such as ";charset=" are not expected on images.
        string mediaType = url[Scheme.Length..marker];
        if (!MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return RequestErrors.InvalidValue(
                param, $"the image media type '{ClientText.Quote(mediaType)}' is not supported; use image/png, image/jpeg, image/gif or image/webp.");
        }

        string data = url[(marker + Base64Marker.Length)..];
        if (!IsStrictBase64(data))
        {
            return RequestErrors.InvalidValue(param, "the image data is not valid base64.");
        }

        base64 = data;
        return null;
    }

    /// <summary>
    /// Non-empty, padded, standard-alphabet base64 with no whitespace: what Go's <c>encoding/base64</c> StdEncoding
    /// decodes for native <c>images</c>. <see cref="Base64.IsValid(ReadOnlySpan{char})"/> alone would also pass
    /// whitespace, which the gateway would then forward.
    /// </summary>
    private static bool IsStrictBase64(string data) =>
        data.Length > 0
        && data.Length % 4 == 0
        && data.AsSpan().IndexOfAny(" \t\r\n\f\v") < 0
        && Base64.IsValid(data.AsSpan());
}
