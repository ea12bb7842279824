namespace OllamaGateway.SharedState;

/// <summary>What one shared usage count is kept by: the key's name, the model (empty when none) and the UTC hour.</summary>
internal readonly record struct UsageBucket(string KeyName, string Model, DateTimeOffset Hour);
