namespace OllamaGateway.Validation;

/// <summary>
/// Why a body was refused. 400 for malformed, ambiguous or refused fields; 403 when the request is well formed but
/// names a registry or transport the <see cref="RegistryPolicy"/> does not allow.
/// </summary>
/// <param name="Status">The HTTP status to answer with.</param>
/// <param name="Message">A client-facing message; it names the offending key but never echoes a whole value.</param>
internal sealed record GuardError(int Status, string Message);
