namespace OllamaGateway.Server.Commands.Keys;

/// <summary>The <c>keys</c> arguments are wrong; the message says which, and the command exits with 2 and its usage.</summary>
internal sealed class KeysUsageException(string message) : Exception(message);
