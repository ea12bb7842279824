using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Routing;
using OllamaGateway.Translation.Ollama;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// The gateway's own calls to Ollama, for the routes it answers itself (translated routes, <c>/v1/models</c>): routed to
/// a server, with the first-byte and idle timeouts, failed over once before anything reached the client, and every
/// failure answered in the route's error shape — Ollama's own error with its status (its 5xx text only for admin keys),
/// 502 when it cannot be reached or its answer cannot be used, 504 when it is silent.
/// </summary>
internal sealed partial class OllamaCall(UpstreamRouter router, IOptions<GatewayOptions> options, ILogger<OllamaCall> logger)
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly System.Net.Http.Headers.MediaTypeHeaderValue s_json = new("application/json");

    private readonly long _maxAnswerBytes = options.Value.MaxTranslatedResponseBytes;
    private readonly TimeSpan _idleTimeout = options.Value.UpstreamIdleTimeout;

    /// <summary>The upstream set's router: the exchange asks it where a model's request goes.</summary>
    public UpstreamRouter Router => router;

    /// <summary>
    /// Sends a request that names no model to Ollama (any healthy server, or the one the request names with
    /// <see cref="UpstreamSet.PinHeader"/>). Returns the response when Ollama answered 2xx; otherwise answers the client
    /// (Ollama's error in the route's shape with the same status, 502 unreachable, 504 silent) and returns null. The caller
    /// disposes the response; disposing it early aborts Ollama's work.
    /// </summary>
    public async Task<HttpResponseMessage?> SendAsync(HttpContext context, ApiSurface surface, ApiKey key, HttpMethod method, string path, byte[]? body, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        using var attempt = await router.RouteAsync(context, surface, management: false, model: null);
        return attempt is null ? null : await SendAsync(context, surface, key, attempt, method, path, body, activity, cancellationToken);
    }

    /// <summary>
    /// Sends a request to <paramref name="attempt"/>'s server, as <see cref="SendAsync(HttpContext, ApiSurface, ApiKey, HttpMethod, string, byte[], CancellationTokenSource, CancellationToken)"/>
    /// does. With several servers, a request that fails before any answer (refused or reset connection, Ollama's 503
    /// "server busy") goes once to another healthy server that has the model: nothing has reached the client yet.
    /// </summary>
    internal async Task<HttpResponseMessage?> SendAsync(HttpContext context, ApiSurface surface, ApiKey key, UpstreamAttempt attempt, HttpMethod method, string path, byte[]? body, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        while (true)
        {
            var upstream = attempt.Upstream;
            using var request = new HttpRequestMessage(method, upstream.UriFor(path))
            {
                Version = upstream.RequestConfig.Version!,
                VersionPolicy = upstream.RequestConfig.VersionPolicy!.Value,
            };
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body) { Headers = { ContentType = s_json } };
            }

            context.Features.Get<RequestRecord>()?.Upstream = upstream.Name;
            HttpResponseMessage response;
            try
            {
                activity.CancelAfter(upstream.FirstByteTimeout);
                response = await upstream.Invoker.SendAsync(request, activity.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    switch (router.AfterFailure(attempt, ex))
                    {
                        case UpstreamFailureAction.FailOver:
                            upstream.Failures.Report(UpstreamFailureLog.Describe(ex, timedOut: false), ex);
                            router.FailOver(context, attempt, UpstreamFailureLog.Describe(ex, timedOut: false));
                            continue;
                        case UpstreamFailureAction.Unavailable:
                            upstream.Failures.Report(UpstreamFailureLog.Describe(ex, timedOut: false), ex);
                            await router.WriteUnavailableAsync(context, surface, attempt.RequestedModel, attempt.Model);
                            return null;
                    }
                }

                await FailAsync(context, surface, upstream.Failures, ex, cancellationToken);
                return null;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && attempt.TryFindAlternative())
            {
                response.Dispose();
                router.FailOver(context, attempt, "503 busy");
                continue;
            }

            using (response)
            {
                router.AfterAnswer(attempt, null, (int)response.StatusCode);
                await WriteUpstreamErrorAsync(context, surface, response, showText: key.Admin, activity, cancellationToken);
            }

            return null;
        }
    }

    /// <summary>Reads a whole (non-streamed) answer within the cap; on failure answers the client and returns null.</summary>
    public async Task<byte[]?> ReadAnswerAsync(HttpContext context, ApiSurface surface, HttpResponseMessage response, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        byte[]? answer;
        try
        {
            activity.CancelAfter(_idleTimeout);
            answer = await UpstreamBodyReader.ReadAsync(response.Content, _maxAnswerBytes, activity.Token);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            await FailAsync(context, surface, FailuresOf(context), ex, cancellationToken);
            return null;
        }

        if (answer is null)
        {
            await ErrorResponder.WriteAsync(context, surface, GatewayError.UpstreamInvalidResponse, "Ollama's answer is larger than Gateway:MaxTranslatedResponseBytes.");
        }

        return answer;
    }

    /// <summary>Answers 502 for an Ollama answer that could not be translated.</summary>
    public Task WriteUnusableAnswerAsync(HttpContext context, ApiSurface surface, string? problem)
    {
        Log.UnusableAnswer(logger, problem);
        context.Response.Headers["x-should-retry"] = "false";
        return ErrorResponder.WriteAsync(context, surface, GatewayError.UpstreamInvalidResponse);
    }

    private static async Task WriteUpstreamErrorAsync(HttpContext context, ApiSurface surface, HttpResponseMessage upstreamResponse, bool showText, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        byte[] errorBody;
        try
        {
            errorBody = await UpstreamBodyReader.ReadAsync(upstreamResponse.Content, MaxErrorBodyBytes, activity.Token) ?? [];
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            errorBody = [];
        }

        var status = (int)upstreamResponse.StatusCode;
        var message = OllamaErrorTranslator.ReadMessage(errorBody);
        if (status < StatusCodes.Status400BadRequest)
        {
            // A redirect or other non-answer: never followed, and not something an API client can use.
            (status, message) = (StatusCodes.Status502BadGateway, $"Ollama answered {(int)upstreamResponse.StatusCode} instead of a result.");
        }
        else if (!showText && UpstreamErrors.HidesText(status))
        {
            message = UpstreamErrors.HiddenMessage(status);
        }

        // SDKs dispatch on the status; the code tells a missing model apart as OpenAI's own API does.
        var code = status == StatusCodes.Status404NotFound ? "model_not_found" : null;
        UpstreamErrors.AddRetryHints(context.Response, status, sdkHints: true);
        await ErrorResponder.WriteAsync(context, surface, status, message, null, code, GatewayError.UpstreamRefused);
    }

    // The failure log of the server the request went to (each server has its own outages).
    public UpstreamFailureLog FailuresOf(HttpContext context) =>
        (router.Upstreams.Find(context.Features.Get<RequestRecord>()?.Upstream) ?? router.Upstreams.All[0]).Failures;

    public async Task FailAsync(HttpContext context, ApiSurface surface, UpstreamFailureLog failures, Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Log.ClientGone(logger);
            return;
        }

        var timedOut = exception is OperationCanceledException && !UpstreamFailure.IsConnectFailure(exception);
        failures.Report(UpstreamFailureLog.Describe(exception, timedOut), exception);
        await ErrorResponder.WriteAsync(context, surface, timedOut ? GatewayError.UpstreamTimeout : GatewayError.UpstreamUnavailable);
    }

    private static partial class Log
    {
        [LoggerMessage(3002, LogLevel.Debug, "The client went away; the upstream request was cancelled.", EventName = "TranslationClientGone")]
        public static partial void ClientGone(ILogger logger);

        [LoggerMessage(3005, LogLevel.Warning, "Ollama's answer could not be translated: {Problem}", EventName = "TranslationAnswerUnusable")]
        public static partial void UnusableAnswer(ILogger logger, string? problem);
    }
}
