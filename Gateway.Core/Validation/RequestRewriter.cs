using OllamaGateway.Json;
using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace OllamaGateway.Validation;

/// <summary>
/// One pass over a request body: every token is read with <see cref="Utf8JsonReader"/>, checked, and written again
/// with <see cref="Utf8JsonWriter"/>, so what Ollama receives is the gateway's own serialisation of what the gateway
/// checked (security reference §2.7: "send the re-serialized DTO upstream, not the original bytes"). Numbers are
/// copied as their raw text (no float rounding of big integers); strings are unescaped and escaped again.
/// One instance per body; <see cref="OllamaRequestGuard"/> owns it.
/// </summary>
internal sealed class RequestRewriter
{
    /// <summary>Deepest nesting accepted: System.Text.Json's own default, ample for tool schemas.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Most images per request, counted over generate's <c>images</c> and every chat message's <c>images</c>
    /// together (security reference §1.5: cap the number of images). Each image is decoded and encoded by the
    /// projector, so the count, not just the body size, drives GPU time.
    /// </summary>
    public const int MaxImages = 16;

    private readonly OllamaEndpoint _endpoint;
    private readonly RequestCaps _caps;
    private readonly Utf8JsonWriter _writer;
    private int _images;

    /// <summary>Creates a rewriter writing into <paramref name="writer"/>.</summary>
    public RequestRewriter(OllamaEndpoint endpoint, RequestCaps caps, Utf8JsonWriter writer)
    {
        _endpoint = endpoint;
        _caps = caps;
        _writer = writer;
    }

    /// <summary>The <c>model</c> string, if given.</summary>
    public string? Model { get; private set; }

    /// <summary>The deprecated <c>name</c> string, if given on an endpoint that has it.</summary>
    public string? Name { get; private set; }

    /// <summary>Copy's <c>source</c>.</summary>
    public string? Source { get; private set; }

    /// <summary>Copy's <c>destination</c>.</summary>
    public string? Destination { get; private set; }

    /// <summary>Create's <c>from</c>, if a non-empty string.</summary>
    public string? From { get; private set; }

    /// <summary>Whether pull/push asked for <c>insecure: true</c>.</summary>
    public bool Insecure { get; private set; }

    /// <summary>
    /// Reads the whole body from <paramref name="reader"/> and writes the rewritten object. May throw
    /// <see cref="JsonException"/> (bad syntax, trailing data) or <see cref="InvalidOperationException"/> (an
    /// escaped lone surrogate); the caller maps both to 400.
    /// </summary>
    public GuardError? Rewrite(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return GuardErrors.NotAnObject();
        }

        var error = WriteTopLevel(ref reader);
        if (error is not null)
        {
            return error;
        }

        // Anything but whitespace after the object makes Read throw; a clean end returns false.
        return reader.Read() ? GuardErrors.InvalidJson() : null;
    }

    private GuardError? WriteTopLevel(ref Utf8JsonReader reader)
    {
        var inference = OllamaFields.IsInference(_endpoint);
        var keys = new JsonKeyTracker(OllamaFields.TopLevel(_endpoint));
        var optionsSeen = false;
        _writer.WriteStartObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            var error = RefuseTopLevelKey(key, _endpoint) ?? GuardErrors.ForKey(keys.Add(key), key);
            if (error is not null)
            {
                return error;
            }

            reader.Read();
            _writer.WritePropertyName(key);
            error = key switch
            {
                "model" when _endpoint != OllamaEndpoint.Copy => ReadModelName(ref reader, key, name => Model = name),
                "name" when OllamaFields.HasNameAlias(_endpoint) => ReadModelName(ref reader, key, name => Name = name),
                "source" when _endpoint == OllamaEndpoint.Copy => ReadModelName(ref reader, key, name => Source = name),
                "destination" when _endpoint == OllamaEndpoint.Copy => ReadModelName(ref reader, key, name => Destination = name),
                "from" when _endpoint == OllamaEndpoint.Create => ReadFrom(ref reader),
                "insecure" when _endpoint is OllamaEndpoint.Pull or OllamaEndpoint.Push => ReadInsecure(ref reader),
                "options" when inference => WriteOptions(ref reader, out optionsSeen),
                "keep_alive" when inference => WriteKeepAlive(ref reader),
                "messages" when _endpoint == OllamaEndpoint.Chat => WriteMessages(ref reader),
                "images" when _endpoint == OllamaEndpoint.Generate => WriteImages(ref reader, key),
                _ => CopyValue(ref reader, key),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (inference && !optionsSeen)
        {
            // No options means Ollama's num_predict default of -1, unbounded generation (wire reference §1.9).
            _writer.WriteStartObject("options");
            _writer.WriteNumber("num_predict", _caps.MaxNumPredict);
            _writer.WriteEndObject();
        }

        _writer.WriteEndObject();
        return null;
    }

    // Compared by Go fold, so "REMOTE_HOST" and "remote_hoſt" are refused too: Go would fill remote_host from them.
    private static GuardError? RefuseTopLevelKey(string key, OllamaEndpoint endpoint)
    {
        if (OllamaFields.Connection.MatchesIgnoringCase(key))
        {
            return GuardErrors.ConnectionField(key);
        }

        if (endpoint == OllamaEndpoint.Create && OllamaFields.CreateRefused.MatchesIgnoringCase(key))
        {
            return GuardErrors.RefusedField(key, "the deprecated 'path' and 'modelfile' fields let a client read server files or name any registry; use 'from' or 'files'.");
        }

        return null;
    }

    private GuardError? ReadModelName(ref Utf8JsonReader reader, string path, Action<string> store)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return GuardErrors.InvalidType(path, "a non-empty string");
        }

        var name = reader.GetString()!;
        if (name.Length == 0)
        {
            return GuardErrors.Missing(path);
        }

        // Ollama's ParseModelPath replaces the OS path separator with '/', so on Windows "evil.com\ns\m" names a
        // registry host that ModelName (and a policy glob) would not see. No valid model name holds a backslash.
        if (name.Contains('\\'))
        {
            return GuardErrors.InvalidValue(path, "a model name may not contain a backslash.");
        }

        store(name);
        _writer.WriteStringValue(name);
        return null;
    }

    private GuardError? ReadFrom(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            _writer.WriteNullValue();
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.IsEmpty)
        {
            // Ollama treats "" as absent (r.From != "").
            _writer.WriteStringValue(string.Empty);
            return null;
        }

        return ReadModelName(ref reader, "from", name => From = name);
    }

    private GuardError? ReadInsecure(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                Insecure = true;
                _writer.WriteBooleanValue(true);
                return null;
            case JsonTokenType.False:
                _writer.WriteBooleanValue(false);
                return null;
            case JsonTokenType.Null:
                _writer.WriteNullValue();
                return null;
            default:
                return GuardErrors.InvalidType("insecure", "a boolean");
        }
    }

    private GuardError? WriteOptions(ref Utf8JsonReader reader, out bool seen)
    {
        seen = true;
        if (reader.TokenType == JsonTokenType.Null)
        {
            // Go leaves a null map empty, which again means unbounded generation: write the cap instead.
            _writer.WriteStartObject();
            _writer.WriteNumber("num_predict", _caps.MaxNumPredict);
            _writer.WriteEndObject();
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return GuardErrors.InvalidType("options", "an object");
        }

        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        var keys = new JsonKeyTracker(OllamaFields.Options);
        var numPredictSeen = false;
        _writer.WriteStartObject();
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
            _writer.WritePropertyName(key);
            if (key == "num_predict")
            {
                numPredictSeen = true;
                error = WriteNumPredict(ref reader, path);
            }
            else if (key == "num_ctx")
            {
                error = WriteNumCtx(ref reader, path);
            }
            else
            {
                error = CheckOptionType(ref reader, key, path) ?? CopyValue(ref reader, path);
            }

            if (error is not null)
            {
                return error;
            }
        }

        if (!numPredictSeen)
        {
            _writer.WriteNumber("num_predict", _caps.MaxNumPredict);
        }

        _writer.WriteEndObject();
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
                return ReadFinite(ref reader, path, out _);
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
    private GuardError? WriteNumPredict(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            _writer.WriteNumberValue(_caps.MaxNumPredict);
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            return GuardErrors.InvalidType(path, "a number");
        }

        var error = ReadFinite(ref reader, path, out var value);
        if (error is not null)
        {
            return error;
        }

        var truncated = Math.Truncate(value);
        if (truncated <= 0 || truncated > _caps.MaxNumPredict)
        {
            _writer.WriteNumberValue(_caps.MaxNumPredict);
        }
        else
        {
            _writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
        }

        return null;
    }

    // num_ctx: above the cap becomes the cap; absent, null and smaller values are Ollama's business.
    private GuardError? WriteNumCtx(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            _writer.WriteNullValue();
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            return GuardErrors.InvalidType(path, "a number");
        }

        var error = ReadFinite(ref reader, path, out var value);
        if (error is not null)
        {
            return error;
        }

        if (value > _caps.MaxNumCtx)
        {
            _writer.WriteNumberValue(_caps.MaxNumCtx);
        }
        else
        {
            _writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
        }

        return null;
    }

    // keep_alive as Ollama's api.Duration reads it: a number of seconds or a Go duration string; negative means
    // for ever (security reference §1.1). Negative or longer than the cap becomes the cap, written as a whole
    // number of seconds, the plainest form both Ollama and a log reader understand. 0 ("0", 0, "0s") stays: it
    // unloads the model after the request, which is legitimate, though it also unloads it for other keys using it.
    private GuardError? WriteKeepAlive(ref Utf8JsonReader reader)
    {
        const string path = "keep_alive";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                // A null *Duration is absent: Ollama uses OLLAMA_KEEP_ALIVE, which the operator set.
                _writer.WriteNullValue();
                return null;
            case JsonTokenType.Number:
                var error = ReadFinite(ref reader, path, out var seconds);
                if (error is not null)
                {
                    return error;
                }

                if (seconds < 0 || seconds > _caps.MaxKeepAlive.TotalSeconds)
                {
                    WriteKeepAliveCap();
                }
                else
                {
                    _writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                }

                return null;
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (!GoDuration.TryParse(text, out var nanoseconds))
                {
                    return GuardErrors.InvalidValue(path, "expected a duration such as \"5m\" or \"1h30m\", or a number of seconds.");
                }

                if (nanoseconds < 0 || nanoseconds / TimeSpan.NanosecondsPerTick > _caps.MaxKeepAlive.Ticks)
                {
                    WriteKeepAliveCap();
                }
                else
                {
                    _writer.WriteStringValue(text);
                }

                return null;
            default:
                return GuardErrors.InvalidType(path, "a duration string or a number of seconds");
        }
    }

    private void WriteKeepAliveCap()
    {
        var ticks = _caps.MaxKeepAlive.Ticks;
        if (ticks % TimeSpan.TicksPerSecond == 0)
        {
            _writer.WriteNumberValue(ticks / TimeSpan.TicksPerSecond);
        }
        else
        {
            _writer.WriteNumberValue(_caps.MaxKeepAlive.TotalSeconds);
        }
    }

    private GuardError? WriteMessages(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // null and wrong types: Ollama decides (null is "load the model"; others are its 400).
            return CopyValue(ref reader, "messages");
        }

        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        _writer.WriteStartArray();
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            var path = $"messages[{i}]";
            var error = reader.TokenType == JsonTokenType.StartObject
                ? WriteMessage(ref reader, path)
                : CopyValue(ref reader, path);
            if (error is not null)
            {
                return error;
            }
        }

        _writer.WriteEndArray();
        return null;
    }

    private GuardError? WriteMessage(ref Utf8JsonReader reader, string path)
    {
        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        var keys = new JsonKeyTracker(OllamaFields.Message);
        _writer.WriteStartObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            var keyPath = path + "." + key;
            var error = GuardErrors.ForKey(keys.Add(key), keyPath);
            if (error is not null)
            {
                return error;
            }

            reader.Read();
            _writer.WritePropertyName(key);
            error = key == "images" ? WriteImages(ref reader, keyPath) : CopyValue(ref reader, keyPath);
            if (error is not null)
            {
                return error;
            }
        }

        _writer.WriteEndObject();
        return null;
    }

    private GuardError? WriteImages(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            _writer.WriteNullValue();
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return GuardErrors.InvalidType(path, "an array of base64 strings");
        }

        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        _writer.WriteStartArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return GuardErrors.InvalidType(path, "an array of base64 strings");
            }

            if (++_images > MaxImages)
            {
                return GuardErrors.TooManyImages(MaxImages);
            }

            WriteString(ref reader);
        }

        _writer.WriteEndArray();
        return null;
    }

    // Any other value: copied token by token, with duplicate keys refused and depth limited at every level.
    private GuardError? CopyValue(ref Utf8JsonReader reader, string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return CopyObject(ref reader, path);
            case JsonTokenType.StartArray:
                return CopyArray(ref reader, path);
            case JsonTokenType.String:
                WriteString(ref reader);
                return null;
            case JsonTokenType.Number:
                _writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                return null;
            case JsonTokenType.True:
            case JsonTokenType.False:
                _writer.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
                return null;
            case JsonTokenType.Null:
                _writer.WriteNullValue();
                return null;
            default:
                throw new UnreachableException($"Unexpected token {reader.TokenType} at {path}.");
        }
    }

    private GuardError? CopyObject(ref Utf8JsonReader reader, string path)
    {
        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        var keys = new JsonKeyTracker(null);
        _writer.WriteStartObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            var keyPath = path + "." + key;
            var error = GuardErrors.ForKey(keys.Add(key), keyPath);
            if (error is not null)
            {
                return error;
            }

            reader.Read();
            _writer.WritePropertyName(key);
            error = CopyValue(ref reader, keyPath);
            if (error is not null)
            {
                return error;
            }
        }

        _writer.WriteEndObject();
        return null;
    }

    private GuardError? CopyArray(ref Utf8JsonReader reader, string path)
    {
        var depthError = CheckDepth(ref reader);
        if (depthError is not null)
        {
            return depthError;
        }

        _writer.WriteStartArray();
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            // Paths are only built for containers; a long array of numbers costs no strings.
            var error = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                ? CopyValue(ref reader, $"{path}[{i}]")
                : CopyValue(ref reader, path);
            if (error is not null)
            {
                return error;
            }
        }

        _writer.WriteEndArray();
        return null;
    }

    // Called on a StartObject/StartArray token: CurrentDepth counts the containers around it.
    private static GuardError? CheckDepth(ref Utf8JsonReader reader) =>
        reader.CurrentDepth + 1 > MaxDepth ? GuardErrors.TooDeep(MaxDepth) : null;

    // Go reads JSON numbers into float64 and fails on ones it cannot hold (1e400); so does the guard.
    private static GuardError? ReadFinite(ref Utf8JsonReader reader, string path, out double value)
    {
        if (!reader.TryGetDouble(out value) || !double.IsFinite(value))
        {
            return GuardErrors.InvalidValue(path, "the number is out of range.");
        }

        return null;
    }

    private void WriteString(ref Utf8JsonReader reader)
    {
        Debug.Assert(reader.TokenType == JsonTokenType.String, "Only called on strings.");
        if (!reader.ValueIsEscaped)
        {
            // Already validated UTF-8 without escapes: the writer escapes only what JSON requires.
            _writer.WriteStringValue(reader.ValueSpan);
            return;
        }

        // Unescaped text is never longer than its escaped form.
        var buffer = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(buffer);
            _writer.WriteStringValue(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
