using System.Text.Json;

namespace OllamaGateway.Emulator.Requests;

/// <summary>What the emulator needs from a chat or generate request, after Go-like validation.</summary>
internal sealed record InferenceRequest
{
    /// <summary>The model string exactly as the request gave it (echoed back).</summary>
    public required string Model { get; init; }

    public bool Stream { get; init; } = true;

    public TimeSpan? KeepAlive { get; init; }

    /// <summary><see langword="null"/> when <c>think</c> is absent; levels count as <see langword="true"/>.</summary>
    public bool? Think { get; init; }

    /// <summary>No messages (chat) or an empty prompt (generate): load or unload only.</summary>
    public bool IsEmpty { get; init; }

    public IReadOnlyList<string> ToolNames { get; init; } = [];

    public string LastUserText { get; init; } = "";

    /// <summary>Deterministic prompt token count (see <c>PromptCounter</c>).</summary>
    public int PromptTokens { get; init; }

    public FormatKind Format { get; init; }

    public JsonElement? Schema { get; init; }

    public string? FormatError { get; init; }

    public bool HasImages { get; init; }

    /// <summary>A generate request with a non-empty <c>suffix</c> (needs the <c>insert</c> capability).</summary>
    public bool HasSuffix { get; init; }

    public SamplingOptions Options { get; init; } = SamplingOptions.None;

    /// <summary><c>logprobs:true</c>: every line carries its tokens' <c>logprobs</c> (chat only in the emulator).</summary>
    public bool Logprobs { get; init; }

    /// <summary><c>top_logprobs</c> (0–20): alternatives per token.</summary>
    public int TopLogprobs { get; init; }
}
