using System.Collections.Frozen;
using OllamaGateway.Policy;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Forwarding;

/// <summary>
/// What one Ollama server has, as last read from its <c>/api/tags</c> and <c>/api/ps</c>: canonical model names
/// (<see cref="ModelName.Canonical"/>), so a request's <c>llama3.2</c> finds the server's <c>llama3.2:latest</c>. Immutable:
/// a new read replaces the whole snapshot, and routing reads it without locks.
/// </summary>
internal sealed class UpstreamInventory
{
    private UpstreamInventory(FrozenSet<string> models, FrozenSet<string> loaded, bool known)
    {
        Models = models;
        Loaded = loaded;
        IsKnown = known;
    }

    /// <summary>Nothing read yet: the server has no models as far as routing knows.</summary>
    public static UpstreamInventory Unknown { get; } = new(FrozenSet<string>.Empty, FrozenSet<string>.Empty, known: false);

    /// <summary>The models the server has and may be used for (its <c>Models</c> globs applied), canonical.</summary>
    public FrozenSet<string> Models { get; }

    /// <summary>The models it has loaded now, canonical.</summary>
    public FrozenSet<string> Loaded { get; }

    /// <summary>Whether the server's lists have been read at least once.</summary>
    public bool IsKnown { get; }

    /// <summary>
    /// Reads an <c>/api/tags</c> and an <c>/api/ps</c> answer (both <c>{"models":[{name, model, ...}]}</c>); models
    /// <paramref name="isUsedFor"/> refuses are left out.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">An answer is not that shape.</exception>
    public static UpstreamInventory Read(ReadOnlySpan<byte> tags, ReadOnlySpan<byte> ps, Func<string, bool> isUsedFor)
    {
        var models = Names(tags, isUsedFor);
        var loaded = Names(ps, isUsedFor);
        loaded.IntersectWith(models);
        return new UpstreamInventory(models.ToFrozenSet(StringComparer.Ordinal), loaded.ToFrozenSet(StringComparer.Ordinal), known: true);
    }

    /// <summary>This snapshot with one more model loaded.</summary>
    public UpstreamInventory WithLoaded(string canonicalModel) =>
        new(Models, Loaded.Append(canonicalModel).ToFrozenSet(StringComparer.Ordinal), IsKnown);

    private static HashSet<string> Names(ReadOnlySpan<byte> json, Func<string, bool> isUsedFor)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new TagsReader(json);
        while (reader.TryReadNext(out var entry))
        {
            // Both spellings count: Ollama writes the same full name in each, but an older server may differ.
            foreach (var name in (ReadOnlySpan<string?>)[entry.Id, entry.Name])
            {
                if (!string.IsNullOrEmpty(name) && ModelName.SameModel(name, name) && isUsedFor(name))
                {
                    names.Add(ModelName.Canonical(name));
                }
            }
        }

        return names;
    }
}
