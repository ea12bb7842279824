namespace OllamaGateway.Emulator;

/// <summary>
/// Behaviour of the emulator. Handlers read these properties on every request, so tests may
/// change them after start (each property is a single read; changes affect later requests).
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>The models the emulator has "installed".</summary>
    public IReadOnlyList<EmulatorModel> Models { get; set; } = DefaultModels;

    /// <summary>The version reported by <c>/api/version</c>.</summary>
    public string Version { get; set; } = "0.33.0";

    /// <summary>
    /// The assistant reply. It is split into tokens at word starts (<c>"Hello"</c>, <c>" from"</c>, ...);
    /// each token is one streamed line.
    /// </summary>
    public string Reply { get; set; } = "Hello from the emulator.";

    /// <summary>
    /// When greater than zero, the reply is exactly this many tokens, cycling through the words of
    /// <see cref="Reply"/> (for benchmarks, e.g. 256). Zero means "the words of <see cref="Reply"/> once".
    /// </summary>
    public int ChunkCount { get; set; }

    /// <summary>The reasoning emitted as <c>thinking</c> pieces when thinking is on.</summary>
    public string ThinkingReply { get; set; } = "The user greets me. I will greet back.";

    /// <summary>Delay before each streamed line after the first one.</summary>
    public TimeSpan TokenDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Delay before anything (status, headers) is written, for every <c>/api/*</c> request: a slow first byte.</summary>
    public TimeSpan ResponseDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// When a chat request carries <c>tools</c> and this is set, the reply is this tool call instead of text.
    /// When it is <see langword="null"/>, a tool call is still made if the conversation ends with a user message
    /// that contains the name of one of the request's tools (arguments <c>{}</c>); after a tool result it answers.
    /// </summary>
    public EmulatorToolCall? ToolCallReply { get; set; }

    /// <summary>
    /// When set, streamed chat and generate replies write this many normal lines and then one
    /// <c>{"error":...}</c> line and end without a <c>done:true</c> line (Ollama's mid-stream error).
    /// </summary>
    public int? MidStreamErrorAfterLines { get; set; }

    /// <summary>
    /// When set, streamed chat and generate replies write this many lines and then go silent, keeping the
    /// connection open until the caller leaves (a hung runner).
    /// </summary>
    public int? StallAfterLines { get; set; }

    /// <summary>When set, streamed chat and generate replies write this many lines and then drop the connection.</summary>
    public int? DropAfterLines { get; set; }

    /// <summary>The message of the mid-stream error line.</summary>
    public string MidStreamErrorMessage { get; set; } = "an error was encountered while running the model: unexpected EOF";

    /// <summary>Length of the vectors returned by <c>/api/embed</c> and <c>/api/embeddings</c>.</summary>
    public int EmbeddingDimensions { get; set; } = 8;

    /// <summary>Clock used for <c>created_at</c> and <c>expires_at</c>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The default catalog: <c>llama3.2:latest</c> (completion, tools), <c>qwen3:latest</c> (completion,
    /// tools, thinking), <c>llava:latest</c> (completion, vision) and <c>nomic-embed-text:latest</c> (embedding).
    /// </summary>
    public static IReadOnlyList<EmulatorModel> DefaultModels { get; } =
    [
        new() { Name = "llama3.2:latest" },
        new()
        {
            Name = "qwen3:latest", Family = "qwen3", ParameterSize = "8.2B", Size = 5_225_388_164,
            ContextLength = 40960, Capabilities = ["completion", "tools", "thinking"],
        },
        new()
        {
            Name = "llava:latest", ParameterSize = "7B", Size = 4_733_363_377,
            Capabilities = ["completion", "vision"],
        },
        new()
        {
            Name = "nomic-embed-text:latest", Family = "nomic-bert", ParameterSize = "137M",
            QuantizationLevel = "F16", Size = 274_302_450, ContextLength = 2048, Capabilities = ["embedding"],
        },
    ];
}
