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
    OllamaUpstream upstream, RequestGuardSettings guard, BodyLimits limits, IOptions<GatewayOptions> options, UpstreamFailureLog failures, TimeProvider timeProvider, ILogger<TranslatedExchange> logger)
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly System.Net.Http.Headers.MediaTypeHeaderValue s_json = new("application/json");

    private readonly long _maxAnswerBytes = options.Value.MaxTranslatedResponseBytes;

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

        record.UpstreamModel = request.Model;
        Log.Translating(logger, key.Name, route.Name, ClientText.Quote(request.Model), request.Stream, ClientText.Quote(request.EndUser));
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upstreamResponse = await SendAsync(context, route.Surface, key, HttpMethod.Post, route.OllamaPath!, guarded.Body, activity, cancellationToken);
        if (upstreamResponse is null)
        {
            return;
        }

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
    /// Sends a request to Ollama. Returns the response when Ollama answered 2xx; otherwise answers the client (Ollama's
    /// error in the route's shape with the same status, 502 unreachable, 504 silent) and returns null. The caller
    /// disposes the response; disposing it early aborts Ollama's work.
    /// </summary>
    public async Task<HttpResponseMessage?> SendAsync(HttpContext context, ApiSurface surface, ApiKey key, HttpMethod method, string path, byte[]? body, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
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
            await FailAsync(context, surface, ex, cancellationToken);
            return null;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            await WriteUpstreamErrorAsync(context, surface, response, showText: key.Admin, activity, cancellationToken);
        }

        return null;
    }

    /// <summary>Reads a whole (non-streamed) answer within the cap; on failure answers the client and returns null.</summary>
    public async Task<byte[]?> ReadAnswerAsync(HttpContext context, ApiSurface surface, HttpResponseMessage response, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        byte[]? answer;
        try
        {
            activity.CancelAfter(upstream.IdleTimeout);
            answer = await UpstreamBodyReader.ReadAsync(response.Content, _maxAnswerBytes, activity.Token);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            await FailAsync(context, surface, ex, cancellationToken);
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
    /// Writes Ollama's NDJSON stream as the API's stream events, flushing after every read, so each chunk reaches the
    /// client as Ollama produces it. Nothing is accumulated: lines are translated and written one by one.
    /// </summary>
    private async Task StreamAsync(HttpContext context, RequestRecord record, HttpResponseMessage upstreamResponse, IStreamTranslator translator, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        var output = response.BodyWriter;
        var metrics = GatewayMetrics.Of(context);
        metrics?.StreamOpened(record);
        try
        {
            await using var upstreamStream = await upstreamResponse.Content.ReadAsStreamAsync(activity.Token);
            await using var lines = new NdjsonLineReader(upstreamStream, (int)Math.Min(int.MaxValue, _maxAnswerBytes));
            var finished = false;
            while (!finished)
            {
                activity.CancelAfter(upstream.IdleTimeout);
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
            failures.Report("a translated stream broke off: " + UpstreamFailureLog.Describe(ex, timedOut), ex);
            translator.WriteError(output, timedOut ? "Ollama stopped sending data for longer than the idle timeout." : "The connection to Ollama was lost.");
            record.End(timedOut ? RequestOutcome.Timeout : RequestOutcome.UpstreamError);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            if (translator.State == StreamState.Completed)
            {
                record.SetUsage(translator.Usage);
            }
            else
            {
                // Cut short: Ollama's counts never came. Its prompt count is unknown; its output, about a token a chunk.
                record.EstimateCompletion(translator.ContentChunks);
            }

            metrics?.StreamClosed();
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

    private async Task FailAsync(HttpContext context, ApiSurface surface, Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Log.ClientGone(logger);
            return;
        }

        var timedOut = exception is OperationCanceledException;
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
