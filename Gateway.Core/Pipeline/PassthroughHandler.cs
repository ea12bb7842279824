using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Routing;
using OllamaGateway.Usage.Metrics;
using Yarp.ReverseProxy.Forwarder;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Native routes go to Ollama through YARP's forwarder: bodies stream both ways, status codes and
/// Ollama's own error bodies come back unchanged. Only the gateway's own failures (unreachable, timed
/// out, a request body with broken framing) are answered here, in Ollama's error shape. With several Ollama servers the
/// <see cref="UpstreamRouter"/> picks one, and a request that fails before any byte reached the client (refused or reset
/// connection, a 503 held back by the transformer) is sent once to another server that has the model.
/// </summary>
internal sealed partial class PassthroughHandler(IHttpForwarder forwarder, UpstreamRouter router, GatewayMetrics metrics, ILogger<PassthroughHandler> logger)
{
    private readonly UpstreamSet _upstreams = router.Upstreams;

    /// <summary>For admin keys: Ollama's answers come back exactly as Ollama wrote them.</summary>
    public PassthroughTransformer ForAdmins { get; } = new(scrubServerErrors: false, router.Upstreams.All[0].IdleTimeout, router.Upstreams.All[0].Failures, metrics, routed: router.Upstreams.IsSeveral);

    /// <summary>For other keys: Ollama's 5xx error text is replaced.</summary>
    public PassthroughTransformer ForUsers { get; } = new(scrubServerErrors: true, router.Upstreams.All[0].IdleTimeout, router.Upstreams.All[0].Failures, metrics, routed: router.Upstreams.IsSeveral);

    /// <summary>Forwards the request to the Ollama server for <paramref name="model"/> (null: a request that names none).</summary>
    public async Task HandleAsync(HttpContext context, GatewayRoute route, ApiKey key, string? model, CancellationToken cancellationToken, HttpTransformer? transformer = null)
    {
        transformer ??= key.Admin ? ForAdmins : ForUsers;
        if (_upstreams.Single is not { } upstream)
        {
            await HandleRoutedAsync(context, route, model, transformer, cancellationToken);
            return;
        }

        // One server: nothing to choose, nothing to fail over to; the request goes as it always did.
        context.Features.Get<RequestRecord>()?.Upstream = upstream.Name;
        upstream.Enter();
        try
        {
            var error = await forwarder.SendAsync(context, upstream.DestinationPrefix, upstream.Invoker, upstream.RequestConfig, transformer, cancellationToken);
            if (error != ForwarderError.None)
            {
                await FailAsync(context, route.Surface, upstream, error, cancellationToken);
            }
        }
        finally
        {
            upstream.Leave();
        }
    }

    private async Task HandleRoutedAsync(HttpContext context, GatewayRoute route, string? model, HttpTransformer transformer, CancellationToken cancellationToken)
    {
        using var attempt = await router.RouteAsync(context, route.Surface, route.Kind == RouteKind.Management, model);
        if (attempt is null)
        {
            return;
        }

        // Blob uploads stream a body that cannot be sent twice; they are management and never fail over anyway.
        context.Features.Set(attempt);
        while (true)
        {
            var upstream = attempt.Upstream;
            context.Features.Get<RequestRecord>()?.Upstream = upstream.Name;
            var error = await forwarder.SendAsync(context, upstream.DestinationPrefix, upstream.Invoker, upstream.RequestConfig, transformer, cancellationToken);
            if (error == ForwarderError.None && attempt.Alternative is not null)
            {
                // The transformer held back Ollama's 503 ("server busy") before any of it went to the client.
                Restart(context);
                router.FailOver(context, attempt, "503 busy");
                continue;
            }

            if (error == ForwarderError.None)
            {
                router.AfterAnswer(attempt, route, context.Response.StatusCode);
                return;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (!cancellationToken.IsCancellationRequested && !context.Response.HasStarted && error is ForwarderError.Request or ForwarderError.RequestTimedOut)
            {
                switch (router.AfterFailure(attempt, exception))
                {
                    case UpstreamFailureAction.FailOver:
                        upstream.Failures.Report(UpstreamFailureLog.Describe(exception, timedOut: false), exception);
                        Restart(context);
                        router.FailOver(context, attempt, UpstreamFailureLog.Describe(exception, timedOut: false));
                        continue;
                    case UpstreamFailureAction.Unavailable:
                        upstream.Failures.Report(UpstreamFailureLog.Describe(exception, timedOut: false), exception);
                        context.Response.Clear();
                        await router.WriteUnavailableAsync(context, route.Surface, attempt.RequestedModel, attempt.Model);
                        return;
                }
            }

            await FailAsync(context, route.Surface, upstream, error, cancellationToken);
            return;
        }
    }

    // Before the same request goes to another server: nothing of the first try may remain on the response, and a checked
    // body (a byte array, never the client's stream) is read again from its start.
    private static void Restart(HttpContext context)
    {
        context.Response.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
        if (context.Request.Body is MemoryStream body)
        {
            body.Position = 0;
        }
    }

    private async Task FailAsync(HttpContext context, ApiSurface surface, OllamaUpstream upstream, ForwarderError error, CancellationToken cancellationToken)
    {
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

        var timedOut = error == ForwarderError.RequestTimedOut && !UpstreamFailure.IsConnectFailure(exception);
        upstream.Failures.Report(UpstreamFailureLog.Describe(exception, timedOut), exception);
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
