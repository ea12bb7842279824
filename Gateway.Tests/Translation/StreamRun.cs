using OllamaGateway.Translation;
using OllamaGateway.Translation.OpenAI.Chat;

namespace OllamaGateway.Tests.Translation;

/// <summary>Feeds NDJSON lines to one <see cref="ChatStreamTranslator"/> and collects everything it writes.</summary>
internal sealed class StreamRun(string id, long created, string model, bool includeUsage, bool logprobs = false)
    : SseStreamRun<ChatStreamTranslator>(new ChatStreamTranslator(id, created, model, includeUsage, logprobs));
