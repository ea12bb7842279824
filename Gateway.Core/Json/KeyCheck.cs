namespace OllamaGateway.Json;

/// <summary>What <see cref="JsonKeyTracker.Add"/> found; <see cref="KnownName"/> is set for a case variant.</summary>
internal readonly record struct KeyCheck(KeyProblem Problem, string? KnownName = null)
{
    /// <summary>A new key that is not a case variant of a known field.</summary>
    public static KeyCheck Ok => default;

    /// <summary>A key seen before in the same object, counting case variants.</summary>
    public static KeyCheck Duplicate => new(KeyProblem.Duplicate);

    /// <summary>Whether the key may be read.</summary>
    public bool IsOk => Problem == KeyProblem.None;
}
