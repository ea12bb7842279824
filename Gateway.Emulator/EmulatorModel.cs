namespace OllamaGateway.Emulator;

/// <summary>
/// A model the emulator pretends to have installed. It appears in <c>/api/tags</c> and
/// <c>/api/show</c>, and chat, generate and embed requests must name one of these models.
/// </summary>
public sealed record EmulatorModel
{
    /// <summary>Full name with tag, such as <c>llama3.2:latest</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Model family (<c>details.family</c>).</summary>
    public string Family { get; init; } = "llama";

    /// <summary>Parameter size label (<c>details.parameter_size</c>).</summary>
    public string ParameterSize { get; init; } = "3.2B";

    /// <summary>Quantization label (<c>details.quantization_level</c>).</summary>
    public string QuantizationLevel { get; init; } = "Q4_K_M";

    /// <summary>Size in bytes reported by <c>/api/tags</c> and <c>/api/ps</c>.</summary>
    public long Size { get; init; } = 2_019_393_189;

    /// <summary>When the model was last changed (<c>modified_at</c>); null for the emulator's fixed time.</summary>
    public DateTimeOffset? ModifiedAt { get; init; }

    /// <summary>Context length reported by <c>/api/ps</c> and <c>/api/show</c>.</summary>
    public int ContextLength { get; init; } = 4096;

    /// <summary>
    /// Capabilities as Ollama names them: <c>completion</c>, <c>tools</c>, <c>thinking</c>,
    /// <c>vision</c>, <c>insert</c>, <c>embedding</c>.
    /// </summary>
    public IReadOnlyList<string> Capabilities { get; init; } = ["completion", "tools"];

    /// <summary>Whether <see cref="Capabilities"/> contains <paramref name="capability"/>.</summary>
    /// <param name="capability">Capability name, such as <c>thinking</c>.</param>
    /// <returns><see langword="true"/> when the model has it.</returns>
    public bool Has(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);
}
