using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Limits;
using OllamaGateway.Routing;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// The single entry point both hosts call for every request: route policy, authentication, the key's
/// limits and rights, then passthrough or translation. It is a plain handler on an <see cref="HttpContext"/>
/// rather than middleware because the Functions worker cannot run ASP.NET Core middleware.
/// </summary>
public sealed partial class GatewayPipeline
{
    private readonly ApiKeyStore _keys;
    private readonly GatewayHandlers _handlers;
    private readonly IKeyLimits _limits;
    private readonly RequestFraming _framing;
    private readonly IRequestRecordSink[] _sinks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GatewayPipeline> _logger;

    internal GatewayPipeline(ApiKeyStore keys, GatewayHandlers handlers, IKeyLimits limits, RequestFraming framing, IEnumerable<IRequestRecordSink> sinks, TimeProvider timeProvider, ILogger<GatewayPipeline> logger)
    {
        _keys = keys;
        _handlers = handlers;
        _limits = limits;
        _framing = framing;
        _sinks = [.. sinks];
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Answers one request. <paramref name="cancellationToken"/> is linked with
    /// <see cref="HttpContext.RequestAborted"/>: either one cancels the upstream request.
    /// </summary>
    public async Task InvokeAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != context.RequestAborted
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.RequestAborted)
            : null;
        if (linked is not null)
        {
            // Everything downstream (YARP, the NDJSON relay, translation) watches RequestAborted; make it see
            // the host's token too, so a Functions cancellation reaches Ollama on every path.
            context.RequestAborted = linked.Token;
        }

        var token = context.RequestAborted;
        var match = GatewayRoutes.Match(context.Request.Method, context.Request.Path.Value);
        var request = context.Request;
        var record = new RequestRecord(_timeProvider)
        {
            Route = match.Route,
            Surface = match.Surface,
            Method = request.Method,
            Path = request.Path.Value,
            ClientAddress = context.Connection.RemoteIpAddress,
        };
        context.Features.Set(record);
        try
        {
            await AnswerAsync(context, match, record, token);
        }
        finally
        {
            record.Finish(context.Response.StatusCode, token.IsCancellationRequested);
            Publish(record);
        }
    }

    private void Publish(RequestRecord record)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                sink.OnFinished(record);
            }
            catch (Exception ex)
            {
                // A sink must not throw; if one does, the answer is already complete and must not be turned into a failure.
                Log.SinkFailed(_logger, sink.GetType().Name, ex);
            }
        }
    }

    private async Task AnswerAsync(HttpContext context, RouteMatch match, RequestRecord record, CancellationToken token)
    {
        // The route table alone says which routes need no key; both are the gateway's own and never forward.
        if (match.IsAnonymous)
        {
            await (match.Kind == RouteKind.Health
                ? HealthResponder.WriteAsync(context.Response, token)
                : _handlers.Readiness.WriteAsync(context, token));
            return;
        }

        // Framing first: it costs nothing, reveals nothing, and stops an oversized body before it is read.
        switch (_framing.Check(context, match.Route))
        {
            case FramingResult.TooLarge:
                await ErrorResponder.WriteAsync(context, match.Surface, GatewayError.RequestBodyTooLarge);
                return;
            case FramingResult.Ambiguous:
                await ErrorResponder.WriteAsync(context, match.Surface, GatewayError.AmbiguousFraming);
                return;
        }

        var key = Authenticate(context, out var failure);
        if (key is null)
        {
            var wait = await _limits.RecordAuthFailureAsync(context.Connection.RemoteIpAddress, token);
            await ErrorResponder.WriteAsync(context, match.Surface, wait is null ? failure : GatewayError.TooManyFailedAttempts, retryAfter: wait);
            return;
        }

        record.Key = key;
        // One call for every limit (with Redis, one round trip): rate, concurrency and, on inference routes only (listing
        // models or reading metrics costs no tokens), the token budget.
        using var lease = key.Limits == KeyLimits.None ? LimitLease.Granted : await _limits.AcquireAsync(key, match.Route?.Operation is not null, record, token);
        if (!lease.IsGranted)
        {
            Log.RateLimited(_logger, key.Name, lease.Limit);
            await (lease.IsBudgetSpent
                ? ErrorResponder.WriteAsync(context, match.Surface, GatewayError.TokenBudgetSpent, $"Token budget spent for this key ({lease.Limit}). Try again later.", retryAfter: lease.RetryAfter)
                : ErrorResponder.WriteAsync(context, match.Surface, GatewayError.RateLimited, $"Rate limit reached for this key ({lease.Limit}). Try again later.", retryAfter: lease.RetryAfter));
            return;
        }

        await DispatchAsync(context, match, record, key, token);
    }

    private Task DispatchAsync(HttpContext context, RouteMatch match, RequestRecord record, ApiKey key, CancellationToken token)
    {
        if (match.Kind == RouteKind.MethodNotAllowed)
        {
            return ErrorResponder.WriteAsync(context, match.Surface, GatewayError.MethodNotAllowed, allow: match.Allow);
        }

        if (match.Route is not { } route)
        {
            return ErrorResponder.WriteAsync(context, match.Surface, GatewayError.RouteNotFound);
        }

        if (route.RequiresAdmin && !key.Admin)
        {
            Log.Forbidden(_logger, key.Name, context.Request.Method, route.Name);
            return ErrorResponder.WriteAsync(context, route.Surface, GatewayError.Forbidden);
        }

        if (route.Kind == RouteKind.Metrics)
        {
            return _handlers.Metrics.HandleAsync(context, key, route, token);
        }

        if (route.Kind is RouteKind.UsageReport or RouteKind.OwnUsageReport)
        {
            return _handlers.Usage.HandleAsync(context, key, route, token);
        }

        if (route.Translator is not null)
        {
            return _handlers.Exchange.ExchangeAsync(context, record, key, route, token);
        }

        if (route.Kind is RouteKind.ModelList or RouteKind.ModelRetrieve)
        {
            return _handlers.Models.HandleAsync(context, key, route, token);
        }

        // Every key's listing is filtered: even default rights never see cloud models (ModelAccess).
        if (route.ListsModels)
        {
            return _handlers.Lists.HandleAsync(context, key, route, token);
        }

        return route.Endpoint is not null
            ? _handlers.Guarded.HandleAsync(context, record, key, route, token)
            : _handlers.Passthrough.HandleAsync(context, route, key, null, token);
    }

    private ApiKey? Authenticate(HttpContext context, out GatewayError failure)
    {
        var credential = CredentialReader.Read(context.Request.Headers);
        var key = credential.Key is null ? null : _keys.Current.Find(credential.Key);
        if (key is null)
        {
            failure = credential.Key is null && !credential.IsMalformed ? GatewayError.MissingKey : GatewayError.InvalidKey;
        }
        else if (key.Disabled)
        {
            failure = GatewayError.InvalidKey;
            key = null;
        }
        else if (!key.IsUsableAt(_timeProvider.GetUtcNow()))
        {
            failure = GatewayError.KeyExpired;
            key = null;
        }
        else
        {
            failure = GatewayError.None;
            return key;
        }

        Log.Unauthenticated(_logger, failure, context.Connection.RemoteIpAddress?.ToString());
        return null;
    }

    private static partial class Log
    {
        // Never a key, never a header value: only what kind of failure and from where.
        [LoggerMessage(1101, LogLevel.Information, "Refused a request without a valid key ({Failure}) from {RemoteAddress}.", EventName = "Unauthenticated")]
        public static partial void Unauthenticated(ILogger logger, GatewayError failure, string? remoteAddress);

        [LoggerMessage(2001, LogLevel.Warning, "Key {KeyName} was refused model management: {Method} {Route}.", EventName = "ManagementForbidden")]
        public static partial void Forbidden(ILogger logger, string keyName, string method, string route);

        [LoggerMessage(5001, LogLevel.Error, "The request record sink {Sink} failed.", EventName = "RecordSinkFailed")]
        public static partial void SinkFailed(ILogger logger, string sink, Exception exception);

        [LoggerMessage(2002, LogLevel.Information, "Key {KeyName} reached its limit on {Limit}.", EventName = "KeyRateLimited")]
        public static partial void RateLimited(ILogger logger, string keyName, string? limit);
    }
}
