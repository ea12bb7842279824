using System.Text.Json;
using OllamaGateway.Emulator.Json;

namespace OllamaGateway.Emulator.Requests;

/// <summary>Fields shared by chat and generate requests: <c>think</c>, <c>format</c>, <c>images</c>.</summary>
internal static class CommonFields
{
    private static readonly string[] ThinkLevels = ["high", "medium", "low", "max"];

    /// <summary>Ollama's <c>ThinkValue</c>: a bool or a level string.</summary>
    public static bool? ReadThink(JsonElement request)
    {
        var value = GoJson.Field(request, "think");
        switch (value?.ValueKind)
        {
            case null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                var level = value.Value.GetString()!;
                if (!ThinkLevels.Contains(level, StringComparer.Ordinal))
                {
                    throw new EmulatorRequestException(400,
                        $"invalid think value: \"{level}\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)");
                }

                return true;
            default:
                throw new EmulatorRequestException(400, "think must be a boolean or string");
        }
    }

    /// <summary>Reads <c>format</c>; an invalid value is an error reported when generation starts.</summary>
    public static (FormatKind Kind, JsonElement? Schema, string? Error) ReadFormat(JsonElement request)
    {
        var value = GoJson.Field(request, "format");
        if (value is null)
        {
            return (FormatKind.None, null, null);
        }

        var element = value.Value;
        return element.ValueKind switch
        {
            JsonValueKind.String when element.GetString() == "" => (FormatKind.None, null, null),
            JsonValueKind.String when element.GetString() == "json" => (FormatKind.Json, null, null),
            JsonValueKind.Object => (FormatKind.Schema, element.Clone(), null),
            _ => (FormatKind.None, null,
                $"invalid format: {Quote(element.GetRawText())}; expected \"json\" or a valid JSON Schema object"),
        };
    }

    /// <summary>
    /// Checks an <c>images</c> array like Go's base64 decoding of <c>[]ImageData</c>: bare standard base64 only,
    /// so a <c>data:</c> URI fails with <c>illegal base64 data at input byte N</c>.
    /// </summary>
    public static bool ReadImages(JsonElement owner, string structName, string path)
    {
        var images = GoJson.Array(owner, "images", structName, path, "[]api.ImageData");
        if (images is null)
        {
            return false;
        }

        foreach (var image in images.Value.EnumerateArray())
        {
            if (image.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (image.ValueKind != JsonValueKind.String)
            {
                throw GoJson.TypeError(image, structName, path, "api.ImageData");
            }

            var text = image.GetString()!;
            if (!Convert.TryFromBase64String(text, new byte[text.Length], out _))
            {
                throw new EmulatorRequestException(400, $"illegal base64 data at input byte {FirstIllegalByte(text)}");
            }
        }

        return images.Value.GetArrayLength() > 0;
    }

    private static int FirstIllegalByte(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\r' or '\n'))
            {
                return i;
            }
        }

        return Math.Max(0, text.TrimEnd('=').Length / 4 * 4);
    }

    private static string Quote(string raw) =>
        "\"" + raw.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
