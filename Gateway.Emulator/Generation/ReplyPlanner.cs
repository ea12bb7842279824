using OllamaGateway.Emulator.Requests;

namespace OllamaGateway.Emulator.Generation;

/// <summary>
/// Decides the reply for a chat or generate request, deterministically from the options:
/// thinking pieces (thinking model and <c>think</c> not false), then either one tool call (chat with tools,
/// see <see cref="EmulatorOptions.ToolCallReply"/>, after its preamble's content tokens if it has one) or content tokens (JSON for <c>format</c>). Content is cut
/// at the first <c>options.stop</c> string (<c>done_reason:"stop"</c>), and the token total is capped by
/// <c>options.num_predict</c> when positive (<c>done_reason:"length"</c> if that cut the reply short).
/// </summary>
internal static class ReplyPlanner
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static ReplyPlan Plan(InferenceRequest request, EmulatorModel model, EmulatorOptions options, bool chat)
    {
        List<ReplyPiece> pieces = [];
        if (model.Has("thinking") && request.Think != false)
        {
            pieces.AddRange(Tokenizer.Split(options.ThinkingReply).Select(t => new ReplyPiece("", t, null)));
        }

        var toolCall = chat ? ChooseToolCall(request, options) : null;
        if (toolCall is not null)
        {
            if (options.ToolCallReply?.Preamble is { } preamble)
            {
                pieces.AddRange(Tokenizer.Split(preamble).Select(t => new ReplyPiece(t, null, null)));
            }

            pieces.Add(new ReplyPiece("", null, toolCall));
        }
        else
        {
            pieces.AddRange(ContentTokens(request, options).Select(t => new ReplyPiece(t, null, null)));
        }

        var doneReason = "stop";
        if (request.Options.NumPredict is > 0 && pieces.Count > request.Options.NumPredict)
        {
            pieces = pieces[..(int)request.Options.NumPredict.Value];
            doneReason = "length";
        }

        return new ReplyPlan(pieces, doneReason);
    }

    private static List<string> ContentTokens(InferenceRequest request, EmulatorOptions options)
    {
        var tokens = request.Format switch
        {
            FormatKind.Json => Tokenizer.Split(JsonReplyBuilder.Build(null, options.Reply)),
            FormatKind.Schema => Tokenizer.Split(JsonReplyBuilder.Build(request.Schema, options.Reply)),
            _ => options.ChunkCount > 0 ? Tokenizer.Cycle(options.Reply, options.ChunkCount) : Tokenizer.Split(options.Reply),
        };
        return CutAtStop(tokens, request.Options.Stop);
    }

    private static List<string> CutAtStop(List<string> tokens, IReadOnlyList<string> stops)
    {
        var text = string.Concat(tokens);
        var cut = stops.Where(s => s.Length > 0)
            .Select(s => text.IndexOf(s, StringComparison.Ordinal))
            .Where(i => i >= 0)
            .DefaultIfEmpty(-1)
            .Min();
        if (cut < 0)
        {
            return tokens;
        }

        List<string> kept = [];
        var length = 0;
        foreach (var token in tokens)
        {
            if (length + token.Length >= cut)
            {
                var head = token[..(cut - length)];
                if (head.Length > 0)
                {
                    kept.Add(head);
                }

                break;
            }

            kept.Add(token);
            length += token.Length;
        }

        return kept;
    }

    private static ToolCallPiece? ChooseToolCall(InferenceRequest request, EmulatorOptions options)
    {
        if (request.ToolNames.Count == 0)
        {
            return null;
        }

        var configured = options.ToolCallReply;
        if (configured is not null)
        {
            return new ToolCallPiece(NewId(), 0, configured.Name ?? request.ToolNames[0], configured.ArgumentsJson);
        }

        var named = request.ToolNames.FirstOrDefault(
            n => n.Length > 0 && request.LastUserText.Contains(n, StringComparison.OrdinalIgnoreCase));
        return named is null ? null : new ToolCallPiece(NewId(), 0, named, "{}");
    }

    /// <summary><c>call_</c> and 8 lowercase letters or digits, as Ollama makes them up.</summary>
    private static string NewId() =>
        "call_" + string.Create(8, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = IdAlphabet[Random.Shared.Next(IdAlphabet.Length)];
            }
        });
}
