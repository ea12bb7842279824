using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Policy;

namespace OllamaGateway.Pipeline;

/// <summary>
/// The single entry point both hosts call for every request: route policy, authentication, then
/// passthrough or translation. It is a plain handler on an <see cref="HttpContext"/> rather than
/// middleware because the Functions worker cannot run ASP.NET Core middleware.
/// </summary>
public sealed partial class GatewayPipeline
{
    private readonly ApiKeyStore _keys;
    private readonly PassthroughHandler _passthrough;
    private readonly ChatCompletionsHandler _chat;
    private readonly EmbeddingsHandler _embeddings;
    private readonly ModelsHandler _models;
    private readonly ILogger<GatewayPipeline> _logger;

    internal GatewayPipeline(ApiKeyStore keys, PassthroughHandler passthrough, ChatCompletionsHandler chat, EmbeddingsHandler embeddings, ModelsHandler models, ILogger<GatewayPipeline> logger)
    {
        _embeddings = embeddings;
        _models = models;
        _keys = keys;
        _passthrough = passthrough;
        _chat = chat;
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
        var token = linked?.Token ?? context.RequestAborted;

        var decision = RoutePolicy.Decide(context.Request.Method, context.Request.Path.Value);
        if (decision.Kind == RouteKind.Health)
        {
            await HealthResponder.WriteAsync(context.Response, token);
            return;
        }

        var key = Authenticate(context, decision.Surface, out var failure);
        if (key is null)
        {
            await ErrorResponder.WriteAsync(context, decision.Surface, failure);
            return;
        }

        switch (decision.Kind)
        {
            case RouteKind.ChatCompletions:
                await _chat.HandleAsync(context, key, token);
                break;
            case RouteKind.Embeddings:
                await _embeddings.HandleAsync(context, key, token);
                break;
            case RouteKind.ModelList:
                await _models.HandleAsync(context, key, modelId: null, token);
                break;
            case RouteKind.ModelRetrieve:
                await _models.HandleAsync(context, key, RoutePolicy.ModelIdOf(context.Request.Path.Value!), token);
                break;
            case RouteKind.NativeInference or RouteKind.NativeRead:
                await _passthrough.HandleAsync(context, decision.Surface, token);
                break;
            case RouteKind.Management:
                Log.Forbidden(_logger, key.Name, context.Request.Method, context.Request.Path.Value);
                await ErrorResponder.WriteAsync(context, decision.Surface, GatewayError.Forbidden);
                break;
            case RouteKind.MethodNotAllowed:
                await ErrorResponder.WriteAsync(context, decision.Surface, GatewayError.MethodNotAllowed, allow: decision.Allow);
                break;
            default:
                await ErrorResponder.WriteAsync(context, decision.Surface, GatewayError.RouteNotFound);
                break;
        }
    }

    private ApiKey? Authenticate(HttpContext context, ApiSurface surface, out GatewayError failure)
    {
        var credential = CredentialReader.Read(context.Request.Headers);
        if (credential.Key is null)
        {
            failure = credential.IsMalformed ? GatewayError.InvalidKey : GatewayError.MissingKey;
            Log.Unauthenticated(_logger, failure, context.Connection.RemoteIpAddress?.ToString());
            return null;
        }

        var key = _keys.Current.Find(credential.Key);
        failure = key is null ? GatewayError.InvalidKey : GatewayError.None;
        if (key is null)
        {
            Log.Unauthenticated(_logger, failure, context.Connection.RemoteIpAddress?.ToString());
        }

        return key;
    }

    private static partial class Log
    {
        // Never a key, never a header value: only what kind of failure and from where.
        [LoggerMessage(1101, LogLevel.Information, "Refused a request without a valid key ({Failure}) from {RemoteAddress}.", EventName = "Unauthenticated")]
        public static partial void Unauthenticated(ILogger logger, GatewayError failure, string? remoteAddress);

        [LoggerMessage(2001, LogLevel.Warning, "Key {KeyName} was refused model management: {Method} {Path}.", EventName = "ManagementForbidden")]
        public static partial void Forbidden(ILogger logger, string keyName, string method, string? path);
    }
}
