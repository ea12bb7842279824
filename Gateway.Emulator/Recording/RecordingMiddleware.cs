using Microsoft.AspNetCore.Http;

namespace OllamaGateway.Emulator.Recording;

/// <summary>
/// Records every request (headers and the whole body) before it is handled, and watches
/// <see cref="HttpContext.RequestAborted"/> to notice a client that leaves mid-response.
/// </summary>
internal sealed class RecordingMiddleware(RequestDelegate next, RequestRecorder recorder)
{
    private const long MaxBodyBytes = 256L * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException
            or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // Client gave up while sending the body: record what we know and stop.
            var partial = new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", headers, []);
            recorder.Add(partial);
            partial.MarkAborted();
            partial.MarkCompleted(499);
            return;
        }

        request.Body = new MemoryStream(body, writable: false);
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", headers, body);
        context.Features.Set(recorded);
        recorder.Add(recorded);

        var finished = 0;
        using var registration = context.RequestAborted.Register(() =>
        {
            if (Volatile.Read(ref finished) == 0)
            {
                recorded.MarkAborted();
            }
        });
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; Kestrel has nothing to send it.
            recorded.MarkAborted();
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested
            && ex is IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            recorded.MarkAborted();
        }
        finally
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                recorded.MarkAborted();
            }

            Volatile.Write(ref finished, 1);
            recorded.MarkCompleted(recorded.WasAborted ? 499 : context.Response.StatusCode);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new IOException("Request body too large for the emulator.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
