using Microsoft.AspNetCore.Http;
using OllamaGateway.Auth;
using OllamaGateway.Errors;
using OllamaGateway.Routing;
using OllamaGateway.Translation;
using OllamaGateway.Validation;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// The flow every translated route shares, whatever its API: read the client's body within the route's cap (413),
/// translate it (400), check the key's model allow-list (403), guard the native body (400), call Ollama with first-byte
/// and idle timeouts, then relay the stream through the route's <see cref="IStreamTranslator"/> or translate the whole
/// answer (502 when it cannot be), and map Ollama's failures into the route's error shape. The route row names the
/// translator and the API (<see cref="GatewayRoute.Translator"/>, <see cref="GatewayRoute.Surface"/>); translators are
/// pure; the calls to Ollama are <see cref="OllamaCall"/>'s and the relayed streams <see cref="TranslatedStream"/>'s. Each
/// step that fails has answered the client and noted why on the request record.
/// </summary>
internal sealed class TranslatedExchange(OllamaCall ollama, TranslatedStream streams, RequestGuardSettings guard, BodyLimits limits, TimeProvider timeProvider)
{
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
            await JsonAnswer.WriteAsync(context, localAnswer, cancellationToken);
            return;
        }

        record.UpstreamModel = request.Model;
        using var attempt = await ollama.Router.RouteAsync(context, route.Surface, management: false, request.Model);
        if (attempt is null)
        {
            return;
        }

        using var activity = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Stream && translator.StreamKeepAlive is { } keepAlive)
        {
            await streams.RelayOpenedEarlyAsync(context, record, key, route, attempt, translator.CreateStream(request, timeProvider.GetUtcNow().ToUnixTimeSeconds()), guarded.Body, keepAlive, activity, cancellationToken);
            return;
        }

        using var upstreamResponse = await ollama.SendAsync(context, route.Surface, key, attempt, HttpMethod.Post, route.OllamaPath!, guarded.Body, activity, cancellationToken);
        if (upstreamResponse is null)
        {
            return;
        }

        ollama.Router.AfterAnswer(attempt, route, (int)upstreamResponse.StatusCode);

        var created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream)
        {
            await streams.RelayAsync(context, record, upstreamResponse, translator.CreateStream(request, created), activity, cancellationToken);
            return;
        }

        var answer = await ollama.ReadAnswerAsync(context, route.Surface, upstreamResponse, activity, cancellationToken);
        if (answer is null)
        {
            return;
        }

        await LargeBody.LeaveIoThread(answer.Length);
        var translated = translator.TranslateAnswer(request, answer, created);
        if (translated.Json is null)
        {
            await ollama.WriteUnusableAnswerAsync(context, route.Surface, translated.Problem);
            return;
        }

        record.SetUsage(translated.Usage);
        await JsonAnswer.WriteAsync(context, translated.Json, cancellationToken);
    }

}
