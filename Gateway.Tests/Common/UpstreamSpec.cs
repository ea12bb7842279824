namespace OllamaGateway.Tests.Common;

/// <summary>One Ollama server of a test: its name, the models its emulator has, and its optional weight and globs.</summary>
internal sealed record UpstreamSpec(string Name, string[] Models, double? Weight = null, string[]? ModelGlobs = null)
{
    public string[] Globs => ModelGlobs ?? [];
}
