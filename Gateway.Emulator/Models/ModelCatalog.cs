using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace OllamaGateway.Emulator.Models;

/// <summary>
/// The installed models (read from <see cref="EmulatorOptions.Models"/> on every call) and the set of
/// "loaded" ones shown by <c>/api/ps</c>. Names match as Ollama matches them: case-insensitive, the tag
/// defaults to <c>latest</c>, and the <c>registry.ollama.ai/library/</c> prefix is optional.
/// </summary>
internal sealed class ModelCatalog(EmulatorOptions options)
{
    private const string DefaultRegistry = "registry.ollama.ai/";
    private const string DefaultNamespace = "library/";
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _loaded = new(StringComparer.Ordinal);

    public IReadOnlyList<EmulatorModel> All => options.Models;

    public static string Canonical(string name)
    {
        var canonical = name.Trim().ToLowerInvariant();
        if (canonical.StartsWith(DefaultRegistry, StringComparison.Ordinal))
        {
            canonical = canonical[DefaultRegistry.Length..];
        }

        if (canonical.StartsWith(DefaultNamespace, StringComparison.Ordinal))
        {
            canonical = canonical[DefaultNamespace.Length..];
        }

        var lastSegment = canonical[(canonical.LastIndexOf('/') + 1)..];
        return lastSegment.Contains(':', StringComparison.Ordinal) ? canonical : canonical + ":latest";
    }

    /// <summary>The fully qualified name Ollama prints in capability errors.</summary>
    public static string FullName(EmulatorModel model)
    {
        var name = Canonical(model.Name);
        return name.Contains('/', StringComparison.Ordinal) ? name : DefaultRegistry + DefaultNamespace + name;
    }

    public static string Digest(EmulatorModel model) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(model.Name))));

    public EmulatorModel? Find(string name)
    {
        var wanted = Canonical(name);
        return options.Models.FirstOrDefault(m => Canonical(m.Name) == wanted);
    }

    public void AddOrReplace(EmulatorModel model)
    {
        lock (_lock)
        {
            var name = Canonical(model.Name);
            options.Models = [.. options.Models.Where(m => Canonical(m.Name) != name), model];
        }
    }

    public bool Remove(string name)
    {
        lock (_lock)
        {
            var wanted = Canonical(name);
            var remaining = options.Models.Where(m => Canonical(m.Name) != wanted).ToArray();
            if (remaining.Length == options.Models.Count)
            {
                return false;
            }

            options.Models = remaining;
            _loaded.TryRemove(wanted, out _);
            return true;
        }
    }

    public void MarkLoaded(EmulatorModel model, TimeSpan keepAlive)
    {
        var name = Canonical(model.Name);
        if (keepAlive == TimeSpan.Zero)
        {
            _loaded.TryRemove(name, out _);
            return;
        }

        var now = options.TimeProvider.GetUtcNow();
        _loaded[name] = keepAlive < TimeSpan.Zero ? DateTimeOffset.MaxValue.ToUniversalTime() : now + keepAlive;
    }

    public void Unload(EmulatorModel model) => _loaded.TryRemove(Canonical(model.Name), out _);

    public IReadOnlyList<(EmulatorModel Model, DateTimeOffset ExpiresAt)> Loaded()
    {
        var now = options.TimeProvider.GetUtcNow();
        var result = new List<(EmulatorModel, DateTimeOffset)>();
        foreach (var (name, expires) in _loaded)
        {
            var model = Find(name);
            if (model is not null && expires > now)
            {
                result.Add((model, expires));
            }
        }

        return result;
    }
}
