using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Routing;
using Yarp.ReverseProxy.Forwarder;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Native routes go to Ollama through YARP's forwarder: bodies stream both ways, status codes and
/// Ollama's own error bodies come back unchanged. Only the gateway's own failures (unreachable, timed
/// out, a request body with broken framing) are answered here, in Ollama's error shape.
/// </summary>
internal sealed partial class PassthroughHandler(IHttpForwarder forwarder, OllamaUpstream upstream, UpstreamFailureLog failures, ILogger<PassthroughHandler> logger)
{
    /// <summary>For admin keys: Ollama's answers come back exactly as Ollama wrote them.</summary>
    public PassthroughTransformer ForAdmins { get; } = new(scrubServerErrors: false, upstream.IdleTimeout, failures);

    /// <summary>For other keys: Ollama's 5xx error text is replaced.</summary>
    public PassthroughTransformer ForUsers { get; } = new(scrubServerErrors: true, upstream.IdleTimeout, failures);

    public async Task HandleAsync(HttpContext context, ApiSurface surface, ApiKey key, CancellationToken cancellationToken, HttpTransformer? transformer = null)
    {
        transformer ??= key.Admin ? ForAdmins : ForUsers;
        context.Features.Get<RequestRecord>()?.Upstream = upstream.Name;
        var error = await forwarder.SendAsync(context, upstream.DestinationPrefix, upstream.Invoker, upstream.RequestConfig, transformer, cancellationToken);
        if (error == ForwarderError.None)
        {
            return;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error == ForwarderError.RequestBodyClient && exception is not null && RequestBodyReader.IsBadFraming(exception, context))
        {
            // The client's body broke its own framing while YARP streamed it (a bad chunk size, over the server's
            // limit): the client's mistake, answered in Ollama's shape rather than as YARP's bare status.
            var tooLarge = exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };
            await WriteAsync(context, surface, tooLarge ? GatewayError.RequestBodyTooLarge : GatewayError.MalformedBody);
            return;
        }

        if (cancellationToken.IsCancellationRequested || IsClientSide(error))
        {
            Log.ClientGone(logger, error);
            return;
        }

        var timedOut = error == ForwarderError.RequestTimedOut;
        failures.Report(UpstreamFailureLog.Describe(exception, timedOut), exception);
        await WriteAsync(context, surface, timedOut ? GatewayError.UpstreamTimeout : GatewayError.UpstreamUnavailable);
    }

    private static Task WriteAsync(HttpContext context, ApiSurface surface, GatewayError error)
    {
        if (context.Response.HasStarted)
        {
            context.Features.Get<RequestRecord>()?.Fail(error);
            return Task.CompletedTask;
        }

        // YARP has set a status; replace the empty answer with one in Ollama's shape.
        context.Response.Clear();
        return ErrorResponder.WriteAsync(context, surface, error);
    }

    private static bool IsClientSide(ForwarderError error) => error is ForwarderError.RequestCanceled
        or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
        or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient;

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Debug, "The client went away before the answer was complete ({Error}); the upstream request was cancelled.", EventName = "ClientGone")]
        public static partial void ClientGone(ILogger logger, ForwarderError error);
    }
}
