using OllamaGateway.Auth;

namespace OllamaGateway.Server.Keys;

/// <summary>
/// One plain-text entry that <c>keys hash</c> replaced with its hash. The names differ for the original proxy's
/// bare strings, which were named by position (<c>keys[0]</c>) and now get a name of their own.
/// </summary>
internal sealed record PlainKeyConversion(string OldName, string NewName);
