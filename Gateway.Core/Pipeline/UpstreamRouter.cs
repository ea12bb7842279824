using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Policy;
using OllamaGateway.Routing;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Which Ollama server answers a request, for every handler that calls one: the server named by
/// <see cref="UpstreamSet.PinHeader"/>, or (model management excepted, which must name one) the server
/// <see cref="UpstreamSet.Choose"/> picks for the request's model. When there is none it answers the client itself, in the
/// route's error shape: 400 for a bad or missing header, 404 for a model no server has, 503 with <c>Retry-After</c> for a
/// model only servers that are down have. It also decides what follows a failure (fail over once, or 503) and what an
/// answer teaches about a server (a model now loaded, a list to read again). With one server every request goes to it.
/// </summary>
internal sealed partial class UpstreamRouter(UpstreamSet upstreams, UpstreamMonitor monitor, ILogger<UpstreamRouter> logger)
{
    /// <summary>The servers.</summary>
    public UpstreamSet Upstreams => upstreams;

    /// <summary>
    /// The server for a request (counted in flight until the attempt is disposed), or null after answering the client.
    /// </summary>
    /// <param name="context">The request; its <see cref="UpstreamSet.PinHeader"/> is read.</param>
    /// <param name="surface">The API of the route, for the error shape.</param>
    /// <param name="management">Whether it is model management, which must name its server and never fails over.</param>
    /// <param name="model">The model the request names, as the client wrote it; null when it names none.</param>
    public async ValueTask<UpstreamAttempt?> RouteAsync(HttpContext context, ApiSurface surface, bool management, string? model)
    {
        if (upstreams.Single is { } single)
        {
            return new UpstreamAttempt(upstreams, single, model, null, mayFailOver: false, pinned: false);
        }

        var canonical = model is null ? null : ModelName.Canonical(model);
        var pinned = context.Request.Headers[UpstreamSet.PinHeader];
        if (!StringValues.IsNullOrEmpty(pinned))
        {
            if (pinned.Count == 1 && upstreams.Find(pinned.ToString()) is { } named)
            {
                return new UpstreamAttempt(upstreams, named, model, canonical, mayFailOver: false, pinned: true);
            }

            await ErrorResponder.WriteAsync(context, surface, GatewayError.InvalidRequest,
                $"The header {UpstreamSet.PinHeader} names no Ollama server of this gateway ('{ClientText.Quote(pinned.ToString())}'); the servers are: {upstreams.Names}.");
            return null;
        }

        if (management)
        {
            await ErrorResponder.WriteAsync(context, surface, GatewayError.InvalidRequest,
                $"This gateway fronts several Ollama servers: model management must name one with the header {UpstreamSet.PinHeader} (one of: {upstreams.Names}).");
            return null;
        }

        var choice = upstreams.Choose(canonical);
        switch (choice.Kind)
        {
            case UpstreamChoiceKind.Chosen:
                return new UpstreamAttempt(upstreams, choice.Upstream!, model, canonical, mayFailOver: true, pinned: false);
            case UpstreamChoiceKind.ModelNotFound:
                // Ollama's own words for a model it does not have (wire reference §1.11), in the route's shape.
                await ErrorResponder.WriteAsync(context, surface, GatewayError.ModelNotFound, $"model '{ClientText.Quote(model)}' not found");
                return null;
            default:
                await WriteUnavailableAsync(context, surface, model, canonical);
                return null;
        }
    }

    /// <summary>
    /// After a request failed to reach <paramref name="attempt"/>'s server before any answer: a server that refused the
    /// connection is left out for the reactivation period; the request goes to another healthy server that has the model
    /// if it may still fail over; otherwise 503 when only servers that are down have the model now.
    /// </summary>
    public UpstreamFailureAction AfterFailure(UpstreamAttempt attempt, Exception? exception)
    {
        if (!upstreams.IsSeveral)
        {
            return UpstreamFailureAction.Answer;
        }

        var connect = UpstreamFailure.IsConnectFailure(exception);
        if (connect)
        {
            attempt.Upstream.MarkUnreachable();
        }

        if (UpstreamFailure.AllowsFailover(exception) && attempt.TryFindAlternative())
        {
            return UpstreamFailureAction.FailOver;
        }

        return connect && !attempt.Pinned && upstreams.Choose(attempt.Model).Kind == UpstreamChoiceKind.Unavailable
            ? UpstreamFailureAction.Unavailable
            : UpstreamFailureAction.Answer;
    }

    /// <summary>Moves the request to the alternative server found by <see cref="AfterFailure"/> or the transformer, and says so.</summary>
    public void FailOver(HttpContext context, UpstreamAttempt attempt, string problem)
    {
        var from = attempt.Upstream.Name;
        attempt.FailOver();
        if (context.Features.Get<RequestRecord>() is { } record)
        {
            record.Upstream = attempt.Upstream.Name;
            record.RetriedFrom = from;
        }

        Log.FailingOver(logger, from, attempt.Upstream.Name, problem);
    }

    /// <summary>
    /// What an answer teaches: a model that ran is loaded there now; a "model not found" from a server believed to have it,
    /// or a management call that changed a server's models, calls for reading its list again at once.
    /// </summary>
    /// <param name="attempt">The request's server.</param>
    /// <param name="route">The route, or null when only Ollama's status is known (an error answer).</param>
    /// <param name="status">Ollama's status.</param>
    public void AfterAnswer(UpstreamAttempt attempt, GatewayRoute? route, int status)
    {
        if (!upstreams.IsSeveral)
        {
            return;
        }

        if (route?.Kind == RouteKind.Management)
        {
            if (status < StatusCodes.Status400BadRequest)
            {
                monitor.RefreshSoon(attempt.Upstream);
            }
        }
        else if (attempt.Model is { } model)
        {
            if (status == StatusCodes.Status404NotFound)
            {
                monitor.RefreshSoon(attempt.Upstream);
            }
            else if (status < StatusCodes.Status300MultipleChoices && route?.Operation is not null)
            {
                // Inference routes carry their GenAI operation; running the model loaded it there.
                attempt.Upstream.NoteLoaded(model);
            }
        }
    }

    /// <summary>Answers 503 with Retry-After: the servers that have the model (or, without one, every server) are down.</summary>
    public Task WriteUnavailableAsync(HttpContext context, ApiSurface surface, string? model, string? canonicalModel)
    {
        var wait = upstreams.RetryAfter(canonicalModel);
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var message = model is null
            ? "No Ollama server is available now; try again shortly."
            : $"The Ollama servers that have the model '{ClientText.Quote(model)}' are not available now; try again shortly.";
        return ErrorResponder.WriteAsync(context, surface, StatusCodes.Status503ServiceUnavailable, message, null, "upstream_unavailable", GatewayError.UpstreamUnavailable);
    }

    private static partial class Log
    {
        [LoggerMessage(4023, LogLevel.Information, "Ollama server {From} failed before answering ({Problem}); the request went to {To}.", EventName = "UpstreamFailover")]
        public static partial void FailingOver(ILogger logger, string from, string to, string problem);
    }
}
