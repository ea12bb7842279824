namespace OllamaGateway.Validation;

/// <summary>
/// Upper bounds the gateway puts on GPU-hungry inference settings (security reference §0 item 6, §1.5):
/// Ollama's own defaults are unbounded generation (<c>num_predict</c> -1), a context size the client picks, and
/// keeping a model loaded for ever when <c>keep_alive</c> is negative.
/// </summary>
/// <param name="MaxNumPredict">Most tokens one request may generate; also used when the client sets no limit.</param>
/// <param name="MaxNumCtx">Largest context window a client may ask for (it drives VRAM use and reloads the model).</param>
/// <param name="MaxKeepAlive">Longest time a request may keep its model loaded after it finishes.</param>
internal sealed record RequestCaps(int MaxNumPredict, int MaxNumCtx, TimeSpan MaxKeepAlive)
{
    /// <summary>
    /// 8192 tokens, a 32768-token context and 30 minutes: large enough for ordinary chat and RAG use, small enough
    /// that one key cannot pin a GPU for hours or allocate the largest context a model supports.
    /// </summary>
    public static RequestCaps Default { get; } = new(8192, 32768, TimeSpan.FromMinutes(30));
}
