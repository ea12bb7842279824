using System.Text.Json;
using OllamaGateway.Emulator.Json;

namespace OllamaGateway.Emulator.Requests;

/// <summary>Reads a <c>POST /api/chat</c> body (Ollama's <c>api.ChatRequest</c>).</summary>
internal static class ChatRequestReader
{
    private const string Struct = "ChatRequest";

    public static InferenceRequest Read(byte[] body)
    {
        using var document = GoJson.ParseBody(body, Struct);
        var root = document.RootElement;
        var model = GoJson.String(root, "model", Struct, "model") ?? "";
        var messages = GoJson.Array(root, "messages", Struct, "messages", "[]api.Message");

        var promptTokens = 0;
        var messageCount = 0;
        var lastUser = "";
        var hasImages = false;
        if (messages is not null)
        {
            foreach (var message in messages.Value.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (message.ValueKind != JsonValueKind.Object)
                {
                    throw GoJson.TypeError(message, Struct, "messages", "api.Message");
                }

                var role = GoJson.String(message, "role", "Message", "messages.role") ?? "";
                var content = GoJson.String(message, "content", "Message", "messages.content") ?? "";
                GoJson.String(message, "thinking", "Message", "messages.thinking");
                GoJson.Array(message, "tool_calls", "Message", "messages.tool_calls", "[]api.ToolCall");
                GoJson.String(message, "tool_name", "Message", "messages.tool_name");
                GoJson.String(message, "tool_call_id", "Message", "messages.tool_call_id");
                hasImages |= CommonFields.ReadImages(message, "Message", "messages.images");

                messageCount++;
                promptTokens += PromptCounter.Words(content) + PromptCounter.TemplateTokensPerMessage;

                // Only a conversation that ends with the user's words asks for a call by name; after a tool result
                // (or an assistant turn) the model answers, so an agent's loop of call, result, answer ends.
                lastUser = string.Equals(role, "user", StringComparison.OrdinalIgnoreCase) ? content : "";
            }
        }

        var stream = GoJson.Bool(root, "stream", Struct, "stream") ?? true;
        var keepAlive = GoDuration.Read(root);
        var toolNames = ReadToolNames(root);
        var think = CommonFields.ReadThink(root);
        var (format, schema, formatError) = CommonFields.ReadFormat(root);
        var logprobs = GoJson.Bool(root, "logprobs", Struct, "logprobs") ?? false;
        var topLogprobs = GoJson.Int(root, "top_logprobs", Struct, "top_logprobs");
        var options = OptionsReader.Read(root, Struct);

        if (model.Length == 0)
        {
            throw new EmulatorRequestException(400, "model is required");
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
            IsEmpty = messageCount == 0,
            ToolNames = toolNames,
            LastUserText = lastUser,
            PromptTokens = promptTokens,
            Format = format,
            Schema = schema,
            FormatError = formatError,
            HasImages = hasImages,
            Options = options,
            Logprobs = logprobs,
            TopLogprobs = (int)(topLogprobs ?? 0),
        };
    }

    private static List<string> ReadToolNames(JsonElement root)
    {
        var tools = GoJson.Array(root, "tools", Struct, "tools", "api.Tools");
        List<string> names = [];
        if (tools is null)
        {
            return names;
        }

        foreach (var tool in tools.Value.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw GoJson.TypeError(tool, "ChatRequest", "tools", "api.Tool");
            }

            var function = GoJson.Object(tool, "function", "Tool", "tools.function", "api.ToolFunction");
            var name = function is null ? null : GoJson.String(function.Value, "name", "ToolFunction", "tools.function.name");
            names.Add(name ?? "");
        }

        return names;
    }
}
