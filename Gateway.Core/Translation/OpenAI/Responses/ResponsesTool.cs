namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>What the answer needs to know about one native function: its kind and, for a namespace member, the split name.</summary>
/// <param name="Kind">Function or custom.</param>
/// <param name="Name">The name the client gave the tool (a namespace member's own name).</param>
/// <param name="Namespace">The namespace it belongs to, or null.</param>
internal sealed record ResponsesTool(ResponsesToolKind Kind, string Name, string? Namespace);
