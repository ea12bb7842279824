namespace OllamaGateway.Emulator.Generation;

/// <summary>One streamed line's worth of output: a thinking piece, a content piece, or a tool call.</summary>
internal readonly record struct ReplyPiece(string Content, string? Thinking, ToolCallPiece? ToolCall);
