using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Policy;
using OllamaGateway.Translation;
using OllamaGateway.Validation;
using OllamaGateway.Translation.OpenAI;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Pipeline;

/// <summary>
/// The HTTP side every OpenAI route shares: reading the client's body within its cap, calling Ollama
/// through the YARP-made connection pool with first-byte and idle timeouts, turning Ollama's failures into OpenAI
/// errors, and pumping a stream through an <see cref="IStreamTranslator"/>. The translators themselves
/// are pure; this class holds all of the I/O.
/// </summary>
internal sealed partial class OpenAIExchange(OllamaUpstream upstream, RequestGuardSettings guard, IOptions<GatewayOptions> options, TimeProvider timeProvider, ILogger<OpenAIExchange> logger)
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly System.Net.Http.Headers.MediaTypeHeaderValue s_json = new("application/json");

    private readonly GatewayOptions _options = options.Value;

    public long Now() => timeProvider.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// The whole flow of a translated route: read the body (413), translate it (400), check the key's model
    /// allow-list (403), guard the native body (400), call Ollama, then either stream the answer through the
    /// route's SSE translator or translate the whole answer (502 when it cannot be). Each step that fails has
    /// already answered the client, so the flow just stops there.
    /// </summary>
    /// <param name="context">The client's request.</param>
    /// <param name="key">The authenticated key.</param>
    /// <param name="endpoint">The native endpoint, for the guard's rules.</param>
    /// <param name="ollamaPath">The native path to call.</param>
    /// <param name="translate">Translates the client's body.</param>
    /// <param name="streamTranslator">The SSE translator when the client asked for a stream, or null for one answer.</param>
    /// <param name="translateAnswer">Translates Ollama's whole answer: the client's JSON, or the problem with it.</param>
    /// <param name="accepted">Called once the request passed every check, before Ollama is called (for logging).</param>
    /// <param name="cancellationToken">The client's cancellation.</param>
    public async Task ExchangeAsync<TTranslation>(
        HttpContext context,
        ApiKey key,
        OllamaEndpoint endpoint,
        string ollamaPath,
        Func<byte[], (TTranslation? Translation, TranslationError? Error)> translate,
        Func<TTranslation, IStreamTranslator?> streamTranslator,
        Func<TTranslation, byte[], (byte[]? Json, string? Problem)> translateAnswer,
        Action<TTranslation>? accepted,
        CancellationToken cancellationToken)
        where TTranslation : class, IOpenAITranslation
    {
        var body = await ReadRequestAsync(context, cancellationToken);
        if (body is null)
        {
            return;
        }

        await LargeBody.LeaveIoThread(body.Length);
        var (translation, error) = translate(body);
        if (translation is null)
        {
            await WriteTranslationErrorAsync(context, error!);
            return;
        }

        if (!key.Models.Allows(translation.Model))
        {
            await WriteModelForbiddenAsync(context, translation.Model);
            return;
        }

        var ollamaBody = await GuardAsync(context, endpoint, translation.OllamaBody);
        if (ollamaBody is null)
        {
            return;
        }

        accepted?.Invoke(translation);
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upstreamResponse = await SendAsync(context, key, HttpMethod.Post, ollamaPath, ollamaBody, activity, cancellationToken);
        if (upstreamResponse is null)
        {
            return;
        }

        var translator = streamTranslator(translation);
        if (translator is not null)
        {
            await StreamAsync(context, upstreamResponse, translator, activity, cancellationToken);
            return;
        }

        var answer = await ReadAnswerAsync(context, upstreamResponse, activity, cancellationToken);
        if (answer is null)
        {
            return;
        }

        await LargeBody.LeaveIoThread(answer.Length);
        var (json, problem) = translateAnswer(translation, answer);
        if (json is null)
        {
            await WriteUnusableAnswerAsync(context, problem);
            return;
        }

        await WriteJsonAsync(context, json, cancellationToken);
    }

    /// <summary>Reads the request body, or answers 413 and returns null.</summary>
    public async Task<byte[]?> ReadRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await RequestBodyReader.ReadAsync(context.Request, _options.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            await ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, GatewayError.RequestBodyTooLarge);
        }

        return body;
    }

    /// <summary>
    /// Applies the same caps and checks to the body the translator wrote as to a native request (num_predict,
    /// num_ctx, keep_alive, image count), so both APIs get one policy. Answers 400 and returns null on refusal.
    /// </summary>
    public async Task<byte[]?> GuardAsync(HttpContext context, OllamaEndpoint endpoint, byte[] ollamaBody)
    {
        var (guarded, error) = guard.Check(endpoint, ollamaBody);
        if (guarded is null)
        {
            await ErrorResponder.WriteAsync(context.Response, ApiSurface.OpenAI, error!.Status, error.Message, ErrorResponder.OpenAITypeFor(error.Status), null, null);
        }

        return guarded?.Body;
    }

    /// <summary>Answers 403 when the key's model allow-list does not cover <paramref name="model"/>.</summary>
    public static Task WriteModelForbiddenAsync(HttpContext context, string model) =>
        ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, GatewayError.ModelForbidden, $"This key may not use the model '{model}'.", param: "model");

    public static Task WriteTranslationErrorAsync(HttpContext context, TranslationError error) =>
        ErrorResponder.WriteAsync(context.Response, ApiSurface.OpenAI, StatusCodes.Status400BadRequest, error.Message, "invalid_request_error", error.Param, error.Code);

    /// <summary>
    /// Sends a request to Ollama. Returns the response when Ollama answered 2xx; otherwise answers the client
    /// (Ollama's error as an OpenAI error with the same status, 502 unreachable, 504 silent) and returns null.
    /// The caller disposes the response; disposing it early aborts Ollama's work.
    /// </summary>
    public async Task<HttpResponseMessage?> SendAsync(HttpContext context, ApiKey key, HttpMethod method, string path, byte[]? body, CancellationTokenSource activity, CancellationToken cancellationToken)
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

        HttpResponseMessage response;
        try
        {
            activity.CancelAfter(upstream.FirstByteTimeout);
            response = await upstream.Invoker.SendAsync(request, activity.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            await FailAsync(context, ex, cancellationToken);
            return null;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            await WriteUpstreamErrorAsync(context, response, scrubServerErrors: !key.Admin, activity, cancellationToken);
        }

        return null;
    }

    /// <summary>Reads a whole (non-streamed) answer within the cap; on failure answers the client and returns null.</summary>
    public async Task<byte[]?> ReadAnswerAsync(HttpContext context, HttpResponseMessage response, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        byte[]? answer;
        try
        {
            activity.CancelAfter(upstream.IdleTimeout);
            answer = await UpstreamBodyReader.ReadAsync(response.Content, _options.MaxTranslatedResponseBytes, activity.Token);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            await FailAsync(context, ex, cancellationToken);
            return null;
        }

        if (answer is null)
        {
            await ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, GatewayError.UpstreamInvalidResponse, "Ollama's answer is larger than Gateway:MaxTranslatedResponseBytes.");
        }

        return answer;
    }

    /// <summary>Answers 502 for an Ollama answer that could not be translated.</summary>
    public Task WriteUnusableAnswerAsync(HttpContext context, string? problem)
    {
        Log.UnusableAnswer(logger, problem);
        context.Response.Headers["x-should-retry"] = "false";
        return ErrorResponder.WriteAsync(context, ApiSurface.OpenAI, GatewayError.UpstreamInvalidResponse);
    }

    public static async Task WriteJsonAsync(HttpContext context, byte[] json, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, cancellationToken);
    }

    /// <summary>
    /// Writes Ollama's NDJSON stream as SSE events, flushing after every read, so each chunk reaches the
    /// client as Ollama produces it. Nothing is accumulated: lines are translated and written one by one.
    /// </summary>
    public async Task StreamAsync(HttpContext context, HttpResponseMessage upstreamResponse, IStreamTranslator translator, CancellationTokenSource activity, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        var output = response.BodyWriter;
        try
        {
            await using var upstreamStream = await upstreamResponse.Content.ReadAsStreamAsync(activity.Token);
            await using var lines = new NdjsonLineReader(upstreamStream, (int)Math.Min(int.MaxValue, _options.MaxTranslatedResponseBytes));
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
                        translator.WriteError(output, "Ollama ended the stream before it was complete.", "api_error");
                        break;
                    case NdjsonReadOutcome.LineTooLong:
                        translator.WriteError(output, "Ollama sent a line larger than Gateway:MaxTranslatedResponseBytes.", "api_error");
                        break;
                }

                await output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left: the caller disposes the upstream response, which aborts Ollama's work.
            Log.ClientGone(logger);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            var timedOut = ex is OperationCanceledException;
            Log.StreamFailed(logger, timedOut, ex);
            translator.WriteError(output, timedOut ? "Ollama stopped sending data for longer than the idle timeout." : "The connection to Ollama was lost.", "api_error");
            await output.FlushAsync(cancellationToken);
        }
    }

    private static async Task WriteUpstreamErrorAsync(HttpContext context, HttpResponseMessage upstreamResponse, bool scrubServerErrors, CancellationTokenSource activity, CancellationToken cancellationToken)
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
            // A redirect or other non-answer: never followed, and not something an OpenAI client can use.
            (status, message) = (StatusCodes.Status502BadGateway, $"Ollama answered {(int)upstreamResponse.StatusCode} instead of a result.");
        }

        if (scrubServerErrors && status >= StatusCodes.Status500InternalServerError && status != StatusCodes.Status503ServiceUnavailable)
        {
            // Ollama's 5xx text can name internal paths and users (security.md §1.2); only admins see it.
            message = $"Ollama failed to process the request ({status}); details are in the gateway operator's logs.";
        }

        // SDKs dispatch on the status; the code tells a missing model apart as OpenAI's own API does.
        var code = status == StatusCodes.Status404NotFound ? "model_not_found" : null;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Ollama's queue is full: worth retrying shortly (wire pitfall 27).
            context.Response.Headers.RetryAfter = "1";
        }
        else if (status >= StatusCodes.Status500InternalServerError)
        {
            // Ollama's other 5xx answers (a bad option type, a crashed runner) do not go away on retry;
            // the SDKs retry 5xx twice unless told otherwise.
            context.Response.Headers["x-should-retry"] = "false";
        }

        await ErrorResponder.WriteAsync(context.Response, ApiSurface.OpenAI, status, message, ErrorResponder.OpenAITypeFor(status), null, code);
    }

    private async Task FailAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
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

    private static partial class Log
    {
        [LoggerMessage(3002, LogLevel.Debug, "The client went away; the upstream request was cancelled.", EventName = "TranslationClientGone")]
        public static partial void ClientGone(ILogger logger);

        [LoggerMessage(3003, LogLevel.Warning, "Calling Ollama failed (timed out: {TimedOut}).", EventName = "TranslationUpstreamFailed")]
        public static partial void UpstreamFailed(ILogger logger, bool timedOut, Exception exception);

        [LoggerMessage(3004, LogLevel.Warning, "A translated stream broke off (timed out: {TimedOut}).", EventName = "TranslationStreamFailed")]
        public static partial void StreamFailed(ILogger logger, bool timedOut, Exception exception);

        [LoggerMessage(3005, LogLevel.Warning, "Ollama's answer could not be translated: {Problem}", EventName = "TranslationAnswerUnusable")]
        public static partial void UnusableAnswer(ILogger logger, string? problem);
    }
}
