using System.Text.Json;
using OllamaGateway.Json;

namespace OllamaGateway.Validation;

/// <summary>
/// Rewrites an inference request's <c>options</c>: <c>num_predict</c> and <c>num_ctx</c> clamped to the caps (an
/// absent or unbounded <c>num_predict</c> becomes the cap), wrongly typed known options refused with a 400 where
/// Ollama would answer 500, everything else copied (security reference §0 item 6, §1.5; wire reference §1.9).
/// </summary>
internal static class OptionsRewriter
{
    public static GuardError? Write(ref Utf8JsonReader reader, JsonCopier copier, RequestCaps caps, out bool seen)
    {
        seen = true;
        if (reader.TokenType == JsonTokenType.Null)
        {
            // Go leaves a null map empty, which again means unbounded generation: write the cap instead.
            copier.Writer.WriteStartObject();
            copier.Writer.WriteNumber("num_predict", caps.MaxNumPredict);
            copier.Writer.WriteEndObject();
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return GuardErrors.InvalidType("options", "an object");
        }

        // No depth check here: options sits at the body's top level, and the copier checks the depth of every
        // object or array inside it.
        var keys = new JsonKeyTracker(OllamaFields.Options);
        var numPredictSeen = false;
        copier.Writer.WriteStartObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            var path = "options." + key;
            var error = GuardErrors.ForKey(keys.Add(key), path);
            if (error is not null)
            {
                return error;
            }

            reader.Read();
            copier.Writer.WritePropertyName(key);
            if (key == "num_predict")
            {
                numPredictSeen = true;
                error = WriteNumPredict(ref reader, copier.Writer, caps, path);
            }
            else if (key == "num_ctx")
            {
                error = WriteNumCtx(ref reader, copier.Writer, caps, path);
            }
            else
            {
                error = CheckOptionType(ref reader, key, path) ?? copier.CopyValue(ref reader, path);
            }

            if (error is not null)
            {
                return error;
            }
        }

        if (!numPredictSeen)
        {
            copier.Writer.WriteNumber("num_predict", caps.MaxNumPredict);
        }

        copier.Writer.WriteEndObject();
        return null;
    }

    // Ollama's Options.FromMap answers a wrongly typed known option with HTTP 500 (wire reference §1.9); a 400
    // here tells the client it was their mistake. null is skipped by FromMap, so it is allowed.
    private static GuardError? CheckOptionType(ref Utf8JsonReader reader, string key, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !OllamaFields.OptionKinds.TryGetValue(key, out var kind))
        {
            return null;
        }

        switch (kind)
        {
            case OptionKind.Number when reader.TokenType == JsonTokenType.Number:
                return JsonCopier.ReadFinite(ref reader, path, out _);
            case OptionKind.Boolean when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                return null;
            case OptionKind.StringArray when reader.TokenType == JsonTokenType.StartArray:
                var copy = reader;
                while (copy.Read() && copy.TokenType != JsonTokenType.EndArray)
                {
                    if (copy.TokenType != JsonTokenType.String)
                    {
                        return GuardErrors.InvalidType(path, "an array of strings");
                    }
                }

                return null;
            default:
                return GuardErrors.InvalidType(path, kind switch
                {
                    OptionKind.Number => "a number",
                    OptionKind.Boolean => "a boolean",
                    _ => "an array of strings",
                });
        }
    }

    // num_predict: absent, null, -1 (infinite), -2 (fill the context), anything that Go truncates to 0 or less
    // (the runner only enforces a limit above 0 [analysis]) and anything above the cap all become the cap.
    private static GuardError? WriteNumPredict(ref Utf8JsonReader reader, Utf8JsonWriter writer, RequestCaps caps, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            writer.WriteNumberValue(caps.MaxNumPredict);
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            return GuardErrors.InvalidType(path, "a number");
        }

        var error = JsonCopier.ReadFinite(ref reader, path, out var value);
        if (error is not null)
        {
            return error;
        }

        var truncated = Math.Truncate(value);
        if (truncated <= 0 || truncated > caps.MaxNumPredict)
        {
            writer.WriteNumberValue(caps.MaxNumPredict);
        }
        else
        {
            JsonCopier.WriteNumber(writer, ref reader);
        }

        return null;
    }

    // num_ctx: above the cap becomes the cap; absent, null and smaller values are Ollama's business.
    private static GuardError? WriteNumCtx(ref Utf8JsonReader reader, Utf8JsonWriter writer, RequestCaps caps, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            writer.WriteNullValue();
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            return GuardErrors.InvalidType(path, "a number");
        }

        var error = JsonCopier.ReadFinite(ref reader, path, out var value);
        if (error is not null)
        {
            return error;
        }

        if (value > caps.MaxNumCtx)
        {
            writer.WriteNumberValue(caps.MaxNumCtx);
        }
        else
        {
            JsonCopier.WriteNumber(writer, ref reader);
        }

        return null;
    }

}
