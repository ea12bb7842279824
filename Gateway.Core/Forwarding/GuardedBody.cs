namespace OllamaGateway.Forwarding;

/// <summary>
/// Request feature: the body the request guard checked and rewrote, which is what Ollama must receive.
/// <see cref="PassthroughTransformer"/> hands it to <see cref="BufferedBodyHandler"/> to send in one piece.
/// </summary>
internal sealed record GuardedBody(ReadOnlyMemory<byte> Bytes);
