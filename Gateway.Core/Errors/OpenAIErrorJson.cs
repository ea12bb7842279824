using System.Text.Json;

namespace OllamaGateway.Errors;

/// <summary>Writes OpenAI's error object: always all four keys, as the SDKs expect.</summary>
internal static class OpenAIErrorJson
{
    private static readonly JsonEncodedText s_error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText s_message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText s_type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText s_param = JsonEncodedText.Encode("param");
    private static readonly JsonEncodedText s_code = JsonEncodedText.Encode("code");

    /// <summary>The OpenAI error type for a status, as OpenAI's own API and SDKs use them.</summary>
    public static string TypeFor(int status) => status switch
    {
        400 or 401 or 404 or 405 or 413 => "invalid_request_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "api_error",
    };

    /// <summary>Writes <c>{"error":{"message":..,"type":..,"param":..,"code":..}}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, string message, string type, string? param, string? code)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(s_error);
        writer.WriteString(s_message, message);
        writer.WriteString(s_type, type);
        WriteNullable(writer, s_param, param);
        WriteNullable(writer, s_code, code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
