using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Errors;
using OllamaGateway.Routing;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Reads a request body that the gateway must inspect, never more than the cap: a declared Content-Length over it is
/// refused before a byte is read, and a chunked body is cut off as soon as it passes it. Broken framing (a bad chunk
/// size, a chunked body over the server's limit) is a refusal too, never an exception that escapes as a bare 500/413.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>
    /// Reads the body of a request on <paramref name="route"/> within the route's cap, the step every route that checks
    /// or translates a body begins with: on success notes its size on the record and leaves the I/O thread when it is
    /// large (<see cref="LargeBody"/>); on failure answers 413 or 400 in the route's shape and returns null.
    /// </summary>
    public static async Task<byte[]?> ReadForRouteAsync(HttpContext context, GatewayRoute route, BodyLimits limits, RequestRecord record, CancellationToken cancellationToken)
    {
        var (body, error) = await ReadAsync(context.Request, limits.For(route) ?? long.MaxValue, cancellationToken);
        if (body is null)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, error);
            return null;
        }

        record.RequestBytes = body.Length;
        await LargeBody.LeaveIoThread(body.Length);
        return body;
    }

    /// <summary>
    /// Whether an exception from reading a request body means the client's framing was broken, rather than that the
    /// client went away (a reset connection, an aborted request): only the former deserves an answer.
    /// </summary>
    public static bool IsBadFraming(Exception exception, HttpContext context) =>
        exception is BadHttpRequestException
        || (exception is IOException and not ConnectionResetException && !context.RequestAborted.IsCancellationRequested);

    /// <summary>Returns the body, or the refusal: <see cref="GatewayError.RequestBodyTooLarge"/> or <see cref="GatewayError.MalformedBody"/>.</summary>
    public static async Task<(byte[]? Body, GatewayError Error)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, GatewayError.RequestBodyTooLarge);
        }

        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    return (null, GatewayError.RequestBodyTooLarge);
                }

                if (result.IsCompleted)
                {
                    var bytes = buffer.ToArray();
                    reader.AdvanceTo(buffer.End);
                    return (bytes, GatewayError.None);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's verdict on the framing: 413 when the body passed the limit the pipeline set on the server
            // (a chunked body has no length to check first), 400 for a malformed chunk or a body cut short.
            return (null, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? GatewayError.RequestBodyTooLarge : GatewayError.MalformedBody);
        }
        catch (IOException ex) when (IsBadFraming(ex, request.HttpContext))
        {
            // Kestrel reports a chunk size that overflows (8 to 20 hex digits) as a plain IOException.
            return (null, GatewayError.MalformedBody);
        }
    }
}
