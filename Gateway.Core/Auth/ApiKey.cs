namespace OllamaGateway.Auth;

/// <summary>
/// One key from the keys file. <see cref="Name"/> is the non-secret handle used in logs; entries written
/// in the original proxy's plain-string form are named after their position (<c>keys[0]</c>).
/// </summary>
internal sealed record ApiKey(string Name, KeyHash Hash);
