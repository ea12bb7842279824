using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Hosting;

/// <summary>
/// Builds the pipeline (and so loads the keys file) while the host starts, so an unreadable keys file
/// stops start-up instead of failing the first request.
/// </summary>
internal sealed class GatewayStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<GatewayPipeline>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
