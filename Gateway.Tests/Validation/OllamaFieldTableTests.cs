using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

/// <summary>
/// The guard knows every field of Ollama's request structs (api/types.go; wire reference §1.3–1.9) so that a case
/// variant of any of them, which Go's decoder would read as the field itself, is refused instead of slipping past what
/// the guard checks. The tables here are written from Ollama's types, apart from the guard's own lists.
/// </summary>
public sealed class OllamaFieldTableTests
{
    private static readonly (OllamaEndpoint Endpoint, string[] Fields)[] s_topLevel =
    [
        (OllamaEndpoint.Chat, ["model", "messages", "tools", "format", "options", "stream", "keep_alive", "think", "truncate", "shift", "logprobs", "top_logprobs"]),
        (OllamaEndpoint.Generate, ["model", "prompt", "suffix", "system", "template", "context", "stream", "raw", "format", "keep_alive", "images", "options", "think", "truncate", "shift", "logprobs", "top_logprobs"]),
        (OllamaEndpoint.Embed, ["model", "input", "truncate", "dimensions", "options", "keep_alive"]),
        (OllamaEndpoint.Embeddings, ["model", "prompt", "options", "keep_alive"]),
        (OllamaEndpoint.Show, ["model", "name", "system", "template", "verbose", "options"]),
        (OllamaEndpoint.Pull, ["model", "name", "insecure", "stream", "username", "password"]),
        (OllamaEndpoint.Push, ["model", "name", "insecure", "stream", "username", "password"]),
        (OllamaEndpoint.Create, ["model", "name", "stream", "quantize", "quantization", "from", "files", "adapters", "template", "license", "system", "parameters", "messages", "renderer", "parser", "requires", "info"]),
        (OllamaEndpoint.Copy, ["source", "destination"]),
        (OllamaEndpoint.Delete, ["model", "name"]),
    ];

    private static readonly string[] s_messageFields = ["role", "content", "thinking", "images", "tool_calls", "tool_name", "tool_call_id"];

    // Ollama's Options and Runner fields with the JSON type each takes, and a value of another type.
    private static readonly (string Option, string WrongValue)[] s_options =
    [
        ("temperature", "\"hot\""), ("top_p", "\"x\""), ("top_k", "\"x\""), ("min_p", "\"x\""), ("typical_p", "\"x\""),
        ("num_predict", "\"x\""), ("stop", "\"###\""), ("seed", "\"x\""), ("repeat_penalty", "\"x\""), ("repeat_last_n", "\"x\""),
        ("presence_penalty", "\"x\""), ("frequency_penalty", "\"x\""), ("num_keep", "\"x\""), ("num_ctx", "\"x\""),
        ("num_batch", "\"x\""), ("num_gpu", "\"x\""), ("main_gpu", "\"x\""), ("use_mmap", "1"), ("num_thread", "\"x\""),
        ("draft_num_predict", "\"x\""),
    ];

    public static TheoryData<string, string> TopLevelFields()
    {
        var data = new TheoryData<string, string>();
        foreach (var (endpoint, fields) in s_topLevel)
        {
            foreach (var field in fields)
            {
                data.Add(endpoint.ToString(), field);
            }
        }

        return data;
    }

    public static TheoryData<string> MessageFields() => [.. s_messageFields];

    public static TheoryData<string, string> Options()
    {
        var data = new TheoryData<string, string>();
        foreach (var (option, wrong) in s_options)
        {
            data.Add(option, wrong);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TopLevelFields))]
    public void ACaseVariantOfAnyTopLevelField_IsRefusedNamingTheField(string endpoint, string field)
    {
        var error = GuardRun.Refuse(Enum.Parse<OllamaEndpoint>(endpoint), $$"""{"{{Variant(field)}}": null}""");

        Assert.Contains($"only in case; Ollama would read it as '{field}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MessageFields))]
    public void ACaseVariantOfAnyMessageField_IsRefusedNamingTheField(string field)
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Chat, $$"""{"model": "llama3.2", "messages": [{"{{Variant(field)}}": null}]}""");

        Assert.Contains($"'messages[0].{Variant(field)}' differs from '{field}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void EveryKnownOption_IsTypeChecked_AndItsCaseVariantsRefused(string option, string wrongValue)
    {
        var wrongType = GuardRun.Refuse(OllamaEndpoint.Chat, $$$"""{"model": "llama3.2", "options": {"{{{option}}}": {{{wrongValue}}}}}""");
        var variant = GuardRun.Refuse(OllamaEndpoint.Chat, $$$"""{"model": "llama3.2", "options": {"{{{Variant(option)}}}": null}}""");

        Assert.StartsWith($"Invalid type for 'options.{option}'", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains($"Ollama would read it as '{option}'", variant.Message, StringComparison.Ordinal);
    }

    // Upper-cases the first letter: "keep_alive" becomes "Keep_alive", which Go's decoder still reads as keep_alive.
    private static string Variant(string field) => char.ToUpperInvariant(field[0]) + field[1..];
}
