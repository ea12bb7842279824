namespace OllamaGateway.Validation;

/// <summary>
/// The native Ollama endpoints whose JSON body <see cref="OllamaRequestGuard"/> checks and rewrites
/// (wire reference §1.2). Blobs are raw bytes, not JSON, and are not covered.
/// </summary>
internal enum OllamaEndpoint
{
    /// <summary><c>POST /api/chat</c>.</summary>
    Chat,

    /// <summary><c>POST /api/generate</c>.</summary>
    Generate,

    /// <summary><c>POST /api/embed</c>.</summary>
    Embed,

    /// <summary><c>POST /api/embeddings</c> (legacy).</summary>
    Embeddings,

    /// <summary><c>POST /api/show</c>.</summary>
    Show,

    /// <summary><c>POST /api/pull</c>.</summary>
    Pull,

    /// <summary><c>POST /api/push</c>.</summary>
    Push,

    /// <summary><c>POST /api/create</c>.</summary>
    Create,

    /// <summary><c>POST /api/copy</c>.</summary>
    Copy,

    /// <summary><c>DELETE /api/delete</c>.</summary>
    Delete,
}
