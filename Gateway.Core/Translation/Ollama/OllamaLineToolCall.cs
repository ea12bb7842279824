namespace OllamaGateway.Translation.Ollama;

/// <summary>One tool call read from a native chat line (<c>message.tool_calls[i]</c>).</summary>
/// <param name="Id">Ollama's id (<c>call_</c> + 8 characters, since v0.12.10); null on older servers.</param>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">
/// The native arguments <em>object</em> as the UTF-8 JSON text Ollama wrote (key order kept, reference §1.10); OpenAI
/// wants it as a JSON-encoded string, so it is written as the value of a string.
/// </param>
internal sealed record OllamaLineToolCall(string? Id, string Name, byte[] Arguments);
