using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OllamaGateway.Emulator.Json;

/// <summary>
/// Reads request bodies with the leniencies and the error texts of Go's <c>encoding/json</c>, which
/// Ollama uses through gin's <c>ShouldBindJSON</c>: unknown fields ignored, field names matched
/// case-insensitively, <c>null</c> treated as absent, type mismatches reported as
/// <c>json: cannot unmarshal X into Go struct field S.path of type T</c> with status 400.
/// </summary>
internal static class GoJson
{
    public static JsonDocument ParseBody(byte[] body, string goTypeName)
    {
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            // gin returns io.EOF for an empty body and Ollama turns it into this text.
            throw new EmulatorRequestException(400, "missing request body");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new EmulatorRequestException(400, SyntaxMessage(body, ex));
        }

        var root = document.RootElement;
        if (root.ValueKind is not JsonValueKind.Object and not JsonValueKind.Null)
        {
            document.Dispose();
            throw new EmulatorRequestException(400, $"json: cannot unmarshal {Kind(root)} into Go value of type api.{goTypeName}");
        }

        if (root.ValueKind == JsonValueKind.Null)
        {
            document.Dispose();
            return JsonDocument.Parse("{}");
        }

        return document;
    }

    /// <summary>Finds a field the way Go does: case-insensitive name, last one wins; null counts as absent.</summary>
    public static JsonElement? Field(JsonElement obj, string name)
    {
        JsonElement? found = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
            }
        }

        return found is { ValueKind: JsonValueKind.Null } ? null : found;
    }

    public static string? String(JsonElement obj, string name, string structName, string path)
    {
        var value = Field(obj, name);
        if (value is null)
        {
            return null;
        }

        return value.Value.ValueKind == JsonValueKind.String
            ? value.Value.GetString()
            : throw TypeError(value.Value, structName, path, "string");
    }

    public static bool? Bool(JsonElement obj, string name, string structName, string path)
    {
        var value = Field(obj, name);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw TypeError(value.Value, structName, path, "bool"),
        };
    }

    public static long? Int(JsonElement obj, string name, string structName, string path)
    {
        var value = Field(obj, name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt64(out var number))
        {
            return number;
        }

        throw TypeError(value.Value, structName, path, "int");
    }

    public static JsonElement? Array(JsonElement obj, string name, string structName, string path, string goType)
    {
        var value = Field(obj, name);
        if (value is null)
        {
            return null;
        }

        return value.Value.ValueKind == JsonValueKind.Array ? value : throw TypeError(value.Value, structName, path, goType);
    }

    public static JsonElement? Object(JsonElement obj, string name, string structName, string path, string goType)
    {
        var value = Field(obj, name);
        if (value is null)
        {
            return null;
        }

        return value.Value.ValueKind == JsonValueKind.Object ? value : throw TypeError(value.Value, structName, path, goType);
    }

    public static EmulatorRequestException TypeError(JsonElement value, string structName, string path, string goType)
    {
        var kind = Kind(value);
        if (value.ValueKind == JsonValueKind.Number)
        {
            kind = "number " + value.GetRawText();
            if (goType is "string" or "bool")
            {
                kind = "number";
            }
        }

        return new EmulatorRequestException(400, $"json: cannot unmarshal {kind} into Go struct field {structName}.{path} of type {goType}");
    }

    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    private static string SyntaxMessage(byte[] body, JsonException exception)
    {
        var offset = Offset(body, exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
        if (offset >= body.Length || body.AsSpan(offset + 1).Trim(" \t\r\n"u8).IsEmpty)
        {
            return "unexpected EOF";
        }

        var b = body[offset];
        var shown = b is >= 0x20 and < 0x7f
            ? ((char)b).ToString()
            : b < 0x80 ? "\\x" + b.ToString("x2", CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(body, offset, Math.Min(4, body.Length - offset))[..1];
        return $"invalid character '{shown}' looking for beginning of value";
    }

    private static int Offset(byte[] body, long line, long bytePositionInLine)
    {
        var offset = 0;
        for (var current = 0L; current < line && offset < body.Length; offset++)
        {
            if (body[offset] == (byte)'\n')
            {
                current++;
            }
        }

        return (int)Math.Min(body.Length, offset + bytePositionInLine);
    }
}
