using System.Text.Json;
using OllamaGateway.Emulator.Json;

namespace OllamaGateway.Emulator.Requests;

/// <summary>Reads a <c>POST /api/generate</c> body (Ollama's <c>api.GenerateRequest</c>).</summary>
internal static class GenerateRequestReader
{
    private const string Struct = "GenerateRequest";

    public static InferenceRequest Read(byte[] body)
    {
        using var document = GoJson.ParseBody(body, Struct);
        var root = document.RootElement;
        var model = GoJson.String(root, "model", Struct, "model") ?? "";
        var prompt = GoJson.String(root, "prompt", Struct, "prompt") ?? "";
        var suffix = GoJson.String(root, "suffix", Struct, "suffix") ?? "";
        var system = GoJson.String(root, "system", Struct, "system") ?? "";
        var template = GoJson.String(root, "template", Struct, "template") ?? "";
        var context = GoJson.Array(root, "context", Struct, "context", "[]int");
        if (context is not null)
        {
            foreach (var item in context.Value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out _))
                {
                    throw GoJson.TypeError(item, Struct, "context", "int");
                }
            }
        }

        var stream = GoJson.Bool(root, "stream", Struct, "stream") ?? true;
        var raw = GoJson.Bool(root, "raw", Struct, "raw") ?? false;
        var keepAlive = GoDuration.Read(root);
        var hasImages = CommonFields.ReadImages(root, Struct, "images");
        var think = CommonFields.ReadThink(root);
        var (format, schema, formatError) = CommonFields.ReadFormat(root);
        GoJson.Bool(root, "logprobs", Struct, "logprobs");
        var topLogprobs = GoJson.Int(root, "top_logprobs", Struct, "top_logprobs");
        var options = OptionsReader.Read(root, Struct);

        if (model.Length == 0)
        {
            throw new EmulatorRequestException(400, "model is required");
        }

        if (raw && (template.Length > 0 || system.Length > 0 || context?.GetArrayLength() > 0))
        {
            throw new EmulatorRequestException(400, "raw mode does not support template, system, or context");
        }

        if (topLogprobs is < 0 or > 20)
        {
            throw new EmulatorRequestException(400, "top_logprobs must be between 0 and 20");
        }

        return new InferenceRequest
        {
            Model = model,
            Stream = stream,
            KeepAlive = keepAlive,
            Think = think,
            IsEmpty = prompt.Length == 0,
            LastUserText = prompt,
            PromptTokens = PromptCounter.Words(system) + PromptCounter.Words(prompt) + PromptCounter.TemplateTokensPerMessage,
            Format = format,
            Schema = schema,
            FormatError = formatError,
            HasImages = hasImages,
            HasSuffix = suffix.Length > 0,
            Options = options,
        };
    }
}
