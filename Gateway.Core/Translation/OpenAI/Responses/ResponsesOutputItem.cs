using System.Text;

namespace OllamaGateway.Translation.OpenAI.Responses;

/// <summary>
/// One item of a response's <c>output</c> as it is built: the whole answer writes them at once, the stream announces each
/// one, streams its text and repeats it whole when it is done and in the terminal event (which the API defines to carry
/// the full response).
/// </summary>
internal sealed class ResponsesOutputItem
{
    private ResponsesOutputItem(ResponsesOutputKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>What the item is.</summary>
    public ResponsesOutputKind Kind { get; }

    /// <summary>The item's id, the same in every event and in the final object.</summary>
    public string Id { get; }

    /// <summary>The reasoning summary, the message text, or a call's arguments or input.</summary>
    public StringBuilder Text { get; } = new();

    /// <summary><c>in_progress</c>, <c>completed</c> or <c>incomplete</c>.</summary>
    public string Status { get; set; } = "in_progress";

    /// <summary>A call's id, passed back by the client with its result.</summary>
    public string? CallId { get; private init; }

    /// <summary>A call's function (a namespace member's own name).</summary>
    public string? Name { get; private init; }

    /// <summary>A call's namespace, or null.</summary>
    public string? Namespace { get; private init; }

    /// <summary>A reasoning item.</summary>
    public static ResponsesOutputItem Reasoning() => new(ResponsesOutputKind.Reasoning, ResponsesIds.Item("rs_"));

    /// <summary>An assistant message item.</summary>
    public static ResponsesOutputItem Message() => new(ResponsesOutputKind.Message, ResponsesIds.Item("msg_"));

    /// <summary>A function or custom tool call item.</summary>
    public static ResponsesOutputItem Call(bool custom, string callId, string name, string? ns) =>
        new(custom ? ResponsesOutputKind.CustomToolCall : ResponsesOutputKind.FunctionCall, ResponsesIds.Item(custom ? "ctc_" : "fc_"))
        {
            CallId = callId,
            Name = name,
            Namespace = ns,
        };
}
