using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using Microsoft.Extensions.Logging;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Policy;
using Yarp.ReverseProxy.Forwarder;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Native routes go to Ollama through YARP's forwarder: bodies stream both ways, status codes and
/// Ollama's own error bodies come back unchanged. Only the gateway's own failures (unreachable, timed
/// out) are answered here, in Ollama's error shape.
/// </summary>
internal sealed partial class PassthroughHandler(IHttpForwarder forwarder, OllamaUpstream upstream, ILogger<PassthroughHandler> logger)
{
    /// <summary>For admin keys: Ollama's answers come back exactly as Ollama wrote them.</summary>
    public PassthroughTransformer ForAdmins { get; } = new(scrubServerErrors: false, upstream.IdleTimeout);

    /// <summary>For other keys: Ollama's 5xx error text is replaced.</summary>
    public PassthroughTransformer ForUsers { get; } = new(scrubServerErrors: true, upstream.IdleTimeout);

    public async Task HandleAsync(HttpContext context, ApiSurface surface, ApiKey key, CancellationToken cancellationToken, HttpTransformer? transformer = null)
    {
        transformer ??= key.Admin ? ForAdmins : ForUsers;
        var error = await forwarder.SendAsync(context, upstream.DestinationPrefix, upstream.Invoker, upstream.RequestConfig, transformer, cancellationToken);
        if (error == ForwarderError.None)
        {
            return;
        }

        if (cancellationToken.IsCancellationRequested || IsClientSide(error))
        {
            Log.ClientGone(logger, error);
            return;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        Log.UpstreamFailed(logger, error, exception);
        if (!context.Response.HasStarted)
        {
            // YARP has set a status; replace the empty answer with one in Ollama's shape.
            context.Response.Clear();
            await ErrorResponder.WriteAsync(context, surface, error == ForwarderError.RequestTimedOut ? GatewayError.UpstreamTimeout : GatewayError.UpstreamUnavailable);
        }
    }

    private static bool IsClientSide(ForwarderError error) => error is ForwarderError.RequestCanceled
        or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
        or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient;

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Debug, "The client went away before the answer was complete ({Error}); the upstream request was cancelled.", EventName = "ClientGone")]
        public static partial void ClientGone(ILogger logger, ForwarderError error);

        [LoggerMessage(4002, LogLevel.Warning, "Forwarding to Ollama failed: {Error}.", EventName = "UpstreamFailed")]
        public static partial void UpstreamFailed(ILogger logger, ForwarderError error, Exception? exception);
    }
}
