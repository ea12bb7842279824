namespace OllamaGateway.Validation;

/// <summary>The JSON type Ollama's <c>Options.FromMap</c> demands for a known option (wire reference §1.9).</summary>
internal enum OptionKind
{
    /// <summary>An int or float option: any JSON number (Go cuts the fraction for ints).</summary>
    Number,

    /// <summary>A bool option such as <c>use_mmap</c>.</summary>
    Boolean,

    /// <summary><c>stop</c>: an array of strings; a bare string is a type error.</summary>
    StringArray,
}
