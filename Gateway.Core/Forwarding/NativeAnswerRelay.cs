using System.Buffers;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Translation.Ollama;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Copies a successful native answer from Ollama to the client byte for byte while reading Ollama's token counts out
/// of the same bytes (<see cref="OllamaUsageScanner"/>), with an idle timeout between reads. An NDJSON stream (chat,
/// generate, pull progress) is flushed after every read, so each line reaches the client as Ollama writes it; a
/// non-streamed JSON answer of an inference route is copied the same way, unflushed. When a stream goes silent or
/// Ollama drops the connection, the client gets a final <c>{"error":"..."}</c> line — Ollama's own mid-stream error
/// shape — instead of a cut connection; a JSON answer cut off is aborted, since no line can be added to it. Leaving
/// here disposes the upstream response, which cancels Ollama's work.
/// </summary>
internal static class NativeAnswerRelay
{
    private const int BufferSize = 16 * 1024;

    public static bool IsNdjson(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "application/x-ndjson", StringComparison.OrdinalIgnoreCase);

    public static bool IsJson(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Relays the answer and notes its usage and outcome on the request record.</summary>
    /// <param name="context">The client's request.</param>
    /// <param name="upstream">Ollama's successful answer.</param>
    /// <param name="stream">True for NDJSON: flush each read, end a broken stream with an error line.</param>
    /// <param name="idleTimeout">How long Ollama may stay silent between reads.</param>
    /// <param name="failures">Where a broken answer is reported.</param>
    /// <param name="metrics">Counts the stream among the open ones while it lasts, when given.</param>
    /// <param name="clientAborted">The client's token, not YARP's activity token, which would end streams longer than it.</param>
    public static async Task CopyAsync(HttpContext context, HttpResponseMessage upstream, bool stream, TimeSpan idleTimeout, UpstreamFailureLog failures, GatewayMetrics? metrics, CancellationToken clientAborted)
    {
        var record = context.Features.Get<RequestRecord>();
        var usage = record is null ? null : new OllamaUsageScanner();
        metrics?.StreamOpened(record);
        var body = context.Response.Body;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        var atLineStart = true;
        try
        {
            await using var source = await upstream.Content.ReadAsStreamAsync(clientAborted);
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, idle.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException && !clientAborted.IsCancellationRequested)
                {
                    var timedOut = ex is OperationCanceledException;
                    failures.Report((timedOut ? "an answer went silent: " : "an answer broke off: ") + UpstreamFailureLog.Describe(ex, timedOut), ex);
                    record?.End(timedOut ? RequestOutcome.Timeout : RequestOutcome.UpstreamError);
                    if (stream)
                    {
                        await WriteErrorLineAsync(body, atLineStart, timedOut ? "Ollama stopped sending data for longer than the idle timeout." : "The connection to Ollama was lost.", clientAborted);
                    }
                    else
                    {
                        context.Abort();
                    }

                    return;
                }

                if (read == 0)
                {
                    return;
                }

                record?.MarkFirstByte();
                record?.ResponseBytes += read;
                usage?.Feed(buffer.AsSpan(0, read));
                await body.WriteAsync(buffer.AsMemory(0, read), clientAborted);
                if (stream)
                {
                    await body.FlushAsync(clientAborted);
                }

                atLineStart = buffer[read - 1] == (byte)'\n';
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException) && clientAborted.IsCancellationRequested)
        {
            // The client left; returning disposes the upstream response and so cancels the request to Ollama.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (record is not null && usage is not null)
            {
                Account(record, usage, stream);
            }

            // Last: time per output token needs the record's counts, set just above.
            metrics?.StreamClosed();
        }
    }

    // Exact when Ollama's counts arrived: the done:true line of a stream, or a whole JSON answer (the legacy
    // /api/embeddings carries none, which counts as 0). A stream cut short is estimated from the lines relayed, as
    // Ollama writes about one token a line, and the record says it is an estimate.
    private static void Account(RequestRecord record, OllamaUsageScanner usage, bool stream)
    {
        if (stream ? usage.Done && usage.HasUsage : usage.Objects > 0)
        {
            record.SetUsage(usage.HasUsage ? usage.Usage : default);
        }
        else
        {
            record.EstimateCompletion(usage.OutputObjects);
        }

        if (usage.SawError)
        {
            // Ollama's own mid-stream error line: relayed as written, and the request did not complete.
            record.End(RequestOutcome.UpstreamError);
        }
    }

    private static async Task WriteErrorLineAsync(Stream body, bool atLineStart, string message, CancellationToken cancellationToken)
    {
        // A line cut in the middle is closed first, so the error stands on a line of its own.
        var line = System.Text.Encoding.UTF8.GetBytes((atLineStart ? string.Empty : "\n") + "{\"error\":\"" + message + "\"}\n");
        await body.WriteAsync(line, cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
