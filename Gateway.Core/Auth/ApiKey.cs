using OllamaGateway.Policy;

namespace OllamaGateway.Auth;

/// <summary>
/// One key from the keys file and its rights. <see cref="Name"/> is the non-secret handle used in logs;
/// entries written in the original proxy's plain-string form are named after their position
/// (<c>keys[0]</c>) and have the default rights: every model, no admin, no expiry, no limits.
/// </summary>
public sealed record ApiKey(string Name, KeyHash Hash)
{
    /// <summary>Which models the key may use; <see cref="ModelAccess.All"/> when the entry names none.</summary>
    public ModelAccess Models { get; init; } = ModelAccess.All;

    /// <summary>Whether model management (pull, push, create, copy, delete, blobs) is forwarded for this key.</summary>
    public bool Admin { get; init; }

    /// <summary>Whether the key may read <c>GET /metrics</c> (admins always may): what a Prometheus server scrapes with.</summary>
    public bool Metrics { get; init; }

    /// <summary>From this moment on the key is refused with 401.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>A disabled key is refused with 401, as if it were not in the file.</summary>
    public bool Disabled { get; init; }

    /// <summary>Per-key request rate, concurrency and token budget caps.</summary>
    public KeyLimits Limits { get; init; } = KeyLimits.None;

    /// <summary>
    /// The longest <see cref="Prefix"/> a keys file may store: a generated key's fixed <c>sk-ogw-</c> and 5 random
    /// characters (30 of its 256 bits), enough to tell keys apart and too little to help a guesser.
    /// </summary>
    public const int MaxPrefixLength = 12;

    /// <summary>The first characters of the key, stored at creation so <c>keys list</c> can help tell keys apart.</summary>
    public string? Prefix { get; init; }

    /// <summary>Whether the file holds this key in plain text (which <c>keys hash</c> converts).</summary>
    public bool IsPlainText { get; init; }

    /// <summary>Whether the key may authenticate at <paramref name="now"/>: not disabled and not expired.</summary>
    public bool IsUsableAt(DateTimeOffset now) => !Disabled && (Expires is null || now < Expires.Value);
}
