using System.Text.Json;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>
/// Pre-encoded property names and constant values of OpenAI's chat completion objects, shared by the
/// non-streamed and streamed writers so each name is encoded once per process, not once per chunk.
/// </summary>
internal static class OpenAIJsonNames
{
    /// <summary><c>id</c></summary>
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");

    /// <summary><c>object</c></summary>
    public static readonly JsonEncodedText Object = JsonEncodedText.Encode("object");

    /// <summary><c>created</c></summary>
    public static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");

    /// <summary><c>model</c></summary>
    public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");

    /// <summary><c>system_fingerprint</c></summary>
    public static readonly JsonEncodedText SystemFingerprint = JsonEncodedText.Encode("system_fingerprint");

    /// <summary><c>choices</c></summary>
    public static readonly JsonEncodedText Choices = JsonEncodedText.Encode("choices");

    /// <summary><c>index</c></summary>
    public static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");

    /// <summary><c>message</c></summary>
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");

    /// <summary><c>delta</c></summary>
    public static readonly JsonEncodedText Delta = JsonEncodedText.Encode("delta");

    /// <summary><c>role</c></summary>
    public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");

    /// <summary><c>content</c></summary>
    public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");

    /// <summary><c>reasoning</c>: where Ollama's own layer puts native <c>thinking</c>.</summary>
    public static readonly JsonEncodedText Reasoning = JsonEncodedText.Encode("reasoning");

    /// <summary><c>logprobs</c></summary>
    public static readonly JsonEncodedText Logprobs = JsonEncodedText.Encode("logprobs");

    /// <summary><c>finish_reason</c></summary>
    public static readonly JsonEncodedText FinishReason = JsonEncodedText.Encode("finish_reason");

    /// <summary><c>usage</c></summary>
    public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");

    /// <summary><c>prompt_tokens</c></summary>
    public static readonly JsonEncodedText PromptTokens = JsonEncodedText.Encode("prompt_tokens");

    /// <summary><c>completion_tokens</c></summary>
    public static readonly JsonEncodedText CompletionTokens = JsonEncodedText.Encode("completion_tokens");

    /// <summary><c>total_tokens</c></summary>
    public static readonly JsonEncodedText TotalTokens = JsonEncodedText.Encode("total_tokens");

    /// <summary>Value <c>chat.completion</c>.</summary>
    public static readonly JsonEncodedText ChatCompletionObject = JsonEncodedText.Encode("chat.completion");

    /// <summary>Value <c>chat.completion.chunk</c>.</summary>
    public static readonly JsonEncodedText ChatCompletionChunkObject = JsonEncodedText.Encode("chat.completion.chunk");

    /// <summary>Value <c>assistant</c>.</summary>
    public static readonly JsonEncodedText Assistant = JsonEncodedText.Encode("assistant");

    /// <summary>Value <c>fp_ollama</c>, the constant fingerprint Ollama's own layer reports.</summary>
    public static readonly JsonEncodedText OllamaFingerprint = JsonEncodedText.Encode("fp_ollama");

    /// <summary>Finish reason <c>stop</c>.</summary>
    public static readonly JsonEncodedText Stop = JsonEncodedText.Encode("stop");

    /// <summary>Finish reason <c>length</c>.</summary>
    public static readonly JsonEncodedText Length = JsonEncodedText.Encode("length");

    /// <summary><c>tool_calls</c>, both the key and the finish reason (a stop that emitted tool calls).</summary>
    public static readonly JsonEncodedText ToolCalls = JsonEncodedText.Encode("tool_calls");

    /// <summary><c>type</c></summary>
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");

    /// <summary><c>function</c>, both the key and the only tool-call type.</summary>
    public static readonly JsonEncodedText Function = JsonEncodedText.Encode("function");

    /// <summary><c>name</c></summary>
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");

    /// <summary><c>arguments</c></summary>
    public static readonly JsonEncodedText Arguments = JsonEncodedText.Encode("arguments");

    /// <summary>Error type for failures of the upstream or the gateway after a stream began.</summary>
    public const string ApiErrorType = "api_error";
}
