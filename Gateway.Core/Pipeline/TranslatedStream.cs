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
using OllamaGateway.Usage;
using OllamaGateway.Usage.Metrics;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Relays Ollama's NDJSON stream as a translated route's stream events, flushing after every read so each chunk reaches
/// the client as Ollama produces it; nothing is accumulated. For a route that must show life while Ollama is silent
/// (<see cref="IRouteTranslator.StreamKeepAlive"/>), the stream opens before Ollama is called and keep-alives fill the
/// silences. A stream that breaks off ends with the API's in-stream error event; its usage is Ollama's exact counts, or
/// an estimate from the chunks relayed.
/// </summary>
internal sealed partial class TranslatedStream(OllamaCall ollama, IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider timeProvider, ILogger<TranslatedStream> logger)
{
    private readonly long _maxAnswerBytes = options.Value.MaxTranslatedResponseBytes;
    private readonly TimeSpan _idleTimeout = options.Value.UpstreamIdleTimeout;

    /// <summary>
    /// The stream of a route that must show life while Ollama is silent (<see cref="IRouteTranslator.StreamKeepAlive"/>):
    /// the 200 and the opening event go out before Ollama is called, a keep-alive follows every interval until Ollama
    /// answers (a model load can take minutes) and whenever it then falls silent, and an error Ollama answers with
    /// after that becomes the API's in-stream error event (the status is gone). Everything the gateway refuses itself
    /// (body, key, model, guard) was answered with its status before.
    /// </summary>
    public async Task RelayOpenedEarlyAsync(HttpContext context, RequestRecord record, ApiKey key, GatewayRoute route, UpstreamAttempt attempt, IStreamTranslator translator, byte[] body, TimeSpan keepAlive, CancellationTokenSource activity, CancellationToken cancellationToken)
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
            send = ollama.SendAsync(context, route.Surface, key, attempt, HttpMethod.Post, route.OllamaPath!, body, activity, cancellationToken);
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
                await RelayAsync(context, record, upstreamResponse, translator, activity, cancellationToken, keepAlive);
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
    public async Task RelayAsync(HttpContext context, RequestRecord record, HttpResponseMessage upstreamResponse, IStreamTranslator translator, CancellationTokenSource activity, CancellationToken cancellationToken, TimeSpan? keepAlive = null)
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
            ollama.FailuresOf(context).Report("a translated stream broke off: " + UpstreamFailureLog.Describe(ex, timedOut), ex);
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

    private static partial class Log
    {
        [LoggerMessage(3006, LogLevel.Debug, "The client went away during a translated stream; the upstream request was cancelled.", EventName = "TranslatedStreamClientGone")]
        public static partial void ClientGone(ILogger logger);
    }
}
