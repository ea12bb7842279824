namespace OllamaGateway.Emulator.Requests;

/// <summary>The request's <c>format</c> field.</summary>
internal enum FormatKind
{
    /// <summary>Absent, <c>null</c> or <c>""</c>.</summary>
    None,

    /// <summary><c>"json"</c>: JSON mode.</summary>
    Json,

    /// <summary>A JSON Schema object: structured output.</summary>
    Schema,
}
