using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace OllamaGateway.Validation;

/// <summary>
/// Checks a native Ollama request body and writes the body the gateway forwards instead (issue 4 items 5–6).
/// </summary>
/// <remarks>
/// <para>What it enforces, and why:</para>
/// <list type="bullet">
/// <item>One JSON object, valid UTF-8, no trailing data, nesting at most <see cref="RequestRewriter.MaxDepth"/>.</item>
/// <item>No key twice in any object and no case variant of a known field (<see cref="OllamaGateway.Json.JsonKeyTracker"/>): Go reads
/// keys case-insensitively and keeps the last duplicate, so the gateway and Ollama must see the same fields
/// (security reference §0 item 3, §2.7).</item>
/// <item>The model (<c>model</c>, or the deprecated <c>name</c> where Ollama still takes it, never both) is a
/// non-empty string, returned for policy; copy returns <c>source</c> and <c>destination</c>.</item>
/// <item>On chat, generate, embed and embeddings, <see cref="RequestCaps"/> clamp <c>options.num_predict</c>,
/// <c>options.num_ctx</c> and <c>keep_alive</c> (security reference §0 item 6, §1.5), and wrongly typed known options
/// get a 400 instead of Ollama's 500.</item>
/// <item>Fields that choose a connection (<see cref="OllamaFields.Connection"/>) are refused everywhere; pull, push
/// and create-<c>from</c> names must point at an allowed registry, and <c>insecure</c> needs
/// <see cref="RegistryPolicy.AllowInsecure"/> (security reference §1.2, §2.4).</item>
/// <item>At most <see cref="RequestRewriter.MaxImages"/> images per request.</item>
/// </list>
/// <para>Not covered here (policy's job, on the returned names): model allowlists, <c>-cloud</c> models that run on
/// ollama.com, and the rate of distinct models per key (security reference §1.5).</para>
/// </remarks>
internal static class OllamaRequestGuard
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,

        // One more than the guard allows, so the guard sees the offending container and says why.
        MaxDepth = RequestRewriter.MaxDepth + 1,
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body goes to Ollama's JSON decoder, never into HTML, so non-ASCII text is written as UTF-8 instead of
        // \uXXXX escapes (a CJK prompt would otherwise double in size).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// Checks <paramref name="body"/> for <paramref name="endpoint"/>. Exactly one of the returned values is non-null.
    /// </summary>
    public static (GuardedRequest? Request, GuardError? Error) Check(
        OllamaEndpoint endpoint, ReadOnlySpan<byte> body, RequestCaps caps, RegistryPolicy registries)
    {
        ArgumentNullException.ThrowIfNull(caps);
        ArgumentNullException.ThrowIfNull(registries);
        ArgumentOutOfRangeException.ThrowIfLessThan(caps.MaxNumPredict, 1, nameof(caps));
        ArgumentOutOfRangeException.ThrowIfLessThan(caps.MaxNumCtx, 1, nameof(caps));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(caps.MaxKeepAlive, TimeSpan.Zero, nameof(caps));
        if (!Enum.IsDefined(endpoint))
        {
            throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null);
        }

        // Go replaces invalid UTF-8 with U+FFFD while .NET refuses it; checking first keeps the two from differing.
        if (!Utf8.IsValid(body))
        {
            return (null, GuardErrors.InvalidJson());
        }

        var buffer = new ArrayBufferWriter<byte>(body.Length + 64);
        RequestRewriter rewriter;
        GuardError? error;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            rewriter = new RequestRewriter(endpoint, caps, writer);
            var reader = new Utf8JsonReader(body, ReaderOptions);
            try
            {
                error = rewriter.Rewrite(ref reader);
            }
            catch (JsonException)
            {
                error = GuardErrors.InvalidJson();
            }
            catch (InvalidOperationException)
            {
                // GetString/CopyString on an escaped lone surrogate ("\ud800"); token types are always checked
                // before reading, so nothing else throws this.
                error = GuardErrors.InvalidJson();
            }
        }

        if (error is not null)
        {
            return (null, error);
        }

        var (model, models, namesError) = Names(endpoint, rewriter, registries);
        if (namesError is not null)
        {
            return (null, namesError);
        }

        return (new GuardedRequest(buffer.WrittenSpan.ToArray(), model, models), null);
    }

    private static (string? Model, IReadOnlyList<string> Models, GuardError? Error) Names(
        OllamaEndpoint endpoint, RequestRewriter rewriter, RegistryPolicy registries)
    {
        if (endpoint == OllamaEndpoint.Copy)
        {
            if (rewriter.Source is null)
            {
                return (null, [], GuardErrors.Missing("source"));
            }

            if (rewriter.Destination is null)
            {
                return (null, [], GuardErrors.Missing("destination"));
            }

            // No single model: a caller that checked only Model would miss one of the two.
            return (null, [rewriter.Source, rewriter.Destination], null);
        }

        if (rewriter.Model is not null && rewriter.Name is not null)
        {
            return (null, [], GuardErrors.ModelAndName());
        }

        // Stryker disable once all : both set is refused above, so which is tried first cannot matter
        var model = rewriter.Model ?? rewriter.Name;
        if (model is null)
        {
            return (null, [], GuardErrors.Missing("model"));
        }

        var field = rewriter.Model is null ? "name" : "model";
        GuardError? error = null;
        if (endpoint is OllamaEndpoint.Pull or OllamaEndpoint.Push)
        {
            error = rewriter.Insecure && !registries.AllowInsecure
                ? GuardErrors.InsecureNotAllowed("insecure")
                : RegistryName.Check(model, field, registries);
        }
        else if (endpoint == OllamaEndpoint.Create && rewriter.From is not null)
        {
            // Ollama's parseFromModel (server/model.go) pulls a missing base model from whatever registry it names.
            error = RegistryName.Check(rewriter.From, "from", registries);
            if (error is null)
            {
                return (model, [model, rewriter.From], null);
            }
        }

        return error is null ? (model, [model], null) : (null, [], error);
    }
}
