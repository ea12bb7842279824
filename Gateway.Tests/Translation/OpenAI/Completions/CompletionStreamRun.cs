using OllamaGateway.Translation.OpenAI.Completions;


namespace OllamaGateway.Tests.Translation.OpenAI.Completions;

/// <summary>Feeds NDJSON lines to one <see cref="CompletionStreamTranslator"/> and collects everything it writes.</summary>
internal sealed class CompletionStreamRun(string id, long created, string model, bool includeUsage)
    : SseStreamRun<CompletionStreamTranslator>(new CompletionStreamTranslator(id, created, model, includeUsage));
