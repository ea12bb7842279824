using OllamaGateway.Json;
using System.Text.Json;

namespace OllamaGateway.Validation;

/// <summary>
/// One pass over a request body: every token is read with <see cref="Utf8JsonReader"/>, checked, and written again
/// with <see cref="Utf8JsonWriter"/>, so what Ollama receives is the gateway's own serialisation of what the gateway
/// checked (security reference §2.7: "send the re-serialized DTO upstream, not the original bytes"). This class walks
/// the top level and reads the model names policy needs; <see cref="OptionsRewriter"/> (caps),
/// <see cref="KeepAliveRewriter"/>, <see cref="MessagesRewriter"/> (messages and images) and <see cref="JsonCopier"/>
/// (everything else) write the values. One instance per body; <see cref="OllamaRequestGuard"/> owns it.
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
    private readonly JsonCopier _copier;
    private readonly MessagesRewriter _messages;

    /// <summary>Creates a rewriter writing into <paramref name="writer"/>.</summary>
    public RequestRewriter(OllamaEndpoint endpoint, RequestCaps caps, Utf8JsonWriter writer)
    {
        _endpoint = endpoint;
        _caps = caps;
        _writer = writer;
        _copier = new JsonCopier(writer);
        _messages = new MessagesRewriter(_copier);
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
                "options" when inference => OptionsRewriter.Write(ref reader, _copier, _caps, out optionsSeen),
                "keep_alive" when inference => KeepAliveRewriter.Write(ref reader, _writer, _caps),
                "messages" when _endpoint == OllamaEndpoint.Chat => _messages.WriteMessages(ref reader),
                "images" when _endpoint == OllamaEndpoint.Generate => _messages.WriteImages(ref reader, key),
                _ => _copier.CopyValue(ref reader, key),
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

}
