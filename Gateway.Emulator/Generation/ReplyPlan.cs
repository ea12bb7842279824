namespace OllamaGateway.Emulator.Generation;

/// <summary>The whole reply decided up front: the pieces in order and the final <c>done_reason</c>.</summary>
internal sealed record ReplyPlan(IReadOnlyList<ReplyPiece> Pieces, string DoneReason)
{
    /// <summary><c>eval_count</c>: one token per piece (thinking and tool-call pieces included, as in Ollama).</summary>
    public int EvalCount => Pieces.Count;

    public string JoinedContent => string.Concat(Pieces.Select(p => p.Content));

    public string JoinedThinking => string.Concat(Pieces.Select(p => p.Thinking ?? ""));

    public IReadOnlyList<ToolCallPiece> ToolCalls => [.. Pieces.Where(p => p.ToolCall is not null).Select(p => p.ToolCall!)];
}
