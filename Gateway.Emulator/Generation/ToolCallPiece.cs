namespace OllamaGateway.Emulator.Generation;

/// <summary>One native tool call: <c>{"id","function":{"index","name","arguments":{...}}}</c>.</summary>
internal sealed record ToolCallPiece(string Id, int Index, string Name, string ArgumentsJson);
