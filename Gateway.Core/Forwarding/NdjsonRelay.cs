using System.Buffers;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;

namespace OllamaGateway.Forwarding;

/// <summary>
/// Copies a native NDJSON stream (chat, generate, pull progress) from Ollama to the client byte for byte,
/// flushing after every read, with an idle timeout between reads. When Ollama goes silent or drops the
/// connection, the client gets a final <c>{"error":"..."}</c> line — Ollama's own mid-stream error shape —
/// instead of a cut connection, and leaving here disposes the upstream response, which cancels Ollama's work.
/// </summary>
internal static class NdjsonRelay
{
    private const int BufferSize = 16 * 1024;

    public static bool IsNdjson(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "application/x-ndjson", StringComparison.OrdinalIgnoreCase);

    // clientAborted is the client's token, not YARP's activity token, which would end streams longer than it.
    public static async Task CopyAsync(HttpContext context, HttpResponseMessage upstream, TimeSpan idleTimeout, UpstreamFailureLog failures, CancellationToken clientAborted)
    {
        var record = context.Features.Get<RequestRecord>();
        var body = context.Response.Body;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        var atLineStart = true;
        var metrics = GatewayMetrics.Of(context);
        metrics?.StreamOpened(record);
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
                catch (OperationCanceledException ex) when (!clientAborted.IsCancellationRequested)
                {
                    failures.Report("a stream went silent: timed out", ex);
                    record?.End(RequestOutcome.Timeout);
                    await WriteErrorLineAsync(body, atLineStart, "Ollama stopped sending data for longer than the idle timeout.", clientAborted);
                    return;
                }
                catch (Exception ex) when ((ex is IOException or HttpRequestException) && !clientAborted.IsCancellationRequested)
                {
                    failures.Report("a stream broke off: " + UpstreamFailureLog.Describe(ex, timedOut: false), ex);
                    record?.End(RequestOutcome.UpstreamError);
                    await WriteErrorLineAsync(body, atLineStart, "The connection to Ollama was lost.", clientAborted);
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                record?.MarkFirstByte();
                record?.ResponseBytes += read;
                await body.WriteAsync(buffer.AsMemory(0, read), clientAborted);
                await body.FlushAsync(clientAborted);
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
            metrics?.StreamClosed();
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
