namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// The request parameters that chat and legacy completions read the same way (model, streaming, sampling, limits,
/// user), so <see cref="OpenAIJsonReading.TryReadSharedValue"/> can fill either draft.
/// </summary>
internal interface IOpenAIRequestDraft
{
    /// <summary><c>model</c>.</summary>
    string? Model { get; set; }

    /// <summary><c>stream</c>.</summary>
    bool? Stream { get; set; }

    /// <summary><c>stream_options.include_usage</c>.</summary>
    bool? IncludeUsage { get; set; }

    /// <summary><c>temperature</c>.</summary>
    double? Temperature { get; set; }

    /// <summary><c>top_p</c>.</summary>
    double? TopP { get; set; }

    /// <summary><c>max_tokens</c>.</summary>
    int? MaxTokens { get; set; }

    /// <summary><c>stop</c>, normalised to a list.</summary>
    List<string>? Stop { get; set; }

    /// <summary><c>seed</c>.</summary>
    long? Seed { get; set; }

    /// <summary><c>presence_penalty</c>.</summary>
    double? PresencePenalty { get; set; }

    /// <summary><c>frequency_penalty</c>.</summary>
    double? FrequencyPenalty { get; set; }

    /// <summary><c>user</c>, for accounting only.</summary>
    string? User { get; set; }
}
