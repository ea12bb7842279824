using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OllamaGateway.Errors;
using OllamaGateway.Forwarding;
using OllamaGateway.Routing;
using OllamaGateway.Usage;

namespace OllamaGateway.Pipeline;

/// <summary>
/// A model list (<c>/api/tags</c>, <c>/api/ps</c>) across several Ollama servers: every healthy server is asked at once,
/// each within the probe timeout, and the answers are merged (<see cref="ModelListMerger"/>). A server that fails is left
/// out of this answer (and, if it refused the connection, out of routing for the reactivation period); when none answers
/// the client gets the same 502 as with one server, and 503 with Retry-After when every server is down already.
/// </summary>
internal sealed class MergedModelList(UpstreamRouter router)
{
    private const long MaxListBytes = 8 * 1024 * 1024;

    /// <summary>Whether the request gets a merged list: there are several servers and it names none.</summary>
    public bool IsMerged(HttpContext context) =>
        router.Upstreams.IsSeveral && !context.Request.Headers.ContainsKey(UpstreamSet.PinHeader);

    /// <summary>The merged list, unfiltered by the key's rights; null after answering the client.</summary>
    public async Task<byte[]?> FetchAsync(HttpContext context, ApiSurface surface, string path, CancellationToken cancellationToken)
    {
        var upstreams = router.Upstreams;
        var healthy = upstreams.All.Where(upstream => upstream.IsHealthy).ToArray();
        if (healthy.Length == 0)
        {
            await router.WriteUnavailableAsync(context, surface, model: null, canonicalModel: null);
            return null;
        }

        var answers = await Task.WhenAll(healthy.Select(upstream => FetchOneAsync(upstream, path, cancellationToken)));
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var lists = answers.Where(answer => answer.Json is not null).Select(answer => (answer.Upstream, answer.Json!)).ToArray();
        if (lists.Length == 0)
        {
            await ErrorResponder.WriteAsync(context, surface, GatewayError.UpstreamUnavailable);
            return null;
        }

        context.Features.Get<RequestRecord>()?.Upstream = string.Join(",", lists.Select(list => list.Upstream.Name));
        try
        {
            return ModelListMerger.Merge(lists);
        }
        catch (JsonException)
        {
            // Never pass an unfiltered list on: an answer that cannot be read is not shown at all.
            await ErrorResponder.WriteAsync(context, surface, GatewayError.UpstreamInvalidResponse, "Ollama's model list could not be read.");
            return null;
        }
    }

    private async Task<(OllamaUpstream Upstream, byte[]? Json)> FetchOneAsync(OllamaUpstream upstream, string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(router.Upstreams.Settings.UpstreamHealth.ProbeTimeout);
        upstream.Enter();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, upstream.UriFor(path))
            {
                Version = upstream.RequestConfig.Version!,
                VersionPolicy = upstream.RequestConfig.VersionPolicy!.Value,
            };
            using var response = await upstream.Invoker.SendAsync(request, timeout.Token);
            return (upstream, response.IsSuccessStatusCode ? await UpstreamBodyReader.ReadAsync(response.Content, MaxListBytes, timeout.Token) : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                if (UpstreamFailure.IsConnectFailure(ex))
                {
                    upstream.MarkUnreachable();
                }

                upstream.Failures.Report("a model list: " + UpstreamFailureLog.Describe(ex, ex is OperationCanceledException), ex);
            }

            return (upstream, null);
        }
        finally
        {
            upstream.Leave();
        }
    }
}
