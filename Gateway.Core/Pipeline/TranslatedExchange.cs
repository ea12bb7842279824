using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Routing;
using OllamaGateway.Translation;
using OllamaGateway.Translation.Ollama;
using OllamaGateway.Validation;
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;

namespace OllamaGateway.Pipeline;

/// <summary>
/// The flow every translated route shares, whatever its API: read the client's body within the route's cap (413),
/// translate it (400), check the key's model allow-list (403), guard the native body (400), call Ollama with first-byte
/// and idle timeouts, then relay the stream through the route's <see cref="IStreamTranslator"/> or translate the whole
/// answer (502 when it cannot be), and map Ollama's failures into the route's error shape. The route row names the
/// translator and the API (<see cref="GatewayRoute.Translator"/>, <see cref="GatewayRoute.Surface"/>); translators are
/// pure, and all of the I/O is here. Each step that fails has answered the client and noted why on the request record.
/// </summary>
internal sealed partial class TranslatedExchange(
    UpstreamRouter router, RequestGuardSettings guard, BodyLimits limits, IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider timeProvider, ILogger<TranslatedExchange> logger)
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly System.Net.Http.Headers.MediaTypeHeaderValue s_json = new("application/json");

    private readonly long _maxAnswerBytes = options.Value.MaxTranslatedResponseBytes;
    private readonly TimeSpan _idleTimeout = options.Value.UpstreamIdleTimeout;

    /// <summary>Runs the whole exchange for a translated <paramref name="route"/>.</summary>
    public async Task ExchangeAsync(HttpContext context, RequestRecord record, ApiKey key, GatewayRoute route, CancellationToken cancellationToken)
    {
        var translator = route.Translator!;
        var body = await RequestBodyReader.ReadForRouteAsync(context, route, limits, record, cancellationToken);
        if (body is null)
        {
            return;
        }

        var (request, error) = translator.TranslateRequest(body);
        if (request is null)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, StatusCodes.Status400BadRequest, error!.Message, error.Param, error.Code, GatewayError.InvalidRequest);
            return;
        }

        record.RequestedModel = request.Model;
        record.EndUser = request.EndUser;
        if (!key.Models.Allows(request.Model))
        {
            await ErrorResponder.WriteAsync(context, route.Surface, GatewayError.ModelForbidden, $"This key may not use the model '{ClientText.Quote(request.Model)}'.", param: "model");
            return;
        }

        // The same caps and checks as a native request (num_predict, num_ctx, keep_alive, image count): one policy.
        var (guarded, guardError) = guard.Check(route.Endpoint!.Value, request.OllamaBody);
        if (guarded is null)
        {
            await ErrorResponder.WriteAsync(context, route.Surface, guardError!.Status, guardError.Message, null, null, GatewayError.InvalidRequest);
            return;
        }

        if (request.LocalAnswer is { } localAnswer)
        {
            // Answered by the gateway itself (Anthropic's count_tokens): the key's checks applied, Ollama is not called.
            await WriteJsonAsync(context, localAnswer, cancellationToken);
            return;
        }

        record.UpstreamModel = request.Model;
        using var attempt = await router.RouteAsync(context, route.Surface, management: false, request.Model);
        if (attempt is null)
        {
            return;
        }

        Log.Translating(logger, key.Name, route.Name, ClientText.Quote(request.Model), request.Stream, ClientText.Quote(request.EndUser));
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Stream && translator.StreamKeepAlive is { } keepAlive)
        {
            await StreamOpenedEarlyAsync(context, record, key, route, attempt, translator.CreateStream(request, timeProvider.GetUtcNow().ToUnixTimeSeconds()), guarded.Body, keepAlive, activity, cancellationToken);
            return;
        }

        using var upstreamResponse = await SendAsync(context, route.Surface, key, attempt, HttpMethod.Post, route.OllamaPath!, guarded.Body, activity, cancellationToken);
        if (upstreamResponse is null)
        {
            return;
        }

        router.AfterAnswer(attempt, route, (int)upstreamResponse.StatusCode);

        var created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream)
        {
            await StreamAsync(context, record, upstreamResponse, translator.CreateStream(request, created), activity, cancellationToken);
            return;
        }

        var answer = await ReadAnswerAsync(context, route.Surface, upstreamResponse, activity, cancellationToken);
        if (answer is null)
        {
            return;
        }

        await LargeBody.LeaveIoThread(answer.Length);
        var translated = translator.TranslateAnswer(request, answer, created);
        if (translated.Json is null)
        {
            await WriteUnusableAnswerAsync(context, route.Surface, translated.Problem);
            return;
        }

        record.SetUsage(translated.Usage);
        await WriteJsonAsync(context, translated.Json, cancellationToken);
    }

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

    /// <summary>Writes a whole JSON answer with status 200.</summary>
    public static async Task WriteJsonAsync(HttpContext context, byte[] json, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        if (context.Features.Get<RequestRecord>() is { } record)
        {
            record.MarkFirstByte();
            record.ResponseBytes = json.Length;
        }

        await response.Body.WriteAsync(json, cancellationToken);
    }

    /// <summary>
    /// The stream of a route that must show life while Ollama is silent (<see cref="IRouteTranslator.StreamKeepAlive"/>):
    /// the 200 and the opening event go out before Ollama is called, a keep-alive follows every interval until Ollama
    /// answers (a model load can take minutes) and whenever it then falls silent, and an error Ollama answers with
    /// after that becomes the API's in-stream error event (the status is gone). Everything the gateway refuses itself
    /// (body, key, model, guard) was answered with its status before.
    /// </summary>
    private async Task StreamOpenedEarlyAsync(HttpContext context, RequestRecord record, ApiKey key, GatewayRoute route, UpstreamAttempt attempt, IStreamTranslator translator, byte[] body, TimeSpan keepAlive, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        var response = context.Response;
        StartEventStream(response);
        var output = response.BodyWriter;
        var late = new LateError();
        context.Features.Set(late);
        using var ticks = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<HttpResponseMessage?>? send = null;
        HttpResponseMessage? upstreamResponse = null;
        try
        {
            translator.WriteKeepAlive(output);

            // Each tick is set before the flush that precedes it, so whoever sees an event knows the next tick is set.
            var tick = Task.Delay(keepAlive, timeProvider, ticks.Token);
            await output.FlushAsync(cancellationToken);
            record.MarkFirstByte();
            send = SendAsync(context, route.Surface, key, attempt, HttpMethod.Post, route.OllamaPath!, body, activity, cancellationToken);
            while (await Task.WhenAny(send, tick) != send)
            {
                translator.WriteKeepAlive(output);
                tick = Task.Delay(keepAlive, timeProvider, ticks.Token);
                await output.FlushAsync(cancellationToken);
            }

            upstreamResponse = await send;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left while only keep-alives went out; the Ollama call shares its token and ends too (and
            // logs it; before it started, this does).
            record.End(RequestOutcome.ClientClosed);
            if (send is null)
            {
                Log.ClientGone(logger);
                return;
            }

            (await send)?.Dispose();
            return;
        }
        finally
        {
            ticks.Cancel();
        }

        using (upstreamResponse)
        {
            if (upstreamResponse is not null)
            {
                await StreamAsync(context, record, upstreamResponse, translator, activity, cancellationToken, keepAlive);
                return;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                record.End(RequestOutcome.ClientClosed);
                return;
            }

            // SendAsync answered Ollama's error (or 502/504) through ErrorResponder, which noted it here.
            translator.WriteUpstreamError(output, late.Status == 0 ? StatusCodes.Status502BadGateway : late.Status, late.Message ?? "Ollama could not be reached.");
            await output.FlushAsync(cancellationToken);
        }
    }

    private static void StartEventStream(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>
    /// Waits for Ollama's next bytes, writing a keep-alive each time <paramref name="tick"/> comes first, and returns the
    /// tick still pending. A tick runs from the last keep-alive, not from the last line: a ping among lines is harmless.
    /// The line reader consumes nothing here, so no keep-alive is ever written while a line is being translated.
    /// </summary>
    private async Task<Task> WaitShowingLifeAsync(NdjsonLineReader lines, IStreamTranslator translator, PipeWriter output, TimeSpan keepAlive, Task tick, CancellationToken tickToken, CancellationToken activityToken, CancellationToken cancellationToken)
    {
        var ready = lines.WaitAsync(activityToken).AsTask();
        while (await Task.WhenAny(ready, tick) != ready)
        {
            translator.WriteKeepAlive(output);

            // Set before the flush, so whoever sees the keep-alive knows the next tick is set.
            tick = Task.Delay(keepAlive, timeProvider, tickToken);
            await output.FlushAsync(cancellationToken);
        }

        await ready;
        return tick;
    }

    /// <summary>
    /// Writes Ollama's NDJSON stream as the API's stream events, flushing after every read, so each chunk reaches the
    /// client as Ollama produces it. Nothing is accumulated: lines are translated and written one by one.
    /// </summary>
    private async Task StreamAsync(HttpContext context, RequestRecord record, HttpResponseMessage upstreamResponse, IStreamTranslator translator, CancellationTokenSource activity, CancellationToken cancellationToken, TimeSpan? keepAlive = null)
    {
        var response = context.Response;
        if (!response.HasStarted)
        {
            StartEventStream(response);
        }

        var output = response.BodyWriter;
        using var ticks = keepAlive is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        metrics.StreamOpened(record);
        try
        {
            var tick = keepAlive is { } first ? Task.Delay(first, timeProvider, ticks!.Token) : null;
            await using var upstreamStream = await upstreamResponse.Content.ReadAsStreamAsync(activity.Token);
            await using var lines = new NdjsonLineReader(upstreamStream, (int)Math.Min(int.MaxValue, _maxAnswerBytes));
            var finished = false;
            while (!finished)
            {
                activity.CancelAfter(_idleTimeout);
                if (tick is not null)
                {
                    tick = await WaitShowingLifeAsync(lines, translator, output, keepAlive!.Value, tick, ticks!.Token, activity.Token, cancellationToken);
                }

                var outcome = await lines.ReadAsync(line => translator.TranslateLine(line, output), activity.Token);
                finished = outcome != NdjsonReadOutcome.More;
                switch (outcome)
                {
                    case NdjsonReadOutcome.Finished when translator.State == StreamState.Completed:
                        translator.WriteDone(output);
                        break;
                    case NdjsonReadOutcome.EndOfStream:
                        translator.WriteError(output, "Ollama ended the stream before it was complete.");
                        record.End(RequestOutcome.UpstreamError);
                        break;
                    case NdjsonReadOutcome.LineTooLong:
                        translator.WriteError(output, "Ollama sent a line larger than Gateway:MaxTranslatedResponseBytes.");
                        record.End(RequestOutcome.UpstreamError);
                        break;
                }

                record.MarkFirstByte();
                await output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left: the caller disposes the upstream response, which aborts Ollama's work.
            Log.ClientGone(logger);
            record.End(RequestOutcome.ClientClosed);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            var timedOut = ex is OperationCanceledException;
            FailuresOf(context).Report("a translated stream broke off: " + UpstreamFailureLog.Describe(ex, timedOut), ex);
            translator.WriteError(output, timedOut ? "Ollama stopped sending data for longer than the idle timeout." : "The connection to Ollama was lost.");
            record.End(timedOut ? RequestOutcome.Timeout : RequestOutcome.UpstreamError);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            ticks?.Cancel();
            if (translator.State == StreamState.Completed)
            {
                record.SetUsage(translator.Usage);
            }
            else
            {
                // Cut short: Ollama's counts never came. Its prompt count is unknown; its output, about a token a chunk.
                record.EstimateCompletion(translator.ContentChunks);
            }

            metrics.StreamClosed();
        }
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
    private UpstreamFailureLog FailuresOf(HttpContext context) =>
        (router.Upstreams.Find(context.Features.Get<RequestRecord>()?.Upstream) ?? router.Upstreams.All[0]).Failures;

    private async Task FailAsync(HttpContext context, ApiSurface surface, UpstreamFailureLog failures, Exception exception, CancellationToken cancellationToken)
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
        // The end user is the client's id for its own user: recorded for attribution, never sent to Ollama.
        [LoggerMessage(3001, LogLevel.Information, "Key {KeyName}: {Route} for {Model} (stream: {Stream}, user: {EndUser}).", EventName = "Translating")]
        public static partial void Translating(ILogger logger, string keyName, string route, string model, bool stream, string? endUser);

        [LoggerMessage(3002, LogLevel.Debug, "The client went away; the upstream request was cancelled.", EventName = "TranslationClientGone")]
        public static partial void ClientGone(ILogger logger);

        [LoggerMessage(3005, LogLevel.Warning, "Ollama's answer could not be translated: {Problem}", EventName = "TranslationAnswerUnusable")]
        public static partial void UnusableAnswer(ILogger logger, string? problem);
    }
}
