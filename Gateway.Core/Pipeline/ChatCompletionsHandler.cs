using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Policy;
using OllamaGateway.Translation;

namespace OllamaGateway.Pipeline;

/// <summary>
/// <c>POST /v1/chat/completions</c>: the client's body is checked and rewritten for <c>/api/chat</c>, and
/// Ollama's answer is rewritten into OpenAI's shape — one object, or SSE events written and flushed as
/// each NDJSON line arrives. This is translation, not forwarding, so it sends its own request through the
/// same YARP-made connection pool rather than through <c>IHttpForwarder</c>.
/// </summary>
internal sealed partial class ChatCompletionsHandler(OllamaUpstream upstream, IOptions<GatewayOptions> options, TimeProvider timeProvider, ILogger<ChatCompletionsHandler> logger)
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly System.Net.Http.Headers.MediaTypeHeaderValue s_json = new("application/json");

    private readonly GatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, ApiKey key, CancellationToken cancellationToken)
    {
        var body = await RequestBodyReader.ReadAsync(context.Request, _options.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            await ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, GatewayError.RequestBodyTooLarge);
            return;
        }

        var (translation, error) = ChatRequestTranslator.Translate(body);
        if (translation is null)
        {
            await ErrorResponder.WriteAsync(context.Response, ApiSurface.OpenAI, StatusCodes.Status400BadRequest, error!.Message, "invalid_request_error", error.Param, error.Code);
            return;
        }

        using var upstreamRequest = new HttpRequestMessage(HttpMethod.Post, upstream.UriFor(GatewayPaths.OllamaChat))
        {
            Content = new ByteArrayContent(translation.OllamaBody) { Headers = { ContentType = s_json } },
            Version = upstream.RequestConfig.Version!,
            VersionPolicy = upstream.RequestConfig.VersionPolicy!.Value,
        };

        // One timer, re-armed before every wait on Ollama: it bounds the wait for the first byte and every
        // silence between chunks, never the whole (possibly long) generation.
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        activity.CancelAfter(upstream.ActivityTimeout);
        HttpResponseMessage upstreamResponse;
        try
        {
            upstreamResponse = await upstream.Invoker.SendAsync(upstreamRequest, activity.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            await FailBeforeStartAsync(context, ex, cancellationToken);
            return;
        }

        using (upstreamResponse)
        {
            Log.Translated(logger, key.Name, translation.Model, translation.Stream, (int)upstreamResponse.StatusCode);
            if (!upstreamResponse.IsSuccessStatusCode)
            {
                await WriteUpstreamErrorAsync(context, upstreamResponse, activity, cancellationToken);
            }
            else if (translation.Stream)
            {
                await StreamAsync(context, upstreamResponse, translation, activity, cancellationToken);
            }
            else
            {
                await WriteCompletionAsync(context, upstreamResponse, translation, activity, cancellationToken);
            }
        }
    }

    private async Task WriteCompletionAsync(HttpContext context, HttpResponseMessage upstreamResponse, ChatTranslation translation, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        byte[]? answer;
        try
        {
            answer = await UpstreamBodyReader.ReadAsync(upstreamResponse.Content, _options.MaxTranslatedResponseBytes, activity.Token);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            await FailBeforeStartAsync(context, ex, cancellationToken);
            return;
        }

        if (answer is null)
        {
            await ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, GatewayError.UpstreamInvalidResponse, "Ollama's answer is larger than Gateway:MaxTranslatedResponseBytes.");
            return;
        }

        if (!ChatResponseTranslator.TryTranslate(answer, ChatStreamTranslator.NewId(), Now(), translation.Model, out var completion, out var problem))
        {
            Log.UnusableAnswer(logger, problem);
            await ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, GatewayError.UpstreamInvalidResponse);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = completion.Length;
        await response.Body.WriteAsync(completion, cancellationToken);
    }

    private async Task StreamAsync(HttpContext context, HttpResponseMessage upstreamResponse, ChatTranslation translation, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        var translator = new ChatStreamTranslator(ChatStreamTranslator.NewId(), Now(), translation.Model, translation.IncludeUsage);
        var output = response.BodyWriter;
        var finished = false;
        try
        {
            await using var upstreamStream = await upstreamResponse.Content.ReadAsStreamAsync(activity.Token);
            await using var lines = new NdjsonLineReader(upstreamStream, (int)Math.Min(int.MaxValue, _options.MaxTranslatedResponseBytes));
            while (!finished)
            {
                activity.CancelAfter(upstream.ActivityTimeout);
                var outcome = await lines.ReadAsync(line => translator.TranslateLine(line, output), activity.Token);
                switch (outcome)
                {
                    case NdjsonReadOutcome.Finished:
                        finished = true;
                        if (translator.State == ChatStreamState.Completed)
                        {
                            translator.WriteDone(output);
                        }

                        break;
                    case NdjsonReadOutcome.EndOfStream:
                        finished = true;
                        translator.WriteError(output, "Ollama ended the stream before it was complete.", "api_error");
                        break;
                    case NdjsonReadOutcome.LineTooLong:
                        finished = true;
                        translator.WriteError(output, "Ollama sent a line larger than Gateway:MaxTranslatedResponseBytes.", "api_error");
                        break;
                }

                await output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left: leaving this method disposes the upstream response, which aborts Ollama's work.
            Log.ClientGone(logger);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            var timedOut = ex is OperationCanceledException;
            Log.StreamFailed(logger, timedOut, ex);
            translator.WriteError(output, timedOut ? "Ollama stopped sending data within the activity timeout." : "The connection to Ollama was lost.", "api_error");
            await output.FlushAsync(cancellationToken);
        }
    }

    private static async Task WriteUpstreamErrorAsync(HttpContext context, HttpResponseMessage upstreamResponse, CancellationTokenSource activity, CancellationToken cancellationToken)
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
        if (string.IsNullOrEmpty(message))
        {
            message = $"Ollama answered {status}.";
        }

        // SDKs dispatch on the status; the code tells a missing model apart as OpenAI's own API does.
        var code = status == StatusCodes.Status404NotFound ? "model_not_found" : null;
        await ErrorResponder.WriteAsync(context.Response, ApiSurface.OpenAI, status, message, ErrorResponder.OpenAITypeFor(status), null, code);
    }

    private async Task FailBeforeStartAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Log.ClientGone(logger);
            return;
        }

        var timedOut = exception is OperationCanceledException;
        Log.UpstreamFailed(logger, timedOut, exception);
        await ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, timedOut ? GatewayError.UpstreamTimeout : GatewayError.UpstreamUnavailable);
    }

    private long Now() => timeProvider.GetUtcNow().ToUnixTimeSeconds();

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Debug, "Key {KeyName} chat completion for {Model} (stream: {Stream}): Ollama answered {Status}.", EventName = "ChatTranslated")]
        public static partial void Translated(ILogger logger, string keyName, string model, bool stream, int status);

        [LoggerMessage(3002, LogLevel.Debug, "The client went away; the upstream chat request was cancelled.", EventName = "ChatClientGone")]
        public static partial void ClientGone(ILogger logger);

        [LoggerMessage(3003, LogLevel.Warning, "Calling Ollama failed (timed out: {TimedOut}).", EventName = "ChatUpstreamFailed")]
        public static partial void UpstreamFailed(ILogger logger, bool timedOut, Exception exception);

        [LoggerMessage(3005, LogLevel.Warning, "Ollama's chat answer could not be translated: {Problem}", EventName = "ChatAnswerUnusable")]
        public static partial void UnusableAnswer(ILogger logger, string? problem);

        [LoggerMessage(3004, LogLevel.Warning, "A streamed chat completion broke off (timed out: {TimedOut}).", EventName = "ChatStreamFailed")]
        public static partial void StreamFailed(ILogger logger, bool timedOut, Exception exception);
    }
}
