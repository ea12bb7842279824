namespace OllamaGateway.Translation;

/// <summary>
/// A request that could not be translated. The pipeline answers it with HTTP 400 and
/// <c>{"error":{"message","type":"invalid_request_error","param","code"}}</c>.
/// </summary>
/// <param name="Message">Human-readable reason, in the style of OpenAI's own 400 messages.</param>
/// <param name="Param">The offending parameter path (<c>messages[0].content[1].type</c>), or null when the body as a whole is bad.</param>
/// <param name="Code">OpenAI-style machine code (<c>invalid_type</c>, <c>unsupported_parameter</c>...), or null.</param>
internal sealed record TranslationError(string Message, string? Param, string? Code = null);
